//! The look: a calm light palette with one accent color, status colors that also carry a
//! shape (check, cross, clock, question mark) for color-blind readers, and edge strokes.

use crate::model::{EdgeKind, Status};
use crate::svg::{n, Writer};
use std::fmt::Write;

pub const BACKGROUND: &str = "#f7f8fb";
pub const HOST_FILL: &str = "#eef1f6";
pub const HOST_STROKE: &str = "#d2d8e2";
pub const SERVICE_FILL: &str = "#ffffff";
pub const SERVICE_STROKE: &str = "#cbd2dd";
pub const INGRESS_FILL: &str = "#eef2ff";
pub const ACCENT: &str = "#4f63d9";
pub const TEXT: &str = "#1f2633";
pub const MUTED: &str = "#5d6677";
pub const GROUP_STROKE: &str = "#b9c1ce";
pub const EDGE_GRAY: &str = "#6f7887";
pub const LABEL_FILL: &str = "#ffffff";
/// Tints of the folder layers, top to bottom (repeating).
pub const TINTS: [&str; 4] = ["#eef1ff", "#f1f4fb", "#eef5f3", "#f7f3ec"];

/// The palette role of a color, for the classes that let a page recolour an inline drawing
/// (its dark theme): `fill-<role>` and `stroke-<role>`. The color itself stays in the
/// `fill` / `stroke` attribute, so a standalone SVG and the PNG keep the light palette.
/// Status colors have no role: they read on light and dark alike.
pub fn role(color: &str) -> Option<&'static str> {
    Some(match color {
        BACKGROUND => "bg",
        HOST_FILL => "host",
        HOST_STROKE => "host-line",
        // SERVICE_FILL, LABEL_FILL and the text on an accent disc.
        "#ffffff" => "panel",
        SERVICE_STROKE => "line",
        INGRESS_FILL => "ingress",
        ACCENT => "accent",
        TEXT => "text",
        MUTED => "muted",
        GROUP_STROKE => "group-line",
        EDGE_GRAY => "edge",
        c if TINTS.contains(&c) => "tint",
        _ => return None,
    })
}

/// The paint classes of an element filled with `fill` and stroked with `stroke`
/// (`fill-text stroke-line`); empty when neither has a role.
pub fn paint_classes(fill: &str, stroke: &str) -> String {
    let mut out = String::new();
    for (kind, color) in [("fill", fill), ("stroke", stroke)] {
        if let Some(r) = role(color) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(kind);
            out.push('-');
            out.push_str(r);
        }
    }
    out
}

/// ` class="..."` for an element that has no class of its own; empty when it has no role.
pub fn paint_attr(fill: &str, stroke: &str) -> String {
    let c = paint_classes(fill, stroke);
    if c.is_empty() {
        c
    } else {
        format!(" class=\"{c}\"")
    }
}

/// Fill color of a status badge.
pub fn status_color(s: Status) -> &'static str {
    match s {
        Status::Up => "#2e9466",
        Status::Down => "#d1453b",
        Status::Stale => "#c98a12",
        Status::Unknown => "#8a93a3",
    }
}

/// Radius of the status badge.
pub const BADGE_R: f32 = 7.0;

/// Draws a status badge: a colored disc with a white glyph that differs per status.
pub fn status_badge(w: &mut Writer, cx: f32, cy: f32, s: Status) {
    let _ = write!(
        w.out,
        "<g class=\"status status-{}\"><circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>",
        s.word(),
        n(cx),
        n(cy),
        n(BADGE_R),
        status_color(s)
    );
    let p = |dx: f32, dy: f32| format!("{} {}", n(cx + dx), n(cy + dy));
    let glyph = match s {
        Status::Up => format!("M{} L{} L{}", p(-3.4, 0.2), p(-1.0, 2.6), p(3.4, -2.4)),
        Status::Down => format!(
            "M{} L{} M{} L{}",
            p(-2.8, -2.8),
            p(2.8, 2.8),
            p(2.8, -2.8),
            p(-2.8, 2.8)
        ),
        Status::Stale => format!(
            "M{} A3.9 3.9 0 1 1 {} A3.9 3.9 0 1 1 {} M{} L{} L{}",
            p(0.0, -3.9),
            p(0.0, 3.9),
            p(0.0, -3.9),
            p(0.0, -2.2),
            p(0.0, 0.0),
            p(1.8, 1.2)
        ),
        Status::Unknown => format!(
            "M{} C{} {} {} C{} {} {} L{} M{} L{}",
            p(-2.4, -1.8),
            p(-2.4, -5.0),
            p(2.6, -5.0),
            p(2.6, -1.9),
            p(2.6, -0.2),
            p(0.0, -0.4),
            p(0.0, 1.4),
            p(0.0, 1.9),
            p(0.0, 3.6),
            p(0.0, 4.0)
        ),
    };
    let _ = writeln!(
        w.out,
        "<path d=\"{glyph}\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"1.6\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/></g>"
    );
}

/// Stroke color, width and dash of an edge kind.
pub fn edge_stroke(k: EdgeKind) -> (&'static str, f32, Option<&'static str>) {
    match k {
        EdgeKind::Public => (ACCENT, 2.0, None),
        EdgeKind::Link => (EDGE_GRAY, 1.5, None),
        EdgeKind::DependsOn => (EDGE_GRAY, 1.5, Some("5 4")),
    }
}

/// Arrowhead markers, one per edge kind, referenced as `url(#arrow-<kind>)`.
pub fn defs(w: &mut Writer) {
    w.raw("<defs>\n");
    for k in [EdgeKind::Public, EdgeKind::Link, EdgeKind::DependsOn] {
        let (color, _, _) = edge_stroke(k);
        let _ = writeln!(
            w.out,
            "<marker id=\"arrow-{}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"{color}\"{}/></marker>",
            k.word(),
            paint_attr(color, "none")
        );
    }
    w.raw("</defs>\n");
}

/// Stroke attributes of an edge path.
pub fn edge_attrs(k: EdgeKind) -> String {
    let (color, width, dash) = edge_stroke(k);
    let dash = dash
        .map(|d| format!(" stroke-dasharray=\"{d}\""))
        .unwrap_or_default();
    format!(
        "fill=\"none\" stroke=\"{color}\" stroke-width=\"{}\"{dash} stroke-linejoin=\"round\" marker-end=\"url(#arrow-{})\"",
        n(width),
        k.word()
    )
}

/// Stroke attributes of a counted bundle: a wide line without arrowheads (it stands for
/// edges in both directions).
pub fn bundle_attrs() -> String {
    format!(
        "fill=\"none\" stroke=\"{EDGE_GRAY}\" stroke-width=\"3.5\" stroke-linejoin=\"round\" stroke-opacity=\"0.8\""
    )
}

/// Fills the whole canvas with the background color (every drawing starts with it).
pub fn background(w: &mut crate::svg::Writer, width: f32, height: f32) {
    w.rect(
        crate::geom::Rect::new(0.0, 0.0, width, height),
        0.0,
        BACKGROUND,
        "none",
        0.0,
        " class=\"background\"",
    );
}
