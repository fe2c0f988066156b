//! What the fleet's history says about names a runbook uses: a unit renamed or retired, a
//! host retired, a public hostname changed (for the suggestion of a stale name, before any
//! "did you mean"), and when each service and host last changed (for "may be out of date").
//! Built once per build from [`crate::model::changes::History`] (docs/changes.md).

use crate::model::changes::{Action, History, Subject};
use std::collections::HashMap;

/// A change to a name, and the day it happened.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Dated {
    /// The new name, or `None` when the thing was removed.
    pub to: Option<String>,
    pub date: String,
}

#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// Unit file name (`observer.service`) -> what became of it.
    pub units: HashMap<String, Dated>,
    /// Host id -> its retirement.
    pub hosts: HashMap<String, Dated>,
    /// Public hostname -> what became of it.
    pub public: HashMap<String, Dated>,
    /// Service id -> the newest change to the service itself or its route: (commit time, day).
    pub service_changed: HashMap<String, (i64, String)>,
    /// Host id -> the newest change to the host's own fields.
    pub host_changed: HashMap<String, (i64, String)>,
    /// Page source (`content/...`) -> its last commit: (time, day).
    pub page_changed: HashMap<String, (i64, String)>,
}

impl Hints {
    pub fn from_history(h: &History, git: &crate::load::git::GitHistory) -> Hints {
        let mut out = Hints::default();
        for (path, &i) in &git.last_change {
            if path.starts_with("content/") && path.ends_with(".md") {
                let c = &git.commits[i];
                out.page_changed.insert(path.clone(), (c.time, c.date()));
            }
        }
        // Newest first: the first entry for a name is its latest fate.
        for c in &h.commits {
            for ch in c.changes() {
                let field = |name: &str| ch.fields.iter().find(|f| f.field == name);
                let dated = |to: Option<String>| Dated {
                    to,
                    date: c.date.clone(),
                };
                match (ch.subject, ch.action) {
                    (Subject::Host, Action::Removed) => {
                        out.hosts.entry(ch.name.clone()).or_insert(dated(None));
                    }
                    (Subject::Host, Action::Changed) => {
                        out.host_changed
                            .entry(ch.name.clone())
                            .or_insert((c.time, c.date.clone()));
                    }
                    (Subject::Service, action) => {
                        if let Some(f) = field("unit").filter(|f| !f.before.is_empty()) {
                            let to = (action != Action::Removed && !f.after.is_empty())
                                .then(|| super::resolve::unit_file_name(&f.after));
                            out.units
                                .entry(super::resolve::unit_file_name(&f.before))
                                .or_insert(dated(to));
                        }
                        if action != Action::Added {
                            out.service_changed
                                .entry(ch.name.clone())
                                .or_insert((c.time, c.date.clone()));
                        }
                    }
                    (Subject::Route, action) => {
                        if let Some(f) = field("public").filter(|f| !f.before.is_empty()) {
                            let to = (action != Action::Removed && !f.after.is_empty())
                                .then(|| f.after.to_ascii_lowercase());
                            out.public
                                .entry(f.before.to_ascii_lowercase())
                                .or_insert(dated(to));
                        }
                        if action != Action::Added {
                            out.service_changed
                                .entry(ch.name.clone())
                                .or_insert((c.time, c.date.clone()));
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// The history's word on a unit that is not declared, as a message tail.
    pub fn unit(&self, unit: &str) -> Option<String> {
        self.units.get(unit).map(|d| match &d.to {
            Some(to) => format!("; renamed to `{to}` on {}", d.date),
            None => format!("; its service was removed on {}", d.date),
        })
    }

    /// The history's word on a host id or public hostname that is not the fleet's.
    pub fn host(&self, name: &str) -> Option<String> {
        if let Some(d) = self.hosts.get(name) {
            return Some(format!("; host `{name}` retired on {}", d.date));
        }
        self.public.get(name).map(|d| match &d.to {
            Some(to) => format!("; its route moved to `{to}` on {}", d.date),
            None => format!("; its route was removed on {}", d.date),
        })
    }
}
