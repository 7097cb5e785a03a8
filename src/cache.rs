//! The results cache (`.quotecheck_cache/`): each claim's record, under the hash of
//! everything its result depends on (`Checker::key`), so that a run checks again
//! only the claims that changed, or whose settings or sources did.
//!
//! One file per claims file, `v1/<hash of its identity and path>.jsonl`: a header line with
//! the format and quotecheck's version, then one line per claim, `KEY CHECK RECORD`, where
//! CHECK is the hash of the record's JSON. The cache is never trusted: a file of another
//! version or format is not read, a line that does not parse or whose record does not match
//! its check is not used, and a record that cannot be read when it is due is checked again.
//! A file is replaced whole (written aside, then renamed) when much of it is out of date;
//! otherwise new records are appended, in writes of whole lines after a newline that ends
//! any line a killed run left unfinished. So runs sharing a cache never see half a file:
//! the last one to replace it wins, and a line being appended is not read until it ends.
//!
//! Beside them, `v1/<key>.index`: the built index of a large source version, under the hash
//! of its text and format ([`Indexes`], the [`Keep`] a corpus is given), so that a run that
//! checks one claim again against a 100 MB source loads its index rather than build it. It
//! ends with a hash of its contents and is not used unless that matches (`crate::stored`).
//!
//! A cache that came with a checkout is someone else's: one that git tracks is not read
//! ([`Cache::tracked`]), so a pull request cannot ship results for its own claims.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use crate::check::Key;
use crate::report::ClaimRecord;
use crate::source::corpus::Keep;

/// The cache directory's usual name.
pub const DIR_NAME: &str = ".quotecheck_cache";

/// What the first line of every cache file says; files of another format are not read.
fn header() -> String {
    format!("quotecheck-cache 1 {}\n", env!("CARGO_PKG_VERSION"))
}

/// The standard mark of a cache directory (<https://bford.info/cachedir/>): backup tools
/// skip it, and `quotecheck clean` removes only a directory that has it.
const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
    # This file is a cache directory tag created by quotecheck.\n\
    # For information about cache directory tags see https://bford.info/cachedir/\n";

/// How old a temporary file in the cache must be to be taken for one a killed run left.
pub const ABANDONED: std::time::Duration = std::time::Duration::from_secs(3600);

/// How long a claims file's records may go unread before a run removes them: the claims
/// file was renamed or deleted (a claims file still in use only costs a check again).
pub const UNUSED: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// The cache in one directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

fn hex(bytes: &[u8]) -> String {
    let mut out = vec![0; 2 * bytes.len()];
    hex_into(bytes, &mut out);
    out.into_iter().map(char::from).collect()
}

/// `bytes` in lower-case hex, into `out`'s first `2 * bytes.len()` bytes (without
/// formatting: for 100,000 reused records, formatting each byte was a tenth of the main
/// thread's work).
fn hex_into(bytes: &[u8], out: &mut [u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
    }
}

