//! The legend: what each status badge and each edge stroke means, laid out in one row
//! (or several when the drawing is narrow), measured with the real font.

use crate::font::text_width;
use crate::geom::Rect;
use crate::model::{EdgeKind, Status};
use crate::style::{self, MUTED, TEXT};
use crate::svg::{n, Anchor, TextLine, Writer};
use std::fmt::Write;

const SIZE: f32 = 12.0;
const ROW_H: f32 = 22.0;
const ITEM_GAP: f32 = 18.0;
const SWATCH: f32 = 26.0;

enum Item {
    Status(Status),
    Edge(EdgeKind),
    Bundle,
}

/// `bundles`: the drawing has counted bundles of links (a summarized topology).
fn items(edges: bool, bundles: bool) -> Vec<(Item, &'static str)> {
    let mut v = vec![
        (Item::Status(Status::Up), "up"),
        (Item::Status(Status::Down), "down"),
        (Item::Status(Status::Stale), "stale"),
        (Item::Status(Status::Unknown), "no data"),
    ];
    if edges {
        v.push((Item::Edge(EdgeKind::Public), "public traffic"));
        v.push((Item::Edge(EdgeKind::Link), "link"));
        v.push((Item::Edge(EdgeKind::DependsOn), "depends on"));
    }
    if bundles {
        v.push((Item::Bundle, "links between hosts or regions, counted"));
    }
    v
}

fn item_width(label: &str) -> f32 {
    SWATCH + 6.0 + text_width(label, SIZE, false)
}

/// Places the legend items in rows no wider than `max_w`; returns each item's x/row and the
/// legend's size.
fn flow(max_w: f32, edges: bool, bundles: bool) -> (Vec<(f32, usize)>, f32, f32) {
    let title_w = text_width("Legend", SIZE, true) + ITEM_GAP;
    let mut pos = Vec::new();
    let (mut x, mut row, mut widest) = (title_w, 0usize, 0.0f32);
    for (_, label) in items(edges, bundles) {
        let w = item_width(label);
        if x + w > max_w && x > title_w {
            widest = widest.max(x - ITEM_GAP);
            x = title_w;
            row += 1;
        }
        pos.push((x, row));
        x += w + ITEM_GAP;
    }
    widest = widest.max(x - ITEM_GAP);
    (pos, widest, (row + 1) as f32 * ROW_H)
}

/// Size the legend takes when it may be at most `max_w` wide.
pub fn size(max_w: f32, edges: bool, bundles: bool) -> (f32, f32) {
    let (_, w, h) = flow(max_w, edges, bundles);
    (w, h)
}

/// Draws the legend with its top-left corner at (x, y); returns its box.
pub fn draw(w: &mut Writer, x: f32, y: f32, max_w: f32, edges: bool, bundles: bool) -> Rect {
    let (pos, width, height) = flow(max_w, edges, bundles);
    w.raw("<g class=\"legend\">\n");
    w.text(&TextLine {
        text: "Legend".into(),
        x,
        y: y + 15.0,
        size: SIZE,
        bold: true,
        fill: TEXT,
        anchor: Anchor::Start,
    });
    for ((item, label), (ix, row)) in items(edges, bundles).into_iter().zip(pos) {
        let cy = y + 11.0 + row as f32 * ROW_H;
        let ix = x + ix;
        let line = match item {
            Item::Status(s) => {
                style::status_badge(w, ix + SWATCH / 2.0, cy, s);
                None
            }
            Item::Edge(k) => Some((style::edge_attrs(k), style::edge_stroke(k).0)),
            Item::Bundle => Some((style::bundle_attrs(), style::EDGE_GRAY)),
        };
        if let Some((attrs, color)) = line {
            let _ = writeln!(
                w.out,
                "<path d=\"M{} {} L{} {}\" {attrs}{}/>",
                n(ix),
                n(cy),
                n(ix + SWATCH - 2.0),
                n(cy),
                style::paint_attr("none", color),
            );
        }
        w.text(&TextLine {
            text: label.into(),
            x: ix + SWATCH + 6.0,
            y: cy + 4.0,
            size: SIZE,
            bold: false,
            fill: MUTED,
            anchor: Anchor::Start,
        });
    }
    w.raw("</g>\n");
    Rect::new(x, y, width, height)
}
