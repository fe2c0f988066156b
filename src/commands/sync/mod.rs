//! `fleetdoc sync [--check] FILE...`: keeps generated regions of hand-written Markdown
//! files (a repository's README, its docs/) equal to what the fleet says now. Each region
//! holds one fleet block's keys in its begin marker and is rewritten as GFM; the text
//! around it is the author's and is never touched. `--check` writes nothing and names
//! every stale region at its file and line, for a pre-commit hook or a CI step.

mod regions;

use crate::diag::{Loc, Pos};
use crate::load::yaml::Src;
use std::path::{Component, Path, PathBuf};

pub fn sync(root: &Path, check: bool, files: &[PathBuf], verbose: bool) -> i32 {
    let super::Prepared {
        project, mut diags, ..
    } = match super::prepared(root, verbose) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if diags.has_errors() {
        diags.print();
        return 1;
    }
    let ctx = project.ctx();
    let site = root.join(&project.inputs.settings.output).join("diagrams");
    let mut changed = Vec::new();
    let (mut total, mut stale) = (0, 0);
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                diags.error(
                    Loc::file_start(file),
                    format!("cannot read this file: {e}; name a Markdown file that exists"),
                );
                continue;
            }
        };
        let found = regions::find(&text, file, &mut diags);
        let crlf = text.contains("\r\n");
        let diagrams_dir = relative(file.parent().unwrap_or(Path::new("")), &site);
        let mut out = String::with_capacity(text.len() + 1024);
        let mut at = 0;
        for region in &found {
            total += 1;
            let src = Src::new(file, region.line - 1);
            let before = diags.errors();
            let block = crate::model::blocks::parse(&src, &region.yaml, ctx.fleet, &mut diags);
            let Some(block) = block.filter(|_| diags.errors() == before) else {
                continue;
            };
            let fresh = crate::render::gfm_block::block_gfm(&block, &ctx, &diagrams_dir);
            // The file's line endings are kept: CRLF stays CRLF.
            let fresh = if crlf {
                fresh.replace('\n', "\r\n")
            } else {
                fresh
            };
            if text[region.content.clone()] == fresh {
                continue;
            }
            stale += 1;
            if check {
                diags.error(
                    Loc::new(file, Pos::new(region.line, 1)),
                    format!(
                        "region `{}` is stale; run `fleetdoc sync {}` to refresh it",
                        region.label,
                        file.display()
                    ),
                );
            }
            out.push_str(&text[at..region.content.start]);
            out.push_str(&fresh);
            at = region.content.end;
        }
        out.push_str(&text[at..]);
        if out != text {
            changed.push((file.clone(), out));
        }
    }
    if diags.has_errors() {
        diags.print();
        return 1;
    }
    diags.print();
    if !check {
        for (file, text) in &changed {
            if let Err(e) = write_atomic(file, text) {
                crate::diag::error_line(format!("cannot write {}: {e}", file.display()));
                return 1;
            }
        }
    }
    let regions = if total == 1 { "region" } else { "regions" };
    if check {
        crate::diag::say(format!("{total} {regions} in sync"));
    } else {
        crate::diag::say(format!(
            "{total} {regions}, {stale} refreshed in {} {}",
            changed.len(),
            if changed.len() == 1 { "file" } else { "files" }
        ));
    }
    0
}

/// Replace `file` by `text` through a temp file in the same folder and a rename, keeping
/// the file's owner, group and mode (and, for a symbolic link, the link: its target is
/// what is replaced). Where the owner cannot be given to the new file (another user's file
/// in a folder this user may write), the file is rewritten in place instead, which keeps
/// them without the atomic swap.
fn write_atomic(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::MetadataExt;
    let real = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let file = real.as_path();
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(file) {
        let owned = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
        if owned.is_err() {
            drop(tmp);
            return std::fs::write(file, text);
        }
        // After fchown, which may clear the set-user and set-group bits.
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

/// `to` as seen from the folder `from`, with `/` separators (`site/diagrams`,
/// `../site/diagrams`). Both are made absolute against the current folder first.
fn relative(from: &Path, to: &Path) -> String {
    let abs = |p: &Path| -> Vec<String> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let full = if p.is_absolute() {
            p.to_path_buf()
        } else {
            cwd.join(p)
        };
        let mut parts: Vec<String> = Vec::new();
        for c in full.components() {
            match c {
                Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                Component::ParentDir => {
                    parts.pop();
                }
                _ => {}
            }
        }
        parts
    };
    let (f, t) = (abs(from), abs(to));
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); f.len() - common];
    parts.extend(t[common..].iter().cloned());
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new(""), Path::new("./site/diagrams")),
            "site/diagrams"
        );
        assert_eq!(
            relative(Path::new("docs"), Path::new("site/diagrams")),
            "../site/diagrams"
        );
    }
}
