//! Markdown pages: every `*.md` under `content/`, with its optional YAML front matter
//! (SPEC section 5) read and checked. Other non-data files beside the pages (images,
//! downloads) are collected to be copied next to them.

use crate::diag::{Diagnostics, Loc, Pos};
use crate::load::limits;
use crate::load::yaml::{self, Fields, Src};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const FRONT: &[&str] = &[
    "title",
    "kind",
    "summary",
    "owner",
    "classification",
    "updated",
    "review",
    "tags",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Runbook,
    Explainer,
    Note,
}

impl PageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Runbook => "runbook",
            PageKind::Explainer => "explainer",
            PageKind::Note => "note",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classification {
    Public,
    Internal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub kind: PageKind,
    pub summary: Option<String>,
    pub owner: Option<String>,
    pub classification: Classification,
    pub updated: Option<NaiveDate>,
    pub review: Option<NaiveDate>,
    pub tags: Vec<String>,
}

impl Default for FrontMatter {
    fn default() -> Self {
        FrontMatter {
            title: None,
            kind: PageKind::Note,
            summary: None,
            owner: None,
            classification: Classification::Internal,
            updated: None,
            review: None,
            tags: Vec::new(),
        }
    }
}

/// One page as read from disk.
#[derive(Debug, Clone)]
pub struct PageSource {
    /// Path below `content/`, with `/` separators: `runbooks/fleet-topology.md`.
    pub rel: String,
    /// Path shown in messages: `content/runbooks/fleet-topology.md`.
    pub shown: PathBuf,
    pub text: SourceText,
    /// Byte offset where the Markdown body starts (after the front matter).
    pub body_start: usize,
    pub front: FrontMatter,
    /// Hash of the path and text, computed once per read: later stages compare keys,
    /// never texts.
    pub key: u64,
}

impl PageSource {
    /// The Markdown body (after the front matter); empty once the text was released.
    pub fn body(&self) -> Body {
        let text = self.text.get();
        let start = self.body_start.min(text.len());
        Body { text, start }
    }
}

/// A page's whole text, which a one-off build lets go of as soon as the page is rendered
/// ([`SourceText::release`]): a build does not hold every source until its end. `watch`
/// never releases it (a template edit renders every page again).
#[derive(Debug, Default)]
pub struct SourceText(std::sync::Mutex<Option<Arc<str>>>);

