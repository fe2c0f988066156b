//! The load stage: reads a docs project from disk (settings, topology, pages, probes,
//! template and asset overrides) into memory. Nothing after this stage reads input files.

pub mod file_cache;
pub mod forge;
pub mod git;
pub mod history;
pub mod incidents;
pub mod indentation;
pub mod limits;
pub mod links;
pub mod pages;
pub mod probes;
pub mod settings;
pub mod yaml;

use crate::diag::{display_path, Diagnostics, Loc};
use marked_yaml::Node;
use pages::ContentFiles;
use settings::Settings;
use std::path::{Path, PathBuf};
use yaml::Src;

/// One parsed topology file.
pub struct TopologyDoc {
    pub src: Src,
    pub root: Option<Node>,
    /// Hash of the file's path and text: an unchanged topology is not validated again.
    pub key: u64,
    /// The file is not valid YAML (reported when it was read): the fleet built without it is
    /// partial, so references into it are not reported as missing.
    pub broken: bool,
}

/// Everything a build needs, read from one project folder.
pub struct Inputs {
    pub root: PathBuf,
    pub settings: Settings,
    pub topology: Vec<std::sync::Arc<TopologyDoc>>,
    pub content: ContentFiles,
    /// Probe snapshots that could be read, oldest first.
    pub snapshots: Vec<probes::LoadedSnapshot>,
    /// Which probe data `snapshots` and `history` hold: the same key, the same data (the
    /// analysis of an edit under `watch` is reused while it is).
    pub probes_key: u64,
    /// The history store's aggregates; `None` when the project has no store.
    pub history: Option<history::History>,
    /// Incident notes of `content/incidents/`, in file name order.
    pub incidents: Vec<incidents::IncidentSource>,
    /// Project overrides of the built-in templates: (file name, text).
    pub templates: Vec<(String, String)>,
    /// Project assets: (path below assets/, absolute path).
    pub assets: Vec<(String, PathBuf)>,
    /// What git knows of the project's files and topology (docs/changes.md).
    pub git: std::sync::Arc<git::GitHistory>,
}

pub fn load_settings(root: &Path, diags: &mut Diagnostics) -> Settings {
    let path = root.join("fleetdoc.yaml");
    if !path.exists() {
        return Settings::default();
    }
    let shown = display_path(root, &path);
    match limits::read_text(&path, &shown, limits::MAX_YAML_BYTES) {
        Ok(text) => settings::parse(&Src::new(shown, 0), &text, diags),
        Err(d) => {
            diags.extend_one(d);
            Settings::default()
        }
    }
}

/// The topology files: `topology` from settings, else `content/fleet.yaml`, else every
/// `content/fleet/*.yaml` (merged in name order).
pub fn topology_paths(root: &Path, settings: &Settings) -> Vec<PathBuf> {
    let candidates = match &settings.topology {
        Some(p) => vec![root.join(p)],
        None => vec![root.join("content/fleet.yaml"), root.join("content/fleet")],
    };
    for c in candidates {
        // A FIFO or device there is returned too: reading it gives the error.
        if c.is_file() || (!c.is_dir() && std::fs::metadata(&c).is_ok()) {
            return vec![c];
        }
        if c.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&c)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    !p.is_dir()
                        && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
                })
                .collect();
            files.sort();
            return files;
        }
    }
    Vec::new()
}

fn load_topology(
    root: &Path,
    paths: &[PathBuf],
    diags: &mut Diagnostics,
    cache: &mut file_cache::FileCache,
) -> Vec<std::sync::Arc<TopologyDoc>> {
    let mut docs = Vec::new();
    for path in paths {
        let doc = file_cache::through(
            &mut cache.topology,
            cache.changed.as_ref(),
            path,
            diags,
            |d| {
                let shown = display_path(root, path);
                let src = Src::new(&shown, 0);
                match limits::read_text(path, &shown, limits::MAX_YAML_BYTES) {
                    Ok(text) => match yaml::parse(&src, &text) {
                        Ok(node) => Some(std::sync::Arc::new(TopologyDoc {
                            key: crate::base::hash::key_of(&(&shown, &text)),
                            src,
                            root: node,
                            broken: false,
                        })),
                        Err(e) => {
                            d.extend_one(e);
                            // Kept, unreadable, so that the model knows the fleet is
                            // partial and does not report references into it as missing.
                            Some(std::sync::Arc::new(TopologyDoc {
                                key: crate::base::hash::key_of(&(&shown, &text)),
                                src,
                                root: None,
                                broken: true,
                            }))
                        }
                    },
                    Err(e) => {
                        d.extend_one(e);
                        None
                    }
                }
            },
        );
        docs.extend(doc);
    }
    docs
}

