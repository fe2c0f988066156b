//! The bounds a snapshot must stay within. Snapshot files come from any tool, so reading
//! one must never exhaust memory or pass absurd numbers on to reports.

/// Largest snapshot file read, in bytes (100 MB).
pub const MAX_SNAPSHOT_BYTES: u64 = 100 * 1000 * 1000;

/// Most results one snapshot may hold.
pub const MAX_RESULTS: usize = 100_000;

/// Valid HTTP status codes.
pub const STATUS_RANGE: std::ops::RangeInclusive<u16> = 100..=599;

/// Longest believable latency: one day, in milliseconds.
pub const MAX_LATENCY_MS: u64 = 24 * 60 * 60 * 1000;
