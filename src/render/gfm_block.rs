//! One fleet block as GFM Markdown, on its own: what `fleetdoc sync` writes between a
//! region's markers in a Markdown file outside the site. Tables become pipe tables, the
//! status summary a sentence, a diagram an image link to the built site's PNG.

use crate::model::blocks::Block;
use crate::render::{fleet_tables, status_tables, Ctx};

/// `block` as GFM, ending in a newline. `diagrams_dir` is the site's diagrams folder as
/// seen from the Markdown file (`site/diagrams`, `../site/diagrams`).
pub fn block_gfm(block: &Block, ctx: &Ctx, diagrams_dir: &str) -> String {
    match block {
        Block::Table { spec, host } => fleet_tables::table(spec, *host, ctx.fleet, ctx.an)
            .without_links()
            .to_gfm(),
        Block::Summary => format!("{}\n", status_tables::summary(ctx.fleet, ctx.an)),
        Block::Diagram(d) => format!("![{}]({diagrams_dir}/{}.png)\n", d.title, d.name),
    }
}
