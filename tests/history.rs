//! The history store (`.fleetdoc/history.sqlite`): `history import`, `probe` writing into
//! it, builds reading it instead of a folder of snapshot files, and builds without it.

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
  relay:
    host: alpha
    kind: process
    public: relay.example.com
";

const PAGE: &str =
    "---\ntitle: Status\n---\n\n```fleet\ntable: status\ncolumns: [service, status, checked, uptime, history, detail]\n```\n";

/// 2026-04-06T09:30:00Z
const NOW: &str = "1775467800";

/// A snapshot every `step_min` minutes for `count` steps ending at 2026-04-06T09:00Z;
/// relay fails in every `fail_every`-th one. (file name, text).
fn series(count: i64, step_min: i64, fail_every: i64) -> Vec<(String, String)> {
    let end = chrono::DateTime::parse_from_rfc3339("2026-04-06T09:00:00Z").unwrap();
    (0..count)
        .map(|i| {
            let t = end - chrono::TimeDelta::minutes(step_min * (count - 1 - i));
            let at = t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
            let relay_ok = i % fail_every != 0;
            let text = format!(
                "{{\"taken_at\": \"{at}\", \"probe\": \"board\", \"results\": [\
                 {{\"check\": \"http\", \"target\": \"https://forge.example.com/\", \"ok\": true, \"status\": 200}},\
                 {{\"check\": \"http\", \"target\": \"https://relay.example.com/\", \"ok\": {relay_ok}{}}}]}}",
                if relay_ok { ", \"status\": 200" } else { ", \"error\": \"connection refused\"" }
            );
            (format!("{}.json", t.format("%Y%m%dT%H%M%SZ")), text)
        })
        .collect()
}

fn with_files(dir: &str, snaps: &[(String, String)]) -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = vec![
        ("content/fleet.yaml".into(), FLEET.into()),
        ("content/status.md".into(), PAGE.into()),
    ];
    for (name, text) in snaps {
        files.push((format!("{dir}/{name}"), text.clone()));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    project(&refs)
}

fn build(dir: &std::path::Path) -> String {
    let r = run(&["build"], dir, &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    read(dir.join("site/status/index.html"))
}

/// A folder of snapshots imported into the store gives the same site as the same files in
/// the probes folder, and importing it again adds nothing.
#[test]
fn imported_history_builds_the_same_site_as_the_snapshot_files() {
    let snaps = series(60, 60, 7);
    let files = with_files("content/probes", &snaps);
    let from_files = build(files.path());

    let stored = with_files("old-probes", &snaps);
    let r = run(
        &["history", "import", "old-probes"],
        stored.path(),
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "fleetdoc: 60 snapshots added to ./.fleetdoc/history.sqlite, 0 already there\n"
    );
    let again = run(
        &["history", "import", "old-probes"],
        stored.path(),
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(
        again.stderr,
        "fleetdoc: 0 snapshots added to ./.fleetdoc/history.sqlite, 60 already there\n"
    );
    std::fs::remove_dir_all(stored.path().join("old-probes")).unwrap();
    assert_eq!(build(stored.path()), from_files);
    assert!(from_files.contains("class=\"badge up\""), "{from_files}");
}

/// Snapshot files left in the probes folder after they were imported are counted once.
#[test]
fn snapshot_files_the_store_holds_are_counted_once() {
    let snaps = series(10, 60, 2);
    let dir = with_files("content/probes", &snaps);
    let before = build(dir.path());
    let r = run(
        &["history", "import", "content/probes"],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(build(dir.path()), before);
    assert!(before.contains("50%"), "{before}");
}

/// Beyond the raw window only the aggregates remain, and uptime still counts a month:
/// 40 days of hourly snapshots, relay failing in one of every 4 (25 %), uptime over the
/// last 30 days from the hourly aggregates.
#[test]
fn uptime_covers_thirty_days_of_aggregates_beyond_the_raw_window() {
    let snaps = series(40 * 24, 60, 4);
    let dir = with_files("old", &snaps);
    let r = run(
        &["history", "import", "old"],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::remove_dir_all(dir.path().join("old")).unwrap();
    let page = build(dir.path());
    // 30 days and the current hour's one snapshot: 721 seen, relay ok in 3 of 4.
    let relay_row = page
        .split("<tr>")
        .find(|row| row.contains("Relay") || row.contains("relay"))
        .unwrap_or_else(|| panic!("{page}"));
    assert!(relay_row.contains(">75%<"), "{relay_row}");
    let size = std::fs::metadata(dir.path().join(".fleetdoc/history.sqlite"))
        .unwrap()
        .len();
    assert!(size < 400_000, "store of 960 snapshots takes {size} bytes");
}

/// A project without a store and without snapshot files builds and says there is no data.
#[test]
fn a_missing_store_is_no_history_not_an_error() {
    let dir = with_files("content/probes", &[]);
    let page = build(dir.path());
    assert!(page.contains("No probe data yet"), "{page}");
}

/// A store that is not a database is a warning at its path; the build goes on with the
/// snapshot files.
#[test]
fn an_unreadable_store_is_a_warning_and_the_build_goes_on() {
    let dir = with_files("content/probes", &series(3, 60, 2));
    std::fs::create_dir_all(dir.path().join(".fleetdoc")).unwrap();
    std::fs::write(dir.path().join(".fleetdoc/history.sqlite"), "not a database, just text that is long enough to have a header of a hundred bytes or so, more or less").unwrap();
    let r = run(&["build"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with(".fleetdoc/history.sqlite:1:1: warning: the history store cannot be read"),
        "{}",
        r.stderr
    );
    assert!(read(dir.path().join("site/status/index.html")).contains("class=\"badge"));
}

/// `probe` adds what it measured to the store (no file in the probes folder), and the next
/// build shows it.
#[test]
fn probe_writes_into_the_store() {
    let open = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = open.local_addr().unwrap().port();
    let fleet = format!(
        "hosts:\n  lo:\n    address: 127.0.0.1\nservices:\n  up:\n    host: lo\n    port: {port}\n"
    );
    let dir = project(&[
        ("content/fleet.yaml", &fleet),
        ("content/s.md", "```fleet\ntable: status\n```\n"),
    ]);
    let r = run(&["probe", "--timeout", "3s"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("-> .fleetdoc/history.sqlite"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("content/probes").exists());
    assert_eq!(run(&["build"], dir.path(), &[]).code, 0);
    let page = read(dir.path().join("site/s/index.html"));
    assert!(page.contains("class=\"badge up\""), "{page}");
    drop(open);
}

/// `init` keeps the store out of git.
#[test]
fn init_ignores_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(&["init", "docs"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        read(dir.path().join("docs/.gitignore")),
        "/site\n/.fleetdoc/\n"
    );
}
