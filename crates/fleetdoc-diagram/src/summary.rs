//! The summary picture of a topology too wide to read on a page: one box per region (a host
//! without a region gets a box of its own) with its host and service counts and its
//! services' counts per status, the Internet node, and every edge between two boxes
//! bundled into one line with a count label ("12 links"). Boxes are stacked in one column,
//! narrow enough that a 390 px phone shows its smallest text at 9 px or more; lines between
//! boxes that are not neighbours run in the channels beside the column. Drawn with the
//! topology's pieces: the router, the track nudger, crossing gaps, edge labels, the legend.

use crate::draw::CAPTION_SIZE;
use crate::font::{ellipsize, wrap, wrap_clamped};
use crate::geom::{Pt, Rect};
use crate::labels::{self, Field};
use crate::legend;
use crate::model::{Diagram, EdgeKind, HostBox, Status, Svg, INTERNET};
use crate::nudge;
use crate::place;
use crate::route::{self, Router};
use crate::stats::LayoutStats;
use crate::style::{self, *};
use crate::svg::{esc, n, Anchor, TextLine, Writer};
use crate::topology::{INTERNET_H, INTERNET_W, MARGIN, TITLE_SIZE};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Width of the summary picture, px: at 9/11 of it (its 11 px labels at 9 px) it fits the
/// 324 px a page's text column has on a 390 px phone.
pub const WIDTH: f32 = 380.0;
/// A topology whose smallest text, kept at [`crate::MIN_READABLE_PX`], needs more width
/// than this is shown on a page by its summary (see [`summarizes`]).
pub const SUMMARIZE_OVER_PX: f32 = 2400.0;

/// Room beside the column of boxes for the lines that pass boxes: public traffic from the
/// Internet node on the left, lines between boxes on the right.
const CHANNEL: f32 = 64.0;
/// Space between two boxes (a bundle between neighbours and its label cross it).
const BOX_GAP: f32 = 44.0;
const NAME_SIZE: f32 = 14.0;
const NAME_LH: f32 = 18.0;
const LINE_SIZE: f32 = 12.0;
const LINE_LH: f32 = 17.0;
const PAD_L: f32 = 16.0;
/// Right padding of the first lines (the badge), and of the status counts.
const PAD_R: f32 = 30.0;
const PAD_R_COUNTS: f32 = 8.0;
const PAD_T: f32 = 10.0;
const PAD_B: f32 = 10.0;
/// Statuses in the order a box counts them, with the legend's words.
const STATUSES: [(Status, &str); 4] = [
    (Status::Up, "up"),
    (Status::Down, "down"),
    (Status::Stale, "stale"),
    (Status::Unknown, "no data"),
];

/// Whether a page shows the summary of topology `d` instead of its detail `detail` (as
/// drawn by [`crate::render`]): when the detail collapses groups (over
/// [`crate::COLLAPSE_AT`] services), or when it could not be shrunk below
/// [`SUMMARIZE_OVER_PX`] without its smallest text falling under
/// [`crate::MIN_READABLE_PX`]. Only topologies are summarized.
pub fn summarizes(d: &Diagram, detail: &Svg) -> bool {
    let services: usize = d.hosts.iter().map(|h| h.services.len()).sum();
    d.kind == crate::DiagramKind::Topology
        && (services > crate::COLLAPSE_AT
            || detail.readable_width(crate::MIN_READABLE_PX) > SUMMARIZE_OVER_PX)
}

/// One box: a region, or a host without one.
struct Node {
    id: String,
    region: bool,
    /// Name lines (bold) and the host's subtitle, if a host.
    name: Vec<String>,
    subtitle: Option<String>,
    hosts: usize,
    services: usize,
    counts: [usize; 4],
    worst: Status,
    /// Edges with both ends in this box.
    within: usize,
    href: Option<String>,
    rect: Rect,
}

/// One end of a bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum End {
    Internet,
    Node(usize),
}

