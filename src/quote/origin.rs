//! Where a misquote comes from: the passage that holds most of its content words, since a
//! reworded or rearranged quote keeps its words better than its characters.

use crate::source::corpus::IndexedSource;
use crate::text::lexicon;
use crate::text::normalize::Normalized;

/// Words this common say nothing about where a quote comes from.
const TOO_COMMON: usize = 20_000;

/// The passage (first and last token) with the most distinct content words of `q` within a
/// window of about twice its length, and how many it holds; the shortest, then the earliest,
/// of the best. `None` when no window holds two, or half of those the source has.
pub(super) fn origin(loaded: &IndexedSource, q: &Normalized) -> Option<(usize, usize, usize)> {
    let words = content_words(q);
    let mut hits: Vec<(u32, usize)> = Vec::new();
    let mut present = 0;
    for (id, w) in words.iter().enumerate() {
        let postings = loaded.index.postings(w.chars());
        present += usize::from(!postings.is_empty());
        if postings.len() <= TOO_COMMON {
            hits.extend(postings.iter().map(|&p| (p, id)));
        }
    }
    hits.sort_unstable();
    let width = 2 * q.token_count() as u32 + 4;
    let mut count = vec![0u32; words.len()];
    let (mut from, mut distinct) = (0, 0);
    let mut best: Option<(usize, u32, u32)> = None; // (distinct, first, last)
    for to in 0..hits.len() {
        while hits[to].0 - hits[from].0 > width {
            count[hits[from].1] -= 1;
            distinct -= usize::from(count[hits[from].1] == 0);
            from += 1;
        }
        count[hits[to].1] += 1;
        distinct += usize::from(count[hits[to].1] == 1);
        let span = hits[to].0 - hits[from].0;
        let better = best.is_none_or(|(d, f, l)| distinct > d || (distinct == d && span < l - f));
        if better {
            best = Some((distinct, hits[from].0, hits[to].0));
        }
    }
    let (distinct, first, last) = best?;
    if distinct < 2 || distinct * 2 < present {
        return None;
    }
    // As long as the quote, where the content words span less.
    let (first, last) = (first as usize, last as usize);
    let short = q.token_count().saturating_sub(last - first + 1);
    let first = first.saturating_sub(short / 2);
    let last = (last + short - short / 2).min(loaded.doc.norm.token_count().saturating_sub(1));
    Some((first, last, distinct))
}

/// How many distinct content words of `q` tokens `first..=last` hold.
pub(super) fn shared(loaded: &IndexedSource, q: &Normalized, first: usize, last: usize) -> usize {
    let mut have = loaded.doc.norm.words_in(first..last + 1);
    have.sort();
    content_words(q)
        .iter()
        .filter(|w| have.binary_search(w).is_ok())
        .count()
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
