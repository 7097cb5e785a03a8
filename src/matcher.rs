//! Finding a claim in a normalized text: the passage (a run of whole tokens) with the smallest
//! Levenshtein distance in characters.
//!
//! The search never scans the text quadratically:
//! 1. exact occurrences come from the token index (rarest claim token, then a comparison);
//! 2. candidate regions come from votes of the claim's rarer tokens, aligned exactly;
//! 3. the result is then *certified*: a passage at distance `d` leaves at least `k - 2d` of the
//!    claim's `k` tokens intact (an edit touches at most two tokens), so any better passage
//!    contains one of the claim's `2d + 1` rarest tokens. Those tokens' occurrences bound every
//!    region that could hold a better passage; each is aligned exactly. When that would cost
//!    more than a scan, the whole text is aligned with the cutoff instead.
//!
//! So whenever a passage scores at or above the threshold, the distance returned is the true
//! minimum over all passages (checked against a brute-force reference in the property tests).

use std::collections::HashMap;
use std::hash::BuildHasher;

use rustc_hash::FxHashMap;

use crate::normalize::{Chars, Normalized, encode};
use crate::quote::MAX_GAP_WORDS;

/// Token index of one normalized text: token → indices of its occurrences.
#[derive(Debug, Default)]
pub struct Index {
    /// Keyed by the word in the text's own codes when it is narrow, else by its UTF-8.
    postings: FxHashMap<Box<[u8]>, Vec<u32>>,
    /// The narrow text's non-ASCII characters, by code; `None` for a wide text.
    upper: Option<Vec<char>>,
}

impl Index {
    pub fn build(norm: &Normalized) -> Index {
        let mut postings: FxHashMap<Box<[u8]>, Vec<u32>> = FxHashMap::default();
        let mut add = |key: &[u8], i: usize| match postings.get_mut(key) {
            Some(list) => list.push(i as u32),
            None => {
                postings.insert(key.into(), vec![i as u32]);
            }
        };
        let upper = match &norm.chars {
            // The tokens are the text's words between single spaces.
            Chars::Narrow { codes, upper } => {
                if !norm.is_empty() {
                    for (i, word) in codes.split(|&b| b == b' ').enumerate() {
                        add(word, i);
                    }
                }
                Some(upper.clone())
            }
            Chars::Wide(chars) => {
                if !norm.is_empty() {
                    let mut word = String::new();
                    for (i, w) in chars.split(|&c| c == ' ').enumerate() {
                        word.clear();
                        word.extend(w);
                        add(word.as_bytes(), i);
                    }
                }
                None
            }
        };
        postings.values_mut().for_each(|list| list.shrink_to_fit());
        Index { postings, upper }
    }

    /// The occurrences (token indices, ascending) of `word`.
    pub fn postings(&self, word: impl Iterator<Item = char>) -> &[u32] {
        let key: Vec<u8> = match &self.upper {
            Some(upper) => {
                let mut key = Vec::new();
                for c in word {
                    match encode(upper, c) {
                        Some(b) => key.push(b),
                        None => return &[],
                    }
                }
                key
            }
            None => word.collect::<String>().into_bytes(),
        };
        self.postings.get(&key[..]).map_or(&[], |v| v.as_slice())
    }
}

/// The best passage found for a claim: tokens `first..=last` of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alignment {
    pub distance: u32,
    pub first: usize,
    pub last: usize,
}

/// A passage in character positions, before it is turned into token indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hit {
    distance: u32,
    start: usize,
    end: usize,
}

impl Hit {
    /// Smaller distance wins; on a tie, the earlier passage.
    fn better_than(&self, other: &Option<Hit>) -> bool {
        match other {
            None => true,
            Some(o) => (self.distance, self.end) < (o.distance, o.end),
        }
    }
}

fn keep_best(best: &mut Option<Hit>, candidate: Option<Hit>) {
    if let Some(c) = candidate
        && c.better_than(best)
    {
        *best = Some(c);
    }
}

/// The largest distance whose score `1 - d/m` is still at least `threshold`.
pub fn max_distance(claim_len: usize, threshold: f64) -> u32 {
    let d = ((1.0 - threshold) * claim_len as f64 + 1e-9).floor();
    d.max(0.0) as u32
}

/// Score of a distance for a claim of `claim_len` characters: `1 - d/m`, never below 0.
pub fn score(distance: u32, claim_len: usize) -> f64 {
    if claim_len == 0 {
        return 0.0;
    }
    (1.0 - distance as f64 / claim_len as f64).max(0.0)
}

/// What is searched: normalized words, and the positions of editorial gaps (`[...]`) where
/// up to [`MAX_GAP_WORDS`] source words may be skipped at no cost.
#[derive(Debug, Clone, Copy)]
pub struct Pattern<'a> {
    pub norm: &'a Normalized,
    /// Character positions in `norm.chars`, each at a token start.
    pub gaps: &'a [usize],
}

impl<'a> Pattern<'a> {
    pub fn plain(norm: &'a Normalized) -> Pattern<'a> {
        Pattern { norm, gaps: &[] }
    }
}

/// A symbol the aligner compares: a narrow text's one-byte codes, or `char`s.
trait Symbol: Copy + Eq + Ord + std::hash::Hash {
    const SPACE: Self;
    /// Its row in the bit-parallel match table, for the first 256 symbols.
    fn slot(self) -> Option<usize>;
}

impl Symbol for u8 {
    const SPACE: u8 = b' ';
    fn slot(self) -> Option<usize> {
        Some(self as usize)
    }
}

impl Symbol for char {
    const SPACE: char = ' ';
    fn slot(self) -> Option<usize> {
        ((self as u32) < 256).then_some(self as usize)
    }
}

/// The text searched, in its own symbols.
struct Txt<'a, S> {
    norm: &'a Normalized,
    t: &'a [S],
}

/// A pattern in the symbols of the text it is searched in, with what one search of it learns.
struct Pat<'a, S> {
    norm: &'a Normalized,
    q: Vec<S>,
    gaps: &'a [usize],
    /// The prefilter's match table, built on first use.
    myers: std::cell::OnceCell<Myers<S>>,
    /// Regions already aligned, by the hash and length of their text: a source that repeats
    /// itself (copies, boilerplate, a document stored twice) has each distinct region aligned
    /// once per search however often it is a candidate.
    aligned: std::cell::RefCell<FxHashMap<(u64, usize), Aligned>>,
}

