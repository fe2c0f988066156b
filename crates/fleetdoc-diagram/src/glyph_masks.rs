//! Labels drawn from glyph masks, the way text renderers draw text: each glyph is filled
//! once per pixel size and quarter-pixel offset into a coverage mask, and every place it
//! occurs gets that mask blended in. A large diagram repeats a few dozen glyphs thousands
//! of times, so this replaces thousands of anti-aliased path fills by a few hundred.
//!
//! A glyph whose mask would pass [`MAX_MASK_PIXELS`], or any beyond the [`MASK_BUDGET`], is
//! filled as a path where it stands instead, so a hostile font size cannot make huge masks.
//! (Such a glyph is the one thing a banded picture may draw a level apart from one pass.)

use crate::font;
use crate::glyphs::Glyph;
use crate::outline::PlacedLabel;
use resvg::tiny_skia::{self, FillRule, Mask, Paint, PixmapMut, Transform};
use std::collections::HashMap;
use std::sync::Arc;

/// Positions per pixel at which a glyph is placed, across and down (a quarter pixel is
/// finer than anyone can see in a 10-20 px label).
const STEPS: f64 = 4.0;
/// Largest single glyph mask, in pixels (a glyph about 2,000 px tall).
const MAX_MASK_PIXELS: usize = 4 * 1024 * 1024;
/// Pixels per em beyond which a glyph's mask size is not even worked out.
const MAX_EM_PX: f64 = 100_000.0;
/// Bytes of masks one picture may hold; later glyphs are filled as paths.
const MASK_BUDGET: usize = 32 * 1024 * 1024;

/// One glyph's coverage at one size and offset.
struct GlyphMask {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

/// Where one glyph of a label goes.
enum Stamp {
    /// Mask `mask` with its top-left corner at pixel (`x`, `y`).
    Mask { mask: usize, x: i32, y: i32 },
    /// The outline filled with `transform` (font units to pixels).
    Path {
        glyph: Arc<Glyph>,
        transform: Transform,
    },
}

/// Every label of a picture, ready to stamp at one scale.
pub(crate) struct LabelStamps {
    masks: Vec<GlyphMask>,
    stamps: Vec<Stamp>,
    /// Range of `stamps` per label.
    labels: Vec<(usize, usize)>,
}

/// What identifies a mask: the glyph (by its cached outline), its size in pixels per font
/// unit, and the quarter-pixel offsets.
#[derive(Hash, PartialEq, Eq)]
struct Key {
    glyph: usize,
    scale_bits: u64,
    fx: u8,
    fy: u8,
}

/// A mask yet to be filled.
struct Job {
    glyph: Arc<Glyph>,
    k: f64,
    fx: u8,
    fy: u8,
    left: i32,
    top: i32,
    width: u32,
    height: u32,
}

impl LabelStamps {
    /// Places every glyph of `labels` at `scale` and fills each distinct mask once (in
    /// parallel).
    pub(crate) fn new(labels: &[PlacedLabel], scale: f32) -> Self {
        use rayon::prelude::*;
        let scale = f64::from(scale);
        let mut keys: HashMap<Key, usize> = HashMap::new();
        let mut jobs: Vec<Job> = Vec::new();
        let mut stamps = Vec::new();
        let mut ranges = Vec::with_capacity(labels.len());
        let mut budget = MASK_BUDGET;
        for label in labels {
            let start = stamps.len();
            let em = f64::from(font::units_per_em(label.bold));
            // Pixels per font unit.
            let k = f64::from(label.size) * scale / em;
            let y = f64::from(label.y) * scale;
            for (glyph, pen) in &label.glyphs {
                let Some(path) = glyph.path.as_ref() else {
                    continue;
                };
                let x = (f64::from(label.x) + pen * f64::from(label.size) / em) * scale;
                let direct = || Stamp::Path {
                    glyph: glyph.clone(),
                    transform: Transform::from_row(
                        k as f32, 0.0, 0.0, -k as f32, x as f32, y as f32,
                    ),
                };
                if !(k.is_finite() && x.is_finite() && y.is_finite()) || k * em > MAX_EM_PX {
                    stamps.push(direct());
                    continue;
                }
                let (ix, fx) = split(x);
                let (iy, fy) = split(y);
                let key = Key {
                    glyph: Arc::as_ptr(glyph) as usize,
                    scale_bits: k.to_bits(),
                    fx,
                    fy,
                };
                let index = match keys.get(&key) {
                    Some(&i) => i,
                    None => {
                        let job = job(glyph, path, k, fx, fy);
                        let bytes = job.width as usize * job.height as usize;
                        if bytes > budget || bytes > MAX_MASK_PIXELS {
                            stamps.push(direct());
                            continue;
                        }
                        budget -= bytes;
                        jobs.push(job);
                        keys.insert(key, jobs.len() - 1);
                        jobs.len() - 1
                    }
                };
                let j = &jobs[index];
                stamps.push(Stamp::Mask {
                    mask: index,
                    x: ix.saturating_add(j.left),
                    y: iy.saturating_add(j.top),
                });
            }
            ranges.push((start, stamps.len()));
        }
        let masks = jobs.par_iter().map(fill).collect();
        LabelStamps {
            masks,
            stamps,
            labels: ranges,
        }
    }

