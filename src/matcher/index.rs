//! The token index: each word of a text and where it occurs.

use super::*;

/// Token index of one normalized text: token → indices of its occurrences.
#[derive(Debug, Default)]
pub struct Index {
    /// Keyed by the word in the text's own codes when it is narrow, else by its UTF-8.
    postings: FxHashMap<Box<[u8]>, Vec<u32>>,
    /// The narrow text's non-ASCII characters, by code; `None` for a wide text.
    upper: Option<Vec<char>>,
    /// Every distinct word, for finding the words that contain a piece; built on first use.
    vocabulary: std::sync::OnceLock<Vocabulary>,
}

/// The index's keys joined by spaces (which no key contains), and where each starts.
#[derive(Debug, Default)]
struct Vocabulary {
    joined: Vec<u8>,
    starts: Vec<u32>,
}

impl Index {
    /// The index of a normalized text.
    pub fn build(norm: &Normalized) -> Index {
        let mut postings: FxHashMap<Box<[u8]>, Vec<u32>> = FxHashMap::default();
        let mut add = |key: &[u8], i: usize| match postings.get_mut(key) {
            Some(list) => list.push(i as u32),
            None => {
                postings.insert(key.into(), vec![i as u32]);
            }
        };
        let upper = match &norm.chars {
            // The tokens are the text's words between single spaces.
            Chars::Narrow { codes, upper } => {
                if !norm.is_empty() {
                    for (i, word) in codes.split(|&b| b == b' ').enumerate() {
                        add(word, i);
                    }
                }
                Some(upper.clone())
            }
            Chars::Wide(chars) => {
                if !norm.is_empty() {
                    let mut word = String::new();
                    for (i, w) in chars.split(|&c| c == ' ').enumerate() {
                        word.clear();
                        word.extend(w);
                        add(word.as_bytes(), i);
                    }
                }
                None
            }
        };
        postings.values_mut().for_each(|list| list.shrink_to_fit());
        Index {
            postings,
            upper,
            vocabulary: std::sync::OnceLock::new(),
        }
    }

    /// The key of `word` in this index's codes; `None` when the text lacks a character of it.
    fn key(&self, word: impl Iterator<Item = char>) -> Option<Vec<u8>> {
        match &self.upper {
            Some(upper) => word.map(|c| encode(upper, c)).collect(),
            None => Some(word.collect::<String>().into_bytes()),
        }
    }

    /// The occurrences of every word of the text that contains `piece` (a word or part of
    /// one), one list per word.
    pub(super) fn containing(&self, piece: &str) -> Vec<&[u32]> {
        let Some(key) = self.key(piece.chars()).filter(|k| !k.is_empty()) else {
            return Vec::new();
        };
        let v = self.vocabulary.get_or_init(|| {
            let mut v = Vocabulary::default();
            for word in self.postings.keys() {
                v.starts.push(v.joined.len() as u32);
                v.joined.extend_from_slice(word);
                v.joined.push(b' ');
            }
            v
        });
        let mut lists = Vec::new();
        let mut last_word = usize::MAX;
        for at in memchr::memmem::find_iter(&v.joined, &key) {
            // The word the match lies in (a match never spans the separating space).
            let w = v.starts.partition_point(|&s| s as usize <= at) - 1;
            if w == last_word {
                continue;
            }
            last_word = w;
            let start = v.starts[w] as usize;
            let end = v.starts.get(w + 1).map_or(v.joined.len(), |&e| e as usize) - 1;
            if let Some(list) = self.postings.get(&v.joined[start..end]) {
                lists.push(list.as_slice());
            }
        }
        lists
    }

    /// The occurrences (token indices, ascending) of `word`.
    pub fn postings(&self, word: impl Iterator<Item = char>) -> &[u32] {
        self.key(word)
            .and_then(|key| self.postings.get(&key[..]))
            .map_or(&[], |v| v.as_slice())
    }
}
