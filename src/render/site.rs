//! Assembles the whole site: topic list, one page per Markdown file (rendered in parallel),
//! the fleet overview, one page per host, diagrams, sitemap, feed, 404 and assets.

use crate::diag::{Diagnostics, Loc};
use crate::load::pages::{Classification, PageKind};
use crate::model::blocks::DiagramKind;
use crate::model::columns::TableKind;
use crate::model::pages::Page;
use crate::model::site::PageRefs;
use crate::render::cache::{key_of, CachedPage, RenderCache};
use crate::render::diagrams::{DiagramRef, Drawn};
use crate::render::output::{Output, Sink};
use crate::render::{
    fleet_pages, fleet_tables, markdown, search, status_tables, tables, theme, Ctx,
};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

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
    /// `up`, `down`, `stale` or `unknown`: how the status line is styled.
    status_state: &'static str,
    /// The feed's id: the site URL when set, else a URN of this site's own (see `feed_id`).
    feed_id: String,
}

/// A feed id that stays the same for this site and differs from other sites' when there is
/// no `url:` (a shared `urn:fleetdoc:site` made every such feed one feed to a reader):
/// FNV-1a of the title, fleet name and owner, stable across versions.
fn feed_id(ctx: &Ctx) -> String {
    if let Some(url) = &ctx.settings.url {
        return format!("{url}/");
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let text = format!(
        "{}\n{}\n{}",
        ctx.site_title(),
        ctx.fleet.name,
        ctx.fleet.owner.as_deref().unwrap_or("")
    );
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("urn:fleetdoc:site:{h:016x}")
}

#[derive(Serialize, Clone, Hash)]
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
    poster_svg: Option<String>,
    /// 1200x630: og:image and the topic list's thumbnail.
    card_image: Option<String>,
    /// The last commit that changed the page's source: its day and short id.
    changed: Option<String>,
    changed_id: Option<String>,
    /// The page's source in the forge's editor (`repo:`).
    edit: Option<String>,
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

/// The page's source file as a path of the project (`content/a/b.md`).
fn source_path(p: &Page) -> String {
    format!("content/{}", p.source.rel)
}

/// The last commit that changed a page's source, when git knows it.
fn last_change<'a>(p: &Page, ctx: &Ctx<'a>) -> Option<&'a crate::load::git::Commit> {
    ctx.git?.last_change_of(&source_path(p))
}

/// The "Edit this page" address of a page's source, when `repo:` is set.
fn edit_url(p: &Page, ctx: &Ctx) -> Option<String> {
    let repo = ctx.settings.repo.as_ref()?;
    let prefix = match (&repo.path, ctx.git) {
        (Some(path), _) => path.as_str(),
        (None, Some(g)) => g.prefix.as_str(),
        (None, None) => "",
    };
    Some(format!(
        "{}/{}/{}/{}",
        repo.url,
        repo.forge.edit_part(),
        crate::model::links::encode_path(&repo.branch),
        crate::model::links::encode_path(&format!("{prefix}{}", source_path(p)))
    ))
}

/// How a page shows its poster: its page rendition (the poster without its diagram, which
/// the page itself shows readably; `poster-<page>-page.png`, drawn from the `.svg` beside it), never narrower than keeps its
/// smallest text at 9 px (below that its box scrolls sideways, as an inline diagram's does;
/// on a phone only the link to the full size is shown, see style.css).
#[derive(Serialize)]
struct PosterFigure {
    src: String,
    /// The page has a diagram, which the full poster holds and this rendition leaves out.
    without_diagram: bool,
    width: f32,
    height: f32,
    min_width: f32,
}

/// The poster a page shows: [`crate::render::figures::poster`] without its diagram.
fn page_poster(p: &Page, ctx: &Ctx) -> fleetdoc_diagram::Svg {
    let poster = fleetdoc_diagram::Poster {
        diagram: None,
        ..crate::render::figures::poster(p, None, ctx)
    };
    fleetdoc_diagram::render_poster(&poster)
}

fn poster_figure(p: &Page, refs: &PageRefs, ctx: &Ctx) -> PosterFigure {
    let svg = page_poster(p, ctx);
    PosterFigure {
        without_diagram: refs.diagrams().next().is_some(),
        src: crate::model::links::encode_path(&format!("diagrams/poster-{}-page.png", p.stem())),
        width: svg.width.round(),
        height: svg.height.round(),
        min_width: svg.readable_width(fleetdoc_diagram::MIN_READABLE_PX),
    }
}

