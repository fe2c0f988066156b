//! The snapshot file format (the probe-snapshot contract): one probe run, when it was
//! taken, by whom, and one result per check. `fleetdoc probe` writes these types and
//! `fleetdoc build` reads them back, together with files written by other tools, so the
//! field names and spellings here are part of the product's contract.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One probe run: the moment it was taken, which probe took it and what it saw.
///
/// Read snapshots with [`crate::parse_snapshot`] or [`crate::read_snapshot`], which enforce
/// the size limits and fill [`Snapshot::warnings`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// When the run started (RFC 3339, UTC).
    pub taken_at: DateTime<Utc>,
    /// Who took it, e.g. `status-board@alpha`.
    pub probe: String,
    /// One result per check, in target order.
    pub results: Vec<CheckResult>,
    /// Earlier measurements carried in the same file, oldest first: a monitor that keeps
    /// history (Prometheus, Gatus, Uptime Kuma) hands it over in one snapshot. Readers
    /// that do not know this field ignore it; fleetdoc counts each entry as a snapshot.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Earlier>,
    /// What was wrong but tolerated while reading (clamped or dropped values). Never written.
    #[serde(skip)]
    pub warnings: Vec<SnapshotWarning>,
}

/// One earlier measurement inside a snapshot's `history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Earlier {
    pub taken_at: DateTime<Utc>,
    pub results: Vec<CheckResult>,
}

/// Which kind of check produced a result. Written in lowercase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    /// An HTTP(S) GET of a URL.
    Http,
    /// `systemctl is-active` of a unit.
    Systemd,
    /// `docker inspect` of a container's state.
    Docker,
    /// A TCP connect to `host:port` (from a monitor: also a TLS, STARTTLS or SSH check of
    /// that port).
    Tcp,
    /// A monitor's UDP or SCTP check of `host:port`.
    Udp,
    /// A monitor's ping of a host (target: the host's name or address).
    Icmp,
    /// A monitor's DNS query to a name server (target: `server:port`).
    Dns,
    /// Discovery: a public hostname a reverse proxy routes (target: the hostname). Its
    /// `state` says how it compares with the topology (`declared`, `undeclared`,
    /// `missing`, `differs`) and `error` what to fix. Drift only, never status.
    Route,
    /// Discovery: a container or compose service that runs (target: its name).
    Container,
    /// Discovery: a systemd unit that runs (target: the unit).
    Unit,
}

impl CheckKind {
    /// The lowercase name used in snapshot files.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Http => "http",
            CheckKind::Systemd => "systemd",
            CheckKind::Docker => "docker",
            CheckKind::Tcp => "tcp",
            CheckKind::Udp => "udp",
            CheckKind::Icmp => "icmp",
            CheckKind::Dns => "dns",
            CheckKind::Route => "route",
            CheckKind::Container => "container",
            CheckKind::Unit => "unit",
        }
    }

    /// Whether this kind records what runs compared with the topology (written by
    /// `fleetdoc discover`) rather than health.
    pub fn is_discovery(self) -> bool {
        matches!(
            self,
            CheckKind::Route | CheckKind::Container | CheckKind::Unit
        )
    }
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of one check. Optional fields are left out of the file when absent; unknown
/// fields written by other tools are ignored when reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    /// Which kind of check this is.
    pub check: CheckKind,
    /// The host id the check belongs to (systemd and docker checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// What was checked: a URL, `host:port`, a unit or a container name.
    pub target: String,
    /// Which of several checks of one target this is, as the monitor names it: a
    /// Prometheus job (and blackbox module), a Gatus endpoint, an Uptime Kuma monitor.
    /// Results without a name are one check per (check, target, host), as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When this result was measured, when that is not the snapshot's `taken_at` (a
    /// monitor's checks run at their own times; its snapshot is dated by the newest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<DateTime<Utc>>,
    /// Whether the target was healthy.
    pub ok: bool,
    /// HTTP status code (http).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Time to the response (http) or to the connection (tcp), in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// When the served certificate expires (https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_expires: Option<DateTime<Utc>>,
    /// Unit or container state: `active`, `failed`, `running`, `exited`...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Why the check failed, short and free of control characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl CheckResult {
    /// A result with only the identifying fields set and nothing observed yet.
    pub fn new(check: CheckKind, target: impl Into<String>, host: Option<String>) -> Self {
        CheckResult {
            check,
            host,
            target: target.into(),
            name: None,
            checked_at: None,
            ok: false,
            status: None,
            latency_ms: None,
            tls_expires: None,
            state: None,
            error: None,
        }
    }

    /// A monitor reports the target in a maintenance window (`state: maintenance`, not ok,
    /// no error): not up, not a failure, and left out of uptime, as the monitor does.
    pub fn in_maintenance(&self) -> bool {
        !self.ok && self.error.is_none() && self.state.as_deref() == Some("maintenance")
    }

    /// A monitor reports a failing check it retries before calling it down
    /// (`state: pending`, not ok, no error).
    pub fn pending(&self) -> bool {
        !self.ok && self.error.is_none() && self.state.as_deref() == Some("pending")
    }
}

