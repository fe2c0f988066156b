//! Diagnostics are data. Every stage returns problems as [`Diagnostic`] values with a file,
//! a line and a column; one printer renders them all in the contract's one-line format
//! (`path:line:col: error: message`), all at once, then a one-line count.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail `build`; warnings only fail `check --strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub fn new(line: usize, col: usize) -> Self {
        Pos {
            line: line.max(1),
            col: col.max(1),
        }
    }
    /// The position `lines` lines further down (for YAML embedded in a Markdown page).
    pub fn shifted(self, lines: usize) -> Self {
        Pos {
            line: self.line + lines,
            col: self.col,
        }
    }
}

/// A place in the project: a file (relative to the project root when possible) and a position.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Loc {
    pub file: PathBuf,
    pub pos: Pos,
}

impl Loc {
    pub fn new(file: impl Into<PathBuf>, pos: Pos) -> Self {
        Loc {
            file: file.into(),
            pos,
        }
    }
    pub fn file_start(file: impl Into<PathBuf>) -> Self {
        Loc {
            file: file.into(),
            pos: Pos::new(1, 1),
        }
    }
}

/// One problem, with where it is and what to do about it (in the message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub loc: Loc,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.loc.file.display(),
            self.loc.pos.line,
            self.loc.pos.col,
            sev,
            self.message
        )
    }
}

/// The problems of one run, collected from every stage.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// How many of `items` are errors, kept as they are added so that asking costs nothing
    /// however many problems a run collects.
    errors: usize,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.push(Severity::Error, loc, message);
    }
    pub fn warning(&mut self, loc: Loc, message: impl Into<String>) {
        self.push(Severity::Warning, loc, message);
    }
    pub fn push(&mut self, severity: Severity, loc: Loc, message: impl Into<String>) {
        self.errors += usize::from(severity == Severity::Error);
        self.items.push(Diagnostic {
            severity,
            loc,
            message: message.into(),
        });
    }
    pub fn extend_one(&mut self, d: Diagnostic) {
        self.errors += usize::from(d.severity == Severity::Error);
        self.items.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.errors += other.errors;
        self.items.extend(other.items);
    }
    pub fn errors(&self) -> usize {
        self.errors
    }
    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors
    }
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
    /// Sorted by file and position, duplicates removed: stable output for users and tests.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.clone();
        v.sort_by(|a, b| a.loc.cmp(&b.loc).then(a.severity.cmp(&b.severity)));
        v.dedup();
        v
    }
    /// The one-line count printed after the diagnostics: it counts the lines printed (the
    /// same problem reported twice is printed, and counted, once).
    pub fn count_line(&self) -> String {
        let shown = self.sorted();
        let e = shown
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let w = shown.len() - e;
        format!(
            "{} {}, {} {}",
            e,
            plural(e, "error"),
            w,
            plural(w, "warning")
        )
    }
    /// Print every diagnostic, then the count, to stderr.
    pub fn print(&self) {
        for d in self.sorted() {
            eprintln!("{d}");
        }
        if !self.is_empty() {
            eprintln!("fleetdoc: {}", self.count_line());
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// A line of progress or outcome for the person at the terminal (not a problem): every
/// command says what it did through here, after its diagnostics.
pub fn say(message: impl fmt::Display) {
    eprintln!("fleetdoc: {message}");
}

/// An error line that concerns no input file (a program that cannot be run, a service
/// that does not answer), in the same `error:` form as the diagnostics.
pub fn error_line(message: impl fmt::Display) {
    eprintln!("fleetdoc: error: {message}");
}

/// A warning line that concerns no input file.
pub fn warning_line(message: impl fmt::Display) {
    eprintln!("fleetdoc: warning: {message}");
}

/// One diagnostic, printed at once (for a command that reports as it goes).
pub fn print_one(d: &Diagnostic) {
    eprintln!("{d}");
}

/// A line already in its printed form: a diagnostic `watch` keeps for the browser
/// overlay, or a stage time of `-v`.
pub fn print_line(line: &str) {
    eprintln!("{line}");
}

/// A usage problem that concerns no file (a bad flag value, a missing target): printed
/// in the same `error:` form; the exit code is 2.
pub fn usage_error(message: impl fmt::Display) -> i32 {
    error_line(message);
    2
}

/// A failure that concerns no input file (a port in use, a target that cannot be
/// reached): printed in the same `error:` form; the exit code is 1.
pub fn failure(message: impl fmt::Display) -> i32 {
    error_line(message);
    1
}

/// A path shown to the user: relative to the project root when it lies inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_line_counts_the_lines_printed() {
        let mut d = Diagnostics::new();
        let at = Loc::new("content/a.md", Pos::new(3, 1));
        d.error(at.clone(), "same problem");
        d.error(at.clone(), "same problem");
        d.warning(at, "another");
        assert_eq!(d.sorted().len(), 2);
        assert_eq!(d.count_line(), "1 error, 1 warning");
    }
}
