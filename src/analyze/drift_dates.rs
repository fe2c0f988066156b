//! When each drift finding was first seen, so the feed can date it (and keep the date from
//! build to build while the finding lasts):
//!
//! - a declared service observed down: the first snapshot of its current run of failures;
//!   when that run reaches back past the raw snapshots a build reads, the end of the last
//!   hour in the history store's hourly aggregates in which it was ok;
//! - a check not in the topology (and a discovered route, container or unit that differs):
//!   when the store first saw that check (it keeps each check's first sighting for good),
//!   or the oldest snapshot read that has it;
//! - a host's ping failing: the first snapshot of its current run of failures;
//! - a declared service never observed: when probing began, the store's first sighting of
//!   any check, or the oldest snapshot read.

use crate::analyze::observe::Matcher;
use crate::analyze::status::{Drift, DriftAbout, DriftKind};
use crate::load::history::History;
use crate::load::probes::LoadedSnapshot;
use crate::model::Fleet;
use chrono::{DateTime, TimeDelta, Utc};
use fleetdoc_probe::store::result_key;
use std::collections::BTreeMap;

/// A check's results, oldest first: when, and ok or not.
type Runs = Vec<(DateTime<Utc>, bool)>;

/// The start of a run of failures that lasts to the newest snapshot, given (time, ok)
/// oldest first; and whether the run reaches back to the first of them.
fn failing_since(
    seen: impl Iterator<Item = (DateTime<Utc>, bool)>,
) -> Option<(DateTime<Utc>, bool)> {
    let mut run: Option<DateTime<Utc>> = None;
    let mut first = true;
    let mut from_first = false;
    for (t, ok) in seen {
        if ok {
            run = None;
        } else if run.is_none() {
            run = Some(t);
            from_first = first;
        }
        first = false;
    }
    run.map(|t| (t, from_first))
}

/// Sets `since` on every finding.
pub fn date(
    drift: &mut [Drift],
    fleet: &Fleet,
    snapshots: &[LoadedSnapshot],
    history: Option<&History>,
) {
    if drift.is_empty() {
        return;
    }
    let mut order: Vec<&LoadedSnapshot> = snapshots.iter().collect();
    order.sort_by_key(|s| s.snapshot.taken_at);
    let health = || {
        order
            .iter()
            .filter(|s| s.snapshot.results.iter().any(|r| !r.check.is_discovery()))
    };
    // When probing began: the store's first sighting of anything, or the oldest snapshot.
    let began = history
        .and_then(|h| h.first_seen.values().min().copied())
        .into_iter()
        .chain(health().next().map(|s| s.snapshot.taken_at))
        .min();
    let matcher = Matcher::new(fleet);
    // Per check key: the oldest snapshot read that has it, and its results oldest first.
    let mut checks: BTreeMap<String, (DateTime<Utc>, Runs)> = BTreeMap::new();
    if drift
        .iter()
        .any(|d| matches!(d.about, DriftAbout::Check(_)))
    {
        for s in &order {
            for r in &s.snapshot.results {
                let at = r.checked_at.unwrap_or(s.snapshot.taken_at);
                let e = checks
                    .entry(result_key(r))
                    .or_insert_with(|| (at, Vec::new()));
                e.0 = e.0.min(at);
                e.1.push((at, r.ok));
            }
        }
    }
    for d in drift.iter_mut() {
        d.since = match (&d.about, &d.kind) {
            (DriftAbout::Service(s), DriftKind::Down) => {
                let seen = health().filter_map(|snap| {
                    let mut ok = None;
                    for r in snap
                        .snapshot
                        .results
                        .iter()
                        .filter(|r| !r.check.is_discovery() && !r.in_maintenance())
                    {
                        if matcher.service(r) == Some(*s) {
                            *ok.get_or_insert(true) &= r.ok;
                        }
                    }
                    ok.map(|ok| (snap.snapshot.taken_at, ok))
                });
                failing_since(seen).map(|(t, from_first)| {
                    let hours = history
                        .filter(|_| from_first)
                        .and_then(|h| h.hourly.get(fleet.services[*s].id.as_str()));
                    match hours {
                        Some(hours) => earlier_from_hours(t, hours),
                        None => t,
                    }
                })
            }
            (DriftAbout::Service(_), _) => began,
            (DriftAbout::Check(key), DriftKind::Down) => checks
                .get(key)
                .and_then(|(_, runs)| failing_since(runs.iter().copied()))
                .map(|(t, _)| t),
            (DriftAbout::Check(key), _) => history
                .and_then(|h| h.first_seen.get(key).copied())
                .into_iter()
                .chain(checks.get(key).map(|(t, _)| *t))
                .min(),
            (DriftAbout::Summary, _) => None,
        };
    }
}

/// A run of failures that started at or before `t`: the end of the last hour before it in
/// which the service was ok at least once, or the first hour with data when it never was.
fn earlier_from_hours(
    t: DateTime<Utc>,
    hours: &[(DateTime<Utc>, fleetdoc_probe::store::Counts)],
) -> DateTime<Utc> {
    let before = hours.iter().filter(|(h, c)| *h < t && c.seen > 0);
    match before.clone().rfind(|(_, c)| c.ok > 0) {
        Some((h, _)) => (*h + TimeDelta::hours(1)).min(t),
        None => before.map(|(h, _)| *h).next().unwrap_or(t).min(t),
    }
}

#[cfg(test)]
mod tests {
    use super::failing_since;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_run_of_failures_starts_after_the_last_ok() {
        let t = |h| Utc.with_ymd_and_hms(2026, 4, 6, h, 0, 0).unwrap();
        let seen = [(t(1), false), (t(2), true), (t(3), false), (t(4), false)];
        assert_eq!(failing_since(seen.into_iter()), Some((t(3), false)));
        assert_eq!(
            failing_since([(t(1), false), (t(2), false)].into_iter()),
            Some((t(1), true))
        );
        assert_eq!(
            failing_since([(t(1), false), (t(2), true)].into_iter()),
            None
        );
    }
}
