//! The one-page edit: a save that changed the text of pages the last good build had, and
//! nothing the rest of the site shows of them (their title and front matter, their heading
//! anchors, the diagrams they show), is built from the last build's model without loading,
//! modelling or rendering anything else: each page is read, modelled, its links and blocks
//! resolved against the site as it stands, rendered exactly as a whole rebuild would render
//! it (`render::site::render_one`: the same cache key, so the same bytes) and written, and
//! the browser reloads. Then, while the reader looks at the page, `run` does the whole
//! rebuild after all (`Session::rebuild_changed`): it finds the page already rendered,
//! writes whatever else the edit changed (nothing, for such an edit, checked by
//! tests/watch.rs), makes the search index and reloads again only if it wrote something.
//!
//! Anything else (a new, removed or renamed page, a changed title, heading or front
//! matter, a page with a poster, a new error) goes the whole way at once.

use super::{Rebuild, Session};
use crate::diag::Diagnostics;
use crate::load::pages::PageKind;
use crate::model::pages::Page;
use crate::pipeline::Timer;
use crate::render::output::Output;
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

/// Whether what other outputs show of a page is the same in `a` and `b`: its URL, title,
/// front matter and heading anchors (other pages' links, the topic list, feed and sitemap,
/// its neighbours' previous/next links), and the diagrams it shows (their files).
fn same_face(a: &Page, b: &Page) -> bool {
    a.url == b.url
        && a.title == b.title
        && a.source.front == b.source.front
        && a.headings.len() == b.headings.len()
        && a.headings
            .iter()
            .zip(&b.headings)
            .all(|(x, y)| x.anchor == y.anchor)
        && a.source.front.kind != PageKind::Explainer
}

impl Session {
    /// Rebuild after a save of existing pages' text only (see the module's comment), or
    /// `None` when the change needs the whole rebuild. `changed` are the paths the file
    /// events named.
    pub fn page_edit(&mut self, changed: &HashSet<PathBuf>) -> Option<Rebuild> {
        let started = Instant::now();
        let mut t = Timer::new(self.verbose);
        let content = self.root.join("content");
        let Session {
            caches,
            last_good,
            last_project,
            out_dir,
            ..
        } = self;
        let (good, project) = (last_good.as_mut()?, last_project.as_mut()?);
        // The pages named: every input among the paths must be one.
        let mut which: Vec<(usize, PathBuf)> = Vec::new();
        for path in changed {
            if !super::is_input(&self.root, out_dir, path) {
                continue;
            }
            let rel = crate::base::paths::slashed(path.strip_prefix(&content).ok()?);
            let i = *project.site.page_index().get(&rel)?;
            // A regular file still (not removed, not replaced by a link or a folder).
            if !std::fs::symlink_metadata(path).ok()?.is_file() {
                return None;
            }
            which.push((i, path.clone()));
        }
        if which.is_empty() {
            return None;
        }
        which.sort();
        let mut d = Diagnostics::new();
        let mut sources = Vec::new();
        for (i, path) in &which {
            let old = &project.site.pages[*i];
            let (rel, shown) = (old.source.rel.clone(), old.source.shown.clone());
            // Read whatever its size and time say: a second save within the same clock
            // tick may keep both. The file cache then holds what was read, for the whole
            // rebuild that follows.
            let stamp = crate::load::file_cache::stamp(path)?;
            let mut read = Diagnostics::new();
            let source = crate::load::pages::read_page(rel, path, shown, &mut read)?;
            caches.files.pages.insert(
                path.clone(),
                crate::load::file_cache::Cached {
                    stamp,
                    value: Some(source.clone()),
                    diags: read.clone(),
                },
            );
            d.extend(read);
            if source.key != old.source.key {
                sources.push((*i, source));
            }
        }
        t.lap("load");
        if d.has_errors() {
            return None;
        }
        for (i, source) in sources.iter().cloned() {
            let page =
                crate::model::pages::build_cached(vec![source], &mut d, &mut caches.pages).pop()?;
            if !same_face(&project.site.pages[i], &page) {
                return None;
            }
            project.site.pages[i] = page;
        }
        let todo: Vec<usize> = sources.iter().map(|(i, _)| *i).collect();
        for ((refs, page_diags), &i) in project.site.resolve_pages(&todo).into_iter().zip(&todo) {
            if page_diags.has_errors() || !same_diagrams(&project.site.refs[i], &refs) {
                return None;
            }
            project.site.refs[i] = refs;
        }
        t.lap("model");
        let ctx = project.ctx();
        let keys = crate::render::site::Keys::new(&ctx, &project.inputs.templates);
        let tera = caches.render.tera(keys.templates, &mut d, |d| {
            crate::render::theme::tera(&project.inputs.templates, d)
        });
        let mut out = Output::default();
        for &i in &todo {
            let (path, page) =
                crate::render::site::render_one(&ctx, &tera, &keys, i, &mut caches.render);
            if page.diags.has_errors() {
                return None;
            }
            out.bytes(path, page.html);
        }
        let stats = caches.render.take_stats();
        t.lap("render");
        if d.has_errors() {
            return None;
        }
        let old = good.at_paths_of(&out);
        let written = match crate::write::update_site(out_dir, &old, &out) {
            Ok(n) => n,
            // The whole rebuild says what is wrong with the site folder.
            Err(_) => return None,
        };
        good.files.extend(out.files);
        t.lap("write");
        Some(Rebuild {
            ok: true,
            stats,
            written,
            // The whole rebuild that follows prints the site's warnings.
            diagnostics: Vec::new(),
            elapsed: started.elapsed(),
        })
    }
}

/// Whether two resolutions of a page show the same diagrams (so the same diagram files).
fn same_diagrams(a: &crate::model::site::PageRefs, b: &crate::model::site::PageRefs) -> bool {
    a.diagrams().eq(b.diagrams())
}
