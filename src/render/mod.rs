//! The render stage: the validated fleet, its analysis and the page models become HTML pages,
//! fleet tables, diagrams, feeds and a Markdown export. Renders only from the model's types;
//! the result is an in-memory [`output::Output`] for the write stage.

pub mod availability;
pub mod cache;
pub mod changes;
pub mod code_links;
pub mod diagrams;
pub mod export;
pub mod figures;
pub mod fleet_pages;
pub mod fleet_tables;
pub mod gfm_block;
pub mod highlight;
pub mod incidents;
pub mod links;
pub mod markdown;
pub mod output;
pub mod resilience;
pub mod search;
pub mod search_text;
pub mod site;
pub mod status_tables;
pub mod tables;
pub mod theme;
pub mod uptime_bars;

use crate::analyze::Analysis;
use crate::load::settings::Settings;
use crate::model::pages::Page;
use crate::model::site::Site;
use crate::model::Fleet;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

/// Everything a page needs to render, shared read-only by the parallel page renderers.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub fleet: &'a Fleet,
    pub an: &'a Analysis,
    pub pages: &'a [std::sync::Arc<Page>],
    pub settings: &'a Settings,
    pub now: DateTime<Utc>,
    /// Identifies the validated fleet (the key of its topology files); 0 when unknown, and
    /// then the fleet itself is hashed.
    pub fleet_key: u64,
    /// Whether what this backend writes has host pages for diagrams and tables to link to
    /// (the site has, unless it is the public profile; the Markdown export never has).
    pub host_pages: bool,
    /// Site information and host navigation as template values, made once per build.
    pub(crate) chrome: std::sync::OnceLock<(tera::Value, tera::Value)>,
    /// The host links of the site header as HTML, by the page's root prefix (a few
    /// depths per site); a template loop over 40 hosts on every page was a third of a
    /// 1,000-page build.
    pub(crate) host_nav: Mutex<HashMap<String, String>>,
    /// Whether page contexts hold `hosts` (every host's name and link): only when a
    /// project template names it, since putting it into each of 5,000 host pages' contexts
    /// cost time in the square of the fleet. Every context holds `host_count`.
    pub template_hosts: bool,
    /// What git knows of the project (last changes, the topology's changes); `None` in
    /// backends built without it.
    pub git: Option<&'a crate::load::git::GitHistory>,
    /// The fleet's changes per commit, for the Changes page, host histories and the feed.
    pub changes: Option<&'a crate::model::changes::History>,
    diagram_cache: Mutex<BTreeMap<String, std::sync::Arc<diagrams::Drawing>>>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        site: &'a Site,
        an: &'a Analysis,
        settings: &'a Settings,
        now: DateTime<Utc>,
    ) -> Self {
        Ctx {
            site,
            fleet: &site.fleet,
            an,
            pages: &site.pages,
            settings,
            now,
            fleet_key: 0,
            host_pages: site.fleet_pages,
            chrome: std::sync::OnceLock::new(),
            host_nav: Mutex::new(HashMap::new()),
            template_hosts: true,
            git: None,
            changes: None,
            diagram_cache: Mutex::default(),
        }
    }

    /// A diagram as drawn (its detail, and its summary when a page shows that instead),
    /// drawn once per build however many pages show it.
    pub fn drawing(&self, d: &diagrams::DiagramRef) -> std::sync::Arc<diagrams::Drawing> {
        if let Ok(cache) = self.diagram_cache.lock() {
            if let Some(drawn) = cache.get(&d.name) {
                return drawn.clone();
            }
        }
        let drawn = std::sync::Arc::new(crate::render::diagrams::draw(d, self));
        if let Ok(mut cache) = self.diagram_cache.lock() {
            cache.insert(d.name.clone(), drawn.clone());
        }
        drawn
    }

    /// The SVG text of a diagram's detail.
    pub fn diagram_svg(&self, d: &diagrams::DiagramRef) -> String {
        self.drawing(d).detail.text.clone()
    }

    pub fn site_title(&self) -> String {
        self.settings
            .title
            .clone()
            .unwrap_or_else(|| self.fleet.name.clone())
    }
}
