//! Explains the YAML syntax errors that indentation causes. The parser's own words for them
//! are vague and often a line off ("mapping values are not allowed in this context", "did
//! not find expected key", a tab reported on the line above it); when the parser fails,
//! the text is read again here and a tab in the indentation, or a key indented unlike its
//! siblings, is named at its own line and column with both indents. Only the line the parser
//! stopped at is judged (or, for a tab, the first tab-indented line from there on), so a
//! text the parser accepts is never second-guessed.

use crate::diag::Pos;

/// What went wrong with a line's indentation, as a message at a position.
pub struct Explained {
    pub pos: Pos,
    pub message: String,
}

const TAB: &str = "YAML does not allow tabs for indentation; use spaces";

/// The parser's message `info` at (1-based) `line`, `col` about a tab: the first tab in the
/// indentation of a line from `line` on (the parser may report the value before it).
pub fn tab(text: &str, info: &str, line: usize, col: usize) -> Option<Explained> {
    if info.contains("':' must be followed by a valid YAML whitespace") {
        let l = text.lines().nth(line.checked_sub(1)?)?;
        let before = l.get(..col.checked_sub(1)?)?;
        if before.ends_with(":\t") || before.ends_with('\t') {
            return Some(Explained {
                pos: Pos::new(line, before.trim_end_matches('\t').len() + 1),
                message: "YAML needs a space after `:`, found a tab; use a space".into(),
            });
        }
        return None;
    }
    if !info.contains("tab") {
        return None;
    }
    let skip = block_scalar_lines(text);
    for (i, l) in text.lines().enumerate().skip(line.saturating_sub(1)) {
        if skip.get(i).copied().unwrap_or(false) {
            continue;
        }
        let lead = l.len() - l.trim_start_matches([' ', '\t']).len();
        if let Some(t) = l[..lead].find('\t') {
            return Some(Explained {
                pos: Pos::new(i + 1, t + 1),
                message: TAB.into(),
            });
        }
    }
    // A tab after a block indicator (`- \tx`, `? \tx`) on the reported line.
    let l = text.lines().nth(line.checked_sub(1)?)?;
    l.find('\t').map(|t| Explained {
        pos: Pos::new(line, t + 1),
        message: TAB.into(),
    })
}

/// A block level open at some line: its indentation and the last line (1-based) at it.
#[derive(Clone)]
struct Level {
    indent: usize,
    line: usize,
}

/// The line the parser stopped at (1-based), judged against the lines above it: indented
/// deeper than a key that has a value of its own (so it cannot belong to it), or dedented
/// to an indentation no enclosing mapping uses. `line_offset` is how many lines of the
/// file precede the text (front matter), for the sibling's line in the message.
pub fn misindented(text: &str, line: usize, line_offset: usize) -> Option<Explained> {
    let lines: Vec<&str> = text.lines().collect();
    let target = lines.get(line.checked_sub(1)?)?;
    let skip = block_scalar_lines(text);
    let mut levels: Vec<Level> = Vec::new();
    // The previous content line: its level and whether it can have nested lines.
    let mut prev: Option<(Level, bool)> = None;
    let mut flow = 0usize;
    for (i, l) in lines.iter().enumerate().take(line - 1) {
        if skip.get(i).copied().unwrap_or(false) {
            continue;
        }
        let indent = l.len() - l.trim_start_matches(' ').len();
        let rest = l[indent..].trim_end();
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        let in_flow = flow > 0;
        flow = flow_after(rest, flow);
        if in_flow {
            continue;
        }
        // A line under a key with a value of its own continues that value (a plain
        // scalar over several lines); it opens no level.
        if let Some((p, false)) = &prev {
            if indent > p.indent {
                continue;
            }
        }
        while levels.last().is_some_and(|t| t.indent > indent) {
            levels.pop();
        }
        match levels.last_mut() {
            Some(t) if t.indent == indent => t.line = i + 1,
            _ => levels.push(Level {
                indent,
                line: i + 1,
            }),
        }
        // `- key: value` opens a second level at the key.
        let (inner, content) = item_content(rest, indent);
        if inner != indent {
            levels.push(Level {
                indent: inner,
                line: i + 1,
            });
        }
        let level = levels.last().cloned()?;
        // A value in brackets or a block scalar (whose lines are skipped) is complete.
        prev = Some((level, flow == 0 && opens_block(content)));
    }
    if flow > 0 {
        return None;
    }
    let indent = target.len() - target.trim_start_matches(' ').len();
    let rest = target[indent..].trim_end();
    if rest.is_empty() || target.starts_with('\t') {
        return None;
    }
    let what = match key_of(rest) {
        Some(k) => format!("`{k}`"),
        None if rest.starts_with('-') => "this list item".to_string(),
        None => "this line".to_string(),
    };
    let (p, can_nest) = prev?;
    let siblings = if indent > p.indent && !can_nest {
        p
    } else if indent < p.indent {
        let mut deeper = None;
        for l in levels.iter().rev() {
            if l.indent == indent {
                return None;
            }
            if l.indent < indent {
                break;
            }
            deeper = Some(l.clone());
        }
        deeper?
    } else {
        return None;
    };
    Some(Explained {
        pos: Pos::new(line, indent + 1),
        message: out_of_line(
            &what,
            indent,
            siblings.line + line_offset,
            siblings.indent,
            " (YAML nests by indentation)",
        ),
    })
}

