//! Writes a laid-out topology or host scene as SVG, with the contract markings: each host a
//! `<g class="host" data-id>`, each service a `<g class="service" data-id>` whose first
//! `<rect>` is its box in absolute coordinates, each edge a `<path class="edge">`.

use crate::boxes::{self, HostNode, SvcNode};
use crate::bundle::Drawn;
use crate::font::{text_width, wrap};
use crate::geom::Rect;
use crate::labels;
use crate::legend;
use crate::model::{Diagram, Svg};
use crate::stats::LayoutStats;
use crate::style::{self, *};
use crate::svg::{esc, n, Anchor, TextLine, Writer};
use crate::topology::{Scene, MARGIN};
use std::fmt::Write;

pub(crate) const CAPTION_SIZE: f32 = 11.0;

/// Writes the whole scene; returns the SVG and the layout figures with the final size.
pub fn scene(d: &Diagram, kind: &str, s: Scene) -> (Svg, LayoutStats) {
    let content = s.content;
    let base_w = (content.right() + MARGIN).max(480.0);
    let bundles = s.edges.iter().any(|e| matches!(e.drawn, Drawn::Bundle(_)));
    let (lw, lh) = legend::size(base_w - 2.0 * MARGIN, true, bundles);
    let legend_y = content.bottom() + 28.0;
    let caption = d
        .caption
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let cap_lines = caption
        .map(|c| wrap(c, CAPTION_SIZE, false, (base_w - 2.0 * MARGIN).max(200.0)))
        .unwrap_or_default();
    let cap_w = cap_lines
        .iter()
        .map(|l| text_width(l, CAPTION_SIZE, false))
        .fold(0.0, f32::max);
    let same_row = cap_lines.len() == 1 && lw + 32.0 + cap_w <= base_w - 2.0 * MARGIN;
    let width = base_w.max(lw + 2.0 * MARGIN).ceil();
    let cap_top = if same_row {
        legend_y
    } else {
        legend_y + lh + 8.0
    };
    let height = (if cap_lines.is_empty() {
        legend_y + lh
    } else {
        cap_top + 16.0 * cap_lines.len() as f32
    }) + MARGIN;
    let height = height.ceil();

    let mut w = Writer::new(
        width,
        height,
        &format!("fleetdoc-diagram {kind}"),
        &d.title,
        &d.description,
    );
    style::defs(&mut w);
    crate::style::background(&mut w, width, height);
    for t in &s.title {
        w.text(t);
    }
    for (name, frame, label) in &s.regions {
        let _ = writeln!(w.out, "<g class=\"region\" data-id=\"{}\">", esc(name));
        w.rect(
            *frame,
            12.0,
            "none",
            style::GROUP_STROKE,
            1.0,
            " stroke-dasharray=\"6 4\"",
        );
        w.text(&TextLine {
            text: name.clone(),
            x: label.x,
            y: label.y + 12.0,
            size: 12.0,
            bold: true,
            fill: style::MUTED,
            anchor: Anchor::Start,
        });
        w.raw("</g>\n");
    }
    for h in &s.hosts {
        host(&mut w, h);
    }
    if let Some(r) = s.internet {
        internet(&mut w, r);
    }
    w.raw("<g class=\"edges\">\n");
    // Distinct routes, numbered: a crossing of two routes gets a gap (see `hops`).
    let mut routes: Vec<&[crate::geom::Pt]> = Vec::new();
    for e in &s.edges {
        if !routes.contains(&e.path.as_slice()) {
            routes.push(&e.path);
        }
    }
    let verticals = crate::hops::verticals(&routes);
    for e in &s.edges {
        let own = routes
            .iter()
            .position(|r| *r == e.path.as_slice())
            .unwrap_or(usize::MAX);
        let dpath = crate::hops::path_data(&e.path, own, &verticals);
        let end = match &e.tooltip {
            Some(t) => format!("><title>{}</title></path>", esc(t)),
            None => "/>".to_string(),
        };
        let (kind, attrs) = match e.drawn {
            Drawn::Edge(k) => (k.word().to_string(), style::edge_attrs(k)),
            Drawn::Bundle(n) => (format!("bundle\" data-count=\"{n}"), style::bundle_attrs()),
        };
        let _ = writeln!(
            w.out,
            "<path class=\"edge\" data-from=\"{}\" data-to=\"{}\" data-kind=\"{kind}\" d=\"{dpath}\" {attrs}{end}",
            esc(&e.from),
            esc(&e.to),
        );
    }
    w.raw("</g>\n");
    for e in &s.edges {
        if let Some((r, text)) = &e.label {
            let color = match e.drawn {
                Drawn::Edge(k) => style::edge_stroke(k).0,
                Drawn::Bundle(_) => style::EDGE_GRAY,
            };
            edge_label(&mut w, (&e.from, &e.to), *r, text, color);
        }
    }
    legend::draw(
        &mut w,
        MARGIN,
        legend_y,
        width - 2.0 * MARGIN,
        true,
        bundles,
    );
    write_caption(&mut w, &cap_lines, width - MARGIN, cap_top);
    let mut stats = s.stats;
    stats.width = width;
    stats.height = height;
    (
        Svg {
            min_text: w.min_text(),
            text: w.finish(),
            width,
            height,
        },
        stats,
    )
}

