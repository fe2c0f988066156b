//! The probe-backed views: the status and drift tables, the sparkline and the one-line
//! status summary ("9 / 9 public surfaces healthy at ..."), each saying when it was measured,
//! how old that is when it is stale, and saying so plainly when there is no data.

use crate::analyze::status::Health;
use crate::analyze::Analysis;
use crate::model::columns::{Column, DriftCol, StatusCol};
use crate::model::Fleet;
use crate::render::fleet_tables::host_href;
use crate::render::tables::{Cell, Table};

pub const NO_DATA: &str =
    "No probe data yet: run `fleetdoc probe` or add snapshots to the probes folder.";

/// `table: status`: one row per service, and per host for a replicated service (each
/// host's own results when the probes name the host).
pub fn status(cols: &[StatusCol], host: Option<usize>, fleet: &Fleet, an: &Analysis) -> Table {
    let obs = &an.observed;
    let mut rows = Vec::new();
    // Without a detail column, the status itself names the check that is not up.
    let with_detail = cols.contains(&StatusCol::Detail);
    if obs.has_data() {
        let services: Box<dyn Iterator<Item = (usize, &crate::model::Service)>> = match host {
            Some(h) => Box::new(fleet.services_on(h)),
            None => Box::new(fleet.services.iter().enumerate()),
        };
        for (i, s) in services {
            for &h in s.hosts.iter().filter(|h| host.is_none_or(|x| x == **h)) {
                let st = obs.service_on(i, h);
                rows.push(
                    cols.iter()
                        .map(|c| match c {
                            StatusCol::Service => Cell::text(s.name.clone()).with_incident(
                                // The incident of the hour measured, else an open one.
                                st.checked
                                    .and_then(|t| an.incidents.at(i, t))
                                    .or(an.incidents.open(i)),
                            ),
                            StatusCol::Host => {
                                Cell::link(fleet.hosts[h].name.clone(), host_href(fleet, h))
                            }
                            StatusCol::Status => Cell {
                                after: st.window.map(|w| w.text()),
                                ..Cell::badge(
                                    if with_detail {
                                        st.label()
                                    } else {
                                        st.label_with_check()
                                    },
                                    st.shown().as_str(),
                                )
                            },
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
                            StatusCol::UptimeBars => uptime_bars_cell(&s.name, obs, i),
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
        row_ids: Vec::new(),
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
        row_ids: Vec::new(),
    }
}

/// The uptime bars of service `i` over its four spans; the GFM table gets the figures.
fn uptime_bars_cell(name: &str, obs: &crate::analyze::status::Observed, i: usize) -> Cell {
    // None for a service without a public hostname in the public profile.
    let Some(spans) = obs.uptime_bars.get(i).filter(|b| !b.is_empty()) else {
        return Cell::default();
    };
    let figures: Vec<String> = crate::render::uptime_bars::views(name, spans)
        .into_iter()
        .map(|v| format!("{} {}", v.label, v.uptime.as_deref().unwrap_or("no data")))
        .collect();
    Cell {
        svg: Some(crate::render::uptime_bars::cell_html(name, spans)),
        gfm: Some(figures.join(", ")),
        ..Cell::default()
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

/// What the summary line says, for coloring it: down (one or more public surfaces measured
/// down, however old), stale (the data is old, or some surfaces have only old results), up
/// (every public surface measured up, recently) or unknown (no probe data, or surfaces never
/// measured). `as_str()` gives the CSS class.
pub fn summary_health(fleet: &Fleet, an: &Analysis) -> Health {
    let obs = &an.observed;
    if !obs.has_data() {
        return Health::Unknown;
    }
    let public = || (0..fleet.services.len()).filter(|&i| fleet.services[i].public.is_some());
    let any_down = obs.services.iter().any(|s| s.health == Health::Down);
    if any_down {
        return Health::Down;
    }
    if public().count() == 0 {
        let all = || obs.services.iter();
        return if obs.stale || all().any(|s| s.stale) {
            Health::Stale
        } else if all().all(|s| s.health == Health::Up) {
            Health::Up
        } else {
            Health::Unknown
        };
    }
    let any_public = |h: Health| public().any(|i| obs.services[i].health == h);
    if any_public(Health::Down) {
        Health::Down
    } else if any_public(Health::Pending) {
        Health::Pending
    } else if any_public(Health::Maintenance) {
        Health::Maintenance
    } else if obs.stale || public().any(|i| obs.services[i].stale) {
        Health::Stale
    } else if public().all(|i| obs.services[i].health == Health::Up) {
        Health::Up
    } else {
        Health::Unknown
    }
}

/// "6 / 6 public surfaces healthy at 2026-04-06 09:00 UTC - stale: 238 days old (stale
/// after 30 min)", counted over services with a public hostname. Stale is not unhealthy:
/// the count is what was last measured, and the age says how much to trust it. Down and
/// never-measured surfaces are named as such, and so are down services without a public
/// hostname ("; 2 other services down"); a fleet without public hostnames counts every
/// service ("3 of 6 services down"); a clear sentence when there is no data.
pub fn summary(fleet: &Fleet, an: &Analysis) -> String {
    let obs = &an.observed;
    if !obs.has_data() {
        return "No probe data yet: public surface health is unknown.".into();
    }
    let public: Vec<&crate::analyze::status::ServiceStatus> = (0..fleet.services.len())
        .filter(|&i| fleet.services[i].public.is_some())
        .map(|i| &obs.services[i])
        .collect();
    let count = |h: Health| public.iter().filter(|s| s.health == h).count();
    let (up, down, unknown) = (
        count(Health::Up),
        count(Health::Down),
        count(Health::Unknown),
    );
    let when = obs
        .taken
        .map(|t| format!(" at {}", t.format("%Y-%m-%d %H:%M UTC")))
        .unwrap_or_default();
    let all = &obs.services;
    let all_down = all.iter().filter(|s| s.health == Health::Down).count();
    let mut s = if public.is_empty() {
        // No public hostnames: count every service, so that down ones are never hidden
        // behind "0 / 0 public surfaces healthy".
        let total = all.len();
        let all_unknown = all.iter().filter(|s| s.health == Health::Unknown).count();
        let mut s = if all_down > 0 {
            format!("{all_down} of {total} services down{when}")
        } else {
            let up = all.iter().filter(|s| s.health == Health::Up).count();
            format!("{up} of {total} services up{when}")
        };
        for (h, words) in [
            (Health::Pending, "pending"),
            (Health::Maintenance, "in maintenance"),
        ] {
            let n = all.iter().filter(|s| s.health == h).count();
            if n > 0 {
                s.push_str(&format!(", {n} {words}"));
            }
        }
        if all_unknown > 0 {
            s.push_str(&format!(", {all_unknown} never measured"));
        }
        s
    } else {
        let mut s = format!("{up} / {} public surfaces healthy{when}", public.len());
        if down > 0 {
            s.push_str(&format!(", {down} down"));
        }
        let pending = count(Health::Pending);
        if pending > 0 {
            s.push_str(&format!(", {pending} pending"));
        }
        let maintenance = count(Health::Maintenance);
        if maintenance > 0 {
            s.push_str(&format!(", {maintenance} in maintenance"));
        }
        if unknown > 0 {
            s.push_str(&format!(", {unknown} never measured"));
        }
        // Services without a public hostname that are down are named too.
        let other_down = all_down - down;
        if other_down > 0 {
            s.push_str(&format!(
                "; {other_down} other {} down",
                if other_down == 1 {
                    "service"
                } else {
                    "services"
                }
            ));
        }
        s
    };
    if obs.stale {
        let age = obs.age.map(age_text).unwrap_or_default();
        s.push_str(&format!(
            " - stale: {age} old (stale after {})",
            duration_text(obs.stale_after)
        ));
    } else {
        let stale = public
            .iter()
            .filter(|s| s.stale && s.health != Health::Unknown)
            .count();
        if stale > 0 {
            s.push_str(&format!(
                " - {stale} with only results older than {}",
                duration_text(obs.stale_after)
            ));
        }
    }
    s
}

/// An age in the largest whole unit that fits: "45 min", "5 h", "1 day", "238 days".
pub fn age_text(d: chrono::Duration) -> String {
    let m = d.num_minutes().max(0);
    match m {
        0..60 => format!("{m} min"),
        60..1440 => format!("{} h", m / 60),
        1440..2880 => "1 day".into(),
        _ => format!("{} days", m / 1440),
    }
}

/// `stale_after` in words: "30 min", "2 h", "1 day", "90 s".
pub fn duration_text(d: std::time::Duration) -> String {
    let secs = d.as_secs();
    if secs < 60 || secs % 60 != 0 {
        return format!("{secs} s");
    }
    age_text(chrono::Duration::seconds(secs as i64))
}

#[cfg(test)]
mod tests {
    use super::{age_text, duration_text};

    #[test]
    fn ages_read_in_words() {
        assert_eq!(age_text(chrono::Duration::minutes(45)), "45 min");
        assert_eq!(age_text(chrono::Duration::hours(5)), "5 h");
        assert_eq!(age_text(chrono::Duration::hours(30)), "1 day");
        assert_eq!(age_text(chrono::Duration::days(238)), "238 days");
        assert_eq!(
            duration_text(std::time::Duration::from_secs(1800)),
            "30 min"
        );
        assert_eq!(duration_text(std::time::Duration::from_secs(90)), "90 s");
    }
}
