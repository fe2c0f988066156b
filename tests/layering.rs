//! The pipeline imports only backwards: load <- model <- analyze <- render <- write, and
//! `base` (shared helpers) imports none of them. A `use` of a later stage from an earlier
//! one fails this test, naming the file and line, so the stages cannot grow back together.

use std::path::Path;

const STAGES: [&str; 5] = ["load", "model", "analyze", "render", "write"];
const AROUND: [&str; 7] = [
    "pipeline", "commands", "watch", "publish", "traefik", "cli", "discover",
];

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect()
}

/// Every `crate::X` in `dir` whose X is in `forbidden`, as `file:line: crate::X`.
fn uses_of(dir: &Path, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            for f in forbidden {
                let needle = format!("crate::{f}");
                let hit = line.match_indices(&needle).any(|(at, _)| {
                    let next = line[at + needle.len()..].chars().next();
                    !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
                });
                if hit {
                    found.push(format!("{}:{}: {needle}", file.display(), i + 1));
                }
            }
        }
    }
    found
}

#[test]
fn no_stage_imports_a_later_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for (i, stage) in STAGES.iter().enumerate() {
        let later: Vec<&str> = STAGES[i + 1..]
            .iter()
            .chain(AROUND.iter())
            .copied()
            .collect();
        found.extend(uses_of(&src.join(stage), &later));
    }
    assert!(found.is_empty(), "backward imports:\n{}", found.join("\n"));
}

#[test]
fn base_imports_no_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let all: Vec<&str> = STAGES.iter().chain(AROUND.iter()).copied().collect();
    let found = uses_of(&src.join("base"), &all);
    assert!(
        found.is_empty(),
        "base imports a stage:\n{}",
        found.join("\n")
    );
}
