//! Whole-token search and replace, for redaction: `10.1.2.3` matches in `at 10.1.2.3.` and
//! `img-10.1.2.3.png`, but not in `10.1.2.34`, `110.1.2.3` or `192.0.2.100`; a DNS name
//! matches case-insensitively and not inside a longer name (`x.git.example.com`).

/// What a token is, which decides what may stand right beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An IPv4 or IPv6 address: digits, letters (hex), `.` and `:` continue it.
    Address,
    /// A DNS name: letters, digits, `.`, `-` and `_` continue it.
    Name,
}

fn continues(kind: TokenKind, c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || match kind {
            TokenKind::Address => c == b':',
            TokenKind::Name => c == b'-' || c == b'_',
        }
}

/// Whether `hay[at..at+len]` stands alone: nothing that would continue the token on either
/// side. After the token a `.` continues it only when what follows could (a digit for an
/// address, a letter or digit for a name), so a token ending a sentence or followed by a
/// file extension (`img-10.1.2.3.png`) still matches.
fn stands_alone(hay: &[u8], at: usize, len: usize, kind: TokenKind) -> bool {
    let before = at.checked_sub(1).map(|i| hay[i]);
    if before.is_some_and(|c| continues(kind, c) || c == b'.') {
        return false;
    }
    match hay.get(at + len) {
        None => true,
        Some(b'.') => !hay.get(at + len + 1).is_some_and(|c| match kind {
            TokenKind::Address => c.is_ascii_digit(),
            TokenKind::Name => c.is_ascii_alphanumeric(),
        }),
        Some(&c) => !continues(kind, c),
    }
}

/// Byte offsets of every whole-token occurrence of `needle` in `hay` (ASCII
/// case-insensitive).
pub fn find_all(hay: &[u8], needle: &str, kind: TokenKind) -> Vec<usize> {
    let n = needle.as_bytes();
    if n.is_empty() || hay.len() < n.len() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i + n.len() <= hay.len() {
        if hay[i..i + n.len()].eq_ignore_ascii_case(n) && stands_alone(hay, i, n.len(), kind) {
            out.push(i);
            i += n.len();
        } else {
            i += 1;
        }
    }
    out
}

/// `text` with every whole-token occurrence of each `(needle, kind, replacement)` replaced.
pub fn replace_all(text: &str, rules: &[(String, TokenKind, String)]) -> String {
    let mut text = text.to_string();
    for (needle, kind, with) in rules {
        let hits = find_all(text.as_bytes(), needle, *kind);
        if hits.is_empty() {
            continue;
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for h in hits {
            out.push_str(&text[at..h]);
            out.push_str(with);
            at = h + needle.len();
        }
        out.push_str(&text[at..]);
        text = out;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Vec<(String, TokenKind, String)> {
        vec![
            ("10.1.2.3".into(), TokenKind::Address, "gamma".into()),
            ("192.0.2.10".into(), TokenKind::Address, "alpha".into()),
            ("2001:db8::42".into(), TokenKind::Address, "beta".into()),
            ("git.example.com".into(), TokenKind::Name, "delta".into()),
        ]
    }

    #[test]
    fn only_whole_tokens_are_replaced() {
        assert_eq!(
            replace_all("10.1.2.34 and 110.1.2.3 and 192.0.2.100", &rules()),
            "10.1.2.34 and 110.1.2.3 and 192.0.2.100"
        );
        assert_eq!(
            replace_all(
                "at 10.1.2.3. Then [2001:db8::42]:80, img-10.1.2.3.png",
                &rules()
            ),
            "at gamma. Then [beta]:80, img-gamma.png"
        );
        assert_eq!(
            replace_all(
                "GIT.example.com, x.git.example.com, git.example.com.au",
                &rules()
            ),
            "delta, x.git.example.com, git.example.com.au"
        );
    }
}
