//! `fleetdoc publish` on real folders: releases, the `current` switch, pruning, rollback,
//! the shared index of every project on a target, escaping, concurrent publishes, and
//! publishes killed at random moments (a child process running this test binary).

use chrono::{DateTime, Duration, TimeZone, Utc};
use fleetdoc::publish::{self, Entry, PublishError, Release, META_FILE};
use fleetdoc::render::output::Output;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{mpsc, Arc, Barrier};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 9, 7, 0, 0)
        .single()
        .expect("time")
}

/// A small site: a home page, one explainer with a poster, and `fillers` data files of
/// `size` bytes, every file starting with `tag` so a release can be checked for completeness.
fn site(tag: &str, fillers: usize, size: usize) -> Output {
    let mut out = Output::default();
    out.bytes("index.html", format!("{tag}\n<h1>home</h1>\n"));
    out.bytes(
        "explainers/vps/index.html",
        format!("{tag}\n<h1>VPS</h1>\n"),
    );
    out.bytes("diagrams/vps.png", format!("{tag}\nnot really a png\n"));
    for i in 0..fillers {
        let mut data = format!("{tag}\n").into_bytes();
        data.resize(size.max(data.len()), b'x');
        out.bytes(format!("data/f{i:04}.bin"), data);
    }
    out
}

fn entry(title: &str) -> Entry {
    Entry {
        title: title.into(),
        summary: Some(format!("What {title} is made of")),
        href: "explainers/vps/".into(),
        poster: Some("diagrams/vps.png".into()),
        updated: Some("2025-03-01".into()),
    }
}

fn release<'a>(
    project: &'a str,
    title: &'a str,
    site: &'a Output,
    at: DateTime<Utc>,
) -> Release<'a> {
    Release {
        project,
        title,
        root: Path::new("/srv/docs"),
        site,
        entries: vec![entry(&format!("{title} explainer"))],
        published_at: at,
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

fn index_json(to: &Path) -> serde_json::Value {
    let text = read(&to.join("index.json"));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("index.json does not parse ({e}): {text}"))
}

/// Release ids `current` points at, checking the link is relative.
fn current_id(to: &Path, project: &str) -> Option<String> {
    let link = std::fs::read_link(to.join(project).join("current")).ok()?;
    assert!(
        link.is_relative(),
        "current must be a relative link: {}",
        link.display()
    );
    let s = link.to_str().expect("utf-8 link").to_string();
    Some(
        s.strip_prefix("releases/")
            .unwrap_or_else(|| panic!("current -> {s}"))
            .to_string(),
    )
}

