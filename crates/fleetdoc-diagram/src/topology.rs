//! Topology and host diagrams: hosts laid out and placed, the Internet node set above the
//! ingress services it feeds, every edge routed orthogonally, labels placed, and the
//! legend and caption added below. Large fleets collapse each host's groups into summary
//! boxes (see README: "Scale").

use crate::arrangement::{self, Arrangement};
use crate::boxes::{layout_host, HostNode};
use crate::draw;
use crate::font::wrap;
use crate::geom::{Pt, Rect};
use crate::labels::{self, Field};
use crate::model::{Diagram, DiagramKind, INTERNET};
use crate::nudge;
use crate::place::{self, HOST_GAP};
use crate::route::{self, Router};
use crate::stats::{self, LayoutStats};
use crate::svg::{Anchor, TextLine};
use crate::swaps;
use std::collections::BTreeMap;

/// Above this many services a topology collapses each host's groups into summary boxes.
pub const COLLAPSE_AT: usize = 120;
pub const MARGIN: f32 = 24.0;
pub const TITLE_SIZE: f32 = 18.0;
/// The Internet node's size.
pub const INTERNET_W: f32 = 124.0;
pub const INTERNET_H: f32 = 38.0;
const ROUTE_MARGIN: f32 = 28.0;
/// Room above the hosts for the region names, and a region frame's margin around its hosts.
const REGION_HEAD: f32 = 24.0;
const REGION_PAD: f32 = 12.0;
const REGION_SIZE: f32 = 12.0;
/// Distance between the lanes of bundles that run below the region frames.
const LANE: f32 = 28.0;
/// How much more a bundle between regions pays to run along an unrelated line: enough to
/// take a lane of its own, where its count fits.
const BUNDLE_APART: f32 = 40.0;
/// Distance between the bundles that leave one region's frame.
const REGION_SLOT: f32 = 24.0;
/// Lines routed again when they still share a track after nudging (see `layout_as`), what
/// counts as running along another line then (px either side), and how much more it costs.
const REPAIRS: usize = 8;
const REPAIR_NEAR: f32 = 9.0;
const REPAIR_APART: f32 = 40.0;

pub use crate::bundle::End;
use crate::bundle::{self, Conn, Drawn, Places};

/// An edge after routing.
#[derive(Debug, Clone)]
pub struct RoutedEdge {
    pub from: String,
    pub to: String,
    pub drawn: Drawn,
    pub path: Vec<Pt>,
    pub label: Option<(Rect, String)>,
    /// A label that found no free spot: kept as the edge's tooltip.
    pub tooltip: Option<String>,
    /// Index of the line in the list of connections.
    pub index: usize,
}

/// Everything positioned, ready to be written as SVG.
pub struct Scene {
    pub title: Vec<TextLine>,
    pub hosts: Vec<HostNode>,
    pub internet: Option<Rect>,
    /// Region frames: name, frame, the name's box.
    pub regions: Vec<(String, Rect, Rect)>,
    pub edges: Vec<RoutedEdge>,
    pub content: Rect,
    pub stats: LayoutStats,
}

