//! Incidents, validated against the fleet: each note's services resolved to indexes (an
//! unknown id is an error with "did you mean"), its times checked together (resolved not
//! before started, every update inside the span), and its body split into timestamped
//! updates. An update is an H2 heading that starts with its time:
//! `## 2026-04-06T09:10:00Z Investigating`, followed by its text; the text before the first
//! update is the incident's summary. See docs/incidents.md.

use crate::diag::{Diagnostics, Loc};
use crate::load::incidents::{parse_time, IncidentSource, Severity};
use crate::model::pages::{options, pos_at};
use crate::model::Fleet;
use chrono::{DateTime, Utc};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use std::path::PathBuf;

/// One timestamped update of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Update {
    pub at: DateTime<Utc>,
    /// The rest of the heading after the time (`Investigating`, `Resolved`); may be empty.
    pub label: String,
    /// The update's text, Markdown.
    pub text: String,
}

/// One validated incident.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Incident {
    /// The note's file name without `.md`: its anchor on the incidents page.
    pub slug: String,
    pub title: String,
    /// Indexes into [`Fleet::services`], in the order written.
    pub services: Vec<usize>,
    pub started: DateTime<Utc>,
    /// `None` while the incident is open.
    pub resolved: Option<DateTime<Utc>>,
    pub severity: Severity,
    /// Markdown before the first update.
    pub summary: String,
    /// In the order written (the page shows them newest first).
    pub updates: Vec<Update>,
    /// The note's path, for messages.
    pub shown: PathBuf,
}

impl Incident {
    pub fn is_open(&self) -> bool {
        self.resolved.is_none()
    }

    /// Whether the incident overlaps `[from, to)`; an open one lasts until `now`.
    pub fn overlaps(&self, from: DateTime<Utc>, to: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        let end = self.resolved.unwrap_or(now.max(self.started));
        self.started < to && end >= from
    }

    /// The time of the newest update, or of the start or end when later.
    pub fn updated(&self) -> DateTime<Utc> {
        self.updates
            .iter()
            .map(|u| u.at)
            .chain(self.resolved)
            .fold(self.started, DateTime::max)
    }
}

/// The incidents, newest first with open ones on top. A note with an error is reported and
/// left out; problems go to `diags`.
pub fn build(sources: &[IncidentSource], fleet: &Fleet, diags: &mut Diagnostics) -> Vec<Incident> {
    let mut out: Vec<Incident> = sources
        .iter()
        .filter_map(|s| incident(s, fleet, diags))
        .collect();
    sort(&mut out);
    out
}

/// Open incidents first, then newest start first, then by slug.
pub fn sort(incidents: &mut [Incident]) {
    incidents.sort_by(|a, b| {
        b.is_open()
            .cmp(&a.is_open())
            .then(b.started.cmp(&a.started))
            .then(a.slug.cmp(&b.slug))
    });
}

fn incident(src: &IncidentSource, fleet: &Fleet, diags: &mut Diagnostics) -> Option<Incident> {
    let front = src.front.as_ref()?;
    let before = diags.errors();
    let mut services = Vec::new();
    for s in &front.services {
        match fleet.service_ix(&s.value) {
            Some(i) => services.push(i),
            // A fleet that could not be read whole may hold the service: no error.
            None if fleet.partial => {}
            None => {
                let hint = crate::base::suggest::did_you_mean(
                    &s.value,
                    fleet.services.iter().map(|x| x.id.as_str()),
                )
                .unwrap_or_else(|| "; `services` names service ids of the topology".into());
                diags.error(
                    s.loc.clone(),
                    format!("unknown service `{}`{hint}", s.value),
                );
            }
        }
    }
    if let (Some(started), Some(resolved)) = (&front.started, &front.resolved) {
        if resolved.value < started.value {
            diags.error(
                resolved.loc.clone(),
                format!(
                    "`resolved` ({}) is before `started` ({}); an incident ends after it starts",
                    fmt(resolved.value),
                    fmt(started.value)
                ),
            );
        }
    }
    let (summary, updates) = updates(src, front, diags);
    if diags.errors() > before {
        return None;
    }
    Some(Incident {
        slug: src.slug.clone(),
        title: front.title.as_ref()?.value.clone(),
        services,
        started: front.started.as_ref()?.value,
        resolved: front.resolved.as_ref().map(|r| r.value),
        severity: front.severity.as_ref()?.value,
        summary,
        updates,
        shown: src.shown.clone(),
    })
}

fn fmt(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Split the body at its H2 headings into the summary and the updates, each heading's
/// time checked against the incident's span.
fn updates(
    src: &IncidentSource,
    front: &crate::load::incidents::IncidentFront,
    diags: &mut Diagnostics,
) -> (String, Vec<Update>) {
    let body = src.body();
    let loc = |at: usize| Loc::new(&src.shown, pos_at(&src.text, src.body_start + at));
    // (heading start, heading end, heading text) of every H2.
    let mut heads: Vec<(usize, usize, String)> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => open = Some((range.start, String::new())),
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                if let Some((start, text)) = open.take() {
                    heads.push((start, range.end, text));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = open.as_mut() {
                    text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    let summary = body[..heads.first().map_or(body.len(), |h| h.0)]
        .trim()
        .to_string();
    let mut out = Vec::new();
    for (i, (start, end, text)) in heads.iter().enumerate() {
        let next = heads.get(i + 1).map_or(body.len(), |h| h.0);
        let text = text.trim();
        // The time is the first one to three words (`2026-04-06T09:10:00Z`,
        // `2026-04-06 09:10Z`, `2026-04-06 09:10 UTC`).
        let words: Vec<&str> = text.split_whitespace().collect();
        let (at, used) = (1..=words.len().min(3))
            .rev()
            .find_map(|n| parse_time(&words[..n].join(" ")).map(|t| (Some(t), n)))
            .unwrap_or((None, 0));
        let label = words[used..].join(" ");
        let Some(at) = at else {
            diags.error(
                loc(*start),
                format!(
                    "an update heading starts with its time, like `## 2026-04-06T09:10:00Z Investigating`; found `## {text}`"
                ),
            );
            continue;
        };
        let label = label
            .trim()
            .trim_start_matches(['-', '–', '—', ':'])
            .trim()
            .to_string();
        if let Some(started) = &front.started {
            if at < started.value {
                diags.error(
                    loc(*start),
                    format!(
                        "update at {} is before the incident started ({}); fix the time or `started`",
                        fmt(at),
                        fmt(started.value)
                    ),
                );
            }
        }
        if let Some(resolved) = &front.resolved {
            if at > resolved.value {
                diags.error(
                    loc(*start),
                    format!(
                        "update at {} is after the incident was resolved ({}); fix the time or `resolved`",
                        fmt(at),
                        fmt(resolved.value)
                    ),
                );
            }
        }
        out.push(Update {
            at,
            label,
            text: body[*end..next].trim().to_string(),
        });
    }
    (summary, out)
}
