//! Problems with the `serve` settings are reported where they are written in
//! `fleetdoc.yaml` (the value, or the `serve:` key when a setting is missing), never at the
//! top of the file.

mod support;
use support::*;

const PAGE_INTERNAL: &str = "---\ntitle: Ops\n---\n\nInternal notes.\n";

fn traefik(settings: &str) -> Run {
    let dir = project(&[
        ("fleetdoc.yaml", settings),
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", PAGE_INTERNAL),
    ]);
    run(&["traefik"], dir.path(), &[])
}

#[test]
fn serve_hostname_problems_are_reported_at_the_key_not_at_the_top_of_the_file() {
    let settings = "title: Ops Docs\nserve:\n  port: 8090\n  hostname: \"*.example.com\"\n  internal_allow: [10.0.0.0/8]\n";
    let r = traefik(settings);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "fleetdoc.yaml:4:13: error: `hostname` of `serve` must be a host name like docs.example.com (letters, digits, `-` and `.`; no wildcard, no port), found `*.example.com`\n\
         fleetdoc: 1 error, 0 warnings\n"
    );
    // `check` finds it too: a setting is checked where it is read.
    let dir = project(&[
        ("fleetdoc.yaml", settings),
        ("content/ops.md", PAGE_INTERNAL),
    ]);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("\nfleetdoc.yaml:4:13: error: `hostname` of `serve`"),
        "{}",
        r.stderr
    );

    // A missing hostname is reported at the `serve:` key.
    let r = traefik("title: Ops Docs\nserve:\n  port: 8090\n  internal_allow: [10.0.0.0/8]\n");
    assert_eq!(
        r.stderr,
        "fleetdoc.yaml:2:1: error: set serve.hostname in fleetdoc.yaml (the name the site is reached at, e.g. docs.example.com)\n\
         fleetdoc: 1 error, 0 warnings\n"
    );
}

#[test]
fn internal_allow_problems_are_reported_at_the_key_not_at_the_top_of_the_file() {
    let r =
        traefik("title: Ops Docs\nserve:\n  hostname: docs.example.com\n  internal_allow: []\n");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "fleetdoc.yaml:4:19: error: the site has pages that are not public, but serve.internal_allow is empty: list the address ranges that may see them in fleetdoc.yaml, e.g. internal_allow: [10.0.0.0/8]\n\
         fleetdoc: 1 error, 0 warnings\n"
    );
    let r = traefik("title: Ops Docs\nserve:\n  hostname: docs.example.com\n  internal_allow: [10.0.0.0/8, 10.1.2.300/8]\n");
    assert_eq!(
        r.stderr,
        "fleetdoc.yaml:4:32: error: `10.1.2.300/8` is not an address range like `10.0.0.0/8`\n\
         fleetdoc: 1 error, 0 warnings\n"
    );
}
