//! The foundation, end to end: the real binary on real project folders.

mod support;
use support::*;

/// Find the 1-based line and column of `needle` in `text`.
fn line_col(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"));
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
    (line, col)
}

#[test]
fn example_site_builds_from_the_repository_content() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let r = run(
        &[
            "build",
            "--root",
            repo().to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
        ],
        &repo(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for p in [
        "index.html",
        "fleet/index.html",
        "hosts/alpha/index.html",
        "runbooks/fleet-topology/index.html",
        "explainers/vps-architecture/index.html",
        "sitemap.xml",
        "feed.xml",
        "404.html",
        "assets/style.css",
        "diagrams/topology.svg",
        "diagrams/topology.png",
        "diagrams/host-gamma.svg",
        "diagrams/host-gamma.png",
        "diagrams/poster-explainers-vps-architecture.svg",
        "diagrams/poster-explainers-vps-architecture.png",
    ] {
        assert!(site.join(p).is_file(), "missing {p}");
    }
    // Diagrams carry the contract markings, inline on the pages that show them.
    let host = read(site.join("hosts/gamma/index.html"));
    assert!(
        host.contains("<g class=\"host\" data-id=\"gamma\"")
            && host.contains("data-id=\"operator-ui\""),
        "host diagram markings missing"
    );
    let png = std::fs::read(site.join("diagrams/topology.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    // The explainer shows its poster and uses it as its card image.
    let explainer = read(site.join("explainers/vps-architecture/index.html"));
    assert!(
        explainer.contains("diagrams/poster-explainers-vps-architecture.png")
            && explainer.contains("og:image")
    );
    // The fleet topology runbook holds the generated tables, with data from content/fleet.yaml.
    let page = read(site.join("runbooks/fleet-topology/index.html"));
    for class in [
        "table-hosts",
        "table-links",
        "table-redundancy",
        "table-contacts",
    ] {
        assert!(page.contains(class), "runbook lacks {class}");
    }
    assert!(
        page.contains("203.0.113.20"),
        "hosts table lacks beta's address"
    );
    assert!(page.contains("HTTPS/API"), "links table lacks a protocol");
    assert!(
        page.contains("serves public hostname forge.example.com"),
        "redundancy reason missing"
    );
    assert!(
        page.contains("Forge repositories + .env files"),
        "contacts lack the rebuild source"
    );
    // `check --strict` passes on the example. It is checked on a copy outside git: in the
    // repository its result would depend on how the checkout was cloned (a shallow clone is
    // a warning) and on the repository's own history (runbook freshness).
    let copy = tempfile::tempdir().expect("temp dir");
    for part in ["fleetdoc.yaml", "content", "templates", "assets"] {
        copy_tree(&repo().join(part), &copy.path().join(part));
    }
    let r = run(
        &["check", "--strict", "--root", copy.path().to_str().unwrap()],
        copy.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Copies a file, or a folder with everything in it.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read dir").flatten() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else if from.is_file() {
        std::fs::copy(from, to).expect("copy");
    }
}

#[test]
fn misspelt_host_reference_points_at_the_value_with_a_suggestion() {
    let fleet = FLEET.replace("  agent:\n    host: beta", "  agent:\n    host: alpah");
    let dir = project(&[("content/fleet.yaml", &fleet), ("content/ops.md", PAGE)]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 1);
    let (l, c) = line_col(&fleet, "alpah");
    let expected = format!("content/fleet.yaml:{l}:{c}: error: ");
    let line = r
        .stderr
        .lines()
        .find(|x| x.starts_with(&expected))
        .unwrap_or_else(|| panic!("no {expected} in\n{}", r.stderr));
    assert!(
        line.contains("`alpah`") && line.ends_with("did you mean `alpha`?"),
        "{line}"
    );
    assert!(
        !dir.path().join("site").exists(),
        "a failed build wrote a site"
    );
}

/// Each broken topology gives an error at the offending value's own position.
#[test]
fn every_topology_rule_is_reported_at_its_value() {
    let cases: Vec<(String, &str, &str)> = vec![
        (
            FLEET.replace("    to: forge\n", "    to: froge\n"),
            "froge",
            "did you mean `forge`?",
        ),
        (
            FLEET.replace("port: 3000", "port: 70000"),
            "70000",
            "from 1 to 65535",
        ),
        (
            FLEET.replace("203.0.113.20", "203.0.113.300"),
            "203.0.113.300",
            "not a valid IP address",
        ),
        (
            FLEET.replace(
                "  agent:\n    host: beta\n",
                "  agent:\n    host: alpha\n    public: forge.example.com\n",
            ),
            "forge.example.com\n",
            "already routed",
        ),
        (
            FLEET.replace(
                "  agent:\n    host: beta\n",
                "  agent:\n    host: beta\n    public: agent.example.com\n",
            ),
            "agent.example.com",
            "needs an ingress on host `beta`",
        ),
        (
            FLEET.replace("    role: Testbed", "    rol: Testbed"),
            "rol:",
            "did you mean `role`?",
        ),
        (
            FLEET.replace("    kind: process", "    kind: proces"),
            "proces",
            "did you mean `process`?",
        ),
        (
            FLEET.replace("  beta:\n", "  Beta:\n"),
            "Beta",
            "not a valid id",
        ),
    ];
    for (fleet, needle, msg) in cases {
        let dir = project(&[("content/fleet.yaml", &fleet)]);
        let r = run(&["check"], dir.path(), &[]);
        assert_eq!(r.code, 1, "{needle}: {}", r.stderr);
        // The last occurrence is the offending one for the duplicate-hostname case.
        // The duplicate hostname is reported at the second declaration's value.
        let at = if needle == "forge.example.com\n" {
            fleet.find("alpha\n    public: forge").unwrap() + "alpha\n    public: ".len()
        } else {
            fleet.find(needle).unwrap()
        };
        let line = fleet[..at].matches('\n').count() + 1;
        let col = at - fleet[..at].rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
        let prefix = format!("content/fleet.yaml:{line}:{col}: error: ");
        assert!(
            r.stderr
                .lines()
                .any(|x| x.starts_with(&prefix) && x.contains(msg)),
            "expected `{prefix}...{msg}` in\n{}",
            r.stderr
        );
    }
}

#[test]
fn yaml_syntax_errors_and_anchors_are_positioned() {
    let dir = project(&[(
        "content/fleet.yaml",
        "hosts:\n  alpha:\n    address: [203.0.113.10\n",
    )]);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.lines().any(|l| l.starts_with("content/fleet.yaml:") && l.contains("error: YAML syntax error")), "{}", r.stderr);
    let dir = project(&[(
        "content/fleet.yaml",
        "hosts:\n  alpha: &a\n    address: 203.0.113.10\n  beta: *a\n",
    )]);
    let r = run(&["check"], dir.path(), &[]);
    assert!(
        r.stderr
            .contains("content/fleet.yaml:2:10: error: YAML anchors and aliases"),
        "{}",
        r.stderr
    );
}

#[test]
fn two_problems_are_reported_in_one_run_with_a_count() {
    let fleet = FLEET
        .replace("port: 3000", "port: 0")
        .replace("    to: forge\n", "    to: nowhere\n");
    let dir = project(&[
        ("content/fleet.yaml", &fleet),
        ("fleetdoc.yaml", "url: https://docs.example.com\n"),
    ]);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 1);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(errors.len(), 2, "{}", r.stderr);
    assert!(r.stderr.contains("2 errors, 0 warnings"), "{}", r.stderr);
}

#[test]
fn invalid_fleet_block_is_an_error_at_the_page_line() {
    let page = "---\ntitle: T\n---\n\nIntro.\n\n```fleet\ntable: hostz\n```\n";
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/t.md", page)]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("content/t.md:8:8: error: unknown table `hostz`; did you mean `hosts`?"),
        "{}",
        r.stderr
    );
    let page = "---\ntitle: T\nkindd: runbook\n---\n";
    let dir = project(&[("content/t.md", page)]);
    let r = run(&["check"], dir.path(), &[]);
    assert!(
        r.stderr
            .contains("content/t.md:3:1: error: unknown key `kindd`"),
        "{}",
        r.stderr
    );
}

