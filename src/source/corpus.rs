//! The corpus: every source version a check may look in, each read once and indexed when a
//! claim first needs it, found by the path its claims file names. It holds documents in
//! memory and never reads the disk (`workspace` fills it from files; a program can fill it
//! from strings).
//!
//! A run tells it how many claims will look in each source ([`Corpus::expect`]); the index
//! of a source whose last claim is done is dropped ([`Corpus::done`]), so that a check of
//! thousands of small sources holds only those in use, besides their text.
//!
//! A large source's index can be kept between runs ([`Corpus::keep_indexes`]): loading it
//! costs a fraction of building it. Where it is kept is the caller's ([`Keep`]).

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::document::{Document, Format};
use crate::matcher::Index;
use crate::stored::{In, Out};

/// A source version in memory: its text and its token index.
#[derive(Debug)]
pub struct IndexedSource {
    pub(crate) doc: Document,
    pub(crate) index: Index,
    /// False for a normalized export, which strict mode cannot judge.
    pub(crate) keeps_case: bool,
}

/// A stable digest of a raw text: a claim's fingerprint changes with its source.
fn digest_of(raw: &str) -> u64 {
    crate::digest::fnv(crate::digest::START, raw.bytes())
}

impl IndexedSource {
    /// Index `doc` (the costly part of loading a source; callers may do it in parallel).
    pub fn new(doc: Document) -> IndexedSource {
        let index = Index::build(&doc.norm);
        IndexedSource::of(doc, index)
    }

    fn of(doc: Document, index: Index) -> IndexedSource {
        let keeps_case = doc.keeps_case_and_punctuation();
        IndexedSource {
            doc,
            index,
            keeps_case,
        }
    }

    /// The document.
    pub fn document(&self) -> &Document {
        &self.doc
    }
}

/// Where a run keeps the indexes it built for the next one (the results cache's directory),
/// under keys that name the text they index and how it was read.
pub trait Keep: Send + Sync + std::fmt::Debug {
    /// What was kept under `key`, and its length in bytes; `None` when nothing was.
    fn open(&self, key: &str) -> Option<(Box<dyn Read + '_>, u64)>;
    /// Keep what `write` writes under `key`, replacing what was there whole or not at all;
    /// best effort (a run never fails for want of a kept index).
    fn save(&self, key: &str, write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>);
    /// Whether the index of a text of `bytes` bytes is worth keeping. By default, of a
    /// megabyte or more: building the index of one takes about 9 ms, and a kept index is a
    /// file of twice the text's size, to write once and read each time.
    fn worth(&self, bytes: usize) -> bool {
        bytes >= 1 << 20
    }
}

/// A file's text as read: made on the loading threads.
#[derive(Debug)]
pub(crate) struct SourceText {
    raw: String,
    format: Format,
}

impl SourceText {
    pub(crate) fn new(raw: String, format: Format) -> SourceText {
        SourceText { raw, format }
    }
}

/// One source version: its text, and its index while claims need it.
#[derive(Debug)]
struct Slot {
    path: PathBuf,
    raw: Arc<String>,
    format: Format,
    /// [`digest_of`] the text, found when a claim's fingerprint first asks for it: a run
    /// whose claims all come from the results cache never needs it (115 ms for 100 MB,
    /// one byte at a time by its definition).
    digest: OnceLock<u64>,
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
    fn indexed(&self, keep: Option<&dyn Keep>) -> Arc<IndexedSource> {
        // A poisoned lock means a panic while indexing, which the run reports; the slot's
        // state is an `Option` that is whole either way.
        let mut held = self.indexed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = held.as_ref() {
            return Arc::clone(s);
        }
        let keep = keep
            .filter(|k| k.worth(self.raw.len()))
            .map(|k| (k, self.kept_key()));
        let kept = keep.as_ref().and_then(|(k, key)| self.load(*k, key));
        let built = kept.is_none();
        let source = Arc::new(kept.unwrap_or_else(|| {
            let doc = Document::from_shared(&self.path, Arc::clone(&self.raw), self.format);
            IndexedSource::new(doc)
        }));
        let _ = self.keeps_case.set(source.keeps_case);
        *held = Some(Arc::clone(&source));
        // Claims waiting for this source need not wait for it to be written.
        drop(held);
        if built && let Some((keep, key)) = keep {
            keep.save(&key, &mut |w| {
                let mut out = Out::new(w)?;
                out.u64(self.digest())?;
                source.doc.store(&mut out)?;
                source.index.store(&mut out)?;
                out.finish()
            });
        }
        source
    }

