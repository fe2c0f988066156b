//! The last check before anything is published: no declared address or internal name may
//! be left in any file of the public site, in its name or its bytes, in any spelling and
//! in any layer a reader can open (see [`crate::base::addresses`]: percent-encoded, UTF-16,
//! gzip, PNG text chunks). Redaction happens on the model with the same matcher; this
//! audit only looks, and every find is an error, at its position, that stops the publish.

use crate::base::addresses::deep::{self, DeepFind, Layer, Spelling, Unsearchable};
use crate::base::addresses::Matcher;
use crate::diag::{Diagnostics, Loc, Pos};
use crate::render::output::{FileData, Output};

/// The most finds listed one by one; the rest are counted in one more error.
pub const MAX_LISTED: usize = 200;

/// Report every find of `rules` in `out` (file names and contents) and in `extra`, the
/// other files a publish writes (its entry in the shared index), by name and bytes.
pub fn audit(out: &Output, extra: &[(String, Vec<u8>)], rules: &Matcher, diags: &mut Diagnostics) {
    let mut listed = 0usize;
    let mut unlisted = 0usize;
    let mut report = |diags: &mut Diagnostics, what: &dyn Fn() -> (Loc, String)| {
        if listed < MAX_LISTED {
            listed += 1;
            let (loc, msg) = what();
            diags.error(loc, msg);
        } else {
            unlisted += 1;
        }
    };
    let files = out
        .files
        .iter()
        .map(|(path, data)| (format!("site/{path}"), path.as_str(), Some(data), None))
        .chain(
            extra
                .iter()
                .map(|(name, bytes)| (name.clone(), name.as_str(), None, Some(bytes))),
        );
    for (shown, name, data, bytes) in files {
        for f in rules.find_all(name.as_bytes()) {
            report(diags, &|| {
                (
                    Loc::file_start(&shown),
                    format!(
                        "the public site would publish `{}` in this file's name; nothing was published. {}",
                        &name[f.start..f.end],
                        what_to_do(rules, f.needle)
                    ),
                )
            });
        }
        let bytes: std::borrow::Cow<[u8]> = match (data, bytes) {
            (Some(FileData::Bytes(b)), _) => b.as_ref().into(),
            (Some(FileData::Copy(p)), _) => match std::fs::read(p) {
                Ok(b) => b.into(),
                Err(e) => {
                    diags.error(
                        Loc::file_start(p),
                        format!("cannot read for the publish audit: {e}; nothing was published"),
                    );
                    continue;
                }
            },
            (None, Some(b)) => b.as_slice().into(),
            (None, None) => continue,
        };
        match deep::finds(rules, &bytes) {
            Ok(finds) => {
                for f in finds {
                    report(diags, &|| {
                        let (pos, place) = place(&bytes, &f);
                        let spelt = match f.spelling {
                            Spelling::Plain if f.layers.is_empty() => {
                                String::from_utf8_lossy(&bytes[f.find.start..f.find.end])
                                    .into_owned()
                            }
                            _ => rules.needle(f.find.needle).0.to_string(),
                        };
                        (
                            Loc::new(&shown, pos),
                            format!(
                                "the public site would publish `{spelt}`{place}; nothing was published. {}",
                                what_to_do(rules, f.find.needle)
                            ),
                        )
                    });
                }
            }
            Err(Unsearchable::TooLarge(layers)) => diags.error(
                Loc::file_start(&shown),
                format!(
                    "cannot search {} for host addresses: it inflates past {} MiB; nothing was published. Publish it uncompressed or leave it out",
                    layer_names(&layers),
                    deep::MAX_INFLATED >> 20
                ),
            ),
        }
    }
    if unlisted > 0 {
        diags.error(
            Loc::file_start("site"),
            format!("and {unlisted} more places that would publish a host address (the first {MAX_LISTED} are listed)"),
        );
    }
}

fn what_to_do(rules: &Matcher, needle: usize) -> String {
    format!(
        "It is the address of host `{}`: remove it from the page, setting or file it comes from",
        rules.needle(needle).1
    )
}

/// The position of a find, as line and column when it is in the file's own text, and the
/// words that say where it is otherwise.
fn place(bytes: &[u8], f: &DeepFind) -> (Pos, String) {
    let spelt = match f.spelling {
        Spelling::Plain => "",
        Spelling::PercentEncoded => " percent-encoded",
        Spelling::Utf16 { big_endian: false } => " in UTF-16LE text",
        Spelling::Utf16 { big_endian: true } => " in UTF-16BE text",
    };
    if f.layers.is_empty() {
        let before = &bytes[..f.find.start];
        let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
        let col = before.len()
            - before
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        return (Pos::new(line, col), format!(" here{spelt}"));
    }
    (
        Pos::new(1, 1),
        format!(
            "{spelt} in {}, at byte {} of it",
            layer_names(&f.layers),
            f.find.start
        ),
    )
}

fn layer_names(layers: &[Layer]) -> String {
    layers
        .iter()
        .rev()
        .map(|l| match l {
            Layer::Gzip => "gzip-compressed data".to_string(),
            Layer::PngText(kind) => format!("a PNG {} text chunk", String::from_utf8_lossy(kind)),
        })
        .collect::<Vec<_>>()
        .join(" inside ")
}
