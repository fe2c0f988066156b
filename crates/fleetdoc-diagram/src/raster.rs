//! SVG to PNG through resvg, with only the embedded DejaVu fonts (never system fonts) so a
//! PNG looks the same on every machine, no access to files or images the SVG points at,
//! and named size limits so a hostile SVG gives an error instead of exhausting memory.
//! The crate's own labels never reach usvg's text engine (see `outline`): for drawing they
//! become marks in the tree and are stamped from glyph masks (see `glyph_masks`); large
//! pictures are drawn in bands on every core, each band drawing only the shapes that reach
//! it. That is what makes a large diagram's PNG fast.

use crate::error::{
    RenderError, MAX_PIXELS, MAX_SIDE_PX, MAX_SVG_BYTES, MAX_TEXT_CHARS, MAX_TOTAL_TEXT_CHARS,
};
use crate::font::{BOLD, FAMILY, REGULAR};
use crate::glyph_masks::LabelStamps;
use crate::outline::{outline_texts, Form, PlacedLabel, MARK_ID};
use resvg::tiny_skia::{Pixmap, PixmapMut, Transform};
use resvg::usvg::{self, fontdb, Node};
use std::sync::{Arc, OnceLock};

/// The font database holding exactly the two embedded faces, built once.
fn fonts() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_source(fontdb::Source::Binary(Arc::new(REGULAR)));
        db.load_font_source(fontdb::Source::Binary(Arc::new(BOLD)));
        db.set_sans_serif_family(FAMILY);
        db.set_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        db.set_cursive_family(FAMILY);
        db.set_fantasy_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Parses an SVG with the embedded fonts and no external resources, labels outlined.
pub fn parse(svg: &str) -> Result<usvg::Tree, RenderError> {
    Ok(parse_as(svg, Form::Outline)?.0)
}

/// A tree ready to draw: the crate's labels are marks in it, drawn from `labels`.
struct Scene {
    tree: usvg::Tree,
    labels: Vec<PlacedLabel>,
}

/// Parses an SVG for drawing. The labels become marks when every mark can be drawn where
/// it stands (see [`marks_drawable`]); otherwise they are outlined as for [`parse`].
fn parse_scene(svg: &str) -> Result<Scene, RenderError> {
    let (tree, labels) = parse_as(svg, Form::Mark)?;
    if labels.is_empty() || marks_drawable(&tree, labels.len()) {
        return Ok(Scene { tree, labels });
    }
    let (tree, _) = parse_as(svg, Form::Outline)?;
    Ok(Scene {
        tree,
        labels: Vec::new(),
    })
}

fn parse_as(svg: &str, form: Form) -> Result<(usvg::Tree, Vec<PlacedLabel>), RenderError> {
    if svg.len() > MAX_SVG_BYTES {
        return Err(RenderError::SvgTooLarge { bytes: svg.len() });
    }
    let prep = outline_texts(svg, form);
    if prep.longest_text > MAX_TEXT_CHARS {
        return Err(RenderError::TextTooLong {
            chars: prep.longest_text,
        });
    }
    if prep.total_text > MAX_TOTAL_TEXT_CHARS {
        return Err(RenderError::TextTooLong {
            chars: prep.total_text,
        });
    }
    Ok((parse_with_usvg(&prep.svg)?, prep.labels))
}

/// The label number of a mark.
fn mark(node: &Node) -> Option<usize> {
    match node {
        Node::Path(p) => p.id().strip_prefix(MARK_ID)?.parse().ok(),
        _ => None,
    }
}

/// A group drawn by walking into it: it needs no layer of its own and moves nothing.
fn walked_into(g: &usvg::Group) -> bool {
    !g.should_isolate() && g.transform().is_identity()
}

