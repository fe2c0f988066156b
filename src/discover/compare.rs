//! What runs held against what is declared. Routes match services by their `public`
//! hostname, and a matched route's backend port must be one of the service's ports;
//! containers match `kind: docker` services by container name (the service id, or its
//! `container:`) or compose service name; units match `kind: systemd`/`timer` services by
//! `unit` (default `ID.service` / `ID.timer`). Containers and units belong to one host
//! (`--host`, or the fleet's only host); without one, only what runs is compared, since
//! "declared but not running" cannot be told for a host that was not looked at.

use crate::diag::Loc;
use crate::discover::{backend_host, is_loopback, systemd, url_port, Discovered, Route};
use crate::model::{Fleet, Service, ServiceKind};
use fleetdoc_probe::{CheckKind, CheckResult};
use std::collections::BTreeMap;

/// How one discovered item compares with the topology.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Runs and is declared as it runs.
    Declared,
    /// Runs, but the topology does not declare it.
    Undeclared,
    /// Declared, but does not run (or is not routed).
    Missing,
    /// Declared and runs, but not as declared (a route's backend port).
    Differs,
    /// A router the proxy itself refused: it routes nothing.
    Rejected,
    /// Seen, but nothing in the topology can be held against it (a `HostRegexp` rule,
    /// a UDP router...): listed with why, never "no drift".
    NotCompared,
}

impl Verdict {
    /// The `state` written into a discovery snapshot.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Declared => "declared",
            Verdict::Undeclared => "undeclared",
            Verdict::Missing => "missing",
            Verdict::Differs => "differs",
            Verdict::Rejected => "rejected",
            Verdict::NotCompared => "not compared",
        }
    }
    /// The words printed by `discover`.
    pub fn words(self, check: CheckKind) -> &'static str {
        match (self, check) {
            (Verdict::Declared, _) => "declared",
            (Verdict::Undeclared, CheckKind::Route) => "routed, not declared",
            (Verdict::Undeclared, _) => "runs, not declared",
            (Verdict::Missing, CheckKind::Route) => "declared, not routed",
            (Verdict::Missing, _) => "declared, not running",
            (Verdict::Differs, _) => "declared differently",
            (Verdict::Rejected, _) => "rejected by Traefik",
            (Verdict::NotCompared, _) => "not compared",
        }
    }

    /// Whether it is a difference between what runs and the topology.
    pub fn is_drift(self) -> bool {
        !matches!(self, Verdict::Declared | Verdict::NotCompared)
    }
}

/// A service the topology could gain, for `--propose`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub id: String,
    pub kind: ServiceKind,
    pub port: Option<u16>,
    pub public: Option<String>,
    pub unit: Option<String>,
    pub container: Option<String>,
    /// The backend's address when it is another machine than the proxy's
    /// (`192.0.2.20`): the service runs there.
    pub at: Option<String>,
    /// Where it was seen, as a comment.
    pub note: String,
}

/// One compared item.
#[derive(Debug, Clone)]
pub struct Finding {
    pub verdict: Verdict,
    /// `Route`, `Container` or `Unit`.
    pub check: CheckKind,
    pub host: Option<String>,
    pub target: String,
    /// What was seen.
    pub what: String,
    /// What to add or fix in the topology.
    pub fix: String,
    /// The declaring service's place in the topology, when it is declared.
    pub at: Option<Loc>,
    pub proposal: Option<Proposal>,
}

impl Finding {
    /// The result written into a discovery snapshot.
    pub fn result(&self) -> CheckResult {
        let mut r = CheckResult::new(self.check, &self.target, self.host.clone());
        r.ok = self.verdict == Verdict::Declared;
        r.state = Some(self.verdict.as_str().into());
        if !r.ok {
            r.error = Some(fleetdoc_probe::clean(&format!(
                "{}; {}",
                self.what, self.fix
            )));
        }
        r
    }
}

