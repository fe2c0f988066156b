//! The blackbox exporter's series, read through Prometheus' HTTP API: `probe_success`,
//! `probe_http_status_code`, `probe_duration_seconds` and `probe_ssl_earliest_cert_expiry`
//! now (`/api/v1/query`), and `probe_success` over the last day (`/api/v1/query_range`,
//! one point every 5 minutes) for uptime. Each series is one target, named by its
//! `instance` label (the blackbox convention of relabelling `__param_target` into
//! `instance`), or by a `target` label when there is one.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;

use crate::fetch::Client;
use crate::monitors::{get_json, json_error, result_for};
use crate::snapshot::CheckResult;

/// How far back the history goes, and its step.
const HISTORY: Duration = Duration::from_secs(24 * 60 * 60);
const STEP_SECONDS: u64 = 300;

#[derive(Deserialize)]
struct Answer {
    status: String,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    data: Option<Data>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(default)]
    result: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct Series {
    metric: BTreeMap<String, String>,
    #[serde(default)]
    value: Option<(f64, String)>,
    #[serde(default)]
    values: Vec<(f64, String)>,
}

/// Timed results for every probed target: the current state and the history.
pub fn read(
    url: &str,
    now: DateTime<Utc>,
    client: &Client,
    warnings: &mut Vec<String>,
) -> Result<Vec<(DateTime<Utc>, CheckResult)>, String> {
    let instant = |metric: &str, w: &mut Vec<String>| -> Result<Vec<Series>, String> {
        let body = get_json(&format!("{url}/api/v1/query?query={metric}"), client)?;
        series(&body, metric, w)
    };
    let success = instant("probe_success", warnings)?;
    let status = instant("probe_http_status_code", warnings)?;
    let duration = instant("probe_duration_seconds", warnings)?;
    let expiry = instant("probe_ssl_earliest_cert_expiry", warnings)?;
    // End the history at the newest evaluation Prometheus reported (its clock may be ahead
    // of ours by a fraction of a second), so the last point sees the newest samples.
    let evaluated = success
        .iter()
        .filter_map(|s| s.value.as_ref().map(|(t, _)| t.ceil()))
        .filter(|t| t.is_finite())
        .fold(f64::MIN, f64::max);
    let end = now.timestamp().max(evaluated as i64);
    let start = end - HISTORY.as_secs() as i64;
    let body = get_json(
        &format!("{url}/api/v1/query_range?query=probe_success&start={start}&end={end}&step={STEP_SECONDS}"),
        client,
    )?;
    let range = series(&body, "probe_success over the last day", warnings)?;
    Ok(combine(success, status, duration, expiry, range, warnings))
}

/// The series of one answer of the query API.
fn series(body: &[u8], what: &str, warnings: &mut Vec<String>) -> Result<Vec<Series>, String> {
    let answer: Answer = serde_json::from_slice(body)
        .map_err(|e| json_error(&format!("Prometheus' answer for {what}"), &e))?;
    if answer.status != "success" {
        return Err(format!(
            "Prometheus refused the query for {what}: {}",
            crate::text::clean(answer.error.as_deref().unwrap_or("no reason given"))
        ));
    }
    let mut out = Vec::new();
    for (i, v) in answer
        .data
        .map(|d| d.result)
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        match serde_json::from_value::<Series>(v) {
            Ok(s) => out.push(s),
            Err(e) => warnings.push(format!(
                "Prometheus' answer for {what}: series {} is not a sample ({}); skipped",
                i + 1,
                crate::text::clean(&e.to_string())
            )),
        }
    }
    Ok(out)
}

fn target_of(s: &Series) -> Option<&str> {
    s.metric
        .get("target")
        .or_else(|| s.metric.get("instance"))
        .map(String::as_str)
        .filter(|t| !t.is_empty())
}

fn time(t: f64) -> Option<DateTime<Utc>> {
    if !t.is_finite() {
        return None;
    }
    Utc.timestamp_opt(t.floor() as i64, 0).single()
}

fn number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Values of one metric by target.
fn by_target(list: &[Series]) -> BTreeMap<&str, f64> {
    list.iter()
        .filter_map(|s| Some((target_of(s)?, number(&s.value.as_ref()?.1)?)))
        .collect()
}

