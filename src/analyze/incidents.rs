//! Which incidents touch which service: the open ones (marked on service rows) and, for a
//! status row, the one that covers the time it was measured. Built from the model's
//! incidents; the public profile builds it again from its own (public) incidents.

use crate::model::incidents::Incident;
use chrono::{DateTime, Utc};

/// An incident as a table row links to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mark {
    pub slug: String,
    pub title: String,
    pub started: DateTime<Utc>,
    /// `None` while open.
    pub resolved: Option<DateTime<Utc>>,
}

impl Mark {
    /// The site-root-relative link to the incident on the incidents page.
    pub fn href(&self) -> String {
        format!("incidents/#{}", anchor(&self.slug))
    }
}

/// The anchor of an incident on the incidents page: its file name, with anything but
/// letters, digits, `-` and `_` made `-` (an `id` holds no spaces).
pub fn anchor(slug: &str) -> String {
    slug.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The incidents of each service, indexed like `Fleet::services`, in the site's order
/// (open first, then newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ByService(pub Vec<Vec<Mark>>);

impl ByService {
    pub fn new(incidents: &[Incident], services: usize) -> Self {
        let mut by = vec![Vec::new(); services];
        for i in incidents {
            let mark = Mark {
                slug: i.slug.clone(),
                title: i.title.clone(),
                started: i.started,
                resolved: i.resolved,
            };
            for &s in &i.services {
                if let Some(v) = by.get_mut(s) {
                    v.push(mark.clone());
                }
            }
        }
        ByService(by)
    }

    /// The service's open incident, if any (the first, when there are several).
    pub fn open(&self, s: usize) -> Option<&Mark> {
        self.0.get(s)?.iter().find(|m| m.resolved.is_none())
    }

    /// The incident open at `at` for the service, if any: an open one counts from its
    /// start on.
    pub fn at(&self, s: usize, at: DateTime<Utc>) -> Option<&Mark> {
        self.0
            .get(s)?
            .iter()
            .find(|m| m.started <= at && m.resolved.is_none_or(|r| at <= r))
    }
}
