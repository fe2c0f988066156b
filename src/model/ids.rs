//! Validated identifiers. An [`Id`] can only be built from text that matches
//! `[a-z0-9][a-z0-9-]*`, so every host and service id past the model stage is well formed
//! and safe in URLs, file names and SVG attributes.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(String);

impl Id {
    pub fn parse(s: &str) -> Result<Id, String> {
        let ok = !s.is_empty()
            && s.len() <= 63
            && s.bytes()
                .next()
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Id(s.to_string()))
        } else {
            Err(format!(
                "`{s}` is not a valid id: use lowercase letters, digits and `-`, starting with a letter or digit (at most 63)"
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Id;

    #[test]
    fn ids_follow_the_contract_pattern() {
        assert!(Id::parse("alpha").is_ok());
        assert!(Id::parse("code-server").is_ok());
        assert!(Id::parse("9lives").is_ok());
        assert!(Id::parse("-x").is_err());
        assert!(Id::parse("Alpha").is_err());
        assert!(Id::parse("a_b").is_err());
        assert!(Id::parse("").is_err());
    }
}
