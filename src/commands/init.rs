//! `fleetdoc init DIR`: a new docs project with a small example that builds at once. The
//! example is embedded, so a copy of the binary alone can start a project anywhere. With
//! `--from-traefik URL`, the topology starts from the routes that Traefik serves instead
//! of the example's.

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
    (".gitignore", "/site\n"),
];

pub fn init(dir: &Path, from_traefik: Option<&str>) -> i32 {
    // Ask Traefik first: a failure leaves nothing half-written.
    let topology = match from_traefik {
        None => None,
        Some(url) => {
            match crate::discover::traefik::read(url, std::time::Duration::from_secs(20)) {
                Ok(routes) => Some(crate::discover::propose::starter(&routes, url)),
                Err(e) => {
                    eprintln!("fleetdoc: error: {e}");
                    return 1;
                }
            }
        }
    };
    for (rel, _) in FILES {
        let p = dir.join(rel);
        if p.exists() {
            eprintln!(
                "fleetdoc: error: {} already exists; init only starts new projects",
                p.display()
            );
            return 1;
        }
    }
    for (rel, text) in FILES {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            if let Err(e) = std::fs::create_dir_all(parent) {
                eprintln!("fleetdoc: error: cannot create {}: {e}", parent.display());
                return 1;
            }
        }
        let text = match (&topology, *rel) {
            (Some(t), "content/fleet.yaml") => t.as_str(),
            _ => text,
        };
        if let Err(e) = std::fs::write(&p, text) {
            eprintln!("fleetdoc: error: cannot write {}: {e}", p.display());
            return 1;
        }
    }
    if let Err(e) = std::fs::create_dir_all(dir.join("content/probes")) {
        eprintln!("fleetdoc: error: cannot create the probes folder: {e}");
        return 1;
    }
    eprintln!("fleetdoc: started a docs project in {}", dir.display());
    eprintln!(
        "next: cd {} && fleetdoc build   (or `fleetdoc watch` to preview)",
        dir.display()
    );
    0
}
