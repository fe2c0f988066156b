//! The build pipeline, stage by stage: load -> model -> analyze -> render. Each stage takes
//! the previous stage's types; `--verbose` prints each stage's time.

use crate::analyze::{self, Analysis};
use crate::diag::Diagnostics;
use crate::load::{self, Inputs};
use crate::model::site::Site;
use crate::model::{self, Fleet};
use crate::render::{self, cache::RenderCache, output::Output, output::Sink, Ctx};
use chrono::{DateTime, Utc};
use std::path::Path;
use std::time::Instant;

/// The validated, analyzed project: what every command works from.
pub struct Project {
    pub inputs: Inputs,
    /// The fleet, the pages with their blocks and links resolved: every input error is
    /// found by the time this exists.
    pub site: Site,
    pub analysis: Analysis,
    pub now: DateTime<Utc>,
    /// Key of the topology files the fleet was validated from.
    pub fleet_key: u64,
    /// What changed in the fleet, commit by commit (docs/changes.md).
    pub changes: std::sync::Arc<model::changes::History>,
}

pub struct Timer {
    verbose: bool,
    at: Instant,
}

impl Timer {
    pub fn new(verbose: bool) -> Self {
        Timer {
            verbose,
            at: Instant::now(),
        }
    }
    pub fn lap(&mut self, stage: &str) {
        if self.verbose {
            crate::diag::print_line(&format!(
                "  {stage:<8} {:>8.1} ms",
                self.at.elapsed().as_secs_f64() * 1000.0
            ));
        }
        self.at = Instant::now();
    }
}

/// Load, validate and analyze a project. Problems go to `diags`.
/// What `watch` keeps between rebuilds so that an edit costs what it changes.
#[derive(Default)]
pub struct Caches {
    pub files: load::file_cache::FileCache,
    pub pages: model::pages::PageCache,
    /// Each page's resolved links and blocks, resolved again only where a page changed.
    pub refs: model::site::RefsCache,
    pub render: RenderCache,
    /// The fleet validated from the topology files with these keys (and default name),
    /// with the diagnostics validating it gave.
    pub fleet: Option<(u64, Fleet, Diagnostics)>,
    /// The observed status and availability, for this key of the probe data, fleet,
    /// settings and "now" (an edit of a page does not measure anything anew).
    pub observed: Option<(
        u64,
        analyze::status::Observed,
        analyze::availability::Availability,
    )>,
    /// The fleet's history, read from this git history (the same `Arc` while HEAD is).
    pub changes: Option<(
        std::sync::Arc<load::git::GitHistory>,
        std::sync::Arc<model::changes::History>,
        std::sync::Arc<model::commands::history::Hints>,
    )>,
}

pub fn prepare(root: &Path, now: DateTime<Utc>, diags: &mut Diagnostics, t: &mut Timer) -> Project {
    prepare_cached(root, now, diags, t, &mut Caches::default())
}

