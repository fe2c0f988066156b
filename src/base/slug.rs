//! Heading anchors by GitHub's rules, so a link written for the forge (`page.md#hosts`) works
//! on the site too: lowercase, punctuation dropped (except `-` and `_`), spaces become `-`,
//! repeats get `-1`, `-2`.

use std::collections::HashMap;

pub fn slug(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Hands out unique anchors for the headings of one page, in order.
#[derive(Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    pub fn next(&mut self, text: &str) -> String {
        let base = slug(text);
        let n = self.seen.entry(base.clone()).or_insert(0);
        let out = if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        *n += 1;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slug_rules() {
        assert_eq!(slug("Cross-Host Communication"), "cross-host-communication");
        assert_eq!(slug("Why Two Hosts?"), "why-two-hosts");
        assert_eq!(slug("VPS Alpha — 203.0.113.10"), "vps-alpha--203011310");
        let mut s = Slugger::default();
        assert_eq!(s.next("Hosts"), "hosts");
        assert_eq!(s.next("Hosts"), "hosts-1");
    }
}
