//! "Now", for stale results, overdue reviews, certificate days and the feed: the current time,
//! or `SOURCE_DATE_EPOCH` when set, so that two builds of the same input are byte-identical.

use chrono::{DateTime, Utc};

pub fn now() -> Result<DateTime<Utc>, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .ok_or_else(|| {
                format!("SOURCE_DATE_EPOCH must be a number of seconds since 1970, found `{v}`")
            }),
        _ => Ok(Utc::now()),
    }
}
