//! Commands in a page's shell blocks, read against the fleet: the lines an operator copies
//! under pressure name units, containers, hosts, public hostnames and folders, and each of
//! those is checked like a reference in a fleet block. `shell.rs` splits a block into
//! commands and words with their positions, `recognise.rs` finds the references in them,
//! `resolve.rs` looks each one up in the fleet, `history.rs` says what became of a name the
//! fleet no longer has (see docs/runbook-checks.md).

pub mod history;
pub mod recognise;
pub mod resolve;
pub mod shell;

pub use recognise::{Found, RefKind};
pub use shell::Dialect;

/// The fence attribute that turns the check off for one block: ```` ```bash nocheck ````.
pub const NOCHECK: &str = "nocheck";

/// How a fenced block with this info string is read: `None` for anything that is not a
/// shell block. The second value says whether the block opted out (`nocheck`).
pub fn dialect_of(info: &str) -> Option<(Dialect, bool)> {
    let mut words = info.split(|c: char| c.is_whitespace() || c == ',' || c == '{' || c == '}');
    let lang = words.next()?.trim();
    let dialect = match lang.to_ascii_lowercase().as_str() {
        "bash" | "sh" | "shell" | "zsh" => Dialect::Script,
        "console" | "sh-session" | "shell-session" | "shellsession" => Dialect::Session,
        _ => return None,
    };
    let nocheck = words.any(|w| w == NOCHECK);
    Some((dialect, nocheck))
}

/// Every reference of one block, given its lines and their offsets in the page.
pub fn block_references(lines: &[(&str, usize)], dialect: Dialect) -> Vec<Found> {
    recognise::references(&shell::read(lines, dialect))
}

/// Convenience for tests and tools: the references of a text taken as a script.
pub fn script_references(text: &str) -> Vec<Found> {
    let mut lines = Vec::new();
    let mut at = 0;
    for l in text.split_inclusive('\n') {
        lines.push((l, at));
        at += l.len();
    }
    block_references(&lines, Dialect::Script)
}
