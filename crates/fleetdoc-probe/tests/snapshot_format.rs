//! The snapshot file contract: what `fleetdoc probe` writes, and how files written by any
//! tool are read back, with positions for errors and limits that hold against hostile files.

use std::fs;

use chrono::{DateTime, Utc};
use fleetdoc_probe::{
    limits, parse_snapshot, read_snapshot, write_atomic, CheckKind, CheckResult, Snapshot,
    SnapshotError, ValueProblem,
};

const EXAMPLE: &str = r#"{
  "taken_at": "2026-04-06T09:00:00Z",
  "probe": "status-board@alpha",
  "results": [
    {"check": "http", "target": "https://forge.example.com/", "ok": true,
     "status": 200, "latency_ms": 84, "tls_expires": "2026-06-01T00:00:00Z"},
    {"check": "systemd", "host": "alpha", "target": "code-server@ops.service",
     "ok": true, "state": "active"},
    {"check": "docker", "host": "alpha", "target": "traefik", "ok": true, "state": "running"},
    {"check": "tcp", "target": "203.0.113.10:7777", "ok": false, "error": "connection refused"}
  ]
}"#;

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("timestamp")
}

fn json_error(text: &str) -> (usize, usize, String) {
    match parse_snapshot(text) {
        Err(SnapshotError::Json {
            line,
            column,
            message,
        }) => (line, column, message),
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

#[test]
fn the_documented_example_is_read_field_by_field() {
    let snap = parse_snapshot(EXAMPLE).expect("example parses");
    assert_eq!(snap.taken_at, utc("2026-04-06T09:00:00Z"));
    assert_eq!(snap.probe, "status-board@alpha");
    let kinds: Vec<CheckKind> = snap.results.iter().map(|r| r.check).collect();
    assert_eq!(
        kinds,
        [
            CheckKind::Http,
            CheckKind::Systemd,
            CheckKind::Docker,
            CheckKind::Tcp
        ]
    );
    let http = &snap.results[0];
    assert_eq!(
        (http.status, http.latency_ms, http.tls_expires),
        (Some(200), Some(84), Some(utc("2026-06-01T00:00:00Z")))
    );
    assert_eq!(snap.results[1].host.as_deref(), Some("alpha"));
    assert_eq!(snap.results[2].state.as_deref(), Some("running"));
    assert_eq!(snap.results[3].error.as_deref(), Some("connection refused"));
    assert!(snap.warnings.is_empty());
}

#[test]
fn written_snapshots_leave_out_absent_fields_and_read_back_equal() {
    let original = parse_snapshot(EXAMPLE).expect("example parses");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("alpha.json");
    fs::write(&path, "old contents").expect("seed file");
    write_atomic(&path, &original).expect("write");

    let text = fs::read_to_string(&path).expect("read back");
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(value["taken_at"], "2026-04-06T09:00:00Z");
    assert_eq!(value["results"][0]["tls_expires"], "2026-06-01T00:00:00Z");
    let tcp = value["results"][3].as_object().expect("object");
    let mut keys: Vec<&str> = tcp.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["check", "error", "ok", "target"]);
    assert!(value.get("warnings").is_none());

    assert_eq!(read_snapshot(&path).expect("parse back"), original);
    let names: Vec<_> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["alpha.json"], "no temporary file is left behind");
}

#[test]
fn truncated_json_reports_where_it_ends() {
    let text = "{\n  \"taken_at\": \"2026-04-06T09:00:00Z\",\n  \"probe\": \"cron\",\n  \"results\": [\n    {\"check\": \"http\", \"tar";
    let (line, column, message) = json_error(text);
    assert_eq!((line, column), (5, 26));
    assert!(message.contains("EOF"), "{message}");
    let err = parse_snapshot(text).unwrap_err();
    assert_eq!(err.position(), Some((5, 26)));
    assert!(err.to_string().ends_with("at line 5, column 26"), "{err}");
}

#[test]
fn unknown_fields_from_other_tools_are_ignored() {
    let text = r#"{"taken_at": "2026-04-06T11:00:00+02:00", "probe": "board", "version": 3,
        "results": [{"check": "tcp", "target": "198.51.100.7:22", "ok": true,
                     "rtt_us": 512, "tags": ["ssh", {"nested": true}]}]}"#;
    let snap = parse_snapshot(text).expect("extra fields accepted");
    assert_eq!(
        snap.taken_at,
        utc("2026-04-06T09:00:00Z"),
        "offsets become UTC"
    );
    assert_eq!(
        snap.results,
        [CheckResult {
            ok: true,
            ..CheckResult::new(CheckKind::Tcp, "198.51.100.7:22", None)
        }]
    );
}

