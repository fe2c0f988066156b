//! Availability on the site: the availability page (`availability/`, one table per service
//! of its last 12 months: availability, downtime, the error budget left this month, the
//! incidents inside each month), written when a target is set (`slo:` on a service or in
//! fleetdoc.yaml); and one badge per service (`badges/<id>.svg`: status and uptime, in the
//! shields.io look), always. The public profile shows public services only.

use crate::analyze::availability::{this_month, Month};
use crate::analyze::status::Health;
use crate::diag::Diagnostics;
use crate::render::incidents::duration;
use crate::render::site::{base_context, render_template};
use crate::render::tables::esc;
use crate::render::Ctx;
use serde::Serialize;

/// The availability page's path.
pub const PAGE: &str = "availability/index.html";

/// The services this site shows availability and badges for: all of them, or in the
/// public profile those with a `public` hostname.
pub fn shown_services(ctx: &Ctx) -> Vec<usize> {
    (0..ctx.fleet.services.len())
        .filter(|&s| ctx.site.fleet_pages || ctx.fleet.services[s].public.is_some())
        .collect()
}

/// Whether the site has an availability page: some service has a target.
pub fn has_page(ctx: &Ctx) -> bool {
    shown_services(ctx).iter().any(|&s| {
        ctx.an
            .availability
            .services
            .get(s)
            .is_some_and(|m| m.slo.is_some())
    })
}

