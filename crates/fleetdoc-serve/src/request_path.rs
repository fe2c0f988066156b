//! Turns the raw path of an HTTP request into something safe to act on.
//!
//! Every request is classified once, here, before any file is touched: the code-server
//! `/absproxy/<port>/` prefix is removed, each segment is percent-decoded and checked
//! (no `..`, no `.`, no encoded slashes, backslashes or NUL bytes, valid UTF-8), and the
//! reserved live-reload paths are recognised. The rest of the crate only ever sees a
//! [`Target`], so an unchecked path cannot reach the file system.

use percent_encoding::percent_decode_str;

/// The folder, relative to the site root, under which live-reload endpoints live.
pub const RESERVED_DIR: &str = "__fleetdoc";

/// What a request path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A path inside the site, already validated.
    Site(SitePath),
    /// `/__fleetdoc/events`: the live-reload event stream.
    Events,
    /// `/__fleetdoc/livereload.js`: the live-reload client script.
    Script,
    /// `/absproxy/<port>` without its trailing slash: redirect to this relative location.
    Redirect(String),
    /// The path is malformed or tries to leave the site.
    Refused,
}

/// A request path whose segments are all plain names (no `.`/`..`, no separators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePath {
    /// Decoded, non-empty path segments, in order.
    segments: Vec<String>,
    /// True when the request path ended with `/` (a folder was asked for).
    trailing_slash: bool,
    /// How many folders deep the page sits as the browser sees it: the number of `/`
    /// in the (prefix-free) path minus one. Used for relative links back to the root.
    depth: usize,
    /// The last raw (still percent-encoded) segment, for relative redirects.
    last_raw: String,
}

impl SitePath {
    /// True when a segment names a hidden file or folder (`.env`, `.git`): never
    /// served, since a public proxy in front would expose them. `.well-known` (RFC 8615)
    /// is the one exception.
    pub fn is_hidden(&self) -> bool {
        self.segments
            .iter()
            .any(|s| s.starts_with('.') && s != ".well-known")
    }

    /// The decoded segments, in order.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// True when the request ended with `/`.
    pub fn trailing_slash(&self) -> bool {
        self.trailing_slash
    }

    /// The relative path from the requested page's folder to the site root:
    /// `` for `/`, `../../` for `/a/b/`, `../` for `/a/page.html`.
    pub fn to_root(&self) -> String {
        "../".repeat(self.depth)
    }

    /// The relative Location that adds the missing slash to a folder request:
    /// `/a/b` -> `b/`, keeping the original encoding of the last segment.
    pub fn slash_redirect(&self, query: Option<&str>) -> String {
        let mut location = format!("{}/", self.last_raw);
        if let Some(q) = query.filter(|q| !q.is_empty()) {
            location.push('?');
            location.push_str(q);
        }
        location
    }
}

/// Classifies a raw request path (the part of the URI before `?`).
pub fn classify(raw_path: &str, live: bool) -> Target {
    if !raw_path.starts_with('/') {
        return Target::Refused;
    }
    let path = match strip_absproxy(raw_path) {
        Stripped::Rest(rest) => rest,
        Stripped::NeedsSlash(port) => return Target::Redirect(format!("{port}/")),
    };
    if live {
        match path {
            "/__fleetdoc/events" => return Target::Events,
            "/__fleetdoc/livereload.js" => return Target::Script,
            _ => {}
        }
    }
    if path.matches('/').count() > crate::limits::MAX_PATH_DEPTH {
        return Target::Refused;
    }
    let mut segments = Vec::new();
    for raw in path.split('/').skip(1) {
        if raw.is_empty() {
            continue;
        }
        match decode_segment(raw) {
            Some(seg) => segments.push(seg),
            None => return Target::Refused,
        }
    }
    if segments.first().is_some_and(|s| s == RESERVED_DIR) {
        // Never served from disk, whether or not live reload is on.
        return Target::Refused;
    }
    let depth = path.matches('/').count().saturating_sub(1);
    let last_raw = path.rsplit('/').next().unwrap_or_default().to_owned();
    Target::Site(SitePath {
        segments,
        trailing_slash: path.ends_with('/'),
        depth,
        last_raw,
    })
}

enum Stripped<'a> {
    Rest(&'a str),
    NeedsSlash(&'a str),
}

/// Removes a leading `/absproxy/<digits>` (code-server passes the full path through).
fn strip_absproxy(path: &str) -> Stripped<'_> {
    let Some(after) = path.strip_prefix("/absproxy/") else {
        return Stripped::Rest(path);
    };
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Stripped::Rest(path);
    }
    let (port, rest) = after.split_at(digits);
    if rest.is_empty() {
        Stripped::NeedsSlash(port)
    } else if rest.starts_with('/') {
        Stripped::Rest(rest)
    } else {
        Stripped::Rest(path)
    }
}

/// Decodes one segment; `None` when it is unsafe to map onto a file name.
fn decode_segment(raw: &str) -> Option<String> {
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    let bad_char = |c: char| c == '/' || c == '\\' || c == '\0' || c.is_control();
    if decoded == "." || decoded == ".." || decoded.chars().any(bad_char) {
        return None;
    }
    Some(decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str) -> SitePath {
        match classify(path, true) {
            Target::Site(p) => p,
            other => panic!("{path} classified as {other:?}"),
        }
    }

    #[test]
    fn dot_segments_and_encoded_separators_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/..%2fx",
            "/a%2f..%2f..%2fx",
            "/a%5c..%5cx",
            "/a\\..\\x",
            "/./a",
            "/a%00b",
            "/%ff",
            "relative",
            "/__fleetdoc/other",
        ] {
            assert_eq!(classify(bad, true), Target::Refused, "{bad}");
        }
    }

    #[test]
    fn relative_root_matches_browser_resolution() {
        assert_eq!(site("/").to_root(), "");
        assert_eq!(site("/a/b/").to_root(), "../../");
        assert_eq!(site("/a/page.html").to_root(), "../");
        assert_eq!(site("/a//b/").to_root(), "../../../");
        assert_eq!(site("/absproxy/8080/a/b/").to_root(), "../../");
    }

    #[test]
    fn absproxy_prefix_is_removed_and_live_paths_found_behind_it() {
        assert_eq!(site("/absproxy/1234/a/b/").segments(), ["a", "b"]);
        assert_eq!(
            classify("/absproxy/1234/__fleetdoc/events", true),
            Target::Events
        );
        assert_eq!(classify("/__fleetdoc/livereload.js", true), Target::Script);
        assert_eq!(
            classify("/__fleetdoc/livereload.js", false),
            Target::Refused
        );
        assert_eq!(
            classify("/absproxy/1234", true),
            Target::Redirect("1234/".into())
        );
        assert_eq!(site("/absproxy/x/").segments(), ["absproxy", "x"]);
    }

    #[test]
    fn folder_redirect_is_relative_and_keeps_encoding() {
        assert_eq!(site("/a/b").slash_redirect(None), "b/");
        assert_eq!(
            site("/a/my%20dir").slash_redirect(Some("x=1")),
            "my%20dir/?x=1"
        );
        assert_eq!(site("/caf%C3%A9").segments(), ["café"]);
    }
}
