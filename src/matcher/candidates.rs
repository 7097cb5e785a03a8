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

/// A bucket's votes: the distinct claim words that gather in it, then their occurrences.
/// A word repeated nearby in the text (a list of "the family of the ..." lines) says no more
/// about where the claim is than one, so distinct words come first; among buckets that hold
/// as many, the one where the claim's own repeated words ("as I am; for I am as") recur is
/// likelier its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Votes {
    pub(super) distinct: u32,
    pub(super) occurrences: u32,
}

/// Candidate diagonals (the text token where the claim would start), most votes first.
pub(super) fn vote(toks: &[ClaimToken], k: usize) -> Vec<(i64, Votes)> {
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
    // pass over the buckets (cheaper than hashing when the lists are long). A diagonal
    // carries its voter in its low bits, for the distinct ones.
    const VOTER_BITS: u32 = 3;
    let mut diags: Vec<i64> = voters
        .iter()
        .enumerate()
        .flat_map(|(v, t)| {
            t.postings
                .iter()
                .map(move |&p| ((p as i64 - t.index as i64) << VOTER_BITS) | v as i64)
        })
        .collect();
    diags.sort();
    // (least diagonal, votes) per bucket of `width` diagonals.
    let mut out: Vec<(i64, Votes)> = Vec::new();
    let mut current = None;
    let mut seen = 0u8;
    for packed in diags {
        let (d, voter) = (packed >> VOTER_BITS, packed & ((1 << VOTER_BITS) - 1));
        let bucket = d.div_euclid(width);
        match out.last_mut() {
            Some((_, votes)) if current == Some(bucket) => {
                seen |= 1 << voter;
                votes.distinct = seen.count_ones();
                votes.occurrences += 1;
            }
            _ => {
                let first = Votes {
                    distinct: 1,
                    occurrences: 1,
                };
                out.push((d, first));
                current = Some(bucket);
                seen = 1 << voter;
            }
        }
    }
    // Only the best few are ever looked at.
    let order = |a: &(i64, Votes), b: &(i64, Votes)| {
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
    /// Seed occurrences of one chunk of diagonals, room to sort them, and the chunk's bucket
    /// masks, kept between claims.
    static HITS: std::cell::RefCell<Scratch> = const {
        std::cell::RefCell::new(Scratch {
            hits: Vec::new(),
            sorted: Vec::new(),
            masks8: Vec::new(),
            masks16: Vec::new(),
            masks64: Vec::new(),
        })
    };
}

pub(super) struct Scratch {
    hits: Vec<u64>,
    sorted: Vec<u64>,
    masks8: Vec<u8>,
    masks16: Vec<u16>,
    masks64: Vec<u64>,
}

/// The seeds occurring in a bucket of diagonals, one bit each: the narrowest type that holds
/// them all, so that a chunk's masks stay in the first-level cache.
pub(super) trait Mask: Copy + Default + std::ops::BitOr<Output = Self> {
    const BITS: usize;
    fn bit(seed: usize) -> Self;
    fn count(self) -> usize;
    fn masks(scratch: &mut Scratch) -> &mut Vec<Self>;
}

macro_rules! mask {
    ($t:ty, $field:ident) => {
        impl Mask for $t {
            const BITS: usize = <$t>::BITS as usize;
            fn bit(seed: usize) -> $t {
                1 << seed
            }
            fn count(self) -> usize {
                self.to_le_bytes()
                    .iter()
                    .map(|&b| usize::from(ONES[usize::from(b)]))
                    .sum()
            }
            fn masks(scratch: &mut Scratch) -> &mut Vec<$t> {
                &mut scratch.$field
            }
        }
    };
}
/// The bits set in each byte: `count_ones` without the processor's instruction (which the
/// baseline x86-64 target lacks) takes a dozen, and a chunk counts a pair of masks per
/// occurrence.
const ONES: [u8; 256] = {
    let mut ones = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        ones[b] = (b as u8).count_ones() as u8;
        b += 1;
    }
    ones
};

mask!(u8, masks8);
mask!(u16, masks16);
mask!(u64, masks64);

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

/// Bits needed to tell `n` values apart.
fn bits(n: u64) -> u32 {
    u64::BITS - n.saturating_sub(1).leading_zeros()
}

