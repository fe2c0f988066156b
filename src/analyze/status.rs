//! Observed status per service (up / down / stale / unknown), drift between the declared and
//! the observed fleet, uptime history and certificate days, from probe snapshots.
//!
//! Stale is not unhealthy: a service keeps what was last measured (up or down) and carries
//! a separate `stale` flag, so old data is shown as old, never as a failure.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Health {
    Up,
    Down,
    Stale,
    Unknown,
    /// A monitor reports a failing check it is retrying before it calls it down (Uptime
    /// Kuma's pending).
    Pending,
    /// A monitor reports the service in a maintenance window: not up, and not a failure.
    Maintenance,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Up => "up",
            Health::Down => "down",
            Health::Stale => "stale",
            Health::Unknown => "unknown",
            Health::Pending => "pending",
            Health::Maintenance => "maintenance",
        }
    }
}

/// What the probes say about one service.
#[derive(Debug, Clone)]
pub struct ServiceStatus {
    /// What the newest results say: up, down, pending or maintenance (as a monitor reports
    /// them), or unknown when nothing matched. Never `Stale`: see `stale` and
    /// [`ServiceStatus::shown`].
    pub health: Health,
    /// The newest result is older than `stale_after`.
    pub stale: bool,
    /// When the newest result for it was taken.
    pub checked: Option<DateTime<Utc>>,
    /// Why it is not up: the failing check's name and its error or state
    /// (`blackbox-tls: probe failed`).
    pub detail: Option<String>,
    /// The name of the check that is not up, when its monitor names its checks.
    pub failed_check: Option<String>,
    /// Share of ok results over all snapshots that saw it, 0.0-1.0.
    pub uptime: Option<f64>,
    /// One entry per snapshot that saw it, oldest first: ok or not.
    pub history: Vec<bool>,
    /// Days until its certificate expires (negative: expired).
    pub cert_days: Option<i64>,
    /// Its maintenance window open at "now", else the next one within a day.
    pub window: Option<WindowNow>,
}

/// A maintenance window around "now": open, or the next one to start within a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowNow {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Open at "now".
    pub open: bool,
    /// "Now"'s date (UTC): times on it are shown without their date.
    pub today: chrono::NaiveDate,
}

impl WindowNow {
    /// `maintenance until 03:20 UTC`, `maintenance 03:00-03:20 UTC` (with the date when it
    /// is not "now"'s).
    pub fn text(&self) -> String {
        let clock = |t: DateTime<Utc>| {
            if t.date_naive() == self.today {
                t.format("%H:%M").to_string()
            } else {
                t.format("%Y-%m-%d %H:%M").to_string()
            }
        };
        if self.open {
            format!("maintenance until {} UTC", clock(self.end))
        } else {
            let end = if self.end.date_naive() == self.start.date_naive() {
                self.end.format("%H:%M").to_string()
            } else {
                self.end.format("%Y-%m-%d %H:%M").to_string()
            };
            format!("maintenance {}-{end} UTC", clock(self.start))
        }
    }
}

impl ServiceStatus {
    /// One word for colors and diagrams: down wins over stale (an old failure is still a
    /// failure), stale over up.
    pub fn shown(&self) -> Health {
        match self.health {
            Health::Up if self.stale => Health::Stale,
            h => h,
        }
    }

    /// The badge text: what was measured, and "stale" beside it when it is old.
    pub fn label(&self) -> String {
        if self.stale && self.health != Health::Unknown {
            format!("{}, stale", self.health.as_str())
        } else {
            self.health.as_str().to_string()
        }
    }

    /// The badge text with the check that is not up, when a monitor named it:
    /// `down (blackbox-tls: probe failed)`.
    pub fn label_with_check(&self) -> String {
        match (&self.failed_check, &self.detail) {
            (Some(_), Some(d)) if self.health != Health::Up => format!("{} ({d})", self.label()),
            _ => self.label(),
        }
    }
}

