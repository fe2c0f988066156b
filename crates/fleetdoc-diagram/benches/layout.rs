//! Benchmark: layout + SVG + PNG of a 40-host / 400-service fleet (median of N runs), and a
//! side-by-side with Graphviz `dot` drawing the same fleet as clusters: render time, edge
//! crossings and area. Run with `cargo bench -p fleetdoc-diagram --bench layout`.

#[path = "../tests/common/mod.rs"]
mod common;
use common::{median, ms};

use fleetdoc_diagram::*;
use std::fmt::Write;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

/// The fleet as a DOT graph with one cluster per host.
fn to_dot(d: &Diagram, collapsed: bool) -> String {
    let node = common::node_of(d, collapsed);
    let mut out = String::from("digraph fleet {\n  rankdir=TB; compound=true; node [shape=box, fontname=\"DejaVu Sans\", fontsize=13];\n  internet [label=\"Internet\"];\n");
    for (hi, h) in d.hosts.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{hi} {{ label=\"{}\";", h.label);
        let mut done = Vec::new();
        for s in &h.services {
            let n = &node[&s.id];
            if done.contains(n) {
                continue;
            }
            done.push(n.clone());
            let label = if n == &s.id {
                format!("{}\\n{}", s.label, s.details.join(" · "))
            } else {
                n.clone()
            };
            let _ = writeln!(out, "    \"{n}\" [label=\"{label}\"];");
        }
        out.push_str("  }\n");
    }
    for e in &d.edges {
        let f = node.get(&e.from).cloned().unwrap_or_else(|| e.from.clone());
        let t = node.get(&e.to).cloned().unwrap_or_else(|| e.to.clone());
        if f != t {
            let _ = writeln!(out, "  \"{f}\" -> \"{t}\";");
        }
    }
    out.push_str("}\n");
    out
}

/// Flattens the cubic B-spline control points of `dot -Tplain` edges into polylines.
fn dot_paths(plain: &str) -> (Vec<Vec<Pt>>, f32, f32) {
    let (mut w, mut h) = (0.0, 0.0);
    let mut paths = Vec::new();
    for line in plain.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.first() {
            Some(&"graph") if f.len() >= 4 => {
                w = f[2].parse::<f32>().unwrap_or(0.0) * 72.0;
                h = f[3].parse::<f32>().unwrap_or(0.0) * 72.0;
            }
            Some(&"edge") if f.len() > 4 => {
                let n: usize = f[3].parse().unwrap_or(0);
                let ctrl: Vec<Pt> = (0..n)
                    .filter_map(|i| {
                        let x = f.get(4 + 2 * i)?.parse::<f32>().ok()?;
                        let y = f.get(5 + 2 * i)?.parse::<f32>().ok()?;
                        Some(Pt {
                            x: x * 72.0,
                            y: y * 72.0,
                        })
                    })
                    .collect();
                let mut poly = vec![];
                for c in ctrl.windows(4).step_by(3) {
                    for k in 0..=8 {
                        let t = k as f32 / 8.0;
                        let u = 1.0 - t;
                        let b = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
                        poly.push(Pt {
                            x: b[0] * c[0].x + b[1] * c[1].x + b[2] * c[2].x + b[3] * c[3].x,
                            y: b[0] * c[0].y + b[1] * c[1].y + b[2] * c[2].y + b[3] * c[3].y,
                        });
                    }
                }
                paths.push(poly);
            }
            _ => {}
        }
    }
    (paths, w, h)
}

fn run_dot(dot: &str) -> Option<(Duration, String)> {
    let dir = std::env::temp_dir().join(format!("fleetdoc-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let file = dir.join("fleet.dot");
    std::fs::write(&file, dot).ok()?;
    let mut times = Vec::new();
    let mut out = String::new();
    for _ in 0..3 {
        let t = Instant::now();
        let o = Command::new("dot")
            .arg("-Tplain")
            .arg(&file)
            .output()
            .ok()?;
        times.push(t.elapsed());
        out = String::from_utf8_lossy(&o.stdout).into_owned();
    }
    let _ = std::fs::remove_dir_all(&dir);
    Some((median(times), out))
}

fn main() {
    let d = common::big_fleet(40, 400, 7);
    let (mut t_layout, mut t_png) = (vec![], vec![]);
    let mut last = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        let (svg, stats) = render_with_stats(&d);
        t_layout.push(t.elapsed());
        let t = Instant::now();
        let png = rasterize(&svg.text, 2.0).expect("rasterize");
        t_png.push(t.elapsed());
        last = Some((svg, stats, png.len()));
    }
    let Some((svg, stats, png_len)) = last else {
        return;
    };
    println!(
        "fleetdoc-diagram, 40 hosts / 400 services / {} edges, median of {RUNS}:",
        d.edges.len()
    );
    println!("  layout + SVG   {}", ms(median(t_layout)));
    println!(
        "  PNG at 2x      {}  ({} KB)",
        ms(median(t_png)),
        png_len / 1024
    );
    println!(
        "  canvas {:.0} x {:.0} px = {:.2} Mpx, crossings {}, bends {}, dropped labels {}, unrouted {}, collapsed {}",
        svg.width,
        svg.height,
        svg.width * svg.height / 1e6,
        stats.crossings,
        stats.bends,
        stats.dropped_labels,
        stats.unrouted,
        stats.collapsed
    );
    for collapsed in [true, false] {
        let dot = to_dot(&d, collapsed);
        match run_dot(&dot) {
            Some((t, plain)) => {
                let (paths, w, h) = dot_paths(&plain);
                println!(
                    "graphviz dot ({}), median of 3: {}; canvas {w:.0} x {h:.0} pt = {:.2} Mpx, crossings {}",
                    if collapsed { "same summary boxes" } else { "every service" },
                    ms(t),
                    w * h / 1e6,
                    count_crossings(&paths)
                );
            }
            None => println!("skipped: dot not installed (apt-get install -y graphviz)"),
        }
    }
}
