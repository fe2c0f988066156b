//! The project's git history, read once per build with gix (no `git` process): the last
//! commit that changed each file below the project, and each commit that changed the
//! topology with the topology's text before and after it (for `fleetdoc changes`).
//!
//! The history is walked once, newest commit first, and each commit's tree is compared with
//! its parents' trees (only the subtrees that differ are opened), so the cost grows with
//! commits times changed paths, not with pages times commits. A project outside git has no
//! history and no error; a shallow clone is said once, and a path whose last change may lie
//! beyond the shallow boundary gets no date rather than the boundary commit's. See
//! docs/changes.md.

use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// One commit, as pages and `changes` show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Commit {
    /// The full hexadecimal id.
    pub id: String,
    /// The first 7 digits of the id.
    pub short: String,
    /// Committer time, seconds since the Unix epoch: when the change entered the history.
    pub time: i64,
    /// The first line of the message.
    pub subject: String,
}

impl Commit {
    /// The commit's day (UTC) as `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        chrono::DateTime::from_timestamp(self.time, 0)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }
}

/// What could be known from git.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Status {
    /// The project is not inside a git repository.
    NotInGit,
    /// A repository without commits yet.
    NoCommits,
    /// The history is complete.
    Full,
    /// A shallow clone: what lies beyond its oldest fetched commits is unknown.
    Shallow,
    /// The repository could not be read (the reason).
    Unreadable(String),
}

/// The topology files as one revision holds them: (path shown in messages, text).
pub type TopologyTexts = Arc<Vec<(String, String)>>;

/// One commit that changed the topology.
#[derive(Debug, Clone)]
pub struct TopologyStep {
    /// Index into [`GitHistory::commits`].
    pub commit: usize,
    /// The topology in the commit's first parent; `None` where it had none.
    pub before: Option<TopologyTexts>,
    /// The topology in the commit; `None` where it was deleted.
    pub after: Option<TopologyTexts>,
}

/// Everything read from git for one build.
#[derive(Debug, Clone)]
pub struct GitHistory {
    pub status: Status,
    /// Where the project lies in the repository's work tree (`""`, or `docs/`).
    pub prefix: String,
    /// Commits that changed a file below the project, newest first.
    pub commits: Vec<Commit>,
    /// Project-relative path (with `/`) -> index into `commits` of its last change.
    pub last_change: HashMap<String, usize>,
    /// Commits that changed the topology, newest first.
    pub topology: Vec<TopologyStep>,
    /// Whether the topology's history reaches back to its first commit (not cut by a
    /// shallow boundary).
    pub topology_complete: bool,
}

impl GitHistory {
    fn with_status(status: Status) -> Self {
        GitHistory {
            status,
            prefix: String::new(),
            commits: Vec::new(),
            last_change: HashMap::new(),
            topology: Vec::new(),
            topology_complete: false,
        }
    }
    /// The last commit that changed a project-relative path, when it is known.
    pub fn last_change_of(&self, path: &str) -> Option<&Commit> {
        self.last_change.get(path).map(|&i| &self.commits[i])
    }
    /// A short sentence on what the history cannot tell, for pages and messages; `None`
    /// when it is complete.
    pub fn limitation(&self) -> Option<String> {
        match &self.status {
            Status::Full => None,
            Status::NotInGit => Some("This project is not in a git repository, so there is no history of its changes".into()),
            Status::NoCommits => Some("The project's git repository has no commits yet".into()),
            Status::Shallow => Some("The project's git repository is a shallow clone: changes before its oldest fetched commit are not known, and files last changed before it show no date".into()),
            Status::Unreadable(why) => Some(format!("The project's git history could not be read: {why}")),
        }
    }
}

/// Where the topology lives, relative to the project: one file, or a folder of `*.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TopologySpec {
    File(String),
    Folder(String),
}

impl TopologySpec {
    fn covers(&self, path: &str) -> bool {
        match self {
            TopologySpec::File(f) => path == f,
            TopologySpec::Folder(d) => {
                path.strip_prefix(d.as_str())
                    .is_some_and(|rest| rest.starts_with('/') && !rest[1..].contains('/'))
                    && (path.ends_with(".yaml") || path.ends_with(".yml"))
            }
        }
    }
}

