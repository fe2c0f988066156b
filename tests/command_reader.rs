//! The command reader on runbook lines as operators write them: each line (or small
//! script) with the references it makes, written beside it as `kind:text`. Kinds: `unit`,
//! `container`, `compose-file`, `compose-project`, `host`, `url`, `path`.

use fleetdoc::model::commands::{block_references, script_references, Dialect};

const CORPUS: &[(&str, &[&str])] = &[
    // systemctl
    ("systemctl restart observer.service", &["unit:observer.service"]),
    ("sudo systemctl restart watcher", &["unit:watcher"]),
    ("sudo -u root systemctl status --no-pager code-server@ops.service", &["unit:code-server@ops.service"]),
    ("systemctl --user restart syncthing.service", &["unit:syncthing.service"]),
    ("systemctl daemon-reload && systemctl enable --now restic-backup.timer", &["unit:restic-backup.timer"]),
    ("systemctl list-timers --all", &[]),
    ("systemctl is-active ollama.service || systemctl start ollama.service", &["unit:ollama.service", "unit:ollama.service"]),
    ("systemctl -q is-enabled restic-backup.timer; echo $?", &["unit:restic-backup.timer"]),
    ("systemctl stop forge-runner.service forge-worker.service", &["unit:forge-runner.service", "unit:forge-worker.service"]),
    ("systemctl status 'code-server@ops.service'", &["unit:code-server@ops.service"]),
    ("systemctl status \"$UNIT\"", &[]),
    ("systemctl status <unit>", &[]),
    ("systemctl restart {{ service }}", &[]),
    ("systemctl list-units 'restic*'", &[]),
    ("systemctl -H ops@alpha status ollama", &["host:alpha", "unit:ollama"]),
    ("systemctl --host=beta restart bezalel.service", &["host:beta", "unit:bezalel.service"]),
    ("systemctl set-property ollama.service MemoryMax=8G", &["unit:ollama.service"]),
    ("systemctl show -p ActiveState,SubState ollama.service", &["unit:ollama.service"]),
    ("systemctl kill -s HUP relay.service", &["unit:relay.service"]),
    ("/usr/bin/systemctl reload traefik", &["unit:traefik"]),
    ("timeout 30 systemctl restart ollama", &["unit:ollama"]),
    ("watch -n 2 systemctl status restic-backup.service", &["unit:restic-backup.service"]),
    ("env SYSTEMD_PAGER= systemctl cat ollama.service", &["unit:ollama.service"]),
    ("SYSTEMD_LESS=FRXMK systemctl status ollama", &["unit:ollama"]),
    ("systemctl reboot", &[]),
    ("systemctl edit --full restic-backup.service", &["unit:restic-backup.service"]),
    ("if ! systemctl is-active --quiet ollama; then echo down; fi", &["unit:ollama"]),
    ("nice -n 10 systemctl start restic-backup.service", &["unit:restic-backup.service"]),
    // journalctl
    ("journalctl -u observer.service --since -1h --no-pager | tail -n 50", &["unit:observer.service"]),
    ("journalctl -fu code-server@ops", &["unit:code-server@ops"]),
    ("sudo journalctl --unit=restic-backup.service -n 200", &["unit:restic-backup.service"]),
    ("journalctl -u ollama -u relay --since today", &["unit:ollama", "unit:relay"]),
    ("journalctl _SYSTEMD_UNIT=ollama.service -o json-pretty", &["unit:ollama.service"]),
    ("journalctl -p err -b", &[]),
    ("journalctl -n 100 -u relay.service | grep -i error", &["unit:relay.service"]),
    ("journalctl --since '2026-03-01 10:00' -u relay", &["unit:relay"]),
    ("journalctl -uollama", &["unit:ollama"]),
    ("journalctl -u $SERVICE", &[]),
    ("journalctl --disk-usage", &[]),
    // docker
    ("docker logs --since 30m forge", &["container:forge"]),
    ("docker logs -f --tail 100 traefik 2>&1 | grep ACME", &["container:traefik"]),
    ("docker restart postgres forge", &["container:postgres", "container:forge"]),
    ("docker exec -it postgres psql -U gitea", &["container:postgres"]),
    ("docker exec -e PGPASSWORD=x -u postgres postgres pg_dumpall > /tmp/all.sql", &["container:postgres"]),
    ("sudo docker stop -t 30 status-board", &["container:status-board"]),
    ("docker container restart brainstorming", &["container:brainstorming"]),
    ("docker inspect --format '{{.State.Health.Status}}' forge", &["container:forge"]),
    ("docker inspect nginx:1.25", &[]),
    ("docker inspect --type image alpine", &[]),
    ("docker ps --filter name=forge", &[]),
    ("docker pull ghcr.io/example/status-board:latest", &[]),
    ("docker run --rm -it --name tmp alpine sh", &[]),
    ("docker cp forge:/data/gitea/conf/app.ini ./app.ini", &["container:forge"]),
    ("docker stats --no-stream forge postgres", &["container:forge", "container:postgres"]),
    ("docker kill -s HUP traefik", &["container:traefik"]),
    ("docker rm -f $(docker ps -aq --filter status=exited)", &[]),
    ("docker logs \"$(docker ps -q -f name=observer)\"", &[]),
    ("docker exec forge gitea admin user list", &["container:forge"]),
    ("docker -H ssh://ops@gamma ps", &["host:gamma"]),
    ("docker --context gamma logs observer", &["container:observer"]),
    ("docker logs <container>", &[]),
    ("docker logs CONTAINER_NAME", &[]),
    ("docker system prune -af", &[]),
    ("docker image ls", &[]),
    // docker compose
    ("docker compose -f /opt/platform/apps/status/compose.yaml up -d", &["compose-file:/opt/platform/apps/status/compose.yaml"]),
    ("docker compose -p control-plane ps", &["compose-project:control-plane"]),
    ("docker compose --project-name=control-plane logs -f observer", &["compose-project:control-plane"]),
    ("docker-compose -f docker-compose.yml pull && docker-compose -f docker-compose.yml up -d", &["compose-file:docker-compose.yml", "compose-file:docker-compose.yml"]),
    ("cd /srv/platform-config/services/control-plane && docker compose ps", &["path:/srv/platform-config/services/control-plane"]),
    ("docker compose --file=/opt/stacks/forge/compose.yaml -p forge down", &["compose-file:/opt/stacks/forge/compose.yaml", "compose-project:forge"]),
    ("docker compose --project-directory /opt/stacks/forge up -d", &["path:/opt/stacks/forge"]),
    ("docker compose --env-file /opt/stacks/forge/.env config", &["path:/opt/stacks/forge/.env"]),
    ("docker compose ps", &[]),
    ("COMPOSE_PROJECT_NAME=forge docker compose up -d", &[]),
    // ssh, scp, rsync
    ("ssh beta", &["host:beta"]),
    ("ssh ops@alpha", &["host:alpha"]),
    ("ssh -p 2222 -i ~/.ssh/ops root@203.0.113.10", &["host:203.0.113.10"]),
    ("ssh -J ops@alpha ops@gamma", &["host:alpha", "host:gamma"]),
    ("ssh alpha 'sudo systemctl restart ollama'", &["host:alpha", "unit:ollama"]),
    ("ssh -t gamma sudo journalctl -fu observer", &["host:gamma", "unit:observer"]),
    ("ssh ssh://ops@beta:2222", &["host:beta"]),
    ("ssh git@github.com", &["host:github.com"]),
    ("ssh \"$HOST\" uptime", &[]),
    ("ssh <host>", &[]),
    ("for h in alpha beta; do ssh $h uptime; done", &[]),
    ("scp ops@alpha:/home/ops/backup.tar.gz .", &["host:alpha", "path:/home/ops/backup.tar.gz"]),
    ("scp -P 2222 ./app.ini gamma:/srv/platform-config/app.ini", &["host:gamma", "path:/srv/platform-config/app.ini"]),
    ("rsync -avz --delete /home/ops/projects/ beta:/home/ops/projects/", &["path:/home/ops/projects/", "host:beta", "path:/home/ops/projects/"]),
    ("rsync -e 'ssh -p 2222' -a alpha:/var/backups/ /mnt/backups/", &["host:alpha", "path:/var/backups/", "path:/mnt/backups/"]),
    ("rsync -a --exclude=node_modules ./site/ ops@alpha:/srv/docs/", &["host:alpha", "path:/srv/docs/"]),
    ("rsync rsync://mirror.example.net/debian/ /srv/mirror/", &["host:mirror.example.net", "path:/srv/mirror/"]),
    // curl, wget, http
    ("curl -fsS https://status.example.com/", &["url:https://status.example.com/"]),
    ("curl -fsS http://127.0.0.1:8080/summary", &["url:http://127.0.0.1:8080/summary"]),
    ("curl -sI https://forge.example.com/api/healthz | head -1", &["url:https://forge.example.com/api/healthz"]),
    ("curl -H 'Authorization: Bearer x' -X POST https://relay.example.com/admin", &["url:https://relay.example.com/admin"]),
    ("curl -o /tmp/install.sh https://get.docker.com && sh /tmp/install.sh", &["url:https://get.docker.com", "path:/tmp/install.sh"]),
    ("curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash -", &["url:https://deb.nodesource.com/setup_20.x"]),
    ("curl --resolve status.example.com:443:203.0.113.10 https://status.example.com/healthz", &["url:https://status.example.com/healthz"]),
    ("curl -s localhost:9000/hooks/deploy -d @payload.json", &["url:localhost:9000/hooks/deploy"]),
    ("curl --url https://vscode.example.com/healthz", &["url:https://vscode.example.com/healthz"]),
    ("curl -w '%{http_code}' -o /dev/null -s \"https://forge.example.com/\"", &["url:https://forge.example.com/"]),
    ("curl \"$BASE_URL/health\"", &[]),
    ("curl https://<your-domain>/", &[]),
    ("wget -qO- https://brainstorming.example.com/index.json | jq .", &["url:https://brainstorming.example.com/index.json"]),
    ("wget -O /tmp/restic.bz2 https://github.com/restic/restic/releases/download/v0.16.4/restic.bz2", &["url:https://github.com/restic/restic/releases/download/v0.16.4/restic.bz2"]),
    ("http GET https://forge.example.com/api/v1/version", &["url:https://forge.example.com/api/v1/version"]),
    ("http POST relay.example.com/admin token=x", &["url:relay.example.com/admin"]),
    ("http :8080/summary", &["url::8080/summary"]),
    ("xh https://status.example.com/api", &["url:https://status.example.com/api"]),
    // paths and everything else
    ("df -h /var/lib/postgres", &["path:/var/lib/postgres"]),
    ("ls -la /home/ops/devops-center/experiments", &["path:/home/ops/devops-center/experiments"]),
    ("cd /home/ops/projects && git pull", &["path:/home/ops/projects"]),
    ("tar czf /tmp/backup.tgz -C /home/ops projects", &["path:/tmp/backup.tgz", "path:/home/ops"]),
    ("restic -r /mnt/backup snapshots --host alpha", &["path:/mnt/backup"]),
    ("ss -tlnp | grep 8080", &[]),
    ("echo \"ssh beta\"", &[]),
    ("grep -r 'systemctl restart' /etc/cron.d", &["path:/etc/cron.d"]),
    ("cat /etc/systemd/system/ollama.service", &["path:/etc/systemd/system/ollama.service"]),
    ("sudo -E env PATH=$PATH ./scripts/bootstrap/control-plane.sh", &[]),
    ("apt-get update && apt-get install -y restic", &[]),
    ("uptime; free -m; df -h", &[]),
    ("ip -br addr", &[]),
    ("openssl s_client -connect forge.example.com:443 </dev/null", &[]),
    ("find /home/ops/projects -maxdepth 1 -type d", &["path:/home/ops/projects"]),
    ("kubectl get pods", &[]),
    ("bash -c 'systemctl restart ollama && journalctl -u ollama -n 20'", &["unit:ollama", "unit:ollama"]),
    ("sh -c \"docker logs forge\"", &["container:forge"]),
    ("echo $(ssh alpha hostname)", &["host:alpha"]),
    ("VERSION=`curl -s https://status.example.com/version`", &["url:https://status.example.com/version"]),
    ("diff <(ssh alpha cat /etc/hosts) <(ssh beta cat /etc/hosts)", &["host:alpha", "path:/etc/hosts", "host:beta", "path:/etc/hosts"]),
    ("systemctl restart ollama # fleetdoc: ignore", &["unit:ollama!"]),
    ("ssh old-box # the box we retired, fleetdoc: ignore", &["host:old-box!"]),
    ("ssh old-box # fleetdoc ignores nothing without the colon", &["host:old-box"]),
    ("# systemctl restart ollama", &[]),
    ("echo '# not a comment' && ssh beta", &["host:beta"]),
    ("sudo systemctl restart ollama &", &["unit:ollama"]),
    ("(cd /home/ops/projects; ls)", &["path:/home/ops/projects"]),
    ("{ systemctl stop relay; systemctl start relay; }", &["unit:relay", "unit:relay"]),
    ("tail -f /var/log/syslog |& grep relay", &["path:/var/log/syslog"]),
    ("doas -u ops systemctl --user restart syncthing", &["unit:syncthing"]),
    ("flock -n /run/backup.lock systemctl start restic-backup.service", &["unit:restic-backup.service"]),
    ("xargs -r docker restart < containers.txt", &[]),
    ("docker ps -q | xargs docker inspect", &[]),
];

