//! References from shell commands, looked up in the fleet. A name the fleet knows
//! resolves to its host or service (the rendered code links it); a name that should be
//! the fleet's but is not becomes a warning with the closest name; a name that is not
//! about the fleet (an operating system unit, an external site, a package mirror) is left
//! alone. Which names are "about the fleet" is in docs/runbook-checks.md.

use super::{Found, RefKind};
use crate::base::suggest::closest;
use crate::model::{Fleet, ServiceKind};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// What a resolved reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Host(usize),
    Service(usize),
}

/// The outcome for one reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Resolved(Target),
    /// Not a name of the fleet, and not meant to be.
    Outside,
    /// Should be a name of the fleet and is not: the message says what it is and what to do.
    Unknown(String),
    /// Was a name of the fleet: the message says what became of it and when (the history).
    Gone(String),
}

/// The fleet's names, indexed once per build for every page.
pub struct Names<'f> {
    fleet: &'f Fleet,
    units: HashMap<String, usize>,
    containers: HashMap<String, usize>,
    hosts: HashMap<String, usize>,
    public: HashMap<String, usize>,
    domains: Vec<String>,
    /// Declared folders (layers' `path`), without a trailing `/`, and their host.
    dirs: Vec<(String, Option<usize>)>,
    /// What the history says of names the fleet no longer has.
    hints: Option<&'f super::history::Hints>,
    /// Outcomes already found: runbooks repeat the same names, and a "did you mean" runs
    /// over every name of its kind.
    memo: Mutex<HashMap<(RefKind, String), Outcome>>,
}

/// Unit types that name something of the operating system, never a fleet service.
const SYSTEM_SUFFIXES: &[&str] = &[
    ".target",
    ".mount",
    ".automount",
    ".slice",
    ".scope",
    ".device",
    ".swap",
];

/// Units every Linux host has; a runbook may restart them without declaring them.
const SYSTEM_UNITS: &[&str] = &[
    "ssh",
    "sshd",
    "docker",
    "containerd",
    "nginx",
    "apache2",
    "httpd",
    "caddy",
    "cron",
    "crond",
    "networking",
    "NetworkManager",
    "ufw",
    "firewalld",
    "fail2ban",
    "chrony",
    "chronyd",
    "ntp",
    "ntpd",
    "rsyslog",
    "snapd",
    "unattended-upgrades",
    "apt-daily",
    "apt-daily-upgrade",
    "dbus",
    "polkit",
    "tailscaled",
    "postfix",
    "getty",
    "avahi-daemon",
    "auditd",
    "cloud-init",
    "cloud-config",
    "cloud-final",
    "multipathd",
    "fwupd",
    "irqbalance",
    "udisks2",
    "logrotate",
    "man-db",
    "fstrim",
    "e2scrub_all",
    "motd-news",
    "podman",
    "libvirtd",
    "qemu-guest-agent",
    "nftables",
    "iptables",
    "netfilter-persistent",
    "wpa_supplicant",
    "bluetooth",
    "cups",
    "haveged",
    "rngd",
    "smartd",
    "zfs-zed",
    "nfs-server",
    "rpcbind",
    "smbd",
    "nmbd",
];
const SYSTEM_PREFIXES: &[&str] = &[
    "systemd-",
    "getty@",
    "user@",
    "wg-quick@",
    "serial-getty@",
    "user-runtime-dir@",
];

pub(super) fn unit_file_name(name: &str) -> String {
    const TYPES: &[&str] = &[".service", ".timer", ".socket", ".path"];
    if TYPES.iter().any(|t| name.ends_with(t)) || SYSTEM_SUFFIXES.iter().any(|t| name.ends_with(t))
    {
        name.to_string()
    } else {
        format!("{name}.service")
    }
}

fn is_system_unit(unit: &str) -> bool {
    if SYSTEM_SUFFIXES.iter().any(|t| unit.ends_with(t)) {
        return true;
    }
    let stem = unit.rsplit_once('.').map(|(s, _)| s).unwrap_or(unit);
    SYSTEM_UNITS.contains(&stem) || SYSTEM_PREFIXES.iter().any(|p| stem.starts_with(p))
}

/// The domain a public name lies under: `forge.example.com` -> `example.com`.
fn parent_domain(name: &str) -> Option<&str> {
    let (_, rest) = name.split_once('.')?;
    rest.contains('.').then_some(rest)
}

impl<'f> Names<'f> {
    /// With the history's word on names the fleet no longer has.
    pub fn with_hints(mut self, hints: Option<&'f super::history::Hints>) -> Self {
        self.hints = hints;
        self
    }

