//! The write stage: puts a rendered site on disk atomically. Everything is written into a
//! fresh temporary folder beside the output; only when every file is written is it swapped
//! into place. A failed build leaves the previous site exactly as it was.

use crate::render::output::{FileData, Output};
use std::io;
use std::path::{Component, Path};

/// A path below the output folder that stays below it (no `..`, no absolute parts).
fn safe_rel(rel: &str) -> bool {
    !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Write `output` to `out_dir`, replacing what was there only once everything is written.
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
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(&parent)?;
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
    swap_into_place(tmp, out_dir)
}

/// Move the finished temporary folder to `out_dir`; the old site is moved aside first and
/// removed only after the new one is in place.
fn swap_into_place(tmp: tempfile::TempDir, out_dir: &Path) -> io::Result<()> {
    let new = tmp.keep();
    if out_dir.exists() {
        let parent = new.parent().unwrap_or(Path::new("."));
        let name = out_dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("site");
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(parent)?;
        let old_path = old.path().join("site");
        std::fs::rename(out_dir, &old_path)?;
        if let Err(e) = std::fs::rename(&new, out_dir) {
            // Put the previous site back; the build failed.
            let _ = std::fs::rename(&old_path, out_dir);
            let _ = std::fs::remove_dir_all(&new);
            return Err(e);
        }
        drop(old); // removes the previous site
    } else if let Err(e) = std::fs::rename(&new, out_dir) {
        let _ = std::fs::remove_dir_all(&new);
        return Err(e);
    }
    Ok(())
}

/// Bring an existing site up to date in place, writing only the files that changed since
/// `old` (each by temp file + rename, so a reader never sees half a file) and removing the
/// ones that are gone. Used by `watch`, where a full swap per keystroke-save is too slow.
/// Returns how many files were written or removed.
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
                (std::ptr::eq(a.as_ptr(), b.as_ptr()) && a.len() == b.len() || a == b)
                    && dest.is_file()
            }
            (_, FileData::Copy(from)) => copied_since_changed(from, &dest),
            _ => false,
        };
        if same {
            continue;
        }
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = tempfile::NamedTempFile::new_in(dest.parent().unwrap_or(out_dir))?;
        match data {
            FileData::Bytes(b) => std::fs::write(tmp.path(), b)?,
            FileData::Copy(from) => {
                std::fs::copy(from, tmp.path())?;
            }
        }
        tmp.persist(&dest).map_err(|e| e.error)?;
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
