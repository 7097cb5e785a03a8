//! `check` with the results cache: the records it holds, read on the workers when a claim is
//! due, and the new cache file of each claims file, written as its last claim is reported.

use std::collections::HashSet;
use std::path::Path;

use quotecheck::cache::{Cache, Entries, Writer};
use quotecheck::report::{self, ClaimRecord};
use quotecheck::{Checked, Checker, ClaimsFile, Key};
use rayon::prelude::*;

/// The cache as one run uses it.
pub struct Cached {
    cache: Option<Cache>,
    /// Per claims file, per claim: its key (none without a cache).
    keys: Vec<Vec<Option<Key>>>,
    /// Per claims file: what the cache holds.
    entries: Vec<Entries>,
    /// Per claims file: whether its cache file is to be written whole again (otherwise the
    /// records of the claims checked are added to it).
    rewrite: Vec<bool>,
}

/// The cache files being written.
#[derive(Default)]
pub struct Keeper {
    /// The claims file whose records are coming.
    file: Option<usize>,
    /// Its cache file, once there is something to write.
    writing: Option<Writer>,
    /// Claims written to the current file.
    written: HashSet<Key>,
    /// Set after the first failed write: the rest of the run writes nothing.
    failed: bool,
}

impl Cached {
    /// The cache in `dir`, unless it is off (`None`), leads outside `root` (when the project
    /// chose it rather than the user), or came with the checkout.
    pub fn usable(dir: Option<&Path>, root: Option<&Path>) -> Option<Cache> {
        dir.map(Cache::at).filter(|c| match c.tracked() {
            Ok(false) if root.is_some_and(|r| !c.inside(r)) => {
                let dir = report::shown_path(c.dir());
                eprintln!(
                    "warning: the cache {dir} leads outside the project (a symlink?), so it is not used"
                );
                false
            }
            Ok(false) => true,
            Ok(true) => {
                let dir = report::shown_path(c.dir());
                eprintln!(
                    "warning: the cache {dir} is tracked by git: it came with the checkout, so it is not used"
                );
                false
            }
            Err(e) => {
                let dir = report::shown_path(c.dir());
                eprintln!(
                    "warning: the cache {dir} is not used: cannot tell whether git tracks it ({e})"
                );
                false
            }
        })
    }

    /// What `cache` knows of `files`.
    pub fn open(cache: Option<Cache>, files: &[ClaimsFile], checker: &Checker) -> Cached {
        if let Some(c) = &cache {
            c.sweep();
        }
        // Reading what the cache holds (one thread per claims file) overlaps the keys.
        let (keys, entries) = rayon::join(
            || -> Vec<Vec<Option<Key>>> {
                match &cache {
                    Some(_) => files
                        .iter()
                        .enumerate()
                        .map(|(i, cf)| {
                            (0..cf.claims.len())
                                .into_par_iter()
                                .map(|n| checker.key(i, n))
                                .collect()
                        })
                        .collect(),
                    None => files.iter().map(|cf| vec![None; cf.claims.len()]).collect(),
                }
            },
            || -> Vec<Entries> {
                files
                    .par_iter()
                    .map(|cf| match &cache {
                        Some(c) => c.entries(&cf.identity, &report::shown_path(&cf.path)),
                        None => Entries::default(),
                    })
                    .collect()
            },
        );
        let rewrite = keys
            .iter()
            .zip(&entries)
            .map(|(keys, entries)| {
                let current: HashSet<&Key> = keys.iter().flatten().collect();
                if current.is_empty() {
                    !entries.is_empty()
                } else {
                    !entries.appendable(&current)
                }
            })
            .collect();
        Cached {
            cache,
            keys,
            entries,
            rewrite,
        }
    }

    fn key(&self, i: usize, n: usize) -> Option<Key> {
        self.keys.get(i).and_then(|k| k.get(n)).copied().flatten()
    }

