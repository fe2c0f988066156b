//! Linear in the fleet: a fleet four times as big (250 and 1,000 hosts, 10 services each)
//! writes at most six times the bytes and takes at most six times as long to build. For the
//! time, each size is built twice and the faster build counts, so one slow moment of a
//! shared machine does not decide; the time is the process's own CPU time (user + system).

mod support;
use support::*;

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

/// A topology of `hosts` hosts with 10 services each, a link from each host's first
/// service to the previous host's, and one page with a hosts table.
fn fleet(hosts: usize) -> String {
    let mut y = String::from("fleet:\n  name: Scale\nhosts:\n");
    for h in 0..hosts {
        let _ = writeln!(
            y,
            "  h{h:05}:\n    address: 2001:db8::{h:x}\n    role: worker"
        );
    }
    y.push_str("services:\n");
    for h in 0..hosts {
        for s in 0..10 {
            let _ = writeln!(
                y,
                "  s{h:05}-{s}:\n    host: h{h:05}\n    kind: process\n    port: {}",
                8000 + s
            );
        }
    }
    y.push_str("links:\n");
    for h in 1..hosts {
        let _ = writeln!(y, "  - from: s{h:05}-0\n    to: s{:05}-0", h - 1);
    }
    y
}

/// CPU time (user + system) of the children this process waited for so far, from
/// `/proc/self/stat` (fields 16 and 17, in clock ticks of 1/100 s on Linux).
fn children_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    let after = &stat[stat.rfind(')').expect("stat format") + 1..];
    let f: Vec<u64> = after
        .split_whitespace()
        .skip(13)
        .take(2)
        .map(|x| x.parse().expect("clock ticks"))
        .collect();
    Duration::from_millis((f[0] + f[1]) * 10)
}

fn size_of(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// The best CPU time of `runs` builds, and the size of the site written.
fn build(hosts: usize, runs: usize) -> (Duration, u64) {
    let dir = project(&[
        ("content/fleet.yaml", &fleet(hosts)),
        (
            "content/inventory.md",
            "---\ntitle: Hosts\n---\n\n```fleet\ntable: hosts\n```\n",
        ),
    ]);
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let before = children_cpu();
        let r = run(&["build"], dir.path(), &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        best = best.min(children_cpu() - before);
    }
    (best, size_of(&dir.path().join("site")))
}

#[test]
fn four_times_the_hosts_write_at_most_six_times_the_output() {
    let (_, s1) = build(250, 1);
    let (_, s4) = build(1_000, 1);
    assert!(
        s4 <= s1 * 6,
        "output grew {:.1}x for 4x the hosts ({s1} -> {s4} bytes)",
        s4 as f64 / s1 as f64
    );
}

#[test]
fn four_times_the_hosts_take_at_most_six_times_the_build_time() {
    let (t1, _) = build(250, 2);
    let (t4, _) = build(1_000, 2);
    eprintln!(
        "build time: {t1:?} -> {t4:?} ({:.1}x for 4x the hosts)",
        t4.as_secs_f64() / t1.as_secs_f64()
    );
    assert!(
        t4 <= t1 * 6,
        "build time grew {:.1}x for 4x the hosts ({t1:?} -> {t4:?})",
        t4.as_secs_f64() / t1.as_secs_f64()
    );
}

#[test]
fn a_build_whose_model_has_errors_stops_before_rendering() {
    let page = "# Ops\n\n[gone](missing.md)\n";
    let dir = project(&[("content/fleet.yaml", &fleet(50)), ("content/ops.md", page)]);
    let r = run(&["-v", "build"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/ops.md:3:1: error"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("model"), "stage timings: {}", r.stderr);
    assert!(
        !r.stderr.contains("render"),
        "rendered anyway: {}",
        r.stderr
    );
}

/// Page contexts no longer copy every host unless a template asks: a project template that
/// names `hosts` still gets each host's name and link, and the built-in header its count.
#[test]
fn a_project_template_that_names_hosts_still_gets_every_host() {
    let index = "{% for h in hosts %}{{ h.name }}={{ h.href }};{% endfor %} count={{ host_count }}";
    let dir = project(&[
        ("content/fleet.yaml", &fleet(3)),
        ("templates/index.html", index),
    ]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(dir.path().join("site/index.html")).expect("index.html");
    assert_eq!(
        html,
        "h00000=hosts/h00000/;h00001=hosts/h00001/;h00002=hosts/h00002/; count=3"
    );
}
