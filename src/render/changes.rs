//! The fleet's history on the site (docs/changes.md): the Changes page, `fleet/changes/`
//! (the last 50 commits
//! that changed the topology, each change linked to the hosts and services it touches), the
//! History section of each host page, and the changes as entries of the Atom feed. Where
//! git cannot tell (no repository, a shallow clone) the page says so.

use crate::diag::Diagnostics;
use crate::model::changes::{self, Change, CommitChanges, History, Outcome, Subject};
use crate::model::commands::resolve::Target;
use crate::render::site::{base_context, render_template};
use crate::render::tables::esc;
use crate::render::Ctx;
use serde::Serialize;

/// How many commits the Changes page lists (`fleetdoc changes` lists all).
pub const PAGE_LIMIT: usize = 50;
/// How many changes a host page lists before pointing to the Changes page.
pub const HOST_LIMIT: usize = 20;

/// One commit as the Changes page shows it.
#[derive(Serialize)]
struct Entry {
    anchor: String,
    short: String,
    date: String,
    subject: String,
    /// What the commit did when it is not a list of changes (the first topology, or one
    /// that does not validate).
    note: Option<String>,
    /// Each change as HTML, names linked.
    items: Vec<String>,
}

/// One change on a host page.
#[derive(Serialize)]
pub struct HostEntry {
    anchor: String,
    date: String,
    subject: String,
    item: String,
}

fn anchor(c: &CommitChanges) -> String {
    format!("c-{}", c.short)
}

fn history<'a>(ctx: &Ctx<'a>) -> Option<&'a History> {
    ctx.changes
}

/// A host id, linked to its page when the host still exists.
fn host_link(ctx: &Ctx, id: &str, root: &str) -> String {
    match ctx.fleet.host_ix(id) {
        Some(h) => format!(
            "<a href=\"{root}{}\"><code>{}</code></a>",
            esc(&crate::render::code_links::href(ctx.fleet, Target::Host(h))),
            esc(id)
        ),
        None => format!("<code>{}</code>", esc(id)),
    }
}

/// A service id, linked to its row on its host's page when it still exists.
fn service_link(ctx: &Ctx, id: &str, root: &str) -> String {
    match ctx.fleet.service_ix(id) {
        Some(s) => format!(
            "<a href=\"{root}{}\"><code>{}</code></a>",
            esc(&crate::render::code_links::href(
                ctx.fleet,
                Target::Service(s)
            )),
            esc(id)
        ),
        None => format!("<code>{}</code>", esc(id)),
    }
}

/// One change as HTML: what changed, its fields, and the hosts it touches.
fn item_html(ch: &Change, ctx: &Ctx, root: &str) -> String {
    let action = ch.action.as_str();
    let mut s = match ch.subject {
        Subject::Layout => format!("{action} layout"),
        Subject::Host => format!("{action} host {}", host_link(ctx, &ch.name, root)),
        Subject::Service => format!("{action} service {}", service_link(ctx, &ch.name, root)),
        Subject::Route => format!(
            "{action} route of service {}",
            service_link(ctx, &ch.name, root)
        ),
        Subject::Link | Subject::Backup => {
            let linked: Vec<String> = ch
                .services
                .iter()
                .map(|id| service_link(ctx, id, root))
                .collect();
            let name = if ch.subject == Subject::Backup && linked.len() == 2 {
                linked.join(" → ")
            } else {
                format!("<code>{}</code>", esc(&ch.name))
            };
            format!("{action} {} {name}", ch.subject.as_str())
        }
    };
    let fields: Vec<String> = ch
        .fields
        .iter()
        .map(|f| {
            let v = |x: &str| {
                if x.is_empty() {
                    "(none)".to_string()
                } else {
                    format!("<code>{}</code>", esc(x))
                }
            };
            match (f.before.is_empty(), f.after.is_empty(), ch.action) {
                (true, false, changes::Action::Added) => format!("{} {}", f.field, v(&f.after)),
                (false, true, changes::Action::Removed) => format!("{} {}", f.field, v(&f.before)),
                _ => format!("{} {} → {}", f.field, v(&f.before), v(&f.after)),
            }
        })
        .collect();
    if !fields.is_empty() {
        s.push_str(": ");
        s.push_str(&fields.join("; "));
    }
    if ch.subject != Subject::Host && !ch.hosts.is_empty() {
        let hosts: Vec<String> = ch.hosts.iter().map(|h| host_link(ctx, h, root)).collect();
        s.push_str(&format!(
            " <span class=\"touches\">(on {})</span>",
            hosts.join(", ")
        ));
    }
    s
}

