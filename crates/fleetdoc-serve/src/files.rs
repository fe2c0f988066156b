//! Answers requests for files of the site: content type, validators, conditional
//! requests, HEAD, the folder-slash redirect and the site's own 404 page.
//!
//! Bodies are streamed by tower-http's `ServeFile` (which also handles Range and
//! If-Modified-Since); this module adds what a static site behind a path prefix needs on
//! top: an ETag with If-None-Match, a relative Location for folder redirects,
//! `Cache-Control: no-cache` so a rebuilt site is seen at once, and, in watch mode, the
//! live-reload script injected into every HTML page.

use std::fs::Metadata;
use std::path::PathBuf;

use axum::body::Body;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use mime_guess::mime::{self, Mime};
use tower_http::services::ServeFile;

use crate::app::App;
use crate::inject::inject_script;
use crate::request_path::SitePath;
use crate::resolve::{not_found_page, resolve, Resolved};
use crate::validators::{etag_for, etag_matches};

/// Serves one validated site path.
pub async fn serve_site(app: &App, req: Request<Body>, path: SitePath) -> Response {
    if path.is_hidden() {
        return not_found(app, req, &path).await;
    }
    let root = app.root.clone();
    let lookup = path.clone();
    let resolved = tokio::task::spawn_blocking(move || resolve(&root, &lookup))
        .await
        .unwrap_or(Resolved::NotFound);
    match resolved {
        Resolved::File { path: file, meta } => {
            serve_file(app, req, &path, file, meta, StatusCode::OK).await
        }
        Resolved::AddSlash => {
            let location = path.slash_redirect(req.uri().query());
            redirect(&location)
        }
        Resolved::NotFound | Resolved::Outside => not_found(app, req, &path).await,
    }
}

/// A `301` to `location`, which is relative to the requested URL.
pub fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, value)],
            "Moved: add a trailing slash\n",
        )
            .into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The site's `404.html` with status 404, or a plain-text 404 when it has none.
async fn not_found(app: &App, mut req: Request<Body>, path: &SitePath) -> Response {
    let root = app.root.clone();
    let page = tokio::task::spawn_blocking(move || not_found_page(&root))
        .await
        .ok()
        .flatten();
    let Some((file, meta)) = page else {
        return (
            StatusCode::NOT_FOUND,
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
            "404 Not Found\n",
        )
            .into_response();
    };
    // The error page is never answered with 304 or a partial body.
    let headers = req.headers_mut();
    for name in [
        header::IF_NONE_MATCH,
        header::IF_MODIFIED_SINCE,
        header::IF_MATCH,
        header::IF_UNMODIFIED_SINCE,
        header::RANGE,
        header::IF_RANGE,
    ] {
        headers.remove(name);
    }
    let mut response = serve_file(app, req, path, file, meta, StatusCode::NOT_FOUND).await;
    response.headers_mut().remove(header::ETAG);
    response.headers_mut().remove(header::LAST_MODIFIED);
    response
}

/// Sends `file` with `status` (200, or 404 for the error page).
async fn serve_file(
    app: &App,
    mut req: Request<Body>,
    path: &SitePath,
    file: PathBuf,
    meta: Metadata,
    status: StatusCode,
) -> Response {
    let mime = content_type(&file);
    let is_html = mime.essence_str() == mime::TEXT_HTML.essence_str();
    let live_build = match &app.live {
        Some(live) if is_html => Some(live.build_id()),
        _ => None,
    };
    let etag = etag_for(&meta, live_build.as_deref());
    if status == StatusCode::OK && etag_matches(req.headers(), &etag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        common_headers(response.headers_mut(), &etag);
        return response;
    }
    let error_page = status == StatusCode::NOT_FOUND && is_html;
    // Pages whose body is rewritten: any page in watch mode, and the error page always.
    let rewrite = (live_build.is_some() || error_page).then_some(live_build);
    let mut response = match rewrite {
        Some(build) => match tokio::fs::read(&file).await {
            Ok(html) => {
                // The error page gets a base pointing at the site root; then the script's
                // path is relative to that root too.
                let (html, to_root) = if error_page {
                    (
                        crate::inject::insert_base(&html, &path.to_root()),
                        String::new(),
                    )
                } else {
                    (html, path.to_root())
                };
                let body = match build {
                    Some(build) => inject_script(&html, &to_root, &build),
                    None => html,
                };
                let mut r = (status, body).into_response();
                set_content_type(r.headers_mut(), &mime);
                r
            }
            Err(_) => return (StatusCode::NOT_FOUND, "404 Not Found\n").into_response(),
        },
        None => {
            // If-None-Match takes precedence over If-Modified-Since (RFC 9110 13.2.2).
            if req.headers().contains_key(header::IF_NONE_MATCH) {
                req.headers_mut().remove(header::IF_MODIFIED_SINCE);
            }
            if !range_is_served(req.headers(), meta.len()) {
                req.headers_mut().remove(header::RANGE);
            }
            match ServeFile::new_with_mime(&file, &mime).try_call(req).await {
                Ok(r) => {
                    let mut r = r.map(Body::new);
                    if r.status() == StatusCode::OK {
                        *r.status_mut() = status;
                    }
                    r
                }
                Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }
    };
    if response.status().is_success()
        || response.status() == StatusCode::NOT_MODIFIED
        || response.status() == StatusCode::NOT_FOUND
    {
        common_headers(response.headers_mut(), &etag);
    }
    response
}

/// Whether a `Range` header is left for `ServeFile` to answer: one range, well formed
/// (`206`, or `416` when it starts past the end). Anything else, several ranges or an
/// unparsable value, is ignored and the whole file sent with `200`, as RFC 9110 14.2
/// allows; `ServeFile` would answer `416`, which breaks clients that probe with them.
fn range_is_served(headers: &HeaderMap, len: u64) -> bool {
    let Some(value) = headers.get(header::RANGE) else {
        return true;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let Ok(parsed) = http_range_header::parse_range_header(value) else {
        return false;
    };
    if parsed.ranges.len() != 1 {
        return false;
    }
    // A single range starting at or past the end is a real `416`.
    let past_end = matches!(
        parsed.ranges[0].start,
        http_range_header::StartPosition::Index(start) if start >= len
    );
    parsed.validate(len).is_ok() || past_end
}

/// Validators and caching policy shared by full and 304 answers.
fn common_headers(headers: &mut HeaderMap, etag: &HeaderValue) {
    headers.insert(header::ETAG, etag.clone());
    // Pages and diagrams change with every rebuild under the same names: always revalidate.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

fn set_content_type(headers: &mut HeaderMap, mime: &Mime) {
    if let Ok(value) = HeaderValue::from_str(mime.as_ref()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
}

/// The content type for a file name, with `charset=utf-8` on text formats.
pub fn content_type(file: &std::path::Path) -> Mime {
    let guess = mime_guess::from_path(file).first_or_octet_stream();
    if guess.type_() == mime::TEXT && guess.get_param(mime::CHARSET).is_none() {
        if let Ok(with_charset) = format!("{}; charset=utf-8", guess.essence_str()).parse() {
            return with_charset;
        }
    }
    guess
}

/// Only GET and HEAD are served.
pub fn method_allowed(method: &Method) -> bool {
    method == Method::GET || method == Method::HEAD
}
