//! Turns the topology's YAML documents (one file, or every `content/fleet/*.yaml` merged)
//! into a validated [`Fleet`], reporting every problem of every file in one run: invalid and
//! duplicate ids, references to hosts or services that do not exist (with "did you mean"),
//! ports out of range, addresses that do not parse, duplicate public hostnames, public
//! hostnames on a host without ingress, unknown keys.

use crate::base::suggest::did_you_mean;
use crate::diag::{Diagnostics, Loc};
use crate::load::yaml::{mapping_entries, Fields, Nested, Sp, Src};
use crate::model::fleet::*;
use crate::model::ids::Id;
use marked_yaml::Node;
use std::collections::{BTreeMap, BTreeSet};

const TOP: &[&str] = &["fleet", "hosts", "services", "links", "layers", "layout"];
const FLEET: &[&str] = &["name", "owner", "description"];
const HOST: &[&str] = &[
    "name",
    "address",
    "role",
    "provider",
    "region",
    "contact",
    "rebuild",
    "storage",
    "not_running",
    "mitigation",
    "maintenance",
];
const SERVICE: &[&str] = &[
    "name",
    "host",
    "kind",
    "ingress",
    "port",
    "ports",
    "protocol",
    "public",
    "unit",
    "container",
    "schedule",
    "group",
    "depends_on",
    "description",
    "mitigation",
    "backs_up",
    "slo",
    "maintenance",
    "stops",
    "stops_for",
];
const LINK: &[&str] = &["from", "to", "protocol", "via", "note"];
const LAYER: &[&str] = &["title", "host", "path", "holds", "description"];

pub use crate::load::TopologyDoc;

struct Entry<'a> {
    id: Sp<String>,
    node: &'a Node,
    src: &'a Src,
}

