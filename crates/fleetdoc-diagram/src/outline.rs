//! Labels turned into glyph outlines before the SVG reaches usvg. usvg 0.49 shapes every
//! text chunk from scratch: it builds a new harfrust shaper (with caches over DejaVu's big
//! kern table) per `<text>`, about 165 us each, which made text most of the cost of a large
//! diagram's PNG. The labels this crate writes need no shaping (one glyph per character,
//! advances as `text_width` measures them, so the picture also matches the layout exactly),
//! so each one becomes a single `<path>` of cached glyph outlines at the same place.
//!
//! For drawing, a label can instead become a *mark*: a tiny invisible `<path>` with a known
//! id that keeps the label's place in the drawing order and its resolved fill, while the
//! glyphs themselves are drawn from cached pixel masks (see `glyph_masks`). That skips
//! parsing and filling every label's outline.
//!
//! Only `<text>` elements exactly of the form `Writer::text` emits are rewritten; anything
//! else (other attributes, tspans, a `<style>` sheet, inherited text properties, characters
//! that need shaping) is left for usvg, so arbitrary SVG still renders correctly.

use crate::glyphs::{self, Glyph};
use crate::svg::Anchor;
use resvg::usvg::roxmltree::{Document, Node, ParsingOptions};
use std::borrow::Cow;
use std::fmt::Write;
use std::sync::Arc;

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// Longest label outlined here (its path is about 60 bytes a glyph); longer ones are left
/// to usvg, whose own limits then apply.
const MAX_CHARS: usize = 200_000;

/// Properties that, set on an ancestor, change how a text is drawn in ways a path would not
/// follow (or that this module does not model).
const TEXT_PROPERTIES: &[&str] = &[
    "font",
    "font-size",
    "font-size-adjust",
    "font-stretch",
    "font-style",
    "font-variant",
    "font-weight",
    "font-kerning",
    "kerning",
    "font-feature-settings",
    "font-variation-settings",
    "text-anchor",
    "letter-spacing",
    "word-spacing",
    "text-decoration",
    "writing-mode",
    "direction",
    "unicode-bidi",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "text-rendering",
    "shape-rendering",
    "style",
    "space",
    "lang",
];

/// Id prefix of the marks that stand in for labels; the label's number follows it.
pub(crate) const MARK_ID: &str = "fleetdoc-label-";

/// What a label this module understands becomes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Form {
    /// One `<path>` of its glyph outlines: a complete SVG any renderer draws.
    Outline,
    /// A mark `<path id="fleetdoc-label-N">` and an entry in [`Prepared::labels`].
    Mark,
}

/// A label taken out of the SVG, to be drawn from glyph masks at its mark.
pub(crate) struct PlacedLabel {
    /// Each glyph with an outline and its pen position in font units from the anchor point.
    pub glyphs: Vec<(Arc<Glyph>, f64)>,
    /// Anchor point (baseline) in SVG user units.
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
}

/// An SVG ready for usvg, and how much text is left for usvg's text engine to lay out.
pub(crate) struct Prepared<'a> {
    /// The SVG with the labels this module understands replaced by outlines or marks.
    pub svg: Cow<'a, str>,
    /// The labels replaced by marks, by mark number (empty for [`Form::Outline`]).
    pub labels: Vec<PlacedLabel>,
    /// Characters of the longest `<text>` left to the text engine.
    pub longest_text: usize,
    /// Characters of all `<text>` elements left to the text engine.
    pub total_text: usize,
}

/// `svg` with every label this crate writes replaced by its outline or a mark (the input
/// itself when nothing could be replaced or the document is not one this module rewrites),
/// and the amount of text left for usvg.
pub(crate) fn outline_texts(svg: &str, form: Form) -> Prepared<'_> {
    let mut prep = Prepared {
        svg: Cow::Borrowed(svg),
        labels: Vec::new(),
        longest_text: 0,
        total_text: 0,
    };
    if !svg.contains("<text") {
        return prep;
    }
    // Parsed as usvg parses (a DTD allowed) so the text left to usvg is counted; such a
    // document's entities make byte ranges unreliable, so it is never rewritten.
    let opt = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let Ok(doc) = Document::parse_with_options(svg, opt) else {
        return prep;
    };
    let rewrite = !svg.contains("<!DOCTYPE")
        && !svg.contains("<!ENTITY")
        && (form != Form::Mark || !svg.contains(MARK_ID))
        && !doc
            .descendants()
            .any(|n| n.is_element() && matches!(n.tag_name().name(), "style" | "use"));
    let mut out = String::new();
    let mut copied = 0;
    for node in doc.descendants().filter(|n| is_svg(n, "text")) {
        let path = if rewrite {
            Label::read(&node).and_then(|l| match form {
                Form::Outline => l.to_path(),
                Form::Mark => l.placed().map(|placed| {
                    prep.labels.push(placed);
                    l.to_mark(prep.labels.len() - 1)
                }),
            })
        } else {
            None
        };
        let range = node.range();
        let Some(path) = path.filter(|_| range.start >= copied && svg.get(range.clone()).is_some())
        else {
            let chars: usize = node
                .descendants()
                .filter(|n| n.is_text())
                .map(|n| n.text().map_or(0, |t| t.chars().count()))
                .sum();
            prep.longest_text = prep.longest_text.max(chars);
            prep.total_text += chars;
            continue;
        };
        if out.is_empty() {
            out.reserve(svg.len() + svg.len() / 2);
        }
        out.push_str(&svg[copied..range.start]);
        out.push_str(&path);
        copied = range.end;
    }
    if copied > 0 {
        out.push_str(&svg[copied..]);
        prep.svg = Cow::Owned(out);
    }
    prep
}

