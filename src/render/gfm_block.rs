//! One fleet block as GFM Markdown, on its own: what `fleetdoc sync` writes between a
//! region's markers in a Markdown file outside the site. Tables become pipe tables, the
//! status summary a sentence, a diagram an image link to the built site's PNG.

use crate::render::blocks::Block;
use crate::render::{diagrams, fleet_tables, status_tables, Ctx};

/// `block` as GFM, ending in a newline. `diagrams_dir` is the site's diagrams folder as
/// seen from the Markdown file (`site/diagrams`, `../site/diagrams`).
pub fn block_gfm(block: &Block, ctx: &Ctx, diagrams_dir: &str) -> String {
    match block {
        Block::Table {
            kind,
            columns,
            host,
        } => fleet_tables::table(*kind, columns, *host, ctx.fleet, ctx.an).to_gfm(),
        Block::Summary => format!("{}\n", status_tables::summary(ctx.fleet, ctx.an)),
        Block::Diagram { kind, host } => {
            let d = diagrams::DiagramRef::new(*kind, *host, ctx.fleet);
            format!("![{}]({diagrams_dir}/{}.png)\n", d.title, d.name)
        }
    }
}
