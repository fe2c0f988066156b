//! The blackbox exporter's series, read through Prometheus' HTTP API: `probe_success`,
//! `probe_http_status_code`, `probe_duration_seconds` and `probe_ssl_earliest_cert_expiry`
//! now (`/api/v1/query`), each sample dated by its own time (`timestamp(probe_success)`,
//! not the query's), and `probe_success` over the last day (`/api/v1/query_range`, one
//! point every 5 minutes) for uptime. Each series is one check: its target named by its
//! `instance` label (the blackbox convention of relabelling `__param_target` into
//! `instance`), or by a `target` label when there is one, and the check by its `job` (and
//! a `module` label when there is one), so two jobs or modules on one target stay two.
//!
//! Whether the measurements are current is read from Prometheus too: `up` of a blackbox
//! job is 0 when the exporter does not answer its scrape, and a series of the last day
//! with no fresh sample has stopped. Either makes the import stale (the caller keeps the
//! last good snapshot); a series whose target is no longer scraped at all (no `up`) was
//! taken out of Prometheus' configuration and is only a warning.

use std::collections::{BTreeMap, BTreeSet};
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

/// The instant answers the current results are made of.
struct Now {
    success: Vec<Series>,
    sampled: Vec<Series>,
    status: Vec<Series>,
    duration: Vec<Series>,
    expiry: Vec<Series>,
    up: Vec<Series>,
}

