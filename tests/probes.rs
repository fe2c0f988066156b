//! Status, drift, history and certificates from probe snapshots, end to end.

mod support;
use support::*;

const FLEET2: &str = "\
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
  worker:
    host: alpha
    kind: systemd
    unit: worker.service
";

const PAGE2: &str = "---\ntitle: Status\n---\n\n```fleet\nsummary: status\n```\n\n```fleet\ntable: status\n```\n\n```fleet\ntable: drift\n```\n";

fn snap(at: &str, results: &[String]) -> String {
    format!(
        "{{\"taken_at\": \"{at}\", \"probe\": \"test\", \"results\": [{}]}}",
        results.join(",")
    )
}

fn http(host: &str, ok: bool, expires: &str) -> String {
    format!(
        "{{\"check\": \"http\", \"target\": \"https://{host}/\", \"ok\": {ok}, \"status\": {}, \"tls_expires\": \"{expires}\"}}",
        if ok { 200 } else { 503 }
    )
}

fn docker(name: &str) -> String {
    format!("{{\"check\": \"docker\", \"host\": \"alpha\", \"target\": \"{name}\", \"ok\": true, \"state\": \"running\"}}")
}

/// Build a project with the given snapshots at SOURCE_DATE_EPOCH = `now`; return the page.
fn build_with(snaps: &[(String, String)], now: &str) -> (Run, String) {
    let mut files: Vec<(String, String)> = vec![
        ("content/fleet.yaml".into(), FLEET2.into()),
        ("content/status.md".into(), PAGE2.into()),
    ];
    for (name, text) in snaps {
        files.push((format!("content/probes/{name}"), text.clone()));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = project(&refs);
    let r = run(&["build"], dir.path(), &[("SOURCE_DATE_EPOCH", now)]);
    let page =
        std::fs::read_to_string(dir.path().join("site/status/index.html")).unwrap_or_default();
    (r, page)
}

// 2026-04-06T09:10:00Z
const NOW: &str = "1775466600";

fn hourly(relay_down_at: Option<u32>) -> Vec<(String, String)> {
    (4..10)
        .map(|h| {
            let at = format!("2026-04-06T{h:02}:00:00Z");
            let relay_ok = relay_down_at != Some(h);
            let results = vec![
                http("forge.example.com", true, "2026-06-01T00:00:00Z"),
                http("relay.example.com", relay_ok, "2026-06-01T00:00:00Z"),
                docker("forge"),
                docker("traefik"),
            ];
            (format!("s{h}.json"), snap(&at, &results))
        })
        .collect()
}

#[test]
fn uptime_history_and_an_all_green_summary() {
    let (r, page) = build_with(&hourly(Some(6)), NOW);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        page.contains("2 / 2 public surfaces healthy at 2026-04-06 09:00 UTC<"),
        "{page}"
    );
    assert!(page.contains("<p class=\"status-line up\""), "{page}");
    // relay: 5 of 6 ok.
    let relay = page.find("<td>relay</td>").expect("relay row");
    let row = &page[relay..page[relay..].find("</tr>").unwrap() + relay];
    assert!(row.contains("83%"), "{row}");
    assert!(
        row.contains("<svg class=\"spark\"") && row.contains("aria-label=\"5 of 6 checks ok\""),
        "{row}"
    );
    assert!(row.contains("class=\"badge up\""), "{row}");
}

#[test]
fn undeclared_containers_and_down_services_show_in_drift_and_summary() {
    let mut snaps = hourly(None);
    snaps.push((
        "s10.json".into(),
        snap(
            "2026-04-06T09:05:00Z",
            &[
                http("relay.example.com", false, "2026-06-01T00:00:00Z"),
                docker("surprise"),
            ],
        ),
    ));
    let (r, page) = build_with(&snaps, NOW);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(page.contains("1 / 2 public surfaces healthy"), "{page}");
    assert!(page.contains("<p class=\"status-line down\""), "{page}");
    assert!(
        page.contains("<span class=\"badge down\">status</span>"),
        "{page}"
    );
    assert!(
        page.contains("observed, not declared") && page.contains("docker surprise on alpha"),
        "{page}"
    );
    assert!(
        page.contains("declared up, observed down") && page.contains("relay (relay)"),
        "{page}"
    );
    // worker.service is declared but no result ever matched it.
    assert!(
        page.contains("declared, never observed") && page.contains("worker (worker)"),
        "{page}"
    );
}

