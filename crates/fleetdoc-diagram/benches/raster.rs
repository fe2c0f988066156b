//! Benchmark: SVG -> PNG of the 40-host / 400-service topology at the size the site build
//! uses (at most 2x, scaled down so the PNG stays under 8 Mpx), three ways: with every label
//! left to usvg's text engine (how it was), `validate` + `rasterize` (two parses), and
//! `rasterize_within` (one parse; labels stamped from glyph masks in both). PNGs of the
//! usvg-text and stamped pictures land in the target dir for review. Run with
//! `cargo bench -p fleetdoc-diagram --bench raster`.

#[path = "../tests/common/mod.rs"]
mod common;
use common::{median, ms};

use fleetdoc_diagram::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const RUNS: usize = 7;
const BUDGET: f32 = 8e6;

/// Times `f` RUNS times; returns the median and the last PNG.
fn time(f: impl Fn() -> Vec<u8>) -> (Duration, Vec<u8>) {
    let mut times = Vec::new();
    let mut png = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        png = f();
        times.push(t.elapsed());
    }
    (median(times), png)
}

fn two_step(svg: &str) -> Vec<u8> {
    let (w, h) = validate(svg).expect("validate");
    rasterize(svg, (BUDGET / (w * h)).sqrt().min(2.0)).expect("rasterize")
}

fn main() {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("raster");
    std::fs::create_dir_all(&out).expect("review dir");
    let fleet = render(&common::big_fleet(40, 400, 7));
    let poster = render_poster(&common::example_poster(Some(PosterDiagram::Fleet(
        common::example_topology(),
    ))));
    for (name, svg) in [("topology-40", &fleet), ("poster", &poster)] {
        // `font-kerning="auto"` is the default, so usvg draws the same, but it keeps the
        // labels away from the outline fast path: this is how every PNG was drawn before.
        let as_text = svg.text.replace("<text ", "<text font-kerning=\"auto\" ");
        println!(
            "{name}: {:.0} x {:.0}, {} <text>, median of {RUNS}:",
            svg.width,
            svg.height,
            svg.text.matches("<text").count()
        );
        let (t_old, png_old) = time(|| two_step(&as_text));
        let (t_two, _) = time(|| two_step(&svg.text));
        let (t_new, png_new) =
            time(|| rasterize_within(&svg.text, 2.0, BUDGET).expect("rasterize_within"));
        println!("  labels as usvg text, validate + rasterize  {}", ms(t_old));
        println!("  labels stamped,      validate + rasterize  {}", ms(t_two));
        println!(
            "  labels stamped,      rasterize_within       {}  ({} KB)",
            ms(t_new),
            png_new.len() / 1024
        );
        std::fs::write(out.join(format!("{name}-usvg-text.png")), png_old).expect("write");
        std::fs::write(out.join(format!("{name}-stamped.png")), png_new).expect("write");
    }
    println!("PNGs for review in {}", out.display());
}