fn is_svg(n: &Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(SVG_NS)
}

/// A `<text>` this module fully understands.
struct Label<'a> {
    text: &'a str,
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    anchor: Anchor,
    fill: &'a str,
}

impl<'a> Label<'a> {
    fn read(node: &Node<'a, '_>) -> Option<Label<'a>> {
        let (mut x, mut y, mut size, mut fill) = (None, None, None, None);
        let (mut bold, mut anchor) = (false, Anchor::Start);
        for a in node.attributes() {
            if a.namespace().is_some() {
                return None;
            }
            let v = a.value();
            match a.name() {
                "x" => x = Some(number(v)?),
                "y" => y = Some(number(v)?),
                "font-size" => size = Some(number(v).filter(|s| *s > 0.0)?),
                "font-weight" if v == "bold" => bold = true,
                "text-anchor" => {
                    anchor = match v {
                        "start" => Anchor::Start,
                        "middle" => Anchor::Middle,
                        "end" => Anchor::End,
                        _ => return None,
                    }
                }
                "fill" if is_plain_paint(v) => fill = Some(v),
                // Paint classes, for a page's stylesheet; no stylesheet reaches here.
                "class" => {}
                _ => return None,
            }
        }
        let mut kids = node.children();
        let only = kids.next()?;
        if kids.next().is_some() || !only.is_text() {
            return None;
        }
        let text = only.text()?;
        if !plain_spacing(text) || text.chars().count() > MAX_CHARS {
            return None;
        }
        if !node.ancestors().skip(1).all(|a| neutral_ancestor(&a)) {
            return None;
        }
        Some(Label {
            text,
            x: x?,
            y: y?,
            size: size?,
            bold,
            anchor,
            fill: fill?,
        })
    }

    /// The label's glyphs and the pen position where the first one starts (font units from
    /// the anchor point), or `None` when a character has no plain glyph.
    fn glyphs(&self) -> Option<(Vec<Arc<Glyph>>, f64)> {
        let glyphs: Vec<Arc<Glyph>> = self
            .text
            .chars()
            .map(|c| glyphs::glyph(c, self.bold))
            .collect::<Option<_>>()?;
        let total: f64 = glyphs.iter().map(|g| f64::from(g.advance)).sum();
        let pen = match self.anchor {
            Anchor::Start => 0.0,
            Anchor::Middle => -total / 2.0,
            Anchor::End => -total,
        };
        Some((glyphs, pen))
    }

    /// The label taken out for drawing from masks, or `None` when a character has no
    /// plain glyph.
    fn placed(&self) -> Option<PlacedLabel> {
        let (all, mut pen) = self.glyphs()?;
        let mut glyphs = Vec::with_capacity(all.len());
        for g in all {
            let advance = f64::from(g.advance);
            if g.path.is_some() {
                glyphs.push((g, pen));
            }
            pen += advance;
        }
        Some(PlacedLabel {
            glyphs,
            x: self.x,
            y: self.y,
            size: self.size,
            bold: self.bold,
        })
    }

    /// The mark standing in for label number `n`: invisible, at the label's anchor, with
    /// its fill so usvg resolves the color (and any inherited `fill-opacity`) for it.
    fn to_mark(&self, n: usize) -> String {
        format!(
            "<path id=\"{MARK_ID}{n}\" fill=\"{}\" d=\"M{} {}h1v-1z\"/>",
            self.fill, self.x, self.y
        )
    }

    /// The label as one `<path>`, or `None` when a character has no plain glyph.
    fn to_path(&self) -> Option<String> {
        let (glyphs, mut pen) = self.glyphs()?;
        let s = f64::from(self.size) / f64::from(crate::font::units_per_em(self.bold));
        let mut d = String::with_capacity(glyphs.iter().map(|g| g.rest.len() + 16).sum());
        for g in &glyphs {
            if let Some((gx, gy)) = g.start {
                let _ = write!(d, "M{} {}", pen + f64::from(gx), gy);
                d.push_str(&g.rest);
            }
            pen += f64::from(g.advance);
        }
        Some(format!(
            "<path fill=\"{}\" transform=\"matrix({s} 0 0 {} {} {})\" d=\"{d}\"/>",
            self.fill, -s, self.x, self.y
        ))
    }
}

