//! Shared fixtures: the example fleet of the golden files (three hosts alpha, beta, gamma)
//! and a deterministic generator of large fleets for the benchmark.
#![allow(dead_code)]

use fleetdoc_diagram::*;
use std::time::Duration;

fn svc(id: &str, label: &str, details: &[&str], status: Status) -> ServiceBox {
    ServiceBox {
        id: id.into(),
        label: label.into(),
        details: details.iter().map(|d| d.to_string()).collect(),
        status,
        group: None,
        ingress: false,
        href: Some(format!("../services/{id}/")),
    }
}

fn agent(id: &str, label: &str, status: Status) -> ServiceBox {
    ServiceBox {
        group: Some("agents".into()),
        ..svc(id, label, &["process"], status)
    }
}

fn edge(from: &str, to: &str, label: Option<&str>, kind: EdgeKind) -> Edge {
    Edge {
        from: from.into(),
        to: to.into(),
        label: label.map(Into::into),
        kind,
    }
}

pub fn example_hosts() -> Vec<HostBox> {
    let traefik = ServiceBox {
        ingress: true,
        ..svc("traefik", "Traefik", &["docker", ":80", ":443"], Status::Up)
    };
    let traefik_g = ServiceBox {
        ingress: true,
        ..svc("edge-proxy", "Traefik", &["docker", ":443"], Status::Up)
    };
    vec![
        HostBox {
            id: "alpha".into(),
            label: "alpha".into(),
            subtitle: Some("203.0.113.10 - Primary stack: forge, relay and agent compute".into()),
            href: Some("../hosts/alpha/".into()),
            region: None,
            services: vec![
                traefik,
                svc(
                    "forge",
                    "Gitea",
                    &["docker", ":3000", "forge.example.com"],
                    Status::Up,
                ),
                svc(
                    "relay",
                    "Nostr relay",
                    &["process", ":7777", "relay.example.com"],
                    Status::Down,
                ),
                svc(
                    "code-server",
                    "code-server",
                    &["systemd", "code-server@ops.service", "vscode.example.com"],
                    Status::Up,
                ),
                svc(
                    "status-board",
                    "Status board",
                    &["docker", ":8080", "status.example.com"],
                    Status::Up,
                ),
                svc(
                    "backup",
                    "Backup",
                    &["timer", "restic-backup.timer", "daily"],
                    Status::Up,
                ),
                svc("postgres", "PostgreSQL", &["docker", ":5432"], Status::Up),
                svc(
                    "ollama",
                    "Ollama",
                    &["docker", ":11434", "local inference"],
                    Status::Stale,
                ),
                agent("allegro", "Allegro", Status::Up),
                agent("adagio", "Adagio", Status::Up),
                agent("ezra", "Ezra", Status::Stale),
            ],
        },
        HostBox {
            id: "beta".into(),
            label: "beta".into(),
            subtitle: Some("203.0.113.20 - Testbed for build verification".into()),
            href: Some("../hosts/beta/".into()),
            region: None,
            services: vec![
                agent("bezalel", "Bezalel", Status::Up),
                svc(
                    "hooks",
                    "Webhook receivers <ci>",
                    &["process", ":9000"],
                    Status::Unknown,
                ),
            ],
        },
        HostBox {
            id: "gamma".into(),
            label: "gamma".into(),
            subtitle: Some("198.51.100.30 - Monitoring & backups".into()),
            href: None,
            region: None,
            services: vec![
                traefik_g,
                svc(
                    "monitor",
                    "VPS monitor",
                    &["docker", ":3001", "monitor.example.com"],
                    Status::Up,
                ),
                svc(
                    "docs",
                    "Docs & runbooks",
                    &["docker", "docs.example.com"],
                    Status::Up,
                ),
                svc(
                    "restic",
                    "restic REST server",
                    &["docker", ":8000"],
                    Status::Up,
                ),
            ],
        },
    ]
}

pub fn example_edges() -> Vec<Edge> {
    use EdgeKind::*;
    vec![
        edge("internet", "traefik", None, Public),
        edge("internet", "edge-proxy", None, Public),
        edge("traefik", "forge", Some("forge.example.com"), Public),
        edge("traefik", "relay", Some("relay.example.com"), Public),
        edge("traefik", "code-server", Some("vscode.example.com"), Public),
        edge(
            "traefik",
            "status-board",
            Some("status.example.com"),
            Public,
        ),
        edge("edge-proxy", "monitor", Some("monitor.example.com"), Public),
        edge("edge-proxy", "docs", Some("docs.example.com"), Public),
        edge("forge", "postgres", None, DependsOn),
        edge("allegro", "ollama", None, Link),
        edge("adagio", "ollama", None, Link),
        edge("ezra", "ollama", None, Link),
        edge("bezalel", "forge", Some("HTTPS/API"), Link),
        edge("hooks", "forge", Some("webhooks"), Link),
        edge("backup", "restic", Some("restic over HTTPS"), Link),
        edge("monitor", "status-board", None, Link),
    ]
}