/// Whether each of the `count` marks sits where [`draw_band`] reaches it exactly once, with a
/// plain color fill and no stroke (which the text would have had too).
fn marks_drawable(tree: &usvg::Tree, count: usize) -> bool {
    fn visit(g: &usvg::Group, seen: &mut [bool], ok: &mut bool, walked: bool) {
        for node in g.children() {
            if let Some(n) = mark(node) {
                let Node::Path(p) = node else { continue };
                let plain = p.stroke().is_none()
                    && p.fill()
                        .is_none_or(|f| matches!(f.paint(), usvg::Paint::Color(_)));
                match seen.get_mut(n) {
                    Some(s) if walked && plain && !*s => *s = true,
                    _ => *ok = false,
                }
            } else if let Node::Group(child) = node {
                visit(child, seen, ok, walked && walked_into(child));
            }
        }
    }
    let mut seen = vec![false; count];
    let mut ok = true;
    visit(tree.root(), &mut seen, &mut ok, true);
    ok && seen.iter().all(|s| *s)
}

/// Parses an SVG exactly as written: every `<text>` goes through usvg's text engine.
fn parse_with_usvg(svg: &str) -> Result<usvg::Tree, RenderError> {
    let mut opt = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    opt.image_href_resolver = usvg::ImageHrefResolver {
        resolve_data: Box::new(|_, _, _| None),
        resolve_string: Box::new(|_, _| None),
    };
    usvg::Tree::from_str(svg, &opt).map_err(|e| RenderError::Parse(e.to_string()))
}

fn check_scale(scale: f32) -> Result<(), RenderError> {
    if !scale.is_finite() || scale <= 0.0 || scale > 16.0 {
        return Err(RenderError::InvalidScale(scale));
    }
    Ok(())
}

/// Renders `svg` to PNG bytes at `scale` (callers use 2.0). The PNG is the SVG's size
/// times `scale`, rounded up to whole pixels.
pub fn rasterize(svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    check_scale(scale)?;
    draw(&parse_scene(svg)?, scale)
}

/// Renders `svg` at `max_scale`, or smaller so that the PNG has at most `max_pixels`
/// pixels (and stays within the hard limits); the SVG is parsed once.
pub fn rasterize_within(
    svg: &str,
    max_scale: f32,
    max_pixels: f32,
) -> Result<Vec<u8>, RenderError> {
    check_scale(max_scale)?;
    if !max_pixels.is_finite() || max_pixels < 1.0 {
        return Err(RenderError::InvalidPixelBudget(max_pixels));
    }
    let scene = parse_scene(svg)?;
    let size = scene.tree.size();
    let scale = fit_scale(size.width(), size.height(), max_scale, max_pixels);
    draw(&scene, scale)
}

/// The largest scale up to `max_scale` whose whole-pixel picture has at most `max_pixels`
/// pixels (and at most [`MAX_PIXELS`]) and no side over [`MAX_SIDE_PX`].
fn fit_scale(w: f32, h: f32, max_scale: f32, max_pixels: f32) -> f32 {
    let (w, h) = (f64::from(w), f64::from(h));
    let budget = f64::from(max_pixels).min(MAX_PIXELS as f64);
    let side = f64::from(MAX_SIDE_PX);
    let mut s = f64::from(max_scale)
        .min(side / w)
        .min(side / h)
        .min((budget / (w * h)).sqrt());
    // Rounding each side up can still overshoot the budget by a row or column: shrink a
    // little until the whole-pixel area fits (a few rounds at most).
    for _ in 0..32 {
        let area = (w * s).ceil() * (h * s).ceil();
        if area <= budget {
            break;
        }
        s *= (budget / area).sqrt() * 0.9999;
    }
    s as f32
}

