//! Availability per month against a target, from the history store's daily aggregates:
//! months without data say so (never 100%), an incident that spans two months is listed in
//! both, the current month shows the error budget left. Badges are in `site_snapshot.rs`
//! (every byte) and checked by the Nu Html Checker in `clients.rs`.

mod support;
use support::*;

const FLEET: &str = "\
hosts:
  alpha:
    address: 203.0.113.10
services:
  traefik:
    host: alpha
    kind: docker
    ingress: true
  forge:
    host: alpha
    kind: docker
    public: forge.example.com
    slo: 99.5
";

/// 2026-04-06T09:00:00Z
const NOW: &str = "1775466000";

/// Hourly snapshots over `[from, to)`; forge is down from 2026-03-31T22:00Z to
/// 2026-04-01T01:00Z (four snapshots).
fn hourly(from: &str, to: &str) -> Vec<(String, String)> {
    let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
    let (mut t, end) = (parse(from), parse(to));
    let (down_from, down_to) = (parse("2026-03-31T22:00:00Z"), parse("2026-04-01T01:00:00Z"));
    let mut out = Vec::new();
    while t < end {
        let ok = !(down_from <= t && t <= down_to);
        out.push((
            format!("{}.json", t.format("%Y%m%dT%H%M%SZ")),
            format!(
                "{{\"taken_at\": \"{}\", \"probe\": \"board\", \"results\": [\
                 {{\"check\": \"http\", \"target\": \"https://forge.example.com/\", \"ok\": {ok}}}]}}",
                t.format("%Y-%m-%dT%H:%M:%SZ")
            ),
        ));
        t += chrono::TimeDelta::hours(1);
    }
    out
}

#[test]
fn months_from_the_store_show_no_data_budget_and_an_incident_spanning_two_months() {
    let mut files: Vec<(String, String)> = vec![
        ("content/fleet.yaml".into(), FLEET.into()),
        ("fleetdoc.yaml".into(), "slo: 99.9\n".into()),
        ("content/index.md".into(), "# Home\n".into()),
        (
            "content/incidents/2026-03-31-forge.md".into(),
            "---\ntitle: Forge down over midnight\nservices: [forge]\nstarted: 2026-03-31T21:50:00Z\nresolved: 2026-04-01T01:10:00Z\nseverity: major\n---\n\nDisk full.\n".into(),
        ),
    ];
    // January and late March to now: February has no data.
    for (name, text) in hourly("2026-01-10T00:00:00Z", "2026-01-20T00:00:00Z")
        .into_iter()
        .chain(hourly("2026-03-25T00:00:00Z", "2026-04-06T09:00:01Z"))
    {
        files.push((format!("old/{name}"), text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = imported(&refs, NOW);
    let r = run(&["build"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = read(dir.path().join("site/availability/index.html"));
    let forge =
        &page[page.find("<h2 id=\"service-forge\"").unwrap()..page.find("</article>").unwrap()];
    insta::assert_snapshot!("forge_months", forge);
    let badge = read(dir.path().join("site/badges/forge.svg"));
    assert!(
        badge.contains("<title>forge: up, 98.65% uptime over 30 days</title>"),
        "{badge}"
    );
}

/// Without any probe data every month says "no data", and the badge says unknown.
#[test]
fn a_service_never_measured_has_no_data_in_every_month() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/index.md", "# Home\n"),
    ]);
    let r = run(&["build"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = read(dir.path().join("site/availability/index.html"));
    assert_eq!(
        page.matches("<span class=\"no-data\">no data</span>")
            .count(),
        24,
        "{page}"
    );
    assert!(!page.contains("<td>100%</td>"), "{page}");
    let badge = read(dir.path().join("site/badges/forge.svg"));
    assert!(
        badge.contains("<title>forge: unknown, no uptime data</title>"),
        "{badge}"
    );
}

/// A target that is not a percent is an error at its line and column, in the topology and
/// in fleetdoc.yaml alike (the whole stderr, reviewed).
#[test]
fn a_target_that_is_not_a_percent_is_an_error_at_its_position() {
    let dir = project(&[
        (
            "content/fleet.yaml",
            &FLEET.replace("slo: 99.5", "slo: 99.9999"),
        ),
        ("fleetdoc.yaml", "title: Docs\nslo: high\n"),
        ("content/index.md", "# Home\n"),
    ]);
    let r = run(&["check"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!("slo_errors", r.stderr);
}

/// The public profile shows availability and badges of public services only.
#[test]
fn the_public_profile_has_badges_and_availability_of_public_services_only() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("fleetdoc.yaml", "title: Docs\nslo: 99.9\n"),
        (
            "content/home.md",
            "---\ntitle: Home\nclassification: public\n---\n\n```fleet\nbadge: traefik\n```\n\n```fleet\nbadge: forge\n```\n",
        ),
    ]);
    let to = tempfile::tempdir().unwrap();
    let r = run(
        &["publish", "--to", to.path().to_str().unwrap()],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let release = walkdir::WalkDir::new(to.path())
        .into_iter()
        .flatten()
        .find(|e| e.file_name() == "availability")
        .expect("availability page published")
        .path()
        .parent()
        .unwrap()
        .to_path_buf();
    let badges: Vec<String> = std::fs::read_dir(release.join("badges"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(badges, ["forge.svg"]);
    let page = read(release.join("availability/index.html"));
    assert!(page.contains("id=\"service-forge\""), "{page}");
    assert!(!page.contains("service-traefik"), "{page}");
    // The internal service's badge block is its words, with no image to a missing file.
    let index = read(release.join("home/index.html"));
    assert!(
        index.contains("<p class=\"fleet-badge\">traefik: unknown, no uptime data</p>"),
        "{index}"
    );
    assert!(index.contains("src=\"../badges/forge.svg\""), "{index}");
}
