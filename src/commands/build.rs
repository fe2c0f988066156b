//! `fleetdoc build` and `fleetdoc check`.

use std::path::Path;

pub fn build(root: &Path, out: Option<&Path>, verbose: bool) -> i32 {
    let super::Prepared {
        project,
        mut diags,
        timer: mut t,
    } = match super::prepared(root, verbose) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let output = project.render(&mut diags, &mut t);
    let out_dir = match out {
        Some(o) => o.to_path_buf(),
        None => root.join(&project.inputs.settings.output),
    };
    // Only a site that exists can be left as it was.
    let kept = if out_dir.exists() {
        "; the previous site was left as it was"
    } else {
        ""
    };
    if diags.has_errors() {
        diags.print();
        crate::diag::say(format!("build failed{kept}"));
        return 1;
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