fn card(p: &Page, ctx: &Ctx) -> Card {
    let fm = &p.source.front;
    let changed = last_change(p, ctx);
    Card {
        title: p.title.clone(),
        kind: fm.kind.as_str(),
        summary: fm.summary.clone(),
        owner: fm.owner.clone(),
        updated: fm.updated.map(|d| d.to_string()),
        review: fm.review.map(|d| d.to_string()),
        overdue: fm.review.is_some_and(|r| r < ctx.now.date_naive()),
        tags: fm.tags.clone(),
        href: crate::model::links::encode_path(&p.url),
        public: fm.classification == Classification::Public,
        poster: (fm.kind == PageKind::Explainer).then(|| {
            crate::model::links::encode_path(&format!("diagrams/poster-{}.png", p.stem()))
        }),
        poster_svg: (fm.kind == PageKind::Explainer).then(|| {
            crate::model::links::encode_path(&format!("diagrams/poster-{}.svg", p.stem()))
        }),
        card_image: (fm.kind == PageKind::Explainer)
            .then(|| crate::model::links::encode_path(&format!("diagrams/card-{}.png", p.stem()))),
        changed: changed.map(|c| c.date()),
        changed_id: changed.map(|c| c.short.clone()),
        edit: edit_url(p, ctx),
    }
}

pub(super) fn base_context(ctx: &Ctx, root: &str) -> tera::Context {
    let (site, hosts) = ctx.chrome.get_or_init(|| chrome_values(ctx));
    let mut c = tera::Context::new();
    c.insert("site", site);
    c.insert("root", root);
    c.insert("public", &!ctx.site.fleet_pages);
    c.insert("fleet_pages", &ctx.site.fleet_pages);
    if ctx.template_hosts {
        c.insert("hosts", hosts);
    }
    c.insert("host_count", &ctx.fleet.hosts.len());
    c.insert("has_incidents", &!ctx.site.incidents.is_empty());
    c.insert(
        "has_availability",
        &crate::render::availability::has_page(ctx),
    );
    // A site without host pages (the public profile) shows no host links.
    let nav = if ctx.site.fleet_pages {
        host_nav(ctx, root)
    } else {
        String::new()
    };
    c.insert("host_nav", &nav);
    c
}

/// How many hosts the header links by name; a bigger fleet gets a link to all of them on
/// the fleet page instead, so no page repeats every host.
pub const HEADER_HOSTS: usize = 6;

/// The header's host links for a page at `root`, made once per root: the first
/// [`HEADER_HOSTS`] hosts, then "all N hosts" (the fleet page's host table) when there are
/// more.
fn host_nav(ctx: &Ctx, root: &str) -> String {
    let mut made = ctx.host_nav.lock().unwrap_or_else(|e| e.into_inner());
    made.entry(root.to_string())
        .or_insert_with(|| {
            let root = tables::esc(root);
            let hosts = &ctx.fleet.hosts;
            let mut nav: String = hosts
                .iter()
                .enumerate()
                .take(HEADER_HOSTS)
                .map(|(h, x)| {
                    format!(
                        "<a class=\"host-link\" href=\"{root}{}\">{}</a>",
                        tables::esc(&fleet_tables::host_href(ctx.fleet, h)),
                        tables::esc(&x.name)
                    )
                })
                .collect();
            if hosts.len() > HEADER_HOSTS {
                nav.push_str(&format!(
                    "<a class=\"host-link all-hosts\" href=\"{root}fleet/#hosts\">all {} hosts</a>",
                    hosts.len()
                ));
            }
            nav
        })
        .clone()
}

/// The site information and host navigation every page shows, converted to template
/// values once per build (they were a visible share of rendering 10,000 pages).
fn chrome_values(ctx: &Ctx) -> (tera::Value, tera::Value) {
    let site = SiteInfo {
        title: ctx.site_title(),
        fleet: ctx.fleet.name.clone(),
        owner: ctx.fleet.owner.clone(),
        url: ctx.settings.url.clone(),
        generated: ctx.now.format("%Y-%m-%d %H:%M UTC").to_string(),
        generated_date: ctx.now.format("%Y-%m-%d").to_string(),
        version: env!("CARGO_PKG_VERSION"),
        status: status_tables::summary(ctx.fleet, ctx.an),
        status_known: ctx.an.observed.has_data(),
        status_state: status_tables::summary_health(ctx.fleet, ctx.an).as_str(),
        feed_id: feed_id(ctx),
    };
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
    (
        tera::to_value(&site).unwrap_or_default(),
        tera::to_value(&hosts).unwrap_or_default(),
    )
}

pub(super) fn render_template(
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

pub(super) fn table_html(ctx: &Ctx, kind: TableKind, host: Option<usize>, root: &str) -> String {
    let mut table = fleet_tables::table(&kind.spec(None), host, ctx.fleet, ctx.an);
    // A host page's own services table is where `hosts/<id>/#service-<id>` lands: the
    // services of that host, in the table's order.
    if let (TableKind::Services, Some(h)) = (kind, host) {
        table.row_ids = ctx
            .fleet
            .services
            .iter()
            .filter(|s| s.hosts.contains(&h))
            .map(|s| format!("service-{}", s.id))
            .collect();
    }
    table.to_html(root)
}

/// What whole groups of outputs depend on, hashed once per build (see `cache.rs`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Keys {
    pub templates: u64,
    pub chrome: u64,
    pub fleet: u64,
    pub statics: u64,
}

