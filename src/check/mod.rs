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
    /// Per file, per claim: whose result the caller has already (from its cache).
    known: Vec<Vec<bool>>,
}

/// What [`Checker::run_each`] hands on for one claim: claim `claim` of its file.
#[derive(Debug)]
pub enum Checked {
    /// The claim was checked.
    Result {
        /// The claim's index in its file.
        claim: usize,
        /// What the check found.
        result: Box<ClaimResult>,
    },
    /// The caller said it knows this claim's result ([`Checker::known`]): not checked again.
    Known {
        /// The claim's index in its file.
        claim: usize,
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
            known: files
                .iter()
                .map(|cf| vec![false; cf.claims.len()])
                .collect(),
        })
    }

    /// Settings under every file's own (the project's configuration).
    pub fn project_settings(mut self, settings: Settings) -> Self {
        self.project = settings;
        self
    }

    /// Settings over every file's own (the command line's flags).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
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

    /// Claims whose result the caller already has: `known(file, claim)` for claim `claim` of
    /// file `file`. [`Checker::run_each`] hands them on as [`Checked::Known`], in their
    /// place, without checking them; [`Checker::run`] leaves them out.
    pub fn known(mut self, known: impl Fn(usize, usize) -> bool) -> Self {
        self.known = self
            .files
            .iter()
            .enumerate()
            .map(|(i, cf)| (0..cf.claims.len()).map(|n| known(i, n)).collect())
            .collect();
        self
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
        field(format!("{:?}", self.rules(cf)).as_bytes());
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

    /// Check claim `n` of file `i` now, whatever the selection (a known result that cannot be
    /// had after all).
    pub fn check(&self, i: usize, n: usize) -> Option<ClaimResult> {
        let cf = self.files.get(i)?;
        let claim = cf.claims.get(n)?;
        Some(decide::check_claim(cf, claim, self.corpus, &self.rules(cf)))
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
        let collected: std::result::Result<(), std::convert::Infallible> =
            self.run_each(|i, checked| {
                if let Checked::Result { result, .. } = checked {
                    outcome.files[i].claims.push(*result);
                }
                Ok(())
            });
        let Ok(()) = collected;
        outcome
    }

    /// Check every claim (of the shard, if one is chosen) on all threads, handing each result
    /// to `each` with the index of its file, in file and claim order, as results come; a
    /// known claim is handed on in its place. An error from `each` stops the run and is
    /// returned.
    pub fn run_each<E>(
        &self,
        mut each: impl FnMut(usize, Checked) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let rules: Vec<Rules> = self.files.iter().map(|cf| self.rules(cf)).collect();
        // Every selected claim in order, and which of them are checked.
        let order: Vec<(usize, usize, &Claim)> = (0..self.files.len())
            .flat_map(|i| self.selected_at(i).map(move |(n, c)| (i, n, c)))
            .collect();
        let is_known = |&(i, n, _): &(usize, usize, &Claim)| {
            self.known.get(i).and_then(|k| k.get(n)).copied() == Some(true)
        };
        let work: Vec<usize> = (0..order.len()).filter(|&k| !is_known(&order[k])).collect();
        let versions = |k: usize| {
            let (i, _, c) = order[k];
            let cf = &self.files[i];
            cf.sources
                .get(c.source)
                .into_iter()
                .flat_map(|s| &s.versions)
        };
        // Each source's index is dropped once the last claim that looks in it is done.
        self.corpus.expect(
            work.iter()
                .flat_map(|&k| versions(k))
                .map(|v| v.path.as_path()),
        );
        let check = |&k: &usize| {
            let (i, _, c) = order[k];
            let result = decide::check_claim(&self.files[i], c, self.corpus, &rules[i]);
            versions(k).for_each(|v| self.corpus.done(&v.path));
            result
        };
        // Known claims are handed on as the results around them come.
        let mut next = 0;
        schedule::in_order(&work, check, |w, r| {
            let k = work[w];
            hand_known(&order, &mut next, k, &mut each)?;
            next = k + 1;
            let (i, claim, _) = order[k];
            each(
                i,
                Checked::Result {
                    claim,
                    result: Box::new(r),
                },
            )
        })?;
        hand_known(&order, &mut next, order.len(), &mut each)
    }
}

/// Hand on the known claims of `order[*next..upto]` (none of them is checked).
fn hand_known<E>(
    order: &[(usize, usize, &Claim)],
    next: &mut usize,
    upto: usize,
    each: &mut impl FnMut(usize, Checked) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    while *next < upto {
        let Some(&(i, n, _)) = order.get(*next) else {
            break;
        };
        each(i, Checked::Known { claim: n })?;
        *next += 1;
    }
    Ok(())
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
}
