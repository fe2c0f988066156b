//! Diagram references in pages: which diagram a block asks for, the file name it is written
//! under in `site/diagrams/`, and the figure that shows it on a page.

pub use crate::model::blocks::DiagramRef;
use crate::render::Ctx;
use bytes::Bytes;

/// A PNG to draw: its path in the site and the SVG it is drawn from.
pub type PngJob = (String, Bytes);

/// Where a problem with a drawn picture belongs, by the picture's path.
pub type Blame<'a> = &'a (dyn Fn(&str) -> crate::diag::Loc + Sync);

/// The input a picture of the site is drawn from: a poster's page, else the topology.
pub fn blame_in<'a>(ctx: &'a Ctx<'a>) -> impl Fn(&str) -> crate::diag::Loc + Sync + 'a {
    move |path: &str| {
        let stem = path
            .strip_prefix("diagrams/poster-")
            .and_then(|p| p.strip_suffix(".png"));
        if let Some(p) = stem.and_then(|s| ctx.pages.iter().find(|p| p.stem() == s)) {
            return crate::diag::Loc::file_start(&p.source.shown);
        }
        let topology = ctx
            .fleet
            .hosts
            .first()
            .map(|h| h.loc.file.clone())
            .unwrap_or_else(|| "content/fleet.yaml".into());
        crate::diag::Loc::file_start(topology)
    }
}

/// A diagram as drawn: its detail (the file `diagrams/<name>.svg`), and for a topology
/// too wide to read on a page, the summary a page shows instead
/// (`diagrams/summary-<name>.svg`, see [`fleetdoc_diagram::summarizes`]).
pub struct Drawing {
    pub detail: fleetdoc_diagram::Svg,
    pub summary: Option<fleetdoc_diagram::Svg>,
}

/// File stem of a diagram's summary: `summary-topology`. No diagram name starts with
/// `summary-` (names are a kind, or a kind and a host id), so it never clashes.
pub fn summary_name(d: &DiagramRef) -> String {
    format!("summary-{}", d.name)
}

/// The inline `<svg>` of a drawing for a page: links re-rooted from `site/diagrams/` to the
/// page, a group rather than an image (it holds links: an image with links inside is
/// "nested-interactive"; the SVG file keeps role="img"), and a `min-width` that keeps its
/// smallest text at [`fleetdoc_diagram::MIN_READABLE_PX`] or more (below that width the
/// box scrolls sideways). The site sends no Content-Security-Policy, so the style attribute
/// applies; under a policy without `'unsafe-inline'` for styles the drawing only shrinks
/// to the column as before.
fn inline_svg(svg: &fleetdoc_diagram::Svg, root: &str) -> String {
    let min = svg.readable_width(fleetdoc_diagram::MIN_READABLE_PX);
    svg.text
        .replace("href=\"../", &format!("href=\"{root}"))
        .replacen(" role=\"img\"", " role=\"group\"", 1)
        .replacen("<svg ", &format!("<svg style=\"min-width: {min}px\" "), 1)
}