impl Keys {
    pub fn new(ctx: &Ctx, templates: &[(String, String)]) -> Self {
        let hosts: Vec<(&str, &str)> = ctx
            .fleet
            .hosts
            .iter()
            .map(|h| (h.id.as_str(), h.name.as_str()))
            .collect();
        Keys {
            templates: key_of(templates),
            chrome: key_of(&(
                ctx.site_title(),
                &ctx.fleet.name,
                &ctx.fleet.owner,
                &ctx.settings.url,
                hosts,
                status_tables::summary(ctx.fleet, ctx.an),
                ctx.now.date_naive().to_string(),
                // The header links the incidents page; banners and rows show open ones.
                &ctx.site.incidents,
                // ... and the availability page, when a target is set.
                crate::render::availability::has_page(ctx),
            )),
            // The fleet is what its topology files say (the key) plus what the probes
            // observed; only a fleet without a key (built in tests) is hashed whole.
            fleet: if ctx.fleet_key != 0 && ctx.an.observed.key != 0 {
                key_of(&(ctx.fleet_key, ctx.site.fleet_pages, ctx.an.observed.key))
            } else if ctx.fleet_key != 0 {
                key_of(&(
                    ctx.fleet_key,
                    ctx.site.fleet_pages,
                    format!("{:?}", ctx.an.observed),
                ))
            } else {
                key_of(&format!(
                    "{:?}{:?}{}",
                    ctx.fleet, ctx.an, ctx.site.fleet_pages
                ))
            },
            statics: key_of(&ctx.site.statics),
        }
    }

    /// A page's key: its own text, the chrome, the templates, what it links to, and the
    /// fleet only when it shows fleet data.
    fn page(&self, p: &Page, refs: &PageRefs, ctx: &Ctx) -> u64 {
        // The resolved links say which pages it points at; their URLs are what it shows.
        let urls: Vec<&str> = refs
            .links
            .iter()
            .filter_map(|(_, t)| match t {
                crate::model::links::Target::Page { page, .. } => {
                    Some(ctx.pages[*page].url.as_str())
                }
                _ => None,
            })
            .collect();
        key_of(&(
            p.text_key,
            last_change(p, ctx),
            edit_url(p, ctx),
            self.templates,
            self.chrome,
            self.statics,
            refs,
            urls,
            // Names in commands link by host id: they follow the fleet too.
            if p.uses_fleet || !refs.commands.is_empty() {
                self.fleet
            } else {
                0
            },
        ))
    }
}

/// Each page's previous and next page in its section (the folder its URL is in), in the
/// order the pages are read (by source path): indexes into `pages`.
fn neighbours(pages: &[std::sync::Arc<Page>]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut out = vec![(None, None); pages.len()];
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        let url = p.url.trim_end_matches('/');
        let section = url.rfind('/').map_or("", |at| &url[..at]);
        if let Some(prev) = last.insert(section, i) {
            out[i].0 = Some(prev);
            out[prev].1 = Some(i);
        }
    }
    out
}

/// [`neighbours`] of page `i` alone.
fn neighbours_of(pages: &[std::sync::Arc<Page>], i: usize) -> (Option<usize>, Option<usize>) {
    fn section(p: &Page) -> &str {
        let url = p.url.trim_end_matches('/');
        url.rfind('/').map_or("", |at| &url[..at])
    }
    let own = section(&pages[i]);
    let prev = (0..i).rev().find(|&j| section(&pages[j]) == own);
    let next = (i + 1..pages.len()).find(|&j| section(&pages[j]) == own);
    (prev, next)
}

/// One page's output: its path, the page (from `cache` when its key is unchanged) and
/// whether it was rendered now.
fn page_output(
    ctx: &Ctx,
    tera: &tera::Tera,
    keys: &Keys,
    p: &Page,
    refs: &PageRefs,
    (prev, next): (Option<usize>, Option<usize>),
    cache: &RenderCache,
) -> (String, CachedPage, bool) {
    let path = format!("{}index.html", p.url);
    let (prev, next) = (prev.map(|i| &*ctx.pages[i]), next.map(|i| &*ctx.pages[i]));
    let shown = |n: Option<&Page>| n.map(|n| (n.url.clone(), n.title.clone()));
    let key = key_of(&(keys.page(p, refs, ctx), shown(prev), shown(next)));
    match cache.page(&path, key) {
        Some(hit) => (path, hit, false),
        None => {
            let mut fresh = render_page(p, refs, ctx, tera, (prev, next));
            fresh.key = key;
            (path, fresh, true)
        }
    }
}

/// Page `i` exactly as [`render`] makes it (the same key; reused from `cache` or rendered
/// and kept there), without the rest of the site: `watch` renders one page this way when an
/// edit changed its text and nothing other outputs show of it.
pub fn render_one(
    ctx: &Ctx,
    tera: &tera::Tera,
    keys: &Keys,
    i: usize,
    cache: &mut RenderCache,
) -> (String, CachedPage) {
    let (path, page, fresh) = page_output(
        ctx,
        tera,
        keys,
        &ctx.pages[i],
        &ctx.site.refs[i],
        neighbours_of(ctx.pages, i),
        cache,
    );
    if fresh {
        cache.put_page(path.clone(), page.clone());
    }
    (path, page)
}

