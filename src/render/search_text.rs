//! What a page says, as plain text by section, for the search index (`search.rs`). The HTML
//! backend collects it while it renders a page (`markdown.rs`), from the same events, so
//! the index holds what the page shows: its prose, its code, and the text of its fleet
//! tables; each section under the heading anchor a result lands on.

/// One section of a page: the text under a heading, up to the next heading.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SectionText {
    /// The heading's anchor; empty for the text before the first heading (the page's top).
    pub anchor: String,
    /// The heading as shown; empty for the page's top.
    pub heading: String,
    pub text: String,
}

/// A page's sections, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PageText {
    pub sections: Vec<SectionText>,
}

/// Room a section's text starts with: it grows a few words at a time, and from nothing
/// it would be copied seven times on its way to a runbook section's size (the spare room
/// goes when the page is finished).
const SECTION_ROOM: usize = 512;

impl SectionText {
    fn starting(anchor: String) -> Self {
        SectionText {
            anchor,
            heading: String::new(),
            text: String::with_capacity(SECTION_ROOM),
        }
    }
}

/// Gathers a page's text while it is rendered.
#[derive(Default)]
pub struct Collector {
    sections: Vec<SectionText>,
    in_heading: bool,
}

impl Collector {
    pub fn new() -> Self {
        Collector {
            sections: vec![SectionText::starting(String::new())],
            in_heading: false,
        }
    }

    fn current(&mut self) -> &mut SectionText {
        if self.sections.is_empty() {
            self.sections.push(SectionText::default());
        }
        let last = self.sections.len() - 1;
        &mut self.sections[last]
    }

    /// A heading starts a section.
    pub fn heading(&mut self, anchor: &str) {
        self.sections
            .push(SectionText::starting(anchor.to_string()));
        self.in_heading = true;
    }

    pub fn heading_end(&mut self) {
        self.in_heading = false;
    }

    /// Text the page shows (a heading's while in one).
    pub fn text(&mut self, t: &str) {
        let in_heading = self.in_heading;
        let s = self.current();
        let into = if in_heading {
            &mut s.heading
        } else {
            &mut s.text
        };
        into.push_str(t);
    }

    /// A break between words (the end of a paragraph, item or cell, a line break).
    pub fn space(&mut self) {
        let in_heading = self.in_heading;
        let s = self.current();
        let into = if in_heading {
            &mut s.heading
        } else {
            &mut s.text
        };
        if !into.is_empty() && !into.ends_with(' ') {
            into.push(' ');
        }
    }

    /// Generated HTML (a fleet table, the status line) as the words it shows.
    pub fn html(&mut self, html: &str) {
        self.space();
        let text = strip_tags(html);
        self.text(&text);
        self.space();
    }

    pub fn finish(mut self) -> PageText {
        // The text keeps its white space as rendered (words are what the index reads; a
        // result's excerpt is squashed when it is cut).
        // Each text was grown by doubling: kept until the index is made (and by `watch`),
        // so its spare capacity goes (at 10,000 pages, tens of MB of the peak).
        for s in &mut self.sections {
            s.heading = squash(&s.heading);
            s.text.shrink_to_fit();
        }
        self.sections.shrink_to_fit();
        // The page's top without text is no result of its own.
        if self
            .sections
            .first()
            .is_some_and(|s| s.anchor.is_empty() && s.text.trim().is_empty())
        {
            self.sections.remove(0);
        }
        PageText {
            sections: self.sections,
        }
    }
}

/// Runs of ASCII white space as one space, trimmed (one pass, copying runs whole: a
/// thousand pages hold megabytes of text).
pub fn squash(s: &str) -> String {
    let s = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    let mut in_space = false;
    for (i, b) in s.bytes().enumerate() {
        let space = b.is_ascii_whitespace();
        if space && !in_space {
            out.push_str(&s[from..i]);
            out.push(' ');
        } else if !space && in_space {
            from = i;
        }
        in_space = space;
    }
    if !in_space {
        out.push_str(&s[from..]);
    }
    out
}

/// The text of generated HTML: tags become spaces, the five entities fleetdoc's escaper
/// writes are read back, and SVG drawings are left out (their labels repeat the tables).
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        out.push(' ');
        let tag = &rest[lt..];
        let skip_to = if tag.starts_with("<svg") {
            tag.find("</svg>").map(|e| e + "</svg>".len())
        } else {
            tag.find('>').map(|e| e + 1)
        };
        match skip_to {
            Some(n) => rest = &tag[n..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    unescape(&out)
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_become_spaces_and_drawings_are_left_out() {
        assert_eq!(
            squash(&strip_tags(
                "<table><tr><td>Gitea</td><td>a &amp; b</td></tr></table><svg><text>x</text></svg>after"
            )),
            "Gitea a & b after"
        );
    }

    #[test]
    fn white_space_runs_become_one_space() {
        assert_eq!(squash("  a \n\t b  c\n"), "a b c");
        assert_eq!(squash("\u{e9}t\u{e9}  x"), "\u{e9}t\u{e9} x");
        assert_eq!(squash(" \n "), "");
    }

    #[test]
    fn sections_follow_headings() {
        let mut c = Collector::new();
        c.text("intro");
        c.heading("restore");
        c.text("Restore");
        c.heading_end();
        c.text("run  restic");
        let p = c.finish();
        assert_eq!(p.sections.len(), 2);
        assert_eq!(p.sections[1].anchor, "restore");
        assert_eq!(p.sections[1].heading, "Restore");
        assert_eq!(squash(&p.sections[1].text), "run restic");
    }
}
