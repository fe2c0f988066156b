//! Glyph outlines of the embedded DejaVu faces as SVG path data, made once per character and
//! face and shared by every label after that. Each outline is kept in font units (y up) as
//! one absolute start point plus relative commands, so placing a glyph at any pen position
//! only rewrites its first `M`. Only characters that need no shaping are outlined here
//! (Latin, Greek, Cyrillic, punctuation and symbols drawn one glyph per character); anything
//! else is left to the full text engine.

use crate::font;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, OnceLock, RwLock};

/// One glyph ready to place: its advance as the layout measures it and its outline.
#[derive(Debug)]
pub(crate) struct Glyph {
    /// Horizontal advance in font units, the same number `text_width` adds up.
    pub advance: u16,
    /// First point of the outline (font units); `None` for a blank glyph such as a space.
    pub start: Option<(f32, f32)>,
    /// The rest of the outline as relative path commands, starting at `start`.
    pub rest: String,
    /// The same outline for drawing straight onto pixels (font units, y up); `None` for a
    /// blank glyph.
    pub path: Option<resvg::tiny_skia::Path>,
}

type Table = RwLock<HashMap<char, Option<Arc<Glyph>>>>;

fn table(bold: bool) -> &'static Table {
    static R: OnceLock<Table> = OnceLock::new();
    static B: OnceLock<Table> = OnceLock::new();
    let cell = if bold { &B } else { &R };
    cell.get_or_init(|| RwLock::new(HashMap::new()))
}

/// Whether `c` is drawn by the full text engine as exactly one glyph at the face's advance
/// with no shaping: no combining marks, joiners, bidi controls, invisible or space-like
/// characters other than U+0020, no scripts that reorder or join.
fn needs_no_shaping(c: char) -> bool {
    let u = c as u32;
    if c.is_control() || (c.is_whitespace() && c != ' ') {
        return false;
    }
    matches!(u,
        0x20..=0xAC | 0xAE..=0x24F    // Latin, without the soft hyphen
        | 0x370..=0x3FF               // Greek (its combining marks live in U+0300..)
        | 0x400..=0x482 | 0x48A..=0x4FF // Cyrillic without combining marks
        | 0x2010..=0x2027 | 0x2030..=0x205E // dashes, quotes, bullets, ellipsis
        | 0x20A0..=0x20CF             // currency
        | 0x2100..=0x214F             // letterlike symbols
        | 0x2190..=0x22FF             // arrows, mathematical operators
        | 0x2500..=0x27BF // box drawing, shapes, symbols, dingbats
    )
}

/// The glyph of `c` in the regular or bold face, or `None` when `c` needs shaping or the
/// face has no glyph for it (the caller then leaves the whole text to the text engine).
pub(crate) fn glyph(c: char, bold: bool) -> Option<Arc<Glyph>> {
    if !needs_no_shaping(c) {
        return None;
    }
    let table = table(bold);
    if let Some(hit) = table.read().ok().and_then(|t| t.get(&c).cloned()) {
        return hit;
    }
    let made = build(c, bold).map(Arc::new);
    if let Ok(mut t) = table.write() {
        t.insert(c, made.clone());
    }
    made
}

fn build(c: char, bold: bool) -> Option<Glyph> {
    let face = font::face(bold)?;
    let id = face.glyph_index(c)?;
    let mut b = Both::default();
    if face.outline_glyph(id, &mut b).is_none() {
        // A blank glyph (space) has no outline; a malformed one is drawn blank too.
        b = Both::default();
    }
    Some(Glyph {
        advance: font::advance_units(c, bold),
        start: b.text.start,
        rest: b.text.rest,
        path: b.pixels.finish(),
    })
}

/// Collects one outline twice: as compact SVG path text and as a tiny-skia path.
#[derive(Default)]
struct Both {
    text: PathBuilder,
    pixels: resvg::tiny_skia::PathBuilder,
}

