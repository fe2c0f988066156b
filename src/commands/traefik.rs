//! `fleetdoc traefik`: the Traefik v3 dynamic configuration (or docker labels) that routes
//! `serve.hostname` to the local `fleetdoc serve`, with an allow list in front of a site that
//! holds internal pages.

use crate::diag::Diagnostics;
use crate::load::pages::Classification;
use std::path::Path;

pub fn traefik(root: &Path, out: Option<&Path>, labels: bool) -> i32 {
    let mut diags = Diagnostics::new();
    let settings = crate::load::load_settings(root, &mut diags);
    let content = crate::load::pages::load_content(root, &root.join("content"), &[], &mut diags);
    if diags.has_errors() {
        diags.print();
        return 1;
    }
    let internal = content
        .pages
        .iter()
        .any(|p| p.front.classification != Classification::Public);
    let text = if labels {
        crate::traefik::docker_labels(&settings.serve, internal).map(|l| l.join("\n") + "\n")
    } else {
        crate::traefik::dynamic_config(&settings.serve, internal)
    };
    let text = match text {
        Ok(t) => t,
        Err(d) => {
            diags.extend_one(d);
            diags.print();
            return 1;
        }
    };
    match out {
        None => {
            print!("{text}");
            0
        }
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => {
                crate::diag::say(format!("wrote {}", path.display()));
                0
            }
            Err(e) => {
                diags.error(
                    crate::diag::Loc::file_start(path),
                    format!("cannot write: {e}"),
                );
                diags.print();
                1
            }
        },
    }
}