#[test]
fn wrong_types_in_the_envelope_are_errors_at_their_position() {
    let (line, column, message) =
        json_error("{\"taken_at\": \"2026-04-06T09:00:00Z\",\n \"probe\": 7, \"results\": []}");
    assert_eq!((line, column), (2, 11));
    assert!(
        message.starts_with("invalid type: integer `7`"),
        "{message}"
    );

    let (line, column, message) =
        json_error("{\"probe\": \"p\", \"results\": [],\n  \"taken_at\": \"yesterday\"}");
    assert_eq!((line, column), (2, 15), "at the value");
    assert!(
        message.starts_with("`taken_at` must be an RFC 3339 time")
            && message.contains("input contains invalid characters"),
        "{message}"
    );

    let (_, _, message) = json_error(r#"{"probe": "p", "results": []}"#);
    assert_eq!(message, "missing field `taken_at`");
    let (_, _, message) =
        json_error(r#"{"taken_at": "2026-04-06T09:00:00Z", "probe": "p", "results": 3}"#);
    assert!(message.contains("a list of check results"), "{message}");
}

/// One bad value used to make the whole file an error, so every other result of the probe
/// was lost; now only that value (or, without a usable `check`, `target` or `ok`, only that
/// result) is left out, with one warning at its own line and column.
#[test]
fn a_bad_value_drops_only_that_value_not_the_snapshot() {
    let text = "{\"taken_at\": \"2026-04-06T09:00:00Z\", \"probe\": \"p\", \"results\": [\n\
        {\"check\": \"http\", \"target\": \"https://a.example.com/\", \"ok\": true, \"latency_ms\": -5},\n\
        {\"check\": \"http\", \"target\": \"https://b.example.com/\", \"ok\": true, \"status\": 99999},\n\
        {\"check\": \"tcp\", \"target\": \"a:1\", \"ok\": \"yes\"},\n\
        {\"check\": \"ping\", \"target\": \"a\", \"ok\": true},\n\
        {\"check\": \"docker\", \"target\": \"c\", \"ok\": true, \"tls_expires\": \"soon\", \"state\": 3},\n\
        {\"check\": \"tcp\", \"target\": \"198.51.100.7:22\", \"ok\": true, \"latency_ms\": 12.4}\n\
        ]}";
    let snap = parse_snapshot(text).expect("the snapshot is kept");
    let targets: Vec<&str> = snap.results.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "https://a.example.com/",
            "https://b.example.com/",
            "c",
            "198.51.100.7:22"
        ]
    );
    assert_eq!(snap.results[0].latency_ms, None);
    assert!(snap.results[0].ok);
    assert_eq!(snap.results[1].status, None);
    assert_eq!(
        (
            snap.results[2].tls_expires,
            snap.results[2].state.as_deref()
        ),
        (None, None)
    );
    assert_eq!(snap.results[3].latency_ms, Some(12));
    let shown: Vec<String> = snap
        .warnings
        .iter()
        .map(|w| format!("{}:{}: {w}", w.at.line, w.at.column))
        .collect();
    assert_eq!(
        shown,
        [
            "2:81: results[0].latency_ms: expected a number of milliseconds (0 or more), found `-5`; this value was ignored, the rest of the snapshot is used",
            "3:77: results[1].status: `99999` is not an HTTP status code (100-599); this value was ignored, the rest of the snapshot is used",
            "4:41: results[2]: `ok` must be true or false, found `\"yes\"`; this result was skipped, the rest of the snapshot is used",
            "5:11: results[3]: `check` must be one of http, systemd, docker, tcp, udp, icmp, dns, route, container, unit, found `\"ping\"`; this result was skipped, the rest of the snapshot is used",
            "6:63: results[4].tls_expires: expected an RFC 3339 time like 2026-06-01T00:00:00Z, found `\"soon\"`; this value was ignored, the rest of the snapshot is used",
            "6:80: results[4].state: expected text, found `3`; this value was ignored, the rest of the snapshot is used",
        ]
    );
    for (w, needle) in snap
        .warnings
        .iter()
        .zip(["-5", "99999", "\"yes\"", "\"ping\"", "\"soon\"", "3}"])
    {
        let line = text.lines().nth(w.at.line - 1).expect("line");
        assert!(
            line[w.at.column - 1..].starts_with(needle),
            "{w} points at `{}`",
            &line[w.at.column - 1..]
        );
    }
}

