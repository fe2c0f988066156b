//! Shell code highlighted from a parse: tree-sitter's bash grammar and the highlight query
//! it ships, through tree-sitter-highlight. The TextMate shell grammar syntect runs tries
//! hundreds of patterns at each position of a line; a parse costs a fraction of that and
//! gives one span per token that has a colour, not a span per scope.
//!
//! Each capture of the query becomes the classes the other languages use for the same
//! kind of token (`assets/style.css`, "Code highlighting"), so one palette colours all.

use crate::render::tables::esc_into;
use std::cell::RefCell;
use std::sync::OnceLock;
use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

/// The query's captures that get a span, and its classes. Captures not listed (the query's
/// `embedded`, around `$(...)`) get none: their inner tokens are coloured.
const CAPTURES: [(&str, &str); 8] = [
    ("comment", "hl-comment"),
    ("string", "hl-string"),
    ("keyword", "hl-keyword"),
    ("operator", "hl-keyword hl-operator"),
    ("function", "hl-entity hl-function"),
    ("property", "hl-variable"),
    ("constant", "hl-variable hl-parameter"),
    ("number", "hl-constant hl-numeric"),
];

/// The grammar and its query, compiled once, on the first shell block.
fn config() -> Option<&'static HighlightConfiguration> {
    static CONFIG: OnceLock<Option<HighlightConfiguration>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut c = HighlightConfiguration::new(
                tree_sitter_bash::LANGUAGE.into(),
                "bash",
                tree_sitter_bash::HIGHLIGHT_QUERY,
                "",
                "",
            )
            .ok()?;
            c.configure(&CAPTURES.map(|(name, _)| name));
            Some(c)
        })
        .as_ref()
}

thread_local! {
    /// One highlighter (its parser and buffers) per render thread, reused block after block.
    static HIGHLIGHTER: RefCell<Highlighter> = RefCell::new(Highlighter::new());
}

/// `text` as escaped HTML with a span per coloured token; `None` when the parser gives up
/// (the block is then written as plain text).
pub fn spans(text: &str) -> Option<String> {
    let config = config()?;
    HIGHLIGHTER.with(|h| {
        let mut h = h.try_borrow_mut().ok()?;
        let events = h
            .highlight(config, text.as_bytes(), None, None, |_| None)
            .ok()?;
        let mut out = String::with_capacity(text.len() + text.len() / 2);
        for event in events {
            match event.ok()? {
                HighlightEvent::Source { start, end } => esc_into(&mut out, text.get(start..end)?),
                HighlightEvent::HighlightStart(c) => {
                    out.push_str("<span class=\"");
                    out.push_str(CAPTURES.get(c.0)?.1);
                    out.push_str("\">");
                }
                HighlightEvent::HighlightEnd => out.push_str("</span>"),
            }
        }
        Some(out)
    })
}
