//! The history store: one SQLite file per project that keeps probe results small over
//! a long time. Raw results (every check of every snapshot) are kept for [`RAW_DAYS`]
//! before the newest snapshot in the store; beyond that only per-service aggregates
//! remain, one row per service and hour and one per service and day (snapshots that saw
//! the service, and those in which all of its checks were ok). The newest snapshot of
//! each probe keeps its raw results whatever its age, so current status and drift never
//! fall out of the store.
//!
//! Which service a result belongs to is the caller's business (it knows the topology):
//! [`Store::add`] takes a function from a result to a service id. Every snapshot is
//! recorded by (probe, taken_at) forever, so adding the same snapshot twice changes
//! nothing and an import can be repeated.

use crate::{CheckResult, Snapshot};
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::collections::BTreeMap;
use std::path::Path;

/// Days of raw results kept before the newest snapshot in the store.
pub const RAW_DAYS: i64 = 7;
/// Days of hourly aggregates kept; daily aggregates are kept for good.
pub const HOURLY_DAYS: i64 = 400;
/// The layout this code writes and reads (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS probes (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS snapshots (
    probe INTEGER NOT NULL, taken_at INTEGER NOT NULL, PRIMARY KEY (probe, taken_at)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS raw (
    probe INTEGER NOT NULL, taken_at INTEGER NOT NULL, results BLOB NOT NULL,
    UNIQUE (probe, taken_at)
);
CREATE INDEX IF NOT EXISTS raw_taken_at ON raw(taken_at);
CREATE TABLE IF NOT EXISTS hourly (
    service TEXT NOT NULL, hour INTEGER NOT NULL, seen INTEGER NOT NULL, ok INTEGER NOT NULL,
    PRIMARY KEY (hour, service)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS daily (
    service TEXT NOT NULL, day INTEGER NOT NULL, seen INTEGER NOT NULL, ok INTEGER NOT NULL,
    PRIMARY KEY (day, service)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS first_seen (key TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
";

/// What went wrong with the store file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot create {0}: {1}")]
    Folder(String, std::io::Error),
    #[error("was written by a newer fleetdoc (layout {0}, this one knows {SCHEMA_VERSION}); update fleetdoc")]
    Newer(i64),
}

/// Seen and ok counts of one service over some time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Snapshots that had a result for the service.
    pub seen: u64,
    /// Of those, snapshots in which every result for it was ok.
    pub ok: u64,
}

/// What [`Store::add`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Added {
    /// Snapshots not in the store before.
    pub new: usize,
    /// Snapshots the store already had (left as they were).
    pub known: usize,
}

/// An open history store.
pub struct Store {
    conn: Connection,
}