#[test]
fn broken_page_links_and_anchors_are_errors_at_their_line() {
    let a = "---\ntitle: A\n---\n\n## Hosts\n\nSee [b](b.md#missing) and [c](c.md).\n";
    let b = "---\ntitle: B\n---\n\n## Present\n\n[back](a.md#hosts)\n";
    let dir = project(&[("content/a.md", a), ("content/b.md", b)]);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("content/a.md:7:5: error: link to `b.md#missing`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "content/a.md:7:27: error: link to `c.md`, but there is no page content/c.md"
        ),
        "{}",
        r.stderr
    );
    // The valid link is rewritten to the page URL.
    let a = "---\ntitle: A\n---\n\n## Hosts\n\nSee [b](sub/b.md#present).\n";
    let dir = project(&[
        ("content/a.md", a),
        ("content/sub/b.md", b.replace("a.md", "../a.md").as_str()),
    ]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(read(dir.path().join("site/a/index.html")).contains("href=\"../sub/b/#present\""));
    assert!(read(dir.path().join("site/sub/b/index.html")).contains("href=\"../../a/#hosts\""));
}

#[test]
fn failed_build_leaves_the_previous_site_byte_for_byte() {
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/ops.md", PAGE)]);
    assert_eq!(run(&["build"], dir.path(), &[]).code, 0);
    let before = tree(&dir.path().join("site"));
    assert!(!before.is_empty());
    std::fs::write(
        dir.path().join("content/fleet.yaml"),
        FLEET.replace("port: 3000", "port: nope"),
    )
    .unwrap();
    std::fs::write(dir.path().join("content/new.md"), "# New page\n").unwrap();
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 1);
    assert_eq!(
        tree(&dir.path().join("site")),
        before,
        "the previous site changed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "temporary folders left behind: {leftovers:?}"
    );
}

