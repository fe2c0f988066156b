//! `fleetdoc probe --from gatus=URL` and `--from uptime-kuma=URL/status/SLUG`. Neither
//! Gatus nor Uptime Kuma can be installed on the test machines, so their answers are
//! recorded in the shapes their documentation and API give (tests/fixtures/recorded/)
//! and served by a real HTTP server on a loopback port.

mod support;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;
use support::*;

const FLEET: &str = "\
hosts:
  alpha:
    address: 203.0.113.10
services:
  traefik:
    host: alpha
    kind: docker
    ingress: true
  forge:
    host: alpha
    kind: docker
    public: forge.example.com
  relay:
    host: alpha
    kind: process
    public: relay.example.com
";

const PAGE: &str = "---\ntitle: Status\n---\n\n```fleet\nsummary: status\n```\n\n```fleet\ntable: status\ncolumns: [service, status, checked, uptime, detail]\n```\n\n```fleet\ntable: drift\n```\n";

/// 2026-04-06T09:00:00Z, five minutes after the newest recorded result.
const NOW: &str = "1775466000";

/// A loopback HTTP server answering each path of `answers` with its body (404 for any
/// other path), for a bounded number of requests.
fn serve(answers: BTreeMap<String, String>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(1_000) {
            let Ok(mut s) = stream else { continue };
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]);
            let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, body) = match answers.get(&path) {
                Some(b) => ("200 OK", b.clone()),
                None => ("404 Not Found", "404 page not found".to_string()),
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

fn recording(name: &str) -> String {
    read(repo().join("tests/fixtures/recorded").join(name))
}

fn status_tables(dir: &std::path::Path) -> Vec<String> {
    let out = tempfile::tempdir().unwrap();
    let e = run(
        &["export", "--out", out.path().to_str().unwrap()],
        dir,
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(e.code, 0, "{}", e.stderr);
    read(out.path().join("status.md"))
        .lines()
        .filter(|l| l.starts_with('|') || l.contains("healthy"))
        .map(str::to_string)
        .collect()
}

fn expected(undeclared: &str) -> Vec<String> {
    [
        "1 / 2 public surfaces healthy at 2026-04-06 08:55 UTC, 1 down",
        "| Service | Status | Checked | Uptime | Detail |",
        "|---|---|---|---|---|",
        "| traefik | unknown |  |  |  |",
        "| forge | up | 2026-04-06 08:55 UTC | 100% |  |",
        "| relay | down | 2026-04-06 08:55 UTC | 50% | RELAY_ERROR |",
        "| Kind | Subject | Detail |",
        "|---|---|---|",
        "| declared up, observed down | relay (relay) | RELAY_ERROR |",
        "| declared, never observed | traefik (traefik) | declared in the topology; no probe result matches it |",
        undeclared,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
fn gatus_statuses_map_to_a_snapshot_with_history() {
    let port = serve(BTreeMap::from([(
        "/api/v1/endpoints/statuses".to_string(),
        recording("gatus-endpoint-statuses.json"),
    )]));
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/status.md", PAGE)]);
    let r = run(
        &["probe", "--from", &format!("gatus=http://127.0.0.1:{port}")],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "fleetdoc: observed but not declared: http https://status.example.com/ (ok); declare it as a service's `public` or address and port to match it\n\
             fleetdoc: 3 checks: 2 ok, 1 failed from gatus, 2 earlier measurements -> ./content/probes/gatus.json\n"
        )
    );
    let mut want = expected("| observed, not declared | http https://status.example.com/ | seen running, but not in the topology |");
    for line in &mut want {
        *line = line.replace("RELAY_ERROR", "HTTP status 502");
    }
    assert_eq!(status_tables(dir.path()), want);
}

#[test]
fn uptime_kuma_status_page_and_heartbeats_map_to_a_snapshot_with_history() {
    let port = serve(BTreeMap::from([
        (
            "/api/status-page/fleet".to_string(),
            recording("uptime-kuma-status-page.json"),
        ),
        (
            "/api/status-page/heartbeat/fleet".to_string(),
            recording("uptime-kuma-heartbeat.json"),
        ),
    ]));
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/status.md", PAGE)]);
    let r = run(
        &[
            "probe",
            "--from",
            &format!("uptime-kuma=http://127.0.0.1:{port}/status/fleet"),
        ],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("fleetdoc: observed but not declared: http Mail (ok)"),
        "{}",
        r.stderr
    );
    let mut want =
        expected("| observed, not declared | http Mail | seen running, but not in the topology |");
    for line in &mut want {
        *line = line.replace("RELAY_ERROR", "Request failed with status code 502");
    }
    assert_eq!(status_tables(dir.path()), want);
}

#[test]
fn malformed_monitor_answers_are_warnings_and_the_rest_is_read() {
    let mut gatus: serde_json::Value =
        serde_json::from_str(&recording("gatus-endpoint-statuses.json")).unwrap();
    let list = gatus.as_array_mut().unwrap();
    list.push(serde_json::json!({"results": "not a list"}));
    list[0]["results"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"success": "yes"}));
    let port = serve(BTreeMap::from([
        ("/api/v1/endpoints/statuses".to_string(), gatus.to_string()),
        (
            "/bad/api/v1/endpoints/statuses".to_string(),
            "<html>login</html>".to_string(),
        ),
    ]));
    let dir = project(&[("content/fleet.yaml", FLEET)]);
    let r = run(
        &["probe", "--from", &format!("gatus=http://127.0.0.1:{port}")],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .collect();
    assert_eq!(
        warnings,
        [
            "fleetdoc: warning: Gatus: endpoint core/forge, result 4: not a result (invalid type: string \"yes\", expected a boolean); skipped",
            "fleetdoc: warning: Gatus: endpoint 4 is not an endpoint status (invalid type: string \"not a list\", expected a sequence); skipped",
        ],
        "{}",
        r.stderr
    );
    // An answer that is not Gatus' JSON at all is an error that says where it broke.
    let r = run(
        &[
            "probe",
            "--from",
            &format!("gatus=http://127.0.0.1:{port}/bad"),
        ],
        dir.path(),
        &[],
    );
    assert_eq!(
        r.code, 3,
        "an answer that cannot be read is a source not read"
    );
    assert!(
        r.stderr.starts_with("fleetdoc: error: Gatus' endpoint statuses is not the expected JSON (line 1, column 1: expected value"),
        "{}",
        r.stderr
    );
    let r = run(
        &[
            "probe",
            "--from",
            &format!("uptime-kuma=http://127.0.0.1:{port}/fleet"),
        ],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("use uptime-kuma=URL/status/SLUG"),
        "{}",
        r.stderr
    );
}
