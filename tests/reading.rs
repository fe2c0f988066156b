//! Code blocks are highlighted at build time: one fixture block per language a runbook is
//! likely to hold (`tests/fixtures/reading/content/code.md`), and the page body they
//! become, as a reviewed snapshot. Languages without a bundled grammar (Caddyfile, PromQL)
//! stay plain text.

mod support;
use support::*;

fn fixture() -> std::path::PathBuf {
    repo().join("tests/fixtures/reading")
}

/// The `<div class="prose">` of a built page.
fn prose(html: &str) -> &str {
    let start = html.find("<div class=\"prose\">").expect("a prose block");
    let end = start + html[start..].find("\n    </div>").expect("its end");
    &html[start..end]
}

#[test]
fn every_listed_language_is_highlighted_as_reviewed() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let r = run(
        &[
            "build",
            "--root",
            fixture().to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
        ],
        &repo(),
        &[("SOURCE_DATE_EPOCH", "1775466000")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = read(site.join("code/index.html"));
    insta::assert_snapshot!("code_blocks", prose(&html));
}

/// GFM alerts (`> [!NOTE]` ... `> [!CAUTION]`) were shown as quotes starting with the
/// literal marker; they are callouts on the site, and the export keeps them as written.
#[test]
fn gfm_alerts_are_callouts_on_the_site_and_kept_as_written_in_the_export() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let export = out.path().join("export");
    for (cmd, dest) in [("build", &site), ("export", &export)] {
        let r = run(
            &[
                cmd,
                "--root",
                fixture().to_str().unwrap(),
                "--out",
                dest.to_str().unwrap(),
            ],
            &repo(),
            &[("SOURCE_DATE_EPOCH", "1775466000")],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let html = read(site.join("callouts/index.html"));
    insta::assert_snapshot!("callouts", prose(&html));
    let source = read(fixture().join("content/callouts.md"));
    let body = source.splitn(3, "---\n").nth(2).unwrap().trim();
    let exported = read(export.join("callouts.md"));
    assert!(exported.contains(body), "{exported}");
}

/// The fleet and host pages had neither a contents list nor heading links, unlike
/// runbooks: each of their sections is now listed in an "On this page" list and has a `#`
/// link to itself.
#[test]
fn fleet_and_host_pages_list_and_link_every_section() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let r = run(
        &[
            "build",
            "--root",
            fixture().to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
        ],
        &repo(),
        &[("SOURCE_DATE_EPOCH", "1775466000")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for page in ["fleet/index.html", "hosts/web1/index.html"] {
        let html = read(site.join(page));
        let nav_start = html
            .find("<nav class=\"toc toc-inline\" aria-label=\"On this page\">")
            .unwrap_or_else(|| panic!("{page} has no contents list"));
        let nav = &html[nav_start..nav_start + html[nav_start..].find("</nav>").unwrap()];
        let ids: Vec<&str> = html
            .split("<h2 id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert!(ids.len() >= 4, "{page}: {ids:?}");
        for id in ids {
            assert!(
                nav.contains(&format!("href=\"#{id}\"")),
                "{page}: {id} not listed"
            );
            assert!(
                html.contains(&format!("<a class=\"anchor\" href=\"#{id}\"")),
                "{page}: {id} has no heading link"
            );
        }
    }
}

/// Runbooks had no way to the next runbook but the topic list: each page links to the
/// previous and next page of its own section (folder), in source order, and to none of
/// another section.
#[test]
fn pages_link_to_the_previous_and_next_page_of_their_section() {
    let dir = built(
        &[
            ("content/fleet.yaml", support::FLEET),
            ("content/runbooks/a.md", "# Alpha\n\nText.\n"),
            ("content/runbooks/b.md", "# Bravo\n\nText.\n"),
            ("content/runbooks/c.md", "# Charlie\n\nText.\n"),
            ("content/explainers/x.md", "# X-ray\n\nText.\n"),
        ],
        "1775466000",
    );
    let page = |p: &str| read(dir.path().join("site").join(p).join("index.html"));
    let (a, b, c, x) = (
        page("runbooks/a"),
        page("runbooks/b"),
        page("runbooks/c"),
        page("explainers/x"),
    );
    assert!(
        !a.contains("rel=\"prev\"") && a.contains("href=\"../../runbooks/b/\" rel=\"next\""),
        "{a}"
    );
    assert!(
        b.contains("href=\"../../runbooks/a/\" rel=\"prev\"")
            && b.contains("href=\"../../runbooks/c/\" rel=\"next\""),
        "{b}"
    );
    assert!(
        c.contains("href=\"../../runbooks/b/\" rel=\"prev\"") && !c.contains("rel=\"next\""),
        "{c}"
    );
    assert!(!x.contains("class=\"pager\""), "{x}");
}