/// Names of the project folder's entries: the inputs and `site`, nothing left beside them.
fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Pages are written while the site renders; a build that fails after that (a file of
/// content/ that would replace a page already written, or a generated file) still leaves
/// the previous site as it was and no temporary folder.
#[test]
fn a_build_failing_after_pages_were_written_leaves_the_previous_site_and_no_temp_folder() {
    for (clash, generated) in [
        ("content/ops/index.html", "ops/index.html"),
        ("content/404.html", "404.html"),
    ] {
        let dir = project(&[("content/fleet.yaml", FLEET), ("content/ops.md", PAGE)]);
        assert_eq!(run(&["build"], dir.path(), &[]).code, 0);
        let before = tree(&dir.path().join("site"));
        let clash = dir.path().join(clash);
        std::fs::create_dir_all(clash.parent().unwrap()).unwrap();
        std::fs::write(clash, "<p>mine</p>\n").unwrap();
        let r = run(&["build"], dir.path(), &[]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("this file would replace {generated}")),
            "{}",
            r.stderr
        );
        assert_eq!(
            tree(&dir.path().join("site")),
            before,
            "the previous site changed"
        );
        assert_eq!(entries(dir.path()), ["content", "site"], "left behind");
    }
}

/// A file that cannot be written while pages stream out (here: larger than the file size
/// limit the build runs under) fails the build naming the file; the files written before
/// it go with the temporary folder, and the previous site stays.
#[test]
fn an_io_error_while_pages_are_written_leaves_the_previous_site_and_no_temp_folder() {
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/ops.md", PAGE)]);
    assert_eq!(run(&["build"], dir.path(), &[]).code, 0);
    let before = tree(&dir.path().join("site"));
    // 2 MiB of text: its page is the one file over the 1 MiB limit below.
    let big = format!(
        "---\ntitle: Big\n---\n\n{}",
        "Words of a long page.\n\n".repeat(90_000)
    );
    std::fs::write(dir.path().join("content/big.md"), big).unwrap();
    // bash's `ulimit -f` counts KiB; with SIGXFSZ ignored a write past it fails (EFBIG).
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1024; exec \"$0\" build")
        .arg(bin())
        .current_dir(dir.path())
        .output()
        .expect("bash");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot write the site: big/index.html:"),
        "{stderr}"
    );
    assert_eq!(
        tree(&dir.path().join("site")),
        before,
        "the previous site changed"
    );
    assert_eq!(entries(dir.path()), ["content", "site"], "left behind");
}

#[test]
fn same_source_date_epoch_gives_byte_identical_sites() {
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/ops.md", PAGE)]);
    let env = [("SOURCE_DATE_EPOCH", "1775466000")];
    assert_eq!(run(&["build", "--out", "one"], dir.path(), &env).code, 0);
    assert_eq!(run(&["build", "--out", "two"], dir.path(), &env).code, 0);
    let (one, two) = (tree(&dir.path().join("one")), tree(&dir.path().join("two")));
    assert!(one.len() > 5);
    assert_eq!(one, two);
    assert!(
        read(dir.path().join("one/index.html")).contains("2026-04-06"),
        "SOURCE_DATE_EPOCH not used as now"
    );
}

#[test]
fn markup_in_names_is_escaped_and_links_are_relative() {
    let fleet = FLEET.replace(
        "  agent:\n    host: beta\n",
        "  agent:\n    name: Webhook receivers <ci>\n    host: beta\n",
    );
    let page = "---\ntitle: Ops <b>bold</b>\nsummary: a & b\n---\n\n```fleet\ntable: services\n```\n\n```fleet\ntable: links\n```\n";
    let dir = project(&[
        ("content/fleet.yaml", &fleet),
        ("content/ops.md", page),
        ("content/sub/deep.md", PAGE),
    ]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("site");
    let mut pages_with_name = 0;
    for (path, bytes) in tree(&site) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<ci>"), "unescaped name in {path}");
        assert!(!text.contains("<b>bold</b>"), "unescaped title in {path}");
        if text.contains("Webhook receivers &lt;ci&gt;") {
            pages_with_name += 1;
        }
        if path.ends_with(".html") {
            for attr in ["href=\"/", "src=\"/"] {
                assert!(!text.contains(attr), "root-absolute {attr} in {path}");
            }
        }
    }
    assert!(
        pages_with_name >= 3,
        "the service name shows escaped on only {pages_with_name} files"
    );
}

