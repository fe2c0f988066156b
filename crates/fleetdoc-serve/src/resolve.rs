//! Maps a validated request path onto a file of the site folder, on every request.
//!
//! The site folder is swapped in by an atomic rename after each build, so nothing here
//! keeps a directory handle: the root is canonicalized afresh each time and every
//! candidate is canonicalized too, which resolves symlinks. Anything that resolves to a
//! place outside the canonical root (a symlink pointing out of the site) is refused.

use std::fs::{self, Metadata};
use std::path::{Path, PathBuf};

use crate::request_path::SitePath;

/// Where a site path leads.
#[derive(Debug)]
pub enum Resolved {
    /// A regular file inside the site (canonical path).
    File { path: PathBuf, meta: Metadata },
    /// A folder with an `index.html`, asked for without the trailing slash.
    AddSlash,
    /// Nothing servable there (missing, a folder without index, a special file).
    NotFound,
    /// The path resolves outside the site folder (through a symlink).
    Outside,
}

/// Resolves `path` against the site folder `root`.
pub fn resolve(root: &Path, path: &SitePath) -> Resolved {
    let Ok(root) = fs::canonicalize(root) else {
        return Resolved::NotFound;
    };
    let mut candidate = root.clone();
    candidate.extend(path.segments());
    let target = match inside(&root, &candidate) {
        Ok(target) => target,
        Err(miss) => return miss.into(),
    };
    let Ok(meta) = fs::metadata(&target) else {
        return Resolved::NotFound;
    };
    if meta.is_dir() {
        let index = match inside(&root, &target.join("index.html")) {
            Ok(index) => index,
            Err(miss) => return miss.into(),
        };
        match fs::metadata(&index) {
            Ok(m) if m.is_file() && !path.trailing_slash() => Resolved::AddSlash,
            Ok(m) if m.is_file() => Resolved::File {
                path: index,
                meta: m,
            },
            _ => Resolved::NotFound,
        }
    } else if meta.is_file() && !path.trailing_slash() {
        Resolved::File { path: target, meta }
    } else {
        Resolved::NotFound
    }
}

/// The site's own `404.html`, when it has one.
pub fn not_found_page(root: &Path) -> Option<(PathBuf, Metadata)> {
    let root = fs::canonicalize(root).ok()?;
    let page = inside(&root, &root.join("404.html")).ok()?;
    let meta = fs::metadata(&page).ok()?;
    meta.is_file().then_some((page, meta))
}

/// Canonicalizes `candidate` and checks it stays under the canonical `root`, and that what
/// it leads to is not hidden: a link to a dotfile (`page.html -> .env`) is no way around
/// the rule that hidden files are never served.
fn inside(root: &Path, candidate: &Path) -> Result<PathBuf, Miss> {
    let real = fs::canonicalize(candidate).map_err(|_| Miss::NotFound)?;
    let Ok(below) = real.strip_prefix(root) else {
        return Err(Miss::Outside);
    };
    let hidden = below.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') && name != ".well-known"
    });
    if hidden {
        return Err(Miss::NotFound);
    }
    Ok(real)
}

/// Why a candidate path cannot be served.
#[derive(Debug, Clone, Copy)]
enum Miss {
    NotFound,
    Outside,
}

impl From<Miss> for Resolved {
    fn from(miss: Miss) -> Resolved {
        match miss {
            Miss::NotFound => Resolved::NotFound,
            Miss::Outside => Resolved::Outside,
        }
    }
}
