//! The HTML backend's side of links: a [`Target`] resolved in the model stage becomes a
//! relative `href` on the site (so the output works at `/`, under a path prefix and from
//! disk), percent-encoded where a file name needs it.

use crate::model::links::{encode_path, Target};
use crate::model::pages::Page;

/// The `href` for `target` on a page whose way back to the site root is `root`; `None`
/// when the link is dropped and only its text is shown.
pub fn href(target: &Target, root: &str, pages: &[std::sync::Arc<Page>]) -> Option<String> {
    let with_anchor = |mut s: String, a: &Option<String>| {
        if let Some(a) = a {
            s.push('#');
            s.push_str(a);
        }
        s
    };
    Some(match target {
        Target::AsWritten(s) => s.clone(),
        Target::Anchor(a) => format!("#{a}"),
        Target::Page { page, anchor } => {
            with_anchor(format!("{root}{}", encode_path(&pages[*page].url)), anchor)
        }
        Target::File { path, anchor } | Target::Generated { path, anchor } => {
            with_anchor(format!("{root}{}", encode_path(path)), anchor)
        }
        Target::TextOnly => return None,
    })
}
