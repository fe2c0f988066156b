//! Hostile input meets a named limit and a clear, positioned error: never a panic, never an
//! unbounded allocation, never a file written outside the site.

mod support;
use support::*;

fn assert_clean_failure(r: &Run) {
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn a_50_mb_topology_is_refused_by_size() {
    let dir = project(&[("content/a.md", "# A\n")]);
    let big = "# padding\n".repeat(5 * 1024 * 1024);
    std::fs::write(dir.path().join("content/fleet.yaml"), big).unwrap();
    let r = run(&["check"], dir.path(), &[]);
    assert_clean_failure(&r);
    assert!(
        r.stderr
            .contains("content/fleet.yaml:1:1: error: file is 50.0 MiB, over the limit of 8 MiB"),
        "{}",
        r.stderr
    );
}

#[test]
fn bracket_bombs_and_binary_junk_are_refused() {
    let bomb = format!("hosts: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let dir = project(&[("content/fleet.yaml", &bomb)]);
    let r = run(&["check"], dir.path(), &[]);
    assert_clean_failure(&r);
    assert!(
        r.stderr.contains("content/fleet.yaml:1:")
            && r.stderr.contains("nested deeper than 64 levels"),
        "{}",
        r.stderr
    );
    let dir = project(&[]);
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("content/fleet.yaml"),
        b"hosts:\n  a\x00\xff\xfe",
    )
    .unwrap();
    let r = run(&["check"], dir.path(), &[]);
    assert_clean_failure(&r);
    assert!(
        r.stderr
            .contains("content/fleet.yaml:2:4: error: file holds binary data"),
        "{}",
        r.stderr
    );
}

#[test]
fn links_that_climb_out_of_content_are_errors() {
    let dir = project(&[("content/a.md", "# A\n\n[secret](../../etc/passwd)\n")]);
    let r = run(&["build"], dir.path(), &[]);
    assert_clean_failure(&r);
    assert!(
        r.stderr
            .contains("content/a.md:3:1: error: link `../../etc/passwd` points outside content/"),
        "{}",
        r.stderr
    );
}

#[test]
fn settings_paths_cannot_leave_the_project() {
    let dir = project(&[
        ("fleetdoc.yaml", "output: ../elsewhere\nprobes: /etc\n"),
        ("content/a.md", "# A\n"),
    ]);
    let r = run(&["check"], dir.path(), &[]);
    assert_clean_failure(&r);
    assert!(
        r.stderr
            .contains("fleetdoc.yaml:1:9: error: `../elsewhere` must be a path inside the project"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("fleetdoc.yaml:2:9: error: `/etc` must be a path inside the project"),
        "{}",
        r.stderr
    );
}