pub(crate) fn host(w: &mut Writer, h: &HostNode) {
    let _ = writeln!(w.out, "<g class=\"host\" data-id=\"{}\">", esc(&h.id));
    w.rect(h.rect, 12.0, HOST_FILL, HOST_STROKE, 1.0, "");
    if let Some(href) = &h.href {
        let _ = writeln!(w.out, "<a href=\"{}\">", esc(href));
    }
    for (k, t) in h.title.iter().enumerate() {
        w.text(&TextLine {
            text: t.clone(),
            x: h.rect.x + boxes::HOST_PAD,
            y: h.rect.y + boxes::header_title_baseline(k),
            size: boxes::HOST_TITLE_SIZE,
            bold: true,
            fill: TEXT,
            anchor: Anchor::Start,
        });
    }
    if h.href.is_some() {
        w.raw("</a>\n");
    }
    for (k, t) in h.subtitle.iter().enumerate() {
        w.text(&TextLine {
            text: t.clone(),
            x: h.rect.x + boxes::HOST_PAD,
            y: h.rect.y + boxes::header_sub_baseline(h.title.len(), k),
            size: boxes::HOST_SUB_SIZE,
            bold: false,
            fill: MUTED,
            anchor: Anchor::Start,
        });
    }
    for g in &h.groups {
        let _ = writeln!(w.out, "<g class=\"group\" data-name=\"{}\">", esc(&g.name));
        w.rect(
            g.rect,
            10.0,
            "none",
            GROUP_STROKE,
            1.0,
            " stroke-dasharray=\"4 3\"",
        );
        let (asc, _) = crate::font::line_extent(boxes::GROUP_LABEL_SIZE, true);
        w.text(&TextLine {
            text: g.name.clone(),
            x: g.label_rect.x,
            y: g.label_rect.y + asc,
            size: boxes::GROUP_LABEL_SIZE,
            bold: true,
            fill: MUTED,
            anchor: Anchor::Start,
        });
        w.raw("</g>\n");
    }
    for s in &h.services {
        service(w, s);
    }
    w.raw("</g>\n");
}

