//! SVG to PNG through resvg, with only the embedded DejaVu fonts (never system fonts) so a
//! PNG looks the same on every machine, no access to files or images the SVG points at,
//! and named size limits so a hostile SVG gives an error instead of exhausting memory.
//! The crate's own labels reach usvg already outlined (see `outline`), which is most of
//! what makes a large diagram's PNG fast.

use crate::error::{
    RenderError, MAX_PIXELS, MAX_SIDE_PX, MAX_SVG_BYTES, MAX_TEXT_CHARS, MAX_TOTAL_TEXT_CHARS,
};
use crate::font::{BOLD, FAMILY, REGULAR};
use crate::outline::outline_texts;
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};
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
    if svg.len() > MAX_SVG_BYTES {
        return Err(RenderError::SvgTooLarge { bytes: svg.len() });
    }
    let prep = outline_texts(svg);
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
    parse_with_usvg(&prep.svg)
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
    draw(&parse(svg)?, scale)
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
    let tree = parse(svg)?;
    let size = tree.size();
    let scale = fit_scale(size.width(), size.height(), max_scale, max_pixels);
    draw(&tree, scale)
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

/// Draws a parsed tree at `scale` and encodes it.
fn draw(tree: &usvg::Tree, scale: f32) -> Result<Vec<u8>, RenderError> {
    let size = tree.size();
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
    // Large pictures are drawn as horizontal bands on every core: the same tree, shifted
    // up by a whole number of pixels per band, so each pixel gets the coverage it would
    // get in one pass. A 40-host topology is 8 million pixels, one core's quarter second.
    let bands = if u64::from(pw) * u64::from(ph) >= BAND_MIN_PIXELS {
        BANDS.min(ph)
    } else {
        1
    };
    let rgba = render_rgba(tree, scale, pw, ph, bands).ok_or_else(too_large)?;
    encode_fast(pw, ph, rgba).map_err(|e| RenderError::Encode(e.to_string()))
}

/// Draws `tree` at `scale` into a `pw` x `ph` premultiplied RGBA buffer, as `bands`
/// horizontal bands drawn in parallel. `None` when a band's pixmap cannot be made.
fn render_rgba(tree: &usvg::Tree, scale: f32, pw: u32, ph: u32, bands: u32) -> Option<Vec<u8>> {
    use rayon::prelude::*;
    if pw == 0 || ph == 0 {
        return None;
    }
    let band_h = ph.div_ceil(bands.max(1));
    let drawn: Vec<Option<Vec<u8>>> = (0..ph.div_ceil(band_h))
        .into_par_iter()
        .map(|b| {
            // Each band is drawn with a margin above and below and then cut: tiny-skia
            // clips a shape crossing the pixmap edge by chopping its curves there, which
            // changes the anti-aliasing of the few rows next to the edge.
            let y0 = b * band_h;
            let rows = band_h.min(ph - y0);
            let top = y0.saturating_sub(BAND_MARGIN);
            let bottom = (y0 + rows + BAND_MARGIN).min(ph);
            let mut band = Pixmap::new(pw, bottom - top)?;
            resvg::render(
                tree,
                Transform::from_row(scale, 0.0, 0.0, scale, 0.0, -(top as f32)),
                &mut band.as_mut(),
            );
            let row = pw as usize * 4;
            let skip = (y0 - top) as usize * row;
            Some(band.data()[skip..skip + rows as usize * row].to_vec())
        })
        .collect();
    let mut rgba = Vec::with_capacity(pw as usize * ph as usize * 4);
    for band in drawn {
        rgba.extend_from_slice(&band?);
    }
    Some(rgba)
}

/// Rows drawn beyond each band's edges and thrown away (see `render_rgba`).
const BAND_MARGIN: u32 = 32;

/// Pictures of at least this many pixels are drawn in [`BANDS`] bands in parallel.
const BAND_MIN_PIXELS: u64 = 1_000_000;
/// Bands per large picture: a few more than cores, so a busy core does not hold up the rest.
const BANDS: u32 = 6;

/// PNG with fast deflate: encoding at the default level took three quarters of the time
/// of a diagram's PNG; the fast level is several times quicker for a slightly larger file.
/// The Paeth filter on every row instead of trying each filter per row (adaptive) takes a
/// third off the encoding time for a file about 2 % larger. Pixels are un-premultiplied in place, and only those that are not opaque (most of a
/// diagram is), with tiny-skia's own rounding.
fn encode_fast(width: u32, height: u32, mut rgba: Vec<u8>) -> Result<Vec<u8>, png::EncodingError> {
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
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        enc.set_filter(png::Filter::Paeth);
        let mut writer = enc.write_header()?;
        writer.write_image_data(&rgba)?;
    }
    Ok(out)
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
        let tree = parse(&svg).expect("parses");
        let (pw, ph) = (1000, 750);
        let one = render_rgba(&tree, 2.5, pw, ph, 1).expect("one pass");
        let banded = render_rgba(&tree, 2.5, pw, ph, 7).expect("banded");
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
}
