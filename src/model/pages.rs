//! The site's pages as a model: each Markdown source with its output URL, title, heading
//! anchors (so links between pages can be checked before anything is rendered) and its H2
//! sections (what an explainer's poster summarizes).

use crate::base::slug::Slugger;
use crate::diag::{Diagnostics, Loc, Pos};
use crate::load::pages::PageSource;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Top-level output folders fleetdoc writes itself; a page may not take their place.
pub const RESERVED: &[&str] = &["fleet", "hosts", "diagrams", "assets", "404", "__fleetdoc"];

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub anchor: String,
}

/// An H2 section, summarized for a poster panel.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub heading: String,
    pub bullets: Vec<String>,
    pub first_sentence: Option<String>,
}

/// A link or image destination as the author wrote it.
#[derive(Debug, Clone)]
pub struct RawLink {
    /// Byte offset of the link in the page body.
    pub at: usize,
    /// Byte offset just after the whole link (`[text](dest)`).
    pub end: usize,
    pub dest: String,
    /// An image (`![alt](dest)`), not a link.
    pub image: bool,
}

/// A fenced `fleet` block as the author wrote it.
#[derive(Debug, Clone)]
pub struct RawBlock {
    /// Byte range of the whole fenced block in the page body.
    pub range: std::ops::Range<usize>,
    pub text: String,
    /// Line of the opening fence in the page file.
    pub fence_line: usize,
}

/// A shell block (`bash`, `sh`, `console`...) whose commands are read against the fleet.
#[derive(Debug, Clone)]
pub struct ShellBlock {
    pub dialect: crate::model::commands::Dialect,
    /// The fence opted out (```` ```bash nocheck ````).
    pub nocheck: bool,
    /// Each line of the code and the body offset where it starts.
    pub lines: Vec<(String, usize)>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub source: Arc<PageSource>,
    /// Site-root-relative folder URL: `runbooks/fleet-topology/`.
    pub url: String,
    pub title: String,
    /// The body's first block is an H1 that became the title (not rendered twice).
    pub strip_h1: bool,
    pub headings: Vec<Heading>,
    /// The H2 sections an explainer's poster summarizes; empty on other pages (nothing
    /// else reads them, and a big site would hold them for every page).
    pub sections: Vec<Section>,
    /// Every link and image destination as written, by its offset in the body; resolved
    /// against the whole site in [`crate::model::site`].
    pub raw_links: Vec<RawLink>,
    /// Every fleet block as written; read against the fleet in [`crate::model::site`].
    pub raw_blocks: Vec<RawBlock>,
    /// Raw HTML as written (an HTML block or an inline tag), by its offset in the body:
    /// kept on internal pages, refused on public ones ([`crate::model::public`]).
    pub raw_html: Vec<(usize, String)>,
    /// Every shell block, for the command check in [`crate::model::site`].
    pub shell_blocks: Vec<ShellBlock>,
    /// The first H1 (its offset in the body, its text) when it was dropped because the
    /// front matter has a different title.
    pub dropped_h1: Option<(usize, String)>,
    /// The page holds fleet blocks, so it depends on the fleet and its status.
    pub uses_fleet: bool,
    /// Hash of the page's source text (path included), computed once per change.
    pub text_key: u64,
}

impl Page {
    /// `../` once per folder level of the page's URL: the way back to the site root.
    pub fn root(&self) -> String {
        "../".repeat(self.url.matches('/').count())
    }
    pub fn has_anchor(&self, a: &str) -> bool {
        self.headings.iter().any(|h| h.anchor == a)
    }
    /// The page's output name with `/` replaced, for diagram files: `runbooks-fleet-topology`.
    pub fn stem(&self) -> String {
        self.url.trim_end_matches('/').replace('/', "-")
    }
}

pub fn options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

fn level(l: HeadingLevel) -> u8 {
    l as u8
}

/// Build the page model of every source; reports URL collisions.
pub fn build(sources: Vec<Arc<PageSource>>, diags: &mut Diagnostics) -> Vec<Arc<Page>> {
    build_cached(sources, diags, &mut PageCache::default())
}

/// Page models of an earlier build, by source path and text (`watch`).
#[derive(Default)]
pub struct PageCache {
    pages: std::collections::HashMap<String, Arc<Page>>,
}

