//! What can stop a publish or a rollback, each as a sentence that names the path involved
//! and what to do about it, so the command line can print it as it is.

use std::fmt;
use std::io;
use std::path::PathBuf;

#[derive(Debug)]
pub enum PublishError {
    /// The brainstorming target folder does not exist (or is not a folder).
    NoTarget(PathBuf),
    /// A project folder name that is not `[a-z0-9-]`.
    BadProject(String),
    /// An entry of the release that cannot be listed (bad link, missing file).
    BadEntry { title: String, problem: String },
    /// `<project>/current` exists but is not a link to a release.
    CurrentNotALink(PathBuf),
    /// Rollback asked for, but there is no earlier complete release.
    NothingToRollBack {
        project: String,
        current: Option<String>,
    },
    /// The project folder belongs to a project at another root (the same title).
    OwnedByOther {
        dir: PathBuf,
        other: PathBuf,
        record: PathBuf,
    },
    /// More releases in one second than ids are left for.
    TooManyReleases(PathBuf),
    /// A file operation failed.
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

impl PublishError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(io::Error) -> Self {
        let path = path.into();
        move |source| PublishError::Io {
            action,
            path,
            source,
        }
    }
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishError::NoTarget(p) => write!(
                f,
                "the brainstorming target {} is not a folder: create it, or fix \
                 publish.brainstorming in fleetdoc.yaml (or --to)",
                p.display()
            ),
            PublishError::BadProject(name) => write!(
                f,
                "`{name}` cannot be a project folder name: use lowercase letters, digits and \
                 `-` (set publish.project in fleetdoc.yaml)"
            ),
            PublishError::BadEntry { title, problem } => {
                write!(f, "explainer `{title}` cannot be published: {problem}")
            }
            PublishError::CurrentNotALink(p) => write!(
                f,
                "{} is not a link to a release: move it away, then publish again \
                 (fleetdoc keeps `current` as a link into releases/)",
                p.display()
            ),
            PublishError::NothingToRollBack { project, current } => match current {
                Some(id) => write!(
                    f,
                    "project `{project}` has no release older than {id} to roll back to"
                ),
                None => write!(
                    f,
                    "project `{project}` has no current release to roll back from: publish first"
                ),
            },
            PublishError::OwnedByOther { dir, other, record } => write!(
                f,
                "{} is published by the project at {}, which has the same title: set \
                 publish.project in fleetdoc.yaml to a name of its own (or, if that project \
                 moved here, delete {})",
                dir.display(),
                other.display(),
                record.display()
            ),
            PublishError::TooManyReleases(p) => write!(
                f,
                "{} already holds the most releases one second can name: wait a second and \
                 publish again",
                p.display()
            ),
            PublishError::Io {
                action,
                path,
                source,
            } => write!(f, "could not {action} {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for PublishError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PublishError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
