//! Golden SVGs of the example fleet, compared byte for byte (UPDATE_GOLDEN=1 rewrites them),
//! plus their PNGs written beside the test build for review by eye.

mod common;
use common::*;
use fleetdoc_diagram::*;
use std::path::PathBuf;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn check(name: &str, svg: &Svg) {
    check_at(name, svg, 2.0);
}

/// Compares with the golden file; writes a PNG at `scale` for review outside the source tree.
fn check_at(name: &str, svg: &Svg, scale: f32) {
    let path = golden_dir().join(format!("{name}.svg"));
    let png = rasterize(&svg.text, scale).expect("golden SVG rasterizes");
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("golden");
    std::fs::create_dir_all(&out).expect("create review dir");
    std::fs::write(out.join(format!("{name}.png")), png).expect("write review PNG");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &svg.text).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}: run with UPDATE_GOLDEN=1", path.display()));
    assert!(want == svg.text, "{name}.svg differs from the golden file; review the PNG and rerun with UPDATE_GOLDEN=1 if intended");
}

#[test]
fn golden_topology() {
    check("topology", &render(&example_topology()));
}

#[test]
fn golden_host() {
    check("host", &render(&example_host()));
}

#[test]
fn golden_flow() {
    check("flow", &render(&example_flow()));
}

#[test]
fn golden_layers() {
    check("layers", &render_layers(&example_layers()));
}

#[test]
fn golden_poster_with_layers() {
    check(
        "poster-layers",
        &render_poster(&example_poster(Some(PosterDiagram::Layers(
            example_layers(),
        )))),
    );
}

#[test]
fn golden_poster_with_topology() {
    check(
        "poster-topology",
        &render_poster(&example_poster(Some(PosterDiagram::Fleet(
            example_topology(),
        )))),
    );
}

#[test]
fn golden_big_fleet_is_collapsed() {
    let (svg, stats) = render_with_stats(&big_fleet(40, 400, 7));
    assert!(
        stats.collapsed,
        "a 400-service fleet is drawn with summary boxes"
    );
    // A 7000 px wide PNG is slow in debug builds; half scale is enough to review it.
    check_at("big-fleet", &svg, 0.5);
}

/// The summary picture a page shows instead of a topology too wide to read: one box per
/// region, counted lines between them.
#[test]
fn golden_summary_of_the_big_fleet() {
    let d = big_fleet(40, 400, 7);
    assert!(
        summarizes(&d, &render(&d)),
        "a 400-service fleet is summarized"
    );
    let summary = render(&Diagram {
        kind: DiagramKind::Summary,
        title: "40 hosts, 400 services: summary".into(),
        ..d
    });
    check("summary", &summary);
}

/// Hosts without a region get a box each (the example fleet has no regions).
#[test]
fn golden_summary_of_hosts_without_regions() {
    let summary = render(&Diagram {
        kind: DiagramKind::Summary,
        title: "Example Fleet - summary".into(),
        ..example_topology()
    });
    check("summary-hosts", &summary);
}
