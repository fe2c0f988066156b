//! The probe-backed views: the status and drift tables, the sparkline and the one-line
//! status summary ("9 / 9 public surfaces healthy"), each saying when it was measured and
//! saying so plainly when there is no data.

use crate::analyze::status::Health;
use crate::analyze::Analysis;
use crate::model::columns::{Column, DriftCol, StatusCol};
use crate::model::Fleet;
use crate::render::fleet_tables::{health_badge, host_href};
use crate::render::tables::{Cell, Table};

pub const NO_DATA: &str =
    "No probe data yet: run `fleetdoc probe` or add snapshots to the probes folder.";

/// `table: status`: one row per service, and per host for a replicated service (each
/// host's own results when the probes name the host).
pub fn status(cols: &[StatusCol], host: Option<usize>, fleet: &Fleet, an: &Analysis) -> Table {
    let obs = &an.observed;
    let mut rows = Vec::new();
    if obs.has_data() {
        for (i, s) in fleet.services.iter().enumerate() {
            for &h in s.hosts.iter().filter(|h| host.is_none_or(|x| x == **h)) {
                let st = obs.service_on(i, h);
                rows.push(
                    cols.iter()
                        .map(|c| match c {
                            StatusCol::Service => Cell::text(s.name.clone()),
                            StatusCol::Host => {
                                Cell::link(fleet.hosts[h].name.clone(), host_href(fleet, h))
                            }
                            StatusCol::Status => health_badge(st.health),
                            StatusCol::Checked => Cell::text(
                                st.checked
                                    .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                                    .unwrap_or_default(),
                            ),
                            StatusCol::Uptime => Cell::text(
                                st.uptime
                                    .map(|u| format!("{:.0}%", u * 100.0))
                                    .unwrap_or_default(),
                            ),
                            StatusCol::History => Cell {
                                svg: sparkline(&st.history),
                                ..Cell::default()
                            },
                            StatusCol::Certificate => cert_cell(st.cert_days),
                            StatusCol::Detail => Cell::text(st.detail.clone().unwrap_or_default()),
                        })
                        .collect(),
                );
            }
        }
    }
    let empty = if !obs.has_data() {
        NO_DATA.to_string()
    } else {
        "No services to show.".into()
    };
    Table {
        class: "table-status".into(),
        headers: cols.iter().map(|c| c.header().to_string()).collect(),
        rows,
        empty,
    }
}

/// `table: drift`: what is declared but not observed, observed but not declared, or down.
pub fn drift(cols: &[DriftCol], an: &Analysis) -> Table {
    let obs = &an.observed;
    // Drift from discovery snapshots shows even before any probe measured health.
    let rows = if obs.has_data() || !obs.drift.is_empty() {
        obs.drift
            .iter()
            .map(|d| {
                cols.iter()
                    .map(|c| match c {
                        DriftCol::Kind => Cell::text(d.kind.as_str()),
                        DriftCol::Subject => Cell::text(d.subject.clone()),
                        DriftCol::Detail => Cell::text(d.detail.clone()),
                    })
                    .collect()
            })
            .collect()
    } else {
        Vec::new()
    };
    let empty = if !obs.has_data() {
        NO_DATA.to_string()
    } else {
        "No drift: everything declared was observed up, and nothing undeclared was seen.".into()
    };
    Table {
        class: "table-drift".into(),
        headers: cols.iter().map(|c| c.header().to_string()).collect(),
        rows,
        empty,
    }
}

fn cert_cell(days: Option<i64>) -> Cell {
    match days {
        None => Cell::default(),
        Some(d) if d < 0 => Cell::badge("expired", "down"),
        Some(d) if d < 14 => Cell::badge(format!("{d} days left"), "warn"),
        Some(d) => Cell::text(format!("{d} days")),
    }
}

/// A small inline SVG bar chart of ok / not ok over the snapshots, oldest first.
pub fn sparkline(history: &[bool]) -> Option<String> {
    if history.is_empty() {
        return None;
    }
    let tail = &history[history.len().saturating_sub(48)..];
    let w = tail.len() * 4;
    let mut s = format!(
        "<svg class=\"spark\" width=\"{w}\" height=\"14\" viewBox=\"0 0 {w} 14\" role=\"img\" aria-label=\"{} of {} checks ok\">",
        tail.iter().filter(|b| **b).count(),
        tail.len()
    );
    for (i, ok) in tail.iter().enumerate() {
        let (y, h, class) = if *ok { (2, 12, "ok") } else { (8, 6, "fail") };
        s.push_str(&format!(
            "<rect class=\"{class}\" x=\"{}\" y=\"{y}\" width=\"3\" height=\"{h}\"/>",
            i * 4
        ));
    }
    s.push_str("</svg>");
    Some(s)
}

/// "9 / 9 public surfaces healthy (measured 2026-04-06 09:00 UTC)", counted over services
/// with a public hostname; a clear sentence when there is no data.
/// What the summary line says, for coloring it: up (every public surface healthy, data
/// fresh), down (one or more down), stale (old data, or some surfaces without fresh
/// results) or unknown (no probe data). `as_str()` gives the CSS class.
pub fn summary_health(fleet: &Fleet, an: &Analysis) -> Health {
    let obs = &an.observed;
    if !obs.has_data() {
        return Health::Unknown;
    }
    if obs.stale {
        return Health::Stale;
    }
    let public = || (0..fleet.services.len()).filter(|&i| fleet.services[i].public.is_some());
    if public().any(|i| obs.services[i].health == Health::Down) {
        Health::Down
    } else if public().all(|i| obs.services[i].health == Health::Up) {
        Health::Up
    } else {
        Health::Stale
    }
}

pub fn summary(fleet: &Fleet, an: &Analysis) -> String {
    let obs = &an.observed;
    if !obs.has_data() {
        return "No probe data yet: public surface health is unknown.".into();
    }
    let public: Vec<usize> = (0..fleet.services.len())
        .filter(|&i| fleet.services[i].public.is_some())
        .collect();
    let up = public
        .iter()
        .filter(|&&i| obs.services[i].health == Health::Up)
        .count();
    let stale = public
        .iter()
        .filter(|&&i| obs.services[i].health == Health::Stale)
        .count();
    let when = obs
        .taken
        .map(|t| format!(" (measured {})", t.format("%Y-%m-%d %H:%M UTC")))
        .unwrap_or_default();
    let mut s = format!("{up} / {} public surfaces healthy{when}", public.len());
    if obs.stale {
        s.push_str(" - stale: no snapshot is newer than the stale_after limit");
    } else if stale > 0 {
        s.push_str(&format!("; {stale} stale"));
    }
    s
}
