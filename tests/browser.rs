//! The example site in Debian's Chromium, driven through chromedriver: axe-core on every
//! page at 1280 and 390 px in light and dark (no serious or critical violation), reviewed
//! reference screenshots, the 404 page's skip link, and the site opened from disk
//! (`file://`). Installed by `.ci/setup`; missing programs fail under `CI` and say
//! "skipped" elsewhere.

mod support;
use support::*;

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "clients/example.rs"]
mod example;

/// The headless Chromium session every browser test drives.
#[path = "clients/chromium.rs"]
mod chromium;
use chromium::{browser, browser_env, runtime, serve, tools, AXE_RUN};

/// Diagrams that read anywhere: the 9 px rule for posters and wide topologies, the font
/// without system fonts, the dark palette.
#[path = "browser/diagram_reading.rs"]
mod diagram_reading;

const WIDTHS: [(u32, u32); 2] = [(1280, 900), (390, 844)];
const SCHEMES: [&str; 2] = ["light", "dark"];

/// Every page of the site as a URL path: the HTML files, and a missing path for the 404.
fn pages(site: &Path) -> Vec<String> {
    let mut out: Vec<String> = tree(site)
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|r| r.ends_with("index.html"))
        .map(|r| format!("/{}", r.trim_end_matches("index.html")))
        .collect();
    out.push("/no/such/page/".into());
    out
}

#[test]
fn axe_finds_no_serious_or_critical_violations_at_two_widths_in_light_and_dark() {
    let Some(axe) = example::tool_file("axe-core/axe.min.js") else {
        return;
    };
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let (_server, port) = serve(&ex.dir);
    let axe = std::fs::read_to_string(axe).unwrap();
    let paths = pages(&ex.site);
    let mut runs = 0;
    let mut found: Vec<String> = Vec::new();
    runtime().block_on(async {
        for scheme in SCHEMES {
            let b = browser(scheme).await.expect("browser");
            for (w, h) in WIDTHS {
                b.client.set_window_size(w, h).await.unwrap();
                for p in &paths {
                    b.client
                        .goto(&format!("http://127.0.0.1:{port}{p}"))
                        .await
                        .unwrap();
                    b.client.execute(&axe, vec![]).await.expect("load axe-core");
                    let v = b
                        .client
                        .execute_async(AXE_RUN, vec![])
                        .await
                        .expect("axe.run");
                    runs += 1;
                    for item in v.as_array().cloned().unwrap_or_default() {
                        found.push(format!(
                            "{p} at {w} px, {scheme}: {}",
                            item.as_str().unwrap_or_default()
                        ));
                    }
                }
            }
            let _ = b.client.close().await;
        }
    });
    example::say(&format!(
        "axe-core: {} pages x {} widths x {} schemes = {runs} runs, {} serious or critical violations",
        paths.len(),
        WIDTHS.len(),
        SCHEMES.len(),
        found.len()
    ));
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Under `fleetdoc serve`, the 404 page has a `<base>` at the site root, so its "Skip to
/// content" link (`#main`) went to the site root instead of down the page.
#[test]
fn skip_link_on_the_404_page_stays_on_the_page() {
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let (_server, port) = serve(&ex.dir);
    let href = runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        b.client
            .goto(&format!("http://127.0.0.1:{port}/no/such/page/"))
            .await
            .unwrap();
        let v = b
            .client
            .execute("return document.querySelector('a.skip').href", vec![])
            .await
            .unwrap();
        let _ = b.client.close().await;
        v.as_str().unwrap_or_default().to_string()
    });
    assert_eq!(href, format!("http://127.0.0.1:{port}/no/such/page/#main"));
}

/// Opened from disk, a link to a folder (`fleet/`) showed a directory listing: the site's
/// own folder links lead to the page.
#[test]
fn the_site_opened_from_disk_follows_its_links_to_pages() {
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let start = format!("file://{}/index.html", ex.site.display());
    let (title, runbook) = runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        b.client.goto(&start).await.unwrap();
        let link = b
            .client
            .find(fantoccini::Locator::Css("header.top nav a[href^='fleet/']"))
            .await
            .expect("the Fleet link");
        link.click().await.unwrap();
        let title = b.client.title().await.unwrap_or_default();
        // And on to a runbook, through the topic list link ("../").
        b.client.goto(&start).await.unwrap();
        b.client
            .find(fantoccini::Locator::Css("a.card-link"))
            .await
            .expect("a card")
            .click()
            .await
            .unwrap();
        let url = b
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let _ = b.client.close().await;
        (title, url)
    });
    assert!(title.starts_with("Fleet overview"), "{title}");
    assert!(runbook.ends_with("/index.html"), "{runbook}");
}

