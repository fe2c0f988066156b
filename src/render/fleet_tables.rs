//! Builds every fleet table (hosts, services, links, contacts, redundancy, status, drift,
//! layers, routes) and the status summary sentence from the model and its analysis.

use crate::analyze::redundancy::SpofSubject;
use crate::analyze::status::Health;
use crate::analyze::Analysis;
use crate::model::columns::*;
use crate::model::{Endpoint, Fleet, Service};
use crate::render::status_tables;
use crate::render::tables::{Cell, Table};

/// Site-root-relative URL of a host's page.
pub fn host_href(fleet: &Fleet, h: usize) -> String {
    format!("hosts/{}/", fleet.hosts[h].id)
}

/// Site-root-relative URL of a service on a host page: the host the table is about when
/// the service runs there, else its first host.
fn service_href(fleet: &Fleet, s: &Service, on: Option<usize>) -> String {
    let h = on.filter(|h| s.hosts.contains(h)).unwrap_or(s.hosts[0]);
    format!("hosts/{}/#service-{}", fleet.hosts[h].id, s.id)
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
        Health::Pending => "pending",
        Health::Maintenance => "maintenance",
    };
    Cell::badge(h.as_str(), class)
}

fn opt(s: &Option<String>) -> Cell {
    Cell::text(s.clone().unwrap_or_default())
}

