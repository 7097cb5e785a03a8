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

/// Prove that no passage is closer than `bound + 1`, or find the closest one that is.
pub(super) fn certify<S: Symbol>(
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
        align_gatherings(x, p, seeds, need, reach as i64, bound)
    };
    let scan = || align_region(x, p, 0, n, bound);
    match plan {
        Plan::Scan => scan(),
        #[cfg(any(test, feature = "testing"))]
        Plan::Index if complete => around(&toks[..seeds], need),
        #[cfg(any(test, feature = "testing"))]
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
                beyond_proof(x, p, toks, buckets, bound, plan)
            }
        }
    }
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
    gatherings(seeds, need, 2 * reach, k, CHUNK, |from, to| {
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
        let (lo, hi) = token_span(x.norm, first, last);
        keep_best(&mut best, align_region(x, p, lo, hi, bound));
    }
    best
}

/// A source too large to prove the result up to `bound`: prove it up to the largest bound
/// the claim's words can certify within the budget (a passage found there is the closest of
/// all, so a quote with few edits is never missed); beyond it, look at more of the
/// best-voted regions.
fn beyond_proof<S: Symbol>(
    x: &Txt<S>,
    p: &Pat<S>,
    toks: &[ClaimToken],
    buckets: &[(i64, u32)],
    bound: u32,
    plan: Plan,
) -> Option<Hit> {
    let k = p.words();
    let provable = (0..bound.min(PROOF_BOUND + 1))
        .rev()
        .find(|&b| b as usize * 2 + 3 <= k && seed_cost(p, toks, b) <= PROOF_BUDGET);
    if let Some(low) = provable
        && let Some(hit) = certify(x, p, toks, buckets, low, plan)
    {
        return Some(hit);
    }
    let mut best = None;
    for &(diag, _) in buckets.iter().skip(VOTED_REGIONS).take(WIDER_CANDIDATES) {
        keep_best(&mut best, align_around(x, p, diag, bound, bound));
    }
    best
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
/// Voted regions examined, beyond the first ones, when a large source cannot be certified.
pub(super) const WIDER_CANDIDATES: usize = 12;

/// The work (alignment cells, roughly) of certifying `claim` up to `bound` through the index.
pub(super) fn seed_cost<S: Symbol>(p: &Pat<S>, toks: &[ClaimToken], bound: u32) -> usize {
    let k = p.words();
    let broken = 2 * bound as usize;
    let seeds = (broken + k.saturating_sub(broken).clamp(1, 3)).min(toks.len());
    let reach = bound as usize + p.gap_words();
    let occurrences: usize = toks[..seeds].iter().map(|t| t.postings.len()).sum();
    occurrences
        .saturating_mul((k + 2 * reach) * 6)
        .saturating_mul(bound as usize + 1)
}