/// Every item of `found` compared with `fleet`; `host` is the host whose containers and
/// units were read. Sorted: differences first, by kind and target.
pub fn compare(fleet: &Fleet, found: &Discovered, host: Option<usize>) -> Vec<Finding> {
    let mut out = Vec::new();
    let host_id = host.map(|h| fleet.hosts[h].id.to_string());
    let in_scope = |s: &Service| host.is_none_or(|h| s.hosts.contains(&h));
    if !found.routes.is_empty() || found.read_routes {
        routes(fleet, found, &mut out);
    }
    if found.read_containers {
        for c in &found.containers {
            let names = c.names();
            let m = fleet.services.iter().find(|s| {
                s.kind == ServiceKind::Docker && names.contains(&s.container_name()) && in_scope(s)
            });
            let ports = join(&c.published);
            let what = format!(
                "{}: container {} (image {}{})",
                c.source,
                c.name,
                if c.image.is_empty() { "?" } else { &c.image },
                if ports.is_empty() {
                    String::new()
                } else {
                    format!(", ports {ports}")
                }
            );
            out.push(match m {
                Some(s) => declared(CheckKind::Container, &host_id, &c.name, what, s),
                None => {
                    // `nextcloud-db-1` proposes `nextcloud-db`: the replica number is Compose's.
                    let stem = match c.name.rsplit_once('-') {
                        Some((s, n))
                            if c.service.is_some() && n.bytes().all(|b| b.is_ascii_digit()) =>
                        {
                            s
                        }
                        _ => &c.name,
                    };
                    let id = id_of(stem);
                    let container = (id != c.name).then(|| c.name.clone());
                    let port = c.published.first().or(c.internal.first()).copied();
                    Finding {
                        verdict: Verdict::Undeclared,
                        check: CheckKind::Container,
                        host: host_id.clone(),
                        target: c.name.clone(),
                        fix: format!(
                            "add a service `{id}` with `kind: docker`{}{} to the topology",
                            container
                                .as_ref()
                                .map(|n| format!(", `container: {n}`"))
                                .unwrap_or_default(),
                            port.map(|p| format!(", `port: {p}`")).unwrap_or_default()
                        ),
                        what,
                        at: None,
                        proposal: Some(Proposal {
                            id,
                            kind: ServiceKind::Docker,
                            port,
                            public: None,
                            unit: None,
                            container,
                            at: None,
                            note: format!("{}, image {}", c.source, c.image),
                        }),
                    }
                }
            });
        }
        if host.is_some() {
            // Within compose stacks, only their containers were looked at: one a compose
            // file defines, or one named `PROJECT-...` of one of them.
            let prefixes: Vec<String> = found
                .stacks
                .iter()
                .chain(found.containers.iter().filter_map(|c| c.project.as_ref()))
                .filter(|p| !p.is_empty())
                .map(|p| format!("{p}-"))
                .collect();
            let looked_at = |name: &str| {
                found.read_all_containers
                    || prefixes.iter().any(|p| name.starts_with(p.as_str()))
                    || found.defined.iter().any(|d| d == name)
                    || found.containers.iter().any(|c| c.names().contains(&name))
            };
            for s in fleet
                .services
                .iter()
                .filter(|s| s.kind == ServiceKind::Docker && in_scope(s))
                .filter(|s| looked_at(s.container_name()))
            {
                let name = s.container_name();
                if found.containers.iter().any(|c| c.names().contains(&name)) {
                    continue;
                }
                out.push(Finding {
                    verdict: Verdict::Missing,
                    check: CheckKind::Container,
                    host: host_id.clone(),
                    target: name.to_string(),
                    what: format!("service `{}` is declared as a docker container `{name}`, but none by that name was found", s.id),
                    fix: "start it, set its `container:` to the name it runs as, or remove it from the topology".into(),
                    at: Some(s.loc.clone()),
                    proposal: None,
                });
            }
        }
    }
    if found.read_units {
        let unit_of = |s: &Service| {
            s.unit.clone().unwrap_or_else(|| match s.kind {
                ServiceKind::Timer => format!("{}.timer", s.id),
                _ => format!("{}.service", s.id),
            })
        };
        let declared_units = || {
            fleet.services.iter().filter(|s| {
                matches!(s.kind, ServiceKind::Systemd | ServiceKind::Timer) && in_scope(s)
            })
        };
        for u in found.units.iter().filter(|u| systemd::runs(u)) {
            let m = declared_units().find(|s| unit_of(s) == u.name);
            let what = format!("systemd: unit {} is {} ({})", u.name, u.active, u.sub);
            match m {
                Some(s) => out.push(declared(CheckKind::Unit, &host_id, &u.name, what, s)),
                None if systemd::is_system(&u.name) => {}
                None => {
                    let stem = u.name.rsplit_once('.').map(|(s, _)| s).unwrap_or(&u.name);
                    let id = id_of(stem);
                    let kind = if u.name.ends_with(".timer") {
                        ServiceKind::Timer
                    } else {
                        ServiceKind::Systemd
                    };
                    out.push(Finding {
                        verdict: Verdict::Undeclared,
                        check: CheckKind::Unit,
                        host: host_id.clone(),
                        target: u.name.clone(),
                        fix: format!(
                            "add a service `{id}` with `kind: {}` and `unit: {}` to the topology",
                            kind.as_str(),
                            u.name
                        ),
                        what,
                        at: None,
                        proposal: Some(Proposal {
                            id,
                            kind,
                            port: None,
                            public: None,
                            unit: Some(u.name.clone()),
                            container: None,
                            at: None,
                            note: "systemd".into(),
                        }),
                    });
                }
            }
        }
        if host.is_some() {
            for s in declared_units() {
                let unit = unit_of(s);
                let state = found.units.iter().find(|u| u.name == unit);
                if state.is_some_and(systemd::runs) {
                    continue;
                }
                out.push(Finding {
                    verdict: Verdict::Missing,
                    check: CheckKind::Unit,
                    host: host_id.clone(),
                    target: unit.clone(),
                    what: match state {
                        Some(u) => format!("service `{}` is declared as unit {unit}, which is {} ({})", s.id, u.active, u.sub),
                        None => format!("service `{}` is declared as unit {unit}, which is not loaded", s.id),
                    },
                    fix: "start the unit, set the service's `unit:` to the one that runs, or remove it from the topology".into(),
                    at: Some(s.loc.clone()),
                    proposal: None,
                });
            }
        }
    }
    let rank = |v: Verdict| match v {
        Verdict::Declared => 2,
        Verdict::NotCompared => 1,
        _ => 0,
    };
    out.sort_by(|a, b| {
        (rank(a.verdict), a.check, &a.target, a.verdict).cmp(&(
            rank(b.verdict),
            b.check,
            &b.target,
            b.verdict,
        ))
    });
    out
}