#[test]
fn expiring_certificates_are_flagged_and_old_results_are_stale() {
    let snaps = vec![(
        "a.json".to_string(),
        snap(
            "2026-04-06T09:00:00Z",
            &[
                http("forge.example.com", true, "2026-04-14T09:00:00Z"),
                http("relay.example.com", true, "2026-09-01T00:00:00Z"),
            ],
        ),
    )];
    let (r, page) = build_with(&snaps, NOW);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(page.contains("class=\"badge warn\">7 days left"), "{page}");
    // Two hours later, with stale_after at its default 30m, everything is stale.
    let (_, page) = build_with(&snaps, "1775473800");
    assert!(page.contains("class=\"badge stale\">up, stale"), "{page}");
    assert!(
        page.contains("stale: 2 h old (stale after 30 min)"),
        "{page}"
    );
    // The header and the summary block say so in the stale color, not the healthy one.
    assert!(page.contains("<p class=\"status-line stale\""), "{page}");
    assert!(
        page.contains("<span class=\"badge stale\">status</span>"),
        "{page}"
    );
}

/// Old snapshots once made every public surface count as unhealthy ("0 / 2 public surfaces
/// healthy"): stale is not unhealthy. The line says what was last measured and how old it is,
/// and a surface measured down stays down, never folded into "stale".
#[test]
fn stale_snapshots_are_not_counted_as_unhealthy() {
    let mut snaps = hourly(None);
    snaps.push((
        "s10.json".into(),
        snap(
            "2026-04-06T09:05:00Z",
            &[http("relay.example.com", false, "2026-06-01T00:00:00Z")],
        ),
    ));
    // 238 days after the last snapshot.
    let (r, page) = build_with(&snaps[..6], "1796032800");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        page.contains(
            "2 / 2 public surfaces healthy at 2026-04-06 09:00 UTC - stale: 238 days old (stale after 30 min)"
        ),
        "{page}"
    );
    assert!(page.contains("<p class=\"status-line stale\""), "{page}");
    let (_, page) = build_with(&snaps, "1796032800");
    assert!(
        page.contains(
            "1 / 2 public surfaces healthy at 2026-04-06 09:05 UTC, 1 down - stale: 238 days old"
        ),
        "{page}"
    );
    assert!(page.contains("<p class=\"status-line down\""), "{page}");
    assert!(page.contains("class=\"badge down\">down, stale"), "{page}");
}

#[test]
fn a_truncated_snapshot_is_a_positioned_warning_and_the_build_goes_on() {
    let mut snaps = hourly(None);
    snaps.push((
        "broken.json".into(),
        "{\n  \"taken_at\": \"2026-04-06T09:00:00Z\",\n  \"results\": [\n    {\"check\": \"http\""
            .into(),
    ));
    let (r, page) = build_with(&snaps, NOW);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r
        .stderr
        .lines()
        .find(|l| l.starts_with("content/probes/broken.json:4:"))
        .unwrap_or_else(|| panic!("{}", r.stderr));
    assert!(
        line.contains(": warning: ") && line.contains("skipped"),
        "{line}"
    );
    assert!(page.contains("2 / 2 public surfaces healthy"));
}

