//! Candidate places for a claim: its rarest words first, their votes for diagonals, and the
//! places where several of them gather.

use super::*;

/// The words of `words` with their occurrences in the text, rarest first: they make the
/// fewest, most telling candidates.
pub(super) fn rarest_first<'a>(index: &'a Index, words: &Normalized) -> Vec<ClaimToken<'a>> {
    let mut toks: Vec<ClaimToken> = (0..words.token_count())
        .map(|i| ClaimToken {
            index: i,
            id: i,
            postings: index.postings(words.token_chars(i)),
        })
        .collect();
    toks.sort_by_key(|t| (t.postings.len(), t.index));
    toks
}

/// Candidate diagonals (the text token where the claim would start), most votes first.
pub(super) fn vote(toks: &[ClaimToken], k: usize) -> Vec<(i64, u32)> {
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
    /// Seed occurrences of one chunk of diagonals, and room to sort them, kept between claims.
    static HITS: std::cell::RefCell<(Vec<u64>, Vec<u64>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// Sorts seed occurrences, each with a diagonal at least `base` and below `base + span`
/// and a word below `words`, as `sort` would. Radix sort, at most 11 bits a pass: a chunk
/// holds one ascending run per seed word, and pieces of words common in a large text make
/// hundreds of runs, which a merging sort merges a level at a time.
fn sort_packed(hits: &mut Vec<u64>, scratch: &mut Vec<u64>, base: i64, span: u64, words: usize) {
    const MOST: u32 = 11;
    if hits.len() < 1 << MOST {
        hits.sort_unstable();
        return;
    }
    let bits = |n: u64| u64::BITS - n.saturating_sub(1).leading_zeros();
    let word_bits = bits(words as u64);
    let total = bits(span) + word_bits;
    let passes = total.div_ceil(MOST).max(1);
    let width = total.div_ceil(passes);
    // The diagonal above `base`, then the word: the order of the packed values.
    let key = |h: u64| ((diagonal(h) - base) as u64) << word_bits | word(h) as u64;
    scratch.clear();
    scratch.resize(hits.len(), 0);
    for pass in 0..passes {
        let digit = |h: u64| ((key(h) >> (pass * width)) & ((1 << width) - 1)) as usize;
        let mut next = [0usize; 1 << MOST];
        for &h in hits.iter() {
            next[digit(h)] += 1;
        }
        let mut at = 0;
        for n in next.iter_mut() {
            (*n, at) = (at, at + *n);
        }
        // `next[d]` stays below the count of digits up to `d`, at most `hits.len()`.
        for &h in hits.iter() {
            let d = digit(h);
            scratch[next[d]] = h;
            next[d] += 1;
        }
        std::mem::swap(hits, scratch);
    }
}

/// Seed occurrences sorted at a time: common words occur millions of times in a large source,
/// and a chunk this size sorts in cache.
pub(super) const CHUNK: usize = 1 << 16;

/// Calls `found(from, to)`, in ascending order, with the first and last diagonal of every
/// window of at most `width` diagonals that holds occurrences of at least `need` distinct
/// seeds (their ids below `words`), one call per occurrence ending such a window.
pub(super) fn gatherings(
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
    HITS.with_borrow_mut(|(hits, scratch)| {
        let mut count = vec![0u32; words];
        for c in 0..chunks {
            // Windows ending in `d0..d0 + step`, so occurrences from `width` before it.
            let d0 = lo + c * step;
            hits.clear();
            for t in seeds {
                let a = t.postings.partition_point(|&p| diag(t, p) < d0 - width);
                let b = t.postings.partition_point(|&p| diag(t, p) < d0 + step);
                // (diagonal, claim word) packed in 8 bytes, so that they sort as pairs.
                hits.extend(t.postings[a..b].iter().map(|&p| pack(diag(t, p), t.id)));
            }
            sort_packed(hits, scratch, d0 - width, (width + step) as u64, words);
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
pub(super) const WORD_BITS: u32 = 24;

/// A seed occurrence: its diagonal (at least minus the claim's length) and its claim word.
pub(super) fn pack(diagonal: i64, word: usize) -> u64 {
    (((diagonal + (1 << WORD_BITS)) as u64) << WORD_BITS) | word as u64
}

pub(super) fn diagonal(packed: u64) -> i64 {
    (packed >> WORD_BITS) as i64 - (1 << WORD_BITS)
}

pub(super) fn word(packed: u64) -> usize {
    (packed & ((1 << WORD_BITS) - 1)) as usize
}

/// Voted regions aligned first.
pub(super) const VOTED_REGIONS: usize = 4;

/// Characters `lo..hi` spanning text tokens `first..=last` (clamped to the text).
pub(super) fn token_span(text: &Normalized, first: i64, last: i64) -> (usize, usize) {
    let n = text.token_count() as i64;
    let first = first.clamp(0, n - 1) as usize;
    let last = last.clamp(0, n - 1) as usize;
    (text.token_start(first), text.token_end(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The radix sort gives what `sort` gives, over spans and word counts that take one
        /// to several passes of uneven width.
        #[test]
        fn seed_occurrences_sort_as_sort_sorts_them(
            base in -1000i64..1000,
            span_bits in 1u32..30,
            words in 1usize..5000,
            picks in proptest::collection::vec((0u64..u64::MAX, 0usize..usize::MAX), 2048..5000),
        ) {
            let span = 1u64 << span_bits;
            let mut hits: Vec<u64> = picks
                .iter()
                .map(|&(d, w)| pack(base + (d % span) as i64, w % words))
                .collect();
            let mut want = hits.clone();
            want.sort();
            sort_packed(&mut hits, &mut Vec::new(), base, span, words);
            proptest::prop_assert_eq!(hits, want);
        }
    }
}
