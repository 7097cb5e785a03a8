//! The q-gram filter that spares a small source's whole alignment most of its text.
//!
//! A source of up to a million characters is aligned whole to prove that no passage is
//! within the cutoff, typically a quote that is missing (one quoted from elsewhere, or
//! made up). Every edit destroys at most [`Q`] of the quote's `m - Q + 1` q-grams (strings of
//! `Q` characters), so a passage within `k` edits keeps at least `m - Q + 1 - k·Q` of them, in
//! at most `m + k` characters (Jokinen and Ukkonen's q-gram lemma). Counting, in a window
//! sliding over the text, how many of the quote's q-grams it holds costs a few operations a
//! character, where the alignment costs a bit-parallel step per 64 rows of the quote; only
//! the windows that hold enough are aligned.

use super::Symbol;

/// Characters in a q-gram: long enough that English text shares few of a quote's with
/// a window it is not in, short enough that a cutoff of a fifth of the quote leaves a count.
const Q: usize = 3;
/// The q-grams are counted in 2^BITS buckets (16 KB of counts, in the first-level cache).
/// Two q-grams that share a bucket only make a count larger, so the filter never drops a
/// window it should keep.
const BITS: u32 = 12;

/// The bucket of the q-gram that `key` ends, where `key` is `roll`ed over its characters.
fn bucket(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> (32 - BITS)) as usize
}

/// `key` with the character `s` added: each character's code is shifted 8 bits further left
/// at each step and dropped after [`Q`] steps, so the key depends on the last Q characters
/// only (exactly, while their codes are below 256).
fn roll<S: Symbol>(key: u32, s: S) -> u32 {
    const KEPT: u32 = (1 << (8 * Q)) - 1;
    ((key << 8) ^ s.code()) & KEPT
}

/// The buckets of the q-grams of `t`, in order.
fn buckets<S: Symbol>(t: &[S]) -> impl Iterator<Item = usize> + '_ {
    t.iter()
        .scan(0u32, |key, &s| {
            *key = roll(*key, s);
            Some(bucket(*key))
        })
        .skip(Q - 1)
}

/// The buckets of the q-grams of a text, kept with its index: counting them for a quote then
/// reads two bytes a character, and hashes nothing.
pub(super) fn grams<S: Symbol>(t: &[S]) -> Vec<u16> {
    buckets(t).map(|b| b as u16).collect()
}

/// Add `start..end` to the ranges, joined to the last one where they overlap. Rarely
/// reached, and kept out of the loop so that its counts stay in registers.
#[cold]
#[inline(never)]
fn keep(out: &mut Vec<(usize, usize)>, start: usize, end: usize) {
    match out.last_mut() {
        Some(last) if start <= last.1 => last.1 = end,
        _ => out.push((start, end)),
    }
}