pub const CAPTION: &str = "status measured 2026-04-06 09:00 UTC";

pub fn example_topology() -> Diagram {
    Diagram {
        kind: DiagramKind::Topology,
        title: "Example Fleet - topology".into(),
        description:
            "Three hosts, their services, public routes through Traefik and cross-host links."
                .into(),
        hosts: example_hosts(),
        edges: example_edges(),
        caption: Some(CAPTION.into()),
        layout: Layout::default(),
    }
}

pub fn example_host() -> Diagram {
    let hosts: Vec<HostBox> = example_hosts()
        .into_iter()
        .filter(|h| h.id == "alpha")
        .collect();
    let ids: Vec<String> = hosts[0].services.iter().map(|s| s.id.clone()).collect();
    let edges = example_edges()
        .into_iter()
        .filter(|e| (e.from == "internet" || ids.contains(&e.from)) && ids.contains(&e.to))
        .collect();
    Diagram {
        kind: DiagramKind::Host,
        title: "alpha - services".into(),
        description: "Every service on alpha with ports, units and public names.".into(),
        hosts,
        edges,
        caption: Some(CAPTION.into()),
        layout: Layout::default(),
    }
}

pub fn example_flow() -> Diagram {
    Diagram {
        kind: DiagramKind::Flow,
        title: "Public request flow".into(),
        description: "Public hostnames through the ingress to services and hosts.".into(),
        ..example_topology()
    }
}

pub fn example_layers() -> LayersDiagram {
    let layer = |id: &str, title: &str, path: &str, holds: &[&str]| Layer {
        id: id.into(),
        title: title.into(),
        path: Some(path.into()),
        holds: holds.iter().map(|h| h.to_string()).collect(),
    };
    LayersDiagram {
        title: "How alpha is organized".into(),
        host: Some("alpha (203.0.113.10)".into()),
        layers: vec![
            layer(
                "command-center",
                "Command center",
                "/home/ops/devops-center",
                &[
                    "experiments",
                    "docs",
                    "skills",
                    "brainstorming apps",
                    "scripts",
                ],
            ),
            layer(
                "projects",
                "Project repos",
                "/home/ops/projects",
                &["one repo per app", "apps with a hostname"],
            ),
            layer(
                "platform",
                "Runtime platform",
                "/opt/platform/apps",
                &["compose stacks", "Traefik routes", "shared volumes"],
            ),
            layer(
                "operator",
                "Operator surface",
                "code-server@ops.service",
                &["code-server", "status board", "vps-monitor"],
            ),
        ],
    }
}

pub fn example_poster(with: Option<PosterDiagram>) -> Poster {
    let panel = |h: &str, b: &[&str]| Panel {
        heading: h.into(),
        bullets: b.iter().map(|s| s.to_string()).collect(),
    };
    Poster {
        title: "VPS Architecture and Workflow".into(),
        summary: Some("One host at a glance: which folder holds what, how a request reaches an app, and the habits that keep the box tidy.".into()),
        panels: vec![
            panel("Operating model", &["Scratch work: /home/ops/devops-center", "App repositories: /home/ops/projects", "Compose stacks: /opt/platform/apps", "Persistent data: /opt/platform/volumes"]),
            panel("Public request flow", &["Every hostname terminates at the proxy", "Four names are public: forge, editor, status, monitor", "No service listens on a public port itself"]),
            panel("Operator environment", &["The editor runs as code-server@ops.service", "Runbooks are written in the browser editor", "After a change, check the unit and the route"]),
            panel("Current app landscape", &["Status board: 9 / 9 public surfaces healthy", "Tracked: Docker, the proxy, the editor, the board"]),
            panel("Reliability and backup path", &["A nightly restic timer snapshots the data", "A second copy leaves the host every night"]),
            panel("Workflow rules that matter", &["Try ideas in the scratch folder first", "Promote an app to its own repository when it gets a hostname", "Wrappers that touch secrets live in one scripts folder"]),
            panel("Current takeaway", &["The box already behaves like a tiny platform; what helps most now is keeping scratch, app and runtime folders apart as it grows, not adding more machinery."]),
        ],
        status_line: Some("9 / 9 public surfaces healthy".into()),
        status: Status::Up,
        diagram: with,
        footer: Some("Example Platform Docs - updated 2026-04-06".into()),
    }
}

