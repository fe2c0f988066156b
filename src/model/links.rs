//! Links between pages are written as they work on a forge and in an editor's preview: a
//! relative link to another page's `.md` file. Here, in the model stage, every link and
//! image of every page is resolved against the whole site and checked (the page, its
//! heading anchor, the file) before anything is rendered; each backend then writes the
//! resolved [`Target`] its own way (a site URL, a path in the Markdown export).

use crate::base::paths::{dir_of, resolve};
use crate::base::suggest::did_you_mean;
use crate::diag::{Diagnostics, Loc};
use crate::model::pages::{Page, RESERVED};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Where a link or image of a page goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// Kept exactly as written: a URL with a scheme, `//host/...`, an empty link, or a
    /// link whose problem was reported (so the output shows what the author wrote).
    AsWritten(String),
    /// A heading of the same page.
    Anchor(String),
    /// Another page, by its index in the site's pages.
    Page { page: usize, anchor: Option<String> },
    /// A file below content/ that is copied beside the pages (path below content/).
    File {
        path: String,
        anchor: Option<String>,
    },
    /// A page or file fleetdoc generates: `fleet/`, `hosts/<id>/`, `diagrams/<name>.svg`.
    Generated {
        path: String,
        anchor: Option<String>,
    },
    /// Not part of this site (a page the public profile withholds, or an input such as
    /// the topology): the link is dropped and its text kept.
    TextOnly,
}

/// What a link may point at: the site's pages and files.
pub struct Index<'a> {
    pub pages: &'a [std::sync::Arc<Page>],
    /// Each page's index by its path below content/ (kept by the site, see
    /// [`crate::model::site::Site::page_index`]).
    pub by_rel: &'a HashMap<String, usize>,
    pub statics: BTreeSet<&'a str>,
    pub inputs: BTreeSet<&'a str>,
    /// Paths below content/ of pages that exist but are left out of this site.
    pub withheld: &'a BTreeSet<String>,
    /// Whether the fleet overview and host pages are part of this site.
    pub fleet_pages: bool,
    /// Each host page (by host id) and the anchors it has: its sections and one
    /// `service-<id>` per service on the host.
    pub host_anchors: HashMap<&'a str, Vec<String>>,
    /// Each page's heading anchors (parallel to `pages`), so a link's anchor is checked by
    /// a hash lookup however many headings and links a page has; a page's set is made the
    /// first time a link names it (an edit under `watch` resolves a few pages' links).
    pub anchors: Vec<std::sync::OnceLock<HashSet<&'a str>>>,
    /// A topology file could not be read (its error is reported): hosts and services may
    /// be missing, so links to them are not reported.
    pub fleet_partial: bool,
    /// Services the topology declares but could not place on a host (reported there):
    /// their `service-<id>` anchors are not reported missing.
    pub unplaced: &'a [String],
}

impl<'a> Index<'a> {
    /// Room for the heading anchors of every page, for [`Index::anchors`].
    pub fn anchors_of(
        pages: &'a [std::sync::Arc<Page>],
    ) -> Vec<std::sync::OnceLock<HashSet<&'a str>>> {
        pages.iter().map(|_| std::sync::OnceLock::new()).collect()
    }

    /// The heading anchors of page `i`.
    fn anchors(&self, i: usize) -> &HashSet<&'a str> {
        self.anchors[i].get_or_init(|| {
            self.pages[i]
                .headings
                .iter()
                .map(|h| h.anchor.as_str())
                .collect()
        })
    }

    /// Whether `page` has a heading with anchor `a`.
    fn has_anchor(&self, page: &Page, a: &str) -> bool {
        match self.by_rel.get(page.source.rel.as_str()) {
            Some(&i) if std::ptr::eq(&*self.pages[i], page) => self.anchors(i).contains(a),
            _ => page.has_anchor(a),
        }
    }
}

/// The sections every host page has (see `templates/host.html`).
pub const HOST_SECTIONS: &[&str] = &["services", "not-running", "links", "status", "redundancy"];

fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// Image types a `data:` URL may carry in an image: pictures a browser only draws (an SVG
/// document can hold script, so `data:image/svg+xml` is not among them).
const SAFE_DATA_IMAGES: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp"];

