//! `check`: load claims files and their sources, match every claim against every version, and
//! decide verdicts. Sources shared by several files are loaded and indexed once; sources load
//! in parallel and claims match in parallel, with results kept in file order.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::claims::{self, Claim, ClaimKind, ClaimsFile, Verdict};
use crate::diagnostic::Diagnostic;
use crate::document::{Document, Position};
use crate::explain::{self, Difference};
use crate::facts::{self, Conflict, Fact, KeyCheck};
use crate::matcher::{self, Index, Pattern};
use crate::normalize::{Normalized, normalize};
use crate::quote::{Quote, Segment};

pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// A source version in memory: its text and its token index.
pub struct Loaded {
    pub doc: Document,
    pub index: Index,
    /// False for a normalized export, which strict mode cannot judge.
    pub keeps_case: bool,
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
            let keeps_case = explain::keeps_case_and_punctuation(&doc);
            Ok((
                key(path),
                Loaded {
                    doc,
                    index,
                    keeps_case,
                },
            ))
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

/// Where one ellipsis segment of a quote matched.
#[derive(Debug, Clone, Copy)]
pub struct SegmentMatch {
    pub first: usize,
    pub last: usize,
    pub distance: u32,
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
    /// Each segment's match, in quote order (`None`: nothing shares a word with it).
    pub segments: Vec<Option<SegmentMatch>>,
    /// How many times the passage occurs in this version (0 when not counted).
    pub occurrences: usize,
    /// Where the first occurrences are, when there are several.
    pub elsewhere: Vec<Position>,
    /// What the version's verdict rests on beyond the distance (ellipsis problems).
    pub notes: Vec<String>,
    /// Facts: each key term, found or not.
    pub keys: Vec<KeyCheck>,
    /// Facts: values the passage states differently.
    pub conflicts: Vec<Conflict>,
    /// Byte ranges of `passage` to highlight (a fact's terms).
    pub marks: Vec<std::ops::Range<usize>>,
}

impl VersionResult {
    /// Tokens from the first matched segment's start to the last one's end.
    pub fn span(&self) -> Option<(usize, usize)> {
        let segs: Vec<&SegmentMatch> = self.segments.iter().flatten().collect();
        let first = segs.iter().map(|s| s.first).min()?;
        let last = segs.iter().map(|s| s.last).max()?;
        Some((first, last))
    }
}

#[derive(Debug, Clone)]
pub struct ClaimResult {
    pub file: PathBuf,
    pub claim: Claim,
    pub source: String,
    pub verdict: Verdict,
    pub score: f64,
    pub passed: bool,
    pub notes: Vec<String>,
    /// For an approximate quote: the source's own wording, ready to paste.
    pub suggestion: Option<String>,
    pub versions: Vec<VersionResult>,
    /// Index of the version the verdict comes from.
    pub decided_by: Option<usize>,
}

impl ClaimResult {
    /// The version the verdict comes from.
    pub fn best(&self) -> Option<&VersionResult> {
        self.versions.get(self.decided_by?)
    }
}

#[derive(Debug, Clone)]
pub struct FileResult {
    pub path: PathBuf,
    pub claims: Vec<ClaimResult>,
}

/// The results of a run, with what is said once rather than per claim.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub files: Vec<FileResult>,
    pub notes: Vec<String>,
    /// The shard checked, when only one was.
    pub shard: Option<Shard>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct CheckOptions {
    /// Overrides every file's `settings.threshold`.
    pub threshold: Option<f64>,
    /// Strict mode for every file (files can also ask for it).
    pub strict: bool,
    /// A passage that occurs more than once fails its claim.
    pub fail_on_ambiguous: bool,
    /// Overrides every file's `settings.ellipsis_gap`.
    pub ellipsis_gap: Option<usize>,
    /// Overrides every file's `settings.fact_window`.
    pub fact_window: Option<usize>,
    /// Align every quote against the whole of every large source too (slow, complete).
    pub exhaustive: bool,
    /// Check only the claims of this shard.
    pub shard: Option<Shard>,
}

/// One of `count` deterministic parts of a claims set (`--shard index/count`, 1-based), so
/// that CI jobs can split a large set and `quotecheck merge` can join their reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Whether a claim belongs here: by a hash of its file and id, so a claim stays in its
    /// shard when others are added or removed.
    pub fn holds(&self, file: &Path, id: &str) -> bool {
        // FNV-1a: stable across platforms and releases, unlike the standard hasher.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in file.to_string_lossy().bytes().chain([0]).chain(id.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        (h % self.count as u64) as usize == self.index - 1
    }
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || {
            format!("`{s}` is not a shard: write INDEX/COUNT with 1 <= INDEX <= COUNT, e.g. 2/4")
        };
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            i.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// The settings one claim is checked with.
#[derive(Debug, Clone, Copy)]
struct Rules {
    threshold: f64,
    strict: bool,
    fail_on_ambiguous: bool,
    ellipsis_gap: usize,
    fact_window: usize,
    plan: matcher::Plan,
}

/// Check every claim of every file.
pub fn check(files: &[ClaimsFile], corpus: &Corpus, opts: CheckOptions) -> Outcome {
    let mut outcome = Outcome {
        files: files
            .iter()
            .map(|cf| FileResult {
                path: cf.path.clone(),
                claims: Vec::new(),
            })
            .collect(),
        notes: run_notes(files, corpus, opts),
        shard: opts.shard,
    };
    let collected: Result<(), std::convert::Infallible> =
        check_each(files, corpus, opts, |i, r| {
            outcome.files[i].claims.push(r);
            Ok(())
        });
    let Ok(()) = collected;
    outcome
}

/// Notes about the run as a whole, known before any claim is checked.
pub fn run_notes(files: &[ClaimsFile], corpus: &Corpus, opts: CheckOptions) -> Vec<String> {
    let mut unstrict: Vec<String> = Vec::new();
    for cf in files.iter().filter(|cf| rules_for(cf, opts).strict) {
        for v in cf.sources.iter().flat_map(|s| &s.versions) {
            let loaded = corpus.get(&v.path).expect("every version is loaded");
            let note = format!(
                "strict mode: version `{}` ({}) has no case or punctuation to compare, so it is not judged strictly",
                v.name,
                v.path.display()
            );
            if !loaded.keeps_case && !unstrict.contains(&note) {
                unstrict.push(note);
            }
        }
    }
    unstrict
}

/// Check every claim of every file (of the shard, if one is chosen), in parallel, handing
/// each result to `each` with the index of its file, in file and claim order.
///
/// Workers take claims one at a time and the results are put back in order as they arrive,
/// so memory holds only the results that wait for a slower claim before them, however many
/// claims there are, and no worker waits for another.
pub fn check_each<E>(
    files: &[ClaimsFile],
    corpus: &Corpus,
    opts: CheckOptions,
    mut each: impl FnMut(usize, ClaimResult) -> Result<(), E>,
) -> Result<(), E> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let rules: Vec<Rules> = files.iter().map(|cf| rules_for(cf, opts)).collect();
    let work: Vec<(usize, &Claim)> = files
        .iter()
        .enumerate()
        .flat_map(|(i, cf)| selected(cf, opts.shard).map(move |c| (i, c)))
        .collect();
    let next = AtomicUsize::new(0);
    let workers = rayon::current_num_threads().clamp(1, work.len().max(1));
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, ClaimResult)>(1024);
        for _ in 0..workers {
            let tx = tx.clone();
            let (work, next, rules) = (&work, &next, &rules);
            scope.spawn(move || {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(i, c)) = work.get(n) else { break };
                    // The receiver is gone when the report failed: stop.
                    if tx
                        .send((n, check_claim(&files[i], c, corpus, rules[i])))
                        .is_err()
                    {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting: std::collections::BTreeMap<usize, ClaimResult> = Default::default();
        let mut due = 0;
        for (n, r) in rx {
            waiting.insert(n, r);
            while let Some(r) = waiting.remove(&due) {
                if let Err(e) = each(work[due].0, r) {
                    // Workers see the channel closed at their next claim.
                    next.store(work.len(), Ordering::Relaxed);
                    return Err(e);
                }
                due += 1;
            }
        }
        Ok(())
    })
}