/// Files of a folder, recursively, as (path below it with `/`, absolute path), sorted.
/// Symbolic links follow the rule of [`links`]; refused ones are warned about in `diags`.
fn files_below(
    project: &links::Project,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() && std::fs::symlink_metadata(dir).is_err() {
        return Vec::new();
    }
    if let links::Verdict::Skip = project.judge(dir, true, diags) {
        return Vec::new();
    }
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let special = e.depth() > 0 && limits::special_kind(&e.file_type()).is_some();
        let readable = e.file_type().is_file()
            || (e.depth() > 0
                && (e.path_is_symlink() || special)
                && matches!(project.judge(e.path(), false, diags), links::Verdict::Read));
        if !readable {
            continue;
        }
        let Ok(rel) = e.path().strip_prefix(dir) else {
            continue;
        };
        let rel = crate::base::paths::slashed(rel);
        if !rel.starts_with('.') {
            files.push((rel, e.path().to_path_buf()));
        }
    }
    files
}

/// Read the whole project. Problems go to `diags`; what could be read is returned.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Inputs {
    load_cached(root, diags, &mut file_cache::FileCache::default())
}

/// Like [`load`], reusing pages and snapshots whose files did not change since `cache`
/// saw them (`watch`).
pub fn load_cached(
    root: &Path,
    diags: &mut Diagnostics,
    cache: &mut file_cache::FileCache,
) -> Inputs {
    let settings = load_settings(root, diags);
    let project = links::Project::new(root);
    let content_dir = root.join("content");
    let content_refused = project.problem(&content_dir, true);
    if let Some(why) = &content_refused {
        diags.error(
            Loc::file_start(display_path(root, &content_dir)),
            format!("content/ is not read: it is {why}"),
        );
    } else if !content_dir.is_dir() {
        diags.error(
            Loc::file_start(display_path(root, &content_dir)),
            format!(
                "no content/ folder in {}; run `fleetdoc init DIR` to start a project",
                root.display()
            ),
        );
    }
    let all_topo_paths = topology_paths(root, &settings);
    let mut topo_paths = all_topo_paths.clone();
    topo_paths.retain(|p| {
        // The topology is not optional: one that is a FIFO, a socket or a device (or a link
        // to one) is an error, and it is never opened.
        let special = std::fs::metadata(p)
            .ok()
            .and_then(|m| limits::special_kind(&m.file_type()));
        if let Some(kind) = special {
            diags.error(
                Loc::file_start(display_path(root, p)),
                limits::not_regular(kind),
            );
            return false;
        }
        matches!(project.judge(p, true, diags), links::Verdict::Read)
    });
    let topology = load_topology(root, &topo_paths, diags, cache);
    let probes_dir = root.join(&settings.probes);
    let incidents_dir = content_dir.join(incidents::FOLDER);
    // Incident notes are read first: the files of `content/incidents/` that are notes are
    // not pages; the others (a section of post-mortems, say) stay pages as before.
    let incidents = match content_refused {
        Some(_) => Vec::new(),
        None => incidents::load(root, &incidents_dir, diags),
    };
    let mut skip = vec![probes_dir.clone(), root.join("content/fleet")];
    skip.extend(
        incidents
            .iter()
            .map(|n| incidents_dir.join(format!("{}.md", n.slug))),
    );
    skip.extend(all_topo_paths);
    let mut content = match content_refused {
        // Nothing of it is read; the error above is the one for this cause.
        Some(_) => ContentFiles::default(),
        // No content/ at all: the error above is the one for this cause too.
        None if !content_dir.is_dir() => ContentFiles::default(),
        None => pages::load_content_cached(root, &content_dir, &skip, diags, cache),
    };
    // Topology and probe files inside content/ are inputs too: links to them are named so.
    // (Links among them are warned about where they are read, below.)
    let mut quiet = Diagnostics::new();
    let listed: Vec<(String, PathBuf)> = topo_paths
        .iter()
        .flat_map(|p| {
            if p.is_dir() {
                files_below(&project, p, &mut quiet)
            } else {
                vec![(String::new(), p.clone())]
            }
        })
        .collect::<Vec<_>>()
        .into_iter()
        .chain(files_below(&project, &probes_dir, &mut Diagnostics::new()))
        .collect();
    for (_, path) in listed {
        if let Ok(rel) = path.strip_prefix(&content_dir) {
            content.inputs.push(crate::base::paths::slashed(rel));
        }
    }
    let mut probe_files: Vec<(PathBuf, PathBuf)> = files_below(&project, &probes_dir, diags)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".json") && !rel.contains('/'))
        .map(|(_, p)| (p.clone(), display_path(root, &p)))
        .collect();
    probe_files.sort();
    let mut snapshots = probes::load(&probe_files, diags, cache);
    let history = history::merge(root, &mut snapshots, diags, &mut cache.store);
    // Which probe data this is: each file as read (its size and time) and the store's.
    let probes_key = crate::base::hash::key_of(&(
        probe_files
            .iter()
            .map(|(p, _)| (p, cache.snapshots.get(p).map(|c| c.stamp)))
            .collect::<Vec<_>>(),
        history
            .as_ref()
            .and(cache.store.as_ref())
            .map(|c| c.stamp()),
    ));
    if history.is_some() {
        if let Ok(now) = crate::clock::now() {
            snapshots.retain(|s| s.snapshot.taken_at <= now + probes::CLOCK_SKEW);
        }
        probes::sort(&mut snapshots);
    }
    let mut templates = Vec::new();
    for (rel, path) in files_below(&project, &root.join("templates"), diags) {
        let shown = display_path(root, &path);
        match limits::read_text(&path, &shown, limits::MAX_PAGE_BYTES) {
            Ok(text) => templates.push((rel, text)),
            Err(d) => diags.extend_one(d),
        }
    }
    let assets = files_below(&project, &root.join("assets"), diags);
    let git = load_git(root, &topo_paths, diags, cache);
    Inputs {
        root: root.to_path_buf(),
        settings,
        topology,
        content,
        snapshots,
        probes_key,
        history,
        incidents,
        templates,
        assets,
        git,
    }
}

