//! The project's history store (`.fleetdoc/history.sqlite`, written by `probe` and
//! `history import`), read for a build: the raw snapshots of the last day (at least the
//! newest 48, and the newest of each probe) join the snapshot files, and per-service counts over [`UPTIME_DAYS`]
//! come from the hourly aggregates, so a year of history costs a build a few small
//! queries, never a year of rows. Snapshot files that the store already holds are left
//! out (they are counted once). A missing store is no history, not an error; a store that
//! cannot be read is a warning and the build goes on without it.

use crate::diag::{Diagnostics, Loc, Pos};
use crate::load::file_cache::{stamp, Stamp};
use crate::load::probes::LoadedSnapshot;
use fleetdoc_probe::store::{Counts, Store};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the store lives, relative to the project root.
pub const STORE_PATH: &str = ".fleetdoc/history.sqlite";
/// How far back the raw snapshots read for status and the sparkline reach, before the
/// newest snapshot in the store.
pub const RECENT_HOURS: i64 = 24;
/// ... or back to the newest this many, when that is further (the sparkline shows the
/// last 48 snapshots).
pub const RECENT_AT_LEAST: usize = 48;
/// The uptime shown beside each service covers these last days.
pub const UPTIME_DAYS: i64 = 30;

/// How many months (the current one included) the availability tables cover, read from
/// the daily aggregates.
pub const AVAILABILITY_MONTHS: u32 = 12;

/// What a build reads from the store.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Per service id, over the last [`UPTIME_DAYS`].
    pub uptime: BTreeMap<String, Counts>,
    /// Per service id, its days (UTC) with counts, oldest first, from the first day of the
    /// month [`AVAILABILITY_MONTHS`] - 1 months before now's.
    pub daily: BTreeMap<String, Vec<(chrono::NaiveDate, Counts)>>,
    /// Per service id, its hours with counts, oldest first, over the last
    /// [`HOURLY_BARS_DAYS`] (the 24 h and 7 d uptime bars, the dates of drift).
    pub hourly: BTreeMap<String, Vec<(chrono::DateTime<chrono::Utc>, Counts)>>,
    /// When each check was first seen (by `store::result_key`), for the dates of drift.
    pub first_seen: BTreeMap<String, chrono::DateTime<chrono::Utc>>,
}

/// The days of hourly aggregates a build reads.
pub const HOURLY_BARS_DAYS: i64 = 7;

/// The first hour [`History::hourly`] holds for `now`: [`HOURLY_BARS_DAYS`] before the end
/// of the hour `now` is in.
pub fn hourly_start(now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    let hour = now.timestamp().div_euclid(3600) * 3600;
    chrono::DateTime::from_timestamp(hour, 0).unwrap_or(now)
        - chrono::TimeDelta::hours(HOURLY_BARS_DAYS * 24 - 1)
}

/// The first day of the oldest month the availability tables show, for `now`.
pub fn availability_start(now: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    use chrono::Datelike;
    let first = now.date_naive().with_day(1).unwrap_or(now.date_naive());
    first
        .checked_sub_months(chrono::Months::new(AVAILABILITY_MONTHS - 1))
        .unwrap_or(first)
}

/// What was read from one version of the store file (reused by `watch` while the file
/// is unchanged).
#[derive(Clone)]
pub struct CachedStore {
    stamp: Stamp,
    now: chrono::DateTime<chrono::Utc>,
    recent: Vec<LoadedSnapshot>,
    history: History,
    /// Whether the store holds each snapshot file's snapshot, by (probe, taken_at): an
    /// edit under `watch` does not open the store while these answer every file.
    held: std::collections::HashMap<(String, i64), bool>,
}

impl CachedStore {
    /// The store file's size and time when it was read.
    pub fn stamp(&self) -> Stamp {
        self.stamp
    }
}

fn held_key(s: &LoadedSnapshot) -> (String, i64) {
    (s.snapshot.probe.clone(), s.snapshot.taken_at.timestamp())
}

