//! What runs, read from the tools that know it: Traefik's API (routes), Docker and compose
//! files (containers, and routes from their Traefik labels), systemd (units). Each source
//! has its own file and returns the same plain types; `compare.rs` holds them against the
//! validated fleet, `propose.rs` writes a topology fragment for what is not declared.
//! Sources are read after the model stage and never change it.

pub mod compare;
pub mod compose;
pub mod docker;
pub mod propose;
pub mod systemd;
pub mod traefik;

/// The protocol a router serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Proto {
    #[default]
    Http,
    Tcp,
    Udp,
}

impl Proto {
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Http => "HTTP",
            Proto::Tcp => "TCP",
            Proto::Udp => "UDP",
        }
    }
}

/// One router of a reverse proxy: (entrypoints, host or SNI, path prefix, backend).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Route {
    /// The router's name (`wiki@file`, or the compose label's router name).
    pub router: String,
    pub proto: Proto,
    /// Its rule as written (empty for UDP routers, which have none).
    pub rule: String,
    /// Hostnames of its rule's `Host(...)` (or, for TCP, `HostSNI(...)`) matchers,
    /// lowercase; `HostSNI(`*`)` is no hostname.
    pub hosts: Vec<String>,
    /// The path of a `PathPrefix(...)` or `Path(...)` matcher, when it is not `/`.
    pub path: Option<String>,
    pub entrypoints: Vec<String>,
    pub tls: bool,
    pub middlewares: Vec<String>,
    /// The name of the proxy's service the router sends to, without its `@provider`.
    pub service: String,
    /// Backend server URLs (`http://127.0.0.1:8080`) or, for TCP and UDP, addresses
    /// (`192.0.2.40:5432`) of its service (of every service a weighted or mirroring
    /// service sends to).
    pub backends: Vec<String>,
    /// How the service spreads requests when it is not one load balancer
    /// (`weighted: v1@file, v2@file`).
    pub split: Option<String>,
    /// The proxy's own error when it refused the router; such a router routes nothing.
    pub rejected: Option<String>,
    /// Where it was read: `Traefik` or `compose file docker-compose.yml`.
    pub source: String,
}

impl Route {
    /// The router with what else it does: `wiki@file (entrypoints web; TLS; middlewares
    /// auth@file)`.
    pub fn described(&self) -> String {
        let mut parts = Vec::new();
        if self.proto != Proto::Http {
            parts.push(self.proto.as_str().to_string());
        }
        if !self.entrypoints.is_empty() {
            parts.push(format!("entrypoints {}", self.entrypoints.join(", ")));
        }
        if self.tls {
            parts.push("TLS".to_string());
        }
        if !self.middlewares.is_empty() {
            parts.push(format!("middlewares {}", self.middlewares.join(", ")));
        }
        if let Some(split) = &self.split {
            parts.push(split.clone());
        }
        if parts.is_empty() {
            self.router.clone()
        } else {
            format!("{} ({})", self.router, parts.join("; "))
        }
    }

    /// The ports of its backends (80/443 when a URL names none).
    pub fn backend_ports(&self) -> Vec<u16> {
        let mut ports: Vec<u16> = self.backends.iter().filter_map(|u| url_port(u)).collect();
        ports.sort_unstable();
        ports.dedup();
        ports
    }

    /// Why the router cannot be held against a `public` hostname, when it cannot: its
    /// rule names no hostname.
    pub fn hostless(&self) -> Option<String> {
        if !self.hosts.is_empty() {
            return None;
        }
        let m = matchers(&self.rule);
        let has = |n: &str| m.iter().any(|(name, _)| name == n);
        Some(match self.proto {
            Proto::Udp => "a UDP router has no hostname".into(),
            _ if has("HostRegexp") || has("HostSNIRegexp") => format!(
                "its rule `{}` matches hostnames by a pattern, which no `public` hostname declares",
                self.rule
            ),
            Proto::Tcp => format!("its rule `{}` names no hostname", self.rule),
            Proto::Http => format!("its rule `{}` matches any hostname (no `Host`)", self.rule),
        })
    }

    /// `host/path` of one of its hostnames.
    pub fn target(&self, host: &str) -> String {
        match &self.path {
            Some(p) => format!("{host}{p}"),
            None => host.to_string(),
        }
    }
}