impl SourceText {
    pub fn new(text: String) -> Self {
        SourceText(std::sync::Mutex::new(Some(text.into())))
    }
    /// The text, shared; empty once released.
    pub fn get(&self) -> Arc<str> {
        let text = self.0.lock().unwrap_or_else(|e| e.into_inner());
        text.clone().unwrap_or_else(|| Arc::from(""))
    }
    /// Lets go of the text (freed when the last [`SourceText::get`] is dropped).
    pub fn release(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

impl Clone for SourceText {
    fn clone(&self) -> Self {
        SourceText(std::sync::Mutex::new(Some(self.get())))
    }
}

/// A page's Markdown body: a slice of its shared text.
pub struct Body {
    text: Arc<str>,
    start: usize,
}

impl std::ops::Deref for Body {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text[self.start..]
    }
}

/// Split `---\n...\n---\n` front matter off a page. Returns (yaml, yaml's first line index
/// (0-based), body start offset).
pub fn split_front_matter(text: &str) -> Option<(&str, usize, usize)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let start = text.len() - rest.len();
    let mut offset = start;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((&text[start..offset], 1, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

pub fn parse_front_matter(
    shown: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> (FrontMatter, usize) {
    let mut fm = FrontMatter::default();
    if text.starts_with("---") && split_front_matter(text).is_none() {
        diags.error(
            Loc::new(shown, Pos::new(1, 1)),
            "front matter starts with `---` but has no closing `---` line",
        );
        return (fm, 0);
    }
    let Some((yaml_text, first_line, body_start)) = split_front_matter(text) else {
        return (fm, 0);
    };
    let src = Src::new(shown, first_line);
    let root = match yaml::parse(&src, yaml_text) {
        Ok(Some(root)) => root,
        Ok(None) => return (fm, body_start),
        Err(d) => {
            diags.extend_one(d);
            return (fm, body_start);
        }
    };
    let Some(f) = Fields::new(&src, &root, "the front matter", FRONT, diags) else {
        return (fm, body_start);
    };
    fm.title = f.str("title", diags).map(|v| v.value);
    fm.summary = f.str("summary", diags).map(|v| v.value);
    fm.owner = f.str("owner", diags).map(|v| v.value);
    if let Some(k) = f.str("kind", diags) {
        fm.kind = match k.value.as_str() {
            "runbook" => PageKind::Runbook,
            "explainer" => PageKind::Explainer,
            "note" => PageKind::Note,
            other => {
                let hint =
                    crate::base::suggest::did_you_mean(other, ["runbook", "explainer", "note"])
                        .unwrap_or_else(|| "; use runbook, explainer or note".into());
                diags.error(k.loc, format!("unknown page kind `{other}`{hint}"));
                PageKind::Note
            }
        };
    }
    if let Some(c) = f.str("classification", diags) {
        fm.classification = match c.value.as_str() {
            "public" => Classification::Public,
            "internal" => Classification::Internal,
            other => {
                diags.error(
                    c.loc,
                    format!("`classification` must be `public` or `internal`, found `{other}`"),
                );
                Classification::Internal
            }
        };
    }
    for (key, slot) in [("updated", &mut fm.updated), ("review", &mut fm.review)] {
        if let Some(d) = f.str(key, diags) {
            match NaiveDate::parse_from_str(&d.value, "%Y-%m-%d") {
                Ok(date) => *slot = Some(date),
                Err(_) => diags.error(
                    d.loc,
                    format!(
                        "`{key}` must be a date like 2026-04-06, found `{}`",
                        d.value
                    ),
                ),
            }
        }
    }
    fm.tags = f.strs("tags", diags).into_iter().map(|v| v.value).collect();
    f.finish(diags);
    (fm, body_start)
}

/// What lives under `content/`: pages, and other files to copy beside them.
#[derive(Debug, Default)]
pub struct ContentFiles {
    /// Shared with the file cache of `watch`: an unchanged page is not copied.
    pub pages: Vec<Arc<PageSource>>,
    /// (path below content/, absolute path) of images and other files to copy.
    pub statics: Vec<(String, PathBuf)>,
    /// Paths below content/ of data files fleetdoc reads but does not publish (topology
    /// YAML, probe JSON): a link to one is named as such, not as a missing file.
    pub inputs: Vec<String>,
}

/// Walk `content/` in a stable order. `skip` lists folders that hold data, not pages.
pub fn load_content(
    root: &Path,
    content: &Path,
    skip: &[PathBuf],
    diags: &mut Diagnostics,
) -> ContentFiles {
    load_content_cached(
        root,
        content,
        skip,
        diags,
        &mut crate::load::file_cache::FileCache::default(),
    )
}

/// Like [`load_content`], reusing pages whose files did not change since `cache` saw them.
/// The walk is sequential (it fixes the order); reading and parsing the pages is parallel.
pub fn load_content_cached(
    root: &Path,
    content: &Path,
    skip: &[PathBuf],
    diags: &mut Diagnostics,
    cache: &mut crate::load::file_cache::FileCache,
) -> ContentFiles {
    let mut out = ContentFiles::default();
    let walk = match cache.walk.take() {
        Some(w)
            if w.content == content && w.skip == skip && !w.outdated_by(cache.changed.as_ref()) =>
        {
            w
        }
        _ => walk_content(root, content, skip),
    };
    diags.extend(walk.diags.clone());
    out.statics = walk.statics.clone();
    out.inputs = walk.inputs.clone();
    let items = walk
        .md
        .iter()
        .map(|(rel, path, shown)| (path.clone(), (rel.clone(), path.clone(), shown.clone())))
        .collect();
    cache.walk = Some(walk);
    let loaded = crate::load::file_cache::through_all(
        &mut cache.pages,
        cache.changed.as_ref(),
        items,
        diags,
        |(rel, path, shown), d| read_page(rel, &path, shown, d),
    );
    out.pages.extend(loaded.into_iter().flatten());
    out
}

/// Read one page: its text and front matter. `rel` is its path below content/, `shown` the
/// path messages name.
pub fn read_page(
    rel: String,
    path: &Path,
    shown: PathBuf,
    d: &mut Diagnostics,
) -> Option<Arc<PageSource>> {
    match limits::read_text(path, &shown, limits::MAX_PAGE_BYTES) {
        Ok(text) => {
            let (front, body_start) = parse_front_matter(&shown, &text, d);
            let key = crate::base::hash::key_of(&(&rel, &text));
            Some(Arc::new(PageSource {
                rel,
                shown,
                text: SourceText::new(text),
                body_start,
                front,
                key,
            }))
        }
        Err(e) => {
            d.extend_one(e);
            None
        }
    }
}

/// The files found under `content/` by the last walk, kept by `watch`: while file events
/// name only files it already knows, the folder is not walked again.
#[derive(Default)]
pub struct Walk {
    content: PathBuf,
    /// Folders and files of data, not pages, left out of the walk.
    skip: Vec<PathBuf>,
    /// (path below content/, path, path shown in messages) of every page.
    md: Vec<(String, PathBuf, PathBuf)>,
    statics: Vec<(String, PathBuf)>,
    /// Data files (YAML, JSON) below content/: read as inputs, never published.
    inputs: Vec<String>,
    /// Every file and folder seen.
    files: std::collections::HashSet<PathBuf>,
    diags: Diagnostics,
}

impl Walk {
    /// Whether the changed paths may have added, removed or renamed something below
    /// `content/`: a path it does not know, or one that is no longer a file.
    fn outdated_by(&self, changed: Option<&std::collections::HashSet<PathBuf>>) -> bool {
        let Some(changed) = changed else {
            return true;
        };
        changed
            .iter()
            .filter(|p| p.starts_with(&self.content))
            .filter(|p| !self.skip.iter().any(|s| p.starts_with(s)))
            .any(|p| !self.files.contains(p) || !p.is_file())
    }
}

/// Walk `content/` in a stable order, sorting files into pages and files to copy.
fn walk_content(root: &Path, content: &Path, skip: &[PathBuf]) -> Walk {
    let project = crate::load::links::Project::new(root);
    let mut w = Walk {
        content: content.to_path_buf(),
        skip: skip.to_vec(),
        ..Walk::default()
    };
    let walker = walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            !hidden && !skip.iter().any(|s| e.path() == s)
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| crate::diag::display_path(root, p))
                    .unwrap_or_default();
                w.diags
                    .error(Loc::file_start(p), format!("cannot read: {e}"));
                continue;
            }
        };
        let path = entry.path();
        w.files.insert(path.to_path_buf());
        // The rule for links is in `links.rs`; content/ itself was judged by the caller.
        let special = entry.depth() > 0 && limits::special_kind(&entry.file_type()).is_some();
        let linked_file = entry.depth() > 0
            && (entry.path_is_symlink() || special)
            && matches!(
                project.judge(path, false, &mut w.diags),
                crate::load::links::Verdict::Read
            );
        if !entry.file_type().is_file() && !linked_file {
            continue;
        }
        let Ok(rel) = path.strip_prefix(content) else {
            continue;
        };
        let rel = crate::base::paths::slashed(rel);
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "md" => w.md.push((
                rel,
                path.to_path_buf(),
                crate::diag::display_path(root, path),
            )),
            "yaml" | "yml" | "json" => w.inputs.push(rel),
            _ => w.statics.push((rel, path.to_path_buf())),
        }
    }
    w
}
