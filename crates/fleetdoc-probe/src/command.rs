//! systemd and docker checks, answered by the machine's own tools: `systemctl is-active`
//! and `docker inspect`. A machine without the tool, without a running systemd or without
//! a reachable docker daemon gives a failed result that says so; it never fails the run.

use std::ffi::OsStr;
use std::io;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

use tokio::process::Command;

use crate::outcome::{timed_out, Outcome};
use crate::text::{clean, first_line};

/// `systemctl is-active -- UNIT`: ok when the unit is `active`.
pub async fn systemd(program: &Path, unit: &str, limit: Duration) -> Outcome {
    if unit.trim().is_empty() {
        return Outcome::failed("empty unit name");
    }
    let args = [OsStr::new("is-active"), OsStr::new("--"), OsStr::new(unit)];
    let output = match run(program, &args, limit).await {
        Ok(output) => output,
        Err(Failure::Missing(why)) => {
            return Outcome::failed(format!("systemctl not available: {why}"))
        }
        Err(Failure::TimedOut(text)) => return Outcome::failed(text),
    };
    let state = first_line(&output.stdout);
    if state.is_empty() {
        // No state at all: systemctl could not ask systemd (not booted with it, no bus).
        return Outcome::failed(format!("systemctl not available: {}", reason(&output)));
    }
    let ok = output.status.success() && state == "active";
    Outcome {
        ok,
        error: (!ok).then(|| format!("unit is {state}")),
        state: Some(state),
        ..Outcome::default()
    }
}

/// `docker inspect --type container -f {{.State.Status}} -- NAME`: ok when `running`.
pub async fn docker(program: &Path, container: &str, limit: Duration) -> Outcome {
    if container.trim().is_empty() {
        return Outcome::failed("empty container name");
    }
    let args = [
        OsStr::new("inspect"),
        OsStr::new("--type"),
        OsStr::new("container"),
        OsStr::new("--format"),
        OsStr::new("{{.State.Status}}"),
        OsStr::new("--"),
        OsStr::new(container),
    ];
    let output = match run(program, &args, limit).await {
        Ok(output) => output,
        Err(Failure::Missing(why)) => {
            return Outcome::failed(format!("docker not available: {why}"))
        }
        Err(Failure::TimedOut(text)) => return Outcome::failed(text),
    };
    if !output.status.success() {
        let why = reason(&output);
        let lower = why.to_ascii_lowercase();
        if lower.contains("no such object") || lower.contains("no such container") {
            return Outcome::failed("no such container");
        }
        return Outcome::failed(format!("docker not available: {why}"));
    }
    let state = first_line(&output.stdout);
    if state.is_empty() {
        return Outcome::failed("docker reported no state");
    }
    let ok = state == "running";
    Outcome {
        ok,
        error: (!ok).then(|| format!("container is {state}")),
        state: Some(state),
        ..Outcome::default()
    }
}

pub(crate) enum Failure {
    /// The program could not be started.
    Missing(String),
    /// It did not finish in time (and was killed).
    TimedOut(String),
}

pub(crate) async fn run(
    program: &Path,
    args: &[&OsStr],
    limit: Duration,
) -> Result<Output, Failure> {
    let child = Command::new(program)
        .args(args)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    match tokio::time::timeout(limit, child).await {
        Ok(Ok(output)) => Ok(output),
        Ok(Err(e)) if e.kind() == io::ErrorKind::NotFound => {
            Err(Failure::Missing("not installed".to_string()))
        }
        Ok(Err(e)) => Err(Failure::Missing(clean(&e.to_string()))),
        Err(_) => Err(Failure::TimedOut(timed_out(limit))),
    }
}

/// The first line of stderr, or the exit status when stderr is empty.
pub(crate) fn reason(output: &Output) -> String {
    let line = first_line(&output.stderr);
    if line.is_empty() {
        format!("{}", output.status)
    } else {
        line
    }
}
