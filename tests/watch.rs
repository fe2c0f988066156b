//! `fleetdoc watch`: incremental rebuilds that render only what a change affects, served by
//! a real HTTP server, with live reload in a real headless Chromium.

mod support;
use fleetdoc::watch::Session;
use std::process::{Command, Stdio};
use support::*;

const OTHER: &str =
    "---\ntitle: Other\n---\n\n## Part\n\nPlain text, links to [ops](ops.md#hosts).\n";

fn sample() -> tempfile::TempDir {
    project(&[
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", PAGE),
        ("content/other.md", OTHER),
        ("content/plain.md", "# Plain\n\nNo links.\n"),
    ])
}

fn edit(dir: &std::path::Path, rel: &str, from: &str, to: &str) {
    let p = dir.join(rel);
    let text = read(&p);
    assert!(text.contains(from), "{rel} lacks {from}");
    std::fs::write(p, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn rebuilds_render_only_what_a_change_affects() {
    let dir = sample();
    let mut s = Session::new(dir.path(), None);
    let first = s.rebuild();
    assert!(first.ok, "{:?}", first.diagnostics);
    assert_eq!(
        s.rebuild().stats.rendered,
        Vec::<String>::new(),
        "an unchanged project rendered something"
    );

    // A body edit re-renders that page only: its card (title, summary, dates) is unchanged.
    // The search index follows it: the page and the index files that changed are written.
    edit(
        dir.path(),
        "content/plain.md",
        "No links.",
        "No links at all.",
    );
    let r = s.rebuild();
    assert_eq!(r.stats.rendered, vec!["assets/search/", "plain/index.html"]);
    assert_eq!(r.written, 1);
    assert!(read(dir.path().join("site/plain/index.html")).contains("No links at all."));
    // The index is made once the page is served, and only its changed files are written.
    let n = s.finish_search();
    assert!((1..=3).contains(&n), "{n} index files written");
    let index: String = walkdir::WalkDir::new(dir.path().join("site/assets/search"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| read(e.path()))
        .collect();
    assert!(
        index.contains("No links at all."),
        "the index did not follow the edit"
    );

    // A title edit also re-renders the topic list and feed (no sitemap: no `url:`), and the
    // page beside it in its section, whose previous/next link shows the title.
    edit(dir.path(), "content/plain.md", "# Plain", "# Plainer");
    let r = s.rebuild();
    assert_eq!(
        r.stats.rendered,
        vec![
            "assets/search/",
            "feed.xml",
            "index.html",
            "other/index.html",
            "plain/index.html"
        ]
    );
    s.finish_search();

    // A heading edit re-renders that page only: the links of the pages that point at it are
    // checked again by the model (every rebuild), and their HTML does not change.
    edit(
        dir.path(),
        "content/ops.md",
        "## Hosts",
        "## Hosts\n\n## Extra",
    );
    let r = s.rebuild();
    assert_eq!(r.stats.rendered, vec!["assets/search/", "ops/index.html"]);
    s.finish_search();
    // Removing the heading another page links to is an error at that link, found again.
    edit(dir.path(), "content/ops.md", "## Hosts", "## Machines");
    let r = s.rebuild();
    assert!(!r.ok, "the anchor other.md links to is gone");
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.contains("content/other.md:7:") && d.contains("`#hosts`")),
        "{:?}",
        r.diagnostics
    );
    edit(dir.path(), "content/ops.md", "## Machines", "## Hosts");
    assert!(s.rebuild().ok);

    // A topology edit re-renders the fleet, the host pages, diagrams and pages with fleet
    // blocks, not pages without them.
    edit(
        dir.path(),
        "content/fleet.yaml",
        "role: Testbed",
        "role: Build testbed",
    );
    let r = s.rebuild();
    s.finish_search();
    for p in [
        "fleet/index.html",
        "hosts/beta/index.html",
        "ops/index.html",
        "diagrams/topology.svg",
    ] {
        assert!(
            r.stats.rendered.contains(&p.to_string()),
            "{p} not re-rendered: {:?}",
            r.stats.rendered
        );
    }
    assert!(
        !r.stats.rendered.contains(&"plain/index.html".to_string()),
        "{:?}",
        r.stats.rendered
    );
    assert!(read(dir.path().join("site/hosts/beta/index.html")).contains("Build testbed"));

    // A template edit re-renders every page.
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    let base = read(repo().join("templates/base.html"))
        .replace("<main id=\"main\">", "<main id=\"main\" data-custom=\"1\">");
    std::fs::write(dir.path().join("templates/base.html"), base).unwrap();
    let r = s.rebuild();
    for p in [
        "ops/index.html",
        "other/index.html",
        "plain/index.html",
        "index.html",
        "fleet/index.html",
    ] {
        assert!(
            r.stats.rendered.contains(&p.to_string()),
            "{p} not re-rendered: {:?}",
            r.stats.rendered
        );
    }
    assert!(read(dir.path().join("site/plain/index.html")).contains("data-custom=\"1\""));
    // The index holds what pages say, not how the templates show it.
    assert!(
        !r.stats.rendered.contains(&"assets/search/".to_string()),
        "{:?}",
        r.stats.rendered
    );

    // A broken edit keeps the last good site on disk; the fix brings the change.
    edit(
        dir.path(),
        "content/plain.md",
        "No links at all.",
        "[x](missing.md)",
    );
    let r = s.rebuild();
    assert!(
        !r.ok
            && r.diagnostics
                .iter()
                .any(|d| d.starts_with("content/plain.md:3:1: error: link to `missing.md`")),
        "{:?}",
        r.diagnostics
    );
    assert!(read(dir.path().join("site/plain/index.html")).contains("No links at all."));
    edit(
        dir.path(),
        "content/plain.md",
        "[x](missing.md)",
        "[x](other.md)",
    );
    let r = s.rebuild();
    assert!(r.ok, "{:?}", r.diagnostics);
    assert!(read(dir.path().join("site/plain/index.html")).contains("href=\"../other/\""));
}

#[test]
fn watch_serves_edits_and_keeps_the_last_good_page_on_errors() {
    let dir = sample();
    let w = start_watch(dir.path());
    let r = http::get(w.port, "localhost", "/plain/").unwrap();
    let (status, body) = (r.status, r.body);
    assert_eq!(status, 200);
    assert!(
        body.contains("No links.") && body.contains("__fleetdoc/livereload.js"),
        "{body}"
    );
    // A page edit is served changed.
    edit(
        dir.path(),
        "content/plain.md",
        "No links.",
        "Edited while watching.",
    );
    wait_until("the edit to be served", || {
        http::get(w.port, "localhost", "/plain/")
            .is_ok_and(|r| r.body.contains("Edited while watching."))
    });
    // A topology edit reaches the host page.
    edit(
        dir.path(),
        "content/fleet.yaml",
        "role: Testbed",
        "role: Watched testbed",
    );
    wait_until("the topology edit", || {
        http::get(w.port, "localhost", "/hosts/beta/")
            .is_ok_and(|r| r.body.contains("Watched testbed"))
    });
    // A broken edit keeps the last good page; the event stream carries the error.
    edit(
        dir.path(),
        "content/fleet.yaml",
        "port: 3000",
        "port: 99999",
    );
    std::thread::sleep(std::time::Duration::from_millis(600));
    let r = http::get(w.port, "localhost", "/hosts/beta/").unwrap();
    assert!(r.body.contains("Watched testbed"));
    let events = read_events(w.port, "65535");
    assert!(
        events.contains("content/fleet.yaml:") && events.contains("from 1 to 65535"),
        "{events}"
    );
}

/// The live-reload event stream, read until it holds `until` (or 10 s pass).
fn read_events(port: u16, until: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_millis(800)))
        .unwrap();
    write!(
        s,
        "GET /__fleetdoc/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(10)
        && !String::from_utf8_lossy(&out).contains(until)
    {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(_) => continue,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn chromium_reloads_an_open_page_after_an_edit() {
    if !require("chromium", &["--version"], "apt-get install chromium") {
        return;
    }
    let chromium = find_on_path("chromium").expect("chromium on PATH");
    let dir = sample();
    let w = start_watch(dir.path());
    let profile = tempfile::tempdir().unwrap();
    let port = free_port();
    // A page that reloads by itself changes its DOM while it stays open: drive it through
    // chromedriver (WebDriver) to observe that.
    if !require(
        "chromedriver",
        &["--version"],
        "apt-get install chromium-driver",
    ) {
        return;
    }
    let driver = find_on_path("chromedriver").expect("chromedriver on PATH");
    let _driver = ChildGuard(
        Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_until("chromedriver", || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let caps = serde_json::json!({"goog:chromeOptions": {"binary": chromium, "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.path().display())]}});
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        let browser = fantoccini::ClientBuilder::new(
            hyper_util::client::legacy::connect::HttpConnector::new(),
        )
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("webdriver session");
        browser
            .goto(&format!("http://127.0.0.1:{}/plain/", w.port))
            .await
            .unwrap();
        let text = |b: fantoccini::Client| async move {
            b.execute(
                "return document.querySelector('.prose').textContent",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
        };
        assert!(text(browser.clone()).await.contains("No links."));
        // Give the page time to connect its event stream, then edit the source file.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        edit(
            dir.path(),
            "content/plain.md",
            "No links.",
            "Reloaded by itself.",
        );
        let start = std::time::Instant::now();
        let mut seen = String::new();
        while start.elapsed() < std::time::Duration::from_secs(20) {
            seen = text(browser.clone()).await;
            if seen.contains("Reloaded by itself.") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let _ = browser.close().await;
        assert!(
            seen.contains("Reloaded by itself."),
            "the open page did not reload: {seen}"
        );
    });
}

/// `watch` trusts file events to say which files changed; pages created, saved the way
/// editors save (temp file, then rename), edited twice in a row, and removed must all
/// show, in a new folder too.
#[test]
fn watch_follows_created_renamed_and_removed_pages() {
    let dir = sample();
    let w = start_watch(dir.path());
    let served = |path: &str, text: &str| {
        http::get(w.port, "localhost", path).is_ok_and(|r| r.status == 200 && r.body.contains(text))
    };
    // A new page in a new folder.
    std::fs::create_dir_all(dir.path().join("content/new")).unwrap();
    std::fs::write(
        dir.path().join("content/new/fresh.md"),
        "# Fresh\n\nCreated while watching.\n",
    )
    .unwrap();
    wait_until("the new page", || {
        served("/new/fresh/", "Created while watching.")
    });
    // Saved like an editor: a temp file renamed over the page.
    let tmp = dir.path().join("content/new/.fresh.md.tmp");
    std::fs::write(&tmp, "# Fresh\n\nSaved by rename.\n").unwrap();
    std::fs::rename(&tmp, dir.path().join("content/new/fresh.md")).unwrap();
    wait_until("the renamed save", || {
        served("/new/fresh/", "Saved by rename.")
    });
    // Two saves in quick succession: the second one wins.
    std::fs::write(
        dir.path().join("content/plain.md"),
        "# Plain\n\nFirst save.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/plain.md"),
        "# Plain\n\nSecond save.\n",
    )
    .unwrap();
    wait_until("the second save", || served("/plain/", "Second save."));
    // A removed page is gone from the site.
    std::fs::remove_file(dir.path().join("content/new/fresh.md")).unwrap();
    wait_until("the removed page to go", || {
        http::get(w.port, "localhost", "/new/fresh/").is_ok_and(|r| r.status == 404)
    });
    // The other pages are untouched.
    assert!(served("/other/", "Plain text"));
}

/// The paths a file event names for `rels` (below the project's canonical root, as the
/// watcher reports them).
fn named(dir: &std::path::Path, rels: &[&str]) -> std::collections::HashSet<std::path::PathBuf> {
    let root = dir.canonicalize().unwrap();
    rels.iter().map(|r| root.join(r)).collect()
}

/// A save of one page's text is built alone from the last model (the one-page edit), and
/// what it writes is what the whole rebuild and a fresh build write: the whole rebuild
/// that follows it finds nothing more to write.
#[test]
fn a_one_page_edit_writes_what_the_whole_rebuild_writes() {
    let dir = sample();
    let mut s = Session::new(dir.path(), None);
    assert!(s.rebuild().ok);
    s.finish_search();
    edit(
        dir.path(),
        "content/ops.md",
        "```fleet",
        "Checked daily.\n\n```fleet",
    );
    let changed = named(dir.path(), &["content/ops.md"]);
    let r = s
        .page_edit(&changed)
        .expect("a text edit takes the one-page path");
    assert!(r.ok);
    assert_eq!(r.written, 1);
    assert_eq!(r.stats.rendered, vec!["ops/index.html"]);
    let fast = read(dir.path().join("site/ops/index.html"));
    assert!(fast.contains("Checked daily."), "{fast}");
    let whole = s.rebuild_changed(Some(changed));
    assert!(whole.ok, "{:?}", whole.diagnostics);
    assert_eq!(
        whole.written, 0,
        "the whole rebuild wrote more: {:?}",
        whole.stats
    );
    assert_eq!(whole.stats.rendered, vec!["assets/search/"]);
    // A fresh build of the same project writes the same page.
    let fresh_out = tempfile::tempdir().unwrap();
    let mut fresh = Session::new(dir.path(), Some(&fresh_out.path().join("site")));
    assert!(fresh.rebuild().ok);
    assert_eq!(fast, read(fresh_out.path().join("site/ops/index.html")));
    // A save that changed nothing writes nothing.
    std::fs::write(
        dir.path().join("content/ops.md"),
        read(dir.path().join("content/ops.md")),
    )
    .unwrap();
    let again = s
        .page_edit(&named(dir.path(), &["content/ops.md"]))
        .unwrap();
    assert_eq!((again.written, again.stats.rendered.len()), (0, 0));
}

/// What the rest of the site shows of a page (its title, its headings' anchors) is not the
/// one-page path's to change: such an edit takes the whole rebuild, which checks the links
/// of the pages pointing at it again (their model is otherwise kept) and re-renders its
/// neighbours.
#[test]
fn edits_other_pages_show_take_the_whole_rebuild_and_check_links_to_them() {
    let dir = sample();
    let mut s = Session::new(dir.path(), None);
    assert!(s.rebuild().ok);
    // other.md links to ops.md#hosts: renaming that heading is an error at the link.
    edit(dir.path(), "content/ops.md", "## Hosts", "## Machines");
    let changed = named(dir.path(), &["content/ops.md"]);
    assert!(
        s.page_edit(&changed).is_none(),
        "a heading edit took the one-page path"
    );
    let r = s.rebuild_changed(Some(changed.clone()));
    assert!(!r.ok);
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.starts_with("content/other.md:7:") && d.contains("`#hosts`")),
        "{:?}",
        r.diagnostics
    );
    // Fixed in the page that links: only that page changed, and the build is good again.
    edit(
        dir.path(),
        "content/other.md",
        "ops.md#hosts",
        "ops.md#machines",
    );
    let r = s.rebuild_changed(Some(named(dir.path(), &["content/other.md"])));
    assert!(r.ok, "{:?}", r.diagnostics);
    assert!(read(dir.path().join("site/other/index.html")).contains("../ops/#machines"));
    // A title edit: its neighbour's previous/next link shows the new title.
    edit(dir.path(), "content/plain.md", "# Plain", "# Plainer");
    let changed = named(dir.path(), &["content/plain.md"]);
    assert!(
        s.page_edit(&changed).is_none(),
        "a title edit took the one-page path"
    );
    let r = s.rebuild_changed(Some(changed));
    assert!(r.ok);
    assert!(
        r.stats.rendered.contains(&"other/index.html".to_string()),
        "{:?}",
        r.stats
    );
    assert!(read(dir.path().join("site/other/index.html")).contains("Plainer"));
}

/// A one-page edit that adds a link to a page that does not exist fails that rebuild with
/// the error at the link's position, keeps the last good page, and the fix goes through.
#[test]
fn a_page_edit_adding_a_link_to_a_missing_page_fails_at_the_link() {
    let dir = sample();
    let mut s = Session::new(dir.path(), None);
    assert!(s.rebuild().ok);
    edit(
        dir.path(),
        "content/plain.md",
        "No links.",
        "See [x](missing.md).",
    );
    let changed = named(dir.path(), &["content/plain.md"]);
    assert!(
        s.page_edit(&changed).is_none(),
        "an edit with an error took the one-page path"
    );
    let r = s.rebuild_changed(Some(changed.clone()));
    assert!(!r.ok);
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.starts_with("content/plain.md:3:5: error: link to `missing.md`")),
        "{:?}",
        r.diagnostics
    );
    assert!(read(dir.path().join("site/plain/index.html")).contains("No links."));
    edit(dir.path(), "content/plain.md", "missing.md", "other.md");
    // After a failed build the next edit takes the whole rebuild, which succeeds.
    assert!(s.page_edit(&changed).is_none());
    let r = s.rebuild_changed(Some(changed.clone()));
    assert!(r.ok, "{:?}", r.diagnostics);
    assert!(read(dir.path().join("site/plain/index.html")).contains("href=\"../other/\""));
    // And the one after that is a one-page edit again.
    edit(dir.path(), "content/plain.md", "See", "Now see");
    assert!(s.page_edit(&changed).is_some());
    assert!(read(dir.path().join("site/plain/index.html")).contains("Now see"));
}

/// The live-reload stream, read for `how_long`.
fn events_for(port: u16, how_long: std::time::Duration, during: impl FnOnce()) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET /__fleetdoc/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_millis(50)))
        .unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    // The stream's first event says the current state.
    while !String::from_utf8_lossy(&out).contains("event: ready") {
        if let Ok(n) = s.read(&mut buf) {
            out.extend_from_slice(&buf[..n]);
        }
    }
    out.clear();
    during();
    let start = std::time::Instant::now();
    while start.elapsed() < how_long {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(_) => continue,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Saves the way editors make them, on a real file: in place (truncate, write, close), a
/// temp file renamed over the page, and the old file moved aside before the new one is
/// written (vim's way, which removes the page for a moment). Each gives one reload, the
/// page served with the edit, and never an error (no build of the page while it is gone).
#[test]
fn editor_saves_give_one_reload_and_no_error() {
    let dir = sample();
    let w = start_watch(dir.path());
    let page = dir.path().join("content/plain.md");
    // The first rebuild after the watches are set looks at every file.
    std::fs::write(&page, "# Plain\n\nWarm up.\n").unwrap();
    wait_until("the first edit", || {
        http::get(w.port, "localhost", "/plain/").is_ok_and(|r| r.body.contains("Warm up."))
    });
    type Save<'a> = Box<dyn Fn(&str) + 'a>;
    let saves: [(&str, Save); 3] = [
        (
            "in place",
            Box::new(|text: &str| std::fs::write(&page, text).unwrap()),
        ),
        (
            "temp file and rename",
            Box::new(|text: &str| {
                let tmp = page.with_file_name(".plain.md.swx");
                std::fs::write(&tmp, text).unwrap();
                std::fs::rename(&tmp, &page).unwrap();
            }),
        ),
        (
            "moved aside, written anew",
            Box::new(|text: &str| {
                let backup = page.with_file_name("plain.md~");
                std::fs::rename(&page, &backup).unwrap();
                std::fs::write(&page, text).unwrap();
                std::fs::remove_file(&backup).unwrap();
            }),
        ),
    ];
    for (n, (how, save)) in saves.iter().enumerate() {
        let marker = format!("Saved {n} ({how}).");
        let events = events_for(w.port, std::time::Duration::from_millis(1500), || {
            save(&format!("# Plain\n\n{marker}\n"))
        });
        assert_eq!(
            events.matches("event: reload").count(),
            1,
            "{how}: {events}"
        );
        assert!(!events.contains("event: error"), "{how}: {events}");
        let r = http::get(w.port, "localhost", "/plain/").unwrap();
        assert!(r.body.contains(&marker), "{how}: {}", r.body);
    }
    // The search index, made on its own thread after the reload, follows the last save.
    std::fs::write(&page, "# Plain\n\nA zebrafinch sings.\n").unwrap();
    wait_until("the search index to hold the edit", || {
        walkdir::WalkDir::new(dir.path().join("site/assets/search"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .any(|e| read(e.path()).contains("zebrafinch"))
    });
}
