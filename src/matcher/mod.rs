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
//!    more than a scan, the whole text is aligned with the cutoff instead (where a window
//!    holds enough of the claim's q-grams to come within it); in a text too large
//!    to scan, pieces of the claim's words (an edit breaks at most one) prove it up to 4 edits
//!    where its words cannot.
//!
//! So whenever a passage scores at or above the threshold, the distance returned is the true
//! minimum over all passages (checked against a brute-force reference in the property tests).

use std::collections::HashMap;
use std::hash::BuildHasher;

use rustc_hash::FxHashMap;

use crate::text::normalize::{Chars, Normalized, encode};

/// How many source words an editorial `[...]` may stand for: a gap in a [`Pattern`] skips
/// up to this many words at no cost.
pub const MAX_GAP_WORDS: usize = 6;

mod align;
mod candidates;
mod certify;
mod index;
mod myers;
mod qgrams;

use align::*;
use candidates::*;
pub(crate) use candidates::{gatherings_of_lists, slide};
use certify::*;
pub use index::Index;
use myers::*;

/// The best passage found for a claim: tokens `first..=last` of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alignment {
    /// Edits (Levenshtein, in characters) between the claim and the passage.
    pub distance: u32,
    /// The passage's first token.
    pub first: usize,
    /// Its last token.
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

/// The cutoff the next candidate is aligned with: only as close as `best` can still win (an
/// equal one, if it ends earlier).
fn cutoff_after(best: Option<Hit>, bound: u32) -> u32 {
    best.map_or(bound, |h| h.distance.min(bound))
}

