//! Maintenance windows (docs/maintenance.md): a failure inside a window declared in the
//! topology, or reported as maintenance by Uptime Kuma, is shown as maintenance and left
//! out of uptime and of the month's availability, and the availability page lists each
//! month's windows. One-off, daily, across midnight, around a DST change in a named zone,
//! a backup timer that stops a service; positioned errors; the public profile.

mod support;
use support::*;

/// 2026-04-06T09:00:00Z
const NOW: &str = "1775466000";

/// A fleet whose `forge` has the maintenance lines `window` (YAML under `maintenance:`,
/// indented by six).
fn fleet(window: &str) -> String {
    format!(
        "\
hosts:
  alpha:
    address: 203.0.113.10
services:
  traefik:
    host: alpha
    kind: docker
    ingress: true
  forge:
    host: alpha
    kind: docker
    public: forge.example.com
    slo: 99.5
    maintenance:
{window}"
    )
}

const STATUS_PAGE: &str =
    "# Home\n\n```fleet\ntable: status\ncolumns: [service, status, uptime, detail]\n```\n";

fn parse(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

/// One snapshot file of forge's check at `at`, ok or not.
fn snapshot(at: chrono::DateTime<chrono::Utc>, result: &str) -> (String, String) {
    (
        format!("{}.json", at.format("%Y%m%dT%H%M%SZ")),
        format!(
            "{{\"taken_at\": \"{}\", \"probe\": \"board\", \"results\": [\
             {{\"check\": \"http\", \"target\": \"https://forge.example.com/\", {result}}}]}}",
            at.format("%Y-%m-%dT%H:%M:%SZ")
        ),
    )
}

fn ok(ok: bool) -> &'static str {
    if ok {
        "\"ok\": true, \"status\": 200"
    } else {
        "\"ok\": false, \"error\": \"connection refused\""
    }
}

