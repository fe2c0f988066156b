//! `run_until_signal`: SIGTERM stops the server cleanly. Kept in its own test binary
//! because the signal handler it installs belongs to the whole process.

mod common;

use std::time::Duration;

use common::{free_port, wait_for_port, EventReader, Site, LOOPBACK};
use fleetdoc_serve::{run_until_signal, Config, LiveReload};

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_server_gracefully() {
    let site = Site::sample();
    let port = free_port();
    let root = site.root();
    let running = std::thread::spawn(move || {
        run_until_signal(Config {
            root,
            bind: LOOPBACK,
            port,
            live: Some(LiveReload::new()),
        })
    });
    let addr = (LOOPBACK, port).into();
    wait_for_port(addr, Duration::from_secs(20));
    let mut events = EventReader::connect(&format!("http://{addr}/__fleetdoc/events")).await;
    assert_eq!(events.next().await.expect("state").event, "ready");

    let status = std::process::Command::new("kill")
        .args(["-TERM", &std::process::id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());

    let outcome = tokio::time::timeout(
        Duration::from_secs(20),
        tokio::task::spawn_blocking(move || running.join()),
    )
    .await
    .expect("run_until_signal returns after SIGTERM")
    .expect("join task")
    .expect("server thread");
    assert!(outcome.is_ok(), "{outcome:?}");
    assert_eq!(
        events.next().await,
        None,
        "the open event stream was closed"
    );
    assert!(
        std::net::TcpListener::bind(addr).is_ok(),
        "the port is free again"
    );
}
