//! Certification: proving that no passage is closer than the one found.

use super::*;

/// Align the claim around diagonal `diag` (a token index), allowing for `slack` edits of
/// drift, with cutoff `k`.
pub(super) fn align_around<S: Symbol>(
    x: &Txt<S>,
    p: &Pat<S>,
    diag: i64,
    slack: u32,
    k: u32,
) -> Option<Hit> {
    let n_claim = p.words() as i64;
    let reach = slack as i64 + p.gap_words() as i64 + (n_claim / 2).max(2);
    let (lo, hi) = token_span(x.norm, diag - reach, diag + n_claim + reach);
    align_region(x, p, lo, hi, k)
}

/// The seeds that prove a claim of `words` words up to `bound` by its words, as `(need,
/// seeds)`: a passage within `bound` edits keeps at least words - 2·bound of the claim's words
/// intact (an edit touches at most two words), so among its `seeds` = 2·bound + `need`
/// rarest words at least `need` are intact, and only places where `need` of them gather
/// need aligning.
fn word_seeds(words: usize, bound: u32) -> (usize, usize) {
    let broken = 2 * bound as usize;
    let need = words.saturating_sub(broken).clamp(1, 3);
    (need, broken + need)
}

/// Passage tokens beyond the claim's own that a passage within `bound` may hold: one per
/// edit, and the gaps' words.
fn reach<S: Symbol>(p: &Pat<S>, bound: u32) -> usize {
    bound as usize + p.gap_words()
}

/// The characters aligned around one occurrence of a seed, roughly.
fn region_len<S: Symbol>(p: &Pat<S>, bound: u32) -> usize {
    (p.words() + 2 * reach(p, bound)) * 6
}

/// Rows of the alignment per text character with cutoff `bound`: the band, or the whole
/// pattern where gaps break the band.
fn rows<S: Symbol>(p: &Pat<S>, bound: u32) -> usize {
    if p.gaps.is_empty() {
        bound as usize + 1
    } else {
        p.q.len()
    }
}

/// Prove that no passage is closer than `bound + 1`, or find the closest one that is.
pub(super) fn certify<S: Symbol>(
    x: &Txt<S>,
    p: &Pat<S>,
    index: &Index,
    toks: &[ClaimToken],
    buckets: &[(i64, Votes)],
    bound: u32,
    plan: Plan,
) -> Option<Hit> {
    let n = x.t.len();
    let k = p.words();
    let (_, seeds) = word_seeds(k, bound);
    let region_len = region_len(p, bound);
    let rows = rows(p, bound);
    let scan_cost = n.saturating_mul(rows);
    let index_cost = |seeds: &[ClaimToken]| {
        let occurrences: usize = seeds.iter().map(|t| t.postings.len()).sum();
        occurrences.saturating_mul(region_len).saturating_mul(rows)
    };
    let complete = seeds <= toks.len() && k < 1 << WORD_BITS;
    let scan = || align_region(x, p, 0, n, bound);
    match plan {
        Plan::Scan => scan(),
        #[cfg(any(test, feature = "testing"))]
        Plan::Index if complete => by_words(x, p, toks, bound),
        #[cfg(any(test, feature = "testing"))]
        Plan::Index => scan(),
        #[cfg(any(test, feature = "testing"))]
        Plan::Pieces => by_pieces(x, p, index, bound).unwrap_or_else(scan),
        Plan::Auto => {
            let cost = if complete {
                index_cost(&toks[..seeds])
            } else {
                usize::MAX
            };
            let small = n <= SCAN_CHARS;
            if cost <= scan_cost || (!small && cost <= INDEX_BUDGET) {
                by_words(x, p, toks, bound)
            } else if small {
                scan_filtered(x, p, index, bound)
            } else {
                beyond_proof(x, p, index, toks, buckets, bound)
            }
        }
    }
}

/// What aligning the whole text gives, aligning only the regions that hold enough of the
/// claim's q-grams to come within `bound` ([`qgrams::regions`]).
pub(super) fn scan_filtered<S: Symbol>(
    x: &Txt<S>,
    p: &Pat<S>,
    index: &Index,
    bound: u32,
) -> Option<Hit> {
    // The lemma counts the q-grams of one unbroken quote.
    let regions = if p.gaps.is_empty() {
        qgrams::regions(index.grams(x.t), &p.q, bound)
    } else {
        None
    };
    let Some(regions) = regions else {
        return align_region(x, p, 0, x.t.len(), bound);
    };
    let mut best = None;
    for (lo, hi) in regions {
        // Widened to whole tokens, a region may share its first token with the one before,
        // whose passages end there at the latest.
        let Some(k) = cutoff_later(best, bound) else {
            break;
        };
        keep_best(&mut best, align_region(x, p, lo, hi, k));
    }
    best
}

