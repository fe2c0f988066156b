//! Matches probe results to declared services (SPEC section 4) and derives each service's
//! status, uptime history, certificate days and the drift between declared and observed.
//!
//! Matching: `http` by the hostname of a `public` (or, for a URL that names a host's
//! address and a declared port, as monitors probing by address do, that service); `systemd` by `unit` (and `host`);
//! `docker` by container name (the service id, or its `container:`) and `host`; `tcp` by a
//! host's address and a declared port (`udp` and `dns` alike; an `icmp` ping names no
//! service). The newest result of each (check, target, host, name) is the current state,
//! dated by its `checked_at` or its snapshot's `taken_at`; a service is up only when all of
//! its current results are ok; all snapshots together are the history.

use crate::analyze::status::{Drift, DriftAbout, DriftKind, Health, Observed, ServiceStatus};
use crate::load::probes::LoadedSnapshot;
use crate::model::{Fleet, ServiceKind};
use chrono::{DateTime, Utc};
use fleetdoc_probe::store::result_key;
use fleetdoc_probe::{CheckKind, CheckResult};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// The lookups that match results to services, built once per fleet so that matching a
/// year of results stays linear in the results (a scan of every service per result grew
/// with results times services).
pub struct Matcher<'a> {
    fleet: &'a Fleet,
    /// The first service with each `public` name.
    by_public: HashMap<&'a str, usize>,
    /// The first host with each address, lower case.
    host_by_address: HashMap<String, usize>,
    /// systemd and timer services by unit name, in declaration order.
    by_unit: HashMap<String, Vec<usize>>,
    /// docker services by container name, in declaration order.
    by_container: HashMap<String, Vec<usize>>,
}

impl<'a> Matcher<'a> {
    pub fn new(fleet: &'a Fleet) -> Matcher<'a> {
        let mut m = Matcher {
            fleet,
            by_public: HashMap::new(),
            host_by_address: HashMap::new(),
            by_unit: HashMap::new(),
            by_container: HashMap::new(),
        };
        for (h, host) in fleet.hosts.iter().enumerate() {
            m.host_by_address
                .entry(host.address.to_string().to_ascii_lowercase())
                .or_insert(h);
        }
        for (i, svc) in fleet.services.iter().enumerate() {
            if let Some(p) = svc.public.as_deref() {
                m.by_public.entry(p).or_insert(i);
            }
            match svc.kind {
                ServiceKind::Systemd | ServiceKind::Timer => {
                    let unit = svc.unit.clone().unwrap_or_else(|| match svc.kind {
                        ServiceKind::Timer => format!("{}.timer", svc.id),
                        _ => format!("{}.service", svc.id),
                    });
                    m.by_unit.entry(unit).or_default().push(i);
                }
                ServiceKind::Docker => {
                    m.by_container
                        .entry(svc.container_name().to_string())
                        .or_default()
                        .push(i);
                }
                _ => {}
            }
        }
        m
    }

    /// Which service a result is about, if any.
    pub fn service(&self, r: &CheckResult) -> Option<usize> {
        let fleet = self.fleet;
        let host_ok = |s: usize| match &r.host {
            None => true,
            Some(h) => fleet
                .host_ix(h)
                .is_some_and(|hx| fleet.services[s].hosts.contains(&hx)),
        };
        match r.check {
            CheckKind::Http => {
                let name = url_host(&r.target)?;
                self.by_public
                    .get(name.as_str())
                    .copied()
                    .or_else(|| self.by_address(&name, url_port(&r.target)?))
            }
            CheckKind::Systemd => self
                .by_unit
                .get(r.target.as_str())?
                .iter()
                .copied()
                .find(|&s| host_ok(s)),
            CheckKind::Docker => self
                .by_container
                .get(r.target.as_str())?
                .iter()
                .copied()
                .find(|&s| host_ok(s)),
            CheckKind::Route | CheckKind::Container | CheckKind::Unit | CheckKind::Icmp => None,
            CheckKind::Tcp | CheckKind::Udp | CheckKind::Dns => {
                let (addr, port) = r.target.rsplit_once(':')?;
                let addr = addr.trim_start_matches('[').trim_end_matches(']');
                self.by_address(addr, port.parse().ok()?)
            }
        }
    }

    /// The declared host an `icmp` result pings (a ping names a host, no service).
    pub fn pinged_host(&self, r: &CheckResult) -> Option<usize> {
        (r.check == CheckKind::Icmp)
            .then(|| {
                self.host_by_address
                    .get(&r.target.to_ascii_lowercase())
                    .copied()
            })
            .flatten()
    }

    /// The service on the host at `addr` that declares `port`.
    fn by_address(&self, addr: &str, port: u16) -> Option<usize> {
        let h = *self.host_by_address.get(&addr.to_ascii_lowercase())?;
        self.fleet
            .services_on(h)
            .find(|(_, s)| s.ports.contains(&port))
            .map(|(i, _)| i)
    }
}

/// The maintenance window of service `s` that a result `r` taken at `t` falls in (a
/// window of one host covers a replicated service only in the results taken there).
pub fn window_of<'f>(
    fleet: &'f Fleet,
    s: usize,
    r: &CheckResult,
    t: DateTime<Utc>,
) -> Option<&'f crate::model::maintenance::Window> {
    let svc = &fleet.services[s];
    if svc.maintenance.is_empty() {
        return None;
    }
    crate::model::maintenance::covering(
        &svc.maintenance,
        svc.hosts.len() > 1,
        result_host(fleet, r),
        t,
    )
    .map(|(w, _)| w)
}

