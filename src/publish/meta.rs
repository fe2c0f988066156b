//! The metadata file every release carries (`fleetdoc-release.json`): which project it is,
//! when it was published, and its explainers with links relative to the release root. The
//! shared index is rebuilt from these files alone, so any project that writes one, fleetdoc
//! or not, is listed; what is read back from another project is checked, never trusted.

use crate::render::output::Output;
use serde::{Deserialize, Serialize};

/// File name of the metadata inside a release.
pub const META_FILE: &str = "fleetdoc-release.json";
/// Format version written into the metadata.
pub const META_FORMAT: u32 = 1;

/// One explainer of a release, as listed in the shared index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    /// Relative to the release root, e.g. `explainers/vps/` or `fleet/index.html`.
    pub href: String,
    /// Relative link to a PNG of the release, shown as the card's thumbnail.
    #[serde(default)]
    pub poster: Option<String>,
    /// When the explainer last changed, e.g. `2025-03-09`.
    #[serde(default)]
    pub updated: Option<String>,
}

/// Contents of `fleetdoc-release.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReleaseMeta {
    #[serde(default)]
    pub format: u32,
    pub project: String,
    pub title: String,
    #[serde(default)]
    pub release: String,
    /// RFC 3339, UTC.
    pub published_at: String,
    #[serde(default)]
    pub entries: Vec<Entry>,
}

/// A link that stays inside the release: relative, no `..`, no scheme, no query; plain
/// path characters only. A trailing `/` (a folder with an `index.html`) is allowed.
pub fn safe_href(href: &str) -> bool {
    if href.is_empty() || href.len() > 1024 || href.starts_with('/') {
        return false;
    }
    let body = href.strip_suffix('/').unwrap_or(href);
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b))
        && body
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

/// The file of `site` a link opens, if it is one: `a/` and `a` both open `a/index.html`.
fn target_exists(site: &Output, href: &str) -> bool {
    let body = href.trim_end_matches('/');
    (!href.ends_with('/') && site.files.contains_key(body))
        || site.files.contains_key(&format!("{body}/index.html"))
}

/// Checks one entry against the site it is published with.
pub fn check_entry(site: &Output, e: &Entry) -> Result<(), String> {
    if e.title.trim().is_empty() {
        return Err("its title is empty".into());
    }
    if !safe_href(&e.href) {
        return Err(format!(
            "its link `{}` must be a relative path inside the site (no `..`, no `/` first, no scheme)",
            e.href
        ));
    }
    if !target_exists(site, &e.href) {
        return Err(format!("its link `{}` opens no page of the site", e.href));
    }
    if let Some(p) = &e.poster {
        if !safe_href(p) || p.ends_with('/') {
            return Err(format!(
                "its poster `{p}` must be a relative path to a file of the site"
            ));
        }
        if !site.files.contains_key(p.as_str()) {
            return Err(format!("its poster `{p}` is not a file of the site"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_must_stay_inside_the_release() {
        for ok in ["a/", "a/b/index.html", "diagrams/vps.png", "x%20y/"] {
            assert!(safe_href(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../other/",
            "a/../../b",
            "javascript:alert(1)",
            "a//b",
            "a?x=1",
            "./a",
            "a\\b",
            "\"><script>",
        ] {
            assert!(!safe_href(bad), "{bad}");
        }
    }

    #[test]
    fn entries_must_open_a_page_of_the_site() {
        let mut site = Output::default();
        site.bytes("vps/index.html", "page");
        site.bytes("diagrams/vps.png", "png");
        let mut e = Entry {
            title: "VPS".into(),
            summary: None,
            href: "vps/".into(),
            poster: Some("diagrams/vps.png".into()),
            updated: None,
        };
        assert_eq!(check_entry(&site, &e), Ok(()));
        e.href = "vps".into();
        assert_eq!(check_entry(&site, &e), Ok(()));
        e.href = "gone/".into();
        assert!(check_entry(&site, &e)
            .unwrap_err()
            .contains("opens no page"));
        e.href = "vps/".into();
        e.poster = Some("diagrams/none.png".into());
        assert!(check_entry(&site, &e).unwrap_err().contains("poster"));
    }
}
