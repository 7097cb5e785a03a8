//! The engine: claims files × a corpus → an outcome. It reads nothing from disk (the corpus
//! holds every source) and writes no report (results go to the caller as they come).

mod decide;
mod schedule;
mod select;
mod shard;

pub use select::{Selection, Skip};
pub use shard::{ClaimSet, ParseShardError, Shard};

use crate::config::{Rules, Settings};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::model::{Claim, ClaimsFile};
use crate::outcome::{ClaimResult, FileResult, Note, Outcome};
use crate::source::corpus::Corpus;

/// Checks claims files against a corpus.
///
/// Settings layer in this order, each over the one before: the built-in defaults,
/// [`Checker::project_settings`] (the project's configuration file), each claims file's
/// `settings:`, then [`Checker::settings`] (the command line's flags).
#[derive(Debug)]
pub struct Checker<'a> {
    files: &'a [ClaimsFile],
    corpus: &'a Corpus,
    project: Settings,
    settings: Settings,
    selection: Selection,
    /// Per file, per claim: why it is not checked (`None`: it is).
    skips: Vec<Vec<Option<Skip>>>,
    /// Per file, its rules as [`Checker::key`] hashes them: made once, not for each claim.
    rules_text: std::sync::OnceLock<Vec<String>>,
}

/// What [`Checker::run_each_reusing`] hands on for claim `claim` of a file: a result, or
/// what the caller's `reuse` gave for it instead.
#[derive(Debug)]
pub enum Checked<T> {
    /// The claim was checked.
    Result {
        /// The claim's index in its file.
        claim: usize,
        /// What the check found.
        result: Box<ClaimResult>,
    },
    /// `reuse` had it: not checked.
    Reused {
        /// The claim's index in its file.
        claim: usize,
        /// What `reuse` gave.
        value: T,
    },
}

/// What a claim's result depends on, hashed: [`Checker::key`].
pub type Key = [u8; 16];