/// The figure shown on a page: the SVG inline (so links and styling work), the PNG linked;
/// its scrolling box is focusable, and one tap opens the drawing full size, where the
/// browser zooms it. A topology too wide to read shows its summary instead, with links to
/// the full diagram and to each host's page.
/// `png`: the figure links a PNG (fleet blocks and the fleet overview; host pages show
/// only the SVG, so a 40-host fleet does not rasterize 40 PNGs nobody asked for).
pub fn figure_html(d: &DiagramRef, root: &str, ctx: &Ctx, png: bool) -> String {
    let drawing = ctx.drawing(d);
    let title = crate::render::tables::esc(&d.title);
    let png_link = |name: &str| {
        if png {
            format!(" · <a href=\"{root}diagrams/{name}.png\">PNG</a>")
        } else {
            String::new()
        }
    };
    let Some(summary) = &drawing.summary else {
        return format!(
            "<figure class=\"diagram diagram-{kind}\">\n<a class=\"full-size\" href=\"{root}diagrams/{name}.svg\">Open full size<span class=\"visually-hidden\">: {title}</span></a>\n<div class=\"diagram-svg\" tabindex=\"0\" role=\"region\" aria-label=\"{title} (scrolls sideways)\">{svg}</div>\n<figcaption>{title} · <a href=\"{root}diagrams/{name}.svg\">SVG</a>{png}</figcaption>\n</figure>\n",
            kind = d.kind.as_str(),
            name = d.name,
            svg = inline_svg(&drawing.detail, root),
            png = png_link(&d.name),
        );
    };
    let fleet = ctx.fleet;
    let hosts: Vec<usize> = match d.host {
        Some(h) => vec![h],
        None => (0..fleet.hosts.len()).collect(),
    };
    let mut on = vec![false; fleet.hosts.len()];
    for &h in &hosts {
        on[h] = true;
    }
    let services = fleet
        .services
        .iter()
        .filter(|s| s.hosts.iter().any(|&h| on[h]))
        .count();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let sname = summary_name(d);
    format!(
        "<figure class=\"diagram diagram-{kind} diagram-summary\">\n<a class=\"full-size\" href=\"{root}diagrams/{sname}.svg\">Open full size<span class=\"visually-hidden\">: {title}, summary</span></a>\n<div class=\"diagram-svg\" tabindex=\"0\" role=\"region\" aria-label=\"{title}, summary (scrolls sideways)\">{svg}</div>\n<p class=\"diagram-detail\"><a href=\"{root}diagrams/{name}.svg\">Open the full diagram: {hosts}, {services}</a>{detail_png}</p>\n{host_links}<figcaption>{title}, summed up: the full diagram is {w} px wide, and its labels need {readable} px to stay readable · <a href=\"{root}diagrams/{sname}.svg\">SVG</a>{png}</figcaption>\n</figure>\n",
        kind = d.kind.as_str(),
        name = d.name,
        svg = inline_svg(summary, root),
        hosts = plural(hosts.len(), "host", "hosts"),
        services = plural(services, "service", "services"),
        detail_png = png_link(&d.name),
        host_links = host_links(&hosts, root, ctx),
        w = thousands(drawing.detail.width),
        readable = thousands(drawing.detail.readable_width(fleetdoc_diagram::MIN_READABLE_PX)),
        png = png_link(&sname),
    )
}

