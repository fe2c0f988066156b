//! Reading on a phone: every inline diagram keeps its smallest text at 9 px or more (it
//! shrinks to the column only so far, then scrolls sideways), and a topology too wide to
//! take in is shown summed up, with links to its full diagram and to each host's page.
//! The measurements in a real browser are in `browser.rs`.

mod support;
use support::*;

const NOW: &str = "1796032800";

fn build(files: &[(&str, &str)]) -> tempfile::TempDir {
    built(files, NOW)
}

/// The `style="min-width: Npx"` of the first inline `<svg>` after `from` in `html`.
fn min_width(html: &str, from: &str) -> f32 {
    let at = html.find(from).expect(from);
    let svg = &html[at..];
    let svg = &svg[svg.find("<svg ").expect("inline svg")..];
    let style = &svg[svg.find("style=\"min-width: ").expect("min-width") + 18..];
    style[..style.find("px\"").unwrap()].parse().unwrap()
}

#[test]
fn a_topology_too_wide_to_read_is_shown_summed_up_with_links_to_the_detail_and_the_hosts() {
    let dir = big_fleet_site(NOW);
    let site = dir.path().join("site");
    // The summary is a file of its own with a PNG, beside the full diagram and its PNG.
    for f in [
        "summary-topology.svg",
        "summary-topology.png",
        "topology.svg",
        "topology.png",
    ] {
        assert!(site.join("diagrams").join(f).is_file(), "{f}");
    }
    let summary = read(site.join("diagrams/summary-topology.svg"));
    assert!(summary.contains("class=\"fleetdoc-diagram summary\""));
    for r in 0..4 {
        assert!(
            summary.contains(&format!(
                "<g class=\"summary-node\" data-id=\"region-{r}\" data-kind=\"region\" data-hosts=\"10\" data-services=\"110\""
            )),
            "region-{r}"
        );
    }
    for (html, root) in [
        (read(site.join("fleet/index.html")), "../"),
        (read(site.join("map/index.html")), "../"),
    ] {
        assert!(html.contains("<figure class=\"diagram diagram-topology diagram-summary\">"));
        assert!(html.contains(&format!(
            "<a href=\"{root}diagrams/topology.svg\">Open the full diagram: 40 hosts, 440 services</a> · <a href=\"{root}diagrams/topology.png\">PNG</a>"
        )), "{html}");
        assert!(html.contains(&format!(
            "<a class=\"full-size\" href=\"{root}diagrams/summary-topology.svg\">"
        )));
        assert!(html.contains(&format!(
            "<a href=\"{root}diagrams/summary-topology.png\">PNG</a>"
        )));
        // Every host's page, by region.
        for h in 0..40 {
            assert!(html.contains(&format!("<a href=\"{root}hosts/host-{h}/\">host-{h}</a>")));
        }
        assert!(html.contains(&format!(
            "<li>region-3: <a href=\"{root}hosts/host-30/\">host-30</a>, "
        )));
        // Inline, the summary is the picture: the detail is only linked.
        assert!(html.contains("class=\"fleetdoc-diagram summary\""));
        assert!(!html.contains("class=\"fleetdoc-diagram topology\""));
        // 380 px with 11 px labels: readable down to 311 px, within a phone's column.
        assert_eq!(min_width(&html, "diagram-summary"), 311.0);
    }
    // A host's page shows its own diagram whole.
    let host = read(site.join("hosts/host-7/index.html"));
    assert!(host.contains("class=\"fleetdoc-diagram host\""));
    assert!(!host.contains("diagram-summary"));
}

#[test]
fn a_topology_that_can_be_read_is_shown_whole_and_shrinks_only_to_9_px_text() {
    let fleet = big_fleet(2, 3, 0);
    let dir = build(&[("content/fleet.yaml", &fleet)]);
    let site = dir.path().join("site");
    assert!(!site.join("diagrams/summary-topology.svg").exists());
    let html = read(site.join("fleet/index.html"));
    assert!(!html.contains("diagram-summary"));
    // Its smallest text is 11 px: it may shrink to 9/11 of its width, not further.
    let svg = read(site.join("diagrams/topology.svg"));
    let width: f32 = svg
        .split("width=\"")
        .nth(1)
        .and_then(|w| w.split('"').next())
        .and_then(|w| w.parse().ok())
        .expect("width");
    assert_eq!(
        min_width(&html, "diagram-topology"),
        (width * 9.0 / 11.0).ceil()
    );
    // The file itself has no min-width: opened full size it is shown at its own size.
    assert!(!svg.contains("min-width"));
}

/// The example fleet's topology (1,582 px, 11 px labels) needs 1,295 px at 9 px: more than
/// the fleet overview's 1,008 px column at 1280 px, where its last host and its legend were
/// cut off. It is shown summed up, on every screen.
#[test]
fn a_topology_wider_than_the_1280_px_column_at_9_px_is_summed_up() {
    let fleet = read(repo().join("content/fleet.yaml"));
    let dir = build(&[("content/fleet.yaml", &fleet)]);
    let site = dir.path().join("site");
    assert!(site.join("diagrams/summary-topology.svg").is_file());
    let html = read(site.join("fleet/index.html"));
    assert!(html.contains("<figure class=\"diagram diagram-topology diagram-summary\">"));
    assert!(html.contains(
        "the full diagram is 1,582 px wide, and its labels need 1,295 px to stay readable"
    ));
    assert!(min_width(&html, "diagram-summary") <= 1000.0);
}

#[test]
fn an_explainer_of_a_fleet_too_wide_to_read_puts_the_summary_on_its_poster() {
    let fleet = big_fleet(40, 10, 4);
    let page = "---\ntitle: Big picture\nkind: explainer\n---\n\n## Where things run\n\n```fleet\ndiagram: topology\n```\n";
    let dir = build(&[("content/fleet.yaml", &fleet), ("content/big.md", page)]);
    let poster = read(dir.path().join("site/diagrams/poster-big.svg"));
    // The summary's boxes, renamed so only diagram files carry the markings.
    assert!(poster.contains("class=\"poster-summary-node\" data-id=\"region-0\""));
    assert!(!poster.contains("class=\"summary-node\""));
    assert!(!poster.contains("class=\"edge\""));
    // Not the 5,000 px detail squeezed into the panel.
    assert!(!poster.contains("class=\"poster-host\""));
}

/// The Markdown export (and `sync`) of a topology too wide to read shows its summary too,
/// linked to the full diagram, and writes both beside the pages.
#[test]
fn the_markdown_export_of_a_topology_too_wide_to_read_shows_its_summary() {
    let dir = big_fleet_site(NOW);
    let r = run(
        &["export", "--out", "docs"],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = read(dir.path().join("docs/map.md"));
    assert!(
        md.contains("[![Big Fleet topology, summed up](diagrams/summary-topology.png)](diagrams/topology.svg)"),
        "{md}"
    );
    assert!(
        md.contains(
            "The full diagram: [SVG](diagrams/topology.svg) · [PNG](diagrams/topology.png)"
        ),
        "{md}"
    );
    for f in [
        "summary-topology.svg",
        "summary-topology.png",
        "topology.svg",
        "topology.png",
    ] {
        assert!(dir.path().join("docs/diagrams").join(f).is_file(), "{f}");
    }
}