/// The claims of `cf` that are checked: those of the shard, if one is chosen.
pub fn selected(cf: &ClaimsFile, shard: Option<Shard>) -> impl Iterator<Item = &Claim> {
    cf.claims
        .iter()
        .filter(move |c| shard.is_none_or(|s| s.holds(&cf.path, &c.id)))
}

/// The rules a file's claims are checked by: its settings, overridden by the options.
fn rules_for(cf: &ClaimsFile, opts: CheckOptions) -> Rules {
    Rules {
        threshold: opts
            .threshold
            .or(cf.settings.threshold)
            .unwrap_or(DEFAULT_THRESHOLD),
        strict: opts.strict || cf.settings.strict,
        fail_on_ambiguous: opts.fail_on_ambiguous,
        ellipsis_gap: opts
            .ellipsis_gap
            .or(cf.settings.ellipsis_gap)
            .unwrap_or(DEFAULT_ELLIPSIS_GAP),
        plan: if opts.exhaustive {
            matcher::Plan::Scan
        } else {
            matcher::Plan::Auto
        },
        fact_window: opts
            .fact_window
            .or(cf.settings.fact_window)
            .unwrap_or(facts::DEFAULT_WINDOW),
    }
}

pub const DEFAULT_ELLIPSIS_GAP: usize = 150;

