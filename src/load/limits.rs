//! Named limits for hostile input. A 50 MB YAML file, a bracket bomb or binary junk meets one
//! of these documented limits and a clear error, never a panic or an unbounded allocation.
//! (Alias bombs cannot happen: the YAML reader refuses anchors and aliases outright.)

use crate::diag::{Diagnostic, Loc, Pos, Severity};
use std::path::Path;

/// Largest YAML file read (topology part, settings). Split bigger fleets into `content/fleet/*.yaml`.
pub const MAX_YAML_BYTES: u64 = 8 * 1024 * 1024;
/// Largest Markdown page read.
pub const MAX_PAGE_BYTES: u64 = 4 * 1024 * 1024;
/// Deepest nesting of YAML flow collections (`[[[...`) or indentation levels accepted.
pub const MAX_YAML_DEPTH: usize = 64;

fn err(file: &Path, pos: Pos, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        loc: Loc::new(file, pos),
        message,
    }
}

/// A UTF-8 byte order mark, which some editors put at the start of a file.
const BOM: char = '\u{feff}';

/// Read a text file with a size limit; reports too-large, unreadable and non-UTF-8 files.
/// A leading byte order mark is dropped here, once for every input, so no parser sees it
/// and columns on the first line stay those an editor shows.
pub fn read_text(path: &Path, shown: &Path, limit: u64) -> Result<String, Diagnostic> {
    let meta = std::fs::metadata(path)
        .map_err(|e| err(shown, Pos::new(1, 1), format!("cannot read this file: {e}")))?;
    if meta.len() > limit {
        return Err(err(
            shown,
            Pos::new(1, 1),
            format!(
                "file is {:.1} MiB, over the limit of {} MiB; split it into smaller files",
                meta.len() as f64 / 1048576.0,
                limit / 1048576
            ),
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| err(shown, Pos::new(1, 1), format!("cannot read this file: {e}")))?;
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let pos = pos_of(&bytes, at);
        return Err(err(
            shown,
            pos,
            "file holds binary data (a NUL byte); expected UTF-8 text".into(),
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let pos = pos_of(e.as_bytes(), at);
        err(
            shown,
            pos,
            "file is not valid UTF-8 text; save it as UTF-8".into(),
        )
    })?;
    if text.starts_with(BOM) {
        text.drain(..BOM.len_utf8());
    }
    Ok(text)
}

fn pos_of(bytes: &[u8], at: usize) -> Pos {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    Pos::new(line, col)
}

/// Refuse YAML nested deeper than [`MAX_YAML_DEPTH`] before handing it to the parser, so a
/// bracket bomb cannot exhaust the stack. Quoted strings and comments are skipped.
pub fn check_yaml_depth(text: &str) -> Result<(), (Pos, String)> {
    let mut depth = 0usize;
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent / 2 > MAX_YAML_DEPTH * 2 {
            return Err((
                Pos::new(i + 1, indent + 1),
                format!("indentation of {indent} columns is deeper than fleetdoc accepts"),
            ));
        }
        let mut quote: Option<char> = None;
        for (j, c) in line.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '#') if j == 0 || line[..j].ends_with(' ') => break,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > MAX_YAML_DEPTH {
                        return Err((
                            Pos::new(i + 1, j + 1),
                            format!(
                                "nested more than {MAX_YAML_DEPTH} levels deep; flatten this value"
                            ),
                        ));
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    Ok(())
}