/// Build the fleet from all topology documents; problems go to `diags`.
pub fn build(
    docs: &[std::sync::Arc<TopologyDoc>],
    default_name: &str,
    diags: &mut Diagnostics,
) -> Fleet {
    let mut fleet = Fleet {
        name: default_name.to_string(),
        ..Fleet::default()
    };
    let (mut hosts, mut services, mut links, mut layers) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
    let mut layouts = Vec::new();
    for doc in docs {
        fleet.partial |= doc.broken;
        let Some(root) = &doc.root else { continue };
        let Some(top) = Fields::new(&doc.src, root, "the topology", TOP, diags) else {
            continue;
        };
        let top = top.with_children(&[
            ("hosts", Nested::Entries("host", HOST)),
            ("services", Nested::Entries("service", SERVICE)),
            ("layers", Nested::Entries("layer", LAYER)),
        ]);
        if let Some(node) = top.node("fleet") {
            read_fleet_info(&doc.src, node, &mut fleet, diags);
        }
        if let Some(node) = top.node("layout") {
            layouts.extend(crate::model::layout::read(&doc.src, node, diags));
        }
        for (key, list, what, child) in [
            ("hosts", &mut hosts, "host", HOST),
            ("services", &mut services, "service", SERVICE),
            ("layers", &mut layers, "layer", LAYER),
        ] {
            if let Some(node) = top.node(key) {
                // The last entry read, for a key of it that lost its indentation.
                let mut prev: Option<(String, &Node)> = None;
                for (id, node) in mapping_entries(&doc.src, node, &format!("`{key}`"), diags) {
                    if let Some((owner, pv)) = &prev {
                        let dedented = (!matches!(node, Node::Mapping(_))
                            && child.contains(&id.value.as_str()))
                        .then(|| {
                            let owner = format!("{what} `{owner}`");
                            crate::load::yaml::dedented_key(&doc.src, pv, &id, &owner)
                        })
                        .flatten();
                        if let Some(d) = dedented {
                            diags.extend_one(d);
                            continue;
                        }
                    }
                    prev = Some((id.value.clone(), node));
                    list.push(Entry {
                        id,
                        node,
                        src: &doc.src,
                    });
                }
            }
        }
        if let Some(node) = top.node("links") {
            match node {
                Node::Sequence(seq) => links.extend(seq.iter().map(|n| (&doc.src, n))),
                other => diags.error(
                    doc.src.loc(other.span()),
                    "`links` must be a list of `- from: ... to: ...` entries",
                ),
            }
        }
        top.finish(diags);
    }
    // An empty or cut-short topology is an error: a fleet with nothing in it would show a
    // site that says nothing is at risk.
    if !fleet.partial {
        if let Some(doc) = docs.first() {
            if hosts.is_empty() {
                diags.error(
                    Loc::file_start(&doc.src.file),
                    "the topology declares no hosts: is the file empty or cut short? Describe the fleet under `hosts:` and `services:` (see `fleetdoc init`)",
                );
            } else if services.is_empty() {
                diags.error(
                    Loc::file_start(&doc.src.file),
                    "the topology declares hosts but no services: is the file cut short? List what runs under `services:`",
                );
            }
        }
    }
    // Ids: valid, and unique across hosts and services (links name either).
    for e in hosts.iter().chain(services.iter()) {
        check_id(&e.id, &mut seen, diags);
    }
    let mut layer_ids = BTreeMap::new();
    for e in &layers {
        check_id(&e.id, &mut layer_ids, diags);
    }
    for e in &hosts {
        if let Some(h) = read_host(e, fleet.hosts.len(), diags) {
            fleet.hosts.push(h);
        }
    }
    fleet.layout = crate::model::layout::resolve(&layouts, &fleet.hosts, fleet.partial, diags);
    let host_ids: Vec<String> = fleet.hosts.iter().map(|h| h.id.to_string()).collect();
    let service_ids: Vec<String> = services.iter().map(|e| e.id.value.clone()).collect();
    let mut host_pos = std::collections::HashMap::new();
    for (i, h) in host_ids.iter().enumerate() {
        host_pos.entry(h.as_str()).or_insert(i);
    }
    let refs = Refs {
        hosts: &host_ids,
        host_pos,
        services: &service_ids,
        partial: fleet.partial,
    };
    let mut deps = Vec::new();
    let mut placing = Placing::default();
    for e in &services {
        if let Some((s, d)) = read_service(e, &refs, &mut placing, diags) {
            fleet.services.push(s);
            deps.push(d);
        }
    }
    // depends_on resolves against the services that were built.
    for (i, names) in deps.into_iter().enumerate() {
        for name in names {
            match fleet.service_ix(&name.value) {
                Some(j) => fleet.services[i].depends_on.push(j),
                // A declared service that failed its own checks was reported already.
                None if refs.services.contains(&name.value) => {}
                None => refs.unknown(&name, "depends_on", Want::Service, diags),
            }
        }
    }
    for e in &services {
        crate::model::resilience::read_backs_up(
            e.src,
            e.node,
            &e.id.value,
            &mut fleet,
            refs.services,
            diags,
        );
    }
    for e in &services {
        crate::model::maintenance::read_stops(
            e.src,
            e.node,
            &e.id.value,
            &mut fleet,
            refs.services,
            diags,
        );
    }
    crate::model::maintenance::spread(&mut fleet);
    fleet.unplaced = std::mem::take(&mut placing.unplaced);
    if !placing.lost_ingress {
        check_public(&fleet, &placing.stand_in, diags);
    }
    check_ports(&fleet, &placing.stand_in, diags);
    for (src, node) in links {
        if let Some(l) = read_link(src, node, &fleet, &refs, diags) {
            fleet.links.push(l);
        }
    }
    for e in &layers {
        if let Some(l) = read_layer(e, &fleet, &refs, diags) {
            fleet.layers.push(l);
        }
    }
    fleet
}