#[test]
fn header_links_every_host_relative_to_the_page() {
    let fleet = FLEET.replace("  beta:\n", "  beta:\n    name: Beta & <test>\n");
    let dir = project(&[
        ("content/fleet.yaml", &fleet),
        ("content/ops.md", PAGE),
        ("content/sub/deep.md", PAGE),
    ]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("site");
    for (file, root) in [
        ("index.html", ""),
        ("ops/index.html", "../"),
        ("sub/deep/index.html", "../../"),
        ("hosts/alpha/index.html", "../../"),
    ] {
        let html = std::fs::read_to_string(site.join(file)).expect(file);
        let nav = html
            .split("<nav aria-label=\"Site\">")
            .nth(1)
            .and_then(|rest| rest.split("</nav>").next())
            .unwrap_or_else(|| panic!("{file} has the site nav"));
        for link in [
            format!("<a class=\"host-link\" href=\"{root}hosts/alpha/\">alpha</a>"),
            format!(
                "<a class=\"host-link\" href=\"{root}hosts/beta/\">Beta &amp; &lt;test&gt;</a>"
            ),
        ] {
            assert!(nav.contains(&link), "{file}: {link} in {nav}");
        }
    }
}

#[test]
fn index_cards_flag_overdue_reviews() {
    let page = "---\ntitle: Old\nkind: runbook\nsummary: s\nowner: Ops\nupdated: 2026-01-01\nreview: 2026-02-01\ntags: [x]\n---\nBody\n";
    let fresh = "---\ntitle: Fresh\nreview: 2027-02-01\n---\nBody\n";
    let dir = project(&[("content/old.md", page), ("content/fresh.md", fresh)]);
    assert_eq!(
        run(
            &["build"],
            dir.path(),
            &[("SOURCE_DATE_EPOCH", "1775466000")]
        )
        .code,
        0
    );
    let index = read(dir.path().join("site/index.html"));
    assert_eq!(index.matches("review overdue").count(), 1, "{index}");
    let old = index.find("Old").unwrap();
    assert!(index[old..].contains("review overdue"));
}

#[test]
fn export_writes_gfm_with_fleet_blocks_expanded() {
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/runbooks/ops.md", PAGE),
    ]);
    let r = run(&["export", "--out", "docs"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = read(dir.path().join("docs/runbooks/ops.md"));
    assert!(md.starts_with("# Ops\n"), "{md}");
    assert!(md.contains("| Name | Address | Role |"), "{md}");
    assert!(md.contains("| alpha | 203.0.113.10 | Primary |"), "{md}");
    assert!(!md.contains("```fleet"), "{md}");
}

#[test]
fn binary_alone_runs_init_then_build() {
    let place = tempfile::tempdir().unwrap();
    let copy = place.path().join("fleetdoc");
    std::fs::copy(bin(), &copy).unwrap();
    let out = std::process::Command::new(&copy)
        .args(["init", "docs"])
        .current_dir(place.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = std::process::Command::new(&copy)
        .args(["build", "--root", "docs"])
        .current_dir(place.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = read(
        place
            .path()
            .join("docs/site/runbooks/operations/index.html"),
    );
    assert!(page.contains("192.0.2.10") && page.contains("table-redundancy"));
    // init refuses to overwrite.
    let out = std::process::Command::new(&copy)
        .args(["init", "docs"])
        .current_dir(place.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_2_and_strict_fails_on_warnings() {
    let dir = project(&[("content/a.md", "---\ntitle: A\n---\n[x](/abs/path)\n")]);
    assert_eq!(run(&["bogus"], dir.path(), &[]).code, 2);
    assert_eq!(run(&["build", "--nope"], dir.path(), &[]).code, 2);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/a.md:4:1: warning: root-absolute link"),
        "{}",
        r.stderr
    );
    assert_eq!(run(&["check", "--strict"], dir.path(), &[]).code, 1);
}

/// A service whose own declaration is broken is still declared: links and `depends_on` that
/// name it must not add a second, misleading error ("no service `agent`").
#[test]
fn one_typo_gives_one_error() {
    let fleet = FLEET
        .replace("  agent:\n    host: beta", "  agent:\n    host: betta")
        .replace(
            "links:\n",
            "  worker:\n    host: alpha\n    depends_on: [agent]\nlinks:\n",
        );
    let dir = project(&[("content/fleet.yaml", &fleet)]);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 1);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", r.stderr);
    assert!(errors[0].ends_with("did you mean `beta`?"), "{}", errors[0]);
}
