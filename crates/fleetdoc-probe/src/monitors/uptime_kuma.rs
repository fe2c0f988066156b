//! Uptime Kuma (1.23 and 2.x answer alike): a public status page (`/api/status-page/SLUG`:
//! its groups and monitors, `Monitor.toPublicJSON`) and its heartbeats
//! (`/api/status-page/heartbeat/SLUG`: recent beats per monitor id, `Heartbeat.toPublicJSON`:
//! `status`, `time`, `ping`, and `msg` always empty on a public page). Status 0 is down, 1
//! up, 2 pending (failing, being retried) and 3 maintenance: pending and maintenance are
//! written as not ok with their own `state`, never as a failure of their own.
//!
//! A monitor's URL is only sent when the page shows it ("Show Clickable Link"); with an
//! http(s) URL that names a host (not the form's `https://` placeholder, which monitors of
//! other types keep), a monitor becomes an `http` result for that URL; otherwise it keeps
//! its name (a `tcp`, `icmp` or `dns` result for a port, ping or DNS monitor) and shows as
//! observed but not declared.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;

use crate::monitors::{json_error, result_for};
use crate::snapshot::{CheckKind, CheckResult};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    #[serde(default)]
    public_group_list: Vec<Group>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Group {
    #[serde(default)]
    monitor_list: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct Monitor {
    id: u64,
    name: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// The monitor's URL when it is one to check: an http(s) URL with a host, of a monitor
/// that checks URLs (not the `https://` a port or ping monitor keeps from the form).
fn checked_url(m: &Monitor) -> Option<String> {
    let url = m.url.as_deref()?.trim();
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let url_kind = matches!(
        m.kind.as_deref(),
        None | Some("http" | "keyword" | "json-query" | "real-browser")
    );
    (url_kind && !host.is_empty()).then(|| url.to_string())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Beats {
    heartbeat_list: BTreeMap<String, Vec<serde_json::Value>>,
}

#[derive(Deserialize)]
struct Beat {
    status: u8,
    time: String,
    #[serde(default)]
    ping: Option<f64>,
}

/// Beat times are UTC, written `2026-04-06 09:00:00.000` (or RFC 3339).
fn beat_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

/// Timed results of every monitor on the page.
pub fn parse(
    page: &[u8],
    beats: &[u8],
    warnings: &mut Vec<String>,
) -> Result<Vec<(DateTime<Utc>, CheckResult)>, String> {
    let page: Page =
        serde_json::from_slice(page).map_err(|e| json_error("Uptime Kuma's status page", &e))?;
    let beats: Beats =
        serde_json::from_slice(beats).map_err(|e| json_error("Uptime Kuma's heartbeats", &e))?;
    let mut out = Vec::new();
    for v in page
        .public_group_list
        .into_iter()
        .flat_map(|g| g.monitor_list)
    {
        let m: Monitor = match serde_json::from_value(v) {
            Ok(m) => m,
            Err(e) => {
                warnings.push(format!(
                    "Uptime Kuma: a monitor of the status page is not a monitor ({}); skipped",
                    crate::text::clean(&e.to_string())
                ));
                continue;
            }
        };
        let url = checked_url(&m);
        // Without a URL the monitor keeps its name, checked as its type says.
        let kind = match (&url, m.kind.as_deref()) {
            (None, Some("port")) => Some(CheckKind::Tcp),
            (None, Some("ping")) => Some(CheckKind::Icmp),
            (None, Some("dns")) => Some(CheckKind::Dns),
            _ => None,
        };
        let address = url.unwrap_or_else(|| m.name.clone());
        let list = beats
            .heartbeat_list
            .get(&m.id.to_string())
            .cloned()
            .unwrap_or_default();
        if list.is_empty() {
            warnings.push(format!(
                "Uptime Kuma: monitor {} has no heartbeats yet; skipped",
                m.name
            ));
        }
        for (j, v) in list.into_iter().enumerate() {
            let beat = serde_json::from_value::<Beat>(v)
                .map_err(|e| crate::text::clean(&e.to_string()))
                .and_then(|b| match beat_time(&b.time) {
                    Some(t) => Ok((t, b)),
                    None => Err(format!(
                        "time {:?} is not a date",
                        crate::text::clean(&b.time)
                    )),
                });
            let (t, b) = match beat {
                Ok(x) => x,
                Err(why) => {
                    warnings.push(format!(
                        "Uptime Kuma: monitor {}, heartbeat {}: {why}; skipped",
                        m.name,
                        j + 1
                    ));
                    continue;
                }
            };
            let mut r = result_for(&address);
            if let Some(k) = kind {
                r.check = k;
            }
            r.name = Some(crate::text::clean(&m.name));
            r.ok = b.status == 1;
            r.latency_ms = b
                .ping
                .filter(|p| p.is_finite() && *p >= 0.0)
                .map(|p| (p.round() as u64).min(crate::limits::MAX_LATENCY_MS));
            match b.status {
                1 => {}
                2 => r.state = Some("pending".into()),
                3 => r.state = Some("maintenance".into()),
                0 => r.error = Some("Uptime Kuma reports it down".into()),
                other => r.error = Some(format!("Uptime Kuma status {other}")),
            }
            out.push((t, r));
        }
    }
    Ok(out)
}