fn read_fleet_info(src: &Src, node: &Node, fleet: &mut Fleet, diags: &mut Diagnostics) {
    let Some(f) = Fields::new(src, node, "`fleet`", FLEET, diags) else {
        return;
    };
    if let Some(n) = f.str("name", diags) {
        fleet.name = n.value;
    }
    fleet.owner = f
        .str("owner", diags)
        .map(|s| s.value)
        .or(fleet.owner.take());
    fleet.description = f
        .str("description", diags)
        .map(|s| s.value)
        .or(fleet.description.take());
    f.finish(diags);
}

fn check_id(id: &Sp<String>, seen: &mut BTreeMap<String, Loc>, diags: &mut Diagnostics) {
    if let Err(msg) = Id::parse(&id.value) {
        diags.error(id.loc.clone(), msg);
    }
    if let Some(first) = seen.get(&id.value) {
        diags.error(
            id.loc.clone(),
            format!(
                "duplicate id `{}` (first defined at {}:{}); ids are unique across hosts and services",
                id.value,
                first.file.display(),
                first.pos.line
            ),
        );
    } else {
        seen.insert(id.value.clone(), id.loc.clone());
    }
}

fn read_host(e: &Entry, ix: usize, diags: &mut Diagnostics) -> Option<Host> {
    let what = format!("host `{}`", e.id.value);
    let f = Fields::new(e.src, e.node, &what, HOST, diags)?.owned_by(e.id.loc.clone());
    // A missing or invalid address is reported here; the host still exists, so references
    // to it are not reported as missing too (one root cause, one error). The build stops on
    // the error, so the stand-in address is never shown.
    let address = f
        .req_str("address", diags)
        .and_then(|a| match parse_address(&a.value) {
            Ok(addr) => Some(addr),
            Err(msg) => {
                diags.error(a.loc, msg);
                None
            }
        })
        .unwrap_or_else(|| Address::Dns(e.id.value.clone()));
    let text = |k: &str, d: &mut Diagnostics| f.str(k, d).map(|s| s.value);
    let host = Host {
        id: Id::parse(&e.id.value).ok()?,
        name: text("name", diags).unwrap_or_else(|| e.id.value.clone()),
        address,
        role: text("role", diags),
        provider: text("provider", diags),
        region: text("region", diags),
        contact: text("contact", diags),
        rebuild: text("rebuild", diags),
        storage: text("storage", diags),
        not_running: f
            .strs("not_running", diags)
            .into_iter()
            .map(|s| s.value)
            .collect(),
        mitigations: crate::model::resilience::mitigations(&f, diags),
        maintenance: crate::model::maintenance::read(
            &f,
            crate::model::maintenance::Origin::Host(ix),
            diags,
        ),
        loc: e.id.loc.clone(),
    };
    f.finish(diags);
    Some(host)
}

/// An IPv4/IPv6 address or a DNS name. Text that looks like an IPv4 address but is not one
/// (`203.0.113.300`) is an error, not a DNS name.
pub fn parse_address(s: &str) -> Result<Address, String> {
    if let Ok(ip) = s.trim_start_matches('[').trim_end_matches(']').parse() {
        return Ok(Address::Ip(ip));
    }
    let looks_numeric = s.chars().all(|c| c.is_ascii_digit() || c == '.');
    if looks_numeric || s.contains(':') {
        return Err(format!("`{s}` is not a valid IP address"));
    }
    if is_hostname(s) {
        Ok(Address::Dns(s.to_string()))
    } else {
        Err(format!("`{s}` is not a valid IP address or DNS name"))
    }
}

/// DNS name rules: labels of letters, digits and `-`, 1-63 long, not starting or ending with
/// `-`, 253 characters at most.
pub fn is_hostname(s: &str) -> bool {
    s.len() <= 253
        && !s.is_empty()
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Services whose `host` names no declared host (each reported once, where it is named).
#[derive(Default)]
struct Placing {
    /// Placed on the host their mistyped name most likely means, so that what names them
    /// finds them; the checks of where they run (ports, ingress) skip them.
    stand_in: BTreeSet<String>,
    /// An ingress with no host close to its name: which hosts lack one is not known, so
    /// public hostnames are not checked for one.
    lost_ingress: bool,
    /// Services with no host close to their `host` names, left out.
    unplaced: Vec<String>,
}

enum Want {
    Host,
    Service,
    Either,
}

struct Refs<'a> {
    hosts: &'a [String],
    /// Position of each host id in `hosts`.
    host_pos: std::collections::HashMap<&'a str, usize>,
    services: &'a [String],
    /// A topology file could not be read: an unknown id may be declared there.
    partial: bool,
}

