//! Where a misquote comes from: the passage that holds most of its content words, since a
//! reworded or rearranged quote keeps its words better than its characters.

use crate::source::corpus::IndexedSource;
use crate::text::lexicon;
use crate::text::normalize::Normalized;

/// Words this common say nothing about where a quote comes from.
const TOO_COMMON: usize = 20_000;

/// The passage (first and last token) with the most distinct content words of `q` within a
/// window of about twice its length (the shortest, then the earliest, of the best), widened
/// by half the quote on each side. `None` when no window holds two, or half of those the
/// source has.
pub(super) fn origin(loaded: &IndexedSource, q: &Normalized) -> Option<(usize, usize)> {
    let words = content_words(q);
    // (token, content word) packed so that they sort as pairs; each list is one ascending
    // run, which a merging sort joins in n·log(runs) rather than sorting afresh.
    let mut hits: Vec<u64> = Vec::new();
    let mut present = 0;
    for (id, w) in words.iter().enumerate() {
        let mut found = false;
        for form in std::iter::once(w.clone()).chain(lexicon::forms(w)) {
            let postings = loaded.index.postings(form.chars());
            found |= !postings.is_empty();
            if postings.len() <= TOO_COMMON {
                hits.extend(postings.iter().map(|&p| (u64::from(p) << 32) | id as u64));
            }
        }
        present += usize::from(found);
    }
    hits.sort();
    let at = |h: u64| (h >> 32) as u32;
    let word = |h: u64| (h & u64::from(u32::MAX)) as usize;
    let width = 2 * q.token_count() as u32 + 4;
    let mut count = vec![0u32; words.len()];
    let (mut from, mut distinct) = (0, 0);
    let mut best: Option<(usize, u32, u32)> = None; // (distinct, first, last)
    for to in 0..hits.len() {
        while at(hits[to]) - at(hits[from]) > width {
            count[word(hits[from])] -= 1;
            distinct -= usize::from(count[word(hits[from])] == 0);
            from += 1;
        }
        count[word(hits[to])] += 1;
        distinct += usize::from(count[word(hits[to])] == 1);
        let span = at(hits[to]) - at(hits[from]);
        let better = best.is_none_or(|(d, f, l)| distinct > d || (distinct == d && span < l - f));
        if better {
            best = Some((distinct, at(hits[from]), at(hits[to])));
        }
    }
    let (distinct, first, last) = best?;
    if distinct < 2 || distinct * 2 < present {
        return None;
    }
    // Widened, for the stop words around the content words.
    Some(widened(loaded, q, first as usize, last as usize))
}

/// Tokens `first..=last` widened by half the quote on each side: room for the words of the
/// quote a passage found by some of them lacks.
pub(super) fn widened(
    loaded: &IndexedSource,
    q: &Normalized,
    first: usize,
    last: usize,
) -> (usize, usize) {
    let pad = q.token_count() / 2 + 1;
    let end = loaded.doc.norm.token_count().saturating_sub(1);
    (first.saturating_sub(pad), last.saturating_add(pad).min(end))
}

/// The words of quote and passage that agree, kept in order: the longest common
/// subsequence of their words, a respelled inflection ("giveth"/"gave") agreeing with its
/// base, and the first and last passage tokens of it, reaching as far as the quote does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Agreement {
    pub kept: usize,
    pub first: usize,
    pub last: usize,
}

/// Quote and passage words beyond which agreement is not worth its quadratic cost.
const AGREEMENT_CELLS: usize = 1 << 20;

/// How the words of `q` agree with tokens `first..=last`; `None` when none do.
pub(super) fn agreement(
    loaded: &IndexedSource,
    q: &Normalized,
    first: usize,
    last: usize,
) -> Option<Agreement> {
    let quote: Vec<String> = q.words().iter().map(|w| lexicon::stem(w)).collect();
    let passage: Vec<String> = loaded
        .doc
        .norm
        .words_in(first..last + 1)
        .iter()
        .map(|w| lexicon::stem(w))
        .collect();
    let (n, m) = (quote.len(), passage.len());
    if n == 0 || m == 0 || n.saturating_mul(m) > AGREEMENT_CELLS {
        return None;
    }
    // table[i][j]: agreement of the first i quote words with the first j passage words.
    let mut table = vec![0usize; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in 1..=n {
        for j in 1..=m {
            table[at(i, j)] = if quote[i - 1] == passage[j - 1] {
                table[at(i - 1, j - 1)] + 1
            } else {
                table[at(i - 1, j)].max(table[at(i, j - 1)])
            };
        }
    }
    let kept = table[at(n, m)];
    if kept == 0 {
        return None;
    }
    // Walk back for the passage words used: the last is where the row first reaches `kept`
    // in the last quote row, the first where a match starts the chain.
    let (mut i, mut j) = (n, m);
    // (quote word, passage word) of the first and last pair that agree.
    let (mut lo, mut hi) = (None, None);
    while i > 0 && j > 0 {
        if quote[i - 1] == passage[j - 1] && table[at(i, j)] == table[at(i - 1, j - 1)] + 1 {
            hi.get_or_insert((i - 1, j - 1));
            lo = Some((i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if table[at(i - 1, j)] >= table[at(i, j - 1)] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    let ((q_lo, p_lo), (q_hi, p_hi)) = (lo?, hi?);
    // As many passage words again as the quote has beyond the ends that agree: the words it
    // changed there ("notice" for "observe").
    Some(Agreement {
        kept,
        first: first + p_lo - q_lo.min(p_lo),
        last: first + p_hi + (n - 1 - q_hi).min(m - 1 - p_hi),
    })
}

/// How many of the words of `q` tokens `first..=last` keep in order: how much of the quote
/// the passage explains.
pub(super) fn kept(loaded: &IndexedSource, q: &Normalized, first: usize, last: usize) -> usize {
    agreement(loaded, q, first, last).map_or(0, |a| a.kept)
}

/// A recognizable misquotation of a passage: the quote keeps, in order, at least two thirds
/// of the words between the first and last it keeps, and three quarters of its own words,
/// four at least. "Judge not, lest ye be judged" keeps 5 of the 7 of "Judge not, that ye be
/// not judged" and 5 of its 6; "Pride goeth before a fall" keeps 5 of the 12 of Proverbs
/// 16:18, a proverb made of the verse rather than a misremembered quote of it.
pub(super) fn misremembers(a: Agreement, quote_words: usize) -> bool {
    let span = a.last - a.first + 1;
    a.kept >= 4 && 3 * a.kept >= 2 * span && 4 * a.kept >= 3 * quote_words
}

/// The distinct words of `q` that are no stop words, sorted.
fn content_words(q: &Normalized) -> Vec<String> {
    let mut words: Vec<String> = q
        .words()
        .into_iter()
        .filter(|w| !lexicon::is_stop(w))
        .collect();
    words.sort();
    words.dedup();
    words
}
