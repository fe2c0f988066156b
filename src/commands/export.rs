//! `fleetdoc export --out DIR`: every page as GFM Markdown with fleet blocks expanded into
//! pipe tables, ready to commit into a repository's docs/ folder.

use std::path::Path;

pub fn export(root: &Path, out: &Path, force: bool, verbose: bool) -> i32 {
    if let Err(code) = super::checked_output(root, Some(out), "export", force) {
        return code;
    }
    let super::Prepared {
        project,
        mut diags,
        timer: mut t,
    } = match super::prepared(root, verbose) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if diags.has_errors() {
        diags.print();
        return 1;
    }
    let mut ctx = project.ctx();
    ctx.host_pages = false;
    let output = crate::render::export::export(&ctx, &mut diags);
    t.lap("render");
    diags.print();
    if diags.has_errors() {
        return 1;
    }
    if let Err(e) = crate::write::write_site(out, &output) {
        let mut diags = crate::diag::Diagnostics::new();
        diags.error(
            crate::diag::Loc::file_start(out),
            format!("cannot write the export: {e}"),
        );
        diags.print();
        return 1;
    }
    crate::diag::say(format!(
        "exported {} pages into {}",
        project.site.pages.len(),
        out.display()
    ));
    0
}
