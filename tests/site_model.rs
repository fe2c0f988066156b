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

#[test]
fn replicated_service_shows_each_hosts_own_status_on_that_hosts_table_and_page() {
    let fleet = "\
hosts:
  alpha:
    name: VPS Alpha
    address: 203.0.113.10
  gamma:
    name: VPS Gamma
    address: 203.0.113.30
services:
  traefik:
    host: [alpha, gamma]
    kind: docker
    ingress: true
";
    let page = "# Gamma\n\n```fleet\ntable: status\nhost: gamma\ncolumns: [service, host, status, detail]\n```\n";
    let snap = r#"{"taken_at": "2026-04-06T09:00:00Z", "probe": "t", "results": [
      {"check": "docker", "host": "alpha", "target": "traefik", "ok": true, "state": "running"},
      {"check": "docker", "host": "gamma", "target": "traefik", "ok": false, "state": "exited"}]}"#;
    let dir = project(&[
        ("content/fleet.yaml", fleet),
        ("content/gamma.md", page),
        ("content/probes/s.json", snap),
    ]);
    let r = run(
        &["build"],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", "1775466000")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = read(dir.path().join("site/gamma/index.html"));
    let table = &html[html.find("<table").unwrap()..html.find("</table>").unwrap()];
    assert!(
        table.contains("VPS Gamma") && !table.contains("VPS Alpha"),
        "{table}"
    );
    assert!(
        table.contains("badge down") && table.contains("exited"),
        "{table}"
    );
    let status_table = |host: &str| {
        let page = read(dir.path().join(format!("site/hosts/{host}/index.html")));
        let at = page.find("table-status").expect("a status table");
        page[at..at + page[at..].find("</table>").unwrap()].to_string()
    };
    let gamma = status_table("gamma");
    assert!(
        gamma.contains("VPS Gamma") && !gamma.contains("VPS Alpha") && gamma.contains("badge down"),
        "{gamma}"
    );
    let alpha = status_table("alpha");
    assert!(
        alpha.contains("badge up") && !alpha.contains("badge down"),
        "{alpha}"
    );
    // The host diagram colors the service by its state on that host.
    let page = read(dir.path().join("site/hosts/gamma/index.html"));
    let svc = &page[page.find("class=\"service\"").unwrap()..];
    assert!(
        svc[..svc.find("</g>\n</g>").unwrap()].contains("status-down"),
        "{svc}"
    );
}

/// Occurrences of `needle` in `hay` that stand as a whole token (not inside a longer
/// address or name).
fn token_hits(hay: &[u8], needle: &str) -> usize {
    let n = needle.as_bytes();
    let cont = |c: u8| c.is_ascii_alphanumeric() || c == b':' || c == b'-' || c == b'_';
    (0..hay.len().saturating_sub(n.len() - 1))
        .filter(|&i| hay[i..i + n.len()].eq_ignore_ascii_case(n))
        .filter(|&i| i == 0 || !(cont(hay[i - 1]) || hay[i - 1] == b'.'))
        .filter(|&i| match hay.get(i + n.len()) {
            None => true,
            Some(b'.') => !hay.get(i + n.len() + 1).is_some_and(|c| c.is_ascii_digit()),
            Some(&c) => !cont(c),
        })
        .count()
}

