//! The `fleetdoc` binary: parse the command line, run the command, exit with its code.

use clap::Parser;

fn main() {
    fleetdoc::base::memory::map_large_blocks();
    let cli = fleetdoc::cli::Cli::parse();
    std::process::exit(fleetdoc::commands::run(cli));
}
