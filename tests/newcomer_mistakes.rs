//! The YAML, link and snapshot mistakes a newcomer makes in the first hour, each a named
//! row: one edit to a valid project, and the whole of what `fleetdoc check` then prints.
//! Every mistake gives exactly one positioned message that says what to do: a tab or a
//! key out of line is named at its own place with both indents, a mistyped host gives no
//! error that follows from it, a link written as the built HTML writes it gets the source
//! form suggested, and a misspelt snapshot key is named at the key with "did you mean".
//! Each row failed on the code before its fix.

mod support;
use support::*;

const SETTINGS: &str = "\
title: Example Docs
url: https://docs.example.com
serve:
  hostname: docs.example.com
  port: 8090
";

/// Line 17 is `port`, line 19 `depends_on` of service `app`; line 10 is the ingress's host,
/// line 21 the database's (which the backup timer covers).
const TOPOLOGY: &str = "\
fleet:
  name: Example Fleet
hosts:
  web1:
    address: 203.0.113.10
  db1:
    address: 203.0.113.20
services:
  traefik:
    host: web1
    kind: docker
    ingress: true
    ports: [80, 443]
  app:
    host: web1
    kind: docker
    port: 3000
    public: app.example.com
    depends_on: [db]
  db:
    host: db1
    kind: systemd
    unit: postgresql.service
  backup:
    host: db1
    kind: timer
    unit: backup.timer
    backs_up: [db]
";

/// Links to the host page (and the app's row on it) and to a page beside it, on line 10.
const OPS: &str = "\
---
title: Ops
kind: runbook
tags:
  - web
---

# Ops

See [web1](../hosts/web1/#service-app) and [the restore](restore.md).
";

const RESTORE: &str = "# Restore\n\nRestore the database from last night's backup.\n";

const SNAPSHOT: &str = r#"{
  "taken_at": "2026-04-06T09:00:00Z",
  "probe": "status-board@web1",
  "results": [
    {"check": "http", "target": "https://app.example.com/", "ok": true,
     "status": 200, "latency_ms": 84}
  ]
}
"#;

/// One minute after the snapshot was taken.
const NOW: &str = "1775466060";

struct Mistake {
    name: &'static str,
    file: &'static str,
    /// Replaced once in `file`; the text must be there.
    from: &'static str,
    to: &'static str,
    code: i32,
    stderr: &'static str,
}