/// The git history of the project; a shallow clone or an unreadable repository is one
/// warning, a project outside git none.
fn load_git(
    root: &Path,
    topo_paths: &[PathBuf],
    diags: &mut Diagnostics,
    cache: &mut file_cache::FileCache,
) -> std::sync::Arc<git::GitHistory> {
    let specs: Vec<git::TopologySpec> = topo_paths
        .iter()
        .filter_map(|p| {
            let rel = crate::base::paths::slashed(p.strip_prefix(root).ok()?);
            Some(if p.is_dir() {
                git::TopologySpec::Folder(rel)
            } else {
                git::TopologySpec::File(rel)
            })
        })
        .collect();
    let history = git::read_cached(root, &specs, &mut cache.git);
    match &history.status {
        git::Status::Shallow => {
            let at = git::shallow_file(root)
                .map(|f| display_path(root, &f))
                .unwrap_or_else(|| PathBuf::from(".git"));
            diags.warning(
                Loc::file_start(at),
                "the git repository is a shallow clone: page dates and the topology's changes \
                 stop at its oldest fetched commit, and a file last changed before it shows no \
                 date; fetch the whole history (`git fetch --unshallow`) to see them",
            );
        }
        git::Status::Unreadable(why) => diags.warning(
            Loc::file_start(display_path(root, &root.join(".git"))),
            format!("the git history is not read, so pages show no dates from it: {why}"),
        ),
        _ => {}
    }
    history
}