    pub fn new(fleet: &'f Fleet) -> Self {
        let mut units = HashMap::new();
        let mut containers = HashMap::new();
        let mut public = HashMap::new();
        for (i, s) in fleet.services.iter().enumerate() {
            match s.kind {
                ServiceKind::Systemd | ServiceKind::Timer => {
                    let default = match s.kind {
                        ServiceKind::Timer => format!("{}.timer", s.id),
                        _ => format!("{}.service", s.id),
                    };
                    let unit = s
                        .unit
                        .clone()
                        .map(|u| unit_file_name(&u))
                        .unwrap_or(default);
                    // A timer starts the service of the same name.
                    if let Some(stem) = unit.strip_suffix(".timer") {
                        units.entry(format!("{stem}.service")).or_insert(i);
                    }
                    units.insert(unit, i);
                }
                ServiceKind::Docker => {
                    containers.insert(s.container_name().to_string(), i);
                }
                _ => {}
            }
            if let Some(p) = &s.public {
                public.insert(p.to_ascii_lowercase(), i);
            }
        }
        let mut hosts = HashMap::new();
        let mut domains: Vec<String> = Vec::new();
        for (i, h) in fleet.hosts.iter().enumerate() {
            hosts.insert(h.id.as_str().to_string(), i);
            if !h.name.contains(char::is_whitespace) {
                hosts.entry(h.name.to_ascii_lowercase()).or_insert(i);
            }
            let addr = h.address.to_string().to_ascii_lowercase();
            if let crate::model::Address::Dns(name) = &h.address {
                if let Some(d) = parent_domain(name) {
                    domains.push(d.to_ascii_lowercase());
                }
            }
            hosts.insert(addr, i);
        }
        for p in public.keys() {
            if let Some(d) = parent_domain(p) {
                domains.push(d.to_string());
            }
        }
        domains.sort();
        domains.dedup();
        let dirs = fleet
            .layers
            .iter()
            .filter_map(|l| {
                let p = l.path.as_deref()?.trim_end_matches('/');
                p.starts_with('/').then(|| (p.to_string(), l.host))
            })
            .collect();
        Names {
            fleet,
            units,
            containers,
            hosts,
            public,
            domains,
            dirs,
            memo: Mutex::new(HashMap::new()),
            hints: None,
        }
    }