/// Align the places where `need` of the `seeds` words gather: each occurrence of a seed word
/// says where the passage would start (its diagonal, in tokens), and intact words of one
/// passage have diagonals within `2·reach` of each other. Both ends of the windows ascend,
/// so overlapping regions (in tokens) are merged as they come.
fn align_gatherings<S: Symbol>(
    x: &Txt<S>,
    p: &Pat<S>,
    seeds: &[ClaimToken],
    need: usize,
    reach: i64,
    bound: u32,
) -> Option<Hit> {
    let k = p.words();
    let last_token = x.norm.token_count() as i64 - 1;
    let mut regions: Vec<(i64, i64)> = Vec::new();
    gatherings(seeds, need, 2 * reach, CHUNK, |from, to, _| {
        // The passage starts within `reach` tokens before an intact word's diagonal (or
        // `bound` after it) and is at most k + reach tokens long.
        let first = (from - reach).clamp(0, last_token);
        let last = (to + bound as i64 + k as i64 - 1 + reach).clamp(0, last_token);
        match regions.last_mut() {
            Some(prev) if first <= prev.1 => prev.1 = prev.1.max(last),
            _ => regions.push((first, last)),
        }
    });
    let mut best = None;
    for (first, last) in regions {
        let Some(k) = cutoff_later(best, bound) else {
            break;
        };
        let (lo, hi) = token_span(x.norm, first, last);
        keep_best(&mut best, align_region(x, p, lo, hi, k));
    }
    best
}

/// A source too large to prove the result up to `bound`: prove it up to the proof bound (a
/// quote with a few edits is never missed) by the claim's intact words where they suffice, else
/// by pieces of its words; beyond it, look at more of the best-voted regions.
fn beyond_proof<S: Symbol>(
    x: &Txt<S>,
    p: &Pat<S>,
    index: &Index,
    toks: &[ClaimToken],
    buckets: &[(i64, Votes)],
    bound: u32,
) -> Option<Hit> {
    let k = p.words();
    let target = bound.min(PROOF_BOUND);
    let provable = (0..=target)
        .rev()
        .find(|&b| b as usize * 2 + 3 <= k && seed_cost(p, toks, b) <= PROOF_BUDGET);
    // What the words can prove first: a passage found within that is the closest of all.
    if let Some(low) = provable
        && let Some(hit) = by_words(x, p, toks, low)
    {
        return Some(hit);
    }
    if provable != Some(target)
        && let Some(Some(hit)) = by_pieces(x, p, index, target)
    {
        return Some(hit);
    }
    let mut best = None;
    for &(diag, _) in buckets.iter().skip(VOTED_REGIONS).take(WIDER_CANDIDATES) {
        let k = cutoff_after(best, bound);
        keep_best(&mut best, align_around(x, p, diag, bound, k));
    }
    best
}

/// Prove up to `bound` by the claim's words ([`word_seeds`]). The caller has checked that
/// the claim has that many words and what it costs.
fn by_words<S: Symbol>(x: &Txt<S>, p: &Pat<S>, toks: &[ClaimToken], bound: u32) -> Option<Hit> {
    let (need, seeds) = word_seeds(p.words(), bound);
    let seeds = seeds.min(toks.len());
    align_gatherings(x, p, &toks[..seeds], need, reach(p, bound) as i64, bound)
}

/// Prove up to `bound` by pieces of the claim's words, for a claim whose words are too few
/// (or too common) to. The claim's characters are cut into at least `bound + 1` disjoint
/// pieces inside its words (whole words, the longest halved until there are enough). Each
/// edit breaks at most one piece, so a passage within `bound` edits leaves all but `bound` of
/// them intact, each inside one of the passage's words. A piece no word of the text contains
/// is broken in every passage and uses up an edit; of the others, among the `e + c` rarest
/// (`e` the edits left, `c` up to 3) at least `c` are intact, so only the places where `c` of
/// them gather, inside the text's words that contain them, need aligning. `None` when that
/// costs more than the budget (or the claim has too few characters to cut).
fn by_pieces<S: Symbol>(x: &Txt<S>, p: &Pat<S>, index: &Index, bound: u32) -> Option<Option<Hit>> {
    let k = p.words();
    let needed = bound as usize + 1;
    if k >= 1 << WORD_BITS {
        return None;
    }
    // (claim word, its characters) per piece.
    let mut cut: Vec<(usize, Vec<char>)> = (0..k)
        .map(|i| (i, p.norm.token_chars(i).collect()))
        .collect();
    while cut.len() < needed {
        let longest = (0..cut.len()).max_by_key(|&j| (cut[j].1.len(), std::cmp::Reverse(j)))?;
        if cut[longest].1.len() < 2 {
            return None;
        }
        let half = cut[longest].1.len() / 2;
        let tail = cut[longest].1.split_off(half);
        cut.insert(longest + 1, (cut[longest].0, tail));
    }
    let Some((edits, pieces)) = rarest_pieces(index, &cut, bound) else {
        // More pieces broken in every passage than edits allowed: nothing within `bound`.
        return Some(None);
    };
    // Of the `edits + need` rarest pieces, `need` are intact in the passage and gather there
    // (at least one always is: the pieces left number at least `edits + 1`).
    let need = pieces.len().saturating_sub(edits);
    if need == 0 {
        return None;
    }
    // Every gathering holds an occurrence of one of the `len - need + 1` rarest pieces.
    let starting: usize = pieces[..pieces.len() - need + 1]
        .iter()
        .map(|p| p.occurrences)
        .sum();
    let rows = rows(p, bound);
    // Overlapping regions are merged, so no more than the whole text is ever aligned.
    let cost = starting
        .saturating_mul(region_len(p, bound))
        .min(x.t.len())
        .saturating_mul(rows);
    if cost > PIECES_BUDGET {
        return None;
    }
    let seeds: Vec<ClaimToken> = pieces
        .iter()
        .enumerate()
        .flat_map(|(id, piece)| {
            piece.lists.iter().map(move |&postings| ClaimToken {
                index: piece.word,
                id,
                postings,
            })
        })
        .collect();
    Some(align_gatherings(
        x,
        p,
        &seeds,
        need,
        reach(p, bound) as i64,
        bound,
    ))
}

