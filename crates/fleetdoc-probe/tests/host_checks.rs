//! systemd and docker checks use the machine's own `systemctl` and `docker`. Whatever the
//! machine lacks (the program, a running systemd, a docker daemon), the result must say so
//! and the run must go on.

use std::time::Duration;

use fleetdoc_probe::{run, Check, CheckKind, Options, Programs, Target};

fn targets() -> Vec<Target> {
    vec![
        Target {
            check: Check::Systemd {
                unit: "fleetdoc-no-such-unit.service".to_string(),
            },
            host: Some("alpha".to_string()),
        },
        Target {
            check: Check::Docker {
                container: "fleetdoc-no-such-container".to_string(),
            },
            host: Some("beta".to_string()),
        },
    ]
}

fn options(programs: Programs) -> Options {
    Options {
        timeout: Duration::from_secs(20),
        programs,
        ..Options::default()
    }
}

#[test]
fn missing_programs_give_not_available_results() {
    let dir = tempfile::tempdir().expect("temp dir");
    let programs = Programs {
        systemctl: dir.path().join("systemctl"),
        docker: dir.path().join("docker"),
    };
    let snap = run(&targets(), &options(programs));
    let systemd = &snap.results[0];
    assert_eq!(systemd.check, CheckKind::Systemd);
    assert_eq!(systemd.host.as_deref(), Some("alpha"));
    assert!(!systemd.ok);
    assert_eq!(
        systemd.error.as_deref(),
        Some("systemctl not available: not installed")
    );
    let docker = &snap.results[1];
    assert_eq!(docker.check, CheckKind::Docker);
    assert_eq!(docker.host.as_deref(), Some("beta"));
    assert!(!docker.ok);
    assert_eq!(
        docker.error.as_deref(),
        Some("docker not available: not installed")
    );
}

#[test]
fn this_machines_tools_report_an_unknown_unit_and_container_as_down() {
    let snap = run(&targets(), &options(Programs::default()));
    let systemd = &snap.results[0];
    assert!(!systemd.ok, "{systemd:?}");
    let unavailable = systemd
        .error
        .as_deref()
        .is_some_and(|e| e.starts_with("systemctl not available: "));
    let inactive = systemd.state.as_deref() == Some("inactive");
    assert!(unavailable || inactive, "{systemd:?}");

    let docker = &snap.results[1];
    assert!(!docker.ok, "{docker:?}");
    let error = docker.error.as_deref().unwrap_or_default();
    assert!(
        error == "no such container" || error.starts_with("docker not available: "),
        "{docker:?}"
    );
    for r in &snap.results {
        let e = r.error.as_deref().unwrap_or_default();
        assert!(!e.chars().any(char::is_control), "{e:?}");
    }
}

#[test]
fn option_like_names_are_not_taken_as_options() {
    let targets = vec![Target {
        check: Check::Systemd {
            unit: "--version".to_string(),
        },
        host: None,
    }];
    let snap = run(&targets, &options(Programs::default()));
    let r = &snap.results[0];
    // `systemctl --version` would print a version and exit 0.
    assert!(!r.ok, "{r:?}");
    assert!(
        r.state
            .as_deref()
            .is_none_or(|s| !s.starts_with("systemd ")),
        "{r:?}"
    );
}
