//! One fleet block as GFM Markdown: what the Markdown export puts in a page and what
//! `fleetdoc sync` writes between a region's markers in a Markdown file outside the site. Tables become pipe tables, the
//! status summary a sentence, a diagram an image link to the built site's PNG (for a
//! topology too wide to read, its summary's PNG, linked to the full diagram).

use crate::model::blocks::Block;
use crate::render::{fleet_tables, status_tables, Ctx};

/// `block` as GFM, ending in a newline. `diagrams_dir` is the diagrams folder as seen
/// from the Markdown file (`../diagrams` in an export, `site/diagrams` for sync).
pub fn block_gfm(block: &Block, ctx: &Ctx, diagrams_dir: &str) -> String {
    match block {
        Block::Table { spec, host } => {
            let table = fleet_tables::table(spec, *host, ctx.fleet, ctx.an)
                .without_links()
                .to_gfm();
            match crate::render::resilience::spof_summary(spec, *host, ctx) {
                Some(line) => format!("{line}\n\n{table}"),
                None => table,
            }
        }
        Block::Summary => format!("{}\n", status_tables::summary(ctx.fleet, ctx.an)),
        Block::Badge(s) => crate::render::availability::badge_gfm(*s, ctx, diagrams_dir),
        Block::Diagram(d) if ctx.drawing(d).summary.is_some() => format!(
            "[![{title}, summed up]({diagrams_dir}/{summary}.png)]({diagrams_dir}/{name}.svg)\n\nThe full diagram: [SVG]({diagrams_dir}/{name}.svg) · [PNG]({diagrams_dir}/{name}.png)\n",
            title = d.title,
            summary = crate::render::diagrams::summary_name(d),
            name = d.name,
        ),
        Block::Diagram(d) => format!("![{}]({diagrams_dir}/{}.png)\n", d.title, d.name),
    }
}
