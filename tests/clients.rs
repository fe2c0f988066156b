//! Programs nobody on this project wrote, run over the example site and its Markdown export:
//! the Nu Html Checker (HTML and SVG), the sitemap against its schema (xmllint), the feed
//! read as Atom (Python's feedparser), linkchecker over the served site and over the
//! export. Each prints its counts. The browser checks (axe-core, screenshots, `file://`)
//! are in `browser.rs`. Installed by `.ci/setup`; missing ones fail under `CI` and say
//! "skipped" elsewhere.

mod support;
use support::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The Nu Html Checker's jar, when it and Java are installed (a message says what is missing).
fn vnu() -> Option<PathBuf> {
    let jar = example::tool_file("vnu-jar/build/dist/vnu.jar")?;
    require(
        "java",
        &["-version"],
        "apt-get install default-jre-headless",
    )
    .then_some(jar)
}

#[test]
fn nu_html_checker_finds_no_errors_in_html_and_svg() {
    let Some(jar) = vnu() else {
        return;
    };
    let ex = example::get();
    let files: Vec<PathBuf> = tree(&ex.site)
        .into_iter()
        .map(|(rel, _)| ex.site.join(rel))
        .filter(|p| p.extension().is_some_and(|e| e == "html" || e == "svg"))
        .collect();
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--also-check-svg", "--format", "gnu"])
        .args(&files)
        .output()
        .expect("run the Nu Html Checker");
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    let errors: Vec<&str> = report.lines().filter(|l| l.contains(": error:")).collect();
    let count = |ext: &str| {
        files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .count()
    };
    example::say(&format!(
        "Nu Html Checker: {} HTML and {} SVG files, {} errors",
        count("html"),
        count("svg"),
        errors.len()
    ));
    assert!(errors.is_empty(), "{report}");
    assert!(out.status.success(), "{report}");
}

/// A 40-host fleet's pages show its topology summed up (a figure with more links, the
/// summary inline): the Nu Html Checker reads those pages and the summary SVG too.
#[test]
fn nu_html_checker_finds_no_errors_in_a_summed_up_fleet() {
    let Some(jar) = vnu() else {
        return;
    };
    let dir = big_fleet_site(example::NOW);
    let site = dir.path().join("site");
    let files = [
        "fleet/index.html",
        "map/index.html",
        "diagrams/summary-topology.svg",
    ];
    for f in files {
        assert!(site.join(f).is_file(), "{f}");
    }
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--also-check-svg", "--format", "gnu"])
        .args(files.iter().map(|f| site.join(f)))
        .output()
        .expect("run the Nu Html Checker");
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    example::say(&format!(
        "Nu Html Checker, summed-up fleet: {} files, {} errors",
        files.len(),
        report.lines().filter(|l| l.contains(": error:")).count()
    ));
    assert!(out.status.success(), "{report}");
}

