//! Running the real binary on real project folders, and waiting for what it does.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fleetdoc"))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out: Output = cmd.output().expect("run fleetdoc");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A project folder in a temp dir, made of (path, text) files.
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// Every file below `dir`, as (relative path, bytes), sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

pub fn read(p: impl AsRef<Path>) -> String {
    std::fs::read_to_string(p.as_ref())
        .unwrap_or_else(|e| panic!("read {}: {e}", p.as_ref().display()))
}

/// A minimal valid topology with two hosts, an ingress and two public services.
pub const FLEET: &str = "\
fleet:
  name: Test Fleet
hosts:
  alpha:
    address: 203.0.113.10
    role: Primary
    contact: Ops
    rebuild: git
  beta:
    address: 203.0.113.20
    role: Testbed
services:
  traefik:
    host: alpha
    kind: docker
    ingress: true
    ports: [80, 443]
  forge:
    host: alpha
    kind: docker
    port: 3000
    public: forge.example.com
  agent:
    host: beta
    kind: process
links:
  - from: agent
    to: forge
    protocol: HTTPS
    via: forge.example.com
";

pub const PAGE: &str =
    "---\ntitle: Ops\nkind: runbook\n---\n\n## Hosts\n\n```fleet\ntable: hosts\n```\n";

/// Kills the child process when dropped, so a failing test leaves nothing running.
pub struct ChildGuard(pub std::process::Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Poll `f` every 50 ms until it returns true; panic with `what` after 20 s.
pub fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(20) {
        if f() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

/// Where `name` is on PATH.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// A project of `files` built with `SOURCE_DATE_EPOCH=now` (which must succeed).
pub fn built(files: &[(&str, &str)], now: &str) -> tempfile::TempDir {
    let dir = project(files);
    let r = run(&["build"], dir.path(), &[("SOURCE_DATE_EPOCH", now)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

/// A project of `files` whose snapshot files under `old/` were imported into its history
/// store with `SOURCE_DATE_EPOCH=now` (which must succeed) and then deleted, so a build reads
/// the store alone.
pub fn imported(files: &[(&str, &str)], now: &str) -> tempfile::TempDir {
    let dir = project(files);
    let r = run(
        &["history", "import", "old"],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", now)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::remove_dir_all(dir.path().join("old")).unwrap();
    dir
}

/// A built site whose topology, on `/map/`, is the 40-host fleet of [`big_fleet`] in four
/// regions (shown summed up).
pub fn big_fleet_site(now: &str) -> tempfile::TempDir {
    let fleet = big_fleet(40, 10, 4);
    let page = "# Map\n\n```fleet\ndiagram: topology\n```\n";
    built(
        &[("content/fleet.yaml", &fleet), ("content/map.md", page)],
        now,
    )
}

/// A generated fleet topology: `hosts` hosts spread over `regions` regions (none when 0),
/// each with an ingress and `per_host` more services (every third public, some in groups of
/// agents), and about one link for every third service, to a service on another host.
pub fn big_fleet(hosts: usize, per_host: usize, regions: usize) -> String {
    let mut y = String::from("fleet:\n  name: Big Fleet\nhosts:\n");
    for h in 0..hosts {
        y.push_str(&format!(
            "  host-{h}:\n    address: 203.0.113.{}\n    role: Node {h}\n",
            h % 250 + 1
        ));
        if regions > 0 {
            y.push_str(&format!("    region: region-{}\n", h * regions / hosts));
        }
    }
    y.push_str("services:\n");
    for h in 0..hosts {
        y.push_str(&format!(
            "  proxy-{h}:\n    host: host-{h}\n    kind: docker\n    ingress: true\n    ports: [80, 443]\n"
        ));
        for s in 0..per_host {
            y.push_str(&format!(
                "  app-{h}-{s}:\n    host: host-{h}\n    kind: docker\n    port: {}\n",
                3000 + s
            ));
            if s % 3 == 0 {
                y.push_str(&format!("    public: app-{h}-{s}.example.com\n"));
            }
            if s % 4 == 3 {
                y.push_str("    group: agents\n");
            }
        }
    }
    y.push_str("links:\n");
    for h in 0..hosts {
        for s in (0..per_host).step_by(3) {
            let to = (h * 7 + s + 1) % hosts;
            if to != h {
                y.push_str(&format!(
                    "  - from: app-{h}-{s}\n    to: app-{to}-{}\n    protocol: HTTPS\n",
                    (s + 1) % per_host.max(1)
                ));
            }
        }
    }
    y
}

/// Like [`run`], but a process still running after `limit` is killed and the test fails:
/// for commands that must not hang (or, like `watch`, must stop at once with an error).
pub fn run_for_at_most(args: &[&str], cwd: &Path, limit: std::time::Duration) -> Run {
    use std::io::Read;
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run fleetdoc");
    // Read both pipes while waiting, so a talkative child never blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut p) = pipe {
                p.read_to_string(&mut text).ok();
            }
            text
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait for fleetdoc") {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("fleetdoc {args:?} still ran after {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}