/// Whether a result for service `s` taken at `t` is not counted: its monitor reports
/// maintenance, or it falls in one of the service's maintenance windows.
pub fn in_window(fleet: &Fleet, s: usize, r: &CheckResult, t: DateTime<Utc>) -> bool {
    r.in_maintenance() || window_of(fleet, s, r, t).is_some()
}

/// The port of an http(s) URL that names one; a URL without one names no declared port.
fn url_port(url: &str) -> Option<u16> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let after = match authority.strip_prefix('[') {
        Some(v6) => v6.split_once(']')?.1,
        None => authority.rsplit_once('@').map_or(authority, |(_, h)| h),
    };
    after.rsplit_once(':')?.1.parse().ok()
}

/// The host a result was taken on or about: its `host` field, or for `tcp` the host with
/// that address.
fn result_host(fleet: &Fleet, r: &CheckResult) -> Option<usize> {
    if let Some(h) = &r.host {
        return fleet.host_ix(h);
    }
    if matches!(r.check, CheckKind::Tcp | CheckKind::Udp | CheckKind::Dns) {
        let (addr, _) = r.target.rsplit_once(':')?;
        let addr = addr.trim_start_matches('[').trim_end_matches(']');
        return fleet
            .hosts
            .iter()
            .position(|h| h.address.to_string() == addr);
    }
    None
}

/// The host part of a URL: `https://forge.example.com:443/x` -> `forge.example.com`.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority
        .rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(authority);
    let host = host.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Whether a declared service is something a probe can see at all.
fn probeable(s: &crate::model::Service) -> bool {
    s.public.is_some()
        || matches!(
            s.kind,
            ServiceKind::Docker | ServiceKind::Systemd | ServiceKind::Timer
        )
        || !s.ports.is_empty()
}

/// Why a result is not ok, in a few words.
fn reason(r: &CheckResult) -> String {
    if let Some(e) = &r.error {
        e.clone()
    } else if r.pending() {
        "failing, being retried".into()
    } else if r.in_maintenance() {
        "in a maintenance window".into()
    } else {
        match (&r.status, &r.state) {
            (Some(code), _) => format!("HTTP {code}"),
            (None, Some(state)) => state.clone(),
            _ => "not ok".into(),
        }
    }
}

/// The reason, after the check's name when its monitor names it: `blackbox-tls: probe failed`.
fn why(r: &CheckResult) -> String {
    match &r.name {
        Some(n) => format!("{n}: {}", reason(r)),
        None => reason(r),
    }
}

/// What a result says of its service: up, down, or (not ok, as a monitor reports it)
/// pending or in maintenance; a failure inside a declared window (`window`) is maintenance.
fn health_of(r: &CheckResult, window: bool) -> Health {
    if r.ok {
        Health::Up
    } else if r.pending() {
        Health::Pending
    } else if r.in_maintenance() || window {
        Health::Maintenance
    } else {
        Health::Down
    }
}

/// Current results with the time each was taken, and the maintenance window it fell in.
type Timed<'a, 'f> = Vec<(
    DateTime<Utc>,
    &'a CheckResult,
    Option<&'f crate::model::maintenance::Window>,
)>;

/// One check: (check, target, host, name).
type CheckKey = (CheckKind, String, Option<String>, Option<String>);

/// The newest result of each check: when, what, and the service it matched.
type Current<'a> = BTreeMap<CheckKey, (DateTime<Utc>, &'a CheckResult, Option<usize>)>;