fn unhex<const N: usize>(s: &[u8]) -> Option<[u8; N]> {
    if s.len() != 2 * N {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0; N];
    for (o, pair) in out.iter_mut().zip(s.chunks_exact(2)) {
        *o = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// The first 16 bytes of a BLAKE3 hash.
fn check_of(bytes: &[u8]) -> [u8; 16] {
    let mut c = [0; 16];
    c.copy_from_slice(&blake3::hash(bytes).as_bytes()[..16]);
    c
}

impl Cache {
    /// The cache in `dir` (nothing is read or made until it is used).
    pub fn at(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// Its directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn results(&self) -> PathBuf {
        self.dir.join("v1")
    }

    /// The file of the claims file known by `identity` and shown as `path`.
    fn file_for(&self, identity: &str, path: &str) -> PathBuf {
        let name = check_of(format!("{identity}\0{path}").as_bytes());
        self.results().join(format!("{}.jsonl", hex(&name)))
    }

    /// Whether git tracks a file in the cache directory: then it came with the checkout
    /// (a pull request can commit one) and must not be read. `Err` when that cannot be told
    /// (git would not run), which callers treat as tracked.
    pub fn tracked(&self) -> Result<bool, String> {
        if !self.dir.is_dir() {
            return Ok(false);
        }
        let in_repository = self
            .dir
            .canonicalize()
            .map_err(|e| e.to_string())?
            .ancestors()
            .any(|a| a.join(".git").exists());
        if !in_repository {
            return Ok(false);
        }
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(&self.dir)
            .args(["ls-files", "-z", "--", "."])
            .stderr(std::process::Stdio::null())
            .output()
            .map_err(|e| format!("git would not run: {e}"))?;
        if !out.status.success() {
            // Not a work tree after all (a bare `.git` file, an unrelated directory).
            return Ok(false);
        }
        Ok(!out.stdout.is_empty())
    }

    /// Whether the cache directory stays inside `root` once symlinks are followed (it need
    /// not exist yet: then its parent must). A pull request can commit a symlink where the
    /// cache would be, pointing anywhere on the machine.
    pub fn inside(&self, root: &Path) -> bool {
        let root = if root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            root
        };
        let Ok(root) = root.canonicalize() else {
            return false;
        };
        let dir = if self.dir.exists() {
            self.dir.canonicalize()
        } else {
            match (self.dir.parent(), self.dir.file_name()) {
                (Some(parent), Some(name)) => {
                    let parent = if parent.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        parent
                    };
                    parent.canonicalize().map(|p| p.join(name))
                }
                _ => return false,
            }
        };
        let results_linked =
            std::fs::symlink_metadata(self.results()).is_ok_and(|m| m.file_type().is_symlink());
        dir.is_ok_and(|d| d.starts_with(&root)) && !results_linked
    }

    /// What the cache knows of the claims file known by `identity`, shown as `path`.
    pub fn entries(&self, identity: &str, path: &str) -> Entries {
        Entries::read(&self.file_for(identity, path)).unwrap_or_default()
    }

    /// A new file for the claims file known by `identity`, shown as `path`, which replaces
    /// the old one when it is finished.
    pub fn writer(&self, identity: &str, path: &str) -> io::Result<Writer> {
        self.make()?;
        let target = self.file_for(identity, path);
        let tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(self.results())?;
        let mut out = BufWriter::new(tmp);
        out.write_all(header().as_bytes())?;
        Ok(Writer {
            to: To::Replace { out, target },
        })
    }

    /// The file of the claims file known by `identity`, shown as `path`, to add records to
    /// ([`Entries::appendable`] says when); an error when there is none.
    pub fn appender(&self, identity: &str, path: &str) -> io::Result<Writer> {
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(self.file_for(identity, path))?;
        Ok(Writer {
            to: To::Append {
                file,
                lines: b"\n".to_vec(),
            },
        })
    }

    /// The directory, with its tag and a `.gitignore` that keeps it out of commits.
    fn make(&self) -> io::Result<()> {
        std::fs::create_dir_all(self.results())?;
        for (name, text) in [
            ("CACHEDIR.TAG", CACHEDIR_TAG),
            (".gitignore", "# Made by quotecheck.\n*\n"),
        ] {
            let path = self.dir.join(name);
            if !path.exists() {
                std::fs::write(path, text)?;
            }
        }
        Ok(())
    }

    /// Remove what runs that were killed while writing left behind, temporary files older
    /// than [`ABANDONED`] (a younger one may be a concurrent run's, still being written),
    /// and the records of claims files unread for [`UNUSED`] (renamed or deleted ones).
    /// Best effort: what cannot be read or removed stays.
    pub fn sweep(&self) {
        let Ok(dir) = std::fs::read_dir(self.results()) else {
            return;
        };
        let now = std::time::SystemTime::now();
        for entry in dir.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let limit = if name.starts_with(".tmp-") {
                ABANDONED
            } else if name.ends_with(".jsonl") || name.ends_with(".index") {
                UNUSED
            } else {
                continue;
            };
            let old = entry.metadata().is_ok_and(|m| {
                m.is_file()
                    && m.modified()
                        .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > limit))
            });
            if old {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Where the indexes of large sources are kept.
    pub fn indexes(&self) -> Indexes {
        Indexes {
            cache: self.clone(),
        }
    }

    /// Remove the cache directory. `Ok(false)` when there is none; an error, and nothing
    /// removed, when the directory is not a quotecheck cache (it has no tag of ours).
    pub fn clean(&self) -> io::Result<bool> {
        if !self.dir.exists() {
            return Ok(false);
        }
        let tag = std::fs::read_to_string(self.dir.join("CACHEDIR.TAG")).unwrap_or_default();
        if tag != CACHEDIR_TAG {
            return Err(io::Error::other(
                "it is not a quotecheck cache (it has no CACHEDIR.TAG of quotecheck's)",
            ));
        }
        std::fs::remove_dir_all(&self.dir)?;
        Ok(true)
    }
}