/// The host part of a backend URL or `host:port` address (`127.0.0.1`, `forge`, `::1`).
pub fn backend_host(backend: &str) -> Option<String> {
    let rest = backend.split_once("://").map_or(backend, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split_once(']')?.0,
        None => authority.split(':').next()?,
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Whether a backend host is this machine (the proxy's own host).
pub fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The port of an `http(s)://host[:port]/...` URL.
pub fn url_port(url: &str) -> Option<u16> {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next()?;
    let after_host = match authority.strip_prefix('[') {
        Some(v6) => v6.split_once(']')?.1,
        None => authority.rsplit_once('@').map_or(authority, |(_, h)| h),
    };
    match after_host.rsplit_once(':') {
        Some((_, p)) => p.parse().ok(),
        None => match scheme {
            "https" => Some(443),
            "http" => Some(80),
            _ => None,
        },
    }
}

/// A container that runs, or a service of a compose file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Container {
    /// The container name (`forge`, `myapp-web-1`) or, for a compose file, the name it
    /// gets (`container_name:` or the service name).
    pub name: String,
    /// The compose service it belongs to, when known.
    pub service: Option<String>,
    pub image: String,
    /// Ports published on the host.
    pub published: Vec<u16>,
    /// Ports inside the container (published targets and `expose`).
    pub internal: Vec<u16>,
    /// `running`, `exited`, ... (`defined` for a compose file).
    pub state: String,
    pub source: String,
    /// Its compose project (the `com.docker.compose.project` label, or the file's).
    pub project: Option<String>,
}

impl Container {
    /// The names a topology may know it by: the container name and the compose service.
    pub fn names(&self) -> Vec<&str> {
        let mut v = vec![self.name.as_str()];
        if let Some(s) = &self.service {
            if s != &self.name {
                v.push(s);
            }
        }
        v
    }
}

/// A systemd unit of this host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub name: String,
    /// `active`, `inactive`, `failed`...
    pub active: String,
    /// `running`, `exited`, `waiting`...
    pub sub: String,
}

/// Everything the asked sources saw, and what was odd while reading them.
#[derive(Debug, Clone, Default)]
pub struct Discovered {
    pub routes: Vec<Route>,
    pub containers: Vec<Container>,
    pub units: Vec<Unit>,
    /// Which kinds were read at all: a kind not read is never "missing".
    pub read_routes: bool,
    pub read_containers: bool,
    pub read_units: bool,
    /// Whether the containers came from `docker ps` alone (every container of the host)
    /// rather than within the stacks of compose files.
    pub read_all_containers: bool,
    /// The compose projects of the compose files read: when there are any, containers
    /// were looked at only within these stacks.
    pub stacks: Vec<String>,
    /// The container names those compose files define (running or not).
    pub defined: Vec<String>,
    /// Entries that could not be understood, one sentence each (source first).
    pub warnings: Vec<String>,
}

/// The matchers of a Traefik rule with their string arguments, in order:
/// ``Host(`a`) && PathPrefix(`/x`)`` gives `[("Host", ["a"]), ("PathPrefix", ["/x"])]`.
pub fn matchers(rule: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let b = rule.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphabetic() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let name = &rule[start..i];
            if i < b.len() && b[i] == b'(' {
                i += 1;
                let mut args = Vec::new();
                while i < b.len() && b[i] != b')' {
                    let q = b[i];
                    if matches!(q, b'`' | b'"' | b'\'') {
                        let s = i + 1;
                        i = s;
                        while i < b.len() && b[i] != q {
                            i += 1;
                        }
                        args.push(rule[s..i.min(b.len())].to_string());
                    }
                    i += 1;
                }
                out.push((name.to_string(), args));
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Hostnames in a Traefik rule: every argument of `Host(...)` matchers (and of
/// `HostSNI(...)` but `*`), lowercase. `HostRegexp` is a pattern, not a hostname.
pub fn rule_hosts(rule: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (name, args) in matchers(rule) {
        if name == "Host" || name == "HostSNI" {
            for a in args {
                let a = a.trim().to_ascii_lowercase();
                if !a.is_empty() && a != "*" && !out.contains(&a) {
                    out.push(a);
                }
            }
        }
    }
    out
}

/// The path of a rule's first `PathPrefix(...)` or `Path(...)` matcher, unless `/`.
pub fn rule_path(rule: &str) -> Option<String> {
    matchers(rule)
        .into_iter()
        .find(|(n, _)| n == "PathPrefix" || n == "Path")
        .and_then(|(_, a)| a.into_iter().next())
        .filter(|p| p != "/" && !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_rules() {
        assert_eq!(
            rule_hosts("Host(`a.example.com`) || (Host(`B.example.com`, `c.example.com`) && PathPrefix(`/x`))"),
            ["a.example.com", "b.example.com", "c.example.com"]
        );
        assert!(rule_hosts("HostRegexp(`^.+\\.example\\.com$`)").is_empty());
        assert!(rule_hosts("HostSNI(`*`)").is_empty());
        assert_eq!(rule_hosts("HostSNI(`db.example.com`)"), ["db.example.com"]);
        assert_eq!(
            rule_path("Host(`ha.example.com`) && PathPrefix(`/api/websocket`)").as_deref(),
            Some("/api/websocket")
        );
        assert_eq!(rule_path("PathPrefix(`/`)"), None);
    }

    #[test]
    fn ports_of_urls() {
        assert_eq!(url_port("http://127.0.0.1:8080"), Some(8080));
        assert_eq!(url_port("https://wiki.example.com/"), Some(443));
        assert_eq!(url_port("http://[::1]:9000/x"), Some(9000));
        assert_eq!(url_port("h2c://x"), None);
        assert_eq!(url_port("192.0.2.40:5432"), Some(5432));
        assert_eq!(backend_host("http://[::1]:9000/x").as_deref(), Some("::1"));
        assert_eq!(
            backend_host("192.0.2.40:5432").as_deref(),
            Some("192.0.2.40")
        );
    }
}
