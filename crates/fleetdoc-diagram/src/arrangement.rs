//! Where the hosts of a small fleet go. Hosts placed by stable keys alone (see `place`)
//! ignore the lines between them: two hosts joined by many links may land at opposite
//! corners, and their lines then cross the whole drawing. For a fleet of 2 to 8 hosts
//! without layout hints, this module searches the arrangements of hosts (their order in
//! the grid and the number of columns) against the whole drawing's lines: every
//! arrangement is first scored by a cheap estimate (straight lines between box centers:
//! their length, their crossings, and the hosts they pass over), a hill climb swaps pairs
//! of hosts while the estimate drops, and the best few are then laid out and routed for
//! real; the layout keeps the one with the fewest crossings, then the shortest lines
//! (`score`). Hosts of one region stay next to each other. Large fleets keep the order of
//! stable keys, so an edit there moves no host (see `tests/stability.rs`).

use crate::boxes::HostNode;
use crate::geom::{Pt, Rect};
use crate::model::{Diagram, DiagramKind, INTERNET};
use crate::place::{self, HOST_GAP};
use crate::stats::LayoutStats;
use std::collections::BTreeMap;

/// Fleets with more hosts than this keep the order of stable keys.
pub const SEARCH_UP_TO: usize = 8;
/// Arrangements routed for real besides the order of stable keys.
const ROUTED: usize = 5;
/// Estimate: one crossing of two straight lines weighs this many px of length.
const EST_CROSS: f32 = 400.0;
/// Estimate: a line over a host it does not end in must go round it.
const EST_OVER_HOST: f32 = 150.0;
/// Drawings wider than this many times their height (or taller than wide by the inverse)
/// are not tried.
const MAX_RATIO: f32 = 3.0;
const MIN_RATIO: f32 = 0.6;

/// Hosts in drawing order (indices into `Diagram::hosts`) and the number of columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrangement {
    pub order: Vec<usize>,
    pub columns: usize,
}

/// How good a routed layout is: crossings first (one weighs 600 px of line), lines that
/// share a track or found no route heavily, then length, bends and labels left out.
pub fn score(s: &LayoutStats, content: Rect) -> f32 {
    let ratio = content.w.max(1.0) / content.h.max(1.0);
    let shape = if !(MIN_RATIO - 0.2..=MAX_RATIO + 0.5).contains(&ratio) {
        2000.0
    } else {
        0.0
    };
    s.crossings as f32 * 600.0
        + s.shared_tracks as f32 * 3000.0
        + s.unrouted as f32 * 5000.0
        + s.edge_length
        + s.bends as f32 * 24.0
        + s.dropped_labels as f32 * 60.0
        + shape
}

/// One end of an edge for the estimate: a box (host index, center in the host's own
/// coordinates) or the Internet node.
#[derive(Clone, Copy)]
enum End {
    Internet,
    Box(usize, Pt),
}

/// The arrangements worth routing for `d` (`nodes`: its hosts laid out in their own
/// coordinates, in `d.hosts` order), best estimate first; `None` when `d` keeps the order
/// of stable keys (not a topology, over `SEARCH_UP_TO` hosts, or with layout hints).
pub fn candidates(d: &Diagram, nodes: &[HostNode]) -> Option<Vec<Arrangement>> {
    let n = d.hosts.len();
    let hinted =
        !d.layout.order.is_empty() || !d.layout.pins.is_empty() || d.layout.columns.is_some();
    let total: usize = d.hosts.iter().map(|h| h.services.len()).sum();
    if d.kind != DiagramKind::Topology
        || !(2..=SEARCH_UP_TO).contains(&n)
        || hinted
        || total > crate::topology::COLLAPSE_AT
    {
        return None;
    }
    // Every service's box: host and center.
    let mut at: BTreeMap<&str, (usize, Pt)> = BTreeMap::new();
    for (h, node) in nodes.iter().enumerate() {
        for s in &node.services {
            for m in &s.members {
                at.entry(m.as_str()).or_insert((h, s.rect.center()));
            }
        }
    }
    let end = |id: &str| {
        if id == INTERNET {
            Some(End::Internet)
        } else {
            at.get(id).map(|&(h, p)| End::Box(h, p))
        }
    };
    let lines: Vec<(End, End)> = d
        .edges
        .iter()
        .filter_map(|e| Some((end(&e.from)?, end(&e.to)?)))
        .filter(|(a, b)| match (a, b) {
            (End::Box(h, p), End::Box(k, q)) => h != k || p.x != q.x || p.y != q.y,
            _ => true,
        })
        .collect();
    let regions: Vec<Option<&str>> = d.hosts.iter().map(|h| h.region.as_deref()).collect();
    let skeletons: Vec<HostNode> = nodes
        .iter()
        .map(|h| HostNode {
            services: Vec::new(),
            groups: Vec::new(),
            ..h.clone()
        })
        .collect();
    let stable = place::order(&d.hosts, &d.layout);
    let eval = |order: &[usize], columns: usize| -> Option<f32> {
        estimate(order, columns, &skeletons, &regions, &lines)
    };
    let mut found: Vec<(f32, Arrangement)> = Vec::new();
    for columns in 1..=n {
        let Some(first) = eval(&stable, columns) else {
            continue;
        };
        let mut order = stable.clone();
        let mut cost = first;
        for _ in 0..3 {
            let mut better = false;
            for i in 0..n {
                for j in i + 1..n {
                    order.swap(i, j);
                    let c = if contiguous(&order, &regions) {
                        eval(&order, columns)
                    } else {
                        None
                    };
                    match c {
                        Some(c) if c + 1e-3 < cost => {
                            cost = c;
                            better = true;
                        }
                        _ => order.swap(i, j),
                    }
                }
            }
            if !better {
                break;
            }
        }
        for (c, o) in [(first, stable.clone()), (cost, order)] {
            let a = Arrangement { order: o, columns };
            if !found.iter().any(|f| f.1 == a) {
                found.push((c, a));
            }
        }
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    Some(found.into_iter().take(ROUTED).map(|f| f.1).collect())
}

/// The hosts of each region (and those without one) sit next to each other in `order`.
fn contiguous(order: &[usize], regions: &[Option<&str>]) -> bool {
    let mut seen: Vec<Option<&str>> = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        let r = regions[i];
        if k > 0 && regions[order[k - 1]] == r {
            continue;
        }
        if seen.contains(&r) {
            return false;
        }
        seen.push(r);
    }
    true
}

