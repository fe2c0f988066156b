//! The write stage: puts a rendered site on disk atomically. Everything is written into a
//! fresh temporary folder beside the output; only when every file is written is it swapped
//! into place, in one step (see [`swap`]). A failed or killed build leaves the previous
//! site exactly as it was, and the next build deletes the temporary folder it left.

pub mod guard;
pub mod leftovers;
mod swap;

use crate::render::output::{FileData, Output};
use std::io;
use std::path::{Component, Path};

/// Name prefixes of the temporary folders beside a site called `name`: the one being
/// written (which, after the swap, holds the old site until it is deleted) and, from
/// builds that could not exchange, the old site moved aside.
fn temp_prefixes(name: &str) -> [String; 2] {
    [format!(".{name}.new-"), format!(".{name}.old-")]
}

/// A path below the output folder that stays below it (no `..`, no absolute parts).
fn safe_rel(rel: &str) -> bool {
    !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Write `output` to `out_dir`, replacing what was there only once everything is written.
/// The caller has checked `out_dir` with [`guard::check`].
pub fn write_site(out_dir: &Path, output: &Output) -> io::Result<()> {
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let name = out_dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("site");
    let [new_prefix, old_prefix] = temp_prefixes(name);
    // What builds killed earlier left beside the site (folders nobody holds).
    leftovers::clean(&parent, &[&new_prefix, &old_prefix]);
    let tmp = tempfile::Builder::new()
        .prefix(&new_prefix)
        .tempdir_in(&parent)?;
    let claim = leftovers::claim(tmp.path());
    if let Some(rel) = output.files.keys().find(|r| !safe_rel(r)) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the site: {rel}"),
        ));
    }
    // Folders first, once each; then the files, in parallel.
    let dirs: std::collections::BTreeSet<&Path> = output
        .files
        .keys()
        .filter_map(|r| Path::new(r.as_str()).parent())
        .collect();
    for dir in dirs {
        std::fs::create_dir_all(tmp.path().join(dir))?;
    }
    use rayon::prelude::*;
    output
        .files
        .par_iter()
        .try_for_each(|(rel, data)| -> io::Result<()> {
            let dest = tmp.path().join(rel);
            match data {
                FileData::Bytes(b) => std::fs::write(&dest, b),
                FileData::Copy(from) => std::fs::copy(from, &dest).map(|_| ()),
            }
        })?;
    // The mark that this folder is fleetdoc's to replace (see `guard`).
    std::fs::write(tmp.path().join(guard::MARKER), guard::MARKER_TEXT)?;
    swap::into_place(tmp.keep(), out_dir)?;
    drop(claim);
    Ok(())
}

/// Bring an existing site up to date in place, writing only the files that changed since
/// `old` (each by temp file + rename, so a reader never sees half a file) and removing the
/// ones that are gone. Used by `watch`, where a full swap per keystroke-save is too slow.
/// A file `old` holds unchanged is taken to be on disk as written, without a look (a stat
/// per file of the site cost more than a page edit's whole render). Returns how many files
/// were written or removed.
pub fn update_site(out_dir: &Path, old: &Output, new: &Output) -> io::Result<usize> {
    let mut changed = 0;
    for (rel, data) in &new.files {
        if !safe_rel(rel) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the site: {rel}"),
            ));
        }
        let dest = out_dir.join(rel);
        let same = match (old.files.get(rel), data) {
            // Reused outputs share their buffer with the last build: no byte comparison.
            (Some(FileData::Bytes(a)), FileData::Bytes(b)) => {
                std::ptr::eq(a.as_ptr(), b.as_ptr()) && a.len() == b.len() || a == b
            }
            (_, FileData::Copy(from)) => copied_since_changed(from, &dest),
            _ => false,
        };
        if same {
            continue;
        }
        // A file the last build wrote has its folder.
        if !old.files.contains_key(rel) {
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir)?;
            }
        }
        let mut tmp = tempfile::NamedTempFile::new_in(dest.parent().unwrap_or(out_dir))?;
        match data {
            FileData::Bytes(b) => std::io::Write::write_all(tmp.as_file_mut(), b)?,
            FileData::Copy(from) => {
                std::fs::copy(from, tmp.path())?;
            }
        }
        // Over a file the last build wrote: exchanged with it, and the old one (now at the
        // temp name) removed with the temp file. ext4 flushes a file renamed over another
        // (its guard against empty files after a crash), which made this write take
        // milliseconds on a busy disk; an exchange is not a replacement to it.
        if !old.files.contains_key(rel) || swap::exchange(tmp.path(), &dest).is_err() {
            tmp.persist(&dest).map_err(|e| e.error)?;
        }
        changed += 1;
    }
    for rel in old.files.keys() {
        if !new.files.contains_key(rel) && safe_rel(rel) {
            let _ = std::fs::remove_file(out_dir.join(rel));
            changed += 1;
        }
    }
    Ok(changed)
}

/// Whether `dest` is a copy of `src` made after `src` last changed: same length, and not
/// older than the source (a copy gets the time it was written). Comparing the bytes of
/// every asset (fonts are hundreds of KiB) on every rebuild cost more than the rebuild.
fn copied_since_changed(src: &Path, dest: &Path) -> bool {
    match (std::fs::metadata(src), std::fs::metadata(dest)) {
        (Ok(ms), Ok(md)) if ms.len() == md.len() && md.is_file() => {
            match (ms.modified(), md.modified()) {
                (Ok(changed), Ok(copied)) => copied >= changed,
                _ => false,
            }
        }
        _ => false,
    }
}
