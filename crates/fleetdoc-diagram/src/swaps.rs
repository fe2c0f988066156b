//! Box swaps tried against the routed drawing. `boxes::arrange` orders each host's boxes
//! from that host's own lines, and `arrangement` places the hosts with an estimate; what
//! is left is read off the finished drawing: for every line that crosses another, each of
//! its end boxes is swapped with a neighbour of the same size in the same block (left,
//! right, above, below), the whole drawing is laid out and routed again, and the swap is
//! kept when the drawing's score (`arrangement::score`: crossings first, then shared
//! tracks, length, bends) drops. A swap exchanges two boxes' places only, so no other box
//! moves and the host keeps its size. The number of drawings tried is bounded by the
//! number of lines (`BUDGET`), never by the clock, so the same input gives the same bytes.

use crate::boxes::HostNode;
use crate::geom::Rect;

/// Work allowed for the trials of one drawing, in lines x boxes (a drawing's routing time
/// grows with both): 20 lines between 25 boxes try up to 8 swaps.
const BUDGET: usize = 4000;
/// Trials at most, whatever the drawing's size.
const MAX_TRIALS: usize = 30;
/// Drawings this large (lines x boxes) try none: 60 services on 8 hosts (44 lines
/// between 68 boxes) keep their layout time.
const NONE_FROM: usize = 2500;

/// Where a service box is: host (index into `d.hosts`) and box.
pub type At = (usize, usize);

/// The boxes next to `at` (same host, same block, same size, one slot away) that it may
/// swap with.
fn neighbours(nodes: &[HostNode], at: At) -> Vec<At> {
    let (h, s) = at;
    let host = &nodes[h];
    let r = host.services[s].rect;
    if host.services[s].ingress {
        return Vec::new();
    }
    let block = |q: &Rect| {
        host.groups.iter().position(|g| {
            g.rect.x <= q.x
                && q.right() <= g.rect.right()
                && g.rect.y <= q.y
                && q.bottom() <= g.rect.bottom()
        })
    };
    let mine = block(&r);
    let step_x = r.w + crate::boxes::GAP;
    let step_y = r.h + crate::boxes::GAP;
    let mut out = Vec::new();
    for (k, o) in host.services.iter().enumerate() {
        if k == s || o.ingress || o.rect.w != r.w || o.rect.h != r.h || block(&o.rect) != mine {
            continue;
        }
        let (dx, dy) = ((o.rect.x - r.x).abs(), (o.rect.y - r.y).abs());
        let beside = dy < 0.5 && (dx - step_x).abs() < 0.5;
        let over = dx < 0.5 && (dy - step_y).abs() < 1.0;
        if beside || over {
            out.push((h, k));
        }
    }
    out
}

/// The swaps worth trying for a drawing whose crossing lines end on `ends` (in drawing
/// order, each once), as pairs of boxes, each pair once.
pub fn candidates(nodes: &[HostNode], ends: &[At]) -> Vec<(At, At)> {
    let mut out: Vec<(At, At)> = Vec::new();
    for &a in ends {
        for b in neighbours(nodes, a) {
            let pair = (a.min(b), a.max(b));
            if !out.contains(&pair) {
                out.push(pair);
            }
        }
    }
    out
}

/// How many drawings to try for a drawing of `lines` lines between `boxes` boxes.
pub fn trials(lines: usize, boxes: usize) -> usize {
    let work = (lines * boxes).max(1);
    if work >= NONE_FROM {
        return 0;
    }
    (BUDGET / work).min(MAX_TRIALS)
}

/// `nodes` with boxes `a` and `b` in each other's place.
pub fn swapped(nodes: &[HostNode], a: At, b: At) -> Vec<HostNode> {
    let mut v = nodes.to_vec();
    let (ra, rb) = (v[a.0].services[a.1].rect, v[b.0].services[b.1].rect);
    v[a.0].services[a.1].rect = rb;
    v[b.0].services[b.1].rect = ra;
    v
}
