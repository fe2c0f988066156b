//! A tiny SVG writer: escaping, fixed number formatting and element helpers. Output is
//! built in one String in a fixed order, so the same input gives byte-identical SVG.

use crate::font::{self, FONT_STACK};
use crate::geom::Rect;
use std::fmt::Write;

/// XML-escapes text and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // Characters XML 1.0 forbids are dropped rather than emitted.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => {}
            c => o.push(c),
        }
    }
    o
}

/// A number with one decimal, never `-0.0`, never NaN.
pub fn n(v: f32) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.1}");
    if s == "-0.0" {
        "0.0".to_string()
    } else {
        s
    }
}

/// How a line of text is anchored at its x.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// One positioned line of text; `y` is the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub text: String,
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    pub fill: &'static str,
    pub anchor: Anchor,
}

impl TextLine {
    /// The line's box by the font's metrics (advance width, ascender, descender).
    pub fn bounds(&self) -> Rect {
        let w = font::text_width(&self.text, self.size, self.bold);
        let (asc, desc) = font::line_extent(self.size, self.bold);
        let x = match self.anchor {
            Anchor::Start => self.x,
            Anchor::Middle => self.x - w / 2.0,
            Anchor::End => self.x - w,
        };
        Rect::new(x, self.y - asc, w, asc + desc)
    }
}

/// Accumulates an SVG document.
pub struct Writer {
    pub out: String,
    /// Smallest font size written so far, in px at 100 % (infinite before any text).
    min_text: f32,
}

impl Writer {
    /// Opens the document with its size, accessibility title and description.
    pub fn new(width: f32, height: f32, class: &str, title: &str, desc: &str) -> Writer {
        let mut out = String::with_capacity(16 * 1024);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" font-family=\"{FONT_STACK}\" role=\"img\">\n<title>{}</title>\n<desc>{}</desc>\n",
            esc(class),
            n(width),
            n(height),
            n(width),
            n(height),
            esc(title),
            esc(desc)
        );
        Writer {
            out,
            min_text: f32::INFINITY,
        }
    }

    /// Counts text of `size` px at 100 % that was written some other way (a nested
    /// drawing, scaled): [`Writer::min_text`] takes it into account.
    pub fn saw_text(&mut self, size: f32) {
        if size.is_finite() && size > 0.0 {
            self.min_text = self.min_text.min(size);
        }
    }

    /// The smallest font size of any text in the document so far, in px at 100 %; `None`
    /// when it has no text.
    pub fn min_text(&self) -> Option<f32> {
        self.min_text.is_finite().then_some(self.min_text)
    }

    /// Appends raw markup (already escaped by the caller).
    pub fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// A rounded rectangle.
    pub fn rect(
        &mut self,
        r: Rect,
        rx: f32,
        fill: &str,
        stroke: &str,
        stroke_width: f32,
        extra: &str,
    ) {
        // Paint classes join the element's own class, if `extra` gives it one.
        let paint = crate::style::paint_classes(fill, stroke);
        let extra = match extra.strip_prefix(" class=\"") {
            _ if paint.is_empty() => extra.to_string(),
            Some(rest) => format!(" class=\"{paint} {rest}"),
            None => format!(" class=\"{paint}\"{extra}"),
        };
        let _ = writeln!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"{extra}/>",
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            n(rx),
            n(stroke_width)
        );
    }

    /// One line of text.
    pub fn text(&mut self, t: &TextLine) {
        let anchor = match t.anchor {
            Anchor::Start => "",
            Anchor::Middle => " text-anchor=\"middle\"",
            Anchor::End => " text-anchor=\"end\"",
        };
        let weight = if t.bold { " font-weight=\"bold\"" } else { "" };
        self.saw_text(t.size);
        let _ = writeln!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{weight}{anchor} fill=\"{}\"{}>{}</text>",
            n(t.x),
            n(t.y),
            n(t.size),
            t.fill,
            crate::style::paint_attr(t.fill, "none"),
            esc(&t.text)
        );
    }

    /// Closes the document and returns it.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}
