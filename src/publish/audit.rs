//! The last check before anything is published: no declared address or internal name may
//! be left in any file of the public site, in its name, its text, its SVG, its XML or JSON,
//! or a PNG's bytes (text chunks included). Redaction happens on the model; this audit only
//! looks, and a find is an error that stops the publish.

use crate::base::tokens;
use crate::diag::{Diagnostics, Loc};
use crate::model::public::Rule;
use crate::render::output::{FileData, Output};

/// Report every output file that still holds a token of `rules`.
pub fn audit(out: &Output, rules: &[Rule], diags: &mut Diagnostics) {
    for (path, data) in &out.files {
        let bytes: std::borrow::Cow<[u8]> = match data {
            FileData::Bytes(b) => b.as_ref().into(),
            FileData::Copy(p) => match std::fs::read(p) {
                Ok(b) => b.into(),
                Err(e) => {
                    diags.error(
                        Loc::file_start(p),
                        format!("cannot read for the publish audit: {e}"),
                    );
                    continue;
                }
            },
        };
        for (needle, kind, _) in rules {
            let in_name = !tokens::find_all(path.as_bytes(), needle, *kind).is_empty();
            let in_data = !tokens::find_all(&bytes, needle, *kind).is_empty();
            if in_name || in_data {
                diags.error(
                    Loc::file_start(format!("site/{path}")),
                    format!(
                        "the public site would publish `{needle}` in {}; nothing was published. Remove it from the page or file it comes from",
                        if in_name { "this file's name" } else { "this file" }
                    ),
                );
            }
        }
    }
}
