//! `check`: load claims files and their sources, match every claim against every version, and
//! decide verdicts. Sources shared by several files are loaded and indexed once; sources load
//! in parallel and claims match in parallel, with results kept in file order.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::claims::{self, Claim, ClaimKind, ClaimsFile, Verdict};
use crate::diagnostic::Diagnostic;
use crate::document::{Document, Position};
use crate::matcher::{self, Index};
use crate::normalize::{Normalized, normalize};

pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// A source version in memory: its text and its token index.
pub struct Loaded {
    pub doc: Document,
    pub index: Index,
}

/// Every source file the claims refer to, each loaded once.
#[derive(Default)]
pub struct Corpus {
    docs: HashMap<PathBuf, Loaded>,
}

impl Corpus {
    pub fn get(&self, path: &Path) -> Option<&Loaded> {
        self.docs.get(&key(path))
    }
}

/// Files that name the same document through different paths share one entry.
fn key(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// The claims files under `paths`: files as given, directories searched for `*.yaml`/`*.yml`.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            errs.push(
                Diagnostic::new(p, 0, 0, "no such file or directory")
                    .help("pass claims files or directories that contain them (default: claims/)"),
            );
        }
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(p);
        }
    }
}

/// Parse every claims file and load every source version they name. All problems are
/// returned together.
pub fn load(files: &[PathBuf]) -> Result<(Vec<ClaimsFile>, Corpus), Vec<Diagnostic>> {
    let mut errs = Vec::new();
    let mut parsed = Vec::new();
    for f in files {
        match std::fs::read_to_string(f) {
            Ok(text) => {
                let (cf, mut e) = claims::parse_partial(f, &text);
                errs.append(&mut e);
                parsed.push((cf, text));
            }
            Err(e) => errs.push(Diagnostic::new(
                f,
                0,
                0,
                format!("cannot read claims file: {e}"),
            )),
        }
    }
    // Each distinct document once, remembering the first place that names it.
    let mut wanted: Vec<(PathBuf, &Path, usize, usize, &str)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (cf, text) in &parsed {
        for v in cf.sources.iter().flat_map(|s| &s.versions) {
            if seen.insert(key(&v.path)) {
                wanted.push((v.path.clone(), &cf.path, v.line, v.column, text));
            }
        }
    }
    let loaded: Vec<Result<(PathBuf, Loaded), Diagnostic>> = wanted
        .par_iter()
        .map(|(path, file, line, col, text)| {
            let doc = Document::load(path).map_err(|e| {
                Diagnostic::new(
                    file,
                    *line,
                    *col,
                    format!("cannot read source `{}`: {e}", path.display()),
                )
                .help("paths under `versions:` are relative to the claims file's directory")
                .with_source(text)
            })?;
            let index = Index::build(&doc.norm);
            Ok((key(path), Loaded { doc, index }))
        })
        .collect();
    let mut corpus = Corpus::default();
    for r in loaded {
        match r {
            Ok((k, l)) => {
                corpus.docs.insert(k, l);
            }
            Err(d) => errs.push(d),
        }
    }
    if errs.is_empty() {
        Ok((parsed.into_iter().map(|(cf, _)| cf).collect(), corpus))
    } else {
        Err(errs)
    }
}

/// A word-level difference between the claim and the passage: words the claim has where the
/// source has others (either side may be empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub claim: String,
    pub source: String,
}

/// How a claim fared in one version of its source.
#[derive(Debug, Clone)]
pub struct VersionResult {
    pub name: String,
    pub path: PathBuf,
    pub verdict: Verdict,
    pub score: f64,
    /// `None` when nothing in the version shares a word with the claim.
    pub distance: Option<u32>,
    pub position: Option<Position>,
    pub passage: Option<String>,
    pub differences: Vec<Difference>,
}

#[derive(Debug, Clone)]
pub struct ClaimResult {
    pub file: PathBuf,
    pub claim: Claim,
    pub source: String,
    /// `None` for claims this version of quotecheck does not check (facts).
    pub verdict: Option<Verdict>,
    pub score: Option<f64>,
    pub passed: bool,
    pub notes: Vec<String>,
    pub versions: Vec<VersionResult>,
}

impl ClaimResult {
    /// The version the verdict comes from.
    pub fn best(&self) -> Option<&VersionResult> {
        // On a tie the first version listed wins: it is usually the one people cite.
        self.versions.iter().reduce(|best, v| {
            if (v.verdict, v.score) > (best.verdict, best.score) {
                v
            } else {
                best
            }
        })
    }
}

#[derive(Debug, Clone)]
pub struct FileResult {
    pub path: PathBuf,
    pub claims: Vec<ClaimResult>,
}

#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// Overrides every file's `settings.threshold`.
    pub threshold: Option<f64>,
}

/// Check every claim of every file.
pub fn check(files: &[ClaimsFile], corpus: &Corpus, opts: CheckOptions) -> Vec<FileResult> {
    files
        .iter()
        .map(|cf| {
            let threshold = opts
                .threshold
                .or(cf.settings.threshold)
                .unwrap_or(DEFAULT_THRESHOLD);
            let claims = cf
                .claims
                .par_iter()
                .map(|c| check_claim(cf, c, corpus, threshold))
                .collect();
            FileResult {
                path: cf.path.clone(),
                claims,
            }
        })
        .collect()
}

