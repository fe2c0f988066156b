//! The history store on a real SQLite file: idempotent adds, raw results dropped beyond
//! the raw window (each probe's newest kept), and aggregates that still count them.

use chrono::{DateTime, TimeDelta, Utc};
use fleetdoc_probe::store::{Counts, Store, RAW_DAYS};
use fleetdoc_probe::{CheckKind, CheckResult, Snapshot};

fn snap(probe: &str, at: DateTime<Utc>, ok: bool) -> Snapshot {
    Snapshot {
        taken_at: at,
        probe: probe.into(),
        results: vec![CheckResult {
            check: CheckKind::Http,
            host: None,
            target: "https://forge.example.com/".into(),
            name: None,
            checked_at: None,
            ok,
            status: None,
            latency_ms: None,
            tls_expires: None,
            state: None,
            error: None,
        }],
        history: Vec::new(),
        warnings: Vec::new(),
    }
}

fn forge(_: &CheckResult, _: chrono::DateTime<chrono::Utc>) -> Option<String> {
    Some("forge".into())
}

#[test]
fn raw_results_beyond_the_window_are_rolled_up_and_adding_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h/history.sqlite");
    let end: DateTime<Utc> = "2026-04-06T09:00:00Z".parse().unwrap();
    // Ten days of hourly snapshots, every other one failing; one old snapshot of another
    // probe that stopped long ago.
    let mut snaps: Vec<Snapshot> = (0..240)
        .map(|i| snap("board", end - TimeDelta::hours(239 - i), i % 2 == 0))
        .collect();
    snaps.push(snap("old", end - TimeDelta::days(20), true));
    let mut store = Store::open(&path).unwrap();
    let added = store.add(&snaps, &forge).unwrap();
    assert_eq!((added.new, added.known), (241, 0));
    let again = store.add(&snaps, &forge).unwrap();
    assert_eq!((again.new, again.known), (0, 241));
    let [all, raw, _, daily] = store.stats().unwrap();
    assert_eq!(all, 241);
    // RAW_DAYS of hourly snapshots (and the one at the edge), plus the old probe's newest.
    assert_eq!(raw, RAW_DAYS * 24 + 1 + 1);
    assert_eq!(daily, 12);
    drop(store);
    let store = Store::open_read(&path).unwrap().unwrap();
    let counts = store
        .hourly_counts(end - TimeDelta::days(30), end + TimeDelta::hours(1))
        .unwrap();
    assert_eq!(counts["forge"], Counts { seen: 241, ok: 121 });
    let recent = store.recent(end - TimeDelta::hours(24), 48).unwrap();
    assert_eq!(recent.len(), 48 + 1);
    assert_eq!(recent[0].probe, "old");
    assert!(Store::open_read(&dir.path().join("none.sqlite"))
        .unwrap()
        .is_none());
}

/// A history entry taken at the snapshot's own second (two checks of one target, one of
/// them filed as earlier) is one measurement with both results: the failing one is not
/// dropped as already known.
#[test]
fn results_of_one_second_are_stored_together_and_a_failure_among_them_counts() {
    let dir = tempfile::tempdir().unwrap();
    let at: DateTime<Utc> = "2026-04-06T09:00:00Z".parse().unwrap();
    let mut s = snap("gatus", at, true);
    let mut failing = s.results[0].clone();
    failing.ok = false;
    failing.name = Some("forge-login".into());
    s.history.push(fleetdoc_probe::Earlier {
        taken_at: at,
        results: vec![failing],
    });
    let mut store = Store::open(&dir.path().join("history.sqlite")).unwrap();
    let added = store.add([&s], &forge).unwrap();
    assert_eq!((added.new, added.known), (1, 0));
    let recent = store.recent(at - TimeDelta::hours(1), 1).unwrap();
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0].results.len(), 2, "both results of 09:00 are kept");
    let counts = store
        .hourly_counts(at - TimeDelta::hours(1), at + TimeDelta::hours(1))
        .unwrap();
    assert_eq!(counts["forge"], Counts { seen: 1, ok: 0 });
}

/// Each check's first sighting is kept for good (raw results beyond the window are gone),
/// and an older snapshot added later moves it back; the hourly rows of a span read back.
#[test]
fn a_checks_first_sighting_outlives_the_raw_window_and_moves_back_for_older_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let end: DateTime<Utc> = "2026-04-06T09:00:00Z".parse().unwrap();
    let mut store = Store::open(&path).unwrap();
    let first = end - TimeDelta::days(20);
    let snaps: Vec<Snapshot> = (0..=20 * 24)
        .map(|i| snap("board", first + TimeDelta::hours(i), true))
        .collect();
    store.add(&snaps, &forge).unwrap();
    let key = fleetdoc_probe::store::result_key(&snaps[0].results[0]);
    assert_eq!(key, "http\thttps://forge.example.com/\t\t");
    assert_eq!(store.first_seen().unwrap()[&key], first);
    let older = first - TimeDelta::days(3);
    store.add(&[snap("other", older, false)], &forge).unwrap();
    assert_eq!(store.first_seen().unwrap()[&key], older);
    let rows = store
        .hourly_rows(end - TimeDelta::hours(2), end + TimeDelta::hours(1))
        .unwrap();
    let hours: Vec<_> = rows
        .iter()
        .map(|(s, h, c)| (s.as_str(), *h, c.seen))
        .collect();
    assert_eq!(
        hours,
        vec![
            ("forge", end - TimeDelta::hours(2), 1),
            ("forge", end - TimeDelta::hours(1), 1),
            ("forge", end, 1)
        ]
    );
}