/// Like [`build`], reusing the model of every page whose text did not change. URL checks
/// are sequential (they fix which of two colliding pages is reported); the page models
/// are built in parallel.
pub fn build_cached(
    sources: Vec<Arc<PageSource>>,
    diags: &mut Diagnostics,
    cache: &mut PageCache,
) -> Vec<Arc<Page>> {
    use rayon::prelude::*;
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut keep: Vec<(Arc<PageSource>, String)> = Vec::with_capacity(sources.len());
    for source in sources {
        let url = format!("{}/", source.rel.trim_end_matches(".md"));
        let top = url.split('/').next().unwrap_or_default();
        if RESERVED.contains(&top) {
            diags.error(
                Loc::file_start(&source.shown),
                format!("this page would be written to site/{url}, which fleetdoc generates itself; rename the file or its folder"),
            );
            continue;
        }
        if let Some(other) = seen.insert(url.clone(), source.rel.clone()) {
            diags.error(
                Loc::file_start(&source.shown),
                format!("this page and `{other}` both become site/{url}; rename one"),
            );
            continue;
        }
        keep.push((source, url));
    }
    let old = &cache.pages;
    let one = |(source, url): (Arc<PageSource>, String)| match old.get(&source.rel) {
        Some(p) if p.text_key == source.key => (p.clone(), false),
        _ => {
            let key = source.key;
            let mut p = page(source, url);
            p.text_key = key;
            (Arc::new(p), true)
        }
    };
    // One page (an edit under `watch`) is built here: handing it to the thread pool and
    // waiting for it costs more than the page on a busy machine.
    let pages: Vec<(Arc<Page>, bool)> = if keep.len() < 2 {
        keep.into_iter().map(one).collect()
    } else {
        keep.into_par_iter().map(one).collect()
    };
    for (p, fresh) in &pages {
        if *fresh {
            cache.pages.insert(p.source.rel.clone(), p.clone());
        }
    }
    pages.into_iter().map(|(p, _)| p).collect()
}

