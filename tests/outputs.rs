//! Outputs never overlap inputs: `build`, `export`, `publish` and `watch` refuse, before
//! writing anything, an output that is the project, holds it, lies inside an input folder or
//! is an input file (each of these once deleted the user's sources with exit 0), and a
//! non-empty folder fleetdoc did not write unless `--force` is given.

mod support;
use std::path::{Path, PathBuf};
use support::*;

/// A project in `outer/proj`, with a probe snapshot folder, a template and an asset, so
/// every input folder exists.
fn nested_project() -> (tempfile::TempDir, PathBuf) {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("proj");
    for (rel, text) in [
        ("fleetdoc.yaml", "title: Ops\n"),
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", PAGE),
        ("content/probes/README.txt", "snapshots go here\n"),
        ("templates/README.txt", "overrides go here\n"),
        ("assets/extra.css", "p { color: black }\n"),
    ] {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    (outer, root)
}

/// Runs `args` in `root` and asserts exit 2, `message` in stderr, and every file of
/// `watched` byte for byte as it was.
fn assert_refused(root: &Path, watched: &Path, args: &[&str], message: &str) {
    let before = tree(watched);
    let r = run_for_at_most(args, root, std::time::Duration::from_secs(30));
    assert_eq!(r.code, 2, "{args:?} was not refused:\n{}", r.stderr);
    assert!(
        r.stderr.contains(message),
        "{args:?}: expected {message:?} in:\n{}",
        r.stderr
    );
    assert_eq!(tree(watched), before, "{args:?} changed the sources");
}

#[test]
fn build_out_at_the_project_its_parent_or_an_input_is_refused_and_the_sources_stay() {
    let (outer, root) = nested_project();
    let abs = root.to_str().unwrap().to_string();
    let parent = outer.path().to_str().unwrap().to_string();
    for (out, message) in [
        (abs.as_str(), "is the project folder itself"),
        (".", "is the project folder itself"),
        ("content/..", "is the project folder itself"),
        (parent.as_str(), "holds the project folder"),
        ("..", "holds the project folder"),
        ("content", "lies inside the input folder content/"),
        ("content/probes", "lies inside the input folder content/"),
        ("content/new-site", "lies inside the input folder content/"),
        ("templates", "lies inside the input folder templates/"),
        ("assets/site", "lies inside the input folder assets/"),
        ("fleetdoc.yaml", "is the input file fleetdoc.yaml"),
        ("content/fleet.yaml", "is the input file content/fleet.yaml"),
    ] {
        assert_refused(&root, outer.path(), &["build", "--out", out], message);
    }
}

#[test]
fn build_out_through_a_link_into_an_input_folder_is_refused() {
    let (outer, root) = nested_project();
    std::os::unix::fs::symlink(root.join("content"), root.join("docs")).unwrap();
    std::os::unix::fs::symlink(root.join("content/probes"), root.join("snaps")).unwrap();
    for out in ["docs", "snaps", "docs/sub/site", "new/../docs"] {
        assert_refused(
            &root,
            outer.path(),
            &["build", "--out", out],
            "lies inside the input folder content/",
        );
    }
}

#[test]
fn export_out_content_is_refused_and_keeps_the_topology_and_probes() {
    let (outer, root) = nested_project();
    assert_refused(
        &root,
        outer.path(),
        &["export", "--out", "content"],
        "lies inside the input folder content/",
    );
    assert_refused(
        &root,
        outer.path(),
        &["export", "--out", "."],
        "is the project folder itself",
    );
}

#[test]
fn output_setting_at_an_input_is_refused_at_its_line() {
    let (outer, root) = nested_project();
    std::fs::write(root.join("fleetdoc.yaml"), "title: Ops\noutput: content\n").unwrap();
    assert_refused(
        &root,
        outer.path(),
        &["build"],
        "fleetdoc.yaml:2:9: error: `output: content` lies inside the input folder content/",
    );
    assert_refused(
        &root,
        outer.path(),
        &["watch", "--port", "0"],
        "fleetdoc.yaml:2:9: error: `output: content` lies inside the input folder content/",
    );
}

#[test]
fn publish_to_the_project_or_an_input_folder_is_refused() {
    let (outer, root) = nested_project();
    for (to, message) in [
        (".", "is the project folder itself"),
        ("content", "lies inside the input folder content/"),
        ("..", "holds the project folder"),
    ] {
        assert_refused(&root, outer.path(), &["publish", "--to", to], message);
    }
}

#[test]
fn a_folder_fleetdoc_did_not_write_is_replaced_only_with_force() {
    let (outer, root) = nested_project();
    let notes = root.join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("todo.txt"), "my notes\n").unwrap();
    assert_refused(
        &root,
        outer.path(),
        &["build", "--out", "notes"],
        "already holds files that fleetdoc did not write (there is no .fleetdoc-build in it)",
    );
    assert_refused(
        &root,
        outer.path(),
        &["export", "--out", "notes"],
        "pass --force to replace it",
    );
    // An empty folder, a new one, and one fleetdoc wrote are fine.
    std::fs::create_dir(root.join("empty")).unwrap();
    for out in ["empty", "new", "new"] {
        let r = run(&["build", "--out", out], &root, &[]);
        assert_eq!(r.code, 0, "{out}: {}", r.stderr);
    }
    assert_eq!(
        read(root.join("new/.fleetdoc-build")),
        "This folder is written by fleetdoc; the next build replaces all of it.\n"
    );
    let r = run(&["build", "--out", "notes", "--force"], &root, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!notes.join("todo.txt").exists());
    // A site built before sites carried the marker is recognised by its index.html.
    std::fs::remove_file(root.join("new/.fleetdoc-build")).unwrap();
    let r = run(&["build", "--out", "new"], &root, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Even --force never writes over the sources.
    assert_refused(
        &root,
        outer.path(),
        &["build", "--out", "content", "--force"],
        "lies inside the input folder content/",
    );
}

#[test]
fn publish_into_a_folder_fleetdoc_did_not_publish_to_needs_force() {
    let (_outer, root) = nested_project();
    let target = tempfile::tempdir().unwrap();
    std::fs::write(target.path().join("index.html"), "<p>my page</p>").unwrap();
    let to = target.path().to_str().unwrap();
    let r = run(&["publish", "--to", to], &root, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("there is no .fleetdoc.lock in it"),
        "{}",
        r.stderr
    );
    assert_eq!(read(target.path().join("index.html")), "<p>my page</p>");
}
