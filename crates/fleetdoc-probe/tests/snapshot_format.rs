//! The snapshot file contract: what `fleetdoc probe` writes, and how files written by any
//! tool are read back, with positions for errors and limits that hold against hostile files.

use std::fs;

use chrono::{DateTime, Utc};
use fleetdoc_probe::{
    limits, parse_snapshot, read_snapshot, write_atomic, CheckKind, CheckResult, Snapshot,
    SnapshotError, SnapshotWarning,
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
fn wrong_types_are_errors_at_their_position() {
    let text = "{\"taken_at\": \"2026-04-06T09:00:00Z\", \"probe\": \"p\",\n \"results\": [\n  {\"check\": \"tcp\", \"target\": \"a:1\", \"ok\": \"yes\"}]}";
    let (line, column, message) = json_error(text);
    // serde_json points at the end of the offending value: the closing quote of "yes".
    assert_eq!((line, column), (3, 47));
    assert!(
        message.starts_with("invalid type: string \"yes\""),
        "{message}"
    );

    let (_, _, message) = json_error(
        r#"{"taken_at": "2026-04-06T09:00:00Z", "probe": "p",
           "results": [{"check": "ping", "target": "a", "ok": true}]}"#,
    );
    assert!(message.starts_with("unknown variant `ping`"), "{message}");

    let (line, _, message) =
        json_error(r#"{"taken_at": "yesterday", "probe": "p", "results": []}"#);
    assert_eq!(line, 1);
    assert!(
        message.contains("input contains invalid characters"),
        "{message}"
    );

    let (_, _, message) = json_error(
        r#"{"taken_at": "2026-04-06T09:00:00Z", "probe": "p",
           "results": [{"check": "http", "target": "a", "ok": true, "status": 70000}]}"#,
    );
    assert!(message.contains("70000"), "{message}");

    let (_, _, message) = json_error(r#"{"probe": "p", "results": []}"#);
    assert_eq!(message, "missing field `taken_at`");
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
    assert_eq!(
        snap.warnings,
        [
            SnapshotWarning::StatusOutOfRange {
                index: 0,
                status: 999
            },
            SnapshotWarning::LatencyClamped {
                index: 1,
                latency_ms: 999_999_999_999
            },
            SnapshotWarning::TextCleaned {
                index: 2,
                field: "error"
            },
        ]
    );
    assert_eq!(
        snap.warnings[0].to_string(),
        "results[0]: status 999 is outside 100-599; ignored"
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
