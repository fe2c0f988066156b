//! The last check before anything is published: no declared address or internal name may
//! be left in any file of the public site, in its name, its text, its SVG, its XML or JSON,
//! or a PNG's bytes (text chunks included). Redaction happens on the model; this audit only
//! looks, and a find is an error that stops the publish.

use crate::base::tokens;
use crate::diag::{Diagnostics, Loc};
use crate::model::public::Rule;
use crate::render::output::{FileData, Output};

/// Report each token of `rules` that is still in the output: one error per token, at the
/// first file that holds it, with how many others do.
pub fn audit(out: &Output, rules: &[Rule], diags: &mut Diagnostics) {
    let mut found: Vec<Vec<(&str, bool)>> = vec![Vec::new(); rules.len()];
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
        for ((needle, kind, _), hits) in rules.iter().zip(found.iter_mut()) {
            let in_name = !tokens::find_all(path.as_bytes(), needle, *kind).is_empty();
            if in_name || !tokens::find_all(&bytes, needle, *kind).is_empty() {
                hits.push((path.as_str(), in_name));
            }
        }
    }
    for ((needle, _, _), hits) in rules.iter().zip(found) {
        let Some((first, in_name)) = hits.first() else {
            continue;
        };
        let others = match hits.len() - 1 {
            0 => String::new(),
            1 => " (and 1 other file)".into(),
            n => format!(" (and {n} other files)"),
        };
        diags.error(
            Loc::file_start(format!("site/{first}")),
            format!(
                "the public site would publish `{needle}` in {}{others}; nothing was published. Remove it from the page, setting or file it comes from",
                if *in_name { "this file's name" } else { "this file" }
            ),
        );
    }
}
