//! The token index: each word of a text and where it occurs.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use super::*;

/// Token index of one normalized text: token → indices of its occurrences.
///
/// Flat: the distinct words in one buffer and every word's occurrences in one array, found
/// through a table of word numbers. A few allocations per text however many words it has
/// (a map of one list per word cost some 130 bytes and two allocations per distinct word:
/// more than the text itself for a page of a few kilobytes).
#[derive(Debug, Default)]
pub struct Index {
    /// Every distinct word, in the text's own codes when it is narrow, else in UTF-8, each
    /// followed by a space (which no word contains): also the vocabulary that word pieces
    /// are looked for in.
    joined: Vec<u8>,
    /// Where each word starts in `joined`, by word number.
    starts: Vec<u32>,
    /// Word `w`'s occurrences are `positions[offsets[w]..offsets[w + 1]]`.
    offsets: Vec<u32>,
    /// Token indices, ascending within each word.
    positions: Vec<u32>,
    /// Word numbers, by the hash of their word.
    table: HashTable<u32>,
    /// The narrow text's non-ASCII characters, by code; `None` for a wide text.
    upper: Option<Vec<char>>,
    /// The buckets of the text's 3-grams, counted for each quote that a source small enough
    /// is aligned whole for ([`super::qgrams`]): made when the first such quote needs them.
    grams: std::sync::OnceLock<Vec<u16>>,
}

/// The same words, occurrences and table, however the index was made (its table's layout
/// aside).
#[cfg(test)]
impl PartialEq for Index {
    fn eq(&self, other: &Index) -> bool {
        let finds_all = |i: &Index| {
            (0..i.starts.len() as u32).all(|w| {
                let key = word(&i.joined, &i.starts, w);
                let hash = FxBuildHasher.hash_one(key);
                i.table
                    .find(hash, |&v| word(&i.joined, &i.starts, v) == key)
                    == Some(&w)
            })
        };
        (
            &self.joined,
            &self.starts,
            &self.offsets,
            &self.positions,
            &self.upper,
        ) == (
            &other.joined,
            &other.starts,
            &other.offsets,
            &other.positions,
            &other.upper,
        ) && self.table.len() == other.table.len()
            && finds_all(self)
            && finds_all(other)
    }
}

/// Word `w` of a vocabulary being built or built (without its space).
fn word<'a>(joined: &'a [u8], starts: &[u32], w: u32) -> &'a [u8] {
    let w = w as usize;
    let start = starts.get(w).map_or(0, |&s| s as usize);
    let end = starts.get(w + 1).map_or(joined.len(), |&e| e as usize);
    joined.get(start..end.saturating_sub(1)).unwrap_or(&[])
}

/// The hash the table keeps word `w` under.
fn word_hash(joined: &[u8], starts: &[u32], w: u32) -> u64 {
    FxBuildHasher.hash_one(word(joined, starts, w))
}

/// Texts of at least this many characters are indexed in parts, one per thread.
const PART_CHARS: usize = 1 << 21;

/// `build` run on up to `parts` pieces of `text` cut at `space`s (each piece whole words),
/// in parallel, and absorbed in order.
fn in_parts<T: Copy + PartialEq + Sync>(
    text: &[T],
    space: T,
    parts: usize,
    build: impl Fn(&[T]) -> Builder + Sync,
) -> Builder {
    use rayon::prelude::*;
    let mut cuts = vec![0];
    for i in 1..parts.max(1) {
        let from = (i * text.len() / parts).max(cuts[cuts.len() - 1]);
        if let Some(at) = text
            .get(from..)
            .and_then(|t| t.iter().position(|&c| c == space))
        {
            cuts.push(from + at);
        }
    }
    cuts.push(text.len());
    cuts.dedup();
    // Piece i is text[cuts[i]..cuts[i + 1]] less the space it starts with (the first has none).
    let pieces: Vec<&[T]> = cuts
        .windows(2)
        .enumerate()
        .map(|(i, w)| &text[w[0] + usize::from(i > 0)..w[1]])
        .collect();
    let built: Vec<Builder> = pieces.into_par_iter().map(&build).collect();
    let mut built = built.into_iter();
    let mut first = built.next().unwrap_or_default();
    for next in built {
        first.absorb(next);
    }
    first
}