/// The store's path under `root`.
pub fn store_path(root: &Path) -> PathBuf {
    root.join(STORE_PATH)
}

/// Adds the store's recent snapshots to `snapshots` (dropping files the store already
/// holds) and returns the aggregates; `None` when there is no store.
pub fn merge(
    root: &Path,
    snapshots: &mut Vec<LoadedSnapshot>,
    diags: &mut Diagnostics,
    cache: &mut Option<CachedStore>,
) -> Option<History> {
    let path = store_path(root);
    let shown = PathBuf::from(STORE_PATH);
    let Some(st) = stamp(&path) else {
        *cache = None;
        return None;
    };
    let now = crate::clock::now().ok()?;
    // Unchanged store, every file's answer known: no need to open it.
    if let Some(c) = cache.as_ref().filter(|c| c.stamp == st && c.now == now) {
        if snapshots.iter().all(|s| c.held.contains_key(&held_key(s))) {
            snapshots.retain(|s| !c.held[&held_key(s)]);
            snapshots.extend(c.recent.iter().cloned());
            return Some(c.history.clone());
        }
    }
    let store = match Store::open_read(&path) {
        Ok(Some(s)) => s,
        Ok(None) => return None,
        Err(e) => {
            diags.warning(
                Loc::new(&shown, Pos::new(1, 1)),
                format!("the history store cannot be read ({e}); the site is built without it (restore it from a backup, or delete it to start a new one)"),
            );
            return None;
        }
    };
    // Files the store holds are counted there.
    let held: std::collections::HashMap<(String, i64), bool> = snapshots
        .iter()
        .map(|s| {
            let h = store
                .contains(&s.snapshot.probe, s.snapshot.taken_at)
                .unwrap_or(false);
            (held_key(s), h)
        })
        .collect();
    snapshots.retain(|s| !held[&held_key(s)]);
    let read = match cache.as_ref().filter(|c| c.stamp == st && c.now == now) {
        Some(c) => Ok(c.clone()),
        None => read(&store, &shown, st, now),
    };
    match read {
        Ok(mut c) => {
            c.held = held;
            snapshots.extend(c.recent.iter().cloned());
            let history = c.history.clone();
            *cache = Some(c);
            Some(history)
        }
        Err(e) => {
            diags.warning(
                Loc::new(&shown, Pos::new(1, 1)),
                format!("the history store cannot be read ({e}); the site is built without it (restore it from a backup, or delete it to start a new one)"),
            );
            None
        }
    }
}

fn read(
    store: &Store,
    shown: &Path,
    stamp: Stamp,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<CachedStore, fleetdoc_probe::store::StoreError> {
    let newest = store.newest()?.unwrap_or(now).min(now);
    let recent = store
        .recent(
            newest - chrono::TimeDelta::hours(RECENT_HOURS),
            RECENT_AT_LEAST,
        )?
        .into_iter()
        .map(|snapshot| LoadedSnapshot {
            shown: shown.to_path_buf(),
            snapshot,
            taken_at_pos: Pos::new(1, 1),
            stored: true,
        })
        .collect();
    let uptime = store.hourly_counts(
        now - chrono::TimeDelta::days(UPTIME_DAYS),
        now + chrono::TimeDelta::hours(1),
    )?;
    let mut daily: BTreeMap<String, Vec<(chrono::NaiveDate, Counts)>> = BTreeMap::new();
    let start = availability_start(now)
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    for (service, day, counts) in store.daily_rows(start, now + chrono::TimeDelta::days(1))? {
        daily
            .entry(service)
            .or_default()
            .push((day.date_naive(), counts));
    }
    let mut hourly: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for (service, hour, counts) in
        store.hourly_rows(hourly_start(now), now + chrono::TimeDelta::hours(1))?
    {
        hourly.entry(service).or_default().push((hour, counts));
    }
    Ok(CachedStore {
        stamp,
        now,
        recent,
        history: History {
            uptime,
            daily,
            hourly,
            first_seen: store.first_seen()?,
        },
        held: Default::default(),
    })
}
