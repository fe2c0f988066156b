//! Outputs never overlap inputs. Before `build`, `export`, `publish` or `watch` write
//! anything, the folder they would replace is resolved (through symbolic links; a folder
//! that does not exist yet is resolved through its nearest existing ancestor) and refused
//! when it is the project, contains it, lies inside an input folder or is an input file:
//! writing there would delete the sources. A folder that exists, holds files and carries no
//! mark of fleetdoc having written it is refused too, unless the user says `--force`.

use crate::load::settings::Settings;
use std::path::{Component, Path, PathBuf};

/// The file every site and export fleetdoc writes carries at its top: the mark that the
/// folder is fleetdoc's to replace. Hidden, so `serve` never serves it.
pub const MARKER: &str = ".fleetdoc-build";
/// What the marker says to whoever opens it.
pub const MARKER_TEXT: &str =
    "This folder is written by fleetdoc; the next build replaces all of it.\n";

/// The places a project reads: itself, its input folders, its input files.
pub struct ProjectInputs {
    root: PathBuf,
    /// (as the user knows it, resolved)
    folders: Vec<(String, PathBuf)>,
    files: Vec<(String, PathBuf)>,
}

impl ProjectInputs {
    pub fn new(root: &Path, settings: &Settings) -> ProjectInputs {
        let mut folders: Vec<String> = ["content", "templates", "assets", "content/fleet"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        folders.push(crate::base::paths::slashed(&settings.probes));
        let mut files = vec![
            "fleetdoc.yaml".to_string(),
            "content/fleet.yaml".to_string(),
        ];
        if let Some(t) = &settings.topology {
            let t = crate::base::paths::slashed(t);
            if root.join(&t).is_dir() {
                folders.push(t);
            } else {
                files.push(t);
            }
        }
        let resolve_all = |names: Vec<String>| {
            names
                .into_iter()
                .map(|n| {
                    let r = resolve(&root.join(&n));
                    (n, r)
                })
                .collect()
        };
        ProjectInputs {
            root: resolve(root),
            folders: resolve_all(folders),
            files: resolve_all(files),
        }
    }
}

/// Why an output folder is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The output is the project folder itself.
    Project,
    /// The output holds the project folder.
    HoldsProject,
    /// The output is, or lies inside, this input folder.
    InInput(String),
    /// The output holds this input folder or file.
    HoldsInput(String),
    /// The output is this input file.
    InputFile(String),
    /// The output is a file, not a folder.
    NotAFolder,
    /// The output holds files and not this mark of fleetdoc's writing (needs `--force`).
    NotOurs(String),
}

impl Refusal {
    /// The sentence shown after the output's name: what is wrong and what to do.
    pub fn explain(&self, what: &str) -> String {
        let pick = "choose an output folder outside the project's inputs (the default is site/)";
        match self {
            Refusal::Project => format!(
                "is the project folder itself: writing the {what} there would delete the \
                 sources; {pick}"
            ),
            Refusal::HoldsProject => format!(
                "holds the project folder: writing the {what} there would delete the \
                 sources; {pick}"
            ),
            Refusal::InInput(input) => format!(
                "lies inside the input folder {input}/: writing the {what} there would delete \
                 sources; {pick}"
            ),
            Refusal::HoldsInput(input) => {
                format!("holds the input {input}: writing the {what} there would delete it; {pick}")
            }
            Refusal::InputFile(input) => format!(
                "is the input file {input}: writing the {what} there would delete it; {pick}"
            ),
            Refusal::NotAFolder => format!(
                "is a file, not a folder; the {what} is a folder: remove the file or choose \
                 another output"
            ),
            Refusal::NotOurs(marker) => format!(
                "already holds files that fleetdoc did not write (there is no {marker} in it), \
                 and writing the {what} replaces all of them: choose an empty or new folder, \
                 or pass --force to replace it"
            ),
        }
    }
}

/// Checks `out` against the project's inputs (always) and, unless `force`, that an existing
/// folder there is empty or was written by fleetdoc: it holds one of `markers`, or (a site
/// built before sites carried the marker) an `index.html` fleetdoc generated.
pub fn check(
    out: &Path,
    inputs: &ProjectInputs,
    markers: &[&str],
    force: bool,
) -> Result<(), Refusal> {
    let real = resolve(out);
    if real == inputs.root {
        return Err(Refusal::Project);
    }
    if inputs.root.starts_with(&real) {
        return Err(Refusal::HoldsProject);
    }
    for (name, file) in &inputs.files {
        if real == *file {
            return Err(Refusal::InputFile(name.clone()));
        }
    }
    for (name, folder) in &inputs.folders {
        if real.starts_with(folder) {
            return Err(Refusal::InInput(name.clone()));
        }
    }
    for (name, input) in inputs.folders.iter().chain(&inputs.files) {
        if input.starts_with(&real) && std::fs::symlink_metadata(input).is_ok() {
            return Err(Refusal::HoldsInput(name.clone()));
        }
    }
    let Ok(meta) = std::fs::metadata(&real) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(Refusal::NotAFolder);
    }
    if force || markers.iter().any(|m| real.join(m).exists()) || generated_site(&real) {
        return Ok(());
    }
    let empty = std::fs::read_dir(&real).is_ok_and(|mut entries| entries.next().is_none());
    match empty {
        true => Ok(()),
        false => Err(Refusal::NotOurs(
            markers.first().unwrap_or(&MARKER).to_string(),
        )),
    }
}

/// A site written before sites carried [`MARKER`]: its `index.html` names fleetdoc as its
/// generator (every page fleetdoc writes does, in its first lines).
fn generated_site(dir: &Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(dir.join("index.html")) else {
        return false;
    };
    if !file.metadata().map(|m| m.is_file()).unwrap_or(false) {
        return false;
    }
    let mut head = Vec::new();
    if file.take(2048).read_to_end(&mut head).is_err() {
        return false;
    }
    String::from_utf8_lossy(&head).contains("<meta name=\"generator\" content=\"fleetdoc ")
}

/// `path` made absolute with every symbolic link resolved. The part that does not exist
/// yet is appended to its nearest existing ancestor, resolved (`..` in that part steps
/// back lexically: nothing that does not exist can be a link).
pub fn resolve(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut real = PathBuf::from("/");
    let mut exists = true;
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => real.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                real.pop();
                // Back in a folder that exists: links below it are resolved again.
                exists = std::fs::symlink_metadata(&real).is_ok();
            }
            Component::Normal(name) => {
                real.push(name);
                if exists {
                    match std::fs::canonicalize(&real) {
                        Ok(r) => real = r,
                        // A broken link names nothing here: the link itself is replaced.
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_keeps_what_does_not_exist_and_steps_back_lexically() {
        let d = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(d.path()).unwrap();
        std::fs::create_dir(d.path().join("content")).unwrap();
        std::os::unix::fs::symlink(d.path().join("content"), d.path().join("link")).unwrap();
        assert_eq!(
            resolve(&d.path().join("link/new")),
            real.join("content/new")
        );
        assert_eq!(
            resolve(&d.path().join("new/../content")),
            real.join("content")
        );
        assert_eq!(resolve(&d.path().join("content/..")), real);
        assert_eq!(
            resolve(&d.path().join("new/../link/x")),
            real.join("content/x")
        );
    }
}
