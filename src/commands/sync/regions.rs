//! Finding generated regions in a hand-written Markdown file: the text between a
//! `<!-- fleetdoc:begin KEY: VALUE ... -->` marker and the next `<!-- fleetdoc:end -->`.
//! The scan is by lines so the author's text around a region is kept byte for byte;
//! markers inside code blocks (fenced or indented, at any depth of lists and quotes, as
//! the CommonMark parser finds them) are examples, not regions, and are left alone.

use crate::diag::{Diagnostics, Loc, Pos};
use std::ops::Range;
use std::path::Path;

const BEGIN: &str = "<!-- fleetdoc:begin";
const END: &str = "<!-- fleetdoc:end -->";

/// One region: where its begin marker is, the fleet block it asks for (as YAML), and the
/// byte range of its current content (between the two marker lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// 1-based line of the begin marker.
    pub line: usize,
    /// The keys of the begin marker as a YAML map, one key per line.
    pub yaml: String,
    /// The marker's keys as written, for messages (`table: hosts`).
    pub label: String,
    pub content: Range<usize>,
}

/// Every region of `text`; unbalanced markers are errors at their lines.
pub fn find(text: &str, shown: &Path, diags: &mut Diagnostics) -> Vec<Region> {
    let mut out = Vec::new();
    let code = code_blocks(text);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    // An open region: its begin line, its keys, where its content starts.
    let mut open: Option<(usize, String, usize)> = None;
    // A begin marker spread over several lines: its first line and the text so far.
    let mut marker: Option<(usize, String)> = None;
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line_no = i + 1;
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if let Some((first, mut keys)) = marker.take() {
            match line.split_once("-->") {
                Some((last, _)) => {
                    keys.push('\n');
                    keys.push_str(last);
                    open = Some((first, keys, offset));
                }
                None => {
                    keys.push('\n');
                    keys.push_str(line);
                    marker = Some((first, keys));
                }
            }
            continue;
        }
        let trimmed = line.trim_start();
        if in_code(start + (line.len() - trimmed.len())) {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix(BEGIN) {
            if let Some((first, ..)) = &open {
                diags.error(
                    Loc::new(shown, Pos::new(line_no, 1)),
                    format!("a fleetdoc region begins here, but the one at line {first} has no `{END}` before it; close it first"),
                );
                continue;
            }
            match rest.split_once("-->") {
                Some((keys, _)) => open = Some((line_no, keys.to_string(), offset)),
                None => marker = Some((line_no, rest.to_string())),
            }
        } else if trimmed.starts_with(END) {
            match open.take() {
                Some((first, keys, from)) => out.push(Region {
                    line: first,
                    yaml: to_yaml(&keys),
                    label: keys.split_whitespace().collect::<Vec<_>>().join(" "),
                    content: from..start,
                }),
                None => diags.error(
                    Loc::new(shown, Pos::new(line_no, 1)),
                    format!("`{END}` without a `{BEGIN} ... -->` before it; remove it or add the begin marker"),
                ),
            }
        }
    }
    if let Some((first, ..)) = open.or(marker.map(|(l, k)| (l, k, 0))) {
        diags.error(
            Loc::new(shown, Pos::new(first, 1)),
            format!("this fleetdoc region never ends; add `{END}` on a line of its own after it"),
        );
    }
    out
}

/// The byte ranges of every code block of `text`, as the CommonMark parser reads it.
fn code_blocks(text: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    Parser::new_ext(text, Options::ENABLE_TABLES)
        .into_offset_iter()
        .filter_map(|(e, r)| matches!(e, Event::Start(Tag::CodeBlock(_))).then_some(r))
        .collect()
}

/// The marker's keys as YAML: a one-line marker (`table: services host: alpha`) gets a line
/// per known key; brackets and quotes are kept whole.
fn to_yaml(keys: &str) -> String {
    if keys.trim().contains('\n') {
        return dedent(keys);
    }
    let s = keys.trim();
    let mut out = String::with_capacity(s.len() + 8);
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (k, &(at, c)) in chars.iter().enumerate() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, ' ') if depth == 0 => {
                let next = &s[at + 1..];
                // Any `word:` starts a key, so a misspelt one is read as a key (and gets
                // its "did you mean") rather than as part of the value before it.
                let word = next
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .unwrap_or(next.len());
                let starts_key = word > 0
                    && next[word..].starts_with(':')
                    && next[word + 1..].chars().next().is_none_or(|c| c == ' ');
                let prev_space = k > 0 && chars[k - 1].1 == ' ';
                if starts_key && !prev_space {
                    out.push('\n');
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
    }
    out.push('\n');
    out
}

/// Lines of a multi-line marker, with their common indent removed; blank lines are kept
/// so that YAML line N is line N of the marker.
fn dedent(keys: &str) -> String {
    let lines: Vec<&str> = keys.lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for l in lines {
        out.push_str(l.get(indent..).unwrap_or(l.trim_start()));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions(text: &str) -> (Vec<Region>, Vec<String>) {
        let mut d = Diagnostics::new();
        let r = find(text, Path::new("README.md"), &mut d);
        (r, d.sorted().iter().map(|x| x.to_string()).collect())
    }

    #[test]
    fn one_line_markers_become_yaml_lines() {
        assert_eq!(
            to_yaml(" table: services host: alpha columns: [name, host] "),
            "table: services\nhost: alpha\ncolumns: [name, host]\n"
        );
        assert_eq!(to_yaml(" summary: status "), "summary: status\n");
    }

    #[test]
    fn regions_and_their_content() {
        let text =
            "# Fleet\n\n<!-- fleetdoc:begin table: hosts -->\nold\n<!-- fleetdoc:end -->\ntail\n";
        let (r, d) = regions(text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].line, 3);
        assert_eq!(&text[r[0].content.clone()], "old\n");
        assert_eq!(r[0].label, "table: hosts");
    }

    #[test]
    fn multi_line_markers() {
        let text =
            "<!-- fleetdoc:begin\n  table: services\n  host: alpha\n-->\n<!-- fleetdoc:end -->\n";
        let (r, d) = regions(text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r[0].yaml, "\ntable: services\nhost: alpha\n");
        assert_eq!(r[0].content, 56..56);
    }

    #[test]
    fn misspelt_keys_start_their_own_line() {
        assert_eq!(
            to_yaml(" table: services hots: alpha "),
            "table: services\nhots: alpha\n"
        );
    }

    #[test]
    fn markers_in_code_fences_are_examples() {
        let text = "```markdown\n<!-- fleetdoc:begin table: hosts -->\n```\n";
        let (r, d) = regions(text);
        assert!(r.is_empty() && d.is_empty());
    }

    #[test]
    fn unbalanced_markers_are_errors_at_their_lines() {
        let (_, d) = regions("a\n<!-- fleetdoc:end -->\n");
        assert!(d[0].starts_with("README.md:2:1: error: `<!-- fleetdoc:end -->` without"));
        let (_, d) = regions("<!-- fleetdoc:begin table: hosts -->\nx\n");
        assert!(d[0].starts_with("README.md:1:1: error: this fleetdoc region never ends"));
    }
}
