//! What to check and how: the list of targets the root crate derives from the topology, and
//! the options of one probe run.

use std::path::PathBuf;
use std::time::Duration;

use crate::snapshot::CheckKind;

/// One thing to check. Each variant carries exactly what its check needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Check {
    /// GET this `http://` or `https://` URL.
    Http { url: String },
    /// Open a TCP connection to `host:port` (`[v6]:port` for IPv6).
    Tcp { addr: String },
    /// Ask systemd whether this unit is active.
    Systemd { unit: String },
    /// Ask docker whether this container is running.
    Docker { container: String },
}

impl Check {
    /// The kind written to the snapshot.
    pub fn kind(&self) -> CheckKind {
        match self {
            Check::Http { .. } => CheckKind::Http,
            Check::Tcp { .. } => CheckKind::Tcp,
            Check::Systemd { .. } => CheckKind::Systemd,
            Check::Docker { .. } => CheckKind::Docker,
        }
    }

    /// The `target` written to the snapshot: URL, address, unit or container.
    pub fn target(&self) -> &str {
        match self {
            Check::Http { url } => url,
            Check::Tcp { addr } => addr,
            Check::Systemd { unit } => unit,
            Check::Docker { container } => container,
        }
    }
}

/// A check and the host id it belongs to (recorded as `host` in the result).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub check: Check,
    pub host: Option<String>,
}

/// How a probe run behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// Limit for each single check, from connect to answer.
    pub timeout: Duration,
    /// How many checks run at once (0 counts as 1).
    pub concurrency: usize,
    /// Accept untrusted certificates (self-signed, expired, wrong name).
    pub insecure: bool,
    /// Draw a progress bar on stderr.
    pub progress: bool,
    /// Recorded as the snapshot's `probe`, e.g. `fleetdoc@alpha`.
    pub probe_name: String,
    /// Trusted in addition to Mozilla's roots: CA certificates (DER) of a private CA.
    /// [`roots_from_pem`](crate::roots_from_pem) reads them from a PEM file's text.
    pub extra_roots: Vec<Vec<u8>>,
    /// Which programs answer systemd and docker checks.
    pub programs: Programs,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            concurrency: 8,
            insecure: false,
            progress: false,
            probe_name: "fleetdoc".to_string(),
            extra_roots: Vec::new(),
            programs: Programs::default(),
        }
    }
}

/// The programs run for systemd and docker checks; by default looked up on `PATH`. A
/// docker-compatible CLI (such as podman) can stand in for docker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programs {
    pub systemctl: PathBuf,
    pub docker: PathBuf,
}

impl Default for Programs {
    fn default() -> Self {
        Programs {
            systemctl: PathBuf::from("systemctl"),
            docker: PathBuf::from("docker"),
        }
    }
}