/// Seed occurrences sorted at a time: common words occur millions of times in a large source,
/// and a chunk this size sorts in cache.
pub(super) const CHUNK: usize = 1 << 16;

/// Bytes a chunk's bucket masks take at most: the first-level cache's share.
pub(super) const MASK_BYTES: usize = 1 << 15;

/// Calls `found(from, to, distinct)`, in ascending order, with the first and last diagonal of
/// every window of at most `width` diagonals that holds occurrences of `distinct` seeds (by
/// their ids), at least `need`, one call per occurrence ending such a window.
///
/// Most occurrences of common seeds gather with nothing, and sorting them is what costs. So
/// the diagonals are cut into buckets at least `width` wide, so that a window's `width + 1`
/// diagonals lie in at most two adjacent ones, and each bucket gets the mask of the seeds
/// occurring in it: only the occurrences in a pair of buckets whose masks hold `need` seeds
/// between them can belong to a window, and only those are sorted. The windows are those all
/// occurrences give, since each window's occurrences are all kept.
pub(super) fn gatherings(
    seeds: &[ClaimToken],
    need: usize,
    width: i64,
    chunk: usize,
    found: impl FnMut(i64, i64, usize),
) {
    let words = seed_ids(seeds).len();
    let run = Gather {
        seeds,
        need,
        width,
        chunk,
        mask_bytes: MASK_BYTES,
    };
    match words {
        0..=8 => run.with::<u8>(true, found),
        9..=16 => run.with::<u16>(true, found),
        17..=64 => run.with::<u64>(true, found),
        _ => run.with::<u64>(false, found),
    }
}

/// [`gatherings`] of lists of places (ascending), each list a seed whose diagonal is the
/// place itself: the windows of at most `width` places where `need` of the lists meet
/// (none for 2^24 lists or more).
pub(crate) fn gatherings_of_lists(
    lists: &[Vec<u32>],
    need: usize,
    width: u32,
    mut found: impl FnMut(u32, u32, usize),
) {
    if lists.len() >= 1 << WORD_BITS {
        // More lists than an occurrence can name: such a quote (16 million distinct
        // words, past any sensible `claim_length`) gets no origin.
        return;
    }
    let seeds: Vec<ClaimToken> = lists
        .iter()
        .enumerate()
        .map(|(id, postings)| ClaimToken {
            index: 0,
            id,
            postings,
        })
        .collect();
    // Diagonals are places here, so they fit in a `u32`.
    let place = |d: i64| u32::try_from(d).unwrap_or(u32::MAX);
    gatherings(
        &seeds,
        need,
        i64::from(width),
        CHUNK,
        |from, to, distinct| found(place(from), place(to), distinct),
    );
}

