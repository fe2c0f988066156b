//! One geometry counter for every tool's output: a drawing is reduced to leaf boxes and
//! edges as polylines (curves sampled), and the same rules count crossings, pairs of edges
//! drawn on one track, edges through a box, aspect and area.

use fleetdoc_diagram::{count_crossings, Pt, Rect};

/// A drawing as the counter sees it.
pub struct Drawing {
    pub width: f32,
    pub height: f32,
    /// Leaf boxes (services, summaries, the Internet node) by id.
    pub boxes: Vec<(String, Rect)>,
    /// Edges: from box id, to box id, polyline.
    pub edges: Vec<(String, String, Vec<Pt>)>,
}

/// What the counter finds.
#[derive(Debug, Default)]
pub struct Figures {
    pub crossings: usize,
    /// Pairs of edges with a stretch on one track, any ends.
    pub shared_all: usize,
    /// The same, only pairs whose ends are unrelated (no box in common).
    pub shared_unrelated: usize,
    /// Edges that pass through the inside of a box that is not one of their ends.
    pub through_boxes: usize,
    pub aspect: f32,
    pub area_mpx: f32,
    /// Total length of every edge's polyline, px (a gap at a crossing counted as drawn).
    pub length: f32,
    /// Bends: the turning of every polyline summed and counted in quarter turns (a curve
    /// through 90 degrees is one bend, like an orthogonal corner).
    pub bends: f32,
    /// Boxes and edges read back from the drawing (a check on the reader).
    pub boxes: usize,
    pub edges: usize,
}

type Seg = (Pt, Pt);

/// Two segments run on one track: parallel within 1 degree, closer than 1.5 px, and
/// overlapping by more than 2 px along their direction.
fn same_track(a: Seg, b: Seg) -> bool {
    let (dx, dy) = (a.1.x - a.0.x, a.1.y - a.0.y);
    let len = (dx * dx + dy * dy).sqrt();
    let (ex, ey) = (b.1.x - b.0.x, b.1.y - b.0.y);
    let len_b = (ex * ex + ey * ey).sqrt();
    if len < 2.0 || len_b < 2.0 {
        return false;
    }
    let (ux, uy) = (dx / len, dy / len);
    if (ux * ey - uy * ex).abs() / len_b > 0.0175 {
        return false;
    }
    let dist = |p: Pt| ((p.x - a.0.x) * uy - (p.y - a.0.y) * ux).abs();
    if dist(b.0) >= 1.5 || dist(b.1) >= 1.5 {
        return false;
    }
    let along = |p: Pt| (p.x - a.0.x) * ux + (p.y - a.0.y) * uy;
    let (b0, b1) = (along(b.0).min(along(b.1)), along(b.0).max(along(b.1)));
    len.min(b1) - b0.max(0.0) > 2.0
}

