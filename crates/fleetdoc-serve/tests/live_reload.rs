//! `fleetdoc watch`: the event stream and the script injected into pages.

mod common;

use common::{get, raw_request, serve, EventReader, Site};
use fleetdoc_serve::LiveReload;

fn events_url(server: &fleetdoc_serve::Server) -> String {
    format!("http://{}/__fleetdoc/events", server.local_addr())
}

#[tokio::test]
async fn reload_event_follows_a_successful_rebuild() {
    let site = Site::sample();
    let live = LiveReload::new();
    let server = serve(&site.root(), Some(live.clone()));
    let mut events = EventReader::connect(&events_url(&server)).await;

    let hello = events.next().await.expect("current state");
    assert_eq!(hello.event, "ready");
    assert!(
        hello.retry.is_some(),
        "the first event sets the reconnect delay"
    );

    live.reloaded();
    let next = events.next().await.expect("reload");
    assert_eq!(next.event, "reload");
    assert_ne!(next.data, hello.data, "a reload carries the new build id");
}

#[tokio::test]
async fn failed_rebuild_sends_diagnostics_now_and_on_connect() {
    let site = Site::sample();
    let live = LiveReload::new();
    let server = serve(&site.root(), Some(live.clone()));
    let mut open_tab = EventReader::connect(&events_url(&server)).await;
    assert_eq!(open_tab.next().await.expect("state").event, "ready");

    let diagnostics = vec![
        "content/runbooks/db.md:3:7: error: unknown host `db9`".to_owned(),
        "topology.yaml:12:5: error: <script>alert(1)</script>\r\nevent: reload".to_owned(),
    ];
    live.failed(diagnostics);
    let error = open_tab.next().await.expect("error event");
    assert_eq!(error.event, "error");
    let lines: Vec<&str> = error.data.lines().collect();
    assert_eq!(
        lines[0],
        "content/runbooks/db.md:3:7: error: unknown host `db9`"
    );
    assert_eq!(
        lines[1],
        "topology.yaml:12:5: error: <script>alert(1)</script>"
    );

    // A tab opened while the build is broken is told at once.
    let mut new_tab = EventReader::connect(&events_url(&server)).await;
    let first = new_tab.next().await.expect("current state");
    assert_eq!(first.event, "error");
    assert!(first.data.contains("unknown host `db9`"));

    live.reloaded();
    assert_eq!(open_tab.next().await.expect("reload").event, "reload");
    assert_eq!(new_tab.next().await.expect("reload").event, "reload");
    let mut later_tab = EventReader::connect(&events_url(&server)).await;
    assert_eq!(later_tab.next().await.expect("state").event, "ready");
}

#[test]
fn pages_get_a_script_tag_relative_to_their_folder() {
    let site = Site::sample();
    let server = serve(&site.root(), Some(LiveReload::new()));
    let addr = server.local_addr();

    let deep = get(addr, "/a/b/").text();
    assert!(
        deep.contains("<script src=\"../../__fleetdoc/livereload.js\" defer></script></body>"),
        "{deep}"
    );
    let home = get(addr, "/").text();
    assert!(home.contains("<script src=\"__fleetdoc/livereload.js\" defer></script></body>"));
    let proxied = get(addr, "/absproxy/9000/a/b/").text();
    assert!(proxied.contains("src=\"../../__fleetdoc/livereload.js\""));
    // The error page gets a base pointing at the site root; its script is relative to it.
    let missing = get(addr, "/x/y/z");
    assert_eq!(missing.status, 404);
    let text = missing.text();
    assert!(text.contains("<base href=\"../../\">"), "{text}");
    assert!(text.contains("src=\"__fleetdoc/livereload.js\""), "{text}");

    let head = raw_request(addr, "HEAD", "/a/b/", &[]);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(deep.len().to_string().as_str())
    );

    let script = get(addr, "/__fleetdoc/livereload.js");
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    let js = script.text();
    assert!(js.contains("document.currentScript"));
    assert!(
        !js.contains("\"/__fleetdoc"),
        "the script must not use root-absolute URLs"
    );
    // Assets are not touched.
    assert_eq!(get(addr, "/style.css").text(), "body { color: #123; }\n");
}

#[test]
fn without_live_reload_nothing_is_injected_or_exposed() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    let addr = server.local_addr();
    assert!(!get(addr, "/a/b/").text().contains("livereload.js"));
    assert_ne!(get(addr, "/__fleetdoc/livereload.js").status, 200);
    assert_ne!(get(addr, "/__fleetdoc/events").status, 200);
}

#[test]
fn a_page_is_not_revalidated_into_an_older_build() {
    let site = Site::sample();
    let live = LiveReload::new();
    let server = serve(&site.root(), Some(live.clone()));
    let addr = server.local_addr();
    let first = get(addr, "/a/b/");
    let etag = first.header("etag").expect("etag").to_owned();
    assert_eq!(
        raw_request(addr, "GET", "/a/b/", &[("If-None-Match", &etag)]).status,
        304
    );
    live.reloaded();
    let after = raw_request(addr, "GET", "/a/b/", &[("If-None-Match", &etag)]);
    assert_eq!(
        after.status, 200,
        "the build id changed, so the page must be sent again"
    );
}

#[tokio::test]
async fn stopping_the_server_ends_open_event_streams() {
    let site = Site::sample();
    let server = serve(&site.root(), Some(LiveReload::new()));
    let url = events_url(&server);
    let mut events = EventReader::connect(&url).await;
    assert_eq!(events.next().await.expect("state").event, "ready");
    let addr = server.local_addr();
    tokio::time::timeout(
        std::time::Duration::from_secs(20),
        tokio::task::spawn_blocking(move || server.shutdown()),
    )
    .await
    .expect("shutdown finishes although a stream was open")
    .expect("shutdown thread");
    assert_eq!(events.next().await, None, "the stream ends");
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "no longer listening"
    );
}
