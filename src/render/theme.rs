//! The built-in theme, embedded in the binary so that fleetdoc works anywhere on its own:
//! Tera templates and static assets. A project's own `templates/` replaces built-in templates
//! file by file, and its `assets/` files are copied over the built-in ones.

use crate::diag::{Diagnostics, Loc};

/// Built-in templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("fleet.html", include_str!("../../templates/fleet.html")),
    ("host.html", include_str!("../../templates/host.html")),
    ("changes.html", include_str!("../../templates/changes.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    (
        "incidents.html",
        include_str!("../../templates/incidents.html"),
    ),
    (
        "incidents.xml",
        include_str!("../../templates/incidents.xml"),
    ),
    (
        "availability.html",
        include_str!("../../templates/availability.html"),
    ),
];

/// Built-in assets, written to `site/assets/`.
pub const ASSETS: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../assets/style.css")),
    ("fleetdoc.js", include_bytes!("../../assets/fleetdoc.js")),
    ("search.js", include_bytes!("../../assets/search.js")),
    ("favicon.svg", include_bytes!("../../assets/favicon.svg")),
];

/// Whether any of a project's templates names the `hosts` variable (the word `hosts`, not
/// part of a longer name such as `host_count` or `hosts_table`). The built-in templates
/// use `host_count` and `host_nav` instead.
pub fn names_hosts(overrides: &[(String, String)]) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    overrides.iter().any(|(_, text)| {
        text.match_indices("hosts").any(|(i, m)| {
            !text[..i].chars().next_back().is_some_and(word)
                && !text[i + m.len()..].chars().next().is_some_and(word)
        })
    })
}

/// Tera with the built-in templates, then the project's overrides on top.
pub fn tera(overrides: &[(String, String)], diags: &mut Diagnostics) -> tera::Tera {
    let mut t = tera::Tera::default();
    t.autoescape_on(vec![".html", ".xml"]);
    t.set_escape_fn(crate::render::tables::esc);
    let mut all: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    for (name, text) in overrides {
        if let Some(slot) = all.iter_mut().find(|(n, _)| n == name) {
            slot.1 = text.clone();
        } else {
            all.push((name.clone(), text.clone()));
        }
    }
    if let Err(e) = t.add_raw_templates(all.clone()) {
        diags.error(
            Loc::file_start(format!("templates/{}", template_of(&e).unwrap_or_default())),
            format!("template error: {}", chain(&e)),
        );
        // Fall back to the built-in theme so the rest of the build can still be checked.
        let mut t = tera::Tera::default();
        t.autoescape_on(vec![".html", ".xml"]);
        t.set_escape_fn(crate::render::tables::esc);
        let _ = t.add_raw_templates(
            TEMPLATES
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string())),
        );
        return t;
    }
    t
}

fn template_of(e: &tera::Error) -> Option<String> {
    let msg = e.to_string();
    let start = msg.find('\'')? + 1;
    let end = start + msg[start..].find('\'')?;
    Some(msg[start..end].to_string())
}

/// Tera's error with its causes, on one line.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s.replace('\n', " ")
}
