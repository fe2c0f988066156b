//! Every golden SVG drawn by the crate's PNG path looks like the same SVG drawn by an
//! independent renderer, librsvg's `rsvg-convert`: the shapes (labels taken out, since the
//! two place glyphs differently by design) agree pixel for pixel within anti-aliasing, and
//! the whole picture, labels included, agrees block by block. This is what catches a stroke
//! the PNG drops (a legend's line sample, the globe's equator) while a browser draws it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A picture as one luminance value per pixel over a white page.
struct Gray {
    w: usize,
    h: usize,
    lum: Vec<u8>,
}

fn decode(png: &[u8]) -> Gray {
    let mut dec = png::Decoder::new(std::io::Cursor::new(png));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut r = dec.read_info().expect("PNG header");
    let mut buf = vec![0; r.output_buffer_size().expect("buffer size")];
    let info = r.next_frame(&mut buf).expect("PNG data");
    buf.truncate(info.buffer_size());
    let channels = info.color_type.samples();
    let lum = buf
        .chunks_exact(channels)
        .map(|p| {
            let (rgb, a) = match channels {
                4 => ([p[0], p[1], p[2]], p[3]),
                3 => ([p[0], p[1], p[2]], 255),
                2 => ([p[0], p[0], p[0]], p[1]),
                _ => ([p[0], p[0], p[0]], 255),
            };
            let l = (u32::from(rgb[0]) * 3 + u32::from(rgb[1]) * 6 + u32::from(rgb[2])) / 10;
            // Over white.
            ((l * u32::from(a) + 255 * (255 - u32::from(a))) / 255) as u8
        })
        .collect();
    Gray {
        w: info.width as usize,
        h: info.height as usize,
        lum,
    }
}

/// Whether `rsvg-convert` runs. Under `CI` a missing one fails the test; elsewhere the test
/// says it is skipped.
fn have_rsvg() -> bool {
    let ok = Command::new("rsvg-convert")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("rsvg-convert is not installed, and CI is set: install it with `apt-get install librsvg2-bin`");
        }
        eprintln!(
            "skipped: rsvg-convert not installed (install it with `apt-get install librsvg2-bin`)"
        );
    }
    ok
}

fn rsvg(svg: &str, scale: f32) -> Gray {
    let mut child = Command::new("rsvg-convert")
        .args(["--zoom", &scale.to_string(), "--format", "png"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rsvg-convert");
    let mut stdin = child.stdin.take().expect("stdin");
    let text = svg.to_string();
    let feeder = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let out = child.wait_with_output().expect("rsvg-convert runs");
    feeder.join().expect("feeder").expect("write SVG");
    assert!(
        out.status.success(),
        "rsvg-convert failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    decode(&out.stdout)
}

fn ours(svg: &str, scale: f32) -> Gray {
    decode(&fleetdoc_diagram::rasterize(svg, scale).expect("rasterizes"))
}

/// The SVG without its `<text>` elements.
fn without_text(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find("<text") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find("</text>").expect("closed text") + at + "</text>".len();
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Pixels of `a` that differ by more than anti-aliasing from every pixel of `b` within one
/// pixel (a stroke may round to the next pixel row in one renderer and not the other).
fn stray_pixels(a: &Gray, b: &Gray) -> Vec<(usize, usize)> {
    const AA: i32 = 96;
    let mut stray = Vec::new();
    for y in 0..a.h.min(b.h) {
        for x in 0..a.w.min(b.w) {
            let v = i32::from(a.lum[y * a.w + x]);
            let near = (y.saturating_sub(1)..=(y + 1).min(b.h - 1)).any(|yy| {
                (x.saturating_sub(1)..=(x + 1).min(b.w - 1))
                    .any(|xx| (i32::from(b.lum[yy * b.w + xx]) - v).abs() <= AA)
            });
            if !near {
                stray.push((x, y));
            }
        }
    }
    stray
}

/// Mean luminance of each 8x8 block.
fn blocks(g: &Gray) -> Vec<i32> {
    let (bw, bh) = (g.w.div_ceil(8), g.h.div_ceil(8));
    let mut sum = vec![0i32; bw * bh];
    for y in 0..g.h {
        for x in 0..g.w {
            sum[(y / 8) * bw + x / 8] += i32::from(g.lum[y * g.w + x]);
        }
    }
    sum.into_iter().map(|s| s / 64).collect()
}

fn goldens() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("golden dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    v.sort();
    v
}

/// The large golden is compared at a smaller scale to keep a debug build quick.
fn scale_for(path: &Path) -> f32 {
    if path.file_name().is_some_and(|n| n == "big-fleet.svg") {
        0.5
    } else {
        1.0
    }
}

#[test]
fn every_golden_png_draws_the_shapes_of_its_svg() {
    if !have_rsvg() {
        return;
    }
    let files = goldens();
    assert!(files.len() >= 7, "the goldens are found: {files:?}");
    for path in files {
        let svg = without_text(&std::fs::read_to_string(&path).expect("read golden"));
        let scale = scale_for(&path);
        let (mine, theirs) = (ours(&svg, scale), rsvg(&svg, scale));
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        assert_eq!((mine.w, mine.h), (theirs.w, theirs.h), "{name}: same size");
        let missing = stray_pixels(&theirs, &mine);
        let extra = stray_pixels(&mine, &theirs);
        assert!(
            missing.len() + extra.len() == 0,
            "{name}: {} pixels drawn by rsvg-convert are missing from the PNG (first {:?}), {} extra (first {:?})",
            missing.len(),
            missing.first(),
            extra.len(),
            extra.first(),
        );
    }
}

#[test]
fn every_golden_png_looks_like_its_svg_with_labels() {
    if !have_rsvg() {
        return;
    }
    for path in goldens() {
        let svg = std::fs::read_to_string(&path).expect("read golden");
        let scale = scale_for(&path);
        let (mine, theirs) = (blocks(&ours(&svg, scale)), blocks(&rsvg(&svg, scale)));
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        assert_eq!(mine.len(), theirs.len(), "{name}: same size");
        let far = mine
            .iter()
            .zip(&theirs)
            .filter(|(a, b)| (*a - *b).abs() > 48)
            .count();
        assert!(
            far * 200 <= mine.len(),
            "{name}: {far} of {} 8x8 blocks differ from rsvg-convert's picture",
            mine.len()
        );
    }
}
