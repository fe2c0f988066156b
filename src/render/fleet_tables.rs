//! Builds every fleet table (hosts, services, links, contacts, redundancy, status, drift,
//! layers, routes) and the status summary sentence from the model and its analysis.

use crate::analyze::redundancy::SpofSubject;
use crate::analyze::status::Health;
use crate::analyze::Analysis;
use crate::model::{Endpoint, Fleet, Service};
use crate::render::blocks::TableKind;
use crate::render::tables::{Cell, Table};

/// Site-root-relative URL of a host's page.
pub fn host_href(fleet: &Fleet, h: usize) -> String {
    format!("hosts/{}/", fleet.hosts[h].id)
}

fn service_href(fleet: &Fleet, s: &Service) -> String {
    format!("hosts/{}/#service-{}", fleet.hosts[s.hosts[0]].id, s.id)
}

fn hosts_cell(fleet: &Fleet, hosts: &[usize]) -> Cell {
    let names: Vec<&str> = hosts
        .iter()
        .map(|&h| fleet.hosts[h].name.as_str())
        .collect();
    match hosts {
        [h] => Cell::link(names.join(", "), host_href(fleet, *h)),
        _ => Cell::text(names.join(", ")),
    }
}

fn endpoint_text(fleet: &Fleet, e: Endpoint) -> String {
    match e {
        Endpoint::Host(h) => fleet.hosts[h].name.clone(),
        Endpoint::Service(s) => {
            let svc = &fleet.services[s];
            let hosts: Vec<&str> = svc
                .hosts
                .iter()
                .map(|&h| fleet.hosts[h].name.as_str())
                .collect();
            format!("{} ({})", svc.name, hosts.join(", "))
        }
    }
}

pub fn health_badge(h: Health) -> Cell {
    let class = match h {
        Health::Up => "up",
        Health::Down => "down",
        Health::Stale => "stale",
        Health::Unknown => "unknown",
    };
    Cell::badge(h.as_str(), class)
}

fn opt(s: &Option<String>) -> Cell {
    Cell::text(s.clone().unwrap_or_default())
}

