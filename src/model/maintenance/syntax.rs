//! How maintenance windows are written: the one-line form (`daily 03:00-03:20 UTC`), the
//! Gatus-like mapping, a backup timer's `schedule` with `stops` and `stops_for`; each
//! mistake an error at its position in the value, with "did you mean" for zones and
//! weekdays.

use super::{resolve, Days, Origin, Until, When, Window, WEEKDAYS};
use crate::base::suggest::did_you_mean;
use crate::diag::{Diagnostics, Loc};
use crate::load::yaml::{scalar, scalars, Fields, Src};
use chrono::{DateTime, NaiveDateTime, NaiveTime, TimeDelta, Utc, Weekday};
use chrono_tz::Tz;
use marked_yaml::Node;

/// The keys of a window written as a mapping (Gatus' `maintenance:` keys, and `end`).
const WINDOW: &[&str] = &["start", "end", "duration", "every", "timezone", "note"];

/// The longest recurring window: a week.
const LONGEST: TimeDelta = TimeDelta::days(7);

/// A problem in a window's text: the byte offset in the value where it is, and the message.
type Bad = (usize, String);

fn weekday(w: &str) -> Result<Weekday, String> {
    let l = w.to_ascii_lowercase();
    WEEKDAYS
        .iter()
        .position(|(s, f)| *s == l || *f == l)
        .and_then(|i| Weekday::try_from(i as u8).ok())
        .ok_or_else(|| {
            let hint = did_you_mean(&l, WEEKDAYS.iter().flat_map(|(s, f)| [*s, *f]))
                .unwrap_or_else(|| "; use `daily`, a weekday (`sun`, `monday`), a list of them (`mon,thu`) or `monthly 1`".into());
            format!("`{w}` is not a weekday{hint}")
        })
}

/// Weekdays written `sun`, `mon,thu` or `mon-fri` (each item at its offset).
fn weekdays(text: &str, at: usize) -> Result<u8, Bad> {
    let mut bits = 0u8;
    let mut off = at;
    for item in text.split(',') {
        if let Some((a, b)) = item.split_once('-') {
            let x = weekday(a).map_err(|m| (off, m))?;
            let y = weekday(b).map_err(|m| (off + a.len() + 1, m))?;
            let (mut i, j) = (x.num_days_from_monday(), y.num_days_from_monday());
            loop {
                bits |= 1 << i;
                if i == j {
                    break;
                }
                i = (i + 1) % 7;
            }
        } else {
            bits |= 1 << weekday(item).map_err(|m| (off, m))?.num_days_from_monday();
        }
        off += item.len() + 1;
    }
    Ok(bits)
}

/// A wall-clock time `HH:MM` (or `HH:MM:SS`).
fn clock(t: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(t, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
        .map_err(|_| {
            format!("`{t}` is not a time of day; write it as `HH:MM` on the 24-hour clock, like `03:00` or `23:30`")
        })
}

/// An IANA zone name (`Europe/Berlin`, `UTC`).
pub fn zone(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>().map_err(|_| {
        let names = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name());
        let exact_case = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|z| z.name())
            .find(|z| z.eq_ignore_ascii_case(name));
        let hint = match exact_case {
            Some(z) => format!("; did you mean `{z}`?"),
            None => did_you_mean(name, names).unwrap_or_else(|| {
                "; use an IANA zone name like `UTC`, `Europe/Berlin` or `America/New_York`".into()
            }),
        };
        format!("unknown time zone `{name}`{hint}")
    })
}

