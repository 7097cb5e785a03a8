//! Where a misquote comes from: the passage that holds most of its content words, since a
//! reworded or rearranged quote keeps its words better than its characters.

use crate::matcher;
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
    // Each content word's occurrences, its forms' with them, ascending.
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
    let mut present = 0;
    for (list, w) in lists.iter_mut().zip(&words) {
        let mut found = false;
        for form in std::iter::once(w.clone()).chain(lexicon::forms(w)) {
            let postings = loaded.index.postings(form.chars());
            found |= !postings.is_empty();
            if postings.len() <= TOO_COMMON {
                list.extend_from_slice(postings);
            }
        }
        // A few ascending runs (a word's and its forms'): a merging sort joins them.
        list.sort();
        present += usize::from(found);
    }
    let width = 2 * q.token_count() as u32 + 4;
    // A passage with fewer than half the words the source has (or two) says nothing.
    let (_, first, last) = best_window(&lists, width, present.div_ceil(2).max(2))?;
    // Widened, for the stop words around the content words.
    Some(widened(loaded, q, first as usize, last as usize))
}

/// The window of at most `width` tokens holding occurrences of the most distinct lists (the
/// shortest, then the earliest, of the best): `(lists, first, last)`, if it holds `least`
/// at least.
///
/// The windows around the rarest list's occurrences give a count `d0` that the best reaches,
/// so the best is among the windows where `d0` lists (and `least`) gather. Those are found
/// by [`matcher::gatherings_of_lists`], which sorts only the occurrences in stretches
/// holding that many lists: the words of a made-up quote come from all over a book, and
/// most of its windows hold few of them.
fn best_window(lists: &[Vec<u32>], width: u32, least: usize) -> Option<(usize, u32, u32)> {
    let rarest = (0..lists.len())
        .filter(|&i| !lists[i].is_empty())
        .min_by_key(|&i| (lists[i].len(), i))?;
    let (d0, ..) = windows(lists, &around(&lists[rarest], width), width)?;
    let mut best = None;
    matcher::gatherings_of_lists(lists, d0.max(least), width, |first, end, distinct| {
        keep_better(&mut best, (distinct, first, end));
    });
    best
}

/// Keeps `window` (lists, first, last) if it holds more lists than `best`, or as many in
/// fewer tokens: windows come in ascending order, so the earliest of equals stays.
fn keep_better(best: &mut Option<(usize, u32, u32)>, window: (usize, u32, u32)) {
    let (distinct, first, last) = window;
    let span = last - first;
    if best.is_none_or(|(d, f, l)| distinct > d || (distinct == d && span < l - f)) {
        *best = Some(window);
    }
}

/// The ranges of window ends that a window holding one of `at` (ascending) can have,
/// `[p, p + width]`, merged.
fn around(at: &[u32], width: u32) -> Vec<(u32, u32)> {
    let mut ends: Vec<(u32, u32)> = Vec::new();
    for &p in at {
        let (a, b) = (p, p.saturating_add(width));
        match ends.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => ends.push((a, b)),
        }
    }
    ends
}

