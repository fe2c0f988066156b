//! Uptime over the last 24 hours, 7 days, 30 days and 90 days, per service, as bars: each
//! span cut into slots (an hour, six hours, a day, three days), each slot counting the
//! snapshots that saw the service and those in which it was ok. The 24 h and 7 d spans
//! come from the history store's hourly aggregates, the 30 d and 90 d spans from its daily
//! ones (UTC days), and all from the snapshot files the store does not hold. A slot no snapshot saw has no data; it is
//! never counted as up. Results in a monitor's maintenance window are left out, as the
//! store's aggregates leave them out. See docs/availability.md ("Uptime bars").

use crate::analyze::observe::Matcher;
use crate::load::probes::LoadedSnapshot;
use crate::model::Fleet;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use std::collections::BTreeMap;

/// One of the spans shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    Day,
    Week,
    Month,
    Quarter,
}

impl Span {
    pub const ALL: [Span; 4] = [Span::Day, Span::Week, Span::Month, Span::Quarter];

    /// Its short name: `24 h`, `7 d`, `30 d`, `90 d`.
    pub fn label(self) -> &'static str {
        match self {
            Span::Day => "24 h",
            Span::Week => "7 d",
            Span::Month => "30 d",
            Span::Quarter => "90 d",
        }
    }

    /// In words: `last 24 hours` ...
    pub fn words(self) -> &'static str {
        match self {
            Span::Day => "last 24 hours",
            Span::Week => "last 7 days",
            Span::Month => "last 30 days",
            Span::Quarter => "last 90 days",
        }
    }

    /// How many slots, and the hours in each.
    pub fn slots(self) -> (usize, i64) {
        match self {
            Span::Day => (24, 1),
            Span::Week => (28, 6),
            Span::Month => (30, 24),
            Span::Quarter => (30, 72),
        }
    }
}

/// What one slot shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlotState {
    /// Every snapshot that saw the service found it up.
    Up,
    /// Some did, some did not.
    Partial,
    /// None did.
    Down,
    /// No snapshot saw the service.
    NoData,
    /// No result was counted, and one of the service's maintenance windows covers the whole
    /// slot: the results inside it are left out, so this is planned time, not missing data.
    Maintenance,
}

impl SlotState {
    pub fn as_str(self) -> &'static str {
        match self {
            SlotState::Up => "up",
            SlotState::Partial => "partial",
            SlotState::Down => "down",
            SlotState::NoData => "none",
            SlotState::Maintenance => "maint",
        }
    }
}

/// One slot of a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Snapshots that saw the service.
    pub seen: u64,
    /// Of those, snapshots in which it was ok.
    pub ok: u64,
    /// Whether one of the service's maintenance windows covers the whole slot.
    pub window: bool,
}

impl Slot {
    pub fn state(&self) -> SlotState {
        match (self.seen, self.ok) {
            (0, _) if self.window => SlotState::Maintenance,
            (0, _) => SlotState::NoData,
            (s, o) if o == s => SlotState::Up,
            (_, 0) => SlotState::Down,
            _ => SlotState::Partial,
        }
    }
}

/// One span of one service: its slots, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SpanBars {
    pub span: Span,
    pub slots: Vec<Slot>,
}

impl SpanBars {
    /// The share of ok snapshots over the span, 0.0-1.0; `None` without data.
    pub fn uptime(&self) -> Option<f64> {
        let (seen, ok) = self
            .slots
            .iter()
            .fold((0, 0), |(s, o), x| (s + x.seen, o + x.ok));
        (seen > 0).then(|| ok as f64 / seen as f64)
    }

    /// How many slots are in `state`.
    pub fn count(&self, state: SlotState) -> usize {
        self.slots.iter().filter(|s| s.state() == state).count()
    }
}

/// Every span of every service, indexed like `Fleet::services`, each in [`Span::ALL`]'s
/// order; empty for a service without bars (no probe data at all, or a service without a
/// public hostname in the public profile).
pub type UptimeBars = Vec<Vec<SpanBars>>;

/// Per service, (seen, ok) by hour start and by day.
type Counted = (
    Vec<BTreeMap<DateTime<Utc>, (u64, u64)>>,
    Vec<BTreeMap<NaiveDate, (u64, u64)>>,
);

fn add(e: &mut (u64, u64), seen: u64, ok: u64) {
    e.0 += seen;
    e.1 += ok;
}