/// At 390 px the code block's "Copy" button covered the first line of code, and wide
/// tables were cut mid-word with no sign that they scroll.
#[test]
fn on_a_phone_copy_buttons_clear_the_code_and_wide_tables_say_they_scroll() {
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let (_server, port) = serve(&ex.dir);
    let (overlaps, hints) = runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        b.client.set_window_size(390, 844).await.unwrap();
        b.client
            .goto(&format!("http://127.0.0.1:{port}/runbooks/control-plane/"))
            .await
            .unwrap();
        let overlaps = b
            .client
            .execute(
                "var n = 0; document.querySelectorAll('pre').forEach(function (pre) {
                   var btn = pre.querySelector('.copy'), code = pre.querySelector('code');
                   if (!btn || !code) return;
                   var r = document.createRange(); r.setStart(code, 0); r.setEnd(code, 1);
                   var line = r.getClientRects()[0] || code.getBoundingClientRect();
                   if (btn.getBoundingClientRect().bottom > line.top) n++; });
                 return [n, document.querySelectorAll('pre .copy').length];",
                vec![],
            )
            .await
            .unwrap();
        let hints = b
            .client
            .execute(
                "return document.querySelectorAll('.scroll-hint').length",
                vec![],
            )
            .await
            .unwrap();
        let _ = b.client.close().await;
        (overlaps, hints)
    });
    assert_eq!(overlaps[0], 0, "copy buttons over code: {overlaps}");
    assert!(
        overlaps[1].as_u64().unwrap_or(0) > 0,
        "no copy buttons: {overlaps}"
    );
    assert!(hints.as_u64().unwrap_or(0) > 0, "no scroll hint at 390 px");
}

/// Printed, a runbook left headings alone at the bottom of a page ("Verification" ended
/// page 2, its code started page 3). Printed through WebDriver to PDF and read back with
/// pypdf: no page ends with a heading.
#[test]
fn printed_pages_never_end_with_a_heading() {
    if tools().is_none()
        || !require(
            "python3",
            &["-c", "import pypdf"],
            "python3 -m pip install pypdf",
        )
    {
        return;
    }
    let ex = example::get();
    let (_server, port) = serve(&ex.dir);
    let out = tempfile::tempdir().unwrap();
    let mut report = Vec::new();
    runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        for (name, path) in [
            ("control-plane", "/runbooks/control-plane/"),
            ("fleet-topology", "/runbooks/fleet-topology/"),
            ("fleet", "/fleet/"),
        ] {
            b.client
                .goto(&format!("http://127.0.0.1:{port}{path}"))
                .await
                .unwrap();
            let headings = b
                .client
                .execute(
                    "return Array.from(document.querySelectorAll('main h2, main h3')).map(function (h) {
                       return h.textContent.replace(/#$/, '').trim(); })",
                    vec![],
                )
                .await
                .unwrap();
            let pdf = b
                .client
                .print(fantoccini::wd::PrintConfiguration::default())
                .await
                .expect("print to PDF");
            let file = out.path().join(format!("{name}.pdf"));
            std::fs::write(&file, pdf).unwrap();
            report.push((name, file, headings.to_string()));
        }
        let _ = b.client.close().await;
    });
    let mut alone = Vec::new();
    for (name, file, headings) in report {
        let r = Command::new("python3")
            .arg("-c")
            .arg(PDF_CHECK)
            .arg(&file)
            .arg(&headings)
            .output()
            .expect("run pypdf");
        let said = String::from_utf8_lossy(&r.stdout).into_owned();
        example::say(&format!("print {name}: {}", said.trim_end()));
        if !r.status.success() {
            alone.push(format!(
                "{name}: {said}{}",
                String::from_utf8_lossy(&r.stderr)
            ));
        }
    }
    assert!(alone.is_empty(), "{}", alone.join("\n"));
}

/// Prints the page count, and fails naming each page whose last line is a heading.
const PDF_CHECK: &str = r#"
import sys, json, pypdf
headings = set(json.loads(sys.argv[2]))
pages = pypdf.PdfReader(sys.argv[1]).pages
bad = []
for i, p in enumerate(pages):
    lines = [l.strip() for l in (p.extract_text() or "").splitlines() if l.strip()]
    if lines and lines[-1] in headings and i + 1 < len(pages):
        bad.append("page %d ends with heading %r" % (i + 1, lines[-1]))
    # The last sheet held only "Source: content/runbooks/control-plane.md".
    if i > 0 and lines and all(l.startswith("Source:") or l.startswith("content/") for l in lines):
        bad.append("page %d holds only the source line" % (i + 1))
