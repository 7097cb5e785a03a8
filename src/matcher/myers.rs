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
    /// The masks of a symbol the claim lacks.
    zero: Vec<u64>,
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
            zero: vec![0; blocks],
        }
    }

    /// The match masks of `c`, a word per block.
    #[inline(always)]
    fn masks(&self, c: S) -> &[u64] {
        let nb = self.blocks;
        let found = match c.slot() {
            Some(slot) => self.table.get(slot * nb..slot * nb + nb),
            None => self.other.get(&c).map(Vec::as_slice),
        };
        found.unwrap_or(&self.zero)
    }

    /// Calls `f(j, bound)` for each `j` in `lo + 1..=hi` with the free-start distance of the
    /// claim ending just before `j`: exactly where it is at most `k`, else some value above
    /// `k` (the cells beyond the cutoff are not computed).
    pub(super) fn scan(
        &self,
        t: &[S],
        lo: usize,
        hi: usize,
        k: u32,
        mut f: impl FnMut(usize, u32),
    ) {
        let part = t.get(lo..hi.min(t.len())).unwrap_or(&[]);
        // Free start: the top row is all zeros.
        self.columns(part.iter().copied(), 0, k, |i, d| f(lo + i, d));
    }

    /// The distance between the claim and all of `t`.
    pub(super) fn distance(&self, t: &[S]) -> u32 {
        let mut d = self.m as u32;
        self.columns(t.iter().copied(), 1, u32::MAX, |_, x| d = x);
        d
    }

    /// For a table built on the reversed claim: calls `f(c, distance)` for each `c` in
    /// `1..=cols` with the distance between the claim and `t[end - c..end]`, the text read
    /// backwards from `end` (the top row counts the characters skipped): exactly where it is
    /// at most `k`, else some value above `k`. The banded programme it replaces costs a
    /// claim's length times twice the cutoff; this costs one word per 64 claim characters
    /// within the cutoff per column.
    pub(super) fn scan_back(
        &self,
        t: &[S],
        end: usize,
        cols: usize,
        k: u32,
        f: impl FnMut(usize, u32),
    ) {
        let part = t.get(end.saturating_sub(cols)..end).unwrap_or(&[]);
        self.columns(part.iter().rev().copied(), 1, k, f);
    }

    /// Reads `text` a column at a time, with `top` the top row's delta (0 for a free start,
    /// 1 for a start anchored before the first character), calling `f(i, d)` with the
    /// distance at row m after the i-th character (from 1): exact where it is at most `k`.
    /// A claim of one block (most quotes are under 64 characters) keeps its column in
    /// registers and reads row m itself.
    fn columns(
        &self,
        text: impl Iterator<Item = S>,
        top: i64,
        k: u32,
        mut f: impl FnMut(usize, u32),
    ) {
        if self.blocks == 1 && self.m > 0 {
            let row_m = 1u64 << (self.m - 1);
            let (mut pv, mut mv, mut score) = (!0u64, 0u64, self.m as i64);
            for (i, c) in text.enumerate() {
                let eq = self.masks(c).first().copied().unwrap_or(0);
                score += advance(&mut pv, &mut mv, eq, top, row_m);
                f(i + 1, score.max(0) as u32);
            }
            return;
        }
        let mut columns = Columns::new(self, k);
        for (i, c) in text.enumerate() {
            f(i + 1, columns.step(self, c, top));
        }
    }
}

/// The vertical deltas of the current column, a block at a time, and the distance at each
/// block's last row, for the blocks that can hold a cell within the cutoff (Ukkonen's
/// cutoff by blocks, as Hyyrö and edlib do it): a claim of several blocks costs about as many
/// words per column as its cutoff spans, not its length.
struct Columns {
    pv: Vec<u64>,
    mv: Vec<u64>,
    score: Vec<i64>,
    /// The last block's rows below the claim's end.
    pad: u64,
    /// The cutoff: cells above it need not be exact.
    cut: i64,
    /// The last block computed; every cell below it is above the cutoff.
    last: usize,
}

impl Columns {
    fn new<S>(myers: &Myers<S>, k: u32) -> Columns {
        let nb = myers.blocks;
        Columns {
            pv: vec![!0u64; nb],
            mv: vec![0u64; nb],
            // Distance at the last row of each block (row 64b + 63, padding rows included)
            // in column 0.
            score: (0..nb).map(|b| ((b + 1) * 64) as i64).collect(),
            pad: if myers.m.is_multiple_of(64) && myers.m > 0 {
                0
            } else {
                !0u64 << (myers.m % 64)
            },
            cut: i64::from(k),
            // In column 0 a cell's distance is its row: block b starts at row 64b.
            last: (k as usize / 64).min(nb - 1),
        }
    }

    /// Reads one more text character `c`, with `top` the top row's delta (0 for a free
    /// start, 1 for a start anchored at column 0), and gives the distance at row m: exact
    /// where it is within the cutoff, else above it.
    #[inline(always)]
    fn step<S: Symbol>(&mut self, myers: &Myers<S>, c: S, top: i64) -> u32 {
        let nb = myers.blocks;
        let eq = myers.masks(c);
        let (pv, mv, score) = (&mut self.pv, &mut self.mv, &mut self.score);
        let mut hin = top;
        for b in 0..=self.last {
            hin = advance(&mut pv[b], &mut mv[b], eq[b], hin, 1 << 63);
            score[b] += hin;
        }
        let y = self.last;
        // A cell of the next block can come within the cutoff only from the last row of
        // this one in the previous column, when that is within it. Its cells there are all
        // above the cutoff; they are taken as the most they can be (that row's distance plus
        // their distance below it), so every cell within the cutoff is computed exactly.
        let before = score[y] - hin;
        if y + 1 < nb && before <= self.cut {
            pv[y + 1] = !0;
            mv[y + 1] = 0;
            score[y + 1] =
                before + 64 + advance(&mut pv[y + 1], &mut mv[y + 1], eq[y + 1], hin, 1 << 63);
            self.last = y + 1;
        }
        // A block whose last row is 64 above the cutoff has no cell within it.
        while self.last > 0 && score[self.last] >= self.cut + 64 {
            self.last -= 1;
        }
        if self.last < nb - 1 {
            return u32::try_from(self.cut + 1).unwrap_or(u32::MAX);
        }
        // Rows above m in the last block are padding: read row m by undoing their deltas.
        let (last, pad) = (nb - 1, self.pad);
        let below = (pv[last] & pad).count_ones() as i64 - (mv[last] & pad).count_ones() as i64;
        (score[last] - below).max(0) as u32
    }
}

/// One block of Myers' step: the vertical deltas `pv`, `mv` move to the next column given
/// the match mask `e` and the horizontal delta entering at the block's top; returns the one
/// leaving the row of bit `row` (the block's last, or a claim's last in its only block).
#[inline(always)]
fn advance(pv: &mut u64, mv: &mut u64, mut e: u64, hin: i64, row: u64) -> i64 {
    let (p, mm) = (*pv, *mv);
    let xv = e | mm;
    if hin < 0 {
        e |= 1;
    }
    let xh = ((e & p).wrapping_add(p) ^ p) | e;
    let mut ph = mm | !(xh | p);
    let mut mh = p & xh;
    let hout = if ph & row != 0 {
        1
    } else if mh & row != 0 {
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
    *pv = mh | !(xv | ph);
    *mv = ph & xv;
    hout
}