/// Numbers words as they come, counting each one's occurrences.
#[derive(Default)]
struct Builder {
    joined: Vec<u8>,
    starts: Vec<u32>,
    counts: Vec<u32>,
    table: HashTable<u32>,
    /// Each token's word number, in text order, in [`Stream`]'s encoding.
    tokens: Stream,
    /// The token streams of the texts absorbed, in order, each with its words' numbers here.
    absorbed: Vec<(Stream, Vec<u32>)>,
}

/// Word numbers in two bytes each, or, from [`Stream::WIDE`] up, that mark and the number
/// in four more. Words are numbered as they first occur, so nearly every token's number is
/// small: two bytes a token rather than four while the finished index is laid out beside
/// them, and a branch that is almost never taken.
#[derive(Default)]
struct Stream {
    units: Vec<u16>,
    len: usize,
}

impl Stream {
    const WIDE: u32 = u16::MAX as u32;

    fn with_capacity(tokens: usize) -> Stream {
        Stream {
            units: Vec::with_capacity(tokens),
            len: 0,
        }
    }

    fn push(&mut self, w: u32) {
        if w < Self::WIDE {
            self.units.push(w as u16);
        } else {
            self.units.extend([u16::MAX, (w >> 16) as u16, w as u16]);
        }
        self.len += 1;
    }

    /// Call `f` with each number, in order.
    fn each(&self, mut f: impl FnMut(u32)) {
        let mut units = self.units.iter();
        while let Some(&u) = units.next() {
            if u32::from(u) < Self::WIDE {
                f(u32::from(u));
            } else if let (Some(&high), Some(&low)) = (units.next(), units.next()) {
                f(u32::from(high) << 16 | u32::from(low));
            }
        }
    }
}

impl Builder {
    /// A builder sized for a text of `chars` characters, so that it does not grow as it
    /// goes: a token per six characters, and a distinct word per four tokens up to a
    /// vocabulary's usual size (a large text repeats its words; a small table grows once).
    fn for_chars(chars: usize) -> Builder {
        let tokens = chars / 6 + 1;
        let words = (tokens / 4).min(1 << 16);
        Builder {
            joined: Vec::with_capacity(words * 8),
            starts: Vec::with_capacity(words),
            counts: Vec::with_capacity(words),
            table: HashTable::with_capacity(words),
            tokens: Stream::with_capacity(tokens),
            absorbed: Vec::new(),
        }
    }

    /// The number of `key`, numbered now if it is new.
    fn number(&mut self, key: &[u8]) -> u32 {
        let hash = FxBuildHasher.hash_one(key);
        let Builder {
            joined,
            starts,
            table,
            ..
        } = self;
        match table.find(hash, |&w| word(joined, starts, w) == key) {
            Some(&w) => w,
            None => {
                let w = starts.len() as u32;
                starts.push(joined.len() as u32);
                joined.extend_from_slice(key);
                joined.push(b' ');
                table.insert_unique(hash, w, |&w| word_hash(joined, starts, w));
                self.counts.push(0);
                w
            }
        }
    }

    fn add(&mut self, key: &[u8]) {
        let w = self.number(key);
        if let Some(c) = self.counts.get_mut(w as usize) {
            *c += 1;
        }
        self.tokens.push(w);
    }