impl ttf_parser::OutlineBuilder for Both {
    fn move_to(&mut self, x: f32, y: f32) {
        self.text.move_to(x, y);
        self.pixels.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.text.line_to(x, y);
        self.pixels.line_to(x, y);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.text.quad_to(x1, y1, x, y);
        self.pixels.quad_to(x1, y1, x, y);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.text.curve_to(x1, y1, x2, y2, x, y);
        self.pixels.cubic_to(x1, y1, x2, y2, x, y);
    }

    fn close(&mut self) {
        self.text.close();
        self.pixels.close();
    }
}

/// Collects an outline as an absolute start plus relative commands, written compactly: the
/// path text is parsed again for every label, and number parsing is most of that cost. So
/// `h`/`v` for straight stems, `t` for the smooth quadratic joins TrueType outlines are made
/// of (the control point is exactly the reflection of the previous one), a command letter
/// only when it changes, and no separator before a minus sign.
#[derive(Default)]
struct PathBuilder {
    start: Option<(f32, f32)>,
    rest: String,
    cur: (f32, f32),
    sub: (f32, f32),
    /// The command that repeats implicitly if the next one is written without a letter.
    implicit: Option<char>,
    /// Control point of the previous segment when it was a quadratic one.
    ctrl: Option<(f32, f32)>,
}

impl PathBuilder {
    /// Writes a relative command to the absolute points `pts`, then moves the pen.
    fn cmd(&mut self, letter: char, pts: &[(f32, f32)]) {
        let (cx, cy) = self.cur;
        let mut sep = true;
        if self.implicit != Some(letter) {
            self.rest.push(letter);
            sep = false;
        }
        let values: &[f32] = match (letter, pts) {
            ('h', [(x, _)]) => &[x - cx],
            ('v', [(_, y)]) => &[y - cy],
            _ => &pts
                .iter()
                .flat_map(|&(x, y)| [x - cx, y - cy])
                .collect::<Vec<_>>(),
        };
        for &v in values {
            if sep && v >= 0.0 {
                self.rest.push(' ');
            }
            sep = true;
            let _ = write!(self.rest, "{}", v + 0.0);
        }
        self.implicit = Some(if letter == 'm' { 'l' } else { letter });
        if let Some(&p) = pts.last() {
            self.cur = p;
        }
        self.ctrl = None;
    }
}

impl ttf_parser::OutlineBuilder for PathBuilder {
    fn move_to(&mut self, x: f32, y: f32) {
        if self.start.is_none() {
            self.start = Some((x, y));
            self.cur = (x, y);
        } else {
            self.cmd('m', &[(x, y)]);
        }
        self.sub = (x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let letter = if y == self.cur.1 {
            'h'
        } else if x == self.cur.0 {
            'v'
        } else {
            'l'
        };
        self.cmd(letter, &[(x, y)]);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let smooth = self
            .ctrl
            .is_some_and(|(px, py)| 2.0 * self.cur.0 - px == x1 && 2.0 * self.cur.1 - py == y1);
        if smooth {
            self.cmd('t', &[(x, y)]);
        } else {
            self.cmd('q', &[(x1, y1), (x, y)]);
        }
        self.ctrl = Some((x1, y1));
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.cmd('c', &[(x1, y1), (x2, y2), (x, y)]);
    }

    fn close(&mut self) {
        self.rest.push('z');
        self.implicit = None;
        self.cur = self.sub;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_letters_have_outlines_and_layout_advances() {
        for bold in [false, true] {
            let g = glyph('A', bold).expect("A is outlined");
            assert!(g.start.is_some() && g.rest.contains('z') && g.path.is_some());
            assert_eq!(g.advance, font::advance_units('A', bold));
            let space = glyph(' ', bold).expect("space is placed");
            assert!(space.start.is_none() && space.path.is_none() && space.advance > 0);
        }
    }

    #[test]
    fn characters_that_need_shaping_are_refused() {
        for c in [
            '\u{301}',
            '\u{5D0}',
            '\u{627}',
            '\u{4E2D}',
            '\u{1F600}',
            '\u{AD}',
            '\u{A0}',
            '\t',
        ] {
            assert!(glyph(c, false).is_none(), "{c:?}");
        }
    }
}