#[test]
fn a_result_that_is_not_an_object_is_skipped_with_a_warning() {
    let text = r#"{"taken_at": "2026-04-06T09:00:00Z", "probe": "p", "results": [42, {"check": "tcp", "ok": true}, {"check": "tcp", "target": "a:1", "ok": true}]}"#;
    let snap = parse_snapshot(text).expect("kept");
    assert_eq!(snap.results.len(), 1);
    let shown: Vec<String> = snap.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "results[0]: expected an object with `check`, `target` and `ok`, found `42`; this result was skipped, the rest of the snapshot is used",
            "results[1]: it has no `target`; this result was skipped, the rest of the snapshot is used",
        ]
    );
}

#[test]
fn absurd_values_are_corrected_with_warnings() {
    let text = r#"{"taken_at": "2026-04-06T09:00:00Z", "probe": "p", "results": [
        {"check": "http", "target": "https://a.example.com/", "ok": true, "status": 999},
        {"check": "http", "target": "https://b.example.com/", "ok": true, "status": 204,
         "latency_ms": 999999999999},
        {"check": "docker", "target": "c", "ok": false, "error": "bad\u001b[2Jthing"}
    ]}"#;
    let snap = parse_snapshot(text).expect("tolerated");
    assert_eq!(snap.results[0].status, None);
    assert_eq!(snap.results[1].status, Some(204));
    assert_eq!(snap.results[1].latency_ms, Some(limits::MAX_LATENCY_MS));
    assert_eq!(snap.results[2].error.as_deref(), Some("bad [2Jthing"));
    let problems: Vec<(usize, ValueProblem)> = snap
        .warnings
        .iter()
        .map(|w| (w.index, w.problem.clone()))
        .collect();
    assert_eq!(
        problems,
        [
            (
                0,
                ValueProblem::StatusOutOfRange {
                    found: "999".into()
                }
            ),
            (
                1,
                ValueProblem::LatencyClamped {
                    latency_ms: 999_999_999_999
                }
            ),
            (2, ValueProblem::TextCleaned { field: "error" }),
        ]
    );
    assert_eq!(
        snap.warnings[0].to_string(),
        "results[0].status: `999` is not an HTTP status code (100-599); this value was ignored, the rest of the snapshot is used"
    );
}