#[test]
fn markup_in_probe_results_is_escaped() {
    let bad = "{\"check\": \"docker\", \"host\": \"alpha\", \"target\": \"<script>alert(1)</script>\", \"ok\": false, \"error\": \"<img src=x onerror=alert(1)>\"}";
    let (r, page) = build_with(
        &[(
            "a.json".into(),
            snap("2026-04-06T09:00:00Z", &[bad.to_string()]),
        )],
        NOW,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !page.contains("<script>alert") && !page.contains("<img src=x"),
        "{page}"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
}

#[test]
fn probe_command_checks_real_ports_on_loopback() {
    let open = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let open_port = open.local_addr().unwrap().port();
    let closed_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let fleet = format!(
        "hosts:\n  lo:\n    address: 127.0.0.1\nservices:\n  up:\n    host: lo\n    port: {open_port}\n  gone:\n    host: lo\n    port: {closed_port}\n"
    );
    let dir = project(&[("content/fleet.yaml", &fleet)]);
    let r = run(
        &["probe", "--out", "snap.json", "--timeout", "3s"],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("2 checks: 1 ok, 1 failed"),
        "{}",
        r.stderr
    );
    let snap: serde_json::Value =
        serde_json::from_str(&read(dir.path().join("snap.json"))).unwrap();
    let results = snap["results"].as_array().unwrap();
    let find = |port: u16| {
        results
            .iter()
            .find(|r| r["target"] == format!("127.0.0.1:{port}"))
            .unwrap()
            .clone()
    };
    assert_eq!(find(open_port)["ok"], true);
    assert_eq!(find(closed_port)["ok"], false);
    assert!(find(closed_port)["error"]
        .as_str()
        .unwrap()
        .contains("refused"));
    // The snapshot is read back by the next build.
    std::fs::create_dir_all(dir.path().join("content/probes")).unwrap();
    std::fs::rename(
        dir.path().join("snap.json"),
        dir.path().join("content/probes/snap.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/s.md"),
        "```fleet\ntable: status\n```\n",
    )
    .unwrap();
    assert_eq!(run(&["build"], dir.path(), &[]).code, 0);
    let page = read(dir.path().join("site/s/index.html"));
    assert!(
        page.contains("class=\"badge up\"") && page.contains("class=\"badge down\""),
        "{page}"
    );
    drop(open);
}

/// Where `needle` first starts in `text`, as `line:col` (1-based, byte columns).
fn position_of(text: &str, needle: &str) -> String {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {text}"));
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
    format!("{line}:{col}")
}

/// One bad value (a negative latency, a status no server sends) used to throw away the
/// whole snapshot, so the newest state of every service was lost. Now only that value is
/// left out, with one warning at its line and column, and the rest of the file is used.
#[test]
fn a_bad_value_in_a_snapshot_drops_only_that_value() {
    let mut snaps = hourly(None);
    let newest = "{\"taken_at\": \"2026-04-06T09:05:00Z\", \"probe\": \"board\", \"results\": [\n  \
        {\"check\": \"http\", \"target\": \"https://forge.example.com/\", \"ok\": true, \"latency_ms\": -5},\n  \
        {\"check\": \"http\", \"target\": \"https://relay.example.com/\", \"ok\": false, \"status\": 99999},\n  \
        {\"check\": \"docker\", \"host\": \"alpha\", \"target\": \"traefik\", \"ok\": true}\n]}\n";
    snaps.push(("s10.json".into(), newest.into()));
    let (r, page) = build_with(&snaps, NOW);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "content/probes/s10.json:{}: warning: results[0].latency_ms: expected a number of milliseconds (0 or more), found `-5`; this value was ignored, the rest of the snapshot is used\n\
             content/probes/s10.json:{}: warning: results[1].status: `99999` is not an HTTP status code (100-599); this value was ignored, the rest of the snapshot is used\n\
             fleetdoc: 0 errors, 2 warnings\n\
             fleetdoc: built 1 pages, 1 hosts, 25 files into ./site\n",
            position_of(newest, "-5"),
            position_of(newest, "99999"),
        )
    );
    // The newest snapshot is the current state: relay is down in it.
    assert!(
        page.contains("1 / 2 public surfaces healthy at 2026-04-06 09:05 UTC"),
        "{page}"
    );
}

/// A snapshot dated after "now" was taken as the current state until the clock caught up.
#[test]
fn a_snapshot_taken_in_the_future_is_a_positioned_warning_and_not_used() {
    let mut snaps = hourly(None);
    let future = "{\n  \"probe\": \"board\",\n  \"taken_at\": \"2026-04-07T09:00:00Z\",\n  \"results\": [\
        {\"check\": \"http\", \"target\": \"https://relay.example.com/\", \"ok\": false, \"status\": 503}]}\n";
    snaps.push(("later.json".into(), future.into()));
    let (r, page) = build_with(&snaps, NOW);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "content/probes/later.json:3:15: warning: `taken_at` 2026-04-07 09:00:00 UTC is in the future (now is 2026-04-06 09:10:00 UTC); this snapshot was not used: check the clock of the machine that took it\n\
         fleetdoc: 0 errors, 1 warning\n\
         fleetdoc: built 1 pages, 1 hosts, 25 files into ./site\n"
    );
    assert!(
        page.contains("2 / 2 public surfaces healthy at 2026-04-06 09:00 UTC"),
        "{page}"
    );
    // "Now" is SOURCE_DATE_EPOCH: a day later the same snapshot is the newest and is used.
    let (r, page) = build_with(&snaps, "1775552400");
    assert!(!r.stderr.contains("in the future"), "{}", r.stderr);
    assert!(page.contains("healthy at 2026-04-07 09:00 UTC"), "{page}");
}