/// A small deterministic pseudo-random source (xorshift), so generated fleets are the same
/// on every run without a dependency.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

/// A fleet of `hosts` hosts and `services` services in total: one ingress per host, a few
/// public services, agents in groups, and about one link per service.
pub fn big_fleet(hosts: usize, services: usize, seed: u64) -> Diagram {
    let mut rng = Rng::new(seed);
    let statuses = [
        Status::Up,
        Status::Up,
        Status::Up,
        Status::Down,
        Status::Stale,
        Status::Unknown,
    ];
    // Services spread as evenly as the count allows (3 hosts / 20 services: 7, 7, 6).
    let per_host = |h: usize| services / hosts.max(1) + usize::from(h < services % hosts.max(1));
    let mut hs = Vec::new();
    let mut edges = Vec::new();
    let mut all: Vec<String> = Vec::new();
    for h in 0..hosts {
        let mut svcs = Vec::new();
        for s in 0..per_host(h) {
            let id = format!("h{h}-s{s}");
            let ingress = s == 0;
            let group = match s % 5 {
                3 | 4 if !ingress => Some(if s % 2 == 0 {
                    "agents".to_string()
                } else {
                    "workers".to_string()
                }),
                _ => None,
            };
            let public = !ingress && s % 4 == 1;
            let mut details = vec!["docker".to_string(), format!(":{}", 3000 + s)];
            if public {
                details.push(format!("app{h}-{s}.example.com"));
                edges.push(Edge {
                    from: format!("h{h}-s0"),
                    to: id.clone(),
                    label: Some(format!("app{h}-{s}.example.com")),
                    kind: EdgeKind::Public,
                });
            }
            svcs.push(ServiceBox {
                id: id.clone(),
                label: if ingress {
                    "Traefik".into()
                } else {
                    format!("service {h}.{s}")
                },
                details,
                status: statuses[rng.below(statuses.len() as u64) as usize],
                group,
                ingress,
                href: None,
            });
            all.push(id);
        }
        edges.push(Edge {
            from: "internet".into(),
            to: format!("h{h}-s0"),
            label: None,
            kind: EdgeKind::Public,
        });
        hs.push(HostBox {
            id: format!("host-{h}"),
            label: format!("host-{h}"),
            subtitle: Some(format!("203.0.113.{} - node {h}", 10 + h % 200)),
            services: svcs,
            href: None,
            region: Some(format!("region-{}", h * 4 / hosts.max(1))),
        });
    }
    for (i, id) in all.iter().enumerate() {
        if i % 3 == 0 && !all.is_empty() {
            let to = &all[rng.below(all.len() as u64) as usize];
            if to != id {
                let kind = if rng.below(2) == 0 {
                    EdgeKind::Link
                } else {
                    EdgeKind::DependsOn
                };
                edges.push(Edge {
                    from: id.clone(),
                    to: to.clone(),
                    label: None,
                    kind,
                });
            }
        }
    }
    Diagram {
        kind: DiagramKind::Topology,
        title: format!("{hosts} hosts, {services} services"),
        description: String::new(),
        hosts: hs,
        edges,
        caption: Some(CAPTION.into()),
        layout: Layout::default(),
    }
}

/// The median of timed runs (benchmarks).
pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A duration as milliseconds with one decimal (benchmarks).
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The box a service is drawn as: itself, or its host's group summary when collapsed (the
/// same boxes fleetdoc draws). Shared by the benchmarks that write the fleets for other tools.
pub fn node_of(d: &Diagram, collapsed: bool) -> std::collections::BTreeMap<String, String> {
    let mut m = std::collections::BTreeMap::new();
    for h in &d.hosts {
        for s in &h.services {
            let size = s.group.as_ref().map_or(0, |g| {
                h.services
                    .iter()
                    .filter(|o| o.group.as_ref() == Some(g))
                    .count()
            });
            let node = match &s.group {
                Some(g) if collapsed && size >= 2 && !s.ingress => format!("{}/{g}", h.id),
                _ => s.id.clone(),
            };
            m.insert(s.id.clone(), node);
        }
    }
    m
}

