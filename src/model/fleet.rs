//! The validated fleet: hosts, services, links and layers, cross-referenced. Built only by
//! [`crate::model::topology::build`]; after it, every reference points at something that
//! exists, every port is in range and every address parses.

use crate::diag::Loc;
use crate::model::ids::Id;
use std::net::IpAddr;

/// Where a host is reached: an IP address or a DNS name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Ip(IpAddr),
    Dns(String),
}

impl Address {
    pub fn is_private(&self) -> bool {
        match self {
            Address::Ip(IpAddr::V4(v4)) => {
                v4.is_private() || v4.is_loopback() || v4.is_link_local() || is_cgnat(v4.octets())
            }
            Address::Ip(IpAddr::V6(v6)) => {
                v6.is_loopback() || (v6.segments()[0] & 0xfe00) == 0xfc00
            }
            Address::Dns(_) => false,
        }
    }
}

fn is_cgnat(o: [u8; 4]) -> bool {
    o[0] == 100 && (64..128).contains(&o[1])
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Address::Ip(ip) => write!(f, "{ip}"),
            Address::Dns(name) => f.write_str(name),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Host {
    pub id: Id,
    pub name: String,
    pub address: Address,
    pub role: Option<String>,
    pub provider: Option<String>,
    pub region: Option<String>,
    pub contact: Option<String>,
    pub rebuild: Option<String>,
    pub storage: Option<String>,
    pub not_running: Vec<String>,
    /// What limits an outage of this host (`mitigation`), see `resilience.rs`.
    pub mitigations: Vec<String>,
    /// Its maintenance windows (`maintenance`); each is also among its services' own.
    pub maintenance: Vec<crate::model::maintenance::Window>,
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServiceKind {
    Docker,
    Systemd,
    Timer,
    Process,
    External,
}

impl ServiceKind {
    pub const ALL: [(&'static str, ServiceKind); 5] = [
        ("docker", ServiceKind::Docker),
        ("systemd", ServiceKind::Systemd),
        ("timer", ServiceKind::Timer),
        ("process", ServiceKind::Process),
        ("external", ServiceKind::External),
    ];
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(s, _)| *s)
            .unwrap_or("process")
    }
}

#[derive(Debug, Clone)]
pub struct Service {
    pub id: Id,
    pub name: String,
    /// Indexes into [`Fleet::hosts`]; never empty. More than one means replicated.
    pub hosts: Vec<usize>,
    pub kind: ServiceKind,
    pub ingress: bool,
    pub ports: Vec<u16>,
    pub protocol: Option<String>,
    /// Hostname routed to this service by its host's ingress.
    pub public: Option<String>,
    pub unit: Option<String>,
    pub container: Option<String>,
    pub schedule: Option<String>,
    pub group: Option<String>,
    pub description: Option<String>,
    /// Indexes into [`Fleet::services`].
    pub depends_on: Vec<usize>,
    /// What limits an outage of this service (`mitigation`).
    pub mitigations: Vec<String>,
    /// For a backup timer: indexes of the services its backups cover (`backs_up`).
    pub backs_up: Vec<usize>,
    /// Availability target (`slo:`); `None` takes the fleet default of fleetdoc.yaml.
    pub slo: Option<crate::base::slo::Slo>,
    /// Its maintenance windows: its own, its hosts', and those of the backup timers that
    /// stop it (see `maintenance.rs`).
    pub maintenance: Vec<crate::model::maintenance::Window>,
    /// For a backup timer: the services it stops while it runs (`stops`), indexes into
    /// [`Fleet::services`], and the window its schedule and `stops_for` make.
    pub stops: Vec<usize>,
    pub stop_window: Option<crate::model::maintenance::When>,
    pub loc: Loc,
}

impl Service {
    /// The name a `docker` probe result carries for this service.
    pub fn container_name(&self) -> &str {
        self.container.as_deref().unwrap_or(self.id.as_str())
    }
}

/// One end of a link: a service, or a whole host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Endpoint {
    Host(usize),
    Service(usize),
}