/// The estimate of an arrangement (lower is better), or `None` when its shape is out of
/// bounds: the hosts placed as the grid would place them, each line straight between its
/// box centers (the Internet node above the hosts, over its boxes' middle), scored by
/// length, crossings and the hosts a line passes over.
fn estimate(
    order: &[usize],
    columns: usize,
    skeletons: &[HostNode],
    regions: &[Option<&str>],
    lines: &[(End, End)],
) -> Option<f32> {
    let mut hosts: Vec<HostNode> = order.iter().map(|&i| skeletons[i].clone()).collect();
    let region_of: Vec<Option<&str>> = order.iter().map(|&i| regions[i]).collect();
    let pins = vec![None; order.len()];
    let (w, h) = place::grid(&mut hosts, &region_of, &pins, Some(columns), 0.0, 0.0);
    let ratio = w / h.max(1.0);
    if !(MIN_RATIO..=MAX_RATIO).contains(&ratio) {
        return None;
    }
    let mut rect = vec![Rect::default(); skeletons.len()];
    for (k, &i) in order.iter().enumerate() {
        rect[i] = hosts[k].rect;
    }
    let targets: Vec<f32> = lines
        .iter()
        .filter_map(|(a, b)| match (a, b) {
            (End::Internet, End::Box(h, p)) | (End::Box(h, p), End::Internet) => {
                Some(rect[*h].x + p.x)
            }
            _ => None,
        })
        .collect();
    let internet = Pt::new(
        targets.iter().sum::<f32>() / targets.len().max(1) as f32,
        -HOST_GAP,
    );
    let point = |e: End| match e {
        End::Internet => (internet, usize::MAX),
        End::Box(h, p) => (Pt::new(rect[h].x + p.x, rect[h].y + p.y), h),
    };
    let segs: Vec<(Pt, Pt, usize, usize)> = lines
        .iter()
        .map(|&(a, b)| {
            let ((p, h), (q, k)) = (point(a), point(b));
            (p, q, h, k)
        })
        .collect();
    let mut cost = 0.0;
    for (i, s) in segs.iter().enumerate() {
        cost += (s.0.x - s.1.x).abs() + (s.0.y - s.1.y).abs();
        for (h, r) in rect.iter().enumerate() {
            if h != s.2 && h != s.3 && passes_over(r, s.0, s.1) {
                cost += EST_OVER_HOST;
            }
        }
        for t in &segs[i + 1..] {
            if crosses(s.0, s.1, t.0, t.1) {
                cost += EST_CROSS;
            }
        }
    }
    Some(cost)
}

/// Whether segment a-b passes through the inside of `r` (Liang-Barsky).
fn passes_over(r: &Rect, a: Pt, b: Pt) -> bool {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (p, q) in [
        (-dx, a.x - r.x),
        (dx, r.right() - a.x),
        (-dy, a.y - r.y),
        (dy, r.bottom() - a.y),
    ] {
        if p == 0.0 {
            if q <= 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t1 - t0 > 1e-3
}

fn orient(a: Pt, b: Pt, c: Pt) -> f32 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

/// Segments a-b and c-d cross at one point inside both (lines that share an end do not).
fn crosses(a: Pt, b: Pt, c: Pt, d: Pt) -> bool {
    let (d1, d2) = (orient(a, b, c), orient(a, b, d));
    let (d3, d4) = (orient(c, d, a), orient(c, d, b));
    d1 * d2 < -1e-3 && d3 * d4 < -1e-3
}