/// The service a backend (`http://192.0.2.20:8124`, `forge:3000`) is declared as: a
/// service with that port on the host with that address (loopback: a host with an
/// ingress, the proxy's own), or the docker service of that container name.
fn by_backend<'f>(fleet: &'f Fleet, backend: &str) -> Option<&'f Service> {
    let host = backend_host(backend)?;
    let port = url_port(backend)?;
    let on_host = |s: &Service| {
        s.hosts.iter().any(|&h| {
            if is_loopback(&host) {
                fleet.ingress_of(h).is_some()
            } else {
                fleet.hosts[h]
                    .address
                    .to_string()
                    .eq_ignore_ascii_case(&host)
            }
        })
    };
    fleet
        .services
        .iter()
        .find(|s| s.ports.contains(&port) && on_host(s))
        .or_else(|| {
            fleet.services.iter().find(|s| {
                s.kind == ServiceKind::Docker
                    && (s.container_name() == host || s.id.as_str() == host)
                    && (s.ports.is_empty() || s.ports.contains(&port))
            })
        })
}

/// Where a backend runs, for a proposal: its address, unless it is the proxy's host.
fn backend_at(r: &Route) -> Option<String> {
    let host = backend_host(r.backends.first()?)?;
    (!is_loopback(&host)).then_some(host)
}

