//! The corpus: every source version a check may look in, each read once and indexed when a
//! claim first needs it, found by the path its claims file names. It holds documents in
//! memory and never reads the disk (`workspace` fills it from files; a program can fill it
//! from strings).
//!
//! A run tells it how many claims will look in each source ([`Corpus::expect`]); the index
//! of a source whose last claim is done is dropped ([`Corpus::done`]), so that a check of
//! thousands of small sources holds only those in use, besides their text.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::document::{Document, Format};
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

/// [`IndexedSource::digest`] of a raw text.
fn digest_of(raw: &str) -> u64 {
    crate::digest::fnv(crate::digest::START, raw.bytes())
}

impl IndexedSource {
    /// Index `doc` (the costly part of loading a source; callers may do it in parallel).
    pub fn new(doc: Document) -> IndexedSource {
        let digest = digest_of(&doc.raw);
        IndexedSource::with_digest(doc, digest)
    }

    fn with_digest(doc: Document, digest: u64) -> IndexedSource {
        let index = Index::build(&doc.norm);
        let keeps_case = doc.keeps_case_and_punctuation();
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

/// A file's text as read, with its digest: made on the loading threads.
#[derive(Debug)]
pub(crate) struct SourceText {
    raw: String,
    format: Format,
    digest: u64,
}

impl SourceText {
    pub(crate) fn new(raw: String, format: Format) -> SourceText {
        SourceText {
            digest: digest_of(&raw),
            raw,
            format,
        }
    }
}

/// One source version: its text, and its index while claims need it.
#[derive(Debug)]
struct Slot {
    path: PathBuf,
    raw: Arc<String>,
    format: Format,
    digest: u64,
    /// What the cache knows the text by (unlike `digest`, no one can make two texts share it):
    /// found when the cache first asks, so that a run without one never hashes (3 ms for
    /// 10 MB, on the loading thread while the other cores wait).
    content: OnceLock<blake3::Hash>,
    keeps_case: OnceLock<bool>,
    indexed: Mutex<Option<Arc<IndexedSource>>>,
    /// Claims of the current run still to look in it.
    pending: AtomicUsize,
    /// Given whole by a program (`insert`): kept for the corpus's life.
    pinned: bool,
}

impl Slot {
    fn indexed(&self) -> Arc<IndexedSource> {
        // A poisoned lock means a panic while indexing, which the run reports; the slot's
        // state is an `Option` that is whole either way.
        let mut held = self.indexed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = held.as_ref() {
            return Arc::clone(s);
        }
        let doc = Document::from_shared(&self.path, Arc::clone(&self.raw), self.format);
        let source = Arc::new(IndexedSource::with_digest(doc, self.digest));
        let _ = self.keeps_case.set(source.keeps_case);
        *held = Some(Arc::clone(&source));
        source
    }
}

/// Every source version the claims refer to, each read once, under every path that names it.
#[derive(Debug, Default)]
pub struct Corpus {
    slots: Vec<Slot>,
    by_path: HashMap<PathBuf, usize>,
}

impl Corpus {
    /// An empty corpus.
    pub fn new() -> Corpus {
        Corpus::default()
    }

    /// Add `doc` under `path`: the path a claims file's `versions:` gives, joined to the claims
    /// file's directory (`claims/sources/a.md` for `sources/a.md` in `claims/x.yaml`). It is
    /// indexed now and kept.
    pub fn insert(&mut self, path: impl Into<PathBuf>, doc: Document) {
        let source = IndexedSource::new(doc);
        let slot = Slot {
            path: source.doc.path.clone(),
            raw: Arc::clone(&source.doc.raw),
            format: Format::Plain,
            digest: source.digest,
            content: OnceLock::new(),
            keeps_case: OnceLock::from(source.keeps_case),
            indexed: Mutex::new(Some(Arc::new(source))),
            pending: AtomicUsize::new(0),
            pinned: true,
        };
        self.push(path.into(), slot);
    }

    /// Add the text of a file read from `path`, indexed when a claim first needs it.
    pub(crate) fn insert_text(&mut self, path: PathBuf, text: SourceText) {
        let slot = Slot {
            path: path.clone(),
            raw: Arc::new(text.raw),
            format: text.format,
            digest: text.digest,
            content: OnceLock::new(),
            keeps_case: OnceLock::new(),
            indexed: Mutex::new(None),
            pending: AtomicUsize::new(0),
            pinned: false,
        };
        self.push(path, slot);
    }

    fn push(&mut self, path: PathBuf, slot: Slot) {
        self.by_path.insert(path, self.slots.len());
        self.slots.push(slot);
    }

    /// Let `alias` name the source already under `path` (another route to the same file).
    pub(crate) fn alias(&mut self, alias: PathBuf, path: &Path) {
        if let Some(&i) = self.by_path.get(path) {
            self.by_path.insert(alias, i);
        }
    }

    fn slot(&self, path: &Path) -> Option<&Slot> {
        self.by_path.get(path).and_then(|&i| self.slots.get(i))
    }

    /// Whether a source is under `path`.
    pub fn contains(&self, path: &Path) -> bool {
        self.by_path.contains_key(path)
    }

    /// The source under `path`, indexed (now, if it was not).
    pub fn get(&self, path: &Path) -> Option<Arc<IndexedSource>> {
        self.slot(path).map(Slot::indexed)
    }

    /// The digest a claim's fingerprint takes of the source under `path`, without indexing it.
    pub fn digest(&self, path: &Path) -> Option<u64> {
        self.slot(path).map(|s| s.digest)
    }

    /// The content hash of the source under `path`, without indexing it.
    pub(crate) fn content(&self, path: &Path) -> Option<&blake3::Hash> {
        self.slot(path)
            .map(|s| s.content.get_or_init(|| blake3::hash(s.raw.as_bytes())))
    }

    /// Whether the source under `path` keeps case and punctuation (strict mode can judge it).
    /// Found once; a source not indexed yet is read for it and not kept.
    pub fn keeps_case(&self, path: &Path) -> Option<bool> {
        let slot = self.slot(path)?;
        Some(*slot.keeps_case.get_or_init(|| {
            Document::from_shared(&slot.path, Arc::clone(&slot.raw), slot.format)
                .keeps_case_and_punctuation()
        }))
    }

    /// A run is about to look in the source under each of `paths` once per time it is
    /// named (a path named twice, twice).
    pub(crate) fn expect<'p>(&self, paths: impl IntoIterator<Item = &'p Path>) {
        self.slots
            .iter()
            .for_each(|s| s.pending.store(0, Ordering::Relaxed));
        for p in paths {
            if let Some(s) = self.slot(p) {
                s.pending.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// One look the run expected in the source under `path` is over: with none left, its
    /// index is dropped (and built again if something asks for it later).
    pub(crate) fn done(&self, path: &Path) {
        let Some(s) = self.slot(path) else { return };
        let left = s
            .pending
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
        if left == Ok(1) && !s.pinned {
            let mut held = s.indexed.lock().unwrap_or_else(|e| e.into_inner());
            // Another claim may have started after the count reached zero only in another
            // run sharing this corpus; it holds its own `Arc`.
            *held = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexed(corpus: &Corpus, path: &str) -> bool {
        let slot = corpus.slot(Path::new(path)).unwrap();
        slot.indexed.lock().unwrap().is_some()
    }

    #[test]
    fn a_source_is_indexed_when_first_needed_and_dropped_after_its_last_claim() {
        let mut corpus = Corpus::new();
        let text = "The *quick* brown fox jumps over the lazy dog.";
        corpus.insert_text(
            "a.md".into(),
            SourceText::new(text.into(), Format::Markdown),
        );
        corpus.insert_text(
            "b.txt".into(),
            SourceText::new("other".into(), Format::Plain),
        );
        let (a, b) = (Path::new("a.md"), Path::new("b.txt"));
        assert!(!indexed(&corpus, "a.md") && !indexed(&corpus, "b.txt"));
        assert_eq!(corpus.digest(a), Some(digest_of(text)));
        // Found without keeping an index.
        assert_eq!(corpus.keeps_case(a), Some(true));
        assert!(!indexed(&corpus, "a.md"));

        corpus.expect([a, a]);
        let first = corpus.get(a).unwrap();
        assert!(indexed(&corpus, "a.md"));
        corpus.done(a);
        assert!(indexed(&corpus, "a.md"), "one claim is still to look in it");
        corpus.done(a);
        assert!(!indexed(&corpus, "a.md"), "dropped after its last claim");
        assert!(!indexed(&corpus, "b.txt"), "never needed, never indexed");
        // Asked for again, it is built again from the same text.
        let again = corpus.get(a).unwrap();
        assert_eq!(again.doc.visible(), first.doc.visible());
        assert_eq!(again.digest, first.digest);
        assert_eq!(
            again.index.postings("fox".chars()),
            first.index.postings("fox".chars())
        );
        // More `done`s than expected change nothing.
        corpus.done(a);
        corpus.done(b);
    }

    #[test]
    fn a_document_given_whole_is_kept() {
        let mut corpus = Corpus::new();
        let doc = Document::from_text(Path::new("p.txt"), "kept text".into(), Format::Plain);
        corpus.insert("p.txt", doc);
        let p = Path::new("p.txt");
        corpus.expect([p]);
        corpus.done(p);
        assert!(indexed(&corpus, "p.txt"));
    }
}