/// Lays out a topology or host diagram. A small fleet (2 to 8 hosts, no layout hints)
/// gets the arrangement of hosts that draws the fewest crossings and the shortest lines
/// (`crate::arrangement`); any other keeps the order of stable keys.
pub fn layout(d: &Diagram) -> Scene {
    let nodes = host_nodes(d);
    let Some(candidates) = arrangement::candidates(d, &nodes) else {
        return layout_as(d, None, &nodes);
    };
    let mut best = layout_as(d, None, &nodes);
    let mut best_score = arrangement::score(&best.stats, best.content);
    let mut best_arr: Option<&Arrangement> = None;
    for c in &candidates {
        let scene = layout_as(d, Some(c), &nodes);
        let score = arrangement::score(&scene.stats, scene.content);
        if score < best_score {
            best = scene;
            best_score = score;
            best_arr = Some(c);
        }
    }
    // Boxes at the ends of crossing lines swapped with their neighbours, against the
    // routed drawing (`crate::swaps`).
    let mut nodes = nodes;
    let boxes: usize = nodes.iter().map(|h| h.services.len()).sum();
    let mut left = swaps::trials(best.edges.len(), boxes);
    while best.stats.crossings > 0 && left > 0 {
        let order: Vec<usize> = match best_arr {
            Some(a) => a.order.clone(),
            None => place::order(&d.hosts, &d.layout),
        };
        let ends = crossing_ends(&best, &nodes, &order);
        let mut improved = false;
        for (a, b) in swaps::candidates(&nodes, &ends) {
            if left == 0 {
                break;
            }
            left -= 1;
            let trial = swaps::swapped(&nodes, a, b);
            let scene = layout_as(d, best_arr, &trial);
            let score = arrangement::score(&scene.stats, scene.content);
            if score + 1e-3 < best_score {
                best = scene;
                best_score = score;
                nodes = trial;
                improved = true;
                break;
            }
        }
        if !improved {
            break;
        }
    }
    best
}

/// The boxes (host index into `d.hosts`, box) at the ends of the lines of `scene` that
/// cross another line, each once, in drawing order (hosts in `order`, lines as drawn).
fn crossing_ends(scene: &Scene, nodes: &[HostNode], order: &[usize]) -> Vec<swaps::At> {
    let paths: Vec<Vec<Pt>> = scene.edges.iter().map(|e| e.path.clone()).collect();
    let crossing = stats::crossing_lines(&paths);
    let find = |id: &str| -> Option<swaps::At> {
        order.iter().find_map(|&h| {
            nodes[h]
                .services
                .iter()
                .position(|s| s.members.iter().any(|m| m == id))
                .map(|s| (h, s))
        })
    };
    let mut out: Vec<swaps::At> = Vec::new();
    for (e, _) in scene.edges.iter().zip(&crossing).filter(|(_, c)| **c) {
        for id in [&e.from, &e.to] {
            if let Some(at) = find(id) {
                if !out.contains(&at) {
                    out.push(at);
                }
            }
        }
    }
    out
}

/// The boxes of every host of `d` laid out in its own coordinates, in `d.hosts` order.
pub(crate) fn host_nodes(d: &Diagram) -> Vec<HostNode> {
    let total: usize = d.hosts.iter().map(|h| h.services.len()).sum();
    let collapse = d.kind == DiagramKind::Topology && total > COLLAPSE_AT;
    let max_cols = if d.kind == DiagramKind::Host { 4 } else { 3 };
    d.hosts
        .iter()
        .map(|h| {
            let own = |id: &str| h.services.iter().any(|s| s.id == id);
            let links: Vec<(&str, &str)> = d
                .edges
                .iter()
                .filter(|e| own(&e.from) || own(&e.to))
                .map(|e| (e.from.as_str(), e.to.as_str()))
                .collect();
            layout_host(h, max_cols, collapse, &links)
        })
        .collect()
}

