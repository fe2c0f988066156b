//! Puts a finished site folder in place of the old one in a single step, so a reader
//! (`fleetdoc serve`, a web server) always finds a whole site: the old one or the new one,
//! never none and never a mix.
//!
//! On Linux the two folders are exchanged with `renameat2(RENAME_EXCHANGE)`, which swaps
//! both names at once; the old site is then at the temporary name and is deleted. Where
//! that is not available (another system, a file system without it) the old site is moved
//! aside and the new one renamed in: for that moment there is no site folder.

use std::io;
use std::path::Path;

/// Moves the folder `new` to `out_dir`, deleting the site that was there.
pub fn into_place(new: std::path::PathBuf, out_dir: &Path) -> io::Result<()> {
    if std::fs::symlink_metadata(out_dir).is_err() {
        return rename_or_remove(&new, out_dir);
    }
    match exchange(&new, out_dir) {
        Ok(()) => {
            // `new` holds the previous site now.
            let _ = std::fs::remove_dir_all(&new);
            Ok(())
        }
        Err(e) if exchange_unsupported(&e) => two_renames(new, out_dir),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&new);
            Err(e)
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(super) fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The kernel or the file system cannot exchange (not an error of the build).
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let errno = e.raw_os_error();
        if errno == Some(rustix::io::Errno::INVAL.raw_os_error())
            || errno == Some(rustix::io::Errno::NOSYS.raw_os_error())
            || errno == Some(rustix::io::Errno::NOTSUP.raw_os_error())
        {
            return true;
        }
    }
    e.kind() == io::ErrorKind::Unsupported
}

fn rename_or_remove(new: &Path, out_dir: &Path) -> io::Result<()> {
    std::fs::rename(new, out_dir).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(new);
    })
}

/// The fallback: old site aside, new one in, old one deleted.
fn two_renames(new: std::path::PathBuf, out_dir: &Path) -> io::Result<()> {
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
    Ok(())
}
