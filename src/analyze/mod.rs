//! The analyze stage: facts derived from the validated fleet (and, with probes, its
//! observed status). Pure functions of the model; the render stage only displays them.

pub mod availability;
pub mod discovered;
pub mod drift_dates;
pub mod incidents;
pub mod observe;
pub mod public;
pub mod reachability;
pub mod redundancy;
pub mod status;
pub mod uptime_bars;

use crate::model::Fleet;

/// Everything derived from one fleet.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub spofs: Vec<redundancy::Spof>,
    pub routes: Vec<reachability::Route>,
    pub observed: status::Observed,
    /// Incidents by service (empty until [`incidents::ByService::new`] fills it).
    pub incidents: incidents::ByService,
    /// Availability per month (empty until [`availability::availability`] fills it).
    pub availability: availability::Availability,
}

pub fn analyze(fleet: &Fleet) -> Analysis {
    Analysis {
        spofs: redundancy::single_points_of_failure(fleet),
        routes: reachability::routes(fleet),
        observed: status::Observed::none(fleet.services.len()),
        incidents: incidents::ByService::default(),
        availability: availability::Availability::default(),
    }
}

/// The observed status from the probe snapshots.
pub fn observe(
    fleet: &Fleet,
    inputs: &crate::load::Inputs,
    now: chrono::DateTime<chrono::Utc>,
) -> status::Observed {
    let mut obs = observe::observe(fleet, &inputs.snapshots, now, inputs.settings.stale_after);
    if let Some(h) = &inputs.history {
        observe::stored_uptime(&mut obs, fleet, &inputs.snapshots, h);
    }
    obs.uptime_bars =
        uptime_bars::uptime_bars(fleet, &inputs.snapshots, inputs.history.as_ref(), now);
    drift_dates::date(
        &mut obs.drift,
        fleet,
        &inputs.snapshots,
        inputs.history.as_ref(),
    );
    obs
}
