//! `fleetdoc traefik`: how Traefik v3 reaches the site. From the `serve` settings it writes
//! a file-provider dynamic configuration (one router for the site's host name, one service
//! pointing at the local `fleetdoc serve`, and an address allow list whenever the site has
//! pages that are not public), or the same as Docker labels for a site run in a container.
//! Every value is checked first, so what Traefik loads is exactly what the settings say.

use crate::diag::{Diagnostic, Loc, Severity};
use crate::load::settings::{valid_hostname, valid_name, ServeSettings};
use serde::Serialize;
use std::collections::BTreeMap;

/// The entry point name that asks for TLS by itself.
const TLS_ENTRYPOINT: &str = "websecure";

/// The validated routing plan both outputs are written from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraefikSite {
    hostname: String,
    entrypoint: String,
    certresolver: Option<String>,
    port: u16,
    /// `Some` (never empty) when the site has internal pages.
    allow: Option<Vec<String>>,
}

impl TraefikSite {
    /// Check the `serve` settings; `site_has_internal_pages` decides the allow list. A
    /// problem is reported at the setting's own value in `fleetdoc.yaml`.
    pub fn new(serve: &ServeSettings, site_has_internal_pages: bool) -> Result<Self, Diagnostic> {
        let locs = &serve.locs;
        let error = |loc: Loc, message: String| Diagnostic {
            severity: Severity::Error,
            loc,
            message,
        };
        let hostname = match serve.hostname.as_deref().map(str::trim) {
            None | Some("") => return Err(error(
                locs.at(&locs.hostname),
                "set serve.hostname in fleetdoc.yaml (the name the site is reached at, e.g. docs.example.com)".into(),
            )),
            Some(h) => h.to_ascii_lowercase(),
        };
        if !valid_hostname(&hostname) {
            return Err(error(
                locs.at(&locs.hostname),
                format!(
                    "serve.hostname `{hostname}` is not a host name like docs.example.com \
                     (letters, digits, `-` and `.`; no wildcard, no port)"
                ),
            ));
        }
        if !valid_name(&serve.entrypoint) {
            return Err(error(
                locs.at(&locs.entrypoint),
                format!(
                    "serve.entrypoint `{}` is not a Traefik entry point name \
                     (letters, digits, `-` and `_`)",
                    serve.entrypoint
                ),
            ));
        }
        if let Some(r) = &serve.certresolver {
            if !valid_name(r) {
                return Err(error(
                    locs.at(&locs.certresolver),
                    format!(
                        "serve.certresolver `{r}` is not a Traefik certificate resolver name \
                         (letters, digits, `-` and `_`)"
                    ),
                ));
            }
        }
        if serve.port == 0 {
            return Err(error(
                locs.at(&locs.port),
                "serve.port must be between 1 and 65535".into(),
            ));
        }
        let allow = if site_has_internal_pages {
            if serve.internal_allow.is_empty() {
                return Err(error(
                    locs.at(&locs.internal_allow),
                    "the site has pages that are not public, but serve.internal_allow \
                     is empty: list the address ranges that may see them in \
                     fleetdoc.yaml, e.g. internal_allow: [10.0.0.0/8]"
                        .into(),
                ));
            }
            Some(serve.internal_allow.iter().map(|n| n.to_string()).collect())
        } else {
            None
        };
        Ok(TraefikSite {
            hostname,
            entrypoint: serve.entrypoint.clone(),
            certresolver: serve.certresolver.clone(),
            port: serve.port,
            allow,
        })
    }

    /// Router and service name: `fleetdoc-docs-example-com`.
    pub fn name(&self) -> String {
        format!("fleetdoc-{}", self.hostname.replace('.', "-"))
    }

    /// The allow-list middleware's name, when there is one.
    pub fn middleware_name(&self) -> Option<String> {
        self.allow
            .as_ref()
            .map(|_| format!("{}-internal", self.name()))
    }

    /// Whether the router terminates TLS: when a certificate resolver is set, or on the
    /// `websecure` entry point (the HTTPS entry point of Traefik's own examples, and the
    /// default here). A router with TLS is never matched by plain HTTP, so on another entry
    /// point (`web`) it has none; an entry point with TLS in Traefik's static
    /// configuration (`entryPoints.<name>.http.tls`) still gives every router TLS.
    pub fn tls(&self) -> bool {
        self.certresolver.is_some() || self.entrypoint == TLS_ENTRYPOINT
    }