fn check_claim(cf: &ClaimsFile, claim: &Claim, corpus: &Corpus, rules: Rules) -> ClaimResult {
    let source = &cf.sources[claim.source];
    let mut result = ClaimResult {
        file: cf.path.clone(),
        claim: claim.clone(),
        source: source.name.clone(),
        verdict: Verdict::Missing,
        score: 0.0,
        passed: true,
        notes: Vec::new(),
        suggestion: None,
        versions: Vec::new(),
        decided_by: None,
    };
    let quote = (claim.kind == ClaimKind::Quote).then(|| Quote::parse(&claim.text));
    let fact = (claim.kind == ClaimKind::Fact).then(|| Fact::parse(&claim.text, &claim.keys));
    let mut judged_strictly = Vec::new();
    for v in &source.versions {
        let loaded = corpus
            .get(&v.path)
            .expect("every version is loaded before checking");
        result.versions.push(match (&quote, &fact) {
            (Some(q), _) => match_quote(&v.name, loaded, q, rules),
            (_, Some(f)) => match_fact(&v.name, loaded, f, rules.fact_window),
            _ => unreachable!("a claim is a quote or a fact"),
        });
        judged_strictly.push(claim.kind == ClaimKind::Quote && rules.strict && loaded.keeps_case);
    }
    result.decided_by = Some(decide(&result.versions, &judged_strictly));
    let best = result
        .best()
        .expect("a source has at least one version")
        .clone();
    result.verdict = best.verdict;
    result.score = best.score;
    result.passed = best.verdict >= claim.expect;
    if let Some(note) = disagreement(&result.versions) {
        result.notes.push(note);
    }
    result.notes.extend(best.notes.iter().cloned());
    if best.occurrences > 1 {
        let at: Vec<String> = best
            .elsewhere
            .iter()
            .map(|p| format!("{}:{}", p.line, p.column))
            .collect();
        result.notes.push(format!(
            "ambiguous: the passage occurs {} times in {} (at {})",
            best.occurrences,
            best.name,
            at.join(", ")
        ));
        if rules.fail_on_ambiguous {
            result.passed = false;
        }
    }
    if let Some(by) = &claim.by
        && claim.kind == ClaimKind::Quote
        && best.verdict > Verdict::Missing
    {
        let named = source.versions.iter().zip(&result.versions).any(|(v, r)| {
            let doc = &corpus.get(&v.path).expect("loaded").doc;
            r.verdict > Verdict::Missing
                && r.span()
                    .is_some_and(|(a, b)| explain::attribution_near(doc, a, b, by))
        });
        if !named {
            result.notes.push(format!(
                "attribution not found near the quote: `{by}` is not named within {} words of it",
                explain::ATTRIBUTION_WINDOW
            ));
            if rules.strict {
                result.passed = false;
            }
        }
    }
    if best.verdict == Verdict::Approximate && claim.kind == ClaimKind::Quote {
        result.suggestion = result
            .versions
            .iter()
            .find(|v| v.verdict > Verdict::Missing)
            .and_then(|v| v.passage.clone());
    }
    if best.verdict > claim.expect {
        result.notes.push(format!(
            "expected {} but found {}: the expectation is stale, update `expect`",
            claim.expect, best.verdict
        ));
    } else if best.verdict < claim.expect {
        result
            .notes
            .push(format!("expected {}, found {}", claim.expect, best.verdict));
    }
    result
}

