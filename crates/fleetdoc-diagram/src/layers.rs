//! The layers diagram: a host's folder layers stacked top to bottom, each a band with its
//! number, title and path on the left and what it holds as chips on the right.

use crate::font::{text_width, wrap};
use crate::geom::Rect;
use crate::model::{LayersDiagram, Svg};
use crate::style::*;
use crate::svg::{esc, n, Anchor, TextLine, Writer};
use crate::topology::{MARGIN, TITLE_SIZE};
use std::fmt::Write;

const WIDTH: f32 = 860.0;
const LEFT_W: f32 = 270.0;
const PAD: f32 = 16.0;
const CHIP_SIZE: f32 = 12.0;
const CHIP_H: f32 = 24.0;
const CHIP_GAP: f32 = 8.0;
const BAND_GAP: f32 = 14.0;
const TITLE_LH: f32 = 19.0;
const PATH_LH: f32 = 16.0;

struct Band {
    title: Vec<String>,
    path: Vec<String>,
    chips: Vec<(Rect, String)>,
    h: f32,
}

fn band(l: &crate::model::Layer) -> Band {
    let text_w = LEFT_W - 44.0;
    let title_src = if l.title.trim().is_empty() {
        l.id.as_str()
    } else {
        l.title.as_str()
    };
    let title = wrap(title_src, 14.0, true, text_w);
    let path = l
        .path
        .as_deref()
        .map(|p| wrap(p, 12.0, false, text_w))
        .unwrap_or_default();
    let left_h = PAD + title.len() as f32 * TITLE_LH + path.len() as f32 * PATH_LH + PAD;
    // Chips flow in rows across the right side, in band-local coordinates.
    let (x0, x1) = (LEFT_W + PAD, WIDTH - 2.0 * MARGIN - PAD);
    let (mut x, mut y) = (x0, PAD);
    let mut chips = Vec::new();
    for h in l.holds.iter().map(|h| h.trim()).filter(|h| !h.is_empty()) {
        let text = crate::font::ellipsize(h, CHIP_SIZE, false, x1 - x0 - 20.0);
        let w = (text_width(&text, CHIP_SIZE, false) + 20.0).ceil();
        if x + w > x1 && x > x0 {
            x = x0;
            y += CHIP_H + CHIP_GAP;
        }
        chips.push((Rect::new(x, y, w, CHIP_H), text));
        x += w + CHIP_GAP;
    }
    let chips_h = if chips.is_empty() {
        0.0
    } else {
        y + CHIP_H + PAD
    };
    Band {
        title,
        path,
        chips,
        h: left_h.max(chips_h).max(56.0).ceil(),
    }
}

pub fn render(l: &LayersDiagram) -> Svg {
    let inner = WIDTH - 2.0 * MARGIN;
    let heading = wrap(l.title.trim(), TITLE_SIZE, true, inner);
    let mut y = MARGIN;
    let mut head_lines = Vec::new();
    for t in heading {
        head_lines.push(TextLine {
            text: t,
            x: MARGIN,
            y: y + TITLE_SIZE,
            size: TITLE_SIZE,
            bold: true,
            fill: TEXT,
            anchor: Anchor::Start,
        });
        y += 24.0;
    }
    // "on alpha" under the title, unless the title already names the host.
    if let Some(h) = l
        .host
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty() && !l.title.contains(h))
    {
        for t in wrap(&format!("on {h}"), 13.0, false, inner) {
            head_lines.push(TextLine {
                text: t,
                x: MARGIN,
                y: y + 14.0,
                size: 13.0,
                bold: false,
                fill: MUTED,
                anchor: Anchor::Start,
            });
            y += 18.0;
        }
    }
    y += 14.0;
    let bands: Vec<Band> = l.layers.iter().map(band).collect();
    let height = (y + bands.iter().map(|b| b.h + BAND_GAP).sum::<f32>() + MARGIN)
        .ceil()
        .max(120.0);
    let mut w = Writer::new(
        WIDTH,
        height,
        "fleetdoc-diagram layers",
        &l.title,
        &format!("{} layers", l.layers.len()),
    );
    crate::style::background(&mut w, WIDTH, height);
    for t in &head_lines {
        w.text(t);
    }
    for (i, (layer, b)) in l.layers.iter().zip(&bands).enumerate() {
        let r = Rect::new(MARGIN, y, inner, b.h);
        let _ = writeln!(w.out, "<g class=\"layer\" data-id=\"{}\">", esc(&layer.id));
        w.rect(r, 12.0, TINTS[i % TINTS.len()], HOST_STROKE, 1.0, "");
        let _ = writeln!(
            w.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"11\" fill=\"{ACCENT}\" class=\"fill-accent\"/>",
            n(r.x + PAD + 11.0),
            n(r.y + PAD + 10.0)
        );
        w.text(&TextLine {
            text: (i + 1).to_string(),
            x: r.x + PAD + 11.0,
            y: r.y + PAD + 14.5,
            size: 12.0,
            bold: true,
            fill: "#ffffff",
            anchor: Anchor::Middle,
        });
        let tx = r.x + PAD + 30.0;
        let mut ty = r.y + PAD + 14.0;
        for t in &b.title {
            w.text(&TextLine {
                text: t.clone(),
                x: tx,
                y: ty,
                size: 14.0,
                bold: true,
                fill: TEXT,
                anchor: Anchor::Start,
            });
            ty += TITLE_LH;
        }
        ty -= 2.0;
        for p in &b.path {
            w.text(&TextLine {
                text: p.clone(),
                x: tx,
                y: ty,
                size: 12.0,
                bold: false,
                fill: MUTED,
                anchor: Anchor::Start,
            });
            ty += PATH_LH;
        }
        for (c, text) in &b.chips {
            let cr = Rect::new(r.x + c.x, r.y + c.y, c.w, c.h);
            w.rect(
                cr,
                CHIP_H / 2.0,
                SERVICE_FILL,
                SERVICE_STROKE,
                1.0,
                " class=\"chip\"",
            );
            w.text(&TextLine {
                text: text.clone(),
                x: cr.x + 10.0,
                y: cr.y + 16.3,
                size: CHIP_SIZE,
                bold: false,
                fill: TEXT,
                anchor: Anchor::Start,
            });
        }
        w.raw("</g>\n");
        y += b.h + BAND_GAP;
    }
    Svg {
        min_text: w.min_text(),
        text: w.finish(),
        width: WIDTH,
        height,
    }
}