/// A neighbour page as the template shows it.
#[derive(serde::Serialize)]
struct NavLink<'a> {
    title: &'a str,
    href: &'a str,
}

fn nav_link(n: &Page) -> NavLink<'_> {
    NavLink {
        title: &n.title,
        href: &n.url,
    }
}

fn render_page(
    p: &Page,
    refs: &PageRefs,
    ctx: &Ctx,
    tera: &tera::Tera,
    (prev, next): (Option<&Page>, Option<&Page>),
) -> CachedPage {
    let mut d = Diagnostics::new();
    let body = markdown::render(p, refs, ctx);
    let root = p.root();
    let mut c = base_context(ctx, &root);
    if let Some(prev) = prev {
        c.insert("prev", &nav_link(prev));
    }
    if let Some(next) = next {
        c.insert("next", &nav_link(next));
    }
    c.insert("page", &card(p, ctx));
    c.insert("outdated", &refs.outdated);
    if p.source.front.kind == PageKind::Explainer {
        c.insert("poster", &poster_figure(p, refs, ctx));
    }
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
    // Every page's text is kept until the search index is made: without spare capacity.
    let mut text = body.text;
    for s in &mut text.sections {
        s.text.shrink_to_fit();
    }
    text.sections.shrink_to_fit();
    CachedPage {
        key: 0,
        html: html.into(),
        diagrams: body.diagrams,
        diags: d,
        text: std::sync::Arc::new(text),
    }
}

/// A page that lists every page (topic list, feed, sitemap) or none (404): its key, and
/// its bytes when it had to be made.
struct Listing {
    path: &'static str,
    key: u64,
    made: Option<(Vec<u8>, Diagnostics)>,
}

/// The topic list, sitemap, feed and 404 page, made unless `cache` holds them.
/// With `give_back`, the memory each list needed while it was made goes back to the
/// system after it (see `base::memory`).
fn listings(
    ctx: &Ctx,
    tera: &tera::Tera,
    keys: &Keys,
    cache: &RenderCache,
    give_back: bool,
) -> Vec<Listing> {
    let (cards, urls) = (cards(ctx), site_urls(ctx));
    let cards_key = key_of(&(keys.templates, keys.chrome, &cards));
    let urls_key = key_of(&(
        cards_key,
        &urls,
        lastmods(ctx),
        crate::render::changes::feed_entries(ctx),
    ));
    let wanted: Vec<(&'static str, u64)> = [
        ("index.html", cards_key),
        ("sitemap.xml", urls_key),
        ("feed.xml", urls_key),
        ("404.html", key_of(&(keys.templates, keys.chrome))),
    ]
    .into_iter()
    // A sitemap holds absolute addresses only: without `url:` there is none to write.
    .filter(|(path, _)| *path != "sitemap.xml" || ctx.settings.url.is_some())
    .collect();
    // The lists of every page one after the other, from one context: the cards are copied
    // into a template's context whole, and at 10,000 pages three copies made at once were
    // the peak of the build. The 404 page, which lists nothing, beside them.
    let (lists, not_found): (Vec<_>, Vec<_>) = wanted
        .into_iter()
        .partition(|(path, _)| *path != "404.html");
    let made_lists = || {
        let mut c = None;
        lists
            .into_iter()
            .map(|(path, key)| {
                let made = (!cache.has(path, key)).then(|| {
                    let c = c.get_or_insert_with(|| {
                        let mut c = base_context(ctx, "");
                        c.insert("pages", &cards);
                        c
                    });
                    let mut d = Diagnostics::new();
                    let made = (listing_in(c, ctx, tera, path, &urls, &mut d), d);
                    if give_back {
                        crate::base::memory::give_back_freed();
                    }
                    made
                });
                Listing { path, key, made }
            })
            .collect::<Vec<_>>()
    };
    let made_404 = || {
        not_found
            .into_iter()
            .map(|(path, key)| {
                let made = (!cache.has(path, key)).then(|| {
                    let mut d = Diagnostics::new();
                    (listing(ctx, tera, path, &cards, &urls, &mut d), d)
                });
                Listing { path, key, made }
            })
            .collect::<Vec<_>>()
    };
    let (mut listed, not_found) = rayon::join(made_lists, made_404);
    listed.extend(not_found);
    listed
}

/// Every page's card, newest first.
fn cards(ctx: &Ctx) -> Vec<Card> {
    let mut cards: Vec<Card> = ctx.pages.iter().map(|p| card(p, ctx)).collect();
    cards.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.title.cmp(&b.title)));
    cards
}