/// The scheme of `dest` when a browser would run it (`javascript:`, `vbscript:`) or open it
/// as a document of unknown origin (`data:`, except a picture in an image). Browsers drop
/// tabs, line breaks and spaces and ignore case in a scheme, so this does too.
fn unsafe_scheme(dest: &str, image: bool) -> Option<&'static str> {
    let squashed: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(40)
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme = ["javascript:", "vbscript:", "data:"]
        .into_iter()
        .find(|s| squashed.starts_with(s))?;
    let rest = &squashed[scheme.len()..];
    let safe_picture = scheme == "data:"
        && image
        && SAFE_DATA_IMAGES.iter().any(|t| {
            rest.strip_prefix(t)
                .is_some_and(|r| r.starts_with(';') || r.starts_with(','))
        });
    (!safe_picture).then_some(scheme)
}

/// Resolve one link or image destination found in `page`; problems are reported at `loc`,
/// which is worked out only when there is something to report.
pub fn resolve_link(
    dest: &str,
    image: bool,
    page: &Page,
    ix: &Index,
    loc: impl Fn() -> Loc,
    diags: &mut Diagnostics,
) -> Target {
    if let Some(scheme) = unsafe_scheme(dest, image) {
        let shown: String = dest.chars().take(40).collect();
        let what = if scheme == "data:" && image {
            "a `data:` image other than PNG, JPEG, GIF or WebP (an SVG can hold script)"
        } else if scheme == "data:" {
            "a `data:` link (it opens a document of unknown origin)"
        } else {
            "a script link (it runs code in the reader's browser)"
        };
        diags.error(
            loc(),
            format!(
                "`{shown}` is {what}; fleetdoc refuses it: link to a page, a file in content/ or \
                 an https:// address"
            ),
        );
        return Target::TextOnly;
    }
    if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") {
        return Target::AsWritten(dest.to_string());
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        if !ix.has_anchor(page, anchor) && !anchor.starts_with("fn-") {
            diags.error(
                loc(),
                format!(
                    "link to `#{anchor}`, but this page has no heading with that anchor{}",
                    anchor_hint(page, anchor)
                ),
            );
        }
        return Target::Anchor(anchor.to_string());
    }
    if dest.starts_with('/') {
        diags.warning(loc(), format!("root-absolute link `{dest}` breaks under a path prefix (code-server's /proxy/<port>/); write a relative link"));
        return Target::AsWritten(dest.to_string());
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let decoded = percent_decode(path);
    let Some(target) = resolve(dir_of(&page.source.rel), &decoded) else {
        let fix = match built_form(&decoded, anchor.as_deref(), page, ix) {
            Some(source) => format!("{BUILT_FORM}: did you mean `{source}`?"),
            None => "link to a page or file inside the project".to_string(),
        };
        diags.error(
            loc(),
            format!("link `{dest}` points outside content/; {fix}"),
        );
        return Target::AsWritten(dest.to_string());
    };
    let top = target.split('/').next().unwrap_or_default();
    let generated = RESERVED.contains(&top) && !target.is_empty();
    if ix.withheld.contains(target.as_str())
        || (generated && !ix.fleet_pages && matches!(top, "fleet" | "hosts"))
    {
        diags.warning(
            loc(),
            format!("link to `{dest}` removed from the public site: it points at an internal page (its text is kept)"),
        );
        return Target::TextOnly;
    }
    if target.ends_with(".md") {
        let Some(&i) = ix.by_rel.get(target.as_str()) else {
            let hint =
                did_you_mean(&target, ix.by_rel.keys().map(String::as_str)).unwrap_or_default();
            diags.error(
                loc(),
                format!("link to `{dest}`, but there is no page content/{target}{hint}"),
            );
            return Target::AsWritten(dest.to_string());
        };
        if let Some(a) = &anchor {
            let other = &ix.pages[i];
            if !ix.anchors(i).contains(a.as_str()) {
                diags.error(loc(), format!("link to `{dest}`, but content/{target} has no heading with anchor `#{a}`{}", anchor_hint(other, a)));
            }
        }
        return Target::Page { page: i, anchor };
    }
    if generated && top == "hosts" {
        // A host page exists only for a declared host, and has only its own anchors.
        let id = target.split('/').nth(1).unwrap_or_default();
        match ix.host_anchors.get(id) {
            _ if ix.fleet_partial => {}
            None if !id.is_empty() => {
                let hint = did_you_mean(id, ix.host_anchors.keys().copied()).unwrap_or_default();
                diags.error(
                    loc(),
                    format!(
                        "link to `{dest}`, but no host `{id}` is declared in the topology{hint}"
                    ),
                );
            }
            Some(anchors) => {
                let unplaced = |a: &str| {
                    a.strip_prefix("service-")
                        .is_some_and(|id| ix.unplaced.iter().any(|u| u == id))
                };
                if let Some(a) = anchor
                    .as_deref()
                    .filter(|a| !anchors.iter().any(|x| x == a) && !unplaced(a))
                {
                    let hint =
                        did_you_mean(a, anchors.iter().map(String::as_str)).unwrap_or_default();
                    diags.error(
                        loc(),
                        format!("link to `{dest}`, but the page of host `{id}` has no anchor `#{a}` (its services are `#service-<id>`){hint}"),
                    );
                }
            }
            None => {}
        }
    }
    if generated {
        let slash = if path.ends_with('/') { "/" } else { "" };
        return Target::Generated {
            path: format!("{target}{slash}"),
            anchor,
        };
    }
    if target.is_empty() {
        return Target::Generated {
            path: String::new(),
            anchor,
        };
    }
    if ix.inputs.contains(target.as_str()) {
        diags.warning(
            loc(),
            format!("link to `{dest}`: content/{target} is an input of fleetdoc (topology or probe data), not part of the site; the link is shown as text. Link to the fleet overview (`fleet/`) or a host page instead"),
        );
        return Target::TextOnly;
    }
    if !ix.statics.contains(target.as_str()) {
        if let Some(source) = built_form(&decoded, anchor.as_deref(), page, ix) {
            // Written as the built page links: broken in the site, the export and an editor.
            diags.error(
                loc(),
                format!("link to `{dest}`, but there is no file content/{target}; {BUILT_FORM}: did you mean `{source}`?"),
            );
            return Target::AsWritten(dest.to_string());
        }
        let hint = did_you_mean(&target, ix.statics.iter().copied()).unwrap_or_default();
        if image {
            // A page would ship a broken picture: an error, as a broken page link is.
            diags.error(
                loc(),
                format!("image `{dest}`, but there is no file content/{target}{hint}"),
            );
        } else {
            diags.warning(
                loc(),
                format!("link to `{dest}`, but there is no file content/{target}{hint}"),
            );
        }
    }
    Target::File {
        path: target,
        anchor,
    }
}

