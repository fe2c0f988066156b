//! SVG to PNG through resvg, with only the embedded DejaVu fonts (never system fonts) so a
//! PNG looks the same on every machine, no access to files or images the SVG points at,
//! and named size limits so a hostile SVG gives an error instead of exhausting memory.

use crate::error::{RenderError, MAX_PIXELS, MAX_SIDE_PX, MAX_SVG_BYTES};
use crate::font::{BOLD, FAMILY, REGULAR};
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

/// Parses an SVG with the embedded fonts and no external resources.
pub fn parse(svg: &str) -> Result<usvg::Tree, RenderError> {
    if svg.len() > MAX_SVG_BYTES {
        return Err(RenderError::SvgTooLarge { bytes: svg.len() });
    }
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

/// Renders `svg` to PNG bytes at `scale` (callers use 2.0). The PNG is the SVG's size
/// times `scale`, rounded up to whole pixels.
pub fn rasterize(svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    if !scale.is_finite() || scale <= 0.0 || scale > 16.0 {
        return Err(RenderError::InvalidScale(scale));
    }
    let tree = parse(svg)?;
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
    let mut pixmap = Pixmap::new(pw as u32, ph as u32).ok_or_else(too_large)?;
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode_fast(&pixmap).map_err(|e| RenderError::Encode(e.to_string()))
}

/// PNG with fast deflate: encoding at the default level took three quarters of the time
/// of a diagram's PNG; the fast level is several times quicker for a slightly larger file.
fn encode_fast(pixmap: &Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let mut rgba = Vec::with_capacity(pixmap.data().len());
    for p in pixmap.pixels() {
        let c = p.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header()?;
        writer.write_image_data(&rgba)?;
    }
    Ok(out)
}