/// A valid PNG of one pixel with a tEXt chunk holding `text`.
fn png_with_text(text: &str) -> Vec<u8> {
    fn crc(data: &[u8]) -> u32 {
        let mut c = 0xffff_ffffu32;
        for &b in data {
            c ^= b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc(&body).to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    chunk(&mut png, b"tEXt", format!("Comment\0{text}").as_bytes());
    // zlib stream of one filter byte and one gray pixel, stored uncompressed.
    chunk(
        &mut png,
        b"IDAT",
        &[
            0x78, 0x01, 0x01, 0x02, 0x00, 0xfd, 0xff, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01,
        ],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

const REDACT_FLEET: &str = "\
fleet:
  name: Redact Fleet
  owner: Platform team Zebra
hosts:
  alpha:
    address: 192.0.2.10
    role: Primary stack, backed up to beta.internal.example.com
    contact: Allegro Quux
    rebuild: Forge repos on 192.0.2.10
  beta:
    address: beta.internal.example.com
    role: Testbed
  gamma:
    address: 198.51.100.3
    role: Edge
  delta:
    address: 2001:db8::42
    role: Backup
services:
  traefik:
    host: alpha
    kind: docker
    ingress: true
  forge:
    host: alpha
    kind: docker
    port: 3000
    public: forge.example.com
";

const REDACT_PAGE: &str = "---
title: How it runs
kind: explainer
classification: public
summary: Forge on 192.0.2.10, mirrored at delta 2001:db8::42.
---

## Addresses

Neighbours that are not ours: 198.51.100.34 and 1198.51.100.3 and 192.0.2.100.
Ours: 198.51.100.3, [2001:db8::42]:22 and beta.internal.example.com.

<!-- the database lives on 192.0.2.10, password in the vault -->

![rack](img-198.51.100.3.png)

See [the Quux runbook](internal.md) too.

```fleet
table: hosts
columns: [name, address, role]
```

```fleet
table: drift
```

```fleet
diagram: topology
```
";

#[test]
fn publish_redacts_whole_tokens_everywhere_and_audits_every_file() {
    let snap = r#"{"taken_at": "2026-04-06T09:00:00Z", "probe": "t", "results": [
      {"check": "tcp", "target": "192.0.2.10:3000", "ok": false, "error": "connection refused by 192.0.2.10"},
      {"check": "http", "target": "https://admin.internal.example.com/", "ok": true, "status": 200}]}"#;
    let png = png_with_text("shot of 192.0.2.10");
    let dir = project(&[
        ("content/fleet.yaml", REDACT_FLEET),
        ("content/how.md", REDACT_PAGE),
        ("content/internal.md", "# Internal\n\nQuux lives here.\n"),
        ("content/probes/s.json", snap),
    ]);
    std::fs::write(dir.path().join("content/img-198.51.100.3.png"), &png).unwrap();
    let target = tempfile::tempdir().unwrap();
    let to = target.path().to_path_buf();
    let r = run(
        &["publish", "--to", to.to_str().unwrap()],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", "1775466000")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files = tree(&to);
    for (path, bytes) in &files {
        for needle in [
            "192.0.2.10",
            "198.51.100.3",
            "2001:db8::42",
            "beta.internal.example.com",
        ] {
            assert_eq!(
                token_hits(path.as_bytes(), needle),
                0,
                "{needle} in the name {path}"
            );
            assert_eq!(
                token_hits(bytes, needle),
                0,
                "{needle} in {path}: {}",
                String::from_utf8_lossy(bytes)
            );
        }
        let text = String::from_utf8_lossy(bytes);
        for leak in [
            "Platform team Zebra",
            "Allegro Quux",
            "Forge repos",
            "admin.internal",
            "connection refused",
            "the database lives",
            "Quux runbook",
            "Quux lives",
        ] {
            assert!(!text.contains(leak), "{leak} in {path}");
        }
    }
    let page = files
        .iter()
        .find(|(p, _)| p.ends_with("how/index.html"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("the page is published");
    assert!(
        page.contains("198.51.100.34 and 1198.51.100.3 and 192.0.2.100."),
        "{page}"
    );
    assert!(page.contains("Ours: gamma, [delta]:22 and beta."), "{page}");
    assert!(page.contains("src=\"../img-gamma.png\""), "{page}");
    assert!(page.contains("See (internal page) too."), "{page}");
    let img = files
        .iter()
        .find(|(p, _)| p.ends_with("img-gamma.png"))
        .expect("the image is published under its redacted name");
    assert!(img.1.starts_with(b"\x89PNG") && !String::from_utf8_lossy(&img.1).contains("tEXt"));
    let index = read(to.join("index.json"));
    assert!(
        index.contains("Forge on alpha, mirrored at delta delta."),
        "{index}"
    );
}

#[test]
fn publish_audit_refuses_an_address_that_survives_redaction() {
    // The site title comes from settings, which the public profile does not rewrite: the
    // audit finds the address in the output and nothing is published.
    let dir = project(&[
        (
            "fleetdoc.yaml",
            "title: Docs of 192.0.2.10\nurl: https://docs.example.com\n",
        ),
        ("content/fleet.yaml", REDACT_FLEET),
        (
            "content/how.md",
            "---\ntitle: How\nkind: explainer\nclassification: public\n---\n\n## A\n\nText.\n",
        ),
    ]);
    let target = tempfile::tempdir().unwrap();
    let r = run(
        &["publish", "--to", target.path().to_str().unwrap()],
        dir.path(),
        &[],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        // Every find, at its line and column, in every file and in the shared index.
        r.stderr.contains("site/404.html:6:29: error: the public site would publish `192.0.2.10` here; nothing was published. It is the address of host `alpha`")
            && r.stderr.contains("site/how/index.html:6:23: error: the public site would publish `192.0.2.10` here")
            && r.stderr.contains("index.json (the brainstorming index):12:21: error:")
            && r.stderr.ends_with("errors, 0 warnings\n"),
        "{}",
        r.stderr
    );
    assert!(tree(target.path()).is_empty(), "nothing is written");
}

#[test]
fn check_renders_nothing_and_finds_every_error_build_finds() {
    let r = run(&["check", "-v"], &repo(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("render"), "check rendered: {}", r.stderr);
    assert!(r.stderr.contains("model"), "{}", r.stderr);
    // A project with an error in each kind of input that is only seen in a page.
    let page = "# Ops\n\n[gone](missing.md) and [bad anchor](#nope)\n\n```fleet\ntable: hosts\ncolumns: [name, adress]\n```\n\n```fleet\ndiagram: host\nhost: alpah\n```\n";
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/ops.md", page)]);
    let check = run(&["check"], dir.path(), &[]);
    let build = run(&["build"], dir.path(), &[]);
    assert_eq!(
        (check.code, build.code),
        (1, 1),
        "{}\n{}",
        check.stderr,
        build.stderr
    );
    assert_eq!(problems(&check), problems(&build));
    assert_eq!(problems(&check).len(), 4, "{}", check.stderr);
    assert!(!dir.path().join("site").exists());
}

#[test]
fn page_files_whose_names_need_encoding_get_encoded_hrefs_and_sitemap_entries() {
    let dir = project(&[
        ("fleetdoc.yaml", "url: https://docs.example.com\n"),
        ("content/fleet.yaml", FLEET),
        ("content/a b.md", "# Spaced\n\nSee [odd](%252e%252e.md).\n"),
        (
            "content/%2e%2e.md",
            "# Dots\n\nBack to [spaced](a%20b.md).\n",
        ),
    ]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let spaced = read(dir.path().join("site/a b/index.html"));
    assert!(spaced.contains("href=\"../%252e%252e/\""), "{spaced}");
    let dots = read(dir.path().join("site/%2e%2e/index.html"));
    assert!(dots.contains("href=\"../a%20b/\""), "{dots}");
    let sitemap = read(dir.path().join("site/sitemap.xml"));
    assert!(
        sitemap.contains("<loc>https://docs.example.com/a%20b/</loc>")
            && sitemap.contains("<loc>https://docs.example.com/%252e%252e/</loc>"),
        "{sitemap}"
    );
    let index = read(dir.path().join("site/index.html"));
    assert!(
        index.contains("href=\"a%20b/\"") && index.contains("href=\"%252e%252e/\""),
        "{index}"
    );
}

#[test]
fn first_h1_that_differs_from_the_title_is_a_warning() {
    let page = "---\ntitle: Runbook\n---\n\n# Something else\n\nText.\n";
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/ops.md", page)]);
    let r = run(&["check"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        problems(&r),
        ["content/ops.md:5:1: warning: the first heading `# Something else` differs from the front matter title `Runbook` and is not shown; remove one of them or make them the same"],
        "{}",
        r.stderr
    );
}

#[test]
fn link_to_the_topology_or_a_probe_snapshot_is_named_as_an_input() {
    let page = "# Ops\n\nThe [topology](fleet.yaml) and [last probe](probes/s.json).\n";
    let snap = r#"{"taken_at": "2026-04-06T09:00:00Z", "probe": "t", "results": []}"#;
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", page),
        ("content/probes/s.json", snap),
    ]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = problems(&r);
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert!(lines[0].starts_with("content/ops.md:3:5: warning: link to `fleet.yaml`: content/fleet.yaml is an input of fleetdoc"), "{}", r.stderr);
    assert!(lines[1].starts_with("content/ops.md:3:32: warning: link to `probes/s.json`: content/probes/s.json is an input"), "{}", r.stderr);
    let html = read(dir.path().join("site/ops/index.html"));
    assert!(html.contains("The topology and last probe."), "{html}");
}

#[test]
fn inputs_within_the_limits_build_and_never_fail_at_a_png() {
    // A 1 MiB service name and an explainer with 100,000 H2 sections: both are within the
    // stated limits, so the build succeeds; a picture too big to draw would be a warning
    // at the input that made it, never an error at diagrams/*.png.
    let name = "N".repeat(1024 * 1024);
    let fleet = FLEET.replace("  forge:\n", &format!("  forge:\n    name: {name}\n"));
    let mut explainer = String::from("---\ntitle: Big\nkind: explainer\n---\n\n");
    for i in 0..100_000 {
        explainer.push_str(&format!("## Section {i}\n\n- point {i}\n\n"));
    }
    explainer.push_str("```fleet\ndiagram: topology\n```\n");
    let dir = project(&[
        ("content/fleet.yaml", &fleet),
        ("content/big.md", &explainer),
    ]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("diagrams/"), "{}", r.stderr);
    let poster = read(dir.path().join("site/diagrams/poster-big.svg"));
    assert!(
        poster.contains("… and 99977 more sections"),
        "a poster is read at a glance"
    );
    assert!(dir.path().join("site/diagrams/poster-big.png").is_file());
}

#[test]
fn a_7_mb_topology_within_the_limit_builds() {
    // 40 hosts and 400 services with long descriptions: 7 MB, under the 8 MiB limit. It
    // builds, and no picture fails at diagrams/*.png.
    let mut fleet = String::from("hosts:\n");
    for h in 0..40 {
        fleet.push_str(&format!(
            "  h{h}:\n    address: 203.0.113.{}\n    role: Role {h}\n",
            h + 1
        ));
    }
    fleet.push_str("services:\n");
    for h in 0..40 {
        fleet.push_str(&format!(
            "  t{h}:\n    host: h{h}\n    kind: docker\n    ingress: true\n"
        ));
        for s in 0..10 {
            fleet.push_str(&format!(
                "  s{h}-{s}:\n    host: h{h}\n    public: s{h}-{s}.example.com\n    description: {}\n",
                "d".repeat(17_500)
            ));
        }
    }
    assert!(
        fleet.len() > 7_000_000 && fleet.len() < 8 * 1024 * 1024,
        "{}",
        fleet.len()
    );
    let page = "# Map\n\n```fleet\ndiagram: topology\n```\n";
    let dir = project(&[("content/fleet.yaml", &fleet), ("content/map.md", page)]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("diagrams/"), "{}", r.stderr);
    assert!(dir.path().join("site/diagrams/topology.png").is_file());
}