    /// The router rule, e.g. ``Host(`docs.example.com`)``.
    pub fn rule(&self) -> String {
        format!("Host(`{}`)", self.hostname)
    }

    /// The dynamic configuration as YAML, with a header comment.
    pub fn dynamic_config(&self) -> Result<String, Diagnostic> {
        let name = self.name();
        let mut middlewares = BTreeMap::new();
        if let (Some(mw), Some(allow)) = (self.middleware_name(), &self.allow) {
            middlewares.insert(
                mw,
                Middleware {
                    ip_allow_list: IpAllowList {
                        source_range: allow.clone(),
                    },
                },
            );
        }
        let router = Router {
            rule: self.rule(),
            entry_points: vec![self.entrypoint.clone()],
            service: name.clone(),
            middlewares: self.middleware_name().into_iter().collect(),
            tls: self.tls().then(|| Tls {
                cert_resolver: self.certresolver.clone(),
            }),
        };
        let service = Service {
            load_balancer: LoadBalancer {
                servers: vec![Server {
                    url: format!("http://127.0.0.1:{}", self.port),
                }],
            },
        };
        let doc = Dynamic {
            http: Http {
                routers: BTreeMap::from([(name.clone(), router)]),
                services: BTreeMap::from([(name, service)]),
                middlewares,
            },
        };
        let yaml = serde_norway::to_string(&doc).map_err(|e| Diagnostic {
            severity: Severity::Error,
            loc: Loc::file_start("fleetdoc.yaml"),
            message: format!("could not write the Traefik configuration: {e}"),
        })?;
        Ok(format!(
            "# Traefik v3 dynamic configuration for {}, written by `fleetdoc traefik`.\n\
             # Load it with the file provider; it routes to `fleetdoc serve` on port {}.\n{yaml}",
            self.hostname, self.port
        ))
    }

    /// The same routing as Docker labels; the service port is the container's `serve.port`.
    pub fn docker_labels(&self) -> Vec<String> {
        let n = self.name();
        let mut labels = vec![
            "traefik.enable=true".to_string(),
            format!("traefik.http.routers.{n}.rule={}", self.rule()),
            format!("traefik.http.routers.{n}.entrypoints={}", self.entrypoint),
            format!("traefik.http.routers.{n}.service={n}"),
        ];
        if self.tls() {
            labels.push(format!("traefik.http.routers.{n}.tls=true"));
        }
        if let Some(r) = &self.certresolver {
            labels.push(format!("traefik.http.routers.{n}.tls.certresolver={r}"));
        }
        labels.push(format!(
            "traefik.http.services.{n}.loadbalancer.server.port={}",
            self.port
        ));
        if let (Some(mw), Some(allow)) = (self.middleware_name(), &self.allow) {
            labels.push(format!("traefik.http.routers.{n}.middlewares={mw}"));
            labels.push(format!(
                "traefik.http.middlewares.{mw}.ipallowlist.sourcerange={}",
                allow.join(",")
            ));
        }
        labels
    }
}

/// Traefik v3 file-provider dynamic configuration (YAML) for the site.
pub fn dynamic_config(
    serve: &ServeSettings,
    site_has_internal_pages: bool,
) -> Result<String, Diagnostic> {
    TraefikSite::new(serve, site_has_internal_pages)?.dynamic_config()
}

/// Docker labels that route the same way, for a site served from a container.
pub fn docker_labels(serve: &ServeSettings, internal: bool) -> Result<Vec<String>, Diagnostic> {
    Ok(TraefikSite::new(serve, internal)?.docker_labels())
}

#[derive(Serialize)]
struct Dynamic {
    http: Http,
}

