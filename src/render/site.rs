//! Assembles the whole site: topic list, one page per Markdown file (rendered in parallel),
//! the fleet overview, one page per host, diagrams, sitemap, feed, 404 and assets.

use crate::diag::{Diagnostics, Loc};
use crate::load::pages::Classification;
use crate::model::pages::Page;
use crate::render::blocks::{DiagramKind, TableKind};
use crate::render::diagrams::DiagramRef;
use crate::render::output::Output;
use crate::render::{fleet_tables, markdown, status_tables, theme, Ctx};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Serialize)]
struct SiteInfo {
    title: String,
    fleet: String,
    owner: Option<String>,
    url: Option<String>,
    generated: String,
    generated_date: String,
    version: &'static str,
    status: String,
    status_known: bool,
}

#[derive(Serialize, Clone)]
struct Card {
    title: String,
    kind: &'static str,
    summary: Option<String>,
    owner: Option<String>,
    updated: Option<String>,
    review: Option<String>,
    overdue: bool,
    tags: Vec<String>,
    href: String,
    public: bool,
    poster: Option<String>,
}

#[derive(Serialize)]
struct TocEntry {
    level: u8,
    text: String,
    anchor: String,
}

#[derive(Serialize)]
struct HostNav {
    name: String,
    href: String,
}

fn card(p: &Page, ctx: &Ctx) -> Card {
    let fm = &p.source.front;
    Card {
        title: p.title.clone(),
        kind: fm.kind.as_str(),
        summary: fm.summary.clone(),
        owner: fm.owner.clone(),
        updated: fm.updated.map(|d| d.to_string()),
        review: fm.review.map(|d| d.to_string()),
        overdue: fm.review.is_some_and(|r| r < ctx.now.date_naive()),
        tags: fm.tags.clone(),
        href: p.url.clone(),
        public: fm.classification == Classification::Public,
        poster: None,
    }
}

fn base_context(ctx: &Ctx, root: &str) -> tera::Context {
    let mut c = tera::Context::new();
    c.insert(
        "site",
        &SiteInfo {
            title: ctx.site_title(),
            fleet: ctx.fleet.name.clone(),
            owner: ctx.fleet.owner.clone(),
            url: ctx.settings.url.clone(),
            generated: ctx.now.format("%Y-%m-%d %H:%M UTC").to_string(),
            generated_date: ctx.now.format("%Y-%m-%d").to_string(),
            version: env!("CARGO_PKG_VERSION"),
            status: status_tables::summary(ctx.fleet, ctx.an),
            status_known: ctx.an.observed.has_data(),
        },
    );
    c.insert("root", root);
    let hosts: Vec<HostNav> = ctx
        .fleet
        .hosts
        .iter()
        .enumerate()
        .map(|(h, x)| HostNav {
            name: x.name.clone(),
            href: fleet_tables::host_href(ctx.fleet, h),
        })
        .collect();
    c.insert("hosts", &hosts);
    c
}

fn render_template(
    t: &tera::Tera,
    name: &str,
    c: &tera::Context,
    diags: &mut Diagnostics,
) -> String {
    t.render(name, c).unwrap_or_else(|e| {
        diags.error(
            Loc::file_start(format!("templates/{name}")),
            format!("template error: {}", theme::chain(&e)),
        );
        String::new()
    })
}

fn table_html(ctx: &Ctx, kind: TableKind, host: Option<usize>, root: &str) -> String {
    let (_, default) = kind.columns();
    fleet_tables::table(kind, default, host, ctx.fleet, ctx.an).to_html(root)
}

