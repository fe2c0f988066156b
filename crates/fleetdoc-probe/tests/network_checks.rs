//! http and tcp checks against real servers on loopback: trusted or not, slow or refused,
//! the snapshot must say what a person would need to know.

mod common;

use std::time::Duration;

use chrono::{DateTime, Utc};
use common::*;
use fleetdoc_probe::{
    roots_from_pem, run, summary, Check, CheckKind, CheckResult, Options, Target,
};

const TIMEOUT: Duration = Duration::from_secs(1);
const OUTER_LIMIT: Duration = Duration::from_secs(60);

fn http(url: String) -> Target {
    Target {
        check: Check::Http { url },
        host: None,
    }
}

fn tcp(addr: String) -> Target {
    Target {
        check: Check::Tcp { addr },
        host: Some("alpha".to_string()),
    }
}

fn options(insecure: bool) -> Options {
    Options {
        timeout: TIMEOUT,
        concurrency: 4,
        insecure,
        probe_name: "test@loopback".to_string(),
        ..Options::default()
    }
}

/// Runs one target and returns its result, failing instead of hanging.
fn probe_one(target: Target, insecure: bool) -> CheckResult {
    let snap = within(OUTER_LIMIT, move || run(&[target], &options(insecure)));
    assert_eq!(snap.results.len(), 1);
    snap.results.into_iter().next().expect("one result")
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("timestamp")
}

#[test]
fn self_signed_certificate_fails_but_its_expiry_is_recorded() {
    let rt = server_runtime();
    let addr = https_self_signed(&rt, 2031, 1, 2);
    let r = probe_one(http(format!("https://{addr}/")), false);
    assert!(!r.ok);
    assert_eq!(r.check, CheckKind::Http);
    assert_eq!(
        r.error.as_deref(),
        Some("certificate not trusted: unknown issuer (self-signed or private CA)")
    );
    assert_eq!(r.tls_expires, Some(utc("2031-01-02T00:00:00Z")));
    assert_eq!(r.status, None);
}

#[test]
fn insecure_mode_accepts_a_self_signed_certificate() {
    let rt = server_runtime();
    let addr = https_self_signed(&rt, 2031, 1, 2);
    let r = probe_one(
        http(format!("https://localhost:{}/health", addr.port())),
        true,
    );
    assert!(r.ok, "{r:?}");
    assert_eq!(r.status, Some(200));
    assert_eq!(r.error, None);
    assert!(r.latency_ms.is_some());
    assert_eq!(r.tls_expires, Some(utc("2031-01-02T00:00:00Z")));
}

#[test]
fn expired_certificate_is_reported_as_expired() {
    let rt = server_runtime();
    let addr = https_self_signed(&rt, 2020, 3, 4);
    let r = probe_one(http(format!("https://{addr}/")), false);
    assert!(!r.ok);
    let error = r.error.unwrap_or_default();
    assert!(error.starts_with("certificate not trusted: "), "{error}");
    assert_eq!(
        error,
        "certificate not trusted: certificate expired at 2020-03-04T00:00:00Z"
    );
    assert_eq!(r.tls_expires, Some(utc("2020-03-04T00:00:00Z")));
}

#[test]
fn a_certificate_from_a_trusted_private_ca_is_ok() {
    let rt = server_runtime();
    let (addr, ca_pem) = https_private_ca(&rt, &["127.0.0.1"], 2030, 7, 8);
    let url = format!("https://{addr}/");
    let opts = Options {
        extra_roots: roots_from_pem(ca_pem.as_bytes()).expect("CA PEM"),
        ..options(false)
    };
    let targets = vec![http(url.clone())];
    let snap = within(OUTER_LIMIT, move || run(&targets, &opts));
    let r = &snap.results[0];
    assert!(r.ok, "{r:?}");
    assert_eq!((r.status, r.error.as_deref()), (Some(200), None));
    assert_eq!(r.tls_expires, Some(utc("2030-07-08T00:00:00Z")));

    // Without the CA, the same server is not trusted.
    let r = probe_one(http(url), false);
    assert!(!r.ok);
    assert_eq!(
        r.error.as_deref(),
        Some("certificate not trusted: unknown issuer (self-signed or private CA)")
    );
}

