//! Listings of what runs on this machine, from its own tools: `docker ps --format '{{json .}}'`
//! and `systemctl list-units --output=json`. The output is returned as it is, for the
//! caller to parse; a missing program or a tool that fails is an error that says so.

use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

use crate::command::{reason, run, Failure};

/// Runs `program args...` within `limit` and returns its standard output.
pub fn output(program: &Path, args: &[&str], limit: Duration) -> Result<Vec<u8>, String> {
    let name = program.display().to_string();
    let work = || -> Result<Vec<u8>, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the runtime: {e}"))?;
        let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        let result = runtime.block_on(run(program, &args, limit));
        runtime.shutdown_background();
        match result {
            Ok(out) if out.status.success() => Ok(out.stdout),
            Ok(out) => Err(format!("{name} failed: {}", reason(&out))),
            Err(Failure::Missing(why)) => Err(format!("{name} not available: {why}")),
            Err(Failure::TimedOut(why)) => Err(format!("{name}: {why}")),
        }
    };
    if tokio::runtime::Handle::try_current().is_ok() {
        return std::thread::scope(|s| {
            s.spawn(work)
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
    }
    work()
}

/// `docker ps --format '{{json .}}'`: one JSON object per line, one line per running
/// container. Every docker CLI since 17.x knows this template; the shorter
/// `--format json` prints the word `json` on CLIs before 23.0 (Debian 12 ships 20.10).
pub fn docker_ps(program: &Path, limit: Duration) -> Result<Vec<u8>, String> {
    output(
        program,
        &["ps", "--no-trunc", "--format", "{{json .}}"],
        limit,
    )
}

/// `systemctl list-units --output=json`: a JSON list of the loaded units.
pub fn systemd_units(program: &Path, limit: Duration) -> Result<Vec<u8>, String> {
    output(
        program,
        &["list-units", "--no-pager", "--output=json"],
        limit,
    )
}
