#![allow(dead_code)]
//! The repository's own example project, built once per test binary at a fixed "now"
//! (238 days after its newest snapshot), with its Markdown export beside it.
use crate::support::*;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

pub struct Example {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
    pub site: PathBuf,
    pub export: PathBuf,
}

pub const NOW: &str = "1796032800";

pub fn get() -> &'static Example {
    static EX: OnceLock<Example> = OnceLock::new();
    EX.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("example");
        for (rel, bytes) in tree(&repo().join("content")) {
            let p = dir.join("content").join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        std::fs::copy(repo().join("fleetdoc.yaml"), dir.join("fleetdoc.yaml")).unwrap();
        let r = run(&["build"], &dir, &[("SOURCE_DATE_EPOCH", NOW)]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = run(
            &["export", "--out", "export"],
            &dir,
            &[("SOURCE_DATE_EPOCH", NOW)],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        // linkchecker drops root privileges: let any user read the files.
        let _ = Command::new("chmod")
            .arg("-R")
            .arg("a+rX")
            .arg(tmp.path())
            .status();
        Example {
            site: dir.join("site"),
            export: dir.join("export"),
            dir,
            _tmp: tmp,
        }
    })
}

/// A file installed by `.ci/setup` under `.ci/tools/node_modules/`, or the skip rule.
pub fn tool_file(rel: &str) -> Option<PathBuf> {
    let p = repo().join(".ci/tools/node_modules").join(rel);
    if p.is_file() {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing, and CI is set: run `bash .ci/setup`",
            p.display()
        );
    }
    eprintln!("skipped: {} missing (run `bash .ci/setup`)", p.display());
    None
}

/// A count line for the CI log: written to stderr directly, so the test harness does not
/// capture it the way it captures `eprintln!` of a passing test.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