fn note(c: &CommitChanges) -> Option<String> {
    match &c.outcome {
        Outcome::Created { hosts, services } => Some(format!(
            "The topology was created: {hosts} hosts, {services} services."
        )),
        Outcome::Unreadable { error } => Some(format!(
            "The topology of this commit does not validate, so what it changed is not known: {error}"
        )),
        Outcome::Changed { .. } => None,
    }
}

/// The Changes page.
pub(super) fn page_html(ctx: &Ctx, tera: &tera::Tera, d: &mut Diagnostics) -> Vec<u8> {
    let root = "../../";
    let mut c = base_context(ctx, root);
    let h = history(ctx);
    let all = h.map_or(&[][..], |h| h.commits.as_slice());
    let entries: Vec<Entry> = all
        .iter()
        .take(PAGE_LIMIT)
        .map(|x| Entry {
            anchor: anchor(x),
            short: x.short.clone(),
            date: x.date.clone(),
            subject: x.subject.clone(),
            note: note(x),
            items: x
                .changes()
                .iter()
                .map(|ch| item_html(ch, ctx, root))
                .collect(),
        })
        .collect();
    c.insert("entries", &entries);
    c.insert("total", &all.len());
    c.insert("limit", &PAGE_LIMIT);
    c.insert(
        "limitation",
        &h.map_or_else(
            || Some("The project's history was not read".to_string()),
            |h| h.limitation.clone(),
        ),
    );
    render_template(tera, "changes.html", &c, d).into_bytes()
}

/// The changes that touched host `id`, newest first (at most [`HOST_LIMIT`]).
pub(super) fn host_entries(ctx: &Ctx, id: &str, root: &str) -> Vec<HostEntry> {
    let Some(h) = history(ctx) else {
        return Vec::new();
    };
    h.of_host(id)
        .take(HOST_LIMIT)
        .map(|(c, ch)| HostEntry {
            anchor: anchor(c),
            date: c.date.clone(),
            subject: c.subject.clone(),
            item: item_html(ch, ctx, root),
        })
        .collect()
}

/// One change entry of the Atom feed.
#[derive(Serialize, Hash)]
pub(super) struct FeedEntry {
    id: String,
    href: String,
    title: String,
    updated: String,
    summary: String,
}

/// The feed's change entries: the commits of the Changes page (none without fleet pages).
pub(super) fn feed_entries(ctx: &Ctx) -> Vec<FeedEntry> {
    let Some(h) = history(ctx).filter(|_| ctx.site.fleet_pages) else {
        return Vec::new();
    };
    h.commits
        .iter()
        .take(PAGE_LIMIT)
        .map(|c| {
            let lines: Vec<String> = match &c.outcome {
                Outcome::Changed { changes } => changes.iter().map(changes::describe).collect(),
                _ => note(c).into_iter().collect(),
            };
            FeedEntry {
                id: format!("urn:fleetdoc:change:{}", c.id),
                href: format!("fleet/changes/#{}", anchor(c)),
                title: format!("Fleet change: {}", c.subject),
                updated: chrono::DateTime::from_timestamp(c.time, 0)
                    .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                    .unwrap_or_default(),
                summary: lines.join("; "),
            }
        })
        .collect()
}
