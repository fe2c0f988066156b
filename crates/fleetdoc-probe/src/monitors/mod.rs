//! Snapshots taken from monitors a fleet already runs, instead of probing: Prometheus with
//! the blackbox exporter, Gatus, Uptime Kuma. Each client turns its monitor's answer into
//! timed check results; this module makes them one ordinary snapshot whose `results` are
//! the newest result of each check and whose `history` holds the earlier ones, so uptime
//! comes from the monitor's own record. An entry of an answer that cannot be understood
//! is a warning and is skipped; an answer that is not the monitor's JSON at all is an
//! error.

pub mod gatus;
pub mod prometheus;
pub mod uptime_kuma;

use std::collections::BTreeMap;

use chrono::{DateTime, SubsecRound, Utc};

use crate::fetch::Client;
use crate::snapshot::{CheckKind, CheckResult, Earlier, Snapshot};

/// Most earlier measurements kept in one snapshot's history.
pub const MAX_HISTORY: usize = 2_000;

/// Where a snapshot comes from, as written after `probe --from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `prometheus=URL`: Prometheus' HTTP API, reading the blackbox exporter's series.
    Prometheus(String),
    /// `gatus=URL`: Gatus' `/api/v1/endpoints/statuses`.
    Gatus(String),
    /// `uptime-kuma=URL/status/SLUG`: a public status page and its heartbeats.
    UptimeKuma { base: String, slug: String },
}

impl Source {
    /// Reads `prometheus=URL`, `gatus=URL` or `uptime-kuma=URL/status/SLUG`.
    pub fn parse(s: &str) -> Result<Source, String> {
        let usage = "use prometheus=URL, gatus=URL or uptime-kuma=URL/status/SLUG";
        let (kind, url) = s
            .split_once('=')
            .ok_or_else(|| format!("`{s}` names no monitor; {usage}"))?;
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "`{url}` is not an http:// or https:// address; {usage}"
            ));
        }
        let url = url.trim_end_matches('/').to_string();
        match kind {
            "prometheus" => Ok(Source::Prometheus(url)),
            "gatus" => Ok(Source::Gatus(url)),
            "uptime-kuma" => {
                let (base, slug) = url.rsplit_once("/status/").ok_or_else(|| {
                    format!("`{url}` is not a status page address; use uptime-kuma=URL/status/SLUG")
                })?;
                if slug.is_empty() || slug.contains('/') {
                    return Err(format!(
                        "`{slug}` is not a status page slug; use uptime-kuma=URL/status/SLUG"
                    ));
                }
                Ok(Source::UptimeKuma {
                    base: base.to_string(),
                    slug: slug.to_string(),
                })
            }
            other => Err(format!("unknown monitor `{other}`; {usage}")),
        }
    }

    /// The snapshot's `probe` name and a file stem: `prometheus`, `gatus`, `uptime-kuma`.
    pub fn name(&self) -> &'static str {
        match self {
            Source::Prometheus(_) => "prometheus",
            Source::Gatus(_) => "gatus",
            Source::UptimeKuma { .. } => "uptime-kuma",
        }
    }
}

/// A snapshot from a monitor, with what was skipped while reading its answer.
#[derive(Debug, Clone)]
pub struct Imported {
    pub snapshot: Snapshot,
    pub warnings: Vec<String>,
}

/// Asks the monitor and builds the snapshot (taken at `now`).
pub fn import(source: &Source, now: DateTime<Utc>, client: &Client) -> Result<Imported, String> {
    let mut warnings = Vec::new();
    let timed = match source {
        Source::Prometheus(url) => prometheus::read(url, now, client, &mut warnings)?,
        Source::Gatus(url) => {
            let body = get_json(&format!("{url}/api/v1/endpoints/statuses"), client)?;
            gatus::parse(&body, &mut warnings)?
        }
        Source::UptimeKuma { base, slug } => {
            let page = get_json(&format!("{base}/api/status-page/{slug}"), client)?;
            let beats = get_json(&format!("{base}/api/status-page/heartbeat/{slug}"), client)?;
            uptime_kuma::parse(&page, &beats, &mut warnings)?
        }
    };
    Ok(Imported {
        snapshot: assemble(source.name(), now, timed),
        warnings,
    })
}

