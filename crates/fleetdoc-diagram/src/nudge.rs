//! Nudging routed edges apart. The router lets edges share a stretch, which is right for
//! edges that share an end (they merge into one trunk into or out of that box) and wrong for
//! edges whose ends are unrelated: on one track a reader cannot tell which line goes where.
//! After routing, every straight segment is given a track: its own when no unrelated edge
//! already runs there, otherwise the nearest free parallel track a few pixels over, as long
//! as the move sweeps across no box, header, group label or host border and keeps a segment
//! that ends on a box (a port) on that box's side. Moving a segment's track only stretches
//! its two neighbours, so routes stay orthogonal. Ports of unrelated edges on one box side
//! are spread the same way.

use crate::geom::{Pt, Rect};
use std::collections::BTreeMap;

/// Distance between parallel tracks.
const TRACK: f32 = 4.0;
/// Tracks tried on each side of the routed one.
const TRIES: i32 = 12;
/// Space kept between a moved segment and a box.
const KEEP: f32 = 3.0;
/// Two parallel segments closer than this share a track (to a reader).
pub const SAME_TRACK: f32 = 1.5;
/// Overlap along the track that makes two segments one stretch of line.
pub const MIN_OVERLAP: f32 = 2.0;

/// One routed edge as the nudger sees it.
pub struct Edge<'a> {
    pub path: &'a mut Vec<Pt>,
    /// The boxes the edge ends on (ids that mean the same box for related edges).
    pub ends: (usize, usize),
    /// The rectangles of those boxes.
    pub from: Rect,
    pub to: Rect,
}

/// What a moved segment must not sweep across.
pub struct Obstacles<'a> {
    /// Boxes, headers, group labels, the Internet node, the title.
    pub solid: &'a [Rect],
    /// Host containers: a segment stays on its side of each border.
    pub hosts: &'a [Rect],
}

pub fn related(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 == b.0 || a.0 == b.1 || a.1 == b.0 || a.1 == b.1
}

/// Segment `k` of `path`: horizontal?, track coordinate, range along the track.
fn segment(path: &[Pt], k: usize) -> (bool, f32, f32, f32) {
    let (p, q) = (path[k], path[k + 1]);
    if (p.y - q.y).abs() < 1e-3 {
        (true, p.y, p.x.min(q.x), p.x.max(q.x))
    } else {
        (false, p.x, p.y.min(q.y), p.y.max(q.y))
    }
}

fn key(v: f32) -> i64 {
    (v * 10.0).round() as i64
}

/// Moves segments of unrelated edges off each other's tracks, horizontal ones and then
/// vertical ones, twice (a moved segment stretches its neighbours of the other direction).
pub fn nudge(edges: &mut [Edge], obstacles: &Obstacles) {
    for _ in 0..2 {
        for horizontal in [true, false] {
            pass(edges, obstacles, horizontal);
        }
    }
}

fn pass(edges: &mut [Edge], obstacles: &Obstacles, horizontal: bool) {
    // Every segment of this direction, in a fixed order: by track, then start, then edge.
    let mut segs: Vec<(f32, f32, f32, usize, usize)> = Vec::new();
    for (e, edge) in edges.iter().enumerate() {
        for k in 0..edge.path.len().saturating_sub(1) {
            let (h, c, lo, hi) = segment(edge.path, k);
            if h == horizontal && hi - lo > 1e-3 {
                segs.push((c, lo, hi, e, k));
            }
        }
    }
    segs.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.3.cmp(&b.3))
            .then(a.4.cmp(&b.4))
    });
    // Tracks taken so far: coordinate key -> (lo, hi, edge).
    let mut taken: BTreeMap<i64, Vec<(f32, f32, usize)>> = BTreeMap::new();
    let clash =
        |taken: &BTreeMap<i64, Vec<(f32, f32, usize)>>, c: f32, lo: f32, hi: f32, e: usize| {
            let r = key(SAME_TRACK);
            taken.range(key(c) - r + 1..key(c) + r).any(|(_, v)| {
                v.iter().any(|&(l, h, o)| {
                    o != e
                        && !related(edges[o].ends, edges[e].ends)
                        && hi.min(h) - lo.max(l) > MIN_OVERLAP
                })
            })
        };
    let mut moves: Vec<(usize, usize, f32)> = Vec::new();
    for &(c, lo, hi, e, k) in &segs {
        let mut at = c;
        if clash(&taken, c, lo, hi, e) {
            // Toward the side the segment's neighbours turn to, so parallel tracks do not
            // cross each other where they leave.
            let toward = turn_side(edges[e].path, k, horizontal);
            let found = (1..=TRIES)
                .flat_map(|i| if toward < 0.0 { [-i, i] } else { [i, -i] })
                .map(|i| c + i as f32 * TRACK)
                .find(|&n| {
                    !clash(&taken, n, lo, hi, e) && movable(&edges[e], k, n, obstacles, horizontal)
                });
            if let Some(n) = found {
                at = n;
                moves.push((e, k, n));
            }
        }
        taken.entry(key(at)).or_default().push((lo, hi, e));
    }
    for (e, k, n) in moves {
        let path = &mut *edges[e].path;
        for p in [k, k + 1] {
            if horizontal {
                path[p].y = n;
            } else {
                path[p].x = n;
            }
        }
    }
}

