//! `discover --propose FILE`: a topology fragment for what runs but is not declared, so a
//! new user starts from what runs instead of typing it. One `services:` entry per
//! undeclared route, container or unit, with a comment saying where it was seen; ids are
//! made unique against the topology. The author reviews it and merges it by hand.

use crate::discover::compare::{Finding, Verdict};
use crate::discover::{Proto, Route};
use crate::model::Fleet;
use serde_norway::{Mapping, Value};
use std::collections::BTreeSet;

/// A host id for a backend address no host of the topology has (`192.0.2.20` ->
/// `host-192-0-2-20`).
fn host_id_of(address: &str) -> String {
    let id = crate::discover::compare::id_of(address);
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        format!("host-{id}")
    } else {
        id
    }
}

/// One `key:` entry of a YAML mapping, indented by two spaces, after `# comment` lines.
fn entry(text: &mut String, comments: &[String], key: &str, m: Mapping) {
    for c in comments {
        text.push_str(&format!("  # {}\n", c.replace('\n', " ")));
    }
    let mut e = Mapping::new();
    e.insert(Value::String(key.to_string()), Value::Mapping(m));
    for line in serde_norway::to_string(&e).unwrap_or_default().lines() {
        text.push_str("  ");
        text.push_str(line);
        text.push('\n');
    }
}

/// The fragment's YAML text. `host` is the host id the services run on (for routes, the
/// host of the backend's address, or of the fleet's ingress when there is exactly one).
/// A backend address no host has gets a host of its own (`hosts:`).
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
    let mut new_hosts: Vec<(String, String)> = Vec::new();
    let mut services = String::new();
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
        let mut comments = vec![format!("seen: {}", p.note)];
        let (host_value, has_ingress) = match &p.at {
            Some(addr) => match fleet
                .hosts
                .iter()
                .position(|h| h.address.to_string().eq_ignore_ascii_case(addr))
            {
                Some(h) => (fleet.hosts[h].id.to_string(), fleet.ingress_of(h).is_some()),
                None => {
                    let hid = host_id_of(addr);
                    if !new_hosts.iter().any(|(i, _)| *i == hid) {
                        new_hosts.push((hid.clone(), addr.clone()));
                    }
                    (hid, false)
                }
            },
            None => {
                let on = if p.public.is_some() || f.check == fleetdoc_probe::CheckKind::Route {
                    host.or(ingress_host)
                } else {
                    host
                };
                match on {
                    Some(h) => (fleet.hosts[h].id.to_string(), fleet.ingress_of(h).is_some()),
                    None => ("HOST".into(), true),
                }
            }
        };
        let mut m = Mapping::new();
        m.insert("host".into(), Value::String(host_value.clone()));
        m.insert("kind".into(), Value::String(p.kind.as_str().into()));
        if let Some(port) = p.port {
            m.insert("port".into(), Value::Number(port.into()));
        }
        if let Some(public) = &p.public {
            if has_ingress {
                m.insert("public".into(), Value::String(public.clone()));
            } else {
                comments.push(format!(
                    "routed as {public} by an ingress on another host: link it from that ingress (`via: {public}`)"
                ));
            }
        }
        if let Some(unit) = &p.unit {
            m.insert("unit".into(), Value::String(unit.clone()));
        }
        if let Some(c) = &p.container {
            m.insert("container".into(), Value::String(c.clone()));
        }
        entry(&mut services, &comments, &id, m);
        count += 1;
    }
    let mut text = String::from(
        "# Proposed by `fleetdoc discover` from what runs and is not declared.\n\
         # Review each entry, then merge it into the topology.\n",
    );
    if !new_hosts.is_empty() {
        text.push_str("hosts:\n");
        for (id, addr) in &new_hosts {
            let mut m = Mapping::new();
            m.insert("address".into(), Value::String(addr.clone()));
            entry(
                &mut text,
                &["a backend address no host of the topology has".into()],
                id,
                m,
            );
        }
    }
    text.push_str("services:\n");
    text.push_str(&services);
    if count == 0 {
        text.push_str("  {}   # nothing undeclared runs\n");
    }
    text
}