/// "`port` is indented 6 spaces but its siblings at line 16 use 4; indent it by 4
/// spaces", then `tail`.
pub fn out_of_line(what: &str, indent: usize, line: usize, siblings: usize, tail: &str) -> String {
    let spaces = |n: usize| {
        if n == 1 {
            "1 space".to_string()
        } else {
            format!("{n} spaces")
        }
    };
    let is = match indent {
        0 => "is not indented".to_string(),
        n => format!("is indented {}", spaces(n)),
    };
    let (theirs, fix) = match siblings {
        0 => (
            "are not indented".to_string(),
            "remove its indentation".to_string(),
        ),
        n => (format!("use {n}"), format!("indent it by {}", spaces(n))),
    };
    format!("{what} {is} but its siblings at line {line} {theirs}; {fix}{tail}")
}

/// The key of a `key: value` or `key:` line (quotes removed), if it is one.
fn key_of(rest: &str) -> Option<&str> {
    let rest = rest.strip_prefix("- ").unwrap_or(rest).trim_start();
    let end = rest
        .find(": ")
        .or_else(|| rest.ends_with(':').then(|| rest.len() - 1))?;
    let key = rest[..end].trim_matches(['"', '\'']);
    (!key.is_empty() && !key.contains(['{', '[', '#'])).then_some(key)
}

/// For a `- ` item line, the indentation of what follows the dash, and that text; for any
/// other line, its own indentation and text.
fn item_content(rest: &str, indent: usize) -> (usize, &str) {
    let mut at = indent;
    let mut content = rest;
    while let Some(after) = content.strip_prefix('-') {
        if !(after.is_empty() || after.starts_with(' ')) {
            break;
        }
        let trimmed = after.trim_start_matches(' ');
        at += 1 + after.len() - trimmed.len();
        content = trimmed;
        if content.is_empty() {
            break;
        }
    }
    if content.is_empty() {
        // A lone `-`: what follows on the next lines is nested under it.
        return (indent, rest);
    }
    (at, content)
}

/// Whether a line can have lines nested under it: it ends with `:` (a key whose value
/// follows) or is a lone `-` (an anchor or a tag before them too).
fn opens_block(content: &str) -> bool {
    let content = strip_comment(content).trim_end();
    let value = content.rsplit_once(": ").map_or(content, |(_, v)| v);
    content.ends_with(':') || content == "-" || value.starts_with(['&', '!'])
}

/// `|`, `>`, with an optional chomping and indentation indicator (`|-`, `>+2`).
fn is_block_scalar_header(v: &str) -> bool {
    let mut c = v.chars();
    matches!(c.next(), Some('|' | '>')) && c.all(|c| matches!(c, '-' | '+' | '1'..='9'))
}

/// A line without its ` # comment`, quotes respected.
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    for (j, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') if j == 0 || line[..j].ends_with([' ', '\t']) => return &line[..j],
            _ => {}
        }
    }
    line
}

/// How many flow collections (`[`, `{`) are open after this line.
fn flow_after(line: &str, mut flow: usize) -> usize {
    let mut quote = None;
    for c in strip_comment(line).chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '[' | '{') => flow += 1,
            (None, ']' | '}') => flow = flow.saturating_sub(1),
            _ => {}
        }
    }
    flow
}

