//! Words for the redundancy table's mitigations: declared ones as written, a backup timer
//! with its schedule and its last run as the probes observed it, a host's rebuild source.

use crate::analyze::redundancy::{Mitigation, Spof};
use crate::analyze::status::Health;
use crate::analyze::Analysis;
use crate::model::Fleet;

/// One mitigation in words: "backed up by restic backup (daily); last run observed
/// 2026-04-06 09:00 UTC, ok".
pub fn mitigation_text(fleet: &Fleet, an: &Analysis, m: &Mitigation) -> String {
    match m {
        Mitigation::Declared(text) => text.clone(),
        Mitigation::Rebuild(from) => format!("rebuild from {from}"),
        Mitigation::Backup(t) => {
            let timer = &fleet.services[*t];
            let schedule = timer
                .schedule
                .as_ref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            let st = &an.observed.services[*t];
            let run = match (st.checked, st.health) {
                (Some(at), h) if h != Health::Unknown => format!(
                    "; last observed {} UTC, {}{}",
                    at.format("%Y-%m-%d %H:%M"),
                    if h == Health::Up { "ok" } else { "failing" },
                    if st.stale { " (stale)" } else { "" }
                ),
                _ => "; no run observed by the probes".into(),
            };
            format!("backed up by {}{schedule}{run}", timer.name)
        }
    }
}

/// Every mitigation of a single point of failure, or "none declared".
pub fn mitigations_text(fleet: &Fleet, an: &Analysis, spof: &Spof) -> String {
    if spof.mitigations.is_empty() {
        return "none declared".into();
    }
    spof.mitigations
        .iter()
        .map(|m| mitigation_text(fleet, an, m))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The count line above a whole-fleet redundancy table ("Single points of failure: 4 ...").
pub fn spof_summary(
    spec: &crate::model::columns::TableSpec,
    host: Option<usize>,
    ctx: &crate::render::Ctx,
) -> Option<String> {
    (matches!(spec, crate::model::columns::TableSpec::Redundancy(_)) && host.is_none())
        .then(|| crate::analyze::redundancy::summary(ctx.fleet, &ctx.an.spofs))
}
