//! Every place an address can hide in a file's bytes: the bytes themselves, their
//! percent-decoded form (`%3A` in a link), UTF-16 text (little or big endian, with or
//! without a byte order mark), gzip data, and the text chunks of a PNG (`tEXt`, and
//! `zTXt` / `iTXt` after inflating them). What is inflated is read again the same way, a
//! few levels deep, and never past [`MAX_INFLATED`] bytes.

use super::{Find, Matcher};
use flate2::read::{MultiGzDecoder, ZlibDecoder};
use std::io::Read;

/// The most bytes inflated from one file before it is reported as too large to search.
pub const MAX_INFLATED: u64 = 64 << 20;

/// How many compressed layers are opened, one inside the other.
const MAX_LAYERS: usize = 3;

/// Where a find is: the layers opened to reach it, outermost first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Gzip data (`.gz`, `.svgz`, ...).
    Gzip,
    /// A PNG text chunk: `tEXt`, `zTXt` or `iTXt`.
    PngText([u8; 4]),
}

/// How the bytes at a find are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    Plain,
    PercentEncoded,
    Utf16 { big_endian: bool },
}

/// One find: needle `find.needle` at byte `find.start..find.end` of the innermost layer
/// (in its own bytes, not in the decoded text), spelt `spelling`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeepFind {
    pub layers: Vec<Layer>,
    pub spelling: Spelling,
    pub find: Find,
}

/// What stopped the search of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsearchable {
    /// Compressed data that inflates past [`MAX_INFLATED`], in these layers.
    TooLarge(Vec<Layer>),
}

/// Every find of `m` in `bytes`, in every layer and spelling.
pub fn finds(m: &Matcher, bytes: &[u8]) -> Result<Vec<DeepFind>, Unsearchable> {
    let mut out = Vec::new();
    if !m.is_empty() {
        let mut budget = MAX_INFLATED;
        search(m, bytes, &mut Vec::new(), &mut budget, &mut out)?;
    }
    Ok(out)
}

