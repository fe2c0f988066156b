//! Which docs project a project folder under the target belongs to. Two projects whose
//! titles make the same folder name would otherwise take turns replacing each other's
//! `current` and index entry; so the first publish records its project root in
//! `<to>/<project>/.fleetdoc-owner.json`, and a publish from any other root is refused,
//! naming the root that owns the folder. The file sits beside `current`, not inside a
//! release: a release is served to the public, and a machine's folder names are not for it.

use super::error::PublishError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// File name of the owner record inside a project folder.
pub const OWNER_FILE: &str = ".fleetdoc-owner.json";

#[derive(Serialize, Deserialize)]
struct Owner {
    /// The project root (absolute, symlinks resolved) that publishes into this folder.
    root: PathBuf,
}

/// A root as it is compared: absolute, with symlinks resolved when it exists.
fn canonical(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// The root recorded for `project_dir`, if any (an unreadable record counts as none: it
/// was not written by this version, and the next publish writes it again).
fn recorded(project_dir: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(project_dir.join(OWNER_FILE)).ok()?;
    serde_json::from_str::<Owner>(&text).ok().map(|o| o.root)
}

/// Fails when `project_dir` belongs to a project at another root.
pub fn check(project_dir: &Path, root: &Path) -> Result<(), PublishError> {
    let mine = canonical(root);
    match recorded(project_dir) {
        Some(other) if other != mine => Err(PublishError::OwnedByOther {
            dir: project_dir.to_path_buf(),
            other,
            record: project_dir.join(OWNER_FILE),
        }),
        _ => Ok(()),
    }
}

/// [`check`], then records `root` as the owner when no owner is recorded yet (under the
/// target's lock, so two first publishes cannot both claim the folder).
pub fn claim(project_dir: &Path, root: &Path) -> Result<(), PublishError> {
    check(project_dir, root)?;
    if recorded(project_dir).is_some() {
        return Ok(());
    }
    let path = project_dir.join(OWNER_FILE);
    let owner = Owner {
        root: canonical(root),
    };
    let json = serde_json::to_vec_pretty(&owner).map_err(|e| PublishError::Io {
        action: "encode",
        path: path.clone(),
        source: std::io::Error::other(e),
    })?;
    std::fs::write(&path, json).map_err(PublishError::io("write", &path))
}
