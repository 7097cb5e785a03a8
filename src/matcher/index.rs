//! The token index: each word of a text and where it occurs.

use super::*;

/// Token index of one normalized text: token → indices of its occurrences.
#[derive(Debug, Default)]
pub struct Index {
    /// Keyed by the word in the text's own codes when it is narrow, else by its UTF-8.
    postings: FxHashMap<Box<[u8]>, Vec<u32>>,
    /// The narrow text's non-ASCII characters, by code; `None` for a wide text.
    upper: Option<Vec<char>>,
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
        Index { postings, upper }
    }

    /// The occurrences (token indices, ascending) of `word`.
    pub fn postings(&self, word: impl Iterator<Item = char>) -> &[u32] {
        let key: Vec<u8> = match &self.upper {
            Some(upper) => {
                let mut key = Vec::new();
                for c in word {
                    match encode(upper, c) {
                        Some(b) => key.push(b),
                        None => return &[],
                    }
                }
                key
            }
            None => word.collect::<String>().into_bytes(),
        };
        self.postings.get(&key[..]).map_or(&[], |v| v.as_slice())
    }
}