/// A plain number as SVG lengths without units are written (finite).
fn number(v: &str) -> Option<f32> {
    let v = v.trim();
    let ok = !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    v.parse::<f32>().ok().filter(|n| ok && n.is_finite())
}

/// A color written as `#hex`, a name or `none`: paints that mean the same on a path.
fn is_plain_paint(v: &str) -> bool {
    !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'#')
}

/// Text whose whitespace XML's default handling leaves as it is: single inner spaces only.
fn plain_spacing(t: &str) -> bool {
    !t.is_empty() && !t.starts_with(' ') && !t.ends_with(' ') && !t.contains("  ")
}

/// An ancestor that cannot change how its texts are drawn beyond what a path inherits too.
fn neutral_ancestor(a: &Node) -> bool {
    if !a.is_element() {
        return true;
    }
    if !(is_svg(a, "svg") || is_svg(a, "g") || is_svg(a, "a")) {
        return false;
    }
    a.attributes().all(|at| {
        let name = at.name();
        if name == "font-family" {
            // The embedded family first (the fallbacks after it are for browsers; here it
            // is always found).
            let first = at.value().split(',').next().unwrap_or_default();
            return first.trim().trim_matches(['\'', '"']) == crate::font::FAMILY;
        }
        !TEXT_PROPERTIES.contains(&name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50" font-family="DejaVu Sans">"#;

    fn doc(body: &str) -> String {
        format!("{HEAD}{body}</svg>")
    }

    #[test]
    fn crate_labels_become_paths_and_the_rest_stays() {
        let svg = doc(concat!(
            r##"<title>Keep &amp; me</title><text x="10.0" y="20.0" font-size="12.0" font-weight="bold" text-anchor="middle" fill="#111827">A &amp; B</text>"##,
            r##"<text x="1" y="2" font-size="12" fill="#000" letter-spacing="2">kept</text>"##,
            r##"<text x="1" y="2" font-size="12" fill="#000"><tspan>kept</tspan></text>"##,
            r##"<g font-weight="bold"><text x="1" y="2" font-size="12" fill="#000">kept</text></g>"##,
            r##"<text x="1" y="2" font-size="12" fill="#000">中文</text>"##,
        ));
        let prep = outline_texts(&svg, Form::Outline);
        assert_eq!(prep.longest_text, 4);
        assert_eq!(prep.total_text, 4 + 4 + 4 + 2);
        let out = prep.svg;
        assert_eq!(out.matches("<path").count(), 1, "{out}");
        assert_eq!(out.matches(">kept</text>").count(), 2);
        assert!(out.contains("<tspan>kept</tspan>") && out.contains(">中文</text>"));
        assert!(out.contains("<title>Keep &amp; me</title>"));
        assert!(out.contains(r##"<path fill="#111827" transform="matrix("##));
        assert!(Document::parse(&out).is_ok());
    }

    #[test]
    fn every_label_the_crate_draws_becomes_a_path() {
        use crate::model::*;
        let layers = LayersDiagram {
            title: "Layers".into(),
            host: Some("alpha".into()),
            layers: vec![Layer {
                id: "ops".into(),
                title: "Operations".into(),
                path: Some("/srv/ops".into()),
                holds: vec!["runbooks".into()],
            }],
        };
        let svg = crate::render_layers(&layers).text;
        assert!(svg.contains("class=\"fill-text\"") && svg.contains("sans-serif"));
        let out = outline_texts(&svg, Form::Outline);
        assert!(!out.svg.contains("<text"), "{}", out.svg);
    }

    #[test]
    fn a_style_sheet_leaves_the_document_alone() {
        let svg = doc(
            r##"<style>text{font-size:30px}</style><text x="1" y="2" font-size="12" fill="#000">x</text>"##,
        );
        let prep = outline_texts(&svg, Form::Outline);
        assert!(matches!(prep.svg, Cow::Borrowed(_)));
        assert_eq!(prep.total_text, 1);
    }

    #[test]
    fn anchors_shift_the_pen_by_the_measured_width() {
        let at = |anchor: &str| {
            let svg = doc(&format!(
                r##"<text x="100" y="20" font-size="20" text-anchor="{anchor}" fill="#000">AB</text>"##
            ));
            let out = outline_texts(&svg, Form::Outline).svg.into_owned();
            let d = out.split(" d=\"M").nth(1).unwrap_or_default().to_string();
            d.split(' ').next().and_then(|v| v.parse::<f64>().ok())
        };
        let w = f64::from(crate::font::advance_units('A', false))
            + f64::from(crate::font::advance_units('B', false));
        let (s, m, e) = (at("start"), at("middle"), at("end"));
        let (s, m, e) = (s.expect("start"), m.expect("middle"), e.expect("end"));
        assert!((s - m - w / 2.0).abs() < 1e-6 && (s - e - w).abs() < 1e-6);
    }
}
