//! What changed in the fleet, commit by commit: each revision of the topology that git
//! holds is read with the same model code as the working copy ([`topology::build`]), and
//! two fleets are compared by id: hosts, services, routes (a service's public hostname),
//! links, backups (`backs_up`) and layout hints added, removed, moved or changed, with the
//! fields that changed. A revision that does not validate is reported as such; the next
//! one is compared with the last one that did. See docs/changes.md.

use crate::diag::Diagnostics;
use crate::load::git::{Commit, GitHistory, TopologyTexts};
use crate::load::yaml::{self, Src};
use crate::model::fleet::{Endpoint, Fleet};
use crate::model::topology;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    Host,
    Service,
    Route,
    Link,
    Backup,
    Layout,
}

impl Subject {
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Host => "host",
            Subject::Service => "service",
            Subject::Route => "route",
            Subject::Link => "link",
            Subject::Backup => "backup",
            Subject::Layout => "layout",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Added,
    Removed,
    /// A service that runs on other hosts than before.
    Moved,
    Changed,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Added => "added",
            Action::Removed => "removed",
            Action::Moved => "moved",
            Action::Changed => "changed",
        }
    }
}

/// One field's value before and after (empty where it was not set).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Field {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// One thing that changed in one commit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Change {
    pub subject: Subject,
    /// The host or service id; for a route the service's id; for a link `from -> to`; for a
    /// backup `timer -> service`.
    pub name: String,
    pub action: Action,
    pub fields: Vec<Field>,
    /// Ids of the hosts and services it touches (before or after), for links and each
    /// host's history.
    pub hosts: Vec<String>,
    pub services: Vec<String>,
}

/// What one commit did to the fleet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum Outcome {
    /// The first topology: how many hosts and services it declared.
    Created {
        hosts: usize,
        services: usize,
    },
    Changed {
        changes: Vec<Change>,
    },
    /// The topology of this commit does not validate: the first error.
    Unreadable {
        error: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CommitChanges {
    pub id: String,
    pub short: String,
    pub date: String,
    pub time: i64,
    pub subject: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl CommitChanges {
    fn new(c: &Commit, outcome: Outcome) -> Self {
        CommitChanges {
            id: c.id.clone(),
            short: c.short.clone(),
            date: c.date(),
            time: c.time,
            subject: c.subject.clone(),
            outcome,
        }
    }
    pub fn changes(&self) -> &[Change] {
        match &self.outcome {
            Outcome::Changed { changes } => changes,
            _ => &[],
        }
    }
}

/// The fleet's history, newest commit first, with what git could not tell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct History {
    pub commits: Vec<CommitChanges>,
    /// Why the history is missing or incomplete (not in git, a shallow clone...).
    pub limitation: Option<String>,
}

impl History {
    /// The newest date each host appears in a change, with those changes.
    pub fn of_host<'a>(
        &'a self,
        host: &'a str,
    ) -> impl Iterator<Item = (&'a CommitChanges, &'a Change)> {
        self.commits.iter().flat_map(move |c| {
            c.changes()
                .iter()
                .filter(move |ch| ch.hosts.iter().any(|h| h == host))
                .map(move |ch| (c, ch))
        })
    }
}

/// Read every topology step of `git` into the fleet's history.
pub fn history(git: &GitHistory, default_name: &str) -> History {
    let mut parsed: BTreeMap<usize, Result<Arc<Fleet>, String>> = BTreeMap::new();
    let mut fleet_of = |texts: &TopologyTexts| -> Result<Arc<Fleet>, String> {
        let key = Arc::as_ptr(texts) as usize;
        parsed
            .entry(key)
            .or_insert_with(|| parse(texts, default_name).map(Arc::new))
            .clone()
    };
    let mut out = Vec::new();
    let mut last_good: Option<Arc<Fleet>> = None;
    // Oldest first, so that a step after an unreadable one is compared with the last
    // readable fleet.
    for step in git.topology.iter().rev() {
        let commit = &git.commits[step.commit];
        let before = match &step.before {
            Some(t) => fleet_of(t).ok().or_else(|| last_good.clone()),
            None => None,
        };
        let outcome = match step.after.as_ref().map(&mut fleet_of) {
            None => Some(Outcome::Changed {
                changes: before
                    .as_deref()
                    .map(|b| diff(b, &Fleet::default()))
                    .unwrap_or_default(),
            }),
            Some(Err(error)) => Some(Outcome::Unreadable { error }),
            Some(Ok(after)) => {
                let o = match &before {
                    None if step.before.is_none() => Outcome::Created {
                        hosts: after.hosts.len(),
                        services: after.services.len(),
                    },
                    None => Outcome::Changed {
                        changes: Vec::new(),
                    },
                    Some(b) => Outcome::Changed {
                        changes: diff(b, &after),
                    },
                };
                last_good = Some(after);
                Some(o)
            }
        };
        match outcome {
            Some(Outcome::Changed { changes }) if changes.is_empty() => {}
            Some(o) => out.push(CommitChanges::new(commit, o)),
            None => {}
        }
    }
    out.reverse();
    History {
        commits: out,
        limitation: git.limitation(),
    }
}

