//! The render stage: the validated fleet, its analysis and the page models become HTML pages,
//! fleet tables, diagrams, feeds and a Markdown export. Renders only from the model's types;
//! the result is an in-memory [`output::Output`] for the write stage.

pub mod blocks;
pub mod cache;
pub mod diagrams;
pub mod figures;
pub mod fleet_pages;
pub mod fleet_tables;
pub mod links;
pub mod markdown;
pub mod output;
pub mod resilience;
pub mod site;
pub mod slug;
pub mod status_tables;
pub mod tables;
pub mod theme;

use crate::analyze::Analysis;
use crate::load::settings::Settings;
use crate::model::pages::Page;
use crate::model::Fleet;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

/// Everything a page needs to render, shared read-only by the parallel page renderers.
pub struct Ctx<'a> {
    pub fleet: &'a Fleet,
    pub an: &'a Analysis,
    pub pages: &'a [std::sync::Arc<Page>],
    pub by_rel: HashMap<&'a str, usize>,
    /// Non-page files under content/ (path below content/), and where they are.
    pub statics: BTreeSet<&'a str>,
    pub statics_files: &'a [(String, std::path::PathBuf)],
    pub settings: &'a Settings,
    pub now: DateTime<Utc>,
    /// The public profile: only public pages, no fleet or host pages, no addresses.
    pub public: bool,
    /// Pages left out of this build (internal pages in the public profile).
    pub withheld: BTreeSet<String>,
    /// Identifies the validated fleet (the key of its topology files); 0 when unknown, and
    /// then the fleet itself is hashed.
    pub fleet_key: u64,
    /// Site information and host navigation as template values, made once per build.
    pub(crate) chrome: std::sync::OnceLock<(tera::Value, tera::Value)>,
    /// The host links of the site header as HTML, by the page's root prefix (a few
    /// depths per site); a template loop over 40 hosts on every page was a third of a
    /// 1,000-page build.
    pub(crate) host_nav: Mutex<HashMap<String, String>>,
    diagram_cache: Mutex<BTreeMap<String, String>>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        fleet: &'a Fleet,
        an: &'a Analysis,
        pages: &'a [std::sync::Arc<Page>],
        statics_files: &'a [(String, std::path::PathBuf)],
        settings: &'a Settings,
        now: DateTime<Utc>,
    ) -> Self {
        let by_rel = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.rel.as_str(), i))
            .collect();
        let statics = statics_files.iter().map(|(r, _)| r.as_str()).collect();
        Ctx {
            fleet,
            an,
            pages,
            by_rel,
            statics,
            statics_files,
            settings,
            now,
            public: false,
            withheld: BTreeSet::new(),
            fleet_key: 0,
            chrome: std::sync::OnceLock::new(),
            host_nav: Mutex::new(HashMap::new()),
            diagram_cache: Mutex::default(),
        }
    }

    /// The SVG of a diagram, drawn once per build however many pages show it.
    pub fn diagram_svg(&self, d: &diagrams::DiagramRef) -> String {
        if let Ok(cache) = self.diagram_cache.lock() {
            if let Some(svg) = cache.get(&d.name) {
                return svg.clone();
            }
        }
        let svg = crate::render::diagrams::draw(d, self);
        if let Ok(mut cache) = self.diagram_cache.lock() {
            cache.insert(d.name.clone(), svg.clone());
        }
        svg
    }

    pub fn site_title(&self) -> String {
        self.settings
            .title
            .clone()
            .unwrap_or_else(|| self.fleet.name.clone())
    }
}