pub fn observe(
    fleet: &Fleet,
    snapshots: &[LoadedSnapshot],
    now: DateTime<Utc>,
    stale_after: Duration,
) -> Observed {
    let mut obs = Observed::none(fleet.services.len());
    obs.drift = crate::analyze::discovered::drift(snapshots);
    // Status, its time and its history come only from snapshots that measured health.
    let measured = |s: &&LoadedSnapshot| s.snapshot.results.iter().any(|r| !r.check.is_discovery());
    let health_snapshots = snapshots.iter().filter(measured).count();
    obs.snapshots = health_snapshots;
    obs.taken = snapshots
        .iter()
        .filter(measured)
        .map(|s| s.snapshot.taken_at)
        .max();
    // Newest result per (check, target, host), with its time and the service it matched.
    let mut current: Current = BTreeMap::new();
    let mut history: Vec<Vec<bool>> = vec![Vec::new(); fleet.services.len()];
    let mut host_history: BTreeMap<(usize, usize), Vec<bool>> = BTreeMap::new();
    let replicated = |s: usize| fleet.services[s].hosts.len() > 1;
    let matcher = Matcher::new(fleet);
    for snap in snapshots {
        let t = snap.snapshot.taken_at;
        let mut seen: BTreeMap<usize, bool> = BTreeMap::new();
        let mut seen_on: BTreeMap<(usize, usize), bool> = BTreeMap::new();
        for r in snap
            .snapshot
            .results
            .iter()
            .filter(|r| !r.check.is_discovery())
        {
            let m = matcher.service(r);
            let at = r.checked_at.unwrap_or(t);
            // Uptime leaves out maintenance windows, as the monitors do.
            if let Some(s) = m.filter(|&s| !in_window(fleet, s, r, at)) {
                let e = seen.entry(s).or_insert(true);
                *e &= r.ok;
                if let Some(h) = result_host(fleet, r).filter(|_| replicated(s)) {
                    *seen_on.entry((s, h)).or_insert(true) &= r.ok;
                }
            }
            let key = (r.check, r.target.clone(), r.host.clone(), r.name.clone());
            if current.get(&key).is_none_or(|(old, _, _)| *old <= at) {
                current.insert(key, (at, r, m));
            }
        }
        for (s, ok) in seen {
            history[s].push(ok);
        }
        for (sh, ok) in seen_on {
            host_history.entry(sh).or_default().push(ok);
        }
    }
    let stale_limit = chrono::Duration::from_std(stale_after).unwrap_or(chrono::Duration::MAX);
    obs.stale = obs.taken.is_some_and(|t| now - t > stale_limit);
    obs.age = obs.taken.map(|t| now - t);
    obs.stale_after = stale_after;
    let mut per_service: Vec<Timed> = vec![Vec::new(); fleet.services.len()];
    let mut per_host: BTreeMap<(usize, usize), Timed> = BTreeMap::new();
    for ((kind, target, host, name), (t, r, m)) in &current {
        match m {
            Some(s) => {
                let w = window_of(fleet, *s, r, *t);
                per_service[*s].push((*t, r, w));
                if let Some(h) = result_host(fleet, r).filter(|_| replicated(*s)) {
                    per_host.entry((*s, h)).or_default().push((*t, r, w));
                }
            }
            // A ping of a declared host names no service: only its failure is drift.
            None if matcher.pinged_host(r).is_some() => {
                if let Some(h) = matcher.pinged_host(r).filter(|_| !r.ok) {
                    let h = &fleet.hosts[h];
                    obs.drift.push(Drift {
                        kind: DriftKind::Down,
                        subject: format!("{} ({}), icmp", h.name, h.id),
                        detail: why(r),
                        about: DriftAbout::Check(result_key(r)),
                        since: None,
                    });
                }
            }
            None => obs.drift.push(Drift {
                kind: DriftKind::Undeclared,
                subject: {
                    let mut s = format!("{kind} {target}");
                    if let Some(h) = host {
                        s.push_str(&format!(" on {h}"));
                    }
                    if let Some(n) = name.as_ref().filter(|n| *n != target) {
                        s.push_str(&format!(" ({n})"));
                    }
                    s
                },
                detail: if r.ok {
                    "seen running, but not in the topology".into()
                } else {
                    format!("seen, not in the topology ({})", reason(r))
                },
                about: DriftAbout::Check(result_key(r)),
                since: None,
            }),
        }
    }
    let window_now = |s: usize, h: Option<usize>| {
        let svc = &fleet.services[s];
        crate::model::maintenance::around(
            &svc.maintenance,
            svc.hosts.len() > 1,
            h,
            now,
            chrono::TimeDelta::days(1),
        )
        .map(|(o, open)| crate::analyze::status::WindowNow {
            start: o.start,
            end: o.end,
            open,
            today: now.date_naive(),
        })
    };
    for ((s, h), results) in &per_host {
        let hist = host_history.remove(&(*s, *h)).unwrap_or_default();
        let mut st = status_of(results, hist, now, stale_limit);
        st.window = window_now(*s, Some(*h));
        obs.on_host.insert((*s, *h), st);
    }
    for (i, svc) in fleet.services.iter().enumerate() {
        let results = &per_service[i];
        let hist = std::mem::take(&mut history[i]);
        let mut st = status_of(results, hist, now, stale_limit);
        st.window = window_now(i, None);
        if st.checked.is_none() && probeable(svc) && health_snapshots > 0 {
            obs.drift.push(Drift {
                kind: DriftKind::NeverObserved,
                subject: format!("{} ({})", svc.name, svc.id),
                detail: "declared in the topology; no probe result matches it".into(),
                about: DriftAbout::Service(i),
                since: None,
            });
        }
        if st.health == Health::Down {
            obs.drift.push(Drift {
                kind: DriftKind::Down,
                subject: format!("{} ({})", svc.name, svc.id),
                detail: st.detail.clone().unwrap_or_default(),
                about: DriftAbout::Service(i),
                since: None,
            });
        }
        obs.services[i] = st;
    }
    obs.drift
        .sort_by(|a, b| (a.kind.as_str(), &a.subject).cmp(&(b.kind.as_str(), &b.subject)));
    obs
}

