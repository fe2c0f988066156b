//! Gaps where lines cross. Two orthogonal lines that cross look the same as two lines that
//! meet and turn; a short gap in one of them says "passes under". Horizontal stretches get
//! the gap, vertical ones stay whole, so every crossing is drawn the same way. Gaps are only
//! drawn away from a stretch's ends (a corner or a box side), and only against other routes:
//! edges drawn on one route (a bundle) do not cross themselves.

use crate::geom::Pt;
use crate::svg::n;
use std::fmt::Write;

/// Half the width of a gap, px.
const HALF_GAP: f32 = 3.0;

/// Vertical stretches of every route: (x, y0, y1, route).
pub fn verticals(routes: &[&[Pt]]) -> Vec<(f32, f32, f32, usize)> {
    let mut v = Vec::new();
    for (r, path) in routes.iter().enumerate() {
        for w in path.windows(2) {
            if (w[0].x - w[1].x).abs() < 1e-3 && (w[0].y - w[1].y).abs() > 1e-3 {
                v.push((w[0].x, w[0].y.min(w[1].y), w[0].y.max(w[1].y), r));
            }
        }
    }
    v
}

/// SVG path data for `path` (route number `own`), with a gap in each horizontal stretch
/// where a vertical stretch of another route crosses it.
pub fn path_data(path: &[Pt], own: usize, verticals: &[(f32, f32, f32, usize)]) -> String {
    let mut d = String::new();
    for (i, p) in path.iter().enumerate() {
        if i > 0 {
            let a = path[i - 1];
            if (a.y - p.y).abs() < 1e-3 {
                let dir = if p.x > a.x { 1.0 } else { -1.0 };
                let (lo, hi) = (a.x.min(p.x), a.x.max(p.x));
                let mut xs: Vec<f32> = verticals
                    .iter()
                    .filter(|&&(x, y0, y1, r)| {
                        r != own
                            && x > lo + 2.0 * HALF_GAP
                            && x < hi - 2.0 * HALF_GAP
                            && p.y > y0 + 0.5
                            && p.y < y1 - 0.5
                    })
                    .map(|v| v.0)
                    .collect();
                xs.sort_by(|u, v| (dir * u).total_cmp(&(dir * v)));
                xs.dedup_by(|u, v| (*u - *v).abs() < 3.0 * HALF_GAP);
                for x in xs {
                    let _ = write!(
                        d,
                        " L{} {} M{} {}",
                        n(x - dir * HALF_GAP),
                        n(p.y),
                        n(x + dir * HALF_GAP),
                        n(p.y)
                    );
                }
            }
        }
        let _ = write!(
            d,
            "{}{} {}",
            if i == 0 { "M" } else { " L" },
            n(p.x),
            n(p.y)
        );
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_horizontal_stretch_gets_a_gap_where_another_route_crosses_it() {
        let h = [Pt::new(0.0, 50.0), Pt::new(100.0, 50.0)];
        let v = [Pt::new(40.0, 0.0), Pt::new(40.0, 100.0)];
        let corner = [Pt::new(100.0, 0.0), Pt::new(100.0, 50.0)];
        let routes: Vec<&[Pt]> = vec![&h, &v, &corner];
        let vs = verticals(&routes);
        assert_eq!(
            path_data(&h, 0, &vs),
            "M0.0 50.0 L37.0 50.0 M43.0 50.0 L100.0 50.0",
            "a gap at the crossing, none where a line only meets its end"
        );
        assert_eq!(
            path_data(&v, 1, &vs),
            "M40.0 0.0 L40.0 100.0",
            "verticals stay whole"
        );
        assert_eq!(
            path_data(&h, 1, &vs),
            "M0.0 50.0 L100.0 50.0",
            "a route does not cross itself"
        );
    }
}