#[test]
fn sitemap_matches_its_schema_and_the_feed_reads_as_atom() {
    if !require("xmllint", &["--version"], "apt-get install libxml2-utils") {
        return;
    }
    let ex = example::get();
    let xsd = repo().join("tests/clients/sitemap.xsd");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(ex.site.join("sitemap.xml"))
        .output()
        .expect("run xmllint");
    let urls = read(ex.site.join("sitemap.xml")).matches("<loc>").count();
    example::say(&format!(
        "xmllint: sitemap.xml with {urls} URLs: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    ));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(urls, 9, "topic list, fleet, changes, 3 hosts, 3 pages");

    if !require(
        "python3",
        &["-c", "import feedparser"],
        "python3 -m pip install feedparser",
    ) {
        return;
    }
    let out = Command::new("python3")
        .arg("-c")
        .arg(FEED_CHECK)
        .arg(ex.site.join("feed.xml"))
        .output()
        .expect("run feedparser");
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    example::say(&format!("feedparser: {}", said.trim_end()));
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The example has drift and no incident notes: its incidents feed lists the drift.
    let out = Command::new("python3")
        .arg("-c")
        .arg(FEED_CHECK)
        .arg(ex.site.join("incidents.xml"))
        .output()
        .expect("run feedparser");
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    example::say(&format!("feedparser (drift): {}", said.trim_end()));
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.starts_with("atom10, 2 entries"), "{said}");
}

/// Reads the feed with feedparser: it must be Atom 1.0, well formed, with an absolute id,
/// every entry with an id (none twice), a title, a link and an updated date.
const FEED_CHECK: &str = r#"
import sys, feedparser
f = feedparser.parse(sys.argv[1])
problems = []
if f.bozo: problems.append("not well formed: %s" % f.bozo_exception)
if f.version != "atom10": problems.append("version %r, not atom10" % f.version)
if not f.feed.get("id", "").startswith(("https://", "http://", "urn:")): problems.append("feed id %r" % f.feed.get("id"))
for e in f.entries:
    for k in ("id", "title", "link", "updated"):
        if not e.get(k): problems.append("entry %r has no %s" % (e.get("title"), k))
ids = [e.get("id") for e in f.entries]
if len(ids) != len(set(ids)): problems.append("entry ids repeat: %r" % ids)
print("%s, %d entries, %d problems" % (f.version, len(f.entries), len(problems)))
for p in problems: print("  " + p)
sys.exit(1 if problems else 0)
"#;

#[test]
fn linkchecker_finds_no_broken_links_on_the_served_site() {
    if !require("linkchecker", &["--version"], "apt-get install linkchecker") {
        return;
    }
    let ex = example::get();
    let port = free_port();
    let _server = ChildGuard(
        Command::new(bin())
            .args(["serve", "--port", &port.to_string()])
            .current_dir(&ex.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start fleetdoc serve"),
    );
    wait_until("fleetdoc serve", || {
        http::get(port, "localhost", "/").is_ok_and(|r| r.status == 200)
    });
    // Anchors checked (every `#service-*` and heading link must land), warnings counted.
    let config = ex.dir.join("linkchecker-served.ini");
    std::fs::write(&config, "[AnchorCheck]\n").unwrap();
    let (summary, report) = linkchecker(&[&format!("http://127.0.0.1:{port}/")], Some(&config));
    example::say(&format!(
        "linkchecker (served site, anchors checked): {summary}"
    ));
    assert!(
        summary.contains(" 0 warnings found. 0 errors found"),
        "{report}"
    );
}

#[test]
fn linkchecker_finds_no_broken_links_in_the_export() {
    if !require("linkchecker", &["--version"], "apt-get install linkchecker") {
        return;
    }
    let ex = example::get();
    // The MarkdownCheck plugin reads links out of the exported .md files.
    let config = ex.dir.join("linkchecker.ini");
    std::fs::write(
        &config,
        "[filtering]\ncheckextern=0\n[MarkdownCheck]\nfilename_re=.*\\.md$\n[AnchorCheck]\n",
    )
    .unwrap();
    let (summary, report) = linkchecker(
        &[&format!("file://{}/", ex.export.display())],
        Some(&config),
    );
    example::say(&format!("linkchecker (export, anchors checked): {summary}"));
    assert!(
        summary.contains(" 0 warnings found. 0 errors found"),
        "{report}"
    );
}

/// Runs linkchecker (no network beyond the given loopback or file URLs); returns its
/// "That's it. N links ..." line and the whole report.
fn linkchecker(urls: &[&str], config: Option<&Path>) -> (String, String) {
    let mut cmd = Command::new("linkchecker");
    cmd.args(["--no-status", "--threads", "4", "--timeout", "10"]);
    if let Some(c) = config {
        cmd.arg("-f").arg(c);
    }
    let out = cmd.args(urls).output().expect("run linkchecker");
    let report =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let summary = report
        .lines()
        .find(|l| l.starts_with("That's it."))
        .unwrap_or("no summary line")
        .to_string();
    (summary, report)
}

#[path = "clients/example.rs"]
mod example;

/// The example site and its export say what the topology and the probes say: the stale
/// status line (old snapshots are not unhealthy), the count of single points of failure,
/// mitigations from the topology (a covering backup, a declared one) and what is not yet
/// redundant.
#[test]
fn the_example_site_and_export_say_stale_mitigations_and_not_yet_redundant() {
    let ex = example::get();
    let stale = "6 / 6 public surfaces healthy at 2026-04-06 09:00 UTC - stale: 238 days old (stale after 30 min)";
    let fleet = read(ex.site.join("fleet/index.html"));
    let explainer = read(ex.export.join("explainers/vps-architecture.md"));
    let runbook = read(ex.export.join("runbooks/fleet-topology.md"));
    for (what, text) in [("fleet page", &fleet), ("exported explainer", &explainer)] {
        assert!(text.contains(stale), "{what}: {text}");
    }
    for (what, text) in [("fleet page", &fleet), ("exported runbook", &runbook)] {
        for needle in [
            "Single points of failure: 12 (10 services, 2 hosts).",
            "Not yet redundant, with no backup or mitigation declared: Ollama",
            "backed up by restic backup (daily); last observed 2026-04-06 09:00 UTC, ok (stale)",
            "Clients reconnect to a public fallback relay",
            "no replica: a restore from backup is the way back",
        ] {
            assert!(text.contains(needle), "{what} lacks {needle:?}");
        }
    }
    assert!(!fleet.contains("0 / 6 public surfaces healthy"));
}

/// The status fixture (`tests/fixtures/site-snapshot`: incidents, one open) built once.
fn status_fixture() -> &'static (tempfile::TempDir, PathBuf) {
    static SITE: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let r = run(
            &[
                "build",
                "--root",
                repo()
                    .join("tests/fixtures/site-snapshot")
                    .to_str()
                    .unwrap(),
                "--out",
                site.to_str().unwrap(),
            ],
            &repo(),
            &[("SOURCE_DATE_EPOCH", "1775466000")],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        (tmp, site)
    })
}

