//! The embedded DejaVu Sans fonts and their real metrics. Every label is measured here, with
//! the same font files the PNG renderer uses, so layout decisions (wrap, grow, ellipsis)
//! hold in the picture on every machine.

use std::sync::OnceLock;

/// DejaVu Sans, regular.
pub(crate) static REGULAR: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/fonts/DejaVuSans.ttf"
));
/// DejaVu Sans, bold.
pub(crate) static BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/fonts/DejaVuSans-Bold.ttf"
));

/// The family of the embedded fonts (the PNG renderer's only font).
pub const FAMILY: &str = "DejaVu Sans";

/// The `font-family` written into every SVG: the embedded font first (a site serves it
/// with `@font-face`, so a browser measures labels as this crate does), then Verdana, the
/// closest common font in width, then the reader's sans-serif; never the browser's serif.
pub const FONT_STACK: &str = "'DejaVu Sans', Verdana, sans-serif";

/// Advance widths in font units, looked up once per face.
struct Metrics {
    units_per_em: f32,
    ascender: f32,
    descender: f32,
    /// Advances of U+0000..U+024F (Latin), the common case, precomputed.
    table: Vec<u16>,
    face: Option<ttf_parser::Face<'static>>,
    fallback: u16,
}

impl Metrics {
    fn load(data: &'static [u8]) -> Metrics {
        let face = ttf_parser::Face::parse(data, 0).ok();
        let Some(f) = face.as_ref() else {
            // Cannot happen with the embedded files; keep a usable approximation anyway.
            return Metrics {
                units_per_em: 1000.0,
                ascender: 930.0,
                descender: 240.0,
                table: vec![620; 0x250],
                face: None,
                fallback: 620,
            };
        };
        let adv = |c: char| f.glyph_index(c).and_then(|g| f.glyph_hor_advance(g));
        let fallback = adv('?').unwrap_or(f.units_per_em() / 2);
        let table = (0u32..0x250)
            .map(|u| char::from_u32(u).and_then(adv).unwrap_or(fallback))
            .collect();
        Metrics {
            units_per_em: f32::from(f.units_per_em()),
            ascender: f32::from(f.ascender()),
            descender: -f32::from(f.descender()),
            table,
            fallback,
            face,
        }
    }

    fn advance(&self, c: char) -> u16 {
        if c.is_control() {
            return 0;
        }
        let u = c as usize;
        if u < self.table.len() {
            return self.table[u];
        }
        self.face
            .as_ref()
            .and_then(|f| f.glyph_index(c).and_then(|g| f.glyph_hor_advance(g)))
            .unwrap_or(self.fallback)
    }
}

fn metrics(bold: bool) -> &'static Metrics {
    static R: OnceLock<Metrics> = OnceLock::new();
    static B: OnceLock<Metrics> = OnceLock::new();
    if bold {
        B.get_or_init(|| Metrics::load(BOLD))
    } else {
        R.get_or_init(|| Metrics::load(REGULAR))
    }
}

/// Advance of `c` in font units, exactly as [`text_width`] counts it (0 for control
/// characters, the `?` advance for a character the face lacks).
pub(crate) fn advance_units(c: char, bold: bool) -> u16 {
    metrics(bold).advance(c)
}

/// Font units per em of the regular or bold face.
pub(crate) fn units_per_em(bold: bool) -> f32 {
    metrics(bold).units_per_em
}

/// The parsed regular or bold face (`None` only if the embedded file failed to parse).
pub(crate) fn face(bold: bool) -> Option<&'static ttf_parser::Face<'static>> {
    metrics(bold).face.as_ref()
}

/// Width in px of `text` set in DejaVu Sans at `size` px (bold or regular), from the
/// font's glyph advances. Kerning is ignored, which errs on the wide side.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let m = metrics(bold);
    let units: u64 = text.chars().map(|c| u64::from(m.advance(c))).sum();
    units as f32 * size / m.units_per_em
}

/// Distance from the baseline to the top and to the bottom of the font's line box at `size`.
pub fn line_extent(size: f32, bold: bool) -> (f32, f32) {
    let m = metrics(bold);
    (
        m.ascender * size / m.units_per_em,
        m.descender * size / m.units_per_em,
    )
}

/// Greedy word wrap to `max` px. A word wider than `max` is split between characters so
/// that nothing overflows. Whitespace runs collapse; an empty text gives no line.
pub fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if text_width(&candidate, size, bold) <= max {
            cur = candidate;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        if text_width(word, size, bold) <= max {
            cur = word.to_string();
        } else {
            for piece in split_chars(word, size, bold, max) {
                if !cur.is_empty() {
                    lines.push(std::mem::take(&mut cur));
                }
                cur = piece;
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Splits one long word into pieces no wider than `max` (at least one char each).
fn split_chars(word: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in word.chars() {
        cur.push(c);
        if text_width(&cur, size, bold) > max && cur.chars().count() > 1 {
            cur.pop();
            out.push(std::mem::take(&mut cur));
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Word wrap limited to `max_lines`; when text is left over, the last line ends with an
/// ellipsis at a word boundary (a single over-long word is cut, with the ellipsis).
pub fn wrap_clamped(text: &str, size: f32, bold: bool, max: f32, max_lines: usize) -> Vec<String> {
    if max_lines == 0 {
        return Vec::new();
    }
    // Words wider than a line are shortened with an ellipsis instead of split.
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| ellipsize(w, size, bold, max))
        .collect();
    let full = wrap(&words.join(" "), size, bold, max);
    if full.len() <= max_lines {
        return full;
    }
    for k in (1..words.len()).rev() {
        let joined = format!("{}\u{2026}", words[..k].join(" "));
        let lines = wrap(&joined, size, bold, max);
        if lines.len() <= max_lines {
            return lines;
        }
    }
    let first = words
        .first()
        .map_or(String::new(), |w| format!("{w}\u{2026}"));
    vec![ellipsize(&first, size, bold, max)]
}

/// `text` shortened with a trailing ellipsis so it fits in `max` px.
pub fn ellipsize(text: &str, size: f32, bold: bool, max: f32) -> String {
    if text_width(text, size, bold) <= max {
        return text.to_string();
    }
    let mut cur: String = text.to_string();
    while !cur.is_empty() {
        cur.pop();
        let cand = format!("{}\u{2026}", cur.trim_end());
        if text_width(&cand, size, bold) <= max {
            return cand;
        }
    }
    "\u{2026}".to_string()
}
