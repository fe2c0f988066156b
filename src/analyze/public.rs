//! The public profile of the analysis: what the probes saw, without what only operators
//! should read. Status stays (up, down, stale, when, uptime); probe targets, probe error
//! texts and results for undeclared targets are left out. The derived facts are worked out
//! again from the public fleet, so they name things as it does.

use crate::analyze::status::{Drift, DriftAbout, DriftKind};
use crate::analyze::Analysis;
use crate::model::Fleet;

impl Analysis {
    /// The analysis of the public site, whose fleet is `fleet` (the public fleet: same hosts
    /// and services, redacted). Returns what was left out, one line each.
    pub fn into_public(self, fleet: &Fleet) -> (Analysis, Vec<String>) {
        let mut notes = Vec::new();
        let mut observed = self.observed;
        for st in observed
            .services
            .iter_mut()
            .chain(observed.on_host.values_mut())
        {
            st.detail = None;
            st.failed_check = None;
        }
        let undeclared = observed
            .drift
            .iter()
            .filter(|d| d.kind == DriftKind::Undeclared)
            .count();
        observed.drift.retain(|d| d.kind != DriftKind::Undeclared);
        for d in &mut observed.drift {
            if d.kind == DriftKind::Down {
                d.detail = "observed down".into();
            }
        }
        if undeclared > 0 {
            notes.push(format!(
                "left out: {undeclared} probe results for targets not in the topology"
            ));
            observed.drift.push(Drift {
                kind: DriftKind::Undeclared,
                subject: format!("{undeclared} probe targets"),
                detail: "not listed in the public profile".into(),
                about: DriftAbout::Summary,
                since: None,
            });
        }
        // Maintenance windows of public services only.
        for (i, st) in observed.services.iter_mut().enumerate() {
            if fleet.services.get(i).is_none_or(|s| s.public.is_none()) {
                st.window = None;
            }
        }
        for ((i, _), st) in observed.on_host.iter_mut() {
            if fleet.services.get(*i).is_none_or(|s| s.public.is_none()) {
                st.window = None;
            }
        }
        // Uptime bars, like availability, only for services with a public hostname.
        for (bars, svc) in observed.uptime_bars.iter_mut().zip(&fleet.services) {
            if svc.public.is_none() {
                bars.clear();
            }
        }
        notes.push("left out: probe targets and probe error texts".into());
        let mut an = crate::analyze::analyze(fleet);
        an.observed = observed;
        (an, notes)
    }
}