/// What aligning one region with a cutoff gave.
#[derive(Debug, Clone, Copy)]
struct Aligned {
    lo: usize,
    cutoff: u32,
    /// The best passage within the cutoff, relative to `lo`.
    hit: Option<Hit>,
}

impl<'a, S: Symbol> Pat<'a, S> {
    fn new(pattern: Pattern<'a>, encode: impl Fn(char) -> S) -> Pat<'a, S> {
        let norm = pattern.norm;
        Pat {
            norm,
            q: norm.chars.iter(0..norm.len()).map(encode).collect(),
            gaps: pattern.gaps,
            myers: std::cell::OnceCell::new(),
            aligned: Default::default(),
        }
    }

    fn myers(&self) -> &Myers<S> {
        self.myers.get_or_init(|| Myers::new(&self.q))
    }

    /// Number of words.
    fn words(&self) -> usize {
        self.norm.token_count()
    }

    /// Source words a passage may have beyond the pattern's own, through its gaps.
    fn gap_words(&self) -> usize {
        self.gaps.len() * MAX_GAP_WORDS
    }
}

/// Runs `$body` with `$x` the text and `$p` the pattern in the text's symbols: one byte each
/// for a narrow text (a character it does not have becomes [`crate::normalize::ABSENT`], which matches nothing).
macro_rules! in_symbols {
    ($text:expr, $pattern:expr, |$x:ident, $p:ident| $body:expr) => {
        match &$text.chars {
            Chars::Narrow { codes, .. } => {
                let $x = Txt {
                    norm: $text,
                    t: codes.as_slice(),
                };
                let $p = Pat::new($pattern, |c| $text.chars.code(c));
                $body
            }
            Chars::Wide(wide) => {
                let $x = Txt {
                    norm: $text,
                    t: wide.as_slice(),
                };
                let $p = Pat::new($pattern, |c| c);
                $body
            }
        }
    };
}

/// Search `claim` in `text`. The returned alignment is the true minimum whenever its distance
/// is at most `max_d`; beyond that it is the closest passage the candidates offered (or
/// `None` when the text shares no word with the claim).
pub fn search(text: &Normalized, index: &Index, claim: Pattern, max_d: u32) -> Option<Alignment> {
    search_with(text, index, claim, max_d, Plan::Auto)
}

/// Up to `n` distinct passages close to `claim`, closest first, from the regions where its
/// rarer words gather. For a person asking "where did they say that?".
pub fn passages(text: &Normalized, index: &Index, claim: &Normalized, n: usize) -> Vec<Alignment> {
    if claim.is_empty() || text.is_empty() || n == 0 {
        return Vec::new();
    }
    let toks = rarest_first(index, claim);
    let mut hits: Vec<Hit> = Vec::new();
    let slack = max_distance(claim.len(), 0.0);
    in_symbols!(text, Pattern::plain(claim), |x, p| {
        for &(diag, _) in vote(&toks, claim.token_count()).iter().take(3 * n + 4) {
            hits.extend(align_around(&x, &p, diag, slack, u32::MAX / 4));
        }
    });
    hits.sort_by_key(|h| (h.distance, h.end));
    let mut out: Vec<Hit> = Vec::new();
    for h in hits {
        if out.iter().all(|o| h.end <= o.start || h.start >= o.end) {
            out.push(h);
        }
        if out.len() == n {
            break;
        }
    }
    out.into_iter().map(|h| h.alignment(text)).collect()
}

/// How the certification step looks for better passages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Whichever is cheaper for this claim and text, complete while a scan of the text fits
    /// a budget (sources of up to about a million characters); beyond it, certified only
    /// around the claim's rarer words.
    Auto,
    /// Skip the voted candidates and certify through the token index whenever the bound
    /// allows it, so that tests exercise that path on its own.
    Index,
    /// Align the whole text: complete on any source, at the cost of a scan per quote
    /// (`--exhaustive`).
    Scan,
}

/// [`search`] with a chosen certification plan.
pub fn search_with(
    text: &Normalized,
    index: &Index,
    claim: Pattern,
    max_d: u32,
    plan: Plan,
) -> Option<Alignment> {
    in_symbols!(text, claim, |x, p| search_in(&x, index, &p, max_d, plan))
        .map(|h| h.alignment(text))
}

/// The best passage of `claim` that starts within tokens `first..=last_start` of `text` (and
/// may run on past it), with distance at most `max_d`. Used to find an ellipsis segment after
/// the previous one.
pub fn search_window(
    text: &Normalized,
    claim: Pattern,
    first: usize,
    last_start: usize,
    max_d: u32,
) -> Option<Alignment> {
    let n = text.token_count();
    if first >= n {
        return None;
    }
    let last_start = last_start.min(n - 1);
    let extra = claim.norm.token_count() + max_d as usize + claim.gaps.len() * MAX_GAP_WORDS;
    let end_tok = (last_start + extra).min(n - 1);
    let lo = text.token_start(first);
    let hi = text.token_end(end_tok);
    let limit = text.token_start(last_start);
    in_symbols!(text, claim, |x, p| align_region_with(
        &x,
        &p,
        lo,
        hi,
        max_d,
        |start| start <= limit
    ))
    .map(|h| h.alignment(text))
}

impl Hit {
    fn alignment(&self, text: &Normalized) -> Alignment {
        Alignment {
            distance: self.distance,
            first: text.token_at(self.start as u32),
            last: text.token_at(self.end as u32 - 1),
        }
    }
}

/// A claim token with its place in the claim and its occurrences in the text.
struct ClaimToken<'a> {
    /// Index among the claim's tokens.
    index: usize,
    postings: &'a [u32],
}