print("%d pages, %d end with a heading or hold only the source line" % (len(pages), len(bad)))
for b in bad: print("  " + b)
sys.exit(1 if bad else 0)
"#;

/// Pages whose look is kept as reviewed reference screenshots.
const SHOTS: [(&str, &str); 4] = [
    ("index", "/"),
    ("fleet", "/fleet/"),
    ("runbook", "/runbooks/fleet-topology/"),
    ("explainer", "/explainers/vps-architecture/"),
];

/// Runs in the page: resolves once every image is loaded and decoded (lazy ones are asked
/// for at once) and the page's fonts are ready, so a screenshot never catches a page half
/// drawn.
const SETTLED_JS: &str = r#"
var done = arguments[arguments.length - 1];
var imgs = Array.from(document.images);
imgs.forEach(function (i) { i.loading = "eager"; });
Promise.all(imgs.map(function (i) { return i.decode().catch(function () {}); }))
  .then(function () { return document.fonts.ready; })
  .then(function () { requestAnimationFrame(function () { requestAnimationFrame(function () { done(true); }); }); });
"#;

/// Screenshots of four pages at 390 and 1280 px, light and dark, against the references in
/// `tests/clients/screenshots/` (looked at by a person when they were made). A page that
/// differs in more than 1% of its pixels fails, and its new screenshot is written beside the
/// build for review; `FLEETDOC_UPDATE_SCREENSHOTS=1` makes the new ones the references.
#[test]
fn screenshots_match_the_reviewed_references() {
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let (_server, port) = serve(&ex.dir);
    let refs = repo().join("tests/clients/screenshots");
    let update = std::env::var_os("FLEETDOC_UPDATE_SCREENSHOTS").is_some();
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&out).unwrap();
    let mut differ = Vec::new();
    runtime().block_on(async {
        for scheme in SCHEMES {
            let b = browser(scheme).await.expect("browser");
            for (w, h) in WIDTHS {
                b.client.set_window_size(w, h).await.unwrap();
                for (name, path) in SHOTS {
                    b.client
                        .goto(&format!("http://127.0.0.1:{port}{path}"))
                        .await
                        .unwrap();
                    // A lazily loaded card image not yet drawn, or a font not yet loaded,
                    // made the comparison fail on a loaded machine: wait for both.
                    b.client
                        .execute_async(SETTLED_JS, vec![])
                        .await
                        .expect("images and fonts settle");
                    let png = b.client.screenshot().await.expect("screenshot");
                    let file = format!("{name}-{w}-{scheme}.png");
                    std::fs::write(out.join(&file), &png).unwrap();
                    if update {
                        std::fs::create_dir_all(&refs).unwrap();
                        std::fs::write(refs.join(&file), &png).unwrap();
                        continue;
                    }
                    let Ok(reference) = std::fs::read(refs.join(&file)) else {
                        differ.push(format!("{file}: no reference"));
                        continue;
                    };
                    if let Some(why) = differs(&png, &reference) {
                        differ.push(format!("{file}: {why}"));
                    }
                }
            }
            let _ = b.client.close().await;
        }
    });
    example::say(&format!(
        "screenshots: {} compared, {} differ (new ones in {})",
        SHOTS.len() * WIDTHS.len() * SCHEMES.len(),
        differ.len(),
        out.display()
    ));
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// Why two PNG screenshots differ: size, or more than 1% of pixels off by more than a
/// little (font smoothing varies in the last bits).
fn differs(a: &[u8], b: &[u8]) -> Option<String> {
    let (wa, ha, pa) = decode(a);
    let (wb, hb, pb) = decode(b);
    if (wa, ha) != (wb, hb) {
        return Some(format!("size {wa}x{ha}, reference {wb}x{hb}"));
    }
    let off = pa
        .chunks(4)
        .zip(pb.chunks(4))
        .filter(|(x, y)| x.iter().zip(y.iter()).any(|(p, q)| p.abs_diff(*q) > 24))
        .count();
    let share = off as f64 / (wa as f64 * ha as f64);
    (share > 0.01).then(|| format!("{:.1}% of pixels differ", share * 100.0))
}

fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut d = png::Decoder::new(std::io::Cursor::new(png_bytes));
    d.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut r = d.read_info().expect("png");
    let mut buf = vec![0; r.output_buffer_size().expect("png size")];
    let info = r.next_frame(&mut buf).expect("png frame");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// The smallest text of every inline diagram on the page, as drawn: each `<text>`'s font
/// size times the scale the browser draws it at (its screen CTM, checked against its
/// client rectangle over its box in user units). Returns [title, px, text, shown width].
const SMALLEST_TEXT: &str = r#"
var out = [];
document.querySelectorAll('figure.diagram .diagram-svg svg').forEach(function (svg, i) {
  var title = svg.querySelector('title');
  var smallest = null;
  svg.querySelectorAll('text').forEach(function (t) {
    var size = parseFloat(t.getAttribute('font-size'));
    var m = t.getScreenCTM();
    var px = size * Math.sqrt(m.a * m.a + m.b * m.b);
    var box = t.getBBox(), shown = t.getBoundingClientRect();
    if (box.height > 0) { px = Math.min(px, size * shown.height / box.height); }
    if (smallest === null || px < smallest[0]) { smallest = [px, t.textContent]; }
  });
  out.push([title ? title.textContent : 'diagram ' + i, smallest ? smallest[0] : 0,
            smallest ? smallest[1] : '', svg.getBoundingClientRect().width]);
});
return out;
"#;

/// Measures every inline diagram of `paths` at both widths; returns the count measured
/// and a line for each whose smallest text is drawn under 9 px.
fn small_text(port: u16, paths: &[String]) -> (usize, Vec<String>) {
    let mut measured = 0;
    let mut small = Vec::new();
    runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        for (w, h) in WIDTHS {
            b.client.set_window_size(w, h).await.unwrap();
            for p in paths {
                b.client
                    .goto(&format!("http://127.0.0.1:{port}{p}"))
                    .await
                    .unwrap();
                let found = b.client.execute(SMALLEST_TEXT, vec![]).await.unwrap();
                for d in found.as_array().cloned().unwrap_or_default() {
                    measured += 1;
                    let px = d[1].as_f64().unwrap_or(0.0);
                    if px < 9.0 - 1e-3 {
                        small.push(format!(
                            "{p} at {w} px: {} shown {:.0} px wide, {:?} at {px:.2} px",
                            d[0].as_str().unwrap_or_default(),
                            d[3].as_f64().unwrap_or(0.0),
                            d[2].as_str().unwrap_or_default()
                        ));
                    }
                }
            }
        }
        let _ = b.client.close().await;
    });
    (measured, small)
}

/// On a 390 px phone the fleet's topology (1,000 px wide, 11 px labels) was shrunk to the
/// column, its labels to 4 px. Every text of every inline diagram on every page is drawn at
/// 9 px or more, at 390 and 1280 px: a diagram shrinks only so far, then scrolls sideways.
#[test]
fn every_inline_diagram_keeps_its_text_at_9_px_or_more_at_390_and_1280_px() {
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let (_server, port) = serve(&ex.dir);
    let (measured, small) = small_text(port, &pages(&ex.site));
    example::say(&format!(
        "inline diagrams: {measured} measured at 390 and 1280 px, {} with text under 9 px",
        small.len()
    ));
    assert!(measured >= 10, "only {measured} diagrams measured");
    assert!(small.is_empty(), "{}", small.join("\n"));
}

/// A 40-host fleet in 4 regions: its 4,900 px topology would have to scroll through a dozen
/// phone screens at 9 px. The fleet page and a page with the topology show its summary,
/// which fits a 390 px phone without scrolling, its text at 9 px or more; so do the host
/// pages' own diagrams (scrolling sideways).
#[test]
fn a_40_host_fleet_is_summed_up_readably_on_a_phone() {
    if tools().is_none() {
        return;
    }
    let dir = big_fleet_site(example::NOW);
    let (_server, port) = serve(dir.path());
    let paths: Vec<String> = ["/fleet/", "/map/", "/hosts/host-0/", "/hosts/host-39/"]
        .iter()
        .map(|p| p.to_string())
        .collect();
    let (measured, small) = small_text(port, &paths);
    assert_eq!(measured, 8, "one diagram a page, at two widths");
    assert!(small.is_empty(), "{}", small.join("\n"));
    let fits = runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        b.client.set_window_size(390, 844).await.unwrap();
        let mut fits = Vec::new();
        for p in ["/fleet/", "/map/"] {
            b.client
                .goto(&format!("http://127.0.0.1:{port}{p}"))
                .await
                .unwrap();
            let v = b
                .client
                .execute(
                    "var box = document.querySelector('figure.diagram-summary .diagram-svg');
                     return box ? [box.scrollWidth, box.clientWidth] : null;",
                    vec![],
                )
                .await
                .unwrap();
            fits.push((p, v));
        }
        let _ = b.client.close().await;
        fits
    });
    for (p, v) in fits {
        let (scroll, client) = (v[0].as_f64().unwrap(), v[1].as_f64().unwrap());
        assert!(
            scroll <= client + 1.0,
            "{p}: summary scrolls ({scroll} > {client})"
        );
    }
}