/// The version whose verdict is the claim's: the best one, the first listed on a tie. In
/// strict mode, versions judged strictly decide whenever one of them found the quote: a
/// normalized export cannot vouch for punctuation it does not have.
fn decide(versions: &[VersionResult], judged_strictly: &[bool]) -> usize {
    let strict_found = versions
        .iter()
        .zip(judged_strictly)
        .any(|(v, &s)| s && v.verdict > Verdict::Missing);
    let mut best: Option<usize> = None;
    for (i, v) in versions.iter().enumerate() {
        if strict_found && !judged_strictly[i] {
            continue;
        }
        let better =
            best.is_none_or(|b| (v.verdict, v.score) > (versions[b].verdict, versions[b].score));
        if better {
            best = Some(i);
        }
    }
    best.unwrap_or(0)
}

fn verdict_of(distance: u32, max_d: u32) -> Verdict {
    if distance == 0 {
        Verdict::Exact
    } else if distance <= max_d {
        Verdict::Approximate
    } else {
        Verdict::Missing
    }
}

fn pattern(seg: &Segment) -> Pattern<'_> {
    Pattern {
        norm: &seg.norm,
        gaps: &seg.gaps,
    }
}

impl VersionResult {
    fn empty(name: &str, doc: &Document) -> VersionResult {
        VersionResult {
            name: name.to_string(),
            path: doc.path.clone(),
            verdict: Verdict::Missing,
            score: 0.0,
            distance: None,
            position: None,
            passage: None,
            differences: Vec::new(),
            segments: Vec::new(),
            occurrences: 0,
            elsewhere: Vec::new(),
            notes: Vec::new(),
            keys: Vec::new(),
            conflicts: Vec::new(),
            marks: Vec::new(),
        }
    }
}

/// Check a fact against one loaded version.
fn match_fact(name: &str, loaded: &Loaded, fact: &Fact, window: usize) -> VersionResult {
    let doc = &loaded.doc;
    let mut r = VersionResult::empty(name, doc);
    if let Some(m) = facts::check(fact, doc, &loaded.index, window) {
        r.verdict = m.verdict;
        r.score = m.score;
        r.position = Some(doc.token_position(m.first));
        let (passage, marks) = doc.passage_marked(m.first, m.last, &m.marks);
        r.passage = Some(passage);
        r.marks = marks;
        r.keys = m.keys;
        r.conflicts = m.conflicts;
    }
    r
}

/// Match a quote against one loaded version: each segment, in order, then the explanations.
fn match_quote(name: &str, loaded: &Loaded, quote: &Quote, rules: Rules) -> VersionResult {
    let doc = &loaded.doc;
    let segs = &quote.segments;
    let limits: Vec<u32> = segs
        .iter()
        .map(|s| matcher::max_distance(s.len(), rules.threshold))
        .collect();
    let (mut matches, mut notes) = if segs.len() == 1 {
        let found = matcher::search_with(
            &doc.norm,
            &loaded.index,
            pattern(&segs[0]),
            limits[0],
            rules.plan,
        );
        (vec![found.map(SegmentMatch::from)], Vec::new())
    } else {
        chain(loaded, segs, &limits, rules)
    };
    let mut r = VersionResult::empty(name, doc);
    // The same words in another order: approximate, whatever the character distance.
    if segs.len() == 1 && segs[0].gaps.is_empty() {
        let seg = &segs[0];
        let missing = matches[0].is_none_or(|m| m.distance > limits[0]);
        if missing && let Some((first, last)) = reordering(loaded, &seg.norm) {
            let passage = doc.norm.token_text(first, last);
            let distance = strsim::levenshtein(&seg.norm.as_string(), &passage) as u32;
            matches[0] = Some(SegmentMatch {
                first,
                last,
                distance,
            });
            notes.push("the quote has the source's words in another order".to_string());
        }
    }
    if matches.iter().all(Option::is_none) {
        r.segments = matches;
        return r;
    }
    let total: u32 = matches.iter().flatten().map(|m| m.distance).sum();
    r.distance = Some(total);
    r.score = matcher::score(total, quote.total_len());
    r.verdict = segs
        .iter()
        .zip(&matches)
        .zip(&limits)
        .map(|((_, m), &lim)| m.map_or(Verdict::Missing, |m| verdict_of(m.distance, lim)))
        .min()
        .unwrap_or(Verdict::Missing);
    if !notes.is_empty() && r.verdict == Verdict::Exact {
        r.verdict = Verdict::Approximate;
    }
    if notes.iter().any(|n| n.contains("another order")) && r.verdict == Verdict::Missing {
        r.verdict = Verdict::Approximate;
    }
    let first = matches
        .iter()
        .flatten()
        .next()
        .expect("some segment matched");
    r.position = Some(doc.token_position(first.first));
    r.passage = Some(
        matches
            .iter()
            .flatten()
            .map(|m| doc.passage(m.first, m.last))
            .collect::<Vec<_>>()
            .join(" … "),
    );
    for (seg, m) in segs.iter().zip(&matches) {
        let Some(m) = m else { continue };
        if m.distance > 0 {
            r.differences.extend(explain::differences(
                &seg.literal,
                &seg.norm,
                doc,
                m.first,
                m.last,
            ));
        } else if rules.strict && loaded.keeps_case && seg.gaps.is_empty() {
            let strict =
                explain::strict_differences(&seg.literal, &seg.norm, &seg.case_free, doc, m.first);
            if !strict.is_empty() && r.verdict == Verdict::Exact {
                r.verdict = Verdict::Approximate;
            }
            r.differences.extend(strict);
        }
    }
    if segs.len() == 1 && r.verdict > Verdict::Missing {
        let m = matches[0].expect("matched");
        let words = normalize(&doc.norm.token_text(m.first, m.last));
        let found = matcher::occurrences(&doc.norm, &loaded.index, &words);
        r.occurrences = found.len();
        if found.len() > 1 {
            r.elsewhere = explain::positions(doc, &found, 3);
        }
    }
    r.segments = matches;
    r.notes = notes;
    r
}