/// The distinct ids of `seeds`, ascending.
fn seed_ids(seeds: &[ClaimToken]) -> Vec<usize> {
    let mut ids: Vec<usize> = seeds.iter().map(|t| t.id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// One search for gatherings ([`gatherings`]), with the sizes that bound its chunks.
pub(super) struct Gather<'s, 'a> {
    pub seeds: &'s [ClaimToken<'a>],
    pub need: usize,
    pub width: i64,
    /// Occurrences a chunk holds, on average.
    pub chunk: usize,
    /// Bytes a chunk's masks take at most.
    pub mask_bytes: usize,
}

impl Gather<'_, '_> {
    /// The gatherings, with masks of type `M` when `filter` (which must then hold a bit per
    /// seed) and without, sorting every occurrence, when not.
    pub(super) fn with<M: Mask>(&self, filter: bool, mut found: impl FnMut(i64, i64, usize)) {
        let Gather {
            seeds,
            need,
            width,
            chunk,
            mask_bytes,
        } = *self;
        let diag = |t: &ClaimToken, p: u32| p as i64 - t.index as i64;
        let ends = |pick: fn(&[u32]) -> Option<&u32>| {
            seeds
                .iter()
                .filter_map(move |t| pick(t.postings).map(|&p| diag(t, p)))
        };
        let (Some(lo), Some(hi)) = (ends(<[u32]>::first).min(), ends(<[u32]>::last).max()) else {
            return;
        };
        // The seeds' ids numbered from 0 without holes: what masks and counts are indexed by.
        let ids = seed_ids(seeds);
        let words = ids.len();
        let filter = filter && words <= M::BITS;
        let dense: Vec<usize> = seeds
            .iter()
            .map(|t| ids.partition_point(|&i| i < t.id))
            .collect();
        let shift = bits(width.max(0) as u64);
        let bucket = 1i64 << shift;
        let total: usize = seeds.iter().map(|t| t.postings.len()).sum();
        let chunks = total.div_ceil(chunk.max(1)) as i64;
        let mut step = (hi - lo + chunks) / chunks;
        if filter {
            // Whole buckets, and no more of them than fit in cache.
            let most = (mask_bytes / std::mem::size_of::<M>()).max(1) as i64;
            step = ((step + bucket - 1) / bucket).clamp(1, most) * bucket;
        }
        // Occurrences read per chunk start this far before it: the windows ending in the
        // chunk reach back `width`, and with the filter, the bucket before it holds them.
        let before = if filter { bucket } else { width };
        HITS.with_borrow_mut(|scratch| {
            let mut masks = std::mem::take(M::masks(scratch));
            let Scratch { hits, sorted, .. } = scratch;
            let mut count = vec![0u32; words];
            // Per seed, its first occurrence not yet behind the chunk read, and the end of
            // the chunk's.
            let mut cursor = vec![0usize; seeds.len()];
            let mut end = vec![0usize; seeds.len()];
            let mut d0 = lo;
            while d0 <= hi {
                // Windows ending in `d0..d0 + step`, so occurrences from `before` it.
                let first = d0 - before;
                hits.clear();
                let mut next = i64::MAX;
                for (t, cur) in seeds.iter().zip(cursor.iter_mut()) {
                    *cur = gallop(t.postings, *cur, |p| diag(t, p) < first);
                    if let Some(&p) = t.postings.get(*cur) {
                        next = next.min(diag(t, p));
                    }
                }
                if next >= d0 + step {
                    // Nothing is read here: on to the chunk of the next occurrence, if any.
                    if next == i64::MAX {
                        break;
                    }
                    d0 = lo + (next - lo) / step * step;
                    continue;
                }
                for ((t, &cur), e) in seeds.iter().zip(&cursor).zip(end.iter_mut()) {
                    *e = gallop(t.postings, cur, |p| diag(t, p) < d0 + step);
                }
                let chunk_of = |k: usize| {
                    let t = &seeds[k];
                    t.postings.get(cursor[k]..end[k]).unwrap_or_default()
                };
                if filter {
                    // Bucket `i` holds diagonals `first + i·bucket ..`; the last ends the chunk.
                    let at = |t: &ClaimToken, p: u32| ((diag(t, p) - first) >> shift) as usize;
                    // All zero between chunks: each chunk clears the masks it set.
                    let buckets = (step >> shift) as usize + 1;
                    if masks.len() < buckets {
                        masks.resize(buckets, M::default());
                    }
                    for (k, t) in seeds.iter().enumerate() {
                        let bit = M::bit(dense[k]);
                        for &p in chunk_of(k) {
                            if let Some(m) = masks.get_mut(at(t, p)) {
                                *m = *m | bit;
                            }
                        }
                    }
                    let pair = |a: Option<&M>, b: Option<&M>| {
                        matches!((a, b), (Some(&a), Some(&b)) if (a | b).count() >= need)
                    };
                    for (k, t) in seeds.iter().enumerate() {
                        for &p in chunk_of(k) {
                            let i = at(t, p);
                            let here = masks.get(i);
                            let before = i.checked_sub(1).and_then(|j| masks.get(j));
                            if pair(before, here) || pair(here, masks.get(i + 1)) {
                                hits.push(pack(diag(t, p), dense[k]));
                            }
                        }
                    }
                    for (k, t) in seeds.iter().enumerate() {
                        for &p in chunk_of(k) {
                            if let Some(m) = masks.get_mut(at(t, p)) {
                                *m = M::default();
                            }
                        }
                    }
                } else {
                    for (k, t) in seeds.iter().enumerate() {
                        // (diagonal, seed) packed in 8 bytes, so that they sort as pairs.
                        hits.extend(chunk_of(k).iter().map(|&p| pack(diag(t, p), dense[k])));
                    }
                }
                sort_packed(hits, sorted, first, (before + step) as u64, words);
                slide(hits, &mut count, width, diagonal, word, |from, to, distinct| {
                    if distinct >= need && to >= d0 {
                        found(from, to, distinct);
                    }
                });
                d0 += step;
            }
            *M::masks(scratch) = masks;
        });
    }
}

/// Calls `each(first, last, distinct)` for every element of `hits` (ascending by `at`), with
/// the widest window ending there that spans at most `width`: its first and last place and
/// how many distinct ids it holds. `count` (one slot per id) is scratch.
pub(crate) fn slide<T: Copy + std::ops::Sub<Output = T> + PartialOrd>(
    hits: &[u64],
    count: &mut [u32],
    width: T,
    at: impl Fn(u64) -> T,
    id: impl Fn(u64) -> usize,
    mut each: impl FnMut(T, T, usize),
) {
    count.fill(0);
    let (mut from, mut distinct) = (0, 0);
    for &h in hits {
        // `from` stays at or before this element, whose own distance is 0.
        while let Some(&f) = hits.get(from)
            && at(h) - at(f) > width
        {
            if let Some(c) = count.get_mut(id(f)) {
                *c -= 1;
                distinct -= usize::from(*c == 0);
            }
            from += 1;
        }
        if let Some(c) = count.get_mut(id(h)) {
            *c += 1;
            distinct += usize::from(*c == 1);
        }
        if let Some(&f) = hits.get(from) {
            each(at(f), at(h), distinct);
        }
    }
}

/// The first position at or after `from` in `list` where `before` fails (`before` holds for
/// a prefix of the list), found by doubling steps from `from`: chunks read a list in short
/// steps, and a binary search over all the rest of a long list misses the cache each time.
fn gallop(list: &[u32], from: usize, before: impl Fn(u32) -> bool) -> usize {
    let rest = list.get(from..).unwrap_or_default();
    let mut reach = 1;
    while reach < rest.len() && rest.get(reach - 1).is_some_and(|&p| before(p)) {
        reach *= 2;
    }
    let (head, _) = rest.split_at(reach.min(rest.len()));
    from + head.partition_point(|&p| before(p))
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

    #[test]
    fn of_buckets_with_as_many_distinct_words_the_one_with_more_occurrences_leads() {
        // Both places hold the claim's two words; the later holds one of them twice, as a
        // passage does where the claim repeats a word. It leads, though it comes later.
        let a = [100, 500];
        let b = [101, 501, 502];
        let toks = [
            ClaimToken {
                index: 0,
                id: 0,
                postings: &a,
            },
            ClaimToken {
                index: 1,
                id: 1,
                postings: &b,
            },
        ];
        let buckets = vote(&toks, 2);
        let votes = |distinct, occurrences| Votes {
            distinct,
            occurrences,
        };
        assert_eq!(buckets[..2], [(500, votes(2, 3)), (100, votes(2, 2))]);
    }

    #[test]
    fn a_bucket_counts_the_distinct_words_that_gather_there() {
        // A list repeats two of the claim's words ("the family of the ..." lines): each of
        // its buckets holds "family" once and "of" three times. The passage holds a third,
        // rarer word with them, and leads, however early and often the list repeats.
        let mut family: Vec<u32> = (1..=50).map(|i| i * 30 + 1).collect();
        let mut of: Vec<u32> = family.iter().flat_map(|&p| [p + 1, p + 2, p + 3]).collect();
        family.push(1001);
        of.push(1002);
        let rare = [1000];
        let toks = [
            ClaimToken {
                index: 0,
                id: 0,
                postings: &rare,
            },
            ClaimToken {
                index: 1,
                id: 1,
                postings: &family,
            },
            ClaimToken {
                index: 2,
                id: 2,
                postings: &of,
            },
        ];
        let buckets = vote(&toks, 6);
        let passage = Votes {
            distinct: 3,
            occurrences: 3,
        };
        assert_eq!(buckets[0], (1000, passage));
        assert!(
            buckets[1..].iter().all(|&(_, votes)| votes.distinct <= 2),
            "{buckets:?}"
        );
    }

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
