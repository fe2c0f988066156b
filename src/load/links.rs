//! The one rule for symbolic links among the inputs (`content/`, `assets/`, `templates/`,
//! the probes folder, the topology): a link that leaves the project is never followed.
//!
//! An input folder may itself be a link when it resolves inside the project. Inside an
//! input folder, a link to a file inside the project is read like that file; a link to a
//! folder, a broken link, and any link that leaves the project are skipped with a warning
//! at the link's own path. So a build never copies or reads what lies outside the
//! project (`ln -s /etc assets` publishes nothing of `/etc`), and never walks in circles.

use crate::diag::{display_path, Diagnostics, Loc};
use std::path::{Path, PathBuf};

/// The project folder, resolved once, that every link is judged against.
pub struct Project {
    root: PathBuf,
    real: PathBuf,
}

/// What to do with one path that may be a link.
pub enum Verdict {
    /// Not a link, or a link that may be followed.
    Read,
    /// Skipped; the warning has been given.
    Skip,
}

impl Project {
    pub fn new(root: &Path) -> Project {
        Project {
            root: root.to_path_buf(),
            real: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// Judges `path`: an input folder (`folder`) or an entry inside one. A refused link,
    /// and anything that is not a regular file or folder (a FIFO, a socket, a device, or a
    /// link to one), gets a warning at its path in `diags`.
    pub fn judge(&self, path: &Path, folder: bool, diags: &mut Diagnostics) -> Verdict {
        if let Some(kind) = std::fs::symlink_metadata(path)
            .ok()
            .and_then(|m| crate::load::limits::special_kind(&m.file_type()))
        {
            diags.warning(
                Loc::file_start(display_path(&self.root, path)),
                crate::load::limits::not_regular(kind),
            );
            return Verdict::Skip;
        }
        match self.problem(path, folder) {
            None => Verdict::Read,
            Some(why) => {
                diags.warning(
                    Loc::file_start(display_path(&self.root, path)),
                    format!("not read: {why}"),
                );
                Verdict::Skip
            }
        }
    }

    /// Why the link at `path` is not followed, or `None` when it is not a link or may be.
    pub fn problem(&self, path: &Path, folder: bool) -> Option<String> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        if !meta.file_type().is_symlink() {
            return None;
        }
        let Ok(target) = std::fs::canonicalize(path) else {
            return Some("a symbolic link to nothing (broken); fix or remove it".into());
        };
        if !target.starts_with(&self.real) {
            return Some(format!(
                "a symbolic link to {}, outside the project; links that leave the project \
                 are never followed: copy what is needed into the project",
                target.display()
            ));
        }
        if let Some(kind) = std::fs::metadata(&target)
            .ok()
            .and_then(|m| crate::load::limits::special_kind(&m.file_type()))
        {
            return Some(format!(
                "a symbolic link to {kind}, not a regular file; fleetdoc reads only regular files"
            ));
        }
        if !folder && target.is_dir() {
            return Some(
                "a symbolic link to a folder; links to folders inside an input folder are \
                 not followed: link the files, or move the folder here"
                    .into(),
            );
        }
        None
    }
}
