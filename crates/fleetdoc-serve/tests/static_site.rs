//! `fleetdoc serve` as Traefik sees it: a static server over real files on loopback.

mod common;

use common::{get, raw_request, serve, Site, LOOPBACK};
use fleetdoc_serve::{start, Config};

#[test]
fn traversal_attempts_never_reach_files_outside_the_site() {
    let site = Site::sample();
    std::fs::write(site.dir.path().join("secret.txt"), "TOP-SECRET").expect("secret");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("../secret.txt", site.root().join("leak.txt")).expect("link");
        std::os::unix::fs::symlink(site.dir.path(), site.root().join("leakdir")).expect("link");
        std::os::unix::fs::symlink("style.css", site.root().join("alias.css")).expect("link");
    }
    let server = serve(&site.root(), None);
    let addr = server.local_addr();

    for target in [
        "/../secret.txt",
        "/a/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/a/..%2f..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/absproxy/1234/../secret.txt",
        "/leak.txt",
        "/leakdir/secret.txt",
    ] {
        let answer = get(addr, target);
        assert!(
            answer.status == 400 || answer.status == 404,
            "{target} answered {}",
            answer.status
        );
        assert!(
            !answer.text().contains("TOP-SECRET"),
            "{target} leaked the file"
        );
    }
    // A symlink that stays inside the site is an ordinary file.
    #[cfg(unix)]
    assert_eq!(get(addr, "/alias.css").text(), "body { color: #123; }\n");
}

#[test]
fn head_answers_the_same_headers_without_a_body() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    let addr = server.local_addr();
    for target in ["/style.css", "/a/b/", "/diagrams/fleet.svg"] {
        let full = get(addr, target);
        let head = raw_request(addr, "HEAD", target, &[]);
        assert_eq!(head.status, 200, "{target}");
        assert!(head.body.is_empty(), "HEAD {target} sent a body");
        for name in [
            "content-type",
            "content-length",
            "etag",
            "last-modified",
            "cache-control",
        ] {
            assert!(full.header(name).is_some(), "GET {target} lacks {name}");
            assert_eq!(head.header(name), full.header(name), "{name} of {target}");
        }
        assert_eq!(
            full.header("content-length"),
            Some(full.body.len().to_string().as_str())
        );
    }
}

#[test]
fn matching_validators_get_304_and_a_changed_file_does_not() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    let addr = server.local_addr();
    let first = get(addr, "/style.css");
    let etag = first.header("etag").expect("etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");

    let again = raw_request(addr, "GET", "/style.css", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));

    let other = raw_request(
        addr,
        "GET",
        "/style.css",
        &[("If-None-Match", "W/\"nope\"")],
    );
    assert_eq!(other.status, 200);

    let last_modified = first
        .header("last-modified")
        .expect("last-modified")
        .to_owned();
    let since = raw_request(
        addr,
        "GET",
        "/style.css",
        &[("If-Modified-Since", &last_modified)],
    );
    assert_eq!(since.status, 304);

    site.write("style.css", "body { color: #456; margin: 0; }\n");
    let stale = raw_request(addr, "GET", "/style.css", &[("If-None-Match", &etag)]);
    assert_eq!(
        stale.status, 200,
        "a rewritten file must not be answered 304"
    );
    assert_eq!(stale.text(), "body { color: #456; margin: 0; }\n");
}

#[test]
fn missing_paths_get_the_site_404_page_or_plain_text() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    let answer = get(server.local_addr(), "/no/such/page/");
    assert_eq!(answer.status, 404);
    assert!(answer.text().contains("Page not in the fleet docs"));
    assert!(answer
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/html")));
    // Its links resolve from the site root, at any depth and under any prefix.
    assert!(
        answer.text().contains("<base href=\"../../../\">"),
        "{}",
        answer.text()
    );
    assert!(get(server.local_addr(), "/gone")
        .text()
        .contains("<base href=\"./\">"));
    let head = raw_request(server.local_addr(), "HEAD", "/missing.css", &[]);
    assert_eq!(head.status, 404);
    assert!(head.body.is_empty());

    std::fs::remove_file(site.root().join("404.html")).expect("remove 404 page");
    let plain = get(server.local_addr(), "/no/such/page/");
    assert_eq!(plain.status, 404);
    assert_eq!(plain.text(), "404 Not Found\n");

    // A folder without index.html is not listed.
    site.write("empty/readme.txt", "hi");
    assert_eq!(get(server.local_addr(), "/empty/").status, 404);
}

#[test]
fn folder_without_slash_redirects_with_a_relative_location() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    let addr = server.local_addr();
    let answer = get(addr, "/a/b");
    assert_eq!(answer.status, 301);
    assert_eq!(answer.header("location"), Some("b/"));
    assert_eq!(get(addr, "/a/b?tab=2").header("location"), Some("b/?tab=2"));
    assert_eq!(
        get(addr, "/absproxy/8080").header("location"),
        Some("8080/")
    );
    assert_eq!(get(addr, "/a/b/").status, 200);
    // A file asked for as a folder is not found.
    assert_eq!(get(addr, "/style.css/").status, 404);
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let site = Site::sample();
    let first = serve(&site.root(), None);
    let port = first.local_addr().port();
    let err = start(Config {
        root: site.root(),
        bind: LOOPBACK,
        port,
        live: None,
    })
    .expect_err("second server on the same port");
    assert_eq!(
        err.to_string(),
        format!("127.0.0.1:{port} is already in use; pick another with --port")
    );
}

#[test]
fn content_types_follow_file_kinds() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    let addr = server.local_addr();
    for (target, expected) in [
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/diagrams/fleet.svg", "image/svg+xml"),
        ("/diagrams/fleet.png", "image/png"),
        ("/sitemap.xml", "text/xml; charset=utf-8"),
        ("/index.json", "application/json"),
        ("/fonts/doc.woff2", "font/woff2"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let answer = get(addr, target);
        assert_eq!(answer.status, 200, "{target}");
        assert_eq!(answer.header("content-type"), Some(expected), "{target}");
    }
    assert_eq!(get(addr, "/").header("cache-control"), Some("no-cache"));
}

#[test]
fn absproxy_prefix_is_served_as_if_absent() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    let answer = get(server.local_addr(), "/absproxy/8080/a/b/");
    assert_eq!(answer.status, 200);
    assert!(answer.text().contains("Runbook B"));
    let css = get(server.local_addr(), "/absproxy/8080/style.css");
    assert_eq!(css.text(), "body { color: #123; }\n");
}

#[test]
fn a_site_swapped_in_by_rename_is_served_at_once() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    assert!(get(server.local_addr(), "/").text().contains("Fleet home"));

    let next = site.dir.path().join("site.next");
    std::fs::create_dir(&next).expect("next site");
    std::fs::write(
        next.join("index.html"),
        "<html><body>Rebuilt home</body></html>",
    )
    .expect("new page");
    std::fs::rename(site.root(), site.dir.path().join("site.old")).expect("move old");
    std::fs::rename(&next, site.root()).expect("swap in");

    assert!(get(server.local_addr(), "/")
        .text()
        .contains("Rebuilt home"));
}

#[test]
fn only_get_and_head_are_allowed() {
    let site = Site::sample();
    let server = serve(&site.root(), None);
    let answer = raw_request(server.local_addr(), "POST", "/", &[("Content-Length", "0")]);
    assert_eq!(answer.status, 405);
    assert_eq!(answer.header("allow"), Some("GET, HEAD"));
}
