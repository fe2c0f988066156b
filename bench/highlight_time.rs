//! Times code highlighting alone: every fenced block of a project's pages through
//! `render::highlight::code_block`, on one thread, after one warm-up block (which loads the
//! grammars). Used for PERFORMANCE.md ("Search and highlighting").
//!
//!     cargo run --release --example highlight_time -- CONTENT_DIR

use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let root = std::env::args()
        .nth(1)
        .expect("usage: highlight_time CONTENT_DIR");
    let mut blocks = Vec::new();
    for path in markdown_files(Path::new(&root)) {
        let text = std::fs::read_to_string(&path).expect("readable page");
        // Fenced blocks: the text between pairs of ``` fences, info string on the first line.
        let mut parts = text.split("```").skip(1).step_by(2);
        for block in parts.by_ref() {
            if let Some((info, body)) = block.split_once('\n') {
                blocks.push((info.to_string(), body.to_string()));
            }
        }
    }
    let t0 = Instant::now();
    let _ = fleetdoc::render::highlight::code_block("bash", "echo warm-up\n");
    let first = t0.elapsed();
    let t1 = Instant::now();
    let mut bytes = 0;
    for (info, body) in &blocks {
        bytes += fleetdoc::render::highlight::code_block(info, body).len();
    }
    let all = t1.elapsed();
    let lines: usize = blocks.iter().map(|b| b.1.lines().count()).sum();
    println!(
        "first block {first:?}; {} blocks, {lines} lines in {all:?} ({:?} a line), {bytes} bytes of HTML",
        blocks.len(),
        all / lines.max(1) as u32
    );
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            out.extend(markdown_files(&path));
        } else if path.extension().is_some_and(|x| x == "md") {
            out.push(path);
        }
    }
    out.sort();
    out
}
