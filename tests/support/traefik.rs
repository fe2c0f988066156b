//! A real Traefik v3 process for one test: file provider on a temp folder, one entry point
//! on a free loopback port, its API on another loopback port; killed when dropped.

use super::{free_port, http};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Traefik {
    child: Child,
    pub dir: tempfile::TempDir,
    pub web_port: u16,
    pub api_port: u16,
}

impl Traefik {
    /// Starts Traefik with `dynamic` as its only dynamic configuration file.
    pub fn start(dynamic: &str, entrypoint: &str, extra: &[String]) -> Traefik {
        let dir = tempfile::tempdir().expect("temp dir");
        let conf = dir.path().join("dynamic");
        std::fs::create_dir(&conf).expect("mkdir");
        std::fs::write(conf.join("fleetdoc.yaml"), dynamic).expect("write dynamic config");
        let (web_port, api_port) = (free_port(), free_port());
        let mut args = vec![
            format!("--providers.file.directory={}", conf.display()),
            "--providers.file.watch=false".into(),
            format!("--entryPoints.{entrypoint}.address=127.0.0.1:{web_port}"),
            format!("--entryPoints.traefik.address=127.0.0.1:{api_port}"),
            "--api.insecure=true".into(),
            "--global.checkNewVersion=false".into(),
            "--global.sendAnonymousUsage=false".into(),
            "--log.level=DEBUG".into(),
            format!(
                "--log.filePath={}",
                dir.path().join("traefik.log").display()
            ),
        ];
        args.extend(extra.iter().cloned());
        let child = Command::new("traefik")
            .args(&args)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start traefik");
        Traefik {
            child,
            dir,
            web_port,
            api_port,
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("traefik.log")).unwrap_or_default()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Waits (up to 30 s) until the API knows `kind`/`name` (e.g. `routers`,
    /// `fleetdoc-docs-example-com@file`) and returns its JSON.
    pub fn wait_for(&mut self, kind: &str, name: &str) -> serde_json::Value {
        let path = format!("/api/http/{kind}/{name}");
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("traefik exited ({status}); log:\n{}", self.log());
            }
            if let Ok(r) = http::get(self.api_port, "127.0.0.1", &path) {
                if r.status == 200 {
                    return serde_json::from_str(&r.body)
                        .unwrap_or_else(|e| panic!("API answer is not JSON ({e}): {}", r.body));
                }
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("traefik did not load {path} in 30 s; log:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Whether the API lists `kind`/`name` (call after `wait_for` of the router).
    pub fn has(&self, kind: &str, name: &str) -> bool {
        http::get(
            self.api_port,
            "127.0.0.1",
            &format!("/api/http/{kind}/{name}"),
        )
        .map(|r| r.status == 200)
        .unwrap_or(false)
    }
}

impl Drop for Traefik {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A built test site with one page whose text is `marker`, in a temp folder.
pub fn site_with_page(marker: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut out = fleetdoc::render::output::Output::default();
    out.bytes(
        "index.html",
        format!("<!doctype html><title>t</title><p>{marker}</p>\n"),
    );
    let site = dir.path().join("site");
    fleetdoc::write::write_site(&site, &out).expect("write site");
    (dir, site)
}
