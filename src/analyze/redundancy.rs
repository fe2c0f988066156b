//! Redundancy, computed, never typed: a service is a single point of failure when it runs on
//! one host and something depends on it (a link, `depends_on`, or a public hostname); a host
//! is one when a single-point-of-failure service runs on it.

use crate::model::{Endpoint, Fleet};

/// Why something is a single point of failure, and who would notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spof {
    pub subject: SpofSubject,
    pub reasons: Vec<String>,
    /// Display names of the services and hosts that depend on it.
    pub dependents: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpofSubject {
    Service(usize),
    Host(usize),
}

pub fn single_points_of_failure(fleet: &Fleet) -> Vec<Spof> {
    let mut out = Vec::new();
    let mut host_spofs: Vec<Vec<String>> = vec![Vec::new(); fleet.hosts.len()];
    for (i, s) in fleet.services.iter().enumerate() {
        if s.hosts.len() != 1 {
            continue;
        }
        let mut reasons = Vec::new();
        let mut dependents: Vec<String> = Vec::new();
        if let Some(p) = &s.public {
            reasons.push(format!("serves public hostname {p}"));
        }
        let dep_by: Vec<&str> = fleet
            .services
            .iter()
            .filter(|o| o.depends_on.contains(&i))
            .map(|o| o.name.as_str())
            .collect();
        if !dep_by.is_empty() {
            reasons.push(format!(
                "{} {} on it",
                dep_by.len(),
                if dep_by.len() == 1 {
                    "service depends"
                } else {
                    "services depend"
                }
            ));
            dependents.extend(dep_by.iter().map(|n| n.to_string()));
        }
        let mut linked = 0;
        for l in &fleet.links {
            if l.to.contains(&Endpoint::Service(i)) {
                linked += 1;
                for &f in &l.from {
                    dependents.push(fleet.endpoint_name(f));
                }
            }
        }
        if linked > 0 {
            reasons.push(format!(
                "target of {linked} {}",
                if linked == 1 { "link" } else { "links" }
            ));
        }
        if reasons.is_empty() {
            continue;
        }
        dependents.sort();
        dependents.dedup();
        let h = s.hosts[0];
        reasons.push(format!("runs only on {}", fleet.hosts[h].name));
        host_spofs[h].push(s.name.clone());
        out.push(Spof {
            subject: SpofSubject::Service(i),
            reasons,
            dependents,
        });
    }
    for (h, names) in host_spofs.into_iter().enumerate() {
        if !names.is_empty() {
            out.push(Spof {
                subject: SpofSubject::Host(h),
                reasons: vec![format!("only host of {}", names.join(", "))],
                dependents: Vec::new(),
            });
        }
    }
    out
}