fn release_dirs(to: &Path, project: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(to.join(project).join("releases"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// A release folder holds every file of one publish, all from the same publish.
fn assert_complete(dir: &Path, fillers: usize, size: usize) {
    let meta: serde_json::Value = serde_json::from_str(&read(&dir.join(META_FILE)))
        .unwrap_or_else(|e| panic!("{}: metadata does not parse: {e}", dir.display()));
    assert_eq!(
        meta["release"].as_str(),
        dir.file_name().and_then(|n| n.to_str()),
        "{meta}"
    );
    let home = read(&dir.join("index.html"));
    let tag = home.lines().next().expect("tag line").to_string();
    for i in 0..fillers {
        let f = dir.join(format!("data/f{i:04}.bin"));
        let data = std::fs::read(&f).unwrap_or_else(|e| panic!("{} missing: {e}", f.display()));
        assert_eq!(data.len(), size, "{} is cut short", f.display());
        assert!(
            data.starts_with(tag.as_bytes()),
            "{} is from another publish",
            f.display()
        );
    }
}

/// Every link of the index opens a file under the target.
fn assert_index_links_resolve(to: &Path) {
    let idx = index_json(to);
    for e in idx["entries"].as_array().expect("entries") {
        for key in ["href", "poster"] {
            if let Some(href) = e[key].as_str() {
                let mut p = to.join(href);
                if href.ends_with('/') {
                    p = p.join("index.html");
                }
                assert!(p.is_file(), "index {key} {href} opens nothing");
            }
        }
    }
    assert!(to.join("index.html").is_file());
}

#[test]
fn seven_publishes_keep_five_and_current_is_the_newest() {
    let to = tempfile::tempdir().expect("temp dir");
    let mut ids = Vec::new();
    for i in 0..7 {
        let s = site(&format!("publish-{i}"), 2, 100);
        // Two publishes in the same second get distinct, ordered ids.
        let at = t0() + Duration::seconds(i / 2);
        let r = publish::publish(to.path(), &release("fleet-docs", "Fleet Docs", &s, at), 5)
            .expect("publish");
        ids.push(r.release.clone());
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, ids, "ids must be unique and sort in publish order");
    assert_eq!(release_dirs(to.path(), "fleet-docs"), ids[2..].to_vec());
    assert_eq!(
        current_id(to.path(), "fleet-docs").as_deref(),
        Some(ids[6].as_str())
    );
    let home = read(&to.path().join("fleet-docs/current/index.html"));
    assert!(home.starts_with("publish-6\n"), "{home}");
    for id in &ids[2..] {
        assert_complete(&to.path().join("fleet-docs/releases").join(id), 2, 100);
    }
}

#[test]
fn rollback_points_current_at_the_previous_release() {
    let to = tempfile::tempdir().expect("temp dir");
    let mut ids = Vec::new();
    for i in 0..3 {
        let s = site(&format!("version-{i}"), 0, 0);
        let r = publish::publish(
            to.path(),
            &release("fleet-docs", "Fleet Docs", &s, t0() + Duration::minutes(i)),
            5,
        )
        .expect("publish");
        ids.push(r.release);
    }
    let r = publish::rollback(to.path(), "fleet-docs").expect("rollback");
    assert_eq!(
        (r.release.as_str(), r.previous.as_deref()),
        (ids[1].as_str(), Some(ids[2].as_str()))
    );
    assert!(read(&to.path().join("fleet-docs/current/index.html")).starts_with("version-1\n"));
    assert_eq!(
        index_json(to.path())["projects"][0]["release"],
        ids[1].as_str()
    );

    publish::rollback(to.path(), "fleet-docs").expect("second rollback");
    assert_eq!(
        current_id(to.path(), "fleet-docs").as_deref(),
        Some(ids[0].as_str())
    );
    let err = publish::rollback(to.path(), "fleet-docs").expect_err("nothing older");
    assert!(
        matches!(err, PublishError::NothingToRollBack { .. }),
        "{err}"
    );
    assert!(err.to_string().contains(&ids[0]), "{err}");

    // Publishing after a rollback makes a release newer than all others current.
    let s = site("version-3", 0, 0);
    let r = publish::publish(to.path(), &release("fleet-docs", "Fleet Docs", &s, t0()), 5)
        .expect("publish");
    assert!(
        r.release > ids[2],
        "{} must sort after {}",
        r.release,
        ids[2]
    );
    assert_eq!(current_id(to.path(), "fleet-docs"), Some(r.release));
}

#[test]
fn two_projects_on_one_target_are_both_in_the_index() {
    let to = tempfile::tempdir().expect("temp dir");
    let a = site("alpha", 0, 0);
    let b = site("beta", 0, 0);
    publish::publish(to.path(), &release("alpha-docs", "Alpha Docs", &a, t0()), 5).expect("alpha");
    let r = publish::publish(
        to.path(),
        &release("beta-docs", "Beta Docs", &b, t0() + Duration::hours(1)),
        5,
    )
    .expect("beta");
    assert_eq!((r.projects_listed, r.entries_listed), (2, 2));

    let idx = index_json(to.path());
    let projects: Vec<&str> = idx["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .filter_map(|p| p["project"].as_str())
        .collect();
    assert_eq!(projects, ["beta-docs", "alpha-docs"], "newest first");
    let hrefs: Vec<&str> = idx["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["href"].as_str())
        .collect();
    assert!(
        hrefs.contains(&"alpha-docs/current/explainers/vps/"),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"beta-docs/current/explainers/vps/"),
        "{hrefs:?}"
    );
    assert_index_links_resolve(to.path());

    let html = read(&to.path().join("index.html"));
    for want in [
        "Alpha Docs explainer",
        "Beta Docs explainer",
        "src=\"alpha-docs/current/diagrams/vps.png\"",
        "href=\"beta-docs/current/explainers/vps/\"",
    ] {
        assert!(html.contains(want), "index.html lacks {want}:\n{html}");
    }
    assert!(
        !html.contains("href=\"/"),
        "links must be relative:\n{html}"
    );
}

#[test]
fn markup_in_titles_is_escaped_in_the_index() {
    let to = tempfile::tempdir().expect("temp dir");
    let s = site("x", 0, 0);
    let mut rel = release("evil", "<script>alert(1)</script> & \"Docs\"", &s, t0());
    rel.entries[0].summary = Some("<img src=x onerror=alert(2)>".into());
    publish::publish(to.path(), &rel, 5).expect("publish");
    let html = read(&to.path().join("index.html"));
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Docs&quot;"),
        "{html}"
    );
    assert_eq!(
        index_json(to.path())["projects"][0]["title"],
        "<script>alert(1)</script> & \"Docs\""
    );
}

#[test]
fn concurrent_publishes_leave_an_index_listing_every_project() {
    let to = Arc::new(tempfile::tempdir().expect("temp dir"));
    let barrier = Arc::new(Barrier::new(4));
    let workers: Vec<_> = ["alpha", "beta", "alpha", "beta"]
        .into_iter()
        .enumerate()
        .map(|(n, project)| {
            let (to, barrier) = (to.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                (0..3)
                    .map(|i| {
                        let s = site(&format!("{project}-{n}-{i}"), 20, 4096);
                        publish::publish(to.path(), &release(project, project, &s, t0()), 5)
                            .expect("publish")
                            .release
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let ids: Vec<Vec<String>> = workers
        .into_iter()
        .map(|w| w.join().expect("thread"))
        .collect();
    for (project, a, b) in [("alpha", 0, 2), ("beta", 1, 3)] {
        let mut all: Vec<&String> = ids[a].iter().chain(&ids[b]).collect();
        all.sort();
        all.dedup();
        assert_eq!(
            all.len(),
            6,
            "{project}: every publish gets its own release: {all:?}"
        );
        assert_eq!(release_dirs(to.path(), project).len(), 5);
        let cur = current_id(to.path(), project).expect("current");
        assert_complete(
            &to.path().join(project).join("releases").join(cur),
            20,
            4096,
        );
    }
    let idx = index_json(to.path());
    let listed: Vec<&str> = idx["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .filter_map(|p| p["project"].as_str())
        .collect();
    assert!(
        listed.contains(&"alpha") && listed.contains(&"beta"),
        "{idx}"
    );
    assert_index_links_resolve(to.path());
}

#[test]
fn foreign_and_broken_projects_do_not_break_the_index() {
    let to = tempfile::tempdir().expect("temp dir");
    // A project published by another tool: listed by folder name.
    std::fs::create_dir_all(to.path().join("hand-made/current")).expect("mkdir");
    std::fs::write(to.path().join("hand-made/current/index.html"), "hi").expect("write");
    // A project whose metadata is broken, and one whose links leave the target.
    std::fs::create_dir_all(to.path().join("broken/current")).expect("mkdir");
    std::fs::write(
        to.path().join("broken/current").join(META_FILE),
        "{not json",
    )
    .expect("write");
    std::fs::create_dir_all(to.path().join("sneaky/current")).expect("mkdir");
    std::fs::write(
        to.path().join("sneaky/current").join(META_FILE),
        r#"{"project":"sneaky","title":"S","published_at":"2025-01-01T00:00:00Z",
            "entries":[{"title":"out","href":"../../etc/passwd"},{"title":"js","href":"javascript:alert(1)"}]}"#,
    )
    .expect("write");
    let s = site("mine", 0, 0);
    let r = publish::publish(to.path(), &release("mine", "Mine", &s, t0()), 5).expect("publish");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("broken") && w.contains("not valid release metadata")),
        "{:?}",
        r.warnings
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("sneaky") && w.contains("left out 2")),
        "{:?}",
        r.warnings
    );
    let idx = index_json(to.path());
    let listed: Vec<&str> = idx["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .filter_map(|p| p["project"].as_str())
        .collect();
    assert_eq!(listed, ["mine", "sneaky", "hand-made"], "{idx}");
    assert_eq!(idx["entries"].as_array().map(Vec::len), Some(1), "{idx}");
    let html = read(&to.path().join("index.html"));
    assert!(
        !html.contains("passwd") && !html.contains("javascript:"),
        "{html}"
    );
    assert_index_links_resolve(to.path());
}

#[test]
fn errors_name_the_path_and_what_to_do() {
    let to = tempfile::tempdir().expect("temp dir");
    let s = site("x", 0, 0);
    let not_a_folder = to.path().join("a-file");
    std::fs::write(&not_a_folder, "x").expect("write");
    let err = publish::publish(&not_a_folder, &release("p", "P", &s, t0()), 5)
        .expect_err("target is a file");
    let msg = err.to_string();
    assert!(
        msg.contains(&not_a_folder.display().to_string()) && msg.contains("publish.brainstorming"),
        "{msg}"
    );

    let err =
        publish::publish(to.path(), &release("../p", "P", &s, t0()), 5).expect_err("bad name");
    assert!(err.to_string().contains("publish.project"), "{err}");

    let mut rel = release("p", "P", &s, t0());
    rel.entries[0].href = "explainers/gone/".into();
    let err = publish::publish(to.path(), &rel, 5).expect_err("dangling entry");
    assert!(err.to_string().contains("explainers/gone/"), "{err}");
    assert!(
        !to.path().join("p/current").exists(),
        "nothing is switched on error"
    );

    std::fs::create_dir_all(to.path().join("q/current")).expect("mkdir");
    let err = publish::publish(to.path(), &release("q", "Q", &s, t0()), 5)
        .expect_err("current is a folder");
    assert!(
        err.to_string().contains("q/current") && err.to_string().contains("move it away"),
        "{err}"
    );
    assert!(
        release_dirs(to.path(), "q").is_empty(),
        "no release is left behind"
    );
}

const CHILD_ENV: &str = "FLEETDOC_PUBLISH_TEST_CHILD_TARGET";
const BIG_FILES: usize = 300;
const BIG_SIZE: usize = 64 * 1024;
/// How many child publishers are killed.
const ROUNDS: u64 = 10;

/// Run by `interrupted_publishes_leave_current_and_index_valid` in a child process: publishes
/// a big site over and over, printing each release id, until it is killed.
#[test]
#[ignore = "helper process for interrupted_publishes_leave_current_and_index_valid"]
fn child_process_publisher() {
    let Some(to) = std::env::var_os(CHILD_ENV).map(PathBuf::from) else {
        return;
    };
    for i in 0..10_000u32 {
        let tag = format!("child-{}-{i}", std::process::id());
        let s = site(&tag, BIG_FILES, BIG_SIZE);
        let started = std::time::Instant::now();
        let r = publish::publish(&to, &release("big-docs", "Big Docs", &s, Utc::now()), 5)
            .expect("publish");
        println!("published {} in {:?}", r.release, started.elapsed());
    }
}

fn assert_valid_after_kill(to: &Path) {
    if let Some(cur) = current_id(to, "big-docs") {
        assert_complete(&to.join("big-docs/releases").join(cur), BIG_FILES, BIG_SIZE);
    }
    for id in release_dirs(to, "big-docs") {
        assert_complete(&to.join("big-docs/releases").join(id), BIG_FILES, BIG_SIZE);
    }
    if to.join("index.json").exists() {
        assert_index_links_resolve(to);
    }
}

#[test]
fn interrupted_publishes_leave_current_and_index_valid() {
    let to = tempfile::tempdir().expect("temp dir");
    let exe = std::env::current_exe().expect("test binary");
    let mut published = 0;
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args([
                "child_process_publisher",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, to.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start child");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.starts_with("published ") && tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Let one publish finish, then kill the next one at an arbitrary moment.
        let first = rx.recv_timeout(std::time::Duration::from_secs(120));
        assert!(first.is_ok(), "round {round}: the child published nothing");
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() as u64)
            .unwrap_or(0);
        std::thread::sleep(std::time::Duration::from_millis(
            (nanos ^ (round * 7919)) % 600,
        ));
        child.kill().expect("kill child");
        child.wait().expect("reap child");
        published += 1 + rx.try_iter().count();
        assert_valid_after_kill(to.path());
        assert!(current_id(to.path(), "big-docs").is_some());
    }
    // The next publish recovers: stray links and trash are gone, five releases kept.
    let s = site("after-kills", BIG_FILES, BIG_SIZE);
    publish::publish(
        to.path(),
        &release("big-docs", "Big Docs", &s, Utc::now()),
        5,
    )
    .expect("publish after kills");
    assert_valid_after_kill(to.path());
    assert!(read(&to.path().join("big-docs/current/index.html")).starts_with("after-kills\n"));
    assert_eq!(
        release_dirs(to.path(), "big-docs").len(),
        5.min(published + 1)
    );
    let leftovers: Vec<String> = std::fs::read_dir(to.path().join("big-docs"))
        .expect("read")
        .chain(std::fs::read_dir(to.path().join("big-docs/releases")).expect("read"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with("current.tmp-") || n.starts_with(".trash-") || n.starts_with(".staging-")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    eprintln!("{published} publishes completed across {ROUNDS} killed child processes");
}
