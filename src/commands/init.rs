//! `fleetdoc init DIR`: a new docs project with a small example that builds at once. The
//! example is embedded, so a copy of the binary alone can start a project anywhere. With
//! `--from-traefik URL`, the topology starts from the routes that Traefik serves instead
//! of the example's (`--ca FILE` / `--insecure` for an API behind a private CA); when
//! Traefik cannot be read, nothing is written and the exit code is 3, as for `discover`.

use std::path::Path;

const FILES: &[(&str, &str)] = &[
    ("fleetdoc.yaml", include_str!("starter/fleetdoc.yaml")),
    (
        "content/fleet.yaml",
        include_str!("starter/content/fleet.yaml"),
    ),
    (
        "content/runbooks/operations.md",
        include_str!("starter/content/runbooks/operations.md"),
    ),
    (".gitignore", "/site\n/.fleetdoc/\n"),
];

pub fn init(dir: &Path, from_traefik: Option<&str>, tls: &crate::cli::TlsArgs) -> i32 {
    use crate::diag::{Diagnostics, Loc};
    if tls.given() && from_traefik.is_none() {
        crate::diag::error_line("--ca and --insecure are for the HTTPS of --from-traefik URL");
        return 2;
    }
    // Ask Traefik first: a failure leaves nothing half-written.
    let topology = match from_traefik {
        None => None,
        Some(url) => {
            let client = match super::trust::client(
                tls,
                "Traefik's API",
                std::time::Duration::from_secs(20),
            ) {
                Ok(c) => c,
                Err(code) => return code,
            };
            match crate::discover::traefik::read(url, &client) {
                Ok(routes) => Some(crate::discover::propose::starter(&routes, url)),
                Err(e) => {
                    crate::diag::error_line(e);
                    return super::discover::SOURCE_UNREADABLE;
                }
            }
        }
    };
    // The starter page is dated the day init runs and due for review in 90 days, so it is
    // not "review overdue" on its first build.
    let today = match super::now_or_exit() {
        Ok(now) => now.date_naive(),
        Err(code) => return code,
    };
    let runbook = FILES[2]
        .1
        .replace("{{updated}}", &today.to_string())
        .replace("{{review}}", &(today + chrono::Days::new(90)).to_string());
    let mut diags = Diagnostics::new();
    let existing: Vec<_> = FILES
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.exists())
        .collect();
    if let Some(first) = existing.first() {
        let others = match existing.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more of the files init writes)"),
        };
        diags.error(
            Loc::file_start(first),
            format!("already exists{others}; init only starts new projects: pick an empty folder"),
        );
        diags.print();
        return 1;
    }
    let write = |p: &Path, text: &str| -> std::io::Result<()> {
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, text)
    };
    for (rel, text) in FILES {
        let p = dir.join(rel);
        let text = match (&topology, *rel) {
            (Some(t), "content/fleet.yaml") => t.as_str(),
            (_, "content/runbooks/operations.md") => runbook.as_str(),
            _ => text,
        };
        if let Err(e) = write(&p, text) {
            diags.error(Loc::file_start(&p), format!("cannot write: {e}"));
        }
    }
    let probes = dir.join("content/probes");
    if let Err(e) = std::fs::create_dir_all(&probes) {
        diags.error(Loc::file_start(&probes), format!("cannot create: {e}"));
    }
    if diags.has_errors() {
        diags.print();
        return 1;
    }
    crate::diag::say(format!(
        "started a docs project in {}; next: cd {} && fleetdoc build   (or `fleetdoc watch` to preview)",
        dir.display(),
        dir.display()
    ));
    0
}
