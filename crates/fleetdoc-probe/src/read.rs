//! Reading snapshots written by `fleetdoc probe` or by any other tool. Syntax and type
//! errors are reported with line and column; size limits are named errors; absurd values
//! are corrected and reported as warnings, so one odd number does not hide a whole file.

use std::fmt;
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;

use crate::limits::{MAX_LATENCY_MS, MAX_RESULTS, MAX_SNAPSHOT_BYTES, STATUS_RANGE};
use crate::snapshot::{CheckResult, Earlier, Snapshot, SnapshotWarning};
use crate::text::clean;

/// Why a snapshot could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The file could not be opened or read.
    #[error("cannot read snapshot: {0}")]
    Io(#[from] std::io::Error),
    /// The file is larger than [`MAX_SNAPSHOT_BYTES`]; it was not read.
    #[error("snapshot is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    /// The file holds more than [`MAX_RESULTS`] results.
    #[error("snapshot holds {count} results, over the limit of {limit}")]
    TooManyResults { count: usize, limit: usize },
    /// Not valid JSON, or a field of the wrong type or missing.
    #[error("{message} at line {line}, column {column}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
}

impl SnapshotError {
    /// Line and column (1-based) of a JSON error, for `path:line:col:` reports.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            SnapshotError::Json { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }

    /// The message without its position.
    pub fn detail(&self) -> String {
        match self {
            SnapshotError::Json { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

impl From<serde_json::Error> for SnapshotError {
    fn from(err: serde_json::Error) -> Self {
        let (line, column) = (err.line(), err.column());
        let full = err.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message = full.strip_suffix(&suffix).unwrap_or(&full);
        SnapshotError::Json {
            line,
            column,
            message: clean(message),
        }
    }
}

/// Parses a snapshot from JSON text.
pub fn parse_snapshot(text: &str) -> Result<Snapshot, SnapshotError> {
    parse_bytes(text.as_bytes())
}

/// Reads and parses a snapshot file, refusing files over [`MAX_SNAPSHOT_BYTES`] before
/// reading them.
pub fn read_snapshot(path: &Path) -> Result<Snapshot, SnapshotError> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > MAX_SNAPSHOT_BYTES {
        return Err(too_large(size));
    }
    // The file may grow between the size check and the read: never read past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_SNAPSHOT_BYTES + 1).read_to_end(&mut bytes)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > MAX_SNAPSHOT_BYTES {
        return Err(too_large(read));
    }
    parse_bytes(&bytes)
}

fn too_large(size: u64) -> SnapshotError {
    SnapshotError::TooLarge {
        size,
        limit: MAX_SNAPSHOT_BYTES,
    }
}

fn parse_bytes(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_SNAPSHOT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    let wire: WireSnapshot = serde_json::from_slice(bytes)?;
    let total = wire
        .history
        .iter()
        .map(|e| e.results.len())
        .fold(wire.results.total, usize::saturating_add);
    if total > MAX_RESULTS {
        return Err(SnapshotError::TooManyResults {
            count: total,
            limit: MAX_RESULTS,
        });
    }
    let mut warnings = Vec::new();
    let mut results = wire.results.kept;
    let mut history = wire.history;
    for (index, result) in results
        .iter_mut()
        .chain(history.iter_mut().flat_map(|e| e.results.iter_mut()))
        .enumerate()
    {
        tame(index, result, &mut warnings);
    }
    history.sort_by_key(|e| e.taken_at);
    Ok(Snapshot {
        taken_at: wire.taken_at,
        probe: clean(&wire.probe),
        results,
        history,
        warnings,
    })
}

/// Brings one result's values into range, recording what was changed.
fn tame(index: usize, r: &mut CheckResult, warnings: &mut Vec<SnapshotWarning>) {
    if let Some(status) = r.status.filter(|s| !STATUS_RANGE.contains(s)) {
        r.status = None;
        warnings.push(SnapshotWarning::StatusOutOfRange { index, status });
    }
    if let Some(latency_ms) = r.latency_ms.filter(|l| *l > MAX_LATENCY_MS) {
        r.latency_ms = Some(MAX_LATENCY_MS);
        warnings.push(SnapshotWarning::LatencyClamped { index, latency_ms });
    }
    for (field, value) in [("state", &mut r.state), ("error", &mut r.error)] {
        if let Some(text) = value.as_mut() {
            let cleaned = clean(text);
            if cleaned != *text {
                *text = cleaned;
                warnings.push(SnapshotWarning::TextCleaned { index, field });
            }
        }
    }
}

/// The snapshot as it is on disk; extra top-level fields are ignored.
#[derive(Deserialize)]
struct WireSnapshot {
    taken_at: DateTime<Utc>,
    probe: String,
    results: BoundedResults,
    #[serde(default)]
    history: Vec<Earlier>,
}

/// Results kept up to [`MAX_RESULTS`], with the count of all of them: memory stays bounded
/// however many a file holds.
struct BoundedResults {
    kept: Vec<CheckResult>,
    total: usize,
}

impl<'de> Deserialize<'de> for BoundedResults {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(BoundedVisitor)
    }
}

struct BoundedVisitor;

impl<'de> Visitor<'de> for BoundedVisitor {
    type Value = BoundedResults;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of check results")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut kept = Vec::new();
        while kept.len() < MAX_RESULTS {
            match seq.next_element::<CheckResult>()? {
                Some(result) => kept.push(result),
                None => {
                    let total = kept.len();
                    return Ok(BoundedResults { kept, total });
                }
            }
        }
        let mut total = kept.len();
        while seq.next_element::<IgnoredAny>()?.is_some() {
            total = total.saturating_add(1);
        }
        Ok(BoundedResults { kept, total })
    }
}