impl Refs<'_> {
    fn unknown(&self, name: &Sp<String>, key: &str, want: Want, diags: &mut Diagnostics) {
        if self.partial {
            return;
        }
        let n = name.value.as_str();
        let (kind, pool): (&str, Vec<&str>) = match want {
            Want::Host => ("host", self.hosts.iter().map(String::as_str).collect()),
            Want::Service => (
                "service",
                self.services.iter().map(String::as_str).collect(),
            ),
            Want::Either => (
                "host or service",
                self.hosts
                    .iter()
                    .chain(self.services.iter())
                    .map(String::as_str)
                    .collect(),
            ),
        };
        let msg = if matches!(want, Want::Host) && self.services.iter().any(|s| s == n) {
            format!("`{key}` needs a host id, but `{n}` is a service")
        } else if matches!(want, Want::Service) && self.hosts.iter().any(|h| h == n) {
            format!("`{key}` needs a service id, but `{n}` is a host")
        } else {
            let hint = did_you_mean(n, pool.iter().copied()).unwrap_or_default();
            format!("`{key}` names `{n}`, but there is no {kind} `{n}`{hint}")
        };
        diags.error(name.loc.clone(), msg);
    }
}

fn read_service(
    e: &Entry,
    refs: &Refs,
    placing: &mut Placing,
    diags: &mut Diagnostics,
) -> Option<(Service, Vec<Sp<String>>)> {
    let what = format!("service `{}`", e.id.value);
    let f = Fields::new(e.src, e.node, &what, SERVICE, diags)?;
    let text = |k: &str, d: &mut Diagnostics| f.str(k, d).map(|s| s.value);
    let mut hosts = Vec::new();
    let host_names = f.strs("host", diags);
    if host_names.is_empty() && f.node("host").is_none() {
        diags.error(
            e.id.loc.clone(),
            format!("{what} needs `host` (a host id, or a list of them)"),
        );
    }
    for h in &host_names {
        match refs.host_pos.get(h.value.as_str()) {
            Some(&i) => hosts.push(i),
            None => {
                refs.unknown(h, "host", Want::Host, diags);
                // A mistyped host is reported once: the service stays, on the host it most
                // likely means, so what names it or routes to it raises no error of its
                // own. The build stops on the error, so the stand-in is never shown.
                let meant =
                    crate::base::suggest::closest(&h.value, refs.hosts.iter().map(String::as_str));
                if let Some(&i) = meant.and_then(|m| refs.host_pos.get(m)) {
                    if !refs.partial && !hosts.contains(&i) {
                        hosts.push(i);
                        placing.stand_in.insert(e.id.value.clone());
                    }
                }
            }
        }
    }
    let kind = match f.str("kind", diags) {
        None => ServiceKind::Process,
        Some(k) => match ServiceKind::ALL.iter().find(|(n, _)| *n == k.value) {
            Some((_, kind)) => *kind,
            None => {
                let names: Vec<&str> = ServiceKind::ALL.iter().map(|(n, _)| *n).collect();
                let hint = did_you_mean(&k.value, names.iter().copied())
                    .unwrap_or_else(|| format!("; use one of {}", names.join(", ")));
                diags.error(k.loc, format!("unknown service kind `{}`{hint}", k.value));
                ServiceKind::Process
            }
        },
    };
    let mut ports: Vec<u16> = f
        .number("port", 1, 65535, diags)
        .map(|p| p.value as u16)
        .into_iter()
        .collect();
    ports.extend(
        f.numbers("ports", 1, 65535, diags)
            .into_iter()
            .map(|p| p.value as u16),
    );
    let public = f.str("public", diags).and_then(|p| {
        if is_hostname(&p.value) && p.value.contains('.') {
            Some(p.value.to_ascii_lowercase())
        } else {
            diags.error(
                p.loc,
                format!(
                    "`public` must be a hostname like `app.example.com`, found `{}`",
                    p.value
                ),
            );
            None
        }
    });
    let schedule = f.str("schedule", diags);
    let stop_window = (kind == ServiceKind::Timer)
        .then(|| crate::model::maintenance::backup_window(&f, schedule.as_ref(), diags))
        .flatten();
    for key in ["stops", "stops_for"] {
        if let Some(n) = f.node(key).filter(|_| kind != ServiceKind::Timer) {
            diags.error(
                e.src.loc(n.span()),
                format!(
                    "`{key}` of service `{}` needs `kind: timer` (the job that stops services); it is `{}`",
                    e.id.value,
                    kind.as_str()
                ),
            );
        }
    }
    let service = Service {
        id: Id::parse(&e.id.value).ok()?,
        name: text("name", diags).unwrap_or_else(|| e.id.value.clone()),
        kind,
        ingress: f.bool("ingress", diags).map(|b| b.value).unwrap_or(false),
        ports,
        protocol: text("protocol", diags),
        public,
        unit: text("unit", diags),
        container: text("container", diags),
        schedule: schedule.as_ref().map(|s| s.value.clone()),
        group: text("group", diags),
        description: text("description", diags),
        depends_on: Vec::new(),
        mitigations: crate::model::resilience::mitigations(&f, diags),
        backs_up: Vec::new(),
        slo: f.str("slo", diags).and_then(|v| {
            let slo = crate::base::slo::Slo::parse(&v.value);
            if slo.is_none() {
                diags.error(
                    v.loc,
                    format!(
                        "`slo` is an availability target in percent, above 0 and at most 100 with at most three decimals, like `99.9`; found `{}`",
                        v.value
                    ),
                );
            }
            slo
        }),
        maintenance: crate::model::maintenance::read(
            &f,
            crate::model::maintenance::Origin::Service,
            diags,
        ),
        stops: Vec::new(),
        stop_window,
        loc: f
            .node("public")
            .map(|n| e.src.loc(n.span()))
            .unwrap_or_else(|| e.id.loc.clone()),
        hosts,
    };
    let deps = f.strs("depends_on", diags);
    f.finish(diags);
    if service.hosts.is_empty() {
        placing.lost_ingress |= service.ingress;
        placing.unplaced.push(e.id.value.clone());
        return None;
    }
    Some((service, deps))
}

