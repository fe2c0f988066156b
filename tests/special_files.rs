//! Only regular files are read. A FIFO (which blocks whoever opens it until a writer comes),
//! a socket or a link to one, in any input folder, is warned about at its path and never
//! opened; as `fleetdoc.yaml` or the topology it is an error. `build` and `watch` never hang
//! on one: every run here is killed, and the test fails, if it does.

mod support;
use std::path::Path;
use std::time::Duration;
use support::*;

fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo")
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

fn base_project() -> tempfile::TempDir {
    project(&[
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", PAGE),
        ("content/probes/README.txt", "snapshots\n"),
        ("templates/README.txt", "overrides\n"),
        ("assets/extra.css", "p { color: black }\n"),
    ])
}

#[test]
fn build_does_not_hang_on_a_fifo_or_socket_in_any_input_folder() {
    let dir = base_project();
    let root = dir.path();
    mkfifo(&root.join("content/notes.md"));
    mkfifo(&root.join("content/picture.png"));
    mkfifo(&root.join("content/probes/2026-01-01T00-00-00Z.json"));
    mkfifo(&root.join("templates/page.html"));
    mkfifo(&root.join("assets/fonts.css"));
    mkfifo(&root.join("pipes/elsewhere"));
    std::os::unix::fs::symlink(root.join("pipes/elsewhere"), root.join("content/linked.md"))
        .unwrap();
    std::os::unix::fs::symlink(root.join("pipes/elsewhere"), root.join("assets/linked.css"))
        .unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(root.join("assets/app.sock")).unwrap();
    let r = run_for_at_most(&["build"], root, Duration::from_secs(60));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (path, what) in [
        (
            "content/notes.md",
            "it is a FIFO (named pipe), not a regular file",
        ),
        (
            "content/picture.png",
            "it is a FIFO (named pipe), not a regular file",
        ),
        (
            "content/probes/2026-01-01T00-00-00Z.json",
            "it is a FIFO (named pipe), not a regular file",
        ),
        (
            "templates/page.html",
            "it is a FIFO (named pipe), not a regular file",
        ),
        (
            "assets/fonts.css",
            "it is a FIFO (named pipe), not a regular file",
        ),
        ("assets/app.sock", "it is a socket, not a regular file"),
        (
            "content/linked.md",
            "a symbolic link to a FIFO (named pipe), not a regular file",
        ),
        (
            "assets/linked.css",
            "a symbolic link to a FIFO (named pipe), not a regular file",
        ),
    ] {
        let line = format!("{path}:1:1: warning: not read: {what}");
        assert!(
            r.stderr.contains(&line),
            "missing {line:?} in:\n{}",
            r.stderr
        );
    }
    for gone in [
        "notes/index.html",
        "picture.png",
        "assets/fonts.css",
        "linked/index.html",
    ] {
        assert!(!root.join("site").join(gone).exists(), "{gone} was written");
    }
}

#[test]
fn a_fifo_as_fleetdoc_yaml_or_the_topology_is_an_error_not_a_hang() {
    for (fifo, shown) in [
        (
            "fleetdoc.yaml",
            "fleetdoc.yaml:1:1: error: not read: it is a FIFO (named pipe)",
        ),
        (
            "content/fleet.yaml",
            "content/fleet.yaml:1:1: error: not read: it is a FIFO (named pipe)",
        ),
    ] {
        let dir = base_project();
        let path = dir.path().join(fifo);
        std::fs::remove_file(&path).ok();
        mkfifo(&path);
        for cmd in [&["build"][..], &["check"][..]] {
            let r = run_for_at_most(cmd, dir.path(), Duration::from_secs(60));
            assert_eq!(r.code, 1, "{cmd:?} {fifo}: {}", r.stderr);
            assert!(
                r.stderr.contains(shown),
                "{cmd:?}: {shown:?} not in:\n{}",
                r.stderr
            );
        }
        // Through a link, too.
        let dir = base_project();
        let path = dir.path().join(fifo);
        std::fs::remove_file(&path).ok();
        mkfifo(&dir.path().join("pipe"));
        std::os::unix::fs::symlink(dir.path().join("pipe"), &path).unwrap();
        let r = run_for_at_most(&["build"], dir.path(), Duration::from_secs(60));
        assert_eq!(r.code, 1, "link {fifo}: {}", r.stderr);
        assert!(
            r.stderr.contains(shown),
            "link: {shown:?} not in:\n{}",
            r.stderr
        );
    }
}

#[test]
fn watch_serves_and_rebuilds_with_a_fifo_among_the_inputs() {
    let dir = base_project();
    let root = dir.path();
    mkfifo(&root.join("content/notes.md"));
    // The first build would hang here, before serving, if it opened the FIFO.
    let w = start_watch(root);
    // A FIFO (and a link to one) appearing later does not stall the rebuilds either.
    mkfifo(&root.join("pipes/later"));
    std::os::unix::fs::symlink(root.join("pipes/later"), root.join("content/later.md")).unwrap();
    std::fs::write(
        root.join("content/ops.md"),
        PAGE.replace("## Hosts", "## Hosts after the FIFO"),
    )
    .unwrap();
    wait_until("the edited page to be served", || {
        http::get(w.port, "localhost", "/ops/")
            .is_ok_and(|r| r.status == 200 && r.body.contains("Hosts after the FIFO"))
    });
}