/// A share as a percent, never rounded up to 100%: 0.99953 -> `99.95%`.
pub fn percent(a: f64) -> String {
    if a >= 1.0 {
        return "100%".into();
    }
    let floor = (a * 10_000.0).floor() / 100.0;
    let s = format!("{floor:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

fn minutes(m: i64) -> String {
    if m <= 0 {
        "none".into()
    } else {
        duration(chrono::Duration::minutes(m))
    }
}

#[derive(Serialize)]
struct IncidentLink {
    title: String,
    href: String,
}

#[derive(Serialize)]
struct Row {
    month: String,
    /// `YYYY-MM`, for `<time>`.
    datetime: String,
    availability: Option<String>,
    downtime: Option<String>,
    budget: String,
    /// `met`, `missed`, `open` (this month, within budget), `over` or `none`.
    budget_state: &'static str,
    incidents: Vec<IncidentLink>,
    /// The maintenance windows open in the month (up to now), each in a line.
    windows: Vec<String>,
}

#[derive(Serialize)]
struct ServiceView {
    id: String,
    name: String,
    anchor: String,
    badge: String,
    badge_alt: String,
    slo: Option<String>,
    rows: Vec<Row>,
    /// The uptime bars over 24 h, 7 d, 30 d and 90 d (HTML).
    uptime_bars: String,
}

fn budget(m: &Month, slo: Option<crate::base::slo::Slo>, current: bool) -> (String, &'static str) {
    let Some(slo) = slo else {
        return ("no target".into(), "none");
    };
    if current {
        let allowed = m.budget_min(slo);
        let used = m.downtime_min().unwrap_or(0);
        return if used <= allowed {
            (
                format!("{} left of {}", minutes(allowed - used), minutes(allowed)),
                "open",
            )
        } else {
            (
                format!(
                    "exceeded by {} (of {})",
                    minutes(used - allowed),
                    minutes(allowed)
                ),
                "over",
            )
        };
    }
    match m.met(slo) {
        Some(true) => ("target met".into(), "met"),
        Some(false) => ("target missed".into(), "missed"),
        None => ("no data".into(), "none"),
    }
}

fn view(ctx: &Ctx, s: usize) -> ServiceView {
    let svc = &ctx.fleet.services[s];
    let am = &ctx.an.availability.services[s];
    let current = this_month(ctx.now);
    let rows = am
        .months
        .iter()
        .map(|m| {
            let (from, to) = (
                m.start.and_time(chrono::NaiveTime::MIN).and_utc(),
                m.end().and_time(chrono::NaiveTime::MIN).and_utc(),
            );
            let (budget, budget_state) = budget(m, am.slo, m.start == current);
            Row {
                month: m.start.format("%B %Y").to_string(),
                datetime: m.start.format("%Y-%m").to_string(),
                availability: m.availability().map(percent),
                downtime: m.downtime_min().map(minutes),
                budget,
                budget_state,
                incidents: ctx
                    .an
                    .incidents
                    .0
                    .get(s)
                    .into_iter()
                    .flatten()
                    .filter(|i| i.started < to && i.resolved.unwrap_or(ctx.now) >= from)
                    .map(|i| IncidentLink {
                        title: i.title.clone(),
                        href: i.href(),
                    })
                    .collect(),
                windows: if m.seen > 0 {
                    month_windows(ctx, s, from, to.min(ctx.now))
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    ServiceView {
        id: svc.id.to_string(),
        name: svc.name.clone(),
        anchor: format!("service-{}", svc.id),
        badge: format!("badges/{}.svg", svc.id),
        badge_alt: badge_text(ctx, s),
        slo: am.slo.map(|t| t.to_string()),
        rows,
        uptime_bars: ctx
            .an
            .observed
            .uptime_bars
            .get(s)
            .filter(|b| !b.is_empty())
            .map(|b| crate::render::uptime_bars::cell_html(&svc.name, b))
            .unwrap_or_default(),
    }
}

/// The maintenance windows of service `s` open in `[from, to)`, in lines: a one-off
/// window as its times, a recurring one with how often and how long it was open.
fn month_windows(
    ctx: &Ctx,
    s: usize,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> Vec<String> {
    use crate::model::maintenance::{span, Origin};
    let fleet = ctx.fleet;
    ctx.fleet.services[s]
        .maintenance
        .iter()
        .filter_map(|w| {
            let times = w.when.occurrences(from, to);
            if times.is_empty() {
                return None;
            }
            let mut line = w.when.describe();
            if w.when.is_recurring() {
                let open: chrono::TimeDelta = times
                    .iter()
                    .map(|o| o.end.min(to) - o.start.max(from))
                    .sum();
                let n = times.len();
                line.push_str(&format!(
                    ": {n} time{}, {}",
                    if n == 1 { "" } else { "s" },
                    span(open)
                ));
            }
            // Where it comes from, on the full site (the public one names no host or job).
            let origin = match w.origin {
                Origin::Host(h) if ctx.site.fleet_pages => {
                    Some(format!("host {}", fleet.hosts[h].name))
                }
                Origin::Backup(b) if ctx.site.fleet_pages => {
                    Some(format!("backup job {}", fleet.services[b].name))
                }
                _ => None,
            };
            let about: Vec<String> = origin.into_iter().chain(w.note.clone()).collect();
            if !about.is_empty() {
                line.push_str(&format!(" ({})", about.join("; ")));
            }
            Some(line)
        })
        .collect()
}

/// The availability page.
pub fn page(ctx: &Ctx, tera: &tera::Tera, d: &mut Diagnostics) -> Vec<u8> {
    let services: Vec<ServiceView> = shown_services(ctx)
        .into_iter()
        .map(|s| view(ctx, s))
        .collect();
    let mut c = base_context(ctx, "../");
    c.insert("services", &services);
    c.insert("default_slo", &ctx.settings.slo.map(|s| s.to_string()));
    render_template(tera, "availability.html", &c, d).into_bytes()
}

/// What a badge says, as one sentence: `Gitea: up, 99.95% uptime over 30 days`.
pub fn badge_text(ctx: &Ctx, s: usize) -> String {
    let (status, uptime) = badge_parts(ctx, s);
    format!(
        "{}: {status}, {}",
        ctx.fleet.services[s].name,
        match uptime {
            Some(u) => format!("{u} uptime over 30 days"),
            None => "no uptime data".into(),
        }
    )
}

fn badge_parts(ctx: &Ctx, s: usize) -> (&'static str, Option<String>) {
    let st = &ctx.an.observed.services[s];
    (st.shown().as_str(), st.uptime.map(percent))
}

/// Verdana at 11 px, roughly: the width a badge gives a text (the text is then fitted to
/// it exactly with `textLength`, so every renderer draws the same box).
fn text_width(t: &str) -> u32 {
    let w: f64 = t
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '|' | '!' | '\'' => 3.4,
            ' ' | '(' | ')' | '[' | ']' | 'f' | 't' | 'r' => 4.4,
            'm' | 'w' | 'M' | 'W' | '%' => 10.4,
            'A'..='Z' => 7.8,
            _ => 6.9,
        })
        .sum();
    w.ceil() as u32
}

/// One badge: the service's name on grey, its status and 30-day uptime on the status's
/// color; a `<title>` says it all for screen readers and tooltips.
pub fn badge_svg(ctx: &Ctx, s: usize) -> Vec<u8> {
    let (status, uptime) = badge_parts(ctx, s);
    let label = ctx.fleet.services[s].name.clone();
    let message = match &uptime {
        Some(u) => format!("{status} {u}"),
        None => status.to_string(),
    };
    let color = match ctx.an.observed.services[s].shown() {
        Health::Up => "#1f7a3a",
        Health::Down => "#c62f2f",
        Health::Stale | Health::Pending => "#8a5a00",
        Health::Maintenance => "#2f5f9e",
        Health::Unknown => "#5b6475",
    };
    let (lt, mt) = (text_width(&label), text_width(&message));
    let (lw, mw) = (lt + 12, mt + 12);
    let w = lw + mw;
    let title = esc(&badge_text(ctx, s));
    let (label, message) = (esc(&label), esc(&message));
    let text = |x: u32, len: u32, t: &str| {
        format!(
            "<text x=\"{x}\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\" textLength=\"{len}\" lengthAdjust=\"spacingAndGlyphs\">{t}</text><text x=\"{x}\" y=\"14\" textLength=\"{len}\" lengthAdjust=\"spacingAndGlyphs\">{t}</text>"
        )
    };
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"20\" viewBox=\"0 0 {w} 20\" role=\"img\">\
<title>{title}</title>\
<linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>\
<clipPath id=\"r\"><rect width=\"{w}\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>\
<g clip-path=\"url(#r)\"><rect width=\"{lw}\" height=\"20\" fill=\"#555\"/><rect x=\"{lw}\" width=\"{mw}\" height=\"20\" fill=\"{color}\"/><rect width=\"{w}\" height=\"20\" fill=\"url(#s)\"/></g>\
<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">{}{}</g>\
</svg>\n",
        text(lw / 2, lt, &label),
        text(lw + mw / 2, mt, &message),
    )
    .into_bytes()
}

/// A `badge:` fleet block on a page: the badge image, or its words where this site writes
/// no badge for the service (a non-public service in the public profile).
pub fn badge_html(s: usize, root: &str, ctx: &Ctx) -> String {
    let alt = esc(&badge_text(ctx, s));
    if shown_services(ctx).contains(&s) {
        format!(
            "<p class=\"fleet-badge\"><img src=\"{}badges/{}.svg\" alt=\"{alt}\"></p>\n",
            esc(root),
            esc(ctx.fleet.services[s].id.as_str())
        )
    } else {
        format!("<p class=\"fleet-badge\">{alt}</p>\n")
    }
}

/// A `badge:` block as GFM (the export, `sync` regions): an image link to the site's badge,
/// absolute under `url:` so it works from any README, else beside `diagrams_dir`.
pub fn badge_gfm(s: usize, ctx: &Ctx, diagrams_dir: &str) -> String {
    let id = ctx.fleet.services[s].id.as_str();
    let src = match &ctx.settings.url {
        Some(url) => format!("{url}/badges/{id}.svg"),
        None => {
            let base = diagrams_dir
                .strip_suffix("diagrams")
                .unwrap_or(diagrams_dir);
            format!("{base}badges/{id}.svg")
        }
    };
    let alt = badge_text(ctx, s).replace(['[', ']'], "");
    format!("![{alt}]({src})\n")
}