impl<'a> Checker<'a> {
    /// A checker for `files`, whose every source version must be in `corpus` (and whose every
    /// claim names one of its file's sources, as parsed files always do).
    pub fn new(files: &'a [ClaimsFile], corpus: &'a Corpus) -> Result<Checker<'a>> {
        let missing: Vec<Diagnostic> = files
            .iter()
            .flat_map(|cf| {
                let versions = cf.sources.iter().flat_map(|s| &s.versions);
                versions.filter(|v| !corpus.contains(&v.path)).map(|v| {
                    Diagnostic::error(format!(
                        "source `{}` is not in the corpus",
                        v.path.display()
                    ))
                    .at(&cf.path, v.line, v.column)
                    .help("insert every version the claims file names into the corpus")
                })
            })
            .collect();
        // A claim made in code rather than parsed may name a source the file lacks.
        let unsourced = files.iter().flat_map(|cf| {
            cf.claims
                .iter()
                .filter(|c| c.source >= cf.sources.len())
                .map(|c| {
                    Diagnostic::error(format!("claim `{}` names no source of its file", c.id))
                        .at(&cf.path, c.line, c.column)
                })
        });
        let missing: Vec<Diagnostic> = missing.into_iter().chain(unsourced).collect();
        if !missing.is_empty() {
            return Err(Error::Input(missing));
        }
        Ok(Checker {
            files,
            corpus,
            project: Settings::default(),
            settings: Settings::default(),
            selection: Selection::default(),
            skips: files.iter().map(|cf| vec![None; cf.claims.len()]).collect(),
            rules_text: Default::default(),
        })
    }

    /// Settings under every file's own (the project's configuration).
    pub fn project_settings(mut self, settings: Settings) -> Self {
        self.project = settings;
        self.rules_text = Default::default();
        self
    }

    /// Settings over every file's own (the command line's flags).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self.rules_text = Default::default();
        self
    }

    /// Check only the claims `selection` chooses. Ask [`Checker::unknown_names`] before
    /// running, so that a misspelt id or source never checks nothing and passes.
    pub fn select(mut self, selection: Selection) -> Self {
        self.skips = self
            .files
            .iter()
            .map(|cf| cf.claims.iter().map(|c| selection.skip(cf, c)).collect())
            .collect();
        self.selection = selection;
        self
    }

    /// The `--only` ids and `--source` names of the selection that no claims file has.
    pub fn unknown_names(&self) -> Vec<Diagnostic> {
        self.selection.unknown_names(self.files)
    }

    /// The claims files.
    pub fn files(&self) -> &'a [ClaimsFile] {
        self.files
    }

    /// Claim `n` of file `i`.
    pub fn claim(&self, i: usize, n: usize) -> Option<&'a Claim> {
        self.files.get(i)?.claims.get(n)
    }

    /// The whole set the claims checked belong to, for a shard's report.
    pub fn claim_set(&self) -> ClaimSet {
        ClaimSet::of(self.files)
    }

    /// The shard checked, if only one is.
    pub fn shard_checked(&self) -> Option<Shard> {
        self.selection.shard
    }

    /// The claims of file `i` that are checked.
    pub fn selected(&self, i: usize) -> impl Iterator<Item = &'a Claim> + use<'a, '_> {
        self.selected_at(i).map(|(_, c)| c)
    }

    /// [`Checker::selected`], with each claim's index in its file.
    pub fn selected_at(&self, i: usize) -> impl Iterator<Item = (usize, &'a Claim)> + use<'a, '_> {
        let skips = self.skips.get(i);
        self.files
            .get(i)
            .into_iter()
            .flat_map(|cf| cf.claims.iter().enumerate())
            .filter(move |(n, _)| skips.and_then(|s| s.get(*n)).is_some_and(Option::is_none))
    }

    /// How many claims are not checked, for each reason, in reason order.
    pub fn skipped(&self) -> Vec<(Skip, usize)> {
        let mut counts = std::collections::BTreeMap::new();
        for skip in self.skips.iter().flatten().flatten() {
            *counts.entry(*skip).or_insert(0) += 1;
        }
        counts.into_iter().collect()
    }

    /// A hash of everything claim `n` of file `i`'s result depends on: quotecheck's version,
    /// the settings it is checked by, the claim as written (but for where it stands in its
    /// file), its file's path and identity, its source's name, and every version's name,
    /// path and text. Two claims with one key have the same result, whatever their line.
    pub fn key(&self, i: usize, n: usize) -> Option<Key> {
        let cf = self.files.get(i)?;
        let claim = cf.claims.get(n)?;
        let source = cf.sources.get(claim.source)?;
        let mut h = blake3::Hasher::new();
        let mut field = |bytes: &[u8]| {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        field(env!("CARGO_PKG_VERSION").as_bytes());
        // Debug forms name every field, so a field added later is in the key too.
        let rules_text = self.rules_text.get_or_init(|| {
            self.files
                .iter()
                .map(|cf| format!("{:?}", self.rules(cf)))
                .collect()
        });
        field(rules_text.get(i)?.as_bytes());
        field(crate::diagnostic::shown_path(&cf.path).as_bytes());
        field(cf.identity.as_bytes());
        let unplaced = Claim {
            line: 0,
            column: 0,
            ..claim.clone()
        };
        field(format!("{unplaced:?}").as_bytes());
        field(source.name.as_bytes());
        for v in &source.versions {
            field(v.name.as_bytes());
            field(crate::diagnostic::shown_path(&v.path).as_bytes());
            field(self.corpus.content(&v.path)?.as_bytes());
        }
        let mut key = [0; 16];
        key.copy_from_slice(&h.finalize().as_bytes()[..16]);
        Some(key)
    }

    fn rules(&self, cf: &ClaimsFile) -> Rules {
        Rules::from(&self.project.layer(&cf.settings).layer(&self.settings))
    }

    /// Notes about the run as a whole, known before any claim is checked.
    pub fn notes(&self) -> Vec<Note> {
        let mut notes: Vec<Note> = self
            .files
            .iter()
            .filter(|cf| cf.claims.is_empty())
            .map(|cf| Note::NoClaims {
                path: cf.path.clone(),
            })
            .collect();
        for cf in self.files.iter().filter(|cf| self.rules(cf).strict) {
            for v in cf.sources.iter().flat_map(|s| &s.versions) {
                let keeps_case = self.corpus.keeps_case(&v.path).unwrap_or(false);
                let note = Note::NotJudgedStrictly {
                    version: v.name.clone(),
                    path: v.path.clone(),
                };
                if !keeps_case && !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
        notes
    }

    /// Check every claim, keeping all results.
    pub fn run(&self) -> Outcome {
        let mut outcome = Outcome {
            files: self
                .files
                .iter()
                .map(|cf| FileResult {
                    path: cf.path.clone(),
                    claims: Vec::new(),
                })
                .collect(),
            notes: self.notes(),
        };
        let collected: std::result::Result<(), std::convert::Infallible> = self.run_each(|i, r| {
            outcome.files[i].claims.push(r);
            Ok(())
        });
        let Ok(()) = collected;
        outcome
    }

    /// Check every claim (of the shard, if one is chosen) on all threads, handing each result
    /// to `each` with the index of its file, in file and claim order, as results come. An
    /// error from `each` stops the run and is returned.
    pub fn run_each<E>(
        &self,
        mut each: impl FnMut(usize, ClaimResult) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        self.run_each_reusing(
            |_, _| None::<std::convert::Infallible>,
            |i, checked| match checked {
                Checked::Result { result, .. } => each(i, *result),
                Checked::Reused { value, .. } => match value {},
            },
        )
    }

    /// [`Checker::run_each`], where `reuse(file, claim)` may give what the caller already has
    /// for a claim (a cached result) instead of checking it; it runs on the workers. A source
    /// is indexed only when a claim that looks in it is checked.
    pub fn run_each_reusing<T: Send, E>(
        &self,
        reuse: impl Fn(usize, usize) -> Option<T> + Sync,
        mut each: impl FnMut(usize, Checked<T>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let rules: Vec<Rules> = self.files.iter().map(|cf| self.rules(cf)).collect();
        let work: Vec<(usize, usize, &Claim)> = (0..self.files.len())
            .flat_map(|i| self.selected_at(i).map(move |(n, c)| (i, n, c)))
            .collect();
        let versions = |&(i, _, c): &(usize, usize, &Claim)| {
            let cf = &self.files[i];
            cf.sources
                .get(c.source)
                .into_iter()
                .flat_map(|s| &s.versions)
        };
        // Each source's index is dropped once the last claim that looks in it is done.
        self.corpus
            .expect(work.iter().flat_map(versions).map(|v| v.path.as_path()));
        let check = |item: &(usize, usize, &Claim)| {
            let &(i, claim, c) = item;
            let checked = match reuse(i, claim) {
                Some(value) => Checked::Reused { claim, value },
                None => Checked::Result {
                    claim,
                    result: Box::new(decide::check_claim(
                        &self.files[i],
                        c,
                        self.corpus,
                        &rules[i],
                    )),
                },
            };
            versions(item).for_each(|v| self.corpus.done(&v.path));
            checked
        };
        schedule::in_order(&work, check, |k, checked| each(work[k].0, checked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ClaimsFile;
    use crate::source::document::{Document, Format};
    use std::path::Path;

    fn file() -> ClaimsFile {
        let yaml = "sources:\n  s:\n    versions:\n      v: a.txt\nclaims:\n  - id: q\n    quote: quick brown\n";
        ClaimsFile::parse(Path::new("c.yaml"), yaml).unwrap()
    }

    #[test]
    fn a_corpus_without_a_version_or_a_claim_without_a_source_is_refused() {
        let files = [file()];
        let empty = Corpus::new();
        let e = Checker::new(&files, &empty).unwrap_err().to_string();
        assert!(e.contains("source `a.txt` is not in the corpus"), "{e}");

        let mut corpus = Corpus::new();
        let doc = Document::from_text(
            Path::new("a.txt"),
            "the quick brown fox".into(),
            Format::Plain,
        );
        corpus.insert("a.txt", doc);
        let mut made = file();
        made.claims[0].source = 3;
        let made = [made];
        let e = Checker::new(&made, &corpus).unwrap_err().to_string();
        assert!(e.contains("claim `q` names no source of its file"), "{e}");
        let outcome = Checker::new(&files, &corpus).unwrap().run();
        assert_eq!(
            outcome.files[0].claims[0].verdict,
            crate::model::Verdict::Exact
        );
    }

    #[test]
    fn a_key_follows_the_settings_set_after_it_was_first_asked_for() {
        let files = [file()];
        let mut corpus = Corpus::new();
        let doc = Document::from_text(Path::new("a.txt"), "quick brown".into(), Format::Plain);
        corpus.insert("a.txt", doc);
        let strict = |strict| Settings {
            strict: Some(strict),
            ..Settings::default()
        };
        let checker = Checker::new(&files, &corpus).unwrap();
        let default = checker.key(0, 0).unwrap();
        let checker = checker.settings(strict(true));
        let by_flag = checker.key(0, 0).unwrap();
        assert_ne!(by_flag, default, "a flag changes what a result depends on");
        let checker = checker
            .settings(Settings::default())
            .project_settings(strict(true));
        let by_project = checker.key(0, 0).unwrap();
        assert_eq!(by_project, by_flag, "the same rules from the project");
        let fresh = Checker::new(&files, &corpus)
            .unwrap()
            .project_settings(strict(true));
        assert_eq!(fresh.key(0, 0), Some(by_project));
    }
}
