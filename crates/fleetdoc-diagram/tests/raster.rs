//! What a reader of the PNGs notices: labels are drawn (dark pixels where the label is and
//! nowhere else), at the place and in the shapes usvg's own text engine gives them, with
//! their anchors and escapes honoured; hostile labels give a PNG or a named error; and
//! `rasterize_within` keeps to its pixel budget.

mod common;
use common::*;
use fleetdoc_diagram::*;

/// A decoded PNG as RGBA rows.
struct Image {
    w: u32,
    h: u32,
    rgba: Vec<u8>,
}

impl Image {
    fn decode(png: &[u8]) -> Image {
        let mut dec = png::Decoder::new(std::io::Cursor::new(png));
        dec.set_transformations(png::Transformations::EXPAND);
        let mut r = dec.read_info().expect("PNG header");
        let mut buf = vec![0; r.output_buffer_size().expect("buffer size")];
        let info = r.next_frame(&mut buf).expect("PNG data");
        assert_eq!(info.color_type, png::ColorType::Rgba, "RGBA output");
        buf.truncate(info.buffer_size());
        Image {
            w: info.width,
            h: info.height,
            rgba: buf,
        }
    }

    /// Whether the pixel is dark ink on the white page (transparent counts as white).
    fn dark(&self, x: u32, y: u32) -> bool {
        let i = ((y * self.w + x) * 4) as usize;
        let p = &self.rgba[i..i + 4];
        let lum = (u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) / 3;
        p[3] > 128 && lum < 110
    }

    fn dark_pixels(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (0..self.h)
            .flat_map(move |y| (0..self.w).filter_map(move |x| self.dark(x, y).then_some((x, y))))
    }

    /// Bounding box of the dark pixels: (min x, min y, max x, max y).
    fn ink_box(&self) -> Option<(u32, u32, u32, u32)> {
        self.dark_pixels().fold(None, |b, (x, y)| {
            Some(match b {
                None => (x, y, x, y),
                Some((a, c, d, e)) => (a.min(x), c.min(y), d.max(x), e.max(y)),
            })
        })
    }
}

/// One label on a white page, drawn at 1:1; `extra` goes into the `<text>` start tag.
fn label_svg(text: &str, size: f32, bold: bool, anchor: &str, x: f32, extra: &str) -> String {
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    let anchor = if anchor.is_empty() {
        String::new()
    } else {
        format!(" text-anchor=\"{anchor}\"")
    };
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"120\" viewBox=\"0 0 640 120\" font-family=\"DejaVu Sans\">\n<rect x=\"0\" y=\"0\" width=\"640\" height=\"120\" fill=\"#ffffff\"/>\n<text x=\"{x:.1}\" y=\"80.0\" font-size=\"{size:.1}\"{weight}{anchor} fill=\"#111827\"{extra}>{text}</text>\n</svg>\n"
    )
}

fn draw(svg: &str) -> Image {
    Image::decode(&rasterize(svg, 1.0).expect("rasterize"))
}

/// `font-kerning="auto"` is the default, so usvg draws the same, but a `<text>` with any
/// attribute beyond the crate's own is left to usvg's text engine: the reference picture.
const USVG_TEXT: &str = " font-kerning=\"auto\"";

/// Ink boxes agree within `tol` px on every side.
fn assert_boxes_close(label: &str, fast: &Image, usvg: &Image, tol: u32) {
    let (a, b) = (fast.ink_box().expect("ink"), usvg.ink_box().expect("ink"));
    for (p, q) in [(a.0, b.0), (a.1, b.1), (a.2, b.2), (a.3, b.3)] {
        assert!(
            p.abs_diff(q) <= tol,
            "{label:?}: ink box {a:?} vs usvg {b:?}"
        );
    }
}

/// Dark pixels that are dark in one picture only, and the dark pixels of the second.
fn ink_differences(a: &Image, b: &Image) -> (usize, usize) {
    let ink = b.dark_pixels().count();
    let differ = b.dark_pixels().filter(|&(x, y)| !a.dark(x, y)).count()
        + a.dark_pixels().filter(|&(x, y)| !b.dark(x, y)).count();
    (differ, ink)
}

/// Mean luminance of each 8x8 block, so a glyph nudged by kerning counts little and a
/// label in the wrong place counts a lot.
fn blocks(img: &Image) -> Vec<i32> {
    let mut out = Vec::new();
    for by in 0..img.h / 8 {
        for bx in 0..img.w / 8 {
            let mut sum = 0i32;
            for y in by * 8..by * 8 + 8 {
                for x in bx * 8..bx * 8 + 8 {
                    let i = ((y * img.w + x) * 4) as usize;
                    sum += (0..3).map(|c| i32::from(img.rgba[i + c])).sum::<i32>();
                }
            }
            out.push(sum / 192);
        }
    }
    out
}