/// Draws a parsed scene at `scale` and encodes it.
fn draw(scene: &Scene, scale: f32) -> Result<Vec<u8>, RenderError> {
    let size = scene.tree.size();
    let (w, h) = (
        f64::from(size.width()) * f64::from(scale),
        f64::from(size.height()) * f64::from(scale),
    );
    let too_large = || RenderError::ImageTooLarge {
        width: w,
        height: h,
    };
    let (pw, ph) = (w.ceil(), h.ceil());
    if pw > f64::from(MAX_SIDE_PX) || ph > f64::from(MAX_SIDE_PX) || pw * ph > MAX_PIXELS as f64 {
        return Err(too_large());
    }
    let (pw, ph) = (pw as u32, ph as u32);
    if pw == 0 || ph == 0 {
        return Err(too_large());
    }
    // Large pictures are drawn as horizontal bands on every core: the same tree, shifted
    // up by a whole number of pixels per band, so each pixel gets the coverage it would
    // get in one pass. A 40-host topology is 8 million pixels, one core's quarter second.
    let bands = if u64::from(pw) * u64::from(ph) >= BAND_MIN_PIXELS {
        BANDS.min(ph)
    } else {
        1
    };
    let encode = |e: png::EncodingError| RenderError::Encode(e.to_string());
    let plan = Plan::new(scene, scale, pw, ph, bands);
    let mut out = Vec::new();
    let mut writer = png_writer(&mut out, pw, ph).map_err(encode)?;
    let mut stream = writer.stream_writer_with_size(IDAT_BYTES).map_err(encode)?;
    // Bands are drawn on every core and written to the encoder in order as they arrive, so
    // the encoding of the first bands overlaps the drawing of the last.
    let slots: Vec<std::sync::Mutex<Option<Option<Vec<u8>>>>> =
        (0..plan.bands).map(|_| Default::default()).collect();
    let mut failed: Option<RenderError> = None;
    rayon::scope(|s| {
        // Spawned last, popped first here: this thread starts with the first band.
        for b in (0..plan.bands).rev() {
            let (plan, slot) = (&plan, &slots[b as usize]);
            s.spawn(move |_| {
                let mut rows = plan.draw_band(b);
                if let Some(rows) = rows.as_mut() {
                    unpremultiply(rows);
                }
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some(rows);
                }
            });
        }
        for slot in &slots {
            let rows = loop {
                if let Some(rows) = slot.lock().ok().and_then(|mut s| s.take()) {
                    break rows;
                }
                // Draw a band (or any other waiting job) meanwhile, or wait a moment.
                if rayon::yield_now() != Some(rayon::Yield::Executed) {
                    std::thread::sleep(std::time::Duration::from_micros(50));
                }
            };
            use std::io::Write as _;
            let written = match rows {
                Some(rows) => stream.write_all(&rows).map_err(|e| encode(e.into())),
                None => Err(too_large()),
            };
            if let Err(e) = written {
                failed = Some(e);
                break;
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    stream.finish().map_err(encode)?;
    writer.finish().map_err(encode)?;
    Ok(out)
}

/// Bytes per PNG data chunk when streaming.
const IDAT_BYTES: usize = 256 * 1024;

/// How a picture is cut into bands, and what each band draws.
struct Plan<'a> {
    scene: &'a Scene,
    stamps: LabelStamps,
    scale: f32,
    pw: u32,
    ph: u32,
    band_h: u32,
    bands: u32,
}

impl<'a> Plan<'a> {
    fn new(scene: &'a Scene, scale: f32, pw: u32, ph: u32, bands: u32) -> Self {
        let band_h = ph.div_ceil(bands.max(1)).max(1);
        Plan {
            scene,
            stamps: LabelStamps::new(&scene.labels, scale),
            scale,
            pw,
            ph,
            band_h,
            bands: ph.div_ceil(band_h),
        }
    }

    /// Band `b`'s rows, premultiplied RGBA; `None` when its pixmap cannot be made.
    fn draw_band(&self, b: u32) -> Option<Vec<u8>> {
        // Each band is drawn with a margin above and below and then cut: tiny-skia clips a
        // shape crossing the pixmap edge by chopping its curves there, which changes the
        // anti-aliasing of the few rows next to the edge.
        let (pw, ph) = (self.pw, self.ph);
        let y0 = b * self.band_h;
        let rows = self.band_h.min(ph - y0);
        let top = y0.saturating_sub(BAND_MARGIN);
        let bottom = (y0 + rows + BAND_MARGIN).min(ph);
        let mut band = Pixmap::new(pw, bottom - top)?;
        let band_ctx = Band {
            scale: self.scale,
            top,
            transform: Transform::from_row(self.scale, 0.0, 0.0, self.scale, 0.0, -(top as f32)),
            stamps: &self.stamps,
        };
        band_ctx.draw(self.scene.tree.root(), &mut band.as_mut());
        let row = pw as usize * 4;
        let skip = (y0 - top) as usize * row;
        let mut data = band.take();
        data.truncate(skip + rows as usize * row);
        data.drain(..skip);
        Some(data)
    }
}

/// Draws `scene` at `scale` into a `pw` x `ph` premultiplied RGBA buffer, as `bands`
/// horizontal bands drawn in parallel (what [`draw`] streams to the encoder). `None` when a
/// band's pixmap cannot be made.
#[cfg(test)]
fn render_rgba(scene: &Scene, scale: f32, pw: u32, ph: u32, bands: u32) -> Option<Vec<u8>> {
    use rayon::prelude::*;
    if pw == 0 || ph == 0 {
        return None;
    }
    let plan = Plan::new(scene, scale, pw, ph, bands);
    let drawn: Vec<Option<Vec<u8>>> = (0..plan.bands)
        .into_par_iter()
        .map(|b| plan.draw_band(b))
        .collect();
    let mut rgba = Vec::with_capacity(pw as usize * ph as usize * 4);
    for band in drawn {
        rgba.extend_from_slice(&band?);
    }
    Some(rgba)
}

/// One band being drawn: the picture's rows from `top` on.
struct Band<'a> {
    scale: f32,
    top: u32,
    /// The picture's transform, shifted up to the band.
    transform: Transform,
    stamps: &'a LabelStamps,
}

impl Band<'_> {
    /// Draws the children of `group` in order: walks into plain groups, stamps labels at
    /// their marks and hands everything else that reaches the band to resvg.
    fn draw(&self, group: &usvg::Group, pixmap: &mut PixmapMut) {
        for node in group.children() {
            if let Some(n) = mark(node) {
                if let Node::Path(p) = node {
                    if let (true, Some(fill)) = (p.is_visible(), p.fill()) {
                        if let usvg::Paint::Color(c) = fill.paint() {
                            let color = resvg::tiny_skia::Color::from_rgba8(
                                c.red,
                                c.green,
                                c.blue,
                                fill.opacity().to_u8(),
                            );
                            self.stamps.draw(n, color, pixmap, self.top as i32);
                        }
                    }
                }
                continue;
            }
            match node {
                Node::Group(g) if walked_into(g) => self.draw(g, pixmap),
                _ => self.draw_node(node, pixmap),
            }
        }
    }

    /// Draws one node with resvg if its drawn area (strokes, markers and filters included)
    /// reaches the band.
    fn draw_node(&self, node: &Node, pixmap: &mut PixmapMut) {
        let Some(bbox) = node.abs_layer_bounding_box() else {
            if let Node::Path(p) = node {
                self.draw_flat_path(p, pixmap);
            }
            return;
        };
        // Two pixels of slack for anti-aliasing.
        let (s, h) = (self.scale, pixmap.height() as f32);
        let (y0, y1) = (
            bbox.top() * s - self.top as f32,
            bbox.bottom() * s - self.top as f32,
        );
        let (x0, x1) = (bbox.left() * s, bbox.right() * s);
        if y1 < -2.0 || y0 > h + 2.0 || x1 < -2.0 || x0 > pixmap.width() as f32 + 2.0 {
            return;
        }
        // `resvg::render_node` draws a node relative to its own bounding box; undo that
        // exactly, so every node lands on the same pixels as in one pass over the tree.
        resvg::render_node(node, undo_shift(self.transform, bbox.x(), bbox.y()), pixmap);
    }
}