const BUILT_FORM: &str = "links are relative to the Markdown file, not to the built page";

/// A link that does not resolve from its Markdown file, read the way the built page would
/// read it (from the page's folder URL, `runbooks/ops/`): when that finds a page, a
/// generated page or a file, the link as it should be written in the source (`restore.md`,
/// `../hosts/web1/`). Authors copy links from the site, where every page is one folder
/// deeper than its file.
fn built_form(path: &str, anchor: Option<&str>, page: &Page, ix: &Index) -> Option<String> {
    let found = resolve(page.url.trim_end_matches('/'), path)?;
    let top = found.split('/').next().unwrap_or_default();
    let source = if let Some(p) = ix
        .pages
        .iter()
        .find(|p| !found.is_empty() && p.url.trim_end_matches('/') == found)
    {
        p.source.rel.clone()
    } else if matches!(top, "fleet" | "hosts" | "diagrams") && ix.fleet_pages {
        let host = found
            .strip_prefix("hosts/")
            .map(|h| h.split('/').next().unwrap_or(h));
        if host.is_some_and(|h| !h.is_empty() && !ix.host_anchors.contains_key(h)) {
            return None;
        }
        let slash = if path.ends_with('/') { "/" } else { "" };
        format!("{found}{slash}")
    } else if ix.statics.contains(found.as_str()) {
        found
    } else {
        return None;
    };
    let mut rel = crate::base::paths::relative(dir_of(&page.source.rel), &source);
    if let Some(a) = anchor {
        rel.push('#');
        rel.push_str(a);
    }
    Some(rel)
}

fn anchor_hint(page: &Page, anchor: &str) -> String {
    did_you_mean(anchor, page.headings.iter().map(|h| h.anchor.as_str())).unwrap_or_default()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A path as it goes into an `href` or a sitemap: every character outside the URL-safe set
/// percent-encoded (`a b.md` -> `a%20b`, `%2e%2e` -> `%252e%252e`), `/` kept.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode_path;

    #[test]
    fn paths_that_need_encoding_are_encoded() {
        assert_eq!(encode_path("a b/"), "a%20b/");
        assert_eq!(encode_path("%2e%2e/"), "%252e%252e/");
        assert_eq!(encode_path("runbooks/ops/"), "runbooks/ops/");
        assert_eq!(encode_path("café/"), "caf%C3%A9/");
    }
}
