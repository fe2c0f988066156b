//! Names in shell blocks that the model resolved (see `model::commands`) become links to
//! their host or service in the rendered code. A post-pass over one code text run at a
//! time: it escapes the text as the HTML writer would and wraps each resolved span, so it
//! composes with any renderer that emits code as text runs. The Markdown export never
//! calls it and keeps the text as written.

use crate::model::commands::resolve::Target;
use crate::model::site::CommandRef;
use crate::model::Fleet;
use std::ops::Range;

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

/// The links of one code block: each resolved name that lies inside one of the block's
/// text runs (`(offset in the block's text, range in the body)`), as a range of the
/// block's text and the link's `href`.
pub fn in_block(
    runs: &[(usize, Range<usize>)],
    refs: &[CommandRef],
    fleet: &Fleet,
    root: &str,
) -> Vec<(Range<usize>, String)> {
    let mut links: Vec<(Range<usize>, String)> = Vec::new();
    for r in refs {
        if r.span.start >= r.span.end {
            continue;
        }
        if let Some((at, run)) = runs
            .iter()
            .find(|(_, run)| r.span.start >= run.start && r.span.end <= run.end)
        {
            let start = at + (r.span.start - run.start);
            links.push((
                start..start + r.span.len(),
                format!("{root}{}", href(fleet, r.target)),
            ));
        }
    }
    links.sort_by_key(|(span, _)| span.start);
    let mut last = 0;
    links.retain(|(span, _)| {
        let keep = span.start >= last;
        if keep {
            last = span.end;
        }
        keep
    });
    links
}

/// `html` (a code block as the highlighter wrote it: text, escaped, between tags) with each
/// range of its text wrapped in a link. A link that would cross a tag is closed before the
/// tag and opened again after it, so the nesting stays valid.
pub fn link_html(html: &str, links: &[(Range<usize>, String)]) -> String {
    let mut out = String::with_capacity(html.len() + links.len() * 64);
    let mut text_at = 0usize; // offset in the block's text
    let mut next = 0usize; // the next link to open
    let mut open: Option<usize> = None; // the link now open
    let bytes = html.as_bytes();
    let mut i = 0;
    let open_tag = |out: &mut String, k: usize| {
        out.push_str(&format!(
            "<a class=\"fleet-ref\" href=\"{}\">",
            crate::render::tables::esc(&links[k].1)
        ))
    };
    while i < bytes.len() {
        if let Some(k) = open {
            if text_at >= links[k].0.end {
                out.push_str("</a>");
                open = None;
                next = k + 1;
            }
        }
        if bytes[i] == b'<' {
            let end = html[i..]
                .find('>')
                .map(|e| i + e + 1)
                .unwrap_or(bytes.len());
            if open.is_some() {
                out.push_str("</a>");
            }
            out.push_str(&html[i..end]);
            i = end;
            if let Some(k) = open {
                // Reopen only inside the code, not after its closing tags.
                if !html[i..].starts_with("</code>") {
                    open_tag(&mut out, k);
                } else {
                    open = None;
                    next = k + 1;
                }
            }
            continue;
        }
        if open.is_none() && next < links.len() && text_at >= links[next].0.start {
            open = Some(next);
            open_tag(&mut out, next);
        }
        // One character of text: an entity counts as the one byte it stands for.
        let len = if bytes[i] == b'&' {
            html[i..].find(';').map(|e| e + 1).unwrap_or(1)
        } else {
            html[i..].chars().next().map(char::len_utf8).unwrap_or(1)
        };
        let counted = if bytes[i] == b'&' { 1 } else { len };
        out.push_str(&html[i..i + len]);
        text_at += counted;
        i += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::link_html;

    #[test]
    fn a_link_across_highlight_spans_is_split_and_nests() {
        let html = "<pre><code class=\"hl\"><span class=\"a\">systemctl</span> restart <span class=\"b\">web.</span>service\n</code></pre>\n";
        let text = "systemctl restart web.service\n";
        let start = text.find("web").unwrap();
        let out = link_html(
            html,
            &[(
                start..start + "web.service".len(),
                "hosts/a/#service-web".into(),
            )],
        );
        assert_eq!(
            out,
            "<pre><code class=\"hl\"><span class=\"a\">systemctl</span> restart <span class=\"b\"><a class=\"fleet-ref\" href=\"hosts/a/#service-web\">web.</a></span><a class=\"fleet-ref\" href=\"hosts/a/#service-web\">service</a>\n</code></pre>\n"
        );
    }

    #[test]
    fn entities_count_as_one_character() {
        let html = "<pre><code>a &amp;&amp; ssh beta\n</code></pre>";
        let text = "a && ssh beta\n";
        let start = text.find("beta").unwrap();
        let out = link_html(html, &[(start..start + 4, "hosts/beta/".into())]);
        assert!(
            out.contains("ssh <a class=\"fleet-ref\" href=\"hosts/beta/\">beta</a>\n"),
            "{out}"
        );
    }
}
