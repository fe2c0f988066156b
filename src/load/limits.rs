//! Named limits for hostile input. A 50 MB YAML file, a bracket bomb or binary junk meets one
//! of these documented limits and a clear error, never a panic or an unbounded allocation.
//! (Alias bombs cannot happen: the YAML reader refuses anchors and aliases outright.)

use crate::diag::{Diagnostic, Loc, Pos, Severity};
use std::path::Path;

/// Largest YAML file read (topology part, settings). Split bigger fleets into `content/fleet/*.yaml`.
pub const MAX_YAML_BYTES: u64 = 8 * 1024 * 1024;
/// Largest Markdown page read.
pub const MAX_PAGE_BYTES: u64 = 4 * 1024 * 1024;
/// Deepest nesting of YAML accepted: indentation levels, block indicators (`- - -`) and flow
/// collections (`[[[`) together.
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

/// What a file that is not a regular file is (a FIFO, a socket, a device), or `None` for a
/// regular file or a folder. Reading a FIFO waits for a writer forever, so inputs are only
/// ever regular files; this names the rest in messages.
pub fn special_kind(ft: &std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if ft.is_socket() {
        Some("a socket")
    } else if ft.is_block_device() || ft.is_char_device() {
        Some("a device")
    } else {
        None
    }
}

/// The sentence for an input that is not a regular file.
pub fn not_regular(kind: &str) -> String {
    format!("not read: it is {kind}, not a regular file; fleetdoc reads only regular files")
}

/// Opens `path` for reading only if it is a regular file: its type is looked at before it is
/// opened (following links), it is opened without blocking (so a FIFO put there in between
/// cannot hang the build) and looked at again once open.
fn open_regular(path: &Path, shown: &Path) -> Result<(std::fs::File, u64), Diagnostic> {
    use std::os::unix::fs::OpenOptionsExt;
    let cannot =
        |e: std::io::Error| err(shown, Pos::new(1, 1), format!("cannot read this file: {e}"));
    let special = |ft: &std::fs::FileType| {
        special_kind(ft).map(|k| err(shown, Pos::new(1, 1), not_regular(k)))
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if let Some(e) = special(&meta.file_type()) {
        return Err(e);
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if let Some(e) = special(&meta.file_type()) {
        return Err(e);
    }
    if !meta.is_file() {
        return Err(err(
            shown,
            Pos::new(1, 1),
            "not read: it is a folder, not a file".into(),
        ));
    }
    Ok((file, meta.len()))
}

/// Read a text file with a size limit; reports too-large, unreadable and non-UTF-8 files,
/// and anything that is not a regular file.
/// A leading byte order mark is dropped here, once for every input, so no parser sees it
/// and columns on the first line stay those an editor shows.
pub fn read_text(path: &Path, shown: &Path, limit: u64) -> Result<String, Diagnostic> {
    use std::io::Read;
    let (file, len) = open_regular(path, shown)?;
    let too_large = |len: u64| {
        err(
            shown,
            Pos::new(1, 1),
            format!(
                "file is {:.1} MiB, over the limit of {} MiB; split it into smaller files",
                len as f64 / 1048576.0,
                limit / 1048576
            ),
        )
    };
    if len > limit {
        return Err(too_large(len));
    }
    // The file may grow between the size check and the read: never read past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| err(shown, Pos::new(1, 1), format!("cannot read this file: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
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

/// Refuse YAML nested deeper than [`MAX_YAML_DEPTH`] before handing it to the parser, which
/// recurses once per level: a bracket bomb (`[[[[`), a staircase of indentation, or block
/// indicators on one line (`- - - - x`, `? ? ? x`) cannot exhaust the stack. A line's depth
/// is the number of indentation levels it is inside, plus the block indicators that open
/// it, plus the flow collections open around it. One pass, linear in the text; quoted
/// strings and comments are skipped.
pub fn check_yaml_depth(text: &str) -> Result<(), (Pos, String)> {
    let too_deep = |line: usize, col: usize| {
        Err((
            Pos::new(line + 1, col + 1),
            format!("nested deeper than {MAX_YAML_DEPTH} levels; flatten this value"),
        ))
    };
    let mut flow = 0usize;
    // The indentation of each block level the current line is inside.
    let mut indents: Vec<usize> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        let mut depth = flow;
        let mut start = indent;
        if flow == 0 {
            while indents.last().is_some_and(|&top| top >= indent) {
                indents.pop();
            }
            indents.push(indent);
            depth = indents.len();
            // Block indicators that open one more level each on this line.
            let b = line.as_bytes();
            while start < b.len()
                && matches!(b[start], b'-' | b'?' | b':')
                && b.get(start + 1).is_none_or(|&c| c == b' ')
            {
                depth += 1;
                if depth > MAX_YAML_DEPTH {
                    return too_deep(i, start);
                }
                start += 1;
                while b.get(start) == Some(&b' ') {
                    start += 1;
                }
            }
        }
        if depth > MAX_YAML_DEPTH {
            return too_deep(i, indent);
        }
        let mut quote: Option<char> = None;
        for (j, c) in line[start..].char_indices() {
            let j = j + start;
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '#') if j == 0 || line[..j].ends_with(' ') => break,
                (None, '[' | '{') => {
                    flow += 1;
                    if depth + flow > MAX_YAML_DEPTH {
                        return too_deep(i, j);
                    }
                }
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
    }
    Ok(())
}
