//! Where each token of a normalized text starts in its input, in about 2 bytes a token
//! rather than 4: a large source has tens of millions of tokens, and these offsets are read
//! only to report a passage, never while searching.

use std::io;

use crate::stored::{In, Out};

/// Tokens between two marks.
const EVERY: usize = 16;
/// The delta of a token too far after its mark for two bytes: its start is kept aside.
const FAR: u16 = u16::MAX;

/// Input byte offsets of a text's tokens, in runs: a large text is normalized in parts, and
/// joining them moves each part's run in whole rather than rewriting its offsets.
#[derive(Debug, Clone, Default)]
pub(crate) struct Starts {
    /// The runs before the last, ascending by first token.
    earlier: Vec<Run>,
    /// The run that grows: kept apart so that adding a token reaches it directly.
    last: Run,
}

/// The tokens of one part: the start of every [`EVERY`]-th token, and each token's distance
/// from it, counted from `offset`.
#[derive(Debug, Clone, Default)]
struct Run {
    /// The text's token that is this run's first.
    first: usize,
    /// Added to every start read from the run.
    offset: u32,
    /// The start of the run's tokens 0, EVERY, 2·EVERY, ...
    marks: Vec<u32>,
    /// Each token's start minus its mark, or [`FAR`].
    deltas: Vec<u16>,
    /// `(token, start)` of each token marked [`FAR`], ascending: rare, since 16 tokens of
    /// text rarely span 64 KB of input (they may across a long run of punctuation, or where
    /// a token starts before its mark).
    far: Vec<(u32, u32)>,
}

impl Run {
    #[inline]
    fn push(&mut self, start: u32) {
        let i = self.deltas.len();
        if i.is_multiple_of(EVERY) {
            self.marks.push(start);
            self.deltas.push(0);
            return;
        }
        // The last mark is token i's group's; a start before it wraps to a large delta.
        let d = start.wrapping_sub(self.marks.last().copied().unwrap_or(start));
        if d < u32::from(FAR) {
            self.deltas.push(d as u16);
        } else {
            self.deltas.push(FAR);
            self.far.push((i as u32, start));
        }
    }

    /// The start of the run's token `i`, `offset` added.
    fn get(&self, i: usize) -> usize {
        let mark = self.marks[i / EVERY];
        let start = match self.deltas[i] {
            FAR => match self.far.binary_search_by_key(&(i as u32), |&(t, _)| t) {
                Ok(k) => self.far[k].1,
                // Every token marked FAR is listed (`push`).
                Err(_) => mark,
            },
            d => mark + u32::from(d),
        };
        start.wrapping_add(self.offset) as usize
    }

    fn end(&self) -> usize {
        self.first + self.deltas.len()
    }

    fn shrink_to_fit(&mut self) {
        self.marks.shrink_to_fit();
        self.deltas.shrink_to_fit();
        self.far.shrink_to_fit();
    }
}

impl Starts {
    /// Room for `tokens` offsets.
    pub(crate) fn with_capacity(tokens: usize) -> Starts {
        Starts {
            earlier: Vec::new(),
            last: Run {
                marks: Vec::with_capacity(tokens / EVERY + 1),
                deltas: Vec::with_capacity(tokens),
                ..Run::default()
            },
        }
    }

    /// Number of tokens.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.last.end()
    }

    /// Whether there is no token.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Add the next token, starting at input byte `start`.
    #[inline]
    pub(crate) fn push(&mut self, start: u32) {
        self.last.push(start.wrapping_sub(self.last.offset));
    }

    /// The input byte offset where token `i` starts. Panics when there is no token `i`, as
    /// indexing a slice does.
    pub(crate) fn get(&self, i: usize) -> usize {
        if i >= self.last.first {
            return self.last.get(i - self.last.first);
        }
        let k = self
            .earlier
            .partition_point(|r| r.first <= i)
            .saturating_sub(1);
        let r = &self.earlier[k];
        r.get(i - r.first)
    }

    /// Add `other`'s tokens after these, their offsets moved on by `offset`.
    pub(crate) fn append(&mut self, other: Starts, offset: u32) {
        let first = self.len();
        let moved = |r: Run| Run {
            first: first + r.first,
            offset: r.offset.wrapping_add(offset),
            ..r
        };
        let runs = other.earlier.into_iter().chain([other.last]);
        for r in runs.filter(|r| !r.deltas.is_empty()).map(moved) {
            let before = std::mem::replace(&mut self.last, r);
            if !before.deltas.is_empty() {
                self.earlier.push(before);
            }
        }
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.earlier.iter_mut().for_each(Run::shrink_to_fit);
        self.last.shrink_to_fit();
    }
}

