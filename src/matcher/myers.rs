//! The Myers bit-parallel prefilter.

use super::*;

/// Myers' bit-parallel edit distance (Hyyrö's blocks of 64 rows), free start: for every
/// position `j` in `lo..hi`, the least distance between the claim and any text ending at `j`
/// (exclusive). A passage must start at a token start, so this is a lower bound on its
/// distance, and an end whose bound exceeds the cutoff needs no exact alignment.
pub(super) struct Myers<S> {
    m: usize,
    blocks: usize,
    /// Match masks for the first 256 symbols, `blocks` words each.
    table: Vec<u64>,
    /// Match masks for other symbols.
    other: HashMap<S, Vec<u64>>,
}

impl<S: Symbol> Myers<S> {
    pub(super) fn new(q: &[S]) -> Myers<S> {
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
    pub(super) fn scan(&self, t: &[S], lo: usize, hi: usize, mut f: impl FnMut(usize, u32)) {
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
