//! `fleetdoc discover --compose / --docker / --systemd`: compose files in the shapes of
//! three well-known projects (Gitea, Nextcloud, Vaultwarden behind Traefik labels), and
//! recorded `docker ps --format json` and `systemctl list-units --output=json` answers
//! (recorded, so the tests need neither a Docker daemon nor a booted systemd, which test
//! machines and CI containers do not have; the recording is played by a `docker` /
//! `systemctl` script put first on PATH).

mod support;
use std::path::{Path, PathBuf};
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
  gitea:
    host: alpha
    kind: docker
    port: 3000
    public: git.example.com
  gitea-db:
    host: alpha
    kind: docker
    container: gitea-db-1
  nextcloud:
    host: alpha
    kind: docker
    container: nextcloud-app-1
    port: 8080
  vaultwarden:
    host: alpha
    kind: docker
    port: 80
    public: vault.example.com
  code-server:
    host: alpha
    kind: systemd
    unit: code-server@ops.service
  backup:
    host: alpha
    kind: timer
    unit: restic-backup.timer
  worker:
    host: alpha
    kind: systemd
";

fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// A folder with `program` scripts that print a recorded answer for `answers` (first
/// argument -> file) and fail for anything else; returns the PATH to run with.
fn recorded(dir: &Path, program: &str, first_arg: &str, file: &Path) -> String {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join(program);
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ \"$1\" = \"{first_arg}\" ]; then cat '{}'; exit 0; fi\necho \"{program}: not recorded: $*\" >&2\nexit 1\n",
            file.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn compose_files_of_three_projects_map_to_services_and_their_traefik_labels_count_as_routes() {
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);
    let files: Vec<String> = ["gitea", "nextcloud", "vaultwarden"]
        .iter()
        .map(|p| {
            fixture(&format!("compose/{p}/docker-compose.yml"))
                .display()
                .to_string()
        })
        .collect();
    let mut args = vec![
        "discover",
        "--out",
        "content/probes/compose.json",
        "--propose",
        "more.yaml",
        "--compose",
    ];
    args.extend(files.iter().map(String::as_str));
    // No docker on PATH: the compose files are read as written.
    let r = run(&args, dir.path(), &[("PATH", "/usr/bin:/bin")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let nextcloud = &files[1];
    assert_eq!(
        r.stdout,
        format!(
            "runs, not declared: container nextcloud-db-1 on alpha
  seen: compose file {nextcloud}: container nextcloud-db-1 (image mariadb:10.6)
  fix:  add a service `nextcloud-db` with `kind: docker`, `container: nextcloud-db-1` to the topology
"
        )
    );
    let snap: serde_json::Value =
        serde_json::from_str(&read(dir.path().join("content/probes/compose.json"))).unwrap();
    let mut seen: Vec<String> = snap["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r["check"].as_str().unwrap(),
                r["target"].as_str().unwrap(),
                r["state"].as_str().unwrap()
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            "container gitea declared",
            "container gitea-db-1 declared",
            "container nextcloud-app-1 declared",
            "container nextcloud-db-1 undeclared",
            "container vaultwarden declared",
            "route vault.example.com declared",
        ]
    );
    assert_eq!(
        read(dir.path().join("more.yaml")),
        format!(
            "# Proposed by `fleetdoc discover` from what runs and is not declared.
# Review each entry, then merge it into the topology.
services:
  # seen: compose file {nextcloud}, image mariadb:10.6
  nextcloud-db:
    host: alpha
    kind: docker
    container: nextcloud-db-1
"
        )
    );
}

#[test]
fn a_compose_label_route_on_another_port_than_declared_differs() {
    let topology = TOPOLOGY.replace(
        "    port: 80\n    public: vault",
        "    port: 8000\n    public: vault",
    );
    let dir = project(&[("content/fleet.yaml", &topology)]);
    let file = fixture("compose/vaultwarden/docker-compose.yml");
    let r = run(
        &["discover", "--compose", file.to_str().unwrap()],
        dir.path(),
        &[("PATH", "/usr/bin:/bin")],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with(&format!(
            "declared differently: route vault.example.com (content/fleet.yaml:28:13)\n  seen: compose file {} router vaultwarden@docker sends vault.example.com to http://vaultwarden:80\n",
            file.display()
        )),
        "{}",
        r.stdout
    );
}

#[test]
fn recorded_docker_ps_maps_to_the_right_services() {
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);
    let path = recorded(
        dir.path(),
        "docker",
        "ps",
        &fixture("recorded/docker-ps.jsonl"),
    );
    let r = run(
        &[
            "discover",
            "--docker",
            "--out",
            "content/probes/docker.json",
        ],
        dir.path(),
        &[("PATH", &path)],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "runs, not declared: container nextcloud-db-1 on alpha
  seen: docker ps: container nextcloud-db-1 (image mariadb:10.6)
  fix:  add a service `nextcloud-db` with `kind: docker`, `container: nextcloud-db-1`, `port: 3306` to the topology
"
    );
    assert!(
        r.stderr
            .ends_with("fleetdoc: 7 compared, 1 difference between what runs and the topology\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_malformed_docker_ps_line_is_a_warning_and_the_rest_is_read() {
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);
    let recording = dir.path().join("ps.jsonl");
    let good = read(fixture("recorded/docker-ps.jsonl"));
    std::fs::write(&recording, format!("{{\"Names\": 7}}\nnot json\n{good}")).unwrap();
    let path = recorded(dir.path(), "docker", "ps", &recording);
    let r = run(&["discover", "--docker"], dir.path(), &[("PATH", &path)]);
    assert_eq!(r.code, 1);
    let warnings: Vec<&str> = r.stderr.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 2, "{}", r.stderr);
    assert!(warnings[0].starts_with("fleetdoc: warning: docker ps line 1: not a container in JSON"));
    assert!(warnings[1].starts_with("fleetdoc: warning: docker ps line 2: not a container in JSON"));
    assert!(r.stdout.contains("container nextcloud-db-1"));
}