/// Every page URL of the site, for the sitemap.
fn site_urls(ctx: &Ctx) -> Vec<String> {
    use crate::model::links::encode_path;
    let mut urls: Vec<String> = vec![String::new()];
    if ctx.site.fleet_pages {
        urls.push("fleet/".into());
        urls.push("fleet/changes/".into());
        urls.extend(ctx.fleet.hosts.iter().map(|h| format!("hosts/{}/", h.id)));
    }
    if !ctx.site.incidents.is_empty() {
        urls.push("incidents/".into());
    }
    if crate::render::availability::has_page(ctx) {
        urls.push("availability/".into());
    }
    urls.extend(ctx.pages.iter().map(|p| encode_path(&p.url)));
    urls
}

/// The sitemap's `<lastmod>` by `/` and the URL, for each URL that has one
/// (docs/changes.md): for a page the
/// newer of its front matter's `updated` and its source's last commit; for the fleet, changes
/// and host pages the topology's last commit; for the topic list the newest of all.
fn lastmods(ctx: &Ctx) -> std::collections::BTreeMap<String, String> {
    use crate::model::links::encode_path;
    let mut out = std::collections::BTreeMap::new();
    for p in ctx.pages.iter() {
        let updated = p.source.front.updated.map(|d| d.to_string());
        let changed = last_change(p, ctx).map(|c| c.date());
        if let Some(d) = updated.into_iter().chain(changed).max() {
            out.insert(format!("/{}", encode_path(&p.url)), d);
        }
    }
    if ctx.site.fleet_pages {
        let topology = ctx
            .git
            .and_then(|g| g.topology.first().map(|s| g.commits[s.commit].date()));
        if let Some(d) = topology {
            out.insert("/fleet/".into(), d.clone());
            out.insert("/fleet/changes/".into(), d.clone());
            for h in &ctx.fleet.hosts {
                out.insert(format!("/hosts/{}/", h.id), d.clone());
            }
        }
    }
    if let Some(newest) = out.values().max().cloned() {
        out.insert("/".into(), newest);
    }
    out
}

/// Renders one of the [`listings`].
fn listing(
    ctx: &Ctx,
    tera: &tera::Tera,
    path: &str,
    cards: &[Card],
    urls: &[String],
    d: &mut Diagnostics,
) -> Vec<u8> {
    let mut c = base_context(ctx, "");
    if path != "404.html" {
        c.insert("pages", cards);
    }
    listing_in(&mut c, ctx, tera, path, urls, d)
}

/// Renders one of the [`listings`] from `c`, the base context (with the cards as `pages`
/// for all but the 404 page), and what this one adds to it; takes that out again, so
/// that the next listing can start from `c`.
fn listing_in(
    c: &mut tera::Context,
    ctx: &Ctx,
    tera: &tera::Tera,
    path: &str,
    urls: &[String],
    d: &mut Diagnostics,
) -> Vec<u8> {
    let mut added = Vec::new();
    if path == "index.html" {
        c.insert(
            "incident_banner",
            &crate::render::incidents::banner(ctx, "", None),
        );
        added.push("incident_banner");
    }
    if path != "index.html" && path != "404.html" {
        c.insert("urls", urls);
        added.push("urls");
    }
    if path == "sitemap.xml" {
        c.insert("lastmod", &lastmods(ctx));
        added.push("lastmod");
    }
    if path == "feed.xml" {
        c.insert("changes", &crate::render::changes::feed_entries(ctx));
        added.push("changes");
    }
    let bytes = render_template(tera, path, c, d).into_bytes();
    for key in added {
        c.remove(key);
    }
    bytes
}