/// A window written on one line: `daily 03:00-03:20 UTC`, `sun 02:00-04:00 Europe/Berlin`,
/// `mon,thu 23:30-00:30`, `monthly 1 04:00-05:00 UTC` (the zone defaults to UTC).
pub fn parse_line(text: &str) -> Result<When, Bad> {
    let mut words = Vec::new();
    let mut off = 0;
    for w in text.split(' ') {
        if !w.is_empty() {
            words.push((off, w));
        }
        off += w.len() + 1;
    }
    let mut it = words.into_iter().peekable();
    let usage = "write a recurring window as `daily 03:00-03:20 UTC` (or a weekday, `sun 02:00-04:00 Europe/Berlin`, or `monthly 1 04:00-05:00 UTC`), or a one-off one as a mapping with `start:` and `end:`";
    let (o, first) = it.next().ok_or((0, format!("an empty window; {usage}")))?;
    let days = match first.to_ascii_lowercase().as_str() {
        "daily" => Days::Daily,
        "monthly" => {
            let (o, n) = it
                .next()
                .ok_or((o, format!("`monthly` needs the day of the month; {usage}")))?;
            Days::MonthDay(month_day(n).map_err(|m| (o, m))?)
        }
        _ if first.as_bytes()[0].is_ascii_digit() && first.contains('-') && first.len() >= 10 => {
            return Err((
                o,
                format!("a one-off window is a mapping: `start: {first}` and `end: ...` (or `duration: ...`)"),
            ))
        }
        _ => Days::Weekdays(weekdays(first, o)?),
    };
    let (o, range) = it.next().ok_or((
        o,
        format!("the window needs its times after `{first}`; {usage}"),
    ))?;
    let (a, b) = range
        .split_once('-')
        .ok_or((o, format!("`{range}` is not a time range; {usage}")))?;
    let start = clock(a).map_err(|m| (o, m))?;
    let end = clock(b).map_err(|m| (o + a.len() + 1, m))?;
    if start == end {
        return Err((
            o + a.len() + 1,
            format!("the window ends when it starts ({b}); give it a length"),
        ));
    }
    let tz = match it.next() {
        Some((o, z)) => zone(z).map_err(|m| (o, m))?,
        None => Tz::UTC,
    };
    if let Some((o, extra)) = it.next() {
        return Err((
            o,
            format!("unexpected `{extra}` after the time zone; {usage}"),
        ));
    }
    Ok(When::Recurring {
        days,
        start,
        until: Until::Clock(end),
        tz,
    })
}

fn month_day(n: &str) -> Result<u32, String> {
    n.parse::<u32>()
        .ok()
        .filter(|d| (1..=31).contains(d))
        .ok_or_else(|| format!("`{n}` is not a day of the month (1 to 31)"))
}

/// A date and time: RFC 3339 (`2026-05-02T22:00:00+02:00`, `...Z`), or
/// `2026-05-02 22:00` in `tz` (a zone may follow it: `2026-05-02 22:00 Europe/Berlin`).
fn date_time(text: &str, tz: Option<Tz>) -> Result<DateTime<Utc>, Bad> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let (dt, zone_at) = match text.rsplit_once(' ') {
        Some((a, z)) if z.contains('/') || z.chars().all(|c| c.is_ascii_uppercase()) => {
            (a, Some((a.len() + 1, z)))
        }
        _ => (text, None),
    };
    let naive = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(dt, f).ok())
        .ok_or((
            0,
            format!("`{text}` is not a date and time; write `2026-05-02T22:00:00+02:00` (RFC 3339) or `2026-05-02 22:00` with `timezone:`"),
        ))?;
    let tz = match zone_at {
        Some((o, z)) => zone(z).map_err(|m| (o, m))?,
        None => tz.ok_or((
            0,
            format!(
                "`{text}` names no time zone; add an offset (`{}:00+02:00`, `Z`) or `timezone: Europe/Berlin`",
                dt.replace(' ', "T")
            ),
        ))?,
    };
    Ok(resolve(tz, naive))
}

/// A duration such as `20m` or `1h30m`, above zero and at most a week.
fn length(text: &str) -> Result<TimeDelta, String> {
    humantime::parse_duration(text)
        .ok()
        .and_then(|d| TimeDelta::from_std(d).ok())
        .filter(|d| *d > TimeDelta::zero() && *d <= LONGEST)
        .ok_or_else(|| format!("`{text}` is not a duration from 1 minute to 7 days; write it like `20m`, `2h` or `1h30m`"))
}

/// 1 for a quoted scalar, whose position is its opening quote: its text starts one further.
fn quoted(node: Option<&Node>) -> usize {
    match node {
        Some(Node::Scalar(s)) if !s.may_coerce() => 1,
        _ => 0,
    }
}

