//! `fleetdoc publish` and `fleetdoc check --public`: the public profile of the site (public
//! pages only, host addresses replaced by host ids, links to internal pages removed) as a
//! new release under the brainstorming target, with rollback. Only a project whose whole
//! site builds is published, and the published copy's absolute URLs point at where it is
//! published (`publish.url`), never at the internal site (`url`).

use crate::diag::{Diagnostics, Loc};
use crate::load::pages::PageKind;
use crate::pipeline::{prepare, Project, Timer};
use crate::publish::{self, Entry, Release};
use crate::render::output::Output;
use std::path::Path;

/// The folder name of the project under the brainstorming target.
fn project_name(project: &Project) -> String {
    project
        .inputs
        .settings
        .publish
        .project
        .clone()
        .unwrap_or_else(|| publish::project_slug(&project.ctx().site_title()))
}

/// Build the public profile in memory; `notes` lists what was left out or redacted. The
/// redaction is done on the model (see `model::public`); the output is then audited, and
/// any declared address or internal name still found in it is an error. Every input error
/// of the whole project (internal pages too) is found before this, by the model stage, so
/// a project whose `build` (or `check`) fails is not published.
pub fn public_site(
    root: &Path,
    diags: &mut Diagnostics,
    verbose: bool,
) -> Result<(Project, Output, Vec<String>), i32> {
    let now = super::now_or_exit()?;
    let mut t = Timer::new(verbose);
    let mut project = prepare(root, now, diags, &mut t);
    if diags.has_errors() {
        return Err(1);
    }
    // `url` is the internal site's address: a published copy links to where it is
    // published, or carries no absolute URL at all.
    let published_at = project
        .inputs
        .settings
        .publish
        .url
        .as_ref()
        .map(|base| format!("{base}/{}/current", project_name(&project)));
    project.inputs.settings.url = published_at;
    let rules = crate::model::public::redaction_rules(&project.site.fleet);
    let (project, notes) = project.into_public(diags);
    let out = project.render(diags, &mut t);
    // What this project adds to the shared index every project's readers see.
    let listing = serde_json::json!({
        "project": project_name(&project),
        "title": project.ctx().site_title(),
        "entries": index_entries(&project, &out),
    });
    let listing = serde_json::to_vec_pretty(&listing).unwrap_or_default();
    crate::publish::audit::audit(
        &out,
        &[("index.json (the brainstorming index)".into(), listing)],
        &rules,
        diags,
    );
    if diags.has_errors() {
        return Err(1);
    }
    Ok((project, out, notes))
}

/// The explainers this project lists in the brainstorming index.
fn index_entries(project: &Project, out: &Output) -> Vec<Entry> {
    project
        .site
        .pages
        .iter()
        .filter(|p| p.source.front.kind == PageKind::Explainer)
        .map(|p| Entry {
            title: p.title.clone(),
            summary: p.source.front.summary.clone(),
            href: p.url.clone(),
            poster: Some(format!("diagrams/poster-{}.png", p.stem()))
                .filter(|x| out.files.contains_key(x)),
            updated: p.source.front.updated.map(|d| d.to_string()),
        })
        .collect()
}

/// `fleetdoc check --public`: what would be published, and what was redacted.
pub fn audit(root: &Path, strict: bool, verbose: bool) -> i32 {
    let mut diags = Diagnostics::new();
    let (project, out, notes) = match public_site(root, &mut diags, verbose) {
        Ok(x) => x,
        Err(code) => {
            diags.print();
            return code;
        }
    };
    for p in &project.site.pages {
        println!("publish: {} -> {}", p.source.shown.display(), p.url);
    }
    for n in &notes {
        println!("{n}");
    }
    println!(
        "{} pages, {} files would be published",
        project.site.pages.len(),
        out.files.len()
    );
    diags.print();
    i32::from(diags.has_errors() || (strict && diags.warnings() > 0))
}

pub fn publish(root: &Path, to: Option<&Path>, rollback: bool, force: bool, verbose: bool) -> i32 {
    let mut diags = Diagnostics::new();
    let settings = crate::load::load_settings(root, &mut diags);
    let Some(to) = to
        .map(Path::to_path_buf)
        .or_else(|| settings.publish.brainstorming.clone())
    else {
        crate::diag::error_line(
            "no target: pass --to DIR or set publish.brainstorming in fleetdoc.yaml",
        );
        return 2;
    };
    // The target is shared by every project that publishes there: its top holds fleetdoc's
    // lock file once fleetdoc has published into it.
    let inputs = crate::write::guard::ProjectInputs::new(root, &settings);
    if let Err(why) = crate::write::guard::check(&to, &inputs, &[publish::LOCK_FILE], force) {
        return crate::diag::usage_error(format!(
            "publish target {}: {}",
            to.display(),
            why.explain("releases and the index")
        ));
    }
    let title = settings.title.clone();
    if rollback {
        let project = settings
            .publish
            .project
            .clone()
            .unwrap_or_else(|| publish::project_slug(title.as_deref().unwrap_or("fleet")));
        let root_dir = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        return match publish::check_owner(&to, &project, &root_dir)
            .and_then(|()| publish::rollback(&to, &project))
        {
            Ok(r) => {
                crate::diag::say(format!(
                    "{} now points at release {} (was {})",
                    project,
                    r.release,
                    r.previous.unwrap_or_default()
                ));
                0
            }
            Err(e) => {
                crate::diag::error_line(e);
                1
            }
        };
    }
    let root_dir = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let (project, out, _) = match public_site(root, &mut diags, verbose) {
        Ok(x) if !diags.has_errors() => x,
        Ok(_) => {
            diags.print();
            return 1;
        }
        Err(code) => {
            diags.print();
            return code;
        }
    };
    let site_title = project.ctx().site_title();
    let name = project_name(&project);
    let entries = index_entries(&project, &out);
    if entries.is_empty() {
        diags.warning(Loc::file_start("content"), "no public explainer to list in the brainstorming index; mark one `kind: explainer` and `classification: public`");
    }
    let release = Release {
        project: &name,
        title: &site_title,
        root: &root_dir,
        site: &out,
        entries,
        published_at: chrono::Utc::now(),
    };
    match publish::publish(&to, &release, publish::KEEP_RELEASES) {
        Ok(r) => {
            for w in &r.warnings {
                diags.warning(Loc::file_start(&to), w.clone());
            }
            diags.print();
            crate::diag::say(format!(
                "published {} pages as {}/{} release {} ({} entries in the index of {} projects)",
                project.site.pages.len(),
                to.display(),
                r.project,
                r.release,
                r.entries_listed,
                r.projects_listed
            ));
            0
        }
        Err(e) => {
            diags.print();
            crate::diag::error_line(e);
            1
        }
    }
}
