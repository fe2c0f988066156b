//! What the render stage hands to the write stage: every file of the site, by path below
//! the output folder, either as bytes or as a file to copy as it is.

use bytes::Bytes;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where a build's pages go as they are rendered (the write stage's temporary folder), so
/// that the site is never held in memory whole: peak memory follows the pages being
/// rendered, not the site. Called from the render threads, in any order.
pub trait Sink: Sync {
    /// Hand over one file. `false` once writing has failed: the writer keeps the error for
    /// its caller and refuses the rest.
    fn put(&self, rel: &str, data: &[u8]) -> bool;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileData {
    /// Shared, so the watch cache and the output hold one copy.
    Bytes(Bytes),
    Copy(PathBuf),
}

#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, FileData>,
}

impl Output {
    /// The files of this output at the paths `other` holds: what a partial rebuild's
    /// `other` replaces, for the writer to compare against.
    pub fn at_paths_of(&self, other: &Output) -> Output {
        Output {
            files: other
                .files
                .keys()
                .filter_map(|k| self.files.get_key_value(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }
    pub fn bytes(&mut self, path: impl Into<String>, data: impl Into<Bytes>) {
        self.files.insert(path.into(), FileData::Bytes(data.into()));
    }
    pub fn copy(&mut self, path: impl Into<String>, from: PathBuf) {
        self.files.insert(path.into(), FileData::Copy(from));
    }
    /// A file of content/, copied or (redacted) written, after everything fleetdoc
    /// generates: one that would replace a generated file (the sitemap, the feed, a theme
    /// asset, a diagram, a page) is an error naming both, and is not written. `written`:
    /// fleetdoc wrote a file at `rel` already (a page handed to the writer while rendered).
    pub fn static_file(
        &mut self,
        rel: &str,
        data: &crate::model::site::StaticData,
        written: bool,
        diags: &mut crate::diag::Diagnostics,
    ) {
        use crate::model::site::StaticData;
        if written || self.files.contains_key(rel) {
            diags.error(
                crate::diag::Loc::file_start(format!("content/{rel}")),
                format!(
                    "this file would replace {rel}, which fleetdoc generates in the output; \
                     rename or move content/{rel}"
                ),
            );
            return;
        }
        let data = match data {
            StaticData::File(p) => FileData::Copy(p.clone()),
            StaticData::Bytes(b) => FileData::Bytes(b.clone()),
        };
        self.files.insert(rel.to_string(), data);
    }
}