fn search_in<S: Symbol>(
    x: &Txt<S>,
    index: &Index,
    p: &Pat<S>,
    max_d: u32,
    plan: Plan,
) -> Option<Hit> {
    if p.q.is_empty() || x.norm.is_empty() {
        return None;
    }
    let toks = rarest_first(index, p.norm);

    if p.gaps.is_empty()
        && let Some(hit) = exact(x, p, &toks)
    {
        return Some(hit);
    }

    let mut best: Option<Hit> = None;
    let buckets = vote(&toks, p.words());
    if plan != Plan::Index {
        for &(diag, _) in buckets.iter().take(VOTED_REGIONS) {
            // Only as close as the best so far can still win (an equal one, if earlier).
            let k = best.map_or(max_d, |h| h.distance);
            keep_best(&mut best, align_around(x, p, diag, max_d, k));
        }
    }

    // Certify: look for anything better than what the candidates gave.
    let bound = match best {
        Some(Hit { distance: 0, .. }) => return best,
        Some(h) => (h.distance - 1).min(max_d),
        None => max_d,
    };
    keep_best(&mut best, certify(x, p, &toks, &buckets, bound, plan));

    if best.is_none() {
        // Nothing within the threshold: report the closest of the candidate regions.
        for &(diag, _) in buckets.iter().take(VOTED_REGIONS) {
            keep_best(&mut best, align_around(x, p, diag, max_d, u32::MAX / 4));
        }
    }
    best
}

/// The first exact occurrence.
fn exact<S: Symbol>(x: &Txt<S>, p: &Pat<S>, toks: &[ClaimToken]) -> Option<Hit> {
    whole(x, p, toks).next().map(|(_, s)| Hit {
        distance: 0,
        start: s,
        end: s + p.q.len(),
    })
}

/// The first token of every place where `words` occurs whole in `text`, ascending (how often
/// a quoted passage occurs, to warn that it is ambiguous).
pub fn occurrences(text: &Normalized, index: &Index, words: &Normalized) -> Vec<usize> {
    let toks = rarest_first(index, words);
    in_symbols!(text, Pattern::plain(words), |x, p| whole(&x, &p, &toks)
        .map(|(first, _)| first)
        .collect())
}

/// Exact occurrences of the pattern, as (first token, first character), ascending.
/// Candidates are the occurrences of its rarest word where its second rarest word sits at the
/// right distance too: common words occur millions of times in a large source, and finding a
/// token's characters costs a short scan.
fn whole<'a, S: Symbol>(
    x: &'a Txt<S>,
    p: &'a Pat<S>,
    toks: &'a [ClaimToken],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let second = toks.get(1);
    let q = &p.q[..];
    toks.first()
        .into_iter()
        .flat_map(|r| {
            r.postings
                .iter()
                .filter_map(|&i| (i as usize).checked_sub(r.index))
        })
        .filter(move |&first| {
            second.is_none_or(|w| {
                w.postings
                    .binary_search(&((first + w.index) as u32))
                    .is_ok()
            })
        })
        .map(|first| (first, x.norm.token_start(first)))
        .filter(move |&(_, s)| {
            let (t, e) = (x.t, s + q.len());
            e <= t.len() && (e == t.len() || t[e] == S::SPACE) && t[s..e] == *q
        })
}

/// The words of `words` with their occurrences in the text, rarest first: they make the
/// fewest, most telling candidates.
fn rarest_first<'a>(index: &'a Index, words: &Normalized) -> Vec<ClaimToken<'a>> {
    let mut toks: Vec<ClaimToken> = (0..words.token_count())
        .map(|i| ClaimToken {
            index: i,
            postings: index.postings(words.token_chars(i)),
        })
        .collect();
    toks.sort_by_key(|t| (t.postings.len(), t.index));
    toks
}

/// Candidate diagonals (the text token where the claim would start), most votes first.
fn vote(toks: &[ClaimToken], k: usize) -> Vec<(i64, u32)> {
    let width = (k as i64 / 2).max(2);
    let present = || toks.iter().filter(|t| !t.postings.is_empty());
    let count = present().count();
    // The rarer half of the claim's tokens (at most eight), never a word so common it says
    // nothing.
    let take = count.div_ceil(2).max(count.min(3)).min(8);
    let mut voters: Vec<&ClaimToken> = present()
        .take(take)
        .filter(|t| t.postings.len() <= 5_000)
        .collect();
    if voters.len() < count.min(3) {
        // Only common words are left: let the rarest of them vote anyway.
        voters = present()
            .take(3)
            .filter(|t| t.postings.len() <= 200_000)
            .collect();
    }
    // Each voter's diagonals ascend with its postings: a merging sort of the runs, then one
    // pass over the buckets (cheaper than hashing when the lists are long).
    let mut diags: Vec<i64> = voters
        .iter()
        .flat_map(|t| t.postings.iter().map(|&p| p as i64 - t.index as i64))
        .collect();
    diags.sort();
    // (least diagonal, votes) per bucket of `width` diagonals.
    let mut out: Vec<(i64, u32)> = Vec::new();
    let mut current = None;
    for d in diags {
        let bucket = d.div_euclid(width);
        match out.last_mut() {
            Some(last) if current == Some(bucket) => last.1 += 1,
            _ => {
                out.push((d, 1));
                current = Some(bucket);
            }
        }
    }
    // Only the best few are ever looked at.
    let order = |a: &(i64, u32), b: &(i64, u32)| {
        (std::cmp::Reverse(a.1), a.0).cmp(&(std::cmp::Reverse(b.1), b.0))
    };
    let keep = VOTED_REGIONS + WIDER_CANDIDATES;
    if out.len() > keep {
        out.select_nth_unstable_by(keep, order);
        out.truncate(keep);
    }
    out.sort_unstable_by(order);
    out
}