#[test]
fn recorded_systemctl_units_map_to_the_right_services() {
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);
    let path = recorded(
        dir.path(),
        "systemctl",
        "list-units",
        &fixture("recorded/systemctl-list-units.json"),
    );
    let r = run(
        &["discover", "--systemd", "--host", "alpha"],
        dir.path(),
        &[("PATH", &path)],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "runs, not declared: unit fail2ban.service on alpha
  seen: systemd: unit fail2ban.service is active (running)
  fix:  add a service `fail2ban` with `kind: systemd` and `unit: fail2ban.service` to the topology
declared, not running: unit worker.service on alpha (content/fleet.yaml:37:3)
  seen: service `worker` is declared as unit worker.service, which is failed (failed)
  fix:  start the unit, set the service's `unit:` to the one that runs, or remove it from the topology
"
    );
}

#[test]
fn a_discovery_snapshot_alone_is_not_a_health_measurement() {
    let snapshot = r#"{"taken_at": "2026-04-06T09:00:00Z", "probe": "fleetdoc discover traefik",
      "results": [{"check": "route", "target": "wiki.example.com", "ok": false, "state": "undeclared",
                   "error": "Traefik router wiki@file sends wiki.example.com to http://127.0.0.1:8090; add a service"}]}"#;
    let dir = project(&[
        ("content/fleet.yaml", TOPOLOGY),
        ("content/probes/discovery.json", snapshot),
    ]);
    let b = run(
        &["build"],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", "1775466000")],
    );
    assert_eq!(b.code, 0, "{}", b.stderr);
    let page = read(dir.path().join("site/fleet/index.html"));
    assert!(
        !page.contains("public surfaces healthy at"),
        "a discovery snapshot was taken for a health measurement"
    );
    assert!(page.contains("<td>observed, not declared</td><td>route wiki.example.com</td><td>Traefik router wiki@file sends wiki.example.com to http://127.0.0.1:8090; add a service (discovered 2026-04-06 09:00 UTC)</td>"));
}

#[test]
fn a_broken_compose_file_is_an_error_at_its_line_and_column() {
    let dir = project(&[
        ("content/fleet.yaml", TOPOLOGY),
        ("bad/compose.yaml", "services:\n  web:\n    image: [nginx\n"),
        ("empty/compose.yaml", "volumes: {}\n"),
    ]);
    let r = run(
        &[
            "discover",
            "--compose",
            "bad/compose.yaml",
            "empty/compose.yaml",
        ],
        dir.path(),
        &[("PATH", "/usr/bin:/bin")],
    );
    assert_eq!(
        r.code, 3,
        "a compose file that cannot be read is a source not read"
    );
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert!(
        lines[0].starts_with("bad/compose.yaml:4:1: error: not a compose file: "),
        "{}",
        r.stderr
    );
    assert_eq!(
        lines[1],
        "empty/compose.yaml:1:1: error: no `services:` map; is this a compose file?"
    );
}