/// One revision's topology, validated by the model's own code; the first error if it fails.
fn parse(texts: &TopologyTexts, default_name: &str) -> Result<Fleet, String> {
    let mut d = Diagnostics::new();
    let mut docs = Vec::new();
    for (shown, text) in texts.iter() {
        let src = Src::new(shown, 0);
        match yaml::parse(&src, text) {
            Ok(root) => docs.push(Arc::new(topology::TopologyDoc {
                key: crate::base::hash::key_of(&(shown, text)),
                src,
                root,
                broken: false,
            })),
            Err(e) => return Err(e.to_string()),
        }
    }
    let fleet = topology::build(&docs, default_name, &mut d);
    match d
        .sorted()
        .into_iter()
        .find(|x| x.severity == crate::diag::Severity::Error)
    {
        Some(e) => Err(e.to_string()),
        None => Ok(fleet),
    }
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// Fields that differ, from (name, before, after) triples.
fn differing(pairs: Vec<(&'static str, String, String)>) -> Vec<Field> {
    pairs
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, before, after)| Field {
            field,
            before,
            after,
        })
        .collect()
}

/// What differs between two fleets, in a stable order: hosts, services, routes, links,
/// backups, layout; each by name.
pub fn diff(before: &Fleet, after: &Fleet) -> Vec<Change> {
    let mut out = Vec::new();
    hosts(before, after, &mut out);
    services(before, after, &mut out);
    routes(before, after, &mut out);
    links(before, after, &mut out);
    backups(before, after, &mut out);
    layout(before, after, &mut out);
    out
}

fn change(subject: Subject, name: &str, action: Action, fields: Vec<Field>) -> Change {
    Change {
        subject,
        name: name.to_string(),
        action,
        fields,
        hosts: Vec::new(),
        services: Vec::new(),
    }
}

fn hosts(before: &Fleet, after: &Fleet, out: &mut Vec<Change>) {
    let fields = |h: &crate::model::fleet::Host| {
        vec![
            ("name", h.name.clone()),
            ("address", h.address.to_string()),
            ("role", opt(&h.role)),
            ("provider", opt(&h.provider)),
            ("region", opt(&h.region)),
            ("contact", opt(&h.contact)),
            ("rebuild", opt(&h.rebuild)),
            ("storage", opt(&h.storage)),
            ("not_running", h.not_running.join(", ")),
            ("mitigation", h.mitigations.join("; ")),
            ("maintenance", windows(&h.maintenance, true)),
        ]
    };
    let old: BTreeMap<&str, _> = before.hosts.iter().map(|h| (h.id.as_str(), h)).collect();
    let new: BTreeMap<&str, _> = after.hosts.iter().map(|h| (h.id.as_str(), h)).collect();
    let ids: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    for id in ids {
        let c = match (old.get(id), new.get(id)) {
            (None, Some(_)) => change(Subject::Host, id, Action::Added, Vec::new()),
            (Some(_), None) => change(Subject::Host, id, Action::Removed, Vec::new()),
            (Some(a), Some(b)) => {
                let f = differing(
                    fields(a)
                        .into_iter()
                        .zip(fields(b))
                        .map(|((n, x), (_, y))| (n, x, y))
                        .collect(),
                );
                if f.is_empty() {
                    continue;
                }
                change(Subject::Host, id, Action::Changed, f)
            }
            (None, None) => continue,
        };
        out.push(Change {
            hosts: vec![id.to_string()],
            ..c
        });
    }
}

