//! The on-disk layout of one project under a brainstorming target, and the few operations
//! that change it. Every visible change is a single rename, so a publish killed at any
//! moment leaves a valid state:
//!
//! ```text
//! <to>/.fleetdoc.lock                 held while `current` or the index change
//! <to>/<project>/current -> releases/<id>      (relative link)
//! <to>/<project>/releases/<id>/       complete releases only: each appears by one rename
//! <to>/<project>/releases/.staging-*  releases being written (outside the lock)
//! <to>/<project>/releases/.trash-*    releases being deleted
//! ```

use super::error::PublishError;
use super::names::ReleaseId;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

pub const LOCK_FILE: &str = ".fleetdoc.lock";
const STAGING_PREFIX: &str = ".staging-";
const TRASH_PREFIX: &str = ".trash-";
const LINK_TMP_PREFIX: &str = "current.tmp-";

/// An exclusive lock on the target, released when dropped (or when the process dies).
pub struct TargetLock {
    _file: File,
}

pub fn lock(to: &Path) -> Result<TargetLock, PublishError> {
    let path = to.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(PublishError::io("open the lock file", &path))?;
    fs4::FileExt::lock(&file).map_err(PublishError::io("lock", &path))?;
    Ok(TargetLock { _file: file })
}

pub fn releases_dir(project_dir: &Path) -> PathBuf {
    project_dir.join("releases")
}

/// Complete releases of a project, oldest first. Names that are not release ids are not ours
/// and are left alone.
pub fn list_releases(project_dir: &Path) -> Result<Vec<ReleaseId>, PublishError> {
    let dir = releases_dir(project_dir);
    let rd = match fs::read_dir(&dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(PublishError::io("read", &dir)(e)),
    };
    let mut ids = Vec::new();
    for ent in rd {
        let ent = ent.map_err(PublishError::io("read", &dir))?;
        let is_dir = ent.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if let (true, Some(id)) = (is_dir, ent.file_name().to_str().and_then(ReleaseId::parse)) {
            ids.push(id);
        }
    }
    ids.sort();
    Ok(ids)
}

/// The release `current` points at: `Ok(None)` when there is no `current` yet.
pub fn current_release(project_dir: &Path) -> Result<Option<ReleaseId>, PublishError> {
    let link = project_dir.join("current");
    match fs::read_link(&link) {
        Ok(target) => {
            let mut parts = target.components();
            let id = match (parts.next(), parts.next(), parts.next()) {
                (Some(a), Some(b), None) if a.as_os_str() == "releases" => {
                    b.as_os_str().to_str().and_then(ReleaseId::parse)
                }
                _ => None,
            };
            id.map(Some)
                .ok_or_else(|| PublishError::CurrentNotALink(link.clone()))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::InvalidInput => {
            Err(PublishError::CurrentNotALink(link))
        }
        Err(e) => Err(PublishError::io("read the link", &link)(e)),
    }
}

/// A folder a release is written into, invisible to readers of the project. It is held
/// (see [`crate::write::leftovers`]) while this process works in it, and deleted when
/// dropped; a publish killed meanwhile leaves it unheld for the next one to delete.
pub struct Staging {
    dir: tempfile::TempDir,
    _claim: crate::write::leftovers::Claim,
}

impl Staging {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// A fresh staging folder.
pub fn staging(project_dir: &Path) -> Result<Staging, PublishError> {
    let dir = releases_dir(project_dir);
    fs::create_dir_all(&dir).map_err(PublishError::io("create", &dir))?;
    let staged = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(&dir)
        .map_err(PublishError::io("create a folder in", &dir))?;
    let claim = crate::write::leftovers::claim(staged.path());
    Ok(Staging {
        dir: staged,
        _claim: claim,
    })
}

/// The id for a new release: from the publish time, but always after every existing one,
/// so "newest" stays "last" even when two publishes share a second or the clock steps back.
pub fn next_id(
    existing: &[ReleaseId],
    at: ReleaseId,
    dir: &Path,
) -> Result<ReleaseId, PublishError> {
    match existing.last() {
        Some(last) if *last >= at => last
            .successor()
            .ok_or_else(|| PublishError::TooManyReleases(dir.to_path_buf())),
        _ => Ok(at),
    }
}

/// Moves a finished release folder into `releases/<id>` (under the lock).
pub fn install(
    project_dir: &Path,
    finished: &Path,
    id: &ReleaseId,
) -> Result<PathBuf, PublishError> {
    let dest = releases_dir(project_dir).join(id.to_string());
    fs::rename(finished, &dest).map_err(PublishError::io("move the release into", &dest))?;
    Ok(dest)
}

/// Points `current` at `releases/<id>` in one rename of a fresh relative link.
pub fn switch(project_dir: &Path, id: &ReleaseId) -> Result<(), PublishError> {
    let target = Path::new("releases").join(id.to_string());
    let tmp = tempfile::Builder::new()
        .prefix(LINK_TMP_PREFIX)
        .make_in(project_dir, |p| symlink(&target, p))
        .map_err(PublishError::io("create a link in", project_dir))?;
    let current = project_dir.join("current");
    tmp.into_temp_path().persist(&current).map_err(|e| {
        if current.is_dir() && fs::read_link(&current).is_err() {
            PublishError::CurrentNotALink(current.clone())
        } else {
            PublishError::io("switch", &current)(e.error)
        }
    })?;
    sync_dir(project_dir);
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::windows::fs::symlink_dir(target, link)
}

/// Flushes a folder's entries (best effort: a rename survives a crash of the machine too).
pub fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Deletes all but the newest `keep` releases, never `current`'s. A release is first renamed
/// to a trash name, so a deletion cut short never leaves a half release under an id.
pub fn prune(
    project_dir: &Path,
    keep: usize,
    current: Option<&ReleaseId>,
) -> Result<Vec<ReleaseId>, PublishError> {
    let ids = list_releases(project_dir)?;
    let cut = ids.len().saturating_sub(keep.max(1));
    let dir = releases_dir(project_dir);
    let mut removed = Vec::new();
    for id in ids.into_iter().take(cut) {
        if Some(&id) == current {
            continue;
        }
        let from = dir.join(id.to_string());
        let trash = dir.join(format!("{TRASH_PREFIX}{id}-{}", std::process::id()));
        fs::rename(&from, &trash).map_err(PublishError::io("move aside", &from))?;
        fs::remove_dir_all(&trash).map_err(PublishError::io("delete", &trash))?;
        removed.push(id);
    }
    Ok(removed)
}

/// Removes what publishes that died left behind (under the lock): stray links, trash, and
/// staging folders no running publish holds.
pub fn clean_leftovers(project_dir: &Path) {
    if let Ok(rd) = fs::read_dir(project_dir) {
        for entry in rd.filter_map(Result::ok) {
            let name = entry.file_name();
            if name
                .to_str()
                .is_some_and(|n| n.starts_with(LINK_TMP_PREFIX))
            {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    crate::write::leftovers::clean(&releases_dir(project_dir), &[STAGING_PREFIX, TRASH_PREFIX]);
}

/// Readable by the web server whatever user it runs as (temp folders start as 0700).
pub fn make_readable(path: &Path, dir: bool) -> Result<(), PublishError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if dir { 0o755 } else { 0o644 };
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .map_err(PublishError::io("set permissions of", path))?;
    }
    #[cfg(not(unix))]
    let _ = (path, dir);
    Ok(())
}