/// Render every file of the site, reusing from `cache` every output whose inputs did not
/// change. With a `sink`, pages (and the search index) go to it as they are rendered and
/// are not kept, here or in `cache`: the returned `Output` holds the rest of the site, and
/// the count is how many files went to the sink. Without one, everything is returned.
#[allow(clippy::too_many_arguments)]
pub fn render(
    ctx: &Ctx,
    tera: &tera::Tera,
    keys: &Keys,
    assets: &[(String, std::path::PathBuf)],
    cache: &mut RenderCache,
    sink: Option<&dyn Sink>,
    diags: &mut Diagnostics,
) -> (Output, usize) {
    let mut out = Output::default();
    // Paths handed to the sink: a file of content/ must not replace one of them either.
    let mut streamed: std::collections::HashSet<String> = std::collections::HashSet::new();
    // Pages, in parallel; results and diagnostics are gathered in page order. Beside them,
    // the fleet overview's topology PNG (the largest picture, and it depends on no page).
    let early_topology = ctx.site.fleet_pages && !cache.defer_png;
    let blame = crate::render::diagrams::blame_in(ctx);
    let shared: &RenderCache = cache;
    // The search index's files go to the sink as they are made, from the pages' runs on.
    let index_paths = std::sync::Mutex::new(Vec::new());
    let put_index = |path: String, bytes: bytes::Bytes| {
        if let Some(sink) = sink {
            sink.put(&path, &bytes);
            index_paths
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(path);
        }
    };
    let gather = search::Gather::new(&put_index);

    type Rendered = Vec<(String, CachedPage, bool)>;
    type PagesSide = (
        Rendered,
        SearchIndex,
        fleet_pages::Prerendered,
        Vec<Listing>,
    );
    let ((rendered, search, pre, listed), early): (PagesSide, Vec<Drawn>) = rayon::join(
        || {
            let neighbours = neighbours(ctx.pages);
            let (pages, entries): (Rendered, Vec<search::Entry>) = match sink {
                Some(sink) => stream_pages(ctx, tera, keys, sink, &neighbours, &gather, shared),
                None => (
                    ctx.pages
                        .par_iter()
                        .zip(&ctx.site.refs)
                        .zip(&neighbours)
                        .map(|((p, refs), &nb)| page_output(ctx, tera, keys, p, refs, nb, shared))
                        .collect(),
                    Vec::new(),
                ),
            };
            // What the pages' sources held goes back before the lists of every page and the
            // rest of the search index are made (see `base::memory`): a one-off build frees
            // them as it writes the pages.
            if sink.is_some() {
                crate::base::memory::give_back_freed();
            }
            // The fleet and host pages (and their diagrams), also while the PNG is drawn.
            let pre = if early_topology {
                fleet_pages::prerender(ctx, tera)
            } else {
                fleet_pages::Prerendered::new()
            };
            // The search index, from what the pages show, beside the listings (topic list,
            // feed, sitemap): both also while the PNG is drawn.
            let (search, listed) = rayon::join(
                || match sink {
                    Some(_) => {
                        write_index(ctx, entries, gather);
                        crate::base::memory::give_back_freed();
                        let mut paths = index_paths.lock().unwrap_or_else(|e| e.into_inner());
                        SearchIndex::Written(std::mem::take(&mut *paths))
                    }
                    None => search_index(ctx, &pages, shared),
                },
                || listings(ctx, tera, keys, shared, sink.is_some()),
            );
            (pages, search, pre, listed)
        },
        || {
            if !early_topology {
                return Vec::new();
            }
            let topo = DiagramRef::new(DiagramKind::Topology, None, ctx.fleet);
            let svg = bytes::Bytes::from(ctx.diagram_svg(&topo));
            crate::render::diagrams::draw_pngs(
                vec![("diagrams/topology.png".into(), svg)],
                shared,
                &blame,
            )
        },
    );
    let mut diagrams: BTreeSet<DiagramRef> = BTreeSet::new();
    let mut pngs: Vec<crate::render::diagrams::PngJob> = Vec::new();
    for ((p, refs), _) in ctx.pages.iter().zip(&ctx.site.refs).zip(&rendered) {
        if p.source.front.kind == PageKind::Explainer {
            write_poster(
                p,
                refs,
                refs.diagrams().next(),
                ctx,
                keys,
                cache,
                &mut out,
                &mut pngs,
                diags,
            );
        }
    }
    let index = match search {
        SearchIndex::Written(paths) => {
            streamed.extend(paths);
            Vec::new()
        }
        SearchIndex::Made(key, files) => {
            cache.put_search(key, files.clone());
            files
        }
        SearchIndex::Cached => cache.search_files(),
        SearchIndex::Later(job) => {
            cache.deferred_search = Some(job);
            cache.search_files()
        }
    };
    // (With a sink the index was written as it was made: `index` is empty.)
    for (path, bytes) in index {
        out.bytes(path, bytes);
    }
    for (path, page, fresh) in rendered {
        diagrams.extend(page.diagrams.iter().cloned());
        diags.extend(page.diags.clone());
        if sink.is_some() {
            streamed.insert(path);
            continue;
        }
        out.bytes(path.clone(), page.html.clone());
        if fresh {
            cache.put_page(path, page);
        }
    }

    // Topic list, feed, sitemap and 404, made beside the pages; stored in page order.
    for l in listed {
        let Listing { path, key, made } = l;
        let bytes = cache.other(path, key, diags, |d| match made {
            Some((bytes, made_diags)) => {
                d.extend(made_diags);
                bytes
            }
            None => listing(ctx, tera, path, &cards(ctx), &site_urls(ctx), d),
        });
        out.bytes(path, bytes);
    }

    // The incidents page and the feed of incidents and drift (also in the public profile,
    // with public services' only). The feed depends on the observed drift too.
    let incidents_key = key_of(&(keys.templates, keys.chrome, "incidents"));
    if crate::render::incidents::has_feed(ctx) {
        let mut made = None;
        let mut paths = vec![crate::render::incidents::FEED];
        if !ctx.site.incidents.is_empty() {
            paths.insert(0, crate::render::incidents::PAGE);
        }
        for path in paths {
            let key = if path == crate::render::incidents::FEED {
                key_of(&(incidents_key, keys.fleet))
            } else {
                incidents_key
            };
            let bytes = cache.other(path, key, diags, |d| {
                let all = made.get_or_insert_with(|| {
                    let mut md = Diagnostics::new();
                    (crate::render::incidents::render(ctx, tera, &mut md), md)
                });
                d.extend(std::mem::take(&mut all.1));
                all.0
                    .iter()
                    .find(|(p, _)| *p == path)
                    .map(|(_, b)| b.clone())
                    .unwrap_or_default()
            });
            out.bytes(path, bytes);
        }
    }

    // The availability page and the badges: counts, status and incidents.
    let availability_key = key_of(&(
        keys.templates,
        keys.chrome,
        keys.fleet,
        &ctx.an.availability,
        &ctx.an.incidents,
    ));
    if crate::render::availability::has_page(ctx) {
        let bytes = cache.other(
            crate::render::availability::PAGE,
            availability_key,
            diags,
            |d| crate::render::availability::page(ctx, tera, d),
        );
        out.bytes(crate::render::availability::PAGE, bytes);
    }
    for s in crate::render::availability::shown_services(ctx) {
        let path = format!("badges/{}.svg", ctx.fleet.services[s].id);
        let bytes = cache.other(&path, availability_key, diags, |_| {
            crate::render::availability::badge_svg(ctx, s)
        });
        out.bytes(path, bytes);
    }

    // Fleet overview and host pages: the fleet and its status (not in the public profile).
    // PNGs for the diagrams pages show and for the fleet overview's topology; host pages
    // show their SVG only.
    let mut png_for: BTreeSet<String> = diagrams.iter().map(|d| d.name.clone()).collect();
    if ctx.site.fleet_pages {
        png_for.insert("topology".into());
        // Lay out every diagram the fleet pages need in parallel, unless cached.
        let mut wanted: Vec<DiagramRef> = (0..ctx.fleet.hosts.len())
            .map(|h| DiagramRef::new(DiagramKind::Host, Some(h), ctx.fleet))
            .collect();
        wanted.push(DiagramRef::new(DiagramKind::Topology, None, ctx.fleet));
        wanted.retain(|d| !cache.has(&format!("diagrams/{}.svg", d.name), keys.fleet));
        wanted.par_iter().for_each(|d| {
            ctx.diagram_svg(d);
        });
        fleet_pages::fleet_pages(ctx, tera, keys, cache, &mut out, &mut diagrams, pre, diags);
    }
    pngs.extend(crate::render::diagrams::write_all(
        &diagrams, &png_for, ctx, keys.fleet, cache, &mut out, diags,
    ));
    crate::render::diagrams::rasterize_all(pngs, early, cache, &mut out, &blame, diags);

    // Built-in assets, then the project's own on top; then files beside the pages.
    for (name, data) in theme::ASSETS {
        out.bytes(format!("assets/{name}"), data.to_vec());
    }
    // The diagrams' font, for `@font-face` in style.css, with its licence.
    for f in &fleetdoc_diagram::WEB_FONTS {
        out.bytes(format!("assets/fonts/{}", f.file), f.bytes);
    }
    out.bytes(
        "assets/fonts/LICENSE-DejaVu.txt".to_string(),
        &include_bytes!("../../assets/fonts/LICENSE-DejaVu.txt")[..],
    );
    for (rel, path) in assets {
        out.copy(format!("assets/{rel}"), path.clone());
    }
    for (rel, path) in &ctx.site.statics {
        out.static_file(rel, path, streamed.contains(rel.as_str()), diags);
    }
    cache.retain(|p| out.files.contains_key(p) || streamed.contains(p));
    (out, streamed.len())
}

