//! Symbolic links among the inputs: a link that leaves the project is never followed, in
//! any input folder, and each one is named at its own path; links that stay inside the
//! project work.
#![cfg(unix)]

mod support;
use std::os::unix::fs::symlink;
use support::*;

/// A folder outside the project holding a secret, as `/etc` would.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("shadow"), "TOP-SECRET-HASH\n").expect("secret");
    std::fs::write(dir.path().join("leak.md"), "# Leak\n\nTOP-SECRET-PAGE\n").expect("page");
    std::fs::create_dir(dir.path().join("probes")).expect("mkdir");
    dir
}

fn no_secret_in(site: &std::path::Path) {
    for (path, bytes) in tree(site) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("TOP-SECRET"), "{path} holds outside data");
    }
}

#[test]
fn links_that_leave_the_project_are_not_followed_and_are_named() {
    let out = outside();
    let o = std::fs::canonicalize(out.path()).expect("canonical");
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/ops.md", PAGE)]);
    let root = dir.path();
    symlink(&o, root.join("assets")).expect("link");
    symlink(&o, root.join("templates")).expect("link");
    symlink(o.join("leak.md"), root.join("content/leak.md")).expect("link");
    symlink(&o, root.join("content/outside")).expect("link");
    symlink(o.join("probes"), root.join("content/probes")).expect("link");
    let r = run(&["build"], root, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let o = o.display();
    let why = "outside the project; links that leave the project are never followed: \
               copy what is needed into the project";
    assert_eq!(
        r.stderr,
        format!(
            "assets:1:1: warning: not read: a symbolic link to {o}, {why}\n\
             content/leak.md:1:1: warning: not read: a symbolic link to {o}/leak.md, {why}\n\
             content/outside:1:1: warning: not read: a symbolic link to {o}, {why}\n\
             content/probes:1:1: warning: not read: a symbolic link to {o}/probes, {why}\n\
             templates:1:1: warning: not read: a symbolic link to {o}, {why}\n\
             fleetdoc: 0 errors, 5 warnings\n\
             fleetdoc: built 1 pages, 2 hosts, {n} files into ./site\n",
            // The site's files, not the marker the writer adds (see docs/deploy.md).
            n = tree(&root.join("site"))
                .iter()
                .filter(|(p, _)| p != ".fleetdoc-build")
                .count()
        )
    );
    no_secret_in(&root.join("site"));
}

#[test]
fn a_content_folder_linked_outside_is_one_error() {
    let out = outside();
    let o = std::fs::canonicalize(out.path()).expect("canonical");
    let dir = project(&[]);
    symlink(&o, dir.path().join("content")).expect("link");
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "content:1:1: error: content/ is not read: it is a symbolic link to {}, outside \
             the project; links that leave the project are never followed: copy what is \
             needed into the project\n\
             fleetdoc: 1 error, 0 warnings\n\
             fleetdoc: build failed\n",
            o.display()
        )
    );
    assert!(!dir.path().join("site").exists());
}

#[test]
fn links_inside_the_project_are_read() {
    let dir = project(&[
        ("docs/content/fleet.yaml", FLEET),
        ("docs/content/ops.md", PAGE),
        ("shared/extra.md", "# Extra\n\nShared page.\n"),
        ("shared/logo.txt", "logo\n"),
    ]);
    let root = dir.path();
    symlink("docs/content", root.join("content")).expect("link");
    symlink("../../shared/extra.md", root.join("docs/content/extra.md")).expect("link");
    std::fs::create_dir(root.join("assets")).expect("mkdir");
    symlink("../shared/logo.txt", root.join("assets/logo.txt")).expect("link");
    let r = run(&["build"], root, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert!(read(root.join("site/extra/index.html")).contains("Shared page."));
    assert_eq!(read(root.join("site/assets/logo.txt")), "logo\n");
}
