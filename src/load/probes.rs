//! Probe snapshots: every `*.json` in the probes folder, read within the probe crate's
//! limits and ordered by `taken_at`. A malformed snapshot is a warning at its file, line
//! and column and is skipped; it never stops the build. A bad value inside a snapshot is
//! a warning at that value and only the value is left out; a file with very many of them
//! prints the first few and one line for the rest. A snapshot taken in the future (a
//! probe's clock is wrong, or the file was made up) is a warning and is not used: it would
//! otherwise stay "current" until the clock caught up.

use crate::diag::{Diagnostics, Loc, Pos};
use fleetdoc_probe::{read_snapshot_located, Position, Snapshot};
use std::path::PathBuf;

/// Most warnings printed for one snapshot file; the rest are counted on one line.
pub const MAX_WARNINGS_PER_FILE: usize = 20;

/// How far ahead of "now" a `taken_at` may be before it counts as in the future: clocks
/// of the machines that probe and build are rarely exactly in step.
pub const CLOCK_SKEW: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// One snapshot that was read, with the path shown in messages.
#[derive(Debug, Clone)]
pub struct LoadedSnapshot {
    pub shown: PathBuf,
    pub snapshot: Snapshot,
    /// Where `taken_at` is written in the file.
    pub taken_at_pos: Pos,
    /// Read from the history store, whose aggregates already count it.
    pub stored: bool,
}

fn pos(p: Position) -> Pos {
    Pos::new(p.line, p.column)
}

/// Read every snapshot file; problems become warnings. Unchanged files come from `cache`.
pub fn load(
    files: &[(PathBuf, PathBuf)],
    diags: &mut Diagnostics,
    cache: &mut crate::load::file_cache::FileCache,
) -> Vec<LoadedSnapshot> {
    let mut out = Vec::with_capacity(files.len());
    for (path, shown) in files {
        let loaded = crate::load::file_cache::through(
            &mut cache.snapshots,
            cache.changed.as_ref(),
            path,
            diags,
            |d| read_one(path, shown, d),
        );
        out.extend(loaded.into_iter().flat_map(expand));
    }
    if let Ok(now) = crate::clock::now() {
        out.retain(|s| !in_the_future(s, now, diags));
    }
    sort(&mut out);
    out
}

/// Oldest first; at the same time, by the path shown.
pub fn sort(snapshots: &mut [LoadedSnapshot]) {
    snapshots.sort_by(|a, b| {
        a.snapshot
            .taken_at
            .cmp(&b.snapshot.taken_at)
            .then(a.shown.cmp(&b.shown))
            .then(a.snapshot.probe.cmp(&b.snapshot.probe))
    });
}

/// A snapshot with a `history` becomes one snapshot per earlier measurement plus itself,
/// so status, drift and uptime treat them all alike.
fn expand(mut s: LoadedSnapshot) -> Vec<LoadedSnapshot> {
    let history = std::mem::take(&mut s.snapshot.history);
    let mut out: Vec<LoadedSnapshot> = history
        .into_iter()
        .map(|e| LoadedSnapshot {
            shown: s.shown.clone(),
            taken_at_pos: s.taken_at_pos,
            stored: s.stored,
            snapshot: fleetdoc_probe::Snapshot {
                taken_at: e.taken_at,
                probe: s.snapshot.probe.clone(),
                results: e.results,
                history: Vec::new(),
                warnings: Vec::new(),
            },
        })
        .collect();
    out.push(s);
    out
}

/// Whether a snapshot was taken after `now` (beyond [`CLOCK_SKEW`]); if so, says so.
fn in_the_future(
    s: &LoadedSnapshot,
    now: chrono::DateTime<chrono::Utc>,
    diags: &mut Diagnostics,
) -> bool {
    let at = s.snapshot.taken_at;
    if at <= now + CLOCK_SKEW {
        return false;
    }
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    diags.warning(
        Loc::new(&s.shown, s.taken_at_pos),
        format!(
            "`taken_at` {} is in the future (now is {}); this snapshot was not used: \
             check the clock of the machine that took it",
            fmt(at),
            fmt(now)
        ),
    );
    true
}

fn read_one(
    path: &std::path::Path,
    shown: &std::path::Path,
    diags: &mut Diagnostics,
) -> Option<LoadedSnapshot> {
    match read_snapshot_located(path) {
        Ok(located) => {
            let warnings = &located.snapshot.warnings;
            for w in warnings.iter().take(MAX_WARNINGS_PER_FILE) {
                diags.warning(Loc::new(shown, pos(w.at)), w.to_string());
            }
            if let Some(first_unshown) = warnings.get(MAX_WARNINGS_PER_FILE) {
                diags.warning(
                    Loc::new(shown, pos(first_unshown.at)),
                    format!(
                        "… and {} more problems in this file, not shown; fix the tool that wrote it",
                        warnings.len() - MAX_WARNINGS_PER_FILE
                    ),
                );
            }
            let mut snapshot = located.snapshot;
            snapshot.warnings = Vec::new();
            Some(LoadedSnapshot {
                shown: shown.to_path_buf(),
                snapshot,
                taken_at_pos: pos(located.taken_at),
                stored: false,
            })
        }
        Err(e) => {
            let pos = e
                .position()
                .map(|(l, c)| Pos::new(l, c))
                .unwrap_or(Pos::new(1, 1));
            diags.warning(
                Loc::new(shown, pos),
                format!(
                    "{}; this snapshot was skipped (fix or delete the file)",
                    e.detail()
                ),
            );
            None
        }
    }
}
