#![allow(dead_code)]
//! A headless Chromium driven through chromedriver, for tests that need a real browser:
//! the same setup as `tests/browser.rs` (Debian's packages, installed by `.ci/setup`).
use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A running chromedriver and one headless Chromium session in a color scheme.
pub struct Browser {
    _driver: ChildGuard,
    _profile: tempfile::TempDir,
    pub client: fantoccini::Client,
}

/// Chromium and chromedriver, or the skip rule.
pub fn tools() -> Option<(PathBuf, PathBuf)> {
    if !require("chromium", &["--version"], "apt-get install chromium")
        || !require(
            "chromedriver",
            &["--version"],
            "apt-get install chromium-driver",
        )
    {
        return None;
    }
    Some((
        find_on_path("chromium").expect("chromium on PATH"),
        find_on_path("chromedriver").expect("chromedriver on PATH"),
    ))
}

/// A session in `scheme` (`light` or `dark`: what `prefers-color-scheme` matches).
pub async fn browser(scheme: &str) -> Option<Browser> {
    browser_env(scheme, &[]).await
}

/// [`browser`] with variables set for chromedriver and the Chromium it starts.
pub async fn browser_env(scheme: &str, env: &[(&str, &Path)]) -> Option<Browser> {
    let (chromium, driver) = tools()?;
    let port = free_port();
    let driver = ChildGuard(
        Command::new(driver)
            .envs(env.iter().copied())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_until("chromedriver", || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    let profile = tempfile::tempdir().unwrap();
    // 0: dark, 1: light (what prefers-color-scheme matches).
    let pref = if scheme == "dark" { 0 } else { 1 };
    let caps = serde_json::json!({"goog:chromeOptions": {"binary": chromium, "args": [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
        format!("--blink-settings=preferredColorScheme={pref}"),
        format!("--user-data-dir={}", profile.path().display())]}});
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    let client =
        fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("webdriver session");
    Some(Browser {
        _driver: driver,
        _profile: profile,
        client,
    })
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// `fleetdoc serve` of the built project in `dir`, on a free loopback port.
pub fn serve(dir: &Path) -> (ChildGuard, u16) {
    let port = free_port();
    let child = ChildGuard(
        Command::new(bin())
            .args(["serve", "--port", &port.to_string()])
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start fleetdoc serve"),
    );
    wait_until("fleetdoc serve", || {
        http::get(port, "localhost", "/").is_ok_and(|r| r.status == 200)
    });
    (child, port)
}

/// Runs axe-core on the page (injected first) and returns its serious and critical
/// violations, one line each: the rule, its impact and the nodes it found.
pub const AXE_RUN: &str = r#"
var done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
  done(r.violations.filter(function (v) { return v.impact === "serious" || v.impact === "critical"; })
    .map(function (v) { return v.id + " (" + v.impact + "): " + v.nodes.map(function (n) {
      return n.target.join(" ") + " " + (n.failureSummary || "").replace(/\s+/g, " "); }).join(" | "); }));
}, function (e) { done(["axe failed: " + e]); });
"#;