/// Lays out `d` with its hosts in the order and number of columns of `arr`, or, without
/// one, in the order of stable keys and the columns that suit the drawing's shape.
fn layout_as(d: &Diagram, arr: Option<&Arrangement>, nodes: &[HostNode]) -> Scene {
    let total: usize = d.hosts.iter().map(|h| h.services.len()).sum();
    let collapse = d.kind == DiagramKind::Topology && total > COLLAPSE_AT;
    // Hosts in an order of stable keys (hints, region, ingress first, id).
    let order_idx: Vec<usize> = match arr {
        Some(a) => a.order.clone(),
        None => place::order(&d.hosts, &d.layout),
    };
    let wanted_columns = arr.map_or(d.layout.columns, |a| Some(a.columns));
    let order: Vec<&crate::model::HostBox> = order_idx.iter().map(|&i| &d.hosts[i]).collect();
    let mut hosts: Vec<HostNode> = order_idx.iter().map(|&i| nodes[i].clone()).collect();

    // Title.
    let natural: f32 = hosts.iter().map(|h| h.rect.w).sum::<f32>().max(560.0);
    let title_lines = wrap(d.title.trim(), TITLE_SIZE, true, natural.min(900.0));
    let title: Vec<TextLine> = title_lines
        .into_iter()
        .enumerate()
        .map(|(k, t)| TextLine {
            text: t,
            x: MARGIN,
            y: MARGIN + TITLE_SIZE + k as f32 * 24.0,
            size: TITLE_SIZE,
            bold: true,
            fill: crate::style::TEXT,
            anchor: Anchor::Start,
        })
        .collect();
    let title_bottom = title.last().map_or(MARGIN, |t| t.bounds().bottom());
    let title_rect = title.iter().map(|t| t.bounds()).reduce(|a, b| a.union(&b));

    // Box index: service id -> (host, box).
    let mut index: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (hi, h) in hosts.iter().enumerate() {
        for (si, s) in h.services.iter().enumerate() {
            for m in &s.members {
                index.entry(m.as_str()).or_insert((hi, si));
            }
        }
    }
    let resolve = |id: &str| -> Option<End> {
        if id == INTERNET {
            Some(End::Internet)
        } else {
            index.get(id).map(|&(h, s)| End::Box(h, s))
        }
    };
    let ends: Vec<Option<(End, End)>> = d
        .edges
        .iter()
        .map(|e| Some((resolve(&e.from)?, resolve(&e.to)?)).filter(|(a, b)| a != b))
        .collect();
    let has_internet = ends
        .iter()
        .flatten()
        .any(|(a, b)| *a == End::Internet || *b == End::Internet);

    // Hosts grid under the Internet row.
    let hosts_top = if has_internet {
        title_bottom + 20.0 + INTERNET_H + HOST_GAP
    } else {
        title_bottom + 24.0
    };
    let regions: Vec<Option<&str>> = order.iter().map(|h| h.region.as_deref()).collect();
    // Regions get a frame with their name above their columns.
    let framed = d.kind == DiagramKind::Topology && regions.iter().any(Option::is_some);
    let hosts_top = if framed {
        hosts_top + REGION_HEAD
    } else {
        hosts_top
    };
    let pins: Vec<Option<usize>> = order
        .iter()
        .map(|h| {
            d.layout
                .pins
                .iter()
                .find(|(id, _)| *id == h.id)
                .map(|(_, c)| *c)
        })
        .collect();
    let (gw, _) = place::grid(
        &mut hosts,
        &regions,
        &pins,
        wanted_columns,
        MARGIN,
        hosts_top,
    );
    let internet = has_internet.then(|| {
        let targets: Vec<f32> = ends
            .iter()
            .flatten()
            .filter_map(|(a, b)| match (a, b) {
                (End::Internet, End::Box(h, s)) | (End::Box(h, s), End::Internet) => {
                    Some(hosts[*h].services[*s].rect.center().x)
                }
                _ => None,
            })
            .collect();
        let cx = targets.iter().sum::<f32>() / targets.len().max(1) as f32;
        let x = (cx - INTERNET_W / 2.0).clamp(MARGIN, (MARGIN + gw - INTERNET_W).max(MARGIN));
        Rect::new(
            x.round(),
            (title_bottom + 20.0).round(),
            INTERNET_W,
            INTERNET_H,
        )
    });

    let mut frames: Vec<(String, Rect, Rect)> = Vec::new();
    // Each host's frame, by index into `frames`.
    let mut region_of: Vec<Option<usize>> = vec![None; hosts.len()];
    let mut region_names: Vec<String> = Vec::new();
    if framed {
        for (i, h) in hosts.iter().enumerate() {
            let Some(name) = regions[i] else { continue };
            let r = Rect::new(
                h.rect.x - REGION_PAD,
                hosts_top - REGION_HEAD - 4.0,
                h.rect.w + 2.0 * REGION_PAD,
                h.rect.bottom() + REGION_PAD - (hosts_top - REGION_HEAD - 4.0),
            );
            match frames.iter().position(|f| f.0 == name) {
                Some(k) => {
                    frames[k].1 = frames[k].1.union(&r);
                    region_of[i] = Some(k);
                }
                None => {
                    region_of[i] = Some(frames.len());
                    frames.push((name.to_string(), r, Rect::default()));
                }
            }
        }
        region_names = frames.iter().map(|f| f.0.clone()).collect();
        for f in &mut frames {
            let text = crate::font::ellipsize(&f.0, REGION_SIZE, true, f.1.w - 20.0);
            let w = crate::font::text_width(&text, REGION_SIZE, true);
            f.0 = text;
            f.2 = Rect::new(f.1.x + 10.0, hosts_top - REGION_HEAD, w, 16.0);
        }
    }
    let mut content = hosts
        .iter()
        .map(|h| h.rect)
        .chain(frames.iter().map(|f| f.1))
        .chain(internet)
        .chain(title_rect)
        .fold(Rect::new(MARGIN, MARGIN, 0.0, 0.0), |a, b| a.union(&b));
    // What gets a line: every edge, or in a summarized topology counted bundles for links
    // between hosts.
    let host_ids: Vec<&str> = order.iter().map(|h| h.id.as_str()).collect();
    let conns: Vec<Conn> = bundle::connections(
        d,
        &ends,
        collapse,
        &Places {
            hosts: &host_ids,
            region_of: &region_of,
            regions: &region_names,
        },
    );
    // Bundles between regions run below the frames, each on a lane of its own with room
    // for its count.
    let between_regions = conns
        .iter()
        .filter(|c| matches!(c.ends, Some((End::Region { .. }, _))))
        .count();
    let lanes_top = content.bottom() + route::CLEARANCE;
    let bounds = Rect::new(
        content.x - ROUTE_MARGIN + 8.0,
        title_bottom + 4.0,
        content.w + 2.0 * ROUTE_MARGIN - 16.0,
        content.bottom() + ROUTE_MARGIN + LANE * between_regions as f32 - title_bottom - 4.0,
    );
    let slot_x = |region: usize, slot: usize, slots: usize| {
        let f = frames[region].1;
        (f.center().x + REGION_SLOT * (slot as f32 - (slots as f32 - 1.0) / 2.0)).round()
    };
    let rect_of = |e: End| match e {
        End::Internet => internet.unwrap_or_default(),
        End::Box(h, s) => hosts[h].services[s].rect,
        End::Host(h) => hosts[h].rect,
        // A region's bundles leave from the middle of its frame's bottom side, side by side,
        // straight down to the lanes.
        End::Region {
            region,
            slot,
            slots,
        } => {
            let x = slot_x(region, slot, slots);
            Rect::new(x - 1.0, frames[region].1.bottom() - 2.0, 2.0, 2.0)
        }
    };
    // The bottom sides of the region frames but for the gaps the bundles leave by: they
    // keep a bundle from running along a frame.
    let mut sides: Vec<Rect> = Vec::new();
    for (r, f) in frames.iter().enumerate() {
        let mut gaps: Vec<f32> = conns
            .iter()
            .filter_map(|c| c.ends)
            .flat_map(|(a, b)| [a, b])
            .filter_map(|e| match e {
                End::Region {
                    region,
                    slot,
                    slots,
                } if region == r => Some(slot_x(region, slot, slots)),
                _ => None,
            })
            .collect();
        gaps.sort_by(f32::total_cmp);
        let mut x = f.1.x;
        for g in gaps.into_iter().chain([f.1.right() + 6.0]) {
            if g - 6.0 > x {
                sides.push(Rect::new(
                    x,
                    f.1.bottom() - REGION_PAD,
                    g - 6.0 - x,
                    REGION_PAD,
                ));
            }
            x = g + 6.0;
        }
    }

    // Route, shortest first; identical box pairs share one route.
    let mut order: Vec<usize> = (0..conns.len())
        .filter(|i| conns[*i].ends.is_some())
        .collect();
    let span = |i: &usize| {
        conns[*i].ends.map_or(0.0, |(a, b)| {
            let (p, q) = (rect_of(a).center(), rect_of(b).center());
            (p.x - q.x).abs() + (p.y - q.y).abs()
        })
    };
    order.sort_by(|a, b| span(a).total_cmp(&span(b)).then(a.cmp(b)));
    let end_id = |e: End| match e {
        End::Internet => usize::MAX,
        End::Box(h, s) => h * 1_000_000 + s,
        End::Host(h) => h * 1_000_000 + 999_999,
        End::Region { region, slot, .. } => usize::MAX - 1 - (region * 1000 + slot),
    };
    let mut router = Router::default();
    // Public traffic from the Internet and plain links keep apart.
    router.apart_kinds = true;
    router.lanes = (1..=between_regions)
        .map(|k| lanes_top + LANE * k as f32)
        .collect();
    let mut cache: BTreeMap<(End, End), (Vec<Pt>, bool)> = BTreeMap::new();
    let mut routed: Vec<RoutedEdge> = Vec::new();
    let mut unrouted = 0;
    // What line a-b must go round, and how much it pays to run along an unrelated line.
    let blocks_of = |a: End, b: End| -> (Vec<Rect>, f32) {
        let mut blocks = blocks_for(&hosts, internet, title_rect, a, b);
        blocks.extend(frames.iter().map(|f| f.2));
        // A bundle between regions goes round the other regions.
        for (r, f) in frames.iter().enumerate() {
            let mine = |e: End| matches!(e, End::Region { region, .. } if region == r);
            if matches!(a, End::Region { .. }) && !mine(a) && !mine(b) {
                blocks.push(f.1);
            }
        }
        let apart = if matches!(a, End::Region { .. }) {
            blocks.extend(&sides);
            BUNDLE_APART
        } else {
            1.0
        };
        (blocks, apart)
    };
    for i in order {
        let Some((a, b)) = conns[i].ends else {
            continue;
        };
        let (path, ok) = cache
            .entry((a, b))
            .or_insert_with(|| {
                let (blocks, apart) = blocks_of(a, b);
                match router.route(
                    rect_of(a),
                    rect_of(b),
                    &blocks,
                    bounds,
                    (end_id(a), end_id(b)),
                    apart,
                ) {
                    Some(p) => (p, true),
                    None => (route::fallback(rect_of(a), rect_of(b)), false),
                }
            })
            .clone();
        unrouted += usize::from(!ok);
        let e = &conns[i];
        routed.push(RoutedEdge {
            from: e.from.clone(),
            to: e.to.clone(),
            drawn: e.drawn,
            path,
            label: None,
            tooltip: None,
            index: i,
        });
    }
    routed.sort_by_key(|e| e.index);

    // Unrelated edges off each other's tracks. `solid`: what a track may not sweep across
    // and a label may not cover.
    let mut solid: Vec<Rect> = Vec::new();
    for h in &hosts {
        solid.push(h.header);
        solid.extend(h.services.iter().map(|s| s.rect));
        solid.extend(h.groups.iter().map(|g| g.label_rect));
    }
    solid.extend(internet);
    solid.extend(title_rect);
    solid.extend(frames.iter().map(|f| f.2));
    let host_rects: Vec<Rect> = hosts.iter().map(|h| h.rect).collect();
    let nudge_all = |routed: &mut [RoutedEdge]| {
        let mut nudged: Vec<nudge::Edge> = routed
            .iter_mut()
            .filter_map(|e| {
                let (a, b) = conns[e.index].ends?;
                Some(nudge::Edge {
                    path: &mut e.path,
                    ends: (end_id(a), end_id(b)),
                    from: rect_of(a),
                    to: rect_of(b),
                })
            })
            .collect();
        nudge::nudge(
            &mut nudged,
            &nudge::Obstacles {
                solid: &solid,
                hosts: &host_rects,
            },
        );
    };
    // Pairs of unrelated lines on one track, as indices into `routed`.
    let shared_pairs = |routed: &[RoutedEdge]| -> Vec<(usize, usize)> {
        let at: Vec<usize> = (0..routed.len())
            .filter(|&k| conns[routed[k].index].ends.is_some())
            .collect();
        let paths: Vec<(&[Pt], (usize, usize))> = at
            .iter()
            .filter_map(|&k| {
                let (a, b) = conns[routed[k].index].ends?;
                Some((routed[k].path.as_slice(), (end_id(a), end_id(b))))
            })
            .collect();
        nudge::shared_pairs(&paths)
            .into_iter()
            .map(|(x, y)| (at[x], at[y]))
            .collect()
    };
    let mut base: Vec<Vec<Pt>> = routed.iter().map(|e| e.path.clone()).collect();
    nudge_all(&mut routed);
    // A line still on one track with an unrelated one (the nudger found no free track
    // there) is routed again, every other line where it is now drawn: running within a
    // track's width of an unrelated line costs as if on it, so it takes another channel.
    // Kept only when fewer pairs remain.
    let mut pairs = shared_pairs(&routed);
    let mut tries = 0;
    while let Some(&(x, y)) = pairs.first() {
        if tries >= REPAIRS {
            break;
        }
        let mut fixed = false;
        for k in [y, x] {
            tries += 1;
            let Some((a, b)) = conns[routed[k].index].ends else {
                continue;
            };
            let mut again = Router::default();
            again.near = REPAIR_NEAR;
            again.lanes = router.lanes.clone();
            again.apart_kinds = true;
            for (j, e) in routed.iter().enumerate() {
                if conns[e.index].ends != Some((a, b)) {
                    if let Some((p, q)) = conns[routed[j].index].ends {
                        again.remember(&e.path, (end_id(p), end_id(q)));
                    }
                }
            }
            let (blocks, apart) = blocks_of(a, b);
            let Some(path) = again.route(
                rect_of(a),
                rect_of(b),
                &blocks,
                bounds,
                (end_id(a), end_id(b)),
                apart * REPAIR_APART,
            ) else {
                continue;
            };
            // Every line starts again from its routed (not nudged) path, but this one.
            let mut trial = routed.clone();
            for (e, p) in trial.iter_mut().zip(&base) {
                e.path = if conns[e.index].ends == Some((a, b)) {
                    path.clone()
                } else {
                    p.clone()
                };
            }
            nudge_all(&mut trial);
            let left = shared_pairs(&trial);
            if left.len() < pairs.len() {
                for (e, p) in routed.iter().zip(base.iter_mut()) {
                    if conns[e.index].ends == Some((a, b)) {
                        *p = path.clone();
                    }
                }
                routed = trial;
                pairs = left;
                fixed = true;
                break;
            }
        }
        if !fixed {
            break;
        }
    }
    let shared_tracks = pairs.len();

    // Labels: clear of the same boxes, headers, group labels and names as tracks.
    let hard = &solid;
    // Distinct routes, numbered; identical routes (a bundle of one box pair) are one line.
    let mut routes: Vec<&[Pt]> = Vec::new();
    let route_of: Vec<usize> = routed
        .iter()
        .map(
            |e| match routes.iter().position(|r| *r == e.path.as_slice()) {
                Some(k) => k,
                None => {
                    routes.push(&e.path);
                    routes.len() - 1
                }
            },
        )
        .collect();
    let lines: Vec<(usize, Pt, Pt)> = routes
        .iter()
        .enumerate()
        .flat_map(|(k, r)| r.windows(2).map(move |w| (k, w[0], w[1])))
        .collect();
    // Host and region borders: a label sits wholly on one side of each. (Moved tracks may
    // cross a region's frame: the corridors between regions would hold too few tracks.)
    let borders: Vec<Rect> = host_rects
        .iter()
        .copied()
        .chain(frames.iter().map(|f| f.1))
        .collect();
    let field = Field {
        hard,
        hosts: &borders,
        bounds,
        lines: &lines,
    };
    let mut placed: Vec<Rect> = Vec::new();
    let mut dropped = 0;
    let mut done: BTreeMap<(String, Vec<(i64, i64)>), ()> = BTreeMap::new();
    let mut labels: Vec<Option<(Rect, String)>> = vec![None; routed.len()];
    let mut tooltips: Vec<Option<String>> = vec![None; routed.len()];
    for (n, e) in routed.iter().enumerate() {
        let Some(text) = conns[e.index]
            .label
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            continue;
        };
        // A label already written in an end's box (a public hostname) is not repeated.
        let shown = conns[e.index].ends.is_some_and(|(a, b)| {
            [a, b].iter().any(|end| match end {
                End::Box(h, s) => hosts[*h].services[*s]
                    .details
                    .iter()
                    .any(|l| l.contains(text)),
                End::Internet | End::Host(_) | End::Region { .. } => false,
            })
        });
        if shown {
            continue;
        }
        let sig = (
            text.to_string(),
            e.path
                .iter()
                .map(|p| ((p.x * 10.0) as i64, (p.y * 10.0) as i64))
                .collect(),
        );
        if done.contains_key(&sig) {
            continue;
        }
        // A bundle's count alone ("3") where "3 links" does not fit (a gap between two
        // hosts); the legend says what a wide line with a number is.
        let short = match e.drawn {
            Drawn::Bundle(k) => Some(k.to_string()),
            Drawn::Edge(_) => None,
        };
        let found = labels::place(text, &e.path, route_of[n], &field, &placed)
            .map(|r| (r, text.to_string()))
            .or_else(|| {
                let short = short?;
                labels::place(&short, &e.path, route_of[n], &field, &placed).map(|r| (r, short))
            });
        match found {
            Some((r, shown)) => {
                placed.push(r);
                labels[n] = Some((r, shown));
                done.insert(sig, ());
            }
            None => {
                dropped += 1;
                tooltips[n] = Some(text.to_string());
            }
        }
    }
    for ((e, l), t) in routed.iter_mut().zip(labels).zip(tooltips) {
        e.label = l;
        e.tooltip = t;
    }
    for e in &routed {
        for p in &e.path {
            content = content.union(&Rect::new(p.x, p.y, 0.0, 0.0));
        }
    }
    let mut stats = stats::measure(&routed);
    stats.dropped_labels = dropped;
    stats.unrouted = unrouted;
    stats.shared_tracks = shared_tracks;
    stats.collapsed = collapse;
    Scene {
        title,
        hosts,
        internet,
        regions: frames,
        edges: routed,
        content,
        stats,
    }
}