/// The built indexes a cache keeps, one file each.
#[derive(Debug)]
pub struct Indexes {
    cache: Cache,
}

impl Indexes {
    fn file(&self, key: &str) -> Option<PathBuf> {
        // Keys are hex digests: nothing in one can lead out of the directory.
        key.bytes()
            .all(|b| b.is_ascii_hexdigit())
            .then(|| self.cache.results().join(format!("{key}.index")))
    }
}

impl Keep for Indexes {
    fn open(&self, key: &str) -> Option<(Box<dyn Read + '_>, u64)> {
        let file = File::open(self.file(key)?).ok()?;
        let meta = file.metadata().ok()?;
        if !meta.is_file() {
            return None;
        }
        // Used now: not one [`Cache::sweep`] takes for a source that is gone.
        let _ = file.set_modified(std::time::SystemTime::now());
        Some((
            Box::new(BufReader::with_capacity(1 << 16, file)),
            meta.len(),
        ))
    }

    fn save(&self, key: &str, write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>) {
        let Some(target) = self.file(key) else { return };
        let saved = (|| {
            self.cache.make()?;
            let tmp = tempfile::Builder::new()
                .prefix(".tmp-")
                .tempfile_in(self.cache.results())?;
            let mut out = BufWriter::with_capacity(1 << 16, tmp);
            write(&mut out)?;
            let tmp = out.into_inner().map_err(|e| e.into_error())?;
            tmp.persist(&target).map_err(|e| e.error)?;
            io::Result::Ok(())
        })();
        // Best effort: the next run builds the index again.
        let _ = saved;
    }
}

/// Where one record is in a cache file.
#[derive(Debug, Clone, Copy)]
struct Entry {
    at: u64,
    len: usize,
    check: [u8; 16],
}

/// `KEY CHECK ` before each record: two 16-byte hashes in hex and a space after each.
const LINE_START: u64 = 66;

impl Entry {
    /// Its whole line: the start, the record and the newline.
    fn line(&self) -> (u64, u64) {
        (
            self.at.saturating_sub(LINE_START),
            self.at + self.len as u64 + 1,
        )
    }
}

/// The records a cache file holds for one claims file, read when due.
#[derive(Debug, Default)]
pub struct Entries {
    file: Option<File>,
    entries: HashMap<Key, Entry>,
    /// The bytes of the file that were read.
    size: u64,
}

/// Longer lines are not records of ours.
const MOST_LINE_BYTES: usize = 64 << 20;

