//! Markdown to HTML for one page: CommonMark + GFM through pulldown-cmark, with stable
//! heading anchors, checked and rewritten links, and fleet blocks replaced by generated
//! tables, figures and sentences. Also the Markdown export, which splices generated GFM
//! into the author's own text.

use crate::diag::{Diagnostics, Loc};
use crate::load::yaml::Src;
use crate::model::pages::{options, pos_at, Page};
use crate::render::blocks::{self, Block};
use crate::render::{diagrams, fleet_tables, status_tables, Ctx};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// A page's body as HTML, and the diagrams it shows.
pub struct RenderedBody {
    pub html: String,
    pub diagrams: Vec<diagrams::DiagramRef>,
}

/// Every fleet block of a page: its byte range in the body and what it asks for.
fn fleet_blocks(
    page: &Page,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Vec<(Range<usize>, Option<Block>)> {
    let body = page.source.body();
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.trim() == "fleet" => {
                current = Some((range.start, String::new()));
            }
            Event::Text(t) if current.is_some() => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((start, text)) = current.take() {
                    let fence_line = pos_at(&page.source.text, page.source.body_start + start).line;
                    let src = Src::new(&page.source.shown, fence_line);
                    let block = blocks::parse(&src, &text, ctx.fleet, diags);
                    out.push((start..range.end, block));
                }
            }
            _ => {}
        }
    }
    out
}

fn block_html(
    block: &Block,
    page: &Page,
    ctx: &Ctx,
    out_diagrams: &mut Vec<diagrams::DiagramRef>,
) -> String {
    let root = page.root();
    match block {
        Block::Table {
            kind,
            columns,
            host,
        } => {
            let table = fleet_tables::table(*kind, columns, *host, ctx.fleet, ctx.an);
            let html = if ctx.public {
                table.without_links().to_html(&root)
            } else {
                table.to_html(&root)
            };
            match spof_summary(*kind, *host, ctx) {
                Some(line) => format!(
                    "<p class=\"spof-summary\">{}</p>\n{html}",
                    crate::render::tables::esc(&line)
                ),
                None => html,
            }
        }
        Block::Summary => format!(
            "<p class=\"fleet-summary\"><span class=\"badge {}\">status</span> {}</p>\n",
            status_tables::summary_health(ctx.fleet, ctx.an).as_str(),
            crate::render::tables::esc(&status_tables::summary(ctx.fleet, ctx.an))
        ),
        Block::Diagram { kind, host } => {
            let d = diagrams::DiagramRef::new(*kind, *host, ctx.fleet);
            let html = diagrams::figure_html(&d, &root, ctx, true);
            out_diagrams.push(d);
            html
        }
    }
}

/// The count line above a whole-fleet redundancy table ("Single points of failure: 4 ...").
fn spof_summary(kind: blocks::TableKind, host: Option<usize>, ctx: &Ctx) -> Option<String> {
    (kind == blocks::TableKind::Redundancy && host.is_none())
        .then(|| crate::analyze::redundancy::summary(ctx.fleet, &ctx.an.spofs))
}