    fn digest(&self) -> u64 {
        *self.digest.get_or_init(|| digest_of(&self.raw))
    }

    fn content(&self) -> &blake3::Hash {
        self.content.get_or_init(|| {
            let mut h = blake3::Hasher::new();
            crate::digest::blake3_update(&mut h, self.raw.as_bytes());
            h.finalize()
        })
    }

    /// What a kept index of this text, read as its format says, is kept under.
    fn kept_key(&self) -> String {
        let mut h = blake3::Hasher::new();
        h.update(format!("quotecheck index of a {:?} text\0", self.format).as_bytes());
        h.update(self.content().as_bytes());
        h.finalize().to_hex().to_string()
    }

    /// The kept index under `key`, if it is whole and one of this text.
    fn load(&self, keep: &dyn Keep, key: &str) -> Option<IndexedSource> {
        let (mut r, len) = keep.open(key)?;
        let mut input = In::new(&mut r, len)?;
        let digest = input.u64()?;
        let doc = Document::load(&mut input, &self.path, Arc::clone(&self.raw))?;
        let index = Index::load(&mut input, doc.norm.token_count())?;
        input.finish()?;
        let _ = self.digest.set(digest);
        Some(IndexedSource::of(doc, index))
    }
}

/// Every source version the claims refer to, each read once, under every path that names it.
#[derive(Debug, Default)]
pub struct Corpus {
    slots: Vec<Slot>,
    by_path: HashMap<PathBuf, usize>,
    keep: Option<Arc<dyn Keep>>,
}

impl Corpus {
    /// An empty corpus.
    pub fn new() -> Corpus {
        Corpus::default()
    }

    /// Keep the indexes of large sources in `keep` after building them, and load them from
    /// there rather than build them again.
    pub fn keep_indexes(&mut self, keep: Arc<dyn Keep>) {
        self.keep = Some(keep);
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
            digest: OnceLock::new(),
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
            digest: OnceLock::new(),
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
        self.slot(path).map(|s| s.indexed(self.keep.as_deref()))
    }

    /// The digest a claim's fingerprint takes of the source under `path`, without indexing it.
    pub fn digest(&self, path: &Path) -> Option<u64> {
        self.slot(path).map(Slot::digest)
    }

