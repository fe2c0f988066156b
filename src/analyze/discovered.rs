//! Drift from discovery snapshots (written by `fleetdoc discover --out`): routes,
//! containers and units that run but are not declared, that are declared but do not run,
//! or that differ from the topology. Only the newest discovery snapshot of each probe
//! counts, so fixing the topology and discovering again clears what was fixed. Discovery
//! results never change a service's health or uptime.

use crate::analyze::status::{Drift, DriftAbout, DriftKind};
use crate::load::probes::LoadedSnapshot;
use std::collections::BTreeMap;

/// How a discovered item compares with the topology, as written in a result's `state`.
pub fn kind_of(state: Option<&str>) -> Option<DriftKind> {
    match state? {
        "undeclared" => Some(DriftKind::Undeclared),
        "missing" => Some(DriftKind::NeverObserved),
        "differs" | "rejected" => Some(DriftKind::Differs),
        _ => None,
    }
}

pub fn drift(snapshots: &[LoadedSnapshot]) -> Vec<Drift> {
    // Newest discovery snapshot per probe name (snapshots are ordered oldest first).
    let mut newest: BTreeMap<&str, &LoadedSnapshot> = BTreeMap::new();
    for s in snapshots {
        if s.snapshot.results.iter().any(|r| r.check.is_discovery()) {
            newest.insert(s.snapshot.probe.as_str(), s);
        }
    }
    let mut out = Vec::new();
    for snap in newest.values() {
        let when = snap.snapshot.taken_at.format("%Y-%m-%d %H:%M UTC");
        for r in &snap.snapshot.results {
            if !r.check.is_discovery() || r.ok {
                continue;
            }
            let Some(kind) = kind_of(r.state.as_deref()) else {
                continue;
            };
            let subject = match &r.host {
                Some(h) => format!("{} {} on {h}", r.check, r.target),
                None => format!("{} {}", r.check, r.target),
            };
            let what = r.error.clone().unwrap_or_default();
            out.push(Drift {
                kind,
                subject,
                detail: format!("{what} (discovered {when})")
                    .trim_start()
                    .to_string(),
                about: DriftAbout::Check(fleetdoc_probe::store::result_key(r)),
                since: None,
            });
        }
    }
    out
}