#[derive(Debug, Clone)]
pub struct Link {
    pub from: Vec<Endpoint>,
    pub to: Vec<Endpoint>,
    pub protocol: Option<String>,
    pub via: Option<String>,
    pub note: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Layer {
    pub id: Id,
    pub title: String,
    pub host: Option<usize>,
    pub path: Option<String>,
    pub holds: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Fleet {
    pub name: String,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub hosts: Vec<Host>,
    pub services: Vec<Service>,
    pub links: Vec<Link>,
    pub layers: Vec<Layer>,
    /// The author's hints for placing hosts in the fleet diagram.
    pub layout: crate::model::layout::LayoutHints,
    /// A topology file could not be read (its error is reported): ids may be missing, so
    /// references to unknown hosts and services are not reported.
    pub partial: bool,
    /// Services left out because their `host` names no host, nor one close to it (that
    /// error is reported where it is written): links to them are not reported again.
    pub unplaced: Vec<String>,
    /// Hosts and services by id, and services by host, built on first use so that lookups
    /// cost the same in a fleet of 5,000 hosts as in one of 5.
    pub index: FleetIndex,
}

/// Lookups over a fleet, built once on first use. The fleet's hosts and services are not
/// added to or re-identified once it is looked up in; if their number changed all the same,
/// the lookups fall back to a scan and stay correct.
#[derive(Debug, Clone, Default)]
pub struct FleetIndex(std::sync::OnceLock<Lookup>, std::sync::OnceLock<LinkLookup>);

/// The links whose `from` names each service, built apart from [`Lookup`]: links are read
/// after hosts and services are looked up.
#[derive(Debug, Clone)]
struct LinkLookup {
    links: usize,
    services: usize,
    from_service: Vec<Vec<usize>>,
}

#[derive(Debug, Clone)]
struct Lookup {
    hosts: usize,
    services: usize,
    host_by_id: std::collections::HashMap<String, usize>,
    service_by_id: std::collections::HashMap<String, usize>,
    /// Services of each host, in declaration order.
    on_host: Vec<Vec<usize>>,
}

impl Fleet {
    fn lookup(&self) -> Option<&Lookup> {
        let l = self.index.0.get_or_init(|| {
            let mut on_host = vec![Vec::new(); self.hosts.len()];
            for (i, s) in self.services.iter().enumerate() {
                for &h in &s.hosts {
                    // A service names each host once; a repeat is listed once, as the scan does.
                    if let Some(list) = on_host.get_mut(h) {
                        if list.last() != Some(&i) {
                            list.push(i);
                        }
                    }
                }
            }
            let mut host_by_id = std::collections::HashMap::new();
            for (i, h) in self.hosts.iter().enumerate() {
                host_by_id.entry(h.id.to_string()).or_insert(i);
            }
            let mut service_by_id = std::collections::HashMap::new();
            for (i, s) in self.services.iter().enumerate() {
                service_by_id.entry(s.id.to_string()).or_insert(i);
            }
            Lookup {
                hosts: self.hosts.len(),
                services: self.services.len(),
                host_by_id,
                service_by_id,
                on_host,
            }
        });
        (l.hosts == self.hosts.len() && l.services == self.services.len()).then_some(l)
    }
    pub fn host_ix(&self, id: &str) -> Option<usize> {
        match self.lookup() {
            Some(l) => l.host_by_id.get(id).copied(),
            None => self.hosts.iter().position(|h| h.id.as_str() == id),
        }
    }
    pub fn service_ix(&self, id: &str) -> Option<usize> {
        match self.lookup() {
            Some(l) => l.service_by_id.get(id).copied(),
            None => self.services.iter().position(|s| s.id.as_str() == id),
        }
    }
    /// Services that run on host `h`, in declaration order.
    pub fn services_on(&self, h: usize) -> impl Iterator<Item = (usize, &Service)> {
        let listed: Option<&[usize]> = self
            .lookup()
            .map(|l| l.on_host.get(h).map_or(&[][..], Vec::as_slice));
        let scan = listed.is_none().then(|| {
            self.services
                .iter()
                .enumerate()
                .filter(move |(_, s)| s.hosts.contains(&h))
        });
        listed
            .into_iter()
            .flatten()
            .map(|&i| (i, &self.services[i]))
            .chain(scan.into_iter().flatten())
    }
    /// Indices of the links whose `from` names service `s`, in declaration order.
    pub fn links_from(&self, s: usize) -> Vec<usize> {
        let l = self.index.1.get_or_init(|| {
            let mut from_service = vec![Vec::new(); self.services.len()];
            for (i, link) in self.links.iter().enumerate() {
                for e in &link.from {
                    if let Endpoint::Service(a) = *e {
                        if let Some(list) = from_service.get_mut(a) {
                            if list.last() != Some(&i) {
                                list.push(i);
                            }
                        }
                    }
                }
            }
            LinkLookup {
                links: self.links.len(),
                services: self.services.len(),
                from_service,
            }
        });
        if l.links == self.links.len() && l.services == self.services.len() {
            l.from_service.get(s).cloned().unwrap_or_default()
        } else {
            (0..self.links.len())
                .filter(|&i| self.links[i].from.contains(&Endpoint::Service(s)))
                .collect()
        }
    }
    /// The ingress (reverse proxy) service of host `h`, if it has one.
    pub fn ingress_of(&self, h: usize) -> Option<usize> {
        self.services_on(h).find(|(_, s)| s.ingress).map(|(i, _)| i)
    }
    pub fn endpoint_name(&self, e: Endpoint) -> String {
        match e {
            Endpoint::Host(h) => self.hosts[h].name.clone(),
            Endpoint::Service(s) => self.services[s].name.clone(),
        }
    }
    /// The hosts an endpoint lives on.
    pub fn endpoint_hosts(&self, e: Endpoint) -> Vec<usize> {
        match e {
            Endpoint::Host(h) => vec![h],
            Endpoint::Service(s) => self.services[s].hosts.clone(),
        }
    }
}
