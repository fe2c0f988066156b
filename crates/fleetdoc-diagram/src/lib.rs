//! fleetdoc-diagram draws a fleet's architecture: hosts as containers, services inside them,
//! the ingress in front, public hostnames and cross-host links routed orthogonally around
//! boxes, colored (and shaped) by live status; plus a folder-layers diagram, a poster
//! that sums up an explainer page, and a summary picture of a topology too wide to read. It is a pure library: values in, SVG text and PNG bytes
//! out; it knows nothing of YAML or files.
//!
//! Stages: [`model`] (input) -> `boxes` (text measured and wrapped with the embedded font)
//! -> `place` (hosts on a grid) -> `route` (orthogonal edges) -> `labels` -> `draw` (SVG)
//! -> `outline` (labels as glyph paths) -> [`rasterize`] (PNG through resvg). A summary
//! (`summary`) reuses `place`'s order, `route`, `nudge`, `labels` and the legend.

mod arrangement;
mod boxes;
mod bundle;
mod card;
mod draw;
mod error;
mod flow;
mod font;
mod geom;
mod glyph_masks;
mod glyphs;
mod hops;
mod labels;
mod layers;
mod legend;
pub mod model;
mod nudge;
mod outline;
mod place;
mod poster;
mod raster;
mod route;
mod stats;
mod style;
mod summary;
mod svg;
mod swaps;
mod topology;
mod web_font;

pub use error::{
    RenderError, MAX_PIXELS, MAX_SIDE_PX, MAX_SVG_BYTES, MAX_TEXT_CHARS, MAX_TOTAL_TEXT_CHARS,
};
pub use font::{ellipsize, line_extent, text_width, wrap, wrap_clamped, FAMILY, FONT_STACK};
pub use geom::{Pt, Rect};
pub use model::*;
pub use stats::{count_crossings, LayoutStats};
pub use summary::{summarizes, SUMMARIZE_OVER_PX, WIDTH as SUMMARY_WIDTH};
pub use topology::COLLAPSE_AT;
pub use web_font::{WebFont, WEB_FONTS};

/// Draws a topology, host, flow or summary diagram as SVG.
pub fn render(d: &Diagram) -> Svg {
    render_with_stats(d).0
}

/// Like [`render`], and also returns figures about the layout (size, crossings, bends).
pub fn render_with_stats(d: &Diagram) -> (Svg, LayoutStats) {
    match d.kind {
        DiagramKind::Flow => flow::render(d),
        DiagramKind::Topology | DiagramKind::Host => topology::render(d),
        DiagramKind::Summary => summary::render(d),
    }
}

/// Draws a host's folder layers, stacked.
pub fn render_layers(l: &LayersDiagram) -> Svg {
    layers::render(l)
}

/// Draws a poster (at least 1200x630) summing up an explainer page.
pub fn render_poster(p: &Poster) -> Svg {
    poster::render(p)
}

/// Draws an explainer's social card, exactly 1200x630: title, status line, its diagram.
pub fn render_card(p: &Poster) -> Svg {
    card::render(p)
}

/// Parses an SVG the way [`rasterize`] does (embedded fonts, no external files) and returns
/// its size, without drawing it: a cheap check that an SVG is well formed.
pub fn validate(svg: &str) -> Result<(f32, f32), RenderError> {
    let tree = raster::parse(svg)?;
    Ok((tree.size().width(), tree.size().height()))
}

/// Renders an SVG to PNG bytes at `scale` with the embedded fonts.
pub fn rasterize(svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    raster::rasterize(svg, scale)
}

/// Renders an SVG to PNG bytes at `max_scale`, or at a smaller scale so the PNG has at most
/// `max_pixels` pixels; parses the SVG once (no separate [`validate`] needed).
pub fn rasterize_within(
    svg: &str,
    max_scale: f32,
    max_pixels: f32,
) -> Result<Vec<u8>, RenderError> {
    raster::rasterize_within(svg, max_scale, max_pixels)
}