fn check_claim(cf: &ClaimsFile, claim: &Claim, corpus: &Corpus, threshold: f64) -> ClaimResult {
    let source = &cf.sources[claim.source];
    let mut result = ClaimResult {
        file: cf.path.clone(),
        claim: claim.clone(),
        source: source.name.clone(),
        verdict: None,
        score: None,
        passed: true,
        notes: Vec::new(),
        versions: Vec::new(),
    };
    if claim.kind == ClaimKind::Fact {
        result
            .notes
            .push("not checked yet: facts are checked in a later version".into());
        return result;
    }
    let q = normalize(&claim.text);
    for v in &source.versions {
        let loaded = corpus
            .get(&v.path)
            .expect("every version is loaded before checking");
        result
            .versions
            .push(match_version(&v.name, loaded, &claim.text, &q, threshold));
    }
    let best = result
        .best()
        .expect("a source has at least one version")
        .clone();
    result.verdict = Some(best.verdict);
    result.score = Some(best.score);
    result.passed = best.verdict >= claim.expect;
    if let Some(note) = disagreement(&result.versions) {
        result.notes.push(note);
    }
    if best.verdict > claim.expect {
        result.notes.push(format!(
            "expected {} but found {}: the expectation is stale, update `expect`",
            claim.expect, best.verdict
        ));
    } else if !result.passed {
        result
            .notes
            .push(format!("expected {}, found {}", claim.expect, best.verdict));
    }
    result
}

/// Match a normalized claim `q` (typed as `text`) against one loaded version.
pub fn match_version(
    name: &str,
    loaded: &Loaded,
    text: &str,
    q: &Normalized,
    threshold: f64,
) -> VersionResult {
    let doc = &loaded.doc;
    let m = q.chars.len();
    let max_d = matcher::max_distance(m, threshold);
    let found = matcher::search(&doc.norm, &loaded.index, q, max_d);
    let mut r = VersionResult {
        name: name.to_string(),
        path: doc.path.clone(),
        verdict: Verdict::Missing,
        score: 0.0,
        distance: None,
        position: None,
        passage: None,
        differences: Vec::new(),
    };
    if let Some(a) = found {
        r.distance = Some(a.distance);
        r.score = matcher::score(a.distance, m);
        r.verdict = if a.distance == 0 {
            Verdict::Exact
        } else if a.distance <= max_d {
            Verdict::Approximate
        } else {
            Verdict::Missing
        };
        r.position = Some(doc.token_position(a.first));
        r.passage = Some(doc.passage(a.first, a.last));
        if a.distance > 0 {
            r.differences = word_diff(text, q, doc, a.first, a.last);
        }
    }
    r
}

/// Word differences between the claim and passage tokens `first..=last`, in the words as
/// each side wrote them.
fn word_diff(
    text: &str,
    q: &Normalized,
    doc: &Document,
    first: usize,
    last: usize,
) -> Vec<Difference> {
    let claim_words = q.words();
    let tokens = &doc.norm.tokens[first..=last];
    let source_words: Vec<String> = tokens
        .iter()
        .map(|t| {
            doc.norm.chars[t.start as usize..t.end() as usize]
                .iter()
                .collect()
        })
        .collect();
    let shown = |src: &str, toks: &[crate::normalize::Token], r: std::ops::Range<usize>| {
        toks[r]
            .iter()
            .map(|t| &src[t.src_start as usize..t.src_end as usize])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &claim_words, &source_words);
    let mut out: Vec<Difference> = Vec::new();
    let mut pending: Option<(std::ops::Range<usize>, std::ops::Range<usize>)> = None;
    let mut flush = |p: &mut Option<(std::ops::Range<usize>, std::ops::Range<usize>)>| {
        if let Some((a, b)) = p.take() {
            out.push(Difference {
                claim: shown(text, &q.tokens, a),
                source: shown(doc.visible(), tokens, b),
            });
        }
    };
    for op in ops {
        let (tag, a, b) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            flush(&mut pending);
            continue;
        }
        pending = Some(match pending.take() {
            Some((pa, pb)) => (pa.start..a.end.max(pa.end), pb.start..b.end.max(pb.end)),
            None => (a, b),
        });
    }
    flush(&mut pending);
    out
}

/// "exact in original, approximate in normalized: concede/conceed" when versions disagree.
fn disagreement(versions: &[VersionResult]) -> Option<String> {
    let first = versions.first()?.verdict;
    if versions.iter().all(|v| v.verdict == first) {
        return None;
    }
    let parts: Vec<String> = versions
        .iter()
        .map(|v| {
            let mut s = format!("{} in {}", v.verdict, v.name);
            if v.verdict == Verdict::Approximate && !v.differences.is_empty() {
                let d: Vec<String> = v
                    .differences
                    .iter()
                    .map(|d| format!("{}/{}", d.claim, d.source))
                    .collect();
                s = format!("{s} ({})", d.join(", "));
            }
            s
        })
        .collect();
    Some(format!("versions disagree: {}", parts.join(", ")))
}
