//! Markdown to HTML for one page: CommonMark + GFM through pulldown-cmark, with stable
//! heading anchors, checked and rewritten links, and fleet blocks replaced by generated
//! tables, figures and sentences. Also the Markdown export, which splices generated GFM
//! into the author's own text.

use crate::model::blocks::Block;
use crate::model::pages::{options, Page};
use crate::model::site::PageRefs;
use crate::render::{diagrams, fleet_tables, status_tables, Ctx};
use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// A page's body as HTML, and the diagrams it shows.
pub struct RenderedBody {
    pub html: String,
    pub diagrams: Vec<diagrams::DiagramRef>,
    /// What the page shows, as plain text by section, for the search index.
    pub text: crate::render::search_text::PageText,
}

fn block_html(
    block: &Block,
    page: &Page,
    ctx: &Ctx,
    out_diagrams: &mut Vec<diagrams::DiagramRef>,
) -> String {
    let root = page.root();
    match block {
        Block::Table { spec, host } => {
            let table = fleet_tables::table(spec, *host, ctx.fleet, ctx.an);
            let html = if ctx.host_pages {
                table.to_html(&root)
            } else {
                table.without_links().to_html(&root)
            };
            match crate::render::resilience::spof_summary(spec, *host, ctx) {
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
        Block::Badge(s) => crate::render::availability::badge_html(*s, &root, ctx),
        Block::Diagram(d) => {
            let html = diagrams::figure_html(d, &root, ctx, true);
            out_diagrams.push(d.clone());
            html
        }
    }
}

/// A GFM alert's class and title.
fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Render a page body to HTML from its model: blocks and links were read and checked in
/// the model stage, so nothing here can fail.
pub fn render(page: &Page, refs: &PageRefs, ctx: &Ctx) -> RenderedBody {
    let body = page.source.body();
    let body: &str = &body;
    let mut diagrams_used = Vec::new();
    // About one event per 16 bytes of Markdown: growing the list was a visible cost.
    let mut events: Vec<Event> = Vec::with_capacity(body.len() / 16);
    let mut heading_ix = 0usize;
    let mut skip_h1 = page.strip_h1;
    let mut skipping = false;
    // Inside a fleet block: its events are replaced by what it generates.
    let mut in_block = false;
    // In code blocks, resolved command names are linked (`code_links`).
    let link_code = ctx.host_pages && !refs.commands.is_empty();
    let mut dropped_links: Vec<bool> = Vec::new();
    // Inside a code block: its info string and text, written highlighted at its end, and
    // where each text run of it stands in the body (for the command links).
    let mut code: Option<(String, String)> = None;
    let mut code_runs: Vec<(usize, Range<usize>)> = Vec::new();
    let root = page.root();
    let mut text_of = crate::render::search_text::Collector::new();
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if skipping {
            if matches!(ev, Event::End(TagEnd::Heading(_))) {
                skipping = false;
            }
            continue;
        }
        if in_block {
            in_block = !matches!(ev, Event::End(TagEnd::CodeBlock));
            continue;
        }
        if let Some((info, text)) = code.as_mut() {
            match ev {
                Event::Text(t) => {
                    if link_code && body.get(range.clone()) == Some(&*t) {
                        code_runs.push((text.len(), range));
                    }
                    text.push_str(&t);
                }
                Event::End(TagEnd::CodeBlock) => {
                    text_of.space();
                    text_of.text(text);
                    text_of.space();
                    let mut html = crate::render::highlight::code_block(info, text);
                    if link_code {
                        let links = crate::render::code_links::in_block(
                            &code_runs,
                            &refs.commands,
                            ctx.fleet,
                            &root,
                        );
                        if !links.is_empty() {
                            html = crate::render::code_links::link_html(&html, &links);
                        }
                        code_runs.clear();
                    }
                    events.push(Event::Html(html.into()));
                    code = None;
                }
                _ => {}
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
                text_of.heading(&anchor);
                events.push(Event::Html(format!("<{level} id=\"{anchor}\">").into()));
            }
            Event::End(TagEnd::Heading(level)) => {
                let anchor = page
                    .headings
                    .get(heading_ix)
                    .map(|h| h.anchor.clone())
                    .unwrap_or_default();
                heading_ix += 1;
                text_of.heading_end();
                events.push(Event::Html(
                    format!(" <a class=\"anchor\" href=\"#{anchor}\" aria-label=\"Link to this section\">#</a></{level}>\n").into(),
                ));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if info.trim() == "fleet" =>
            {
                skip_h1 = false;
                in_block = true;
                match refs.block_at(range.start).and_then(|b| b.block.as_ref()) {
                    Some(block) => {
                        let html = block_html(block, page, ctx, &mut diagrams_used);
                        // A diagram's drawing repeats the tables: its title is what it adds.
                        match block {
                            Block::Diagram(d) => text_of.html(&crate::render::tables::esc(&d.title)),
                            _ => text_of.html(&html),
                        }
                        events.push(Event::Html(html.into()));
                    }
                    None => events.push(Event::Html("<p class=\"fleet-error\">This fleet block has an error; see the build output.</p>\n".into())),
                }
            }
            // A GFM alert (`> [!WARNING]`) is a callout with its kind as a title.
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                skip_h1 = false;
                let (class, title) = alert(kind);
                events.push(Event::Html(
                    format!("<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n").into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                events.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                skip_h1 = false;
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((info, String::with_capacity(range.len())));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let new = refs
                    .link_at(range.start)
                    .map(|t| crate::render::links::href(t, &root, ctx.pages))
                    .unwrap_or_else(|| Some(dest_url.to_string()));
                dropped_links.push(new.is_none());
                if let Some(new) = new {
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
                let new = refs
                    .link_at(range.start)
                    .and_then(|t| crate::render::links::href(t, &root, ctx.pages))
                    .unwrap_or_else(|| dest_url.to_string());
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
                match &other {
                    Event::Start(_) => skip_h1 = false,
                    Event::Text(t) | Event::Code(t) => text_of.text(t),
                    Event::End(_) | Event::SoftBreak | Event::HardBreak => text_of.space(),
                    _ => {}
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
        text: text_of.finish(),
    }
}