fn combine(
    success: Vec<Series>,
    status: Vec<Series>,
    duration: Vec<Series>,
    expiry: Vec<Series>,
    range: Vec<Series>,
    warnings: &mut Vec<String>,
) -> Vec<(DateTime<Utc>, CheckResult)> {
    let (status, duration, expiry) = (by_target(&status), by_target(&duration), by_target(&expiry));
    let mut out = Vec::new();
    for s in &success {
        let Some(target) = target_of(s) else {
            warnings.push(
                "Prometheus: a probe_success series without an instance label; skipped".into(),
            );
            continue;
        };
        let Some((t, ok)) = s
            .value
            .as_ref()
            .and_then(|(t, v)| Some((time(*t)?, number(v)?)))
        else {
            warnings.push(format!(
                "Prometheus: probe_success of {target} has no usable value; skipped"
            ));
            continue;
        };
        let mut r = result_for(target);
        r.ok = ok >= 1.0;
        r.status = status
            .get(target)
            .map(|c| *c as u16)
            .filter(|c| crate::limits::STATUS_RANGE.contains(c));
        r.latency_ms = duration.get(target).map(|d| {
            (d * 1000.0)
                .round()
                .clamp(0.0, crate::limits::MAX_LATENCY_MS as f64) as u64
        });
        r.tls_expires = expiry
            .get(target)
            .and_then(|e| time(*e))
            .filter(|e| e.timestamp() > 0);
        if !r.ok {
            r.error = Some(match r.status {
                Some(code) if code > 0 => format!("HTTP status {code}"),
                _ => "probe failed".to_string(),
            });
        }
        out.push((t, r));
    }
    // The newest point of the range is the instant value again: history is what came before.
    let current: BTreeMap<String, DateTime<Utc>> = out
        .iter()
        .map(|(t, r): &(DateTime<Utc>, CheckResult)| (r.target.clone(), *t))
        .collect();
    for s in &range {
        let Some(target) = target_of(s) else { continue };
        let before = current.get(target).copied();
        for (t, v) in &s.values {
            let (Some(t), Some(v)) = (time(*t), number(v)) else {
                continue;
            };
            if before.is_some_and(|b| t >= b) {
                continue;
            }
            let mut r = result_for(target);
            r.ok = v >= 1.0;
            if !r.ok {
                r.error = Some("probe failed".into());
            }
            out.push((t, r));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_point_at_the_current_time_does_not_replace_the_current_value() {
        let mut w = Vec::new();
        let ok = br#"{"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"instance":"http://127.0.0.1:8080/","job":"blackbox"},"value":[1775466000.5,"1"]},
            {"metric":{"job":"blackbox"},"value":[1775466000.5,"0"]},
            {"metric":{"instance":"127.0.0.1:9"},"value":"broken"}]}}"#;
        let s = series(ok, "probe_success", &mut w).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(w.len(), 1, "{w:?}");
        let code = series(
            br#"{"status":"success","data":{"result":[{"metric":{"instance":"http://127.0.0.1:8080/"},"value":[1775466000,"200"]}]}}"#,
            "x",
            &mut w,
        )
        .unwrap();
        let range = series(
            br#"{"status":"success","data":{"resultType":"matrix","result":[
                {"metric":{"instance":"http://127.0.0.1:8080/"},"values":[[1775465400,"0"],[1775465700,"1"],[1775466000,"1"]]}]}}"#,
            "range",
            &mut w,
        )
        .unwrap();
        let timed = combine(s, code, vec![], vec![], range, &mut w);
        // The current value, and the two points before it (the third is the current one).
        let oks: Vec<(i64, bool)> = timed.iter().map(|(t, r)| (t.timestamp(), r.ok)).collect();
        assert_eq!(
            oks,
            [(1775466000, true), (1775465400, false), (1775465700, true)]
        );
        assert_eq!(timed[0].1.status, Some(200));
        assert!(series(b"<html>", "x", &mut w).is_err());
        assert!(series(br#"{"status":"error","error":"bad query"}"#, "x", &mut w).is_err());
    }
}