/// Which lines are the content of a block scalar (`key: |` and the lines indented under
/// it): text, not structure, so tabs and indentation there are the author's own.
fn block_scalar_lines(text: &str) -> Vec<bool> {
    let mut out = Vec::new();
    // The open block scalar: its key's indentation, and its content's once a line sets it.
    let mut open: Option<(usize, Option<usize>)> = None;
    for l in text.lines() {
        let indent = l.len() - l.trim_start_matches(' ').len();
        let blank = l.trim().is_empty();
        if let Some((at, content)) = &mut open {
            let inside = match content {
                _ if blank => true,
                Some(c) => indent >= *c,
                None => indent > *at,
            };
            if inside {
                if !blank && content.is_none() {
                    *content = Some(indent);
                }
                out.push(true);
                continue;
            }
            open = None;
        }
        out.push(false);
        let content = strip_comment(l).trim_end();
        let value = content.rsplit_once(": ").map(|(_, v)| v).unwrap_or(content);
        let value = value.trim_start_matches("- ").trim();
        if is_block_scalar_header(value) {
            open = Some((indent, None));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(e: Option<Explained>) -> Option<(usize, usize, String)> {
        e.map(|e| (e.pos.line, e.pos.col, e.message))
    }

    #[test]
    fn a_tab_is_found_at_or_after_the_reported_line_outside_block_scalars() {
        let text = "a:\n  b: |\n  \tcode\n  c: x\n\td: y\n";
        let (l, c, _) = at(tab(text, "found a tab", 4, 6)).unwrap();
        assert_eq!((l, c), (5, 1));
        assert!(tab(text, "did not find expected key", 4, 6).is_none());
    }

    #[test]
    fn over_and_under_indented_keys_name_their_siblings() {
        let text = "s:\n  app:\n    host: a\n      port: 1\n";
        let (l, c, m) = at(misindented(text, 4, 0)).unwrap();
        assert_eq!((l, c), (4, 7));
        assert!(m.starts_with("`port` is indented 6 spaces but its siblings at line 3 use 4"));
        let text = "s:\n  app:\n    host: a\n   port: 1\n";
        let (_, c, m) = at(misindented(text, 4, 0)).unwrap();
        assert_eq!(c, 4);
        assert!(
            m.contains("indented 3 spaces but its siblings at line 3 use 4"),
            "{m}"
        );
        let text = "s:\n  app:\n    host:\n      - a\n     - b\n";
        let (_, _, m) = at(misindented(text, 5, 0)).unwrap();
        assert!(
            m.starts_with("this list item is indented 5 spaces but its siblings at line 4 use 6"),
            "{m}"
        );
        // After a block scalar or a value in brackets, the key above is complete.
        let text = "a:\n  b: >\n    text\n   c: 1\n";
        let (_, _, m) = at(misindented(text, 4, 0)).unwrap();
        assert!(
            m.starts_with("`c` is indented 3 spaces but its siblings at line 2 use 2"),
            "{m}"
        );
        let text = "a:\n  b: [1,\n     2]\n   c: 1\n";
        let (_, _, m) = at(misindented(text, 4, 0)).unwrap();
        assert!(
            m.starts_with("`c` is indented 3 spaces but its siblings at line 2 use 2"),
            "{m}"
        );
    }

    proptest::proptest! {
        /// Any text, any reported position: an explanation or none, never a panic.
        #[test]
        fn no_text_makes_the_explanations_panic(
            text in "[ \t\r\n:#|>\\[\\]{}\"'&!a-cé-]{0,60}",
            line in 0usize..12,
            col in 0usize..70,
        ) {
            let _ = misindented(&text, line, 3);
            let _ = tab(&text, "found a tab", line, col);
            let _ = tab(&text, "':' must be followed by a valid YAML whitespace", line, col);
        }
    }

    #[test]
    fn lines_the_parser_accepts_in_their_context_are_not_blamed() {
        // Nested under a key that opens a mapping, or a continued value.
        assert!(misindented("a:\n  b: 1\n", 2, 0).is_none());
        assert!(misindented("a: [1,\n      2]\nb: 1\n", 3, 0).is_none());
        assert!(misindented("a: |\n    text\n  more\nb: 1\n", 4, 0).is_none());
        assert!(misindented("- a: 1\n  b: 2\n", 2, 0).is_none());
    }
}