#[test]
fn a_certificate_for_another_name_is_not_trusted() {
    let rt = server_runtime();
    let (addr, ca_pem) = https_private_ca(&rt, &["forge.example.com"], 2030, 7, 8);
    let opts = Options {
        extra_roots: roots_from_pem(ca_pem.as_bytes()).expect("CA PEM"),
        ..options(false)
    };
    let targets = vec![http(format!("https://{addr}/"))];
    let snap = within(OUTER_LIMIT, move || run(&targets, &opts));
    let r = &snap.results[0];
    assert!(!r.ok);
    assert_eq!(
        r.error.as_deref(),
        Some("certificate not trusted: certificate not valid for this host name (it names forge.example.com)")
    );
    assert_eq!(r.tls_expires, Some(utc("2030-07-08T00:00:00Z")));
}

#[test]
fn unusable_extra_roots_are_reported_on_https_checks() {
    assert!(roots_from_pem(b"not a certificate").is_err());
    let rt = server_runtime();
    let (addr, _) = https_private_ca(&rt, &["127.0.0.1"], 2030, 7, 8);
    let opts = Options {
        extra_roots: vec![b"garbage".to_vec()],
        ..options(false)
    };
    let targets = vec![http(format!("https://{addr}/"))];
    let snap = within(OUTER_LIMIT, move || run(&targets, &opts));
    let error = snap.results[0].error.clone().unwrap_or_default();
    assert!(error.starts_with("extra root certificate 1: "), "{error}");
}

#[test]
fn service_unavailable_is_failed_with_its_status() {
    let rt = server_runtime();
    let addr = http_status(&rt, 503);
    let r = probe_one(http(format!("http://{addr}/")), false);
    assert!(!r.ok);
    assert_eq!(r.status, Some(503));
    assert_eq!(
        r.error.as_deref(),
        Some("HTTP status 503 Service Unavailable")
    );
    assert_eq!(r.tls_expires, None);
    assert!(r.latency_ms.is_some());
}

#[test]
fn redirect_counts_as_an_answer_and_is_not_followed() {
    let rt = server_runtime();
    let addr = http_status(&rt, 301);
    let r = probe_one(http(format!("http://{addr}/")), false);
    assert!(r.ok, "{r:?}");
    assert_eq!(r.status, Some(301));
}

#[test]
fn silent_server_times_out_over_http_but_accepts_tcp() {
    let rt = server_runtime();
    let addr = silent(&rt);
    let r = probe_one(http(format!("http://{addr}/")), false);
    assert!(!r.ok);
    assert_eq!(r.error.as_deref(), Some("timed out after 1s"));
    assert_eq!(r.status, None);

    let r = probe_one(tcp(addr.to_string()), false);
    assert!(r.ok, "{r:?}");
    assert_eq!(r.host.as_deref(), Some("alpha"));
}

#[test]
fn closed_port_is_connection_refused() {
    let addr = closed_port();
    let r = probe_one(tcp(addr.to_string()), false);
    assert!(!r.ok);
    assert_eq!(r.error.as_deref(), Some("connection refused"));
    let r = probe_one(http(format!("https://{addr}/")), false);
    assert!(!r.ok);
    assert_eq!(r.error.as_deref(), Some("connection refused"));
    assert_eq!(r.tls_expires, None);
}

#[test]
fn hostile_answers_are_kept_short_and_clean() {
    let rt = server_runtime();
    let absurd = raw(&rt, b"HTTP/1.1 999 Whatever\r\nContent-Length: 0\r\n\r\n");
    let r = probe_one(http(format!("http://{absurd}/")), false);
    assert!(!r.ok);
    assert_eq!(r.status, None, "a status outside 100-599 is not recorded");
    assert_eq!(r.error.as_deref(), Some("invalid HTTP status 999"));

    let garbage = raw(&rt, b"\x1b[2J\x1b[31mnot http at all\r\n\r\n");
    let r = probe_one(http(format!("http://{garbage}/")), false);
    assert!(!r.ok);
    let error = r.error.unwrap_or_default();
    assert!(error.starts_with("no HTTP response: "), "{error}");
    assert!(!error.chars().any(char::is_control), "{error:?}");
    assert!(error.chars().count() <= fleetdoc_probe::MAX_TEXT_CHARS + 1);
}