/// The highlighting fixture (one code block per language) as a built project.
fn highlight_project() -> tempfile::TempDir {
    let fx = repo().join("tests/fixtures/reading");
    let files: Vec<(String, String)> = [
        "fleetdoc.yaml",
        "content/fleet.yaml",
        "content/code.md",
        "content/callouts.md",
    ]
    .iter()
    .map(|f| (f.to_string(), read(fx.join(f))))
    .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    built(&refs, "1775466000")
}

/// Every token colour of both palettes on the code background, and every callout's title:
/// axe finds no contrast violation on a page holding a block of every highlighted language
/// nor on one holding every kind of callout, light and dark.
#[test]
fn highlighted_code_and_callouts_meet_contrast_in_light_and_dark() {
    let Some(axe) = example::tool_file("axe-core/axe.min.js") else {
        return;
    };
    if tools().is_none() {
        return;
    }
    let dir = highlight_project();
    let (_server, port) = serve(dir.path());
    let axe = std::fs::read_to_string(axe).unwrap();
    let mut found: Vec<String> = Vec::new();
    runtime().block_on(async {
        for scheme in SCHEMES {
            let b = browser(scheme).await.expect("browser");
            for page in ["/code/", "/callouts/"] {
                b.client
                    .goto(&format!("http://127.0.0.1:{port}{page}"))
                    .await
                    .unwrap();
                b.client.execute(&axe, vec![]).await.expect("load axe-core");
                let v = b
                    .client
                    .execute_async(AXE_RUN, vec![])
                    .await
                    .expect("axe.run");
                for item in v.as_array().cloned().unwrap_or_default() {
                    found.push(format!(
                        "{page} {scheme}: {}",
                        item.as_str().unwrap_or_default()
                    ));
                }
            }
            let _ = b.client.close().await;
        }
    });
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The copy button of a console block copies the commands without their `$ ` prompts and
/// without the output; other blocks copy as shown. (The page's clipboard is replaced by a
/// recorder, so the test needs no system clipboard.)
#[test]
fn copying_a_console_block_leaves_out_prompts_and_output() {
    if tools().is_none() {
        return;
    }
    let dir = highlight_project();
    let (_server, port) = serve(dir.path());
    let copied = runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        b.client
            .goto(&format!("http://127.0.0.1:{port}/code/"))
            .await
            .unwrap();
        let js = r#"
var copied = [];
navigator.clipboard.writeText = function (t) { copied.push(t); return Promise.resolve(); };
document.querySelectorAll("pre > button.copy").forEach(function (b, i) { if (i < 2) b.click(); });
return copied;"#;
        let v = b.client.execute(js, vec![]).await.expect("click copy");
        let _ = b.client.close().await;
        v
    });
    let copied: Vec<String> = serde_json::from_value(copied).unwrap();
    assert_eq!(
        copied,
        vec![
            "systemctl status nginx --no-pager\ncurl -fsS https://web.example.com/health \\\n    -H 'Accept: application/json'".to_string(),
            "#!/bin/sh\nset -eu\nfor host in web1 web2; do\n  ssh \"$host\" 'sudo systemctl reload nginx' # reload, not restart\ndone\n".to_string(),
        ]
    );
}

/// The widths and heights of the width sweep, and the share of the height the pinned
/// header may take at each.
const SWEEP: [(u32, u32, f64); 6] = [
    (320, 568, 0.25),
    (390, 844, 0.25),
    (768, 1024, 0.15),
    (1024, 768, 0.15),
    (1280, 800, 0.15),
    (1920, 1080, 0.15),
];