/// A piece of a claim's word, inside words of the text.
struct Piece<'a> {
    /// The claim word it is part of.
    word: usize,
    /// Its place in the cut, which breaks ties between pieces of one word.
    place: usize,
    /// The occurrences of each word of the text that contains it.
    lists: Vec<&'a [u32]>,
    /// How many those are in all.
    occurrences: usize,
}

impl Piece<'_> {
    /// Rarest first, then as the claim and the cut have them.
    fn rank(&self) -> (usize, usize, usize) {
        (self.occurrences, self.word, self.place)
    }
}

/// Of the pieces `cut` (claim word, characters), the `e + 3` rarest that some word of the
/// text contains, rarest first, and `e`: the edits of `bound` left once each piece that no
/// word contains has used one. `None` when those pieces are more than `bound`.
///
/// Finding the words that contain a piece scans the vocabulary, so a piece is counted only
/// while it can still be among the rarest: one that is itself a word of the text occurs at
/// least as often as that word, so pieces are counted in the order of that floor, and
/// counting stops when the next floor is above the pieces kept. The pieces chosen are the ones
/// counting every piece would choose, in the same order.
fn rarest_pieces<'a>(
    index: &'a Index,
    cut: &[(usize, Vec<char>)],
    bound: u32,
) -> Option<(usize, Vec<Piece<'a>>)> {
    let pieces: Vec<(usize, String, usize)> = cut
        .iter()
        .map(|(i, chars)| {
            let piece: String = chars.iter().collect();
            let floor = index.postings(piece.chars()).len();
            (*i, piece, floor)
        })
        .collect();
    // Ties are broken as among the pieces kept.
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by_key(|&j| (pieces[j].2, pieces[j].0, j));
    let mut absent = 0;
    // Ascending by rank.
    let mut kept: Vec<Piece> = Vec::new();
    for place in order {
        let (word, piece, floor) = &pieces[place];
        let want = (bound as usize).checked_sub(absent)? + 3;
        // A piece no word contains has a floor of 0 and comes before any this can stop at,
        // so `absent` is final here.
        if kept
            .get(want - 1)
            .is_some_and(|last| (*floor, *word, place) > last.rank())
        {
            break;
        }
        let lists = index.containing(piece);
        let occurrences: usize = lists.iter().map(|l| l.len()).sum();
        if occurrences == 0 {
            absent += 1;
            continue;
        }
        let piece = Piece {
            word: *word,
            place,
            lists,
            occurrences,
        };
        let at = kept.partition_point(|k| k.rank() < piece.rank());
        kept.insert(at, piece);
    }
    let edits = (bound as usize).checked_sub(absent)?;
    kept.truncate(edits + 3);
    Some((edits, kept))
}

/// Sources up to this many characters may be scanned whole to certify a result; larger ones
/// are certified through the index, or not at all (unless the plan says scan).
pub const SCAN_CHARS: usize = 1_000_000;
/// Work the index path may cost when it is complete.
pub(super) const INDEX_BUDGET: usize = 400_000_000;
/// In a large source, the bound up to which a quote is always proven (found if it is there):
/// quotes with a few edits.
pub(super) const PROOF_BOUND: u32 = 4;
/// The work that proof may cost.
pub(super) const PROOF_BUDGET: usize = 40_000_000;
/// The work the proof by pieces may cost: where every piece of a short quote's words is
/// common, it aligns most of the text, which this allows for sources of up to about 20
/// million characters.
pub(super) const PIECES_BUDGET: usize = 100_000_000;
/// Voted regions examined, beyond the first ones, when a large source cannot be certified.
pub(super) const WIDER_CANDIDATES: usize = 12;

/// The work (alignment cells, roughly) of certifying `claim` up to `bound` through the index.
pub(super) fn seed_cost<S: Symbol>(p: &Pat<S>, toks: &[ClaimToken], bound: u32) -> usize {
    let (_, seeds) = word_seeds(p.words(), bound);
    let occurrences: usize = toks[..seeds.min(toks.len())]
        .iter()
        .map(|t| t.postings.len())
        .sum();
    occurrences
        .saturating_mul(region_len(p, bound))
        .saturating_mul(bound as usize + 1)
}