/// The character ranges of a text, ascending and apart, that can hold a passage within `k`
/// edits of `q`, given the buckets of the text's q-grams ([`grams`]): every such passage
/// lies wholly inside one. `None` when `k` is too large for the count to rule anything out.
pub(super) fn regions<S: Symbol>(grams: &[u16], q: &[S], k: u32) -> Option<Vec<(usize, usize)>> {
    let m = q.len();
    let k = k as usize;
    let need = (m + 1)
        .checked_sub(Q)?
        .checked_sub(k.checked_mul(Q)?)
        .filter(|&need| need > 0)?;
    // A passage within k is at most m + k long, so its q-grams start within this many places.
    let width = m + k + 1 - Q;
    // Per bucket: the quote's q-grams in it less the window's. The window holds
    // Σ min(quote's, window's) of them, kept in `held` as q-grams come and go.
    let mut left = [0i32; 1 << BITS];
    for b in buckets(q) {
        left[b] += 1;
    }
    const MASK: usize = (1 << BITS) - 1;
    let mut held = 0usize;
    let mut out: Vec<(usize, usize)> = Vec::new();
    // A q-gram comes into the window at `g`, and pushes out `gone`, the one `width` places
    // before it, from the `width`-th on.
    let mut step = |g: usize, b: u16, gone: Option<u16>| {
        let b = usize::from(b) & MASK;
        held += usize::from(left[b] > 0);
        left[b] -= 1;
        if let Some(gone) = gone {
            let gone = usize::from(gone) & MASK;
            left[gone] += 1;
            held -= usize::from(left[gone] > 0);
        }
        if held >= need {
            // A passage whose last q-gram starts at g ends at g + Q and is at most m + k long.
            keep(&mut out, (g + Q).saturating_sub(m + k), g + Q);
        }
    };
    // Two loops, so that neither tests which kind of step it takes.
    let (first, rest) = grams.split_at(width.min(grams.len()));
    for (g, &b) in first.iter().enumerate() {
        step(g, b, None);
    }
    for (g, (&b, &gone)) in (width..).zip(rest.iter().zip(grams)) {
        step(g, b, Some(gone));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The windows a plain count over every window gives: a reference for the sliding one.
    fn by_counting(t: &[u8], q: &[u8], k: usize) -> Vec<(usize, usize)> {
        let grams = |s: &[u8]| -> Vec<usize> {
            s.windows(Q)
                .map(|w| bucket(w.iter().fold(0, |key, &c| roll(key, c))))
                .collect()
        };
        let quote = grams(q);
        let need = (m_minus(q.len()) as isize - (k * Q) as isize).max(1) as usize;
        let mut out: Vec<(usize, usize)> = Vec::new();
        for end in Q..=t.len() {
            let start = end.saturating_sub(q.len() + k);
            let mut window = grams(&t[start..end]);
            let mut held = 0;
            for g in &quote {
                if let Some(i) = window.iter().position(|w| w == g) {
                    window.swap_remove(i);
                    held += 1;
                }
            }
            if held >= need {
                match out.last_mut() {
                    Some(last) if start <= last.1 => last.1 = end,
                    _ => out.push((start, end)),
                }
            }
        }
        out
    }

    fn m_minus(m: usize) -> usize {
        (m + 1).saturating_sub(Q)
    }

    proptest::proptest! {
        /// The sliding count keeps exactly the windows that counting each afresh keeps.
        #[test]
        fn the_sliding_count_is_the_count_of_each_window(
            t in proptest::collection::vec(proptest::sample::select(b"ab c".to_vec()), 0..120),
            q in proptest::collection::vec(proptest::sample::select(b"ab c".to_vec()), 3..30),
            k in 0usize..6,
        ) {
            let got = regions(&grams(&t), &q, k as u32);
            if m_minus(q.len()) <= k * Q {
                proptest::prop_assert!(got.is_none());
            } else {
                proptest::prop_assert_eq!(got, Some(by_counting(&t, &q, k)));
            }
        }
    }

    #[test]
    fn a_passage_with_as_many_edits_as_the_count_allows_is_kept() {
        // 26 distinct letters, so each of the quote's q-grams occurs once; substitutions Q + 1
        // apart, by a symbol the quote lacks, each destroy Q of them and no more: the window
        // holds exactly the count needed.
        let quote: Vec<u8> = (b'a'..=b'z').collect();
        for k in 1..=5 {
            let mut passage = quote.clone();
            for e in 0..k {
                passage[2 + e * (Q + 1)] = b'#';
            }
            let mut text = b"0123456789".repeat(3);
            let at = text.len();
            text.extend(&passage);
            text.extend(b"0123456789".repeat(3));
            let found = regions(&grams(&text), &quote, k as u32).expect("a count is left");
            assert!(
                found
                    .iter()
                    .any(|&(s, e)| s <= at && e >= at + passage.len()),
                "k = {k}: {found:?}"
            );
        }
    }

    #[test]
    fn a_text_without_the_quotes_letters_has_no_region() {
        let quote = b"the quick brown fox jumps over the lazy dog";
        let text = b"zzzz yyyy xxxx ".repeat(100);
        assert_eq!(regions(&grams(&text), quote, 5), Some(Vec::new()));
        // The quote itself, with two edits, inside that text.
        let mut with = text.clone();
        with.extend(b"the quick brawn fox jumps ovr the lazy dog ");
        with.extend(&text);
        let found = regions(&grams(&with), quote, 2).expect("a count is left");
        assert_eq!(found.len(), 1);
        let (start, end) = found[0];
        assert!(start <= text.len() && end >= text.len() + quote.len() - 1);
    }
}