/// A snapshot with 99,000 bad values printed 99,000 warnings. Now the first few are
/// printed and one line counts the rest, and the count matches the lines printed.
#[test]
fn a_snapshot_with_99000_bad_values_prints_a_capped_list() {
    let one = |i: usize| {
        format!("{{\"check\": \"http\", \"target\": \"https://forge.example.com/{i}\", \"ok\": true, \"status\": 99999}}")
    };
    let results: Vec<String> = (0..99_000).map(one).collect();
    let text = format!(
        "{{\"taken_at\": \"2026-04-06T09:00:00Z\", \"probe\": \"board\", \"results\": [\n{}\n]}}\n",
        results.join(",\n")
    );
    let (r, _) = build_with(&[("big.json".into(), text)], NOW);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    let mut expected: Vec<String> = (0..20)
        .map(|i| {
            format!(
                "content/probes/big.json:{}:{}: warning: results[{i}].status: `99999` is not an HTTP status code (100-599); this value was ignored, the rest of the snapshot is used",
                i + 2,
                one(i).find("99999").unwrap() + 1
            )
        })
        .collect();
    expected.push(format!(
        "content/probes/big.json:22:{}: warning: … and 98980 more problems in this file, not shown; fix the tool that wrote it",
        one(20).find("99999").unwrap() + 1
    ));
    expected.push("fleetdoc: 0 errors, 21 warnings".into());
    expected.push("fleetdoc: built 1 pages, 1 hosts, 25 files into ./site".into());
    assert_eq!(lines, expected);
}

/// A fleet whose services have no `public` names showed "0 / 0 public surfaces healthy"
/// while services were down; and a down service without a public name went unsaid.
#[test]
fn the_summary_names_down_services_whether_or_not_they_have_public_names() {
    let fleet = "hosts:\n  alpha:\n    address: 203.0.113.10\nservices:\n  db:\n    host: alpha\n    kind: docker\n  cache:\n    host: alpha\n    kind: docker\n  queue:\n    host: alpha\n    kind: docker\n";
    let down = |name: &str| {
        format!("{{\"check\": \"docker\", \"host\": \"alpha\", \"target\": \"{name}\", \"ok\": false, \"state\": \"exited\"}}")
    };
    let s = snap(
        "2026-04-06T09:00:00Z",
        &[docker("db"), down("cache"), down("queue")],
    );
    let dir = project(&[
        ("content/fleet.yaml", fleet),
        ("content/status.md", PAGE2),
        ("content/probes/s.json", &s),
    ]);
    let r = run(&["build"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = read(dir.path().join("site/status/index.html"));
    assert!(
        page.contains("2 of 3 services down at 2026-04-06 09:00 UTC<"),
        "{page}"
    );
    assert!(page.contains("<p class=\"status-line down\""), "{page}");

    // With public names, a down service without one is named beside the public count.
    let worker_down = "{\"check\": \"systemd\", \"host\": \"alpha\", \"target\": \"worker.service\", \"ok\": false, \"state\": \"failed\"}".to_string();
    let snaps = vec![(
        "s.json".to_string(),
        snap(
            "2026-04-06T09:00:00Z",
            &[
                http("forge.example.com", true, "2026-06-01T00:00:00Z"),
                http("relay.example.com", true, "2026-06-01T00:00:00Z"),
                worker_down,
            ],
        ),
    )];
    let (r, page) = build_with(&snaps, NOW);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        page.contains(
            "2 / 2 public surfaces healthy at 2026-04-06 09:00 UTC; 1 other service down<"
        ),
        "{page}"
    );
    assert!(page.contains("<p class=\"status-line down\""), "{page}");
}
