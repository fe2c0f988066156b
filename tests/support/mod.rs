//! Helpers shared by the integration tests that drive real programs: the rule for a missing
//! external program, plain and TLS HTTP requests on loopback, and a Traefik process guard.
#![allow(dead_code)]

pub mod git;
pub mod http;
pub mod project;
pub mod traefik;

#[allow(unused_imports)]
pub use project::*;

use std::process::{Command, Stdio};

/// Whether `program` (run with `args`) can be started. When it cannot: under `CI` the test
/// fails; elsewhere it prints a skip line and the test returns early.
pub fn require(program: &str, args: &[&str], install: &str) -> bool {
    let ok = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("{program} is not installed, and CI is set: install it with `{install}`");
        }
        eprintln!("skipped: {program} not installed (install it with `{install}`)");
    }
    ok
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind a loopback port")
}

/// A running `fleetdoc watch` (stopped when dropped) and the port it serves on.
pub struct Watching {
    _child: project::ChildGuard,
    pub port: u16,
}

/// Starts `fleetdoc watch` in project `dir` on a free port and waits until it serves.
pub fn start_watch(dir: &std::path::Path) -> Watching {
    let port = free_port();
    let child = Command::new(project::bin())
        .args(["watch", "--port", &port.to_string()])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start fleetdoc watch");
    let w = Watching {
        _child: project::ChildGuard(child),
        port,
    };
    project::wait_until("watch to serve", || {
        http::get(port, "localhost", "/").is_ok_and(|r| r.status == 200)
    });
    w
}
