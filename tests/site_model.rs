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

/// Every relative link and image destination in the Markdown files below `dir`, with the
/// file that holds it, that does not resolve to a file in `dir`.
fn broken_export_links(dir: &std::path::Path) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut broken = Vec::new();
    for (rel, bytes) in tree(dir) {
        if !rel.ends_with(".md") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        let base = std::path::Path::new(&rel).parent().unwrap().to_path_buf();
        for ev in Parser::new_ext(&text, pulldown_cmark::Options::all()) {
            let dest = match ev {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => dest_url,
                _ => continue,
            };
            let path = dest.split('#').next().unwrap_or_default();
            if path.is_empty() || path.contains("://") || path.starts_with("mailto:") {
                continue;
            }
            let target = dir.join(&base).join(path);
            if !target.is_file() {
                broken.push(format!("{rel}: {dest}"));
            }
        }
    }
    broken
}

#[test]
fn export_of_the_example_writes_every_image_and_file_its_links_need() {
    let out = tempfile::tempdir().unwrap();
    let r = run(
        &["export", "--out", out.path().to_str().unwrap()],
        &repo(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let broken = broken_export_links(out.path());
    assert!(
        broken.is_empty(),
        "links that point nowhere in the export: {broken:#?}"
    );
    // Nested pages get their images too (the defect: only top-level pages did).
    assert!(out.path().join("diagrams/layers-alpha.png").is_file());
}

#[test]
fn export_turns_links_to_generated_pages_into_text_with_a_warning() {
    let page = "# Ops\n\nSee the [fleet overview](../fleet/) and [alpha](../hosts/alpha/), and ![map](../diagrams/topology.svg) and ![pic](img/a.png).\n";
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/runbooks/ops.md", page),
        ("content/runbooks/img/a.png", "not really a png"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let r = run(
        &["export", "--out", out.path().to_str().unwrap()],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        problems(&r),
        [
            "content/runbooks/ops.md:3:9: warning: the Markdown export has no fleet overview or host pages: this link is exported as its text",
            "content/runbooks/ops.md:3:41: warning: the Markdown export has no fleet overview or host pages: this link is exported as its text",
        ],
        "{}",
        r.stderr
    );
    let md = read(out.path().join("runbooks/ops.md"));
    assert!(
        md.contains("See the fleet overview and alpha, and ![map](../diagrams/topology.svg) and ![pic](img/a.png)."),
        "{md}"
    );
    assert!(
        broken_export_links(out.path()).is_empty(),
        "{:?}",
        broken_export_links(out.path())
    );
}