impl Run {
    fn store(&self, out: &mut Out) -> io::Result<()> {
        out.u64(self.first as u64)?;
        out.u64(u64::from(self.offset))?;
        out.array(&self.marks)?;
        out.array(&self.deltas)?;
        out.pairs(&self.far)
    }

    /// A run that starts at token `first`, as [`Run::get`] needs it: a mark for every
    /// [`EVERY`] tokens, and its far tokens its own, ascending.
    fn load(input: &mut In, first: usize) -> Option<Run> {
        let run = Run {
            first: usize::try_from(input.u64()?).ok()?,
            offset: input.u32()?,
            marks: input.array()?,
            deltas: input.array()?,
            far: input.pairs()?,
        };
        let far_ok = run.far.windows(2).all(|w| w[0].0 < w[1].0)
            && run
                .far
                .last()
                .is_none_or(|&(t, _)| (t as usize) < run.deltas.len());
        (run.first == first && run.marks.len() == run.deltas.len().div_ceil(EVERY) && far_ok)
            .then_some(run)
    }
}

impl Starts {
    /// Kept between runs ([`crate::stored`]).
    pub(crate) fn store(&self, out: &mut Out) -> io::Result<()> {
        out.u64(self.earlier.len() as u64)?;
        self.earlier.iter().try_for_each(|r| r.store(out))?;
        self.last.store(out)
    }

    /// What [`Starts::store`] wrote, if its runs follow each other from token 0 (so that
    /// [`Starts::get`] finds every token below [`Starts::len`]).
    pub(crate) fn load(input: &mut In) -> Option<Starts> {
        let n = input.u64()?;
        let mut earlier = Vec::new();
        let mut first = 0;
        for _ in 0..n {
            let run = Run::load(input, first)?;
            if run.deltas.is_empty() {
                return None;
            }
            first = run.end();
            earlier.push(run);
        }
        let last = Run::load(input, first)?;
        Some(Starts { earlier, last })
    }
}

/// The same offsets, however they were built.
impl PartialEq for Starts {
    fn eq(&self, other: &Starts) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self.get(i) == other.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(offsets: &[u32]) -> Starts {
        let mut s = Starts::default();
        offsets.iter().for_each(|&o| s.push(o));
        s
    }

    proptest::proptest! {
        /// Every offset reads back as pushed, whether it fits two bytes after its mark or not
        /// (gaps up to 200,000 bytes, and starts before the mark), and appending gives what
        /// pushing everything in one go gives.
        #[test]
        fn offsets_read_back_as_pushed_and_appending_is_pushing(
            steps in proptest::collection::vec(
                proptest::prop_oneof![0u32..8, 60_000u32..200_000], 0..120),
            back in proptest::collection::vec(0usize..120, 0..4),
            cut in 0usize..120,
            offset in 0u32..100_000,
        ) {
            let mut offsets: Vec<u32> = steps
                .iter()
                .scan(0u32, |at, &s| {
                    *at += s;
                    Some(*at)
                })
                .collect();
            // Some tokens start before the one before them.
            for &b in &back {
                if let Some(o) = offsets.get_mut(b) {
                    *o = o.saturating_sub(70_000);
                }
            }
            let s = starts(&offsets);
            proptest::prop_assert_eq!(s.len(), offsets.len());
            for (i, &o) in offsets.iter().enumerate() {
                proptest::prop_assert_eq!(s.get(i), o as usize);
            }
            let cut = cut.min(offsets.len());
            let mut joined = starts(&offsets[..cut]);
            let rest = starts(&offsets[cut..]);
            joined.append(rest, offset);
            proptest::prop_assert_eq!(joined.len(), offsets.len());
            for (i, &o) in offsets.iter().enumerate() {
                let moved = if i < cut { o } else { o + offset };
                proptest::prop_assert_eq!(joined.get(i), moved as usize);
            }
            let moved: Vec<u32> = offsets[..cut]
                .iter()
                .copied()
                .chain(offsets[cut..].iter().map(|&o| o + offset))
                .collect();
            proptest::prop_assert_eq!(joined, starts(&moved));
        }
    }

    #[test]
    fn a_token_64_kb_after_its_mark_is_kept_aside() {
        let s = starts(&[10, 10 + 65_534, 10 + 65_535, 10 + 65_536]);
        assert_eq!(s.last.far, vec![(2, 10 + 65_535), (3, 10 + 65_536)]);
        assert_eq!(
            (0..4).map(|i| s.get(i)).collect::<Vec<_>>(),
            [10, 65_544, 65_545, 65_546]
        );
    }
}
