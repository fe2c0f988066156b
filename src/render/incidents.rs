//! Incidents on the site: the incidents page (`incidents/`, open ones on top, then newest
//! first, each with its updates newest first), their Atom feed (`incidents.xml`), and the
//! banner the topic list and the affected host pages show while one is open. Incident text
//! is Markdown; raw HTML in it is shown as text and HTML comments are dropped.

use crate::analyze::incidents::anchor;
use crate::diag::Diagnostics;
use crate::model::incidents::Incident;
use crate::render::site::{base_context, render_template};
use crate::render::tables::esc;
use crate::render::Ctx;
use chrono::{DateTime, Utc};
use pulldown_cmark::{Event, Parser};
use serde::Serialize;

/// The incidents page's path.
pub const PAGE: &str = "incidents/index.html";
/// The incidents feed's path.
pub const FEED: &str = "incidents.xml";

#[derive(Serialize)]
struct ServiceLink {
    name: String,
    /// Site-root-relative; `None` where the site has no host pages.
    href: Option<String>,
}

#[derive(Serialize)]
struct UpdateView {
    /// RFC 3339, for `datetime` and the feed.
    at: String,
    shown: String,
    label: String,
    html: String,
}

#[derive(Serialize)]
struct IncidentView {
    anchor: String,
    title: String,
    severity: &'static str,
    open: bool,
    started: String,
    started_shown: String,
    resolved: Option<String>,
    resolved_shown: Option<String>,
    duration: Option<String>,
    updated: String,
    services: Vec<ServiceLink>,
    summary_html: String,
    /// Newest first.
    updates: Vec<UpdateView>,
    /// The summary and the updates as one HTML text, for the feed.
    content_html: String,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn shown(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A length of time as people say it: `45 min`, `2 h 10 min`, `3 d 4 h`.
pub fn duration(d: chrono::Duration) -> String {
    let m = d.num_minutes().max(0);
    match (m / 1440, (m % 1440) / 60, m % 60) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// Incident Markdown as HTML: raw HTML becomes text, comments are dropped.
pub fn markdown_html(text: &str) -> String {
    let events = Parser::new_ext(text, crate::model::pages::options()).filter_map(|ev| match ev {
        Event::Html(h) | Event::InlineHtml(h) => {
            (!h.trim_start().starts_with("<!--")).then_some(Event::Text(h))
        }
        other => Some(other),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

fn view(i: &Incident, ctx: &Ctx) -> IncidentView {
    let mut updates: Vec<UpdateView> = i
        .updates
        .iter()
        .map(|u| UpdateView {
            at: rfc3339(u.at),
            shown: shown(u.at),
            label: u.label.clone(),
            html: markdown_html(&u.text),
        })
        .collect();
    // Newest first; updates of the same minute keep the order written.
    updates.reverse();
    updates.sort_by(|a, b| b.at.cmp(&a.at));
    let mut content_html = markdown_html(&i.summary);
    for u in &updates {
        content_html.push_str(&format!("<h3>{}", esc(&u.shown)));
        if !u.label.is_empty() {
            content_html.push_str(&format!(" {}", esc(&u.label)));
        }
        content_html.push_str("</h3>\n");
        content_html.push_str(&u.html);
    }
    IncidentView {
        content_html,
        anchor: anchor(&i.slug),
        title: i.title.clone(),
        severity: i.severity.as_str(),
        open: i.is_open(),
        started: rfc3339(i.started),
        started_shown: shown(i.started),
        resolved: i.resolved.map(rfc3339),
        resolved_shown: i.resolved.map(shown),
        duration: i.resolved.map(|r| duration(r - i.started)),
        updated: rfc3339(i.updated()),
        services: i
            .services
            .iter()
            .map(|&s| {
                let x = &ctx.fleet.services[s];
                ServiceLink {
                    name: x.name.clone(),
                    href: ctx.site.fleet_pages.then(|| {
                        format!("hosts/{}/#service-{}", ctx.fleet.hosts[x.hosts[0]].id, x.id)
                    }),
                }
            })
            .collect(),
        summary_html: markdown_html(&i.summary),
        updates,
    }
}

/// A drift finding as a feed entry.
#[derive(Serialize)]
struct DriftView {
    /// Stable while the finding lasts (`Drift::id`).
    id: String,
    title: String,
    /// Site-root-relative: the fleet overview's drift table, or where the public site
    /// shows the service.
    link: String,
    since: String,
    since_shown: String,
    kind: &'static str,
    detail: String,
}

/// The drift findings this site's feed lists: every one, or in the public profile those
/// of public services (no probe targets, no undeclared checks), newest first.
fn drift_views(ctx: &Ctx) -> Vec<DriftView> {
    use crate::analyze::status::DriftAbout;
    let listed = crate::render::availability::shown_services(ctx);
    let mut views: Vec<DriftView> = ctx
        .an
        .observed
        .drift
        .iter()
        .filter(|d| match d.about {
            DriftAbout::Service(s) => listed.contains(&s),
            _ => ctx.site.fleet_pages,
        })
        .filter_map(|d| {
            let since = d.since?;
            let link = if ctx.site.fleet_pages {
                "fleet/#drift".to_string()
            } else if crate::render::availability::has_page(ctx) {
                match d.about {
                    DriftAbout::Service(s) => {
                        format!("availability/#service-{}", ctx.fleet.services[s].id)
                    }
                    _ => "availability/".into(),
                }
            } else {
                String::new()
            };
            Some(DriftView {
                id: d.id(ctx.fleet),
                title: format!("{}: {}", d.subject, d.kind.as_str()),
                link,
                since: rfc3339(since),
                since_shown: shown(since),
                kind: d.kind.slug(),
                detail: d.detail.clone(),
            })
        })
        .collect();
    views.sort_by(|a, b| b.since.cmp(&a.since).then_with(|| a.id.cmp(&b.id)));
    views
}

/// Whether the site writes the feed: it has incidents or drift to list.
pub fn has_feed(ctx: &Ctx) -> bool {
    !ctx.site.incidents.is_empty() || !drift_views(ctx).is_empty()
}

/// The incidents page (when the site has incidents) and the feed of incidents and drift
/// (when it has either): (path, bytes).
pub fn render(ctx: &Ctx, tera: &tera::Tera, d: &mut Diagnostics) -> Vec<(&'static str, Vec<u8>)> {
    let drift = drift_views(ctx);
    if ctx.site.incidents.is_empty() && drift.is_empty() {
        return Vec::new();
    }
    let views: Vec<IncidentView> = ctx.site.incidents.iter().map(|i| view(i, ctx)).collect();
    let open = views.iter().filter(|v| v.open).count();
    let mut out = Vec::new();
    if !views.is_empty() {
        let mut c = base_context(ctx, "../");
        c.insert("incidents", &views);
        c.insert("open_count", &open);
        out.push((
            PAGE,
            render_template(tera, "incidents.html", &c, d).into_bytes(),
        ));
    }
    // Incidents ordered like the page, then drift newest first; the feed's `updated` is
    // the newest change of any entry.
    let mut c = base_context(ctx, "");
    let newest = ctx
        .site
        .incidents
        .iter()
        .map(Incident::updated)
        .map(rfc3339)
        .chain(drift.iter().map(|d| d.since.clone()))
        .max();
    c.insert("feed_updated", &newest);
    c.insert("incidents", &views);
    c.insert("drift", &drift);
    // Where the feed's alternate link leads: the incidents page, else the drift table.
    c.insert(
        "feed_page",
        if !views.is_empty() {
            "incidents/"
        } else if ctx.site.fleet_pages {
            "fleet/#drift"
        } else {
            ""
        },
    );
    out.push((FEED, render_template(tera, FEED, &c, d).into_bytes()));
    out
}

/// The banner of open incidents for a page at `root`: every open one on the topic list
/// (`host: None`), those of the host's services on a host page. Empty when none is open.
pub fn banner(ctx: &Ctx, root: &str, host: Option<usize>) -> String {
    let open: Vec<&Incident> = ctx
        .site
        .incidents
        .iter()
        .filter(|i| i.is_open())
        .filter(|i| {
            host.is_none_or(|h| {
                i.services
                    .iter()
                    .any(|&s| ctx.fleet.services[s].hosts.contains(&h))
            })
        })
        .collect();
    if open.is_empty() {
        return String::new();
    }
    let mut h =
        String::from("<div class=\"incident-banner\"><p class=\"incident-banner-head\"><strong>");
    h.push_str(if open.len() == 1 {
        "Open incident"
    } else {
        "Open incidents"
    });
    h.push_str("</strong></p><ul>");
    for i in open {
        let names: Vec<&str> = i
            .services
            .iter()
            .map(|&s| ctx.fleet.services[s].name.as_str())
            .collect();
        h.push_str(&format!(
            "<li><a href=\"{}incidents/#{}\">{}</a> <span class=\"badge sev-{}\">{}</span> since <time datetime=\"{}\">{}</time>; affects {}</li>",
            esc(root),
            esc(&anchor(&i.slug)),
            esc(&i.title),
            i.severity.as_str(),
            i.severity.as_str(),
            rfc3339(i.started),
            shown(i.started),
            esc(&names.join(", "))
        ));
    }
    h.push_str("</ul></div>\n");
    h
}