/// One fleet of the family users actually run, from `seed`: 2 to 8 hosts, 8 to 60
/// services, shaped like the example fleet and a typical two-VPS setup. The first two
/// hosts are the big ones (a primary stack and a second VPS); the others are smaller
/// (monitoring, backups, a testbed, workers). About two hosts in three run an ingress
/// (Traefik) with the Internet in front and a third of their services public behind it;
/// about two services in five are in groups (agents, workers, a control plane); an app
/// may depend on a database on its own host; links join agents and workers to apps
/// (half of them on another host); every other host runs a backup timer that sends to
/// the restic server on one host.
pub fn common_fleet(seed: u64) -> Diagram {
    let mut rng = Rng::new(seed.wrapping_add(0x5eed));
    let statuses = [
        Status::Up,
        Status::Up,
        Status::Up,
        Status::Down,
        Status::Stale,
        Status::Unknown,
    ];
    let hosts = 2 + rng.below(7) as usize;
    // Services per host: the first two hosts carry most of the fleet.
    let mut counts: Vec<usize> = (0..hosts)
        .map(|h| {
            if h < 2 {
                5 + rng.below(9) as usize
            } else {
                2 + rng.below(6) as usize
            }
        })
        .collect();
    while counts.iter().sum::<usize>() < 8 {
        counts[0] += 1;
    }
    while counts.iter().sum::<usize>() > 60 {
        let k = (0..hosts).max_by_key(|&h| (counts[h], h)).unwrap_or(0);
        counts[k] -= 1;
    }
    let apps = [
        "Gitea",
        "Nextcloud",
        "Grafana",
        "Matrix",
        "Wiki",
        "Shop",
        "API",
        "Blog",
        "Mail",
        "Chat",
        "Auth",
        "Docs",
        "Status board",
        "code-server",
        "Relay",
        "Search",
    ];
    let workers = ["agents", "workers", "control-plane", "automation"];
    let backup_host = if hosts > 2 { hosts - 1 } else { 1 };
    let mut hs = Vec::new();
    let mut edges = Vec::new();
    // Apps, grouped members and the restic store, by host: the ends links are drawn from.
    let mut app_ids: Vec<Vec<String>> = vec![Vec::new(); hosts];
    let mut grouped: Vec<Vec<String>> = vec![Vec::new(); hosts];
    let mut restic = None;
    for (h, &count) in counts.iter().enumerate() {
        let ingress = h == 0 || rng.below(3) < 2 && count >= 3;
        let mut svcs: Vec<ServiceBox> = Vec::new();
        let id = |s: usize| format!("h{h}-s{s}");
        let mut s = 0;
        let push = |svcs: &mut Vec<ServiceBox>,
                    label: String,
                    details: Vec<String>,
                    group: Option<String>,
                    ingress: bool,
                    rng: &mut Rng| {
            let sid = id(svcs.len());
            svcs.push(ServiceBox {
                id: sid.clone(),
                label,
                details,
                status: statuses[rng.below(statuses.len() as u64) as usize],
                group,
                ingress,
                href: None,
            });
            sid
        };
        if ingress {
            let t = push(
                &mut svcs,
                "Traefik".into(),
                vec!["docker".into(), ":80".into(), ":443".into()],
                None,
                true,
                &mut rng,
            );
            edges.push(Edge {
                from: INTERNET.into(),
                to: t,
                label: Some("HTTPS".into()),
                kind: EdgeKind::Public,
            });
            s += 1;
        }
        let db = (count - s >= 4 && rng.below(2) == 0).then(|| {
            s += 1;
            push(
                &mut svcs,
                "PostgreSQL".into(),
                vec!["docker".into(), ":5432".into()],
                None,
                false,
                &mut rng,
            )
        });
        if h == backup_host && count - s >= 2 {
            s += 1;
            restic = Some(push(
                &mut svcs,
                "restic REST server".into(),
                vec!["docker".into(), ":8000".into()],
                None,
                false,
                &mut rng,
            ));
        }
        let backup = (h != backup_host && h % 2 == 0 && count - s >= 2).then(|| {
            s += 1;
            push(
                &mut svcs,
                "Backup".into(),
                vec!["timer".into(), "restic-backup.timer".into()],
                None,
                false,
                &mut rng,
            )
        });
        let group_count = (count - s) * 2 / 5;
        let group_name = workers[rng.below(workers.len() as u64) as usize];
        let group_name2 = workers[rng.below(workers.len() as u64) as usize];
        let split = rng.below(2) == 0 && group_count >= 4;
        while s < count {
            let k = svcs.len();
            if s >= count - group_count {
                let g = if split && s >= count - group_count / 2 {
                    group_name2
                } else {
                    group_name
                };
                let sid = push(
                    &mut svcs,
                    format!("{} {h}.{k}", g.trim_end_matches('s')),
                    vec!["process".into()],
                    Some(g.into()),
                    false,
                    &mut rng,
                );
                grouped[h].push(sid);
            } else {
                let name = apps[rng.below(apps.len() as u64) as usize];
                let port = format!(":{}", 3000 + k);
                let public = ingress && rng.below(3) < 2;
                let mut details = vec!["docker".to_string(), port];
                if public {
                    details.push(format!("app{h}-{k}.example.com"));
                }
                let sid = push(&mut svcs, name.to_string(), details, None, false, &mut rng);
                if public {
                    edges.push(Edge {
                        from: id(0),
                        to: sid.clone(),
                        label: Some(format!("app{h}-{k}.example.com")),
                        kind: EdgeKind::Public,
                    });
                }
                if let Some(db) = &db {
                    if rng.below(2) == 0 {
                        edges.push(Edge {
                            from: sid.clone(),
                            to: db.clone(),
                            label: None,
                            kind: EdgeKind::DependsOn,
                        });
                    }
                }
                app_ids[h].push(sid);
            }
            s += 1;
        }
        if let Some(b) = backup {
            app_ids[h].push(b);
        }
        hs.push(HostBox {
            id: format!("vps-{}", h + 1),
            label: format!("vps-{}", h + 1),
            subtitle: Some(format!(
                "203.0.113.{} - {}",
                10 + h,
                [
                    "primary stack",
                    "second VPS",
                    "monitoring",
                    "backups",
                    "testbed",
                    "workers",
                    "edge",
                    "build"
                ][h]
            )),
            services: svcs,
            href: None,
            region: None,
        });
    }
    // Backups go to the restic server.
    if let Some(r) = &restic {
        for h in 0..hosts {
            for id in app_ids[h].clone() {
                let is_backup = hs[h]
                    .services
                    .iter()
                    .any(|s| s.id == id && s.label == "Backup");
                if is_backup {
                    edges.push(Edge {
                        from: id,
                        to: r.clone(),
                        label: Some("restic over HTTPS".into()),
                        kind: EdgeKind::Link,
                    });
                }
            }
        }
    }
    // Grouped services call apps: on their own host, or half of the time on another.
    let any_apps: Vec<usize> = (0..hosts).filter(|&h| !app_ids[h].is_empty()).collect();
    for h in 0..hosts {
        for g in grouped[h].clone() {
            if any_apps.is_empty() || rng.below(4) == 0 {
                continue;
            }
            let to_host = if rng.below(2) == 0 && !app_ids[h].is_empty() {
                h
            } else {
                any_apps[rng.below(any_apps.len() as u64) as usize]
            };
            let to = app_ids[to_host][rng.below(app_ids[to_host].len() as u64) as usize].clone();
            let kind = if rng.below(3) == 0 {
                EdgeKind::DependsOn
            } else {
                EdgeKind::Link
            };
            edges.push(Edge {
                from: g,
                to,
                label: None,
                kind,
            });
        }
    }
    // A few links between apps, mostly across hosts (a monitor watching a status board,
    // webhooks into a forge).
    let links = 1 + rng.below(hosts as u64 + 1) as usize;
    for _ in 0..links {
        if any_apps.is_empty() {
            break;
        }
        let a = any_apps[rng.below(any_apps.len() as u64) as usize];
        let b = any_apps[rng.below(any_apps.len() as u64) as usize];
        let from = app_ids[a][rng.below(app_ids[a].len() as u64) as usize].clone();
        let to = app_ids[b][rng.below(app_ids[b].len() as u64) as usize].clone();
        if from != to && !edges.iter().any(|e| e.from == from && e.to == to) {
            let label = (rng.below(3) == 0).then(|| "HTTPS/API".to_string());
            edges.push(Edge {
                from,
                to,
                label,
                kind: EdgeKind::Link,
            });
        }
    }
    Diagram {
        kind: DiagramKind::Topology,
        title: format!("Fleet {seed}: {hosts} hosts"),
        description: String::new(),
        hosts: hs,
        edges,
        caption: Some(CAPTION.into()),
        layout: Layout::default(),
    }
}