/// With a history store, a service's uptime covers the store's last
/// [`UPTIME_DAYS`](crate::load::history::UPTIME_DAYS) (its hourly aggregates) plus the
/// snapshot files the store does not hold, instead of only the snapshots read.
pub fn stored_uptime(
    obs: &mut Observed,
    fleet: &Fleet,
    snapshots: &[LoadedSnapshot],
    history: &crate::load::history::History,
) {
    let mut counts: Vec<(u64, u64)> = fleet
        .services
        .iter()
        .map(|s| {
            history
                .uptime
                .get(s.id.as_str())
                .map_or((0, 0), |c| (c.seen, c.ok))
        })
        .collect();
    let matcher = Matcher::new(fleet);
    for snap in snapshots.iter().filter(|s| !s.stored) {
        let mut seen: BTreeMap<usize, bool> = BTreeMap::new();
        for r in snap
            .snapshot
            .results
            .iter()
            .filter(|r| !r.check.is_discovery())
        {
            let at = r.checked_at.unwrap_or(snap.snapshot.taken_at);
            if let Some(s) = matcher.service(r).filter(|&s| !in_window(fleet, s, r, at)) {
                *seen.entry(s).or_insert(true) &= r.ok;
            }
        }
        for (s, ok) in seen {
            counts[s].0 += 1;
            counts[s].1 += ok as u64;
        }
    }
    for (st, (seen, ok)) in obs.services.iter_mut().zip(counts) {
        st.uptime = (seen > 0).then(|| ok as f64 / seen as f64);
    }
}

/// A service's status from its current results and its history (ok or not per snapshot).
fn status_of(
    results: &Timed,
    hist: Vec<bool>,
    now: DateTime<Utc>,
    stale_limit: chrono::Duration,
) -> ServiceStatus {
    let mut st = ServiceStatus::default();
    if !hist.is_empty() {
        st.uptime = Some(hist.iter().filter(|b| **b).count() as f64 / hist.len() as f64);
    }
    st.history = hist;
    if let Some(newest) = results.iter().map(|(t, _, _)| *t).max() {
        st.checked = Some(newest);
        st.stale = now - newest > stale_limit;
        // Up only when every current check is ok; down wins over pending, pending over
        // maintenance. The detail names the first check in that state.
        let rank = |h: Health| match h {
            Health::Down => 0,
            Health::Pending => 1,
            Health::Maintenance => 2,
            _ => 3,
        };
        let worst = results
            .iter()
            .map(|(_, r, w)| (health_of(r, w.is_some()), *r, *w))
            .filter(|(h, _, _)| *h != Health::Up)
            .min_by_key(|(h, _, _)| rank(*h));
        st.health = worst.map_or(Health::Up, |(h, _, _)| h);
        if let Some((_, r, w)) = worst {
            st.detail = Some(match w.filter(|_| !r.pending() && !r.in_maintenance()) {
                // A failure inside a declared window: the window, not the error.
                Some(w) => {
                    let what = match &w.note {
                        Some(n) => format!("in a maintenance window ({}: {n})", w.when.describe()),
                        None => format!("in a maintenance window ({})", w.when.describe()),
                    };
                    match &r.name {
                        Some(n) => format!("{n}: {what}"),
                        None => what,
                    }
                }
                None => why(r),
            });
            st.failed_check = r.name.clone();
        }
        st.cert_days = results
            .iter()
            .filter_map(|(_, r, _)| r.tls_expires)
            .min()
            .map(|exp| {
                let left = exp - now;
                if left < chrono::Duration::zero() {
                    left.num_days().min(-1)
                } else {
                    left.num_days()
                }
            });
    }
    st
}

#[cfg(test)]
mod tests {
    use super::url_host;

    #[test]
    fn url_hosts() {
        assert_eq!(
            url_host("https://Forge.example.com/").as_deref(),
            Some("forge.example.com")
        );
        assert_eq!(
            url_host("http://relay.example.com:8080/x?y").as_deref(),
            Some("relay.example.com")
        );
    }
}
