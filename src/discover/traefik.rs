//! Routes from a running Traefik: one GET of its API's `/api/rawdata`, which holds every
//! HTTP router and service of every provider in one answer (no pagination to follow).
//! Traefik's own routers (`@internal`: the API, the dashboard) are not the fleet's and are
//! left out. Needs the API enabled (`api: {}` plus an entrypoint or `api.insecure`) and
//! reachable from where `discover` runs.

use crate::discover::{rule_hosts, Route};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Deserialize, Default)]
struct RawData {
    #[serde(default)]
    routers: BTreeMap<String, Router>,
    #[serde(default)]
    services: BTreeMap<String, Service>,
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
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Service {
    #[serde(default)]
    load_balancer: Option<LoadBalancer>,
}

#[derive(Deserialize, Default)]
struct LoadBalancer {
    #[serde(default)]
    servers: Vec<Server>,
}

#[derive(Deserialize, Default)]
struct Server {
    #[serde(default)]
    url: String,
}

/// Every HTTP route Traefik at `api` (e.g. `http://127.0.0.1:8080`) knows.
pub fn read(api: &str, timeout: Duration) -> Result<Vec<Route>, String> {
    let url = format!("{}/api/rawdata", api.trim_end_matches('/'));
    let got = fleetdoc_probe::fetch::get(&url, timeout)
        .map_err(|e| format!("cannot read Traefik's API at {url}: {e}"))?;
    if got.status != 200 {
        return Err(format!(
            "Traefik's API at {url} answered HTTP {}; is the API enabled (`api: {{}}`) on that address?",
            got.status
        ));
    }
    parse(&got.body).map_err(|e| format!("Traefik's API at {url}: {e}"))
}

/// Routes from the JSON of `/api/rawdata`.
pub fn parse(body: &[u8]) -> Result<Vec<Route>, String> {
    let raw: RawData = serde_json::from_slice(body).map_err(|e| {
        format!("not the JSON of /api/rawdata ({e}); is this Traefik v2 or v3's API address?")
    })?;
    let mut out = Vec::new();
    for (name, r) in &raw.routers {
        let provider = name.rsplit_once('@').map(|(_, p)| p).unwrap_or(&r.provider);
        if provider == "internal" {
            continue;
        }
        let service = if r.service.contains('@') || provider.is_empty() {
            r.service.clone()
        } else {
            format!("{}@{provider}", r.service)
        };
        let backends = raw
            .services
            .get(&service)
            .or_else(|| raw.services.get(&r.service))
            .and_then(|s| s.load_balancer.as_ref())
            .map(|lb| lb.servers.iter().map(|s| s.url.clone()).collect())
            .unwrap_or_default();
        out.push(Route {
            router: name.clone(),
            hosts: rule_hosts(&r.rule),
            entrypoints: r.entry_points.clone(),
            tls: r.tls.is_some(),
            middlewares: r.middlewares.clone(),
            backends,
            source: "Traefik".into(),
        });
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
