//! The topology's `layout` hints: a number of host columns, hosts drawn first, hosts
//! pinned to a column. Valid hints shape the fleet diagram; a hint naming a host that does
//! not exist (say, after a rename) or a bad column is an error at its own line.

mod support;
use support::*;

const PAGE: &str =
    "---\ntitle: Map\nkind: explainer\n---\n\n## Fleet\n\n```fleet\ndiagram: topology\n```\n";

/// The left edge of each host box in the topology SVG, by host id.
fn host_xs(svg: &str) -> Vec<(String, f32, f32)> {
    let mut v = Vec::new();
    let mut rest = svg;
    while let Some(at) = rest.find("<g class=\"host\" data-id=\"") {
        rest = &rest[at + 25..];
        let id = rest[..rest.find('"').unwrap()].to_string();
        let r = &rest[rest.find("<rect").unwrap()..];
        let num = |k: &str| -> f32 {
            let s = &r[r.find(k).unwrap() + k.len()..];
            s[..s.find('"').unwrap()].parse().unwrap()
        };
        v.push((id, num(" x=\""), num(" y=\"")));
    }
    v
}

fn topology(fleet: &str) -> (Run, Option<String>) {
    let dir = project(&[("content/fleet.yaml", fleet), ("content/map.md", PAGE)]);
    let out = dir.path().join("site");
    let r = run(&["build", "--out", out.to_str().unwrap()], dir.path(), &[]);
    let svg = std::fs::read_to_string(out.join("diagrams/topology.svg")).ok();
    (r, svg)
}

#[test]
fn layout_hints_order_hosts_and_set_columns() {
    let plain = topology(FLEET).1.expect("topology drawn");
    let xs = host_xs(&plain);
    assert_eq!(xs.len(), 2, "{xs:?}");
    let hinted = format!("{FLEET}layout:\n  columns: 1\n  order: [beta]\n");
    let (r, svg) = topology(&hinted);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let xs = host_xs(&svg.expect("topology drawn"));
    let (beta, alpha) = (
        xs.iter().find(|h| h.0 == "beta").unwrap(),
        xs.iter().find(|h| h.0 == "alpha").unwrap(),
    );
    assert_eq!(beta.1, alpha.1, "one column: {xs:?}");
    assert!(beta.2 < alpha.2, "beta first: {xs:?}");
    let pinned = format!("{FLEET}layout:\n  columns: 2\n  pin:\n    alpha: 2\n");
    let (r, svg) = topology(&pinned);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let xs = host_xs(&svg.expect("topology drawn"));
    let (beta, alpha) = (
        xs.iter().find(|h| h.0 == "beta").unwrap(),
        xs.iter().find(|h| h.0 == "alpha").unwrap(),
    );
    assert!(
        alpha.1 > beta.1,
        "alpha pinned to the second column: {xs:?}"
    );
}

#[test]
fn layout_hints_naming_missing_hosts_or_bad_columns_are_errors_at_their_line() {
    let bad = format!(
        "{FLEET}layout:\n  columns: 0\n  order: [alpah]\n  pin:\n    gone: 2\n    beta: first\n  colums: 3\n"
    );
    let (r, _) = topology(&bad);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    let expect = [
        "content/fleet.yaml:32:12: error: `columns` must be a whole number from 1 to 64, found `0`",
        "content/fleet.yaml:33:11: error: `order` of `layout` names `alpah`, but there is no host `alpah`; fix the id or remove it from the layout; did you mean `alpha`?",
        "content/fleet.yaml:35:5: error: `pin` of `layout` names `gone`, but there is no host `gone`; fix the id or remove it from the layout",
        "content/fleet.yaml:36:11: error: the column of `beta` in `pin` must be a column number from 1 to 64, found `first`",
        "content/fleet.yaml:37:3: error: unknown key `colums` in `layout`; did you mean `columns`?",
    ];
    for e in expect {
        assert!(
            errors.iter().any(|l| l.contains(e)),
            "missing {e:?} in:\n{}",
            r.stderr
        );
    }
    assert_eq!(
        errors.len(),
        expect.len(),
        "one error per cause:\n{}",
        r.stderr
    );
}
