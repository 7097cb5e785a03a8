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
        let blocks = m.div_ceil(64).max(1);
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
        let mut columns = Columns::new(self);
        for (j, &c) in t.iter().enumerate().take(hi).skip(lo) {
            // Free start: the top row is all zeros.
            f(j + 1, columns.step(self, c, 0));
        }
    }

    /// The distance between the claim and all of `t`.
    pub(super) fn distance(&self, t: &[S]) -> u32 {
        let mut columns = Columns::new(self);
        let mut d = self.m as u32;
        for &c in t {
            d = columns.step(self, c, 1);
        }
        d
    }

    /// For a table built on the reversed claim: calls `f(c, distance)` for each `c` in
    /// `1..=cols` with the distance between the claim and `t[end - c..end]` exactly, the
    /// text read backwards from `end` (the top row counts the characters skipped). The
    /// banded programme it replaces costs a claim's length times twice the cutoff; this costs
    /// one word per 64 claim characters per column.
    pub(super) fn scan_back(
        &self,
        t: &[S],
        end: usize,
        cols: usize,
        mut f: impl FnMut(usize, u32),
    ) {
        let mut columns = Columns::new(self);
        for (c, &ch) in t[end - cols..end].iter().rev().enumerate() {
            f(c + 1, columns.step(self, ch, 1));
        }
    }
}

/// The vertical deltas of the current column, a block at a time, and the distance at each
/// block's last row.
struct Columns {
    pv: Vec<u64>,
    mv: Vec<u64>,
    score: Vec<i64>,
    zero: Vec<u64>,
    /// The last block's rows below the claim's end.
    pad: u64,
}

impl Columns {
    fn new<S>(myers: &Myers<S>) -> Columns {
        let nb = myers.blocks;
        Columns {
            pv: vec![!0u64; nb],
            mv: vec![0u64; nb],
            // Distance at the last row of each block (row 64b + 63, padding rows included)
            // in column 0.
            score: (0..nb).map(|b| ((b + 1) * 64) as i64).collect(),
            zero: vec![0u64; nb],
            pad: if myers.m.is_multiple_of(64) && myers.m > 0 {
                0
            } else {
                !0u64 << (myers.m % 64)
            },
        }
    }

    /// Reads one more text character `c`, with `top` the top row's delta (0 for a free
    /// start, 1 for a start anchored at column 0), and gives the distance at row m.
    #[inline(always)]
    fn step<S: Symbol>(&mut self, myers: &Myers<S>, c: S, top: i64) -> u32 {
        let nb = myers.blocks;
        let eq = match c.slot() {
            Some(slot) => &myers.table[slot * nb..slot * nb + nb],
            None => myers.other.get(&c).map_or(&self.zero[..], |v| &v[..]),
        };
        let (pv, mv, score) = (&mut self.pv, &mut self.mv, &mut self.score);
        let mut hin = top;
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
        // Rows above m in the last block are padding: read row m by undoing their deltas.
        let (last, pad) = (nb - 1, self.pad);
        let below = (pv[last] & pad).count_ones() as i64 - (mv[last] & pad).count_ones() as i64;
        (score[last] - below).max(0) as u32
    }
}
