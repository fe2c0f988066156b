//! Maintenance windows: declared under `maintenance:` of a service or a host (a host's
//! window covers the services on it), and made from the schedule of a backup timer that
//! `stops:` services. A window is one-off (a start and an end, RFC 3339 or a date and
//! time with a named zone) or recurring (daily, on weekdays, or on a day of the month, from
//! a wall-clock time to another or for a duration, in a named IANA zone). A result taken
//! inside a window is not a failure and is left out of uptime and availability (see
//! docs/maintenance.md).
//!
//! Recurring windows follow the wall clock of their zone. A start (or an `end`) that the
//! clocks skip on the day they spring forward is moved to the first instant after the
//! gap; one they pass twice on the day they fall back is the earlier one. A `duration` is
//! elapsed time from the start.

use crate::diag::Loc;
use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;

mod syntax;
pub use syntax::{backup_window, from_schedule, parse_line, read, read_stops, zone};

/// Which days a recurring window starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Days {
    Daily,
    /// Bit `n` set: starts on the weekday `n` days after Monday.
    Weekdays(u8),
    /// On this day of each month (a month without it has no window).
    MonthDay(u32),
}

/// How a recurring window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Until {
    /// At this wall-clock time: the same day when after the start, else the next day.
    Clock(NaiveTime),
    /// After this much elapsed time.
    After(TimeDelta),
}

/// When a window is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    Once {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    Recurring {
        days: Days,
        start: NaiveTime,
        until: Until,
        tz: Tz,
    },
}

/// Where a service's window was declared.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Under the service itself.
    Service,
    /// Under one of its hosts (index into `Fleet::hosts`): on a replicated service it
    /// covers only the results taken on that host.
    Host(usize),
    /// The schedule of a backup timer that stops it (index into `Fleet::services`).
    Backup(usize),
}

/// One maintenance window of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub when: When,
    pub note: Option<String>,
    pub origin: Origin,
    pub loc: Loc,
}

/// The instant a wall-clock time of `tz` means: a skipped time is the first instant after
/// the gap, a doubled one the earlier.
fn resolve(tz: Tz, at: NaiveDateTime) -> DateTime<Utc> {
    let mut t = at;
    // Gaps are whole minutes and at most a day (a zone that skipped a date).
    for _ in 0..=(26 * 60) {
        match tz.from_local_datetime(&t) {
            LocalResult::Single(x) => return x.with_timezone(&Utc),
            LocalResult::Ambiguous(a, b) => return a.min(b).with_timezone(&Utc),
            LocalResult::None => t += TimeDelta::minutes(1),
        }
    }
    at.and_utc()
}

impl Days {
    fn matches(self, d: NaiveDate) -> bool {
        match self {
            Days::Daily => true,
            Days::Weekdays(bits) => bits & (1 << d.weekday().num_days_from_monday()) != 0,
            Days::MonthDay(n) => d.day() == n,
        }
    }

    fn describe(self) -> String {
        match self {
            Days::Daily => "daily".into(),
            Days::Weekdays(bits) => {
                let names: Vec<&str> = WEEKDAYS
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| bits & (1 << i) != 0)
                    .map(|(_, (short, _))| *short)
                    .collect();
                names.join(",")
            }
            Days::MonthDay(n) => format!("monthly on day {n}"),
        }
    }
}