impl Default for ServiceStatus {
    fn default() -> Self {
        ServiceStatus {
            health: Health::Unknown,
            stale: false,
            checked: None,
            detail: None,
            failed_check: None,
            uptime: None,
            history: Vec::new(),
            cert_days: None,
            window: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriftKind {
    /// Declared in the topology, no result ever seen.
    NeverObserved,
    /// A result for something the topology does not declare.
    Undeclared,
    /// Declared, and the newest result says it is down.
    Down,
    /// Declared, and what runs differs from it (a route's backend port).
    Differs,
}

impl DriftKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            DriftKind::NeverObserved => "declared, never observed",
            DriftKind::Undeclared => "observed, not declared",
            DriftKind::Down => "declared up, observed down",
            DriftKind::Differs => "declared, observed different",
        }
    }
}

impl DriftKind {
    /// A short stable word for ids: `never-observed`, `undeclared`, `down`, `differs`.
    pub fn slug(&self) -> &'static str {
        match self {
            DriftKind::NeverObserved => "never-observed",
            DriftKind::Undeclared => "undeclared",
            DriftKind::Down => "down",
            DriftKind::Differs => "differs",
        }
    }
}

/// What a drift finding is about, for its date and its stable id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriftAbout {
    /// A declared service (index into `Fleet::services`).
    Service(usize),
    /// One check of a probe or discovery, by `fleetdoc_probe::store::result_key`.
    Check(String),
    /// A count standing for findings left out (the public profile).
    Summary,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub kind: DriftKind,
    pub subject: String,
    pub detail: String,
    pub about: DriftAbout,
    /// When the probes first showed it (see `analyze::drift_dates`).
    pub since: Option<DateTime<Utc>>,
}

impl Drift {
    /// The finding's stable name, the same in every build while it lasts:
    /// `down-service-forge`, `undeclared-docker-scratch-experiment-alpha`.
    pub fn id(&self, fleet: &crate::model::Fleet) -> String {
        let what = match &self.about {
            DriftAbout::Service(s) => format!("service-{}", fleet.services[*s].id),
            DriftAbout::Check(key) => key.clone(),
            DriftAbout::Summary => "summary".into(),
        };
        let mut id = String::from(self.kind.slug());
        let mut dash = true;
        for c in what.chars() {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
                if dash {
                    id.push('-');
                }
                id.push(c.to_ascii_lowercase());
                dash = false;
            } else {
                dash = true;
            }
        }
        id
    }
}

/// The fleet as the probes saw it.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    /// Indexed like `Fleet::services`.
    pub services: Vec<ServiceStatus>,
    /// A replicated service's status on each of its hosts, from the results that name
    /// the host (systemd, docker, tcp): (service, host) -> status. Absent: only the
    /// service-wide status is known (an `http` check of its public name).
    pub on_host: std::collections::BTreeMap<(usize, usize), ServiceStatus>,
    pub drift: Vec<Drift>,
    /// Uptime over 24 h, 7 d, 30 d and 90 d, as bars, indexed like `Fleet::services`.
    pub uptime_bars: crate::analyze::uptime_bars::UptimeBars,
    /// Time of the newest snapshot, when there is any.
    pub taken: Option<DateTime<Utc>>,
    /// Snapshots that measured health (discovery snapshots only feed drift).
    pub snapshots: usize,
    /// The newest snapshot is older than `stale_after`: everything shown is old news.
    pub stale: bool,
    /// How old the newest snapshot is at "now".
    pub age: Option<chrono::Duration>,
    /// The project's `stale_after`.
    pub stale_after: std::time::Duration,
    /// A key of what it was worked out from (the probe data, the fleet, the settings,
    /// "now"), set by the pipeline: renderers key their output by it instead of hashing
    /// it all. 0: not known (hash it).
    pub key: u64,
}

impl Observed {
    /// Service `s` as seen on host `h`: its own results there when a replicated service
    /// has them, else the service-wide status.
    pub fn service_on(&self, s: usize, h: usize) -> &ServiceStatus {
        self.on_host.get(&(s, h)).unwrap_or(&self.services[s])
    }

    pub fn none(services: usize) -> Self {
        Observed {
            services: vec![ServiceStatus::default(); services],
            ..Observed::default()
        }
    }
    pub fn has_data(&self) -> bool {
        self.snapshots > 0
    }
}
