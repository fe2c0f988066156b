//! What a page says about itself to browsers, readers and link previews: canonical and
//! og:url, descriptions, 1200x630 social cards, a small poster rendition where the page
//! shows it, a favicon, accessible names on task checkboxes and scrolling regions; and a
//! site without `url:` writes only what is valid.

mod support;
use support::*;

const EXPLAINER: &str = "---\ntitle: How it fits\nkind: explainer\nsummary: The short version.\n---\n\n## Hosts\n\n- one\n- two\n\n## Tasks\n\n- [x] wired\n- [ ] tested\n\n```fleet\ndiagram: topology\n```\n";

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[1..4], b"PNG");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn explainers_get_a_1200x630_card_and_pages_say_where_they_live() {
    let dir = project(&[
        ("fleetdoc.yaml", "url: https://docs.example.com\n"),
        ("content/fleet.yaml", FLEET),
        ("content/how.md", EXPLAINER),
    ]);
    let r = run(
        &["build"],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", "1775466600")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let site = dir.path().join("site");
    let card = std::fs::read(site.join("diagrams/card-how.png")).unwrap();
    assert_eq!(png_size(&card), (1200, 630));
    // The page shows a 1x rendition without the diagram; the whole poster is linked at 2x.
    let shown = std::fs::read(site.join("diagrams/poster-how-page.png")).unwrap();
    let full = std::fs::read(site.join("diagrams/poster-how.png")).unwrap();
    assert_eq!(png_size(&shown).0 * 2, png_size(&full).0);
    let page = read(site.join("how/index.html"));
    for text in [
        "<link rel=\"canonical\" href=\"https://docs.example.com/how/\">",
        "<meta property=\"og:url\" content=\"https://docs.example.com/how/\">",
        "<meta property=\"og:image\" content=\"https://docs.example.com/diagrams/card-how.png\">",
        "<meta property=\"og:image:width\" content=\"1200\">",
        "<img src=\"../diagrams/poster-how-page.png\"",
        "<a href=\"../diagrams/poster-how.png\">full size PNG</a>",
        "<link rel=\"icon\" href=\"../assets/favicon.svg\" type=\"image/svg+xml\">",
        // Task checkboxes have names; inline diagrams hold links, so they are groups.
        "<input type=\"checkbox\" disabled checked aria-label=\"done\">",
        "<input type=\"checkbox\" disabled aria-label=\"to do\">",
        "<a class=\"full-size\" href=\"../diagrams/topology.svg\">Open full size",
        "class=\"diagram-svg\" tabindex=\"0\" role=\"region\"",
    ] {
        assert!(page.contains(text), "{text} missing in {page}");
    }
    assert!(!page.contains("role=\"img\""), "{page}");
    assert!(site.join("assets/favicon.svg").is_file());
    let index = read(site.join("index.html"));
    assert!(
        index.contains(
            "<meta name=\"description\" content=\"Runbooks, explainers and notes for Test Fleet"
        ),
        "{index}"
    );
    assert!(
        index.contains("<link rel=\"canonical\" href=\"https://docs.example.com/\">"),
        "{index}"
    );
    assert!(
        index.contains("<img class=\"thumb\" src=\"diagrams/card-how.png\""),
        "{index}"
    );
    let fleet = read(site.join("fleet/index.html"));
    assert!(
        fleet.contains("<meta name=\"description\" content=\"Test Fleet: hosts, services"),
        "{fleet}"
    );
    assert!(
        fleet.contains(
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"hosts table\">"
        ),
        "{fleet}"
    );
}

/// A site without `url:` wrote `<loc></loc>` and relative `<loc>`s (an invalid sitemap) and
/// a feed id every such site shared (`urn:fleetdoc:site`).
#[test]
fn a_site_without_url_writes_no_invalid_sitemap_and_a_feed_id_of_its_own() {
    let build = |title: &str| {
        let dir = project(&[
            ("fleetdoc.yaml", &format!("title: {title}\n")),
            ("content/fleet.yaml", FLEET),
            ("content/a.md", "---\ntitle: A\n---\nText.\n"),
        ]);
        let r = run(
            &["build"],
            dir.path(),
            &[("SOURCE_DATE_EPOCH", "1775466600")],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr
                .contains("fleetdoc.yaml:1:1: warning: no `url:` set: sitemap.xml is not written"),
            "{}",
            r.stderr
        );
        assert!(!dir.path().join("site/sitemap.xml").exists());
        let feed = read(dir.path().join("site/feed.xml"));
        let id = feed
            .split("<id>")
            .nth(1)
            .and_then(|s| s.split("</id>").next())
            .unwrap()
            .to_string();
        (dir, id)
    };
    let (_a, one) = build("One");
    let (_b, two) = build("Two");
    assert!(one.starts_with("urn:fleetdoc:site:"), "{one}");
    assert_ne!(one, two);
    assert_eq!(one, build("One").1, "the id is stable");
}