/// Renders every page into `sink`, in runs of [`search::RUN`] pages: the runs in about
/// their order (so the search index can write each run's sections soon after), and the
/// pages of a run in parallel. When a run's pages are rendered, their words go to
/// `gather` and their texts are dropped, with the pages and their sources; the last runs
/// keep their texts for [`write_index`] (see [`search::counted_while_rendering`]). Returns
/// what stays of each page, and its search entry, in page order.
fn stream_pages(
    ctx: &Ctx,
    tera: &tera::Tera,
    keys: &Keys,
    sink: &dyn Sink,
    neighbours: &[(Option<usize>, Option<usize>)],
    gather: &search::Gather,
    cache: &RenderCache,
) -> (Vec<(String, CachedPage, bool)>, Vec<search::Entry>) {
    let counted = search::counted_while_rendering(ctx.pages.len().div_ceil(search::RUN));
    let mut runs: Vec<_> = ctx
        .pages
        .chunks(search::RUN)
        .zip(ctx.site.refs.chunks(search::RUN))
        .zip(neighbours.chunks(search::RUN))
        .enumerate()
        .par_bridge()
        .map(|(r, ((pages, refs), nbs))| {
            let mut rendered: Vec<(String, CachedPage, bool)> = pages
                .par_iter()
                .zip(refs)
                .zip(nbs)
                .map(|((p, refs), &nb)| {
                    let (path, mut page, fresh) = page_output(ctx, tera, keys, p, refs, nb, cache);
                    sink.put(&path, &page.html);
                    page.html = bytes::Bytes::new();
                    p.source.text.release();
                    (path, page, fresh)
                })
                .collect();
            let mut entries: Vec<search::Entry> = pages
                .iter()
                .zip(refs)
                .zip(&mut rendered)
                .map(|((p, refs), (_, page, _))| {
                    search::page_entry(p, refs, ctx, std::mem::take(&mut page.text))
                })
                .collect();
            if r < counted {
                gather.add(r as u32, search::Run::of(r * search::RUN, &entries));
                for e in &mut entries {
                    e.text = Default::default();
                }
            }
            (r, rendered, entries)
        })
        .collect();
    runs.sort_unstable_by_key(|run| run.0);
    let mut pages = Vec::with_capacity(ctx.pages.len());
    let mut entries = Vec::with_capacity(ctx.pages.len());
    for (_, p, e) in runs {
        pages.extend(p);
        entries.extend(e);
    }
    (pages, entries)
}