thread_local! {
    /// Seed occurrences of one chunk of diagonals, kept between claims.
    static HITS: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Seed occurrences sorted at a time: common words occur millions of times in a large source,
/// and a chunk this size sorts in cache.
const CHUNK: usize = 1 << 16;

/// Calls `found(from, to)`, in ascending order, with the first and last diagonal of every
/// window of at most `width` diagonals that holds occurrences of at least `need` distinct
/// seed words (claim words below `words`), one call per occurrence ending such a window.
fn gatherings(
    seeds: &[ClaimToken],
    need: usize,
    width: i64,
    words: usize,
    chunk: usize,
    mut found: impl FnMut(i64, i64),
) {
    let diag = |t: &ClaimToken, p: u32| p as i64 - t.index as i64;
    let ends = |pick: fn(&[u32]) -> Option<&u32>| {
        seeds
            .iter()
            .filter_map(move |t| pick(t.postings).map(|&p| diag(t, p)))
    };
    let (Some(lo), Some(hi)) = (ends(<[u32]>::first).min(), ends(<[u32]>::last).max()) else {
        return;
    };
    let total: usize = seeds.iter().map(|t| t.postings.len()).sum();
    let chunks = total.div_ceil(chunk) as i64;
    let step = (hi - lo + chunks) / chunks;
    HITS.with_borrow_mut(|hits| {
        let mut count = vec![0u32; words];
        for c in 0..chunks {
            // Windows ending in `d0..d0 + step`, so occurrences from `width` before it.
            let d0 = lo + c * step;
            hits.clear();
            for t in seeds {
                let a = t.postings.partition_point(|&p| diag(t, p) < d0 - width);
                let b = t.postings.partition_point(|&p| diag(t, p) < d0 + step);
                // (diagonal, claim word) packed in 8 bytes, so that they sort as pairs.
                hits.extend(t.postings[a..b].iter().map(|&p| pack(diag(t, p), t.index)));
            }
            // One ascending run per seed word: a merging sort costs n·log(runs).
            hits.sort();
            // Occurrences of each claim word in the window `from..=to`, and how many words
            // occur there at all.
            count.fill(0);
            let (mut from, mut distinct) = (0, 0);
            for to in 0..hits.len() {
                while diagonal(hits[to]) - diagonal(hits[from]) > width {
                    count[word(hits[from])] -= 1;
                    distinct -= usize::from(count[word(hits[from])] == 0);
                    from += 1;
                }
                count[word(hits[to])] += 1;
                distinct += usize::from(count[word(hits[to])] == 1);
                if distinct >= need && diagonal(hits[to]) >= d0 {
                    found(diagonal(hits[from]), diagonal(hits[to]));
                }
            }
        }
    });
}

/// Claim words a seed occurrence can name (more never reach certification through the index).
const WORD_BITS: u32 = 24;

/// A seed occurrence: its diagonal (at least minus the claim's length) and its claim word.
fn pack(diagonal: i64, word: usize) -> u64 {
    (((diagonal + (1 << WORD_BITS)) as u64) << WORD_BITS) | word as u64
}

fn diagonal(packed: u64) -> i64 {
    (packed >> WORD_BITS) as i64 - (1 << WORD_BITS)
}

fn word(packed: u64) -> usize {
    (packed & ((1 << WORD_BITS) - 1)) as usize
}

/// Voted regions aligned first.
const VOTED_REGIONS: usize = 4;

/// Characters `lo..hi` spanning text tokens `first..=last` (clamped to the text).
fn token_span(text: &Normalized, first: i64, last: i64) -> (usize, usize) {
    let n = text.token_count() as i64;
    let first = first.clamp(0, n - 1) as usize;
    let last = last.clamp(0, n - 1) as usize;
    (text.token_start(first), text.token_end(last))
}

/// Align the claim around diagonal `diag` (a token index), allowing for `slack` edits of
/// drift, with cutoff `k`.
fn align_around<S: Symbol>(x: &Txt<S>, p: &Pat<S>, diag: i64, slack: u32, k: u32) -> Option<Hit> {
    let n_claim = p.words() as i64;
    let reach = slack as i64 + p.gap_words() as i64 + (n_claim / 2).max(2);
    let (lo, hi) = token_span(x.norm, diag - reach, diag + n_claim + reach);
    align_region(x, p, lo, hi, k)
}

/// Prove that no passage is closer than `bound + 1`, or find the closest one that is.
fn certify<S: Symbol>(
    x: &Txt<S>,
    p: &Pat<S>,
    toks: &[ClaimToken],
    buckets: &[(i64, u32)],
    bound: u32,
    plan: Plan,
) -> Option<Hit> {
    let n = x.t.len();
    let k = p.words();
    // A passage within `bound` edits keeps at least k - 2·bound of the claim's words intact
    // (an edit touches at most two words), so among the claim's 2·bound + c rarest words at
    // least `c` are intact: only places where `c` of them gather need aligning.
    let broken = 2 * bound as usize;
    let need = k.saturating_sub(broken).clamp(1, 3);
    let seeds = broken + need;
    // Passage tokens beyond the claim's own: one per edit, and the gaps' words.
    let reach = bound as usize + p.gap_words();
    let region_len = (k + 2 * reach) * 6;
    let rows = if p.gaps.is_empty() {
        bound as usize + 1
    } else {
        p.q.len()
    };
    let scan_cost = n.saturating_mul(rows);
    let index_cost = |seeds: &[ClaimToken]| {
        let occurrences: usize = seeds.iter().map(|t| t.postings.len()).sum();
        occurrences.saturating_mul(region_len).saturating_mul(rows)
    };
    let complete = seeds <= toks.len() && k < 1 << WORD_BITS;
    let around = |seeds: &[ClaimToken], need: usize| {
        // Each occurrence of a seed word says where the passage would start (its diagonal,
        // in tokens). Intact words of one passage have diagonals within `2·reach` of each
        // other. Both ends of the windows ascend: overlapping regions (in tokens) are merged
        // as they come.
        let r = reach as i64;
        let last_token = x.norm.token_count() as i64 - 1;
        let mut regions: Vec<(i64, i64)> = Vec::new();
        gatherings(seeds, need, 2 * r, k, CHUNK, |from, to| {
            // The passage starts within `reach` tokens before an intact word's diagonal (or
            // `bound` after it) and is at most k + reach tokens long.
            let first = (from - r).clamp(0, last_token);
            let last = (to + bound as i64 + k as i64 - 1 + r).clamp(0, last_token);
            match regions.last_mut() {
                Some(prev) if first <= prev.1 => prev.1 = prev.1.max(last),
                _ => regions.push((first, last)),
            }
        });
        let mut best = None;
        for (first, last) in regions {
            let (lo, hi) = token_span(x.norm, first, last);
            keep_best(&mut best, align_region(x, p, lo, hi, bound));
        }
        best
    };
    let scan = || align_region(x, p, 0, n, bound);
    match plan {
        Plan::Scan => scan(),
        Plan::Index if complete => around(&toks[..seeds], need),
        Plan::Index => scan(),
        Plan::Auto => {
            let cost = if complete {
                index_cost(&toks[..seeds])
            } else {
                usize::MAX
            };
            let small = n <= SCAN_CHARS;
            if cost <= scan_cost || (!small && cost <= INDEX_BUDGET) {
                around(&toks[..seeds], need)
            } else if small {
                scan()
            } else {
                // Too large to prove up to `bound`. Prove it up to the largest bound the
                // claim's words can certify within the budget: a passage found there is the
                // closest of all, so a quote with few edits is never missed.
                let provable = (0..bound.min(PROOF_BOUND + 1))
                    .rev()
                    .find(|&b| b as usize * 2 + 3 <= k && seed_cost(p, toks, b) <= PROOF_BUDGET);
                if let Some(low) = provable
                    && let Some(hit) = certify(x, p, toks, buckets, low, plan)
                {
                    return Some(hit);
                }
                // Beyond it, look at more of the best-voted regions.
                let mut best = None;
                for &(diag, _) in buckets.iter().skip(VOTED_REGIONS).take(WIDER_CANDIDATES) {
                    keep_best(&mut best, align_around(x, p, diag, bound, bound));
                }
                best
            }
        }
    }
}

/// Sources up to this many characters may be scanned whole to certify a result; larger ones
/// are certified through the index, or not at all (unless the plan says scan).
pub const SCAN_CHARS: usize = 1_000_000;
/// Work the index path may cost when it is complete.
const INDEX_BUDGET: usize = 400_000_000;
/// In a large source, the bound up to which a quote is always proven (found if it is there):
/// quotes with a few edits.
const PROOF_BOUND: u32 = 4;
/// The work that proof may cost.
const PROOF_BUDGET: usize = 40_000_000;
/// Voted regions examined, beyond the first ones, when a large source cannot be certified.
const WIDER_CANDIDATES: usize = 12;

/// The work (alignment cells, roughly) of certifying `claim` up to `bound` through the index.
fn seed_cost<S: Symbol>(p: &Pat<S>, toks: &[ClaimToken], bound: u32) -> usize {
    let k = p.words();
    let broken = 2 * bound as usize;
    let seeds = (broken + k.saturating_sub(broken).clamp(1, 3)).min(toks.len());
    let reach = bound as usize + p.gap_words();
    let occurrences: usize = toks[..seeds].iter().map(|t| t.postings.len()).sum();
    occurrences
        .saturating_mul((k + 2 * reach) * 6)
        .saturating_mul(bound as usize + 1)
}

/// The best passage within `chars[lo..hi]` (widened to whole tokens) with distance at most `k`.
/// A region whose text was aligned before in this search gives the same passage, moved: the
/// result depends on the region's text only, as token boundaries lie at its edges.
fn align_region<S: Symbol>(x: &Txt<S>, p: &Pat<S>, lo: usize, hi: usize, k: u32) -> Option<Hit> {
    let (lo, hi) = (token_floor(x.t, lo), token_ceil(x.t, hi));
    if lo >= hi {
        return None;
    }
    let text = &x.t[lo..hi];
    let key = (rustc_hash::FxBuildHasher.hash_one(text), text.len());
    let moved = |h: Hit, from: usize, to: usize| Hit {
        distance: h.distance,
        start: h.start - from + to,
        end: h.end - from + to,
    };
    if let Some(seen) = p.aligned.borrow().get(&key)
        && x.t[seen.lo..seen.lo + text.len()] == *text
    {
        match seen.hit {
            Some(h) => return (h.distance <= k).then(|| moved(h, 0, lo)),
            None if k <= seen.cutoff => return None,
            None => {}
        }
    }
    let hit = align_region_with(x, p, lo, hi, k, |_| true);
    let seen = Aligned {
        lo,
        cutoff: k,
        hit: hit.map(|h| moved(h, lo, 0)),
    };
    p.aligned.borrow_mut().insert(key, seen);
    hit
}

/// Myers' bit-parallel edit distance (Hyyrö's blocks of 64 rows), free start: for every
/// position `j` in `lo..hi`, the least distance between the claim and any text ending at `j`
/// (exclusive). A passage must start at a token start, so this is a lower bound on its
/// distance, and an end whose bound exceeds the cutoff needs no exact alignment.
struct Myers<S> {
    m: usize,
    blocks: usize,
    /// Match masks for the first 256 symbols, `blocks` words each.
    table: Vec<u64>,
    /// Match masks for other symbols.
    other: HashMap<S, Vec<u64>>,
}

impl<S: Symbol> Myers<S> {
    fn new(q: &[S]) -> Myers<S> {
        let m = q.len();
        let blocks = m.div_ceil(64);
        let mut table = vec![0u64; 256 * blocks];
        let mut other: HashMap<S, Vec<u64>> = HashMap::new();
        for (i, &c) in q.iter().enumerate() {
            let (b, bit) = (i / 64, 1u64 << (i % 64));
            match c.slot() {
                Some(slot) => table[slot * blocks + b] |= bit,
                None => other.entry(c).or_insert_with(|| vec![0; blocks])[b] |= bit,
            }
        }
        Myers {
            m,
            blocks,
            table,
            other,
        }
    }

    /// Calls `f(j, bound)` for each `j` in `lo + 1..=hi` with the free-start distance of the
    /// claim ending just before `j`.
    fn scan(&self, t: &[S], lo: usize, hi: usize, mut f: impl FnMut(usize, u32)) {
        let nb = self.blocks;
        let zero = vec![0u64; nb];
        let mut pv = vec![!0u64; nb];
        let mut mv = vec![0u64; nb];
        // Distance at the last row of each block (row 64b + 63, padding rows included).
        let mut score: Vec<i64> = (0..nb).map(|b| ((b + 1) * 64) as i64).collect();
        let last = nb - 1;
        // Rows above m in the last block are padding: read row m by undoing their deltas.
        let pad_mask: u64 = if self.m.is_multiple_of(64) {
            0
        } else {
            !0u64 << (self.m % 64)
        };
        for (j, &c) in t.iter().enumerate().take(hi).skip(lo) {
            let eq = match c.slot() {
                Some(slot) => &self.table[slot * nb..slot * nb + nb],
                None => self.other.get(&c).map_or(&zero[..], |v| &v[..]),
            };
            let mut hin = 0i64; // free start: the top row is all zeros
            for b in 0..nb {
                let (p, mm) = (pv[b], mv[b]);
                let mut e = eq[b];
                let xv = e | mm;
                if hin < 0 {
                    e |= 1;
                }
                let xh = ((e & p).wrapping_add(p) ^ p) | e;
                let mut ph = mm | !(xh | p);
                let mut mh = p & xh;
                let hout = if ph >> 63 != 0 {
                    1
                } else if mh >> 63 != 0 {
                    -1
                } else {
                    0
                };
                ph <<= 1;
                mh <<= 1;
                if hin < 0 {
                    mh |= 1;
                } else if hin > 0 {
                    ph |= 1;
                }
                pv[b] = mh | !(xv | ph);
                mv[b] = ph & xv;
                score[b] += hout;
                hin = hout;
            }
            let below = (pv[last] & pad_mask).count_ones() as i64
                - (mv[last] & pad_mask).count_ones() as i64;
            f(j + 1, (score[last] - below).max(0) as u32);
        }
    }
}

/// Exact alignment of the claim against every passage inside `chars[lo..hi]` whose start
/// passes `start_ok`, with Ukkonen's cutoff `k`: the best passage with distance at most `k`.
///
/// A passage starts at a token start and ends at a token end. Starting late is expressed in
/// the top row: `D[0][j]` is the distance from `j` back to the nearest token start, which is
/// exactly the cost of reaching `j` from that start by skipping text. At a gap row, reaching
/// a token start from one of the previous [`MAX_GAP_WORDS`] token starts is free. With gaps
/// the whole column is computed (the cutoff band does not know about jumps).
fn align_region_with<S: Symbol>(
    x: &Txt<S>,
    p: &Pat<S>,
    lo: usize,
    hi: usize,
    k: u32,
    start_ok: impl Fn(usize) -> bool,
) -> Option<Hit> {
    let (t, q) = (x.t, &p.q[..]);
    let n = t.len();
    let m = q.len();
    // Widen to whole tokens.
    let lo = token_floor(t, lo);
    let hi = token_ceil(t, hi);
    if lo >= hi {
        return None;
    }
    const INF: u32 = u32::MAX / 2;
    let k = k.min(INF - 1);
    let banded = p.gaps.is_empty();
    if banded {
        // Only ends whose free-start bound is within the cutoff can end a passage within it.
        let mut ends: Vec<(usize, u32)> = Vec::new();
        p.myers().scan(t, lo, hi, |j, bound| {
            if bound <= k && (j == n || t[j] == S::SPACE) {
                ends.push((j, bound));
            }
        });
        // Start near the best bound and widen only if nothing is found there: the band of
        // each exact alignment is twice the cutoff. A passage found within a cutoff is the
        // best within `k` too, since a better one's end has a bound below that cutoff.
        let least = ends.iter().map(|&(_, b)| b).min()?;
        let mut cutoff = least + (m as u32 / 8).max(8);
        // The most promising ends first: an end's exact distance is at least its bound, so
        // once a passage is found no end with a larger bound can beat it.
        ends.sort_unstable_by_key(|&(j, b)| (b, j));
        loop {
            let cut = cutoff.min(k);
            let mut best: Option<Hit> = None;
            for &(j, b) in &ends {
                if b > cut || best.is_some_and(|h| b > h.distance || (b == h.distance && j > h.end))
                {
                    break;
                }
                if let Some((d, s)) = exact_at_end(t, q, lo, j, cut, &start_ok) {
                    keep_best(
                        &mut best,
                        Some(Hit {
                            distance: d,
                            start: s,
                            end: j,
                        }),
                    );
                }
            }
            if best.is_some() || cut >= k {
                return best;
            }
            cutoff = cut.saturating_mul(2);
        }
    }
    align_span(x, p, lo, hi, k, &start_ok)
}

/// Back to the start of the token containing `i` (or the next token, from a space).
fn token_floor<S: Symbol>(t: &[S], i: usize) -> usize {
    let mut lo = i.min(t.len());
    while lo > 0 && t[lo - 1] != S::SPACE {
        lo -= 1;
    }
    if lo < t.len() && t[lo] == S::SPACE {
        lo += 1;
    }
    lo
}

/// On to the end of the token containing `i`.
fn token_ceil<S: Symbol>(t: &[S], i: usize) -> usize {
    let mut hi = i.min(t.len());
    while hi < t.len() && t[hi] != S::SPACE {
        hi += 1;
    }
    hi
}

/// The exact distance of the best passage ending at `end` and starting at a token start at or
/// after `lo` (and accepted by `start_ok`), if it is at most `k`, with that start. A banded
/// alignment run backwards from the end: m·(2k + 1) cells.
fn exact_at_end<S: Symbol>(
    t: &[S],
    q: &[S],
    lo: usize,
    end: usize,
    k: u32,
    start_ok: &impl Fn(usize) -> bool,
) -> Option<(u32, usize)> {
    const INF: u32 = u32::MAX / 2;
    let m = q.len();
    let kk = k as usize;
    let avail = end - lo; // text characters available before the end
    // Row i holds columns c (text characters consumed backwards) in i-k..=i+k, cell c at
    // index c - i + k + 1 of its row: a diagonal move keeps the index, consuming only a claim
    // character moves one up, only a text character one down. Indices 0 and 2k + 2 stay
    // infinite, as do cells never reached (c < 0); cells past the text are never read.
    let width = 2 * kk + 3;
    let mut prev = vec![INF; width];
    for c in 0..=kk.min(avail) {
        prev[c + kk + 1] = c as u32;
    }
    let mut cur = vec![INF; width];
    for i in 1..=m {
        let qc = q[m - i];
        // Cells c_lo..=c_hi of this row, at indices a..=b.
        let c_lo = i.saturating_sub(kk);
        let c_hi = (i + kk).min(avail);
        if c_lo > c_hi {
            return None;
        }
        let (a, b) = (c_lo + kk + 1 - i, c_hi + kk + 1 - i);
        let mut row_min = INF;
        // c = 0 has no diagonal move (and no text character to compare).
        let from = if c_lo == 0 {
            cur[a] = prev[a + 1] + 1;
            row_min = cur[a];
            a + 1
        } else {
            a
        };
        // The text characters end - c, for c ascending from that of index `from`.
        let c_from = from + i - kk - 1;
        let text = t[end - c_hi..end + 1 - c_from.min(c_hi + 1)].iter().rev();
        for (d, &tc) in (from..=b).zip(text) {
            let v = (prev[d] + u32::from(tc != qc))
                .min(prev[d + 1] + 1)
                .min(cur[d - 1] + 1);
            cur[d] = v;
            row_min = row_min.min(v);
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    // Row m: a start s = end - c must be a token start.
    let mut best: Option<(u32, usize)> = None;
    for c in m.saturating_sub(kk)..=(m + kk).min(avail) {
        let s = end - c;
        let d = prev[c + kk + 1 - m];
        let token_start = s < t.len() && t[s] != S::SPACE && (s == 0 || t[s - 1] == S::SPACE);
        if d <= k && token_start && start_ok(s) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, s));
        }
    }
    best
}

