//! Gatus: `/api/v1/endpoints/statuses` lists every endpoint (`endpoint.Status`: `name`,
//! `group`, `key`, `results`) with its recent results (`endpoint.Result`: `status`,
//! `hostname`, `duration` in nanoseconds, `errors`, `conditionResults`, `success`,
//! `timestamp`), oldest first.
//!
//! The API sends an endpoint's hostname but not its URL, so neither its type (Gatus tells
//! `tcp://`, `udp://`, `icmp://`, `starttls://`, `ssh://`... from the URL's prefix) nor its
//! port. Gatus' configuration holds the URL; given it (by endpoint key), each endpoint
//! becomes a check of its own kind with scheme, host and port kept: `http` for an
//! http(s), ws(s) or grpc(s) URL as written, `tcp` for `host:port` of a tcp, tls, starttls
//! or ssh endpoint, `udp` for udp and sctp, `icmp` for the host, `dns` for the name server
//! and its port. Without it, an endpoint is known by its hostname only (a check of that
//! name, matched to the service whose `public` it is), and the import says so.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::monitors::json_error;
use crate::snapshot::{CheckKind, CheckResult};

#[derive(Deserialize)]
struct Endpoint {
    name: String,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    results: Option<Vec<serde_json::Value>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Outcome {
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    hostname: Option<String>,
    /// Nanoseconds.
    #[serde(default)]
    duration: Option<u64>,
    success: bool,
    timestamp: DateTime<Utc>,
    #[serde(default)]
    errors: Vec<String>,
    #[serde(default)]
    condition_results: Vec<Condition>,
}

#[derive(Deserialize)]
struct Condition {
    condition: String,
    success: bool,
}

/// Gatus' endpoint key: `group_name`, each part lower case with `/ _ . , space # + &` as
/// `-` (upstream `config/key.ConvertGroupAndNameToKey`).
pub fn key(group: &str, name: &str) -> String {
    fn sanitize(s: &str) -> String {
        s.trim()
            .to_lowercase()
            .chars()
            .map(|c| match c {
                '/' | '_' | '.' | ',' | ' ' | '#' | '+' | '&' => '-',
                c => c,
            })
            .collect()
    }
    format!("{}_{}", sanitize(group), sanitize(name))
}

/// What a configured endpoint URL is checked as: kind and target, scheme and port kept.
/// `dns` is true for an endpoint with a `dns:` block, whose URL is the name server.
pub fn check_of(url: &str, dns: bool) -> Option<(CheckKind, String)> {
    let url = url.trim();
    if dns {
        let server = url.strip_prefix("dns://").unwrap_or(url);
        let target = if crate::net::split_host_port(server).is_ok() {
            server.to_string()
        } else if server.contains(':') && !server.starts_with('[') {
            format!("[{server}]:53")
        } else {
            format!("{server}:53")
        };
        return Some((CheckKind::Dns, target));
    }
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let with_port = |default: Option<u16>| -> Option<String> {
        if crate::net::split_host_port(authority).is_ok() {
            Some(authority.to_string())
        } else {
            default.map(|p| format!("{authority}:{p}"))
        }
    };
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" | "ws" | "wss" | "grpc" | "grpcs" => {
            Some((CheckKind::Http, url.to_string()))
        }
        "tcp" | "tls" | "starttls" => Some((CheckKind::Tcp, with_port(None)?)),
        "ssh" => Some((CheckKind::Tcp, with_port(Some(22))?)),
        "udp" | "sctp" => Some((CheckKind::Udp, with_port(None)?)),
        "icmp" => Some((CheckKind::Icmp, rest.trim_end_matches('/').to_string())),
        _ => None,
    }
}

/// The error text of a failed result: Gatus' own errors, else the conditions that failed
/// (as Gatus resolved them, e.g. `[STATUS] (502) == 200`).
fn failure(o: &Outcome) -> String {
    let mut parts: Vec<String> = o.errors.iter().map(|e| crate::text::clean(e)).collect();
    parts.extend(
        o.condition_results
            .iter()
            .filter(|c| !c.success)
            .map(|c| crate::text::clean(&c.condition)),
    );
    if parts.is_empty() {
        return match o.status {
            Some(s) => format!("HTTP status {s}"),
            None => "a condition failed".into(),
        };
    }
    parts.join("; ")
}

