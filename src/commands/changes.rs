//! `fleetdoc changes [REV..REV] [--format json]`: the topology's semantic changes, one commit
//! at a time, newest first (docs/changes.md). Read-only; exits 0 whether or not the project
//! has a history, and says on stderr what the history cannot tell.

use crate::diag::{display_path, Diagnostics};
use crate::load::git;
use crate::model::changes::{self, History, Outcome};
use std::path::Path;

/// How `changes` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn changes(root: &Path, range: Option<&str>, format: Format) -> i32 {
    let mut diags = Diagnostics::new();
    let settings = crate::load::load_settings(root, &mut diags);
    if diags.has_errors() {
        diags.print();
        return 1;
    }
    let specs: Vec<git::TopologySpec> = crate::load::topology_paths(root, &settings)
        .iter()
        .map(|p| {
            let rel = crate::base::paths::slashed(&display_path(root, p));
            if p.is_dir() {
                git::TopologySpec::Folder(rel)
            } else {
                git::TopologySpec::File(rel)
            }
        })
        .collect();
    let specs = if specs.is_empty() {
        vec![git::TopologySpec::File("content/fleet.yaml".into())]
    } else {
        specs
    };
    let history = match range {
        Some(r) => match git::read_range(root, &specs, r) {
            Ok(h) => h,
            Err(e) => return crate::diag::usage_error(e),
        },
        None => (*git::read_cached(root, &specs, &mut None)).clone(),
    };
    let name = settings.title.clone().unwrap_or_else(|| "Fleet".into());
    let h = changes::history(&history, &name);
    if let Some(why) = &h.limitation {
        crate::diag::warning_line(why);
    }
    match format {
        Format::Json => match serde_json::to_string_pretty(&h) {
            Ok(s) => println!("{s}"),
            Err(e) => return crate::diag::failure(e),
        },
        Format::Text => print!("{}", text(&h)),
    }
    0
}

/// The history as text: a line per commit (`short date subject`), then one per change.
pub fn text(h: &History) -> String {
    let mut out = String::new();
    for c in &h.commits {
        out.push_str(&format!("{} {} {}\n", c.short, c.date, c.subject));
        match &c.outcome {
            Outcome::Created { hosts, services } => out.push_str(&format!(
                "  created the topology: {hosts} hosts, {services} services\n"
            )),
            Outcome::Unreadable { error } => out.push_str(&format!(
                "  the topology of this commit does not validate: {error}\n"
            )),
            Outcome::Changed { changes } => {
                for ch in changes {
                    out.push_str(&format!("  {}\n", changes::describe(ch)));
                }
            }
        }
    }
    out
}