/// [`cutoff_after`] for regions aligned in ascending order, whose passages end no earlier
/// than `best`'s: only a closer one can win. `None` when none can.
fn cutoff_later(best: Option<Hit>, bound: u32) -> Option<u32> {
    match best {
        None => Some(bound),
        Some(h) => h.distance.checked_sub(1).map(|k| k.min(bound)),
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
    /// The claim's words, normalized.
    pub norm: &'a Normalized,
    /// Character positions in `norm.chars`, each at a token start.
    pub gaps: &'a [usize],
}

impl<'a> Pattern<'a> {
    /// A pattern without editorial gaps.
    pub fn plain(norm: &'a Normalized) -> Pattern<'a> {
        Pattern { norm, gaps: &[] }
    }
}

/// A symbol the aligner compares: a narrow text's one-byte codes, or `char`s.
trait Symbol: Copy + Eq + Ord + std::hash::Hash {
    const SPACE: Self;
    /// Its row in the bit-parallel match table, for the first 256 symbols.
    fn slot(self) -> Option<usize>;
    /// A number of its own, for hashing q-grams.
    fn code(self) -> u32;
}

impl Symbol for u8 {
    const SPACE: u8 = b' ';
    fn slot(self) -> Option<usize> {
        Some(self as usize)
    }
    fn code(self) -> u32 {
        u32::from(self)
    }
}

impl Symbol for char {
    const SPACE: char = ' ';
    fn slot(self) -> Option<usize> {
        ((self as u32) < 256).then_some(self as usize)
    }
    fn code(self) -> u32 {
        u32::from(self)
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
    /// The match table of the claim reversed, for exact distances at a passage's end.
    back: std::cell::OnceCell<Myers<S>>,
    /// With gaps: a match table for each part between them, built on first use.
    parts: std::cell::OnceCell<Vec<Myers<S>>>,
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
            back: std::cell::OnceCell::new(),
            parts: std::cell::OnceCell::new(),
            aligned: Default::default(),
        }
    }

    fn myers(&self) -> &Myers<S> {
        self.myers.get_or_init(|| Myers::new(&self.q))
    }

    fn back(&self) -> &Myers<S> {
        self.back.get_or_init(|| {
            let reversed: Vec<S> = self.q.iter().rev().copied().collect();
            Myers::new(&reversed)
        })
    }

    /// The match tables of the pattern's parts between its gaps (none empty), in order.
    fn parts(&self) -> &[Myers<S>] {
        self.parts.get_or_init(|| {
            let mut cuts: Vec<usize> = self.gaps.iter().map(|&g| g.min(self.q.len())).collect();
            cuts.sort_unstable();
            cuts.push(self.q.len());
            let mut from = 0;
            let mut parts = Vec::new();
            for cut in cuts {
                if cut > from {
                    parts.push(Myers::new(&self.q[from..cut]));
                }
                from = from.max(cut);
            }
            parts
        })
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
/// for a narrow text (a character it does not have becomes `ABSENT`, which matches nothing).
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

/// The edit distance between `a` and `b`, in characters (what `strsim::levenshtein`
/// gives), bit-parallel: one word per 64 characters of `a` for each character of `b`, where
/// the textbook programme costs one cell per pair (quadratic on a long passage).
pub fn levenshtein(a: &str, b: &str) -> u32 {
    let q: Vec<char> = a.chars().collect();
    let t: Vec<char> = b.chars().collect();
    Myers::new(&q).distance(&t)
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
    #[cfg(any(test, feature = "testing"))]
    Index,
    /// Skip the voted candidates and certify by pieces of the claim's words (the proof a
    /// large source falls back on), so that tests hold that proof to the minimum.
    #[cfg(any(test, feature = "testing"))]
    Pieces,
    /// Align the whole text: complete on any source, at the cost of a scan per quote
    /// (`--exhaustive`).
    Scan,
}

impl Plan {
    /// Whether the voted candidates are aligned before certification.
    fn votes(self) -> bool {
        match self {
            #[cfg(any(test, feature = "testing"))]
            Plan::Index | Plan::Pieces => false,
            _ => true,
        }
    }
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
    /// Which seed it is, for counting the distinct seeds that gather: its index, or the
    /// piece of a word it stands for (several pieces share their word's index).
    id: usize,
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
    if plan.votes() {
        for &(diag, _) in buckets.iter().take(VOTED_REGIONS) {
            let k = cutoff_after(best, max_d);
            keep_best(&mut best, align_around(x, p, diag, max_d, k));
        }
    }

    // Certify: look for anything better than what the candidates gave.
    let bound = match best {
        Some(Hit { distance: 0, .. }) => return best,
        Some(h) => (h.distance - 1).min(max_d),
        None => max_d,
    };
    keep_best(
        &mut best,
        certify(x, p, index, &toks, &buckets, bound, plan),
    );

    if best.is_none() {
        // Nothing within the threshold: report the closest of the candidate regions.
        for &(diag, _) in buckets.iter().take(VOTED_REGIONS) {
            let k = cutoff_after(best, u32::MAX / 4);
            keep_best(&mut best, align_around(x, p, diag, max_d, k));
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

/// The minimum distance over all passages by trying every one: the reference the tests hold
/// the search to.
#[cfg(any(test, feature = "testing"))]
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
    use crate::text::normalize::normalize;

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
        /// Seed occurrences sorted a chunk at a time, and filtered by the masks of their
        /// buckets, give the windows that sorting them all at once gives; several lists may
        /// share a seed (the words holding one piece), and ids need not be dense.
        #[test]
        fn gatherings_do_not_depend_on_the_chunks(
            lists in proptest::collection::vec(
                proptest::collection::btree_set(0u32..300, 0..40), 1..7),
            need in 1usize..4,
            width in 0i64..12,
            chunk in 1usize..20,
            mask_bytes in 1usize..40,
        ) {
            let lists: Vec<Vec<u32>> = lists.into_iter().map(|l| l.into_iter().collect()).collect();
            // Lists 2j and 2j + 1 are one seed, as the words holding one piece are.
            let seeds: Vec<ClaimToken> = lists
                .iter()
                .enumerate()
                .map(|(i, l)| ClaimToken {
                    index: i / 2 % 3,
                    id: 5 * (i / 2),
                    postings: l,
                })
                .collect();
            // Reference: every occurrence, sorted, with the window of those before it.
            let mut all: Vec<(i64, usize)> = seeds
                .iter()
                .flat_map(|t| t.postings.iter().map(|&p| (p as i64 - t.index as i64, t.id)))
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
                    want.push((window[0].0, d, words.len()));
                }
            }
            let run = Gather { seeds: &seeds, need, width, chunk, mask_bytes };
            let mut got = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
            run.with::<u8>(true, |a, b, n| got[0].push((a, b, n)));
            run.with::<u16>(true, |a, b, n| got[1].push((a, b, n)));
            run.with::<u64>(true, |a, b, n| got[2].push((a, b, n)));
            run.with::<u64>(false, |a, b, n| got[3].push((a, b, n)));
            for got in got {
                proptest::prop_assert_eq!(&got, &want);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// With gaps, aligning only the windows the parts' bounds leave gives what the
        /// programme over the whole region gives.
        #[test]
        fn gapped_windows_give_what_the_whole_region_gives(
            text_words in proptest::collection::vec(0usize..6, 40..400),
            claim_words in proptest::collection::vec(0usize..6, 2..12),
            gap_at in proptest::collection::btree_set(1usize..11, 1..3),
            k in 0u32..8,
        ) {
            let vocab = ["the", "cat", "sat", "on", "mat", "dogs"];
            let words = |ws: &[usize]| ws.iter().map(|&w| vocab[w]).collect::<Vec<_>>().join(" ");
            let text = normalize(&words(&text_words));
            let claim = normalize(&words(&claim_words));
            let starts: Vec<usize> = (0..claim.len())
                .filter(|&i| i == 0 || claim.as_string().as_bytes()[i - 1] == b' ')
                .collect();
            let gaps: Vec<usize> = gap_at
                .iter()
                .filter_map(|&g| starts.get(g).copied())
                .collect();
            proptest::prop_assume!(!gaps.is_empty());
            let Chars::Narrow { codes, .. } = &text.chars else {
                panic!("narrow")
            };
            let x = Txt { norm: &text, t: codes.as_slice() };
            let pattern = Pattern { norm: &claim, gaps: &gaps };
            let p = Pat::new(pattern, |c| text.chars.code(c));
            let n = codes.len();
            let windowed = align_region_with(&x, &p, 0, n, k, |_| true);
            let whole = align_span(&x, &p, 0, n, k, &|_| true);
            proptest::prop_assert_eq!(windowed, whole);
        }
    }

    proptest::proptest! {
        /// Aligning only the regions that hold enough of the claim's q-grams gives what
        /// aligning the whole text gives, passage and all, in narrow and wide text: the claim
        /// with edits planted in text made of words like its own.
        #[test]
        fn the_qgram_filter_keeps_what_the_whole_alignment_finds(
            text_words in proptest::collection::vec(0usize..8, 1..150),
            claim_words in proptest::collection::vec(0usize..8, 2..25),
            at in 0usize..150,
            edits in proptest::collection::vec(
                (0usize..200, proptest::sample::select(b"acehost ".to_vec()), 0u8..3), 0..12),
            k in 0u32..30,
        ) {
            let vocab = ["the", "cat", "sat", "on", "mat", "dogs", "chose", "coast"];
            let words = |ws: &[usize]| ws.iter().map(|&w| vocab[w]).collect::<Vec<_>>().join(" ");
            let claim_text = words(&claim_words);
            let mut planted = claim_text.clone().into_bytes();
            for &(i, c, op) in &edits {
                let i = i % (planted.len() + 1);
                match op {
                    0 if i < planted.len() => planted[i] = c,
                    1 if i < planted.len() => {
                        planted.remove(i);
                    }
                    _ => planted.insert(i, c),
                }
            }
            let at = at.min(text_words.len());
            let text = format!(
                "{} {} {}",
                words(&text_words[..at]),
                String::from_utf8_lossy(&planted),
                words(&text_words[at..])
            );
            let text = normalize(&text);
            let claim = normalize(&claim_text);
            let Chars::Narrow { codes, .. } = &text.chars else {
                panic!("narrow")
            };
            let x = Txt { norm: &text, t: codes.as_slice() };
            let p = Pat::new(Pattern::plain(&claim), |c| text.chars.code(c));
            proptest::prop_assert_eq!(
                scan_filtered(&x, &p, &Index::build(&text), k),
                align_region(&x, &p, 0, codes.len(), k)
            );
            let wide = text.widened();
            let Chars::Wide(chars) = &wide.chars else {
                panic!("wide")
            };
            let x = Txt { norm: &wide, t: chars.as_slice() };
            let p = Pat::new(Pattern::plain(&claim), |c| c);
            proptest::prop_assert_eq!(
                scan_filtered(&x, &p, &Index::build(&wide), k),
                align_region(&x, &p, 0, chars.len(), k)
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// The bit-parallel distance is the textbook one, across block boundaries (claims
        /// of 0 to 200 characters) and for characters outside the first 256.
        #[test]
        fn levenshtein_is_strsims(
            a in "[ab é\u{4e2d}]{0,200}",
            b in "[ab é\u{4e2d}]{0,200}",
        ) {
            proptest::prop_assert_eq!(levenshtein(&a, &b) as usize, strsim::levenshtein(&a, &b));
        }

        /// The exact distance at a passage's end read backwards bit-parallel is the banded
        /// programme's, start included, for every cutoff.
        #[test]
        fn the_distance_at_an_end_is_the_banded_programmes(
            text_words in proptest::collection::vec(0usize..6, 1..120),
            claim_words in proptest::collection::vec(0usize..6, 1..30),
            end_word in 0usize..120,
            from_word in 0usize..120,
            k in 0u32..40,
        ) {
            let vocab = ["the", "cat", "sat", "on", "mat", "dogs"];
            let words = |ws: &[usize]| ws.iter().map(|&w| vocab[w]).collect::<Vec<_>>().join(" ");
            let text = normalize(&words(&text_words));
            let claim = normalize(&words(&claim_words));
            let Chars::Narrow { codes, .. } = &text.chars else {
                panic!("narrow")
            };
            let t = codes.as_slice();
            let p = Pat::new(Pattern::plain(&claim), |c| text.chars.code(c));
            let last = text.token_count() - 1;
            let end = text.token_end(end_word.min(last));
            let lo = text.token_start(from_word.min(end_word.min(last)));
            let odd = |s: usize| s % 2 == 1;
            proptest::prop_assert_eq!(
                align::exact_at_end(t, &p, lo, end, k, &|_| true),
                align::banded_at_end(t, &p.q, lo, end, k, &|_| true)
            );
            proptest::prop_assert_eq!(
                align::exact_at_end(t, &p, lo, end, k, &odd),
                align::banded_at_end(t, &p.q, lo, end, k, &odd)
            );
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
    fn of_two_equally_close_passages_the_earlier_is_reported_whichever_has_more_votes() {
        // Both copies are two edits away. The later one keeps every word of the claim (an
        // inserted word) and leads the vote; the earlier breaks two of them. The earlier must
        // still be the one reported, as aligning the whole text reports it.
        let claim = normalize("alpha bravo charlie delta echo foxtrot golf hotel india juliet");
        let filler = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do ".repeat(30);
        let earlier = "alpha bravx charlie delta echo foxtrot gxlf hotel india juliet";
        let later = "alpha bravo charlie delta echo x foxtrot golf hotel india juliet";
        let text = normalize(&format!("{filler}{earlier} {filler}{later} {filler}"));
        let index = Index::build(&text);
        let scanned = search_with(&text, &index, Pattern::plain(&claim), 20, Plan::Scan);
        let found = search(&text, &index, Pattern::plain(&claim), 20);
        assert_eq!(found.map(|a| a.distance), Some(2));
        assert_eq!(found, scanned);
        let a = found.expect("found");
        assert_eq!(text.token_text(a.first, a.last), earlier);
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
        // Enough cases to meet a passage exactly at the cutoff where a block starts.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        /// Myers' bound at every end equals the free-start dynamic programme, for patterns of
        /// one to several blocks and non-ASCII characters; with a cutoff, wherever it is
        /// within the cutoff, and elsewhere it is above it.
        #[test]
        fn myers_equals_the_free_start_programme(
            q in proptest::collection::vec(proptest::sample::select(vec!['a', 'b', ' ', 'é']), 1..300),
            t in proptest::collection::vec(proptest::sample::select(vec!['a', 'b', ' ', 'é', 'c']), 0..300),
            edits in proptest::collection::vec((0usize..400, proptest::sample::select(vec!['a', 'b', ' ', 'c']), 0u8..3), 0..40),
            k in 0u32..100,
        ) {
            let m = q.len();
            // The claim itself with edits, inside the text, so that passages within the
            // cutoff run through every block.
            let mut t = t;
            let mut inside = q.clone();
            for &(at, c, op) in &edits {
                let at = at % (inside.len() + 1);
                match op {
                    0 if at < inside.len() => inside[at] = c,
                    1 if at < inside.len() => { inside.remove(at); }
                    _ => inside.insert(at, c),
                }
            }
            let half = t.len() / 2;
            t.splice(half..half, inside);
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
            Myers::new(&q).scan(&t, 0, t.len(), u32::MAX, |_, d| got.push(d));
            proptest::prop_assert_eq!(&got, &expected);
            let mut cut = Vec::new();
            Myers::new(&q).scan(&t, 0, t.len(), k, |_, d| cut.push(d));
            for (j, (&d, &e)) in cut.iter().zip(&expected).enumerate() {
                proptest::prop_assert!(if e <= k { d == e } else { d > k }, "end {j}: {d} for {e}, cutoff {k}");
            }
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
