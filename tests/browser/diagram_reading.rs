//! Diagrams that read anywhere, in Chromium: the explainer's poster and a wide topology
//! keep their text at 9 px, the diagrams' labels measure the same with the system's fonts
//! hidden, and inline diagrams take the dark palette with labels readable on their boxes.

use super::*;

/// The poster a page shows: its width on screen, and its smallest text there in px (the
/// SVG the shown PNG is drawn from, laid out at its own size in the page, each text's
/// size times its scale, scaled by the width shown). `null` without a poster.
const POSTER_TEXT: &str = r#"
var done = arguments[arguments.length - 1];
var img = document.querySelector('figure.poster img');
if (!img) { done(null); return; }
var shown = img.getBoundingClientRect().width;
var src = img.getAttribute('src').replace(/-small\.png$/, '.png').replace(/\.png$/, '.svg');
var full = document.querySelector('figure.poster a[href$=".png"]');
fetch(src).then(function (r) { return r.text(); }).then(function (text) {
  var box = document.createElement('div');
  box.style.cssText = 'position:absolute;left:0;top:0;visibility:hidden';
  box.innerHTML = text;
  document.body.appendChild(box);
  var svg = box.querySelector('svg');
  var w = parseFloat(svg.getAttribute('width'));
  svg.style.width = w + 'px';
  svg.style.height = 'auto';
  var root = svg.getScreenCTM().a;
  var min = Infinity;
  svg.querySelectorAll('text').forEach(function (t) {
    var m = t.getScreenCTM();
    var s = Math.sqrt(m.a * m.a + m.b * m.b) / root;
    min = Math.min(min, parseFloat(t.getAttribute('font-size')) * s);
  });
  box.remove();
  done([shown, min * shown / w, full ? full.getAttribute('href') : null]);
});
"#;

/// Row 9 of the reading audit: the explainer's poster was a 244 px thumbnail on a phone with
/// 2.4 px text, and at 1280 its embedded diagram was drawn at 4.95 px. Wherever the page
/// shows a poster its smallest text is 9 px or more, at 390 and 1280 px, and the full size
/// is one link away.
#[test]
fn explainer_poster_text_is_never_drawn_under_9_px_at_390_or_1280() {
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let (_server, port) = serve(&ex.dir);
    let mut small = Vec::new();
    let mut shown_at = Vec::new();
    runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        for (w, h) in WIDTHS {
            b.client.set_window_size(w, h).await.unwrap();
            b.client
                .goto(&format!(
                    "http://127.0.0.1:{port}/explainers/vps-architecture/"
                ))
                .await
                .unwrap();
            b.client.execute_async(SETTLED_JS, vec![]).await.unwrap();
            let v = b.client.execute_async(POSTER_TEXT, vec![]).await.unwrap();
            let (shown, px) = (v[0].as_f64().unwrap(), v[1].as_f64().unwrap_or(0.0));
            assert!(
                v[2].as_str().is_some_and(|h| h.ends_with(".png")),
                "at {w} px: no link to the full size: {v}"
            );
            if shown > 0.0 {
                shown_at.push(w);
                if px < 9.0 - 1e-3 {
                    small.push(format!(
                        "at {w} px: shown {shown:.0} px wide, text at {px:.2} px"
                    ));
                }
            }
        }
        let _ = b.client.close().await;
    });
    assert!(small.is_empty(), "{}", small.join("\n"));
    assert!(
        shown_at.contains(&1280),
        "the poster is not shown at 1280 px"
    );
}

