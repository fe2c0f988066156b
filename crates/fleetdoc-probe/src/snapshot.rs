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
    /// A TCP connect to `host:port`.
    Tcp,
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
            ok: false,
            status: None,
            latency_ms: None,
            tls_expires: None,
            state: None,
            error: None,
        }
    }
}

/// A value in a snapshot that was out of range or unsafe and was corrected while reading.
/// `index` is the position of the result in `results` (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotWarning {
    /// A status outside 100-599 was dropped.
    StatusOutOfRange { index: usize, status: u16 },
    /// A latency over one day was clamped to one day.
    LatencyClamped { index: usize, latency_ms: u64 },
    /// A text field held control characters or was too long and was cleaned.
    TextCleaned { index: usize, field: &'static str },
}

impl fmt::Display for SnapshotWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotWarning::StatusOutOfRange { index, status } => write!(
                f,
                "results[{index}]: status {status} is outside 100-599; ignored"
            ),
            SnapshotWarning::LatencyClamped { index, latency_ms } => write!(
                f,
                "results[{index}]: latency_ms {latency_ms} is over one day; clamped to {}",
                crate::limits::MAX_LATENCY_MS
            ),
            SnapshotWarning::TextCleaned { index, field } => write!(
                f,
                "results[{index}]: {field} held control characters or was too long; cleaned"
            ),
        }
    }
}

/// One line a person can read, e.g. `12 checks: 10 ok, 2 failed`.
pub fn summary(snapshot: &Snapshot) -> String {
    let total = snapshot.results.len();
    let ok = snapshot.results.iter().filter(|r| r.ok).count();
    let noun = if total == 1 { "check" } else { "checks" };
    format!("{total} {noun}: {ok} ok, {} failed", total - ok)
}