/// Two services of one host cannot listen on the same port of the host (UDP and TCP ports
/// are apart: a service whose `protocol` is `udp` claims a UDP port). A docker service's
/// port may be its container's own, which any number of containers share, so only
/// services that run on the host itself (`process`, `systemd`) claim one.
fn check_ports(fleet: &Fleet, stand_in: &BTreeSet<String>, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<(usize, bool, u16), &Service> = BTreeMap::new();
    for s in &fleet.services {
        if !matches!(s.kind, ServiceKind::Process | ServiceKind::Systemd)
            || stand_in.contains(s.id.as_str())
        {
            continue;
        }
        let udp = s
            .protocol
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case("udp"));
        for &h in &s.hosts {
            for &port in &s.ports {
                match seen.get(&(h, udp, port)) {
                    Some(first) if first.id != s.id => diags.error(
                        s.loc.clone(),
                        format!(
                            "service `{}` claims port {port} on host `{}`, which service `{}` ({}:{}:{}) already claims; two services of one host cannot listen on one port: correct one of the ports",
                            s.id,
                            fleet.hosts[h].id,
                            first.id,
                            first.loc.file.display(),
                            first.loc.pos.line,
                            first.loc.pos.col
                        ),
                    ),
                    Some(_) => {}
                    None => {
                        seen.insert((h, udp, port), s);
                    }
                }
            }
        }
    }
}