/// Whole pixels with thousands separated: `4,918`.
fn thousands(px: f32) -> String {
    let digits = format!("{}", px.max(0.0).round() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Links to the pages of `hosts`, whose own diagrams show every service: one line per
/// region (hosts without one last). Nothing where the site has no host pages.
fn host_links(hosts: &[usize], root: &str, ctx: &Ctx) -> String {
    if !ctx.host_pages || hosts.is_empty() {
        return String::new();
    }
    let esc = crate::render::tables::esc;
    let mut regions: std::collections::BTreeMap<(bool, String), Vec<usize>> =
        std::collections::BTreeMap::new();
    for &h in hosts {
        let region = ctx.fleet.hosts[h].region.clone();
        regions
            .entry((region.is_none(), region.unwrap_or_default()))
            .or_default()
            .push(h);
    }
    let mut out = String::from(
        "<p class=\"diagram-hosts-intro\">Each host's page shows its own diagram with every service:</p>\n<ul class=\"diagram-hosts\">\n",
    );
    let several = regions.len() > 1 || regions.keys().any(|(none, _)| !none);
    for ((none, region), hs) in regions {
        let links: Vec<String> = hs
            .iter()
            .map(|&h| {
                let host = &ctx.fleet.hosts[h];
                format!(
                    "<a href=\"{root}hosts/{}/\">{}</a>",
                    host.id,
                    esc(&host.name)
                )
            })
            .collect();
        let label = match (several, none) {
            (false, _) => String::new(),
            (true, true) => "No region: ".into(),
            (true, false) => format!("{}: ", esc(&region)),
        };
        out.push_str(&format!("<li>{label}{}</li>\n", links.join(", ")));
    }
    out.push_str("</ul>\n");
    out
}

/// The widest a topology may need to be for its smallest text to stay at 9 px: the content
/// column of the fleet overview on a 1280 px screen (1,008 px) with room to spare. A
/// topology that needs more is shown by its summary on every page, on every screen, with
/// links to the full diagram, rather than cut off at the column's edge.
pub const COLUMN_PX: f32 = 1000.0;

/// Draw a diagram: its detail, and its summary when it has one (see [`COLUMN_PX`] and
/// [`fleetdoc_diagram::summarizes`]).
pub fn draw(d: &DiagramRef, ctx: &Ctx) -> Drawing {
    match crate::render::figures::build(d, ctx) {
        crate::render::figures::Figure::Fleet(diagram) => {
            let detail = fleetdoc_diagram::render(&diagram);
            let too_wide = d.kind == crate::model::blocks::DiagramKind::Topology
                && detail.readable_width(fleetdoc_diagram::MIN_READABLE_PX) > COLUMN_PX;
            let summary = (too_wide || fleetdoc_diagram::summarizes(&diagram, &detail))
                .then(|| fleetdoc_diagram::render(&crate::render::figures::summary(d, diagram)));
            Drawing { detail, summary }
        }
        crate::render::figures::Figure::Layers(layers) => Drawing {
            detail: fleetdoc_diagram::render_layers(&layers),
            summary: None,
        },
    }
}

/// Write every diagram used anywhere in the site to `diagrams/<name>.svg`, redrawing only
/// when the fleet changed; returns the (PNG path, SVG) pairs to rasterize.
pub fn write_all(
    used: &std::collections::BTreeSet<DiagramRef>,
    png_for: &std::collections::BTreeSet<String>,
    ctx: &Ctx,
    fleet_key: u64,
    cache: &mut crate::render::cache::RenderCache,
    out: &mut crate::render::output::Output,
    diags: &mut crate::diag::Diagnostics,
) -> Vec<PngJob> {
    let mut pngs = Vec::new();
    for d in used {
        let path = format!("diagrams/{}.svg", d.name);
        let summary_path = format!("diagrams/{}.svg", summary_name(d));
        // Only a topology may have a summary. When its detail is unchanged since the last
        // build, so is whether it has one: nothing is drawn to find out.
        let summarized = d.kind == crate::model::blocks::DiagramKind::Topology
            && if cache.has(&path, fleet_key) {
                cache.has(&summary_path, fleet_key)
            } else {
                ctx.drawing(d).summary.is_some()
            };
        let svg = cache.other(&path, fleet_key, diags, |_| ctx.diagram_svg(d).into_bytes());
        if png_for.contains(&d.name) {
            pngs.push((format!("diagrams/{}.png", d.name), svg.clone()));
        }
        out.bytes(path, svg);
        // The summary a page shows instead, with a PNG where the detail has one.
        if summarized {
            let svg = cache.other(&summary_path, fleet_key, diags, |_| {
                let drawing = ctx.drawing(d);
                let summary = drawing.summary.as_ref().map(|s| s.text.clone());
                summary.unwrap_or_default().into_bytes()
            });
            if png_for.contains(&d.name) {
                pngs.push((format!("diagrams/{}.png", summary_name(d)), svg.clone()));
            }
            out.bytes(summary_path, svg);
        }
    }
    pngs
}

/// Largest PNG drawn, in pixels: a 40-host topology at 2x would be 38 million pixels,
/// seconds of work for a picture nobody views at that size.
pub const MAX_PNG_PIXELS: f32 = 8_000_000.0;

/// The scale a PNG is drawn at: 2x, except a social card (exactly 1200x630, what link
/// previews expect) and a poster's page rendition (what its page shows, never wider than
/// 1200 px there; the 2x PNG of the whole poster is linked), both 1x.
pub fn png_scale(path: &str) -> f32 {
    if path.starts_with("diagrams/card-") || path.ends_with("-page.png") {
        1.0
    } else {
        2.0
    }
}

/// A PNG drawn (or found unchanged in the cache): path, key of its SVG, the PNG or why
/// it could not be drawn, and whether it was drawn anew.
pub struct Drawn {
    path: String,
    /// Where the input this picture is drawn from was written.
    blame: crate::diag::Loc,
    key: u64,
    png: Result<Bytes, String>,
    fresh: bool,
}

/// Draw PNGs in parallel, reusing those whose SVG is the same as in the last build
/// (content hash). Read-only on the cache, so it can run beside the page renderers.
pub fn draw_pngs(
    jobs: Vec<PngJob>,
    cache: &crate::render::cache::RenderCache,
    blame: Blame,
) -> Vec<Drawn> {
    use rayon::prelude::*;
    jobs.into_par_iter()
        .map(|(path, svg)| {
            let key = crate::base::hash::key_of(&svg);
            match cache.lookup(&path, key) {
                Some(png) => Drawn {
                    blame: blame(&path),
                    path,
                    key,
                    png: Ok(png),
                    fresh: false,
                },
                None => {
                    let text = String::from_utf8_lossy(&svg);
                    // One parse: the scale is 2x, or less to stay within the pixel budget.
                    let png =
                        fleetdoc_diagram::rasterize_within(&text, png_scale(&path), MAX_PNG_PIXELS)
                            .map(Bytes::from)
                            .map_err(|e| e.to_string());
                    Drawn {
                        blame: blame(&path),
                        path,
                        key,
                        png,
                        fresh: true,
                    }
                }
            }
        })
        .collect()
}

/// Rasterize every queued SVG into its PNG, in parallel, skipping those whose SVG is the
/// same as in the last build, and those already in `early` (drawn while the pages were
/// rendered).
pub fn rasterize_all(
    jobs: Vec<PngJob>,
    early: Vec<Drawn>,
    cache: &mut crate::render::cache::RenderCache,
    out: &mut crate::render::output::Output,
    blame: Blame,
    diags: &mut crate::diag::Diagnostics,
) {
    let jobs: Vec<PngJob> = jobs
        .into_iter()
        .filter(|(path, svg)| {
            !early
                .iter()
                .any(|d| d.path == *path && d.key == crate::base::hash::key_of(svg))
        })
        .collect();
    let jobs: Vec<PngJob> = if cache.defer_png {
        // watch: PNGs that must be redrawn wait until the pages are served (see watch.rs).
        let (ready, later): (Vec<_>, Vec<_>) = jobs
            .into_iter()
            .partition(|(path, svg)| cache.has(path, crate::base::hash::key_of(svg)));
        cache.deferred = later;
        ready
    } else {
        jobs
    };
    let mut done = early;
    done.extend(draw_pngs(jobs, cache, blame));
    for d in done {
        if let (Ok(png), true) = (&d.png, d.fresh) {
            cache.store(&d.path, d.key, png.clone());
        }
        d.into_output(out, diags);
    }
}

impl Drawn {
    /// Put the PNG into `out`; a picture too big to draw is left out with a warning at the
    /// input it was drawn from (the SVG beside it stays), never a failed build.
    pub fn into_output(
        self,
        out: &mut crate::render::output::Output,
        diags: &mut crate::diag::Diagnostics,
    ) {
        match self.png {
            Ok(png) => out.bytes(self.path, png),
            Err(e) => diags.warning(
                self.blame.clone(),
                format!(
                    "{} is not drawn as PNG ({e}); its SVG is written as usual",
                    self.path
                ),
            ),
        }
    }
}
