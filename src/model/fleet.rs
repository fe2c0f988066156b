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
    /// A topology file could not be read (its error is reported): ids may be missing, so
    /// references to unknown hosts and services are not reported.
    pub partial: bool,
}

impl Fleet {
    pub fn host_ix(&self, id: &str) -> Option<usize> {
        self.hosts.iter().position(|h| h.id.as_str() == id)
    }
    pub fn service_ix(&self, id: &str) -> Option<usize> {
        self.services.iter().position(|s| s.id.as_str() == id)
    }
    /// Services that run on host `h`, in declaration order.
    pub fn services_on(&self, h: usize) -> impl Iterator<Item = (usize, &Service)> {
        self.services
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.hosts.contains(&h))
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