/// Timed results for every probed target: the current state and the history. Reasons the
/// current state cannot be trusted go to `stale`.
pub fn read(
    url: &str,
    now: DateTime<Utc>,
    client: &Client,
    warnings: &mut Vec<String>,
    stale: &mut Vec<String>,
) -> Result<Vec<(DateTime<Utc>, CheckResult)>, String> {
    let instant = |query: &str, w: &mut Vec<String>| -> Result<Vec<Series>, String> {
        let encoded = query.replace('[', "%5B").replace(']', "%5D");
        let body = get_json(&format!("{url}/api/v1/query?query={encoded}"), client)?;
        series(&body, query, w)
    };
    let current = Now {
        success: instant("probe_success", warnings)?,
        sampled: instant("timestamp(probe_success)", warnings)?,
        status: instant("probe_http_status_code", warnings)?,
        duration: instant("probe_duration_seconds", warnings)?,
        expiry: instant("probe_ssl_earliest_cert_expiry", warnings)?,
        up: instant("up", warnings)?,
    };
    // End the history at the newest evaluation Prometheus reported (its clock may be ahead
    // of ours by a fraction of a second), so the last point sees the newest samples.
    let evaluated = current
        .up
        .iter()
        .chain(&current.success)
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
    // Every check with a sample in the last day, stale or not (a range vector leaves out
    // the staleness markers an instant query stops at).
    let known = instant("last_over_time(probe_success[1d])", warnings)?;
    if current.success.is_empty() && known.is_empty() {
        return Err(format!(
            "{url} holds no probe_success series, now or in the last day: no blackbox exporter is scraped by this Prometheus (see the scrape configuration in docs/monitors.md)"
        ));
    }
    freshness(&current, &known, &range, warnings, stale);
    Ok(combine(current, range, warnings))
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

/// The check's name: its job, and its module when a `module` label says it.
fn name_of(s: &Series) -> Option<String> {
    let job = s.metric.get("job").filter(|j| !j.is_empty());
    let module = s.metric.get("module").filter(|m| !m.is_empty());
    match (job, module) {
        (Some(j), Some(m)) if j != m => Some(format!("{j}/{m}")),
        (Some(j), _) => Some(j.clone()),
        (None, Some(m)) => Some(m.clone()),
        (None, None) => None,
    }
}

/// A series' labels without its metric name: the same for every metric of one scrape.
fn labels(s: &Series) -> BTreeMap<&str, &str> {
    s.metric
        .iter()
        .filter(|(k, _)| k.as_str() != "__name__")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
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

/// Values of one metric by the labels of its series.
fn by_labels(list: &[Series]) -> BTreeMap<BTreeMap<&str, &str>, f64> {
    list.iter()
        .filter_map(|s| Some((labels(s), number(&s.value.as_ref()?.1)?)))
        .collect()
}

/// What is said of a check in messages: `blackbox-http https://forge.example.com/`.
fn check_label(s: &Series) -> String {
    let target = target_of(s).unwrap_or("?");
    crate::text::clean(&match name_of(s) {
        Some(n) => format!("{n} {target}"),
        None => target.to_string(),
    })
}

/// Whether the exporter answers and the series are current: `up == 0` of a blackbox
/// job's target, or a series of the last day without a fresh sample while its target is
/// still scraped, is stale; a target no longer scraped is a warning.
fn freshness(
    current: &Now,
    known: &[Series],
    range: &[Series],
    warnings: &mut Vec<String>,
    stale: &mut Vec<String>,
) {
    let jobs: BTreeSet<&str> = current
        .success
        .iter()
        .chain(known)
        .filter_map(|s| s.metric.get("job").map(String::as_str))
        .collect();
    let up: BTreeMap<(Option<&str>, Option<&str>), f64> = current
        .up
        .iter()
        .filter_map(|s| {
            let v = number(&s.value.as_ref()?.1)?;
            Some(((s.metric.get("job").map(String::as_str), target_of(s)), v))
        })
        .collect();
    // The newest point of the last day's history, when it has one.
    let last_sample = |s: &Series| {
        range
            .iter()
            .find(|r| labels(r) == labels(s))
            .and_then(|r| r.values.iter().filter_map(|(t, _)| time(*t)).max())
            .map(|t| {
                format!(
                    "; its last point in the last day is {}",
                    t.format("%Y-%m-%d %H:%M UTC")
                )
            })
            .unwrap_or_default()
    };
    for s in &current.up {
        let job = s.metric.get("job").map(String::as_str);
        let down = s
            .value
            .as_ref()
            .and_then(|(_, v)| number(v))
            .is_some_and(|v| v < 1.0);
        if down && job.is_some_and(|j| jobs.contains(j)) {
            let before = last_sample(s);
            stale.push(format!(
                "Prometheus: the blackbox exporter does not answer the scrape of job {} for {} (up == 0){before}",
                crate::text::clean(job.unwrap_or("?")),
                crate::text::clean(target_of(s).unwrap_or("?")),
            ));
        }
    }
    let fresh: BTreeSet<BTreeMap<&str, &str>> = current.success.iter().map(labels).collect();
    for s in known {
        if fresh.contains(&labels(s)) {
            continue;
        }
        let key = (s.metric.get("job").map(String::as_str), target_of(s));
        match up.get(&key) {
            Some(v) if *v >= 1.0 => stale.push(format!(
                "Prometheus: no fresh probe_success sample for {}, though its target is scraped{}",
                check_label(s),
                last_sample(s)
            )),
            Some(_) => {} // said above: up == 0
            None => warnings.push(format!(
                "Prometheus: {} is no longer scraped (no `up` series){}; left out of the current results",
                check_label(s),
                last_sample(s)
            )),
        }
    }
}

fn combine(
    current: Now,
    range: Vec<Series>,
    warnings: &mut Vec<String>,
) -> Vec<(DateTime<Utc>, CheckResult)> {
    let status = by_labels(&current.status);
    let duration = by_labels(&current.duration);
    let expiry = by_labels(&current.expiry);
    let sampled = by_labels(&current.sampled);
    let mut out = Vec::new();
    // The time of each check's current sample, by its labels.
    let mut current_at: BTreeMap<BTreeMap<&str, &str>, DateTime<Utc>> = BTreeMap::new();
    for s in &current.success {
        let Some(target) = target_of(s) else {
            warnings.push(
                "Prometheus: a probe_success series without an instance label; skipped".into(),
            );
            continue;
        };
        let key = labels(s);
        let Some((evaluated, ok)) = s
            .value
            .as_ref()
            .and_then(|(t, v)| Some((time(*t)?, number(v)?)))
        else {
            warnings.push(format!(
                "Prometheus: probe_success of {target} has no usable value; skipped"
            ));
            continue;
        };
        // The sample's own time; the evaluation time only if Prometheus did not say it.
        let t = sampled
            .get(&key)
            .and_then(|t| time(*t))
            .filter(|t| *t <= evaluated)
            .unwrap_or(evaluated);
        let mut r = result_for(target);
        r.name = name_of(s).map(|n| crate::text::clean(&n));
        r.ok = ok >= 1.0;
        r.status = status
            .get(&key)
            .map(|c| *c as u16)
            .filter(|c| crate::limits::STATUS_RANGE.contains(c));
        r.latency_ms = duration.get(&key).map(|d| {
            (d * 1000.0)
                .round()
                .clamp(0.0, crate::limits::MAX_LATENCY_MS as f64) as u64
        });
        r.tls_expires = expiry
            .get(&key)
            .and_then(|e| time(*e))
            .filter(|e| e.timestamp() > 0);
        if !r.ok {
            r.error = Some(match r.status {
                Some(code) if code >= 400 => format!("HTTP status {code}"),
                // Answered, but a module's other rule failed (TLS required, a regex).
                Some(code) => format!("probe failed (HTTP status {code})"),
                None => "probe failed".to_string(),
            });
        }
        current_at.insert(key, t);
        out.push((t, r));
    }
    // The newest points of the range repeat the current sample: history is what came
    // before it. A check without a current sample has no history in this snapshot either
    // (it was taken out of Prometheus' configuration, or the import is stale).
    for s in &range {
        let Some(target) = target_of(s) else { continue };
        let Some(before) = current_at.get(&labels(s)).copied() else {
            continue;
        };
        for (t, v) in &s.values {
            let (Some(t), Some(v)) = (time(*t), number(v)) else {
                continue;
            };
            if t >= before {
                continue;
            }
            let mut r = result_for(target);
            r.name = name_of(s).map(|n| crate::text::clean(&n));
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
            br#"{"status":"success","data":{"result":[{"metric":{"instance":"http://127.0.0.1:8080/","job":"blackbox"},"value":[1775466000,"200"]}]}}"#,
            "x",
            &mut w,
        )
        .unwrap();
        let range = series(
            br#"{"status":"success","data":{"resultType":"matrix","result":[
                {"metric":{"instance":"http://127.0.0.1:8080/","job":"blackbox"},"values":[[1775465400,"0"],[1775465700,"1"],[1775466000,"1"]]}]}}"#,
            "range",
            &mut w,
        )
        .unwrap();
        let now = Now {
            success: s,
            sampled: vec![],
            status: code,
            duration: vec![],
            expiry: vec![],
            up: vec![],
        };
        let timed = combine(now, range, &mut w);
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
