//! `fleetdoc probe`: checks every declared target of the fleet and adds the snapshot
//! to the project's history store (and writes it to `--out`, atomically, when given). HTTP for each public hostname, TCP for
//! each declared port; with `--host ID`, also the systemd units and docker containers of
//! that host (the machine the probe runs on).

use crate::model::{Address, Fleet, ServiceKind};
use fleetdoc_probe::{Check, Options, Target};
use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

pub struct ProbeArgs<'a> {
    pub root: &'a Path,
    pub out: Option<&'a Path>,
    pub host: Option<&'a str>,
    pub timeout: Duration,
    pub concurrency: usize,
    pub tls: &'a crate::cli::TlsArgs,
}

/// Every check the topology implies; systemd and docker only for `local_host`.
pub fn targets(fleet: &Fleet, local_host: Option<usize>) -> Vec<Target> {
    let mut out = Vec::new();
    for s in &fleet.services {
        if let Some(p) = &s.public {
            out.push(Target {
                check: Check::Http {
                    url: format!("https://{p}/"),
                },
                host: None,
            });
        }
    }
    for s in &fleet.services {
        for &h in &s.hosts {
            let host = &fleet.hosts[h];
            let addr = match &host.address {
                Address::Ip(std::net::IpAddr::V6(v6)) => format!("[{v6}]"),
                a => a.to_string(),
            };
            for port in &s.ports {
                out.push(Target {
                    check: Check::Tcp {
                        addr: format!("{addr}:{port}"),
                    },
                    host: Some(host.id.to_string()),
                });
            }
            if Some(h) != local_host {
                continue;
            }
            let check = match s.kind {
                ServiceKind::Systemd | ServiceKind::Timer => Check::Systemd {
                    unit: s.unit.clone().unwrap_or_else(|| {
                        format!(
                            "{}.{}",
                            s.id,
                            if s.kind == ServiceKind::Timer {
                                "timer"
                            } else {
                                "service"
                            }
                        )
                    }),
                },
                ServiceKind::Docker => Check::Docker {
                    container: s.container_name().to_string(),
                },
                _ => continue,
            };
            out.push(Target {
                check,
                host: Some(host.id.to_string()),
            });
        }
    }
    out.dedup();
    out
}

pub fn probe(args: ProbeArgs, verbose: bool) -> i32 {
    let super::Prepared { project, diags, .. } = match super::prepared(args.root, verbose) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let local = match args.host {
        None => None,
        Some(id) => match project.site.fleet.host_ix(id) {
            Some(h) => Some(h),
            None => {
                let hint = crate::base::suggest::did_you_mean(
                    id,
                    project.site.fleet.hosts.iter().map(|h| h.id.as_str()),
                )
                .unwrap_or_default();
                crate::diag::error_line(format!(
                    "--host `{id}` is not a host of the topology{hint}"
                ));
                return 2;
            }
        },
    };
    if diags.has_errors() {
        diags.print();
        return 1;
    }
    let trust = match super::trust::trust(args.tls, "the checked sites") {
        Ok(t) => t,
        Err(code) => return code,
    };
    let targets = targets(&project.site.fleet, local);
    if targets.is_empty() {
        crate::diag::say(
            "nothing to probe: no public hostnames, ports, units or containers declared",
        );
        return 0;
    }
    if local.is_none() {
        crate::diag::say("note: pass --host ID to also check the systemd units and docker containers of the host this runs on");
    }
    let hostname = local
        .map(|h| project.site.fleet.hosts[h].id.to_string())
        .unwrap_or_else(|| "local".into());
    let opts = Options {
        timeout: args.timeout,
        concurrency: args.concurrency.max(1),
        insecure: trust.insecure,
        extra_roots: trust.extra_roots,
        progress: std::io::stderr().is_terminal(),
        probe_name: format!("fleetdoc@{hostname}"),
        ..Options::default()
    };
    let snap = fleetdoc_probe::run(&targets, &opts);
    if let Some(out) = args.out {
        if !write_snapshot(out, &snap) {
            return 1;
        }
    }
    if !into_store(args.root, &project, &snap) {
        return 1;
    }
    crate::diag::say(format!(
        "{} -> {}",
        fleetdoc_probe::summary(&snap),
        match args.out {
            Some(o) => format!("{} and {}", o.display(), crate::load::history::STORE_PATH),
            None => crate::load::history::STORE_PATH.to_string(),
        }
    ));
    0
}

/// Adds `snap` to the project's history store, with the snapshot files of the probes
/// folder it does not hold yet; false (having said why) when the store cannot be written.
pub fn into_store(
    root: &Path,
    project: &crate::pipeline::Project,
    snap: &fleetdoc_probe::Snapshot,
) -> bool {
    let fleet = &project.site.fleet;
    let probes = root.join(&project.inputs.settings.probes);
    if probes.is_dir()
        && crate::commands::history::import_dir(root, fleet, &probes, project.now).is_err()
    {
        return false;
    }
    crate::commands::history::add(root, fleet, std::slice::from_ref(snap)).is_some()
}

/// Writes `snap` to `out` (its folder made first, the file replaced whole); on failure says
/// what could not be made or written and returns false.
pub fn write_snapshot(out: &Path, snap: &fleetdoc_probe::Snapshot) -> bool {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            crate::diag::error_line(format!("cannot create {}: {e}", dir.display()));
            return false;
        }
    }
    if let Err(e) = fleetdoc_probe::write_atomic(out, snap) {
        crate::diag::error_line(format!("cannot write {}: {e}", out.display()));
        return false;
    }
    true
}