    /// Append the words of the text that follows this one, numbered on its own. A word new
    /// here first occurs in `next`, and `next` numbers its words in the order they first
    /// occur, so the numbers are those one builder would have given. Its tokens are kept
    /// as they are, with its numbers here, and laid out by [`Builder::finish`].
    fn absorb(&mut self, next: Builder) {
        let numbers: Vec<u32> = (0..next.starts.len() as u32)
            .map(|w| {
                let g = self.number(word(&next.joined, &next.starts, w));
                let n = next.counts.get(w as usize).copied().unwrap_or(0);
                if let Some(c) = self.counts.get_mut(g as usize) {
                    *c += n;
                }
                g
            })
            .collect();
        // `in_parts` absorbs parts built on their own, each with its own tokens only.
        debug_assert!(next.absorbed.is_empty());
        self.absorbed.push((next.tokens, numbers));
    }

    /// Lay every word's occurrences out in one array, in word order.
    fn finish(self, upper: Option<Vec<char>>) -> Index {
        let mut offsets = Vec::with_capacity(self.counts.len() + 1);
        let mut total = 0u32;
        offsets.push(0);
        for c in &self.counts {
            total += c;
            offsets.push(total);
        }
        let mut next: Vec<u32> = offsets.clone();
        let tokens = self.tokens.len + self.absorbed.iter().map(|(t, _)| t.len).sum::<usize>();
        let mut positions = vec![0u32; tokens];
        let mut i = 0u32;
        let mut place = |w: u32| {
            // Each word's slots were counted above: `next[w]` stays below `offsets[w + 1]`.
            if let Some(at) = next.get_mut(w as usize) {
                if let Some(slot) = positions.get_mut(*at as usize) {
                    *slot = i;
                }
                *at += 1;
            }
            i += 1;
        };
        self.tokens.each(&mut place);
        // An absorbed text's tokens are its own word numbers, each below its `numbers.len()`.
        for (tokens, numbers) in &self.absorbed {
            tokens.each(|w| place(numbers.get(w as usize).copied().unwrap_or(u32::MAX)));
        }
        let mut joined = self.joined;
        joined.shrink_to_fit();
        Index {
            joined,
            starts: self.starts,
            offsets,
            positions,
            table: self.table,
            upper,
            grams: std::sync::OnceLock::new(),
        }
    }
}

impl Index {
    /// The buckets of the 3-grams of `t`, this index's text in its symbols.
    pub(super) fn grams<S: Symbol>(&self, t: &[S]) -> &[u16] {
        self.grams.get_or_init(|| super::qgrams::grams(t))
    }

    /// The index of a normalized text.
    pub fn build(norm: &Normalized) -> Index {
        Index::build_in_parts(
            norm,
            (norm.len() / PART_CHARS).clamp(1, rayon::current_num_threads()),
        )
    }

    /// [`Index::build`] with the text cut into up to `parts` runs of words, each numbered on
    /// its own thread and then joined in order: the same index however it is cut.
    fn build_in_parts(norm: &Normalized, parts: usize) -> Index {
        let upper = match &norm.chars {
            Chars::Narrow { upper, .. } => Some(upper.clone()),
            Chars::Wide(_) => None,
        };
        if norm.is_empty() {
            return Builder::default().finish(upper);
        }
        let built = match &norm.chars {
            // The tokens are the text's words between single spaces.
            Chars::Narrow { codes, .. } => in_parts(codes, b' ', parts, |part| {
                let mut b = Builder::for_chars(part.len());
                part.split(|&c| c == b' ').for_each(|w| b.add(w));
                b
            }),
            Chars::Wide(chars) => in_parts(chars, ' ', parts, |part| {
                let mut b = Builder::for_chars(part.len());
                let mut word = String::new();
                for w in part.split(|&c| c == ' ') {
                    word.clear();
                    word.extend(w);
                    b.add(word.as_bytes());
                }
                b
            }),
        };
        built.finish(upper)
    }

    /// Kept between runs ([`crate::stored`]); its table is made again on the way in.
    pub(crate) fn store(&self, out: &mut crate::stored::Out) -> std::io::Result<()> {
        out.array(&self.joined)?;
        out.array(&self.starts)?;
        out.array(&self.offsets)?;
        out.array(&self.positions)?;
        match &self.upper {
            Some(upper) => {
                out.u64(1)?;
                out.chars(upper)
            }
            None => out.u64(0),
        }
    }

