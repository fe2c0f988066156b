//! Errors of the raster step. Layout and SVG never fail: any input gives a drawing.
//! Rasterizing can, because the SVG handed to it may come from elsewhere and be hostile.

use std::fmt;

/// Largest side of a rendered PNG, in pixels.
pub const MAX_SIDE_PX: u32 = 16_384;
/// Largest PNG area, in pixels (about 256 MB of RGBA).
pub const MAX_PIXELS: u64 = 64 * 1024 * 1024;
/// Largest SVG text accepted, in bytes.
pub const MAX_SVG_BYTES: usize = 32 * 1024 * 1024;
/// Most characters in one `<text>` left to usvg's text engine (anything but the crate's own
/// plain labels): its layout time grows with the square of a text's length (100,000
/// characters took 13-30 s).
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Most characters in all `<text>` elements left to usvg's text engine together.
pub const MAX_TOTAL_TEXT_CHARS: usize = 100_000;

/// Why a PNG could not be made.
#[derive(Debug, Clone, PartialEq)]
pub enum RenderError {
    /// The scale is not a finite number in (0, 16].
    InvalidScale(f32),
    /// The pixel budget of `rasterize_within` is not a finite number of at least 1.
    InvalidPixelBudget(f32),
    /// The SVG text is longer than [`MAX_SVG_BYTES`].
    SvgTooLarge { bytes: usize },
    /// Too much text for usvg's text engine: over [`MAX_TEXT_CHARS`] characters in one
    /// `<text>` or over [`MAX_TOTAL_TEXT_CHARS`] in all of them.
    TextTooLong { chars: usize },
    /// The SVG could not be parsed.
    Parse(String),
    /// The picture at this scale exceeds [`MAX_SIDE_PX`] or [`MAX_PIXELS`].
    ImageTooLarge { width: f64, height: f64 },
    /// PNG encoding failed.
    Encode(String),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::InvalidScale(s) => write!(f, "invalid raster scale {s}: expected a number in (0, 16]"),
            RenderError::InvalidPixelBudget(p) => {
                write!(f, "invalid pixel budget {p}: expected a finite number of at least 1")
            }
            RenderError::SvgTooLarge { bytes } => {
                write!(f, "SVG of {bytes} bytes exceeds the limit of {MAX_SVG_BYTES} bytes")
            }
            RenderError::TextTooLong { chars } => write!(
                f,
                "SVG text of {chars} characters exceeds the limit of {MAX_TEXT_CHARS} in one <text> and {MAX_TOTAL_TEXT_CHARS} in all"
            ),
            RenderError::Parse(m) => write!(f, "SVG does not parse: {m}"),
            RenderError::ImageTooLarge { width, height } => write!(
                f,
                "image of {width:.0}x{height:.0} px exceeds the limit of {MAX_SIDE_PX} px a side and {MAX_PIXELS} pixels"
            ),
            RenderError::Encode(m) => write!(f, "PNG encoding failed: {m}"),
        }
    }
}

impl std::error::Error for RenderError {}
