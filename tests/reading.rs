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
