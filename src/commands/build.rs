//! `fleetdoc build` and `fleetdoc check`.

use std::path::Path;

pub fn build(root: &Path, out: Option<&Path>, force: bool, verbose: bool) -> i32 {
    let out_dir = match super::checked_output(root, out, "site", force) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let super::Prepared {
        project,
        mut diags,
        timer: mut t,
    } = match super::prepared(root, verbose) {
        Ok(p) => p,
        Err(code) => return code,
    };
    // Only a site that exists can be left as it was.
    let kept = if out_dir.exists() {
        "; the previous site was left as it was"
    } else {
        ""
    };
    // Every input error is known after the model: rendering a site that cannot be written
    // would only cost time (minutes, for a big fleet).
    let failed = |diags: &crate::diag::Diagnostics| {
        diags.print();
        crate::diag::say(format!("build failed{kept}"));
        1
    };
    if diags.has_errors() {
        return failed(&diags);
    }
    let cannot_write = |mut diags: crate::diag::Diagnostics, e: std::io::Error| {
        diags.error(
            crate::diag::Loc::file_start(&out_dir),
            format!("cannot write the site: {e}{kept}"),
        );
        diags.print();
        1
    };
    // Pages go into the writer's temporary folder as they are rendered; the rest of the
    // site after. Dropped on any failure, the writer deletes its folder.
    let writer = match crate::write::Writer::create(&out_dir) {
        Ok(w) => w,
        Err(e) => return cannot_write(diags, e),
    };
    let (rest, streamed) = project.render_into(&writer, &mut diags, &mut t);
    if diags.has_errors() {
        drop(writer);
        return failed(&diags);
    }
    if let Err(e) = writer.finish(&rest) {
        return cannot_write(diags, e);
    }
    t.lap("write");
    diags.print();
    crate::diag::say(format!(
        "built {} pages, {} hosts, {} files into {}",
        project.site.pages.len(),
        project.site.fleet.hosts.len(),
        rest.files.len() + streamed,
        out_dir.display()
    ));
    0
}

pub fn check(root: &Path, strict: bool, verbose: bool) -> i32 {
    let super::Prepared {
        project,
        diags,
        timer: mut t,
    } = match super::prepared(root, verbose) {
        Ok(p) => p,
        Err(code) => return code,
    };
    // Every input error is found by the model stage: check renders nothing.
    let _ = &mut t;
    diags.print();
    if diags.has_errors() {
        return 1;
    }
    if strict && diags.warnings() > 0 {
        crate::diag::say(format!(
            "check failed: --strict counts the {} as errors",
            match diags.warnings() {
                1 => "warning".to_string(),
                n => format!("{n} warnings"),
            }
        ));
        return 1;
    }
    if diags.is_empty() {
        crate::diag::say(format!(
            "ok: {} pages, {} hosts, {} services",
            project.site.pages.len(),
            project.site.fleet.hosts.len(),
            project.site.fleet.services.len()
        ));
    }
    0
}
