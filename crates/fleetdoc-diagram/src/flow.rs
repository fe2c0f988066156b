//! The public request flow, left to right in four columns: public hostname -> ingress ->
//! service -> host. One row per route; a box that serves several rows is centered on them,
//! so edges fan out from the ingress and converge on the host like a tidy tree.

use crate::boxes::{layout_host, service_node, HostNode, SvcNode};
use crate::draw;
use crate::font::text_width;
use crate::geom::{Pt, Rect};
use crate::legend;
use crate::model::{Diagram, EdgeKind, HostBox, ServiceBox, Svg, INTERNET};
use crate::stats::{count_crossings, LayoutStats};
use crate::style::{self, *};
use crate::svg::{esc, n, Anchor, TextLine, Writer};
use crate::topology::{MARGIN, TITLE_SIZE};
use std::fmt::Write;

const COL_GAP: f32 = 72.0;
const ROW_GAP: f32 = 14.0;
const PILL_H: f32 = 30.0;
const PILL_SIZE: f32 = 12.0;
const HEAD_SIZE: f32 = 12.0;

/// One public route.
struct Route {
    hostname: String,
    ingress: Option<usize>,
    service: usize,
    host: usize,
}

/// A box in a column and the rows it serves.
struct Cell {
    rows: Vec<usize>,
    rect: Rect,
}

fn first_hostname(s: &ServiceBox) -> String {
    s.details
        .iter()
        .find(|d| d.contains('.') && !d.contains(' '))
        .cloned()
        .unwrap_or_else(|| s.label.clone())
}

/// Collects the routes from the public edges, ordered by host then service.
fn routes(d: &Diagram, svcs: &[(usize, &ServiceBox)]) -> Vec<Route> {
    let find = |id: &str| svcs.iter().position(|(_, s)| s.id == id);
    let mut out: Vec<Route> = Vec::new();
    for e in d.edges.iter().filter(|e| e.kind == EdgeKind::Public) {
        let Some(to) = find(&e.to) else { continue };
        let (ingress, hostname) = if e.from == INTERNET {
            if svcs[to].1.ingress {
                continue; // internet -> ingress is implied by every row
            }
            (
                None,
                e.label
                    .clone()
                    .unwrap_or_else(|| first_hostname(svcs[to].1)),
            )
        } else {
            match find(&e.from) {
                Some(f) if svcs[f].1.ingress => (
                    Some(f),
                    e.label
                        .clone()
                        .unwrap_or_else(|| first_hostname(svcs[to].1)),
                ),
                _ => continue,
            }
        };
        let r = Route {
            hostname: hostname.trim().to_string(),
            ingress,
            service: to,
            host: svcs[to].0,
        };
        if !out
            .iter()
            .any(|o| o.hostname == r.hostname && o.ingress == r.ingress && o.service == r.service)
        {
            out.push(r);
        }
    }
    out.sort_by(|a, b| (a.host, a.service, &a.hostname).cmp(&(b.host, b.service, &b.hostname)));
    out
}

/// Stacks cells in a column: each centered on its rows, never overlapping the one above.
fn stack(cells: &mut [(usize, Cell)], row_mid: &dyn Fn(&[usize]) -> f32, top: f32) {
    let mut floor = top;
    for (_, c) in cells.iter_mut() {
        let y = (row_mid(&c.rows) - c.rect.h / 2.0).max(floor);
        c.rect.y = y.round();
        floor = c.rect.bottom() + ROW_GAP;
    }
}