/// The edges between two ends, drawn as one line.
struct Bundle {
    a: End,
    b: End,
    count: usize,
    /// Some edge goes a -> b; some edge goes b -> a.
    forward: bool,
    backward: bool,
    kinds: Vec<EdgeKind>,
    path: Vec<Pt>,
    label: Option<Rect>,
    routed: bool,
}

impl Bundle {
    /// Public when every edge is public, depends-on when every edge is, else a link.
    fn kind(&self) -> EdgeKind {
        let all = |k: EdgeKind| !self.kinds.is_empty() && self.kinds.iter().all(|x| *x == k);
        if all(EdgeKind::Public) {
            EdgeKind::Public
        } else if all(EdgeKind::DependsOn) {
            EdgeKind::DependsOn
        } else {
            EdgeKind::Link
        }
    }

    fn text(&self) -> String {
        plural(self.count, "link", "links")
    }
}

fn plural(k: usize, one: &str, many: &str) -> String {
    format!("{k} {}", if k == 1 { one } else { many })
}

fn status_index(s: Status) -> usize {
    STATUSES.iter().position(|(x, _)| *x == s).unwrap_or(3)
}

/// The boxes, in the topology's order of stable keys (regions in the order their first
/// host comes; hosts without a region after them), and the box of every service id.
fn nodes(d: &Diagram) -> (Vec<Node>, BTreeMap<&str, usize>) {
    let mut nodes: Vec<Node> = Vec::new();
    let mut of_service: BTreeMap<&str, usize> = BTreeMap::new();
    let inner = WIDTH - 2.0 * (MARGIN + CHANNEL) - PAD_L - PAD_R;
    for i in place::order(&d.hosts, &d.layout) {
        let h: &HostBox = &d.hosts[i];
        let k = match &h.region {
            Some(r) => match nodes.iter().position(|n| n.region && n.id == *r) {
                Some(k) => k,
                None => {
                    nodes.push(Node {
                        id: r.clone(),
                        region: true,
                        name: wrap_clamped(r.trim(), NAME_SIZE, true, inner, 2),
                        subtitle: None,
                        hosts: 0,
                        services: 0,
                        counts: [0; 4],
                        worst: Status::Up,
                        within: 0,
                        href: None,
                        rect: Rect::default(),
                    });
                    nodes.len() - 1
                }
            },
            None => {
                nodes.push(Node {
                    id: h.id.clone(),
                    region: false,
                    name: wrap_clamped(h.label.trim(), NAME_SIZE, true, inner, 2),
                    subtitle: h
                        .subtitle
                        .as_deref()
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| ellipsize(s, LINE_SIZE, false, inner)),
                    hosts: 0,
                    services: 0,
                    counts: [0; 4],
                    worst: Status::Up,
                    within: 0,
                    href: h.href.clone(),
                    rect: Rect::default(),
                });
                nodes.len() - 1
            }
        };
        let node = &mut nodes[k];
        node.hosts += 1;
        for s in &h.services {
            node.services += 1;
            node.counts[status_index(s.status)] += 1;
            if s.status.severity() > node.worst.severity() {
                node.worst = s.status;
            }
            of_service.entry(s.id.as_str()).or_insert(k);
        }
    }
    for node in &mut nodes {
        if node.services == 0 {
            node.worst = Status::Unknown;
        }
    }
    (nodes, of_service)
}

/// The counts line under a box's name: hosts and services of a region, services of a host.
fn count_line(node: &Node) -> String {
    let services = plural(node.services, "service", "services");
    if node.region {
        format!(
            "{} \u{00b7} {services}",
            plural(node.hosts, "host", "hosts")
        )
    } else {
        services
    }
}

/// The statuses a box counts: those with any service (none when it has no services).
fn shown_statuses(node: &Node) -> Vec<(Status, String)> {
    STATUSES
        .iter()
        .zip(node.counts)
        .filter(|(_, c)| *c > 0)
        .map(|((s, word), c)| (*s, format!("{c} {word}")))
        .collect()
}

