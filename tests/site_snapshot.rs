//! The whole site of a fixture project, every file, as one reviewed snapshot: a change to
//! anything fleetdoc writes (a page, a table, an SVG, the sitemap, the feed, a file's
//! presence) shows up here as a diff to review. Text files are kept whole; binary files
//! (PNGs) and the built-in theme's assets by size and hash, so the snapshot stays readable.
//! After an intended change: `INSTA_UPDATE=always cargo test --test site_snapshot`, then
//! review the diff of `tests/snapshots/`.

mod support;
use support::*;

/// The fixture, copied out of the repository: inside it, pages would take their dates from
/// this repository's own history (which every commit changes).
fn fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (rel, bytes) in tree(&repo().join("tests/fixtures/site-snapshot")) {
        let p = tmp.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    tmp
}

/// Every file of `dir`, in path order, as one text.
fn whole_tree(dir: &std::path::Path) -> String {
    let mut out = String::new();
    for (path, bytes) in tree(dir) {
        let theme_asset = path.starts_with("assets/");
        match std::str::from_utf8(&bytes) {
            Ok(text) if !theme_asset => {
                out.push_str(&format!("=== {path}\n{text}"));
                if !text.ends_with('\n') {
                    out.push('\n');
                }
            }
            _ => out.push_str(&format!(
                "=== {path} ({} bytes, key {:016x})\n",
                bytes.len(),
                fleetdoc::base::hash::key_of(&bytes)
            )),
        }
    }
    out
}

#[test]
fn the_fixture_site_is_written_exactly_as_reviewed() {
    let fx = fixture();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let r = run(
        &[
            "build",
            "--root",
            fx.path().to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
        ],
        &repo(),
        &[("SOURCE_DATE_EPOCH", "1775466000")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("site", whole_tree(&site));
}

#[test]
fn the_fixture_export_is_written_exactly_as_reviewed() {
    let fx = fixture();
    let out = tempfile::tempdir().unwrap();
    let r = run(
        &[
            "export",
            "--root",
            fx.path().to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
        ],
        &repo(),
        &[("SOURCE_DATE_EPOCH", "1775466000")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("export", whole_tree(out.path()));
}
