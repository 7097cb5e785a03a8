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
/// Whether the quote is passage `first..=last` with words moved and a few changed: put in
/// the passage's order (each word after the passage word it matches, unmatched words after
/// the word before them), it is within `limit` edits of the part of the passage its words
/// span. Returns that part. "Methinks the lady doth protest too much" is "The lady protests
/// too much, methinks" with "methinks" moved and "doth protest" for "protests".
pub(super) fn moved(
    loaded: &IndexedSource,
    q: &Normalized,
    first: usize,
    last: usize,
    limit: u32,
) -> Option<(usize, usize)> {
    let words = q.words();
    let last = last.min(loaded.doc.norm.token_count().checked_sub(1)?);
    if first > last {
        return None;
    }
    let passage = loaded.doc.norm.words_in(first..last + 1);
    let mut used = vec![false; passage.len()];
    let mut keyed: Vec<(f64, usize)> = Vec::with_capacity(words.len());
    let mut key = -1.0;
    for (i, w) in words.iter().enumerate() {
        match (0..passage.len()).find(|&j| !used[j] && passage[j] == *w) {
            Some(j) => {
                used[j] = true;
                key = j as f64;
            }
            // Unmatched: right after the word before it.
            None => key += 1e-3,
        }
        keyed.push((key, i));
    }
    let (lo, hi) = (
        used.iter().position(|&u| u)?,
        used.iter().rposition(|&u| u)?,
    );
    let mut order = keyed.clone();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    if order.iter().map(|&(_, i)| i).eq(0..words.len()) {
        return None; // nothing moved
    }
    let reordered: Vec<&str> = order.iter().map(|&(_, i)| words[i].as_str()).collect();
    let span = passage[lo..=hi].join(" ");
    let d = crate::matcher::levenshtein(&reordered.join(" "), &span);
    (d <= limit).then_some((first + lo, first + hi))
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

    #[test]
    fn a_clause_moved_with_a_word_changed_is_recognized() {
        let doc = loaded(
            "Queen. The lady protests too much, methinks. Ham. O, but she'll keep her word.",
        );
        let q = normalize("Methinks the lady doth protest too much");
        let limit = crate::matcher::max_distance(q.len(), 0.8);
        // The span its words cover: "The lady protests too much, methinks".
        assert_eq!(moved(&doc, &q, 0, 9, limit), Some((1, 6)));
        // In the passage's own order nothing moved: that is the aligner's business.
        let q = normalize("The lady doth protest too much methinks");
        assert_eq!(moved(&doc, &q, 0, 9, limit), None);
        // Common words moved about are no misquotation of it.
        let q = normalize("much the lady said she would keep");
        assert_eq!(moved(&doc, &q, 0, 14, limit), None);
    }
}
