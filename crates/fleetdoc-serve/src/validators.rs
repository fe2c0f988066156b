//! ETags and their comparison for conditional requests.
//!
//! The tag is weak and built from what the file system already knows (length,
//! modification time in nanoseconds, inode), so it changes whenever a rebuild replaces
//! the file, without reading the file. In watch mode HTML pages also carry the id of the
//! build they were injected with, so a browser never revalidates a page into a stale one.

use std::fs::Metadata;
use std::time::UNIX_EPOCH;

use axum::http::header::{self, HeaderMap, HeaderValue};

/// The weak ETag of a file, optionally tied to a live-reload build id.
pub fn etag_for(meta: &Metadata, build: Option<&str>) -> HeaderValue {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mut tag = format!("W/\"{:x}-{:x}-{:x}", meta.len(), mtime, inode(meta));
    if let Some(build) = build {
        tag.push('-');
        tag.extend(build.chars().filter(char::is_ascii_alphanumeric));
    }
    tag.push('"');
    HeaderValue::from_str(&tag).unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""))
}

#[cfg(unix)]
fn inode(meta: &Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_meta: &Metadata) -> u64 {
    0
}

/// True when the request's `If-None-Match` lists `etag` (weak comparison) or is `*`.
pub fn etag_matches(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = opaque(etag.to_str().unwrap_or_default());
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || opaque(candidate) == ours)
}

/// The quoted part of an entity tag, without any `W/` weakness marker.
fn opaque(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn weak_comparison_accepts_lists_and_star() {
        let ours = HeaderValue::from_static("W/\"a-b-c\"");
        assert!(etag_matches(&headers("W/\"a-b-c\""), &ours));
        assert!(etag_matches(&headers("\"x\", \"a-b-c\""), &ours));
        assert!(etag_matches(&headers("*"), &ours));
        assert!(!etag_matches(&headers("W/\"a-b-d\""), &ours));
        assert!(!etag_matches(&HeaderMap::new(), &ours));
    }
}