/// The history read by the last build and what identified it (HEAD, the shallow state, the
/// topology's place): `watch` reads the history again only when one of them changed.
pub type Cache = Option<(u64, Arc<GitHistory>)>;

/// Read the history of the project at `root`, or take it from `cache` while HEAD is the
/// same. Returns it with the path of the file that makes the clone shallow, when it is.
pub fn read_cached(root: &Path, topology: &[TopologySpec], cache: &mut Cache) -> Arc<GitHistory> {
    let mut repo = match gix::discover(root) {
        Ok(r) => r,
        Err(gix::discover::Error::Discover(_)) => {
            return Arc::new(GitHistory::with_status(Status::NotInGit))
        }
        Err(e) => return Arc::new(GitHistory::with_status(Status::Unreadable(e.to_string()))),
    };
    let head = repo.head_id().ok().map(|id| id.detach().to_string());
    // Each commit and tree is read twice (as a commit, then as a parent): keep them.
    repo.object_cache_size_if_unset(8 * 1024 * 1024);
    let key = crate::base::hash::key_of(&(head, repo.is_shallow(), root, topology));
    if let Some((k, h)) = cache {
        if *k == key {
            return h.clone();
        }
    }
    let h = Arc::new(match read_repo(&repo, root, topology, None) {
        Ok(h) => h,
        Err(e) => GitHistory::with_status(Status::Unreadable(e)),
    });
    *cache = Some((key, h.clone()));
    h
}

/// Read the history of the commits `range` names (git's `A..B`, or `B` for all of its
/// history), for `fleetdoc changes`; `Err` names a revision that does not exist.
pub fn read_range(
    root: &Path,
    topology: &[TopologySpec],
    range: &str,
) -> Result<GitHistory, String> {
    let mut repo = match gix::discover(root) {
        Ok(r) => r,
        Err(gix::discover::Error::Discover(_)) => {
            return Ok(GitHistory::with_status(Status::NotInGit))
        }
        Err(e) => return Ok(GitHistory::with_status(Status::Unreadable(e.to_string()))),
    };
    repo.object_cache_size_if_unset(8 * 1024 * 1024);
    let spec = repo
        .rev_parse(range)
        .map_err(|e| format!("`{range}` does not name commits of this repository: {e}"))?
        .detach();
    use gix::revision::plumbing::Spec;
    let (tip, hidden) = match spec {
        Spec::Include(id) => (id, None),
        Spec::Range { from, to } => (to, Some(from)),
        _ => return Err(format!("`{range}` is not a revision or a range `A..B`")),
    };
    read_repo(&repo, root, topology, Some((tip, hidden)))
        .or_else(|e| Ok(GitHistory::with_status(Status::Unreadable(e))))
}

/// The file that makes a repository shallow (`.git/shallow`), for the warning that says so.
pub fn shallow_file(root: &Path) -> Option<std::path::PathBuf> {
    let repo = gix::discover(root).ok()?;
    repo.is_shallow().then(|| repo.shallow_file())
}

/// The project folder as a path inside the repository's work tree (`""` at its top, else
/// ending in `/`).
fn project_prefix(repo: &gix::Repository, root: &Path) -> Result<String, String> {
    let Some(workdir) = repo.workdir() else {
        return Err("the repository has no work tree (a bare repository)".into());
    };
    let wd = workdir.canonicalize().map_err(|e| e.to_string())?;
    let root = root.canonicalize().map_err(|e| e.to_string())?;
    let rel = root
        .strip_prefix(&wd)
        .map_err(|_| "the project lies outside the repository's work tree".to_string())?;
    let rel = crate::base::paths::slashed(rel);
    Ok(if rel.is_empty() {
        rel
    } else {
        format!("{rel}/")
    })
}