/// GETs a JSON answer; anything but HTTP 200 is an error that names the address.
pub fn get_json(url: &str, client: &Client) -> Result<Vec<u8>, String> {
    let got = client.get(url).map_err(|e| format!("{url}: {e}"))?;
    if got.status != 200 {
        return Err(format!("{url} answered HTTP {}", got.status));
    }
    Ok(got.body)
}

/// Where a JSON error is, for messages: `line 3, column 7: ...`.
pub fn json_error(what: &str, e: &serde_json::Error) -> String {
    format!(
        "{what} is not the expected JSON (line {}, column {}: {})",
        e.line(),
        e.column(),
        crate::text::clean(&e.to_string())
    )
}

/// One snapshot from timed results: the newest of each (check, target) is current; the
/// rest, grouped by their time, is history (the newest [`MAX_HISTORY`] times).
pub fn assemble(
    probe: &str,
    now: DateTime<Utc>,
    timed: Vec<(DateTime<Utc>, CheckResult)>,
) -> Snapshot {
    let mut newest: BTreeMap<(CheckKind, String), (DateTime<Utc>, CheckResult)> = BTreeMap::new();
    let mut earlier: BTreeMap<DateTime<Utc>, Vec<CheckResult>> = BTreeMap::new();
    for (t, r) in timed {
        let t = t.trunc_subsecs(0);
        let key = (r.check, r.target.clone());
        match newest.get(&key) {
            Some((old, _)) if *old >= t => earlier.entry(t).or_default().push(r),
            _ => {
                if let Some((old_t, old)) = newest.insert(key, (t, r)) {
                    earlier.entry(old_t).or_default().push(old);
                }
            }
        }
    }
    let skip = earlier.len().saturating_sub(MAX_HISTORY);
    let history = earlier
        .into_iter()
        .skip(skip)
        .map(|(taken_at, results)| Earlier { taken_at, results })
        .collect();
    let taken_at = newest
        .values()
        .map(|(t, _)| *t)
        .max()
        .unwrap_or(now)
        .min(now.trunc_subsecs(0));
    Snapshot {
        taken_at,
        probe: probe.to_string(),
        results: newest.into_values().map(|(_, r)| r).collect(),
        history,
        warnings: Vec::new(),
    }
}

/// A check result for a monitored address: `http` for an http(s) URL, `tcp` for
/// `host:port`, else `http` with the name as given (shown as observed but not declared
/// unless it is a declared public hostname).
pub fn result_for(address: &str) -> CheckResult {
    let a = address.trim();
    let kind = if a.starts_with("http://") || a.starts_with("https://") {
        CheckKind::Http
    } else if crate::net::split_host_port(a).is_ok() {
        CheckKind::Tcp
    } else {
        CheckKind::Http
    };
    let target = a
        .strip_prefix("tcp://")
        .map(str::to_string)
        .unwrap_or_else(|| a.to_string());
    CheckResult::new(kind, crate::text::clean(&target), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources() {
        assert_eq!(
            Source::parse("prometheus=http://127.0.0.1:9090/").unwrap(),
            Source::Prometheus("http://127.0.0.1:9090".into())
        );
        assert_eq!(
            Source::parse("uptime-kuma=https://status.example.com/status/fleet").unwrap(),
            Source::UptimeKuma {
                base: "https://status.example.com".into(),
                slug: "fleet".into()
            }
        );
        assert!(Source::parse("nagios=http://x").is_err());
        assert!(Source::parse("gatus=ftp://x").is_err());
    }
}