    /// Look one reference up.
    pub fn resolve(&self, f: &Found) -> Outcome {
        let key = (f.kind, f.text.clone());
        if let Some(o) = self.memo.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return o;
        }
        let o = self.lookup(f);
        if let Ok(mut m) = self.memo.lock() {
            m.insert(key, o.clone());
        }
        o
    }

    fn lookup(&self, f: &Found) -> Outcome {
        match f.kind {
            RefKind::Unit => self.unit(&f.text),
            RefKind::Container => self.container(&f.text),
            RefKind::Host => self.host(&f.text, true),
            RefKind::Url => self.url(&f.text),
            RefKind::Path => self.path(&f.text),
            // Compose stacks are not declared in the topology: nothing to check them against.
            RefKind::ComposeFile | RefKind::ComposeProject => Outcome::Outside,
        }
    }

    fn unit(&self, name: &str) -> Outcome {
        let unit = unit_file_name(name);
        if let Some(&s) = self.units.get(&unit) {
            return Outcome::Resolved(Target::Service(s));
        }
        if is_system_unit(&unit) {
            return Outcome::Outside;
        }
        // What the history says of it comes first: it is the likeliest reason.
        if let Some(h) = self.hints.and_then(|h| h.unit(&unit)) {
            return Outcome::Gone(format!("unit `{name}` is not declared in the fleet{h}"));
        }
        let stem = unit.rsplit_once('.').map(|(s, _)| s).unwrap_or(&unit);
        if let Some(s) = self.fleet.services.iter().find(|s| s.id.as_str() == stem) {
            let hint = match s.kind {
                ServiceKind::Docker => format!(
                    "; it runs in a container: `docker logs {}`",
                    s.container_name()
                ),
                _ => "; declare its `unit:` in the topology if it has one".to_string(),
            };
            return Outcome::Unknown(format!(
                "`{name}` is not a systemd unit of the fleet: service `{stem}` is of kind `{}`{hint}",
                s.kind.as_str()
            ));
        }
        let suggestion = closest(&unit, self.units.keys().map(String::as_str))
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        Outcome::Unknown(format!(
            "unit `{name}` is not declared in the fleet{suggestion}"
        ))
    }

    fn container(&self, name: &str) -> Outcome {
        if let Some(&s) = self.containers.get(name) {
            return Outcome::Resolved(Target::Service(s));
        }
        // A compose project's name for it: `<project>-<service>-<n>` or with `_`.
        if let Some((head, n)) = name.rsplit_once(['-', '_']) {
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                let sep = name.as_bytes()[head.len()];
                let mut at = 0;
                while let Some(p) = head[at..].find(sep as char) {
                    if let Some(&s) = self.containers.get(&head[at + p + 1..]) {
                        return Outcome::Resolved(Target::Service(s));
                    }
                    at += p + 1;
                }
            }
        }
        let suggestion = closest(name, self.containers.keys().map(String::as_str))
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        Outcome::Unknown(format!(
            "container `{name}` is not declared in the fleet{suggestion}"
        ))
    }

    /// Is a DNS name about the fleet: a host's name, or under a domain its public names use?
    fn fleet_domain(&self, name: &str) -> bool {
        self.domains.iter().any(|d| {
            name == d
                || (name.len() > d.len()
                    && name.ends_with(d.as_str())
                    && name.as_bytes()[name.len() - d.len() - 1] == b'.')
        })
    }

    fn host(&self, name: &str, login: bool) -> Outcome {
        let lower = name.to_ascii_lowercase();
        let lower = lower.trim_start_matches('[').trim_end_matches(']');
        if let Some(&h) = self.hosts.get(lower) {
            return Outcome::Resolved(Target::Host(h));
        }
        if let Some(&s) = self.public.get(lower) {
            let svc = &self.fleet.services[s];
            return Outcome::Resolved(match svc.hosts.as_slice() {
                [h] if login => Target::Host(*h),
                _ => Target::Service(s),
            });
        }
        if lower == "localhost" || lower.is_empty() {
            return Outcome::Outside;
        }
        if let Ok(ip) = lower.parse::<IpAddr>() {
            if ip.is_loopback() || ip.is_unspecified() || !login || !self.near_a_host(ip) {
                return Outcome::Outside;
            }
            let suggestion = self.closest_host(lower);
            return Outcome::Unknown(format!(
                "`{name}` is not the address of a host of the fleet{suggestion}"
            ));
        }
        let dotted = lower.contains('.');
        if dotted && !self.fleet_domain(lower) {
            return Outcome::Outside;
        }
        if !dotted && !login {
            return Outcome::Outside;
        }
        let what = if login {
            "a host of the fleet (by id, name or address)"
        } else {
            "a public hostname of the fleet"
        };
        if let Some(h) = self.hints.and_then(|h| h.host(lower)) {
            return Outcome::Gone(format!("`{name}` is not {what}{h}"));
        }
        let suggestion = if dotted {
            closest(
                lower,
                self.public
                    .keys()
                    .map(String::as_str)
                    .chain(self.hosts.keys().map(String::as_str)),
            )
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default()
        } else {
            self.closest_host(lower)
        };
        Outcome::Unknown(format!("`{name}` is not {what}{suggestion}"))
    }

    fn closest_host(&self, name: &str) -> String {
        closest(name, self.hosts.keys().map(String::as_str))
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default()
    }

    /// An address in the same /24 (or /64) as a host's: one of the fleet's networks.
    fn near_a_host(&self, ip: IpAddr) -> bool {
        self.fleet.hosts.iter().any(|h| match (&h.address, ip) {
            (crate::model::Address::Ip(IpAddr::V4(a)), IpAddr::V4(b)) => {
                a.octets()[..3] == b.octets()[..3]
            }
            (crate::model::Address::Ip(IpAddr::V6(a)), IpAddr::V6(b)) => {
                a.segments()[..4] == b.segments()[..4]
            }
            _ => false,
        })
    }

    fn url(&self, url: &str) -> Outcome {
        let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let hostport = authority
            .rsplit_once('@')
            .map(|(_, h)| h)
            .unwrap_or(authority);
        let host = if hostport.starts_with('[') {
            hostport
                .split(']')
                .next()
                .unwrap_or("")
                .trim_start_matches('[')
        } else {
            hostport.split(':').next().unwrap_or("")
        };
        self.host(host, false)
    }

    fn path(&self, path: &str) -> Outcome {
        let p = path.trim_end_matches('/');
        for (d, host) in &self.dirs {
            if p == d || p.starts_with(&format!("{d}/")) {
                return match host {
                    Some(h) => Outcome::Resolved(Target::Host(*h)),
                    None => Outcome::Outside,
                };
            }
        }
        // A sibling of a declared folder with a close name is a misspelling of it.
        let mut near: Vec<(&str, String)> = Vec::new();
        for (d, _) in &self.dirs {
            let Some((dp, _)) = d.rsplit_once('/') else {
                continue;
            };
            let Some(tail) = p.strip_prefix(dp).and_then(|t| t.strip_prefix('/')) else {
                continue;
            };
            let comp = tail.split('/').next().unwrap_or("");
            near.push((d.as_str(), format!("{dp}/{comp}")));
        }
        for (d, written) in &near {
            if closest(written, [*d]).is_some() {
                return Outcome::Unknown(format!(
                    "`{path}` is not under a folder declared in the fleet; did you mean `{d}`?"
                ));
            }
        }
        Outcome::Outside
    }
}