/// [`align_region_with`] without the prefilter: the exact dynamic programme over `lo..hi`,
/// which the caller has already widened to whole tokens (with `k` already clamped).
fn align_span<S: Symbol>(
    x: &Txt<S>,
    p: &Pat<S>,
    lo: usize,
    hi: usize,
    k: u32,
    start_ok: &impl Fn(usize) -> bool,
) -> Option<Hit> {
    let (t, q) = (x.t, &p.q[..]);
    let n = t.len();
    let m = q.len();
    const INF: u32 = u32::MAX / 2;
    let banded = p.gaps.is_empty();
    // Row of each gap, and for each the values at the last few token starts.
    let mut gap_of_row = vec![usize::MAX; m + 1];
    for (g, &row) in p.gaps.iter().enumerate() {
        gap_of_row[row] = g;
    }
    let mut recent: Vec<std::collections::VecDeque<(u32, usize)>> =
        vec![std::collections::VecDeque::with_capacity(MAX_GAP_WORDS + 1); p.gaps.len()];

    let mut d_prev = vec![INF; m + 1];
    let mut s_prev = vec![lo; m + 1];
    let mut d_cur = vec![INF; m + 1];
    let mut s_cur = vec![lo; m + 1];
    // Column `lo`: the claim's first `i` characters against nothing.
    let prev_rows_init = if banded { m.min(k as usize) } else { m };
    for (i, d) in d_prev.iter_mut().enumerate().take(prev_rows_init + 1) {
        *d = i as u32;
    }
    for (g, &row) in p.gaps.iter().enumerate() {
        recent[g].push_back((row as u32, lo));
    }
    let mut prev_rows = prev_rows_init; // rows 0..=prev_rows of d_prev are valid
    let mut last_ok: isize = prev_rows as isize; // deepest row of the column within k
    let mut token_start = lo;
    let mut best: Option<Hit> = None;
    for j in lo + 1..=hi {
        let c = t[j - 1];
        let at_token_start = j < n && t[j] != S::SPACE && t[j - 1] == S::SPACE;
        if at_token_start {
            token_start = j;
        }
        d_cur[0] = (j - token_start) as u32;
        s_cur[0] = token_start;
        let lim = if banded {
            ((last_ok + 1).max(0) as usize).min(m)
        } else {
            m
        };
        let mut rows = 0;
        for i in 1..=lim {
            let diag = d_prev[i - 1] + u32::from(q[i - 1] != c);
            let up = d_cur[i - 1] + 1;
            let left = if i <= prev_rows { d_prev[i] + 1 } else { INF };
            let (mut d, mut s) = if diag <= up && diag <= left {
                (diag, s_prev[i - 1])
            } else if up <= left {
                (up, s_cur[i - 1])
            } else {
                (left, s_prev[i])
            };
            if !banded && at_token_start && gap_of_row[i] != usize::MAX {
                let g = gap_of_row[i];
                let normal = (d, s);
                // The most recent of the cheapest: skip as few words as possible.
                if let Some(&(v, sv)) = recent[g].iter().rev().min_by_key(|x| x.0)
                    && v < d
                {
                    (d, s) = (v, sv);
                }
                recent[g].push_back(normal);
                if recent[g].len() > MAX_GAP_WORDS {
                    recent[g].pop_front();
                }
            }
            d_cur[i] = d;
            s_cur[i] = s;
            rows = i;
        }
        // Below the band only vertical moves can stay within the cutoff.
        while banded && rows < m && d_cur[rows] < k {
            d_cur[rows + 1] = d_cur[rows] + 1;
            s_cur[rows + 1] = s_cur[rows];
            rows += 1;
        }
        last_ok = (0..=rows)
            .rev()
            .find(|&i| d_cur[i] <= k)
            .map_or(-1, |i| i as isize);
        if rows == m
            && d_cur[m] <= k
            && (j == n || t[j] == S::SPACE)
            && t[j - 1] != S::SPACE
            && start_ok(s_cur[m])
        {
            let hit = Hit {
                distance: d_cur[m],
                start: s_cur[m],
                end: j,
            };
            if hit.better_than(&best) {
                best = Some(hit);
            }
        }
        std::mem::swap(&mut d_prev, &mut d_cur);
        std::mem::swap(&mut s_prev, &mut s_cur);
        prev_rows = rows;
    }
    best
}

