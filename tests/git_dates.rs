//! Dates and edit links from git: each page shows the last commit that changed its own
//! source, the sitemap's `<lastmod>` takes the newer of that and the front matter's
//! `updated`, `repo:` gives every page an "Edit this page" link, and a shallow clone is said
//! once and gives no date it cannot know. The repository is made by the test with `git`.

mod support;
use support::git::Repo;
use support::*;

const FLEET: &str = "\
hosts:
  alpha:
    address: 192.0.2.10
services:
  web:
    host: alpha
    kind: systemd
";

const SETTINGS: &str = "\
title: Dated Docs
url: https://docs.example.com
repo:
  url: https://git.example.com/ops/fleet-docs
  forge: gitea
  branch: trunk
";

fn page(title: &str, updated: Option<&str>) -> String {
    match updated {
        Some(u) => format!("---\ntitle: {title}\nupdated: {u}\n---\n\nText of {title}.\n"),
        None => format!("---\ntitle: {title}\n---\n\nText of {title}.\n"),
    }
}

/// Three commits: everything on 10 Jan, `restart` changed on 11 Feb, the topology and a new
/// page `backup` on 12 Mar.
fn three_commits(dir: &std::path::Path) -> Repo {
    let repo = Repo::init(dir);
    repo.commit(
        "2026-01-10T09:00:00Z",
        "Start the docs",
        &[
            ("fleetdoc.yaml", Some(SETTINGS)),
            ("content/fleet.yaml", Some(FLEET)),
            ("content/restart.md", Some(&page("Restart", None))),
            (
                "content/deploy.md",
                Some(&page("Deploy", Some("2026-02-20"))),
            ),
        ],
    );
    repo.commit(
        "2026-02-11T10:00:00Z",
        "Restart: say which unit",
        &[("content/restart.md", Some(&page("Restart web", None)))],
    );
    repo.commit(
        "2026-03-12T11:00:00Z",
        "Add backups",
        &[
            (
                "content/fleet.yaml",
                Some(&format!("{FLEET}    description: the site\n")),
            ),
            ("content/backup.md", Some(&page("Backup", None))),
        ],
    );
    repo
}

/// What a page says of its dates and source: its `<dl class="meta">` and source line.
fn meta_of(html: &str) -> String {
    let start = html.find("<dl class=\"meta\">").expect("meta list");
    let end = html[start..].find("</dl>").unwrap() + start + 5;
    let source = html
        .lines()
        .find(|l| l.contains("class=\"source\""))
        .unwrap_or("")
        .trim();
    format!("{}\n{source}\n", html[start..end].trim())
}

fn built_meta(dir: &std::path::Path) -> (Run, String) {
    let r = run(&["build"], dir, &[("SOURCE_DATE_EPOCH", "1775466000")]);
    let site = dir.join("site");
    let mut out = String::new();
    for p in ["restart", "deploy", "backup"] {
        out.push_str(&format!("=== {p}\n"));
        out.push_str(&meta_of(&read(site.join(p).join("index.html"))));
    }
    out.push_str("=== sitemap.xml\n");
    out.push_str(&read(site.join("sitemap.xml")));
    (r, out)
}

#[test]
fn pages_show_their_own_last_change_and_edit_link() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    three_commits(&dir);
    let (r, out) = built_meta(&dir);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    insta::assert_snapshot!("git_dates_full", out);
}