/// The six containers the recording of `docker ps` shows, as the Docker Engine API's
/// `GET /containers/json` answers them, served on a unix socket for the real docker CLI.
/// Its shape follows moby's `api/types/container/container.go` `Summary` (see
/// `tests/fixtures/recorded/README.md`). Returns the socket's path.
fn fake_engine(dir: &Path) -> PathBuf {
    use std::io::{Read, Write};
    let sock = dir.join("docker.sock");
    let listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    let body = read(fixture("recorded/engine-containers.json"));
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut c) = conn else { break };
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match c.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let text = String::from_utf8_lossy(&head);
            let first = text.lines().next().unwrap_or("");
            let (status, ctype, payload) = if first.contains(" /_ping") {
                ("200 OK", "text/plain; charset=utf-8", "OK".to_string())
            } else if first.contains("/containers/json") {
                ("200 OK", "application/json", body.clone())
            } else {
                (
                    "404 Not Found",
                    "application/json",
                    "{\"message\":\"page not found\"}".to_string(),
                )
            };
            let payload = if first.starts_with("HEAD") {
                String::new()
            } else {
                payload
            };
            let _ = write!(
                c,
                "HTTP/1.1 {status}\r\nApi-Version: 1.50\r\nOstype: linux\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
                payload.len()
            );
        }
    });
    sock
}

const DOCKER_FINDINGS: &str = "runs, not declared: container nextcloud-db-1 on alpha
  seen: docker ps: container nextcloud-db-1 (image mariadb:10.6)
  fix:  add a service `nextcloud-db` with `kind: docker`, `container: nextcloud-db-1`, `port: 3306` to the topology
";

#[test]
fn discover_docker_reads_a_current_docker_cli() {
    if !require(
        "docker",
        &["--version"],
        "apt-get install docker.io (the CLI alone)",
    ) {
        return;
    }
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);
    let sock = fake_engine(dir.path());
    let config = dir.path().join("docker-config");
    std::fs::create_dir(&config).unwrap();
    let r = run(
        &["discover", "--docker"],
        dir.path(),
        &[
            ("DOCKER_HOST", &format!("unix://{}", sock.display())),
            ("DOCKER_CONFIG", config.to_str().unwrap()),
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, DOCKER_FINDINGS, "{}", r.stderr);
    assert!(
        r.stderr
            .ends_with("fleetdoc: 7 compared, 1 difference between what runs and the topology\n"),
        "{}",
        r.stderr
    );
}

