//! The redundancy table says what is true: how many single points of failure there are,
//! what limits each (declared mitigations, backup timers that cover it, with their last
//! observed run) and what is not yet redundant, on the site and in the Markdown export.

mod support;
use support::*;

const TOPOLOGY: &str = "\
hosts:
  alpha:
    address: 203.0.113.10
    rebuild: Forge repositories
    mitigation: Provider snapshots, kept 7 days
services:
  traefik:
    host: alpha
    kind: docker
    ingress: true
  forge:
    host: alpha
    kind: docker
    public: forge.example.com
  relay:
    host: alpha
    kind: process
    public: relay.example.com
    mitigation: [Clients fall back to a public relay]
  backup:
    name: restic backup
    host: alpha
    kind: timer
    unit: restic-backup.timer
    schedule: daily
    backs_up: [forge]
";

const PAGE: &str = "---\ntitle: Redundancy\n---\n\n```fleet\ntable: redundancy\n```\n";

const SNAPSHOT: &str = r#"{"taken_at": "2026-04-06T03:00:00Z", "probe": "test", "results": [
  {"check": "systemd", "host": "alpha", "target": "restic-backup.timer", "ok": true, "state": "active"}
]}"#;

fn project_with(topology: &str) -> tempfile::TempDir {
    project(&[
        ("content/fleet.yaml", topology),
        ("content/redundancy.md", PAGE),
        ("content/probes/a.json", SNAPSHOT),
    ])
}

#[test]
fn single_points_of_failure_are_counted_with_mitigations_and_what_is_not_yet_redundant() {
    let dir = project_with(TOPOLOGY);
    // 2026-04-06T03:10:00Z
    let r = run(
        &["build"],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", "1775445000")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let fleet = read(dir.path().join("site/fleet/index.html"));
    let summary = "Single points of failure: 3 (2 services, 1 host). Each has a mitigation or a backup; none has a replica yet.";
    assert!(fleet.contains(summary), "{fleet}");
    for text in [
        "backed up by restic backup (daily); last observed 2026-04-06 03:00 UTC, ok",
        "no replica: a restore from backup is the way back",
        "Clients fall back to a public relay",
        "no replica, no backup",
        "Provider snapshots, kept 7 days; rebuild from Forge repositories",
        "<th scope=\"col\">Not yet redundant</th>",
    ] {
        assert!(fleet.contains(text), "{text} missing in {fleet}");
    }
    let out = dir.path().join("export");
    let r = run(
        &["export", "--out", out.to_str().unwrap()],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", "1775445000")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = read(out.join("redundancy.md"));
    assert!(md.contains(summary), "{md}");
    assert!(
        md.contains("| Item | Type | Reason | Dependents | Mitigations | Not yet redundant |"),
        "{md}"
    );
    assert!(
        md.contains("backed up by restic backup (daily); last observed"),
        "{md}"
    );
}

#[test]
fn a_service_without_mitigation_is_named_as_not_yet_redundant() {
    let dir = project_with(&TOPOLOGY.replace("    backs_up: [forge]\n", ""));
    let r = run(
        &["build"],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", "1775445000")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let fleet = read(dir.path().join("site/fleet/index.html"));
    assert!(
        fleet.contains("Not yet redundant, with no backup or mitigation declared: forge."),
        "{fleet}"
    );
    assert!(
        fleet.contains("no replica, no backup, no mitigation declared"),
        "{fleet}"
    );
}

#[test]
fn backs_up_mistakes_are_positioned_errors() {
    let bad = TOPOLOGY
        .replace("    backs_up: [forge]\n", "    backs_up: [froge, alpha]\n")
        .replace(
            "    mitigation: [Clients fall back to a public relay]\n",
            "    backs_up: [forge]\n",
        );
    let dir = project_with(&bad);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "content/fleet.yaml:19:15: error: `backs_up` of service `relay` needs `kind: timer` (the backup job); it is `process`",
            "content/fleet.yaml:26:16: error: `backs_up` names `froge`, but there is no service `froge`; did you mean `forge`?",
            "content/fleet.yaml:26:23: error: `backs_up` needs a service id, but `alpha` is a host; name the services whose data it backs up",
        ],
        "{}",
        r.stderr
    );
}
