//! What changed between two revisions: a project whose history (made by the test with `git`)
//! renames a unit, moves a service to another host, retires a host, changes a route, adds a
//! service and changes only the layout; `fleetdoc changes`, its JSON, the site's Changes page,
//! a host's History section and the feed list exactly those. A commit that touches no
//! topology is not listed, one whose topology does not validate is said to, and a shallow
//! clone or a project outside git says so without failing.

mod support;
use support::git::Repo;
use support::*;

const FLEET: &str = "\
hosts:
  alpha:
    address: 192.0.2.10
  beta:
    address: 192.0.2.20
  gamma:
    address: 198.51.100.30
services:
  proxy:
    host: [alpha, gamma]
    kind: docker
    ingress: true
    ports: [443]
  web:
    host: alpha
    kind: docker
    public: www.example.com
  status:
    host: alpha
    kind: docker
    port: 3001
  observer:
    host: beta
    kind: systemd
    unit: observer.service
  nightly:
    host: gamma
    kind: timer
    unit: nightly.timer
    backs_up: [web]
links:
  - from: observer
    to: status
    protocol: HTTP
layout:
  columns: 2
";

const PAGE: &str =
    "---\ntitle: Restart the observer\n---\n\n```bash\nsystemctl restart watcher.service\n```\n";

/// A runbook last updated before most of the changes: each of its commands names something
/// the history changed.
const OLD: &str = "---\ntitle: Status checks\nupdated: 2026-01-20\n---\n\n```bash\nsystemctl restart observer.service\nssh beta uptime\ncurl -fsS https://www.example.com/health\ndocker restart status\nsystemctl status watcher.service\n```\n";

/// (date, subject, fleet.yaml after it, or a page edit when `None`).
fn steps() -> Vec<(&'static str, &'static str, Option<String>)> {
    let v1 = FLEET.to_string();
    let v2 = v1.replace("unit: observer.service", "unit: watcher.service");
    let v3 = v2.replace("  status:\n    host: alpha", "  status:\n    host: gamma");
    let v4 = v3
        .replace("  beta:\n    address: 192.0.2.20\n", "")
        .replace(
            "  observer:\n    host: beta",
            "  observer:\n    host: gamma",
        );
    let v5 = v4.replace("public: www.example.com", "public: site.example.com");
    let v6 = v5
        .replace(
            "links:",
            "  metrics:\n    host: gamma\n    kind: docker\n    port: 9090\nlinks:",
        )
        .replace("backs_up: [web]", "backs_up: [web, metrics]")
        .replace(
            "layout:",
            "  - from: metrics\n    to: web\n    protocol: HTTP\nlayout:",
        );
    let v7 = v6.replace(
        "layout:\n  columns: 2\n",
        "layout:\n  columns: 3\n  order: [gamma]\n",
    );
    let broken = v7.replace("  metrics:\n    host: gamma", "  metrics:\n    host: delta");
    vec![
        ("2026-01-05T08:00:00Z", "Describe the fleet", Some(v1)),
        (
            "2026-02-01T09:00:00Z",
            "Rename the observer unit to watcher",
            Some(v2),
        ),
        (
            "2026-02-10T10:00:00Z",
            "Move the status stack to gamma",
            Some(v3),
        ),
        ("2026-03-01T11:00:00Z", "Retire beta", Some(v4)),
        (
            "2026-03-05T12:00:00Z",
            "Serve the web site on site.example.com",
            Some(v5),
        ),
        (
            "2026-03-09T13:00:00Z",
            "Add metrics, scrape web, back it up",
            Some(v6),
        ),
        (
            "2026-03-15T14:00:00Z",
            "Draw three columns",
            Some(v7.clone()),
        ),
        ("2026-03-20T15:00:00Z", "Reword the restart runbook", None),
        ("2026-03-25T16:00:00Z", "Half-edited topology", Some(broken)),
        (
            "2026-03-26T17:00:00Z",
            "Put metrics back on gamma",
            Some(v7),
        ),
    ]
}

fn history(dir: &std::path::Path) -> Repo {
    let repo = Repo::init(dir);
    for (i, (date, subject, fleet)) in steps().into_iter().enumerate() {
        let mut files: Vec<(&str, Option<String>)> = Vec::new();
        if i == 0 {
            files.push((
                "fleetdoc.yaml",
                Some("title: Changing Fleet\nurl: https://docs.example.com\n".into()),
            ));
            files.push(("content/runbooks/restart.md", Some(PAGE.into())));
            files.push(("content/runbooks/status.md", Some(OLD.into())));
        }
        match fleet {
            Some(f) => files.push(("content/fleet.yaml", Some(f))),
            None => files.push((
                "content/runbooks/restart.md",
                Some(PAGE.replace("Restart the observer", "Restart the watcher")),
            )),
        }
        let refs: Vec<(&str, Option<&str>)> =
            files.iter().map(|(p, t)| (*p, t.as_deref())).collect();
        repo.commit(date, subject, &refs);
    }
    repo
}

const NOW: &str = "1775466000";

#[test]
fn changes_lists_exactly_the_changes_of_each_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    history(&dir);
    let r = run(&["changes"], &dir, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    insta::assert_snapshot!("changes_text", r.stdout);
    let j = run(&["changes", "--format", "json"], &dir, &[]);
    assert_eq!(j.code, 0, "{}", j.stderr);
    serde_json::from_str::<serde_json::Value>(&j.stdout).expect("JSON");
    insta::assert_snapshot!("changes_json", j.stdout);
}