fn routes(fleet: &Fleet, found: &Discovered, out: &mut Vec<Finding>) {
    // Targets (`host/path`) seen more than once get their router's name beside them.
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for r in found.routes.iter().filter(|r| r.rejected.is_none()) {
        for h in &r.hosts {
            *count.entry(r.target(h)).or_default() += 1;
        }
    }
    let mut routed: BTreeMap<&str, ()> = BTreeMap::new();
    for r in &found.routes {
        let backends = if r.backends.is_empty() {
            "no backend".to_string()
        } else {
            r.backends.join(", ")
        };
        if let Some(error) = &r.rejected {
            out.push(Finding {
                verdict: Verdict::Rejected,
                check: CheckKind::Route,
                host: None,
                target: r.router.clone(),
                what: format!(
                    "{} refused router {} (rule `{}`): {error}",
                    r.source, r.router, r.rule
                ),
                fix: format!(
                    "correct the router in {}'s configuration; until then it routes none of its names",
                    r.source
                ),
                at: None,
                proposal: None,
            });
            continue;
        }
        let ports = r.backend_ports();
        let declared_by_backend = || -> Option<&Service> {
            let matched: Vec<&Service> = r
                .backends
                .iter()
                .filter_map(|b| by_backend(fleet, b))
                .collect();
            (!matched.is_empty() && matched.len() == r.backends.len()).then(|| matched[0])
        };
        if let Some(why) = r.hostless() {
            let target = r.router.clone();
            let what = format!(
                "{} router {} sends {} to {backends}",
                r.source,
                r.described(),
                if r.rule.is_empty() {
                    "everything"
                } else {
                    &r.rule
                }
            );
            out.push(match declared_by_backend() {
                Some(s) => declared(CheckKind::Route, &None, &target, what, s),
                None => Finding {
                    verdict: Verdict::NotCompared,
                    check: CheckKind::Route,
                    host: None,
                    target,
                    what,
                    fix: if r.backends.is_empty() {
                        format!("{why}, and it has no backend to match")
                    } else {
                        format!("{why}, and no service declares its backend's address and port")
                    },
                    at: None,
                    proposal: None,
                },
            });
            continue;
        }
        for h in &r.hosts {
            routed.insert(h.as_str(), ());
            let mut target = r.target(h);
            if count.get(&target).copied().unwrap_or(0) > 1 {
                target = format!("{target} ({})", r.router);
            }
            let what = format!(
                "{} router {} sends {} to {backends}",
                r.source,
                r.router,
                r.target(h)
            );
            let public = fleet
                .services
                .iter()
                .find(|s| s.public.as_deref() == Some(h.as_str()));
            let port_ok = |s: &Service| {
                s.ports.is_empty() || ports.is_empty() || ports.iter().any(|p| s.ports.contains(p))
            };
            // The route of the hostname itself is the public service's; a sub-path
            // route, or one of a hostname no service declares, may go to any declared
            // service.
            let finding = match public {
                Some(s) if port_ok(s) => {
                    Some(declared(CheckKind::Route, &None, &target, what.clone(), s))
                }
                Some(_) if r.path.is_none() => None,
                _ => declared_by_backend()
                    .map(|s| declared(CheckKind::Route, &None, &target, what.clone(), s)),
            };
            out.push(match (finding, public) {
                (Some(f), _) => f,
                (None, Some(s)) if r.path.is_none() => Finding {
                    verdict: Verdict::Differs,
                    check: CheckKind::Route,
                    host: None,
                    target,
                    what,
                    fix: if ports.len() == 1 {
                        format!(
                            "service `{}` declares port {}: set `port: {}` in the topology, or point the router at port {}",
                            s.id,
                            join(&s.ports),
                            ports[0],
                            s.ports[0]
                        )
                    } else {
                        format!(
                            "service `{}` declares port {}, its backends listen on {}: declare the ports the service listens on, or point the router at port {}",
                            s.id,
                            join(&s.ports),
                            join(&ports),
                            s.ports[0]
                        )
                    },
                    at: Some(s.loc.clone()),
                    proposal: None,
                },
                (None, _) => {
                    let at = backend_at(r);
                    let port = ports.first().copied();
                    let on = match &at {
                        Some(a) => format!("on the host at {a}"),
                        None => "on the host whose ingress routes it".to_string(),
                    };
                    let public = (r.path.is_none() && public.is_none()).then(|| h.clone());
                    Finding {
                        verdict: Verdict::Undeclared,
                        check: CheckKind::Route,
                        host: None,
                        fix: match &public {
                            Some(p) => format!(
                                "add a service with `public: {p}`{} to the topology, {on}",
                                port.map(|p| format!(" and `port: {p}`")).unwrap_or_default()
                            ),
                            None => format!(
                                "add a service{} to the topology, {on}",
                                port.map(|p| format!(" with `port: {p}`")).unwrap_or_default()
                            ),
                        },
                        target,
                        what,
                        at: None,
                        proposal: Some(Proposal {
                            id: if r.service.is_empty() || r.source != "Traefik" {
                                id_of(h.split('.').next().unwrap_or(h))
                            } else {
                                id_of(&r.service)
                            },
                            kind: ServiceKind::Process,
                            port,
                            public,
                            unit: None,
                            container: None,
                            at,
                            note: format!("{} router {}", r.source, r.described()),
                        }),
                    }
                }
            });
        }
    }
    if !found.read_routes {
        return;
    }
    for s in &fleet.services {
        let Some(h) = s.public.as_deref() else {
            continue;
        };
        if routed.contains_key(h) {
            continue;
        }
        let refused: Vec<&str> = found
            .routes
            .iter()
            .filter(|r| r.rejected.is_some() && r.hosts.iter().any(|x| x == h))
            .map(|r| r.router.as_str())
            .collect();
        out.push(Finding {
            verdict: Verdict::Missing,
            check: CheckKind::Route,
            host: None,
            target: h.to_string(),
            what: if refused.is_empty() {
                format!(
                    "service `{}` declares `public: {h}`, but no router routes that hostname",
                    s.id
                )
            } else {
                format!(
                    "service `{}` declares `public: {h}`, but the only router that names it ({}) was refused by Traefik",
                    s.id,
                    refused.join(", ")
                )
            },
            fix: if refused.is_empty() {
                format!(
                    "add a router for Host(`{h}`), or remove `public` from service `{}`",
                    s.id
                )
            } else {
                format!(
                    "correct router {} so that Traefik accepts it, or remove `public` from service `{}`",
                    refused.join(", "),
                    s.id
                )
            },
            at: Some(s.loc.clone()),
            proposal: None,
        });
    }
}

fn declared(
    check: CheckKind,
    host: &Option<String>,
    target: &str,
    what: String,
    s: &Service,
) -> Finding {
    Finding {
        verdict: Verdict::Declared,
        check,
        host: host.clone(),
        target: target.to_string(),
        what,
        fix: format!("declared as service `{}`", s.id),
        at: Some(s.loc.clone()),
        proposal: None,
    }
}

fn join(ports: &[u16]) -> String {
    ports
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A valid topology id (`[a-z0-9][a-z0-9-]*`) made from a name.
pub fn id_of(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    let id: String = id.chars().take(63).collect();
    if id.is_empty() {
        "service".into()
    } else {
        id
    }
}
