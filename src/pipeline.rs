//! The build pipeline, stage by stage: load -> model -> analyze -> render. Each stage takes
//! the previous stage's types; `--verbose` prints each stage's time.

use crate::analyze::{self, Analysis};
use crate::diag::Diagnostics;
use crate::load::{self, Inputs};
use crate::model::pages::Page;
use crate::model::{self, Fleet};
use crate::render::{self, cache::RenderCache, output::Output, Ctx};
use chrono::{DateTime, Utc};
use std::path::Path;
use std::time::Instant;

/// The validated, analyzed project: what every command works from.
pub struct Project {
    pub inputs: Inputs,
    pub fleet: Fleet,
    pub analysis: Analysis,
    pub pages: Vec<Page>,
    pub now: DateTime<Utc>,
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
            eprintln!(
                "  {stage:<8} {:>8.1} ms",
                self.at.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.at = Instant::now();
    }
}

/// Load, validate and analyze a project. Problems go to `diags`.
pub fn prepare(root: &Path, now: DateTime<Utc>, diags: &mut Diagnostics, t: &mut Timer) -> Project {
    let mut inputs = load::load(root, diags);
    t.lap("load");
    let default_name = inputs
        .settings
        .title
        .clone()
        .unwrap_or_else(|| "Fleet".into());
    let fleet = model::topology::build(&inputs.topology, &default_name, diags);
    let pages = model::pages::build(std::mem::take(&mut inputs.content.pages), diags);
    t.lap("model");
    let mut analysis = analyze::analyze(&fleet);
    analysis.observed = analyze::observe(&fleet, &inputs, now);
    t.lap("analyze");
    Project {
        inputs,
        fleet,
        analysis,
        pages,
        now,
    }
}

impl Project {
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx::new(
            &self.fleet,
            &self.analysis,
            &self.pages,
            &self.inputs.content.statics,
            &self.inputs.settings,
            self.now,
        )
    }

    /// Render the whole site into memory.
    pub fn render(&self, diags: &mut Diagnostics, t: &mut Timer) -> Output {
        self.render_with(&mut RenderCache::default(), diags, t)
    }

    /// Render, reusing from `cache` whatever did not change since the last build.
    pub fn render_with(&self, cache: &mut RenderCache, diags: &mut Diagnostics, t: &mut Timer) -> Output {
        let ctx = self.ctx();
        let tera = render::theme::tera(&self.inputs.templates, diags);
        let keys = render::site::Keys::new(&ctx, &self.inputs.templates);
        let out = render::site::render(&ctx, &tera, &keys, &self.inputs.assets, cache, diags);
        t.lap("render");
        out
    }
}