fn hour_of(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp().div_euclid(3600) * 3600, 0).unwrap_or(t)
}

/// The store's hourly and daily aggregates plus the snapshot files it does not hold.
fn counted(
    fleet: &Fleet,
    snapshots: &[LoadedSnapshot],
    history: Option<&crate::load::history::History>,
) -> Counted {
    let n = fleet.services.len();
    let (mut hours, mut days) = (vec![BTreeMap::new(); n], vec![BTreeMap::new(); n]);
    if let Some(h) = history {
        for (i, s) in fleet.services.iter().enumerate() {
            for (at, c) in h.hourly.get(s.id.as_str()).into_iter().flatten() {
                add(hours[i].entry(*at).or_insert((0, 0)), c.seen, c.ok);
            }
            for (day, c) in h.daily.get(s.id.as_str()).into_iter().flatten() {
                add(days[i].entry(*day).or_insert((0, 0)), c.seen, c.ok);
            }
        }
    }
    let matcher = Matcher::new(fleet);
    for snap in snapshots.iter().filter(|s| !s.stored) {
        let t = snap.snapshot.taken_at;
        let mut seen: BTreeMap<usize, bool> = BTreeMap::new();
        for r in snap
            .snapshot
            .results
            .iter()
            .filter(|r| !r.check.is_discovery() && !r.in_maintenance())
        {
            if let Some(s) = matcher.service(r) {
                *seen.entry(s).or_insert(true) &= r.ok;
            }
        }
        for (s, ok) in seen {
            add(hours[s].entry(hour_of(t)).or_insert((0, 0)), 1, ok as u64);
            add(
                days[s].entry(t.date_naive()).or_insert((0, 0)),
                1,
                ok as u64,
            );
        }
    }
    (hours, days)
}

fn sum<K: Ord>(m: &BTreeMap<K, (u64, u64)>, range: std::ops::Range<K>) -> (u64, u64) {
    m.range(range)
        .fold((0, 0), |(s, o), (_, (s2, o2))| (s + s2, o + o2))
}

/// The bars of every service at `now`. The 24 h and 7 d spans end with the hour `now` is
/// in; the 30 d and 90 d spans with the day (UTC) it is in.
pub fn uptime_bars(
    fleet: &Fleet,
    snapshots: &[LoadedSnapshot],
    history: Option<&crate::load::history::History>,
    now: DateTime<Utc>,
) -> UptimeBars {
    // Without any probe data there is nothing to draw (and nothing that depends on "now").
    if snapshots.is_empty() && history.is_none() {
        return vec![Vec::new(); fleet.services.len()];
    }
    let (hours, days) = counted(fleet, snapshots, history);
    let hour_end = hour_of(now) + TimeDelta::hours(1);
    let day_end = now.date_naive() + TimeDelta::days(1);
    hours
        .iter()
        .zip(&days)
        .zip(&fleet.services)
        .map(|((hours, days), svc)| {
            Span::ALL
                .iter()
                .map(|&span| {
                    let (n, len) = span.slots();
                    let slots = (0..n as i64)
                        .rev()
                        .map(|k| {
                            let ((seen, ok), start, end) =
                                if matches!(span, Span::Month | Span::Quarter) {
                                    let to = day_end - TimeDelta::days(k * len / 24);
                                    let from = to - TimeDelta::days(len / 24);
                                    let at =
                                        |d: NaiveDate| d.and_time(chrono::NaiveTime::MIN).and_utc();
                                    (sum(days, from..to), at(from), at(to))
                                } else {
                                    let end = hour_end - TimeDelta::hours(k * len);
                                    let start = end - TimeDelta::hours(len);
                                    (sum(hours, start..end), start, end)
                                };
                            // Only where nothing was counted, and only when one window
                            // covers the whole slot: a slot a window only touches may be
                            // missing data for another reason.
                            let window = seen == 0
                                && svc.maintenance.iter().any(|w| {
                                    w.when
                                        .occurrences(start, end)
                                        .iter()
                                        .any(|o| o.start <= start && o.end >= end)
                                });
                            Slot {
                                start,
                                end,
                                seen,
                                ok,
                                window,
                            }
                        })
                        .collect();
                    SpanBars { span, slots }
                })
                .collect()
        })
        .collect()
}