#[test]
fn changes_between_two_revisions_lists_only_those_commits() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    history(&dir);
    // Ten commits: HEAD~7 is "Move the status stack", HEAD~5 "Serve the web site", so the
    // range holds "Retire beta" and "Serve the web site".
    let r = run(&["changes", "HEAD~7..HEAD~5"], &dir, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("changes_range", r.stdout);
    let bad = run(&["changes", "no-such-branch..HEAD"], &dir, &[]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("no-such-branch"), "{}", bad.stderr);
}

/// The Changes page, gamma's History section and the feed's change entries, as built.
#[test]
fn the_changes_page_host_history_and_feed_show_the_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    history(&dir);
    let r = run(&["build"], &dir, &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.join("site");
    let main_of = |html: String| {
        let start = html.find("<main").expect("main");
        let end = html.rfind("</main>").unwrap() + 7;
        html[start..end].to_string()
    };
    let history_of = |html: String| {
        let start = html
            .find("<section class=\"history\"")
            .expect("history section");
        let end = html[start..].find("</section>").unwrap() + start + 10;
        html[start..end].to_string()
    };
    let feed = read(site.join("feed.xml"));
    let out = format!(
        "=== fleet/changes/index.html <main>\n{}\n=== hosts/gamma/index.html history\n{}\n=== hosts/alpha/index.html history\n{}\n=== feed.xml\n{feed}",
        main_of(read(site.join("fleet/changes/index.html"))),
        history_of(read(site.join("hosts/gamma/index.html"))),
        history_of(read(site.join("hosts/alpha/index.html"))),
    );
    insta::assert_snapshot!("changes_site", out);
    // The same input and SOURCE_DATE_EPOCH give the same bytes.
    let again = tmp.path().join("again");
    let r = run(
        &["build", "--out", again.to_str().unwrap()],
        &dir,
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(tree(&site), tree(&again));
}

/// `check` names each stale command at its position with what the history says became of
/// it, flags the runbook that names services changed after its `updated`, and nothing else;
/// the page shows the same.
#[test]
fn check_names_renamed_and_retired_names_with_their_date_and_flags_the_stale_runbook() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    history(&dir);
    let r = run(&["check"], &dir, &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let b = run(&["build"], &dir, &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let page = read(dir.join("site/runbooks/status/index.html"));
    let start = page
        .find("<div class=\"callout callout-warning outdated\"")
        .expect("flag");
    let end = page[start..].find("</div>").unwrap() + start + 6;
    insta::assert_snapshot!(
        "changes_check",
        format!("--- check\n{}--- page\n{}\n", r.stderr, &page[start..end])
    );
    // The runbook updated after every change is not flagged.
    let fresh = read(dir.join("site/runbooks/restart/index.html"));
    assert!(!fresh.contains("outdated"), "{fresh}");
}

/// Freshness followed only the commands of a page: a runbook whose fleet block shows a host
/// (and so the services on it) or a service's badge was never flagged when they changed,
/// though the prose around the block was written against the fleet as it was.
#[test]
fn a_runbook_whose_fleet_block_shows_a_changed_host_or_service_is_flagged_at_the_block() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    history(&dir);
    std::fs::write(
        dir.join("content/runbooks/gamma.md"),
        "---\ntitle: Gamma\nupdated: 2026-02-05\n---\n\nWhat runs on gamma:\n\n```fleet\ntable: services\nhost: gamma\n```\n\n```fleet\nbadge: web\n```\n",
    )
    .unwrap();
    let r = run(&["check"], &dir, &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let own: String = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("content/runbooks/gamma.md"))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!("changes_block_freshness", own);
}

#[test]
fn a_shallow_clone_says_so_on_the_changes_page_and_in_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let origin = history(&tmp.path().join("origin"));
    let dir = tmp.path().join("clone");
    origin.shallow_clone(&dir, 3);
    let r = run(&["changes"], &dir, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let b = run(&["build"], &dir, &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let page = read(dir.join("site/fleet/changes/index.html"));
    let note = page
        .lines()
        .find(|l| l.contains("class=\"limitation\""))
        .unwrap_or("(no note)")
        .trim()
        .to_string();
    insta::assert_snapshot!(
        "changes_shallow",
        format!("--- changes stdout\n{}--- changes stderr\n{}--- build stderr\n{}--- page note\n{note}\n", r.stdout, r.stderr, b.stderr)
    );
}

#[test]
fn a_project_outside_git_says_so_and_builds() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/runbooks/restart.md", PAGE),
    ]);
    let r = run(&["changes"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("is not in a git repository"),
        "{}",
        r.stderr
    );
    let b = run(&["build"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let page = read(dir.path().join("site/fleet/changes/index.html"));
    assert!(page.contains("not in a git repository"), "{page}");
}

/// The feed with change entries is Atom that feedparser reads, every entry complete; the
/// sitemap with `<lastmod>` passes the sitemap schema.
#[test]
fn the_feed_with_changes_reads_as_atom_and_the_sitemap_validates() {
    if !require("xmllint", &["--version"], "apt-get install libxml2-utils")
        || !require(
            "python3",
            &["-c", "import feedparser"],
            "python3 -m pip install feedparser",
        )
    {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    history(&dir);
    let r = run(&["build"], &dir, &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(repo().join("tests/clients/sitemap.xsd"))
        .arg(dir.join("site/sitemap.xml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = r#"
import sys, feedparser
f = feedparser.parse(sys.argv[1])
bad = [e.get("title") for e in f.entries if not all(e.get(k) for k in ("id", "title", "link", "updated"))]
print(f.version, len(f.entries), f.bozo, bad)
sys.exit(1 if f.bozo or f.version != "atom10" or bad else 0)
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", check])
        .arg(dir.join("site/feed.xml"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Two pages and eight commits that changed the fleet.
    assert_eq!(said.trim(), "atom10 10 False []");
}