fn secs(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

fn time(s: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(s, 0).single().unwrap_or_default()
}

impl Store {
    /// Opens the store at `path` for writing, creating it (and its folder) when missing.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Folder(dir.display().to_string(), e))?;
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Set before the first table exists; freed pages are then handed back on prune.
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        let store = Store { conn };
        store.check_version()?;
        store.conn.execute_batch(SCHEMA)?;
        store
            .conn
            .pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(store)
    }

    /// Opens the store at `path` read-only; `Ok(None)` when there is no such file.
    pub fn open_read(path: &Path) -> Result<Option<Store>, StoreError> {
        if !path.is_file() {
            return Ok(None);
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let store = Store { conn };
        store.check_version()?;
        Ok(Some(store))
    }

    fn check_version(&self) -> Result<(), StoreError> {
        let v: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if v > SCHEMA_VERSION {
            return Err(StoreError::Newer(v));
        }
        Ok(())
    }

    /// Adds snapshots (each entry of a snapshot's `history` as one more), skipping those
    /// already stored, updates the aggregates of the new ones through `service_of`, then
    /// drops raw results older than the raw window. One transaction: all or nothing.
    /// `service_of` gets each result with the time of its entry, and returns `None` for a
    /// result the aggregates leave out (no service, or one in a maintenance window).
    pub fn add<'a>(
        &mut self,
        snapshots: impl IntoIterator<Item = &'a Snapshot>,
        service_of: &dyn Fn(&CheckResult, DateTime<Utc>) -> Option<String>,
    ) -> Result<Added, StoreError> {
        let tx = self.conn.transaction()?;
        let mut added = Added::default();
        {
            let mut probe_id = tx.prepare_cached(
                "INSERT INTO probes(name) VALUES (?1) ON CONFLICT(name) DO UPDATE SET name = name RETURNING id",
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO snapshots(probe, taken_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?;
            let mut insert_raw =
                tx.prepare_cached("INSERT INTO raw(probe, taken_at, results) VALUES (?1, ?2, ?3)")?;
            let bump = |table: &str, service: &str, at: i64, ok: bool| {
                tx.prepare_cached(&format!(
                    "INSERT INTO {table} VALUES (?1, ?2, 1, ?3) \
                     ON CONFLICT DO UPDATE SET seen = seen + 1, ok = ok + excluded.ok"
                ))
                .and_then(|mut st| st.execute(params![service, at, ok as i64]))
            };
            let mut first_seen = tx.prepare_cached(
                "INSERT INTO first_seen VALUES (?1, ?2) \
                 ON CONFLICT DO UPDATE SET at = min(at, excluded.at)",
            )?;
            let mut ids: BTreeMap<String, i64> = BTreeMap::new();
            // Keys written in this call, with the earliest time written (one statement
            // per check and call, not per result).
            let mut firsts: BTreeMap<String, i64> = BTreeMap::new();
            for snap in snapshots {
                let id = match ids.get(&snap.probe) {
                    Some(id) => *id,
                    None => {
                        let id: i64 = probe_id.query_row([&snap.probe], |r| r.get(0))?;
                        ids.insert(snap.probe.clone(), id);
                        id
                    }
                };
                // Entries of one snapshot taken at the same second are one measurement:
                // their results are stored together, none is dropped as already known.
                let mut entries: BTreeMap<i64, Vec<&CheckResult>> = BTreeMap::new();
                for (at, results) in snap
                    .history
                    .iter()
                    .map(|e| (e.taken_at, &e.results))
                    .chain([(snap.taken_at, &snap.results)])
                {
                    entries.entry(secs(at)).or_default().extend(results.iter());
                }
                for (at, results) in entries {
                    let at = time(at);
                    let blob = serde_json::to_vec(&results)
                        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                    if insert.execute(params![id, secs(at)])? == 0 {
                        added.known += 1;
                        continue;
                    }
                    insert_raw.execute(params![id, secs(at), blob])?;
                    added.new += 1;
                    for r in &results {
                        let e = firsts.entry(result_key(r)).or_insert(secs(at));
                        *e = (*e).min(secs(at));
                    }
                    let mut per_service: BTreeMap<String, bool> = BTreeMap::new();
                    for r in results
                        .iter()
                        .filter(|r| !r.check.is_discovery() && !r.in_maintenance())
                    {
                        if let Some(s) = service_of(r, at) {
                            *per_service.entry(s).or_insert(true) &= r.ok;
                        }
                    }
                    let t = secs(at);
                    for (service, ok) in per_service {
                        bump("hourly", &service, t.div_euclid(3600) * 3600, ok)?;
                        bump("daily", &service, t.div_euclid(86400) * 86400, ok)?;
                    }
                }
            }
            for (key, at) in firsts {
                first_seen.execute(params![key, at])?;
            }
        }
        prune(&tx)?;
        tx.commit()?;
        self.conn.execute_batch("PRAGMA incremental_vacuum")?;
        Ok(added)
    }

    /// Whether the store holds the snapshot `probe` took at `taken_at`.
    pub fn contains(&self, probe: &str, taken_at: DateTime<Utc>) -> Result<bool, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT 1 FROM snapshots JOIN probes ON probes.id = snapshots.probe \
             WHERE probes.name = ?1 AND snapshots.taken_at = ?2",
        )?;
        Ok(st
            .query_row(params![probe, secs(taken_at)], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// When the newest snapshot in the store was taken.
    pub fn newest(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let t: Option<i64> = self
            .conn
            .query_row("SELECT max(taken_at) FROM raw", [], |r| r.get(0))?;
        Ok(t.map(time))
    }

    /// Snapshots with raw results taken at or after `since` (or the newest `at_least`
    /// of them, when that reaches further back), and the newest one of every probe, oldest
    /// first (results only; `history` empty).
    pub fn recent(
        &self,
        since: DateTime<Utc>,
        at_least: usize,
    ) -> Result<Vec<Snapshot>, StoreError> {
        let nth: Option<i64> = self
            .conn
            .query_row(
                "SELECT taken_at FROM raw ORDER BY taken_at DESC LIMIT 1 OFFSET ?1",
                [at_least.saturating_sub(1) as i64],
                |r| r.get(0),
            )
            .optional()?;
        let since = nth.map_or(secs(since), |n| n.min(secs(since)));
        let mut st = self.conn.prepare(
            "SELECT p.name, s.taken_at, s.results FROM raw s JOIN probes p ON p.id = s.probe \
             WHERE s.taken_at >= ?1 \
             UNION ALL \
             SELECT p.name, s.taken_at, s.results \
             FROM (SELECT probe, max(taken_at) AS t FROM raw GROUP BY probe) m \
             JOIN raw s ON s.probe = m.probe AND s.taken_at = m.t JOIN probes p ON p.id = s.probe \
             WHERE m.t < ?1 \
             ORDER BY 2, 1",
        )?;
        let rows = st.query_map([since], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (probe, at, blob) = row?;
            let results: Vec<CheckResult> = serde_json::from_slice(&blob).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    2,
                    rusqlite::types::Type::Blob,
                    Box::new(e),
                )
            })?;
            out.push(Snapshot {
                taken_at: time(at),
                probe,
                results,
                history: Vec::new(),
                warnings: Vec::new(),
            });
        }
        Ok(out)
    }

    /// Seen and ok counts per service over the hours that start in `[from, to)`.
    pub fn hourly_counts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<BTreeMap<String, Counts>, StoreError> {
        self.counts("hourly", "hour", from, to)
    }

    /// Seen and ok counts per service over the days (UTC) that start in `[from, to)`.
    pub fn daily_counts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<BTreeMap<String, Counts>, StoreError> {
        self.counts("daily", "day", from, to)
    }

    /// Seen and ok counts per service and day (UTC) for the days that start in
    /// `[from, to)`: (service, day start, counts), by service then day.
    pub fn daily_rows(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>, Counts)>, StoreError> {
        self.rows("daily", "day", from, to)
    }

    /// Seen and ok counts per service and hour for the hours that start in `[from, to)`:
    /// (service, hour start, counts), by service then hour.
    pub fn hourly_rows(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>, Counts)>, StoreError> {
        self.rows("hourly", "hour", from, to)
    }

    /// When each check (by [`result_key`]) was first seen, over every snapshot ever added.
    /// Kept for good: one row per check, however long the history.
    pub fn first_seen(&self) -> Result<BTreeMap<String, DateTime<Utc>>, StoreError> {
        let mut st = self.conn.prepare_cached("SELECT key, at FROM first_seen")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, time(r.get(1)?))))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn rows(
        &self,
        table: &str,
        col: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>, Counts)>, StoreError> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT service, {col}, seen, ok FROM {table} WHERE {col} >= ?1 AND {col} < ?2 ORDER BY service, {col}"
        ))?;
        let rows = st.query_map(params![secs(from), secs(to)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                Counts {
                    seen: r.get::<_, i64>(2)?.max(0) as u64,
                    ok: r.get::<_, i64>(3)?.max(0) as u64,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (service, at, counts) = row?;
            if let Some(at) = Utc.timestamp_opt(at, 0).single() {
                out.push((service, at, counts));
            }
        }
        Ok(out)
    }

    fn counts(
        &self,
        table: &str,
        col: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<BTreeMap<String, Counts>, StoreError> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT service, sum(seen), sum(ok) FROM {table} WHERE {col} >= ?1 AND {col} < ?2 GROUP BY service"
        ))?;
        let rows = st.query_map(params![secs(from), secs(to)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Counts {
                    seen: r.get::<_, i64>(1)?.max(0) as u64,
                    ok: r.get::<_, i64>(2)?.max(0) as u64,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Numbers for `history` summaries: snapshots, of them with raw results, hourly and
    /// daily rows.
    pub fn stats(&self) -> Result<[i64; 4], StoreError> {
        let n = |sql: &str| self.conn.query_row(sql, [], |r| r.get::<_, i64>(0));
        Ok([
            n("SELECT count(*) FROM snapshots")?,
            n("SELECT count(*) FROM raw")?,
            n("SELECT count(*) FROM hourly")?,
            n("SELECT count(*) FROM daily")?,
        ])
    }
}

/// The key a check's first sighting is kept under: its kind, target, host and name (a
/// monitor's check name), tab-separated.
pub fn result_key(r: &CheckResult) -> String {
    format!(
        "{}\t{}\t{}\t{}",
        r.check,
        r.target,
        r.host.as_deref().unwrap_or(""),
        r.name.as_deref().unwrap_or("")
    )
}

/// Drops raw results older than [`RAW_DAYS`] before the newest snapshot (keeping each
/// probe's newest) and hourly rows older than [`HOURLY_DAYS`].
fn prune(tx: &rusqlite::Transaction) -> Result<(), StoreError> {
    let newest: Option<i64> = tx.query_row("SELECT max(taken_at) FROM raw", [], |r| r.get(0))?;
    let Some(newest) = newest else {
        return Ok(());
    };
    tx.execute(
        "DELETE FROM raw WHERE taken_at < ?1 \
         AND taken_at < (SELECT max(taken_at) FROM raw m WHERE m.probe = raw.probe)",
        [newest - RAW_DAYS * 86400],
    )?;
    tx.execute(
        "DELETE FROM hourly WHERE hour < ?1",
        [newest - HOURLY_DAYS * 86400],
    )?;
    Ok(())
}
