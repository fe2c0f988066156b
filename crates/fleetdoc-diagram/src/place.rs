//! Placement of host containers. Hosts are ordered by stable keys (the author's `order`
//! hint, then region, ingress first, then id), never by declaration order, and flow down
//! columns: a column holds the same number of hosts, a new region starts a new column, and
//! pinned hosts go to the bottom of their column. Hosts keep their own height and are
//! stretched to their column's width, so a change inside one host (a service added,
//! removed or renamed) moves only the hosts below it in its column; nothing else moves
//! unless the host grows wider than its column. The number of hosts per column is the one
//! that brings the drawing closest to 16:10 (hosts counted at least at the median host's
//! size, so one small host's change rarely tips it); the `columns` hint fixes it.

use crate::boxes::HostNode;
use crate::model::{HostBox, Layout};

/// Space between host containers (room for bundles of edges).
pub const HOST_GAP: f32 = 48.0;
const TARGET_RATIO: f32 = 1.6;

/// The order hosts are drawn in, as indices into `hosts`.
pub fn order(hosts: &[HostBox], hints: &Layout) -> Vec<usize> {
    let mut v: Vec<usize> = (0..hosts.len()).collect();
    let hinted = |h: &HostBox| {
        hints
            .order
            .iter()
            .position(|id| *id == h.id)
            .unwrap_or(usize::MAX)
    };
    let plain = |h: &HostBox| !h.services.iter().any(|s| s.ingress);
    v.sort_by(|&a, &b| {
        let (x, y) = (&hosts[a], &hosts[b]);
        let region = |h: &HostBox| (h.region.is_none(), h.region.clone().unwrap_or_default());
        (hinted(x), region(x).0)
            .cmp(&(hinted(y), region(y).0))
            .then_with(|| natural(&region(x).1, &region(y).1))
            .then_with(|| plain(x).cmp(&plain(y)))
            .then_with(|| natural(&x.id, &y.id))
            .then(a.cmp(&b))
    });
    v
}

/// Which column each host goes to, and the number of columns, when columns hold up to
/// `per` hosts and a region change starts a new column (a region's hosts are spread evenly
/// over the columns it needs).
fn columns(
    regions: &[Option<&str>],
    pins: &[Option<usize>],
    per: usize,
    at_least: usize,
) -> (Vec<usize>, usize) {
    let mut col = vec![0; regions.len()];
    let free: Vec<usize> = (0..regions.len()).filter(|&i| pins[i].is_none()).collect();
    let mut c = 0usize;
    let mut k = 0;
    while k < free.len() {
        let region = regions[free[k]];
        let run = free[k..]
            .iter()
            .take_while(|&&i| regions[i] == region)
            .count();
        let cols = run.div_ceil(per.max(1));
        let each = run.div_ceil(cols);
        for (j, &i) in free[k..k + run].iter().enumerate() {
            col[i] = c + j / each;
        }
        c += cols;
        k += run;
    }
    let count = c.max(at_least).max(1);
    for (i, p) in pins.iter().enumerate() {
        if let Some(p) = p {
            col[i] = (*p).min(count - 1);
        }
    }
    (col, count)
}

/// Compares ids with runs of digits as numbers, so `host-2` comes before `host-10`.
pub fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        let (dx, dy) = (
            x.len() - x.trim_start_matches(|c: char| c.is_ascii_digit()).len(),
            y.len() - y.trim_start_matches(|c: char| c.is_ascii_digit()).len(),
        );
        if dx > 0 && dy > 0 {
            let (nx, ny) = (
                x[..dx].trim_start_matches('0'),
                y[..dy].trim_start_matches('0'),
            );
            let o = nx.len().cmp(&ny.len()).then(nx.cmp(ny));
            if o.is_ne() {
                return o;
            }
            x = &x[dx..];
            y = &y[dy..];
            continue;
        }
        let (mut cx, mut cy) = (x.chars(), y.chars());
        match (cx.next(), cy.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(p), Some(q)) if p != q => return p.cmp(&q),
            _ => {
                x = cx.as_str();
                y = cy.as_str();
            }
        }
    }
}

fn median(mut v: Vec<f32>) -> f32 {
    v.sort_by(f32::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Places `hosts` (already in drawing order; `regions` and `pins` per host) with the grid's
/// top-left corner at (x0, y0). Returns the grid's size.
pub fn grid(
    hosts: &mut [HostNode],
    regions: &[Option<&str>],
    pins: &[Option<usize>],
    wanted_columns: Option<usize>,
    x0: f32,
    y0: f32,
) -> (f32, f32) {
    let n = hosts.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let free = pins.iter().filter(|p| p.is_none()).count().max(1);
    let (mw, mh) = (
        median(hosts.iter().map(|h| h.rect.w).collect()),
        median(hosts.iter().map(|h| h.rect.h).collect()),
    );
    let per = match wanted_columns {
        Some(c) => (1..=free)
            .find(|&per| columns(regions, pins, per, 0).1 <= c.max(1))
            .unwrap_or(free),
        None => {
            let mut best = (f32::INFINITY, free);
            for per in 1..=free {
                let (col, count) = columns(regions, pins, per, 0);
                let (mut cw, mut ch) = (vec![0.0f32; count], vec![-HOST_GAP; count]);
                for (i, h) in hosts.iter().enumerate() {
                    cw[col[i]] = cw[col[i]].max(h.rect.w.max(mw));
                    ch[col[i]] += h.rect.h.max(mh) + HOST_GAP;
                }
                let w = cw.iter().sum::<f32>() + (count as f32 - 1.0) * HOST_GAP;
                let h = ch.iter().copied().fold(0.0, f32::max);
                let score = ((w / h.max(1.0)) / TARGET_RATIO).ln().abs();
                if score < best.0 - 1e-4 {
                    best = (score, per);
                }
            }
            best.1
        }
    };
    // With a `columns` hint, pinned hosts may use every column it asks for.
    let (col, count) = columns(regions, pins, per, wanted_columns.unwrap_or(0));
    let mut cw = vec![0.0f32; count];
    for (i, h) in hosts.iter().enumerate() {
        cw[col[i]] = cw[col[i]].max(h.rect.w);
    }
    let mut x = x0;
    let xs: Vec<f32> = cw
        .iter()
        .map(|w| {
            let at = x;
            x += w + HOST_GAP;
            at
        })
        .collect();
    let mut ys = vec![y0; count];
    let mut bottom = y0;
    // Unpinned hosts first, then pinned ones, each in drawing order.
    let seq = (0..n)
        .filter(|&i| pins[i].is_none())
        .chain((0..n).filter(|&i| pins[i].is_some()));
    for i in seq {
        let (c, h) = (col[i], &mut hosts[i]);
        h.shift(xs[c] - h.rect.x, ys[c] - h.rect.y);
        h.rect.w = cw[c];
        h.header.w = cw[c];
        ys[c] += h.rect.h + HOST_GAP;
        bottom = bottom.max(h.rect.bottom());
    }
    (x - HOST_GAP - x0, bottom - y0)
}
