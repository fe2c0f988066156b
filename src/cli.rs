//! The command line (SPEC section 7). Exit codes: 0 success, 1 the input has errors,
//! 2 bad usage (clap's own exit code for usage errors).

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "fleetdoc",
    version,
    about = "Keeps a server fleet's documentation true: topology + probes -> runbooks, tables and diagrams"
)]
pub struct Cli {
    /// Print each stage's time.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site; exit 1 on any error.
    Build {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: `output` from fleetdoc.yaml, else site/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the output folder even if it holds files fleetdoc did not write.
        #[arg(long)]
        force: bool,
    },
    /// Validate everything, write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also fail on warnings.
        #[arg(long)]
        strict: bool,
        /// Audit the public profile: list what `publish` would publish and what it redacts.
        #[arg(long)]
        public: bool,
    },
    /// Write the pages as GFM Markdown runbooks, fleet blocks expanded.
    Export {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Replace the output folder even if it holds files fleetdoc did not write.
        #[arg(long)]
        force: bool,
    },
    /// Build, serve, rebuild on change and reload open browser tabs.
    Watch {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Replace the output folder even if it holds files fleetdoc did not write.
        #[arg(long)]
        force: bool,
    },
    /// Serve the built site (what Traefik routes to).
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Default: serve.port from fleetdoc.yaml (8090).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Check every declared target and write a probe snapshot.
    Probe {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also write the snapshot to this file (it always goes into the history store).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The host this runs on: also check its systemd units and docker containers.
        #[arg(long)]
        host: Option<String>,
        /// Limit for each check.
        #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
        timeout: std::time::Duration,
        /// How many checks run at once.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        #[command(flatten)]
        tls: TlsArgs,
        /// Take the snapshot from a monitor instead of probing:
        /// `prometheus=URL`, `gatus=URL` or `uptime-kuma=URL/status/SLUG`.
        #[arg(long, value_name = "SOURCE", conflicts_with = "host")]
        from: Option<String>,
        /// With `--from gatus=URL`: Gatus' configuration (its config.yaml, or the folder of
        /// its YAML files), for each endpoint's URL, which Gatus' API does not send.
        #[arg(long, value_name = "PATH", requires = "from")]
        gatus_config: Option<PathBuf>,
    },
    /// Compare what runs (Traefik, Docker, systemd) with the topology; exit 1 when they differ.
    Discover {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Traefik's API, e.g. `http://127.0.0.1:8080`.
        #[arg(long, value_name = "URL")]
        traefik: Option<String>,
        /// The containers running on this host (`docker ps`).
        #[arg(long)]
        docker: bool,
        /// Compose files to read instead of the running containers; beside --docker, the
        /// stacks whose running containers are compared.
        #[arg(long, value_name = "FILE", num_args = 1..)]
        compose: Vec<PathBuf>,
        /// The units of this host (`systemctl list-units`).
        #[arg(long)]
        systemd: bool,
        /// The host id what runs here belongs to (default: the only host, or the one
        /// whose address is this host's name).
        #[arg(long)]
        host: Option<String>,
        /// Write a discovery snapshot (the drift table shows it).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write a topology fragment for what runs but is not declared.
        #[arg(long)]
        propose: Option<PathBuf>,
        #[command(flatten)]
        tls: TlsArgs,
    },
    /// The project's history store of probe results (`.fleetdoc/history.sqlite`).
    History {
        #[command(subcommand)]
        action: HistoryAction,
    },
    /// Refresh the fleetdoc regions of Markdown files (`<!-- fleetdoc:begin ... -->`).
    Sync {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write nothing; exit 1 naming each stale region.
        #[arg(long)]
        check: bool,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Publish the public explainers to a brainstorming index.
    Publish {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Target folder (default: publish.brainstorming from fleetdoc.yaml).
        #[arg(long)]
        to: Option<PathBuf>,
        /// Switch `current` back to the previous release.
        #[arg(long)]
        rollback: bool,
        /// Publish into the target even if it holds files fleetdoc did not write.
        #[arg(long)]
        force: bool,
    },
    /// The topology's changes per git commit: hosts, services, routes, links, backups and
    /// layout hints added, removed, moved or changed (exit 0).
    Changes {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Commits to read: `A..B`, or `B` for all of its history (default: HEAD's).
        #[arg(value_name = "REV..REV")]
        range: Option<String>,
        /// `text` for people, `json` for scripts.
        #[arg(long, value_enum, default_value = "text")]
        format: crate::commands::changes::Format,
    },
    /// Write the Traefik dynamic configuration for the site.
    Traefik {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// File to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Docker labels instead of a file-provider configuration.
        #[arg(long)]
        labels: bool,
    },
    /// Start a new docs project with an example.
    Init {
        dir: PathBuf,
        /// Start the topology from the routes this Traefik API serves.
        #[arg(long, value_name = "URL")]
        from_traefik: Option<String>,
        #[command(flatten)]
        tls: TlsArgs,
    },
}

/// Which certificates a command's HTTPS connections trust: the system's trust store by
/// default, plus `--ca` files; any certificate with `--insecure`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct TlsArgs {
    /// Also trust the CA certificates in this PEM file (a private CA's, or a
    /// self-signed certificate); repeatable.
    #[arg(long = "ca", value_name = "FILE")]
    pub ca: Vec<PathBuf>,
    /// Accept any TLS certificate (self-signed, expired, another name); says so on stderr.
    #[arg(long, conflicts_with = "ca")]
    pub insecure: bool,
}

impl TlsArgs {
    /// Whether either option was given.
    pub fn given(&self) -> bool {
        self.insecure || !self.ca.is_empty()
    }
}

/// What `fleetdoc history` does.
#[derive(Subcommand, Debug)]
pub enum HistoryAction {
    /// Take a folder of probe snapshot files into the store (snapshots it already holds
    /// are left as they are).
    Import {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Folder of `*.json` snapshot files.
        dir: PathBuf,
    },
}