fn page(source: Arc<PageSource>, url: String) -> Page {
    let body = source.body();
    let body: &str = &body;
    let mut slugger = Slugger::default();
    let mut headings = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let explainer = source.front.kind == crate::load::pages::PageKind::Explainer;
    let mut first_block = true;
    let mut strip_h1 = false;
    let mut in_heading: Option<u8> = None;
    let mut text = String::new();
    let mut item_depth = 0usize;
    let mut para: Option<String> = None;
    let mut uses_fleet = false;
    let mut item: Option<String> = None;
    let mut raw_links: Vec<RawLink> = Vec::new();
    let mut raw_blocks: Vec<RawBlock> = Vec::new();
    let mut raw_html: Vec<(usize, String)> = Vec::new();
    let mut html_block: Option<(usize, String)> = None;
    let mut in_block: Option<RawBlock> = None;
    let mut shell_blocks: Vec<ShellBlock> = Vec::new();
    let mut in_shell: Option<ShellBlock> = None;
    let mut h1_at: Option<usize> = None;
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Some(b) = in_block.as_mut() {
            match ev {
                Event::Text(t) => b.text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let mut b = in_block.take().unwrap_or_else(|| unreachable!());
                    b.range.end = range.end;
                    raw_blocks.push(b);
                }
                _ => {}
            }
            continue;
        }
        if let Some(b) = in_shell.as_mut() {
            match ev {
                Event::Text(t) => shell_lines(body, &t, range, &mut b.lines),
                Event::End(TagEnd::CodeBlock) => shell_blocks.extend(in_shell.take()),
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(Tag::Heading { level: l, .. }) => {
                if first_block && level(l) == 1 {
                    strip_h1 = true;
                    h1_at = Some(range.start);
                }
                in_heading = Some(level(l));
                text.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                let lvl = in_heading.take().unwrap_or(1);
                let anchor = slugger.next(&text);
                if lvl == 2 && explainer {
                    sections.push(Section {
                        heading: text.clone(),
                        ..Section::default()
                    });
                }
                headings.push(Heading {
                    level: lvl,
                    text: text.clone(),
                    anchor,
                });
                first_block = false;
            }
            Event::Start(Tag::Item) => {
                item_depth += 1;
                if item_depth == 1 {
                    item = Some(String::new());
                }
            }
            Event::End(TagEnd::Item) => {
                if item_depth == 1 {
                    if let (Some(s), Some(t)) = (sections.last_mut(), item.take()) {
                        if s.bullets.len() < 6 && !t.trim().is_empty() {
                            s.bullets.push(t.trim().to_string());
                        }
                    }
                }
                item_depth = item_depth.saturating_sub(1);
            }
            Event::Start(Tag::Paragraph) if item_depth == 0 => para = Some(String::new()),
            Event::End(TagEnd::Paragraph) if item_depth == 0 => {
                if let (Some(s), Some(p)) = (sections.last_mut(), para.take()) {
                    if s.first_sentence.is_none() && !p.trim().is_empty() {
                        s.first_sentence = Some(first_sentence(&p));
                    }
                }
                first_block = false;
            }
            Event::Text(t) | Event::Code(t) => {
                if in_heading.is_some() {
                    text.push_str(&t);
                } else if let Some(i) = item.as_mut() {
                    i.push_str(&t);
                } else if let Some(p) = para.as_mut() {
                    p.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = para.as_mut() {
                    p.push(' ');
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => raw_links.push(RawLink {
                at: range.start,
                end: range.end,
                dest: dest_url.to_string(),
                image: true,
            }),
            Event::Start(Tag::Link { dest_url, .. }) => raw_links.push(RawLink {
                at: range.start,
                end: range.end,
                dest: dest_url.to_string(),
                image: false,
            }),
            Event::Start(Tag::HtmlBlock) => {
                first_block = false;
                html_block = Some((range.start, String::new()));
            }
            Event::Html(t) => {
                if let Some((_, b)) = html_block.as_mut() {
                    b.push_str(&t);
                }
            }
            Event::End(TagEnd::HtmlBlock) => raw_html.extend(html_block.take()),
            Event::InlineHtml(t) => raw_html.push((range.start, t.to_string())),
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info)))
                if info.trim() == "fleet" =>
            {
                uses_fleet = true;
                first_block = false;
                in_block = Some(RawBlock {
                    range: range.clone(),
                    text: String::new(),
                    fence_line: pos_at(&source.text.get(), source.body_start + range.start).line,
                });
            }
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info)))
                if crate::model::commands::dialect_of(&info).is_some() =>
            {
                first_block = false;
                if let Some((dialect, nocheck)) = crate::model::commands::dialect_of(&info) {
                    in_shell = Some(ShellBlock {
                        dialect,
                        nocheck,
                        lines: Vec::new(),
                    });
                }
            }
            Event::Start(Tag::CodeBlock(_) | Tag::List(_) | Tag::Table(_) | Tag::BlockQuote(_)) => {
                first_block = false
            }
            _ => {}
        }
    }
    let stem = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("page")
        .replace('-', " ");
    let dropped_h1 = match (&source.front.title, headings.first(), h1_at) {
        (Some(t), Some(h), Some(at)) if strip_h1 && h.text.trim() != t.trim() => {
            Some((at, h.text.clone()))
        }
        _ => None,
    };
    let title = source
        .front
        .title
        .clone()
        .or_else(|| {
            headings
                .first()
                .filter(|_| strip_h1)
                .map(|h| h.text.clone())
        })
        .unwrap_or(stem);
    if strip_h1 && !headings.is_empty() {
        headings.remove(0);
    }
    Page {
        source,
        url,
        title,
        strip_h1,
        headings,
        sections,
        raw_links,
        raw_blocks,
        raw_html,
        shell_blocks,
        dropped_h1,
        uses_fleet,
        text_key: 0,
    }
}

/// The lines of a code block's text event with their body offsets. The text is the source
/// itself unless the block sits in a container (a list item, a quote) whose indentation
/// or markers were taken off; then each line is found in the source by its text.
fn shell_lines(
    body: &str,
    text: &str,
    range: std::ops::Range<usize>,
    out: &mut Vec<(String, usize)>,
) {
    let src = body.get(range.clone()).unwrap_or("");
    if src == text {
        let mut at = range.start;
        for l in text.split_inclusive('\n') {
            out.push((l.to_string(), at));
            at += l.len();
        }
        return;
    }
    let mut from = range.start;
    for l in text.split_inclusive('\n') {
        let bare = l.trim_end_matches('\n');
        let at = body[from.min(body.len())..]
            .find(bare)
            .map(|i| from + i)
            .unwrap_or(from);
        out.push((l.to_string(), at));
        from = at + bare.len();
    }
}

fn first_sentence(p: &str) -> String {
    let p = p.trim();
    match p.find(". ") {
        Some(i) => p[..=i].to_string(),
        None => p.to_string(),
    }
}

/// Line and column (1-based) of a byte offset in a text.
pub fn pos_at(text: &str, offset: usize) -> Pos {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    Pos::new(line, col)
}