/// The location of byte `off` in a one-line scalar at `loc`.
fn at(loc: &Loc, off: usize) -> Loc {
    let mut l = loc.clone();
    l.pos.col += off;
    l
}

/// Reads the `maintenance` key of a service or host (`f`): one window or a list of them,
/// each a line (`daily 03:00-03:20 UTC`) or a mapping (`start`, `end` or `duration`,
/// `every`, `timezone`, `note`).
pub fn read(f: &Fields, origin: Origin, diags: &mut Diagnostics) -> Vec<Window> {
    let Some(node) = f.node("maintenance") else {
        return Vec::new();
    };
    let items: Vec<&Node> = match node {
        Node::Sequence(seq) => seq.iter().collect(),
        n => vec![n],
    };
    items
        .into_iter()
        .filter_map(|n| window(f.src, n, origin.clone(), diags))
        .collect()
}

fn window(src: &Src, node: &Node, origin: Origin, diags: &mut Diagnostics) -> Option<Window> {
    let loc = src.loc(node.span());
    let when = match node {
        Node::Scalar(_) => {
            let v = scalar(src, node, "a maintenance window", diags)?;
            match parse_line(&v.value) {
                Ok(w) => w,
                Err((o, m)) => {
                    diags.error(at(&v.loc, o + quoted(Some(node))), m);
                    return None;
                }
            }
        }
        Node::Mapping(_) => {
            let f = Fields::new(src, node, "a maintenance window", WINDOW, diags)?;
            let w = mapping(&f, diags);
            f.finish(diags);
            return w.map(|(when, note)| Window {
                when,
                note,
                origin,
                loc,
            });
        }
        Node::Sequence(_) => {
            diags.error(
                loc,
                "a maintenance window is a line (`daily 03:00-03:20 UTC`) or a mapping (`start:`, `end:`), not a list",
            );
            return None;
        }
    };
    Some(Window {
        when,
        note: None,
        origin,
        loc,
    })
}

/// A window written as a mapping, and its note.
fn mapping(f: &Fields, diags: &mut Diagnostics) -> Option<(When, Option<String>)> {
    let note = f.str("note", diags).map(|n| n.value);
    // A zone that is not one is reported, and the rest read as if it were UTC.
    let mut tz_error = false;
    let tz = match f.str("timezone", diags) {
        Some(z) => Some(zone(&z.value).unwrap_or_else(|m| {
            diags.error(z.loc, m);
            tz_error = true;
            Tz::UTC
        })),
        None => None,
    };
    let start = f.req_str("start", diags)?;
    let end = f.str("end", diags);
    let duration = f.str("duration", diags);
    let every = f.strs("every", diags);
    let one_off = start.value.len() >= 10 && start.value.as_bytes()[4] == b'-';
    let fail = |diags: &mut Diagnostics, key: &str, loc: &Loc, (o, m): Bad| {
        diags.error(at(loc, o + quoted(f.node(key))), m);
    };
    let until = match (&end, &duration) {
        (Some(_), Some(d)) => {
            diags.error(
                d.loc.clone(),
                "a window has `end` or `duration`, not both; keep one",
            );
            return None;
        }
        (None, None) => {
            diags.error(
                start.loc.clone(),
                "a maintenance window needs `end` or `duration` beside `start`",
            );
            return None;
        }
        (_, Some(d)) => match length(&d.value) {
            Ok(len) => Until::After(len),
            Err(m) => {
                diags.error(d.loc.clone(), m);
                return None;
            }
        },
        // The end is read below, as a date and time or a time of day.
        (Some(_), None) => Until::Clock(NaiveTime::MIN),
    };
    if one_off {
        if let Some(e) = every.first() {
            diags.error(
                e.loc.clone(),
                format!("`every` is for recurring windows, but `start: {}` is one date; remove `every`, or write `start` as a time of day", start.value),
            );
            return None;
        }
        let s = match date_time(&start.value, tz) {
            Ok(s) => s,
            Err(b) => {
                fail(diags, "start", &start.loc, b);
                return None;
            }
        };
        let e = match (&end, until) {
            (Some(e), _) => match date_time(&e.value, tz) {
                Ok(t) => t,
                Err(b) => {
                    fail(diags, "end", &e.loc, b);
                    return None;
                }
            },
            (None, Until::After(len)) => s + len,
            (None, Until::Clock(_)) => return None,
        };
        if e <= s {
            let loc = end.as_ref().map_or(start.loc.clone(), |e| e.loc.clone());
            diags.error(
                loc,
                format!(
                    "the window ends ({}) before it starts ({}); correct `end`, or swap it with `start`",
                    e.format("%Y-%m-%d %H:%M UTC"),
                    s.format("%Y-%m-%d %H:%M UTC")
                ),
            );
            return None;
        }
        if tz_error {
            return None;
        }
        return Some((When::Once { start: s, end: e }, note));
    }
    let s = match clock(&start.value) {
        Ok(t) => t,
        Err(m) => {
            diags.error(start.loc.clone(), m);
            return None;
        }
    };
    let until = match (&end, until) {
        (Some(e), _) => match clock(&e.value) {
            Ok(t) if t == s => {
                diags.error(
                    e.loc.clone(),
                    format!(
                        "the window ends when it starts ({}); give it a length",
                        e.value
                    ),
                );
                return None;
            }
            Ok(t) => Until::Clock(t),
            Err(m) => {
                diags.error(e.loc.clone(), m);
                return None;
            }
        },
        (None, u) => u,
    };
    let days = every_days(&every, diags)?;
    if tz_error {
        return None;
    }
    Some((
        When::Recurring {
            days,
            start: s,
            until,
            tz: tz.unwrap_or(Tz::UTC),
        },
        note,
    ))
}