/// A public hostname is unique across the fleet and needs an ingress on each of its hosts.
fn check_public(fleet: &Fleet, stand_in: &BTreeSet<String>, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &Service> = BTreeMap::new();
    // A stand-in ingress may sit on the wrong host: then no host's ingress is certain.
    let unsure = fleet
        .services
        .iter()
        .any(|s| s.ingress && stand_in.contains(s.id.as_str()));
    for s in &fleet.services {
        let Some(public) = &s.public else { continue };
        if let Some(first) = seen.get(public.as_str()) {
            diags.error(
                s.loc.clone(),
                format!(
                    "public hostname `{public}` is already routed to service `{}` ({}:{}); each hostname routes to one service",
                    first.id,
                    first.loc.file.display(),
                    first.loc.pos.line
                ),
            );
        } else {
            seen.insert(public, s);
        }
        if unsure || stand_in.contains(s.id.as_str()) {
            continue;
        }
        for &h in &s.hosts {
            if fleet.ingress_of(h).is_none() {
                diags.error(
                    s.loc.clone(),
                    format!(
                        "public hostname `{public}` needs an ingress on host `{}`, which has none; add a service with `ingress: true` there (e.g. traefik)",
                        fleet.hosts[h].id
                    ),
                );
            }
        }
    }
}

fn endpoints(
    f: &Fields,
    key: &str,
    fleet: &Fleet,
    refs: &Refs,
    diags: &mut Diagnostics,
) -> Vec<Endpoint> {
    let names = f.strs(key, diags);
    if names.is_empty() && f.node(key).is_none() {
        diags.error(
            f.loc(),
            format!("a link needs `{key}` (a service or host id, or a list of them)"),
        );
    }
    names
        .iter()
        .filter_map(|n| {
            if let Some(s) = fleet.service_ix(&n.value) {
                Some(Endpoint::Service(s))
            } else if let Some(h) = fleet.host_ix(&n.value) {
                Some(Endpoint::Host(h))
            } else {
                // A declared service that failed its own checks was reported already.
                if !refs.services.contains(&n.value) {
                    refs.unknown(n, key, Want::Either, diags);
                }
                None
            }
        })
        .collect()
}

fn read_link(
    src: &Src,
    node: &Node,
    fleet: &Fleet,
    refs: &Refs,
    diags: &mut Diagnostics,
) -> Option<Link> {
    let f = Fields::new(src, node, "a link", LINK, diags)?;
    let link = Link {
        from: endpoints(&f, "from", fleet, refs, diags),
        to: endpoints(&f, "to", fleet, refs, diags),
        protocol: f.str("protocol", diags).map(|s| s.value),
        via: f.str("via", diags).map(|s| s.value),
        note: f.str("note", diags).map(|s| s.value),
        loc: f.loc(),
    };
    f.finish(diags);
    (!link.from.is_empty() && !link.to.is_empty()).then_some(link)
}

fn read_layer(e: &Entry, fleet: &Fleet, refs: &Refs, diags: &mut Diagnostics) -> Option<Layer> {
    let what = format!("layer `{}`", e.id.value);
    let f = Fields::new(e.src, e.node, &what, LAYER, diags)?;
    let host = f.str("host", diags).and_then(|h| {
        let ix = fleet.host_ix(&h.value);
        if ix.is_none() {
            refs.unknown(&h, "host", Want::Host, diags);
        }
        ix
    });
    let layer = Layer {
        id: Id::parse(&e.id.value).ok()?,
        title: f
            .str("title", diags)
            .map(|s| s.value)
            .unwrap_or_else(|| e.id.value.clone()),
        host,
        path: f.str("path", diags).map(|s| s.value),
        holds: f
            .strs("holds", diags)
            .into_iter()
            .map(|s| s.value)
            .collect(),
        description: f.str("description", diags).map(|s| s.value),
    };
    f.finish(diags);
    Some(layer)
}
