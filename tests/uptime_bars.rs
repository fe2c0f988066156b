//! The uptime bars over 24 h, 7 d, 30 d and 90 d and the drift entries of the feed, from a
//! history store with known outages: the availability page, a page with the status
//! table's `uptime_bars` column and the feed, every byte (reviewed snapshots), in the
//! operators' site and in the public profile; the same bytes on a second build.

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
  wiki:
    host: alpha
    kind: docker
    public: wiki.example.com
    maintenance: daily 04:00-06:00 UTC
  db:
    host: alpha
    kind: docker
    description: internal only
";

const PAGE: &str = "\
---
title: Status
classification: public
---

# Status

```fleet
table: status
columns: [service, status, uptime_bars]
```
";

/// 2026-04-06T09:00:00Z
const NOW: &str = "1775466000";

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

/// One snapshot file whose `history` holds a measurement every 30 minutes from
/// 2026-02-05 to now (none on 2026-03-20: the probe was off), with these outages:
/// forge down all of 2026-03-10 and 2026-04-05 10:00-13:00, one failure at 2026-04-06
/// 03:30 (a partly down hour); wiki down since 2026-04-05 06:00 (longer than the day of
/// raw results a build reads); db down since 2026-04-06 08:00; a container not in the
/// topology (scratch) running since 2026-04-04.
fn year_file() -> String {
    let (mut t, end) = (at("2026-02-05T00:00:00Z"), at(NOW_RFC));
    let mut entries = Vec::new();
    while t <= end {
        let day = t.format("%Y-%m-%d").to_string();
        if day != "2026-03-20" {
            let within = |a: &str, b: &str| at(a) <= t && t < at(b);
            let forge = !(day == "2026-03-10"
                || within("2026-04-05T10:00:00Z", "2026-04-05T13:00:00Z")
                || t == at("2026-04-06T03:30:00Z"));
            let wiki = t < at("2026-04-05T06:00:00Z");
            let db = t < at("2026-04-06T08:00:00Z");
            let mut results = vec![
                format!("{{\"check\": \"http\", \"target\": \"https://forge.example.com/\", \"ok\": {forge}}}"),
                format!("{{\"check\": \"http\", \"target\": \"https://wiki.example.com/\", \"ok\": {wiki}}}"),
                "{\"check\": \"docker\", \"target\": \"traefik\", \"host\": \"alpha\", \"ok\": true}".into(),
                format!("{{\"check\": \"docker\", \"target\": \"db\", \"host\": \"alpha\", \"ok\": {db}}}"),
            ];
            if t >= at("2026-04-04T00:00:00Z") {
                results.push(
                    "{\"check\": \"docker\", \"target\": \"scratch\", \"host\": \"alpha\", \"ok\": true}"
                        .into(),
                );
            }
            entries.push(format!(
                "{{\"taken_at\": \"{}\", \"results\": [{}]}}",
                t.format("%Y-%m-%dT%H:%M:%SZ"),
                results.join(", ")
            ));
        }
        t += chrono::TimeDelta::minutes(30);
    }
    let newest = entries.pop().unwrap();
    let newest = newest.trim_start_matches('{').trim_end_matches('}');
    format!(
        "{{\"probe\": \"board\", {newest}, \"history\": [{}]}}",
        entries.join(",\n")
    )
}

const NOW_RFC: &str = "2026-04-06T09:00:00Z";

/// A project with the store imported from [`year_file`] (and the file deleted).
fn stored_project() -> tempfile::TempDir {
    let year = year_file();
    imported(
        &[
            ("content/fleet.yaml", FLEET),
            ("fleetdoc.yaml", "url: https://status.example.com\n"),
            (
                "content/index.md",
                "---\ntitle: Home\nclassification: public\n---\n\n# Home\n",
            ),
            ("content/status.md", PAGE),
            ("old/board.json", &year),
        ],
        NOW,
    )
}

/// The availability page, the status page and the feed of a site, as one text.
fn status_files(site: &std::path::Path) -> String {
    [
        "availability/index.html",
        "status/index.html",
        "incidents.xml",
    ]
    .iter()
    .map(|p| format!("=== {p}\n{}", read(site.join(p))))
    .collect()
}

#[test]
fn uptime_bars_and_drift_entries_from_a_store_with_known_outages() {
    let dir = stored_project();
    let r = run(&["build"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("site");
    let first = status_files(&site);
    insta::assert_snapshot!("operators_site", first);
    // Deterministic: a second build writes the same bytes.
    let r = run(&["build"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(status_files(&site), first);
}

/// The public profile shows the bars and drift of public services only (forge and wiki),
/// with no probe target and no check the topology does not declare.
#[test]
fn the_public_profile_shows_bars_and_drift_of_public_services_only() {
    let dir = stored_project();
    let to = tempfile::tempdir().unwrap();
    let r = run(
        &[
            "publish",
            "--root",
            dir.path().to_str().unwrap(),
            "--to",
            to.path().to_str().unwrap(),
        ],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let current = walkdir::WalkDir::new(to.path())
        .into_iter()
        .flatten()
        .find(|e| e.file_name() == "incidents.xml")
        .expect("incidents.xml published")
        .path()
        .parent()
        .unwrap()
        .to_path_buf();
    let files = status_files(&current);
    for private in ["db", "scratch", "203.0.113.10"] {
        let availability_and_feed: String = ["availability/index.html", "incidents.xml"]
            .iter()
            .map(|p| read(current.join(p)))
            .collect();
        assert!(
            !availability_and_feed.contains(private),
            "{private}: {availability_and_feed}"
        );
    }
    insta::assert_snapshot!("public_site", files);
}
