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
  db1:
    address: db1.example.com
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
  wiki:
    host: alpha
    kind: docker
    public: wiki.example.com
  chat:
    host: alpha
    kind: docker
    public: chat.example.com
  grafana:
    host: alpha
    kind: docker
    port: 3000
  resolver:
    host: alpha
    kind: systemd
    unit: unbound.service
    port: 53
  postgres:
    host: db1
    kind: docker
    port: 5432
";

const PAGE: &str = "---\ntitle: Status\n---\n\n```fleet\nsummary: status\n```\n\n```fleet\ntable: status\ncolumns: [service, status, checked, uptime, detail]\n```\n\n```fleet\ntable: status\ncolumns: [service, status]\n```\n\n```fleet\ntable: drift\n```\n";

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

/// Serves Gatus' recorded statuses and runs `probe --from gatus=URL` with `args` in a new
/// project; returns the project and the run.
fn gatus_import(args: &[&str]) -> (tempfile::TempDir, Run) {
    let port = serve(BTreeMap::from([(
        "/api/v1/endpoints/statuses".to_string(),
        recording("gatus-endpoint-statuses.json"),
    )]));
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/status.md", PAGE)]);
    let from = format!("gatus=http://127.0.0.1:{port}");
    let mut all = vec!["probe", "--from", &from];
    all.extend_from_slice(args);
    let r = run(&all, dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    (dir, r)
}

fn gatus_config() -> String {
    repo()
        .join("tests/fixtures/recorded/gatus-config.yaml")
        .display()
        .to_string()
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// Monitors row: one target checked twice (two Gatus endpoints on forge.example.com, one
/// failing at the same second as the other's success). The failing check is kept, named
/// in the status, and counted in the history store's uptime.
#[test]
fn one_target_checked_twice_keeps_the_failing_check_named_and_in_history() {
    let (dir, r) = gatus_import(&["--gatus-config", &gatus_config()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let snap: serde_json::Value =
        serde_json::from_str(&read(dir.path().join("content/probes/gatus.json"))).unwrap();
    let forge: Vec<String> = snap["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["target"].as_str().unwrap().contains("forge.example.com"))
        .map(|r| format!("{} {} {}", r["name"], r["target"], r["ok"]))
        .collect();
    assert_eq!(
        forge,
        [
            "\"core/forge\" \"https://forge.example.com/\" true",
            "\"core/forge-login\" \"https://forge.example.com/user/login\" false",
        ]
    );
    let tables = status_tables(dir.path());
    let row = |service: &str| -> Vec<&String> {
        tables
            .iter()
            .filter(|l| l.starts_with(&format!("| {service} |")))
            .collect()
    };
    assert_eq!(
        row("forge"),
        [
            "| forge | down | 2026-04-06 08:55 UTC | 67% | core/forge-login: [STATUS] (503) == 200 |",
            "| forge | down (core/forge-login: [STATUS] (503) == 200) |",
        ]
    );
}

/// Gatus row: TCP, ICMP, DNS, SSH endpoints and an internal `http://host:port/` keep their
/// scheme, host and port (from Gatus' configuration) and match the declared services.
#[test]
fn gatus_tcp_icmp_dns_and_internal_http_endpoints_keep_scheme_host_and_port() {
    let (dir, r) = gatus_import(&["--gatus-config", &gatus_config()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        lines(&r.stderr),
        [
            "fleetdoc: warning: Gatus: endpoint internal/mail has no results yet (`results: []`); nothing to read",
            "fleetdoc: observed but not declared: tcp db1.example.com:2222 (internal/backup-ssh) (failing); declare it as a service's `public` or address and port to match it",
            "fleetdoc: 8 checks: 5 ok, 3 failed from gatus, 2 earlier measurements -> ./content/probes/gatus.json",
        ]
    );
    assert_eq!(status_tables(dir.path()), lines(GATUS_TABLES));
}

const GATUS_TABLES: &str = "\
0 / 4 public surfaces healthy at 2026-04-06 08:55 UTC, 2 down, 2 never measured
| Service | Status | Checked | Uptime | Detail |
|---|---|---|---|---|
| traefik | unknown |  |  |  |
| forge | down | 2026-04-06 08:55 UTC | 67% | core/forge-login: [STATUS] (503) == 200 |
| relay | down | 2026-04-06 08:55 UTC | 50% | core/relay: [STATUS] (502) == 200 |
| wiki | unknown |  |  |  |
| chat | unknown |  |  |  |
| grafana | up | 2026-04-06 08:55 UTC | 100% |  |
| resolver | up | 2026-04-06 08:55 UTC | 100% |  |
| postgres | up | 2026-04-06 08:55 UTC | 100% |  |
| Service | Status |
|---|---|
| traefik | unknown |
| forge | down (core/forge-login: [STATUS] (503) == 200) |
| relay | down (core/relay: [STATUS] (502) == 200) |
| wiki | unknown |
| chat | unknown |
| grafana | up |
| resolver | up |
| postgres | up |
| Kind | Subject | Detail |
|---|---|---|
| declared up, observed down | forge (forge) | core/forge-login: [STATUS] (503) == 200 |
| declared up, observed down | relay (relay) | core/relay: [STATUS] (502) == 200 |
| declared, never observed | chat (chat) | declared in the topology; no probe result matches it |
| declared, never observed | traefik (traefik) | declared in the topology; no probe result matches it |
| declared, never observed | wiki (wiki) | declared in the topology; no probe result matches it |
| observed, not declared | tcp db1.example.com:2222 (internal/backup-ssh) | seen, not in the topology (dial tcp 198.51.100.20:2222: connect: connection refused; [CONNECTED] (false) == true) |
";

/// Gatus row: `results: []` is a warning naming the endpoint, never dropped silently.
#[test]
fn gatus_endpoint_without_results_is_a_warning() {
    let (_dir, r) = gatus_import(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("fleetdoc: warning: Gatus: endpoint internal/mail has no results yet (`results: []`); nothing to read\n"),
        "{}",
        r.stderr
    );
}

/// Gatus row: a failed condition is the error text (`[STATUS] (502) == 200`), and a tcp
/// check that did not connect says so (`[CONNECTED] (false) == true`).
#[test]
fn gatus_failed_condition_results_become_the_error_text() {
    let (dir, r) = gatus_import(&["--gatus-config", &gatus_config()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let snap = read(dir.path().join("content/probes/gatus.json"));
    let errors: Vec<String> = serde_json::from_str::<serde_json::Value>(&snap).unwrap()["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| Some(format!("{}: {}", r["name"].as_str()?, r["error"].as_str()?)))
        .collect();
    assert_eq!(
        errors,
        [
            "core/forge-login: [STATUS] (503) == 200",
            "core/relay: [STATUS] (502) == 200",
            "internal/backup-ssh: dial tcp 198.51.100.20:2222: connect: connection refused; [CONNECTED] (false) == true",
        ]
    );
}

/// Without Gatus' configuration its API gives hostnames only: endpoints are matched by
/// hostname as a public name, nothing is made up (no `https://`), and the run says so.
#[test]
fn gatus_without_its_configuration_matches_by_hostname_and_says_so() {
    let (dir, r) = gatus_import(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("fleetdoc: warning: Gatus: its API sends no endpoint URLs, only hostnames: core/forge, core/forge-login, core/relay, internal/grafana, internal/postgres, internal/resolver, internal/ping-db1, internal/backup-ssh matched by hostname only (as a service's `public`); give Gatus' configuration with --gatus-config to keep each endpoint's scheme and port\n"),
        "{}",
        r.stderr
    );
    let snap = read(dir.path().join("content/probes/gatus.json"));
    assert!(!snap.contains("https://"), "{snap}");
}

/// Serves the recorded Uptime Kuma answers of `version` and runs `probe --from`.
fn uptime_kuma_import(version: &str) -> (tempfile::TempDir, Run) {
    let port = serve(BTreeMap::from([
        (
            "/api/status-page/fleet".to_string(),
            recording(&format!("uptime-kuma-{version}-status-page.json")),
        ),
        (
            "/api/status-page/heartbeat/fleet".to_string(),
            recording(&format!("uptime-kuma-{version}-heartbeat.json")),
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
    (dir, r)
}

/// Uptime Kuma row: maintenance (3) and pending (2) are their own states, not down.
#[test]
fn uptime_kuma_maintenance_and_pending_are_their_own_states_not_down() {
    let (dir, r) = uptime_kuma_import("1.23");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "fleetdoc: 6 checks: 3 ok, 1 failed, 1 pending, 1 in maintenance from uptime-kuma"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(status_tables(dir.path()), lines(KUMA_TABLES));
}

const KUMA_TABLES: &str = "\
1 / 4 public surfaces healthy at 2026-04-06 08:55 UTC, 1 down, 1 pending, 1 in maintenance
| Service | Status | Checked | Uptime | Detail |
|---|---|---|---|---|
| traefik | unknown |  |  |  |
| forge | up | 2026-04-06 08:55 UTC | 100% |  |
| relay | down | 2026-04-06 08:55 UTC | 50% | Relay: Uptime Kuma reports it down |
| wiki | maintenance | 2026-04-06 08:55 UTC | 100% | Wiki: in a maintenance window |
| chat | pending | 2026-04-06 08:55 UTC | 50% | Chat: failing, being retried |
| grafana | unknown |  |  |  |
| resolver | unknown |  |  |  |
| postgres | unknown |  |  |  |
| Service | Status |
|---|---|
| traefik | unknown |
| forge | up |
| relay | down (Relay: Uptime Kuma reports it down) |
| wiki | maintenance (Wiki: in a maintenance window) |
| chat | pending (Chat: failing, being retried) |
| grafana | unknown |
| resolver | unknown |
| postgres | unknown |
| Kind | Subject | Detail |
|---|---|---|
| declared up, observed down | relay (relay) | Relay: Uptime Kuma reports it down |
| declared, never observed | grafana (grafana) | declared in the topology; no probe result matches it |
| declared, never observed | postgres (postgres) | declared in the topology; no probe result matches it |
| declared, never observed | resolver (resolver) | declared in the topology; no probe result matches it |
| declared, never observed | traefik (traefik) | declared in the topology; no probe result matches it |
| observed, not declared | tcp Mail | seen running, but not in the topology |
| observed, not declared | tcp Postgres | seen running, but not in the topology |
";

/// Uptime Kuma row: a port monitor with "Show Clickable Link" on sends the form's
/// `https://` placeholder as its URL; it is not a check of `https://`.
#[test]
fn uptime_kuma_link_placeholder_is_not_a_check_of_https() {
    let (dir, r) = uptime_kuma_import("1.23");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let snap = read(dir.path().join("content/probes/uptime-kuma.json"));
    assert!(!snap.contains("\"https://\""), "{snap}");
    assert!(
        r.stderr
            .contains("fleetdoc: observed but not declared: tcp Postgres (ok)"),
        "{}",
        r.stderr
    );
}

/// Uptime Kuma row: the 2.x answers (its status page config grew `autoRefreshInterval`)
/// read as the 1.23 ones do.
#[test]
fn uptime_kuma_2x_answers_read_as_1_23() {
    let (dir, r) = uptime_kuma_import("2.0");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(status_tables(dir.path()), lines(KUMA_TABLES));
}

/// Uptime Kuma row: a public status page never sends a heartbeat's message
/// (`Heartbeat.toPublicJSON` writes `msg: ""`), so no recording may hold one.
#[test]
fn recorded_uptime_kuma_heartbeats_hold_no_messages() {
    for version in ["1.23", "2.0"] {
        let beats: serde_json::Value =
            serde_json::from_str(&recording(&format!("uptime-kuma-{version}-heartbeat.json")))
                .unwrap();
        for (id, list) in beats["heartbeatList"].as_object().unwrap() {
            for b in list.as_array().unwrap() {
                let keys: Vec<&str> = b.as_object().unwrap().keys().map(String::as_str).collect();
                assert_eq!(keys, ["msg", "ping", "status", "time"], "{version} {id}");
                assert_eq!(b["msg"], "", "{version} monitor {id}");
            }
        }
    }
}

/// Fixtures: every recorded answer is named in the README beside it, with its upstream shape.
#[test]
fn every_recorded_answer_names_its_upstream_shape() {
    let dir = repo().join("tests/fixtures/recorded");
    let readme = read(dir.join("README.md"));
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name == "README.md" {
            continue;
        }
        let row = readme
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("`{name}`")));
        let row = row.unwrap_or_else(|| panic!("{name} is not named in README.md"));
        assert!(
            row.contains(".go")
                || row.contains(".js")
                || row.contains("systemd")
                || row.contains(".c"),
            "{name}: its README row names no upstream source file: {row}"
        );
    }
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
            "fleetdoc: warning: Gatus: endpoint internal/mail has no results yet (`results: []`); nothing to read",
            "fleetdoc: warning: Gatus: endpoint 10 is not an endpoint status (invalid type: string \"not a list\", expected a sequence); skipped",
            "fleetdoc: warning: Gatus: its API sends no endpoint URLs, only hostnames: core/forge, core/forge-login, core/relay, internal/grafana, internal/postgres, internal/resolver, internal/ping-db1, internal/backup-ssh matched by hostname only (as a service's `public`); give Gatus' configuration with --gatus-config to keep each endpoint's scheme and port",
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
