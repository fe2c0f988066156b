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

/// Read every snapshot file; problems become warnings.
pub fn load(files: &[(PathBuf, PathBuf)], diags: &mut Diagnostics) -> Vec<LoadedSnapshot> {
    let mut out = Vec::with_capacity(files.len());
    for (path, shown) in files {
        match read_snapshot(path) {
            Ok(snapshot) => {
                for w in &snapshot.warnings {
                    diags.warning(Loc::file_start(shown), format!("{w}"));
                }
                out.push(LoadedSnapshot {
                    shown: shown.clone(),
                    snapshot,
                });
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
            }
        }
    }
    out.sort_by(|a, b| {
        a.snapshot
            .taken_at
            .cmp(&b.snapshot.taken_at)
            .then(a.shown.cmp(&b.shown))
    });
    out
}
