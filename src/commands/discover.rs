//! `fleetdoc discover`: reads what runs (Traefik's routes, Docker containers or compose
//! files, systemd units), compares it with the topology and prints each difference with
//! what to add or fix. Exit 0 without drift, 1 with drift, 3 when a source could not be
//! read (then nothing is compared). `--docker` beside `--compose` compares only the
//! running containers of the files' stacks. `--out` writes the comparison as a
//! discovery snapshot (the drift table shows it), `--propose` a topology fragment for what
//! is not declared.

use crate::discover::compare::{self, Verdict};
use crate::discover::{compose, docker, propose, systemd, traefik, Discovered};
use chrono::SubsecRound;
use std::path::{Path, PathBuf};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(20);

/// The exit code when a source could not be read: distinct from 0 (no drift), 1 (drift)
/// and 2 (usage), so that a timer can tell "unreachable" from "differs".
pub const SOURCE_UNREADABLE: i32 = 3;

pub struct DiscoverArgs<'a> {
    pub root: &'a Path,
    pub traefik: Option<&'a str>,
    pub docker: bool,
    pub compose: &'a [PathBuf],
    pub systemd: bool,
    pub host: Option<&'a str>,
    pub out: Option<&'a Path>,
    pub propose: Option<&'a Path>,
    pub tls: &'a crate::cli::TlsArgs,
}

