//! Links between pages are written as they work on a forge and in an editor's preview: a
//! relative link to another page's `.md` file. Here they are resolved, checked (page and
//! heading anchor must exist) and rewritten to the relative URL of the page on the site.

use crate::diag::{Diagnostics, Loc};
use crate::model::pages::Page;
use crate::render::Ctx;

use crate::base::paths::resolve;

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

/// Returned for a link to a page that the public profile leaves out: the renderer drops
/// the link and keeps its text.
pub const WITHHELD: &str = "\u{0}withheld";

/// Rewrite one link or image destination found in `page`; problems are reported at `loc`.
/// `loc` gives the link's position, only worked out when there is something to report.
pub fn rewrite(
    dest: &str,
    page: &Page,
    ctx: &Ctx,
    loc: impl Fn() -> Loc,
    diags: &mut Diagnostics,
) -> String {
    if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") {
        return dest.to_string();
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        if !page.has_anchor(anchor) && !anchor.starts_with("fn-") && !anchor.starts_with("service-")
        {
            diags.error(
                loc(),
                format!(
                    "link to `#{anchor}`, but this page has no heading with that anchor{}",
                    anchor_hint(page, anchor)
                ),
            );
        }
        return dest.to_string();
    }
    if dest.starts_with('/') {
        diags.warning(loc(), format!("root-absolute link `{dest}` breaks under a path prefix (code-server's /proxy/<port>/); write a relative link"));
        return dest.to_string();
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let decoded = percent_decode(path);
    let base_dir = page
        .source
        .rel
        .rsplit_once('/')
        .map(|(d, _)| d)
        .unwrap_or("");
    let Some(target) = resolve(base_dir, &decoded) else {
        diags.error(
            loc(),
            format!(
                "link `{dest}` points outside content/; link to a page or file inside the project"
            ),
        );
        return dest.to_string();
    };
    let root = page.root();
    let generated =
        crate::model::pages::RESERVED.contains(&target.split('/').next().unwrap_or_default());
    if ctx.public
        && (ctx.withheld.contains(target.as_str())
            || (generated && !target.starts_with("diagrams")))
    {
        diags.warning(
            loc(),
            format!("link to `{dest}` removed from the public site: it points at an internal page (its text is kept)"),
        );
        return WITHHELD.to_string();
    }
    if target.ends_with(".md") {
        let Some(&ix) = ctx.by_rel.get(target.as_str()) else {
            let hint = crate::base::suggest::did_you_mean(&target, ctx.by_rel.keys().copied())
                .unwrap_or_default();
            diags.error(
                loc(),
                format!("link to `{dest}`, but there is no page content/{target}{hint}"),
            );
            return dest.to_string();
        };
        let other = &ctx.pages[ix];
        let mut href = format!("{root}{}", other.url);
        if let Some(a) = anchor {
            if !other.has_anchor(a) {
                diags.error(loc(), format!("link to `{dest}`, but content/{target} has no heading with anchor `#{a}`{}", anchor_hint(other, a)));
            }
            href.push('#');
            href.push_str(a);
        }
        return href;
    }
    let generated =
        crate::model::pages::RESERVED.contains(&target.split('/').next().unwrap_or_default());
    if !ctx.statics.contains(target.as_str()) && !target.is_empty() && !generated {
        diags.warning(
            loc(),
            format!("link to `{dest}`, but there is no file content/{target}"),
        );
    }
    let slash = if path.ends_with('/') && !target.is_empty() {
        "/"
    } else {
        ""
    };
    let mut href = format!("{root}{target}{slash}");
    if let Some(a) = anchor {
        href.push('#');
        href.push_str(a);
    }
    href
}

fn anchor_hint(page: &Page, anchor: &str) -> String {
    crate::base::suggest::did_you_mean(anchor, page.headings.iter().map(|h| h.anchor.as_str()))
        .unwrap_or_default()
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