fn read_repo(
    repo: &gix::Repository,
    root: &Path,
    topology: &[TopologySpec],
    range: Option<(ObjectId, Option<ObjectId>)>,
) -> Result<GitHistory, String> {
    let prefix = project_prefix(repo, root)?;
    let (head, hidden) = match range {
        Some(r) => r,
        None => match repo.head_id() {
            Ok(id) => (id.detach(), None),
            Err(_) => return Ok(GitHistory::with_status(Status::NoCommits)),
        },
    };
    let shallow: Vec<ObjectId> = repo
        .shallow_commits()
        .map_err(|e| e.to_string())?
        .map(|c| c.iter().copied().collect())
        .unwrap_or_default();
    let mut infos = Vec::new();
    let walk = repo
        .rev_walk([head])
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            Default::default(),
        ))
        .with_hidden(hidden)
        .all()
        .map_err(|e| e.to_string())?;
    for info in walk {
        let info = info.map_err(|e| e.to_string())?;
        infos.push((info.id, info.parent_ids.to_vec()));
    }
    let mut out = GitHistory::with_status(if shallow.is_empty() {
        Status::Full
    } else {
        Status::Shallow
    });
    out.topology_complete = shallow.is_empty();
    out.prefix = prefix.clone();
    let mut state = gix::diff::tree::State::default();
    for (id, parents) in infos {
        if shallow.contains(&id) {
            // Its parents are not here: what it changed cannot be told from what it holds.
            continue;
        }
        let commit = repo.find_commit(id).map_err(|e| e.to_string())?;
        let tree = commit.tree().map_err(|e| e.to_string())?;
        let parent_trees: Vec<gix::Tree> = parents
            .iter()
            .map(|p| {
                repo.find_commit(*p)
                    .map_err(|e| e.to_string())?
                    .tree()
                    .map_err(|e| e.to_string())
            })
            .collect::<Result<_, _>>()?;
        // Only the project's folder is compared: a commit that leaves it as a parent had it
        // changes nothing of the project (most commits of a repository the project shares),
        // and costs a lookup, not a diff.
        let folder = project_tree(repo, &tree, &prefix)?;
        let parent_folders: Vec<Option<gix::Tree>> = parent_trees
            .iter()
            .map(|pt| project_tree(repo, pt, &prefix))
            .collect::<Result<_, _>>()?;
        let id_of = |t: &Option<gix::Tree>| t.as_ref().map(|t| t.id);
        if parent_folders.iter().any(|pf| id_of(pf) == id_of(&folder))
            || (parent_folders.is_empty() && folder.is_none())
        {
            continue;
        }
        let empty = repo.empty_tree();
        let new = folder.as_ref().unwrap_or(&empty);
        // A path counts as changed by a merge only where the merge differs from every
        // parent (as `git log -- PATH` simplifies history).
        let mut changed: Option<Vec<String>> = None;
        if parent_folders.is_empty() {
            changed = Some(tree_paths_changed(repo, &empty, new, &mut state)?);
        }
        for pf in &parent_folders {
            let paths = tree_paths_changed(repo, pf.as_ref().unwrap_or(&empty), new, &mut state)?;
            changed = Some(match changed {
                None => paths,
                Some(prev) => prev.into_iter().filter(|p| paths.contains(p)).collect(),
            });
        }
        // Paths below the project's folder, as the project names them.
        let changed: Vec<String> = changed.unwrap_or_default();
        if changed.is_empty() {
            continue;
        }
        let time = commit.time().map_err(|e| e.to_string())?.seconds;
        let subject = commit
            .message()
            .map(|m| m.summary().to_str_lossy().into_owned())
            .unwrap_or_default();
        let hex = id.to_string();
        let ix = out.commits.len();
        out.commits.push(Commit {
            short: hex[..7.min(hex.len())].to_string(),
            id: hex,
            time,
            subject,
        });
        let touches_topology = changed.iter().any(|p| topology.iter().any(|t| t.covers(p)));
        for p in changed {
            out.last_change.entry(p).or_insert(ix);
        }
        if touches_topology {
            let before = match parent_trees.first() {
                Some(pt) => topology_at(repo, pt, &prefix, topology)?,
                None => None,
            };
            let after = topology_at(repo, &tree, &prefix, topology)?;
            out.topology.push(TopologyStep {
                commit: ix,
                before,
                after,
            });
        }
    }
    Ok(out)
}

