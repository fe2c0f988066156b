//! Redundancy, computed, never typed: a service is a single point of failure when it runs on
//! one host and something depends on it (a link, `depends_on`, or a public hostname); a host
//! is one when a single-point-of-failure service runs on it. Beside each: what limits the
//! damage (declared `mitigation`s, backup timers that cover it, a host's rebuild source) and
//! what is not yet redundant, the way a careful operator writes it by hand.

use crate::model::{Endpoint, Fleet};

/// Why something is a single point of failure, and who would notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spof {
    pub subject: SpofSubject,
    pub reasons: Vec<String>,
    /// Display names of the services and hosts that depend on it.
    pub dependents: Vec<String>,
    pub mitigations: Vec<Mitigation>,
    /// What is not yet redundant about it, in words ("no replica, no backup").
    pub gaps: String,
}

/// One thing that limits an outage of a single point of failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mitigation {
    /// Written in the topology (`mitigation:` on the service or host).
    Declared(String),
    /// A backup timer (a service index) whose `backs_up` covers it.
    Backup(usize),
    /// The host's `rebuild` source.
    Rebuild(String),
}

/// Declared mitigations and covering backups (`backed_by`, in declaration order) of
/// service `i`.
fn service_mitigations(fleet: &Fleet, i: usize, backed_by: &[usize]) -> Vec<Mitigation> {
    let mut m: Vec<Mitigation> = fleet.services[i]
        .mitigations
        .iter()
        .cloned()
        .map(Mitigation::Declared)
        .collect();
    m.extend(backed_by.iter().copied().map(Mitigation::Backup));
    m
}

/// For each service, the services that name it: in `depends_on`, and in `backs_up`; and
/// the links whose `to` holds it. Each list is in declaration order and names each once,
/// built in one pass so the analysis stays linear in the fleet.
struct Dependents {
    depended_by: Vec<Vec<usize>>,
    backed_by: Vec<Vec<usize>>,
    linked_by: Vec<Vec<usize>>,
}

fn dependents(fleet: &Fleet) -> Dependents {
    let n = fleet.services.len();
    let mut d = Dependents {
        depended_by: vec![Vec::new(); n],
        backed_by: vec![Vec::new(); n],
        linked_by: vec![Vec::new(); n],
    };
    let add = |lists: &mut Vec<Vec<usize>>, target: usize, who: usize| {
        if let Some(list) = lists.get_mut(target) {
            if list.last() != Some(&who) {
                list.push(who);
            }
        }
    };
    for (o, s) in fleet.services.iter().enumerate() {
        for &t in &s.depends_on {
            add(&mut d.depended_by, t, o);
        }
        for &t in &s.backs_up {
            add(&mut d.backed_by, t, o);
        }
    }
    for (l, link) in fleet.links.iter().enumerate() {
        for e in &link.to {
            if let Endpoint::Service(t) = *e {
                add(&mut d.linked_by, t, l);
            }
        }
    }
    d
}

fn service_gaps(m: &[Mitigation]) -> String {
    let backup = m.iter().any(|x| matches!(x, Mitigation::Backup(_)));
    match (backup, m.len()) {
        (false, 0) => "no replica, no backup, no mitigation declared".into(),
        (false, _) => "no replica, no backup".into(),
        (true, 1) => "no replica: a restore from backup is the way back".into(),
        (true, _) => "no replica".into(),
    }
}

/// "Single points of failure: 4 (3 services, 1 host)", then what has nothing declared to
/// limit an outage.
pub fn summary(fleet: &Fleet, spofs: &[Spof]) -> String {
    if spofs.is_empty() {
        return "Single points of failure: 0.".into();
    }
    let services = spofs
        .iter()
        .filter(|s| matches!(s.subject, SpofSubject::Service(_)))
        .count();
    let hosts = spofs.len() - services;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut out = format!(
        "Single points of failure: {} ({}, {}).",
        spofs.len(),
        plural(services, "service", "services"),
        plural(hosts, "host", "hosts")
    );
    let bare: Vec<&str> = spofs
        .iter()
        .filter_map(|s| match s.subject {
            SpofSubject::Service(i) if s.mitigations.is_empty() => {
                Some(fleet.services[i].name.as_str())
            }
            _ => None,
        })
        .collect();
    if bare.is_empty() {
        out.push_str(" Each has a mitigation or a backup; none has a replica yet.");
    } else {
        out.push_str(&format!(
            " Not yet redundant, with no backup or mitigation declared: {}.",
            bare.join(", ")
        ));
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpofSubject {
    Service(usize),
    Host(usize),
}

pub fn single_points_of_failure(fleet: &Fleet) -> Vec<Spof> {
    let mut out = Vec::new();
    let index = dependents(fleet);
    // Per host: its single-point-of-failure services, and whether each has no mitigation.
    let mut host_spofs: Vec<Vec<(String, bool)>> = vec![Vec::new(); fleet.hosts.len()];
    for (i, s) in fleet.services.iter().enumerate() {
        if s.hosts.len() != 1 {
            continue;
        }
        let mut reasons = Vec::new();
        let mut dependents: Vec<String> = Vec::new();
        if let Some(p) = &s.public {
            reasons.push(format!("serves public hostname {p}"));
        }
        let dep_by: Vec<&str> = index.depended_by[i]
            .iter()
            .map(|&o| fleet.services[o].name.as_str())
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
        let linked = index.linked_by[i].len();
        for &l in &index.linked_by[i] {
            for &f in &fleet.links[l].from {
                dependents.push(fleet.endpoint_name(f));
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
        let mitigations = service_mitigations(fleet, i, &index.backed_by[i]);
        host_spofs[h].push((s.name.clone(), mitigations.is_empty()));
        out.push(Spof {
            subject: SpofSubject::Service(i),
            reasons,
            dependents,
            gaps: service_gaps(&mitigations),
            mitigations,
        });
    }
    for (h, spofs) in host_spofs.into_iter().enumerate() {
        if spofs.is_empty() {
            continue;
        }
        let host = &fleet.hosts[h];
        let names: Vec<&str> = spofs.iter().map(|(n, _)| n.as_str()).collect();
        let bare: Vec<&str> = spofs
            .iter()
            .filter(|(_, bare)| *bare)
            .map(|(n, _)| n.as_str())
            .collect();
        let mut mitigations: Vec<Mitigation> = host
            .mitigations
            .iter()
            .cloned()
            .map(Mitigation::Declared)
            .collect();
        mitigations.extend(host.rebuild.clone().map(Mitigation::Rebuild));
        let gaps = if bare.is_empty() {
            "no second host for these services".to_string()
        } else {
            format!(
                "no second host; no backup or mitigation for {}",
                bare.join(", ")
            )
        };
        out.push(Spof {
            subject: SpofSubject::Host(h),
            reasons: vec![format!("only host of {}", names.join(", "))],
            dependents: Vec::new(),
            mitigations,
            gaps,
        });
    }
    out
}