/// Row 10: at 1280 px the fleet overview's topology needed 1,295 px in a 1,008 px column, and
/// the last host and the legend were cut off. At 1280 px no topology on any page is wider
/// than its box: it is fitted, or shown by its summary.
#[test]
fn a_topology_wider_than_the_column_at_1280_px_is_fitted_or_summed_up() {
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let (_server, port) = serve(&ex.dir);
    let mut cut = Vec::new();
    let mut seen = 0;
    runtime().block_on(async {
        let b = browser("light").await.expect("browser");
        b.client.set_window_size(1280, 900).await.unwrap();
        for p in pages(&ex.site) {
            b.client
                .goto(&format!("http://127.0.0.1:{port}{p}"))
                .await
                .unwrap();
            let v = b
                .client
                .execute(
                    "return Array.from(document.querySelectorAll('figure.diagram-topology .diagram-svg'))
                       .map(function (b) { return [b.scrollWidth, b.clientWidth]; });",
                    vec![],
                )
                .await
                .unwrap();
            for d in v.as_array().cloned().unwrap_or_default() {
                seen += 1;
                let (scroll, client) = (d[0].as_f64().unwrap(), d[1].as_f64().unwrap());
                if scroll > client + 1.0 {
                    cut.push(format!("{p}: {scroll} px in a {client} px box"));
                }
            }
        }
        let _ = b.client.close().await;
    });
    assert!(seen >= 1, "no topology seen");
    assert!(cut.is_empty(), "{}", cut.join("\n"));
}

/// The width of every label of every inline diagram on the page, in page order.
const LABEL_WIDTHS: &str = r#"
return Array.from(document.querySelectorAll('figure.diagram .diagram-svg svg text'))
  .map(function (t) { return [t.textContent, Math.round(t.getComputedTextLength() * 100) / 100]; });
"#;

/// A fontconfig file that is the system's, with every face of DejaVu Sans rejected: Chromium
/// started with it finds no DejaVu Sans on the system. (With no font at all, an empty
/// fontconfig, Chromium loads no web font either, so that cannot stand for a reader's
/// machine.) Rendering settings stay the system's, so only the font can differ.
fn without_dejavu_sans() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("fonts.conf"),
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n\
         <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>\n\
         <selectfont><rejectfont><pattern><patelt name=\"family\"><string>DejaVu Sans</string></patelt></pattern></rejectfont></selectfont>\n\
         </fontconfig>\n",
    )
    .unwrap();
    dir
}

/// Row 11: diagrams named `DejaVu Sans` with no fallback and no `@font-face`, so where the
/// system has no DejaVu (Windows, macOS, phones) labels fell back to the browser's serif,
/// wider than the boxes measured for them. With DejaVu Sans hidden from Chromium (its
/// fontconfig rejects it), every label of every inline diagram has the same width as with
/// the system's fonts: the site serves the font the labels were measured with.
#[test]
fn diagram_labels_measure_the_same_with_dejavu_hidden_from_the_system() {
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let (_server, port) = serve(&ex.dir);
    let fonts = without_dejavu_sans();
    let conf = fonts.path().join("fonts.conf");
    let paths = ["/fleet/", "/hosts/alpha/", "/explainers/vps-architecture/"];
    let measure = |env: Vec<(&'static str, PathBuf)>| {
        runtime().block_on(async {
            let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
            let b = browser_env("light", &env).await.expect("browser");
            b.client.set_window_size(1280, 900).await.unwrap();
            let mut out = Vec::new();
            for p in paths {
                b.client
                    .goto(&format!("http://127.0.0.1:{port}{p}"))
                    .await
                    .unwrap();
                b.client.execute_async(SETTLED_JS, vec![]).await.unwrap();
                out.push((p, b.client.execute(LABEL_WIDTHS, vec![]).await.unwrap()));
            }
            let _ = b.client.close().await;
            out
        })
    };
    let with_system = measure(Vec::new());
    let hidden = measure(vec![("FONTCONFIG_FILE", conf)]);
    let mut labels = 0;
    for ((p, a), (_, b)) in with_system.iter().zip(&hidden) {
        let (a, b) = (a.as_array().unwrap(), b.as_array().unwrap());
        assert_eq!(a.len(), b.len(), "{p}: label count");
        labels += a.len();
        for (x, y) in a.iter().zip(b) {
            assert_eq!(
                x, y,
                "{p}: [label, width] with the system's fonts, then hidden"
            );
        }
    }
    assert!(labels >= 50, "only {labels} labels measured");
    // The fallback after the served font is a generic family, never the browser's serif.
    let svg = std::fs::read_to_string(ex.site.join("diagrams/topology.svg")).unwrap();
    assert!(
        svg.contains("font-family=\"'DejaVu Sans', Verdana, sans-serif\""),
        "{}",
        &svg[..300]
    );
}

