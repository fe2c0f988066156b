//! Placement of host containers: a grid of rows and columns whose count is chosen so the
//! drawing comes out near a 16:10 landscape; every column is as wide as its widest host and
//! every row as tall as its tallest, and hosts are stretched to their cell, so the channels
//! between hosts are straight corridors for edges.

use crate::boxes::HostNode;

/// Space between host containers (room for bundles of edges).
pub const HOST_GAP: f32 = 48.0;
const TARGET_RATIO: f32 = 1.6;

/// Places `hosts` in a grid with its top-left corner at (x0, y0). Returns the grid's size.
pub fn grid(hosts: &mut [HostNode], x0: f32, y0: f32) -> (f32, f32) {
    let n = hosts.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let dims = |cols: usize| -> (Vec<f32>, Vec<f32>) {
        let rows = n.div_ceil(cols);
        let mut cw = vec![0.0f32; cols];
        let mut rh = vec![0.0f32; rows];
        for (i, h) in hosts.iter().enumerate() {
            cw[i % cols] = cw[i % cols].max(h.rect.w);
            rh[i / cols] = rh[i / cols].max(h.rect.h);
        }
        (cw, rh)
    };
    let span = |v: &[f32]| v.iter().sum::<f32>() + HOST_GAP * (v.len() as f32 - 1.0);
    let mut best = (f32::INFINITY, 1usize);
    for cols in 1..=n {
        let (cw, rh) = dims(cols);
        let (w, h) = (span(&cw), span(&rh));
        let score = ((w / h.max(1.0)) / TARGET_RATIO).ln().abs();
        if score < best.0 - 1e-4 {
            best = (score, cols);
        }
    }
    let cols = best.1;
    let (cw, rh) = dims(cols);
    let xs: Vec<f32> = cw
        .iter()
        .scan(x0, |x, w| {
            let at = *x;
            *x += w + HOST_GAP;
            Some(at)
        })
        .collect();
    let ys: Vec<f32> = rh
        .iter()
        .scan(y0, |y, h| {
            let at = *y;
            *y += h + HOST_GAP;
            Some(at)
        })
        .collect();
    for (i, h) in hosts.iter_mut().enumerate() {
        let (c, r) = (i % cols, i / cols);
        h.shift(xs[c] - h.rect.x, ys[r] - h.rect.y);
        h.rect.w = cw[c];
        h.rect.h = rh[r];
        h.header.w = cw[c];
    }
    (span(&cw), span(&rh))
}
