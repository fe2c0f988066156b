//! Placement of edge labels: a small pill on (or resting on) a straight stretch of its own edge, at
//! the first spot (longest stretch first, middle first) where it overlaps no box, no header,
//! no other label, no other edge's line, and does not straddle a host border, so a label
//! always sits on the one line it names. A label that finds no spot is left out and counted
//! (the edge keeps it as a tooltip), never drawn over something else.

use crate::font::text_width;
use crate::geom::{Pt, Rect};

pub const SIZE: f32 = 11.0;
const PAD_X: f32 = 5.0;
const HEIGHT: f32 = 16.0;

/// What a label must stay clear of.
pub struct Field<'a> {
    /// Boxes, headers, group labels: never overlapped.
    pub hard: &'a [Rect],
    /// Host containers: a label is wholly inside one or outside all.
    pub hosts: &'a [Rect],
    /// Everything must stay inside.
    pub bounds: Rect,
    /// Segments of every drawn route, tagged with the route's number.
    pub lines: &'a [(usize, Pt, Pt)],
}

/// Size of the pill for `text`.
pub fn pill_size(text: &str) -> (f32, f32) {
    ((text_width(text, SIZE, false) + 2.0 * PAD_X).ceil(), HEIGHT)
}

/// Finds a free spot for a label on `path` (route number `own`); `placed` are labels
/// already down.
pub fn place(text: &str, path: &[Pt], own: usize, field: &Field, placed: &[Rect]) -> Option<Rect> {
    let (w, h) = pill_size(text);
    let mut segs: Vec<(Pt, Pt, f32)> = path
        .windows(2)
        .map(|s| {
            (
                s[0],
                s[1],
                (s[0].x - s[1].x).abs() + (s[0].y - s[1].y).abs(),
            )
        })
        .collect();
    // Longest first; ties keep path order (stable sort), so placement is deterministic.
    segs.sort_by(|a, b| b.2.total_cmp(&a.2));
    // Only other lines near this path can touch a pill placed on it: test those alone (a
    // 40-host fleet has thousands of segments, and each label tries many spots).
    let zone = path
        .iter()
        .fold(None::<Rect>, |acc, p| {
            let r = Rect::new(p.x, p.y, 0.0, 0.0);
            Some(acc.map_or(r, |a| a.union(&r)))
        })
        .unwrap_or(field.bounds)
        .inflate(w + h + 4.0);
    let near: Vec<(usize, Pt, Pt)> = field
        .lines
        .iter()
        .filter(|&&(k, a, b)| k != own && touches(&zone, a, b))
        .copied()
        .collect();
    for (a, b, _) in segs {
        for t in [0.5f32, 0.35, 0.65, 0.2, 0.8] {
            let c = Pt::new(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
            // On the line, else resting on it (the line runs along the pill's border),
            // never floating apart from it; no other line may touch the pill.
            let vertical = (a.x - b.x).abs() < 1e-3;
            let spots = if vertical {
                [
                    (c.x - w / 2.0, c.y - h / 2.0),
                    (c.x, c.y - h / 2.0),
                    (c.x - w, c.y - h / 2.0),
                ]
            } else {
                [
                    (c.x - w / 2.0, c.y - h / 2.0),
                    (c.x - w / 2.0, c.y - h),
                    (c.x - w / 2.0, c.y),
                ]
            };
            for (x, y) in spots {
                let r = Rect::new(x, y, w, h);
                if fits(r, field, placed, &near) {
                    return Some(r);
                }
            }
        }
    }
    None
}

/// Whether a pill at `r` is free; `lines` are the other edges' segments near it.
fn fits(r: Rect, f: &Field, placed: &[Rect], lines: &[(usize, Pt, Pt)]) -> bool {
    let clear = r.inflate(2.0);
    f.bounds.contains(&r)
        && !f.hard.iter().any(|o| o.inflate(2.0).overlaps(&r))
        && !placed.iter().any(|o| o.inflate(2.0).overlaps(&r))
        && f.hosts
            .iter()
            .all(|hr| !hr.overlaps(&r.inflate(2.0)) || hr.inflate(-2.0).contains(&r))
        && !lines.iter().any(|&(_, a, b)| touches(&clear, a, b))
}

/// Whether the axis-parallel segment a-b touches `r` (interior or border).
fn touches(r: &Rect, a: Pt, b: Pt) -> bool {
    a.x.min(b.x) <= r.right()
        && a.x.max(b.x) >= r.x
        && a.y.min(b.y) <= r.bottom()
        && a.y.max(b.y) >= r.y
}
