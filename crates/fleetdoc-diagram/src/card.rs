//! The social card of an explainer: exactly 1200x630 (1.91:1, what link previews show
//! uncropped), made to read at thumbnail size: the title large, the status line with its
//! colored dot, and one picture (the page's diagram). The full poster stays on the page.

use crate::font::wrap_clamped;
use crate::geom::Rect;
use crate::model::{Poster, Svg};
use crate::style::*;
use crate::svg::{n, Anchor, TextLine, Writer};
use std::fmt::Write;

pub const WIDTH: f32 = 1200.0;
pub const HEIGHT: f32 = 630.0;
const M: f32 = 56.0;
const TITLE: f32 = 54.0;
const STATUS: f32 = 24.0;

pub fn render(p: &Poster) -> Svg {
    let diagram = p.diagram.as_ref().map(crate::poster::inner_svg);
    let pic_w = if diagram.is_some() { 500.0 } else { 0.0 };
    let text_w = WIDTH - 2.0 * M - if diagram.is_some() { pic_w + 40.0 } else { 0.0 };
    let mut w = Writer::new(
        WIDTH,
        HEIGHT,
        "fleetdoc-card",
        &p.title,
        p.summary.as_deref().unwrap_or(""),
    );
    background(&mut w, WIDTH, HEIGHT);
    w.rect(
        Rect::new(0.0, 0.0, WIDTH, 12.0),
        0.0,
        ACCENT,
        "none",
        0.0,
        "",
    );
    let mut y = M + 12.0;
    for t in wrap_clamped(p.title.trim(), TITLE, true, text_w, 4) {
        w.text(&TextLine {
            text: t,
            x: M,
            y: y + TITLE - 6.0,
            size: TITLE,
            bold: true,
            fill: TEXT,
            anchor: Anchor::Start,
        });
        y += TITLE * 1.18;
    }
    if let Some(s) = p
        .status_line
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        y += 28.0;
        let tone = status_color(p.status);
        let _ = writeln!(
            w.out,
            "<g class=\"status-line\"><circle cx=\"{}\" cy=\"{}\" r=\"11\" fill=\"{tone}\"/>",
            n(M + 11.0),
            n(y + STATUS * 0.62)
        );
        for t in wrap_clamped(s, STATUS, true, text_w - 36.0, 4) {
            w.text(&TextLine {
                text: t,
                x: M + 36.0,
                y: y + STATUS,
                size: STATUS,
                bold: true,
                fill: TEXT,
                anchor: Anchor::Start,
            });
            y += STATUS * 1.3;
        }
        w.raw("</g>\n");
    }
    if let Some(f) = p.footer.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        w.text(&TextLine {
            text: crate::font::ellipsize(f, 20.0, false, text_w),
            x: M,
            y: HEIGHT - M,
            size: 20.0,
            bold: false,
            fill: MUTED,
            anchor: Anchor::Start,
        });
    }
    if let Some(inner) = &diagram {
        // The frame hugs the scaled picture, centered in the space beside the text.
        let room = HEIGHT - 2.0 * M - 12.0;
        let fit_h = ((pic_w - 24.0) * inner.height / inner.width.max(1.0) + 24.0).min(room);
        let frame = Rect::new(
            WIDTH - M - pic_w,
            M + 12.0 + (room - fit_h) / 2.0,
            pic_w,
            fit_h,
        );
        w.raw("<g class=\"card-diagram\">\n");
        w.rect(frame, 14.0, SERVICE_FILL, HOST_STROKE, 1.5, "");
        crate::poster::nest(&mut w, inner, frame.inflate(-12.0), "xMidYMid");
        w.raw("</g>\n");
    }
    Svg {
        min_text: w.min_text(),
        text: w.finish(),
        width: WIDTH,
        height: HEIGHT,
    }
}