impl When {
    /// The occurrences that overlap `[from, to)`, as `[start, end)` instants, in order.
    pub fn occurrences(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Occurrence> {
        match *self {
            When::Once { start, end } => (start < to && end > from)
                .then_some(Occurrence { start, end })
                .into_iter()
                .collect(),
            When::Recurring {
                days,
                start,
                until,
                tz,
            } => {
                let reach = match until {
                    Until::Clock(_) => 2,
                    Until::After(d) => d.num_days() + 2,
                };
                let first = from.with_timezone(&tz).date_naive() - TimeDelta::days(reach);
                let last = to.with_timezone(&tz).date_naive();
                let mut out = Vec::new();
                let mut d = first;
                while d <= last {
                    if days.matches(d) {
                        let s = resolve(tz, d.and_time(start));
                        let e = match until {
                            Until::Clock(t) => {
                                let day = if t > start { d } else { d + TimeDelta::days(1) };
                                resolve(tz, day.and_time(t))
                            }
                            Until::After(len) => s + len,
                        };
                        if s < to && e > from && e > s {
                            out.push(Occurrence { start: s, end: e });
                        }
                    }
                    d += TimeDelta::days(1);
                }
                out
            }
        }
    }

    /// The occurrence `t` falls in, if any.
    pub fn covering(&self, t: DateTime<Utc>) -> Option<Occurrence> {
        self.occurrences(t, t + TimeDelta::seconds(1))
            .into_iter()
            .find(|o| o.start <= t && t < o.end)
    }

    /// The window as written, in one line: `daily 03:00-03:20 UTC`,
    /// `2026-05-02 20:00 - 2026-05-02 23:00 UTC`.
    pub fn describe(&self) -> String {
        match *self {
            When::Once { start, end } => {
                let same_day = start.date_naive() == end.date_naive();
                format!(
                    "{} - {} UTC",
                    start.format("%Y-%m-%d %H:%M"),
                    if same_day {
                        end.format("%H:%M").to_string()
                    } else {
                        end.format("%Y-%m-%d %H:%M").to_string()
                    }
                )
            }
            When::Recurring {
                days,
                start,
                until,
                tz,
            } => {
                let until = match until {
                    Until::Clock(t) => format!("-{}", t.format("%H:%M")),
                    Until::After(d) if d < TimeDelta::days(1) => {
                        format!("-{}", (start + d).format("%H:%M"))
                    }
                    Until::After(d) => format!(" for {}", span(d)),
                };
                format!(
                    "{} {}{until} {}",
                    days.describe(),
                    start.format("%H:%M"),
                    tz.name()
                )
            }
        }
    }

    pub fn is_recurring(&self) -> bool {
        matches!(self, When::Recurring { .. })
    }
}

/// A length in the words of a duration: `20 min`, `1 h 30 min`.
pub fn span(d: TimeDelta) -> String {
    let m = d.num_minutes();
    match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// One time a window is open: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Occurrence {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

const WEEKDAYS: [(&str, &str); 7] = [
    ("mon", "monday"),
    ("tue", "tuesday"),
    ("wed", "wednesday"),
    ("thu", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
];

/// Gives each service the windows of its hosts and of the backup timers that stop it.
pub fn spread(fleet: &mut crate::model::Fleet) {
    let mut add: Vec<(usize, Window)> = Vec::new();
    for (i, s) in fleet.services.iter().enumerate() {
        for &h in &s.hosts {
            add.extend(fleet.hosts[h].maintenance.iter().map(|w| (i, w.clone())));
        }
        if let Some(when) = s.stop_window {
            for &j in &s.stops {
                add.push((
                    j,
                    Window {
                        when,
                        note: None,
                        origin: Origin::Backup(i),
                        loc: s.loc.clone(),
                    },
                ));
            }
        }
    }
    for (i, w) in add {
        fleet.services[i].maintenance.push(w);
    }
}

/// The window of service `s`'s list `windows` that covers a result taken at `t` on host
/// `host` (a host window covers a replicated service only on that host), if any.
pub fn covering(
    windows: &[Window],
    replicated: bool,
    host: Option<usize>,
    t: DateTime<Utc>,
) -> Option<(&Window, Occurrence)> {
    windows
        .iter()
        .filter(|w| match w.origin {
            Origin::Host(h) => !replicated || host == Some(h),
            _ => true,
        })
        .find_map(|w| w.when.covering(t).map(|o| (w, o)))
}

/// The occurrence of `windows` open at `now` (the one that ends last), else the next one to
/// start within `ahead`, and whether it is open.
pub fn around(
    windows: &[Window],
    replicated: bool,
    host: Option<usize>,
    now: DateTime<Utc>,
    ahead: TimeDelta,
) -> Option<(Occurrence, bool)> {
    let all: Vec<Occurrence> = windows
        .iter()
        .filter(|w| match w.origin {
            Origin::Host(h) => !replicated || host == Some(h),
            _ => true,
        })
        .flat_map(|w| w.when.occurrences(now, now + ahead))
        .collect();
    let open = all
        .iter()
        .filter(|o| o.start <= now)
        .max_by_key(|o| o.end)
        .map(|o| (*o, true));
    open.or_else(|| all.iter().min().map(|o| (*o, false)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_daily_window_crossing_midnight_covers_both_days() {
        let w = parse_line("daily 23:30-00:30 UTC").unwrap();
        assert!(w.covering(utc("2026-05-01T23:45:00Z")).is_some());
        assert!(w.covering(utc("2026-05-02T00:15:00Z")).is_some());
        assert!(w.covering(utc("2026-05-02T00:30:00Z")).is_none());
        assert!(w.covering(utc("2026-05-02T23:29:00Z")).is_none());
    }

    #[test]
    fn a_spring_forward_start_moves_to_the_end_of_the_gap() {
        // Europe/Berlin skips 02:00-03:00 on 2026-03-29: a 02:30 start is 03:00 CEST.
        let w = parse_line("daily 02:30-03:30 Europe/Berlin").unwrap();
        let o = w
            .occurrences(utc("2026-03-29T00:00:00Z"), utc("2026-03-29T12:00:00Z"))
            .remove(0);
        assert_eq!(o.start, utc("2026-03-29T01:00:00Z"));
        assert_eq!(o.end, utc("2026-03-29T01:30:00Z"));
    }

    #[test]
    fn a_fall_back_start_is_the_earlier_one() {
        // Europe/Berlin passes 02:00-03:00 twice on 2026-10-25: 02:30 is 02:30 CEST.
        let w = parse_line("daily 02:30-03:30 Europe/Berlin").unwrap();
        let o = w
            .occurrences(utc("2026-10-25T00:00:00Z"), utc("2026-10-25T12:00:00Z"))
            .remove(0);
        assert_eq!(o.start, utc("2026-10-25T00:30:00Z"));
        assert_eq!(o.end, utc("2026-10-25T02:30:00Z"));
    }

    #[test]
    fn weekday_ranges_and_monthly_windows_start_on_their_days() {
        let w = parse_line("mon-fri 12:00-12:05").unwrap();
        // 2026-04-04 is a Saturday, 2026-04-06 a Monday.
        assert!(w.covering(utc("2026-04-04T12:01:00Z")).is_none());
        assert!(w.covering(utc("2026-04-06T12:01:00Z")).is_some());
        let m = parse_line("monthly 31 04:00-05:00 UTC").unwrap();
        assert_eq!(
            m.occurrences(utc("2026-01-01T00:00:00Z"), utc("2026-05-01T00:00:00Z"))
                .len(),
            2,
            "January and March have a 31st"
        );
    }

    #[test]
    fn schedules_of_timers_map_to_windows() {
        let w = from_schedule("Sun *-*-* 03:00:00 Europe/Berlin", TimeDelta::minutes(20)).unwrap();
        assert_eq!(w.describe(), "sun 03:00-03:20 Europe/Berlin");
        assert!(from_schedule("*-*-01 03:00", TimeDelta::minutes(5)).is_err());
        assert!(from_schedule("hourly", TimeDelta::minutes(5)).is_err());
    }
}