    /// The content hash of the source under `path`, without indexing it.
    pub(crate) fn content(&self, path: &Path) -> Option<&blake3::Hash> {
        self.slot(path).map(Slot::content)
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

    /// Kept in memory, counting what is saved.
    #[derive(Debug, Default)]
    struct Memory {
        kept: Mutex<HashMap<String, Vec<u8>>>,
        saves: AtomicUsize,
    }

    impl Keep for Memory {
        fn open(&self, key: &str) -> Option<(Box<dyn Read + '_>, u64)> {
            let bytes = self.kept.lock().unwrap().get(key)?.clone();
            let len = bytes.len() as u64;
            Some((Box::new(io::Cursor::new(bytes)), len))
        }

        fn save(&self, key: &str, write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>) {
            let mut bytes = Vec::new();
            write(&mut bytes).unwrap();
            self.kept.lock().unwrap().insert(key.to_string(), bytes);
            self.saves.fetch_add(1, Ordering::Relaxed);
        }

        fn worth(&self, _: usize) -> bool {
            true
        }
    }

    fn corpus_keeping(keep: &Arc<Memory>, name: &str, text: &str) -> Corpus {
        let mut corpus = Corpus::new();
        corpus.keep_indexes(Arc::clone(keep) as Arc<dyn Keep>);
        corpus.insert_text(
            name.into(),
            SourceText::new(text.into(), Format::of(Path::new(name))),
        );
        corpus
    }

    #[test]
    fn a_kept_index_is_the_one_built_and_a_damaged_one_is_built_again() {
        let long_line = "word ".repeat(2_000);
        let texts = [
            (
                "a.md",
                "# Title\n\nThe *quick* brown [fox](http://x) jumps.\n".to_string(),
            ),
            (
                "a.html",
                "<p>The &amp; quick <b>brown</b> fox</p><script>x</script>".into(),
            ),
            (
                "a.txt",
                format!("Plain text, \u{e9}t\u{e9} caf\u{e9}.\n{long_line}\nend"),
            ),
            // More than 127 distinct non-ASCII characters: four bytes a character.
            (
                "wide.txt",
                ('\u{4e00}'..'\u{4f00}').map(|c| format!("{c}x ")).collect(),
            ),
            ("empty.txt", String::new()),
        ];
        for (name, text) in &texts {
            let keep = Arc::new(Memory::default());
            let path = Path::new(name);
            let built = corpus_keeping(&keep, name, text).get(path).unwrap();
            assert_eq!(keep.saves.load(Ordering::Relaxed), 1, "{name}");
            let fresh = corpus_keeping(&keep, name, text);
            let loaded = fresh.get(path).unwrap();
            assert_eq!(
                keep.saves.load(Ordering::Relaxed),
                1,
                "{name}: loaded, not built"
            );
            assert_eq!(loaded.doc, built.doc, "{name}");
            assert_eq!(loaded.index, built.index, "{name}");
            assert_eq!(loaded.keeps_case, built.keeps_case, "{name}");
            assert_eq!(fresh.digest(path), Some(digest_of(text)), "{name}");

            // Damaged anywhere: built again (and kept again), never trusted.
            let key = keep.kept.lock().unwrap().keys().next().unwrap().clone();
            let whole = keep.kept.lock().unwrap()[&key].clone();
            for at in (0..whole.len()).step_by(whole.len() / 7 + 1) {
                let mut bad = whole.clone();
                bad[at] ^= 1;
                keep.kept.lock().unwrap().insert(key.clone(), bad);
                let again = corpus_keeping(&keep, name, text).get(path).unwrap();
                assert_eq!(again.doc, built.doc, "{name}, byte {at}");
                assert_eq!(again.index, built.index, "{name}, byte {at}");
                assert_eq!(keep.kept.lock().unwrap()[&key], whole, "{name}: kept again");
            }
            // Another text, or the same read as another format, is under another key.
            let other = corpus_keeping(&keep, "b.txt", &format!("{text} more"));
            other.get(Path::new("b.txt")).unwrap();
            assert_eq!(keep.kept.lock().unwrap().len(), 2, "{name}");
        }
    }

    proptest::proptest! {
        /// Whatever the text and its format, a kept index loads as the one built: markup,
        /// entities, case and length-changing case maps, combining marks, ideographs.
        #[test]
        fn any_kept_index_loads_as_built(
            text in "[a-cA-C É\u{e9}\u{130}\u{300}\u{4e00}\u{ff21}\n<>/*#\\[\\]()&;.,-]{0,200}",
            ext in proptest::sample::select(vec!["md", "html", "txt"]),
        ) {
            let keep = Arc::new(Memory::default());
            let name = format!("a.{ext}");
            let built = corpus_keeping(&keep, &name, &text).get(Path::new(&name)).unwrap();
            let loaded = corpus_keeping(&keep, &name, &text).get(Path::new(&name)).unwrap();
            proptest::prop_assert_eq!(keep.saves.load(Ordering::Relaxed), 1);
            proptest::prop_assert_eq!(&loaded.doc, &built.doc);
            proptest::prop_assert_eq!(&loaded.index, &built.index);
        }
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