#[test]
fn a_big_bold_label_is_ink_inside_its_box_and_nowhere_else() {
    let text = "Gitea HQ";
    let img = draw(&label_svg(text, 60.0, true, "", 20.0, ""));
    let w = text_width(text, 60.0, true);
    let (asc, desc) = line_extent(60.0, true);
    let inside = |x: u32, y: u32| {
        let (x, y) = (x as f32, y as f32);
        x >= 18.0 && x <= 22.0 + w && y >= 78.0 - asc && y <= 82.0 + desc
    };
    let (mut ink_in, mut ink_out) = (0u32, 0u32);
    for (x, y) in img.dark_pixels() {
        if inside(x, y) {
            ink_in += 1;
        } else {
            ink_out += 1;
        }
    }
    let area = w * (asc + desc);
    assert!(
        ink_in as f32 > area * 0.08,
        "label drawn: {ink_in} dark px in {area} px box"
    );
    assert_eq!(ink_out, 0, "no ink outside the label's box");
}

#[test]
fn stamped_labels_are_usvg_glyphs_at_usvg_places() {
    // Labels without kerning pairs: usvg places every glyph at the same advance, so the
    // pictures must be the same glyphs at the same places (shapes, weight, baseline,
    // anchors, escapes). Labels are stamped from masks placed to a quarter pixel, which
    // moves the edge of a few small glyphs by one pixel; a wrong glyph, weight or baseline
    // changes far more.
    let labels = [
        ("host-12", 13.0, true, ""),
        ("1 down · 1 stale", 11.0, false, ""),
        ("ß é Ω Ж → ✓ …", 24.0, false, "middle"),
        ("restic REST server", 17.0, true, "end"),
        ("0123456789", 40.0, false, "middle"),
        ("A &amp; B &lt;ci&gt; webhooks", 30.0, false, "end"),
    ];
    for (text, size, bold, anchor) in labels {
        let x = match anchor {
            "middle" => 320.0,
            "end" => 620.0,
            _ => 10.0,
        };
        let fast = draw(&label_svg(text, size, bold, anchor, x, ""));
        let usvg = draw(&label_svg(text, size, bold, anchor, x, USVG_TEXT));
        assert_boxes_close(text, &fast, &usvg, 1);
        let (differ, ink) = ink_differences(&fast, &usvg);
        assert!(
            ink > 30 && differ * 20 <= ink,
            "{text:?}: {differ} of {ink} dark pixels differ"
        );
    }
}

#[test]
fn kerned_usvg_text_and_outlines_agree_within_two_pixels() {
    // usvg kerns these pairs; the outlines advance exactly as the layout measured.
    for (text, bold) in [
        ("Traefik", true),
        ("docker · :3000", false),
        ("app0-5.example.com", false),
        ("Status board", false),
    ] {
        for anchor in ["", "middle", "end"] {
            let fast = draw(&label_svg(text, 13.0, bold, anchor, 320.0, ""));
            let usvg = draw(&label_svg(text, 13.0, bold, anchor, 320.0, USVG_TEXT));
            assert_boxes_close(text, &fast, &usvg, 2);
        }
    }
}

#[test]
fn text_anchor_middle_and_end_shift_by_the_measured_width() {
    let text = "Status board";
    let w = text_width(text, 30.0, false);
    let left = |anchor: &str| {
        draw(&label_svg(text, 30.0, false, anchor, 320.0, ""))
            .ink_box()
            .expect("ink")
            .0 as f32
    };
    let (start, middle, end) = (left(""), left("middle"), left("end"));
    assert!(
        (start - middle - w / 2.0).abs() <= 1.0,
        "middle: {start} {middle} {w}"
    );
    assert!((start - end - w).abs() <= 1.0, "end: {start} {end} {w}");
    let right = draw(&label_svg(text, 30.0, false, "end", 320.0, ""))
        .ink_box()
        .expect("ink")
        .2;
    // The last glyph's right side bearing ('d': under 3 px at this size) is left blank.
    assert!(
        (316..=320).contains(&right),
        "end-anchored text ends at x: {right}"
    );
}

#[test]
fn escaped_markup_in_labels_is_drawn_as_the_characters() {
    let fast = draw(&label_svg(
        "A &amp; B &lt;ci&gt;",
        30.0,
        false,
        "",
        10.0,
        "",
    ));
    let usvg = draw(&label_svg(
        "A &amp; B &lt;ci&gt;",
        30.0,
        false,
        "",
        10.0,
        USVG_TEXT,
    ));
    assert_boxes_close("escapes", &fast, &usvg, 1);
    let a = fast.ink_box().expect("ink");
    let w = text_width("A & B <ci>", 30.0, false);
    assert!(
        (a.2 - a.0) as f32 <= w && (a.2 - a.0) as f32 > w - 6.0,
        "ink {a:?} spans the width of the characters ({w}), not of the escapes"
    );
}