/// A whole starter topology from Traefik's routers (`fleetdoc init --from-traefik`): a
/// host for Traefik (loopback backends run there) and one per other backend address; a
/// service per Traefik service that an accepted router sends to, named after it, on the
/// hosts of its backends' addresses, with the `public` hostname of its first router
/// without a path when it runs beside Traefik, and a link from Traefik when it runs
/// elsewhere. Routers Traefik refused are listed as comments and declare nothing.
pub fn starter(routes: &[Route], api: &str) -> String {
    use crate::discover::{backend_host, is_loopback};
    let mut text = format!(
        "# Started by `fleetdoc init --from-traefik {api}` from the routes Traefik serves.\n\
         # Set the hosts' addresses and roles, each service's kind, and add what Traefik does\n\
         # not route; `fleetdoc discover --traefik URL` then says what still differs.\n"
    );
    for r in routes.iter().filter(|r| r.rejected.is_some()) {
        text.push_str(&format!(
            "# Traefik refused router {} (rule {}): {}\n",
            r.router,
            r.rule,
            r.rejected.as_deref().unwrap_or_default().replace('\n', " ")
        ));
    }
    text.push_str(
        "fleet:\n  name: Example Fleet\n\n\
         hosts:\n  web1:\n    address: 192.0.2.10   # this host's address\n    role: Traefik ingress\n",
    );
    // Traefik services in the order their first router names them (routers are sorted).
    struct Svc<'a> {
        id: String,
        hosts: Vec<String>,
        ports: Vec<u16>,
        public: Option<String>,
        via: Vec<String>,
        routers: Vec<&'a Route>,
    }
    let mut taken: BTreeSet<String> = BTreeSet::from(["traefik".to_string()]);
    let mut addresses: Vec<(String, String)> = Vec::new(); // (address, host id)
    let mut publics: BTreeSet<String> = BTreeSet::new();
    let mut svcs: Vec<(String, Svc)> = Vec::new();
    for r in routes.iter().filter(|r| r.rejected.is_none()) {
        if r.backends.is_empty() || r.service.is_empty() {
            continue;
        }
        let key = format!("{:?}:{}", r.proto, r.service);
        let i = match svcs.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                let base = crate::discover::compare::id_of(&r.service);
                let mut id = base.clone();
                let mut n = 2;
                while taken.contains(&id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                taken.insert(id.clone());
                let mut hosts = Vec::new();
                for b in &r.backends {
                    let Some(addr) = backend_host(b) else {
                        continue;
                    };
                    let hid = if is_loopback(&addr) {
                        "web1".to_string()
                    } else {
                        match addresses.iter().find(|(a, _)| *a == addr) {
                            Some((_, h)) => h.clone(),
                            None => {
                                let h = host_id_of(&addr);
                                addresses.push((addr, h.clone()));
                                h
                            }
                        }
                    };
                    if !hosts.contains(&hid) {
                        hosts.push(hid);
                    }
                }
                svcs.push((
                    key,
                    Svc {
                        id,
                        hosts,
                        ports: r.backend_ports(),
                        public: None,
                        via: Vec::new(),
                        routers: Vec::new(),
                    },
                ));
                svcs.len() - 1
            }
        };
        let s = &mut svcs[i].1;
        s.routers.push(r);
        if r.path.is_none() && r.proto == Proto::Http {
            for h in &r.hosts {
                let beside = s.hosts.iter().all(|h| h == "web1");
                if beside && s.public.is_none() && publics.insert(h.clone()) {
                    s.public = Some(h.clone());
                } else if s.public.as_deref() != Some(h.as_str()) && !s.via.contains(h) {
                    s.via.push(h.clone());
                }
            }
        }
    }
    for (addr, id) in &addresses {
        let mut m = Mapping::new();
        m.insert("address".into(), Value::String(addr.clone()));
        entry(
            &mut text,
            &["a backend address of Traefik's services".into()],
            id,
            m,
        );
    }
    text.push_str(
        "\nservices:\n  traefik:\n    host: web1\n    kind: docker\n    ingress: true\n    ports: [80, 443]\n",
    );
    let mut links = String::new();
    for (_, s) in &svcs {
        let comments: Vec<String> = s
            .routers
            .iter()
            .map(|r| {
                format!(
                    "Traefik router {} sends {} to {}",
                    r.described(),
                    if r.rule.is_empty() {
                        "everything"
                    } else {
                        &r.rule
                    },
                    r.backends.join(", ")
                )
            })
            .collect();
        let mut m = Mapping::new();
        m.insert(
            "host".into(),
            if s.hosts.len() == 1 {
                Value::String(s.hosts[0].clone())
            } else {
                Value::Sequence(s.hosts.iter().cloned().map(Value::String).collect())
            },
        );
        m.insert("kind".into(), Value::String("process".into()));
        match s.ports.as_slice() {
            [] => {}
            [p] => {
                m.insert("port".into(), Value::Number((*p).into()));
            }
            ps => {
                m.insert(
                    "ports".into(),
                    Value::Sequence(ps.iter().map(|p| Value::Number((*p).into())).collect()),
                );
            }
        }
        if s.routers.iter().any(|r| r.proto == Proto::Udp) {
            m.insert("protocol".into(), Value::String("udp".into()));
        }
        if let Some(p) = &s.public {
            m.insert("public".into(), Value::String(p.clone()));
        }
        entry(&mut text, &comments, &s.id, m);
        if !s.hosts.iter().all(|h| h == "web1") {
            for via in s
                .via
                .iter()
                .map(Some)
                .chain(s.via.is_empty().then_some(None))
            {
                links.push_str(&format!("  - from: traefik\n    to: {}\n", s.id));
                if let Some(v) = via {
                    links.push_str(&format!("    via: {v}\n"));
                }
            }
        }
    }
    if !links.is_empty() {
        text.push_str("\nlinks:\n");
        text.push_str(&links);
    }
    text
}
