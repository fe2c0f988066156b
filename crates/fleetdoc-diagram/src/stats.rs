//! Figures about a finished layout (crossings, bends, size), used by the benchmark and the
//! tests to compare layouts, here and against Graphviz.

use crate::geom::Pt;
use crate::topology::RoutedEdge;

/// Measured quality of one layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayoutStats {
    /// Canvas width in px.
    pub width: f32,
    /// Canvas height in px.
    pub height: f32,
    /// Pairs of edge segments that properly cross (identical routes counted once).
    pub crossings: usize,
    /// Corners over all distinct routes.
    pub bends: usize,
    /// Total length of all distinct routes in px.
    pub edge_length: f32,
    /// Edge labels left out for want of a free spot.
    pub dropped_labels: usize,
    /// Pairs of edges with unrelated ends drawn on one track (parallel, closer than 1.5 px,
    /// overlapping by more than 2 px).
    pub shared_tracks: usize,
    /// Edges drawn with the fallback because no clear path existed.
    pub unrouted: usize,
    /// Groups were collapsed into summary boxes.
    pub collapsed: bool,
}

pub(crate) fn measure(edges: &[RoutedEdge]) -> LayoutStats {
    // Edges drawn on the very same line (a bundle of identical routes) are one line to a
    // reader: count each distinct line once.
    let mut paths: Vec<Vec<Pt>> = Vec::new();
    for e in edges {
        if !paths.contains(&e.path) {
            paths.push(e.path.clone());
        }
    }
    of_lines(&paths)
}

/// Crossings, bends and length of distinct lines (each drawn once).
pub(crate) fn of_lines(paths: &[Vec<Pt>]) -> LayoutStats {
    LayoutStats {
        crossings: count_crossings(paths),
        bends: paths.iter().map(|p| p.len().saturating_sub(2)).sum(),
        edge_length: paths
            .iter()
            .flat_map(|p| {
                p.windows(2)
                    .map(|w| ((w[0].x - w[1].x).powi(2) + (w[0].y - w[1].y).powi(2)).sqrt())
            })
            .sum(),
        ..LayoutStats::default()
    }
}

fn orient(a: (f32, f32), b: (f32, f32), c: (f32, f32)) -> f32 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// True when segments p1-p2 and q1-q2 cross at a single point inside both (touching,
/// sharing an end or running along each other does not count).
fn proper(p1: (f32, f32), p2: (f32, f32), q1: (f32, f32), q2: (f32, f32)) -> bool {
    let eps = 1e-3;
    let d1 = orient(q1, q2, p1);
    let d2 = orient(q1, q2, p2);
    let d3 = orient(p1, p2, q1);
    let d4 = orient(p1, p2, q2);
    ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps))
        && ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps))
}

/// Which of `paths` cross another one.
pub(crate) fn crossing_lines(paths: &[Vec<crate::geom::Pt>]) -> Vec<bool> {
    let mut out = vec![false; paths.len()];
    for i in 0..paths.len() {
        for j in i + 1..paths.len() {
            if count_crossings(&[paths[i].clone(), paths[j].clone()]) > 0 {
                out[i] = true;
                out[j] = true;
            }
        }
    }
    out
}

/// Number of proper crossings between polylines of different edges (any angles, so the
/// same count applies to Graphviz splines flattened to polylines).
pub fn count_crossings(paths: &[Vec<Pt>]) -> usize {
    type Seg = ((f32, f32), (f32, f32));
    let segs: Vec<Vec<Seg>> = paths
        .iter()
        .map(|p| {
            p.windows(2)
                .map(|w| ((w[0].x, w[0].y), (w[1].x, w[1].y)))
                .collect()
        })
        .collect();
    let boxes: Vec<(f32, f32, f32, f32)> = paths
        .iter()
        .map(|p| {
            p.iter()
                .fold((f32::MAX, f32::MAX, f32::MIN, f32::MIN), |b, q| {
                    (b.0.min(q.x), b.1.min(q.y), b.2.max(q.x), b.3.max(q.y))
                })
        })
        .collect();
    let mut n = 0;
    for i in 0..segs.len() {
        for j in i + 1..segs.len() {
            let (a, b) = (boxes[i], boxes[j]);
            if a.2 < b.0 || b.2 < a.0 || a.3 < b.1 || b.3 < a.1 {
                continue;
            }
            for s in &segs[i] {
                n += segs[j]
                    .iter()
                    .filter(|t| proper(s.0, s.1, t.0, t.1))
                    .count();
            }
        }
    }
    n
}