const MISTAKES: &[Mistake] = &[
    // Row 7: YAML syntax errors explained.
    Mistake {
        name: "a tab in the topology's indentation is named at the tab, with `use spaces`",
        file: "content/fleet.yaml",
        from: "    port: 3000\n",
        to: "\tport: 3000\n",
        code: 1,
        stderr: "content/fleet.yaml:17:1: error: YAML does not allow tabs for indentation; use spaces\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    Mistake {
        name: "a tab in front matter's indentation is named at the tab, with `use spaces`",
        file: "content/runbooks/ops.md",
        from: "  - web\n",
        to: "\t- web\n",
        code: 1,
        stderr: "content/runbooks/ops.md:5:1: error: YAML does not allow tabs for indentation; use spaces\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    Mistake {
        name: "an over-indented key of a service is named with both indents",
        file: "content/fleet.yaml",
        from: "    port: 3000\n",
        to: "      port: 3000\n",
        code: 1,
        stderr: "content/fleet.yaml:17:7: error: `port` is indented 6 spaces but its siblings at line 16 use 4; indent it by 4 spaces (YAML nests by indentation)\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    Mistake {
        name: "a key one space short of its siblings is named with both indents",
        file: "content/fleet.yaml",
        from: "    port: 3000\n",
        to: "   port: 3000\n",
        code: 1,
        stderr: "content/fleet.yaml:17:4: error: `port` is indented 3 spaces but its siblings at line 16 use 4; indent it by 4 spaces (YAML nests by indentation)\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    Mistake {
        name: "a dedented depends_on under a service is one error that says indentation",
        file: "content/fleet.yaml",
        from: "    depends_on: [db]\n",
        to: "  depends_on: [db]\n",
        code: 1,
        stderr: "content/fleet.yaml:19:3: error: `depends_on` is indented 2 spaces but its siblings at line 18 use 4; indent it by 4 spaces to make it a key of service `app`\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    Mistake {
        name: "an indented key in front matter is named with both indents",
        file: "content/runbooks/ops.md",
        from: "kind: runbook\n",
        to: "  kind: runbook\n",
        code: 1,
        stderr: "content/runbooks/ops.md:3:3: error: `kind` is indented 2 spaces but its siblings at line 2 are not indented; remove its indentation (YAML nests by indentation)\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    Mistake {
        name: "a service's last key written at the start of the line is one error that says indentation",
        file: "content/fleet.yaml",
        from: "    backs_up: [db]\n",
        to: "backs_up: [db]\n",
        code: 1,
        stderr: "content/fleet.yaml:28:1: error: `backs_up` is not indented but its siblings at line 27 use 4; indent it by 4 spaces to make it a key of service `backup`\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    Mistake {
        name: "an over-indented key in fleetdoc.yaml is named with both indents",
        file: "fleetdoc.yaml",
        from: "  port: 8090\n",
        to: "    port: 8090\n",
        code: 1,
        stderr: "fleetdoc.yaml:5:5: error: `port` is indented 4 spaces but its siblings at line 4 use 2; indent it by 2 spaces (YAML nests by indentation)\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    // Row 8: one cause, one error.
    Mistake {
        name: "a mistyped host on the ingress gives no false `needs an ingress` error",
        file: "content/fleet.yaml",
        from: "    host: web1\n    kind: docker\n    ingress: true\n",
        to: "    host: wbe1\n    kind: docker\n    ingress: true\n",
        code: 1,
        stderr: "content/fleet.yaml:10:11: error: `host` names `wbe1`, but there is no host `wbe1`; did you mean `web1`?\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    Mistake {
        name: "a mistyped host on a service others name gives no false error where they name it",
        file: "content/fleet.yaml",
        from: "    host: db1\n    kind: systemd\n",
        to: "    host: db2\n    kind: systemd\n",
        code: 1,
        stderr: "content/fleet.yaml:21:11: error: `host` names `db2`, but there is no host `db2`; did you mean `db1`?\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    Mistake {
        name: "a mistyped host on a service a page links to gives no false anchor error",
        file: "content/fleet.yaml",
        from: "    host: web1\n    kind: docker\n    port: 3000\n",
        to: "    host: webl\n    kind: docker\n    port: 3000\n",
        code: 1,
        stderr: "content/fleet.yaml:15:11: error: `host` names `webl`, but there is no host `webl`; did you mean `web1`?\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    Mistake {
        name: "a service whose host is like no host gives no false anchor error where a page links to it",
        file: "content/fleet.yaml",
        from: "    host: web1\n    kind: docker\n    port: 3000\n",
        to: "    host: frontend\n    kind: docker\n    port: 3000\n",
        code: 1,
        stderr: "content/fleet.yaml:15:11: error: `host` names `frontend`, but there is no host `frontend`\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    Mistake {
        name: "a host link written in the built HTML's form gets the source form suggested",
        file: "content/runbooks/ops.md",
        from: "(../hosts/web1/#service-app)",
        to: "(../../hosts/web1/#service-app)",
        code: 1,
        stderr: "content/runbooks/ops.md:10:5: error: link `../../hosts/web1/#service-app` points outside content/; links are relative to the Markdown file, not to the built page: did you mean `../hosts/web1/#service-app`?\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    Mistake {
        name: "a page link written in the built HTML's form gets the source form suggested",
        file: "content/runbooks/ops.md",
        from: "(restore.md)",
        to: "(../../runbooks/restore/)",
        code: 1,
        stderr: "content/runbooks/ops.md:10:44: error: link `../../runbooks/restore/` points outside content/; links are relative to the Markdown file, not to the built page: did you mean `restore.md`?\n\
                 fleetdoc: 1 error, 0 warnings\n",
    },
    Mistake {
        name: "a misspelt `taken_at` is named at the key with did you mean",
        file: "content/probes/now.json",
        from: "\"taken_at\"",
        to: "\"takenAt\"",
        code: 0,
        stderr: "content/probes/now.json:2:3: warning: unknown key `takenAt` (did you mean `taken_at`?); this snapshot was skipped (fix or delete the file)\n\
                 fleetdoc: 0 errors, 1 warning\n",
    },
    Mistake {
        name: "a misspelt `latency_ms` is named at the key with did you mean, not dropped silently",
        file: "content/probes/now.json",
        from: "\"latency_ms\"",
        to: "\"latncy_ms\"",
        code: 0,
        stderr: "content/probes/now.json:6:21: warning: results[0]: unknown key `latncy_ms`; did you mean `latency_ms`? this value was ignored, the rest of the snapshot is used\n\
                 fleetdoc: 0 errors, 1 warning\n",
    },
];

fn clean_project() -> tempfile::TempDir {
    project(&[
        ("fleetdoc.yaml", SETTINGS),
        ("content/fleet.yaml", TOPOLOGY),
        ("content/runbooks/ops.md", OPS),
        ("content/runbooks/restore.md", RESTORE),
        ("content/probes/now.json", SNAPSHOT),
    ])
}

/// The project the mistakes are made in checks clean.
#[test]
fn the_project_the_mistakes_are_made_in_checks_clean() {
    let dir = clean_project();
    let r = run(&["check"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "fleetdoc: ok: 2 pages, 2 hosts, 4 services\n");
}

#[test]
fn each_newcomer_mistake_gives_one_positioned_message_that_names_the_fix() {
    let mut failed = Vec::new();
    for m in MISTAKES {
        let dir = clean_project();
        let path = dir.path().join(m.file);
        let text = read(&path);
        assert!(
            text.contains(m.from),
            "{}: `{}` not in {}",
            m.name,
            m.from,
            m.file
        );
        std::fs::write(&path, text.replacen(m.from, m.to, 1)).unwrap();
        let r = run(&["check"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
        if r.code != m.code || r.stderr != m.stderr {
            failed.push(format!(
                "{}\n  exit {} (want {})\n  got:\n{}  want:\n{}",
                m.name, r.code, m.code, r.stderr, m.stderr
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} mistakes:\n\n{}",
        failed.len(),
        MISTAKES.len(),
        failed.join("\n")
    );
}
