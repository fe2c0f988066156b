//! Property tests over generated fleets: whatever the fleet, the drawing has no overlapping
//! boxes, services inside their hosts, edges that avoid foreign boxes, text that fits, and
//! an SVG that parses. Names include long words and `<&>` so escaping is exercised too.

mod check;
use fleetdoc_diagram::*;
use proptest::prelude::*;

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,10}",
        "[A-Za-z]{3,12} [a-z<&>]{1,8}",
        "[a-zA-Z]{25,60}",
        "[a-z ]{0,3}&[<>\"' a-z]{0,30}",
        "[a-z]{2,8}( [a-z]{2,8}){3,9}",
    ]
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::Up),
        Just(Status::Down),
        Just(Status::Stale),
        Just(Status::Unknown)
    ]
}

fn service(h: usize, i: usize) -> impl Strategy<Value = ServiceBox> {
    (
        name(),
        prop::collection::vec(name(), 0..4),
        status(),
        prop::option::of(prop_oneof!["agents", "workers", "[a-z<&]{1,40}"]),
        any::<bool>(),
    )
        .prop_map(move |(label, details, status, group, ingress)| ServiceBox {
            id: format!("h{h}s{i}"),
            label,
            details,
            status,
            group,
            ingress: ingress && i == 0,
            href: i.is_multiple_of(2).then(|| format!("../s/{i}?a=1&b=<2>")),
        })
}

fn host(h: usize, max_services: usize) -> impl Strategy<Value = HostBox> {
    (name(), prop::option::of(name()), 0..=max_services).prop_flat_map(
        move |(label, subtitle, n)| {
            let services: Vec<_> = (0..n).map(|i| service(h, i)).collect();
            services.prop_map(move |services| HostBox {
                id: format!("host{h}"),
                label: label.clone(),
                subtitle: subtitle.clone(),
                services,
                href: Some("../h/x&y".into()),
                region: (!h.is_multiple_of(3)).then(|| format!("region {}", h % 2)),
            })
        },
    )
}