/// `every:` of a recurring window: `daily` (also when absent), weekdays (`Monday`, `sun`),
/// or one day of the month (`monthly 1`).
fn every_days(every: &[crate::load::yaml::Sp<String>], diags: &mut Diagnostics) -> Option<Days> {
    if every.is_empty() {
        return Some(Days::Daily);
    }
    let mut bits = 0u8;
    let mut ok = true;
    for e in every {
        let v = e.value.to_ascii_lowercase();
        if v == "daily" || v == "day" {
            return Some(Days::Daily);
        }
        if let Some(n) = v.strip_prefix("monthly ") {
            match month_day(n.trim()) {
                Ok(d) if every.len() == 1 => return Some(Days::MonthDay(d)),
                Ok(_) => {
                    diags.error(e.loc.clone(), "`monthly N` stands alone in `every`; declare another window for other days");
                    return None;
                }
                Err(m) => {
                    diags.error(at(&e.loc, 8), m);
                    return None;
                }
            }
        }
        match weekdays(&e.value, 0) {
            Ok(b) => bits |= b,
            Err((o, m)) => {
                diags.error(at(&e.loc, o), m);
                ok = false;
            }
        }
    }
    ok.then_some(Days::Weekdays(bits))
}

/// The window a backup timer's `schedule` makes for the services it `stops`, lasting
/// `len`: systemd's `OnCalendar` shorthands (`daily`, `weekly`, `monthly`) and
/// `[Weekdays] [*-*-*] HH:MM[:SS] [Zone]` (UTC unless a zone is named).
pub fn from_schedule(schedule: &str, len: TimeDelta) -> Result<When, Bad> {
    let after = Until::After(len);
    let midnight = NaiveTime::MIN;
    let utc = |days| When::Recurring {
        days,
        start: midnight,
        until: after,
        tz: Tz::UTC,
    };
    match schedule.trim().to_ascii_lowercase().as_str() {
        "daily" | "*-*-* 00:00:00" => return Ok(utc(Days::Daily)),
        "weekly" => return Ok(utc(Days::Weekdays(1))),
        "monthly" => return Ok(utc(Days::MonthDay(1))),
        _ => {}
    }
    let unsupported = |o: usize, what: &str| {
        (
            o,
            format!("fleetdoc cannot turn the schedule `{schedule}` into a maintenance window ({what}); it reads `daily`, `weekly`, `monthly` and `[Weekdays] [*-*-*] HH:MM[:SS] [Zone]` (like `Sun *-*-* 03:00:00 Europe/Berlin`); write the window under `maintenance:` of the stopped services instead"),
        )
    };
    let mut words = Vec::new();
    let mut off = 0;
    for w in schedule.split(' ') {
        if !w.is_empty() {
            words.push((off, w));
        }
        off += w.len() + 1;
    }
    let mut i = 0;
    let mut days = Days::Daily;
    if let Some((o, w)) = words.first() {
        if w.as_bytes()[0].is_ascii_alphabetic() {
            let w = w.replace("..", "-");
            days = Days::Weekdays(weekdays(&w, *o)?);
            i = 1;
        }
    }
    if let Some((o, w)) = words.get(i) {
        if w.contains('-') {
            if *w != "*-*-*" {
                return Err(unsupported(*o, "only every date, `*-*-*`, is read"));
            }
            i += 1;
        }
    }
    let Some((o, t)) = words.get(i) else {
        return Err(unsupported(schedule.len(), "no time of day"));
    };
    if t.contains(['*', '/', ',', '.']) {
        return Err(unsupported(*o, "a repeated time"));
    }
    let start = clock(t).map_err(|m| (*o, m))?;
    let tz = match words.get(i + 1) {
        Some((o, z)) => zone(z).map_err(|m| (*o, m))?,
        None => Tz::UTC,
    };
    if let Some((o, w)) = words.get(i + 2) {
        return Err(unsupported(*o, &format!("`{w}` after the zone")));
    }
    Ok(When::Recurring {
        days,
        start,
        until: after,
        tz,
    })
}

