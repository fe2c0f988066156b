//! One probe run: every target checked concurrently (at most `concurrency` at a time, each
//! within its own timeout), results put back in target order, an optional progress bar.
//! The run is blocking and owns its async runtime, so callers need none.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{SubsecRound, Utc};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::task::JoinSet;

use crate::outcome::Outcome;
use crate::snapshot::{CheckResult, Snapshot};
use crate::target::{Check, Options, Target};
use crate::tls::TlsSetup;
use crate::{command, http, net};

/// Checks every target and returns the snapshot, results in target order. Never fails:
/// a check that cannot be done is a failed result that says why. The whole run takes at
/// most about `timeout × ceil(targets / concurrency)`.
pub fn run(targets: &[Target], opts: &Options) -> Snapshot {
    if tokio::runtime::Handle::try_current().is_ok() {
        // Called from async code: a runtime cannot block inside another, so use a thread.
        return std::thread::scope(|s| {
            s.spawn(|| run_blocking(targets, opts))
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
    }
    run_blocking(targets, opts)
}

fn run_blocking(targets: &[Target], opts: &Options) -> Snapshot {
    let taken_at = Utc::now().trunc_subsecs(0);
    let results = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => {
            let results = runtime.block_on(check_all(targets, opts));
            // Name lookups still blocked in the system resolver must not hold the run.
            runtime.shutdown_background();
            results
        }
        Err(e) => {
            let why = format!("cannot start the probe runtime: {e}");
            targets
                .iter()
                .map(|t| label(t, Outcome::failed(&why)))
                .collect()
        }
    };
    Snapshot {
        taken_at,
        probe: opts.probe_name.clone(),
        results,
        history: Vec::new(),
        warnings: Vec::new(),
    }
}

struct Shared {
    opts: Options,
    tls: Result<TlsSetup, String>,
}

async fn check_all(targets: &[Target], opts: &Options) -> Vec<CheckResult> {
    let shared = Arc::new(Shared {
        opts: opts.clone(),
        tls: TlsSetup::new(opts.insecure, &opts.extra_roots),
    });
    let bar = progress_bar(targets.len(), opts.progress);
    let limit = opts.concurrency.max(1);

    let mut slots: Vec<Option<CheckResult>> = vec![None; targets.len()];
    let mut running = JoinSet::new();
    let mut index_of = HashMap::new();
    let mut next = 0;
    loop {
        while running.len() < limit && next < targets.len() {
            let target = targets[next].clone();
            let shared = Arc::clone(&shared);
            let handle = running.spawn(async move {
                let outcome = check_one(&target.check, &shared).await;
                label(&target, outcome)
            });
            index_of.insert(handle.id(), next);
            next += 1;
        }
        let Some(joined) = running.join_next_with_id().await else {
            break;
        };
        match joined {
            Ok((id, result)) => {
                bar.set_message(result.target.clone());
                if let Some(&i) = index_of.get(&id) {
                    slots[i] = Some(result);
                }
            }
            Err(e) => {
                if let Some(&i) = index_of.get(&e.id()) {
                    let why = format!("check crashed: {e}");
                    slots[i] = Some(label(&targets[i], Outcome::failed(why)));
                }
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    slots
        .into_iter()
        .zip(targets)
        .map(|(slot, t)| slot.unwrap_or_else(|| label(t, Outcome::failed("check did not run"))))
        .collect()
}

async fn check_one(check: &Check, shared: &Shared) -> Outcome {
    let limit = shared.opts.timeout;
    let programs = &shared.opts.programs;
    match check {
        Check::Http { url } => match &shared.tls {
            Ok(tls) => http::check(url, tls, limit).await,
            Err(e) => Outcome::failed(e),
        },
        Check::Tcp { addr } => net::check(addr, limit).await,
        Check::Systemd { unit } => command::systemd(&programs.systemctl, unit, limit).await,
        Check::Docker { container } => command::docker(&programs.docker, container, limit).await,
    }
}

/// Puts a check's identity on its outcome.
fn label(target: &Target, outcome: Outcome) -> CheckResult {
    CheckResult {
        check: target.check.kind(),
        host: target.host.clone(),
        target: target.check.target().to_string(),
        name: None,
        checked_at: None,
        ok: outcome.ok,
        status: outcome.status,
        latency_ms: outcome.latency_ms,
        tls_expires: outcome.tls_expires,
        state: outcome.state,
        error: outcome.error,
    }
}

fn progress_bar(len: usize, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(
        Some(u64::try_from(len).unwrap_or(u64::MAX)),
        ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = ProgressStyle::with_template("probing {bar:30} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    bar
}