/// A place in a snapshot file: 1-based line and column (the column counts bytes, as
/// serde_json's own error positions do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A value in a snapshot that was out of range, of the wrong type or unsafe, and was
/// corrected or left out while reading; the rest of the snapshot is used. `index` is the
/// position of the result in the file's `results` (0-based), `at` where the value starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotWarning {
    pub at: Position,
    pub index: usize,
    pub problem: ValueProblem,
}

/// What was wrong with one value of a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueProblem {
    /// A status that is not a number from 100 to 599 (`found` as written) was left out.
    StatusOutOfRange { found: String },
    /// A latency over one day was clamped to one day.
    LatencyClamped { latency_ms: u64 },
    /// An optional value of the wrong type or out of range (`found` as written) was left out.
    Invalid {
        field: &'static str,
        found: String,
        expected: &'static str,
    },
    /// The result itself could not be used (no valid `check`, `target` or `ok`) and was
    /// left out; `reason` says why.
    ResultSkipped { reason: String },
    /// A text field held control characters or was too long and was cleaned.
    TextCleaned { field: &'static str },
}

impl fmt::Display for SnapshotWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.index;
        match &self.problem {
            ValueProblem::StatusOutOfRange { found } => write!(
                f,
                "results[{i}].status: `{found}` is not an HTTP status code (100-599); \
                 this value was ignored, the rest of the snapshot is used"
            ),
            ValueProblem::LatencyClamped { latency_ms } => write!(
                f,
                "results[{i}].latency_ms: {latency_ms} is over one day; clamped to {}",
                crate::limits::MAX_LATENCY_MS
            ),
            ValueProblem::Invalid {
                field,
                found,
                expected,
            } => write!(
                f,
                "results[{i}].{field}: expected {expected}, found `{found}`; \
                 this value was ignored, the rest of the snapshot is used"
            ),
            ValueProblem::ResultSkipped { reason } => write!(
                f,
                "results[{i}]: {reason}; this result was skipped, the rest of the snapshot is used"
            ),
            ValueProblem::TextCleaned { field } => write!(
                f,
                "results[{i}].{field} held control characters or was too long; cleaned"
            ),
        }
    }
}

/// One line a person can read, e.g. `12 checks: 10 ok, 2 failed` (and `, 1 pending, 1 in
/// maintenance` when a monitor reports those).
pub fn summary(snapshot: &Snapshot) -> String {
    let total = snapshot.results.len();
    let count = |f: fn(&CheckResult) -> bool| snapshot.results.iter().filter(|r| f(r)).count();
    let ok = count(|r| r.ok);
    let pending = count(CheckResult::pending);
    let maintenance = count(CheckResult::in_maintenance);
    let noun = if total == 1 { "check" } else { "checks" };
    let mut line = format!(
        "{total} {noun}: {ok} ok, {} failed",
        total - ok - pending - maintenance
    );
    if pending > 0 {
        line.push_str(&format!(", {pending} pending"));
    }
    if maintenance > 0 {
        line.push_str(&format!(", {maintenance} in maintenance"));
    }
    line
}
