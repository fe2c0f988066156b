//! A summarized topology (above `COLLAPSE_AT` services) draws the links between two hosts of
//! one region as one counted bundle between the hosts, and those between two regions as one
//! counted bundle between the region frames; public traffic and links inside a host stay.

mod check;
mod common;
use common::*;
use fleetdoc_diagram::*;
use std::collections::BTreeMap;

#[test]
fn a_summarized_topology_draws_links_between_hosts_as_counted_bundles() {
    let d = big_fleet(40, 400, 7);
    let svg = render(&d).text;
    assert_eq!(check::check_topology(&svg), Ok(()));
    let doc = roxmltree::Document::parse(&svg).expect("SVG parses");
    let host_of: BTreeMap<&str, &HostBox> = d
        .hosts
        .iter()
        .flat_map(|h| h.services.iter().map(move |s| (s.id.as_str(), h)))
        .collect();
    // What the bundles should hold: every link and depends_on between two hosts.
    let mut want: BTreeMap<(String, String), usize> = BTreeMap::new();
    for e in d.edges.iter().filter(|e| e.kind != EdgeKind::Public) {
        let (Some(a), Some(b)) = (host_of.get(e.from.as_str()), host_of.get(e.to.as_str())) else {
            continue;
        };
        if a.id == b.id {
            continue;
        }
        let (x, y) = if a.region != b.region {
            (a.region.clone().unwrap(), b.region.clone().unwrap())
        } else {
            (a.id.clone(), b.id.clone())
        };
        let key = if place_key(&x) <= place_key(&y) {
            (x, y)
        } else {
            (y, x)
        };
        *want.entry(key).or_default() += 1;
    }
    let mut got: BTreeMap<(String, String), usize> = BTreeMap::new();
    for p in doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("edge"))
    {
        let (from, to) = (
            p.attribute("data-from").unwrap(),
            p.attribute("data-to").unwrap(),
        );
        if p.attribute("data-kind") != Some("bundle") {
            // No single link between two hosts is left.
            let (a, b) = (host_of.get(from), host_of.get(to));
            if let (Some(a), Some(b)) = (a, b) {
                assert_eq!(a.id, b.id, "edge {from}->{to} between hosts is not bundled");
            }
            continue;
        }
        let n: usize = p.attribute("data-count").unwrap().parse().unwrap();
        assert!(
            p.attribute("marker-end").is_none(),
            "a bundle has no direction"
        );
        let key = if place_key(from) <= place_key(to) {
            (from.to_string(), to.to_string())
        } else {
            (to.to_string(), from.to_string())
        };
        assert!(
            got.insert(key, n).is_none(),
            "one bundle per pair: {from} {to}"
        );
    }
    assert_eq!(got, want);
    assert!(
        got.keys().any(|k| k.0.starts_with("region-")),
        "bundles between regions"
    );
    assert!(
        got.keys().any(|k| k.0.starts_with("host-")),
        "bundles between hosts"
    );
    // Every bundle between regions shows its count on its own line.
    let labels: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("edge-label"))
        .filter(|n| {
            n.attribute("data-from")
                .is_some_and(|f| f.starts_with("region-"))
        })
        .map(|n| n.descendants().filter_map(|t| t.text()).collect::<String>())
        .collect();
    let regions = got.keys().filter(|k| k.0.starts_with("region-")).count();
    assert_eq!(
        labels.len(),
        regions,
        "a count on every bundle between regions: {labels:?}"
    );
}

fn place_key(id: &str) -> (u32, String) {
    let n = id
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    (n, id.to_string())
}

#[test]
fn a_fleet_below_the_summary_threshold_keeps_every_link() {
    let d = big_fleet(12, 60, 3);
    let svg = render(&d).text;
    assert!(!svg.contains("data-kind=\"bundle\""));
}

/// Routes that met another route exactly at a point of the routing grid were not charged
/// for crossing it, so the router crossed freely (6 crossings on this fleet, where 0 are
/// possible).
#[test]
fn crossings_where_routes_meet_at_grid_points_are_avoided() {
    let (_, stats) = render_with_stats(&big_fleet(3, 20, 11));
    assert_eq!(stats.crossings, 0);
    assert_eq!(stats.shared_tracks, 0);
}
