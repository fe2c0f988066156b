//! Measured fleet health for fleetdoc. A runbook line like "9 / 9 public surfaces healthy"
//! is only worth something if it was measured: this crate checks every declared target
//! (HTTP(S) endpoints, TCP ports, systemd units, docker containers) and records what it saw
//! as a snapshot, and it reads snapshots back, from fleetdoc or from any other tool, within
//! safe limits.
//!
//! ```no_run
//! use fleetdoc_probe::{run, summary, write_atomic, Check, Options, Target};
//! let targets = vec![Target {
//!     check: Check::Http { url: "https://forge.example.com/".into() },
//!     host: Some("alpha".into()),
//! }];
//! let snap = run(&targets, &Options { probe_name: "fleetdoc@alpha".into(), ..Options::default() });
//! eprintln!("{}", summary(&snap));
//! write_atomic(std::path::Path::new("content/probes/latest.json"), &snap).unwrap();
//! ```

mod command;
pub mod fetch;
mod http;
pub mod limits;
pub mod listing;
pub mod monitors;
mod net;
mod outcome;
mod read;
mod run;
mod snapshot;
pub mod store;
mod target;
mod text;
mod tls;
mod values;
mod write;

pub use read::{
    parse_snapshot, read_snapshot, read_snapshot_located, LocatedSnapshot, SnapshotError,
};
pub use run::run;
pub use snapshot::{
    summary, CheckKind, CheckResult, Earlier, Position, Snapshot, SnapshotWarning, ValueProblem,
};
pub use target::{Check, Options, Programs, Target};
pub use text::{clean, MAX_TEXT_CHARS};
pub use tls::{default_roots, roots_from_pem, PemError, RootsOrigin, Trust};
pub use write::write_atomic;
