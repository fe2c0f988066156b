//! A real headless Chromium follows live reload: the page reloads by itself after a
//! rebuild and shows the error overlay after a failed one.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{free_port, require_program, serve, wait_for_port, ChildGuard, Site, LOOPBACK};
use fantoccini::{Client, ClientBuilder, Locator};
use fleetdoc_serve::LiveReload;

/// Polls `probe` (a JavaScript expression) until it returns `expected`; panics after 30 s.
async fn wait_for_js(browser: &Client, probe: &str, expected: &str) {
    let started = Instant::now();
    let mut last = String::new();
    while started.elapsed() < Duration::from_secs(30) {
        if let Ok(value) = browser
            .execute(&format!("return String({probe});"), vec![])
            .await
        {
            last = value.as_str().unwrap_or_default().to_owned();
            if last == expected {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{probe} stayed {last:?}, expected {expected:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_reloads_on_rebuild_and_shows_build_errors() {
    let Some(chromium) = require_program("chromium", "Debian package chromium") else {
        return;
    };
    let Some(driver) = require_program("chromedriver", "Debian package chromium-driver") else {
        return;
    };
    let site = Site::sample();
    // A long page, so the scroll position can be checked across the reload.
    site.write(
        "a/b/index.html",
        "<!doctype html><html><body><h1 id=\"title\">Runbook B</h1>\
         <div style=\"height:5000px\"></div><p>end</p></body></html>",
    );
    let live = LiveReload::new();
    let server = serve(&site.root(), Some(live.clone()));

    let port = free_port();
    let driver_child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let _driver = ChildGuard(driver_child);
    wait_for_port((LOOPBACK, port).into(), Duration::from_secs(30));

    let profile = tempfile::tempdir().expect("profile dir");
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!("a JSON object literal")
    };
    let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("webdriver session");

    // Close the browser even when an assertion fails.
    let result = tokio::spawn(scenario(
        browser.clone(),
        server.local_addr(),
        site.root(),
        live.clone(),
    ))
    .await;
    let _ = browser.close().await;
    if let Err(panic) = result {
        std::panic::resume_unwind(panic.into_panic());
    }
}

async fn scenario(
    browser: Client,
    addr: std::net::SocketAddr,
    root: std::path::PathBuf,
    live: LiveReload,
) {
    let page = format!("http://{addr}/a/b/");
    browser.goto(&page).await.expect("open page");
    let title = browser.find(Locator::Id("title")).await.expect("title");
    assert_eq!(title.text().await.expect("text"), "Runbook B");
    browser
        .execute("history.scrollRestoration = \"manual\"; window.scrollTo(0, 1200); return window.scrollY;", vec![])
        .await
        .expect("scroll");
    wait_for_js(&browser, "window.scrollY", "1200").await;

    std::fs::write(
        root.join("a/b/index.html"),
        "<!doctype html><html><body><h1 id=\"title\">Runbook B, rebuilt</h1>\
             <div style=\"height:5000px\"></div><p>end</p></body></html>",
    )
    .expect("rewrite page");
    live.reloaded();
    wait_for_js(
        &browser,
        "document.getElementById('title').textContent",
        "Runbook B, rebuilt",
    )
    .await;
    wait_for_js(&browser, "window.scrollY", "1200").await;

    live.failed(vec![
        "content/a/b.md:4:2: error: unknown service `<b>api</b>`".to_owned(),
    ]);
    let overlay =
        "(document.getElementById('fleetdoc-error-overlay') || {textContent: ''}).textContent";
    let started = Instant::now();
    loop {
        let text = browser
            .execute(&format!("return {overlay};"), vec![])
            .await
            .expect("read overlay");
        if text
            .as_str()
            .unwrap_or_default()
            .contains("content/a/b.md:4:2: error: unknown service `<b>api</b>`")
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no overlay: {text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The diagnostic arrived as text: no element was made from it.
    wait_for_js(
        &browser,
        "document.querySelectorAll('#fleetdoc-error-overlay b').length",
        "0",
    )
    .await;

    // A tab opened while the build is broken shows the overlay at once.
    browser
        .goto(&format!("http://{}/", addr))
        .await
        .expect("open home");
    wait_for_js(
        &browser,
        &format!("{overlay}.includes('unknown service')"),
        "true",
    )
    .await;

    live.reloaded();
    wait_for_js(
        &browser,
        "document.getElementById('fleetdoc-error-overlay') === null",
        "true",
    )
    .await;
}
