//! The history store from the commands' side: `probe` adds each snapshot it takes (and
//! the snapshot files of the probes folder it has not seen), `fleetdoc history import DIR`
//! adds a folder of snapshot files in one go. Adding is idempotent: a snapshot is known by
//! its probe and `taken_at`. Each result is counted for the service it matches in the
//! topology as it is when it is added.

use crate::analyze::observe::Matcher;
use crate::load::history::store_path;
use crate::model::Fleet;
use fleetdoc_probe::store::{Added, Store};
use fleetdoc_probe::Snapshot;
use std::path::{Path, PathBuf};

/// Snapshots read and added per transaction while importing a folder.
const BATCH: usize = 2000;

fn open(root: &Path) -> Option<Store> {
    let path = store_path(root);
    match Store::open(&path) {
        Ok(s) => Some(s),
        Err(e) => {
            crate::diag::error_line(format!(
                "{}: the history store cannot be opened: {e}",
                path.display()
            ));
            None
        }
    }
}

/// Adds `snaps` to the project's store; false (having said why) when it cannot.
pub fn add(root: &Path, fleet: &Fleet, snaps: &[Snapshot]) -> Option<Added> {
    let mut store = open(root)?;
    let matcher = Matcher::new(fleet);
    // A result inside one of its service's maintenance windows, as the topology declares
    // them now, is left out of the aggregates (its raw result is kept as it is).
    let service_of = |r: &fleetdoc_probe::CheckResult, at: chrono::DateTime<chrono::Utc>| {
        matcher
            .service(r)
            .filter(|&s| {
                !crate::analyze::observe::in_window(fleet, s, r, r.checked_at.unwrap_or(at))
            })
            .map(|s| fleet.services[s].id.to_string())
    };
    match store.add(snaps, &service_of) {
        Ok(a) => Some(a),
        Err(e) => {
            crate::diag::error_line(format!(
                "{}: cannot add to the history store: {e}",
                store_path(root).display()
            ));
            None
        }
    }
}

/// Every `*.json` directly in `dir`, in name order.
fn snapshot_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// Reads the snapshot files of `dir` and adds them to the store in batches. Unreadable
/// files and snapshots in the future are warnings and are left out. On `Err` the reason
/// has been printed already.
#[allow(clippy::result_unit_err)]
pub fn import_dir(
    root: &Path,
    fleet: &Fleet,
    dir: &Path,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Added, usize), ()> {
    let files = snapshot_files(dir).map_err(|e| {
        crate::diag::error_line(format!("cannot read the folder {}: {e}", dir.display()))
    })?;
    let mut total = Added::default();
    let mut skipped = 0;
    for chunk in files.chunks(BATCH) {
        let read: Vec<(PathBuf, Result<Snapshot, String>)> = {
            use rayon::prelude::*;
            chunk
                .par_iter()
                .map(|p| {
                    (
                        p.clone(),
                        fleetdoc_probe::read_snapshot_located(p)
                            .map_err(|e| {
                                let at = e
                                    .position()
                                    .map(|(l, c)| format!(":{l}:{c}"))
                                    .unwrap_or_default();
                                format!("{at}: warning: {}; not imported", e.detail())
                            })
                            .map(|l| l.snapshot),
                    )
                })
                .collect()
        };
        let mut snaps = Vec::with_capacity(read.len());
        for (path, r) in read {
            match r {
                Ok(s) if s.taken_at > now + crate::load::probes::CLOCK_SKEW => {
                    skipped += 1;
                    crate::diag::warning_line(format!(
                        "{}: `taken_at` {} is in the future; not imported",
                        path.display(),
                        s.taken_at.format("%Y-%m-%d %H:%M:%S UTC")
                    ));
                }
                Ok(s) => snaps.push(s),
                Err(e) => {
                    skipped += 1;
                    eprintln!("{}{e}", path.display());
                }
            }
        }
        let a = add(root, fleet, &snaps).ok_or(())?;
        total.new += a.new;
        total.known += a.known;
    }
    Ok((total, skipped))
}

/// `fleetdoc history import DIR`.
pub fn import(root: &Path, dir: &Path, verbose: bool) -> i32 {
    let super::Prepared { project, diags, .. } = match super::prepared(root, verbose) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if diags.has_errors() {
        diags.print();
        return 1;
    }
    match import_dir(root, &project.site.fleet, dir, project.now) {
        Ok((a, skipped)) => {
            crate::diag::say(format!(
                "{} snapshots added to {}, {} already there{}",
                a.new,
                store_path(root).display(),
                a.known,
                if skipped > 0 {
                    format!(", {skipped} files left out (see above)")
                } else {
                    String::new()
                }
            ));
            0
        }
        Err(()) => 1,
    }
}
