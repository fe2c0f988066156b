//! `fleetdoc probe --from prometheus=URL` against a real Prometheus and blackbox exporter
//! (Debian's `prometheus` and `prometheus-blackbox-exporter`), started here on loopback
//! ports with a 1 s scrape interval, probing loopback servers: one up, one answering 503,
//! one closed port, and one up that the topology does not declare.

mod support;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::*;

/// An HTTP server on a loopback port answering every request with `status`; it serves a
/// bounded number of requests and lives as long as the test process.
fn server(status: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(10_000) {
            let Ok(mut s) = stream else { continue };
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            );
        }
    });
    port
}

fn spawn(program: &str, args: &[String], dir: &std::path::Path) -> ChildGuard {
    let log = std::fs::File::create(dir.join(format!("{program}.log"))).unwrap();
    ChildGuard(
        Command::new(program)
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("start {program}: {e}")),
    )
}

/// Waits (at most 90 s) until Prometheus' answer to `query` holds every one of `wanted`.
fn wait_for_query(port: u16, query: &str, wanted: &[String], dir: &std::path::Path) {
    let start = Instant::now();
    loop {
        if let Ok(r) = http::get(port, "127.0.0.1", &format!("/api/v1/query?query={query}")) {
            if wanted.iter().all(|w| r.body.contains(w.as_str())) {
                return;
            }
        }
        if start.elapsed() > Duration::from_secs(90) {
            panic!(
                "Prometheus did not answer {query} with {wanted:?} in 90 s; logs:\n{}\n{}",
                std::fs::read_to_string(dir.join("prometheus.log")).unwrap_or_default(),
                std::fs::read_to_string(dir.join("prometheus-blackbox-exporter.log"))
                    .unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn probe_from_prometheus_gives_up_503_and_closed_port_and_the_site_shows_them() {
    let install = "apt-get install prometheus prometheus-blackbox-exporter";
    if !require("prometheus", &["--version"], install)
        || !require("prometheus-blackbox-exporter", &["--version"], install)
    {
        return;
    }
    let (up, busy, closed, extra) = (
        server("200 OK"),
        server("503 Service Unavailable"),
        free_port(),
        server("200 OK"),
    );
    let work = tempfile::tempdir().unwrap();
    let (bb_port, prom_port) = (free_port(), free_port());
    std::fs::write(
        work.path().join("blackbox.yml"),
        "modules:\n  http_2xx:\n    prober: http\n    timeout: 2s\n    http:\n      preferred_ip_protocol: ip4\n",
    )
    .unwrap();
    let targets: Vec<String> = [up, busy, closed, extra]
        .iter()
        .map(|p| format!("http://127.0.0.1:{p}/"))
        .collect();
    std::fs::write(
        work.path().join("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n\
             \x20 - job_name: blackbox\n    metrics_path: /probe\n    params:\n      module: [http_2xx]\n\
             \x20   static_configs:\n      - targets: [{}]\n    relabel_configs:\n\
             \x20     - source_labels: [__address__]\n        target_label: __param_target\n\
             \x20     - source_labels: [__param_target]\n        target_label: instance\n\
             \x20     - target_label: __address__\n        replacement: 127.0.0.1:{bb_port}\n",
            targets.join(", ")
        ),
    )
    .unwrap();
    let _blackbox = spawn(
        "prometheus-blackbox-exporter",
        &[
            format!(
                "--config.file={}",
                work.path().join("blackbox.yml").display()
            ),
            format!("--web.listen-address=127.0.0.1:{bb_port}"),
        ],
        work.path(),
    );
    let _prometheus = spawn(
        "prometheus",
        &[
            format!(
                "--config.file={}",
                work.path().join("prometheus.yml").display()
            ),
            format!("--storage.tsdb.path={}", work.path().join("data").display()),
            format!("--web.listen-address=127.0.0.1:{prom_port}"),
        ],
        work.path(),
    );
    let quoted: Vec<String> = targets.iter().map(|t| format!("\"{t}\"")).collect();
    wait_for_query(prom_port, "probe_success", &quoted, work.path());
    wait_for_query(
        prom_port,
        "probe_http_status_code",
        &["\"503\"".to_string()],
        work.path(),
    );

    let fleet = format!(
        "hosts:\n  lab:\n    address: 127.0.0.1\nservices:\n\
         \x20 web:\n    host: lab\n    kind: process\n    port: {up}\n\
         \x20 api:\n    host: lab\n    kind: process\n    port: {busy}\n\
         \x20 cache:\n    host: lab\n    kind: process\n    port: {closed}\n"
    );
    let page = "---\ntitle: Status\n---\n\n```fleet\nsummary: status\n```\n\n```fleet\ntable: status\ncolumns: [service, status, uptime, detail]\n```\n\n```fleet\ntable: drift\n```\n";
    let dir = project(&[("content/fleet.yaml", &fleet), ("content/status.md", page)]);
    let r = run(
        &[
            "probe",
            "--from",
            &format!("prometheus=http://127.0.0.1:{prom_port}"),
        ],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "fleetdoc: observed but not declared: http http://127.0.0.1:{extra}/ (blackbox) (ok)"
        )),
        "{}",
        r.stderr
    );
    let snap: serde_json::Value =
        serde_json::from_str(&read(dir.path().join("content/probes/prometheus.json"))).unwrap();
    assert_eq!(snap["probe"], "prometheus");
    let result = |port: u16| {
        snap["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["target"] == format!("http://127.0.0.1:{port}/"))
            .unwrap_or_else(|| panic!("no result for port {port}: {snap}"))
            .clone()
    };
    let (w, a, c) = (result(up), result(busy), result(closed));
    assert_eq!(
        (w["check"].as_str(), w["ok"].as_bool(), w["status"].as_u64()),
        (Some("http"), Some(true), Some(200)),
        "{snap}"
    );
    assert_eq!(
        (a["ok"].as_bool(), a["status"].as_u64(), a["error"].as_str()),
        (Some(false), Some(503), Some("HTTP status 503"))
    );
    assert_eq!(
        (c["ok"].as_bool(), c["status"].as_u64()),
        (Some(false), None)
    );
    assert!(w["latency_ms"].is_u64());
    // History (query_range, one point per 5 minutes) holds only what came before the
    // current values; a Prometheus started seconds ago has none yet.
    let taken = snap["taken_at"].as_str().unwrap();
    for earlier in snap["history"].as_array().into_iter().flatten() {
        assert!(earlier["taken_at"].as_str().unwrap() < taken, "{snap}");
    }

    // The site's status and uptime come from it.
    let out = tempfile::tempdir().unwrap();
    let e = run(
        &["export", "--out", out.path().to_str().unwrap()],
        dir.path(),
        &[],
    );
    assert_eq!(e.code, 0, "{}", e.stderr);
    let text = read(out.path().join("status.md"));
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(
        lines,
        [
            "| Service | Status | Uptime | Detail |".to_string(),
            "|---|---|---|---|".to_string(),
            "| web | up | 100% |  |".to_string(),
            "| api | down | 0% | blackbox: HTTP status 503 |".to_string(),
            "| cache | down | 0% | blackbox: probe failed |".to_string(),
            "| Kind | Subject | Detail |".to_string(),
            "|---|---|---|".to_string(),
            "| declared up, observed down | api (api) | blackbox: HTTP status 503 |".to_string(),
            "| declared up, observed down | cache (cache) | blackbox: probe failed |".to_string(),
            format!("| observed, not declared | http http://127.0.0.1:{extra}/ (blackbox) | seen running, but not in the topology |"),
        ],
        "{text}"
    );
}

/// A blackbox scrape job: `job` probing `targets` with `module` through the exporter at
/// `bb_port`, every `interval`.
fn job(job: &str, module: &str, interval: &str, targets: &[String], bb_port: u16) -> String {
    format!(
        "  - job_name: {job}\n    scrape_interval: {interval}\n    metrics_path: /probe\n    params:\n      module: [{module}]\n\
         \x20   static_configs:\n      - targets: [{}]\n    relabel_configs:\n\
         \x20     - source_labels: [__address__]\n        target_label: __param_target\n\
         \x20     - source_labels: [__param_target]\n        target_label: instance\n\
         \x20     - target_label: __address__\n        replacement: 127.0.0.1:{bb_port}\n",
        targets.join(", ")
    )
}

const MODULES: &str = "modules:
  http_2xx:
    prober: http
    timeout: 2s
    http:
      preferred_ip_protocol: ip4
  http_tls:
    prober: http
    timeout: 2s
    http:
      preferred_ip_protocol: ip4
      fail_if_not_ssl: true
  tcp_connect:
    prober: tcp
    timeout: 2s
    tcp:
      preferred_ip_protocol: ip4
";

/// Starts the exporter and Prometheus with `jobs`; returns them and Prometheus' port.
fn start(work: &std::path::Path, jobs: &[String]) -> (ChildGuard, ChildGuard, u16, u16) {
    let (bb_port, prom_port) = (free_port(), free_port());
    std::fs::write(work.join("blackbox.yml"), MODULES).unwrap();
    let jobs: String = jobs
        .iter()
        .map(|j| j.replace("BB_PORT", &bb_port.to_string()))
        .collect();
    std::fs::write(
        work.join("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n{jobs}"
        ),
    )
    .unwrap();
    let blackbox = spawn(
        "prometheus-blackbox-exporter",
        &[
            format!("--config.file={}", work.join("blackbox.yml").display()),
            format!("--web.listen-address=127.0.0.1:{bb_port}"),
        ],
        work,
    );
    let prometheus = spawn(
        "prometheus",
        &[
            format!("--config.file={}", work.join("prometheus.yml").display()),
            format!("--storage.tsdb.path={}", work.join("data").display()),
            format!("--web.listen-address=127.0.0.1:{prom_port}"),
        ],
        work,
    );
    (blackbox, prometheus, prom_port, bb_port)
}

fn installed() -> bool {
    let install = "apt-get install prometheus prometheus-blackbox-exporter";
    require("prometheus", &["--version"], install)
        && require("prometheus-blackbox-exporter", &["--version"], install)
}

/// Monitors and Prometheus rows: one target checked by two blackbox jobs (http_2xx, and an
/// http module that insists on TLS, which fails on plain HTTP) and by a tcp_connect job
/// scraped only every 10 s. Every check stays in the snapshot with its job's name, the
/// service is down naming the failing job, and each result is dated by its own sample.
#[test]
fn prometheus_two_blackbox_jobs_on_one_target_keep_both_checks_and_their_sample_times() {
    if !installed() {
        return;
    }
    let web = server("200 OK");
    let work = tempfile::tempdir().unwrap();
    let url = vec![format!("http://127.0.0.1:{web}/")];
    let addr = vec![format!("127.0.0.1:{web}")];
    let (_bb, _prom, prom_port, _) = start(
        work.path(),
        &[
            job("blackbox-http", "http_2xx", "1s", &url, 0).replace(":0\n", ":BB_PORT\n"),
            job("blackbox-tls", "http_tls", "1s", &url, 0).replace(":0\n", ":BB_PORT\n"),
            job("blackbox-tcp", "tcp_connect", "10s", &addr, 0).replace(":0\n", ":BB_PORT\n"),
        ],
    );
    for j in ["blackbox-http", "blackbox-tls", "blackbox-tcp"] {
        wait_for_query(
            prom_port,
            "probe_success",
            &[format!("\"job\":\"{j}\"")],
            work.path(),
        );
    }
    // The tcp job's sample is now at least 3 s old; the next one comes in about 7 s.
    std::thread::sleep(Duration::from_secs(3));
    let fleet = format!(
        "hosts:\n  lab:\n    address: 127.0.0.1\nservices:\n  web:\n    host: lab\n    kind: process\n    port: {web}\n"
    );
    let page =
        "---\ntitle: Status\n---\n\n```fleet\ntable: status\ncolumns: [service, status]\n```\n";
    let dir = project(&[("content/fleet.yaml", &fleet), ("content/status.md", page)]);
    let asked = chrono::Utc::now();
    let r = run(
        &[
            "probe",
            "--from",
            &format!("prometheus=http://127.0.0.1:{prom_port}"),
        ],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let snap: serde_json::Value =
        serde_json::from_str(&read(dir.path().join("content/probes/prometheus.json"))).unwrap();
    let checks: Vec<String> = snap["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{} {} {} {}", r["check"], r["target"], r["name"], r["ok"]))
        .collect();
    assert_eq!(
        checks,
        [
            format!("\"http\" \"http://127.0.0.1:{web}/\" \"blackbox-http\" true"),
            format!("\"http\" \"http://127.0.0.1:{web}/\" \"blackbox-tls\" false"),
            format!("\"tcp\" \"127.0.0.1:{web}\" \"blackbox-tcp\" true"),
        ],
        "{snap}"
    );
    let tcp = &snap["results"][2];
    let checked: chrono::DateTime<chrono::Utc> = tcp["checked_at"]
        .as_str()
        .unwrap_or_else(|| panic!("{snap}"))
        .parse()
        .unwrap();
    assert!(
        asked - checked >= chrono::Duration::seconds(2),
        "the tcp check is dated by its sample ({checked}), not by the query ({asked})"
    );
    let out = tempfile::tempdir().unwrap();
    let e = run(
        &["export", "--out", out.path().to_str().unwrap()],
        dir.path(),
        &[],
    );
    assert_eq!(e.code, 0, "{}", e.stderr);
    let text = read(out.path().join("status.md"));
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(
        rows,
        [
            "| Service | Status |",
            "|---|---|",
            "| web | down (blackbox-tls: probe failed (HTTP status 200)) |"
        ],
        "{text}"
    );
}

/// Prometheus row: with the exporter stopped, `up` of the blackbox job is 0 and the probe
/// series go stale. The run says so, keeps the last good snapshot byte for byte, and
/// exits 3.
#[test]
fn prometheus_exporter_stopped_warns_keeps_the_last_snapshot_and_exits_non_zero() {
    if !installed() {
        return;
    }
    let web = server("200 OK");
    let work = tempfile::tempdir().unwrap();
    let url = vec![format!("http://127.0.0.1:{web}/")];
    let (bb, _prom, prom_port, _) = start(
        work.path(),
        &[job("blackbox", "http_2xx", "1s", &url, 0).replace(":0\n", ":BB_PORT\n")],
    );
    wait_for_query(
        prom_port,
        "probe_success",
        &[format!("\"{}\"", url[0])],
        work.path(),
    );
    let fleet = format!(
        "hosts:\n  lab:\n    address: 127.0.0.1\nservices:\n  web:\n    host: lab\n    kind: process\n    port: {web}\n"
    );
    let dir = project(&[("content/fleet.yaml", &fleet)]);
    let from = format!("prometheus=http://127.0.0.1:{prom_port}");
    let r = run(&["probe", "--from", &from], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = dir.path().join("content/probes/prometheus.json");
    let good = read(&file);

    drop(bb); // the exporter stops
    wait_for_query(
        prom_port,
        "up==0",
        &["\"job\":\"blackbox\"".to_string()],
        work.path(),
    );
    let r = run(&["probe", "--from", &from], dir.path(), &[]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert!(
        lines[0].starts_with(&format!(
            "fleetdoc: warning: Prometheus: the blackbox exporter does not answer the scrape of job blackbox for {} (up == 0)",
            url[0]
        )),
        "{}",
        r.stderr
    );
    assert_eq!(
        lines[1],
        "fleetdoc: error: prometheus does not measure now (see the warnings above): no snapshot written, the last good one stays"
    );
    assert_eq!(read(&file), good, "the last good snapshot stays as it was");
}
