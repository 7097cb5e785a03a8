//! The corpus: every source version a check may look in, each read and indexed once, found by
//! the path its claims file names. It holds documents in memory and never reads the disk
//! (`workspace` fills it from files; a program can fill it from strings).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::document::Document;
use crate::matcher::Index;

/// A source version in memory: its text and its token index.
#[derive(Debug)]
pub struct IndexedSource {
    pub(crate) doc: Document,
    pub(crate) index: Index,
    /// False for a normalized export, which strict mode cannot judge.
    pub(crate) keeps_case: bool,
    /// A stable digest of the raw text: a claim's fingerprint changes with its source.
    pub(crate) digest: u64,
}

impl IndexedSource {
    /// Index `doc` (the costly part of loading a source; callers may do it in parallel).
    pub fn new(doc: Document) -> IndexedSource {
        let index = Index::build(&doc.norm);
        let keeps_case = doc.keeps_case_and_punctuation();
        let digest = crate::digest::fnv(crate::digest::START, doc.raw.bytes());
        IndexedSource {
            doc,
            index,
            keeps_case,
            digest,
        }
    }

    /// The document.
    pub fn document(&self) -> &Document {
        &self.doc
    }
}

/// Every source version the claims refer to, each indexed once, under every path that names
/// it.
#[derive(Debug, Default)]
pub struct Corpus {
    sources: Vec<IndexedSource>,
    by_path: HashMap<PathBuf, usize>,
}

impl Corpus {
    /// An empty corpus.
    pub fn new() -> Corpus {
        Corpus::default()
    }

    /// Add `doc` under `path`: the path a claims file's `versions:` gives, joined to the claims
    /// file's directory (`claims/sources/a.md` for `sources/a.md` in `claims/x.yaml`).
    pub fn insert(&mut self, path: impl Into<PathBuf>, doc: Document) {
        self.insert_indexed(path.into(), IndexedSource::new(doc));
    }

    pub(crate) fn insert_indexed(&mut self, path: PathBuf, source: IndexedSource) {
        self.by_path.insert(path, self.sources.len());
        self.sources.push(source);
    }

    /// Let `alias` name the source already under `path` (another route to the same file).
    pub(crate) fn alias(&mut self, alias: PathBuf, path: &Path) {
        if let Some(&i) = self.by_path.get(path) {
            self.by_path.insert(alias, i);
        }
    }

    /// The source under `path`, if there is one.
    pub fn get(&self, path: &Path) -> Option<&IndexedSource> {
        self.by_path.get(path).map(|&i| &self.sources[i])
    }
}