impl Band<'_> {
    /// Strokes a path whose outline has no area (one straight horizontal or vertical
    /// line): usvg gives it no layer box, so `resvg::render_node` would skip it, while a
    /// one-pass render (and every other SVG renderer) draws its stroke. Drawn here the way
    /// resvg strokes a path, for plain color strokes; such a path has nothing to fill.
    fn draw_flat_path(&self, p: &usvg::Path, pixmap: &mut PixmapMut) {
        let Some(stroke) = p.stroke() else { return };
        if !p.is_visible() {
            return;
        }
        let usvg::Paint::Color(c) = stroke.paint() else {
            return;
        };
        let bbox = p.abs_stroke_bounding_box();
        let (s, h) = (self.scale, pixmap.height() as f32);
        let (y0, y1) = (
            bbox.top() * s - self.top as f32,
            bbox.bottom() * s - self.top as f32,
        );
        if y1 < -2.0 || y0 > h + 2.0 {
            return;
        }
        let mut paint = resvg::tiny_skia::Paint::default();
        paint.set_color_rgba8(c.red, c.green, c.blue, stroke.opacity().to_u8());
        paint.anti_alias = p.rendering_mode().use_shape_antialiasing();
        let transform = self.transform.pre_concat(p.abs_transform());
        pixmap.stroke_path(p.data(), &paint, &stroke.to_tiny_skia(), transform, None);
    }
}

