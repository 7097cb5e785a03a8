//! `check` with the results cache: which claims it knows, their records when due, and the
//! new cache file of each claims file as its last claim is reported.

use std::collections::HashSet;

use quotecheck::cache::{Cache, Entries, Writer};
use quotecheck::report::{self, ClaimRecord};
use quotecheck::{Checked, Checker, ClaimsFile, Key};

/// The cache as one run uses it.
pub struct Cached {
    cache: Option<Cache>,
    /// Per claims file, per claim: its key (none without a cache).
    keys: Vec<Vec<Option<Key>>>,
    /// Per claims file: what the cache holds.
    entries: Vec<Entries>,
    /// Per claims file: whether its cache file is to be written again.
    stale: Vec<bool>,
    /// The file being written, and which claims file it is for.
    writing: Option<(usize, Writer)>,
    /// Claims written to the current file.
    written: HashSet<Key>,
    /// Set after the first failed write: the rest of the run writes nothing.
    failed: bool,
}

impl Cached {
    /// The cache in `dir` for `files`, unless it is off (`None`) or came with the checkout.
    pub fn open(dir: Option<&std::path::Path>, files: &[ClaimsFile], checker: &Checker) -> Cached {
        let cache = dir.map(Cache::at).filter(|c| match c.tracked() {
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
                eprintln!("warning: the cache {dir} is not used: cannot tell whether git tracks it ({e})");
                false
            }
        });
        let keys: Vec<Vec<Option<Key>>> = files
            .iter()
            .enumerate()
            .map(|(i, cf)| {
                (0..cf.claims.len())
                    .map(|n| cache.as_ref().and_then(|_| checker.key(i, n)))
                    .collect()
            })
            .collect();
        let entries: Vec<Entries> = files
            .iter()
            .map(|cf| match &cache {
                Some(c) => c.entries(&cf.identity, &report::shown_path(&cf.path)),
                None => Entries::default(),
            })
            .collect();
        let stale = keys
            .iter()
            .zip(&entries)
            .map(|(keys, entries)| {
                let current: HashSet<&Key> = keys.iter().flatten().collect();
                let known = current.iter().filter(|k| entries.contains(k)).count();
                known < current.len() || entries.len() > known
            })
            .collect();
        Cached {
            cache,
            keys,
            entries,
            stale,
            writing: None,
            written: HashSet::new(),
            failed: false,
        }
    }

    fn key(&self, i: usize, n: usize) -> Option<Key> {
        self.keys.get(i).and_then(|k| k.get(n)).copied().flatten()
    }

    /// Whether claim `n` of file `i` has a result in the cache.
    pub fn knows(&self, i: usize, n: usize) -> bool {
        let entries = self.entries.get(i);
        self.key(i, n)
            .is_some_and(|k| entries.is_some_and(|e| e.contains(&k)))
    }

    /// The record of what `run_each` handed on for file `i`, from the cache or checked now,
    /// and kept for the next run.
    pub fn record(&mut self, i: usize, checked: Checked, checker: &Checker) -> Option<ClaimRecord> {
        let (n, record) = match checked {
            Checked::Result { claim, result } => (claim, ClaimRecord::from(&*result)),
            Checked::Known { claim: n } => {
                let cached = self.key(i, n).and_then(|k| self.entries.get(i)?.get(&k));
                let record = match cached {
                    Some(mut r) => {
                        // The key leaves out where the claim stands in its file.
                        if let Some(c) = checker.claim(i, n) {
                            r.line = c.line;
                            r.column = Some(c.column);
                        }
                        r
                    }
                    // Damaged since it was indexed: checked after all.
                    None => ClaimRecord::from(&checker.check(i, n)?),
                };
                (n, record)
            }
        };
        if let Some(key) = self.key(i, n) {
            self.keep(i, key, &record, checker);
        }
        Some(record)
    }

    fn keep(&mut self, i: usize, key: Key, record: &ClaimRecord, checker: &Checker) {
        if self.writing.as_ref().is_none_or(|(w, _)| *w != i) {
            self.finish_file();
            if self.stale.get(i) == Some(&true) && !self.failed {
                let files = checker.files();
                let opened = self
                    .cache
                    .as_ref()
                    .zip(files.get(i))
                    .map(|(c, cf)| c.writer(&cf.identity, &report::shown_path(&cf.path)));
                match opened {
                    Some(Ok(w)) => self.writing = Some((i, w)),
                    Some(Err(e)) => self.fail(&e),
                    None => {}
                }
            }
        }
        if let Some((_, w)) = self.writing.as_mut()
            && self.written.insert(key)
            && let Err(e) = w.put(&key, record)
        {
            self.fail(&e);
        }
    }

    fn fail(&mut self, e: &std::io::Error) {
        if !self.failed
            && let Some(c) = &self.cache
        {
            let dir = report::shown_path(c.dir());
            eprintln!("warning: cannot write the cache {dir}: {e}");
        }
        self.failed = true;
        self.writing = None;
    }

    /// Finish the file being written: the claims this run did not check keep their records.
    fn finish_file(&mut self) {
        let Some((i, mut w)) = self.writing.take() else {
            return;
        };
        let mut copied = Ok(());
        if let (Some(keys), Some(entries)) = (self.keys.get(i), self.entries.get(i)) {
            for key in keys.iter().flatten() {
                if self.written.insert(*key)
                    && let Err(e) = entries.copy(key, &mut w)
                {
                    copied = Err(e);
                    break;
                }
            }
        }
        self.written.clear();
        if let Err(e) = copied.and_then(|()| w.finish()) {
            self.fail(&e);
        }
    }

    /// After the last claim.
    pub fn finish(&mut self) {
        self.finish_file();
    }
}