/// Which side (sign along the other axis) segment `k`'s neighbours lead to: their
/// displacement from the track, summed.
fn turn_side(path: &[Pt], k: usize, horizontal: bool) -> f32 {
    let axis = |p: Pt| if horizontal { p.y } else { p.x };
    let c = axis(path[k]);
    let mut side = 0.0;
    if k > 0 {
        side += (axis(path[k - 1]) - c).signum();
    }
    if k + 2 < path.len() {
        side += (axis(path[k + 2]) - c).signum();
    }
    side
}

/// Whether segment `k` of `edge` may move to track `n`.
fn movable(edge: &Edge, k: usize, n: f32, obstacles: &Obstacles, horizontal: bool) -> bool {
    let path = &*edge.path;
    let last = path.len() - 2;
    let (_, c, lo, hi) = segment(path, k);
    // Neighbours keep their direction and some length.
    let axis = |p: Pt| if horizontal { p.y } else { p.x };
    if k > 0 {
        let before = axis(path[k]) - axis(path[k - 1]);
        let after = n - axis(path[k - 1]);
        if before * after <= 0.0 || after.abs() < 2.0 {
            return false;
        }
    }
    if k < last {
        let before = axis(path[k + 2]) - axis(path[k + 1]);
        let after = axis(path[k + 2]) - n;
        if before * after <= 0.0 || after.abs() < 2.0 {
            return false;
        }
    }
    // A port stays on its box's side, away from the corners.
    let side = |r: Rect| {
        let (a, b) = if horizontal {
            (r.y, r.bottom())
        } else {
            (r.x, r.right())
        };
        n >= a + 4.0 && n <= b - 4.0
    };
    if k == 0 && !side(edge.from) {
        return false;
    }
    if k == last && !side(edge.to) {
        return false;
    }
    // The swept area (old track to new, along the segment) touches no obstacle.
    let (a, b) = (c.min(n), c.max(n));
    let swept = if horizontal {
        Rect::new(lo, a, hi - lo, b - a)
    } else {
        Rect::new(a, lo, b - a, hi - lo)
    };
    let ends = [edge.from, edge.to];
    let hits = |r: &Rect| {
        let g = r.inflate(KEEP);
        swept.x < g.right() - 0.01
            && g.x < swept.right() - 0.01
            && swept.y < g.bottom() - 0.01
            && g.y < swept.bottom() - 0.01
    };
    if obstacles
        .solid
        .iter()
        .filter(|r| !ends.contains(r))
        .any(hits)
    {
        return false;
    }
    // Host borders parallel to the segment are not crossed.
    obstacles.hosts.iter().all(|h| {
        let (b0, b1, r0, r1) = if horizontal {
            (h.y, h.bottom(), h.x, h.right())
        } else {
            (h.x, h.right(), h.y, h.bottom())
        };
        hi <= r0
            || lo >= r1
            || [b0, b1]
                .iter()
                .all(|&border| border < a - KEEP || border > b + KEEP)
    })
}

/// Pairs of edges with unrelated ends that run on one track (parallel segments closer than
/// [`SAME_TRACK`] overlapping by more than [`MIN_OVERLAP`]).
/// Counted on the coordinates as the SVG writes them, so a reader of the file finds the same.
pub fn shared_tracks(paths: &[(&[Pt], (usize, usize))]) -> usize {
    shared_pairs(paths).len()
}

/// The pairs of edges (indices into `paths`, lower first) counted by [`shared_tracks`].
pub fn shared_pairs(
    paths: &[(&[Pt], (usize, usize))],
) -> std::collections::BTreeSet<(usize, usize)> {
    let mut pairs = std::collections::BTreeSet::new();
    let mut segs: Vec<(bool, f32, f32, f32, usize)> = Vec::new();
    let written = |v: f32| crate::svg::n(v).parse::<f32>().unwrap_or(v);
    for (e, (path, _)) in paths.iter().enumerate() {
        let path: Vec<Pt> = path
            .iter()
            .map(|p| Pt::new(written(p.x), written(p.y)))
            .collect();
        for k in 0..path.len().saturating_sub(1) {
            let (h, c, lo, hi) = segment(&path, k);
            segs.push((h, c, lo, hi, e));
        }
    }
    segs.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    for i in 0..segs.len() {
        let s = segs[i];
        for t in &segs[i + 1..] {
            if t.0 != s.0 || t.1 - s.1 >= SAME_TRACK {
                break;
            }
            if t.4 != s.4
                && !related(paths[s.4].1, paths[t.4].1)
                && s.3.min(t.3) - s.2.max(t.2) > MIN_OVERLAP
            {
                pairs.insert((s.4.min(t.4), s.4.max(t.4)));
            }
        }
    }
    pairs
}