/// Width of the column of boxes, and of one status count (its badge, a gap, its text).
const COL_W: f32 = WIDTH - 2.0 * (MARGIN + CHANNEL);
fn count_width(text: &str) -> f32 {
    2.0 * BADGE_R + 5.0 + crate::font::text_width(text, LINE_SIZE, false)
}

/// Status counts a row: two when each fits half the box, else one.
fn status_columns(node: &Node) -> usize {
    let half = (COL_W - PAD_L - PAD_R_COUNTS) / 2.0;
    if shown_statuses(node)
        .iter()
        .all(|(_, t)| count_width(t) <= half - 4.0)
    {
        2
    } else {
        1
    }
}

fn within_line(node: &Node) -> Option<String> {
    (node.within > 0).then(|| format!("{} inside", plural(node.within, "link", "links")))
}

fn box_height(node: &Node) -> f32 {
    let rows = shown_statuses(node).len().div_ceil(status_columns(node));
    PAD_T
        + NAME_LH * node.name.len().max(1) as f32
        + LINE_LH * (usize::from(node.subtitle.is_some()) + 1) as f32
        + LINE_LH * rows as f32
        + LINE_LH * usize::from(node.within > 0) as f32
        + PAD_B
}

/// Draws the summary of topology `d` (see the module documentation).
pub fn render(d: &Diagram) -> (Svg, LayoutStats) {
    let (mut nodes, of_service) = nodes(d);
    let resolve = |id: &str| -> Option<End> {
        if id == INTERNET {
            Some(End::Internet)
        } else {
            of_service.get(id).map(|&k| End::Node(k))
        }
    };

    // Bundles: one per pair of ends, in a fixed order.
    let mut bundles: BTreeMap<(End, End), Bundle> = BTreeMap::new();
    for e in &d.edges {
        let (Some(from), Some(to)) = (resolve(&e.from), resolve(&e.to)) else {
            continue;
        };
        if from == to {
            if let End::Node(k) = from {
                nodes[k].within += 1;
            }
            continue;
        }
        let (a, b) = (from.min(to), from.max(to));
        let bundle = bundles.entry((a, b)).or_insert(Bundle {
            a,
            b,
            count: 0,
            forward: false,
            backward: false,
            kinds: Vec::new(),
            path: Vec::new(),
            label: None,
            routed: false,
        });
        bundle.count += 1;
        if from == a {
            bundle.forward = true;
        } else {
            bundle.backward = true;
        }
        if !bundle.kinds.contains(&e.kind) {
            bundle.kinds.push(e.kind);
        }
    }
    let mut bundles: Vec<Bundle> = bundles.into_values().collect();
    let has_internet = bundles.iter().any(|b| b.a == End::Internet);

    // Title, Internet node, then the boxes in one column.
    let title: Vec<TextLine> = wrap(d.title.trim(), TITLE_SIZE, true, WIDTH - 2.0 * MARGIN)
        .into_iter()
        .enumerate()
        .map(|(k, t)| TextLine {
            text: t,
            x: MARGIN,
            y: MARGIN + TITLE_SIZE + k as f32 * 24.0,
            size: TITLE_SIZE,
            bold: true,
            fill: TEXT,
            anchor: Anchor::Start,
        })
        .collect();
    let title_rect = title.iter().map(|t| t.bounds()).reduce(|a, b| a.union(&b));
    let title_bottom = title_rect.map_or(MARGIN, |r| r.bottom());
    let internet = has_internet.then(|| {
        Rect::new(
            ((WIDTH - INTERNET_W) / 2.0).round(),
            (title_bottom + 20.0).round(),
            INTERNET_W,
            INTERNET_H,
        )
    });
    let mut y = match internet {
        Some(r) => r.bottom() + BOX_GAP,
        None => title_bottom + 24.0,
    };
    let col_x = MARGIN + CHANNEL;
    let col_w = COL_W;
    for node in &mut nodes {
        node.rect = Rect::new(col_x, y.round(), col_w, box_height(node).ceil());
        y = node.rect.bottom() + BOX_GAP;
    }
    let bottom = nodes
        .last()
        .map(|n| n.rect.bottom())
        .or(internet.map(|r| r.bottom()))
        .unwrap_or(title_bottom);
    // Lines stay below the Internet node's top (none loops over it into the title) and
    // inside the picture.
    let top = internet.map_or(title_bottom + 4.0, |r| r.y + 8.0);
    let bounds = Rect::new(8.0, top, WIDTH - 16.0, bottom + 28.0 - top);
    let rect_of = |e: End| match e {
        End::Internet => internet.unwrap_or_default(),
        End::Node(k) => nodes[k].rect,
    };
    // Every bundle is its own line with its own count: no two share a track, so each gets
    // ends of its own (the router and the nudger let lines with a common end merge).
    let ends_of = |k: usize| (2 * k, 2 * k + 1);
    // Public traffic passes boxes on the left, lines between boxes on the right.
    let left = Rect::new(bounds.x, bounds.y, col_x - 2.0 - bounds.x, bounds.h);
    let right = Rect::new(
        col_x + col_w + 2.0,
        bounds.y,
        bounds.right() - col_x - col_w - 2.0,
        bounds.h,
    );

    // Route, shortest first (neighbours before the lines that pass boxes).
    let mut order: Vec<usize> = (0..bundles.len()).collect();
    let span = |b: &Bundle| {
        let (p, q) = (rect_of(b.a).center(), rect_of(b.b).center());
        (p.x - q.x).abs() + (p.y - q.y).abs()
    };
    order.sort_by(|&i, &j| {
        span(&bundles[i])
            .total_cmp(&span(&bundles[j]))
            .then(i.cmp(&j))
    });
    let mut router = Router::default();
    for i in order {
        let (a, b) = (bundles[i].a, bundles[i].b);
        let mut blocks: Vec<Rect> = nodes
            .iter()
            .enumerate()
            .filter(|(k, _)| End::Node(*k) != a && End::Node(*k) != b)
            .map(|(_, n)| n.rect)
            .collect();
        if a != End::Internet {
            blocks.extend(internet);
            blocks.push(left);
        } else {
            blocks.push(right);
        }
        blocks.extend(title_rect);
        let routed = router.route(rect_of(a), rect_of(b), &blocks, bounds, ends_of(i), 1.0);
        bundles[i].routed = routed.is_some();
        bundles[i].path = routed.unwrap_or_else(|| route::fallback(rect_of(a), rect_of(b)));
    }

    // Lines of unrelated pairs off each other's tracks.
    let mut solid: Vec<Rect> = nodes.iter().map(|n| n.rect).collect();
    solid.extend(internet);
    solid.extend(title_rect);
    // The picture's edges: a track is never moved out of the picture.
    let tall = bounds.bottom() + 100.0;
    solid.push(Rect::new(-100.0, 0.0, 100.0 + bounds.x - 4.0, tall));
    solid.push(Rect::new(bounds.right() + 4.0, 0.0, 100.0, tall));
    {
        let ends: Vec<(End, End)> = bundles.iter().map(|b| (b.a, b.b)).collect();
        let mut nudged: Vec<nudge::Edge> = bundles
            .iter_mut()
            .zip(&ends)
            .enumerate()
            .map(|(k, (b, &(x, y)))| nudge::Edge {
                path: &mut b.path,
                ends: ends_of(k),
                from: rect_of(x),
                to: rect_of(y),
            })
            .collect();
        nudge::nudge(
            &mut nudged,
            &nudge::Obstacles {
                solid: &solid,
                hosts: &[],
            },
        );
    }
    let shared_tracks = {
        let paths: Vec<(&[Pt], (usize, usize))> = bundles
            .iter()
            .enumerate()
            .map(|(k, b)| (b.path.as_slice(), ends_of(k)))
            .collect();
        nudge::shared_tracks(&paths)
    };

    // Count labels on their own lines.
    let lines: Vec<(usize, Pt, Pt)> = bundles
        .iter()
        .enumerate()
        .flat_map(|(k, b)| b.path.windows(2).map(move |w| (k, w[0], w[1])))
        .collect();
    let field = Field {
        hard: &solid,
        hosts: &[],
        bounds,
        lines: &lines,
    };
    let mut placed: Vec<Rect> = Vec::new();
    let mut dropped = 0;
    for (k, b) in bundles.iter_mut().enumerate() {
        match labels::place(&b.text(), &b.path, k, &field, &placed) {
            Some(r) => {
                placed.push(r);
                b.label = Some(r);
            }
            None => dropped += 1,
        }
    }

    // Legend and caption below.
    let content_bottom = bundles
        .iter()
        .flat_map(|b| b.path.iter().map(|p| p.y))
        .chain(placed.iter().map(|r| r.bottom()))
        .fold(bottom, f32::max);
    let legend_y = content_bottom + 28.0;
    let (_, lh) = legend::size(WIDTH - 2.0 * MARGIN, true, false);
    let caption: Vec<String> = d
        .caption
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| wrap(c, CAPTION_SIZE, false, WIDTH - 2.0 * MARGIN))
        .unwrap_or_default();
    let cap_top = legend_y + lh + 8.0;
    let height = (if caption.is_empty() {
        legend_y + lh
    } else {
        cap_top + 16.0 * caption.len() as f32
    } + MARGIN)
        .ceil();

    let mut w = Writer::new(
        WIDTH,
        height,
        "fleetdoc-diagram summary",
        &d.title,
        &d.description,
    );
    style::defs(&mut w);
    style::background(&mut w, WIDTH, height);
    for t in &title {
        w.text(t);
    }
    for node in &nodes {
        draw_node(&mut w, node);
    }
    if let Some(r) = internet {
        crate::draw::internet(&mut w, r);
    }
    let id_of = |e: End| match e {
        End::Internet => INTERNET.to_string(),
        End::Node(k) => nodes[k].id.clone(),
    };
    let name_of = |e: End| match e {
        End::Internet => "the Internet".to_string(),
        End::Node(k) => nodes[k].name.join(" "),
    };
    w.raw("<g class=\"edges\">\n");
    let routes: Vec<&[Pt]> = bundles.iter().map(|b| b.path.as_slice()).collect();
    let verticals = crate::hops::verticals(&routes);
    for (k, b) in bundles.iter().enumerate() {
        // The arrow shows the direction when every edge of the bundle goes one way.
        let (from, to, arrow) = match (b.forward, b.backward) {
            (true, false) => (b.a, b.b, true),
            (false, true) => (b.b, b.a, true),
            _ => (b.a, b.b, false),
        };
        let mut path = b.path.clone();
        if from != b.a {
            path.reverse();
        }
        let kind = b.kind();
        let (color, width, dash) = style::edge_stroke(kind);
        let _ = writeln!(
            w.out,
            "<path class=\"edge\" data-from=\"{}\" data-to=\"{}\" data-kind=\"bundle\" data-count=\"{}\" data-of=\"{}\" d=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{}\"{}{} stroke-linejoin=\"round\"><title>{}</title></path>",
            esc(&id_of(from)),
            esc(&id_of(to)),
            b.count,
            kind.word(),
            crate::hops::path_data(&path, k, &verticals),
            n(width),
            dash.map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default(),
            if arrow {
                format!(" marker-end=\"url(#arrow-{})\"", kind.word())
            } else {
                String::new()
            },
            esc(&format!(
                "{} {} {}",
                b.text(),
                if arrow { "from" } else { "between" },
                if arrow {
                    format!("{} to {}", name_of(from), name_of(to))
                } else {
                    format!("{} and {}", name_of(from), name_of(to))
                }
            )),
        );
    }
    w.raw("</g>\n");
    for (b, r) in bundles.iter().filter_map(|b| b.label.map(|r| (b, r))) {
        let (from, to) = if b.backward && !b.forward {
            (b.b, b.a)
        } else {
            (b.a, b.b)
        };
        let (color, _, _) = style::edge_stroke(b.kind());
        crate::draw::edge_label(&mut w, (&id_of(from), &id_of(to)), r, &b.text(), color);
    }
    legend::draw(&mut w, MARGIN, legend_y, WIDTH - 2.0 * MARGIN, true, false);
    crate::draw::write_caption(&mut w, &caption, WIDTH - MARGIN, cap_top);
    let paths: Vec<Vec<Pt>> = bundles.iter().map(|b| b.path.clone()).collect();
    let stats = LayoutStats {
        width: WIDTH,
        height,
        dropped_labels: dropped,
        shared_tracks,
        unrouted: bundles.iter().filter(|b| !b.routed).count(),
        collapsed: false,
        ..crate::stats::of_lines(&paths)
    };
    (
        Svg {
            min_text: w.min_text(),
            text: w.finish(),
            width: WIDTH,
            height,
        },
        stats,
    )
}

