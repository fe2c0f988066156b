//! A table as data, written out twice: as HTML for the site and as a GFM pipe table for the
//! Markdown export. Cells hold plain text; escaping happens here, at the edge.

/// One table cell: text, an optional link (relative to the site root) and an optional
/// status badge class.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub badge: Option<&'static str>,
    /// Pre-rendered inline SVG (a sparkline) shown after the text in HTML.
    pub svg: Option<String>,
    /// A second link after the text, (text, site-root-relative href): the incident a
    /// service row is part of.
    pub note: Option<(String, String)>,
    /// Plain words after the text: a service's maintenance window.
    pub after: Option<String>,
    /// What the GFM table shows instead of `text`, where the HTML says it in `svg`.
    pub gfm: Option<String>,
}

impl Cell {
    pub fn text(t: impl Into<String>) -> Cell {
        Cell {
            text: t.into(),
            ..Cell::default()
        }
    }
    pub fn link(t: impl Into<String>, href: impl Into<String>) -> Cell {
        Cell {
            text: t.into(),
            href: Some(href.into()),
            ..Cell::default()
        }
    }
    /// This cell with a link to the incident `mark` after its text.
    pub fn with_incident(mut self, mark: Option<&crate::analyze::incidents::Mark>) -> Cell {
        self.note = mark.map(|m| (format!("incident: {}", m.title), m.href()));
        self
    }
    pub fn badge(t: impl Into<String>, class: &'static str) -> Cell {
        Cell {
            text: t.into(),
            badge: Some(class),
            ..Cell::default()
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub class: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Shown instead of an empty table.
    pub empty: String,
    /// An `id` for each row, where the page is the one place the rows are linked to (a
    /// host page's services: `#service-<id>`); empty for every other table.
    pub row_ids: Vec<String>,
}

/// Escape text for HTML and SVG (text and attribute values). Unlike Tera's default, `/` is
/// left alone, so paths and protocols like `HTTPS/API` stay readable in the output.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    esc_into(&mut out, s);
    out
}

/// [`esc`], appended to `out`.
pub fn esc_into(out: &mut String, s: &str) {
    let mut from = 0;
    // Copy the runs between special characters whole; they are ASCII, so byte
    // positions are character boundaries.
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(rep);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

impl Table {
    /// The same table with every link removed: the public profile publishes no host pages
    /// for the cells to point at.
    pub fn without_links(mut self) -> Table {
        for cell in self.rows.iter_mut().flatten() {
            cell.href = None;
        }
        self
    }

    /// HTML, with links made relative from the page through `root` (e.g. `../../`).
    pub fn to_html(&self, root: &str) -> String {
        if self.rows.is_empty() {
            return format!("<p class=\"fleet-empty\">{}</p>\n", esc(&self.empty));
        }
        let mut h = format!(
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{} table\"><table class=\"fleet-table {}\">\n<thead><tr>",
            esc(self.class.trim_start_matches("table-")),
            esc(&self.class)
        );
        for head in &self.headers {
            h.push_str(&format!("<th scope=\"col\">{}</th>", esc(head)));
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for (i, row) in self.rows.iter().enumerate() {
            match self.row_ids.get(i) {
                Some(id) => h.push_str(&format!("<tr id=\"{}\">", esc(id))),
                None => h.push_str("<tr>"),
            }
            for cell in row {
                h.push_str("<td>");
                let text = esc(&cell.text);
                let inner = match &cell.badge {
                    Some(class) => format!("<span class=\"badge {class}\">{text}</span>"),
                    None => text,
                };
                match &cell.href {
                    Some(href) => {
                        h.push_str(&format!("<a href=\"{}{}\">{inner}</a>", root, esc(href)))
                    }
                    None => h.push_str(&inner),
                }
                if let Some(svg) = &cell.svg {
                    h.push(' ');
                    h.push_str(svg);
                }
                if let Some(after) = &cell.after {
                    h.push_str(&format!(
                        " <span class=\"window-note\">{}</span>",
                        esc(after)
                    ));
                }
                if let Some((text, href)) = &cell.note {
                    h.push_str(&format!(
                        " <a class=\"incident-mark\" href=\"{root}{}\">{}</a>",
                        esc(href),
                        esc(text)
                    ));
                }
                h.push_str("</td>");
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody></table></div>\n");
        h
    }

    /// A GFM pipe table (links dropped to their text: the export has no site to link into).
    pub fn to_gfm(&self) -> String {
        if self.rows.is_empty() {
            return format!("_{}_\n", gfm_cell(&self.empty));
        }
        let mut s = String::new();
        s.push_str(&format!(
            "| {} |\n",
            self.headers
                .iter()
                .map(|h| gfm_cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
        s.push_str(&format!(
            "|{}|\n",
            self.headers
                .iter()
                .map(|_| "---")
                .collect::<Vec<_>>()
                .join("|")
        ));
        for row in &self.rows {
            s.push_str(&format!(
                "| {} |\n",
                row.iter()
                    .map(|c| {
                        if let Some(gfm) = &c.gfm {
                            return gfm_cell(gfm);
                        }
                        let mut t = c.text.clone();
                        if let Some(after) = &c.after {
                            t.push_str(&format!(" ({after})"));
                        }
                        if let Some((note, _)) = &c.note {
                            t.push_str(&format!(" ({note})"));
                        }
                        gfm_cell(&t)
                    })
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        }
        s
    }
}

/// Text safe inside a GFM table cell: pipes escaped, newlines folded, HTML-significant
/// characters escaped so a forge does not read them as tags.
pub fn gfm_cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
