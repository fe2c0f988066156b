//! Writing a snapshot so that a reader never sees half a file: the JSON goes to a temporary
//! file in the destination folder, is flushed to disk, and is renamed over the destination.

use std::io::{self, Write};
use std::path::Path;

use crate::snapshot::Snapshot;

/// Writes `snap` as pretty JSON to `path` atomically (temp file in the same folder, then
/// rename). The folder must exist.
pub fn write_atomic(path: &Path, snap: &Snapshot) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut json = serde_json::to_vec_pretty(snap).map_err(io::Error::other)?;
    json.push(b'\n');

    let mut tmp = tempfile::Builder::new()
        .prefix(".snapshot-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(&json)?;
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Temp files are private; a snapshot is read by other tools like any output file.
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
