//! What the render stage hands to the write stage: every file of the site, by path below
//! the output folder, either as bytes or as a file to copy as it is.

use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileData {
    Bytes(Vec<u8>),
    Copy(PathBuf),
}

#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, FileData>,
}

impl Output {
    pub fn bytes(&mut self, path: impl Into<String>, data: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), FileData::Bytes(data.into()));
    }
    pub fn copy(&mut self, path: impl Into<String>, from: PathBuf) {
        self.files.insert(path.into(), FileData::Copy(from));
    }
}