/// `docker ps --format json` prints the word `json` once per container on docker CLIs
/// before 23.0 (Debian 12 ships 20.10): every container was read as not running.
#[test]
fn discover_docker_reads_a_docker_20_10_cli_that_prints_json_for_format_json() {
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("docker");
    let file = fixture("recorded/docker-ps.jsonl");
    // docker/cli 20.10: `--format json` is a Go template whose text is `json`.
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncase \"$*\" in\n  *'{{{{json .}}}}'*) cat '{f}' ;;\n  *'--format json'*) sed 's/.*/json/' '{f}' ;;\n  *) echo \"docker: not recorded: $*\" >&2; exit 1 ;;\nesac\n",
            f = file.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let r = run(&["discover", "--docker"], dir.path(), &[("PATH", &path)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, DOCKER_FINDINGS, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

/// The media stack's topology beside another stack (gitea's `forge` and the edge's
/// `traefik`, whose files are not given).
const MEDIA_TOPOLOGY: &str = "\
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
    container: gitea
    port: 3000
  jellyfin:
    host: alpha
    kind: docker
    container: media-jellyfin-1
    port: 8096
    public: media.example.com
  sonarr:
    host: alpha
    kind: docker
    container: media-sonarr-1
    port: 8989
  uptime:
    host: alpha
    kind: docker
    container: media-uptime-1
    port: 3001
";

/// `${VAR:-default}` was left unexpanded (a hostname with `${...}` in it), services
/// behind `profiles:` were reported, `extends` and `include` were not followed, and one
/// stack's file made other stacks' containers "declared, not running".
#[test]
fn compose_files_are_read_per_the_compose_spec_interpolation_profiles_extends_include_and_their_stack_only(
) {
    let dir = project(&[("content/fleet.yaml", MEDIA_TOPOLOGY)]);
    let file = fixture("compose/media/compose.yaml");
    let r = run(
        &[
            "discover",
            "--compose",
            file.to_str().unwrap(),
            "--out",
            "content/probes/compose.json",
        ],
        dir.path(),
        &[("PATH", "/usr/bin:/bin")],
    );
    assert_eq!(r.stdout, "", "{}", r.stderr);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .ends_with("fleetdoc: 4 compared, no drift: what runs matches the topology\n"),
        "{}",
        r.stderr
    );
    let snap: serde_json::Value =
        serde_json::from_str(&read(dir.path().join("content/probes/compose.json"))).unwrap();
    let targets: Vec<&str> = snap["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "media.example.com",
            "media-jellyfin-1",
            "media-sonarr-1",
            "media-uptime-1"
        ]
    );
    // A required variable that is not set is an error naming it.
    let bare = tempfile::tempdir().unwrap();
    for f in ["compose.yaml", "common.yaml", "monitoring.yaml"] {
        std::fs::copy(fixture(&format!("compose/media/{f}")), bare.path().join(f)).unwrap();
    }
    let r = run(
        &[
            "discover",
            "--compose",
            bare.path().join("compose.yaml").to_str().unwrap(),
        ],
        dir.path(),
        &[("PATH", "/usr/bin:/bin")],
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("error: variable MEDIA_HOST is required: set MEDIA_HOST in .env"),
        "{}",
        r.stderr
    );
}

/// `discover --docker --compose FILE`: the compose file names the stacks to compare
/// (their `com.docker.compose.project`); `docker ps` says what of them runs. Every running
/// container was compared instead, so another stack's undeclared container was "runs, not
/// declared" and another stack's stopped one "declared, not running".
#[test]
fn docker_with_compose_limits_drift_to_the_stacks_of_the_files_given() {
    if !require(
        "docker",
        &["--version"],
        "apt-get install docker.io (the CLI alone)",
    ) {
        return;
    }
    // `immich` is another stack's, and does not run.
    let topology = format!(
        "{TOPOLOGY}  immich:\n    host: alpha\n    kind: docker\n    container: immich-server-1\n"
    );
    let dir = project(&[("content/fleet.yaml", &topology)]);
    let sock = fake_engine(dir.path());
    let config = dir.path().join("docker-config");
    std::fs::create_dir(&config).unwrap();
    let env = [
        ("DOCKER_HOST", format!("unix://{}", sock.display())),
        ("DOCKER_CONFIG", config.display().to_string()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let gitea = fixture("compose/gitea/docker-compose.yml");
    let r = run(
        &["discover", "--docker", "--compose", gitea.to_str().unwrap()],
        dir.path(),
        &env,
    );
    assert_eq!(r.stdout, "", "{}", r.stderr);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "fleetdoc: note: --compose limits --docker to the stacks of the files given (gitea); left out 4 running containers of other stacks: nextcloud-app-1, nextcloud-db-1, traefik, vaultwarden\n\
         fleetdoc: 2 compared, no drift: what was compared matches the topology; 4 containers of other stacks left out\n"
    );

    // Within the stack, a declared container that does not run is still reported.
    let topology = format!(
        "{TOPOLOGY}  gitea-runner:\n    host: alpha\n    kind: docker\n    container: gitea-runner-1\n"
    );
    std::fs::write(dir.path().join("content/fleet.yaml"), topology).unwrap();
    let r = run(
        &["discover", "--docker", "--compose", gitea.to_str().unwrap()],
        dir.path(),
        &env,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "declared, not running: container gitea-runner-1 on alpha (content/fleet.yaml:40:3)
  seen: service `gitea-runner` is declared as a docker container `gitea-runner-1`, but none by that name was found
  fix:  start it, set its `container:` to the name it runs as, or remove it from the topology
"
    );
}

/// A docker compose CLI plugin in `DOCKER_CONFIG/cli-plugins` that plays a recorded
/// `docker compose config --format json` answer (see `tests/fixtures/recorded/README.md`)
/// for `file` (without one, Compose's refusal of a missing `env_file`), and logs how it
/// was called to `calls.log` beside it.
fn compose_plugin(dir: &Path, file: &Path, recorded: Option<&Path>) -> PathBuf {
    let config = dir.join("docker-config");
    let plugins = config.join("cli-plugins");
    std::fs::create_dir_all(&plugins).unwrap();
    let script = plugins.join("docker-compose");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             if [ \"$1\" = docker-cli-plugin-metadata ]; then\n\
               echo '{{\"SchemaVersion\":\"0.1.0\",\"Vendor\":\"Docker Inc.\",\"Version\":\"v2.29.7\",\"ShortDescription\":\"Docker Compose\"}}'\n\
               exit 0\n\
             fi\n\
             echo \"$*\" >> '{log}'\n\
             case \"$*\" in\n\
               'compose version') echo 'Docker Compose version v2.29.7' ;;\n\
               'compose -f {file} config --format json') {config} ;;\n\
               *) echo \"docker compose: not recorded: $*\" >&2; exit 1 ;;\n\
             esac\n",
            log = dir.join("calls.log").display(),
            file = file.display(),
            config = match recorded {
                Some(r) => format!("cat '{}'", r.display()),
                None => "echo 'env file /srv/edge/.env.secret not found: stat /srv/edge/.env.secret: no such file or directory' >&2; exit 1".to_string(),
            },
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    config
}

/// With the docker compose plugin there, `discover --compose` reads what `docker compose
/// config --format json` makes of the file, and finds what fleetdoc's own reader finds
/// without it. Compose writes every `$` of its output as `$$`, which was read as two.
#[test]
fn compose_config_of_the_docker_compose_plugin_reads_as_the_file_does() {
    if !require(
        "docker",
        &["--version"],
        "apt-get install docker.io (the CLI alone)",
    ) {
        return;
    }
    let topology = "\
hosts:
  alpha:
    address: 203.0.113.10
services:
  traefik:
    host: alpha
    kind: docker
    ingress: true
    ports: [80, 443]
  whoami:
    host: alpha
    kind: docker
    container: edge-pages-whoami-1
    port: 80
    public: whoami.example.com
";
    let dir = project(&[("content/fleet.yaml", topology)]);
    let file = fixture("compose/edge-pages/compose.yaml");
    let args = ["discover", "--compose", file.to_str().unwrap()];
    let config = compose_plugin(
        dir.path(),
        &file,
        Some(&fixture("recorded/compose-config-edge-pages.json")),
    );
    let with_plugin = run(
        &args,
        dir.path(),
        &[("DOCKER_CONFIG", config.to_str().unwrap())],
    );
    let expected_stdout = "\
runs, not declared: container edge-pages-errors-1 on alpha
  seen: compose file FILE: container edge-pages-errors-1 (image ghcr.io/tarampampam/error-pages:3)
  fix:  add a service `edge-pages-errors` with `kind: docker`, `container: edge-pages-errors-1`, `port: 8080` to the topology
not compared: route errors@docker
  seen: compose file FILE router errors@docker sends HostRegexp(`^.+\\.example\\.com$`) to http://edge-pages-errors-1:8080
  why:  its rule `HostRegexp(`^.+\\.example\\.com$`)` matches hostnames by a pattern, which no `public` hostname declares, and no service declares its backend's address and port
"
    .replace("FILE", &file.display().to_string());
    assert_eq!(
        with_plugin.stdout, expected_stdout,
        "{}",
        with_plugin.stderr
    );
    assert_eq!(with_plugin.code, 1, "{}", with_plugin.stderr);
    assert_eq!(
        read(dir.path().join("calls.log")),
        format!(
            "compose version\ncompose -f {} config --format json\n",
            file.display()
        ),
        "{}",
        with_plugin.stderr
    );

    let empty = dir.path().join("no-plugins");
    std::fs::create_dir(&empty).unwrap();
    let without = run(
        &args,
        dir.path(),
        &[("DOCKER_CONFIG", empty.to_str().unwrap())],
    );
    assert_eq!(without.stdout, with_plugin.stdout, "{}", without.stderr);
    assert_eq!(without.stderr, with_plugin.stderr);
    assert_eq!(without.code, 1);
}

/// When the docker compose plugin refuses a file that fleetdoc's own reader can read, the
/// refusal is said as a warning and the file is read all the same (it was dropped silently).
#[test]
fn a_compose_file_the_plugin_refuses_is_read_by_the_built_in_reader_with_a_warning() {
    if !require(
        "docker",
        &["--version"],
        "apt-get install docker.io (the CLI alone)",
    ) {
        return;
    }
    let dir = project(&[("content/fleet.yaml", TOPOLOGY)]);
    let file = fixture("compose/gitea/docker-compose.yml");
    let config = compose_plugin(dir.path(), &file, None);
    let r = run(
        &["discover", "--compose", file.to_str().unwrap()],
        dir.path(),
        &[("DOCKER_CONFIG", config.to_str().unwrap())],
    );
    assert_eq!(r.stdout, "", "{}", r.stderr);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "fleetdoc: warning: {}: docker compose config failed: env file /srv/edge/.env.secret not found: stat /srv/edge/.env.secret: no such file or directory; read by fleetdoc's own compose reader instead\n\
             fleetdoc: 2 compared, no drift: what runs matches the topology\n",
            file.display()
        )
    );
}
