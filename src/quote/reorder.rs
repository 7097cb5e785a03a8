//! Word order: the quote has exactly the source's words, in another order.

use crate::source::corpus::IndexedSource;
use crate::text::normalize::Normalized;

/// A window of the text with exactly the quote's words in another order. Windows are
/// compared by a sum of word hashes (updated as the window slides) before their words are.
pub(super) fn reordering(loaded: &IndexedSource, q: &Normalized) -> Option<(usize, usize)> {
    let k = q.token_count();
    if k < 2 {
        return None;
    }
    let postings: Vec<&[u32]> = (0..k)
        .map(|i| loaded.index.postings(q.token_chars(i)))
        .collect();
    if postings.iter().any(|p| p.is_empty()) {
        return None; // some word of the quote is not in the source at all
    }
    let doc = &loaded.doc.norm;
    let hash = |w: &mut dyn Iterator<Item = char>| {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        w.for_each(|c| h.write_u32(c as u32));
        h.finish()
    };
    let want_sum = (0..k).fold(0u64, |s, i| s.wrapping_add(hash(&mut q.token_chars(i))));
    let mut want = q.words();
    want.sort();
    let rarest = postings.iter().min_by_key(|p| p.len())?;
    for &p in rarest.iter().take(1_000) {
        let p = p as usize;
        let first = p.saturating_sub(k - 1);
        if first + k > doc.token_count() {
            continue;
        }
        // The hashes of every word a window around `p` can hold.
        let last = (p + k - 1).min(doc.token_count() - 1);
        let hashes: Vec<u64> = doc
            .spans(first..last + 1)
            .map(|span| hash(&mut doc.chars.iter(span)))
            .collect();
        let mut sum = hashes[..k].iter().fold(0u64, |s, &h| s.wrapping_add(h));
        for start in first..=p {
            if start > first {
                let end = start + k - 1;
                if end > last {
                    break;
                }
                sum = sum
                    .wrapping_sub(hashes[start - 1 - first])
                    .wrapping_add(hashes[end - first]);
            }
            if sum == want_sum {
                let mut have = doc.words_in(start..start + k);
                have.sort();
                if have == want {
                    return Some((start, start + k - 1));
                }
            }
        }
    }
    None
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::document::{Document, Format};
    use crate::text::normalize::normalize;
    use std::path::Path;

    fn loaded(text: &str) -> IndexedSource {
        let doc = Document::from_text(Path::new("t.txt"), text.to_string(), Format::Plain);
        IndexedSource::new(doc)
    }

    #[test]
    fn reordering_finds_the_window_with_the_same_words() {
        // Far enough into the text that tokens are found from a mark, and near its end.
        let filler = "one two three four five six seven eight nine ten ".repeat(4);
        let doc = loaded(&format!("{filler}the quick brown fox jumps over it"));
        let at = 40;
        // The windows are tried from `rarest - (k - 1)` on, the rarest word being the first
        // of the least frequent: here they slide two places, then one.
        let q = normalize("quick fox the brown");
        assert_eq!(reordering(&doc, &q), Some((at, at + 3)));
        let q = normalize("over it jumps");
        assert_eq!(reordering(&doc, &q), Some((at + 4, at + 6)));
        // Same words, one of them twice: not a reordering.
        assert_eq!(reordering(&doc, &normalize("fox fox the brown")), None);
    }
}