/// A script per case: multi-line forms (continuations, heredocs) with their references.
const SCRIPTS: &[(&str, &[&str])] = &[
    (
        "sudo systemctl \\\n  restart \\\n  observer.service\n",
        &["unit:observer.service"],
    ),
    (
        "cat <<EOF | ssh alpha bash\nsystemctl restart ollama\nssh beta\nEOF\nssh gamma\n",
        &["host:alpha", "host:gamma"],
    ),
    (
        "cat > /etc/motd <<-'END'\n\tssh nowhere\n\tEND\ndocker logs forge\n",
        &["container:forge"],
    ),
    (
        "curl -fsS \\\n  -H 'Accept: application/json' \\\n  https://status.example.com/api\n",
        &["url:https://status.example.com/api"],
    ),
    ("echo 'multi\nline' && ssh beta\n", &["host:beta"]),
    ("$ sudo systemctl restart relay\n", &["unit:relay"]),
    (
        "# comment line\nssh alpha # trailing comment\n",
        &["host:alpha"],
    ),
];

fn shown(text: &str) -> Vec<String> {
    script_references(text)
        .into_iter()
        .map(|f| {
            let mark = if f.ignored { "!" } else { "" };
            format!("{}:{}{mark}", f.kind.as_str(), f.text)
        })
        .collect()
}

