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
    let output = project.render(&mut diags, &mut t);
    if diags.has_errors() {
        return failed(&diags);
    }
    if let Err(e) = crate::write::write_site(&out_dir, &output) {
        diags.error(
            crate::diag::Loc::file_start(&out_dir),
            format!("cannot write the site: {e}{kept}"),
        );
        diags.print();
        return 1;
    }
    t.lap("write");
    diags.print();
    crate::diag::say(format!(
        "built {} pages, {} hosts, {} files into {}",
        project.site.pages.len(),
        project.site.fleet.hosts.len(),
        output.files.len(),
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