/// The minimum distance over all passages by trying every one: the reference the tests hold
/// the search to.
pub fn brute_force(text: &Normalized, claim: &str) -> Option<u32> {
    let n = text.token_count();
    let mut best: Option<u32> = None;
    for a in 0..n {
        for b in a..n {
            let d = strsim::levenshtein(claim, &text.token_text(a, b)) as u32;
            best = Some(best.map_or(d, |x| x.min(d)));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn find(text: &str, claim: &str, threshold: f64) -> Option<(u32, String)> {
        let t = normalize(text);
        let idx = Index::build(&t);
        let c = normalize(claim);
        search(
            &t,
            &idx,
            Pattern::plain(&c),
            max_distance(c.len(), threshold),
        )
        .map(|a| (a.distance, t.token_text(a.first, a.last)))
    }

    proptest::proptest! {
        /// Seed occurrences sorted a chunk at a time give the windows that sorting them all
        /// at once gives.
        #[test]
        fn gatherings_do_not_depend_on_the_chunks(
            lists in proptest::collection::vec(
                proptest::collection::btree_set(0u32..300, 0..40), 1..5),
            need in 1usize..4,
            width in 0i64..12,
            chunk in 1usize..20,
        ) {
            let lists: Vec<Vec<u32>> = lists.into_iter().map(|l| l.into_iter().collect()).collect();
            let seeds: Vec<ClaimToken> = lists
                .iter()
                .enumerate()
                .map(|(i, l)| ClaimToken { index: i, postings: l })
                .collect();
            // Reference: every occurrence, sorted, with the window of those before it.
            let mut all: Vec<(i64, usize)> = seeds
                .iter()
                .flat_map(|t| t.postings.iter().map(|&p| (p as i64 - t.index as i64, t.index)))
                .collect();
            all.sort();
            let mut want = Vec::new();
            for (to, &(d, _)) in all.iter().enumerate() {
                let window: Vec<&(i64, usize)> =
                    all[..=to].iter().filter(|o| o.0 >= d - width).collect();
                let mut words: Vec<usize> = window.iter().map(|o| o.1).collect();
                words.sort();
                words.dedup();
                if words.len() >= need {
                    want.push((window[0].0, d));
                }
            }
            let mut got = Vec::new();
            gatherings(&seeds, need, width, seeds.len(), chunk, |a, b| got.push((a, b)));
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn a_repeated_region_gives_what_aligning_it_afresh_gives() {
        let block = "the cat sat on the mat and the dog lay by the door";
        let text = normalize(&format!("{block} then {block} and {block}"));
        let claim = normalize("the dog sat by the door");
        let Chars::Narrow { codes, .. } = &text.chars else {
            panic!("narrow")
        };
        let x = Txt {
            norm: &text,
            t: codes.as_slice(),
        };
        let encode = |c| text.chars.code(c);
        let remembered = Pat::new(Pattern::plain(&claim), encode);
        let len = block.len();
        let copies = [0, len + 6, 2 * len + 11];
        // Cutoffs below, at and above the best distance (2), in an order that reuses both a
        // miss and a hit.
        for k in [0, 2, 1, 5, 0, 40] {
            for &lo in &copies {
                let afresh = Pat::new(Pattern::plain(&claim), encode);
                let want = align_region_with(&x, &afresh, lo, lo + len, k, |_| true);
                assert_eq!(
                    align_region(&x, &remembered, lo, lo + len, k),
                    want,
                    "k {k} at {lo}"
                );
                if let Some(h) = want {
                    assert_eq!(&text.as_string()[h.start..h.end], "the dog lay by the door");
                }
            }
        }
        assert_eq!(remembered.aligned.borrow().len(), 1, "one distinct region");
    }

    #[test]
    fn exact_match_on_whole_words() {
        let text = "He said: “Off the record I don’t know who that is, but I’ll ask around.”";
        assert_eq!(
            find(text, "I don't know who that is", 0.8),
            Some((0, "i don t know who that is".into()))
        );
    }

    #[test]
    fn never_matches_inside_a_word() {
        // "tax return" is not an exact match for "tax returns".
        let (d, p) = find("one of your father’s tax returns today", "tax return", 0.8).unwrap();
        assert_eq!(d, 1);
        assert_eq!(p, "tax returns");
    }

    #[test]
    fn approximate_match_reports_distance() {
        let text = "we think it is much more interesting if he does not concede and spends time";
        let (d, p) = find(text, "much more interesting if he did not concede", 0.8).unwrap();
        assert_eq!(d, 3);
        assert_eq!(p, "much more interesting if he does not concede");
    }

    #[test]
    fn missing_still_reports_the_closest_passage() {
        let text = "the quick brown fox jumps over the lazy dog and runs away";
        let (d, p) = find(text, "the slow purple fox sleeps under the lazy cat", 0.8).unwrap();
        let c = normalize("the slow purple fox sleeps under the lazy cat");
        assert!(d > max_distance(c.len(), 0.8));
        assert!(p.contains("fox"), "closest passage {p:?}");
    }

    #[test]
    fn nothing_in_common_gives_none() {
        assert_eq!(find("alpha beta gamma", "zzz yyy", 0.8), None);
    }

    #[test]
    fn merged_words_are_found_by_the_certification() {
        // No claim word survives intact, yet the passage is within the threshold.
        let text = "xx yy thecat saton themat zz";
        let (d, p) = find(text, "the cat sat on the mat", 0.8).unwrap();
        assert_eq!((d, p.as_str()), (3, "thecat saton themat"));
    }

    proptest::proptest! {
        /// Myers' bound at every end equals the free-start dynamic programme, for patterns of
        /// one to several blocks and non-ASCII characters.
        #[test]
        fn myers_equals_the_free_start_programme(
            q in proptest::collection::vec(proptest::sample::select(vec!['a', 'b', ' ', 'é']), 1..150),
            t in proptest::collection::vec(proptest::sample::select(vec!['a', 'b', ' ', 'é', 'c']), 0..300),
        ) {
            let m = q.len();
            let mut col: Vec<u32> = (0..=m as u32).collect();
            let mut expected = Vec::new();
            for &c in &t {
                let mut next = vec![0u32; m + 1];
                for i in 1..=m {
                    next[i] = (col[i - 1] + u32::from(q[i - 1] != c)).min(col[i] + 1).min(next[i - 1] + 1);
                }
                col = next;
                expected.push(col[m]);
            }
            let mut got = Vec::new();
            Myers::new(&q).scan(&t, 0, t.len(), |_, d| got.push(d));
            proptest::prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn max_distance_matches_the_score_rule() {
        assert_eq!(max_distance(10, 0.8), 2);
        assert_eq!(max_distance(9, 0.8), 1);
        assert_eq!(max_distance(10, 1.0), 0);
        assert!(score(2, 10) >= 0.8);
        assert_eq!(score(20, 10), 0.0);
    }
}
