//! `build` and `publish` killed (SIGKILL) at random moments: the previous site, or the
//! release `current` points at, stays whole, and the next run deletes what the killed
//! ones left. Bounded: a few hundred pages, twenty kills of each command.

mod support;
use support::*;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PAGES: usize = 300;
const KILLS: u64 = 20;

/// Rewrites every page so that it names `round`; every page of one build names the same.
fn write_pages(root: &Path, round: u64) {
    for i in 0..PAGES {
        let page = format!(
            "---\ntitle: Page {i}\nclassification: public\n---\n\n\
             Written in round-{round}-end.\n\n{}\n",
            "Filler text for a page of realistic size. ".repeat(40)
        );
        std::fs::write(root.join(format!("content/p{i:03}.md")), page).expect("write page");
    }
}

/// The round every page of `site` names; panics if pages are missing or disagree.
fn site_round(site: &Path) -> u64 {
    let mut rounds = std::collections::BTreeSet::new();
    for i in 0..PAGES {
        let page = site.join(format!("p{i:03}/index.html"));
        let html = std::fs::read_to_string(&page)
            .unwrap_or_else(|e| panic!("{} missing from a whole site: {e}", page.display()));
        let at = html.find("round-").expect("round marker") + "round-".len();
        let end = html[at..].find("-end").expect("marker end") + at;
        rounds.insert(html[at..end].parse::<u64>().expect("round number"));
    }
    assert_eq!(
        rounds.len(),
        1,
        "pages of different builds mixed: {rounds:?}"
    );
    rounds.into_iter().next().expect("one round")
}

/// A pseudo-random delay below `max`, different every call.
fn random_below(max: Duration, salt: u64) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0);
    let max_us = max.as_micros().max(1) as u64;
    Duration::from_micros((nanos ^ salt.wrapping_mul(0x9E37_79B9)) % max_us)
}

/// Runs `fleetdoc args` once to the end and returns how long it took (to spread the kills
/// over a whole run; nothing is asserted about the time).
fn timed_run(args: &[&str], root: &Path) -> Duration {
    let start = Instant::now();
    let r = run(args, root, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    start.elapsed()
}

/// Starts `fleetdoc args`, kills it after a random part of `span`, and reaps it.
fn killed_run(args: &[&str], root: &Path, span: Duration, round: u64) {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(root)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start fleetdoc");
    std::thread::sleep(random_below(span, round));
    let _ = child.kill();
    child.wait().expect("reap fleetdoc");
}

fn names_starting(dir: &Path, prefixes: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| prefixes.iter().any(|p| n.starts_with(p)))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn killed_builds_leave_the_previous_site_whole_and_the_next_build_cleans_up() {
    let dir = project(&[("content/fleet.yaml", FLEET)]);
    let root = dir.path();
    write_pages(root, 0);
    let span = timed_run(&["build"], root);
    let mut last_complete = 0;
    for round in 1..=KILLS {
        write_pages(root, round);
        killed_run(&["build"], root, span, round);
        let seen = site_round(&root.join("site"));
        assert!(
            seen == last_complete || seen == round,
            "round {round}: the site is from round {seen}, expected {last_complete} or {round}"
        );
        last_complete = seen;
    }
    write_pages(root, KILLS + 1);
    timed_run(&["build"], root);
    assert_eq!(site_round(&root.join("site")), KILLS + 1);
    let left = names_starting(root, &[".site."]);
    assert!(left.is_empty(), "leftovers after the next build: {left:?}");
}

#[test]
fn killed_publishes_leave_current_whole_and_the_next_publish_cleans_up() {
    let dir = project(&[("content/fleet.yaml", FLEET)]);
    let root = dir.path();
    let target = tempfile::tempdir().expect("target");
    let to = target.path().to_str().expect("utf-8 path").to_owned();
    let args = ["publish", "--to", to.as_str()];
    write_pages(root, 0);
    let span = timed_run(&args, root);
    let project_dir = std::fs::read_dir(target.path())
        .expect("read target")
        .filter_map(Result::ok)
        .find(|e| e.path().join("current").exists())
        .expect("a project with `current`")
        .path();
    let current = project_dir.join("current");
    let mut last_complete = 0;
    for round in 1..=KILLS {
        write_pages(root, round);
        killed_run(&args, root, span, round);
        let seen = site_round(&current);
        assert!(
            seen == last_complete || seen == round,
            "round {round}: current is from round {seen}, expected {last_complete} or {round}"
        );
        last_complete = seen;
    }
    write_pages(root, KILLS + 1);
    timed_run(&args, root);
    assert_eq!(site_round(&current), KILLS + 1);
    let mut left = names_starting(&project_dir, &["current.tmp-"]);
    left.extend(names_starting(
        &project_dir.join("releases"),
        &[".staging-", ".trash-"],
    ));
    assert!(
        left.is_empty(),
        "leftovers after the next publish: {left:?}"
    );
}
