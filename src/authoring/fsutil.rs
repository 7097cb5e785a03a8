//! Files written whole: atomically, and under a lock.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// The directory of `path`, `.` for a bare name.
fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// The prefix of the temporary files beside `path`: recognisable, so that one left by a run
/// that was killed can be removed by the next.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.quotecheck-")
}

/// Replace `path` with `text` atomically: a temporary file in the same directory, written,
/// synced and renamed over the original, which keeps its permissions and (where the system
/// lets it) its owner. A file that would change owner is left as it was.
pub fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    let dir = dir_of(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = fs::metadata(path) {
        fs::set_permissions(tmp.path(), meta.permissions())?;
        keep_owner(tmp.as_file(), &meta)?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    // The rename itself is durable once the directory is synced.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Give `file` the owner and group of `was`: refused (and so nothing replaced) when the
/// system does not let this user do it, rather than hand another user's file to this one.
#[cfg(unix)]
fn keep_owner(file: &File, was: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let now = file.metadata()?;
    if (now.uid(), now.gid()) == (was.uid(), was.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(was.uid()), Some(was.gid())).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("it belongs to another user or group, which this user cannot keep ({e})"),
        )
    })
}

#[cfg(not(unix))]
fn keep_owner(_file: &File, _was: &fs::Metadata) -> io::Result<()> {
    Ok(())
}

/// Remove the temporary files a killed run left beside `path`. Only under `path`'s lock:
/// then no other run is writing one.
pub fn remove_leftovers(path: &Path) {
    let prefix = temp_prefix(path);
    let Ok(entries) = fs::read_dir(dir_of(path)) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && name.ends_with(".tmp") {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Hold an exclusive lock for changing `path`, on a lock file beside it (the claims file
/// itself is replaced by rename, so it cannot carry the lock).
pub fn lock_for(path: &Path) -> io::Result<File> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lock_path = path.with_file_name(format!(".{name}.lock"));
    let f = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)?;
    f.lock()?;
    Ok(f)
}