impl From<matcher::Alignment> for SegmentMatch {
    fn from(a: matcher::Alignment) -> SegmentMatch {
        SegmentMatch {
            first: a.first,
            last: a.last,
            distance: a.distance,
        }
    }
}

/// A window of the text with exactly the quote's words in another order. Windows are
/// compared by a sum of word hashes (updated as the window slides) before their words are.
fn reordering(loaded: &Loaded, q: &Normalized) -> Option<(usize, usize)> {
    let k = q.token_count();
    if k < 2 {
        return None;
    }
    let postings: Vec<&[u32]> = (0..k)
        .map(|i| loaded.index.postings(q.token_chars(i)))
        .collect();
    if postings.iter().any(|p| p.is_empty()) {
        return None; // some word of the quote is not in the source at all
    }
    let doc = &loaded.doc.norm;
    let hash = |w: &mut dyn Iterator<Item = char>| {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        w.for_each(|c| h.write_u32(c as u32));
        h.finish()
    };
    let want_sum = (0..k).fold(0u64, |s, i| s.wrapping_add(hash(&mut q.token_chars(i))));
    let mut want = q.words();
    want.sort();
    let rarest = postings.iter().min_by_key(|p| p.len())?;
    for &p in rarest.iter().take(1_000) {
        let p = p as usize;
        let first = p.saturating_sub(k - 1);
        if first + k > doc.token_count() {
            continue;
        }
        // The hashes of every word a window around `p` can hold.
        let last = (p + k - 1).min(doc.token_count() - 1);
        let hashes: Vec<u64> = doc
            .spans(first..last + 1)
            .map(|span| hash(&mut doc.chars.iter(span)))
            .collect();
        let mut sum = hashes[..k].iter().fold(0u64, |s, &h| s.wrapping_add(h));
        for start in first..=p {
            if start > first {
                let end = start + k - 1;
                if end > last {
                    break;
                }
                sum = sum
                    .wrapping_sub(hashes[start - 1 - first])
                    .wrapping_add(hashes[end - first]);
            }
            if sum == want_sum {
                let mut have = doc.words_in(start..start + k);
                have.sort();
                if have == want {
                    return Some((start, start + k - 1));
                }
            }
        }
    }
    None
}

