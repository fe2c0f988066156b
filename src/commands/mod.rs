//! One module per command; each returns the process exit code.

pub mod build;
pub mod changes;
pub mod discover;
pub mod export;
pub mod gatus_config;
pub mod history;
pub mod init;
pub mod probe;
pub mod probe_from;
pub mod publish;
pub mod serve;
pub mod sync;
pub mod traefik;
pub mod trust;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::History {
            action: crate::cli::HistoryAction::Import { root, dir },
        } => history::import(&root, &dir, cli.verbose),
        Command::Build { root, out, force } => {
            build::build(&root, out.as_deref(), force, cli.verbose)
        }
        Command::Check {
            root,
            strict,
            public: true,
        } => publish::audit(&root, strict, cli.verbose),
        Command::Check {
            root,
            strict,
            public: false,
        } => build::check(&root, strict, cli.verbose),
        Command::Publish {
            root,
            to,
            rollback,
            force,
        } => publish::publish(&root, to.as_deref(), rollback, force, cli.verbose),
        Command::Changes {
            root,
            range,
            format,
        } => changes::changes(&root, range.as_deref(), format),
        Command::Traefik { root, out, labels } => traefik::traefik(&root, out.as_deref(), labels),
        Command::Export { root, out, force } => export::export(&root, &out, force, cli.verbose),
        Command::Init {
            dir,
            from_traefik,
            tls,
        } => init::init(&dir, from_traefik.as_deref(), &tls),
        Command::Watch {
            root,
            bind,
            port,
            force,
        } => serve::watch(&root, bind, port, force, cli.verbose),
        Command::Serve { root, bind, port } => serve::serve(&root, bind, port),
        Command::Probe {
            root,
            out,
            timeout,
            tls,
            from: Some(from),
            gatus_config,
            ..
        } => probe_from::probe_from(
            &root,
            &from,
            gatus_config.as_deref(),
            out.as_deref(),
            timeout,
            &tls,
            cli.verbose,
        ),
        Command::Probe {
            root,
            out,
            host,
            timeout,
            concurrency,
            tls,
            from: None,
            ..
        } => probe::probe(
            probe::ProbeArgs {
                root: &root,
                out: out.as_deref(),
                host: host.as_deref(),
                timeout,
                concurrency,
                tls: &tls,
            },
            cli.verbose,
        ),
        Command::Sync { root, check, files } => sync::sync(&root, check, &files, cli.verbose),
        Command::Discover {
            root,
            traefik,
            docker,
            compose,
            systemd,
            host,
            out,
            propose,
            tls,
        } => discover::discover(
            discover::DiscoverArgs {
                root: &root,
                traefik: traefik.as_deref(),
                docker,
                compose: &compose,
                systemd,
                host: host.as_deref(),
                out: out.as_deref(),
                propose: propose.as_deref(),
                tls: &tls,
            },
            cli.verbose,
        ),
    }
}

/// "Now" or exit 2 with the reason.
pub fn now_or_exit() -> Result<chrono::DateTime<chrono::Utc>, i32> {
    crate::clock::now().map_err(crate::diag::usage_error)
}

/// The start of every command that works from the project: "now", a fresh diagnostics
/// list, the stage timer, and the loaded, validated, analyzed project.
pub struct Prepared {
    pub project: crate::pipeline::Project,
    pub diags: crate::diag::Diagnostics,
    pub timer: crate::pipeline::Timer,
}

pub fn prepared(root: &std::path::Path, verbose: bool) -> Result<Prepared, i32> {
    let now = now_or_exit()?;
    let mut diags = crate::diag::Diagnostics::new();
    let mut timer = crate::pipeline::Timer::new(verbose);
    let project = crate::pipeline::prepare(root, now, &mut diags, &mut timer);
    Ok(Prepared {
        project,
        diags,
        timer,
    })
}

/// What a command is about to replace, checked before anything is read or written (see
/// `write::guard`): `out` from the command line, else `output` from fleetdoc.yaml. Returns
/// the folder to write, or exit 2 with the reason, at `--out` or at the `output:` line.
pub fn checked_output(
    root: &std::path::Path,
    out: Option<&std::path::Path>,
    what: &str,
    force: bool,
) -> Result<std::path::PathBuf, i32> {
    use crate::write::guard;
    let settings = crate::load::load_settings(root, &mut crate::diag::Diagnostics::new());
    let out_dir = match out {
        Some(o) => o.to_path_buf(),
        None => root.join(&settings.output),
    };
    let inputs = guard::ProjectInputs::new(root, &settings);
    match guard::check(&out_dir, &inputs, &[guard::MARKER], force) {
        Ok(()) => Ok(out_dir),
        Err(why) => Err(refused(out, &settings, &out_dir, &why.explain(what))),
    }
}

/// Prints a refused output at `--out` (or at `output:` in fleetdoc.yaml); exit code 2.
pub fn refused(
    flag: Option<&std::path::Path>,
    settings: &crate::load::settings::Settings,
    out_dir: &std::path::Path,
    why: &str,
) -> i32 {
    match (flag, &settings.output_loc) {
        (None, Some(loc)) => {
            let mut d = crate::diag::Diagnostics::new();
            d.error(
                loc.clone(),
                format!("`output: {}` {why}", settings.output.display()),
            );
            d.print();
            2
        }
        _ => crate::diag::usage_error(format!("--out {}: {why}", out_dir.display())),
    }
}