#[test]
fn corpus_lines_give_the_references_written_beside_them() {
    assert!(
        CORPUS.len() + SCRIPTS.len() >= 100,
        "the corpus keeps at least 100 lines"
    );
    let mut wrong = Vec::new();
    for (line, want) in CORPUS.iter().chain(SCRIPTS) {
        let got = shown(line);
        if got != want.iter().map(|s| s.to_string()).collect::<Vec<_>>() {
            wrong.push(format!("{line:?}\n   want {want:?}\n    got {got:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} lines read wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn every_reference_span_is_the_text_as_written_in_the_source() {
    for (line, _) in CORPUS.iter().chain(SCRIPTS) {
        for f in script_references(line) {
            let written = &line[f.span.clone()];
            // Quotes and continuations may sit inside a span; unquoted, it is the text.
            if !written.contains(['\'', '"', '\\']) {
                assert_eq!(written, f.text, "span of {:?} in {line:?}", f.kind);
            }
        }
    }
}

#[test]
fn console_blocks_read_only_prompted_lines() {
    let text = "$ ssh beta\nWelcome to beta\nops@beta:~$ sudo systemctl restart relay\n[sudo] password for ops:\n# journalctl -u ollama\n-- Logs begin --\n";
    let mut lines = Vec::new();
    let mut at = 0;
    for l in text.split_inclusive('\n') {
        lines.push((l, at));
        at += l.len();
    }
    let got: Vec<String> = block_references(&lines, Dialect::Session)
        .into_iter()
        .map(|f| format!("{}:{}", f.kind.as_str(), f.text))
        .collect();
    assert_eq!(got, ["host:beta", "unit:relay", "unit:ollama"]);
}
