//! The shared index of a brainstorming target (`index.json` and `index.html`), rebuilt from
//! the `current` release metadata of every project there, so a publish of one project never
//! drops another's explainers. Both files are replaced by rename, never rewritten in place.

use super::error::PublishError;
use super::index_html;
use super::meta::{safe_href, Entry, ReleaseMeta, META_FILE};
use super::names::ProjectName;
use super::store;
use serde::Serialize;
use std::fs;
use std::io::{Read, Write};
use std::path::Path;

/// Metadata larger than this is not read (it is someone else's file).
const MAX_META_BYTES: u64 = 4 << 20;
/// At most this many explainers of one project are listed.
const MAX_ENTRIES: usize = 1000;

/// One project as the index lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectListing {
    pub project: String,
    pub title: String,
    /// `<project>/current/`, relative to the target.
    pub href: String,
    pub published_at: Option<String>,
    pub release: Option<String>,
}

/// One explainer card; every link is relative to the target folder.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub project: String,
    pub project_title: String,
    pub title: String,
    pub summary: Option<String>,
    pub href: String,
    pub poster: Option<String>,
    pub updated: Option<String>,
}

/// What `index.json` holds (and `index.html` shows), newest first.
#[derive(Debug, Clone, Serialize)]
pub struct Index {
    pub format: u32,
    pub projects: Vec<ProjectListing>,
    pub entries: Vec<Card>,
}

/// Reads every project's current metadata; problems with other projects' files are returned
/// as warnings and the project is left out, never as an error.
pub fn collect(to: &Path) -> Result<(Index, Vec<String>), PublishError> {
    let mut names: Vec<ProjectName> = fs::read_dir(to)
        .map_err(PublishError::io("read", to))?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(ProjectName::new))
        .collect();
    names.sort();
    let mut warnings = Vec::new();
    let mut listed: Vec<(ProjectListing, Vec<Card>, i64)> = Vec::new();
    for name in names {
        let current = to.join(name.as_str()).join("current");
        let meta_path = current.join(META_FILE);
        let href = format!("{name}/current/");
        match read_meta(&meta_path) {
            Ok(Some(meta)) => {
                let (cards, dropped) = cards_of(&name, &meta);
                if dropped > 0 {
                    warnings.push(format!(
                        "{}: left out {dropped} explainer(s) with an empty title or a link outside the release",
                        meta_path.display()
                    ));
                }
                let when = chrono::DateTime::parse_from_rfc3339(&meta.published_at)
                    .map(|t| t.timestamp())
                    .unwrap_or(i64::MIN);
                let listing = ProjectListing {
                    project: name.to_string(),
                    title: non_empty(&meta.title).unwrap_or_else(|| name.to_string()),
                    href,
                    published_at: non_empty(&meta.published_at),
                    release: non_empty(&meta.release),
                };
                listed.push((listing, cards, when));
            }
            Ok(None) if current.join("index.html").is_file() => {
                // Published by something else: listed by its folder name, without cards.
                let listing = ProjectListing {
                    project: name.to_string(),
                    title: name.to_string(),
                    href,
                    published_at: None,
                    release: None,
                };
                listed.push((listing, Vec::new(), i64::MIN));
            }
            Ok(None) => {}
            Err(problem) => warnings.push(format!(
                "{}: {problem}; project `{name}` is left out of the index",
                meta_path.display()
            )),
        }
    }
    listed.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.project.cmp(&b.0.project)));
    let mut entries: Vec<(String, Card)> = Vec::new();
    let mut projects = Vec::new();
    for (listing, cards, _) in listed {
        let fallback = listing.published_at.clone().unwrap_or_default();
        for c in cards {
            entries.push((c.updated.clone().unwrap_or_else(|| fallback.clone()), c));
        }
        projects.push(listing);
    }
    entries.sort_by(|(ka, a), (kb, b)| {
        kb.cmp(ka)
            .then_with(|| a.project.cmp(&b.project))
            .then_with(|| a.title.cmp(&b.title))
    });
    let index = Index {
        format: 1,
        projects,
        entries: entries.into_iter().map(|(_, c)| c).collect(),
    };
    Ok((index, warnings))
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// `Ok(None)` when the project has no metadata (no `current`, or not published by fleetdoc).
fn read_meta(path: &Path) -> Result<Option<ReleaseMeta>, String> {
    let file = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot be read ({e})")),
    };
    let mut text = String::new();
    file.take(MAX_META_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot be read ({e})"))?;
    if text.len() as u64 > MAX_META_BYTES {
        return Err(format!("is larger than {} MiB", MAX_META_BYTES >> 20));
    }
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| format!("is not valid release metadata ({e})"))
}

/// The cards of one project, links made relative to the target; returns how many entries
/// were dropped as unsafe.
fn cards_of(name: &ProjectName, meta: &ReleaseMeta) -> (Vec<Card>, usize) {
    let base = format!("{name}/current/");
    let mut cards = Vec::new();
    let mut dropped = 0;
    for e in meta.entries.iter().take(MAX_ENTRIES) {
        let Entry {
            title,
            summary,
            href,
            poster,
            updated,
        } = e;
        let poster_ok = poster
            .as_deref()
            .is_none_or(|p| safe_href(p) && !p.ends_with('/'));
        if title.trim().is_empty() || !safe_href(href) || !poster_ok {
            dropped += 1;
            continue;
        }
        cards.push(Card {
            project: name.to_string(),
            project_title: non_empty(&meta.title).unwrap_or_else(|| name.to_string()),
            title: title.trim().to_string(),
            summary: summary.as_deref().and_then(non_empty),
            href: format!("{base}{href}"),
            poster: poster.as_ref().map(|p| format!("{base}{p}")),
            updated: updated.as_deref().and_then(non_empty),
        });
    }
    dropped += meta.entries.len().saturating_sub(MAX_ENTRIES);
    (cards, dropped)
}

/// Rebuilds `index.json` and `index.html` of the target (call with the lock held).
pub fn regenerate(to: &Path) -> Result<(Index, Vec<String>), PublishError> {
    remove_stale_temp_files(to);
    let (index, warnings) = collect(to)?;
    let json = serde_json::to_vec_pretty(&index).map_err(|e| PublishError::Io {
        action: "encode the index for",
        path: to.join("index.json"),
        source: std::io::Error::other(e),
    })?;
    write_atomic(to, "index.json", &json)?;
    write_atomic(to, "index.html", index_html::render(&index).as_bytes())?;
    store::sync_dir(to);
    Ok((index, warnings))
}

/// Writes `<dir>/<name>` through a temp file renamed over it.
fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), PublishError> {
    let dest = dir.join(name);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .tempfile_in(dir)
        .map_err(PublishError::io("create a temporary file in", dir))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(PublishError::io("write", tmp.path().to_path_buf()))?;
    store::make_readable(tmp.path(), false)?;
    tmp.persist(&dest)
        .map_err(|e| PublishError::io("replace", &dest)(e.error))?;
    Ok(())
}

/// Temp files of an index write that was cut short (only ever written under the lock).
fn remove_stale_temp_files(to: &Path) {
    let Ok(rd) = fs::read_dir(to) else { return };
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".index.json.tmp-") || name.starts_with(".index.html.tmp-") {
            let _ = fs::remove_file(e.path());
        }
    }
}
