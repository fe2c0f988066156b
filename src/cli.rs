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
    },
    /// Validate everything, write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also fail on warnings.
        #[arg(long)]
        strict: bool,
    },
    /// Write the pages as GFM Markdown runbooks, fleet blocks expanded.
    Export {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Start a new docs project with an example.
    Init { dir: PathBuf },
}
