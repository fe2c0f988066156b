//! `index.html` of a brainstorming target: one card per explainer of every project (poster
//! thumbnail, title, project, summary, date), newest first, then the projects themselves.
//! Self-contained (inline style, no script) and with relative links only, so the folder can
//! be served under any path. All text is escaped: it comes from other projects' files.

use super::index::{Card, Index};
use crate::render::tables::esc;
use std::fmt::Write;

const STYLE: &str = "\
:root{color-scheme:light dark;--fg:#1d2430;--muted:#5b6576;--line:#d8dde6;--card:#fff;--bg:#f4f6f9}\
@media(prefers-color-scheme:dark){:root{--fg:#e6e9ef;--muted:#9aa4b5;--line:#333b48;--card:#1c212a;--bg:#12161c}}\
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}\
main{max-width:72rem;margin:0 auto;padding:2rem 1rem}h1{margin:0 0 .25rem}\
.lead{color:var(--muted);margin:0 0 2rem}\
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:1rem;list-style:none;padding:0}\
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;overflow:hidden}\
.card a{color:inherit;text-decoration:none;display:block;height:100%}\
.card img{display:block;width:100%;aspect-ratio:16/9;object-fit:cover;border-bottom:1px solid var(--line)}\
.card div{padding:.75rem 1rem}.card h2{font-size:1.05rem;margin:0 0 .25rem}\
.meta{color:var(--muted);font-size:.85rem;margin:0}.card p.summary{margin:.5rem 0 0}\
.projects{padding-left:1.2rem}";

/// The whole page.
pub fn render(index: &Index) -> String {
    let mut h = String::with_capacity(4096 + index.entries.len() * 400);
    h.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<title>Brainstorming: explainers and drafts</title>\n");
    let _ = writeln!(h, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");
    h.push_str("<h1>Brainstorming</h1>\n");
    let _ = writeln!(
        h,
        "<p class=\"lead\">{} explainer(s) from {} project(s), newest first. Drafts: check before you rely on them.</p>",
        index.entries.len(),
        index.projects.len()
    );
    if index.entries.is_empty() {
        h.push_str("<p>Nothing is published here yet.</p>\n");
    } else {
        h.push_str("<ul class=\"cards\">\n");
        for c in &index.entries {
            card(&mut h, c);
        }
        h.push_str("</ul>\n");
    }
    if !index.projects.is_empty() {
        h.push_str("<h2>Projects</h2>\n<ul class=\"projects\">\n");
        for p in &index.projects {
            let when = p
                .published_at
                .as_deref()
                .map(|t| format!(" <span class=\"meta\">published {}</span>", esc(t)))
                .unwrap_or_default();
            let _ = writeln!(
                h,
                "<li><a href=\"{}\">{}</a>{when}</li>",
                esc(&p.href),
                esc(&p.title)
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

fn card(h: &mut String, c: &Card) {
    let _ = write!(h, "<li class=\"card\"><a href=\"{}\">", esc(&c.href));
    if let Some(p) = &c.poster {
        let _ = write!(h, "<img src=\"{}\" alt=\"\" loading=\"lazy\">", esc(p));
    }
    let _ = write!(
        h,
        "<div><h2>{}</h2><p class=\"meta\">{}",
        esc(&c.title),
        esc(&c.project_title)
    );
    if let Some(u) = &c.updated {
        let _ = write!(h, " · updated {}", esc(u));
    }
    h.push_str("</p>");
    if let Some(s) = &c.summary {
        let _ = write!(h, "<p class=\"summary\">{}</p>", esc(s));
    }
    h.push_str("</div></a></li>\n");
}
