//! An availability target (`slo: 99.9`), kept exactly as thousandths of a percent so that
//! it compares, hashes and prints as written.

/// An availability target in thousandths of a percent: `99.9` is `99_900`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slo(pub u32);

impl Slo {
    /// `99.9`, `99.95`, `100`, `99.999`: a percent above 0 and at most 100, with at most three
    /// decimals. `None` for anything else.
    pub fn parse(s: &str) -> Option<Slo> {
        let s = s.trim().trim_end_matches('%').trim_end();
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        if whole.is_empty()
            || frac.len() > 3
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || whole.len() > 3
        {
            return None;
        }
        let whole: u32 = whole.parse().ok()?;
        let frac: u32 = format!("{frac:0<3}").parse().ok()?;
        let v = whole * 1000 + frac;
        (v > 0 && v <= 100_000).then_some(Slo(v))
    }

    /// The target as a fraction: 99.9 -> 0.999.
    pub fn ratio(self) -> f64 {
        f64::from(self.0) / 100_000.0
    }
}

impl std::fmt::Display for Slo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (w, r) = (self.0 / 1000, self.0 % 1000);
        if r == 0 {
            write!(f, "{w}%")
        } else {
            let frac = format!("{r:03}");
            write!(f, "{w}.{}%", frac.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_and_print_as_written() {
        assert_eq!(Slo::parse("99.9"), Some(Slo(99_900)));
        assert_eq!(Slo::parse("99.95%"), Some(Slo(99_950)));
        assert_eq!(Slo::parse("100"), Some(Slo(100_000)));
        assert_eq!(Slo(99_900).to_string(), "99.9%");
        assert_eq!(Slo(99_990).to_string(), "99.99%");
        for bad in ["0", "100.1", "99.9999", "-1", "abc", "", ".5", "1e2"] {
            assert_eq!(Slo::parse(bad), None, "{bad}");
        }
    }
}