/// Render every file of the site into memory.
pub fn render(
    ctx: &Ctx,
    tera: &tera::Tera,
    assets: &[(String, std::path::PathBuf)],
    diags: &mut Diagnostics,
) -> Output {
    let mut out = Output::default();
    // Pages, in parallel; results and diagnostics are gathered in page order.
    let rendered: Vec<(String, String, Vec<DiagramRef>, Diagnostics)> = ctx
        .pages
        .par_iter()
        .map(|p| {
            let mut d = Diagnostics::new();
            let body = markdown::render(p, ctx, &mut d);
            let root = p.root();
            let mut c = base_context(ctx, &root);
            c.insert("page", &card(p, ctx));
            c.insert("content", &body.html);
            c.insert(
                "source",
                &p.source.shown.to_string_lossy().replace('\\', "/"),
            );
            let toc: Vec<TocEntry> = p
                .headings
                .iter()
                .filter(|h| h.level == 2 || h.level == 3)
                .map(|h| TocEntry {
                    level: h.level,
                    text: h.text.clone(),
                    anchor: h.anchor.clone(),
                })
                .collect();
            c.insert("toc", &toc);
            let html = render_template(tera, "page.html", &c, &mut d);
            (format!("{}index.html", p.url), html, body.diagrams, d)
        })
        .collect();
    let mut diagrams: BTreeSet<DiagramRef> = BTreeSet::new();
    for (path, html, ds, d) in rendered {
        out.bytes(path, html);
        diagrams.extend(ds);
        diags.extend(d);
    }

    // Topic list.
    let mut cards: Vec<Card> = ctx.pages.iter().map(|p| card(p, ctx)).collect();
    cards.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.title.cmp(&b.title)));
    let mut c = base_context(ctx, "");
    c.insert("pages", &cards);
    out.bytes("index.html", render_template(tera, "index.html", &c, diags));

    // Fleet overview.
    let root = "../";
    let topo = DiagramRef::new(DiagramKind::Topology, None, ctx.fleet);
    let mut c = base_context(ctx, root);
    c.insert(
        "topology",
        &crate::render::diagrams::figure_html(&topo, root, ctx),
    );
    diagrams.insert(topo);
    for (name, kind) in [
        ("hosts_table", TableKind::Hosts),
        ("services_table", TableKind::Services),
        ("routes_table", TableKind::Routes),
        ("links_table", TableKind::Links),
        ("redundancy_table", TableKind::Redundancy),
        ("status_table", TableKind::Status),
        ("drift_table", TableKind::Drift),
        ("contacts_table", TableKind::Contacts),
        ("layers_table", TableKind::Layers),
    ] {
        c.insert(name, &table_html(ctx, kind, None, root));
    }
    c.insert("has_layers", &!ctx.fleet.layers.is_empty());
    out.bytes(
        "fleet/index.html",
        render_template(tera, "fleet.html", &c, diags),
    );

    // One page per host.
    for (h, host) in ctx.fleet.hosts.iter().enumerate() {
        let root = "../../";
        let d = DiagramRef::new(DiagramKind::Host, Some(h), ctx.fleet);
        let mut c = base_context(ctx, root);
        c.insert("host", &host_info(ctx, h));
        c.insert(
            "diagram",
            &crate::render::diagrams::figure_html(&d, root, ctx),
        );
        diagrams.insert(d);
        c.insert(
            "services_table",
            &table_html(ctx, TableKind::Services, Some(h), root),
        );
        c.insert(
            "links_table",
            &table_html(ctx, TableKind::Links, Some(h), root),
        );
        c.insert(
            "status_table",
            &table_html(ctx, TableKind::Status, Some(h), root),
        );
        c.insert(
            "redundancy_table",
            &table_html(ctx, TableKind::Redundancy, Some(h), root),
        );
        out.bytes(
            format!("hosts/{}/index.html", host.id),
            render_template(tera, "host.html", &c, diags),
        );
    }

    crate::render::diagrams::write_all(&diagrams, ctx, &mut out, diags);

    // 404, sitemap, feed.
    let c = base_context(ctx, "");
    out.bytes("404.html", render_template(tera, "404.html", &c, diags));
    let mut c = base_context(ctx, "");
    c.insert("pages", &cards);
    let mut urls: Vec<String> = vec![String::new(), "fleet/".into()];
    urls.extend(ctx.fleet.hosts.iter().map(|h| format!("hosts/{}/", h.id)));
    urls.extend(ctx.pages.iter().map(|p| p.url.clone()));
    c.insert("urls", &urls);
    out.bytes(
        "sitemap.xml",
        render_template(tera, "sitemap.xml", &c, diags),
    );
    out.bytes("feed.xml", render_template(tera, "feed.xml", &c, diags));

    // Built-in assets, then the project's own on top; then files beside the pages.
    for (name, data) in theme::ASSETS {
        out.bytes(format!("assets/{name}"), data.to_vec());
    }
    for (rel, path) in assets {
        out.copy(format!("assets/{rel}"), path.clone());
    }
    for (rel, path) in ctx.statics_files {
        out.copy(rel.clone(), path.clone());
    }
    out
}

#[derive(Serialize)]
struct HostInfo {
    id: String,
    name: String,
    address: String,
    role: Option<String>,
    provider: Option<String>,
    region: Option<String>,
    contact: Option<String>,
    rebuild: Option<String>,
    storage: Option<String>,
    not_running: Vec<String>,
    services: usize,
}

fn host_info(ctx: &Ctx, h: usize) -> HostInfo {
    let x = &ctx.fleet.hosts[h];
    HostInfo {
        id: x.id.to_string(),
        name: x.name.clone(),
        address: x.address.to_string(),
        role: x.role.clone(),
        provider: x.provider.clone(),
        region: x.region.clone(),
        contact: x.contact.clone(),
        rebuild: x.rebuild.clone(),
        storage: x.storage.clone(),
        not_running: x.not_running.clone(),
        services: ctx.fleet.services_on(h).count(),
    }
}