    /// What [`Index::store`] wrote for a text of `tokens` tokens, if it is an index of one:
    /// words that start in order within the vocabulary, and occurrence lists that follow
    /// each other to the end of `positions`, each of a token of the text.
    pub(crate) fn load(input: &mut crate::stored::In, tokens: usize) -> Option<Index> {
        let joined: Vec<u8> = input.array()?;
        let starts: Vec<u32> = input.array()?;
        let offsets: Vec<u32> = input.array()?;
        let positions: Vec<u32> = input.array()?;
        let upper = match input.u64()? {
            0 => None,
            1 => Some(input.chars()?),
            _ => return None,
        };
        let words = starts.len();
        let vocabulary = starts.windows(2).all(|w| w[0] < w[1])
            && starts.first().is_none_or(|&s| s == 0)
            && starts.last().is_none_or(|&s| (s as usize) < joined.len());
        let lists = offsets.len() == words + 1
            && offsets.first() == Some(&0)
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && offsets.last().map(|&o| o as usize) == Some(positions.len())
            && positions.len() == tokens
            && positions.iter().all(|&p| (p as usize) < tokens);
        if !(vocabulary && lists) {
            return None;
        }
        let mut table = HashTable::with_capacity(words);
        for w in 0..words as u32 {
            let hash = word_hash(&joined, &starts, w);
            table.insert_unique(hash, w, |&w| word_hash(&joined, &starts, w));
        }
        Some(Index {
            joined,
            starts,
            offsets,
            positions,
            table,
            upper,
            grams: std::sync::OnceLock::new(),
        })
    }

    /// The key of `word` in this index's codes; `None` when the text lacks a character of it.
    fn key(&self, word: impl Iterator<Item = char>) -> Option<Vec<u8>> {
        match &self.upper {
            Some(upper) => word.map(|c| encode(upper, c)).collect(),
            None => Some(word.collect::<String>().into_bytes()),
        }
    }