#[test]
fn too_many_results_are_refused() {
    let one = r#"{"check":"tcp","target":"192.0.2.1:80","ok":true}"#;
    let mut text = String::from(r#"{"taken_at":"2026-04-06T09:00:00Z","probe":"p","results":["#);
    for i in 0..=limits::MAX_RESULTS {
        if i > 0 {
            text.push(',');
        }
        text.push_str(one);
    }
    text.push_str("]}");
    match parse_snapshot(&text) {
        Err(SnapshotError::TooManyResults { count, limit }) => {
            assert_eq!(
                (count, limit),
                (limits::MAX_RESULTS + 1, limits::MAX_RESULTS)
            );
        }
        other => panic!("expected TooManyResults, got {other:?}"),
    }
}

#[test]
fn an_oversized_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("huge.json");
    let file = fs::File::create(&path).expect("create");
    // Sparse: nothing is written, and nothing should be read.
    file.set_len(limits::MAX_SNAPSHOT_BYTES + 1).expect("grow");
    match read_snapshot(&path) {
        Err(SnapshotError::TooLarge { size, limit }) => {
            assert_eq!(size, limits::MAX_SNAPSHOT_BYTES + 1);
            assert_eq!(limit, limits::MAX_SNAPSHOT_BYTES);
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    let missing = read_snapshot(&dir.path().join("missing.json")).unwrap_err();
    assert!(matches!(missing, SnapshotError::Io(_)), "{missing:?}");
}

#[test]
fn deeply_nested_unknown_fields_are_skipped_without_crashing() {
    let text = format!(
        r#"{{"taken_at":"2026-04-06T09:00:00Z","probe":"p","results":[{{"check":"tcp","target":"a:1","ok":true,"x":{}{}}}]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let snap = parse_snapshot(&text).expect("nesting in an ignored field is skipped");
    assert_eq!(snap.results.len(), 1);
    assert!(snap.results[0].ok);
}

#[test]
fn a_snapshot_built_in_code_is_written_in_contract_form() {
    let snap = Snapshot {
        taken_at: utc("2026-04-06T09:00:00Z"),
        probe: "fleetdoc@alpha".to_string(),
        results: vec![CheckResult {
            ok: true,
            state: Some("active".to_string()),
            ..CheckResult::new(
                CheckKind::Systemd,
                "code-server@ops.service",
                Some("alpha".to_string()),
            )
        }],
        history: Vec::new(),
        warnings: Vec::new(),
    };
    let text = serde_json::to_string(&snap).expect("serialize");
    assert_eq!(
        text,
        r#"{"taken_at":"2026-04-06T09:00:00Z","probe":"fleetdoc@alpha","results":[{"check":"systemd","host":"alpha","target":"code-server@ops.service","ok":true,"state":"active"}]}"#
    );
}

#[test]
fn a_history_and_discovery_kinds_read_back_with_positioned_warnings() {
    let text = r#"{
  "taken_at": "2026-04-06T09:00:00Z",
  "probe": "prometheus",
  "results": [
    {"check": "http", "target": "https://forge.example.com/", "ok": true},
    {"check": "route", "target": "wiki.example.com", "ok": false, "state": "undeclared"}
  ],
  "history": [
    {"taken_at": "2026-04-06T08:55:00Z", "results": [
      {"check": "http", "target": "https://forge.example.com/", "ok": false, "status": 99999}]},
    {"taken_at": "2026-04-06T08:50:00Z", "results": [
      {"check": "http", "target": "https://forge.example.com/", "ok": true}]}
  ]
}"#;
    let snap = parse_snapshot(text).expect("a snapshot with a history");
    assert_eq!(snap.results[1].check, CheckKind::Route);
    assert!(CheckKind::Route.is_discovery() && !CheckKind::Http.is_discovery());
    let times: Vec<String> = snap
        .history
        .iter()
        .map(|e| e.taken_at.to_rfc3339())
        .collect();
    assert_eq!(
        times,
        ["2026-04-06T08:50:00+00:00", "2026-04-06T08:55:00+00:00"]
    );
    assert!(!snap.history[1].results[0].ok);
    assert_eq!(snap.history[1].results[0].status, None);
    let warnings: Vec<String> = snap
        .warnings
        .iter()
        .map(|w| format!("{}:{}", w.at.line, w.at.column))
        .collect();
    assert_eq!(warnings, ["10:88"]);
    // Written back, the history comes out as it went in; without one, no `history` key.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    write_atomic(&path, &snap).unwrap();
    let again = read_snapshot(&path).unwrap();
    assert_eq!(again.history, snap.history);
    let plain = Snapshot {
        history: Vec::new(),
        ..snap
    };
    write_atomic(&path, &plain).unwrap();
    assert!(!fs::read_to_string(&path).unwrap().contains("history"));
}

#[test]
fn a_check_name_and_its_own_time_are_read_and_written_and_older_files_still_read() {
    let text = r#"{"taken_at": "2026-04-06T09:00:00Z", "probe": "prometheus", "results": [
        {"check": "http", "target": "https://forge.example.com/", "name": "blackbox-http", "ok": true},
        {"check": "http", "target": "https://forge.example.com/", "name": "blackbox-tls",
         "checked_at": "2026-04-06T08:59:30Z", "ok": false, "error": "probe failed"},
        {"check": "dns", "target": "203.0.113.53:53", "ok": true},
        {"check": "tcp", "target": "203.0.113.10:22", "name": 7, "checked_at": "soon", "ok": true}]}"#;
    let snap = parse_snapshot(text).expect("parses");
    let names: Vec<Option<&str>> = snap.results.iter().map(|r| r.name.as_deref()).collect();
    assert_eq!(
        names,
        [Some("blackbox-http"), Some("blackbox-tls"), None, None]
    );
    assert_eq!(
        snap.results[1].checked_at,
        Some(utc("2026-04-06T08:59:30Z"))
    );
    assert_eq!(snap.results[2].check, CheckKind::Dns);
    let warnings: Vec<String> = snap.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "results[3].name: expected text, found `7`; this value was ignored, the rest of the snapshot is used",
            "results[3].checked_at: expected an RFC 3339 time like 2026-06-01T00:00:00Z, found `\"soon\"`; this value was ignored, the rest of the snapshot is used",
        ]
    );
    let written = serde_json::to_string(&snap.results[1]).unwrap();
    assert_eq!(
        written,
        r#"{"check":"http","target":"https://forge.example.com/","name":"blackbox-tls","checked_at":"2026-04-06T08:59:30Z","ok":false,"error":"probe failed"}"#
    );
    // A result without them is written as before.
    let plain = serde_json::to_string(&snap.results[2]).unwrap();
    assert_eq!(
        plain,
        r#"{"check":"dns","target":"203.0.113.53:53","ok":true}"#
    );
}
