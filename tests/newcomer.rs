//! The mistakes a newcomer makes, each named for the defect it pins down and each failing on
//! the code before its fix: every one gives one positioned error that says what to do, never
//! a green build of a site that misleads. Errors are compared whole (every line of stderr).

mod support;
use support::*;

/// stderr without the trailing count line, for whole-output comparisons.
fn problems(r: &Run) -> Vec<String> {
    r.stderr
        .lines()
        .filter(|l| !l.starts_with("fleetdoc: "))
        .map(str::to_string)
        .collect()
}

/// An empty `content/fleet.yaml` built green, and the fleet page then said "No single points
/// of failure"; a topology cut short after its hosts did the same.
#[test]
fn an_empty_or_truncated_topology_is_an_error_not_a_green_all_clear() {
    let cut = FLEET.split("services:").next().unwrap().to_string();
    for (fleet, want) in [
        ("", "content/fleet.yaml:1:1: error: the topology declares no hosts: is the file empty or cut short? Describe the fleet under `hosts:` and `services:` (see `fleetdoc init`)"),
        ("fleet:\n  name: Test Fleet\n", "content/fleet.yaml:1:1: error: the topology declares no hosts: is the file empty or cut short? Describe the fleet under `hosts:` and `services:` (see `fleetdoc init`)"),
        (&cut, "content/fleet.yaml:1:1: error: the topology declares hosts but no services: is the file cut short? List what runs under `services:`"),
    ] {
        let dir = project(&[("content/fleet.yaml", fleet), ("content/ops.md", PAGE)]);
        let r = run(&["build"], dir.path(), &[]);
        assert_eq!(r.code, 1, "{fleet:?}: {}", r.stderr);
        assert_eq!(problems(&r), [want], "{fleet:?}: {}", r.stderr);
        assert!(!dir.path().join("site").exists());
    }
}

/// `init`'s starter page was dated 2026-01-15 with a review on 2026-04-15, so the first build
/// of a new project flagged it "review overdue"; its settings kept `docs.example.com` as the
/// site's URL, so the sitemap and canonical links pointed at someone else's site.
#[test]
fn the_starter_project_is_not_overdue_on_its_first_build_and_borrows_no_url() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run(&["init", "docs"], tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dir = tmp.path().join("docs");
    let r = run(&["build"], &dir, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = read(dir.join("site/runbooks/operations/index.html"));
    assert!(!page.contains("review overdue"), "{page}");
    for (rel, bytes) in tree(&dir.join("site")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("https://docs.example.com"), "{rel}");
    }
    let settings = read(dir.join("fleetdoc.yaml"));
    assert!(
        settings
            .contains("# url: https://docs.example.com   # set this to where the site is served"),
        "{settings}"
    );
}

/// `serve` printed "serving ... at http://127.0.0.1:P/" and only then failed on the busy port.
#[test]
fn serve_on_a_busy_port_fails_without_saying_serving() {
    let dir = built(
        &[("content/fleet.yaml", FLEET), ("content/ops.md", PAGE)],
        "1780000000",
    );
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let r = run(&["serve", "--port", &port], dir.path(), &[]);
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("serving"), "{}", r.stderr);
    assert!(r.stderr.contains(&port), "{}", r.stderr);
}

/// `check --strict` printed "0 errors, 1 warning" and exited 1 without saying why.
#[test]
fn check_strict_says_that_warnings_count_as_errors() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", PAGE),
        ("content/probes/bad.json", "{"),
    ]);
    let r = run(&["check", "--strict"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .ends_with("check failed: --strict counts the warning as errors\n"),
        "{}",
        r.stderr
    );
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// `build` in a folder without `content/` gave two errors and "the previous site was left as
/// it was" when there was no previous site.
#[test]
fn a_missing_content_folder_is_one_error_and_no_word_of_a_previous_site() {
    let dir = project(&[("fleetdoc.yaml", "title: Docs\n")]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let errors: Vec<_> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(
        errors,
        ["content:1:1: error: no content/ folder in .; run `fleetdoc init DIR` to start a project"],
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.ends_with("fleetdoc: build failed\n"),
        "{}",
        r.stderr
    );
}

/// Every generated service link (`hosts/X/#service-Y`, in tables and inline SVG) pointed at
/// an anchor that did not exist, and the link check skipped `service-*`, so an author's typo
/// passed too; a Markdown link to a host that does not exist built with exit 0 and no message.
#[test]
fn service_anchors_exist_and_links_to_missing_hosts_or_anchors_are_errors() {
    let page = "# Ops\n\nSee [the forge](hosts/alpha/#service-forge), [its status](hosts/alpha/#status),\n\
                [a typo](hosts/alpha/#service-froge) and [a host that is gone](hosts/gamma/).\n";
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/ops.md", page)]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        problems(&r),
        [
            "content/ops.md:4:1: error: link to `hosts/alpha/#service-froge`, but the page of host `alpha` has no anchor `#service-froge` (its services are `#service-<id>`); did you mean `service-forge`?",
            "content/ops.md:4:42: error: link to `hosts/gamma/`, but no host `gamma` is declared in the topology",
        ],
        "{}",
        r.stderr
    );
    let fixed = page
        .replace("#service-froge", "#service-forge")
        .replace("[a host that is gone](hosts/gamma/)", "[beta](hosts/beta/)");
    std::fs::write(dir.path().join("content/ops.md"), fixed).unwrap();
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Every service link the site generates lands on a row that carries its id.
    let site = dir.path().join("site");
    let alpha = read(site.join("hosts/alpha/index.html"));
    for id in ["service-traefik", "service-forge"] {
        assert!(
            alpha.contains(&format!("<tr id=\"{id}\">")),
            "{id} missing on alpha's page"
        );
    }
    let beta = read(site.join("hosts/beta/index.html"));
    assert!(beta.contains("<tr id=\"service-agent\">"));
    for file in walkdir::WalkDir::new(&site).into_iter().flatten() {
        if file.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = read(file.path());
        for part in html.split("hosts/").skip(1) {
            let Some((host, rest)) = part.split_once("/#service-") else {
                continue;
            };
            if host.contains(['"', '<', ' ']) {
                continue;
            }
            let id: String = rest.chars().take_while(|c| *c != '"').collect();
            let page = read(site.join(format!("hosts/{host}/index.html")));
            assert!(
                page.contains(&format!("id=\"service-{id}\"")),
                "{}: link to hosts/{host}/#service-{id} has no anchor",
                file.path().display()
            );
        }
    }
}

/// A missing image was a warning and the page shipped a broken `<img>`.
#[test]
fn a_missing_image_is_an_error_not_a_broken_picture() {
    let page = "# Ops\n\n![the rack](rack.png)\n";
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", page),
        ("content/rack.jpg", "not really a picture"),
    ]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        problems(&r),
        ["content/ops.md:3:1: error: image `rack.png`, but there is no file content/rack.png; did you mean `rack.jpg`?"],
        "{}",
        r.stderr
    );
}