/// The rectangles line a-b must not pass through: every host but its own, and inside its
/// own hosts every other box, header and group label. A line that ends on a host container
/// or a region frame may cross the inside of its own hosts (it is drawn from their border).
fn blocks_for(
    hosts: &[HostNode],
    internet: Option<Rect>,
    title: Option<Rect>,
    a: End,
    b: End,
) -> Vec<Rect> {
    // A region's bundles run below the frames: every host blocks them.
    let owns = |e: End, hi: usize| match e {
        End::Box(h, _) | End::Host(h) => h == hi,
        End::Region { .. } | End::Internet => false,
    };
    let whole = |e: End| matches!(e, End::Host(_));
    let mut v: Vec<Rect> = Vec::new();
    for (hi, h) in hosts.iter().enumerate() {
        if !owns(a, hi) && !owns(b, hi) {
            v.push(h.rect);
            continue;
        }
        if (owns(a, hi) && whole(a)) || (owns(b, hi) && whole(b)) {
            continue;
        }
        v.push(h.header);
        v.extend(h.groups.iter().map(|g| g.label_rect));
        for (si, s) in h.services.iter().enumerate() {
            if End::Box(hi, si) != a && End::Box(hi, si) != b {
                v.push(s.rect);
            }
        }
    }
    if a != End::Internet && b != End::Internet {
        v.extend(internet);
    }
    v.extend(title);
    v
}

/// Lays out and writes a topology or host diagram.
pub fn render(d: &Diagram) -> (crate::Svg, LayoutStats) {
    let scene = layout(d);
    let kind = if d.kind == DiagramKind::Host {
        "host"
    } else {
        "topology"
    };
    draw::scene(d, kind, scene)
}