pub fn discover(args: DiscoverArgs, verbose: bool) -> i32 {
    if args.traefik.is_none() && !args.docker && args.compose.is_empty() && !args.systemd {
        crate::diag::error_line(
            "say what to read: --traefik URL, --docker, --compose FILE... or --systemd",
        );
        return 2;
    }
    if args.tls.given() && args.traefik.is_none() {
        crate::diag::error_line("--ca and --insecure are for the HTTPS of --traefik URL");
        return 2;
    }
    let client = match args.traefik {
        Some(_) => match super::trust::client(args.tls, "Traefik's API", TIMEOUT) {
            Ok(c) => Some(c),
            Err(code) => return code,
        },
        None => None,
    };
    let super::Prepared { project, diags, .. } = match super::prepared(args.root, verbose) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if diags.has_errors() {
        diags.print();
        return 1;
    }
    let fleet = &project.site.fleet;
    let host = match args.host {
        Some(id) => match fleet.host_ix(id) {
            Some(h) => Some(h),
            None => {
                let hint = crate::base::suggest::did_you_mean(
                    id,
                    fleet.hosts.iter().map(|h| h.id.as_str()),
                )
                .unwrap_or_default();
                crate::diag::error_line(format!(
                    "--host `{id}` is not a host of the topology{hint}"
                ));
                return 2;
            }
        },
        None if fleet.hosts.len() == 1 => Some(0),
        None => None,
    };
    let local = args.docker || !args.compose.is_empty() || args.systemd;
    if local && host.is_none() {
        crate::diag::say("note: pass --host ID to say which host's containers and units these are; without it, declared ones that do not run are not reported");
    }
    let taken_at = chrono::Utc::now().trunc_subsecs(0);
    let mut found = Discovered::default();
    let mut failed = false;
    let mut sources = Vec::new();
    if let (Some(url), Some(client)) = (args.traefik, &client) {
        sources.push("traefik");
        match traefik::read(url, client) {
            Ok(routes) => {
                found.routes.extend(routes);
                found.read_routes = true;
            }
            Err(e) => {
                crate::diag::error_line(e);
                failed = true;
            }
        }
    }
    // Compose files first: beside --docker they name the stacks to compare.
    let mut defined = (Vec::new(), Vec::new());
    if !args.compose.is_empty() {
        let reader = compose::Reader::find(TIMEOUT);
        for file in args.compose {
            match compose::read(file, reader, TIMEOUT, &mut found.warnings) {
                Ok((c, r)) => {
                    defined.0.extend(c);
                    defined.1.extend(r);
                }
                Err(d) => {
                    crate::diag::print_one(&d);
                    failed = true;
                }
            }
        }
        found.stacks = defined.0.iter().filter_map(|c| c.project.clone()).collect();
        found.stacks.sort();
        found.stacks.dedup();
        found.defined = defined.0.iter().map(|c| c.name.clone()).collect();
        found.read_containers = true;
    }
    let mut left_out = Vec::new();
    if args.docker {
        sources.push("docker");
        match fleetdoc_probe::listing::docker_ps(Path::new("docker"), TIMEOUT) {
            Ok(out) => {
                let stacks = (!args.compose.is_empty()).then_some(found.stacks.as_slice());
                let running =
                    docker::parse(&String::from_utf8_lossy(&out), stacks, &mut found.warnings);
                found.containers.extend(running.containers);
                found.routes.extend(running.routes);
                found.read_containers = true;
                found.read_all_containers = stacks.is_none();
                left_out = running.left_out;
            }
            Err(e) => {
                crate::diag::error_line(format!("{e}; --docker needs the docker CLI and access to the daemon (root or the `docker` group)"));
                failed = true;
            }
        }
    }
    if !args.compose.is_empty() {
        sources.push("compose");
        // Beside --docker, what runs is what `docker ps` shows; the files only scoped it.
        if !args.docker {
            found.containers.extend(defined.0);
            found.routes.extend(defined.1);
        }
    }
    if args.systemd {
        sources.push("systemd");
        match fleetdoc_probe::listing::systemd_units(Path::new("systemctl"), TIMEOUT)
            .and_then(|out| systemd::parse(&out, &mut found.warnings))
        {
            Ok(units) => {
                found.units = units;
                found.read_units = true;
            }
            Err(e) => {
                crate::diag::error_line(e);
                failed = true;
            }
        }
    }
    for w in &found.warnings {
        crate::diag::warning_line(w);
    }
    if failed {
        return SOURCE_UNREADABLE;
    }
    if !left_out.is_empty() {
        crate::diag::say(format!(
            "note: --compose limits --docker to the stacks of the files given ({}); left out {} running {} of other stacks: {}",
            found.stacks.join(", "),
            left_out.len(),
            if left_out.len() == 1 { "container" } else { "containers" },
            left_out.join(", ")
        ));
    }
    let findings = compare::compare(fleet, &found, host);
    let drift: Vec<_> = findings.iter().filter(|f| f.verdict.is_drift()).collect();
    let not_compared: Vec<_> = findings
        .iter()
        .filter(|f| f.verdict == Verdict::NotCompared)
        .collect();
    for f in &drift {
        let on = f
            .host
            .as_ref()
            .map(|h| format!(" on {h}"))
            .unwrap_or_default();
        let at =
            f.at.as_ref()
                .map(|l| format!(" ({}:{}:{})", l.file.display(), l.pos.line, l.pos.col))
                .unwrap_or_default();
        println!(
            "{}: {} {}{on}{at}\n  seen: {}\n  fix:  {}",
            f.verdict.words(f.check),
            f.check,
            f.target,
            f.what,
            f.fix
        );
    }
    for f in &not_compared {
        println!(
            "not compared: {} {}\n  seen: {}\n  why:  {}",
            f.check, f.target, f.what, f.fix
        );
    }
    if let Some(out) = args.out {
        let snapshot = fleetdoc_probe::Snapshot {
            taken_at,
            probe: format!("fleetdoc discover {}", sources.join("+")),
            results: findings
                .iter()
                .filter(|f| f.verdict != Verdict::NotCompared)
                .map(compare::Finding::result)
                .collect(),
            history: Vec::new(),
            warnings: Vec::new(),
        };
        if let Err(e) = write(out, |p| fleetdoc_probe::write_atomic(p, &snapshot)) {
            crate::diag::error_line(format!("cannot write {}: {e}", out.display()));
            return 1;
        }
    }
    if let Some(path) = args.propose {
        let text = propose::fragment(&findings, fleet, host);
        if let Err(e) = write(path, |p| std::fs::write(p, &text)) {
            crate::diag::error_line(format!("cannot write {}: {e}", path.display()));
            return 1;
        }
    }
    let compared = findings.len() - not_compared.len();
    let mut unseen = match not_compared.len() {
        0 => String::new(),
        k => format!("; {k} not compared (listed above)"),
    };
    if !left_out.is_empty() {
        unseen.push_str(&format!(
            "; {} {} of other stacks left out",
            left_out.len(),
            if left_out.len() == 1 {
                "container"
            } else {
                "containers"
            }
        ));
    }
    if drift.is_empty() {
        crate::diag::say(format!(
            "{compared} compared, no drift: what {} matches the topology{unseen}",
            if unseen.is_empty() {
                "runs"
            } else {
                "was compared"
            }
        ));
        0
    } else {
        let n = drift.len();
        crate::diag::say(format!(
            "{compared} compared, {n} {} between what runs and the topology{unseen}",
            if n == 1 { "difference" } else { "differences" }
        ));
        1
    }
}

/// Creates the parent folder, then writes.
fn write(path: &Path, f: impl FnOnce(&Path) -> std::io::Result<()>) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    f(path)
}
