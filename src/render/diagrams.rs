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

/// The figure shown on a page: the SVG inline (so links and styling work), the PNG linked.
/// The SVG's links are written relative to `site/diagrams/`; inline they are re-rooted.
/// `png`: the figure links a PNG (fleet blocks and the fleet overview; host pages show
/// only the SVG, so a 40-host fleet does not rasterize 40 PNGs nobody asked for).
pub fn figure_html(d: &DiagramRef, root: &str, ctx: &Ctx, png: bool) -> String {
    // Inline, the drawing holds links, so it is a group, not an image (an image with links
    // inside is "nested-interactive"); the SVG file keeps role="img". Its scrolling box is
    // focusable, and one tap opens the drawing full size, where the browser zooms it.
    let svg = ctx
        .diagram_svg(d)
        .replace("href=\"../", &format!("href=\"{root}"))
        .replacen(" role=\"img\"", " role=\"group\"", 1);
    let title = crate::render::tables::esc(&d.title);
    format!(
        "<figure class=\"diagram diagram-{kind}\">\n<a class=\"full-size\" href=\"{root}diagrams/{name}.svg\">Open full size<span class=\"visually-hidden\">: {title}</span></a>\n<div class=\"diagram-svg\" tabindex=\"0\" role=\"region\" aria-label=\"{title} (scrolls sideways)\">{svg}</div>\n<figcaption>{title} · <a href=\"{root}diagrams/{name}.svg\">SVG</a>{png_link}</figcaption>\n</figure>\n",
        kind = d.kind.as_str(),
        name = d.name,
        png_link = if png { format!(" · <a href=\"{root}diagrams/{}.png\">PNG</a>", d.name) } else { String::new() },
    )
}

/// Draw a diagram as SVG text.
pub fn draw(d: &DiagramRef, ctx: &Ctx) -> String {
    match crate::render::figures::build(d, ctx) {
        crate::render::figures::Figure::Fleet(diagram) => fleetdoc_diagram::render(&diagram).text,
        crate::render::figures::Figure::Layers(layers) => {
            fleetdoc_diagram::render_layers(&layers).text
        }
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
        let svg = cache.other(&path, fleet_key, diags, |_| ctx.diagram_svg(d).into_bytes());
        if png_for.contains(&d.name) {
            pngs.push((format!("diagrams/{}.png", d.name), svg.clone()));
        }
        out.bytes(path, svg);
    }
    pngs
}

/// Largest PNG drawn, in pixels: a 40-host topology at 2x would be 38 million pixels,
/// seconds of work for a picture nobody views at that size.
pub const MAX_PNG_PIXELS: f32 = 8_000_000.0;

/// The scale a PNG is drawn at: 2x, except a social card (exactly 1200x630, what link
/// previews expect) and a poster's small rendition (what its page shows; the 2x PNG is
/// linked), both 1x.
pub fn png_scale(path: &str) -> f32 {
    if path.starts_with("diagrams/card-") || path.ends_with("-small.png") {
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
