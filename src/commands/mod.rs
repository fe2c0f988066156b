//! One module per command; each returns the process exit code.

pub mod build;
pub mod discover;
pub mod export;
pub mod history;
pub mod init;
pub mod probe;
pub mod probe_from;
pub mod publish;
pub mod serve;
pub mod sync;
pub mod traefik;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::History {
            action: crate::cli::HistoryAction::Import { root, dir },
        } => history::import(&root, &dir, cli.verbose),
        Command::Build { root, out } => build::build(&root, out.as_deref(), cli.verbose),
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
        Command::Publish { root, to, rollback } => {
            publish::publish(&root, to.as_deref(), rollback, cli.verbose)
        }
        Command::Traefik { root, out, labels } => traefik::traefik(&root, out.as_deref(), labels),
        Command::Export { root, out } => export::export(&root, &out, cli.verbose),
        Command::Init { dir, from_traefik } => init::init(&dir, from_traefik.as_deref()),
        Command::Watch { root, bind, port } => serve::watch(&root, bind, port, cli.verbose),
        Command::Serve { root, bind, port } => serve::serve(&root, bind, port),
        Command::Probe {
            root,
            out,
            timeout,
            from: Some(from),
            ..
        } => probe_from::probe_from(&root, &from, out.as_deref(), timeout, cli.verbose),
        Command::Probe {
            root,
            out,
            host,
            timeout,
            concurrency,
            insecure,
            from: None,
        } => probe::probe(
            probe::ProbeArgs {
                root: &root,
                out: out.as_deref(),
                host: host.as_deref(),
                timeout,
                concurrency,
                insecure,
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