/// For every label of every inline diagram: the contrast of its fill with the fill of the
/// topmost shape under its middle (the box it sits on), and the diagram's background.
const LABEL_CONTRAST: &str = r#"
function rgb(c) { var m = c.match(/[\d.]+/g); return m ? m.slice(0, 3).map(Number) : null; }
function lum(c) {
  return c.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce(function (s, v, i) { return s + v * [0.2126, 0.7152, 0.0722][i]; }, 0);
}
function ratio(a, b) { var x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
var out = [];
document.querySelectorAll('figure.diagram .diagram-svg svg').forEach(function (svg) {
  var bg = svg.querySelector('rect.background');
  var page = rgb(getComputedStyle(bg).fill);
  var worst = null;
  svg.querySelectorAll('text').forEach(function (t) {
    var r = t.getBoundingClientRect();
    var x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) {
      t.scrollIntoView({block: 'center', inline: 'center'});
      r = t.getBoundingClientRect(); x = r.left + r.width / 2; y = r.top + r.height / 2;
    }
    var under = document.elementsFromPoint(x, y).filter(function (e) {
      return e !== t && svg.contains(e) && /^(rect|circle|ellipse)$/.test(e.tagName)
        && getComputedStyle(e).fill !== 'none';
    })[0];
    var back = under ? rgb(getComputedStyle(under).fill) : page;
    var c = ratio(rgb(getComputedStyle(t).fill), back);
    if (worst === null || c < worst[0]) { worst = [c, t.textContent]; }
  });
  out.push([svg.querySelector('title').textContent, lum(page), worst]);
});
return out;
"#;

/// Row 12: in dark mode every diagram was a bright white panel on the dark page. Inline
/// diagrams take a dark background in the dark theme (the system's, and the toggle's), and
/// in both themes every label meets WCAG AA (4.5:1) on the box it sits on.
#[test]
fn inline_diagrams_take_the_dark_palette_with_readable_labels() {
    if tools().is_none() {
        return;
    }
    let ex = example::get();
    let (_server, port) = serve(&ex.dir);
    let paths = [
        "/fleet/",
        "/hosts/alpha/",
        "/hosts/gamma/",
        "/explainers/vps-architecture/",
    ];
    let mut bad = Vec::new();
    let mut measured = 0;
    // The system's scheme, and the theme toggle's choice over it.
    let modes = [("light", None), ("dark", None), ("light", Some("dark"))];
    runtime().block_on(async {
        for (scheme, toggled) in modes {
            let b = browser(scheme).await.expect("browser");
            b.client.set_window_size(1280, 900).await.unwrap();
            let dark = toggled.unwrap_or(scheme) == "dark";
            for p in paths {
                b.client
                    .goto(&format!("http://127.0.0.1:{port}{p}"))
                    .await
                    .unwrap();
                if let Some(t) = toggled {
                    b.client
                        .execute(
                            "document.documentElement.setAttribute('data-theme', arguments[0]);",
                            vec![serde_json::json!(t)],
                        )
                        .await
                        .unwrap();
                }
                let v = b.client.execute(LABEL_CONTRAST, vec![]).await.unwrap();
                for d in v.as_array().cloned().unwrap_or_default() {
                    measured += 1;
                    let lum = d[1].as_f64().unwrap();
                    let scheme = format!(
                        "{scheme}{}",
                        toggled.map(|t| format!(" toggled {t}")).unwrap_or_default()
                    );
                    if dark != (lum < 0.05) {
                        bad.push(format!(
                            "{scheme} {p} {}: background luminance {lum:.2}",
                            d[0]
                        ));
                    }
                    let contrast = d[2][0].as_f64().unwrap_or(0.0);
                    if contrast < 4.5 {
                        bad.push(format!(
                            "{scheme} {p} {}: {:?} at {contrast:.2}:1",
                            d[0], d[2][1]
                        ));
                    }
                }
            }
            let _ = b.client.close().await;
        }
    });
    assert!(measured >= 12, "only {measured} diagrams measured");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