pub fn render(d: &Diagram) -> (Svg, LayoutStats) {
    let svcs: Vec<(usize, &ServiceBox)> = d
        .hosts
        .iter()
        .enumerate()
        .flat_map(|(hi, h)| h.services.iter().map(move |s| (hi, s)))
        .collect();
    let rs = routes(d, &svcs);
    let title = TextLine {
        text: d.title.trim().to_string(),
        x: MARGIN,
        y: MARGIN + TITLE_SIZE,
        size: TITLE_SIZE,
        bold: true,
        fill: TEXT,
        anchor: Anchor::Start,
    };
    let head_y = title.y + 30.0;
    let top = head_y + 16.0;

    // Cells per column, in row order.
    let mut cols: [Vec<(usize, Cell)>; 4] = Default::default();
    for (ri, r) in rs.iter().enumerate() {
        let keys = [ri, r.ingress.unwrap_or(usize::MAX), r.service, r.host];
        for (c, key) in keys.into_iter().enumerate() {
            if key == usize::MAX {
                continue;
            }
            match cols[c].iter_mut().find(|(k, _)| *k == key && c > 0) {
                Some((_, cell)) => cell.rows.push(ri),
                None => cols[c].push((
                    key,
                    Cell {
                        rows: vec![ri],
                        rect: Rect::default(),
                    },
                )),
            }
        }
    }
    let pills: Vec<String> = rs.iter().map(|r| r.hostname.clone()).collect();
    let nodes: Vec<SvcNode> = svcs.iter().map(|(_, s)| service_node(s)).collect();
    let hosts: Vec<HostNode> = d
        .hosts
        .iter()
        .map(|h| {
            layout_host(
                &HostBox {
                    services: vec![],
                    ..h.clone()
                },
                1,
                false,
                &[],
            )
        })
        .collect();
    let size_of = |c: usize, key: usize| -> (f32, f32) {
        match c {
            0 => (
                (text_width(&pills[key], PILL_SIZE, false) + 28.0).ceil(),
                PILL_H,
            ),
            1 | 2 => (nodes[key].rect.w, nodes[key].rect.h),
            _ => (hosts[key].rect.w, hosts[key].rect.h),
        }
    };
    let heads = ["Public hostname", "Ingress", "Service", "Host"];
    let mut x = MARGIN;
    let mut col_x = [0.0f32; 4];
    for c in 0..4 {
        let w = cols[c]
            .iter()
            .map(|(k, _)| size_of(c, *k).0)
            .fold(text_width(heads[c], HEAD_SIZE, true), f32::max);
        col_x[c] = x;
        for (k, cell) in cols[c].iter_mut() {
            let (cw, ch) = size_of(c, *k);
            // Service columns share one width; pills and hosts keep their own.
            let cw = if c == 1 || c == 2 { w } else { cw };
            cell.rect = Rect::new(x, 0.0, cw, ch);
        }
        x += w + COL_GAP;
    }
    // Row heights: the tallest thing that serves only that row, at least a pill.
    let mut row_h = vec![PILL_H; rs.len()];
    for (_, cell) in cols.iter().flatten() {
        if let [only] = cell.rows[..] {
            row_h[only] = row_h[only].max(cell.rect.h);
        }
    }
    let mut row_y = Vec::with_capacity(rs.len());
    let mut y = top;
    for h in &row_h {
        row_y.push(y);
        y += h + ROW_GAP;
    }
    let mid = |rows: &[usize]| -> f32 {
        let a = rows.iter().map(|r| row_y[*r]).fold(f32::MAX, f32::min);
        let b = rows
            .iter()
            .map(|r| row_y[*r] + row_h[*r])
            .fold(f32::MIN, f32::max);
        (a + b) / 2.0
    };
    for col in cols.iter_mut() {
        stack(col, &mid, top);
    }
    let bottom = cols
        .iter()
        .flatten()
        .map(|(_, c)| c.rect.bottom())
        .fold(top, f32::max);

    // Edges: from the right middle of one cell to the left middle of the next, one jog.
    let cell_of = |c: usize, row: usize| {
        cols[c]
            .iter()
            .find(|(_, cell)| cell.rows.contains(&row))
            .map(|(k, cell)| (*k, cell.rect))
    };
    let mut edges: Vec<(String, String, &str, Vec<Pt>, &str)> = Vec::new();
    let mut seen: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (ri, r) in rs.iter().enumerate() {
        let chain: Vec<(usize, (usize, Rect))> = (0..4)
            .filter_map(|c| cell_of(c, ri).map(|v| (c, v)))
            .collect();
        for pair in chain.windows(2) {
            let ((ca, (ka, a)), (cb, (kb, b))) = (pair[0], pair[1]);
            if ca > 0 && seen.contains(&(ca, ka, cb, kb)) {
                continue;
            }
            seen.push((ca, ka, cb, kb));
            let (p, q) = (
                Pt::new(a.right(), a.center().y.round()),
                Pt::new(b.x, b.center().y.round()),
            );
            let jx = (col_x[cb] - COL_GAP / 2.0).round();
            let path = if (p.y - q.y).abs() < 0.5 {
                vec![p, q]
            } else {
                vec![p, Pt::new(jx, p.y), Pt::new(jx, q.y), q]
            };
            let from = if ca == 0 {
                INTERNET.to_string()
            } else {
                svcs[ka].1.id.clone()
            };
            let (to, kind) = if cb == 3 {
                (d.hosts[kb].id.clone(), "runs-on")
            } else {
                (svcs[kb].1.id.clone(), "public")
            };
            let hostname = if ca == 0 { r.hostname.as_str() } else { "" };
            edges.push((from, to, kind, path, hostname));
        }
    }

    // Write.
    let content_w = x - COL_GAP + MARGIN;
    let title_w = text_width(&title.text, TITLE_SIZE, true) + 2.0 * MARGIN;
    let width = content_w.max(title_w).max(560.0).ceil();
    let (_, lh) = legend::size(width - 2.0 * MARGIN, false, false);
    let legend_y = bottom + 28.0;
    let height = (legend_y + lh + MARGIN + if d.caption.is_some() { 18.0 } else { 0.0 }).ceil();
    let mut w = Writer::new(
        width,
        height,
        "fleetdoc-diagram flow",
        &d.title,
        &d.description,
    );
    style::defs(&mut w);
    crate::style::background(&mut w, width, height);
    w.text(&title);
    for (c, h) in heads.iter().enumerate() {
        w.text(&TextLine {
            text: h.to_string(),
            x: col_x[c],
            y: head_y,
            size: HEAD_SIZE,
            bold: true,
            fill: MUTED,
            anchor: Anchor::Start,
        });
    }
    if rs.is_empty() {
        w.text(&TextLine {
            text: "No public routes".into(),
            x: MARGIN,
            y: top + 20.0,
            size: 13.0,
            bold: false,
            fill: MUTED,
            anchor: Anchor::Start,
        });
    }
    w.raw("<g class=\"edges\">\n");
    for (from, to, kind, path, hostname) in &edges {
        let mut dp = String::new();
        for (i, p) in path.iter().enumerate() {
            let _ = write!(
                dp,
                "{}{} {}",
                if i == 0 { "M" } else { " L" },
                n(p.x),
                n(p.y)
            );
        }
        let attrs = if *kind == "public" {
            style::edge_attrs(EdgeKind::Public)
        } else {
            format!("fill=\"none\" stroke=\"{GROUP_STROKE}\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"")
        };
        let hn = if hostname.is_empty() {
            String::new()
        } else {
            format!(" data-hostname=\"{}\"", esc(hostname))
        };
        let _ = writeln!(w.out, "<path class=\"edge\" data-from=\"{}\" data-to=\"{}\" data-kind=\"{kind}\"{hn} d=\"{dp}\" {attrs}/>", esc(from), esc(to));
    }
    w.raw("</g>\n");
    for (k, cell) in &cols[0] {
        let r = cell.rect;
        let _ = writeln!(
            w.out,
            "<g class=\"hostname\" data-id=\"{}\">",
            esc(&pills[*k])
        );
        w.rect(r, r.h / 2.0, SERVICE_FILL, ACCENT, 1.2, "");
        w.text(&TextLine {
            text: pills[*k].clone(),
            x: r.x + 14.0,
            y: r.y + r.h / 2.0 + 4.3,
            size: PILL_SIZE,
            bold: false,
            fill: TEXT,
            anchor: Anchor::Start,
        });
        w.raw("</g>\n");
    }
    for col in &cols[1..3] {
        for (k, cell) in col {
            let mut node = nodes[*k].clone();
            node.rect = cell.rect;
            draw::service(&mut w, &node);
        }
    }
    for (k, cell) in &cols[3] {
        let mut h = hosts[*k].clone();
        h.shift(cell.rect.x - h.rect.x, cell.rect.y - h.rect.y);
        draw::host(&mut w, &h);
    }
    legend::draw(&mut w, MARGIN, legend_y, width - 2.0 * MARGIN, false, false);
    if let Some(c) = d
        .caption
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let text = crate::font::ellipsize(c, 11.0, false, width - 2.0 * MARGIN);
        w.text(&TextLine {
            text,
            x: width - MARGIN,
            y: height - MARGIN + 4.0,
            size: 11.0,
            bold: false,
            fill: MUTED,
            anchor: Anchor::End,
        });
    }
    let paths: Vec<Vec<Pt>> = edges.iter().map(|e| e.3.clone()).collect();
    let stats = LayoutStats {
        width,
        height,
        crossings: count_crossings(&paths),
        bends: paths.iter().map(|p| p.len().saturating_sub(2)).sum(),
        ..LayoutStats::default()
    };
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
