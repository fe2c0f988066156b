//! Adds the live-reload script to HTML pages served by `watch`.
//!
//! The script tag uses a path relative to the requested page's folder, so the browser
//! resolves it under whatever prefix the page was reached through (code-server's
//! `/proxy/<port>/`, a Traefik path prefix, or none). A `<meta>` element carries the id
//! of the build the page came from, so a tab that missed a reload while it was
//! connecting notices it is stale.

/// Returns `html` with the build marker and script inserted before the last `</body>`
/// (or appended when the page has none).
pub fn inject_script(html: &[u8], to_root: &str, build: &str) -> Vec<u8> {
    let tag = format!(
        "<meta name=\"fleetdoc-build\" content=\"{build}\">\
         <script src=\"{to_root}__fleetdoc/livereload.js\" defer></script>"
    );
    let at = find_last_body_close(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The error page is served at any missing path, at any depth: a `<base href>` pointing at
/// the site root (relative, so it also holds under a path prefix) makes its links work.
pub fn insert_base(html: &[u8], to_root: &str) -> Vec<u8> {
    let href = if to_root.is_empty() { "./" } else { to_root };
    let tag = format!("<base href=\"{href}\">");
    let at = html
        .windows(5)
        .position(|w| w.eq_ignore_ascii_case(b"<head"))
        .and_then(|start| {
            html[start..]
                .iter()
                .position(|&b| b == b'>')
                .map(|end| start + end + 1)
        })
        .unwrap_or(0);
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Byte offset of the last `</body` (any case) in `html`.
fn find_last_body_close(html: &[u8]) -> Option<usize> {
    const NEEDLE: &[u8] = b"</body";
    html.windows(NEEDLE.len())
        .rposition(|w| w.eq_ignore_ascii_case(NEEDLE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_goes_right_after_the_head_tag() {
        let out = insert_base(
            b"<html><HEAD lang=x><title>t</title></head></html>",
            "../../",
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><HEAD lang=x><base href=\"../../\"><title>t</title></head></html>"
        );
        assert!(String::from_utf8(insert_base(b"<p>x</p>", ""))
            .unwrap()
            .starts_with("<base href=\"./\">"));
    }

    #[test]
    fn script_goes_before_the_last_closing_body_tag() {
        let out = inject_script(b"<html><BODY>x</BODY></html>", "../../", "1-2");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.ends_with(
            "<script src=\"../../__fleetdoc/livereload.js\" defer></script></BODY></html>"
        ));
        assert!(text.contains("<meta name=\"fleetdoc-build\" content=\"1-2\">"));
    }

    #[test]
    fn page_without_body_tag_gets_script_appended() {
        let out = inject_script(b"<p>fragment", "", "7");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("<p>fragment<meta"));
        assert!(text.ends_with("<script src=\"__fleetdoc/livereload.js\" defer></script>"));
    }
}
