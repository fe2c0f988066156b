//! Incremental rendering. Every output is rendered from a known set of inputs; a key hashes
//! exactly those inputs, and an output whose key did not change is reused from the last
//! build. The dependencies are explicit here:
//!
//! | output | depends on |
//! |---|---|
//! | a page | its own text, the templates, the site chrome (title, host nav, status line, date), the URLs and anchors of the pages it links to, and the fleet only when it holds fleet blocks or commands naming the fleet's hosts and services |
//! | topic list, feed, sitemap | the templates, the chrome, every page's card (title, kind, summary, owner, dates, tags, URL) |
//! | fleet overview, host pages, diagrams | the templates, the chrome, the fleet and its observed status |
//! | the search index (`assets/search/`) | what every indexed page shows (its text by section, title, URL, kind, tags) and the hosts and services it names; not the templates or the chrome |
//!
//! So a page edit re-renders that page (and the topic list and feed only when its card
//! changed); a topology edit re-renders what uses the fleet; a template edit every page.

use crate::diag::Diagnostics;
use crate::render::diagrams::DiagramRef;
use bytes::Bytes;
use std::collections::HashMap;
use std::sync::Mutex;

pub use crate::base::hash::key_of;

/// One rendered page, kept for the next build.
#[derive(Clone)]
pub struct CachedPage {
    pub key: u64,
    pub html: Bytes,
    pub diagrams: Vec<DiagramRef>,
    pub diags: Diagnostics,
    /// What the page shows, by section, for the search index.
    pub text: std::sync::Arc<crate::render::search_text::PageText>,
}

/// What the last build rendered anew and what it reused: the dependency tracking, visible.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub rendered: Vec<String>,
    pub reused: usize,
}

/// Outputs of earlier builds, by output path. Empty for a one-off build.
#[derive(Default)]
pub struct RenderCache {
    pages: HashMap<String, CachedPage>,
    others: HashMap<String, (u64, Bytes, Diagnostics)>,
    stats: Mutex<Stats>,
    /// The templates parsed by the last build, by the key of their texts.
    tera: Option<(u64, std::sync::Arc<tera::Tera>, Diagnostics)>,
    /// The search index's files, by the key of what they hold (see `search.rs`).
    search: Option<(u64, Vec<(String, Bytes)>)>,
    /// The search index to make after the browser has reloaded (with `defer_png`, when an
    /// index was made before): the build keeps the last index meanwhile.
    pub deferred_search: Option<crate::render::search::Job>,
    /// Leave PNGs that need redrawing in `deferred` instead of rasterizing them now.
    pub defer_png: bool,
    /// (PNG path, SVG) pairs left for later by `defer_png`.
    pub deferred: Vec<(String, Bytes)>,
}

impl RenderCache {
    pub fn page(&self, path: &str, key: u64) -> Option<CachedPage> {
        let hit = self.pages.get(path).filter(|c| c.key == key).cloned();
        self.count(path, hit.is_some());
        hit
    }

    pub fn put_page(&mut self, path: String, page: CachedPage) {
        self.pages.insert(path, page);
    }

    /// A non-page output: reuse it (and replay its diagnostics) when its key is unchanged,
    /// else render it and remember it.
    pub fn other(
        &mut self,
        path: &str,
        key: u64,
        diags: &mut Diagnostics,
        render: impl FnOnce(&mut Diagnostics) -> Vec<u8>,
    ) -> Bytes {
        if let Some((k, bytes, d)) = self.others.get(path) {
            if *k == key {
                self.count(path, true);
                diags.extend(d.clone());
                return bytes.clone();
            }
        }
        self.count(path, false);
        let mut d = Diagnostics::new();
        let bytes = Bytes::from(render(&mut d));
        self.others
            .insert(path.to_string(), (key, bytes.clone(), d.clone()));
        diags.extend(d);
        bytes
    }

    /// A non-page output computed elsewhere (in parallel): the cached bytes when the key matches.
    pub fn lookup(&self, path: &str, key: u64) -> Option<Bytes> {
        let hit = self
            .others
            .get(path)
            .filter(|(k, _, _)| *k == key)
            .map(|(_, b, _)| b.clone());
        self.count(path, hit.is_some());
        hit
    }

    /// Whether an output with this key is cached (no counting).
    pub fn has(&self, path: &str, key: u64) -> bool {
        self.others.get(path).is_some_and(|(k, _, _)| *k == key)
    }

    pub fn store(&mut self, path: &str, key: u64, bytes: Bytes) {
        self.others
            .insert(path.to_string(), (key, bytes, Diagnostics::new()));
    }

    fn count(&self, path: &str, reused: bool) {
        if let Ok(mut s) = self.stats.lock() {
            if reused {
                s.reused += 1;
            } else {
                s.rendered.push(path.to_string());
            }
        }
    }

    /// The stats of the build since the last call, sorted.
    pub fn take_stats(&mut self) -> Stats {
        let mut s = self
            .stats
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default();
        s.rendered.sort();
        s
    }

    /// The parsed templates: reused while their texts (`key`) are unchanged, so a page
    /// edit does not parse every template again.
    pub fn tera(
        &mut self,
        key: u64,
        diags: &mut Diagnostics,
        parse: impl FnOnce(&mut Diagnostics) -> tera::Tera,
    ) -> std::sync::Arc<tera::Tera> {
        if let Some((k, t, d)) = &self.tera {
            if *k == key {
                diags.extend(d.clone());
                return t.clone();
            }
        }
        let mut d = Diagnostics::new();
        let t = std::sync::Arc::new(parse(&mut d));
        self.tera = Some((key, t.clone(), d.clone()));
        diags.extend(d);
        t
    }

    /// Whether the search index's files are cached for `key` (what they hold, see
    /// `search.rs`); counted as one output, `assets/search/`, reused or made.
    pub fn has_search(&self, key: u64) -> bool {
        let hit = self.search.as_ref().is_some_and(|(k, _)| *k == key);
        self.count("assets/search/", hit);
        hit
    }

    /// The search index's files of the last build.
    pub fn search_files(&self) -> Vec<(String, Bytes)> {
        self.search
            .as_ref()
            .map(|(_, f)| f.clone())
            .unwrap_or_default()
    }

    pub fn put_search(&mut self, key: u64, files: Vec<(String, Bytes)>) {
        self.search = Some((key, files));
    }

    /// Forget outputs that no longer exist.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.pages.retain(|k, _| keep(k));
        self.others.retain(|k, _| keep(k));
    }
}
