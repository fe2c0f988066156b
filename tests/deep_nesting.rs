//! No recursion on input depth: YAML nested 100,000 levels deep, by block indicators on
//! one line (`- - - x`, `? ? ? x`) or by flow collections (`[[[`), in every input a
//! command reads, is a positioned error from the real binary, never a stack overflow (a
//! signal exit). `watch` keeps running and builds again once the page is fixed.

mod support;
use support::*;

const LEVELS: usize = 100_000;
const TOO_DEEP: &str = "nested deeper than 64 levels; flatten this value";

fn dashes() -> String {
    format!("{}x\n", "- ".repeat(LEVELS))
}

fn keys() -> String {
    format!("{}x\n", "? ".repeat(LEVELS))
}

fn brackets() -> String {
    format!("{}\n", "[".repeat(LEVELS))
}

/// Runs `args` in a project of `files` and expects exit 1 with `want` in stderr.
fn refused(files: &[(&str, &str)], args: &[&str], want: &str) {
    let dir = project(files);
    let r = run(args, dir.path(), &[]);
    assert_eq!(
        r.code, 1,
        "{args:?} exited {} (a signal is -1): {}",
        r.code, r.stderr
    );
    assert!(r.stderr.contains(want), "{want} not in {}", r.stderr);
}

#[test]
fn front_matter_nested_by_block_indicators_on_one_line_is_an_error_not_a_crash() {
    let page = format!("---\ntitle: Deep\ntags:\n  {}---\n\nText.\n", dashes());
    refused(
        &[("content/fleet.yaml", FLEET), ("content/deep.md", &page)],
        &["build"],
        &format!("content/deep.md:4:127: error: {TOO_DEEP}"),
    );
    let page = format!("---\n{}---\n\nText.\n", keys());
    refused(
        &[("content/fleet.yaml", FLEET), ("content/deep.md", &page)],
        &["check"],
        &format!("content/deep.md:2:127: error: {TOO_DEEP}"),
    );
}

#[test]
fn topology_nested_by_block_indicators_or_brackets_is_an_error_not_a_crash() {
    let fleet = format!("{FLEET}layers:\n  {}", dashes());
    refused(
        &[("content/fleet.yaml", &fleet)],
        &["check"],
        &format!(": error: {TOO_DEEP}"),
    );
    let fleet = format!("{FLEET}extra: {}", brackets());
    refused(
        &[("content/fleet.yaml", &fleet)],
        &["build"],
        &format!(": error: {TOO_DEEP}"),
    );
    let fleet = format!("{FLEET}{}", keys());
    refused(
        &[("content/fleet.yaml", &fleet)],
        &["build"],
        &format!(": error: {TOO_DEEP}"),
    );
}

#[test]
fn settings_nested_deep_are_an_error_not_a_crash() {
    let settings = format!("title: Deep\nextra:\n  {}", dashes());
    refused(
        &[("content/fleet.yaml", FLEET), ("fleetdoc.yaml", &settings)],
        &["check"],
        &format!("fleetdoc.yaml:3:127: error: {TOO_DEEP}"),
    );
    let settings = format!("title: {}", brackets());
    refused(
        &[("content/fleet.yaml", FLEET), ("fleetdoc.yaml", &settings)],
        &["build"],
        "fleetdoc.yaml:1:",
    );
}

#[test]
fn a_probe_snapshot_nested_deep_is_a_warning_not_a_crash() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        (
            "content/probes/deep.json",
            &format!("{}{}", "[".repeat(LEVELS), "]".repeat(LEVELS)),
        ),
    ]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(
        r.code, 0,
        "exited {} (a signal is -1): {}",
        r.code, r.stderr
    );
    assert!(
        r.stderr.contains("content/probes/deep.json:1:"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_compose_file_nested_deep_is_an_error_not_a_crash_nor_a_wait() {
    let dir = project(&[("content/fleet.yaml", FLEET)]);
    for (name, text) in [("dashes.yml", dashes()), ("brackets.yml", brackets())] {
        std::fs::write(dir.path().join(name), text).unwrap();
        let start = std::time::Instant::now();
        let r = run(
            &["discover", "--compose", name],
            dir.path(),
            &[("PATH", "/usr/bin:/bin")],
        );
        assert_ne!(r.code, -1, "{name}: killed by a signal: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("{name}:1:")) && r.stderr.contains(TOO_DEEP),
            "{}",
            r.stderr
        );
        assert!(
            start.elapsed().as_secs() < 10,
            "{name} took {:?}",
            start.elapsed()
        );
    }
}

#[test]
fn watch_survives_a_page_nested_deep_and_builds_again_when_it_is_fixed() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/deep.md", "---\ntitle: Deep\n---\n\nFine.\n"),
    ]);
    let w = start_watch(dir.path());
    let page = format!("---\ntitle: Deep\ntags:\n  {}---\n\nText.\n", dashes());
    std::fs::write(dir.path().join("content/deep.md"), page).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    std::fs::write(
        dir.path().join("content/deep.md"),
        "---\ntitle: Deep\n---\n\nFixed again.\n",
    )
    .unwrap();
    wait_until("watch to build the fixed page", || {
        http::get(w.port, "localhost", "/deep/").is_ok_and(|r| r.body.contains("Fixed again."))
    });
}