/// A 24-host fleet with host names of the length real ones have, and a runbook with
/// sections (so a contents list and in-page links), for the width sweep.
fn fleet_of_24_hosts() -> tempfile::TempDir {
    let mut y = String::from("fleet:\n  name: Twenty-four Hosts\nhosts:\n");
    for h in 0..24 {
        y.push_str(&format!(
            "  worker-node-{h:02}:\n    address: 203.0.113.{}\n    role: Worker {h}\n    region: region-{}\n",
            h + 1,
            h / 6
        ));
    }
    y.push_str("services:\n");
    for h in 0..24 {
        y.push_str(&format!(
            "  proxy-{h:02}:\n    host: worker-node-{h:02}\n    kind: docker\n    ingress: true\n    ports: [80, 443]\n  app-{h:02}:\n    host: worker-node-{h:02}\n    kind: docker\n    port: 3000\n    public: app-{h:02}.example.com\n"
        ));
    }
    let mut page = String::from(
        "---\ntitle: Operations\nkind: runbook\n---\n\nSee [the last step](#step-8) first.\n\n",
    );
    for s in 1..=8 {
        page.push_str(&format!("## Step {s}\n\n"));
        for _ in 0..6 {
            page.push_str("Check the service, read its log, and write down what you saw. ");
        }
        page.push_str("\n\n```fleet\ntable: services\n```\n\n");
    }
    built(
        &[("content/fleet.yaml", &y), ("content/ops.md", &page)],
        example::NOW,
    )
}

/// Runs in the page: loads each path into a same-origin frame of each width and height and,
/// in it, scrolls through the page every 200 px, follows every in-page link and jumps to
/// every heading. Returns one line per problem: a pinned (fixed or sticky) element over
/// text, a jump target hidden under the pinned header, the header over its share, a page
/// wider than the screen.
const SWEEP_JS: &str = r##"
var paths = arguments[0], sizes = arguments[1], done = arguments[arguments.length - 1];
var problems = [], checked = 0;
document.body.innerHTML = '';
var frame = document.createElement('iframe');
frame.style.cssText = 'position:fixed;left:0;top:0;border:0';
document.body.appendChild(frame);
function load(src) {
  return new Promise(function (ok) { frame.onload = function () { ok(); }; frame.src = src; })
    .then(function () { return frame.contentDocument.fonts.ready; });
}
function check(path, W, H, share) {
  var win = frame.contentWindow, doc = frame.contentDocument, where = path + ' at ' + W + 'x' + H;
  var header = doc.querySelector('header.top');
  var headerBottom = function () { var r = header.getBoundingClientRect(); return r.bottom > 0 ? r.bottom : 0; };
  var hh = header.getBoundingClientRect().height;
  if (hh > share * H) problems.push(where + ': the pinned header is ' + Math.round(hh) + ' px, ' + Math.round(100 * hh / H) + '% of the height');
  // Text scrolls under the pinned header, which must therefore hide it (an opaque background).
  var bg = win.getComputedStyle(header).backgroundColor;
  if (bg === 'transparent' || /rgba\(.*, 0(\.\d+)?\)$/.test(bg)) problems.push(where + ': the pinned header is see-through (' + bg + ')');
  var cw = doc.documentElement.clientWidth;
  if (doc.documentElement.scrollWidth > cw + 1) {
    var wide = Array.from(doc.querySelectorAll('body *')).filter(function (e) {
      if (e.getBoundingClientRect().right <= cw + 1) return false;
      for (var a = e.parentElement; a && a !== doc.body; a = a.parentElement)
        if (win.getComputedStyle(a).overflowX !== 'visible') return false;
      return true;
    }).slice(0, 3).map(function (e) { return e.tagName + '.' + e.className + ' "' + e.textContent.trim().slice(0, 30) + '"'; });
    problems.push(where + ': the page is ' + doc.documentElement.scrollWidth + ' px wide (' + wide.join(', ') + ')');
  }
  // Every other pinned element, and every text outside them with its place on the page.
  var pins = Array.from(doc.querySelectorAll('body *')).filter(function (e) {
    if (e === header || header.contains(e)) return false;
    var p = win.getComputedStyle(e).position;
    return p === 'fixed' || p === 'sticky';
  });
  var max = doc.documentElement.scrollHeight - H, covered = 0, positions = 0, first = '';
  var rects = [];
  if (pins.length) {
    win.scrollTo(0, 0);
    var w = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    for (var n = w.nextNode(); n; n = w.nextNode()) {
      if (!n.textContent.trim() || header.contains(n)) continue;
      if (pins.some(function (p) { return p.contains(n); })) continue;
      var r = doc.createRange(); r.selectNodeContents(n);
      Array.from(r.getClientRects()).forEach(function (t) {
        if (t.width >= 1 && t.height >= 1) rects.push([t.left, t.top, t.right, t.bottom, n.textContent.trim().slice(0, 30)]);
      });
    }
  }
  for (var y = 0; y <= max + 199; y += 200) {
    var at = Math.min(y, Math.max(max, 0));
    positions++;
    if (!pins.length) continue;
    win.scrollTo(0, at);
    var sy = win.scrollY, hit = '';
    pins.forEach(function (p) {
      var b = p.getBoundingClientRect();
      if (hit || b.width < 1 || b.height < 1 || b.bottom <= 0 || b.top >= H) return;
      rects.forEach(function (t) {
        if (hit) return;
        var top = t[1] - sy, bottom = t[3] - sy;
        if (t[0] < b.right - 1 && t[2] > b.left + 1 && top < b.bottom - 1 && bottom > b.top + 1)
          hit = (p.className || p.tagName) + ' over "' + t[4] + '"';
      });
    });
    if (hit) { covered++; if (!first) first = hit; }
  }
  if (covered) problems.push(where + ': pinned elements cover text at ' + covered + ' of ' + positions + ' scroll positions (' + first + ')');
  checked++;
  function visible(id, how) {
    var t = doc.getElementById(id);
    if (!t) return;
    var r = t.getBoundingClientRect(), top = headerBottom();
    var tall = Math.min(r.bottom, r.top + 40);
    if (r.top < top - 1 || tall > H + 1)
      problems.push(where + ': after ' + how + ' #' + id + ' is at ' + Math.round(r.top) + '..' + Math.round(r.bottom) + ' px, the header ends at ' + Math.round(top));
  }
  Array.from(doc.querySelectorAll('main a[href^="#"]')).forEach(function (a) {
    var id = decodeURIComponent(a.getAttribute('href').slice(1));
    if (!id) return;
    win.scrollTo(0, 0); a.click(); visible(id, 'following a link to');
    win.scrollTo(0, max); a.click(); visible(id, 'following a link up to');
  });
  Array.from(doc.querySelectorAll('main h2[id], main h3[id], main h4[id]')).forEach(function (h) {
    win.scrollTo(0, 0); win.location.hash = '#' + h.id; visible(h.id, 'a jump to');
  });
}
(async function () {
  try {
    for (var s = 0; s < sizes.length; s++) {
      var W = sizes[s][0], H = sizes[s][1];
      frame.style.width = W + 'px'; frame.style.height = H + 'px';
      for (var i = 0; i < paths.length; i++) {
        await load(paths[i]);
        check(paths[i], W, H, sizes[s][2]);
      }
    }
    done([checked, problems]);
  } catch (e) { done([checked, ['sweep failed: ' + e]]); }
})();
"##;