/// The windows declared where they are written (not those a service takes from its host
/// or a backup job), as one text.
fn windows(ws: &[crate::model::maintenance::Window], host: bool) -> String {
    use crate::model::maintenance::Origin;
    ws.iter()
        .filter(|w| host || w.origin == Origin::Service)
        .map(|w| match &w.note {
            Some(n) => format!("{} ({n})", w.when.describe()),
            None => w.when.describe(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A service's host ids.
fn host_ids(f: &Fleet, s: &crate::model::fleet::Service) -> Vec<String> {
    s.hosts.iter().map(|&h| f.hosts[h].id.to_string()).collect()
}

fn services(before: &Fleet, after: &Fleet, out: &mut Vec<Change>) {
    let fields = |f: &Fleet, s: &crate::model::fleet::Service| {
        let ids = |v: &[usize]| {
            v.iter()
                .map(|&i| f.services[i].id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        vec![
            ("name", s.name.clone()),
            ("kind", s.kind.as_str().to_string()),
            (
                "ingress",
                if s.ingress {
                    "yes".into()
                } else {
                    String::new()
                },
            ),
            (
                "ports",
                s.ports
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ("protocol", opt(&s.protocol)),
            ("unit", opt(&s.unit)),
            ("container", opt(&s.container)),
            ("schedule", opt(&s.schedule)),
            ("group", opt(&s.group)),
            ("description", opt(&s.description)),
            ("depends_on", ids(&s.depends_on)),
            ("mitigation", s.mitigations.join("; ")),
            ("maintenance", windows(&s.maintenance, false)),
            (
                "stops",
                match s.stop_window.filter(|_| !s.stops.is_empty()) {
                    Some(w) => format!("{} ({})", ids(&s.stops), w.describe()),
                    None => String::new(),
                },
            ),
        ]
    };
    let old: BTreeMap<&str, _> = before.services.iter().map(|s| (s.id.as_str(), s)).collect();
    let new: BTreeMap<&str, _> = after.services.iter().map(|s| (s.id.as_str(), s)).collect();
    let ids: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    for id in ids {
        let (a, b) = (old.get(id), new.get(id));
        let mut hosts: Vec<String> = Vec::new();
        for (f, s) in [(before, a), (after, b)] {
            if let Some(s) = s {
                for h in host_ids(f, s) {
                    if !hosts.contains(&h) {
                        hosts.push(h);
                    }
                }
            }
        }
        let c = match (a, b) {
            (None, Some(s)) => change(
                Subject::Service,
                id,
                Action::Added,
                differing(vec![("host", String::new(), host_ids(after, s).join(", "))]),
            ),
            (Some(s), None) => change(
                Subject::Service,
                id,
                Action::Removed,
                differing(vec![(
                    "host",
                    host_ids(before, s).join(", "),
                    String::new(),
                )]),
            ),
            (Some(x), Some(y)) => {
                let (hx, hy) = (
                    host_ids(before, x).join(", "),
                    host_ids(after, y).join(", "),
                );
                let moved = hx != hy;
                let mut f = differing(vec![("host", hx, hy)]);
                f.extend(differing(
                    fields(before, x)
                        .into_iter()
                        .zip(fields(after, y))
                        .map(|((n, p), (_, q))| (n, p, q))
                        .collect(),
                ));
                if f.is_empty() {
                    continue;
                }
                let action = if moved {
                    Action::Moved
                } else {
                    Action::Changed
                };
                change(Subject::Service, id, action, f)
            }
            (None, None) => continue,
        };
        out.push(Change {
            hosts,
            services: vec![id.to_string()],
            ..c
        });
    }
}

/// A route is a service's public hostname.
fn routes(before: &Fleet, after: &Fleet, out: &mut Vec<Change>) {
    let of = |f: &Fleet| -> BTreeMap<String, (String, Vec<String>)> {
        f.services
            .iter()
            .filter_map(|s| Some((s.id.to_string(), (s.public.clone()?, host_ids(f, s)))))
            .collect()
    };
    let (old, new) = (of(before), of(after));
    let ids: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for id in ids {
        let (action, fields, hosts) = match (old.get(id), new.get(id)) {
            (None, Some((p, h))) => (Action::Added, (String::new(), p.clone()), h.clone()),
            (Some((p, h)), None) => (Action::Removed, (p.clone(), String::new()), h.clone()),
            (Some((p, _)), Some((q, h))) if p != q => {
                (Action::Changed, (p.clone(), q.clone()), h.clone())
            }
            _ => continue,
        };
        out.push(Change {
            hosts,
            services: vec![id.clone()],
            ..change(
                Subject::Route,
                id,
                action,
                differing(vec![("public", fields.0, fields.1)]),
            )
        });
    }
}

fn endpoint_id(f: &Fleet, e: &Endpoint) -> String {
    match *e {
        Endpoint::Host(h) => f.hosts[h].id.to_string(),
        Endpoint::Service(s) => f.services[s].id.to_string(),
    }
}

fn links(before: &Fleet, after: &Fleet, out: &mut Vec<Change>) {
    type Seen = BTreeMap<String, (Vec<(&'static str, String)>, Vec<String>, Vec<String>)>;
    let of = |f: &Fleet| -> Seen {
        let mut m = Seen::new();
        for l in &f.links {
            let ids = |v: &[Endpoint]| v.iter().map(|e| endpoint_id(f, e)).collect::<Vec<_>>();
            let key = format!("{} -> {}", ids(&l.from).join(", "), ids(&l.to).join(", "));
            let mut hosts = Vec::new();
            let mut services = Vec::new();
            for e in l.from.iter().chain(&l.to) {
                if let Endpoint::Service(s) = e {
                    services.push(f.services[*s].id.to_string());
                }
                for h in f.endpoint_hosts(*e) {
                    let id = f.hosts[h].id.to_string();
                    if !hosts.contains(&id) {
                        hosts.push(id);
                    }
                }
            }
            let fields = vec![
                ("protocol", opt(&l.protocol)),
                ("via", opt(&l.via)),
                ("note", opt(&l.note)),
            ];
            m.entry(key).or_insert((fields, hosts, services));
        }
        m
    };
    let (old, new) = (of(before), of(after));
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let (c, hosts, services) = match (old.get(key), new.get(key)) {
            (None, Some((_, h, s))) => {
                (change(Subject::Link, key, Action::Added, Vec::new()), h, s)
            }
            (Some((_, h, s)), None) => (
                change(Subject::Link, key, Action::Removed, Vec::new()),
                h,
                s,
            ),
            (Some((a, _, _)), Some((b, h, s))) => {
                let f = differing(
                    a.iter()
                        .zip(b)
                        .map(|((n, x), (_, y))| (*n, x.clone(), y.clone()))
                        .collect(),
                );
                if f.is_empty() {
                    continue;
                }
                (change(Subject::Link, key, Action::Changed, f), h, s)
            }
            (None, None) => continue,
        };
        out.push(Change {
            hosts: hosts.clone(),
            services: services.clone(),
            ..c
        });
    }
}

fn backups(before: &Fleet, after: &Fleet, out: &mut Vec<Change>) {
    let of = |f: &Fleet| -> BTreeMap<String, (Vec<String>, Vec<String>)> {
        let mut m = BTreeMap::new();
        for s in &f.services {
            for &c in &s.backs_up {
                let covered = &f.services[c];
                let mut hosts = host_ids(f, s);
                for h in host_ids(f, covered) {
                    if !hosts.contains(&h) {
                        hosts.push(h);
                    }
                }
                m.insert(
                    format!("{} -> {}", s.id, covered.id),
                    (hosts, vec![s.id.to_string(), covered.id.to_string()]),
                );
            }
        }
        m
    };
    let (old, new) = (of(before), of(after));
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let (action, (hosts, services)) = match (old.get(key), new.get(key)) {
            (None, Some(v)) => (Action::Added, v),
            (Some(v), None) => (Action::Removed, v),
            _ => continue,
        };
        out.push(Change {
            hosts: hosts.clone(),
            services: services.clone(),
            ..change(Subject::Backup, key, action, Vec::new())
        });
    }
}

fn layout(before: &Fleet, after: &Fleet, out: &mut Vec<Change>) {
    let of = |f: &Fleet| {
        let l = &f.layout;
        vec![
            (
                "columns",
                l.columns.map(|c| c.to_string()).unwrap_or_default(),
            ),
            (
                "order",
                l.order
                    .iter()
                    .map(|&h| f.hosts[h].id.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            (
                "pin",
                l.pins
                    .iter()
                    .map(|&(h, c)| format!("{}: {}", f.hosts[h].id, c + 1))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ]
    };
    let f = differing(
        of(before)
            .into_iter()
            .zip(of(after))
            .map(|((n, x), (_, y))| (n, x, y))
            .collect(),
    );
    if !f.is_empty() {
        out.push(change(Subject::Layout, "layout", Action::Changed, f));
    }
}

/// One change as a line of text: `moved service status: host alpha -> gamma`.
pub fn describe(c: &Change) -> String {
    let mut s = match c.subject {
        Subject::Layout => format!("{} layout", c.action.as_str()),
        Subject::Route => format!("{} route of service {}", c.action.as_str(), c.name),
        other => format!("{} {} {}", c.action.as_str(), other.as_str(), c.name),
    };
    let fields: Vec<String> = c
        .fields
        .iter()
        .map(|f| match (f.before.is_empty(), f.after.is_empty()) {
            (true, false) if c.action == Action::Added => format!("{} {}", f.field, f.after),
            (false, true) if c.action == Action::Removed => format!("{} {}", f.field, f.before),
            (true, false) => format!("{} (none) -> {}", f.field, f.after),
            (false, true) => format!("{} {} -> (none)", f.field, f.before),
            _ => format!("{} {} -> {}", f.field, f.before, f.after),
        })
        .collect();
    if !fields.is_empty() {
        s.push_str(": ");
        s.push_str(&fields.join("; "));
    }
    s
}