#[test]
fn a_project_in_a_subfolder_of_the_repository_links_its_own_path() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = Repo::init(tmp.path());
    repo.commit(
        "2026-01-10T09:00:00Z",
        "Docs in a folder",
        &[
            (
                "ops/docs/fleetdoc.yaml",
                Some("repo: https://github.com/example/ops\n"),
            ),
            ("ops/docs/content/fleet.yaml", Some(FLEET)),
            ("ops/docs/content/restart.md", Some(&page("Restart", None))),
        ],
    );
    let dir = tmp.path().join("ops/docs");
    let r = run(&["build"], &dir, &[("SOURCE_DATE_EPOCH", "1775466000")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let meta = meta_of(&read(dir.join("site/restart/index.html")));
    insta::assert_snapshot!("git_dates_subfolder", meta);
}

/// A project that shares its repository: commits outside its folder (the rest of the
/// repository, a file beside the folder whose name starts like it) date none of its pages.
#[test]
fn commits_outside_the_project_folder_date_none_of_its_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = Repo::init(tmp.path());
    repo.commit(
        "2026-01-10T09:00:00Z",
        "Docs in a folder",
        &[
            ("ops/docs/fleetdoc.yaml", Some("title: Ops\n")),
            ("ops/docs/content/fleet.yaml", Some(FLEET)),
            ("ops/docs/content/restart.md", Some(&page("Restart", None))),
            ("app/main.go", Some("package main\n")),
        ],
    );
    repo.commit(
        "2026-02-11T10:00:00Z",
        "Restart: say which unit",
        &[(
            "ops/docs/content/restart.md",
            Some(&page("Restart web", None)),
        )],
    );
    repo.commit(
        "2026-03-12T11:00:00Z",
        "App: a change outside the docs",
        &[
            ("app/main.go", Some("package main // v2\n")),
            ("ops/docs.md", Some("a file beside the folder\n")),
        ],
    );
    let dir = tmp.path().join("ops/docs");
    let r = run(&["build"], &dir, &[("SOURCE_DATE_EPOCH", "1775466000")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let meta = meta_of(&read(dir.join("site/restart/index.html")));
    assert!(meta.contains("<time datetime=\"2026-02-11\">"), "{meta}");
    assert!(!meta.contains("2026-03-12"), "{meta}");
}

#[test]
fn a_shallow_clone_warns_once_and_gives_no_false_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let origin = three_commits(&tmp.path().join("origin"));
    let mut out = String::new();
    for depth in [1, 2] {
        let dir = tmp.path().join(format!("depth{depth}"));
        origin.shallow_clone(&dir, depth);
        let (r, built) = built_meta(&dir);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let warnings: Vec<&str> = r
            .stderr
            .lines()
            .filter(|l| l.contains("warning:"))
            .collect();
        assert_eq!(warnings.len(), 1, "{}", r.stderr);
        out.push_str(&format!("##### depth {depth}\n{}\n{built}", warnings[0]));
    }
    insta::assert_snapshot!("git_dates_shallow", out);
}

#[test]
fn a_project_outside_git_has_no_dates_and_no_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    for (rel, text) in [
        ("fleetdoc.yaml", SETTINGS.to_string()),
        ("content/fleet.yaml", FLEET.to_string()),
        ("content/restart.md", page("Restart", None)),
        ("content/deploy.md", page("Deploy", Some("2026-02-20"))),
        ("content/backup.md", page("Backup", None)),
    ] {
        std::fs::create_dir_all(dir.join(rel).parent().unwrap()).unwrap();
        std::fs::write(dir.join(rel), text).unwrap();
    }
    let (r, out) = built_meta(&dir);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    insta::assert_snapshot!("git_dates_outside_git", out);
}

#[test]
fn repo_setting_errors_are_positioned_with_a_suggestion() {
    let dir = project(&[
        (
            "fleetdoc.yaml",
            "repo:\n  url: https://code.example.com/ops/docs\n  forge: gittea\n  brnch: main\n",
        ),
        ("content/fleet.yaml", FLEET),
    ]);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 1);
    let dir2 = project(&[
        ("fleetdoc.yaml", "repo: https://code.example.com/ops/docs\n"),
        ("content/fleet.yaml", FLEET),
    ]);
    let r2 = run(&["check"], dir2.path(), &[]);
    assert_eq!(r2.code, 1);
    insta::assert_snapshot!("repo_setting_errors", format!("{}{}", r.stderr, r2.stderr));
}