/// Match ellipsis segments in order: every chain is anchored on one segment found anywhere,
/// the others searched in windows after (or before) their neighbours. The chain with the
/// fewest problems wins. Returns each segment's match and the problems found.
fn chain(
    loaded: &Loaded,
    segs: &[Segment],
    limits: &[u32],
    rules: Rules,
) -> (Vec<Option<SegmentMatch>>, Vec<String>) {
    let gap = rules.ellipsis_gap;
    let text = &loaded.doc.norm;
    let longest = (0..segs.len()).max_by_key(|&i| segs[i].len()).unwrap_or(0);
    let mut anchors = vec![0, longest];
    anchors.dedup();
    let global: Vec<Option<SegmentMatch>> = segs
        .iter()
        .zip(limits)
        .map(|(s, &lim)| {
            matcher::search_with(text, &loaded.index, pattern(s), lim, rules.plan)
                .map(SegmentMatch::from)
        })
        .collect();
    let mut best: Option<(Vec<Option<SegmentMatch>>, Vec<String>)> = None;
    for anchor in anchors {
        let mut matches = vec![None; segs.len()];
        matches[anchor] = global[anchor];
        // Forward from the anchor.
        for i in anchor + 1..segs.len() {
            let prev = (0..i).rev().find_map(|j| matches[j]);
            matches[i] = match prev {
                Some(p) => {
                    let lo = p.last + 1;
                    let found =
                        matcher::search_window(text, pattern(&segs[i]), lo, lo + gap, limits[i]);
                    found.map(SegmentMatch::from).or(global[i])
                }
                None => global[i],
            };
        }
        // Backward from the anchor.
        for i in (0..anchor).rev() {
            let next = (i + 1..segs.len()).find_map(|j| matches[j]);
            matches[i] = match next {
                Some(nx) if nx.first > 0 => {
                    let reach = gap + segs[i].norm.token_count() + limits[i] as usize;
                    let lo = nx.first.saturating_sub(reach);
                    let found = matcher::search_window(
                        text,
                        pattern(&segs[i]),
                        lo,
                        nx.first - 1,
                        limits[i],
                    )
                    .filter(|a| a.last < nx.first);
                    found.map(SegmentMatch::from).or(global[i])
                }
                _ => global[i],
            };
        }
        let problems = chain_problems(loaded, &matches, limits, gap);
        let cost = |m: &[Option<SegmentMatch>], p: &[String]| {
            let missing = m
                .iter()
                .zip(limits)
                .filter(|(m, l)| m.is_none_or(|m| m.distance > **l))
                .count();
            (
                missing,
                p.len(),
                m.iter().flatten().map(|m| m.distance).sum::<u32>(),
            )
        };
        if best
            .as_ref()
            .is_none_or(|(bm, bp)| cost(&matches, &problems) < cost(bm, bp))
        {
            best = Some((matches, problems));
        }
    }
    best.unwrap_or_default()
}

/// What is wrong with a chain of segment matches: order, distance, and omitted negations or
/// numbers.
fn chain_problems(
    loaded: &Loaded,
    matches: &[Option<SegmentMatch>],
    limits: &[u32],
    gap: usize,
) -> Vec<String> {
    let text = &loaded.doc.norm;
    let mut problems = Vec::new();
    let found: Vec<(usize, SegmentMatch)> = matches
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.filter(|m| m.distance <= limits[i]).map(|m| (i, m)))
        .collect();
    for w in found.windows(2) {
        let ((i, a), (j, b)) = (w[0], w[1]);
        if b.first <= a.last {
            problems.push(format!(
                "the parts around the ellipsis are out of order: part {} comes before part {} in the source",
                j + 1,
                i + 1
            ));
            continue;
        }
        let omitted = b.first - a.last - 1;
        if omitted > gap {
            problems.push(format!(
                "parts {} and {} are {omitted} words apart in the source (more than {gap})",
                i + 1,
                j + 1
            ));
            continue;
        }
        let words = text.words_in(a.last + 1..b.first);
        let prev = text.words_in(a.last..a.last + 1).remove(0);
        if let Some(w) = explain::meaningful_word(Some(&prev), &words) {
            problems.push(format!("the omitted words contain '{w}'"));
        }
    }
    problems
}

/// "exact in original, approximate in normalized (concede/conceed)" when versions disagree.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;

    fn loaded(text: &str) -> Loaded {
        let doc = Document::from_text(Path::new("t.txt"), text.to_string(), Format::Plain);
        let index = Index::build(&doc.norm);
        Loaded {
            doc,
            index,
            keeps_case: true,
        }
    }

    #[test]
    fn reordering_finds_the_window_with_the_same_words() {
        // Far enough into the text that tokens are found from a mark, and near its end.
        let filler = "one two three four five six seven eight nine ten ".repeat(4);
        let doc = loaded(&format!("{filler}the quick brown fox jumps over it"));
        let at = 40;
        // The windows are tried from `rarest - (k - 1)` on, the rarest word being the first
        // of the least frequent: here they slide two places, then one.
        let q = normalize("quick fox the brown");
        assert_eq!(reordering(&doc, &q), Some((at, at + 3)));
        let q = normalize("over it jumps");
        assert_eq!(reordering(&doc, &q), Some((at + 4, at + 6)));
        // Same words, one of them twice: not a reordering.
        assert_eq!(reordering(&doc, &normalize("fox fox the brown")), None);
    }
}
