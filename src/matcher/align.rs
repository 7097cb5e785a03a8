//! Exact alignment of a claim against a region of the text.

use super::*;

/// The best passage within `chars[lo..hi]` (widened to whole tokens) with distance at most `k`.
/// A region whose text was aligned before in this search gives the same passage, moved: the
/// result depends on the region's text only, as token boundaries lie at its edges.
pub(super) fn align_region<S: Symbol>(
    x: &Txt<S>,
    p: &Pat<S>,
    lo: usize,
    hi: usize,
    k: u32,
) -> Option<Hit> {
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

/// Exact alignment of the claim against every passage inside `chars[lo..hi]` whose start
/// passes `start_ok`, with Ukkonen's cutoff `k`: the best passage with distance at most `k`.
///
/// A passage starts at a token start and ends at a token end. Starting late is expressed in
/// the top row: `D[0][j]` is the distance from `j` back to the nearest token start, which is
/// exactly the cost of reaching `j` from that start by skipping text. At a gap row, reaching
/// a token start from one of the previous [`MAX_GAP_WORDS`] token starts is free. With gaps
/// the whole column is computed (the cutoff band does not know about jumps).
pub(super) fn align_region_with<S: Symbol>(
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
        p.myers().scan(t, lo, hi, k, |j, bound| {
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
                if let Some((d, s)) = exact_at_end(t, p, lo, j, cut, &start_ok) {
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
    let Some(windows) = gapped_windows(x, p, lo, hi, k) else {
        return align_span(x, p, lo, hi, k, &start_ok);
    };
    let mut best: Option<Hit> = None;
    for (a, b) in windows {
        let (a, b) = (token_floor(t, a).max(lo), token_ceil(t, b).min(hi));
        if a < b {
            keep_best(&mut best, align_span(x, p, a, b, k, &start_ok));
        }
    }
    best
}

/// For a pattern with gaps, the windows of `lo..hi` that can hold a passage within `k`;
/// `None` when the region is too short for the pruning to pay.
///
/// The parts between the gaps align to disjoint stretches of a passage, so its distance is
/// at least the sum of each part's least distance anywhere in the region, with the last
/// part's taken at the passage's end (Myers' free-start bound, a lower bound for each). A
/// passage within `k` is no longer than the pattern, plus `k` deletions, plus what each gap
/// may skip in each of its jumps: so an end whose bound exceeds `k` holds none, and the
/// others need only the text that far back. Aligning those windows exactly gives what aligning the whole region
/// gives: every passage within `k` lies wholly inside one.
fn gapped_windows<S: Symbol>(
    x: &Txt<S>,
    p: &Pat<S>,
    lo: usize,
    hi: usize,
    k: u32,
) -> Option<Vec<(usize, usize)>> {
    let t = x.t;
    let starts: Vec<usize> = (lo..hi)
        .filter(|&j| t[j] != S::SPACE && (j == 0 || t[j - 1] == S::SPACE))
        .collect();
    // A jump at a gap reaches one of the next MAX_GAP_WORDS token starts.
    let skip = starts
        .windows(MAX_GAP_WORDS + 1)
        .map(|w| w[MAX_GAP_WORDS] - w[0])
        .max()
        .unwrap_or(hi - lo);
    // A gap's row may jump more than once: between two jumps the passage stays at that row
    // by deleting at least a word and its space, two edits or more.
    let jumps = 1 + k as usize / 2;
    let longest =
        p.q.len()
            .saturating_add(k as usize)
            .saturating_add(p.gaps.len().saturating_mul(skip).saturating_mul(jumps));
    if hi - lo <= longest.saturating_mul(4) {
        return None;
    }
    let (last, others) = p.parts().split_last()?;
    let mut before: u32 = 0;
    for part in others {
        let mut least = u32::MAX;
        part.scan(t, lo, hi, k, |_, b| least = least.min(b));
        before = before.saturating_add(least);
        if before > k {
            return Some(Vec::new());
        }
    }
    let mut windows: Vec<(usize, usize)> = Vec::new();
    last.scan(t, lo, hi, k, |j, b| {
        if before.saturating_add(b) <= k && (j == t.len() || t[j] == S::SPACE) {
            let from = j.saturating_sub(longest).max(lo);
            match windows.last_mut() {
                Some(w) if from <= w.1 => w.1 = j,
                _ => windows.push((from, j)),
            }
        }
    });
    Some(windows)
}

/// Back to the start of the token containing `i` (or the next token, from a space).
pub(super) fn token_floor<S: Symbol>(t: &[S], i: usize) -> usize {
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
pub(super) fn token_ceil<S: Symbol>(t: &[S], i: usize) -> usize {
    let mut hi = i.min(t.len());
    while hi < t.len() && t[hi] != S::SPACE {
        hi += 1;
    }
    hi
}

/// The exact distance of the best passage ending at `end` and starting at a token start at or
/// after `lo` (and accepted by `start_ok`), if it is at most `k`, with that start (the latest
/// of the closest). The claim read backwards from the end, bit-parallel: its distance to
/// every text ending at `end` and up to m + k characters long.
pub(super) fn exact_at_end<S: Symbol>(
    t: &[S],
    p: &Pat<S>,
    lo: usize,
    end: usize,
    k: u32,
    start_ok: &impl Fn(usize) -> bool,
) -> Option<(u32, usize)> {
    let m = p.q.len();
    let cols = (m + k as usize).min(end - lo);
    let shortest = m.saturating_sub(k as usize);
    let mut best: Option<(u32, usize)> = None;
    p.back().scan_back(t, end, cols, k, |c, d| {
        let s = end - c;
        // t[end] is a space or the text's end, so s < end is inside the text.
        let token_start = t[s] != S::SPACE && (s == 0 || t[s - 1] == S::SPACE);
        if c >= shortest
            && d <= k
            && token_start
            && best.is_none_or(|(bd, _)| d < bd)
            && start_ok(s)
        {
            best = Some((d, s));
        }
    });
    best
}

/// [`exact_at_end`] as a banded alignment run backwards from the end, m·(2k + 1) cells: the
/// reference the bit-parallel one is held to.
#[cfg(test)]
pub(super) fn banded_at_end<S: Symbol>(
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
pub(super) fn align_span<S: Symbol>(
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
