//! Names in shell blocks that the model resolved (see `model::commands`) become links to
//! their host or service in the rendered code. A post-pass over one code text run at a
//! time: it escapes the text as the HTML writer would and wraps each resolved span, so it
//! composes with any renderer that emits code as text runs. The Markdown export never
//! calls it and keeps the text as written.

use crate::model::commands::resolve::Target;
use crate::model::site::CommandRef;
use crate::model::Fleet;

/// Site-root-relative URL of what a command names.
pub fn href(fleet: &Fleet, t: Target) -> String {
    match t {
        Target::Host(h) => format!("hosts/{}/", fleet.hosts[h].id),
        Target::Service(s) => {
            let svc = &fleet.services[s];
            format!("hosts/{}/#service-{}", fleet.hosts[svc.hosts[0]].id, svc.id)
        }
    }
}

/// The HTML of a code text run that starts at body offset `start`, with every resolved
/// name inside it linked; `None` when no name is inside (the writer escapes it as usual).
pub fn linked(text: &str, start: usize, refs: &[CommandRef], fleet: &Fleet, root: &str) -> Option<String> {
    let end = start + text.len();
    let mut inside: Vec<&CommandRef> = refs
        .iter()
        .filter(|r| r.span.start >= start && r.span.end <= end && r.span.start < r.span.end)
        .collect();
    if inside.is_empty() {
        return None;
    }
    inside.sort_by_key(|r| r.span.start);
    let mut html = String::with_capacity(text.len() + 64 * inside.len());
    let mut at = 0;
    for r in inside {
        let (a, b) = (r.span.start - start, r.span.end - start);
        if a < at || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        escape(&mut html, &text[at..a]);
        html.push_str(&format!(
            "<a class=\"fleet-ref\" href=\"{root}{}\">",
            crate::render::tables::esc(&href(fleet, r.target))
        ));
        escape(&mut html, &text[a..b]);
        html.push_str("</a>");
        at = b;
    }
    escape(&mut html, &text[at..]);
    Some(html)
}

/// Escape code text the way the HTML writer does (`&`, `<`, `>`).
fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}