/// Whether segment a-b passes through the inside of `r` shrunk by 2 px (Liang-Barsky).
fn through(r: &Rect, a: Pt, b: Pt) -> bool {
    let (x0, y0, x1, y1) = (r.x + 2.0, r.y + 2.0, r.x + r.w - 2.0, r.y + r.h - 2.0);
    if x1 <= x0 || y1 <= y0 {
        return false;
    }
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (p, q) in [
        (-dx, a.x - x0),
        (dx, x1 - a.x),
        (-dy, a.y - y0),
        (dy, y1 - a.y),
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

pub fn measure(d: &Drawing) -> Figures {
    let paths: Vec<Vec<Pt>> = d.edges.iter().map(|e| e.2.clone()).collect();
    let segs: Vec<Vec<Seg>> = paths
        .iter()
        .map(|p| p.windows(2).map(|w| (w[0], w[1])).collect())
        .collect();
    let (mut shared_all, mut shared_unrelated) = (0, 0);
    for i in 0..segs.len() {
        for j in i + 1..segs.len() {
            if segs[i]
                .iter()
                .any(|s| segs[j].iter().any(|t| same_track(*s, *t)))
            {
                shared_all += 1;
                let (a, b) = (&d.edges[i], &d.edges[j]);
                if !(a.0 == b.0 || a.0 == b.1 || a.1 == b.0 || a.1 == b.1) {
                    shared_unrelated += 1;
                }
            }
        }
    }
    let through_boxes = d
        .edges
        .iter()
        .filter(|(f, t, p)| {
            d.boxes
                .iter()
                .any(|(id, r)| id != f && id != t && p.windows(2).any(|w| through(r, w[0], w[1])))
        })
        .count();
    let (w, h) = (d.width.max(1.0), d.height.max(1.0));
    Figures {
        crossings: count_crossings(&paths),
        shared_all,
        shared_unrelated,
        through_boxes,
        aspect: w.max(h) / w.min(h),
        length: paths.iter().map(|p| length(p)).sum(),
        bends: paths.iter().map(|p| turning(p)).sum::<f32>() / std::f32::consts::FRAC_PI_2,
        area_mpx: w * h / 1e6,
        boxes: d.boxes.len(),
        edges: d.edges.len(),
    }
}

fn length(p: &[Pt]) -> f32 {
    p.windows(2)
        .map(|w| ((w[1].x - w[0].x).powi(2) + (w[1].y - w[0].y).powi(2)).sqrt())
        .sum()
}

/// The absolute turning of a polyline, radians (steps under 0.5 px are skipped).
fn turning(p: &[Pt]) -> f32 {
    let mut dirs: Vec<f32> = Vec::new();
    for w in p.windows(2) {
        let (dx, dy) = (w[1].x - w[0].x, w[1].y - w[0].y);
        if dx.abs() + dy.abs() >= 0.5 {
            dirs.push(dy.atan2(dx));
        }
    }
    dirs.windows(2)
        .map(|d| {
            let mut a = (d[1] - d[0]).abs();
            if a > std::f32::consts::PI {
                a = 2.0 * std::f32::consts::PI - a;
            }
            a
        })
        .sum()
}

/// Points along an SVG path's `d` (M, L, H, V, C, Q, Z, absolute or relative; curves
/// sampled at 8 points).
pub fn path_points(d: &str) -> Vec<Pt> {
    let mut toks: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in d.chars() {
        if c.is_ascii_alphabetic() && c != 'e' && c != 'E' {
            if !cur.is_empty() {
                toks.push(std::mem::take(&mut cur));
            }
            toks.push(c.to_string());
        } else if c == ',' || c.is_whitespace() {
            if !cur.is_empty() {
                toks.push(std::mem::take(&mut cur));
            }
        } else if c == '-' && !cur.is_empty() && !cur.ends_with(['e', 'E']) {
            toks.push(std::mem::take(&mut cur));
            cur.push(c);
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        toks.push(cur);
    }
    let mut out: Vec<Pt> = Vec::new();
    let (mut p, mut start) = (Pt { x: 0.0, y: 0.0 }, Pt { x: 0.0, y: 0.0 });
    let mut cmd = 'M';
    let mut k = 0;
    let num = |k: &mut usize| -> f32 {
        let v = toks.get(*k).and_then(|t| t.parse().ok()).unwrap_or(0.0);
        *k += 1;
        v
    };
    while k < toks.len() {
        if toks[k].chars().all(|c| c.is_ascii_alphabetic()) {
            cmd = toks[k].chars().next().unwrap_or('M');
            k += 1;
            if cmd == 'Z' || cmd == 'z' {
                out.push(start);
                p = start;
                continue;
            }
        }
        let rel = cmd.is_ascii_lowercase();
        let base = if rel { p } else { Pt { x: 0.0, y: 0.0 } };
        let pt = |k: &mut usize| {
            let x = num(k);
            let y = num(k);
            Pt {
                x: base.x + x,
                y: base.y + y,
            }
        };
        match cmd.to_ascii_uppercase() {
            'M' | 'L' => {
                p = pt(&mut k);
                if cmd.eq_ignore_ascii_case(&'M') {
                    start = p;
                    cmd = if rel { 'l' } else { 'L' };
                }
                out.push(p);
            }
            'H' => {
                let x = num(&mut k);
                p = Pt {
                    x: if rel { p.x + x } else { x },
                    y: p.y,
                };
                out.push(p);
            }
            'V' => {
                let y = num(&mut k);
                p = Pt {
                    x: p.x,
                    y: if rel { p.y + y } else { y },
                };
                out.push(p);
            }
            'C' => {
                let (c1, c2, e) = (pt(&mut k), pt(&mut k), pt(&mut k));
                for i in 1..=8 {
                    let t = i as f32 / 8.0;
                    let u = 1.0 - t;
                    let b = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
                    out.push(Pt {
                        x: b[0] * p.x + b[1] * c1.x + b[2] * c2.x + b[3] * e.x,
                        y: b[0] * p.y + b[1] * c1.y + b[2] * c2.y + b[3] * e.y,
                    });
                }
                p = e;
            }
            'Q' => {
                let (c1, e) = (pt(&mut k), pt(&mut k));
                for i in 1..=8 {
                    let t = i as f32 / 8.0;
                    let u = 1.0 - t;
                    out.push(Pt {
                        x: u * u * p.x + 2.0 * u * t * c1.x + t * t * e.x,
                        y: u * u * p.y + 2.0 * u * t * c1.y + t * t * e.y,
                    });
                }
                p = e;
            }
            _ => k += 1,
        }
    }
    out
}