/// Like [`prepare`], reusing unchanged files and page models from `caches`.
pub fn prepare_cached(
    root: &Path,
    now: DateTime<Utc>,
    diags: &mut Diagnostics,
    t: &mut Timer,
    caches: &mut Caches,
) -> Project {
    let mut inputs = load::load_cached(root, diags, &mut caches.files);
    load::settings::warn_without_url(root, &inputs.settings, diags);
    t.lap("load");
    let default_name = inputs
        .settings
        .title
        .clone()
        .unwrap_or_else(|| "Fleet".into());
    let topo_key = crate::base::hash::key_of(&(
        inputs.topology.iter().map(|d| d.key).collect::<Vec<_>>(),
        &default_name,
    ));
    let fleet = match &caches.fleet {
        Some((k, fleet, d)) if *k == topo_key => {
            diags.extend(d.clone());
            fleet.clone()
        }
        _ => {
            let mut d = Diagnostics::new();
            let fleet = model::topology::build(&inputs.topology, &default_name, &mut d);
            caches.fleet = Some((topo_key, fleet.clone(), d.clone()));
            diags.extend(d);
            fleet
        }
    };
    let pages = model::pages::build_cached(
        std::mem::take(&mut inputs.content.pages),
        diags,
        &mut caches.pages,
    );
    let (changes, hints) = match &caches.changes {
        Some((git, h, hints)) if std::sync::Arc::ptr_eq(git, &inputs.git) => {
            (h.clone(), hints.clone())
        }
        _ => {
            let h = std::sync::Arc::new(model::changes::history(&inputs.git, &default_name));
            let hints = std::sync::Arc::new(model::commands::history::Hints::from_history(
                &h,
                &inputs.git,
            ));
            caches.changes = Some((inputs.git.clone(), h.clone(), hints.clone()));
            (h, hints)
        }
    };
    let mut site = Site::build_cached(
        fleet,
        pages,
        inputs.content.statics.clone(),
        inputs.content.inputs.clone(),
        inputs.settings.check_commands,
        (!changes.commits.is_empty()).then_some(hints),
        diags,
        &mut caches.refs,
        topo_key,
    );
    site.incidents = model::incidents::build(&inputs.incidents, &site.fleet, diags);
    t.lap("model");
    let mut analysis = analyze::analyze(&site.fleet);
    // What the status and availability depend on. "Now" counts by the day (the months
    // shown) and, with probe data, by the minute (ages, staleness, today's downtime; all
    // shown in minutes): an edit under `watch` reuses them within the minute.
    let has_probe_data = !inputs.snapshots.is_empty() || inputs.history.is_some();
    let observed_key = crate::base::hash::key_of(&(
        inputs.probes_key,
        topo_key,
        inputs.settings.stale_after,
        inputs.settings.slo,
        now.date_naive(),
        has_probe_data.then(|| now.timestamp().div_euclid(60)),
    ));
    match &caches.observed {
        Some((k, observed, availability)) if *k == observed_key => {
            analysis.observed = observed.clone();
            analysis.availability = availability.clone();
        }
        _ => {
            analysis.observed = analyze::observe(&site.fleet, &inputs, now);
            analysis.observed.key = observed_key;
            analysis.availability =
                analyze::availability::availability(&site.fleet, &inputs, inputs.settings.slo, now);
            caches.observed = Some((
                observed_key,
                analysis.observed.clone(),
                analysis.availability.clone(),
            ));
        }
    }
    analysis.incidents =
        analyze::incidents::ByService::new(&site.incidents, site.fleet.services.len());
    t.lap("analyze");
    Project {
        inputs,
        site,
        analysis,
        now,
        fleet_key: topo_key,
        changes,
    }
}

impl Project {
    /// The public profile, for publishing: a model-to-model step (see
    /// [`crate::model::public`] and docs/public-profile.md). Returns what was left out or
    /// redacted, one line each.
    pub fn into_public(self, diags: &mut Diagnostics) -> (Project, Vec<String>) {
        let (site, mut notes) = model::public::public_site(self.site, diags);
        // Counts only: the public pages show the public services' months.
        let availability = self.analysis.availability.clone();
        let (mut analysis, more) = self.analysis.into_public(&site.fleet);
        analysis.availability = availability;
        analysis.incidents =
            analyze::incidents::ByService::new(&site.incidents, site.fleet.services.len());
        notes.extend(more);
        let mut inputs = self.inputs;
        // The forge is where the team edits its internal docs: not a link for the public.
        inputs.settings.repo = None;
        (
            Project {
                site,
                analysis,
                inputs,
                ..self
            },
            notes,
        )
    }

    pub fn ctx(&self) -> Ctx<'_> {
        let mut ctx = Ctx::new(&self.site, &self.analysis, &self.inputs.settings, self.now);
        ctx.fleet_key = self.fleet_key;
        ctx.template_hosts = render::theme::names_hosts(&self.inputs.templates);
        ctx.git = Some(&self.inputs.git);
        ctx.changes = Some(&self.changes);
        ctx
    }

    /// Render the whole site into memory.
    pub fn render(&self, diags: &mut Diagnostics, t: &mut Timer) -> Output {
        self.render_with(&mut RenderCache::default(), diags, t)
    }

    /// Render, reusing from `cache` whatever did not change since the last build.
    pub fn render_with(
        &self,
        cache: &mut RenderCache,
        diags: &mut Diagnostics,
        t: &mut Timer,
    ) -> Output {
        self.render_to(cache, None, diags, t).0
    }

    /// Render a one-off build, handing pages to `sink` (the writer) as they are rendered,
    /// so the site is never in memory whole. Returns the rest of the site, to write after,
    /// and how many files went to the sink.
    pub fn render_into(
        &self,
        sink: &dyn Sink,
        diags: &mut Diagnostics,
        t: &mut Timer,
    ) -> (Output, usize) {
        self.render_to(&mut RenderCache::default(), Some(sink), diags, t)
    }

    fn render_to(
        &self,
        cache: &mut RenderCache,
        sink: Option<&dyn Sink>,
        diags: &mut Diagnostics,
        t: &mut Timer,
    ) -> (Output, usize) {
        let ctx = self.ctx();
        let keys = render::site::Keys::new(&ctx, &self.inputs.templates);
        let tera = cache.tera(keys.templates, diags, |d| {
            render::theme::tera(&self.inputs.templates, d)
        });
        let out = render::site::render(&ctx, &tera, &keys, &self.inputs.assets, cache, sink, diags);
        t.lap("render");
        out
    }
}