pub(crate) fn service(w: &mut Writer, s: &SvcNode) {
    if let Some(href) = &s.href {
        let _ = writeln!(w.out, "<a href=\"{}\">", esc(href));
    }
    let r = s.rect;
    if s.summary {
        let _ = writeln!(
            w.out,
            "<g class=\"service-summary\" data-id=\"{}\" data-members=\"{}\" data-status=\"{}\">",
            esc(&s.id),
            esc(&s.members.join(" ")),
            s.status.word()
        );
    } else {
        let _ = writeln!(
            w.out,
            "<g class=\"service\" data-id=\"{}\" data-status=\"{}\">",
            esc(&s.id),
            s.status.word()
        );
    }
    let (fill, stroke, sw) = if s.ingress {
        (INGRESS_FILL, ACCENT, 1.5)
    } else {
        (SERVICE_FILL, SERVICE_STROKE, 1.0)
    };
    w.rect(r, 8.0, fill, stroke, sw, "");
    if s.summary {
        w.rect(r.inflate(-3.0), 6.0, "none", SERVICE_STROKE, 1.0, "");
    }
    w.rect(
        Rect::new(r.x + 5.0, r.y + 8.0, 3.0, r.h - 16.0),
        1.5,
        style::status_color(s.status),
        "none",
        0.0,
        "",
    );
    for (k, t) in s.label.iter().enumerate() {
        w.text(&TextLine {
            text: t.clone(),
            x: r.x + boxes::SVC_PAD_L,
            y: r.y + boxes::label_baseline(k),
            size: boxes::LABEL_SIZE,
            bold: true,
            fill: TEXT,
            anchor: Anchor::Start,
        });
    }
    for (k, t) in s.details.iter().enumerate() {
        w.text(&TextLine {
            text: t.clone(),
            x: r.x + boxes::SVC_PAD_L,
            y: r.y + boxes::detail_baseline(s.label.len(), k),
            size: boxes::DETAIL_SIZE,
            bold: false,
            fill: MUTED,
            anchor: Anchor::Start,
        });
    }
    style::status_badge(w, r.right() - 15.0, r.y + 15.0, s.status);
    w.raw("</g>\n");
    if s.href.is_some() {
        w.raw("</a>\n");
    }
}

pub(crate) fn internet(w: &mut Writer, r: Rect) {
    w.raw("<g class=\"internet\" data-id=\"internet\">\n");
    w.rect(r, r.h / 2.0, SERVICE_FILL, ACCENT, 1.5, "");
    let (cx, cy) = (r.x + 22.0, r.y + r.h / 2.0);
    let _ = writeln!(
        w.out,
        "<g fill=\"none\" stroke=\"{ACCENT}\" stroke-width=\"1.3\" class=\"stroke-accent\"><circle cx=\"{}\" cy=\"{}\" r=\"8\"/><ellipse cx=\"{}\" cy=\"{}\" rx=\"3.6\" ry=\"8\"/><path d=\"M{} {} L{} {}\"/></g>",
        n(cx),
        n(cy),
        n(cx),
        n(cy),
        n(cx - 8.0),
        n(cy),
        n(cx + 8.0),
        n(cy)
    );
    w.text(&TextLine {
        text: "Internet".into(),
        x: r.x + 38.0,
        y: cy + 4.5,
        size: 13.0,
        bold: true,
        fill: TEXT,
        anchor: Anchor::Start,
    });
    w.raw("</g>\n");
}

/// An edge's label: a pill at `r` in the line's color, its text centered, in a group that
/// names the edge's ends.
pub(crate) fn edge_label(
    w: &mut Writer,
    (from, to): (&str, &str),
    r: Rect,
    text: &str,
    color: &str,
) {
    let _ = writeln!(
        w.out,
        "<g class=\"edge-label\" data-from=\"{}\" data-to=\"{}\">",
        esc(from),
        esc(to)
    );
    w.rect(r, 8.0, LABEL_FILL, color, 1.0, "");
    w.text(&TextLine {
        text: text.to_string(),
        x: r.x + r.w / 2.0,
        y: r.y + r.h / 2.0 + 3.8,
        size: labels::SIZE,
        bold: false,
        fill: TEXT,
        anchor: Anchor::Middle,
    });
    w.raw("</g>\n");
}

/// The caption's lines, right-aligned at `right`, the first line's box starting at `top`.
pub(crate) fn write_caption(w: &mut Writer, lines: &[String], right: f32, top: f32) {
    if lines.is_empty() {
        return;
    }
    w.raw("<g class=\"caption\">\n");
    for (k, l) in lines.iter().enumerate() {
        w.text(&TextLine {
            text: l.clone(),
            x: right,
            y: top + 12.0 + k as f32 * 16.0,
            size: CAPTION_SIZE,
            bold: false,
            fill: MUTED,
            anchor: Anchor::End,
        });
    }
    w.raw("</g>\n");
}