/// [`best_window`] among the windows whose last occurrence lies in one of `ends` (ascending,
/// disjoint): each is read with every occurrence up to `width` before it, so each such
/// window is whole, as a scan of the whole text would see it.
fn windows(lists: &[Vec<u32>], ends: &[(u32, u32)], width: u32) -> Option<(usize, u32, u32)> {
    // (token, list) packed so that they sort as pairs.
    let pack = |p: u32, id: usize| (u64::from(p) << 32) | id as u64;
    let at = |h: u64| (h >> 32) as u32;
    let list = |h: u64| (h & u64::from(u32::MAX)) as usize;
    let mut best: Option<(usize, u32, u32)> = None;
    let mut count = vec![0u32; lists.len()];
    let mut hits: Vec<u64> = Vec::new();
    // Ranges whose reading overlaps are read together, so that no occurrence is read twice.
    let mut k = 0;
    while k < ends.len() {
        let lo = ends[k].0.saturating_sub(width);
        let mut j = k;
        while j + 1 < ends.len() && ends[j + 1].0.saturating_sub(width) <= ends[j].1 {
            j += 1;
        }
        let hi = ends[j].1;
        hits.clear();
        for (id, l) in lists.iter().enumerate() {
            let a = l.partition_point(|&p| p < lo);
            let b = l.partition_point(|&p| p <= hi);
            hits.extend(l[a..b].iter().map(|&p| pack(p, id)));
        }
        // One ascending run per list: a merging sort joins them in n·log(runs).
        hits.sort();
        let mut range = k;
        matcher::slide(
            &hits,
            &mut count,
            width,
            at,
            list,
            |first, end, distinct| {
                while range <= j && ends[range].1 < end {
                    range += 1;
                }
                if range > j || end < ends[range].0 {
                    return;
                }
                keep_better(&mut best, (distinct, first, end));
            },
        );
        k = j + 1;
    }
    best
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
    let quote_words = q.words();
    let passage_words = loaded.doc.norm.words_in(first..last + 1);
    let (n, m) = (quote_words.len(), passage_words.len());
    if n == 0 || m == 0 || n.saturating_mul(m) > AGREEMENT_CELLS {
        return None;
    }
    let mut stems = Stems::default();
    let quote: Vec<u32> = quote_words.iter().map(|w| stems.number(w)).collect();
    let passage: Vec<u32> = passage_words.iter().map(|w| stems.number(w)).collect();
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

/// Words as the numbers of their stems: each distinct word is stemmed once (a passage
/// repeats its words, and stemming is most of what agreement costs), and the table compares
/// numbers rather than strings.
#[derive(Default)]
struct Stems<'w> {
    by_word: rustc_hash::FxHashMap<&'w str, u32>,
    by_stem: rustc_hash::FxHashMap<String, u32>,
}

impl<'w> Stems<'w> {
    fn number(&mut self, word: &'w str) -> u32 {
        if let Some(&n) = self.by_word.get(word) {
            return n;
        }
        let next = self.by_stem.len() as u32;
        let n = *self.by_stem.entry(lexicon::stem(word)).or_insert(next);
        self.by_word.insert(word, n);
        n
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole text scanned, window by window: what [`best_window`] must agree with.
    fn reference(lists: &[Vec<u32>], width: u32) -> Option<(usize, u32, u32)> {
        let mut hits: Vec<(u32, usize)> = lists
            .iter()
            .enumerate()
            .flat_map(|(id, l)| l.iter().map(move |&p| (p, id)))
            .collect();
        hits.sort_unstable();
        let mut count = vec![0u32; lists.len()];
        let (mut from, mut distinct) = (0, 0);
        let mut best: Option<(usize, u32, u32)> = None;
        for to in 0..hits.len() {
            while hits[to].0 - hits[from].0 > width {
                count[hits[from].1] -= 1;
                distinct -= usize::from(count[hits[from].1] == 0);
                from += 1;
            }
            count[hits[to].1] += 1;
            distinct += usize::from(count[hits[to].1] == 1);
            let span = hits[to].0 - hits[from].0;
            if best.is_none_or(|(d, f, l)| distinct > d || (distinct == d && span < l - f)) {
                best = Some((distinct, hits[from].0, hits[to].0));
            }
        }
        best
    }

    #[test]
    fn the_best_window_is_the_one_a_whole_scan_finds() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for case in 0..3000 {
            // Every tenth case with many long lists, as a long quote in a large text has.
            let long = case % 10 == 0;
            let words = 1 + next(if long { 40 } else { 8 }) as usize;
            let text = 50 + next(if long { 300_000 } else { 3000 }) as u32;
            let width = 1 + next(40) as u32;
            let least = next(5) as usize;
            let lists: Vec<Vec<u32>> = (0..words)
                .map(|w| {
                    // Some lists rare, some common, some absent.
                    let n = match (w + case) % 4 {
                        0 => 0,
                        1 => next(4),
                        2 => next(30),
                        _ if long => next(4000),
                        _ => next(400),
                    };
                    let mut l: Vec<u32> = (0..n).map(|_| next(u64::from(text)) as u32).collect();
                    l.sort_unstable();
                    l.dedup();
                    l
                })
                .collect();
            let want = reference(&lists, width).filter(|&(d, ..)| d >= least);
            assert_eq!(
                best_window(&lists, width, least),
                want,
                "case {case}: width {width}, at least {least}, {lists:?}"
            );
        }
    }
}