impl Entries {
    /// The index of the file at `path`; `None` when there is none, or it is not one of ours
    /// (another format or version, not a regular file).
    fn read(path: &Path) -> Option<Entries> {
        let file = File::open(path).ok()?;
        if !file.metadata().ok()?.is_file() {
            return None;
        }
        let mut reader = BufReader::with_capacity(1 << 20, &file);
        let mut line = Vec::new();
        reader.read_until(b'\n', &mut line).ok()?;
        if line != header().as_bytes() {
            return None;
        }
        // Read now: not one [`Cache::sweep`] takes for a claims file that is gone (best
        // effort: a cache another user owns stays as it is).
        let _ = file.set_modified(std::time::SystemTime::now());
        let mut at = line.len() as u64;
        let mut entries = HashMap::new();
        // Only each line's start is copied (`KEY CHECK `) and its length counted: copying
        // whole lines was most of the time to index 128 MB of records.
        let mut start = Vec::with_capacity(66);
        let mut len = 0u64;
        loop {
            let buf = reader.fill_buf().ok()?;
            let n = buf.len();
            if n == 0 {
                break;
            }
            let mut rest = buf;
            while !rest.is_empty() {
                let newline = memchr::memchr(b'\n', rest);
                let (piece, after) = rest.split_at(newline.map_or(rest.len(), |i| i + 1));
                let take = (66 - start.len()).min(piece.len());
                start.extend_from_slice(&piece[..take]);
                len += piece.len() as u64;
                rest = after;
                if newline.is_none() {
                    break;
                }
                // `KEY CHECK RECORD\n`: 32 + 1 + 32 + 1 bytes before the record.
                if (68..=MOST_LINE_BYTES as u64).contains(&len) {
                    let key = start.get(..32).and_then(unhex::<16>);
                    let check = start.get(33..65).and_then(unhex::<16>);
                    if let (Some(key), Some(check), Some(b' '), Some(b' ')) =
                        (key, check, start.get(32), start.get(65))
                    {
                        let entry = Entry {
                            at: at + 66,
                            len: (len - 67) as usize,
                            check,
                        };
                        entries.insert(key, entry);
                    }
                }
                at += len;
                len = 0;
                start.clear();
            }
            reader.consume(n);
        }
        Some(Entries {
            file: Some(file),
            entries,
            size: at + len,
        })
    }

    /// How many records there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether records may be added to the file rather than all of it written again: it
    /// holds the records of `keys`, and what else it holds (records of claims changed or
    /// gone, damaged lines) is at most half as much. A file kept that way stays at most half
    /// again as large as a new one, and a run with one claim of 100,000 changed writes one
    /// record, not 128 MB.
    pub fn appendable(&self, keys: &std::collections::HashSet<&Key>) -> bool {
        let live: u64 = keys
            .iter()
            .filter_map(|k| self.entries.get(*k))
            .map(|e| {
                let (start, end) = e.line();
                end - start
            })
            .sum();
        let rest = self.size.saturating_sub(live + header().len() as u64);
        live > 0 && rest <= live / 2
    }

    /// The record's JSON under `key`, if it is whole and matches its check.
    fn json(&self, key: &Key) -> Option<Vec<u8>> {
        let e = self.entries.get(key)?;
        let mut json = vec![0; e.len];
        self.file.as_ref()?.read_exact_at(&mut json, e.at).ok()?;
        (check_of(&json) == e.check).then_some(json)
    }

    /// The record under `key`, if it is whole, matches its check and reads as a record.
    pub fn get(&self, key: &Key) -> Option<ClaimRecord> {
        serde_json::from_slice(&self.json(key)?).ok()
    }

    /// Copy the lines of the records under `keys` into `writer` as they are stored, in runs
    /// of adjacent lines (each record read, a syscall and a hash per record, was a fifth of a
    /// run with one claim of 100,000 changed). They are not checked here: each record is
    /// checked when it is read, and one that is damaged is checked again then. Where a run
    /// cannot be read whole (the file was cut since), its lines are copied one by one and
    /// those that cannot be read are left out.
    pub fn copy<'k>(
        &self,
        keys: impl IntoIterator<Item = &'k Key>,
        writer: &mut Writer,
    ) -> io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let mut lines: Vec<(u64, u64)> = keys
            .into_iter()
            .filter_map(|k| self.entries.get(k))
            .map(Entry::line)
            .collect();
        lines.sort_unstable();
        lines.dedup();
        let mut buf = Vec::new();
        let mut rest = lines.as_slice();
        while let Some((&(start, _), _)) = rest.split_first() {
            // Adjacent lines, up to 1 MiB (or one longer line) at a time.
            let whole = 1 + rest
                .windows(2)
                .take_while(|pair| pair[0].1 == pair[1].0 && pair[1].1 - start <= 1 << 20)
                .count();
            let (run, after) = rest.split_at(whole);
            rest = after;
            let end = run.last().map_or(start, |l| l.1);
            if read_at(file, &mut buf, start, end) {
                writer.write(&[&buf])?;
                continue;
            }
            for &(start, end) in run {
                if read_at(file, &mut buf, start, end) {
                    writer.write(&[&buf])?;
                }
            }
        }
        Ok(())
    }
}

