//! Incident notes (`content/incidents/*.md`): positioned errors for unknown services and
//! impossible times (the whole stderr, reviewed), and the public profile's incidents. The
//! incidents page, banner, rows and feed of a whole site are in `site_snapshot.rs`; the
//! feed read by feedparser and the page checked by vnu and axe in `clients.rs` and
//! `browser.rs`.

mod support;
use support::*;

const FLEET: &str = "\
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
  postgres:
    host: alpha
    kind: docker
    port: 5432
";

/// A project that kept its post-mortems as pages in `content/incidents/` (as the benchmark
/// corpus does) had every one of them read as an incident note once notes existed: a dozen
/// errors each and a build that failed, and pages in its subfolders silently gone. A file
/// there is a note only when its front matter says when it started or how bad it was.
#[test]
fn pages_kept_in_content_incidents_stay_pages() {
    let page = "---\ntitle: Disk full on alpha\nupdated: 2026-03-01\ntags: [postmortem]\n---\n\n## Symptoms\n\nWrites failed.\n";
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/index.md", "# Home\n"),
        ("content/incidents/disk-full.md", page),
        ("content/incidents/2025/old-outage.md", page),
        (
            "content/incidents/2026-04-02-forge.md",
            "---\ntitle: Slow pushes\nservices: [forge]\nstarted: 2026-04-02T10:00:00Z\nresolved: 2026-04-02T12:00:00Z\nseverity: minor\n---\n\nFine.\n",
        ),
    ]);
    let r = run(
        &["build", "--root", dir.path().to_str().unwrap()],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", "1775466000")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("site");
    assert!(site.join("incidents/disk-full/index.html").is_file());
    assert!(site.join("incidents/2025/old-outage/index.html").is_file());
    let notes = read(site.join("incidents.xml"));
    assert!(
        notes.contains("Slow pushes") && !notes.contains("Disk full"),
        "{notes}"
    );
}

#[test]
fn unknown_services_and_impossible_times_are_errors_at_their_positions() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/index.md", "# Home\n"),
        (
            "content/incidents/2026-04-01-typo.md",
            "---\ntitle: Forge down\nservices: [forge, postgress, mystery]\nstarted: 2026-04-01T10:00:00Z\nresolved: 2026-04-01T09:00:00Z\nseverity: majr\n---\n\nSummary.\n",
        ),
        (
            "content/incidents/2026-04-02-updates.md",
            "---\ntitle: Slow pushes\nservices: [forge]\nstarted: 2026-04-02T10:00:00Z\nresolved: 2026-04-02T12:00:00Z\nseverity: minor\n---\n\n## 2026-04-02T09:30:00Z Investigating\n\nToo early.\n\n## 2026-04-02T11:00:00Z Identified\n\nFine.\n\n## 2026-04-02 12:30Z Resolved\n\nToo late.\n\n## Monitoring\n\nNo time.\n",
        ),
        (
            "content/incidents/2026-04-03-front.md",
            "---\ntitle: Bad times\nservices: forge\nstarted: yesterday\nseverity: critical\nowner: ops\n---\n",
        ),
        (
            "content/incidents/2026-04-04-none.md",
            "No front matter here.\n",
        ),
    ]);
    let r = run(
        &["check", "--root", dir.path().to_str().unwrap()],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", "1775466000")],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!("incident_errors", r.stderr);
}

#[test]
fn a_valid_incident_checks_clean_and_is_not_a_page() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/index.md", "# Home\n"),
        (
            "content/incidents/2026-03-31-disk.md",
            "---\ntitle: Disk full\nservices: [forge, postgres]\nstarted: 2026-03-31T22:30:00Z\nresolved: 2026-04-01T01:15:00+00:00\nseverity: major\n---\n\nWrites failed.\n\n## 2026-03-31T22:40:00Z Investigating\n\nLooking.\n",
        ),
    ]);
    let out = dir.path().join("site");
    let r = run(
        &[
            "build",
            "--root",
            dir.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", "1775466000")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert!(out.join("incidents/index.html").is_file());
    assert!(out.join("incidents.xml").is_file());
    // The note is an incident, not a page of its own.
    assert!(!out.join("incidents/2026-03-31-disk").exists());
}

/// The public profile shows the incidents of public services only, naming only those, with
/// host addresses redacted.
#[test]
fn the_public_profile_shows_incidents_of_public_services_only() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        (
            "content/index.md",
            "---\ntitle: Home\nclassification: public\n---\n\n# Home\n",
        ),
        (
            "content/incidents/2026-03-31-disk.md",
            "---\ntitle: Disk full on 203.0.113.10\nservices: [forge, postgres]\nstarted: 2026-03-31T22:30:00Z\nresolved: 2026-04-01T01:15:00Z\nseverity: major\n---\n\nWrites failed on 203.0.113.10.\n",
        ),
        (
            "content/incidents/2026-04-02-db.md",
            "---\ntitle: Internal database restart\nservices: [postgres]\nstarted: 2026-04-02T10:00:00Z\nseverity: minor\n---\n\nOnly internal.\n",
        ),
    ]);
    let to = tempfile::tempdir().unwrap();
    let r = run(
        &[
            "publish",
            "--root",
            dir.path().to_str().unwrap(),
            "--to",
            to.path().to_str().unwrap(),
        ],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", "1775466000")],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let current = walkdir::WalkDir::new(to.path())
        .into_iter()
        .flatten()
        .find(|e| e.file_name() == "incidents.xml")
        .expect("incidents.xml published")
        .path()
        .parent()
        .unwrap()
        .to_path_buf();
    let page = read(current.join("incidents/index.html"));
    let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
    insta::assert_snapshot!("public_incidents", main);
    let feed = read(current.join("incidents.xml"));
    assert!(!feed.contains("Internal database"), "{feed}");
    assert!(!feed.contains("203.0.113.10"), "{feed}");
}