    /// Draws label `n` in `color` (straight RGB, alpha = opacity) onto `pixmap`, whose first
    /// row is row `top` of the whole picture.
    pub(crate) fn draw(&self, n: usize, color: tiny_skia::Color, pixmap: &mut PixmapMut, top: i32) {
        let Some(&(start, end)) = self.labels.get(n) else {
            return;
        };
        let c = color.premultiply().to_color_u8();
        let src = [c.red(), c.green(), c.blue(), c.alpha()];
        for stamp in &self.stamps[start..end] {
            match stamp {
                Stamp::Mask { mask, x, y } => {
                    blend(&self.masks[*mask], src, pixmap, *x, y.saturating_sub(top))
                }
                Stamp::Path { glyph, transform } => {
                    if let Some(path) = glyph.path.as_ref() {
                        let mut paint = Paint::default();
                        paint.set_color(color);
                        paint.anti_alias = true;
                        let t = transform.post_translate(0.0, -(top as f32));
                        pixmap.fill_path(path, &paint, FillRule::Winding, t, None);
                    }
                }
            }
        }
    }
}

/// Whole pixel and quarter-pixel step of a coordinate.
fn split(v: f64) -> (i32, u8) {
    let whole = v.floor();
    let mut step = ((v - whole) * STEPS).round();
    let mut whole = whole as i32;
    if step >= STEPS {
        step = 0.0;
        whole = whole.saturating_add(1);
    }
    (whole, step as u8)
}

/// The mask for `glyph` at `k` pixels per font unit and offsets `fx`, `fy` (in steps):
/// its size and where its corner sits relative to the glyph's whole-pixel origin.
fn job(glyph: &Arc<Glyph>, path: &tiny_skia::Path, k: f64, fx: u8, fy: u8) -> Job {
    let b = path.bounds();
    let (ox, oy) = (f64::from(fx) / STEPS, f64::from(fy) / STEPS);
    // Font units are y-up: the glyph's highest point is its top row.
    let x0 = f64::from(b.left()) * k + ox;
    let x1 = f64::from(b.right()) * k + ox;
    let y0 = oy - f64::from(b.bottom()) * k;
    let y1 = oy - f64::from(b.top()) * k;
    // One pixel of room on every side for the anti-aliased edge.
    let left = x0.floor() as i32 - 1;
    let top = y0.floor() as i32 - 1;
    let width = (x1.ceil() as i32 + 1 - left).max(1) as u32;
    let height = (y1.ceil() as i32 + 1 - top).max(1) as u32;
    Job {
        glyph: glyph.clone(),
        k,
        fx,
        fy,
        left,
        top,
        width,
        height,
    }
}

fn fill(job: &Job) -> GlyphMask {
    let empty = GlyphMask {
        width: 0,
        height: 0,
        data: Vec::new(),
    };
    let (Some(path), Some(mut mask)) = (job.glyph.path.as_ref(), Mask::new(job.width, job.height))
    else {
        return empty;
    };
    let t = Transform::from_row(
        job.k as f32,
        0.0,
        0.0,
        -job.k as f32,
        (f64::from(job.fx) / STEPS - f64::from(job.left)) as f32,
        (f64::from(job.fy) / STEPS - f64::from(job.top)) as f32,
    );
    mask.fill_path(path, FillRule::Winding, true, t);
    GlyphMask {
        width: job.width,
        height: job.height,
        data: mask.data().to_vec(),
    }
}

/// `x * y / 255`, rounded.
fn mul255(x: u8, y: u8) -> u8 {
    let p = u32::from(x) * u32::from(y) + 128;
    ((p + (p >> 8)) >> 8) as u8
}

/// Source-over of `src` (premultiplied) through `mask` at (`x`, `y`) of `pixmap`, clipped
/// to the pixmap.
fn blend(mask: &GlyphMask, src: [u8; 4], pixmap: &mut PixmapMut, x: i32, y: i32) {
    let (pw, ph) = (pixmap.width() as i64, pixmap.height() as i64);
    let (mw, mh) = (i64::from(mask.width), i64::from(mask.height));
    let (x, y) = (i64::from(x), i64::from(y));
    let (cx0, cy0) = (x.max(0), y.max(0));
    let (cx1, cy1) = ((x + mw).min(pw), (y + mh).min(ph));
    if cx0 >= cx1 || cy0 >= cy1 {
        return;
    }
    let data = pixmap.data_mut();
    for py in cy0..cy1 {
        let mrow = ((py - y) * mw) as usize;
        let prow = (py * pw) as usize * 4;
        for px in cx0..cx1 {
            let m = mask.data[mrow + (px - x) as usize];
            if m == 0 {
                continue;
            }
            let i = prow + px as usize * 4;
            let d = &mut data[i..i + 4];
            if m == 255 && src[3] == 255 {
                d.copy_from_slice(&src);
                continue;
            }
            let sa = mul255(src[3], m);
            let inv = 255 - sa;
            for c in 0..3 {
                d[c] = mul255(src[c], m).saturating_add(mul255(d[c], inv));
            }
            d[3] = sa.saturating_add(mul255(d[3], inv));
        }
    }
}
