//! The poster: a card-sized infographic (at least 1200x630) summing up an explainer page:
//! title, summary, status line, one panel per H2 section, and the page's diagram scaled
//! into its own panel. Text is wrapped by the font's metrics and shortened with an ellipsis
//! at a word boundary when a panel is full, never cut silently.

use crate::font::{text_width, wrap_clamped};
use crate::geom::Rect;
use crate::model::{Poster, PosterDiagram, Svg};
use crate::style::*;
use crate::svg::{n, Anchor, TextLine, Writer};
use std::fmt::Write;

pub const WIDTH: f32 = 1200.0;
pub const MIN_HEIGHT: f32 = 630.0;
const M: f32 = 48.0;
const GAP: f32 = 20.0;
const TITLE: f32 = 38.0;
const SUMMARY: f32 = 18.0;
const HEAD: f32 = 15.0;
const BODY: f32 = 13.0;
const BODY_LH: f32 = 18.0;
const HEAD_LH: f32 = 19.0;
const PANEL_PAD: f32 = 16.0;
const MIN_PANEL_H: f32 = 132.0;

/// A panel's lines: heading lines, then (bulleted?, text) lines.
struct PanelText {
    heading: Vec<String>,
    body: Vec<(bool, String)>,
}

/// Fits a panel's heading and bullets into `w` x `h`.
fn fit_panel(p: &crate::model::Panel, w: f32, h: f32) -> PanelText {
    let heading = wrap_clamped(p.heading.trim(), HEAD, true, w, 2);
    let mut budget = ((h - 2.0 * PANEL_PAD - heading.len() as f32 * HEAD_LH - 6.0) / BODY_LH)
        .floor()
        .max(0.0) as usize;
    let bullets: Vec<&str> = p
        .bullets
        .iter()
        .map(|b| b.trim())
        .filter(|b| !b.is_empty())
        .collect();
    let dotted = bullets.len() > 1;
    let text_w = if dotted { w - 14.0 } else { w };
    let mut body = Vec::new();
    for (i, b) in bullets.iter().enumerate() {
        if budget == 0 {
            break;
        }
        let mut lines = wrap_clamped(b, BODY, false, text_w, budget);
        // Bullets that did not fit at all are announced by an ellipsis on the last line.
        if i + 1 < bullets.len() && budget == lines.len() {
            if let Some(last) = lines.last_mut() {
                if !last.ends_with('\u{2026}') {
                    *last =
                        crate::font::ellipsize(&format!("{last} \u{2026}"), BODY, false, text_w);
                }
            }
        }
        budget -= lines.len();
        for (k, l) in lines.drain(..).enumerate() {
            body.push((dotted && k == 0, l));
        }
    }
    PanelText { heading, body }
}

/// The diagram as SVG, with its contract classes renamed so a poster is never mistaken for
/// a diagram by tools that check diagram markings.
/// Draw `inner` (a whole SVG document) scaled into `area` of `w`, as a nested `<svg>`;
/// `align` is the `preserveAspectRatio` alignment (`xMidYMin`, `xMidYMid`).
pub(crate) fn nest(w: &mut Writer, inner: &Svg, area: Rect, align: &str) {
    let body = inner.text.split_once('>').map_or("", |(_, rest)| rest);
    let body = body.trim_end().strip_suffix("</svg>").unwrap_or(body);
    // "meet": the whole drawing fits, at the smaller of the two scales.
    let scale = (area.w / inner.width.max(1.0)).min(area.h / inner.height.max(1.0));
    if let Some(m) = inner.min_text {
        w.saw_text(m * scale);
    }
    let _ = writeln!(
        w.out,
        "<svg x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" preserveAspectRatio=\"{align} meet\">{body}</svg>",
        n(area.x),
        n(area.y),
        n(area.w),
        n(area.h),
        n(inner.width),
        n(inner.height)
    );
}

pub(crate) fn inner_svg(d: &PosterDiagram) -> Svg {
    let svg = match d {
        PosterDiagram::Fleet(f) => crate::render(f),
        PosterDiagram::Layers(l) => crate::render_layers(l),
    };
    let text = svg
        .text
        .replace("class=\"host\"", "class=\"poster-host\"")
        .replace("class=\"service\"", "class=\"poster-service\"")
        .replace("class=\"edge\"", "class=\"poster-edge\"")
        .replace("class=\"summary-node\"", "class=\"poster-summary-node\"")
        .replace("id=\"arrow-", "id=\"poster-arrow-")
        .replace("url(#arrow-", "url(#poster-arrow-");
    Svg { text, ..svg }
}