    /// The occurrences of word number `w`.
    fn occurrences(&self, w: u32) -> &[u32] {
        let w = w as usize;
        match (self.offsets.get(w), self.offsets.get(w + 1)) {
            (Some(&a), Some(&b)) => self.positions.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The occurrences of every word of the text that contains `piece` (a word or part of
    /// one), one list per word.
    pub(super) fn containing(&self, piece: &str) -> Vec<&[u32]> {
        let Some(key) = self.key(piece.chars()).filter(|k| !k.is_empty()) else {
            return Vec::new();
        };
        let mut lists = Vec::new();
        let mut last_word = usize::MAX;
        for at in memchr::memmem::find_iter(&self.joined, &key) {
            // The word the match lies in (a match never spans the separating space).
            let w = self
                .starts
                .partition_point(|&s| s as usize <= at)
                .saturating_sub(1);
            if w == last_word {
                continue;
            }
            last_word = w;
            lists.push(self.occurrences(w as u32));
        }
        lists
    }

    /// The occurrences (token indices, ascending) of `word`.
    pub fn postings(&self, word: impl Iterator<Item = char>) -> &[u32] {
        let Some(key) = self.key(word) else {
            return &[];
        };
        let hash = FxBuildHasher.hash_one(&key[..]);
        let found = self.table.find(hash, |&w| {
            self::word(&self.joined, &self.starts, w) == &key[..]
        });
        found.map_or(&[], |&w| self.occurrences(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::normalize;

    /// Every word's postings and the words containing a piece, against a plain scan.
    fn agrees_with_a_scan(text: &str) {
        let norm = normalize(text);
        let index = Index::build(&norm);
        let words: Vec<String> = (0..norm.token_count())
            .map(|i| norm.token_chars(i).collect())
            .collect();
        let mut scanned: std::collections::HashMap<&str, Vec<u32>> = Default::default();
        for (i, w) in words.iter().enumerate() {
            scanned.entry(w).or_default().push(i as u32);
        }
        for (w, expected) in &scanned {
            assert_eq!(index.postings(w.chars()), &expected[..], "{w}");
        }
        assert!(index.postings("absent".chars()).is_empty());
        let piece: &str = &words[0].chars().take(2).collect::<String>();
        let mut containing: Vec<Vec<u32>> = index
            .containing(piece)
            .into_iter()
            .map(<[u32]>::to_vec)
            .collect();
        let mut distinct: Vec<&String> = words.iter().filter(|w| w.contains(piece)).collect();
        distinct.sort();
        distinct.dedup();
        let mut expected: Vec<Vec<u32>> = distinct
            .iter()
            .map(|w| index.postings(w.chars()).to_vec())
            .collect();
        containing.sort();
        expected.sort();
        assert_eq!(containing, expected, "{piece}");
    }

    proptest::proptest! {
        /// Cut into parts, the index is the one built in one go, word numbers included.
        #[test]
        fn parts_give_the_index_of_the_whole(
            words in proptest::collection::vec(0usize..12, 0..200),
            parts in 1usize..7,
            wide in proptest::bool::ANY,
        ) {
            let vocab = ["the", "cat", "sat", "on", "a", "mat", "straße", "é", "x1", "and", "ab", "b"];
            let mut text: Vec<&str> = words.iter().map(|&w| vocab[w]).collect();
            let han: String = (0..130).filter_map(|i| char::from_u32(0x4e00 + i)).collect();
            if wide {
                text.push(&han);
            }
            let norm = normalize(&text.join(" "));
            let whole = Index::build_in_parts(&norm, 1);
            let cut = Index::build_in_parts(&norm, parts);
            proptest::prop_assert_eq!(&whole.joined, &cut.joined);
            proptest::prop_assert_eq!(&whole.starts, &cut.starts);
            proptest::prop_assert_eq!(&whole.offsets, &cut.offsets);
            proptest::prop_assert_eq!(&whole.positions, &cut.positions);
            for w in vocab {
                proptest::prop_assert_eq!(whole.postings(w.chars()), cut.postings(w.chars()));
            }
        }
    }

    /// More distinct words than two bytes number (a `Stream`'s wide numbers), each twice, in
    /// an order that mixes early and late numbers.
    fn many_words() -> String {
        let distinct = 70_000u32;
        let words: Vec<String> = (0..2 * distinct)
            .map(|i| format!("w{}", (i * 7919) % distinct))
            .collect();
        words.join(" ")
    }

    #[test]
    fn parts_give_the_index_of_the_whole_past_two_byte_numbers() {
        let norm = normalize(&many_words());
        let whole = Index::build_in_parts(&norm, 1);
        for parts in [2, 3] {
            let cut = Index::build_in_parts(&norm, parts);
            assert_eq!(whole.starts, cut.starts);
            assert_eq!(whole.offsets, cut.offsets);
            assert_eq!(whole.positions, cut.positions);
        }
    }

    #[test]
    fn postings_and_pieces_agree_with_a_scan() {
        agrees_with_a_scan("the cat and the hat and the bat sat; that cat, the hat.");
        agrees_with_a_scan("Straße ist eine straße; die Straßenbahn fährt");
        // More than 127 distinct non-ASCII characters: a wide text.
        let wide: String = (0..200)
            .filter_map(|i| char::from_u32(0x4e00 + i))
            .collect::<Vec<char>>()
            .chunks(3)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<String>>()
            .join(" ");
        agrees_with_a_scan(&format!("{wide} {wide}"));
        agrees_with_a_scan(&many_words());
        let empty = Index::build(&normalize(""));
        assert!(empty.postings("a".chars()).is_empty());
        assert!(empty.containing("a").is_empty());
    }
}
