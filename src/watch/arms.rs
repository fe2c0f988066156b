//! Keeps the file watches of `fleetdoc watch` on the folders that are there now.
//!
//! A watch follows a folder, not its name: when `content/` is deleted and copied back, or
//! moved away and another put in its place (a branch switch, a sync tool), the old watch
//! ends or follows the old folder, and the new folder would go unheard. So after every
//! burst of events each watched name is checked against the folder it names now, and
//! watched afresh when that changed. What cannot be watched is reported, not skipped.

use notify::{RecursiveMode, Watcher};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Which folder a name points at: device and inode where there are such things, and
/// the creation time where the file system keeps one (an inode number is reused at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity {
    dev: u64,
    ino: u64,
    created: Option<std::time::SystemTime>,
}

fn identity(path: &Path) -> Option<Identity> {
    let meta = std::fs::metadata(path).ok()?;
    let created = meta.created().ok();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(Identity {
            dev: meta.dev(),
            ino: meta.ino(),
            created,
        })
    }
    #[cfg(not(unix))]
    {
        Some(Identity {
            dev: 0,
            ino: 0,
            created,
        })
    }
}

struct Armed {
    path: PathBuf,
    mode: RecursiveMode,
    id: Option<Identity>,
}

/// The watches in place, and the folders they were set on.
#[derive(Default)]
pub struct Arms {
    armed: Vec<Armed>,
}

/// What one [`Arms::sync`] did.
#[derive(Debug, Default)]
pub struct Synced {
    /// A watch was set, moved or dropped: events may have been missed, so the next
    /// rebuild must look at every file.
    pub changed: bool,
    /// One line per folder that could not be watched.
    pub problems: Vec<String>,
}

impl Arms {
    /// Brings the watches in line with `wanted` (the folders that exist now). A watched
    /// folder named in `moved` (it appeared, went or was renamed since the last call) is
    /// watched afresh in any case: a folder deleted and re-created may get the same inode.
    pub fn sync(
        &mut self,
        watcher: &mut dyn Watcher,
        wanted: &[(PathBuf, RecursiveMode)],
        moved: &HashSet<PathBuf>,
    ) -> Synced {
        let mut synced = Synced::default();
        self.armed.retain(|a| {
            let keep = wanted.iter().any(|(p, m)| *p == a.path && *m == a.mode)
                && identity(&a.path) == a.id
                && !moved.contains(&a.path);
            if !keep {
                // Already gone with its folder, most of the time.
                let _ = watcher.unwatch(&a.path);
                synced.changed = true;
            }
            keep
        });
        for (path, mode) in wanted {
            if self.armed.iter().any(|a| a.path == *path) {
                continue;
            }
            let id = identity(path);
            match watcher.watch(path, *mode) {
                Ok(()) => {
                    self.armed.push(Armed {
                        path: path.clone(),
                        mode: *mode,
                        id,
                    });
                    synced.changed = true;
                }
                Err(e) => synced.problems.push(format!(
                    "{}: error: cannot watch this folder ({e}); changes in it are not seen \
                     until it can be (on Linux, raise fs.inotify.max_user_watches if the \
                     limit is reached) or `fleetdoc watch` is restarted",
                    path.display()
                )),
            }
        }
        synced
    }
}