/// Render a page body to HTML; problems are reported at the page's own lines.
pub fn render(page: &Page, ctx: &Ctx, diags: &mut Diagnostics) -> RenderedBody {
    let body = page.source.body();
    let mut diagrams_used = Vec::new();
    // About one event per 16 bytes of Markdown: growing the list was a visible cost.
    let mut events: Vec<Event> = Vec::with_capacity(body.len() / 16);
    let mut heading_ix = 0usize;
    let mut skip_h1 = page.strip_h1;
    let mut skipping = false;
    // The text of the fleet block being read, and its start offset.
    let mut in_block: Option<(usize, String)> = None;
    let mut dropped_links: Vec<bool> = Vec::new();
    let loc = |offset: usize| {
        Loc::new(
            &page.source.shown,
            pos_at(&page.source.text, page.source.body_start + offset),
        )
    };
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if skipping {
            if matches!(ev, Event::End(TagEnd::Heading(_))) {
                skipping = false;
            }
            continue;
        }
        if let Some((start, text)) = in_block.as_mut() {
            if let Event::Text(t) = &ev {
                text.push_str(t);
            }
            if matches!(ev, Event::End(TagEnd::CodeBlock)) {
                let fence_line = pos_at(&page.source.text, page.source.body_start + *start).line;
                let src = Src::new(&page.source.shown, fence_line);
                let parsed = blocks::parse(&src, text, ctx.fleet, diags);
                in_block = None;
                if let Some(block) = &parsed {
                    events.push(Event::Html(
                        block_html(block, page, ctx, &mut diagrams_used).into(),
                    ));
                } else {
                    events.push(Event::Html("<p class=\"fleet-error\">This fleet block has an error; see the build output.</p>\n".into()));
                }
            }
            continue;
        }
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                if skip_h1 {
                    skip_h1 = false;
                    skipping = true;
                    continue;
                }
                let anchor = page
                    .headings
                    .get(heading_ix)
                    .map(|h| h.anchor.clone())
                    .unwrap_or_default();
                events.push(Event::Html(format!("<{level} id=\"{anchor}\">").into()));
            }
            Event::End(TagEnd::Heading(level)) => {
                let anchor = page
                    .headings
                    .get(heading_ix)
                    .map(|h| h.anchor.clone())
                    .unwrap_or_default();
                heading_ix += 1;
                events.push(Event::Html(
                    format!(" <a class=\"anchor\" href=\"#{anchor}\" aria-label=\"Link to this section\">#</a></{level}>\n").into(),
                ));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if info.trim() == "fleet" =>
            {
                skip_h1 = false;
                in_block = Some((range.start, String::new()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let new =
                    crate::render::links::rewrite(&dest_url, page, ctx, || loc(range.start), diags);
                let withheld = new == crate::render::links::WITHHELD;
                dropped_links.push(withheld);
                if !withheld {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(new),
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if !dropped_links.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let new =
                    crate::render::links::rewrite(&dest_url, page, ctx, || loc(range.start), diags);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::from(new),
                    title,
                    id,
                }));
            }
            // A task-list checkbox gets an accessible name: screen readers say "done".
            Event::TaskListMarker(done) => events.push(Event::InlineHtml(
                if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"to do\"> "
                }
                .into(),
            )),
            other => {
                if matches!(other, Event::Start(_)) {
                    skip_h1 = false;
                }
                events.push(other);
            }
        }
    }
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    RenderedBody {
        html,
        diagrams: diagrams_used,
    }
}

/// The page as GFM Markdown: the author's text, with every fleet block replaced by a pipe
/// table, an image link or a sentence.
pub fn export(page: &Page, ctx: &Ctx, diags: &mut Diagnostics) -> String {
    let body = page.source.body();
    let blocks = fleet_blocks(page, ctx, diags);
    let mut out = String::with_capacity(body.len() * 2);
    let mut at = 0;
    for (range, block) in blocks {
        out.push_str(&body[at..range.start]);
        at = range.end;
        let Some(block) = block else { continue };
        match block {
            Block::Table {
                kind,
                columns,
                host,
            } => {
                if let Some(line) = spof_summary(kind, host, ctx) {
                    out.push_str(&line);
                    out.push_str("\n\n");
                }
                out.push_str(
                    &fleet_tables::table(kind, &columns, host, ctx.fleet, ctx.an).to_gfm(),
                );
            }
            Block::Summary => {
                out.push_str(&status_tables::summary(ctx.fleet, ctx.an));
                out.push('\n');
            }
            Block::Diagram { kind, host } => {
                let d = diagrams::DiagramRef::new(kind, host, ctx.fleet);
                let up = "../".repeat(page.source.rel.matches('/').count());
                out.push_str(&format!("![{}]({up}diagrams/{}.png)\n", d.title, d.name));
            }
        }
    }
    out.push_str(&body[at..]);
    out
}
