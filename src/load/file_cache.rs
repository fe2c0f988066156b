//! Files read by an earlier build, reused while their size and modification time are
//! unchanged. `watch` keeps one between rebuilds, so an edit re-reads one file, not all.

use crate::diag::Diagnostics;
use crate::load::pages::PageSource;
use crate::load::probes::LoadedSnapshot;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// What identifies a file's version without reading it.
pub type Stamp = (SystemTime, u64);

pub fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// A cached result of reading one file, with the diagnostics reading it gave.
#[derive(Clone)]
pub struct Cached<T> {
    pub stamp: Stamp,
    pub value: T,
    pub diags: Diagnostics,
}

#[derive(Default)]
pub struct FileCache {
    /// Set by `watch` from file events: the only files that may have changed since the
    /// last load. The others are taken from the cache without even a `stat`. `None`
    /// (a first build, or events that were lost): check every file's size and time.
    pub changed: Option<std::collections::HashSet<PathBuf>>,
    /// What the last walk of `content/` found.
    pub walk: Option<crate::load::pages::Walk>,
    pub pages: HashMap<PathBuf, Cached<Option<Arc<PageSource>>>>,
    pub snapshots: HashMap<PathBuf, Cached<Option<LoadedSnapshot>>>,
    pub topology: HashMap<PathBuf, Cached<Option<Arc<crate::load::TopologyDoc>>>>,
    /// The git history, while HEAD is unchanged.
    pub git: crate::load::git::Cache,
    /// What was read from the history store, while its file is unchanged.
    pub store: Option<crate::load::history::CachedStore>,
}

/// Reuse `map[path]` when the file is unchanged, else `read` it (with its own diagnostics)
/// and remember the result. The diagnostics are replayed either way.
pub fn through<T: Clone>(
    map: &mut HashMap<PathBuf, Cached<T>>,
    changed: Option<&std::collections::HashSet<PathBuf>>,
    path: &Path,
    diags: &mut Diagnostics,
    read: impl FnOnce(&mut Diagnostics) -> T,
) -> T {
    let st = match unchanged(map, path, changed) {
        Ok(hit) => {
            diags.extend(hit.diags.clone());
            return hit.value.clone();
        }
        Err(st) => st,
    };
    let mut d = Diagnostics::new();
    let value = read(&mut d);
    if let Some(st) = st {
        map.insert(
            path.to_path_buf(),
            Cached {
                stamp: st,
                value: value.clone(),
                diags: d.clone(),
            },
        );
    }
    diags.extend(d);
    value
}

/// [`through`] for many files at once: unchanged ones come from `map`, the others are read
/// in parallel; results (and their diagnostics) keep the order of `items`.
pub fn through_all<I: Send, T: Clone + Send + Sync>(
    map: &mut HashMap<PathBuf, Cached<T>>,
    changed: Option<&std::collections::HashSet<PathBuf>>,
    items: Vec<(PathBuf, I)>,
    diags: &mut Diagnostics,
    read: impl Fn(I, &mut Diagnostics) -> T + Sync,
) -> Vec<T> {
    use rayon::prelude::*;
    let shared: &HashMap<PathBuf, Cached<T>> = map;
    let done: Vec<(PathBuf, Option<Stamp>, Cached<T>, bool)> = items
        .into_par_iter()
        .map(|(path, item)| {
            let st = match unchanged(shared, &path, changed) {
                Ok(hit) => {
                    let hit = hit.clone();
                    return (path, None, hit, false);
                }
                Err(st) => st,
            };
            let mut d = Diagnostics::new();
            let value = read(item, &mut d);
            let fresh = Cached {
                stamp: st.unwrap_or((SystemTime::UNIX_EPOCH, 0)),
                value,
                diags: d,
            };
            (path, st, fresh, true)
        })
        .collect();
    let mut values = Vec::with_capacity(done.len());
    for (path, st, cached, fresh) in done {
        diags.extend(cached.diags.clone());
        values.push(cached.value.clone());
        if fresh && st.is_some() {
            map.insert(path, cached);
        }
    }
    values
}

/// The cached entry of an unchanged file: by the change list when there is one, else by
/// size and modification time. Otherwise the file's current stamp, for a fresh read.
fn unchanged<'a, T>(
    map: &'a HashMap<PathBuf, Cached<T>>,
    path: &Path,
    changed: Option<&std::collections::HashSet<PathBuf>>,
) -> Result<&'a Cached<T>, Option<Stamp>> {
    let hit = map.get(path);
    if let (Some(hit), Some(changed)) = (hit, changed) {
        if !changed.contains(path) {
            return Ok(hit);
        }
    }
    let st = stamp(path);
    match (st, hit) {
        (Some(st), Some(hit)) if hit.stamp == st => Ok(hit),
        _ => Err(st),
    }
}
