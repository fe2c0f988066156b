//! Gatus: `/api/v1/endpoints/statuses` lists every endpoint with its recent results
//! (status, hostname, duration in nanoseconds, success, timestamp, errors), oldest first.
//! Gatus does not send an endpoint's URL, only its hostname, so an endpoint becomes an
//! `http` result for `https://HOSTNAME/` (matched to the service whose `public` it is);
//! an endpoint without a hostname keeps its name and shows as observed but not declared.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::monitors::{json_error, result_for};
use crate::snapshot::CheckResult;

#[derive(Deserialize)]
struct Endpoint {
    name: String,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    results: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
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
}

/// Timed results of every endpoint; an entry that is not an endpoint or a result is a
/// warning and is skipped.
pub fn parse(
    body: &[u8],
    warnings: &mut Vec<String>,
) -> Result<Vec<(DateTime<Utc>, CheckResult)>, String> {
    let list: Vec<serde_json::Value> =
        serde_json::from_slice(body).map_err(|e| json_error("Gatus' endpoint statuses", &e))?;
    let mut out = Vec::new();
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
        let label = match &ep.group {
            Some(g) if !g.is_empty() => format!("{g}/{}", ep.name),
            _ => ep.name.clone(),
        };
        for (j, v) in ep.results.into_iter().enumerate() {
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
            let address = match o.hostname.as_deref().filter(|h| !h.is_empty()) {
                Some(h) => format!("https://{h}/"),
                None => label.clone(),
            };
            let mut r = result_for(&address);
            r.ok = o.success;
            r.status = o.status.filter(|s| crate::limits::STATUS_RANGE.contains(s));
            r.latency_ms = o
                .duration
                .map(|ns| (ns / 1_000_000).min(crate::limits::MAX_LATENCY_MS));
            if !r.ok {
                r.error = Some(crate::text::clean(
                    &o.errors.first().cloned().unwrap_or_else(|| match r.status {
                        Some(s) => format!("HTTP status {s}"),
                        None => "a condition failed".into(),
                    }),
                ));
            }
            out.push((o.timestamp, r));
        }
    }
    Ok(out)
}