/// The project's folder (`prefix`, `""` for the repository's root) in `tree`; `None` when
/// the tree does not hold it.
fn project_tree<'r>(
    repo: &'r gix::Repository,
    tree: &gix::Tree<'r>,
    prefix: &str,
) -> Result<Option<gix::Tree<'r>>, String> {
    let folder = prefix.trim_end_matches('/');
    if folder.is_empty() {
        return Ok(Some(tree.clone()));
    }
    let Some(entry) = tree
        .lookup_entry(folder.split('/').map(|part| part.as_bytes()))
        .map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
    if !entry.mode().is_tree() {
        return Ok(None);
    }
    repo.find_tree(entry.oid())
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Paths of files that differ between two trees.
fn tree_paths_changed(
    repo: &gix::Repository,
    old: &gix::Tree,
    new: &gix::Tree,
    state: &mut gix::diff::tree::State,
) -> Result<Vec<String>, String> {
    let mut rec = gix::diff::tree::Recorder::default();
    let kind = repo.object_hash();
    gix::diff::tree(
        gix::objs::TreeRefIter::from_bytes(&old.data, kind),
        gix::objs::TreeRefIter::from_bytes(&new.data, kind),
        &mut *state,
        &repo.objects,
        &mut rec,
    )
    .map_err(|e| e.to_string())?;
    use gix::diff::tree::recorder::Change;
    Ok(rec
        .records
        .into_iter()
        .filter_map(|c| {
            let (mode, path) = match c {
                Change::Addition {
                    entry_mode, path, ..
                }
                | Change::Deletion {
                    entry_mode, path, ..
                }
                | Change::Modification {
                    entry_mode, path, ..
                } => (entry_mode, path),
            };
            (!mode.is_tree()).then(|| path.to_str_lossy().into_owned())
        })
        .collect())
}

/// The topology files a tree holds, or `None` when it holds none.
fn topology_at(
    repo: &gix::Repository,
    tree: &gix::Tree,
    prefix: &str,
    topology: &[TopologySpec],
) -> Result<Option<TopologyTexts>, String> {
    let mut files = Vec::new();
    for spec in topology {
        match spec {
            TopologySpec::File(f) => {
                if let Some(text) = blob_text(repo, tree, &format!("{prefix}{f}"))? {
                    files.push((f.clone(), text));
                }
            }
            TopologySpec::Folder(d) => {
                let entry = tree
                    .lookup_entry_by_path(format!("{prefix}{d}"))
                    .map_err(|e| e.to_string())?;
                let Some(entry) = entry.filter(|e| e.mode().is_tree()) else {
                    continue;
                };
                let sub = repo
                    .find_tree(entry.object_id())
                    .map_err(|e| e.to_string())?;
                let mut names: Vec<String> = Vec::new();
                for e in sub.iter() {
                    let e = e.map_err(|e| e.to_string())?;
                    let name = e.filename().to_str_lossy().into_owned();
                    if e.mode().is_blob() && (name.ends_with(".yaml") || name.ends_with(".yml")) {
                        names.push(name);
                    }
                }
                names.sort();
                for name in names {
                    let rel = format!("{d}/{name}");
                    if let Some(text) = blob_text(repo, tree, &format!("{prefix}{rel}"))? {
                        files.push((rel, text));
                    }
                }
            }
        }
    }
    Ok((!files.is_empty()).then(|| Arc::new(files)))
}

fn blob_text(
    repo: &gix::Repository,
    tree: &gix::Tree,
    path: &str,
) -> Result<Option<String>, String> {
    let entry = tree.lookup_entry_by_path(path).map_err(|e| e.to_string())?;
    let Some(entry) = entry.filter(|e| e.mode().is_blob()) else {
        return Ok(None);
    };
    let blob = repo
        .find_blob(entry.object_id())
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&blob.data);
    Ok(Some(
        text.strip_prefix('\u{feff}').unwrap_or(&text).to_string(),
    ))
}
