//! Peak memory of a big build: the 10,000-page benchmark corpus (`bench/corpus.py`, with
//! search and code highlighting on, as a site has them by default) is built under a
//! measured limit on the build's peak resident memory, so the site cannot come back to
//! being held in memory whole without this test failing. Pages go to the writer as they
//! are rendered; what stays is the model, the search index's word lists and the pages in
//! flight (each run of pages gives its words to the index as it is rendered, and its text
//! goes then).
//!
//! The limit is below half of the 390 MiB peak builds had before pages were streamed and
//! the index made as they render: 190 MiB. A debug build of the corpus now holds 166 - 173 MiB at its peak, of which about
//! 40 MiB is the debug binary's own code (a release build holds 140 - 146 MiB). The build
//! runs on two threads, the benchmark machine's count: each render thread holds its page in
//! flight, so more threads hold a little more. How long the build takes is the benchmark's
//! business, not this test's.
#![cfg(target_os = "linux")]

mod support;
use support::*;

use std::process::{Command, Stdio};

/// The most the build may hold at once, in MiB.
const LIMIT_MIB: u64 = 190;
const PAGES: usize = 10_000;

/// Runs `cmd` to its end; its exit code and its peak resident set size in KiB, measured
/// by the kernel for exactly this child (`wait4`).
#[allow(clippy::zombie_processes)] // reaped by `wait4` below, which std cannot do
fn run_measured(cmd: &mut Command) -> (i32, u64) {
    let child = cmd.spawn().expect("start fleetdoc");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain syscall on our own child with valid out-pointers; `child` is never
    // waited for through std, so the pid is reaped exactly once.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(got, pid, "wait4: {}", std::io::Error::last_os_error());
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // Linux reports ru_maxrss in KiB.
    (code, usage.ru_maxrss as u64)
}

#[test]
fn a_10000_page_build_holds_less_than_190_mib() {
    if !require("python3", &["--version"], "apt-get install python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let made = Command::new("python3")
        .arg(repo().join("bench/corpus.py"))
        .args(["--pages", &PAGES.to_string(), "--seed", "1", "--out"])
        .arg(&corpus)
        .stdout(Stdio::null())
        .status()
        .expect("python3 bench/corpus.py");
    assert!(made.success(), "bench/corpus.py failed");
    let site = dir.path().join("site");
    let (code, peak_kib) = run_measured(
        Command::new(bin())
            .arg("build")
            .arg("--root")
            .arg(corpus.join("fleetdoc"))
            .arg("--out")
            .arg(&site)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .env("RAYON_NUM_THREADS", "2")
            .stdout(Stdio::null()),
    );
    assert_eq!(code, 0, "the build failed");
    assert!(
        site.join("assets/search/index.json").is_file(),
        "no search index: the limit is meant for a build with search on"
    );
    let peak_mib = peak_kib / 1024;
    eprintln!("peak resident memory of the {PAGES}-page build: {peak_mib} MiB");
    assert!(
        peak_mib < LIMIT_MIB,
        "the {PAGES}-page build held {peak_mib} MiB at its peak, over {LIMIT_MIB} MiB: \
         is the site (or every page's HTML) kept in memory again?"
    );
}