/// The incidents and availability pages, the pages with an open incident's banner, and
/// every badge pass the Nu Html Checker (badges as SVG).
#[test]
fn nu_html_checker_passes_the_incidents_page_banners_and_badges() {
    let Some(jar) = vnu() else {
        return;
    };
    let (_, site) = status_fixture();
    let mut files: Vec<PathBuf> = [
        "incidents/index.html",
        "availability/index.html",
        "index.html",
        "hosts/beta/index.html",
    ]
    .iter()
    .map(|p| site.join(p))
    .collect();
    files.extend(
        tree(site)
            .into_iter()
            .filter(|(rel, _)| rel.starts_with("badges/"))
            .map(|(rel, _)| site.join(rel)),
    );
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--also-check-svg", "--format", "gnu"])
        .args(&files)
        .output()
        .expect("run the Nu Html Checker");
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    example::say(&format!(
        "Nu Html Checker: {} status files ({} badges), {} errors",
        files.len(),
        files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "svg"))
            .count(),
        report.lines().filter(|l| l.contains(": error:")).count()
    ));
    assert!(out.status.success(), "{report}");
}

#[test]
fn the_incidents_feed_reads_as_atom() {
    if !require(
        "python3",
        &["-c", "import feedparser"],
        "python3 -m pip install feedparser",
    ) {
        return;
    }
    let (_, site) = status_fixture();
    let out = Command::new("python3")
        .arg("-c")
        .arg(FEED_CHECK)
        .arg(site.join("incidents.xml"))
        .output()
        .expect("run feedparser");
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    example::say(&format!("feedparser (incidents): {}", said.trim_end()));
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Two incident notes and three drift findings.
    assert!(said.starts_with("atom10, 5 entries"), "{said}");
}
