//! The write stage: puts a rendered site on disk atomically. Everything is written into a
//! fresh temporary folder beside the output, pages as they are rendered ([`Writer`]); only
//! when every file is written is it swapped into place, in one step (see [`swap`]). A failed or killed build leaves the previous
//! site exactly as it was, and the next build deletes the temporary folder it left.

pub mod guard;
pub mod leftovers;
mod swap;

use crate::render::output::{FileData, Output, Sink};
use std::collections::{BTreeSet, HashSet};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

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
    Writer::create(out_dir)?.finish(output)
}

/// A site being written: a fresh temporary folder beside `out_dir` that files go into as
/// they are made (the render stage hands pages over as it renders them, see [`Sink`]),
/// swapped into place by [`Writer::finish`]. Dropped unfinished (the build failed), it
/// deletes its folder and everything written so far; the old site was never touched.
///
/// Each folder is made once, parents first; each file is one `open`, `write`, `close`
/// (a fresh folder needs no temp file and rename per file, and nothing is `stat`ed).
pub struct Writer {
    tmp: tempfile::TempDir,
    out_dir: PathBuf,
    /// Folders made so far, by path below the temp folder (`""` is the folder itself).
    folders: Mutex<HashSet<String>>,
    /// The first error of a file handed over by [`Sink::put`]; the rest are refused.
    error: Mutex<Option<io::Error>>,
    failed: AtomicBool,
    _claim: leftovers::Claim,
}

impl Writer {
    /// Makes the temporary folder beside `out_dir` (after deleting what killed builds
    /// left there) and takes the lock that tells other runs it is in use.
    pub fn create(out_dir: &Path) -> io::Result<Writer> {
        let parent = match out_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
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
        Ok(Writer {
            tmp,
            out_dir: out_dir.to_path_buf(),
            folders: Mutex::new(HashSet::from([String::new()])),
            error: Mutex::new(None),
            failed: AtomicBool::new(false),
            _claim: claim,
        })
    }

    /// Makes the folder `rel` (and the ones above it) unless made before. The lock is held
    /// only to look the folder up: render threads do not wait for each other's `mkdir`.
    fn folder(&self, rel: &str) -> io::Result<()> {
        let made = |rel: &str| {
            let folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
            folders.contains(rel)
        };
        if made(rel) {
            return Ok(());
        }
        self.folder(rel.rsplit_once('/').map_or("", |(a, _)| a))?;
        match std::fs::create_dir(self.tmp.path().join(rel)) {
            // Another thread made it meanwhile (a file of that name instead would make the
            // write into it fail).
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
        let mut folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        folders.insert(rel.to_string());
        Ok(())
    }

    fn file(&self, rel: &str, data: FileRef) -> io::Result<()> {
        if !safe_rel(rel) {
            return Err(outside(rel));
        }
        let write = || {
            self.folder(rel.rsplit_once('/').map_or("", |(a, _)| a))?;
            let dest = self.tmp.path().join(rel);
            match data {
                FileRef::Bytes(b) => std::fs::write(&dest, b),
                FileRef::Copy(from) => std::fs::copy(from, &dest).map(|_| ()),
            }
        };
        write().map_err(|e| io::Error::new(e.kind(), format!("{rel}: {e}")))
    }

    /// The first error of the files handed over so far, if any.
    fn first_error(&self) -> Option<io::Error> {
        let mut error = self.error.lock().unwrap_or_else(|e| e.into_inner());
        error.take()
    }

    /// Writes the files of `rest` (what was not handed over while rendering), in
    /// parallel, then the marker, and swaps the folder into place. On any error, this
    /// one's or an earlier file's, the temporary folder is deleted and the old site stays.
    pub fn finish(self, rest: &Output) -> io::Result<()> {
        if let Some(e) = self.first_error() {
            return Err(e);
        }
        if let Some(rel) = rest.files.keys().find(|r| !safe_rel(r)) {
            return Err(outside(rel));
        }
        // Folders first, in order, once each; then the files, in parallel.
        let folders: BTreeSet<&str> = rest
            .files
            .keys()
            .filter_map(|r| r.rsplit_once('/').map(|(a, _)| a))
            .collect();
        for f in folders {
            self.folder(f)
                .map_err(|e| io::Error::new(e.kind(), format!("{f}/: {e}")))?;
        }
        use rayon::prelude::*;
        rest.files.par_iter().try_for_each(|(rel, data)| {
            self.file(
                rel,
                match data {
                    FileData::Bytes(b) => FileRef::Bytes(b),
                    FileData::Copy(from) => FileRef::Copy(from),
                },
            )
        })?;
        // The mark that this folder is fleetdoc's to replace (see `guard`).
        std::fs::write(self.tmp.path().join(guard::MARKER), guard::MARKER_TEXT)?;
        let Writer {
            tmp,
            out_dir,
            _claim,
            ..
        } = self;
        swap::into_place(tmp.keep(), &out_dir)?;
        drop(_claim);
        Ok(())
    }
}

/// A file to write: bytes, or a file to copy as it is.
enum FileRef<'a> {
    Bytes(&'a [u8]),
    Copy(&'a Path),
}

fn outside(rel: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("refusing to write outside the site: {rel}"),
    )
}

impl Sink for Writer {
    fn put(&self, rel: &str, data: &[u8]) -> bool {
        if self.failed.load(Ordering::Relaxed) {
            return false;
        }
        match self.file(rel, FileRef::Bytes(data)) {
            Ok(()) => true,
            Err(e) => {
                self.failed.store(true, Ordering::Relaxed);
                let mut error = self.error.lock().unwrap_or_else(|e| e.into_inner());
                error.get_or_insert(e);
                false
            }
        }
    }
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
