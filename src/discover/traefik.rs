//! Routes from a running Traefik: one GET of its API's `/api/rawdata`, which holds every
//! HTTP, TCP and UDP router and service of every provider in one answer (no pagination
//! to follow), and each router's status: a router Traefik refused is `disabled` with its
//! `error`, and routes nothing.
//! Traefik's own routers (`@internal`: the API, the dashboard) are not the fleet's and are
//! left out. Needs the API enabled (`api: {}` plus an entrypoint or `api.insecure`) and
//! reachable from where `discover` runs.

use crate::discover::{rule_hosts, rule_path, Proto, Route};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The parts of `/api/rawdata` read here; the shape of Traefik's
/// `pkg/api/handler.go` `RunTimeRepresentation` (routers, services and their TCP and
/// UDP kin, keyed by `name@provider`).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawData {
    #[serde(default)]
    routers: BTreeMap<String, Router>,
    #[serde(default)]
    services: BTreeMap<String, Service>,
    #[serde(default)]
    tcp_routers: BTreeMap<String, Router>,
    #[serde(default)]
    tcp_services: BTreeMap<String, Service>,
    #[serde(default)]
    udp_routers: BTreeMap<String, Router>,
    #[serde(default)]
    udp_services: BTreeMap<String, Service>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Router {
    #[serde(default)]
    rule: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    entry_points: Vec<String>,
    #[serde(default)]
    middlewares: Vec<String>,
    #[serde(default)]
    tls: Option<serde_json::Value>,
    #[serde(default)]
    provider: String,
    /// `enabled`, `warning` or `disabled` (rejected: see `error`).
    #[serde(default)]
    status: String,
    #[serde(default)]
    error: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Service {
    #[serde(default)]
    load_balancer: Option<LoadBalancer>,
    #[serde(default)]
    weighted: Option<Weighted>,
    #[serde(default)]
    mirroring: Option<Mirroring>,
    #[serde(default)]
    failover: Option<Failover>,
}

#[derive(Deserialize, Default)]
struct LoadBalancer {
    #[serde(default)]
    servers: Vec<Server>,
}

#[derive(Deserialize, Default)]
struct Server {
    /// HTTP servers.
    #[serde(default)]
    url: String,
    /// TCP and UDP servers.
    #[serde(default)]
    address: String,
}

#[derive(Deserialize, Default)]
struct Named {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize, Default)]
struct Weighted {
    #[serde(default)]
    services: Vec<Named>,
}

#[derive(Deserialize, Default)]
struct Mirroring {
    #[serde(default)]
    service: String,
    #[serde(default)]
    mirrors: Vec<Named>,
}

#[derive(Deserialize, Default)]
struct Failover {
    #[serde(default)]
    service: String,
    #[serde(default)]
    fallback: String,
}

/// `name` qualified with the provider of the router or service that names it.
fn qualified(name: &str, provider: &str) -> String {
    if name.contains('@') || provider.is_empty() {
        name.to_string()
    } else {
        format!("{name}@{provider}")
    }
}

/// The servers a service sends to, following weighted, mirroring and failover services
/// (mirrors are copies, not where answers come from, and are left out), and how it
/// spreads requests when it is not one load balancer.
fn servers(
    services: &BTreeMap<String, Service>,
    name: &str,
    depth: usize,
) -> (Vec<String>, Option<String>) {
    let provider = name.rsplit_once('@').map(|(_, p)| p).unwrap_or("");
    let Some(s) = services.get(name) else {
        return (Vec::new(), None);
    };
    if depth > 8 {
        return (Vec::new(), None);
    }
    let mut out = Vec::new();
    let follow = |child: &str, out: &mut Vec<String>| {
        for b in servers(services, &qualified(child, provider), depth + 1).0 {
            if !out.contains(&b) {
                out.push(b);
            }
        }
    };
    if let Some(lb) = &s.load_balancer {
        for srv in &lb.servers {
            let b = if srv.url.is_empty() {
                &srv.address
            } else {
                &srv.url
            };
            if !b.is_empty() && !out.contains(b) {
                out.push(b.clone());
            }
        }
        return (out, None);
    }
    if let Some(w) = &s.weighted {
        let names: Vec<String> = w
            .services
            .iter()
            .map(|c| qualified(&c.name, provider))
            .collect();
        for n in &names {
            follow(n, &mut out);
        }
        return (out, Some(format!("weighted: {}", names.join(", "))));
    }
    if let Some(m) = &s.mirroring {
        follow(&m.service, &mut out);
        let mirrors: Vec<String> = m
            .mirrors
            .iter()
            .map(|c| qualified(&c.name, provider))
            .collect();
        return (
            out,
            Some(format!(
                "mirroring: {} (mirrors {})",
                qualified(&m.service, provider),
                mirrors.join(", ")
            )),
        );
    }
    if let Some(f) = &s.failover {
        follow(&f.service, &mut out);
        follow(&f.fallback, &mut out);
        return (
            out,
            Some(format!(
                "failover: {}, then {}",
                qualified(&f.service, provider),
                qualified(&f.fallback, provider)
            )),
        );
    }
    (out, None)
}