#[test]
fn invalid_targets_fail_with_a_reason() {
    let r = probe_one(http("ftp://files.example.com/".to_string()), false);
    assert_eq!(
        r.error.as_deref(),
        Some("invalid URL: expected http:// or https://")
    );
    let r = probe_one(tcp("203.0.113.10".to_string()), false);
    assert_eq!(
        r.error.as_deref(),
        Some("invalid address \"203.0.113.10\" (expected host:port)")
    );
}

#[test]
fn a_mixed_run_keeps_target_order_and_finishes_within_its_bound() {
    let rt = server_runtime();
    let slow = silent(&rt);
    let unavailable = http_status(&rt, 503);
    let fine = http_status(&rt, 204);
    let secure = https_self_signed(&rt, 2031, 1, 2);
    let closed = closed_port();
    let targets = vec![
        http(format!("http://{slow}/")),
        http(format!("http://{unavailable}/")),
        tcp(slow.to_string()),
        http(format!("https://{secure}/")),
        http(format!("http://{slow}/again")),
        tcp(closed.to_string()),
        http(format!("http://{fine}/")),
        http(format!("http://{slow}/third")),
    ];
    let expected: Vec<String> = targets
        .iter()
        .map(|t| t.check.target().to_string())
        .collect();
    let opts = Options {
        concurrency: 2,
        progress: true,
        ..options(true)
    };
    // Three silent targets at 1s each, two at a time: about 2s; 60s means it hung.
    let snap = within(OUTER_LIMIT, move || run(&targets, &opts));
    let got: Vec<&str> = snap.results.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(got, expected);
    let oks: Vec<bool> = snap.results.iter().map(|r| r.ok).collect();
    assert_eq!(oks, [false, false, true, true, false, false, true, false]);
    assert_eq!(snap.probe, "test@loopback");
    assert_eq!(summary(&snap), "8 checks: 3 ok, 5 failed");
}

#[test]
fn run_can_be_called_from_async_code() {
    let rt = server_runtime();
    let addr = http_status(&rt, 200);
    let target = http(format!("http://{addr}/"));
    let snap = within(OUTER_LIMIT, move || {
        server_runtime().block_on(async move { run(&[target], &options(false)) })
    });
    assert!(snap.results[0].ok, "{:?}", snap.results[0]);
}

/// An API fetch trusts what its `Trust` says: a private CA's certificate is refused with
/// why and what to pass, read with the CA as an extra root, and read when insecure.
#[test]
fn a_fetch_trusts_the_extra_roots_of_its_trust_or_anything_when_insecure() {
    use fleetdoc_probe::fetch::Client;
    use fleetdoc_probe::Trust;
    let rt = server_runtime();
    let (addr, ca_pem) = https_private_ca(&rt, &["127.0.0.1"], 2030, 7, 8);
    let url = format!("https://{addr}/");
    let get = |trust: Trust| {
        let url = url.clone();
        within(OUTER_LIMIT, move || {
            Client::new(Duration::from_secs(5), &trust)
                .expect("client")
                .get(&url)
        })
    };
    assert_eq!(
        get(Trust::default()).map(|f| f.status),
        Err("certificate not trusted: unknown issuer (self-signed or private CA); to trust it, give its CA certificate with --ca FILE (PEM), or accept any certificate with --insecure".to_string())
    );
    let with_ca = Trust {
        extra_roots: roots_from_pem(ca_pem.as_bytes()).expect("CA PEM"),
        ..Trust::default()
    };
    assert_eq!(get(with_ca).map(|f| f.status), Ok(200));
    let insecure = Trust {
        insecure: true,
        ..Trust::default()
    };
    assert_eq!(get(insecure).map(|f| f.status), Ok(200));
}