/// Writes the rest of the search index from the pages' runs in `gather` (and their
/// `entries`), the runs [`stream_pages`] left to count, and the fleet's entries.
fn write_index(ctx: &Ctx, mut entries: Vec<search::Entry>, gather: search::Gather) {
    let runs = ctx.pages.len().div_ceil(search::RUN);
    let counted = search::counted_while_rendering(runs);
    let from = (counted * search::RUN).min(entries.len());
    gather.add_runs_dropping_texts(counted, from, &mut entries[from..]);
    if ctx.site.fleet_pages {
        let fleet = search::fleet_entries(ctx.fleet);
        // The fleet's runs are numbered on from the pages' runs.
        gather.add_runs(runs, entries.len(), &fleet);
        entries.extend(fleet);
    }
    gather.write(&entries, &search::Names::of(ctx.fleet));
}

/// What becomes of the search index in this build (see `search.rs`).
enum SearchIndex {
    /// Written into the build's sink as it was made: the files' paths.
    Written(Vec<String>),
    /// `cache` holds it for what the pages show now.
    Cached,
    /// Made now: its key and files.
    Made(u64, Vec<(String, bytes::Bytes)>),
    /// To be made after the browser has reloaded (`watch`); the last index stays meanwhile.
    Later(crate::render::search::Job),
}

fn search_index(
    ctx: &Ctx,
    pages: &[(String, CachedPage, bool)],
    cache: &RenderCache,
) -> SearchIndex {
    use crate::render::search;
    let mut entries: Vec<search::Entry> = ctx
        .pages
        .iter()
        .zip(&ctx.site.refs)
        .zip(pages)
        .map(|((p, refs), (_, page, _))| search::page_entry(p, refs, ctx, page.text.clone()))
        .collect();
    if ctx.site.fleet_pages {
        entries.extend(search::fleet_entries(ctx.fleet));
    }
    let key = key_of(&entries);
    if cache.has_search(key) {
        return SearchIndex::Cached;
    }
    let job = search::Job {
        key,
        entries,
        names: search::Names::of(ctx.fleet),
    };
    // Under `watch` an edit reaches the browser first; the first build makes it at once.
    if cache.defer_png && !cache.search_files().is_empty() {
        return SearchIndex::Later(job);
    }
    SearchIndex::Made(key, job.run())
}

/// An explainer's poster: SVG (the editable baseline) and PNG (card image, og:image).
#[allow(clippy::too_many_arguments)]
fn write_poster(
    p: &Page,
    refs: &PageRefs,
    first: Option<&DiagramRef>,
    ctx: &Ctx,
    keys: &Keys,
    cache: &mut RenderCache,
    out: &mut Output,
    pngs: &mut Vec<crate::render::diagrams::PngJob>,
    diags: &mut Diagnostics,
) {
    let svg_path = format!("diagrams/poster-{}.svg", p.stem());
    let key = key_of(&(keys.page(p, refs, ctx), keys.fleet, first));
    let card_path = format!("diagrams/card-{}.svg", p.stem());
    let svg = cache.other(&svg_path, key, diags, |_| {
        fleetdoc_diagram::render_poster(&crate::render::figures::poster(p, first, ctx))
            .text
            .into_bytes()
    });
    // What the page shows (see `page_poster`), drawn at 1x (see `diagrams::png_scale`).
    let page_path = format!("diagrams/poster-{}-page.svg", p.stem());
    let page_svg = cache.other(&page_path, key, diags, |_| {
        page_poster(p, ctx).text.into_bytes()
    });
    pngs.push((
        format!("diagrams/poster-{}-page.png", p.stem()),
        page_svg.clone(),
    ));
    out.bytes(page_path, page_svg);
    let card = cache.other(&card_path, key, diags, |_| {
        fleetdoc_diagram::render_card(&crate::render::figures::poster(p, first, ctx))
            .text
            .into_bytes()
    });
    pngs.push((format!("diagrams/poster-{}.png", p.stem()), svg.clone()));
    pngs.push((format!("diagrams/card-{}.png", p.stem()), card.clone()));
    out.bytes(svg_path, svg);
    out.bytes(card_path, card);
}
