//! The two names a publish puts on disk: the project folder (`[a-z0-9-]`, derived from the
//! site title unless set) and the release id (`YYYYMMDDTHHMMSSZ`, plus `-NNN` when that
//! second is taken), which sorts in publish order as plain text.

use chrono::{DateTime, Utc};
use std::fmt;

/// A project folder name under the brainstorming target: `[a-z0-9-]`, 1-64 characters,
/// starting and ending with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProjectName(String);

impl ProjectName {
    pub fn new(name: &str) -> Option<Self> {
        let ok = !name.is_empty()
            && name.len() <= 64
            && !name.starts_with('-')
            && !name.ends_with('-')
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        ok.then(|| ProjectName(name.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The folder name a site title publishes under: "Example Platform Docs" ->
/// "example-platform-docs". Anything but ASCII letters and digits separates words; a title
/// with none of them gives "site".
pub fn project_slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            if out.len() >= 64 {
                break;
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "site".to_string()
    } else {
        out.to_string()
    }
}

/// A release folder name. Ordered by publish time, then by the counter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReleaseId {
    stamp: String,
    counter: u16,
}

const MAX_COUNTER: u16 = 999;

impl ReleaseId {
    /// The id for a publish at `at`, before checking whether it is taken.
    pub fn at(at: DateTime<Utc>) -> Self {
        ReleaseId {
            stamp: at.format("%Y%m%dT%H%M%SZ").to_string(),
            counter: 0,
        }
    }

    /// The next id after this one in the same second, if any is left.
    pub fn successor(&self) -> Option<Self> {
        (self.counter < MAX_COUNTER).then(|| ReleaseId {
            stamp: self.stamp.clone(),
            counter: self.counter + 1,
        })
    }

    /// Reads a folder name; anything that is not a release id gives `None`.
    pub fn parse(name: &str) -> Option<Self> {
        let (stamp, counter) = match name.split_once('-') {
            None => (name, 0),
            Some((s, c)) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()) => {
                (s, c.parse().ok().filter(|n| *n >= 1)?)
            }
            Some(_) => return None,
        };
        let b = stamp.as_bytes();
        let shape = b.len() == 16
            && b[8] == b'T'
            && b[15] == b'Z'
            && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit);
        shape.then(|| ReleaseId {
            stamp: stamp.to_string(),
            counter,
        })
    }
}

impl fmt::Display for ReleaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.counter == 0 {
            f.write_str(&self.stamp)
        } else {
            write!(f, "{}-{:03}", self.stamp, self.counter)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn slug_of_titles() {
        assert_eq!(
            project_slug("Example Platform Docs"),
            "example-platform-docs"
        );
        assert_eq!(project_slug("  <b>VPS</b> & co. "), "b-vps-b-co");
        assert_eq!(project_slug("!!!"), "site");
        assert!(ProjectName::new(&project_slug(&"x".repeat(500))).is_some());
    }

    #[test]
    fn project_names_refuse_paths_and_capitals() {
        for bad in ["", "..", "a/b", "Docs", "-a", "a-", ".hidden", "a b"] {
            assert!(ProjectName::new(bad).is_none(), "{bad}");
        }
        assert!(ProjectName::new("fleet-docs-2").is_some());
    }

    #[test]
    fn ids_round_trip_and_sort_in_publish_order() {
        let t = Utc.with_ymd_and_hms(2025, 3, 9, 7, 5, 1).unwrap();
        let a = ReleaseId::at(t);
        assert_eq!(a.to_string(), "20250309T070501Z");
        let b = a.successor().unwrap();
        assert_eq!(b.to_string(), "20250309T070501Z-001");
        let mut c = b.clone();
        for _ in 0..9 {
            c = c.successor().unwrap();
        }
        assert_eq!(ReleaseId::parse(&c.to_string()), Some(c.clone()));
        assert!(a < b && b < c);
        assert!(a.to_string() < b.to_string() && b.to_string() < c.to_string());
        for bad in [
            "20250309T070501Z-000",
            "2025",
            "20250309X070501Z",
            ".staging-x",
            "20250309T070501Z-1",
        ] {
            assert_eq!(ReleaseId::parse(bad), None, "{bad}");
        }
    }
}