#[derive(Serialize)]
struct Http {
    routers: BTreeMap<String, Router>,
    services: BTreeMap<String, Service>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    middlewares: BTreeMap<String, Middleware>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Router {
    rule: String,
    entry_points: Vec<String>,
    service: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    middlewares: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tls: Option<Tls>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Tls {
    #[serde(skip_serializing_if = "Option::is_none")]
    cert_resolver: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Service {
    load_balancer: LoadBalancer,
}

#[derive(Serialize)]
struct LoadBalancer {
    servers: Vec<Server>,
}

#[derive(Serialize)]
struct Server {
    url: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Middleware {
    ip_allow_list: IpAllowList,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IpAllowList {
    source_range: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::settings::Settings;

    fn serve(host: Option<&str>) -> ServeSettings {
        let mut s = Settings::default().serve;
        s.hostname = host.map(String::from);
        s.certresolver = Some("letsencrypt".into());
        s.internal_allow = vec![
            "10.0.0.0/8".parse().unwrap(),
            "100.64.0.0/10".parse().unwrap(),
        ];
        s
    }

    #[test]
    fn missing_hostname_says_what_to_set() {
        let err = dynamic_config(&serve(None), true).unwrap_err().message;
        assert!(err.contains("set serve.hostname in fleetdoc.yaml"), "{err}");
        assert!(docker_labels(&serve(Some("  ")), false).is_err());
    }

    #[test]
    fn hostile_hostname_is_refused_not_written_into_the_rule() {
        for h in [
            "docs.example.com`) || Host(`x",
            "*.example.com",
            "docs.example.com:443",
            "a..b",
        ] {
            let err = dynamic_config(&serve(Some(h)), false).unwrap_err().message;
            assert!(err.contains("is not a host name"), "{h}: {err}");
        }
    }

    #[test]
    fn config_names_router_service_and_allow_list_after_the_host() {
        let y = dynamic_config(&serve(Some("Docs.Example.com")), true).unwrap();
        assert!(y.contains("fleetdoc-docs-example-com:"), "{y}");
        assert!(y.contains("rule: Host(`docs.example.com`)"), "{y}");
        assert!(y.contains("certResolver: letsencrypt"), "{y}");
        assert!(y.contains("url: http://127.0.0.1:8090"), "{y}");
        assert!(y.contains("ipAllowList:"), "{y}");
        assert!(y.contains("- 100.64.0.0/10"), "{y}");
        assert!(y.contains("- fleetdoc-docs-example-com-internal"), "{y}");
    }

    #[test]
    fn public_site_has_no_allow_list_and_plain_tls_without_resolver() {
        let mut s = serve(Some("docs.example.com"));
        s.certresolver = None;
        let y = dynamic_config(&s, false).unwrap();
        assert!(!y.contains("ipAllowList"), "{y}");
        assert!(!y.contains("middlewares"), "{y}");
        assert!(y.contains("tls: {}"), "{y}");
    }

    #[test]
    fn plain_entrypoint_without_resolver_gets_no_tls() {
        let mut s = serve(Some("docs.example.com"));
        s.certresolver = None;
        s.entrypoint = "web".into();
        let y = dynamic_config(&s, false).unwrap();
        assert!(!y.contains("tls"), "{y}");
        let labels = docker_labels(&s, false).unwrap();
        assert!(!labels.iter().any(|l| l.contains(".tls")), "{labels:#?}");
        // A resolver asks for TLS on any entry point.
        s.certresolver = Some("letsencrypt".into());
        let y = dynamic_config(&s, false).unwrap();
        assert!(y.contains("certResolver: letsencrypt"), "{y}");
    }

    #[test]
    fn internal_pages_without_allowed_ranges_is_an_error() {
        let mut s = serve(Some("docs.example.com"));
        s.internal_allow.clear();
        let err = dynamic_config(&s, true).unwrap_err().message;
        assert!(err.contains("serve.internal_allow"), "{err}");
        assert!(dynamic_config(&s, false).is_ok());
    }

    #[test]
    fn labels_carry_rule_port_resolver_and_allow_list() {
        let l = docker_labels(&serve(Some("docs.example.com")), true).unwrap();
        let n = "fleetdoc-docs-example-com";
        for want in [
            format!("traefik.http.routers.{n}.rule=Host(`docs.example.com`)"),
            format!("traefik.http.routers.{n}.entrypoints=websecure"),
            format!("traefik.http.routers.{n}.tls.certresolver=letsencrypt"),
            format!("traefik.http.services.{n}.loadbalancer.server.port=8090"),
            format!("traefik.http.routers.{n}.middlewares={n}-internal"),
            format!("traefik.http.middlewares.{n}-internal.ipallowlist.sourcerange=10.0.0.0/8,100.64.0.0/10"),
        ] {
            assert!(l.contains(&want), "missing {want} in {l:#?}");
        }
        let public = docker_labels(&serve(Some("docs.example.com")), false).unwrap();
        assert!(
            !public.iter().any(|l| l.contains("ipallowlist")),
            "{public:#?}"
        );
    }
}