/// One table of the fleet, with the columns `spec` names, optionally only for one host.
/// Every column of every kind is matched here and nowhere else.
pub fn table(spec: &TableSpec, host: Option<usize>, fleet: &Fleet, an: &Analysis) -> Table {
    let on_host = |hosts: &[usize]| host.is_none_or(|h| hosts.contains(&h));
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let empty: String;
    match spec {
        TableSpec::Hosts(cols) => {
            empty = "No hosts declared in the topology.".into();
            for (h, x) in fleet
                .hosts
                .iter()
                .enumerate()
                .skip(host.unwrap_or(0))
                .take(host.map_or(usize::MAX, |_| 1))
            {
                rows.push(
                    cols.iter()
                        .map(|c| match c {
                            HostCol::Id => Cell::link(x.id.to_string(), host_href(fleet, h)),
                            HostCol::Name => Cell::link(x.name.clone(), host_href(fleet, h)),
                            HostCol::Address => Cell::text(x.address.to_string()),
                            HostCol::Role => opt(&x.role),
                            HostCol::Provider => opt(&x.provider),
                            HostCol::Region => opt(&x.region),
                            HostCol::Services => {
                                Cell::text(join(fleet.services_on(h).map(|(_, s)| s.name.as_str())))
                            }
                            HostCol::NotRunning => Cell::text(x.not_running.join(", ")),
                            HostCol::Contact => opt(&x.contact),
                            HostCol::Rebuild => opt(&x.rebuild),
                            HostCol::Storage => opt(&x.storage),
                            HostCol::Status => host_health(fleet, an, h),
                        })
                        .collect(),
                );
            }
        }
        TableSpec::Services(cols) => {
            empty = "No services declared here.".into();
            let rows_of: Box<dyn Iterator<Item = (usize, &Service)>> = match host {
                Some(h) => Box::new(fleet.services_on(h)),
                None => Box::new(fleet.services.iter().enumerate()),
            };
            for (i, s) in rows_of {
                // On one host's table a replicated service shows its state there.
                let status = match host {
                    Some(h) => an.observed.service_on(i, h),
                    None => &an.observed.services[i],
                };
                rows.push(
                    cols.iter()
                        .map(|c| match c {
                            ServiceCol::Id => {
                                Cell::link(s.id.to_string(), service_href(fleet, s, host))
                            }
                            ServiceCol::Name => {
                                Cell::link(s.name.clone(), service_href(fleet, s, host))
                                    .with_incident(an.incidents.open(i))
                            }
                            ServiceCol::Host => hosts_cell(fleet, &s.hosts),
                            ServiceCol::Kind => Cell::text(if s.ingress {
                                format!("{} (ingress)", s.kind.as_str())
                            } else {
                                s.kind.as_str().into()
                            }),
                            ServiceCol::Ports => {
                                Cell::text(join(s.ports.iter().map(|p| p.to_string())))
                            }
                            ServiceCol::Protocol => opt(&s.protocol),
                            ServiceCol::Public => opt(&s.public),
                            ServiceCol::Unit => opt(&s.unit),
                            ServiceCol::Group => opt(&s.group),
                            ServiceCol::DependsOn => Cell::text(join(
                                s.depends_on
                                    .iter()
                                    .map(|&d| fleet.services[d].name.as_str()),
                            )),
                            ServiceCol::Description => opt(&s.description),
                            ServiceCol::Status => Cell {
                                after: status.window.map(|w| w.text()),
                                ..Cell::badge(status.label(), status.shown().as_str())
                            },
                        })
                        .collect(),
                );
            }
        }
        TableSpec::Links(cols) => {
            empty = "No cross-service links declared.".into();
            for l in &fleet.links {
                let touches = host.is_none_or(|h| {
                    l.from.iter().chain(&l.to).any(|e| match *e {
                        Endpoint::Host(x) => x == h,
                        Endpoint::Service(s) => fleet.services[s].hosts.contains(&h),
                    })
                });
                if !touches {
                    continue;
                }
                let list = |es: &[Endpoint]| join(es.iter().map(|e| endpoint_text(fleet, *e)));
                rows.push(
                    cols.iter()
                        .map(|c| match c {
                            LinkCol::From => Cell::text(list(&l.from)),
                            LinkCol::To => Cell::text(list(&l.to)),
                            LinkCol::Protocol => opt(&l.protocol),
                            LinkCol::Via => opt(&l.via),
                            LinkCol::Note => opt(&l.note),
                        })
                        .collect(),
                );
            }
        }
        TableSpec::Contacts(cols) => {
            empty = "No hosts declared in the topology.".into();
            for (h, x) in fleet
                .hosts
                .iter()
                .enumerate()
                .skip(host.unwrap_or(0))
                .take(host.map_or(usize::MAX, |_| 1))
            {
                rows.push(
                    cols.iter()
                        .map(|c| match c {
                            ContactCol::Host => Cell::link(x.name.clone(), host_href(fleet, h)),
                            ContactCol::Address => Cell::text(x.address.to_string()),
                            ContactCol::Contact => opt(&x.contact),
                            ContactCol::Rebuild => opt(&x.rebuild),
                        })
                        .collect(),
                );
            }
        }
        TableSpec::Redundancy(cols) => {
            empty = "No single points of failure: everything that others depend on runs on more than one host.".into();
            for spof in &an.spofs {
                let shown = match spof.subject {
                    SpofSubject::Service(s) => on_host(&fleet.services[s].hosts),
                    SpofSubject::Host(h) => on_host(&[h]),
                };
                if !shown {
                    continue;
                }
                let (item, type_) = match spof.subject {
                    SpofSubject::Service(s) => (
                        Cell::link(
                            fleet.services[s].name.clone(),
                            service_href(fleet, &fleet.services[s], host),
                        ),
                        "service",
                    ),
                    SpofSubject::Host(h) => (
                        Cell::link(fleet.hosts[h].name.clone(), host_href(fleet, h)),
                        "host",
                    ),
                };
                rows.push(
                    cols.iter()
                        .map(|c| match c {
                            RedundancyCol::Item => item.clone(),
                            RedundancyCol::Type => Cell::text(type_),
                            RedundancyCol::Reason => Cell::text(spof.reasons.join("; ")),
                            RedundancyCol::Dependents => Cell::text(spof.dependents.join(", ")),
                            RedundancyCol::Mitigations => Cell::text(
                                crate::render::resilience::mitigations_text(fleet, an, spof),
                            ),
                            RedundancyCol::NotRedundant => Cell::text(spof.gaps.clone()),
                        })
                        .collect(),
                );
            }
        }
        TableSpec::Layers(cols) => {
            empty = "No layers declared in the topology.".into();
            for l in fleet
                .layers
                .iter()
                .filter(|l| host.is_none() || l.host == host)
            {
                rows.push(
                    cols.iter()
                        .map(|c| match c {
                            LayerCol::Id => Cell::text(l.id.to_string()),
                            LayerCol::Title => Cell::text(l.title.clone()),
                            LayerCol::Host => l
                                .host
                                .map(|h| {
                                    Cell::link(fleet.hosts[h].name.clone(), host_href(fleet, h))
                                })
                                .unwrap_or_default(),
                            LayerCol::Path => opt(&l.path),
                            LayerCol::Holds => Cell::text(l.holds.join(", ")),
                            LayerCol::Description => opt(&l.description),
                        })
                        .collect(),
                );
            }
        }
        TableSpec::Routes(cols) => {
            empty = "No public hostnames declared.".into();
            for r in an.routes.iter().filter(|r| on_host(&[r.host])) {
                rows.push(
                    cols.iter()
                        .map(|c| match c {
                            RouteCol::Hostname => Cell::text(r.hostname.clone()),
                            RouteCol::Ingress => Cell::text(fleet.services[r.ingress].name.clone()),
                            RouteCol::Service => Cell::link(
                                fleet.services[r.service].name.clone(),
                                format!(
                                    "hosts/{}/#service-{}",
                                    fleet.hosts[r.host].id, fleet.services[r.service].id
                                ),
                            ),
                            RouteCol::Host => Cell::link(
                                fleet.hosts[r.host].name.clone(),
                                host_href(fleet, r.host),
                            ),
                        })
                        .collect(),
                );
            }
        }
        TableSpec::Status(cols) => return status_tables::status(cols, host, fleet, an),
        TableSpec::Drift(cols) => return status_tables::drift(cols, an),
    }
    Table {
        class: format!("table-{}", spec.kind().as_str()),
        headers: spec.headers().into_iter().map(String::from).collect(),
        rows,
        empty,
        row_ids: Vec::new(),
    }
}

fn join<S: AsRef<str>>(items: impl Iterator<Item = S>) -> String {
    let mut out = String::new();
    for (i, s) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(s.as_ref());
    }
    out
}

fn host_health(fleet: &Fleet, an: &Analysis, h: usize) -> Cell {
    let worst = fleet
        .services_on(h)
        .map(|(i, _)| an.observed.services[i].shown())
        .filter(|x| *x != Health::Unknown)
        .min_by_key(|x| match x {
            Health::Down => 0,
            Health::Pending => 1,
            Health::Stale => 2,
            Health::Maintenance => 3,
            _ => 4,
        });
    health_badge(worst.unwrap_or(Health::Unknown))
}