/// A box: status stripe, name, host's subtitle, counts, status counts, edges inside, and
/// the worst status as its badge.
fn draw_node(w: &mut Writer, node: &Node) {
    if let Some(href) = &node.href {
        let _ = writeln!(w.out, "<a href=\"{}\">", esc(href));
    }
    let _ = writeln!(
        w.out,
        "<g class=\"summary-node\" data-id=\"{}\" data-kind=\"{}\" data-hosts=\"{}\" data-services=\"{}\" data-links-inside=\"{}\" data-status=\"{}\">",
        esc(&node.id),
        if node.region { "region" } else { "host" },
        node.hosts,
        node.services,
        node.within,
        node.worst.word()
    );
    let r = node.rect;
    w.rect(r, 12.0, HOST_FILL, HOST_STROKE, 1.0, "");
    w.rect(
        Rect::new(r.x + 6.0, r.y + 10.0, 3.0, r.h - 20.0),
        1.5,
        style::status_color(node.worst),
        "none",
        0.0,
        "",
    );
    let x = r.x + PAD_L;
    let mut y = r.y + PAD_T;
    for t in &node.name {
        w.text(&TextLine {
            text: t.clone(),
            x,
            y: y + 14.0,
            size: NAME_SIZE,
            bold: true,
            fill: TEXT,
            anchor: Anchor::Start,
        });
        y += NAME_LH;
    }
    if node.name.is_empty() {
        y += NAME_LH;
    }
    let line = |w: &mut Writer, text: String, y: f32, fill: &'static str| {
        w.text(&TextLine {
            text,
            x,
            y: y + 13.0,
            size: LINE_SIZE,
            bold: false,
            fill,
            anchor: Anchor::Start,
        });
    };
    if let Some(s) = &node.subtitle {
        line(w, s.clone(), y, MUTED);
        y += LINE_LH;
    }
    line(w, count_line(node), y, TEXT);
    y += LINE_LH;
    let cols = status_columns(node);
    let cell = (r.w - PAD_L - PAD_R_COUNTS) / cols as f32;
    for (k, (status, text)) in shown_statuses(node).into_iter().enumerate() {
        let cx = x + (k % cols) as f32 * cell;
        let cy = y + (k / cols) as f32 * LINE_LH;
        let _ = write!(
            w.out,
            "<g class=\"count\" data-status=\"{}\">",
            status.word()
        );
        style::status_badge(w, cx + BADGE_R, cy + 9.0, status);
        w.text(&TextLine {
            text: ellipsize(&text, LINE_SIZE, false, cell - 2.0 * BADGE_R - 8.0),
            x: cx + 2.0 * BADGE_R + 5.0,
            y: cy + 13.0,
            size: LINE_SIZE,
            bold: false,
            fill: TEXT,
            anchor: Anchor::Start,
        });
        w.raw("</g>\n");
    }
    y += LINE_LH * shown_statuses(node).len().div_ceil(cols) as f32;
    if let Some(t) = within_line(node) {
        line(w, t, y, MUTED);
    }
    style::status_badge(w, r.right() - 16.0, r.y + 17.0, node.worst);
    w.raw("</g>\n");
    if node.href.is_some() {
        w.raw("</a>\n");
    }
}
