//! `fleetdoc probe --from SOURCE`: a snapshot taken from a monitor the fleet already runs
//! (Prometheus with the blackbox exporter, Gatus, Uptime Kuma) instead of probing from
//! here. The snapshot is an ordinary one, with the monitor's history inside it for uptime;
//! results that match no declared service are listed as observed but not declared. Exit 3
//! (as `discover`) when the monitor could not be read, or when what it says now is stale
//! (an exporter that does not answer): then no snapshot is written and the last good one
//! stays.

use crate::analyze::observe::Matcher;
use fleetdoc_probe::monitors::{import, Source};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub fn probe_from(
    root: &Path,
    from: &str,
    gatus_config: Option<&Path>,
    out: Option<&Path>,
    timeout: Duration,
    tls: &crate::cli::TlsArgs,
    verbose: bool,
) -> i32 {
    let mut source = match Source::parse(from) {
        Ok(s) => s,
        Err(e) => {
            crate::diag::error_line(format!("--from {e}"));
            return 2;
        }
    };
    if let Some(path) = gatus_config {
        let Source::Gatus { endpoints, .. } = &mut source else {
            crate::diag::error_line("--gatus-config goes with --from gatus=URL");
            return 2;
        };
        match super::gatus_config::endpoint_urls(path) {
            Ok(urls) => *endpoints = urls,
            Err(e) => {
                crate::diag::error_line(e);
                return crate::commands::discover::SOURCE_UNREADABLE;
            }
        }
    }
    let client = match super::trust::client(tls, source.name(), timeout) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let super::Prepared { project, diags, .. } = match super::prepared(root, verbose) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if diags.has_errors() {
        diags.print();
        return 1;
    }
    let imported = match import(&source, project.now, &client) {
        Ok(i) => i,
        Err(e) => {
            crate::diag::error_line(e);
            return crate::commands::discover::SOURCE_UNREADABLE;
        }
    };
    for w in &imported.warnings {
        crate::diag::warning_line(w);
    }
    if !imported.stale.is_empty() {
        for w in &imported.stale {
            crate::diag::warning_line(w);
        }
        crate::diag::error_line(format!(
            "{} does not measure now (see the warnings above): no snapshot written, the last good one stays",
            source.name()
        ));
        return crate::commands::discover::SOURCE_UNREADABLE;
    }
    let snap = imported.snapshot;
    let matcher = Matcher::new(&project.site.fleet);
    for r in &snap.results {
        if matcher.service(r).is_none() && matcher.pinged_host(r).is_none() {
            crate::diag::say(format!(
                "observed but not declared: {} {}{} ({}); declare it as a service's `public` or address and port to match it",
                r.check,
                r.target,
                r.name
                    .as_deref()
                    .filter(|n| *n != r.target)
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default(),
                if r.ok { "ok" } else { "failing" }
            ));
        }
    }
    let out: PathBuf = match out {
        Some(o) => o.to_path_buf(),
        None => root
            .join(&project.inputs.settings.probes)
            .join(format!("{}.json", source.name())),
    };
    if !crate::commands::probe::write_snapshot(&out, &snap) {
        return 1;
    }
    if !crate::commands::probe::into_store(root, &project, &snap) {
        return 1;
    }
    crate::diag::say(format!(
        "{} from {}, {} earlier measurements -> {}",
        fleetdoc_probe::summary(&snap),
        source.name(),
        snap.history.len(),
        out.display()
    ));
    0
}