    /// The cached record of claim `n` of file `i`, at the claim's place now; `None` when
    /// there is none, or it is damaged (then the claim is checked).
    pub fn reuse(&self, i: usize, n: usize, checker: &Checker) -> Option<ClaimRecord> {
        let mut record = self.entries.get(i)?.get(&self.key(i, n)?)?;
        // The key leaves out where the claim stands in its file.
        let claim = checker.claim(i, n)?;
        record.line = claim.line;
        record.column = Some(claim.column);
        Some(record)
    }

    /// The record of what `run_each_reusing` handed on for file `i`, kept for the next run.
    pub fn record(
        &self,
        keeper: &mut Keeper,
        i: usize,
        checked: Checked<ClaimRecord>,
        checker: &Checker,
    ) -> ClaimRecord {
        let (n, record, new) = match checked {
            Checked::Result { claim, result } => (claim, ClaimRecord::from(&*result), true),
            Checked::Reused { claim, value } => (claim, value, false),
        };
        if let Some(key) = self.key(i, n) {
            // A reused record is copied as it is stored when the file is finished: writing
            // it again was half of the main thread's work with one claim of 100,000 changed.
            self.keep(keeper, i, key, new.then_some(&record), checker);
        }
        record
    }

    /// Add `record` (when it is new) under `key` to the cache file of claims file `i`.
    fn keep(
        &self,
        k: &mut Keeper,
        i: usize,
        key: Key,
        record: Option<&ClaimRecord>,
        checker: &Checker,
    ) {
        if k.file != Some(i) {
            self.finish_file(k, checker);
            k.file = Some(i);
        }
        let Some(record) = record else {
            return;
        };
        if !k.written.insert(key) {
            return;
        }
        self.open_file(k, i, checker);
        if let Some(w) = k.writing.as_mut()
            && let Err(e) = w.put(&key, record)
        {
            self.fail(k, &e);
        }
    }

    /// The cache file of claims file `i`, if it is not open yet: a new one, or the old one to
    /// add to (a new one when the old is gone).
    fn open_file(&self, k: &mut Keeper, i: usize, checker: &Checker) {
        if k.writing.is_some() || k.failed {
            return;
        }
        let (Some(c), Some(cf)) = (&self.cache, checker.files().get(i)) else {
            return;
        };
        let path = report::shown_path(&cf.path);
        let opened = match self.rewrite.get(i) {
            Some(false) => c
                .appender(&cf.identity, &path)
                .or_else(|_| c.writer(&cf.identity, &path)),
            _ => c.writer(&cf.identity, &path),
        };
        match opened {
            Ok(w) => k.writing = Some(w),
            Err(e) => self.fail(k, &e),
        }
    }

    fn fail(&self, k: &mut Keeper, e: &std::io::Error) {
        if !k.failed
            && let Some(c) = &self.cache
        {
            let dir = report::shown_path(c.dir());
            eprintln!("warning: cannot write the cache {dir}: {e}");
        }
        k.failed = true;
        k.writing = None;
    }

    /// Finish the file being written: the claims this run did not check keep their records
    /// (copied into a new file, or left where they are in the old one).
    fn finish_file(&self, k: &mut Keeper, checker: &Checker) {
        let Some(i) = k.file.take() else {
            return;
        };
        if self.rewrite.get(i) == Some(&true) {
            self.open_file(k, i, checker);
        }
        let Some(mut w) = k.writing.take() else {
            k.written.clear();
            return;
        };
        let mut copied = Ok(());
        if let (Some(keys), Some(entries), false) =
            (self.keys.get(i), self.entries.get(i), w.appends())
        {
            let rest = keys.iter().flatten().filter(|key| k.written.insert(**key));
            copied = entries.copy(rest, &mut w);
        }
        k.written.clear();
        if let Err(e) = copied.and_then(|()| w.finish()) {
            self.fail(k, &e);
        }
    }

    /// After the last claim.
    pub fn finish(&self, keeper: &mut Keeper, checker: &Checker) {
        self.finish_file(keeper, checker);
    }
}
