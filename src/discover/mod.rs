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

/// A public hostname routed by a reverse proxy to backend servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The router's name (`wiki@file`, or the compose label's router name).
    pub router: String,
    /// Hostnames of its rule's `Host(...)` matchers, lowercase.
    pub hosts: Vec<String>,
    pub entrypoints: Vec<String>,
    pub tls: bool,
    pub middlewares: Vec<String>,
    /// Backend server URLs of its service (`http://127.0.0.1:8080`).
    pub backends: Vec<String>,
    /// Where it was read: `Traefik` or `compose file docker-compose.yml`.
    pub source: String,
}

impl Route {
    /// The router with what else it does: `wiki@file (entrypoints web; TLS; middlewares
    /// auth@file)`.
    pub fn described(&self) -> String {
        let mut parts = Vec::new();
        if !self.entrypoints.is_empty() {
            parts.push(format!("entrypoints {}", self.entrypoints.join(", ")));
        }
        if self.tls {
            parts.push("TLS".to_string());
        }
        if !self.middlewares.is_empty() {
            parts.push(format!("middlewares {}", self.middlewares.join(", ")));
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
}

/// The port of an `http(s)://host[:port]/...` URL.
pub fn url_port(url: &str) -> Option<u16> {
    let (scheme, rest) = url.split_once("://")?;
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
    /// Entries that could not be understood, one sentence each (source first).
    pub warnings: Vec<String>,
}

/// Hostnames in a Traefik rule: every string argument of `Host(...)` matchers
/// (``Host(`a.example.com`) || Host(`b.example.com`, `c.example.com`)``). `HostRegexp`,
/// `HostSNI` and other matchers are not hostnames and are skipped.
pub fn rule_hosts(rule: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = rule;
    while let Some(at) = rest.find("Host(") {
        let before = rest[..at].chars().next_back();
        let args = &rest[at + 5..];
        let end = args.find(')').unwrap_or(args.len());
        if !before.is_some_and(|c| c.is_ascii_alphanumeric()) {
            let mut quoted = args[..end].split(['`', '"', '\'']);
            quoted.next();
            for (i, part) in quoted.enumerate() {
                if i % 2 == 0 && !part.is_empty() {
                    out.push(part.trim().to_ascii_lowercase());
                }
            }
        }
        rest = &args[end..];
    }
    out.dedup();
    out
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
    }

    #[test]
    fn ports_of_urls() {
        assert_eq!(url_port("http://127.0.0.1:8080"), Some(8080));
        assert_eq!(url_port("https://wiki.example.com/"), Some(443));
        assert_eq!(url_port("http://[::1]:9000/x"), Some(9000));
        assert_eq!(url_port("h2c://x"), None);
    }
}
