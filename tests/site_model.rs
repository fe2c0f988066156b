//! Regression tests for issue 13 ("one validated site model"): each is named for the defect
//! it pins down, and each failed on the code before its fix. Errors are compared whole (every
//! line of stderr), so a false follow-up error fails the test as surely as a missing one.

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

#[test]
fn misspelt_address_key_is_one_error_with_a_suggestion_and_no_false_missing_host() {
    let fleet = FLEET.replace("    address: 203.0.113.10\n", "    adress: 203.0.113.10\n");
    let dir = project(&[("content/fleet.yaml", &fleet), ("content/ops.md", PAGE)]);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        problems(&r),
        ["content/fleet.yaml:5:5: error: unknown key `adress` in host `alpha`; did you mean `address`? (`address` is required)"],
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.ends_with("fleetdoc: 1 error, 0 warnings\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_host_address_does_not_make_references_to_the_host_fail() {
    let fleet = FLEET.replace("203.0.113.10", "203.0.113.300");
    let page = "# Ops\n\n```fleet\ntable: services\nhost: alpha\n```\n";
    let dir = project(&[("content/fleet.yaml", &fleet), ("content/ops.md", page)]);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        problems(&r),
        ["content/fleet.yaml:5:14: error: `203.0.113.300` is not a valid IP address"],
        "{}",
        r.stderr
    );
}

#[test]
fn a_yaml_syntax_error_in_the_topology_adds_no_error_per_fleet_block() {
    let fleet = format!("{FLEET}  - from: [agent\n");
    let page = "# Ops\n\n```fleet\ntable: services\nhost: alpha\n```\n\n```fleet\ndiagram: host\nhost: beta\n```\n";
    let dir = project(&[("content/fleet.yaml", &fleet), ("content/ops.md", page)]);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines = problems(&r);
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(
        lines[0].starts_with("content/fleet.yaml:") && lines[0].contains("YAML syntax error"),
        "{}",
        r.stderr
    );
}