/// A transform `t2` for which `t2.pre_translate(-x, -y)` is exactly `target`: the nearest
/// floats around the plain answer are tried, since rounding can be off by one step.
fn undo_shift(target: Transform, x: f32, y: f32) -> Transform {
    let plain = target.pre_translate(x, y);
    let around = |v: f32| [v, step(v, 1), step(v, -1), step(v, 2), step(v, -2)];
    for tx in around(plain.tx) {
        for ty in around(plain.ty) {
            let t = Transform { tx, ty, ..plain };
            if t.pre_translate(-x, -y) == target {
                return t;
            }
        }
    }
    plain
}

/// `v` moved by `n` representable floats (toward +inf for positive `n`).
fn step(v: f32, n: i32) -> f32 {
    if !v.is_finite() {
        return v;
    }
    let mut v = v;
    for _ in 0..n.unsigned_abs() {
        let up = n > 0;
        v = if v == 0.0 {
            if up {
                f32::from_bits(1)
            } else {
                -f32::from_bits(1)
            }
        } else if (v > 0.0) == up {
            f32::from_bits(v.to_bits() + 1)
        } else {
            f32::from_bits(v.to_bits() - 1)
        };
    }
    v
}

/// Rows drawn beyond each band's edges and thrown away (see `render_rgba`).
const BAND_MARGIN: u32 = 32;

/// Pictures of at least this many pixels are drawn in [`BANDS`] bands in parallel.
const BAND_MIN_PIXELS: u64 = 1_000_000;
/// Bands per large picture: a few more than cores, so a busy core does not hold up the rest.
const BANDS: u32 = 6;

/// Straight (not premultiplied) RGBA, as PNG stores it: only the pixels that are not
/// opaque change (most of a diagram is opaque), with tiny-skia's own rounding.
fn unpremultiply(rgba: &mut [u8]) {
    for px in rgba.chunks_exact_mut(4) {
        let a = px[3];
        if a != 255 && a != 0 {
            let c = resvg::tiny_skia::PremultipliedColorU8::from_rgba(px[0], px[1], px[2], a)
                .map(|p| p.demultiply());
            if let Some(c) = c {
                px.copy_from_slice(&[c.red(), c.green(), c.blue(), a]);
            }
        }
    }
}

