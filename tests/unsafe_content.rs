//! Silent overrides and unsafe links: a file of content/ that would replace a generated one
//! is an error naming both (it used to replace the sitemap, the feed, the style sheet or a
//! diagram without a word); `javascript:`, `vbscript:` and `data:` links are errors at their
//! position; raw HTML never reaches a public page (it used to pass `<script>` through into
//! explainers published into the shared brainstorming folder).

mod support;
use support::*;

/// The 1-based line and column of `needle` in `text`.
fn line_col(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"));
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
    (line, col)
}

#[test]
fn a_content_file_that_would_replace_a_generated_file_is_an_error_naming_both() {
    let dir = project(&[
        ("fleetdoc.yaml", "url: https://docs.example.com\n"),
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", PAGE),
        ("content/sitemap.xml", "<urlset/>"),
        ("content/feed.xml", "<feed/>"),
        ("content/404.html", "<p>lost</p>"),
        ("content/assets/style.css", "body { display: none }"),
        ("content/diagrams/topology.svg", "<svg/>"),
        ("content/ops/index.html", "<p>not the page</p>"),
        ("content/images/ok.png", "png"),
    ]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for rel in [
        "sitemap.xml",
        "feed.xml",
        "404.html",
        "assets/style.css",
        "diagrams/topology.svg",
        "ops/index.html",
    ] {
        let line = format!(
            "content/{rel}:1:1: error: this file would replace {rel}, which fleetdoc generates \
             in the output; rename or move content/{rel}"
        );
        assert!(
            r.stderr.contains(&line),
            "missing {line:?} in:\n{}",
            r.stderr
        );
    }
    assert!(!r.stderr.contains("images/ok.png"), "{}", r.stderr);
    assert!(!dir.path().join("site").exists(), "a site was written");
}

#[test]
fn javascript_vbscript_and_data_links_are_errors_at_their_position() {
    let page = "---\ntitle: Ops\n---\n\nSee [one](javascript:alert(1)) and\n\
                [two](  JaVaScRiPt:alert(2)) and [three](vbscript:msgbox(3)).\n\n\
                [four](data:text/html;base64,PHNjcmlwdD4=)\n\n\
                ![five](data:image/svg+xml;base64,PHN2Zz4=)\n\n\
                ![six](data:image/png;base64,iVBORw0KGgo=)\n\n\
                [seven](data:image/png;base64,iVBORw0KGgo=)\n\n\
                [eight](java&#115;cript:alert(8))\n";
    let dir = project(&[("content/fleet.yaml", FLEET), ("content/ops.md", page)]);
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for (needle, what) in [
        ("[one]", "a script link"),
        ("[two]", "a script link"),
        ("[three]", "a script link"),
        ("[four]", "a `data:` link"),
        (
            "![five]",
            "a `data:` image other than PNG, JPEG, GIF or WebP",
        ),
        ("[seven]", "a `data:` link"),
        ("[eight]", "a script link"),
    ] {
        let (line, col) = line_col(page, needle);
        let at = format!("content/ops.md:{line}:{col}: error: `");
        let found = r
            .stderr
            .lines()
            .any(|l| l.starts_with(&at) && l.contains(what));
        assert!(found, "no error {what:?} at {at:?} in:\n{}", r.stderr);
    }
    // A PNG as a data: image is a picture, not a document: allowed.
    let (line, col) = line_col(page, "![six]");
    assert!(
        !r.stderr.contains(&format!("content/ops.md:{line}:{col}:")),
        "{}",
        r.stderr
    );
}

const EXPLAINER: &str = "---\ntitle: How it fits\nkind: explainer\nclassification: public\n\
summary: The parts.\n---\n\nIntro.\n\n<!-- a note for editors -->\n\n\
<script>alert(1)</script>\n\nA picture <img src=x onerror=alert(1)> here.\n";

#[test]
fn raw_html_is_refused_on_public_pages_and_kept_on_internal_ones() {
    let internal = "---\ntitle: Ops\n---\n\nA <kbd>Ctrl</kbd> key.\n";
    let dir = project(&[
        ("content/fleet.yaml", FLEET),
        ("content/ops.md", internal),
        ("content/explainers/fit.md", EXPLAINER),
    ]);
    // The internal site keeps raw HTML (the author's own pages, for the team).
    let r = run(&["build"], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(read(dir.path().join("site/ops/index.html")).contains("<kbd>Ctrl</kbd>"));
    // The public profile refuses it, at each place, and publishes nothing.
    let target = tempfile::tempdir().unwrap();
    for args in [
        vec!["check", "--public"],
        vec!["publish", "--to", target.path().to_str().unwrap()],
    ] {
        let r = run(&args, dir.path(), &[]);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        for needle in ["<script>", "<img src=x"] {
            let (line, col) = line_col(EXPLAINER, needle);
            let at = format!(
                "content/explainers/fit.md:{line}:{col}: error: raw HTML `{}",
                &needle[..needle.len().min(8)]
            );
            assert!(
                r.stderr.contains(&at),
                "{args:?}: no {at:?} in:\n{}",
                r.stderr
            );
        }
        assert!(!r.stderr.contains("a note for editors"), "{}", r.stderr);
    }
    assert_eq!(std::fs::read_dir(target.path()).unwrap().count(), 0);
}
