//! The request dispatcher shared by `serve` and `watch`.
//!
//! One fallback handler sees every request: it classifies the raw path (prefix removal
//! and validation happen there), then answers the live-reload endpoints or hands the
//! path to the file server. Routing by hand keeps the `/absproxy/<port>/` prefix and the
//! reserved paths in one place.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{self, HeaderValue};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio_util::sync::CancellationToken;

use crate::files::{method_allowed, redirect, serve_site};
use crate::live::{LiveReload, CLIENT_SCRIPT};
use crate::request_path::{classify, Target};

/// Everything a request needs to be answered.
#[derive(Clone)]
pub struct App {
    /// The site folder, looked up afresh on every request.
    pub root: Arc<PathBuf>,
    /// Present in watch mode.
    pub live: Option<LiveReload>,
    /// Cancelled when the server stops; ends open event streams.
    pub shutdown: CancellationToken,
}

/// The axum router: every request goes to [`dispatch`].
pub fn router(app: App) -> Router {
    Router::new().fallback(dispatch).with_state(app)
}

async fn dispatch(State(app): State<App>, req: Request<Body>) -> Response {
    if !method_allowed(req.method()) {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, HeaderValue::from_static("GET, HEAD"))],
            "405 Method Not Allowed\n",
        )
            .into_response();
    }
    match classify(req.uri().path(), app.live.is_some()) {
        Target::Site(path) => serve_site(&app, req, path).await,
        Target::Redirect(location) => redirect(&location),
        Target::Refused => {
            (StatusCode::BAD_REQUEST, "400 Bad Request: path refused\n").into_response()
        }
        Target::Events => match &app.live {
            Some(live) => {
                let mut response = live.events(app.shutdown.clone()).into_response();
                // Ask buffering proxies to pass events through at once.
                response
                    .headers_mut()
                    .insert("x-accel-buffering", HeaderValue::from_static("no"));
                response
            }
            None => StatusCode::NOT_FOUND.into_response(),
        },
        Target::Script => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/javascript; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ],
            CLIENT_SCRIPT,
        )
            .into_response(),
    }
}