/// A project with `fleet`, the status page, and forge's results at the given times
/// as snapshot files.
fn with_results(fleet: &str, results: &[(&str, bool)]) -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = vec![
        ("content/fleet.yaml".into(), fleet.into()),
        ("content/status.md".into(), STATUS_PAGE.into()),
    ];
    for (at, good) in results {
        let (name, text) = snapshot(parse(at), ok(*good));
        files.push((format!("content/probes/{name}"), text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    project(&refs)
}

/// The status table of the built index page.
fn status_table(dir: &std::path::Path, now: &str) -> String {
    let r = run(&["build"], dir, &[("SOURCE_DATE_EPOCH", now)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = read(dir.join("site/status/index.html"));
    let from = page.find("<table").expect("a status table");
    let to = page[from..].find("</table>").unwrap() + from + "</table>".len();
    page[from..to].to_string()
}

/// The forge row of a status table.
fn forge_row(table: &str) -> &str {
    let from = table.find("<tr><td>forge").expect("forge's row");
    &table[from..from + table[from..].find("</tr>").unwrap()]
}

#[test]
fn a_failure_inside_a_one_off_window_is_maintenance_and_left_out_of_uptime() {
    let dir = with_results(
        &fleet(
            "      - start: 2026-04-06T08:00:00Z\n        end: 2026-04-06 11:20 Europe/Berlin\n        note: Gitea upgrade\n",
        ),
        &[
            ("2026-04-06T07:00:00Z", true),
            ("2026-04-06T07:30:00Z", true),
            ("2026-04-06T08:00:00Z", false),
            ("2026-04-06T08:30:00Z", false),
        ],
    );
    insta::assert_snapshot!("one_off_status", status_table(dir.path(), NOW));
}

#[test]
fn a_daily_window_leaves_out_the_failures_inside_it_every_day() {
    let mut results = Vec::new();
    for day in ["2026-04-03", "2026-04-04", "2026-04-05"] {
        for (t, good) in [
            ("03:00", false),
            ("03:10", false),
            ("03:20", false),
            ("04:00", true),
        ] {
            results.push((format!("{day}T{t}:00Z"), good));
        }
    }
    results.push(("2026-04-06T08:00:00Z".into(), true));
    let refs: Vec<(&str, bool)> = results.iter().map(|(a, b)| (a.as_str(), *b)).collect();
    let dir = with_results(&fleet("      - daily 03:00-03:20 UTC\n"), &refs);
    // Counted: the three failures at 03:20 (the end is outside) and four ok checks.
    let table = status_table(dir.path(), NOW);
    let row = forge_row(&table);
    assert!(row.contains("<td>57%</td>"), "{row}");
    assert!(
        row.contains("<span class=\"window-note\">maintenance 2026-04-07 03:00-03:20 UTC</span>"),
        "{row}"
    );
}

#[test]
fn a_window_crossing_midnight_covers_both_sides_of_it() {
    let dir = with_results(
        &fleet("      - daily 23:30-00:30 UTC\n"),
        &[
            ("2026-04-05T23:15:00Z", true),
            ("2026-04-05T23:45:00Z", false),
            ("2026-04-06T00:15:00Z", false),
            ("2026-04-06T00:30:00Z", false),
            ("2026-04-06T00:45:00Z", true),
        ],
    );
    // Counted: 23:15 ok, 00:30 failed (the window's end), 00:45 ok.
    let table = status_table(dir.path(), NOW);
    assert!(forge_row(&table).contains("<td>67%</td>"), "{table}");
}

/// The availability page's line for forge's window in the month of `now`.
fn window_line(dir: &std::path::Path, now: &str) -> String {
    let r = run(&["build"], dir, &[("SOURCE_DATE_EPOCH", now)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = read(dir.join("site/availability/index.html"));
    let at = page
        .find("daily 02:30-03:30 Europe/Berlin")
        .expect("the window listed");
    page[at..at + page[at..].find("</td>").unwrap()].to_string()
}

/// Europe/Berlin springs forward on 2026-03-29 (02:00 -> 03:00) and falls back on
/// 2026-10-25 (03:00 -> 02:00). A daily 02:30-03:30 window starts at the first instant
/// after the gap (03:00 CEST, 01:00Z: half an hour), and at the earlier 02:30 on the day
/// the clocks pass it twice (00:30Z to 03:30 CET, 02:30Z: two hours).
#[test]
fn a_window_in_a_named_zone_follows_its_clocks_across_dst_changes() {
    let window = fleet("      - daily 02:30-03:30 Europe/Berlin\n");
    let spring = with_results(
        &window,
        &[
            ("2026-03-28T12:00:00Z", true),
            ("2026-03-29T00:50:00Z", true),
            ("2026-03-29T01:10:00Z", false), // 03:10 CEST: inside
            ("2026-03-29T01:35:00Z", false), // 03:35 CEST: outside
            ("2026-03-29T12:00:00Z", true),
        ],
    );
    // 2026-03-30T12:00:00Z: March's 30 windows, one of them half an hour.
    let now = "1774872000";
    let table = status_table(spring.path(), now);
    assert!(forge_row(&table).contains("<td>75%</td>"), "{table}");
    assert_eq!(
        window_line(spring.path(), now),
        "daily 02:30-03:30 Europe/Berlin: 30 times, 29 h 30 min"
    );
    let fall = with_results(
        &window,
        &[
            ("2026-10-24T12:00:00Z", true),
            ("2026-10-25T00:20:00Z", true),  // 02:20 CEST: before it
            ("2026-10-25T00:40:00Z", false), // 02:40 CEST: inside
            ("2026-10-25T02:20:00Z", false), // 03:20 CET: inside
            ("2026-10-25T02:40:00Z", false), // 03:40 CET: outside
            ("2026-10-25T12:00:00Z", true),
        ],
    );
    // 2026-10-26T12:00:00Z: October's 26 windows, one of them two hours.
    let now = "1792987200";
    let table = status_table(fall.path(), now);
    assert!(forge_row(&table).contains("<td>75%</td>"), "{table}");
    assert_eq!(
        window_line(fall.path(), now),
        "daily 02:30-03:30 Europe/Berlin: 26 times, 27 h"
    );
}

/// Uptime Kuma reports a monitor in its own maintenance as `state: maintenance`: those
/// checks are not counted in the month, whether the store holds them or only the files.
#[test]
fn uptime_kuma_maintenance_is_not_counted_against_the_month() {
    let mut files: Vec<(String, String)> = vec![
        ("content/fleet.yaml".into(), fleet("      []\n")),
        ("content/index.md".into(), "# Home\n".into()),
    ];
    let mut t = parse("2026-04-06T00:00:00Z");
    while t < parse("2026-04-06T09:00:00Z") {
        let result = if t.format("%H").to_string().as_str() < "04" {
            "\"ok\": false, \"state\": \"maintenance\", \"name\": \"Forge\""
        } else {
            "\"ok\": true, \"status\": 200, \"name\": \"Forge\""
        };
        let (name, text) = snapshot(t, result);
        files.push((format!("content/probes/{name}"), text));
        t += chrono::TimeDelta::hours(1);
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = project(&refs);
    let r = run(&["build"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = read(dir.path().join("site/availability/index.html"));
    let forge = &page[page.find("<h2 id=\"service-forge\"").unwrap()..];
    let april = &forge[forge.find("<time datetime=\"2026-04\">").unwrap()..];
    let april = &april[..april.find("</tr>").unwrap()];
    assert!(april.contains("<td>100%</td>"), "{april}");
}

/// A month of hourly checks in the store: forge fails at 03:00 and 04:00 every day (inside
/// its own window and the backup's), and once at noon on the 10th. Only that one counts,
/// and the month lists both windows.
#[test]
fn a_failure_inside_a_window_is_not_counted_against_the_months_availability_and_is_listed() {
    let topology = fleet("      - daily 03:00-03:20 UTC\n      - start: 2026-03-14T22:00:00+01:00\n        duration: 2h\n        note: PostgreSQL 17 upgrade\n")
        + "  backup:\n    name: restic backup\n    host: alpha\n    kind: timer\n    unit: restic-backup.timer\n    schedule: \"*-*-* 04:00:00\"\n    stops: [forge]\n    stops_for: 10m\n";
    let mut files: Vec<(String, String)> = vec![
        ("content/fleet.yaml".into(), topology),
        ("content/index.md".into(), "# Home\n".into()),
    ];
    let mut t = parse("2026-03-01T00:00:00Z");
    while t < parse("2026-04-06T09:00:01Z") {
        let hour = t.format("%H").to_string();
        let good = !(hour == "03" || hour == "04" || t == parse("2026-03-10T12:00:00Z"));
        let (name, text) = snapshot(t, ok(good));
        files.push((format!("old/{name}"), text));
        t += chrono::TimeDelta::hours(1);
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = imported(&refs, NOW);
    let r = run(&["build"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = read(dir.path().join("site/availability/index.html"));
    let forge =
        &page[page.find("<h2 id=\"service-forge\"").unwrap()..page.find("</article>").unwrap()];
    insta::assert_snapshot!("months_with_windows", forge);
}

/// Every mistake in a window is an error at its line and column, saying what to write,
/// with "did you mean" for a zone or a weekday (the whole stderr, reviewed).
#[test]
fn mistakes_in_windows_are_errors_at_their_positions() {
    let topology = fleet(
        "      - daily 03:00-03:20 Europe/Berlni\n      - sundy 02:00-04:00 UTC\n      - daily 25:00-03:00\n      - start: 2026-05-02T22:00:00Z\n        end: 2026-05-02T21:00:00Z\n      - start: 2026-05-03 22:00\n        duration: 1h\n      - start: \"03:00\"\n        duration: 20m\n        every: [Mondya]\n        timezone: europe/berlin\n",
    ) + "  backup:\n    host: alpha\n    kind: timer\n    schedule: daily\n    stops: [forgee]\n    stops_for: 20m\n  sync:\n    host: alpha\n    kind: timer\n    schedule: \"*-*-01 03:00\"\n    stops: [forge]\n    stops_for: 5m\n";
    let dir = project(&[
        ("content/fleet.yaml", &topology),
        ("content/index.md", "# Home\n"),
    ]);
    let r = run(&["check"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!("window_errors", r.stderr);
}

/// The public profile lists the windows of public services, without naming the host or
/// the backup job they come from.
#[test]
fn the_public_profile_shows_windows_of_public_services_only() {
    let topology = "\
hosts:
  alpha:
    address: 203.0.113.10
    maintenance: sun 02:00-02:30 UTC
services:
  traefik:
    host: alpha
    kind: docker
    ingress: true
  forge:
    host: alpha
    kind: docker
    public: forge.example.com
  postgres:
    host: alpha
    kind: docker
    port: 5432
    maintenance:
      - start: 2026-04-06T08:00:00Z
        duration: 2h
        note: vacuum full
  backup:
    name: restic backup
    host: alpha
    kind: timer
    schedule: daily
    stops: [forge, postgres]
    stops_for: 20m
";
    let mut files = vec![
        ("content/fleet.yaml".to_string(), topology.to_string()),
        ("fleetdoc.yaml".into(), "title: Docs\nslo: 99.9\n".into()),
        (
            "content/home.md".into(),
            "---\ntitle: Home\nclassification: public\n---\n\n# Home\n\n```fleet\ntable: status\ncolumns: [service, status]\n```\n".into(),
        ),
    ];
    for h in 0..9 {
        let at = parse("2026-04-06T00:00:00Z") + chrono::TimeDelta::hours(h);
        let (name, text) = snapshot(at, ok(true));
        files.push((format!("content/probes/{name}"), text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = project(&refs);
    let r = run(&["build"], dir.path(), &[("SOURCE_DATE_EPOCH", NOW)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let internal = read(dir.path().join("site/availability/index.html"));
    assert!(internal.contains("backup job restic backup"), "{internal}");
    let home = read(dir.path().join("site/home/index.html"));
    assert!(home.contains("maintenance until 10:00 UTC"), "{home}");
    let to = tempfile::tempdir().unwrap();
    let r = run(
        &["publish", "--to", to.path().to_str().unwrap()],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let page = walkdir::WalkDir::new(to.path())
        .into_iter()
        .flatten()
        .find(|e| e.path().ends_with("availability/index.html"))
        .expect("availability page published");
    let page = read(page.path());
    let forge = &page[page.find("<h2 id=\"service-forge\"").unwrap()..];
    let april = &forge[forge.find("<time datetime=\"2026-04\">").unwrap()..];
    let april = &april[..april.find("</tr>").unwrap()];
    insta::assert_snapshot!("public_windows", april);
    assert!(!page.contains("service-postgres"), "{page}");
    // The status table names the public service's next window, not the internal one's.
    let home = walkdir::WalkDir::new(to.path())
        .into_iter()
        .flatten()
        .find(|e| e.path().ends_with("home/index.html"))
        .expect("home page published");
    let home = read(home.path());
    assert!(
        home.contains("<span class=\"window-note\">maintenance 2026-04-07 00:00-00:20 UTC</span>"),
        "{home}"
    );
    assert!(!home.contains("maintenance until 10:00 UTC"), "{home}");
    assert!(!page.contains("restic"), "{page}");
}

/// A host's window covers its services; on a replicated service only the checks taken on
/// that host.
#[test]
fn a_host_window_covers_a_replicated_service_only_on_that_host() {
    let topology = "\
hosts:
  alpha:
    address: 203.0.113.10
    maintenance: daily 08:00-09:30 UTC
  gamma:
    address: 198.51.100.30
services:
  traefik:
    host: [alpha, gamma]
    kind: docker
    ingress: true
";
    let snapshot = "{\"taken_at\": \"2026-04-06T08:30:00Z\", \"probe\": \"board\", \"results\": [\
        {\"check\": \"docker\", \"host\": \"alpha\", \"target\": \"traefik\", \"ok\": false, \"state\": \"exited\"},\
        {\"check\": \"docker\", \"host\": \"gamma\", \"target\": \"traefik\", \"ok\": false, \"state\": \"exited\"}]}";
    let dir = project(&[
        ("content/fleet.yaml", topology),
        (
            "content/status.md",
            "# Home\n\n```fleet\ntable: status\ncolumns: [service, host, status]\n```\n",
        ),
        ("content/probes/one.json", snapshot),
    ]);
    insta::assert_snapshot!("host_window_status", status_table(dir.path(), NOW));
}

/// `fleetdoc changes` names a window added to a service and a backup job that starts
/// stopping one (commit hashes left out: they depend on the git version's defaults).
#[test]
fn changes_name_windows_and_stops_added_to_the_topology() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    let repo = support::git::Repo::init(&dir);
    let v1 = fleet("      []\n")
        + "  backup:\n    host: alpha\n    kind: timer\n    schedule: \"Sun 02:00\"\n";
    let v2 = v1.replace("      []\n", "      - daily 03:00-03:20 UTC\n")
        + "    stops: [forge]\n    stops_for: 30m\n";
    repo.commit(
        "2026-03-01T10:00:00Z",
        "Describe the fleet",
        &[("content/fleet.yaml", Some(&v1))],
    );
    repo.commit(
        "2026-03-02T10:00:00Z",
        "Plan the nightly windows",
        &[("content/fleet.yaml", Some(&v2))],
    );
    let r = run(&["changes"], &dir, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text: Vec<&str> = r
        .stdout
        .lines()
        .map(|l| match l.starts_with(' ') {
            true => l,
            false => l.get(8..).unwrap_or(l),
        })
        .collect();
    insta::assert_snapshot!("changes_with_windows", text.join("\n"));
}
