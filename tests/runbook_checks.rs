//! Commands in runbook shell blocks, checked against the fleet: each stale name is one
//! warning at its line and column with the closest name, names outside the fleet are left
//! alone, the three opt-outs work, `--strict` fails, and resolved names link to their
//! host or service in the HTML while the export keeps the text as written.

mod support;
use support::*;

const FLEET: &str = "\
fleet:
  name: Check Fleet
hosts:
  alpha:
    address: 203.0.113.10
  beta:
    address: 203.0.113.20
services:
  traefik:
    host: alpha
    kind: docker
    ingress: true
  status:
    host: alpha
    kind: docker
    public: status.example.com
  watcher:
    host: beta
    kind: systemd
    unit: watcher.service
  backup:
    host: alpha
    kind: timer
    unit: restic-backup.timer
layers:
  apps:
    title: Apps
    host: alpha
    path: /opt/platform/apps
";

const RUNBOOK: &str = "\
# Restart

```bash
sudo systemctl restart wacher.service
journalctl -u restic-backup.service -n 50
ssh ops@gamma
docker logs --since 30m statsu
curl -fsS https://stauts.example.com/healthz
curl -fsS https://status.example.com/healthz
curl -fsSL https://get.docker.com | sh
systemctl restart sshd docker
ls /opt/platform/aps/status
ssh beta 'systemctl status watcher'
```

```bash nocheck
ssh gamma
```

```console
$ ssh delta # fleetdoc: ignore
$ ssh alpha
Welcome to alpha
```
";

fn problems(r: &Run) -> Vec<String> {
    r.stderr
        .lines()
        .filter(|l| !l.starts_with("fleetdoc: "))
        .map(str::to_string)
        .collect()
}

const TAIL: &str = " (if the command is about something outside the fleet, end its line with `# fleetdoc: ignore`)";

#[test]
fn stale_names_in_commands_are_warnings_at_their_position_with_the_closest_name() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/restart.md", RUNBOOK),
    ]);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let want: Vec<String> = [
        "content/restart.md:4:24: warning: unit `wacher.service` is not declared in the fleet; did you mean `watcher.service`?",
        "content/restart.md:6:9: warning: `gamma` is not a host of the fleet (by id, name or address)",
        "content/restart.md:7:25: warning: container `statsu` is not declared in the fleet; did you mean `status`?",
        "content/restart.md:8:11: warning: `stauts.example.com` is not a public hostname of the fleet; did you mean `status.example.com`?",
        "content/restart.md:12:4: warning: `/opt/platform/aps/status` is not under a folder declared in the fleet; did you mean `/opt/platform/apps`?",
    ]
    .iter()
    .map(|w| format!("{w}{TAIL}"))
    .collect();
    assert_eq!(problems(&r), want, "{}", r.stderr);

    let strict = run(&["check", "--strict"], dir.path(), &[]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[test]
fn check_commands_false_turns_the_check_off_for_the_whole_site() {
    let dir = project(&[
        (
            "fleetdoc.yaml",
            "url: https://docs.example.com\ncheck_commands: false\n",
        ),
        ("content/fleet.yaml", FLEET),
        ("content/restart.md", RUNBOOK),
    ]);
    let r = run(&["check", "--strict"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(problems(&r), Vec::<String>::new());
}

#[test]
fn resolved_names_link_to_their_host_or_service_and_the_export_keeps_the_text() {
    let page = "# Ops\n\n```bash\nssh ops@beta 'systemctl status watcher'\ncurl https://status.example.com/ && echo a<b\n```\n";
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/ops.md", page)]);
    let r = run(
        &["build"],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", "1775466000")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = read(dir.path().join("site/ops/index.html"));
    let code = html
        .split("<pre><code class=\"language-bash hl\">")
        .nth(1)
        .and_then(|c| c.split("</code></pre>").next())
        .unwrap_or_default();
    // The code is highlighted (spans around tokens); a link that crosses a token's span is
    // split in two with the same target. What counts: which text links where, and that the
    // text itself is unchanged.
    let (text, links) = links_in(code);
    assert_eq!(
        text,
        "ssh ops@beta &#39;systemctl status watcher&#39;\ncurl https://status.example.com/ &amp;&amp; echo a&lt;b\n"
    );
    assert_eq!(
        links,
        vec![
            ("../hosts/beta/".to_string(), "beta".to_string()),
            (
                "../hosts/beta/#service-watcher".to_string(),
                "watcher".to_string()
            ),
            (
                "../hosts/alpha/#service-status".to_string(),
                "https://status.example.com/".to_string()
            ),
        ]
    );
    let out = dir.path().join("export");
    let e = run(&["export", "--out", out.to_str().unwrap()], dir.path(), &[]);
    assert_eq!(e.code, 0, "{}", e.stderr);
    assert!(read(out.join("ops.md"))
        .contains("ssh ops@beta 'systemctl status watcher'\ncurl https://status.example.com/"));
}

/// The text of highlighted code without its tags, and each link's target and text (pieces of
/// one link split by a highlight span joined again).
fn links_in(code: &str) -> (String, Vec<(String, String)>) {
    let mut text = String::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let mut open: Option<String> = None;
    let mut last_closed_at: Option<(usize, String)> = None;
    let mut rest = code;
    while let Some(lt) = rest.find('<') {
        let chunk = &rest[..lt];
        text.push_str(chunk);
        if let Some(href) = &open {
            if let Some(l) = links.last_mut().filter(|l| &l.0 == href) {
                l.1.push_str(chunk);
            }
        }
        let gt = rest[lt..]
            .find('>')
            .map(|g| lt + g + 1)
            .unwrap_or(rest.len());
        let tag = &rest[lt..gt];
        if let Some(h) = tag.strip_prefix("<a class=\"fleet-ref\" href=\"") {
            let href = h.trim_end_matches("\">").to_string();
            let joined =
                matches!(&last_closed_at, Some((at, prev)) if *at == text.len() && *prev == href);
            if !joined {
                links.push((href.clone(), String::new()));
            }
            open = Some(href);
        } else if tag == "</a>" {
            last_closed_at = open.take().map(|h| (text.len(), h));
        }
        rest = &rest[gt..];
    }
    text.push_str(rest);
    (text, links)
}