fn search(
    m: &Matcher,
    bytes: &[u8],
    layers: &mut Vec<Layer>,
    budget: &mut u64,
    out: &mut Vec<DeepFind>,
) -> Result<(), Unsearchable> {
    let mut push = |spelling, find| {
        out.push(DeepFind {
            layers: layers.clone(),
            spelling,
            find,
        })
    };
    for f in m.find_all(bytes) {
        push(Spelling::Plain, f);
    }
    if bytes.contains(&b'%') {
        let (text, at) = percent_decoded(bytes);
        for f in m.find_all(&text) {
            let (start, end) = (at[f.start], at[f.end]);
            // Spelt with at least one escape: the plain search did not see it.
            if end - start != f.end - f.start {
                push(Spelling::PercentEncoded, Find { start, end, ..f });
            }
        }
    }
    if bytes.contains(&0) {
        // Text at an odd offset is read by the other byte order, one character late.
        for big_endian in [false, true] {
            let (text, at) = utf16_decoded(bytes, 0, big_endian);
            for f in m.find_all(text.as_bytes()) {
                let find = Find {
                    start: at[f.start],
                    end: at[f.end],
                    ..f
                };
                push(Spelling::Utf16 { big_endian }, find);
            }
        }
    }
    if layers.len() >= MAX_LAYERS {
        return Ok(());
    }
    let mut inner = |layer: Layer, data: &[u8], zlib: bool, out: &mut Vec<DeepFind>| {
        layers.push(layer);
        let r = inflate(data, zlib, budget, layers)
            .and_then(|plain| search(m, &plain, layers, budget, out));
        layers.pop();
        r
    };
    if bytes.starts_with(&[0x1f, 0x8b]) {
        inner(Layer::Gzip, bytes, false, out)?;
    }
    for (kind, data) in png_text_chunks(bytes) {
        let layer = Layer::PngText(kind);
        match &kind {
            b"zTXt" => {
                if let Some(z) = after_nul(data).and_then(|d| d.get(1..)) {
                    inner(layer, z, true, out)?;
                }
            }
            b"iTXt" => {
                let Some(rest) = after_nul(data) else {
                    continue;
                };
                let compressed = rest.first() == Some(&1);
                let Some(text) = rest.get(2..).and_then(after_nul).and_then(after_nul) else {
                    continue;
                };
                if compressed {
                    inner(layer, text, true, out)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The bytes after the first NUL.
fn after_nul(b: &[u8]) -> Option<&[u8]> {
    b.iter().position(|&c| c == 0).map(|i| &b[i + 1..])
}

fn inflate(
    data: &[u8],
    zlib: bool,
    budget: &mut u64,
    layers: &[Layer],
) -> Result<Vec<u8>, Unsearchable> {
    let mut plain = Vec::new();
    let limit = *budget + 1;
    // Data that is not well-formed gives what could be read: a broken stream cannot hide
    // what a reader could not get out of it either.
    let _ = if zlib {
        ZlibDecoder::new(data).take(limit).read_to_end(&mut plain)
    } else {
        MultiGzDecoder::new(data)
            .take(limit)
            .read_to_end(&mut plain)
    };
    let used = plain.len() as u64;
    if used > *budget {
        return Err(Unsearchable::TooLarge(layers.to_vec()));
    }
    *budget -= used;
    Ok(plain)
}

/// The chunks of a PNG whose text a reader can see: `tEXt`, `zTXt`, `iTXt`, each with its
/// data. Nothing when `bytes` is not a PNG; a truncated PNG gives the chunks before the cut.
fn png_text_chunks(bytes: &[u8]) -> Vec<([u8; 4], &[u8])> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    let mut out = Vec::new();
    let Some(mut rest) = bytes.strip_prefix(SIG) else {
        return out;
    };
    while rest.len() >= 12 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let kind = [rest[4], rest[5], rest[6], rest[7]];
        let Some(data) = rest.get(8..8 + len) else {
            break;
        };
        if matches!(&kind, b"tEXt" | b"zTXt" | b"iTXt") {
            out.push((kind, data));
        }
        rest = rest.get(12 + len..).unwrap_or_default();
    }
    out
}

/// `%XX` escapes decoded, with the offset in `bytes` of every decoded byte (and one past
/// the end).
fn percent_decoded(bytes: &[u8]) -> (Vec<u8>, Vec<usize>) {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut text = Vec::with_capacity(bytes.len());
    let mut at = Vec::with_capacity(bytes.len() + 1);
    let mut i = 0;
    while i < bytes.len() {
        at.push(i);
        if bytes[i] == b'%' {
            if let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) {
                text.push((h << 4) | l);
                i += 3;
                continue;
            }
        }
        text.push(bytes[i]);
        i += 1;
    }
    at.push(bytes.len());
    (text, at)
}

/// `bytes[skip..]` read as UTF-16 (a leading byte order mark is skipped when it says the
/// same order), broken units as U+FFFD, with the offset in `bytes` of every byte of the
/// decoded text (and one past the end).
fn utf16_decoded(bytes: &[u8], skip: usize, big_endian: bool) -> (String, Vec<usize>) {
    let body = bytes.get(skip..).unwrap_or_default();
    let units = body.chunks_exact(2).map(|p| {
        if big_endian {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    let mut text = String::with_capacity(body.len() / 2);
    let mut at = Vec::with_capacity(body.len() / 2 + 1);
    let mut unit = 0;
    for c in char::decode_utf16(units) {
        let (c, n) = match c {
            Ok(c) => (c, c.len_utf16()),
            Err(_) => (char::REPLACEMENT_CHARACTER, 1),
        };
        if !(unit == 0 && c == '\u{feff}') {
            for _ in 0..c.len_utf8() {
                at.push(skip + unit * 2);
            }
            text.push(c);
        }
        unit += n;
    }
    at.push(skip + unit * 2);
    (text, at)
}

#[cfg(test)]
mod tests {
    use super::super::Needle;
    use super::*;
    use std::io::Write;

    fn m() -> Matcher {
        Matcher::new(vec![(
            Needle::Ip("10.1.2.3".parse().unwrap()),
            "gamma".into(),
        )])
    }

    #[test]
    fn addresses_are_found_in_utf16_gzip_and_percent_encoding() {
        let utf16: Vec<u8> = "at 10.1.2.3:80"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let f = finds(&m(), &utf16).unwrap();
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].find.start, f[0].find.end), (6, 22));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"x 10.1.2.3").unwrap();
        let f = finds(&m(), &gz.finish().unwrap()).unwrap();
        assert_eq!(f[0].layers, vec![Layer::Gzip]);
        let f = finds(&m(), b"href=\"img-10%2E1.2.3.png\"").unwrap();
        assert_eq!(f[0].spelling, Spelling::PercentEncoded);
        assert_eq!((f[0].find.start, f[0].find.end), (10, 20));
    }
}