/// Rows 1-3 of what a reader met: below 1100 px the contents list stayed pinned over the
/// text, every jump to a section left its heading under the pinned header, and with 24
/// hosts the header took 57% of a phone's height. Over every page of the example site and
/// of a 24-host fleet, at six widths in light and dark: no pinned element over text at any
/// scroll position (every 200 px), every jump target fully below the header, the header at
/// most 25% of a phone's height and 15% of a wider screen's, no sideways page overflow.
#[test]
fn pinned_header_and_contents_never_cover_text_or_jump_targets_at_any_width() {
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let many = fleet_of_24_hosts();
    let sites = [
        (ex.dir.clone(), ex.site.clone()),
        (many.path().to_path_buf(), many.path().join("site")),
    ];
    let sizes = serde_json::json!(SWEEP);
    let mut problems = Vec::new();
    let mut checked = 0;
    runtime().block_on(async {
        for scheme in SCHEMES {
            let b = browser(scheme).await.expect("browser");
            b.client.set_window_size(1920, 1200).await.unwrap();
            b.client
                .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                    Some(std::time::Duration::from_secs(300)),
                    None,
                    None,
                ))
                .await
                .unwrap();
            for (dir, site) in &sites {
                let (_server, port) = serve(dir);
                let paths = pages(site);
                b.client
                    .goto(&format!("http://127.0.0.1:{port}/"))
                    .await
                    .unwrap();
                let v = b
                    .client
                    .execute_async(SWEEP_JS, vec![serde_json::json!(paths), sizes.clone()])
                    .await
                    .expect("the sweep");
                checked += v[0].as_u64().unwrap_or(0);
                for p in v[1].as_array().cloned().unwrap_or_default() {
                    problems.push(format!("{scheme}: {}", p.as_str().unwrap_or_default()));
                }
            }
            let _ = b.client.close().await;
        }
    });
    example::say(&format!(
        "width sweep: {checked} page views, {} problems",
        problems.len()
    ));
    assert!(checked > 100, "only {checked} page views checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The dark/light toggle: the system's scheme until the reader picks one; the pick is
/// remembered across pages and applied before the first paint (the page is dark from its
/// first frame, no light flash), and the stylesheet's colours follow it.
#[test]
fn the_theme_toggle_overrides_the_system_scheme_and_is_remembered() {
    if tools().is_none() {
        return;
    }
    let dir = highlight_project();
    let (_server, port) = serve(dir.path());
    let (before, label, after, label_after) = runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        let url = format!("http://127.0.0.1:{port}/code/");
        b.client.goto(&url).await.unwrap();
        let bg = r#"return [document.documentElement.getAttribute("data-theme"),
            getComputedStyle(document.body).backgroundColor];"#;
        let before = b.client.execute(bg, vec![]).await.unwrap();
        let btn = b
            .client
            .find(fantoccini::Locator::Css("button.theme-toggle"))
            .await
            .expect("a theme toggle");
        let label = btn.text().await.unwrap();
        btn.click().await.unwrap();
        b.client
            .goto(&format!("http://127.0.0.1:{port}/callouts/"))
            .await
            .unwrap();
        let after = b.client.execute(bg, vec![]).await.unwrap();
        let label_after = b
            .client
            .find(fantoccini::Locator::Css("button.theme-toggle"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let _ = b.client.close().await;
        (before, label, after, label_after)
    });
    assert_eq!(before, serde_json::json!([null, "rgb(247, 248, 250)"]));
    assert_eq!(label, "Dark theme");
    assert_eq!(after, serde_json::json!(["dark", "rgb(18, 21, 27)"]));
    assert_eq!(label_after, "Light theme");
}

