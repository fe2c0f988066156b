//! Reading snapshots written by `fleetdoc probe` or by any other tool. A file that is not
//! JSON, or has no valid `taken_at`, `probe` or `results`, is an error with line and
//! column; size limits are named errors. Each result is read value by value
//! (`values.rs`), so one odd number or one broken result is a positioned warning and the
//! rest of the file is still used. A leading UTF-8 byte order mark is accepted.

use std::fmt;
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::limits::{MAX_RESULTS, MAX_SNAPSHOT_BYTES};
use crate::snapshot::{Earlier, Position, Snapshot};
use crate::text::clean;
use crate::values::{self, Lines};

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

/// A serde_json error's message without its ` at line L column C` suffix, cleaned.
fn json_message(err: &serde_json::Error) -> String {
    let full = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    clean(full.strip_suffix(&suffix).unwrap_or(&full))
}

impl From<serde_json::Error> for SnapshotError {
    fn from(err: serde_json::Error) -> Self {
        SnapshotError::Json {
            line: err.line(),
            column: err.column(),
            message: json_message(&err),
        }
    }
}

/// A snapshot with where its `taken_at` value sits in the file, for messages about it.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedSnapshot {
    pub snapshot: Snapshot,
    pub taken_at: Position,
}

/// Parses a snapshot from JSON text.
pub fn parse_snapshot(text: &str) -> Result<Snapshot, SnapshotError> {
    parse_bytes(text.as_bytes()).map(|l| l.snapshot)
}

/// Reads and parses a snapshot file, refusing files over [`MAX_SNAPSHOT_BYTES`] before
/// reading them.
pub fn read_snapshot(path: &Path) -> Result<Snapshot, SnapshotError> {
    read_snapshot_located(path).map(|l| l.snapshot)
}

/// [`read_snapshot`], also saying where `taken_at` is written.
pub fn read_snapshot_located(path: &Path) -> Result<LocatedSnapshot, SnapshotError> {
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

/// The UTF-8 byte order mark some editors write first; JSON readers may ignore it (RFC 8259).
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn parse_bytes(bytes: &[u8]) -> Result<LocatedSnapshot, SnapshotError> {
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_SNAPSHOT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let wire: WireSnapshot = serde_json::from_slice(bytes).map_err(|e| misspelt(bytes, e))?;
    let total = wire
        .history
        .iter()
        .map(|e| e.results.total)
        .fold(wire.results.total, usize::saturating_add);
    if total > MAX_RESULTS {
        return Err(SnapshotError::TooManyResults {
            count: total,
            limit: MAX_RESULTS,
        });
    }
    let lines = Lines::new(bytes);
    let time_at = |raw: &RawValue| -> Result<(DateTime<Utc>, Position), SnapshotError> {
        let pos = lines.position(values::offset(bytes, raw));
        let t = serde_json::from_str(raw.get()).map_err(|e| SnapshotError::Json {
            line: pos.line,
            column: pos.column,
            message: format!(
                "`taken_at` must be an RFC 3339 time like 2026-04-06T09:00:00Z: {}",
                json_message(&e)
            ),
        })?;
        Ok((t, pos))
    };
    let (taken_at, taken_at_pos) = time_at(wire.taken_at)?;
    let (results, mut warnings) = values::results(bytes, &lines, &wire.results.kept);
    // Earlier measurements carried in the same file (a monitor's history), oldest first.
    let mut history = Vec::with_capacity(wire.history.len());
    for e in &wire.history {
        let (taken_at, _) = time_at(e.taken_at)?;
        let (results, more) = values::results(bytes, &lines, &e.results.kept);
        warnings.extend(more);
        history.push(Earlier { taken_at, results });
    }
    history.sort_by_key(|e| e.taken_at);
    warnings.sort_by_key(|w| w.at);
    Ok(LocatedSnapshot {
        snapshot: Snapshot {
            taken_at,
            probe: clean(&wire.probe),
            results,
            history,
            warnings,
        },
        taken_at: taken_at_pos,
    })
}

/// A missing top-level field whose name is misspelt in the file (`takenAt`) is reported
/// at that key, with the name it should have; any other error as serde_json gives it.
fn misspelt(bytes: &[u8], err: serde_json::Error) -> SnapshotError {
    let msg = err.to_string();
    let field = msg
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next());
    let typo = field.and_then(|field| {
        let raw: &RawValue = serde_json::from_slice(bytes).ok()?;
        let keys = crate::keys::object_keys(bytes, raw);
        let known = crate::keys::fields_of::<WireSnapshot>();
        crate::keys::typos(&keys, known)
            .into_iter()
            .find(|(_, m)| *m == field)
            .map(|(k, m)| (clean(&k.name), m, k.offset))
    });
    match typo {
        Some((key, meant, offset)) => {
            let at = Lines::new(bytes).position(offset);
            SnapshotError::Json {
                line: at.line,
                column: at.column,
                message: format!("unknown key `{key}` (did you mean `{meant}`?)"),
            }
        }
        None => err.into(),
    }
}

/// The snapshot as it is on disk; extra top-level fields are ignored. Results stay raw
/// text until each is read on its own.
#[derive(Deserialize)]
struct WireSnapshot<'a> {
    #[serde(borrow)]
    taken_at: &'a RawValue,
    probe: String,
    #[serde(borrow)]
    results: BoundedResults<'a>,
    #[serde(borrow, default)]
    history: Vec<WireEarlier<'a>>,
}

/// One entry of `history`: a time and its results, read like the snapshot's own.
#[derive(Deserialize)]
struct WireEarlier<'a> {
    #[serde(borrow)]
    taken_at: &'a RawValue,
    #[serde(borrow)]
    results: BoundedResults<'a>,
}

/// Results kept up to [`MAX_RESULTS`], with the count of all of them: memory stays bounded
/// however many a file holds.
struct BoundedResults<'a> {
    kept: Vec<&'a RawValue>,
    total: usize,
}

impl<'de: 'a, 'a> Deserialize<'de> for BoundedResults<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(BoundedVisitor(std::marker::PhantomData))
    }
}

struct BoundedVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for BoundedVisitor<'a> {
    type Value = BoundedResults<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of check results")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut kept = Vec::new();
        while kept.len() < MAX_RESULTS {
            match seq.next_element::<&'de RawValue>()? {
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
