//! Temporary folders that a killed run leaves behind, and how the next run tells them
//! from the folders of a run still going.
//!
//! Whoever creates a temporary folder (a site being written, a release being staged)
//! holds an advisory lock on it for as long as it works there. The operating system drops
//! the lock when the process dies, however it dies, so any such folder nobody holds a lock
//! on is a leftover and may be deleted.

use std::fs::File;
use std::path::Path;

/// The lock on one temporary folder; released when dropped or when the process dies.
#[derive(Debug)]
pub struct Claim {
    _file: Option<File>,
}

/// Takes the lock on `dir`, a folder this process just created. Where folders cannot be
/// opened or locked (some systems, some file systems) there is no lock, and [`clean`]
/// cannot open the folder either, so it leaves it alone: never deleted while in use.
pub fn claim(dir: &Path) -> Claim {
    let file = File::open(dir)
        .ok()
        .filter(|f| fs4::FileExt::try_lock(f).is_ok());
    Claim { _file: file }
}

/// Deletes every entry of `parent` whose name starts with one of `prefixes` and that no
/// running process holds a lock on. Best effort: what cannot be deleted stays for the next
/// run. Returns how many entries were deleted.
pub fn clean(parent: &Path, prefixes: &[&str]) -> usize {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !prefixes.iter().any(|p| name.starts_with(p)) {
            continue;
        }
        let path = entry.path();
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if !is_dir {
            if std::fs::remove_file(&path).is_ok() {
                removed += 1;
            }
            continue;
        }
        let Ok(file) = File::open(&path) else {
            continue;
        };
        if fs4::FileExt::try_lock(&file).is_err() {
            continue; // in use by a running build or publish
        }
        if std::fs::remove_dir_all(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}