/// One table of the fleet, with the given columns, optionally only for one host.
pub fn table(
    kind: TableKind,
    columns: &[&str],
    host: Option<usize>,
    fleet: &Fleet,
    an: &Analysis,
) -> Table {
    let headers = columns.iter().map(|c| header(c)).collect();
    let on_host = |hosts: &[usize]| host.is_none_or(|h| hosts.contains(&h));
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let empty;
    match kind {
        TableKind::Hosts => {
            empty = "No hosts declared in the topology.".into();
            for (h, x) in fleet
                .hosts
                .iter()
                .enumerate()
                .filter(|(h, _)| on_host(&[*h]))
            {
                rows.push(
                    columns
                        .iter()
                        .map(|c| match *c {
                            "id" => Cell::link(x.id.to_string(), host_href(fleet, h)),
                            "name" => Cell::link(x.name.clone(), host_href(fleet, h)),
                            "address" => Cell::text(x.address.to_string()),
                            "role" => opt(&x.role),
                            "provider" => opt(&x.provider),
                            "region" => opt(&x.region),
                            "services" => Cell::text(
                                fleet
                                    .services_on(h)
                                    .map(|(_, s)| s.name.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            ),
                            "not_running" => Cell::text(x.not_running.join(", ")),
                            "contact" => opt(&x.contact),
                            "rebuild" => opt(&x.rebuild),
                            "storage" => opt(&x.storage),
                            _ => host_health(fleet, an, h),
                        })
                        .collect(),
                );
            }
        }
        TableKind::Services => {
            empty = "No services declared here.".into();
            for (i, s) in fleet
                .services
                .iter()
                .enumerate()
                .filter(|(_, s)| on_host(&s.hosts))
            {
                rows.push(
                    columns
                        .iter()
                        .map(|c| match *c {
                            "id" => Cell::link(s.id.to_string(), service_href(fleet, s)),
                            "name" => Cell::link(s.name.clone(), service_href(fleet, s)),
                            "host" => hosts_cell(fleet, &s.hosts),
                            "kind" => Cell::text(if s.ingress {
                                format!("{} (ingress)", s.kind.as_str())
                            } else {
                                s.kind.as_str().into()
                            }),
                            "ports" => Cell::text(
                                s.ports
                                    .iter()
                                    .map(|p| p.to_string())
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            ),
                            "protocol" => opt(&s.protocol),
                            "public" => opt(&s.public),
                            "unit" => opt(&s.unit),
                            "group" => opt(&s.group),
                            "depends_on" => Cell::text(
                                s.depends_on
                                    .iter()
                                    .map(|&d| fleet.services[d].name.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            ),
                            "description" => opt(&s.description),
                            _ => {
                                let st = &an.observed.services[i];
                                Cell::badge(st.label(), st.shown().as_str())
                            }
                        })
                        .collect(),
                );
            }
        }
        TableKind::Links => {
            empty = "No cross-service links declared.".into();
            for l in &fleet.links {
                let touches = host.is_none_or(|h| {
                    l.from
                        .iter()
                        .chain(&l.to)
                        .any(|e| fleet.endpoint_hosts(*e).contains(&h))
                });
                if !touches {
                    continue;
                }
                let list = |es: &[Endpoint]| {
                    es.iter()
                        .map(|e| endpoint_text(fleet, *e))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                rows.push(
                    columns
                        .iter()
                        .map(|c| match *c {
                            "from" => Cell::text(list(&l.from)),
                            "to" => Cell::text(list(&l.to)),
                            "protocol" => opt(&l.protocol),
                            "via" => opt(&l.via),
                            _ => opt(&l.note),
                        })
                        .collect(),
                );
            }
        }
        TableKind::Contacts => {
            empty = "No hosts declared in the topology.".into();
            for (h, x) in fleet
                .hosts
                .iter()
                .enumerate()
                .filter(|(h, _)| on_host(&[*h]))
            {
                rows.push(
                    columns
                        .iter()
                        .map(|c| match *c {
                            "host" => Cell::link(x.name.clone(), host_href(fleet, h)),
                            "address" => Cell::text(x.address.to_string()),
                            "contact" => opt(&x.contact),
                            _ => opt(&x.rebuild),
                        })
                        .collect(),
                );
            }
        }
        TableKind::Redundancy => {
            empty = "No single points of failure: everything that others depend on runs on more than one host.".into();
            for spof in &an.spofs {
                let (item, type_, hosts) = match spof.subject {
                    SpofSubject::Service(s) => (
                        Cell::link(
                            fleet.services[s].name.clone(),
                            service_href(fleet, &fleet.services[s]),
                        ),
                        "service",
                        fleet.services[s].hosts.clone(),
                    ),
                    SpofSubject::Host(h) => (
                        Cell::link(fleet.hosts[h].name.clone(), host_href(fleet, h)),
                        "host",
                        vec![h],
                    ),
                };
                if !on_host(&hosts) {
                    continue;
                }
                rows.push(
                    columns
                        .iter()
                        .map(|c| match *c {
                            "item" => item.clone(),
                            "type" => Cell::text(type_),
                            "reason" => Cell::text(spof.reasons.join("; ")),
                            "mitigations" => Cell::text(
                                crate::render::resilience::mitigations_text(fleet, an, spof),
                            ),
                            "not_redundant" => Cell::text(spof.gaps.clone()),
                            _ => Cell::text(spof.dependents.join(", ")),
                        })
                        .collect(),
                );
            }
        }
        TableKind::Layers => {
            empty = "No layers declared in the topology.".into();
            for l in fleet
                .layers
                .iter()
                .filter(|l| host.is_none() || l.host == host)
            {
                rows.push(
                    columns
                        .iter()
                        .map(|c| match *c {
                            "id" => Cell::text(l.id.to_string()),
                            "title" => Cell::text(l.title.clone()),
                            "host" => l
                                .host
                                .map(|h| {
                                    Cell::link(fleet.hosts[h].name.clone(), host_href(fleet, h))
                                })
                                .unwrap_or_default(),
                            "path" => opt(&l.path),
                            "holds" => Cell::text(l.holds.join(", ")),
                            _ => opt(&l.description),
                        })
                        .collect(),
                );
            }
        }
        TableKind::Routes => {
            empty = "No public hostnames declared.".into();
            for r in an.routes.iter().filter(|r| on_host(&[r.host])) {
                rows.push(
                    columns
                        .iter()
                        .map(|c| match *c {
                            "hostname" => Cell::text(r.hostname.clone()),
                            "ingress" => Cell::text(fleet.services[r.ingress].name.clone()),
                            "service" => Cell::link(
                                fleet.services[r.service].name.clone(),
                                service_href(fleet, &fleet.services[r.service]),
                            ),
                            _ => Cell::link(
                                fleet.hosts[r.host].name.clone(),
                                host_href(fleet, r.host),
                            ),
                        })
                        .collect(),
                );
            }
        }
        TableKind::Status | TableKind::Drift => {
            return crate::render::status_tables::table(kind, columns, host, fleet, an);
        }
    }
    Table {
        class: format!("table-{}", columns_class(kind)),
        headers,
        rows,
        empty,
    }
}

fn host_health(fleet: &Fleet, an: &Analysis, h: usize) -> Cell {
    let worst = fleet
        .services_on(h)
        .map(|(i, _)| an.observed.services[i].shown())
        .filter(|x| *x != Health::Unknown)
        .min_by_key(|x| match x {
            Health::Down => 0,
            Health::Stale => 1,
            _ => 2,
        });
    health_badge(worst.unwrap_or(Health::Unknown))
}

pub fn columns_class(kind: TableKind) -> &'static str {
    TableKind::ALL
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(n, _)| *n)
        .unwrap_or("table")
}

pub fn header(column: &str) -> String {
    match column {
        "id" => "ID".into(),
        "not_running" => "Not running".into(),
        "depends_on" => "Depends on".into(),
        "rebuild" => "Rebuild source".into(),
        "contact" => "Primary contact".into(),
        "not_redundant" => "Not yet redundant".into(),
        other => {
            let mut c = other.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}
