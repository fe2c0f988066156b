//! The embedded fonts as a site serves them, for `@font-face`: a browser then draws and
//! measures every label with the same font files this crate measured it with, on any
//! system. Both faces are served whole (759 KB regular, 709 KB bold, as TrueType): a
//! browser fetches one only for a page that draws text in it, and keeps it in its cache.
//! A subset would drop glyphs a label may need, and the subsetters at hand refuse
//! DejaVu's OS/2 table (version 1).

use crate::font::{BOLD, REGULAR};

/// One served font file.
pub struct WebFont {
    /// File name, e.g. `DejaVuSans.ttf`.
    pub file: &'static str,
    pub bold: bool,
    pub bytes: &'static [u8],
}

/// The regular and bold faces: the two every drawing uses.
pub const WEB_FONTS: [WebFont; 2] = [
    WebFont {
        file: "DejaVuSans.ttf",
        bold: false,
        bytes: REGULAR,
    },
    WebFont {
        file: "DejaVuSans-Bold.ttf",
        bold: true,
        bytes: BOLD,
    },
];