pub fn render(p: &Poster) -> Svg {
    let inner_w = WIDTH - 2.0 * M;
    let title = wrap_clamped(p.title.trim(), TITLE, true, inner_w, 2);
    let summary = p
        .summary
        .as_deref()
        .map(|s| wrap_clamped(s.trim(), SUMMARY, false, inner_w, 2))
        .unwrap_or_default();
    let status = p
        .status_line
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let mut y = M;
    let mut head: Vec<TextLine> = Vec::new();
    for t in title {
        head.push(TextLine {
            text: t,
            x: M,
            y: y + TITLE - 4.0,
            size: TITLE,
            bold: true,
            fill: TEXT,
            anchor: Anchor::Start,
        });
        y += TITLE * 1.22;
    }
    y += 4.0;
    for t in summary {
        head.push(TextLine {
            text: t,
            x: M,
            y: y + SUMMARY,
            size: SUMMARY,
            bold: false,
            fill: MUTED,
            anchor: Anchor::Start,
        });
        y += SUMMARY * 1.4;
    }
    let status_pill = status.map(|s| {
        let text = crate::font::ellipsize(s, 14.0, true, inner_w - 48.0);
        let r = Rect::new(
            M,
            y + 10.0,
            (text_width(&text, 14.0, true) + 48.0).ceil(),
            30.0,
        );
        y += 48.0;
        (r, text)
    });
    y += 14.0;
    let body_top = y;
    let footer_h = if p.footer.is_some() { 34.0 } else { 8.0 };

    // Panels grid, with the diagram on the right when there is one.
    let diagram = p.diagram.as_ref().map(inner_svg);
    let diagram_w = if diagram.is_some() { 460.0 } else { 0.0 };
    let panels_w = inner_w
        - if diagram.is_some() {
            diagram_w + GAP
        } else {
            0.0
        };
    let n_panels = p.panels.len();
    let cols = match (diagram.is_some(), n_panels) {
        (_, 0) => 1,
        (true, k) if k <= 2 => 1,
        (true, _) => 2,
        (false, k) if k <= 2 => k,
        (false, 4) => 2,
        (false, _) => 3,
    };
    let rows = n_panels.div_ceil(cols).max(1);
    let avail = MIN_HEIGHT - M - footer_h - body_top;
    let panel_h = ((avail - GAP * (rows as f32 - 1.0)) / rows as f32)
        .max(MIN_PANEL_H)
        .floor();
    let body_h = (panel_h * rows as f32 + GAP * (rows as f32 - 1.0)).max(if diagram.is_some() {
        300.0
    } else {
        0.0
    });
    let height = (body_top + body_h + footer_h + M).max(MIN_HEIGHT).ceil();
    let panel_w = ((panels_w - GAP * (cols as f32 - 1.0)) / cols as f32).floor();

    let mut w = Writer::new(
        WIDTH,
        height,
        "fleetdoc-poster",
        &p.title,
        p.summary.as_deref().unwrap_or(""),
    );
    crate::style::background(&mut w, WIDTH, height);
    w.rect(
        Rect::new(0.0, 0.0, WIDTH, 8.0),
        0.0,
        ACCENT,
        "none",
        0.0,
        "",
    );
    for t in &head {
        w.text(t);
    }
    if let Some((r, text)) = &status_pill {
        w.raw("<g class=\"status-line\">\n");
        let tone = crate::style::status_color(p.status);
        w.rect(*r, r.h / 2.0, SERVICE_FILL, tone, 1.2, "");
        let _ = writeln!(
            w.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"{tone}\"/>",
            n(r.x + 20.0),
            n(r.y + r.h / 2.0)
        );
        w.text(&TextLine {
            text: text.clone(),
            x: r.x + 34.0,
            y: r.y + r.h / 2.0 + 5.0,
            size: 14.0,
            bold: true,
            fill: TEXT,
            anchor: Anchor::Start,
        });
        w.raw("</g>\n");
    }
    for (i, panel) in p.panels.iter().enumerate() {
        let (c, r) = (i % cols, i / cols);
        let rect = Rect::new(
            M + c as f32 * (panel_w + GAP),
            body_top + r as f32 * (panel_h + GAP),
            panel_w,
            panel_h,
        );
        let fit = fit_panel(panel, panel_w - 2.0 * PANEL_PAD, panel_h);
        w.raw("<g class=\"panel\">\n");
        w.rect(rect, 12.0, SERVICE_FILL, HOST_STROKE, 1.0, "");
        w.rect(
            Rect::new(rect.x, rect.y + 14.0, 4.0, 22.0),
            2.0,
            ACCENT,
            "none",
            0.0,
            "",
        );
        let mut ty = rect.y + PANEL_PAD + HEAD - 1.0;
        for h in &fit.heading {
            w.text(&TextLine {
                text: h.clone(),
                x: rect.x + PANEL_PAD,
                y: ty,
                size: HEAD,
                bold: true,
                fill: TEXT,
                anchor: Anchor::Start,
            });
            ty += HEAD_LH;
        }
        ty += 6.0;
        let dotted = fit.body.iter().any(|(d, _)| *d);
        for (dot, line) in &fit.body {
            let tx = rect.x + PANEL_PAD + if dotted { 14.0 } else { 0.0 };
            if *dot {
                let _ = writeln!(
                    w.out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"2.6\" fill=\"{ACCENT}\" class=\"fill-accent\"/>",
                    n(rect.x + PANEL_PAD + 4.0),
                    n(ty - 4.2)
                );
            }
            w.text(&TextLine {
                text: line.clone(),
                x: tx,
                y: ty,
                size: BODY,
                bold: false,
                fill: MUTED,
                anchor: Anchor::Start,
            });
            ty += BODY_LH;
        }
        w.raw("</g>\n");
    }
    if let Some(inner) = &diagram {
        // The frame hugs the scaled diagram instead of leaving a tall empty box around a
        // wide one.
        let fit_h = ((diagram_w - 20.0) * inner.height / inner.width.max(1.0) + 20.0).min(body_h);
        let frame = Rect::new(WIDTH - M - diagram_w, body_top, diagram_w, fit_h);
        w.raw("<g class=\"poster-diagram\">\n");
        w.rect(frame, 12.0, BACKGROUND, HOST_STROKE, 1.0, "");
        nest(&mut w, inner, frame.inflate(-10.0), "xMidYMin");
        w.raw("</g>\n");
    }
    if let Some(f) = p.footer.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        let text = crate::font::ellipsize(f, 12.0, false, inner_w);
        w.text(&TextLine {
            text,
            x: M,
            y: height - M + 14.0,
            size: 12.0,
            bold: false,
            fill: MUTED,
            anchor: Anchor::Start,
        });
    }
    Svg {
        min_text: w.min_text(),
        text: w.finish(),
        width: WIDTH,
        height,
    }
}
