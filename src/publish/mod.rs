//! `fleetdoc publish`: puts the public part of a site into a shared "brainstorming" target
//! that several projects publish into (SPEC section 8). Each publish is a new release folder
//! (`<to>/<project>/releases/<id>/`); `<to>/<project>/current` is a relative link switched
//! to it in one rename; the last few releases stay for [`rollback`]; and the target's
//! `index.html` / `index.json` are rebuilt from every project's current release metadata.
//! Writing happens outside the lock; switching, pruning and re-indexing happen under an
//! exclusive lock on `<to>/.fleetdoc.lock`, so concurrent publishes never lose an index entry
//! and a publish killed at any point leaves `current` and the index valid.

pub mod audit;
mod error;
mod index;
mod index_html;
mod meta;
mod names;
mod owner;
mod store;

pub use error::PublishError;
pub use index::{Card, Index, ProjectListing};
pub use meta::{Entry, ReleaseMeta, META_FILE};
pub use names::{project_slug, ProjectName, ReleaseId};
pub use owner::OWNER_FILE;
pub use store::LOCK_FILE;

use crate::render::output::Output;
use chrono::{DateTime, SecondsFormat, Utc};
use std::path::{Path, PathBuf};

/// How many releases a publish keeps by default (SPEC section 8).
pub const KEEP_RELEASES: usize = 5;

/// One publish: the rendered public site and the explainers to list in the index.
#[derive(Debug)]
pub struct Release<'a> {
    /// Folder name under the target, `[a-z0-9-]` (see [`project_slug`]).
    pub project: &'a str,
    /// Shown in the index as the project's name.
    pub title: &'a str,
    /// The docs project's root folder: a project folder under the target belongs to the
    /// first root that publishes into it.
    pub root: &'a Path,
    pub site: &'a Output,
    /// Each `href` and `poster` relative to the site root and present in `site`.
    pub entries: Vec<Entry>,
    pub published_at: DateTime<Utc>,
}

/// What a publish or rollback did.
#[derive(Debug, Clone)]
pub struct PublishReport {
    pub project: String,
    /// The release `current` points at now.
    pub release: String,
    pub release_dir: PathBuf,
    /// The release `current` pointed at before, if any.
    pub previous: Option<String>,
    /// Releases deleted to keep the last few.
    pub removed: Vec<String>,
    pub projects_listed: usize,
    pub entries_listed: usize,
    /// Other projects' metadata that could not be listed, one sentence each.
    pub warnings: Vec<String>,
}

fn target_and_project(to: &Path, project: &str) -> Result<(ProjectName, PathBuf), PublishError> {
    if !to.is_dir() {
        return Err(PublishError::NoTarget(to.to_path_buf()));
    }
    let name = ProjectName::new(project).ok_or_else(|| PublishError::BadProject(project.into()))?;
    let dir = to.join(name.as_str());
    Ok((name, dir))
}

/// Writes `release` as a new release of its project under `to` (created when missing),
/// makes it current, keeps the newest `keep` releases (at least one) and rebuilds the
/// target's index. A project folder that belongs to another project root is refused.
pub fn publish(to: &Path, release: &Release, keep: usize) -> Result<PublishReport, PublishError> {
    if !to.exists() {
        std::fs::create_dir_all(to).map_err(PublishError::io("create the target", to))?;
    }
    let (project, project_dir) = target_and_project(to, release.project)?;
    owner::check(&project_dir, release.root)?;
    for e in &release.entries {
        meta::check_entry(release.site, e).map_err(|problem| PublishError::BadEntry {
            title: e.title.clone(),
            problem,
        })?;
    }
    std::fs::create_dir_all(&project_dir).map_err(PublishError::io("create", &project_dir))?;

    // The slow part, outside the lock: a complete copy of the site in a hidden folder.
    let staging = store::staging(&project_dir)?;
    let built = staging.path().join("site");
    crate::write::write_site(&built, release.site)
        .map_err(PublishError::io("write the release into", &built))?;

    let _lock = store::lock(to)?;
    owner::claim(&project_dir, release.root)?;
    let previous = store::current_release(&project_dir)?;
    store::clean_leftovers(&project_dir);
    let existing = store::list_releases(&project_dir)?;
    let id = store::next_id(&existing, ReleaseId::at(release.published_at), &project_dir)?;
    let title = Some(release.title.trim())
        .filter(|t| !t.is_empty())
        .unwrap_or(project.as_str());
    let meta = ReleaseMeta {
        format: meta::META_FORMAT,
        project: project.to_string(),
        title: title.to_string(),
        release: id.to_string(),
        published_at: release
            .published_at
            .to_rfc3339_opts(SecondsFormat::Secs, true),
        entries: release.entries.clone(),
    };
    let meta_path = built.join(META_FILE);
    let meta_json = serde_json::to_vec_pretty(&meta).map_err(|e| PublishError::Io {
        action: "encode",
        path: meta_path.clone(),
        source: std::io::Error::other(e),
    })?;
    std::fs::write(&meta_path, meta_json).map_err(PublishError::io("write", &meta_path))?;
    store::make_readable(&built, true)?;
    let release_dir = store::install(&project_dir, &built, &id)?;
    store::switch(&project_dir, &id)?;
    let removed = store::prune(&project_dir, keep, Some(&id))?;
    let (index, warnings) = index::regenerate(to)?;
    Ok(PublishReport {
        project: project.to_string(),
        release: id.to_string(),
        release_dir,
        previous: previous.map(|p| p.to_string()),
        removed: removed.iter().map(ToString::to_string).collect(),
        projects_listed: index.projects.len(),
        entries_listed: index.entries.len(),
        warnings,
    })
}

/// Fails when the folder of `project` under `to` belongs to a project at another root.
pub fn check_owner(to: &Path, project: &str, root: &Path) -> Result<(), PublishError> {
    let (_, project_dir) = target_and_project(to, project)?;
    owner::check(&project_dir, root)
}

/// Points `current` of `project` at the release before the one it points at now, and
/// rebuilds the index. Newer releases stay (until later publishes prune them).
pub fn rollback(to: &Path, project: &str) -> Result<PublishReport, PublishError> {
    let (project, project_dir) = target_and_project(to, project)?;
    let _lock = store::lock(to)?;
    let Some(current) = store::current_release(&project_dir)? else {
        return Err(PublishError::NothingToRollBack {
            project: project.to_string(),
            current: None,
        });
    };
    let ids = store::list_releases(&project_dir)?;
    let Some(prev) = ids.into_iter().rev().find(|id| *id < current) else {
        return Err(PublishError::NothingToRollBack {
            project: project.to_string(),
            current: Some(current.to_string()),
        });
    };
    store::switch(&project_dir, &prev)?;
    let (index, warnings) = index::regenerate(to)?;
    Ok(PublishReport {
        project: project.to_string(),
        release: prev.to_string(),
        release_dir: store::releases_dir(&project_dir).join(prev.to_string()),
        previous: Some(current.to_string()),
        removed: Vec::new(),
        projects_listed: index.projects.len(),
        entries_listed: index.entries.len(),
        warnings,
    })
}

/// The complete releases of `project` (oldest first) and the one `current` points at.
pub fn releases(to: &Path, project: &str) -> Result<(Vec<String>, Option<String>), PublishError> {
    let (_, project_dir) = target_and_project(to, project)?;
    let ids = store::list_releases(&project_dir)?;
    let current = store::current_release(&project_dir)?;
    Ok((
        ids.iter().map(ToString::to_string).collect(),
        current.map(|c| c.to_string()),
    ))
}
