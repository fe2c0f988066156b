//! Availability per month against a target: for each service, the last
//! [`AVAILABILITY_MONTHS`] calendar months (UTC), each with how many snapshots saw the
//! service and in how many it was ok, counted from the history store's daily aggregates
//! and the snapshot files it does not hold. A month without any snapshot has no data (it
//! is never 100%). Downtime is the failed share of the time the month has data for (its
//! days with snapshots, today up to now); the error budget is the target's allowance over
//! the whole month. See docs/availability.md.

use crate::analyze::observe::Matcher;
use crate::base::slo::Slo;
use crate::load::history::{availability_start, AVAILABILITY_MONTHS};
use crate::model::Fleet;
use chrono::{DateTime, Datelike, Months, NaiveDate, TimeDelta, Utc};
use std::collections::BTreeMap;

/// One month of one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Month {
    /// Its first day.
    pub start: NaiveDate,
    /// Snapshots that saw the service.
    pub seen: u64,
    /// Of those, snapshots in which it was ok.
    pub ok: u64,
    /// Minutes of the month covered by days with data (today: up to now).
    pub covered_min: i64,
    /// Minutes in the whole month.
    pub length_min: i64,
}

impl Month {
    /// Share of ok snapshots, 0.0-1.0; `None` without data.
    pub fn availability(&self) -> Option<f64> {
        (self.seen > 0).then(|| self.ok as f64 / self.seen as f64)
    }

    /// Estimated minutes down: the failed share of the covered time.
    pub fn downtime_min(&self) -> Option<i64> {
        let a = self.availability()?;
        Some(((1.0 - a) * self.covered_min as f64).round() as i64)
    }

    /// The minutes down the target allows over the whole month.
    pub fn budget_min(&self, slo: Slo) -> i64 {
        ((1.0 - slo.ratio()) * self.length_min as f64).round() as i64
    }

    /// Whether the month met the target; `None` without data.
    pub fn met(&self, slo: Slo) -> Option<bool> {
        // Compared in whole thousandths of a percent, as the target is written.
        self.availability()
            .map(|a| (a * 100_000.0).round() as i64 >= i64::from(slo.0))
    }

    /// The first day after the month.
    pub fn end(&self) -> NaiveDate {
        self.start + Months::new(1)
    }
}

/// One service's months, newest first, and its target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ServiceMonths {
    pub slo: Option<Slo>,
    pub months: Vec<Month>,
}

/// Availability of every service, indexed like `Fleet::services`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Availability {
    pub services: Vec<ServiceMonths>,
}

/// Per service, its days with (seen, ok) counts: the store's daily aggregates plus the
/// snapshot files it does not hold, from the first day of the oldest month shown.
fn days(
    fleet: &Fleet,
    inputs: &crate::load::Inputs,
    from: NaiveDate,
) -> Vec<BTreeMap<NaiveDate, (u64, u64)>> {
    let mut out = vec![BTreeMap::new(); fleet.services.len()];
    if let Some(h) = &inputs.history {
        for (i, s) in fleet.services.iter().enumerate() {
            for (day, c) in h.daily.get(s.id.as_str()).into_iter().flatten() {
                let e = out[i].entry(*day).or_insert((0, 0));
                e.0 += c.seen;
                e.1 += c.ok;
            }
        }
    }
    let matcher = Matcher::new(fleet);
    for snap in inputs.snapshots.iter().filter(|s| !s.stored) {
        let day = snap.snapshot.taken_at.date_naive();
        if day < from {
            continue;
        }
        let mut seen: BTreeMap<usize, bool> = BTreeMap::new();
        for r in snap
            .snapshot
            .results
            .iter()
            .filter(|r| !r.check.is_discovery())
        {
            // Maintenance, reported by a monitor or inside a declared window, is not counted.
            let at = r.checked_at.unwrap_or(snap.snapshot.taken_at);
            if let Some(s) = matcher
                .service(r)
                .filter(|&s| !crate::analyze::observe::in_window(fleet, s, r, at))
            {
                *seen.entry(s).or_insert(true) &= r.ok;
            }
        }
        for (s, ok) in seen {
            let e = out[s].entry(day).or_insert((0, 0));
            e.0 += 1;
            e.1 += ok as u64;
        }
    }
    out
}

fn minutes(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_minutes()
}

/// The months of every service at `now`, with each service's target (its own `slo:`, else
/// `default`).
pub fn availability(
    fleet: &Fleet,
    inputs: &crate::load::Inputs,
    default: Option<Slo>,
    now: DateTime<Utc>,
) -> Availability {
    let start = availability_start(now);
    let today = now.date_naive();
    let by_day = days(fleet, inputs, start);
    let services = fleet
        .services
        .iter()
        .zip(by_day)
        .map(|(s, days)| {
            let months = (0..AVAILABILITY_MONTHS)
                .rev()
                .map(|k| {
                    let first = start + Months::new(k);
                    let next = first + Months::new(1);
                    let (mut seen, mut ok, mut covered) = (0, 0, 0);
                    for (day, (s, o)) in days.range(first..next) {
                        seen += s;
                        ok += o;
                        covered += if *day == today {
                            (now - day.and_time(chrono::NaiveTime::MIN).and_utc()).num_minutes()
                        } else if *day < today {
                            TimeDelta::days(1).num_minutes()
                        } else {
                            0
                        };
                    }
                    Month {
                        start: first,
                        seen,
                        ok,
                        covered_min: covered,
                        length_min: minutes(first, next),
                    }
                })
                .collect();
            ServiceMonths {
                slo: s.slo.or(default),
                months,
            }
        })
        .collect();
    Availability { services }
}

/// The month `now` is in, as its first day.
pub fn this_month(now: DateTime<Utc>) -> NaiveDate {
    now.date_naive().with_day(1).unwrap_or(now.date_naive())
}