/// Every HTTP route Traefik at `api` (e.g. `http://127.0.0.1:8080`) knows.
pub fn read(api: &str, client: &fleetdoc_probe::fetch::Client) -> Result<Vec<Route>, String> {
    let url = format!("{}/api/rawdata", api.trim_end_matches('/'));
    let got = client
        .get(&url)
        .map_err(|e| format!("cannot read Traefik's API at {url}: {e}"))?;
    if got.status != 200 {
        return Err(format!(
            "Traefik's API at {url} answered HTTP {}; is the API enabled (`api: {{}}`) on that address?",
            got.status
        ));
    }
    parse(&got.body).map_err(|e| format!("Traefik's API at {url}: {e}"))
}

/// Routes from the JSON of `/api/rawdata`: every HTTP, TCP and UDP router, the ones
/// Traefik rejected with their error.
pub fn parse(body: &[u8]) -> Result<Vec<Route>, String> {
    let raw: RawData = serde_json::from_slice(body).map_err(|e| {
        format!("not the JSON of /api/rawdata ({e}); is this Traefik v2 or v3's API address?")
    })?;
    let mut out = Vec::new();
    for (proto, routers, services) in [
        (Proto::Http, &raw.routers, &raw.services),
        (Proto::Tcp, &raw.tcp_routers, &raw.tcp_services),
        (Proto::Udp, &raw.udp_routers, &raw.udp_services),
    ] {
        for (name, r) in routers {
            let provider = name.rsplit_once('@').map(|(_, p)| p).unwrap_or(&r.provider);
            if provider == "internal" {
                continue;
            }
            let service = qualified(&r.service, provider);
            let (backends, split) = if services.contains_key(&service) {
                servers(services, &service, 0)
            } else {
                servers(services, &r.service, 0)
            };
            let rejected = (r.status == "disabled").then(|| {
                if r.error.is_empty() {
                    "Traefik disabled it without saying why".to_string()
                } else {
                    r.error.join("; ")
                }
            });
            out.push(Route {
                router: name.clone(),
                proto,
                rule: r.rule.clone(),
                hosts: rule_hosts(&r.rule),
                path: rule_path(&r.rule),
                entrypoints: r.entry_points.clone(),
                tls: r.tls.is_some(),
                middlewares: r.middlewares.clone(),
                service: r
                    .service
                    .rsplit_once('@')
                    .map_or(r.service.as_str(), |(s, _)| s)
                    .to_string(),
                backends,
                split,
                rejected,
                source: "Traefik".into(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn rawdata_routers_with_their_backends() {
        let body = br#"{
          "routers": {
            "wiki@file": {"entryPoints": ["web"], "service": "wiki", "rule": "Host(`wiki.example.com`)",
                          "tls": {"certResolver": "le"}, "middlewares": ["auth@file"], "provider": "file"},
            "api@internal": {"service": "api@internal", "rule": "PathPrefix(`/api`)", "provider": "internal"}
          },
          "services": {
            "wiki@file": {"loadBalancer": {"servers": [{"url": "http://127.0.0.1:8081"}]}, "provider": "file"}
          }
        }"#;
        let routes = super::parse(body).unwrap();
        assert_eq!(routes.len(), 1);
        let r = &routes[0];
        assert_eq!(r.hosts, ["wiki.example.com"]);
        assert!(r.tls);
        assert_eq!(r.backend_ports(), [8081]);
        assert_eq!(r.middlewares, ["auth@file"]);
    }

    #[test]
    fn an_answer_that_is_not_rawdata_says_so() {
        let e = super::parse(b"<html>404</html>").unwrap_err();
        assert!(e.starts_with("not the JSON of /api/rawdata"), "{e}");
        assert!(super::parse(b"{}").unwrap().is_empty());
    }
}