/// Read `file`'s bytes from `start` to `end` into `buf`; false when they cannot be had.
fn read_at(file: &File, buf: &mut Vec<u8>, start: u64, end: u64) -> bool {
    let Ok(len) = usize::try_from(end.saturating_sub(start)) else {
        return false;
    };
    buf.resize(len, 0);
    file.read_exact_at(buf, start).is_ok()
}

/// A cache file being written: a new one, which replaces the old one at [`Writer::finish`]
/// and is thrown away if dropped before, or records added to the old one.
#[derive(Debug)]
pub struct Writer {
    to: To,
}

#[derive(Debug)]
enum To {
    Replace {
        out: BufWriter<tempfile::NamedTempFile>,
        target: PathBuf,
    },
    /// Lines are held until there are 1 MiB of them, and written at once, so that the
    /// lines of runs appending at the same time never mix.
    Append { file: File, lines: Vec<u8> },
}

impl Writer {
    /// Add `record` under `key`.
    pub fn put(&mut self, key: &Key, record: &ClaimRecord) -> io::Result<()> {
        let json = serde_json::to_vec(record)?;
        self.line(key, &check_of(&json), &json)
    }

    /// Whether this adds to the old file (which keeps the records not written here).
    pub fn appends(&self) -> bool {
        matches!(self.to, To::Append { .. })
    }

    fn line(&mut self, key: &Key, check: &[u8; 16], json: &[u8]) -> io::Result<()> {
        // Compact JSON escapes every newline, so a record is one line.
        let mut start = [b' '; 66];
        let (k, c) = start.split_at_mut(33);
        hex_into(key, k);
        hex_into(check, c);
        self.write(&[&start, json, b"\n"])
    }

    /// Whole lines.
    fn write(&mut self, parts: &[&[u8]]) -> io::Result<()> {
        match &mut self.to {
            To::Replace { out, .. } => parts.iter().try_for_each(|p| out.write_all(p)),
            To::Append { file, lines } => {
                parts.iter().for_each(|p| lines.extend_from_slice(p));
                if lines.len() >= 1 << 20 {
                    file.write_all(lines)?;
                    lines.clear();
                }
                Ok(())
            }
        }
    }

