//! Cleaning of untrusted text. Error messages, service states and header values come from
//! the network, from other programs or from snapshot files written by other tools; before
//! they are stored or shown they are cut to a bounded length and stripped of characters that
//! could rewrite a terminal line or reorder text on a page.

/// Longest text (in characters) kept from an untrusted source.
pub const MAX_TEXT_CHARS: usize = 300;

/// True for characters that must never reach a snapshot: C0/C1 controls and the Unicode
/// formatting characters that change text direction or hide content.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'   // zero-width spaces and marks, LTR/RTL marks
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{FEFF}')
}

/// Returns `text` with unsafe characters replaced by spaces, runs of whitespace collapsed,
/// surrounding whitespace trimmed, and at most [`MAX_TEXT_CHARS`] characters (an ellipsis
/// marks a cut).
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_TEXT_CHARS * 4));
    let mut chars = 0usize;
    let mut pending_space = false;
    for c in text.chars() {
        let c = if is_unsafe(c) { ' ' } else { c };
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        let needed = usize::from(pending_space) + 1;
        if chars + needed > MAX_TEXT_CHARS {
            out.push('…');
            return out;
        }
        if pending_space {
            out.push(' ');
            chars += 1;
            pending_space = false;
        }
        out.push(c);
        chars += 1;
    }
    out
}

/// The first non-empty line of a program's output, cleaned.
pub fn first_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(clean)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_removed() {
        assert_eq!(
            clean("bad\u{1b}[31m\r\nthing\u{202E}txt"),
            "bad [31m thing txt"
        );
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let cut = clean(&"é".repeat(1000));
        assert_eq!(cut.chars().count(), MAX_TEXT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(clean("short"), "short");
    }

    #[test]
    fn first_line_skips_blank_lines() {
        assert_eq!(first_line(b"\n  \nactive\nmore\n"), "active");
        assert_eq!(first_line(b""), "");
    }
}