/// Timed results of every endpoint; `urls` holds each endpoint's configured URL by key
/// (`dns:` endpoints' URLs prefixed `dns://`). An entry that is not an endpoint or a
/// result, and an endpoint without results, is a warning.
pub fn parse(
    body: &[u8],
    urls: &BTreeMap<String, String>,
    warnings: &mut Vec<String>,
) -> Result<Vec<(DateTime<Utc>, CheckResult)>, String> {
    let list: Vec<serde_json::Value> =
        serde_json::from_slice(body).map_err(|e| json_error("Gatus' endpoint statuses", &e))?;
    let mut out = Vec::new();
    let mut by_hostname = Vec::new();
    for (i, v) in list.into_iter().enumerate() {
        let ep: Endpoint = match serde_json::from_value(v) {
            Ok(ep) => ep,
            Err(e) => {
                warnings.push(format!(
                    "Gatus: endpoint {} is not an endpoint status ({}); skipped",
                    i + 1,
                    crate::text::clean(&e.to_string())
                ));
                continue;
            }
        };
        let group = ep.group.clone().unwrap_or_default();
        let label = crate::text::clean(&if group.is_empty() {
            ep.name.clone()
        } else {
            format!("{group}/{}", ep.name)
        });
        let key = ep.key.clone().unwrap_or_else(|| key(&group, &ep.name));
        let configured = urls.get(&key).and_then(|u| match u.strip_prefix("dns://") {
            Some(server) => check_of(server, true),
            None => check_of(u, false),
        });
        if !urls.is_empty() && configured.is_none() {
            warnings.push(format!(
                "Gatus: endpoint {label} (key {key}) is not in Gatus' configuration; known by its hostname only"
            ));
        }
        let results = ep.results.unwrap_or_default();
        if results.is_empty() {
            warnings.push(format!(
                "Gatus: endpoint {label} has no results yet (`results: []`); nothing to read"
            ));
        }
        for (j, v) in results.into_iter().enumerate() {
            let o: Outcome = match serde_json::from_value(v) {
                Ok(o) => o,
                Err(e) => {
                    warnings.push(format!(
                        "Gatus: endpoint {label}, result {}: not a result ({}); skipped",
                        j + 1,
                        crate::text::clean(&e.to_string())
                    ));
                    continue;
                }
            };
            let (kind, target) = match &configured {
                Some(c) => c.clone(),
                None => {
                    if !by_hostname.contains(&label) {
                        by_hostname.push(label.clone());
                    }
                    match o.hostname.as_deref().filter(|h| !h.is_empty()) {
                        Some(h) => (CheckKind::Http, crate::text::clean(h)),
                        None => (CheckKind::Http, label.clone()),
                    }
                }
            };
            let mut r = CheckResult::new(kind, target, None);
            r.name = Some(label.clone());
            r.ok = o.success;
            r.status = o.status.filter(|s| crate::limits::STATUS_RANGE.contains(s));
            r.latency_ms = o
                .duration
                .map(|ns| (ns / 1_000_000).min(crate::limits::MAX_LATENCY_MS));
            if !r.ok {
                r.error = Some(crate::text::clean(&failure(&o)));
            }
            out.push((o.timestamp, r));
        }
    }
    if !by_hostname.is_empty() {
        warnings.push(format!(
            "Gatus: its API sends no endpoint URLs, only hostnames: {} matched by hostname only (as a service's `public`); give Gatus' configuration with --gatus-config to keep each endpoint's scheme and port",
            by_hostname.join(", ")
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_urls_keep_scheme_host_and_port() {
        let c = |u: &str| check_of(u, false).map(|(k, t)| format!("{k} {t}"));
        assert_eq!(
            c("tcp://db1.example.com:5432").as_deref(),
            Some("tcp db1.example.com:5432")
        );
        assert_eq!(
            c("http://db1.example.com:8080/health").as_deref(),
            Some("http http://db1.example.com:8080/health")
        );
        assert_eq!(
            c("ssh://git.example.com").as_deref(),
            Some("tcp git.example.com:22")
        );
        assert_eq!(
            c("starttls://smtp.example.com:587").as_deref(),
            Some("tcp smtp.example.com:587")
        );
        assert_eq!(
            c("icmp://203.0.113.10").as_deref(),
            Some("icmp 203.0.113.10")
        );
        assert_eq!(
            c("udp://203.0.113.10:51820").as_deref(),
            Some("udp 203.0.113.10:51820")
        );
        assert_eq!(
            check_of("203.0.113.53", true).map(|(k, t)| format!("{k} {t}")),
            Some("dns 203.0.113.53:53".into())
        );
        assert_eq!(c("tcp://no-port.example.com"), None);
        assert_eq!(key("core", "Forge API"), "core_forge-api");
        assert_eq!(key("", "db.primary"), "_db-primary");
    }
}