/// A PNG writer with fast deflate: encoding at the default level took three quarters of
/// the time of a diagram's PNG; the fast level is several times quicker for a slightly
/// larger file. The Paeth filter on every row instead of trying each filter per row
/// (adaptive) takes a third off the encoding time for a file about 2 % larger.
fn png_writer(
    out: &mut Vec<u8>,
    width: u32,
    height: u32,
) -> Result<png::Writer<&mut Vec<u8>>, png::EncodingError> {
    let mut enc = png::Encoder::new(out, width, height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc.set_filter(png::Filter::Paeth);
    enc.write_header()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bands must not show: every shape that crosses a band edge (slanted lines, round
    /// corners, circles, outlined labels, strokes) is drawn exactly as in one pass.
    #[test]
    fn banded_drawing_matches_one_pass() {
        let mut svg = String::from(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300" font-family="DejaVu Sans">"##,
        );
        for i in 0..12 {
            let y = 7.3 + 23.7 * i as f32;
            svg.push_str(&format!(
                r##"<rect x="{x}" y="{y}" width="90.5" height="31.2" rx="6" fill="#e8ecf6" stroke="#4f63d9" stroke-width="1.5"/><circle cx="{cx}" cy="{y}" r="9.7" fill="#2e8b57"/><text x="{x}" y="{ty}" font-size="13" fill="#1f2633">Label {i} of the band test</text><path d="M0 {y} L400 {y2}" stroke="#6f7887" stroke-width="1.2" fill="none"/>"##,
                x = 10.0 + 25.0 * i as f32,
                cx = 300.0 - 11.0 * i as f32,
                ty = y + 17.0,
                y2 = y + 40.0,
            ));
        }
        svg.push_str("</svg>");
        let scene = parse_scene(&svg).expect("parses");
        assert_eq!(
            scene.labels.len(),
            12,
            "the labels are drawn from glyph masks"
        );
        let (pw, ph) = (1000, 750);
        let one = render_rgba(&scene, 2.5, pw, ph, 1).expect("one pass");
        let banded = render_rgba(&scene, 2.5, pw, ph, 7).expect("banded");
        assert_eq!(one.len(), banded.len());
        let ink = one.chunks_exact(4).filter(|p| p[3] > 0).count();
        assert!(ink > 100_000, "the test picture has ink: {ink}");
        let differing = one
            .chunks_exact(4)
            .zip(banded.chunks_exact(4))
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(
            differing, 0,
            "pixels differ between banded and one-pass drawing"
        );
    }

    fn doc(body: &str) -> String {
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60" font-family="DejaVu Sans">{body}</svg>"##
        )
    }

    const LABEL: &str = r##"<text x="10" y="40" font-size="24" fill="#111111">Label</text>"##;

    /// Dark pixels (on a white page) of `svg` drawn at 1x.
    fn ink(svg: &str) -> usize {
        let scene = parse_scene(svg).expect("parses");
        let rgba = render_rgba(&scene, 1.0, 200, 60, 1).expect("draws");
        rgba.chunks_exact(4)
            .filter(|p| p[3] > 128 && (u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) < 300)
            .count()
    }

    #[test]
    fn straight_horizontal_and_vertical_strokes_are_drawn() {
        // A legend's line sample and a globe's equator: one straight stroke whose outline
        // has no area. resvg's one-pass render draws them; bands must too.
        let svg = doc(concat!(
            r##"<path d="M10 20 L190 20" stroke="#111111" stroke-width="2" fill="none"/>"##,
            r##"<path d="M100 5 L100 55" stroke="#111111" stroke-width="2" fill="none"/>"##,
            r##"<path d="M20 45 L180 45" stroke="#111111" stroke-width="1.6" stroke-dasharray="6 4" fill="none"/>"##,
            r##"<g><path d="M10 30 H190" stroke="#111111" stroke-width="2" fill="#ff0000"/></g>"##,
        ));
        let scene = parse_scene(&svg).expect("parses");
        let banded = render_rgba(&scene, 1.0, 200, 60, 1).expect("draws");
        let mut one = Pixmap::new(200, 60).expect("pixmap");
        resvg::render(&scene.tree, Transform::identity(), &mut one.as_mut());
        let at = |rgba: &[u8], x: usize, y: usize| rgba[(y * 200 + x) * 4 + 3];
        for (x, y, what) in [
            (50, 20, "horizontal"),
            (100, 10, "vertical"),
            (150, 30, "in a group"),
        ] {
            assert!(at(&banded, x, y) > 200, "the {what} line is drawn");
        }
        assert!(
            (20..180).any(|x| at(&banded, x, 45) > 200),
            "the dashed line is drawn"
        );
        let differing = one
            .data()
            .chunks_exact(4)
            .zip(banded.chunks_exact(4))
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(differing, 0, "bands draw what one resvg pass draws");
    }

    #[test]
    fn stamped_labels_keep_their_place_in_the_drawing_order() {
        let cover = r##"<rect x="0" y="0" width="200" height="60" fill="#ffffff"/>"##;
        let above = ink(&doc(&format!("{cover}{LABEL}")));
        let below = ink(&doc(&format!("{LABEL}{cover}")));
        assert!(above > 100, "a label after the cover shows: {above}");
        assert_eq!(below, 0, "a label before the cover is hidden by it");
    }

    #[test]
    fn labels_that_masks_cannot_draw_exactly_are_outlined_instead() {
        for (wrap, why) in [
            (r#"<g opacity="0.9">"#, "a group with its own layer"),
            (r#"<g transform="translate(5 0)">"#, "a moved group"),
            (r##"<g stroke="#000000">"##, "an inherited stroke"),
        ] {
            let svg = doc(&format!("{wrap}{LABEL}</g>"));
            let scene = parse_scene(&svg).expect("parses");
            assert!(scene.labels.is_empty(), "{why}: outlined");
            assert!(ink(&svg) > 100, "{why}: the label is still drawn");
        }
        let plain = doc(&format!("<g>{LABEL}</g>"));
        assert_eq!(parse_scene(&plain).expect("parses").labels.len(), 1);
    }

    #[test]
    fn a_document_using_the_mark_ids_is_outlined() {
        let svg = doc(&format!(
            r##"<rect id="{MARK_ID}0" x="0" y="0" width="5" height="5" fill="#000"/>{LABEL}"##
        ));
        let scene = parse_scene(&svg).expect("parses");
        assert!(scene.labels.is_empty());
        assert!(ink(&svg) > 100);
    }

    #[test]
    fn labels_across_the_picture_edges_are_clipped_not_lost() {
        // Half outside on each side, and one far outside: drawn in part, no panic.
        let body = concat!(
            r##"<text x="-30" y="30" font-size="24" fill="#111111">Left edge</text>"##,
            r##"<text x="150" y="30" font-size="24" fill="#111111">Right edge</text>"##,
            r##"<text x="60" y="8" font-size="24" fill="#111111">Top</text>"##,
            r##"<text x="60" y="70" font-size="24" fill="#111111">Bottom</text>"##,
            r##"<text x="-90000" y="-90000" font-size="24" fill="#111111">Far away</text>"##,
        );
        let svg = doc(body);
        assert_eq!(parse_scene(&svg).expect("parses").labels.len(), 5);
        assert!(ink(&svg) > 100, "the parts inside are drawn");
        let png = rasterize(&svg, 2.0).expect("rasterizes");
        assert!(png.starts_with(b"\x89PNG"));
    }

    #[test]
    fn big_glyphs_crossing_bands_match_one_pass() {
        // A big glyph gets a mask of its own; bands crossing it draw it exactly as one pass.
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" font-family="DejaVu Sans"><text x="20" y="300" font-size="300" fill="#111111">W</text></svg>"##;
        let scene = parse_scene(svg).expect("parses");
        assert_eq!(scene.labels.len(), 1);
        let one = render_rgba(&scene, 3.0, 1200, 1200, 1).expect("one pass");
        let banded = render_rgba(&scene, 3.0, 1200, 1200, 5).expect("banded");
        let dark = one.chunks_exact(4).filter(|p| p[3] > 200).count();
        assert!(dark > 200_000, "a big W is mostly ink: {dark}");
        let differing = one.iter().zip(&banded).filter(|(a, b)| a != b).count();
        assert_eq!(
            differing, 0,
            "bytes differ between banded and one-pass drawing"
        );
    }
}