/// The status pages of `tests/fixtures/site-snapshot` (the incidents page, the topic list
/// and the host page with an open incident's banner, the fleet page with incident marks
/// and availability tables, the availability page with its uptime bars): axe finds nothing
/// serious at 390 and 1280 px, light and dark, and no page scrolls sideways.
#[test]
fn axe_passes_the_incidents_and_availability_pages_at_390_and_1280_px() {
    let Some(axe) = example::tool_file("axe-core/axe.min.js") else {
        return;
    };
    if tools().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fixture");
    for (rel, bytes) in tree(&repo().join("tests/fixtures/site-snapshot")) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let r = run(&["build"], &dir, &[("SOURCE_DATE_EPOCH", "1775466000")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_server, port) = serve(&dir);
    let axe = std::fs::read_to_string(axe).unwrap();
    let mut found: Vec<String> = Vec::new();
    runtime().block_on(async {
        for scheme in SCHEMES {
            let b = browser(scheme).await.expect("browser");
            for (w, h) in [(390, 844), (1280, 800)] {
                b.client.set_window_size(w, h).await.unwrap();
                for page in [
                    "/incidents/",
                    "/availability/",
                    "/",
                    "/hosts/beta/",
                    "/fleet/",
                ] {
                    b.client
                        .goto(&format!("http://127.0.0.1:{port}{page}"))
                        .await
                        .unwrap();
                    b.client.execute(&axe, vec![]).await.expect("load axe-core");
                    let v = b
                        .client
                        .execute_async(AXE_RUN, vec![])
                        .await
                        .expect("axe.run");
                    for item in v.as_array().cloned().unwrap_or_default() {
                        found.push(format!(
                            "{page} at {w} px, {scheme}: {}",
                            item.as_str().unwrap_or_default()
                        ));
                    }
                    // The uptime bars and tables wrap or scroll in their own box: the
                    // page itself never scrolls sideways.
                    let wide = b
                        .client
                        .execute(
                            "const d = document.documentElement; return d.scrollWidth > d.clientWidth + 1 ? d.scrollWidth : 0;",
                            vec![],
                        )
                        .await
                        .expect("measure the page");
                    if wide.as_u64().unwrap_or(0) > 0 {
                        found.push(format!("{page} at {w} px, {scheme}: the page is {wide} px wide"));
                    }
                }
            }
            let _ = b.client.close().await;
        }
    });
    assert!(found.is_empty(), "{}", found.join("\n"));
}