fn fleet(
    max_hosts: usize,
    max_services: usize,
    max_edges: usize,
) -> impl Strategy<Value = Diagram> {
    (1..=max_hosts)
        .prop_flat_map(move |n| (0..n).map(|h| host(h, max_services)).collect::<Vec<_>>())
        .prop_flat_map(move |hosts| {
            let ids: Vec<String> = std::iter::once("internet".to_string())
                .chain(
                    hosts
                        .iter()
                        .flat_map(|h| h.services.iter().map(|s| s.id.clone())),
                )
                .collect();
            let k = ids.len();
            let edge = (
                0..k,
                0..k,
                prop::option::of(name()),
                prop_oneof![
                    Just(EdgeKind::Public),
                    Just(EdgeKind::Link),
                    Just(EdgeKind::DependsOn)
                ],
            );
            (
                Just(hosts),
                Just(ids),
                prop::collection::vec(edge, 0..=max_edges),
                prop_oneof![Just(DiagramKind::Topology), Just(DiagramKind::Host)],
            )
        })
        .prop_map(|(hosts, ids, edges, kind)| Diagram {
            kind,
            title: "Generated <fleet> & co".into(),
            description: "a & b".into(),
            edges: edges
                .into_iter()
                .map(|(a, b, label, kind)| Edge {
                    from: ids[a].clone(),
                    to: ids[b].clone(),
                    label,
                    kind,
                })
                .collect(),
            hosts,
            caption: Some("status measured 2026-04-06 09:00 UTC".into()),
            layout: Layout::default(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn small_fleets_keep_every_layout_invariant(d in fleet(6, 30, 40)) {
        let (svg, stats) = render_with_stats(&d);
        if let Err(e) = check::check_topology(&svg.text) {
            prop_assert!(false, "{e}");
        }
        // The layout's own count of unrelated edges on one track is what a reader finds.
        prop_assert_eq!(check::shared_tracks(&svg.text).0, stats.shared_tracks);
    }

}

proptest! {
    // A line the nudger cannot give a free track is routed again round the taken tracks
    // (see README: "Tracks"), so this holds for random seeds too.
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn fleets_of_ordinary_density_put_no_unrelated_edges_on_one_track(d in fleet(6, 12, 28)) {
        let svg = render(&d);
        let (n, first) = check::shared_tracks(&svg.text);
        prop_assert!(n == 0, "{n} pairs; {first:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// The summary of any fleet: boxes apart, text inside them, lines around foreign
    /// boxes, every count label on its own line.
    #[test]
    fn summaries_keep_every_layout_invariant(d in fleet(12, 20, 60)) {
        let svg = render(&Diagram { kind: DiagramKind::Summary, ..d });
        if let Err(e) = check::check_summary(&svg.text) {
            prop_assert!(false, "{e}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    #[test]
    fn large_fleets_keep_every_layout_invariant(d in fleet(50, 30, 120)) {
        let svg = render(&d);
        if let Err(e) = check::check_topology(&svg.text) {
            prop_assert!(false, "{e}");
        }
    }
}

/// Links and `depends_on` edges between two different hosts, counted by the bundles.
fn links_between_hosts(d: &Diagram) -> usize {
    let host_of = |id: &str| {
        d.hosts
            .iter()
            .position(|h| h.services.iter().any(|s| s.id == id))
    };
    d.edges
        .iter()
        .filter(|e| e.kind != EdgeKind::Public)
        .filter(|e| match (host_of(&e.from), host_of(&e.to)) {
            (Some(a), Some(b)) => a != b,
            _ => false,
        })
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, max_global_rejects: 4096, ..ProptestConfig::default() })]

    #[test]
    fn summarized_fleets_bundle_every_link_between_hosts_and_keep_every_invariant(
        d in fleet(40, 16, 160)
    ) {
        let total: usize = d.hosts.iter().map(|h| h.services.len()).sum();
        prop_assume!(total > COLLAPSE_AT && d.kind == DiagramKind::Topology);
        let (svg, stats) = render_with_stats(&d);
        prop_assert!(stats.collapsed);
        if let Err(e) = check::check_topology(&svg.text) {
            prop_assert!(false, "{e}");
        }
        let doc = roxmltree::Document::parse(&svg.text).expect("SVG parses");
        let counted: usize = doc
            .descendants()
            .filter(|n| n.attribute("data-kind") == Some("bundle"))
            .map(|n| n.attribute("data-count").and_then(|c| c.parse::<usize>().ok()).unwrap_or(0))
            .sum();
        prop_assert_eq!(counted, links_between_hosts(&d));
    }
}

/// The checker itself must be able to fail: hand it drawings that break each rule.
#[test]
fn checker_rejects_broken_drawings() {
    let head = r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" font-family="DejaVu Sans">"#;
    let host = r#"<g class="host" data-id="h"><rect x="10" y="10" width="300" height="200"/>"#;
    let overlap = format!(
        r#"{head}{host}<g class="service" data-id="a"><rect x="20" y="20" width="100" height="40"/></g><g class="service" data-id="b"><rect x="60" y="30" width="100" height="40"/></g></g></svg>"#
    );
    assert!(check::check_topology(&overlap)
        .unwrap_err()
        .contains("overlaps"));
    let outside = format!(
        r#"{head}{host}<g class="service" data-id="a"><rect x="250" y="20" width="100" height="40"/></g></g></svg>"#
    );
    assert!(check::check_topology(&outside)
        .unwrap_err()
        .contains("sticks out"));
    let through = format!(
        r#"{head}{host}<g class="service" data-id="a"><rect x="20" y="20" width="60" height="40"/></g><g class="service" data-id="b"><rect x="100" y="20" width="60" height="40"/></g><g class="service" data-id="c"><rect x="180" y="20" width="60" height="40"/></g></g><path class="edge" data-from="a" data-to="c" d="M80 40 L180 40"/></svg>"#
    );
    assert!(check::check_topology(&through)
        .unwrap_err()
        .contains("passes through service b"));
    let long = format!(
        r#"{head}{host}<g class="service" data-id="a"><rect x="20" y="20" width="60" height="40"/><text x="24" y="40" font-size="13">far too long for this box</text></g></g></svg>"#
    );
    assert!(check::check_topology(&long)
        .unwrap_err()
        .contains("does not fit"));
    // Four boxes in a row; a->b and c->d run along y=80 over x 100..120.
    let four = r#"<g class="service" data-id="a"><rect x="20" y="20" width="40" height="40"/></g><g class="service" data-id="b"><rect x="80" y="20" width="40" height="40"/></g><g class="service" data-id="c"><rect x="140" y="20" width="40" height="40"/></g><g class="service" data-id="d"><rect x="200" y="20" width="40" height="40"/></g></g>"#;
    let shared = format!(
        r#"{head}{host}{four}<path class="edge" data-from="a" data-to="b" d="M40 60 L40 80 L100 80 L100 60"/><path class="edge" data-from="c" data-to="d" d="M160 60 L160 80 L90 80 L90 100 L220 100 L220 60"/></svg>"#
    );
    assert_eq!(
        check::shared_tracks(&shared).0,
        1,
        "unrelated edges on one track"
    );
    let related = format!(
        r#"{head}{host}{four}<path class="edge" data-from="a" data-to="b" d="M40 60 L40 80 L100 80 L100 60"/><path class="edge" data-from="a" data-to="c" d="M40 60 L40 80 L160 80 L160 60"/></svg>"#
    );
    assert_eq!(
        check::check_topology(&related),
        Ok(()),
        "edges sharing an end may merge"
    );
    let pill = |x: f32, y: f32| {
        format!(
            r#"<g class="edge-label" data-from="a" data-to="b"><rect x="{x}" y="{y}" width="20" height="16"/></g>"#
        )
    };
    let two = r#"<path class="edge" data-from="a" data-to="b" d="M40 60 L40 80 L100 80 L100 60"/><path class="edge" data-from="c" data-to="d" d="M160 60 L160 90 L220 90 L220 60"/>"#;
    let beside = format!("{head}{host}{four}{two}{}</svg>", pill(60.0, 83.0));
    assert!(check::check_topology(&beside)
        .unwrap_err()
        .contains("not on its edge"));
    let on_other = format!(
        r#"{head}{host}{four}<path class="edge" data-from="a" data-to="b" d="M40 60 L40 80 L100 80 L100 60"/><path class="edge" data-from="c" data-to="d" d="M160 60 L160 84 L60 84 L60 140 L220 140 L220 60"/>{}</svg>"#,
        pill(60.0, 72.0)
    );
    assert!(check::check_topology(&on_other)
        .unwrap_err()
        .contains("also sits on edge c->d"));
    let on_own = format!("{head}{host}{four}{two}{}</svg>", pill(60.0, 72.0));
    assert_eq!(check::check_topology(&on_own), Ok(()));
    let good = format!(
        r#"{head}{host}<g class="service" data-id="a"><rect x="20" y="20" width="200" height="40"/><text x="24" y="40" font-size="13">fits</text></g></g></svg>"#
    );
    assert_eq!(check::check_topology(&good), Ok(()));
}

/// The summary checker must be able to fail too.
#[test]
fn summary_checker_rejects_broken_drawings() {
    let head = r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" font-family="DejaVu Sans">"#;
    let node = |id: &str, y: f32| {
        format!(
            r#"<g class="summary-node" data-id="{id}"><rect x="100" y="{y}" width="200" height="60"/></g>"#
        )
    };
    let three = format!(
        "{}{}{}",
        node("a", 20.0),
        node("b", 120.0),
        node("c", 220.0)
    );
    let ok = format!(
        r#"{head}{three}<path class="edge" data-kind="bundle" data-from="a" data-to="b" data-count="2" d="M200 80 L200 120"/></svg>"#
    );
    assert_eq!(check::check_summary(&ok), Ok(()));
    let through = format!(
        r#"{head}{three}<path class="edge" data-kind="bundle" data-from="a" data-to="c" data-count="2" d="M200 80 L200 220"/></svg>"#
    );
    assert!(check::check_summary(&through)
        .unwrap_err()
        .contains("passes through box b"));
    let outside = format!(
        r#"{head}{three}<path class="edge" data-kind="bundle" data-from="a" data-to="c" data-count="2" d="M300 50 L420 50 L420 250 L300 250"/></svg>"#
    );
    assert!(check::check_summary(&outside)
        .unwrap_err()
        .contains("leaves the canvas"));
    let empty = format!(
        r#"{head}{three}<path class="edge" data-kind="bundle" data-from="a" data-to="b" data-count="0" d="M200 80 L200 120"/></svg>"#
    );
    assert!(check::check_summary(&empty)
        .unwrap_err()
        .contains("counts no edge"));
    let overlap = format!("{head}{}{}</svg>", node("a", 20.0), node("b", 60.0));
    assert!(check::check_summary(&overlap)
        .unwrap_err()
        .contains("overlaps"));
    let long = format!(
        r#"{head}<g class="summary-node" data-id="a"><rect x="100" y="20" width="100" height="60"/><text x="110" y="40" font-size="12">much too long a name for this box</text></g></svg>"#
    );
    assert!(check::check_summary(&long)
        .unwrap_err()
        .contains("does not fit"));
}