#[test]
fn whole_diagrams_look_the_same_as_with_usvg_text() {
    // Diagrams set their labels at 11-15 px, where kerning moves a glyph by a pixel at
    // most. (A poster's 38 px title is kerned visibly by usvg, so it is not compared here.)
    for svg in [
        render(&example_topology()),
        render(&example_flow()),
        render_layers(&example_layers()),
    ] {
        let usvg_text = svg.text.replace("<text ", "<text font-kerning=\"auto\" ");
        let (fast, slow) = (draw(&svg.text), draw(&usvg_text));
        assert_eq!((fast.w, fast.h), (slow.w, slow.h));
        let (a, b) = (blocks(&fast), blocks(&slow));
        let far = a
            .iter()
            .zip(&b)
            .filter(|(p, q)| p.abs_diff(**q) > 40)
            .count();
        let inked = b.iter().filter(|v| **v < 200).count();
        assert!(
            inked > 100 && far * 100 <= inked,
            "{far} of {inked} inked blocks differ"
        );
        // The labels are really drawn: without them, many blocks change.
        let bare = draw(&svg.text.replace("<text ", "<text display=\"none\" "));
        let gone = blocks(&bare)
            .iter()
            .zip(&b)
            .filter(|(p, q)| p.abs_diff(**q) > 40)
            .count();
        assert!(
            gone > 10 * far.max(1),
            "only {gone} blocks lose ink without labels"
        );
    }
}

#[test]
fn hostile_labels_give_a_png_or_a_named_error() {
    let cases = [
        "W".repeat(100_000),
        "label ".repeat(600).trim_end().to_string(),
        "😀中文\u{202E}e\u{301}".repeat(20_000),
        "&#xFFFF;".to_string(),
        "&#1;".to_string(),
        "\u{10FFFF}\u{E000}".to_string(),
    ];
    for (i, text) in cases.iter().enumerate() {
        let svg = label_svg(text, 12.0, false, "", 10.0, "");
        // The page fits the budget, so both calls draw at 1:1.
        let result = if i % 2 == 0 {
            rasterize_within(&svg, 1.0, 1e5)
        } else {
            rasterize(&svg, 1.0)
        };
        match result {
            Ok(png) => {
                let img = Image::decode(&png);
                assert_eq!((img.w, img.h), (640, 120));
                if i < 2 {
                    assert!(img.dark_pixels().count() > 1000, "case {i} is drawn");
                }
            }
            Err(RenderError::TextTooLong { chars }) => assert_eq!((i, chars), (2, 120_000)),
            Err(e) => assert!(
                i >= 3 && matches!(e, RenderError::Parse(_)),
                "case {i}: {e}"
            ),
        }
    }
    // Text the engine lays out in quadratic time is refused before it is laid out.
    let long = label_svg(
        &"W".repeat(MAX_TEXT_CHARS + 1),
        12.0,
        false,
        "",
        10.0,
        USVG_TEXT,
    );
    assert!(matches!(
        rasterize(&long, 1.0),
        Err(RenderError::TextTooLong { .. })
    ));
}

#[test]
fn rasterize_within_keeps_to_the_pixel_budget() {
    let svg = render(&example_topology());
    for budget in [1.0, 999.0, 250_000.0, 1e6, 3.3e6] {
        let img = Image::decode(&rasterize_within(&svg.text, 2.0, budget).expect("png"));
        assert!(
            f64::from(img.w) * f64::from(img.h) <= f64::from(budget),
            "{}x{} over {budget}",
            img.w,
            img.h
        );
        assert!(img.w >= 1 && img.h >= 1);
    }
    // Big enough a budget: exactly max_scale, the same picture `rasterize` draws.
    let within = rasterize_within(&svg.text, 2.0, 1e9).expect("png");
    assert_eq!(within, rasterize(&svg.text, 2.0).expect("png"));
    // Close to the budget: almost all of it is used.
    let img = Image::decode(&rasterize_within(&svg.text, 2.0, 1e6).expect("png"));
    assert!(f64::from(img.w) * f64::from(img.h) > 0.99e6);
}

#[test]
fn rasterize_within_refuses_bad_arguments_and_fits_hostile_sizes() {
    let svg = render(&example_host()).text;
    for b in [0.0, -5.0, 0.5, f32::NAN, f32::INFINITY] {
        assert!(matches!(
            rasterize_within(&svg, 2.0, b),
            Err(RenderError::InvalidPixelBudget(_))
        ));
    }
    for s in [0.0, f32::NAN, 17.0] {
        assert!(matches!(
            rasterize_within(&svg, s, 1e6),
            Err(RenderError::InvalidScale(_))
        ));
    }
    assert!(matches!(
        rasterize_within("<svg", 2.0, 1e6),
        Err(RenderError::Parse(_))
    ));
    // A picture too large at any sensible scale is drawn smaller, within the hard limits.
    let wide = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1000000" height="10"><rect width="1000000" height="10"/></svg>"#;
    let img = Image::decode(&rasterize_within(wide, 2.0, 1e9).expect("png"));
    assert!(img.w <= MAX_SIDE_PX && img.h >= 1);
}
