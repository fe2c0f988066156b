//! What one check observed, before it is labelled with its target and host. Each kind of
//! check fills the fields that mean something for it; the runner turns an outcome into a
//! snapshot [`CheckResult`](crate::CheckResult).

use std::error::Error;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::text::clean;

/// The observed fields of one check result.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub ok: bool,
    pub status: Option<u16>,
    pub latency_ms: Option<u64>,
    pub tls_expires: Option<DateTime<Utc>>,
    pub state: Option<String>,
    pub error: Option<String>,
}

impl Outcome {
    /// A failed check with a reason (cleaned: it may hold text from the network).
    pub fn failed(error: impl AsRef<str>) -> Self {
        Outcome {
            error: Some(clean(error.as_ref())),
            ..Outcome::default()
        }
    }
}

/// "timed out after 5s" / "timed out after 1500ms".
pub fn timed_out(limit: Duration) -> String {
    if limit.subsec_millis() == 0 {
        format!("timed out after {}s", limit.as_secs())
    } else {
        format!("timed out after {}ms", limit.as_millis())
    }
}

/// An error and its causes, "outer: inner: innermost", cleaned.
pub fn chain(err: &dyn Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    clean(&text)
}

/// Milliseconds since `start`, saturating.
pub fn millis_since(start: std::time::Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}