    /// Put the file in place of the old one, or write the last lines added to it.
    pub fn finish(self) -> io::Result<()> {
        match self.to {
            To::Replace { out, target } => {
                let tmp = out.into_inner().map_err(|e| e.into_error())?;
                tmp.persist(&target).map_err(|e| e.error)?;
            }
            To::Append { mut file, lines } => file.write_all(&lines)?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str) -> ClaimRecord {
        let json = format!(
            r#"{{"expect":"exact","file":"c.yaml","id":"{id}","kind":"quote","line":3,
            "notes":[],"passed":true,"score":0.9375,"source":"s","suggestion":null,
            "verdict":"exact","versions":[]}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    #[test]
    fn records_come_back_as_written_and_damage_is_never_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join(DIR_NAME));
        assert!(cache.entries("c", "c.yaml").is_empty());
        let mut w = cache.writer("c", "c.yaml").unwrap();
        w.put(&[1; 16], &record("a")).unwrap();
        w.put(&[2; 16], &record("b")).unwrap();
        w.finish().unwrap();
        assert!(cache.dir().join("CACHEDIR.TAG").exists());
        let read = cache.entries("c", "c.yaml");
        assert_eq!(read.len(), 2);
        let a = read.get(&[1; 16]).unwrap();
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&record("a")).unwrap()
        );
        assert!(read.get(&[3; 16]).is_none());
        assert!(cache.entries("other", "c.yaml").is_empty());

        // One changed byte in a record: that record is not used, the other is.
        let path = cache.file_for("c", "c.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen("0.9375", "0.9376", 1)).unwrap();
        let read = cache.entries("c", "c.yaml");
        assert!(read.get(&[1; 16]).is_none());
        assert!(read.get(&[2; 16]).is_some());
        // Cut short, garbage, or of another version: nothing, or only whole lines.
        std::fs::write(&path, &text[..text.len() - 10]).unwrap();
        assert!(cache.entries("c", "c.yaml").get(&[2; 16]).is_none());
        assert!(cache.entries("c", "c.yaml").get(&[1; 16]).is_some());
        std::fs::write(&path, b"\xff\xfe garbage\n\n").unwrap();
        assert!(cache.entries("c", "c.yaml").is_empty());
        let foreign = text.replacen(env!("CARGO_PKG_VERSION"), "0.0.0-other", 1);
        std::fs::write(&path, foreign).unwrap();
        assert!(cache.entries("c", "c.yaml").is_empty());
    }

    #[test]
    fn records_across_the_reader_s_buffer_all_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join(DIR_NAME));
        let mut w = cache.writer("c", "c.yaml").unwrap();
        // 3 MB of records of uneven length: lines cut by every 1 MiB the reader takes.
        let ids: Vec<String> = (0..3_000u32)
            .map(|i| "x".repeat(i as usize % 1_997))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            let mut key = [0; 16];
            key[..4].copy_from_slice(&(i as u32).to_le_bytes());
            w.put(&key, &record(id)).unwrap();
        }
        w.finish().unwrap();
        let read = cache.entries("c", "c.yaml");
        assert_eq!(read.len(), ids.len());
        for (i, id) in ids.iter().enumerate() {
            let mut key = [0; 16];
            key[..4].copy_from_slice(&(i as u32).to_le_bytes());
            assert_eq!(read.get(&key).unwrap().id, *id, "record {i}");
        }
    }

    #[test]
    fn copied_records_come_back_whole_in_any_order_and_from_a_file_cut_since() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join(DIR_NAME));
        let key = |i: u8| [i; 16];
        let mut w = cache.writer("c", "c.yaml").unwrap();
        for i in 1..=6 {
            w.put(&key(i), &record(&"x".repeat(usize::from(i) * 100)))
                .unwrap();
        }
        w.finish().unwrap();
        let old = cache.entries("c", "c.yaml");
        // A new record first, then the old ones out of order, twice over, with gaps.
        let mut w = cache.writer("c", "c.yaml").unwrap();
        w.put(&key(9), &record("new")).unwrap();
        old.copy(&[key(5), key(2), key(1), key(2), key(6), key(7)], &mut w)
            .unwrap();
        w.finish().unwrap();
        let read = cache.entries("c", "c.yaml");
        assert_eq!(read.len(), 5);
        for i in [1, 2, 5, 6] {
            let got = read.get(&key(i)).unwrap();
            assert_eq!(got.id, "x".repeat(usize::from(i) * 100), "record {i}");
        }
        assert_eq!(read.get(&key(9)).unwrap().id, "new");
        assert!(read.get(&key(3)).is_none() && read.get(&key(4)).is_none());

        // The old file is cut in record 5 after it was read: 5 and 6 are lost, not merged
        // into anything; the records before it and the new one stay.
        let old = cache.entries("c", "c.yaml");
        let path = cache.file_for("c", "c.yaml");
        let text = std::fs::read(&path).unwrap();
        let five = memchr::memmem::find(&text, "x".repeat(500).as_bytes()).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(five as u64 + 10)
            .unwrap();
        let mut w = cache.writer("c", "c.yaml").unwrap();
        old.copy(&[key(9), key(1), key(2), key(5), key(6)], &mut w)
            .unwrap();
        w.put(&key(7), &record("after")).unwrap();
        w.finish().unwrap();
        let read = cache.entries("c", "c.yaml");
        for (i, id) in [
            (1, "x".repeat(100)),
            (2, "x".repeat(200)),
            (9, "new".into()),
            (7, "after".into()),
        ] {
            assert_eq!(read.get(&key(i)).unwrap().id, id, "record {i}");
        }
        assert!(read.get(&key(5)).is_none() && read.get(&key(6)).is_none());
    }

    #[test]
    fn records_added_to_a_file_come_back_and_the_newest_wins() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join(DIR_NAME));
        assert!(cache.appender("c", "c.yaml").is_err(), "no file to add to");
        let key = |i: u8| [i; 16];
        let mut w = cache.writer("c", "c.yaml").unwrap();
        for i in 1..=4 {
            w.put(&key(i), &record(&format!("old{i}"))).unwrap();
        }
        w.finish().unwrap();
        let path = cache.file_for("c", "c.yaml");
        // A run killed while adding left half a line (of a claim of its own).
        let mut text = std::fs::read_to_string(&path).unwrap();
        let last = text.lines().last().unwrap().to_string();
        let half = format!("{}{}", "09".repeat(16), &last[32..last.len() / 2]);
        text.push_str(&half);
        std::fs::write(&path, &text).unwrap();
        let mut w = cache.appender("c", "c.yaml").unwrap();
        assert!(w.appends());
        w.put(&key(2), &record("new2")).unwrap();
        w.put(&key(5), &record("new5")).unwrap();
        w.finish().unwrap();
        let read = cache.entries("c", "c.yaml");
        let ids: Vec<String> = (1..=5).map(|i| read.get(&key(i)).unwrap().id).collect();
        assert_eq!(ids, ["old1", "new2", "old3", "old4", "new5"]);
        assert!(read.get(&key(9)).is_none());
    }

    #[test]
    fn a_file_is_added_to_only_while_at_most_a_third_of_it_is_out_of_date() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join(DIR_NAME));
        let keys: Vec<Key> = (0..6).map(|i| [i; 16]).collect();
        let mut w = cache.writer("c", "c.yaml").unwrap();
        for k in &keys {
            w.put(k, &record("same length")).unwrap();
        }
        w.finish().unwrap();
        let read = cache.entries("c", "c.yaml");
        let live = |n: usize| keys[..n].iter().collect::<std::collections::HashSet<_>>();
        // Six records of one length: four live (two out of date) is the least that may be
        // added to; none live never is.
        assert!(read.appendable(&live(6)));
        assert!(read.appendable(&live(4)));
        assert!(!read.appendable(&live(3)));
        assert!(!read.appendable(&live(0)));
        assert!(!Entries::default().appendable(&live(6)));
    }

    #[test]
    fn sweep_removes_only_abandoned_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join(DIR_NAME));
        cache.sweep(); // no cache yet: nothing to do
        cache.writer("c", "c.yaml").unwrap().finish().unwrap();
        let v1 = cache.results();
        let old = std::time::SystemTime::now() - 2 * ABANDONED;
        for name in [".tmp-old", "kept.jsonl", ".tmp-new"] {
            let f = std::fs::File::create(v1.join(name)).unwrap();
            if name != ".tmp-new" {
                f.set_modified(old).unwrap();
            }
        }
        cache.sweep();
        let left: Vec<String> = std::fs::read_dir(&v1)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!left.contains(&".tmp-old".to_string()), "{left:?}");
        for kept in [".tmp-new", "kept.jsonl"] {
            assert!(left.contains(&kept.to_string()), "{left:?}");
        }
        assert_eq!(left.len(), 3, "the claims file's own stays: {left:?}");
    }

    #[test]
    fn sweep_removes_the_records_of_claims_files_unread_for_long() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join(DIR_NAME));
        for name in ["gone", "used", "new"] {
            cache.writer(name, name).unwrap().finish().unwrap();
        }
        let long_ago = std::time::SystemTime::now() - 2 * UNUSED;
        for name in ["gone", "used"] {
            let f = File::options()
                .write(true)
                .open(cache.file_for(name, name))
                .unwrap();
            f.set_modified(long_ago).unwrap();
        }
        // Reading a claims file's records marks them used.
        let _ = cache.entries("used", "used");
        cache.sweep();
        assert!(
            !cache.file_for("gone", "gone").exists(),
            "unread for long: removed"
        );
        for kept in ["used", "new"] {
            assert!(cache.file_for(kept, kept).exists(), "{kept} stays");
        }
    }

    #[test]
    fn clean_removes_only_a_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join(DIR_NAME));
        assert!(!cache.clean().unwrap());
        cache.writer("c", "c.yaml").unwrap().finish().unwrap();
        assert!(cache.clean().unwrap());
        assert!(!dir.path().join(DIR_NAME).exists());
        let mine = Cache::at(dir.path());
        std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
        assert!(mine.clean().is_err());
        assert!(dir.path().join("keep.txt").exists());
    }
}
