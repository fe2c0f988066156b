//! `fleetdoc publish` as a user runs it, on real project folders: a target folder that does
//! not exist yet, a project whose build fails, two projects with the same title on one
//! target, and the absolute URLs a published page carries.

mod support;
use std::path::Path;
use support::*;

const EXPLAINER: &str = "---\ntitle: How it works\nkind: explainer\nclassification: public\nsummary: The short version.\n---\n\n## Hosts\n\nTwo hosts, one ingress.\n\n## Flow\n\nTraffic enters through traefik.\n";
const SETTINGS: &str = "title: Ops Docs\nurl: https://docs.example.com\n";

fn ops_project(settings: &str) -> tempfile::TempDir {
    project(&[
        ("fleetdoc.yaml", settings),
        ("content/fleet.yaml", FLEET),
        ("content/how.md", EXPLAINER),
    ])
}

fn publish(root: &Path, to: &Path) -> Run {
    run(
        &["publish", "--to", to.to_str().expect("utf-8 path")],
        root,
        &[],
    )
}

fn current(to: &Path, project: &str) -> Option<std::path::PathBuf> {
    std::fs::read_link(to.join(project).join("current")).ok()
}

#[test]
fn publish_creates_a_target_folder_that_does_not_exist_yet() {
    let dir = ops_project(SETTINGS);
    let base = tempfile::tempdir().unwrap();
    let to = base.path().join("brainstorming/explainers");
    let r = publish(dir.path(), &to);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(current(&to, "ops-docs").is_some(), "{}", r.stderr);
    let index = read(to.join("index.json"));
    assert!(index.contains("How it works"), "{index}");
}

/// A publish used to render only the public pages, so a project whose `build` fails (here:
/// an internal page links to a page that does not exist) was published anyway.
#[test]
fn publish_of_a_project_whose_build_fails_fails_and_publishes_nothing() {
    let dir = ops_project(SETTINGS);
    std::fs::write(
        dir.path().join("content/notes.md"),
        "---\ntitle: Notes\n---\n\nSee [the plan](plan.md).\n",
    )
    .unwrap();
    let build = run(&["build"], dir.path(), &[]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(
        build.stderr.starts_with("content/notes.md:5:"),
        "{}",
        build.stderr
    );

    let target = tempfile::tempdir().unwrap();
    let r = publish(dir.path(), target.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The same errors as the build, and the count; nothing else.
    let build_problems = build
        .stderr
        .strip_suffix("fleetdoc: build failed\n")
        .expect("the build says it failed");
    assert_eq!(r.stderr, build_problems);
    assert!(
        tree(target.path()).is_empty(),
        "nothing is written to the target"
    );
}

/// Two projects whose titles give the same folder name used to take turns overwriting each
/// other's `current` and index entry without a word.
#[test]
fn two_projects_with_the_same_title_cannot_publish_over_each_other() {
    let first = ops_project(SETTINGS);
    let second = ops_project(SETTINGS);
    let target = tempfile::tempdir().unwrap();
    let r = publish(first.path(), target.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before = current(target.path(), "ops-docs").expect("published");
    let index_before = read(target.path().join("index.json"));

    let r = publish(second.path(), target.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    let first_root = first.path().canonicalize().unwrap();
    assert!(
        r.stderr.contains(&format!(
            "is published by the project at {}",
            first_root.display()
        )) && r.stderr.contains("publish.project"),
        "{}",
        r.stderr
    );
    assert_eq!(current(target.path(), "ops-docs"), Some(before.clone()));
    assert_eq!(read(target.path().join("index.json")), index_before);
    // Nor can it roll the other project back.
    let r = run(
        &[
            "publish",
            "--rollback",
            "--to",
            target.path().to_str().unwrap(),
        ],
        second.path(),
        &[],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("is published by the project at"),
        "{}",
        r.stderr
    );
    assert_eq!(current(target.path(), "ops-docs"), Some(before));

    // The first project publishes again as before; the second, under a name of its own.
    let r = publish(first.path(), target.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::write(
        second.path().join("fleetdoc.yaml"),
        format!("{SETTINGS}publish:\n  project: ops-docs-two\n"),
    )
    .unwrap();
    let r = publish(second.path(), target.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(current(target.path(), "ops-docs-two").is_some());
}

/// The published explainer's og:image (and every other absolute URL) pointed at the
/// internal site from `url:`; in a publish they point at the published copy, or are left
/// out when where that is served is not known.
#[test]
fn published_pages_carry_no_absolute_url_of_the_internal_site() {
    let dir = ops_project(SETTINGS);
    let target = tempfile::tempdir().unwrap();
    let r = publish(dir.path(), target.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files = tree(target.path());
    assert!(files.iter().any(|(p, _)| p.ends_with("how/index.html")));
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("docs.example.com"),
            "{path} points at the internal site"
        );
    }
    let page = read(target.path().join("ops-docs/current/how/index.html"));
    assert!(
        page.contains("<meta property=\"og:image\" content=\"../diagrams/card-how.png\">"),
        "{page}"
    );

    // With `publish.url` (where the target is served) they point at the published copy.
    std::fs::write(
        dir.path().join("fleetdoc.yaml"),
        format!("{SETTINGS}publish:\n  url: https://ideas.example.com/explainers/\n"),
    )
    .unwrap();
    let r = publish(dir.path(), target.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = read(target.path().join("ops-docs/current/how/index.html"));
    assert!(
        page.contains("<meta property=\"og:image\" content=\"https://ideas.example.com/explainers/ops-docs/current/diagrams/card-how.png\">"),
        "{page}"
    );
    let sitemap = read(target.path().join("ops-docs/current/sitemap.xml"));
    assert!(
        sitemap.contains("<loc>https://ideas.example.com/explainers/ops-docs/current/how/</loc>"),
        "{sitemap}"
    );
}
