//! `discover --propose FILE`: a topology fragment for what runs but is not declared, so a
//! new user starts from what runs instead of typing it. One `services:` entry per
//! undeclared route, container or unit, with a comment saying where it was seen; ids are
//! made unique against the topology. The author reviews it and merges it by hand.

use crate::discover::compare::{Finding, Verdict};
use crate::model::Fleet;
use serde_norway::{Mapping, Value};
use std::collections::BTreeSet;

/// The fragment's YAML text. `host` is the host id the services run on (for routes, the
/// host of the fleet's ingress when there is exactly one).
pub fn fragment(findings: &[Finding], fleet: &Fleet, host: Option<usize>) -> String {
    let ingress_host = {
        let hosts: BTreeSet<usize> = fleet
            .services
            .iter()
            .filter(|s| s.ingress)
            .flat_map(|s| s.hosts.iter().copied())
            .collect();
        (hosts.len() == 1)
            .then(|| hosts.into_iter().next())
            .flatten()
    };
    let mut taken: BTreeSet<String> = fleet.services.iter().map(|s| s.id.to_string()).collect();
    let mut text = String::from(
        "# Proposed by `fleetdoc discover` from what runs and is not declared.\n\
         # Review each entry, then merge it into the topology's `services:`.\n\
         services:\n",
    );
    let mut count = 0;
    for f in findings.iter().filter(|f| f.verdict == Verdict::Undeclared) {
        let Some(p) = &f.proposal else { continue };
        let mut id = p.id.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{}-{n}", p.id);
            n += 1;
        }
        taken.insert(id.clone());
        let on = if p.public.is_some() {
            host.or(ingress_host)
        } else {
            host
        };
        let mut m = Mapping::new();
        let host_value = on
            .map(|h| fleet.hosts[h].id.to_string())
            .unwrap_or_else(|| "HOST".into());
        m.insert("host".into(), Value::String(host_value));
        m.insert("kind".into(), Value::String(p.kind.as_str().into()));
        if let Some(port) = p.port {
            m.insert("port".into(), Value::Number(port.into()));
        }
        if let Some(public) = &p.public {
            m.insert("public".into(), Value::String(public.clone()));
        }
        if let Some(unit) = &p.unit {
            m.insert("unit".into(), Value::String(unit.clone()));
        }
        if let Some(c) = &p.container {
            m.insert("container".into(), Value::String(c.clone()));
        }
        let mut entry = Mapping::new();
        entry.insert(Value::String(id), Value::Mapping(m));
        let yaml = serde_norway::to_string(&entry).unwrap_or_default();
        text.push_str(&format!("  # seen: {}\n", p.note.replace('\n', " ")));
        for line in yaml.lines() {
            text.push_str("  ");
            text.push_str(line);
            text.push('\n');
        }
        count += 1;
    }
    if count == 0 {
        text.push_str("  {}   # nothing undeclared runs\n");
    }
    text
}

/// A whole starter topology from Traefik's routes (`fleetdoc init --from-traefik`): one
/// host for Traefik and a service per routed hostname, for the author to complete.
pub fn starter(routes: &[crate::discover::Route], api: &str) -> String {
    let mut text = format!(
        "# Started by `fleetdoc init --from-traefik {api}` from the routes Traefik serves.\n\
         # Set the host's address and role, each service's kind, and add what Traefik does\n\
         # not route; `fleetdoc discover --traefik URL` then says what still differs.\n\
         fleet:\n  name: Example Fleet\n\n\
         hosts:\n  web1:\n    address: 192.0.2.10   # this host's address\n    role: Traefik ingress\n\n\
         services:\n  traefik:\n    host: web1\n    kind: docker\n    ingress: true\n    ports: [80, 443]\n"
    );
    let mut taken: BTreeSet<String> = BTreeSet::from(["traefik".to_string(), "web1".to_string()]);
    let mut seen_hosts: BTreeSet<&str> = BTreeSet::new();
    for r in routes {
        for h in &r.hosts {
            if !seen_hosts.insert(h.as_str()) {
                continue;
            }
            let base = crate::discover::compare::id_of(h.split('.').next().unwrap_or(h));
            let mut id = base.clone();
            let mut n = 2;
            while taken.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            taken.insert(id.clone());
            let mut m = Mapping::new();
            m.insert("host".into(), Value::String("web1".into()));
            m.insert("kind".into(), Value::String("process".into()));
            if let Some(port) = r.backend_ports().into_iter().find(|p| *p > 0) {
                m.insert("port".into(), Value::Number(port.into()));
            }
            m.insert("public".into(), Value::String(h.clone()));
            let mut entry = Mapping::new();
            entry.insert(Value::String(id), Value::Mapping(m));
            text.push_str(&format!(
                "  # Traefik router {}\n",
                r.described().replace('\n', " ")
            ));
            for line in serde_norway::to_string(&entry).unwrap_or_default().lines() {
                text.push_str("  ");
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    text
}
