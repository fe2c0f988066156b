//! A real git repository made by the test with the `git` CLI (only the test runs git; fleetdoc
//! reads the repository with its git library): commits at fixed dates by a fixed author, so
//! ids and dates are the same on every run.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Repo {
    pub dir: PathBuf,
}

/// `git` with no user or system configuration, a fixed identity and the given date.
fn git(dir: &Path, args: &[&str], date: &str) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Ops Example",
            "-c",
            "user.email=ops@example.com",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(["-c", "protocol.file.allow=always"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl Repo {
    /// A new repository in `dir` (created if missing).
    pub fn init(dir: &Path) -> Repo {
        std::fs::create_dir_all(dir).unwrap();
        git(dir, &["init", "-q"], "2026-01-01T00:00:00Z");
        Repo {
            dir: dir.to_path_buf(),
        }
    }

    /// Write (`Some`) or delete (`None`) files, then commit all of it at `date` (RFC 3339).
    pub fn commit(&self, date: &str, message: &str, files: &[(&str, Option<&str>)]) -> String {
        for (rel, text) in files {
            let p = self.dir.join(rel);
            match text {
                Some(t) => {
                    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                    std::fs::write(&p, t).unwrap();
                }
                None => std::fs::remove_file(&p).unwrap(),
            }
        }
        git(&self.dir, &["add", "-A"], date);
        git(&self.dir, &["commit", "-q", "-m", message], date);
        git(&self.dir, &["rev-parse", "--short=7", "HEAD"], date)
            .trim()
            .to_string()
    }

    /// `git clone --depth N file://...` of this repository into `to`.
    pub fn shallow_clone(&self, to: &Path, depth: u32) {
        let url = format!("file://{}", self.dir.display());
        git(
            self.dir.parent().unwrap(),
            &[
                "clone",
                "-q",
                "--depth",
                &depth.to_string(),
                &url,
                to.to_str().unwrap(),
            ],
            "2026-01-01T00:00:00Z",
        );
    }
}
