//! Snapshots taken from monitors a fleet already runs, instead of probing: Prometheus with
//! the blackbox exporter, Gatus, Uptime Kuma. Each client turns its monitor's answer into
//! timed check results, each named for the monitor's own check (a Prometheus job, a Gatus
//! endpoint, an Uptime Kuma monitor), so two checks of one target stay two; this module
//! makes them one ordinary snapshot whose `results` are the newest result of each check
//! and whose `history` holds the earlier ones, so uptime comes from the monitor's own
//! record. An entry of an answer that cannot be understood is a warning and is skipped; an
//! answer that is not the monitor's JSON at all is an error; current measurements the
//! monitor no longer takes (an exporter that is down) make the import [`Imported::stale`].

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
    /// `gatus=URL`: Gatus' `/api/v1/endpoints/statuses`, with each endpoint's configured
    /// URL by its key (Gatus' API sends only a hostname; its configuration has the URL).
    Gatus {
        url: String,
        endpoints: BTreeMap<String, String>,
    },
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
            "gatus" => Ok(Source::Gatus {
                url,
                endpoints: BTreeMap::new(),
            }),
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
            Source::Gatus { .. } => "gatus",
            Source::UptimeKuma { .. } => "uptime-kuma",
        }
    }
}

/// A snapshot from a monitor, with what was skipped while reading its answer.
#[derive(Debug, Clone)]
pub struct Imported {
    pub snapshot: Snapshot,
    pub warnings: Vec<String>,
    /// Why the monitor's current measurements cannot be trusted (its exporter is down,
    /// its samples are stale). When there is any, the snapshot must not replace the last
    /// good one.
    pub stale: Vec<String>,
}

/// Asks the monitor and builds the snapshot (taken at `now`).
pub fn import(source: &Source, now: DateTime<Utc>, client: &Client) -> Result<Imported, String> {
    let mut warnings = Vec::new();
    let mut stale = Vec::new();
    let timed = match source {
        Source::Prometheus(url) => prometheus::read(url, now, client, &mut warnings, &mut stale)?,
        Source::Gatus { url, endpoints } => {
            let body = get_json(&format!("{url}/api/v1/endpoints/statuses"), client)?;
            gatus::parse(&body, endpoints, &mut warnings)?
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
        stale,
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

/// One snapshot from timed results: the newest of each (check, target, name) is current;
/// the rest, grouped by their time, is history (the newest [`MAX_HISTORY`] times). The
/// snapshot is dated by its newest result; an older current result carries its own time
/// in `checked_at`. Two results of one check at the same second are one measurement: the
/// failing one is kept.
pub fn assemble(
    probe: &str,
    now: DateTime<Utc>,
    timed: Vec<(DateTime<Utc>, CheckResult)>,
) -> Snapshot {
    type Key = (CheckKind, String, Option<String>);
    let mut newest: BTreeMap<Key, (DateTime<Utc>, CheckResult)> = BTreeMap::new();
    let mut earlier: BTreeMap<DateTime<Utc>, BTreeMap<Key, CheckResult>> = BTreeMap::new();
    let keep =
        |slot: &mut BTreeMap<Key, CheckResult>, key: Key, r: CheckResult| match slot.get(&key) {
            Some(old) if !old.ok => {}
            _ => {
                slot.insert(key, r);
            }
        };
    for (t, r) in timed {
        let t = t.trunc_subsecs(0);
        let key = (r.check, r.target.clone(), r.name.clone());
        match newest.get_mut(&key) {
            Some((old, _)) if *old > t => keep(earlier.entry(t).or_default(), key, r),
            Some((old, current)) if *old == t => {
                if current.ok {
                    *current = r;
                }
            }
            _ => {
                if let Some((old_t, old)) = newest.insert(key.clone(), (t, r)) {
                    keep(earlier.entry(old_t).or_default(), key, old);
                }
            }
        }
    }
    let skip = earlier.len().saturating_sub(MAX_HISTORY);
    let history = earlier
        .into_iter()
        .skip(skip)
        .map(|(taken_at, results)| Earlier {
            taken_at,
            results: results.into_values().collect(),
        })
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
        results: newest
            .into_values()
            .map(|(t, mut r)| {
                r.checked_at = (t < taken_at).then_some(t);
                r
            })
            .collect(),
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
        let named = |name: &str, ok: bool, t: i64| {
            let mut r = CheckResult::new(CheckKind::Http, "https://forge.example.com/", None);
            r.name = Some(name.into());
            r.ok = ok;
            (DateTime::from_timestamp(t, 0).unwrap(), r)
        };
        let now = DateTime::from_timestamp(2_000, 0).unwrap();
        let snap = assemble(
            "x",
            now,
            vec![
                named("http", true, 1_000),
                named("tls", false, 1_000),
                named("http", true, 990),
                named("tls", true, 990),
                named("tls", false, 1_000),
            ],
        );
        let current: Vec<(Option<&str>, bool)> = snap
            .results
            .iter()
            .map(|r| (r.name.as_deref(), r.ok))
            .collect();
        assert_eq!(current, [(Some("http"), true), (Some("tls"), false)]);
        assert_eq!(snap.history.len(), 1);
        assert_eq!(snap.history[0].results.len(), 2, "both checks of 990 kept");
        assert!(Source::parse("gatus=ftp://x").is_err());
    }
}