/// Reads `stops` and `stops_for` of a backup timer with its `schedule`: the window of
/// the services it stops, or `None` (with the error) when they do not make one.
pub fn backup_window(
    f: &Fields,
    schedule: Option<&crate::load::yaml::Sp<String>>,
    diags: &mut Diagnostics,
) -> Option<When> {
    let stops = f.node("stops")?;
    let loc = f.src.loc(stops.span());
    let len = match f.str("stops_for", diags) {
        Some(v) => match length(&v.value) {
            Ok(l) => l,
            Err(m) => {
                diags.error(v.loc, m);
                return None;
            }
        },
        None => {
            diags.error(
                loc,
                "`stops` needs `stops_for`: how long the job keeps the services stopped (like `stops_for: 20m`)",
            );
            return None;
        }
    };
    let Some(schedule) = schedule else {
        diags.error(
            loc,
            "`stops` needs the timer's `schedule` (like `schedule: \"*-*-* 03:00:00\"`) to know when the services stop",
        );
        return None;
    };
    match from_schedule(&schedule.value, len) {
        Ok(w) => Some(w),
        Err((o, m)) => {
            diags.error(at(&schedule.loc, o + quoted(f.node("schedule"))), m);
            None
        }
    }
}

/// Reads `stops` of service `id` (its mapping `node`) once every service is built: each
/// entry names an existing service (one of the `declared` ones that failed its own checks
/// is not reported again).
pub fn read_stops(
    src: &Src,
    node: &Node,
    id: &str,
    fleet: &mut crate::model::Fleet,
    declared: &[String],
    diags: &mut Diagnostics,
) {
    let Node::Mapping(map) = node else { return };
    let Some(list) = map.get("stops") else { return };
    let Some(me) = fleet.service_ix(id) else {
        return;
    };
    if fleet.services[me].kind != crate::model::ServiceKind::Timer {
        return; // reported where the service is read
    }
    let names = scalars(src, list, &format!("`stops` of service `{id}`"), diags);
    for name in names {
        let n = name.value.as_str();
        match fleet.service_ix(n) {
            Some(j) if !fleet.services[me].stops.contains(&j) => fleet.services[me].stops.push(j),
            Some(_) => {}
            None if declared.iter().any(|d| d == n) || fleet.partial => {}
            None if fleet.host_ix(n).is_some() => diags.error(
                name.loc,
                format!("`stops` needs a service id, but `{n}` is a host; name the services the job stops (a window of the whole host goes under the host's `maintenance:`)"),
            ),
            None => {
                let hint = did_you_mean(n, fleet.services.iter().map(|s| s.id.as_str()))
                    .unwrap_or_default();
                diags.error(
                    name.loc,
                    format!("`stops` names `{n}`, but there is no service `{n}`{hint}"),
                );
            }
        }
    }
}
