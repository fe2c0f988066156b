//! Probe snapshots: every `*.json` in the probes folder, read within the probe crate's
//! limits and ordered by `taken_at`. A malformed snapshot is a warning at its file, line
//! and column and is skipped; it never stops the build.

use crate::diag::{Diagnostics, Loc, Pos};
use fleetdoc_probe::{read_snapshot, Snapshot};
use std::path::PathBuf;

/// One snapshot that was read, with the path shown in messages.
#[derive(Debug, Clone)]
pub struct LoadedSnapshot {
    pub shown: PathBuf,
    pub snapshot: Snapshot,
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
    out.sort_by(|a, b| {
        a.snapshot
            .taken_at
            .cmp(&b.snapshot.taken_at)
            .then(a.shown.cmp(&b.shown))
    });
    out
}

/// A snapshot with a `history` becomes one snapshot per earlier measurement plus itself,
/// so status, drift and uptime treat them all alike.
fn expand(mut s: LoadedSnapshot) -> Vec<LoadedSnapshot> {
    let history = std::mem::take(&mut s.snapshot.history);
    let mut out: Vec<LoadedSnapshot> = history
        .into_iter()
        .map(|e| LoadedSnapshot {
            shown: s.shown.clone(),
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

fn read_one(
    path: &std::path::Path,
    shown: &std::path::Path,
    diags: &mut Diagnostics,
) -> Option<LoadedSnapshot> {
    match read_snapshot(path) {
        Ok(snapshot) => {
            for w in &snapshot.warnings {
                diags.warning(Loc::file_start(shown), format!("{w}"));
            }
            Some(LoadedSnapshot {
                shown: shown.to_path_buf(),
                snapshot,
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
