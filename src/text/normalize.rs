//! Normalization: the one definition of "the same words" shared by claims and sources.
//!
//! Text is NFKC-normalized and lowercased; tokens are maximal runs of alphanumeric characters
//! (plus combining marks attached to them); the normalized text is the tokens joined by single
//! spaces. Quotes, dashes, punctuation, case, line breaks and markup therefore never matter.
//! The token `sic` is dropped on both sides, so `[sic]` in a claim and `sic` in a source agree.

use super::lexicon;
use super::starts::Starts;
use crate::stored::{In, Out};
use rayon::prelude::*;
use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The characters of a normalized text. Most texts use few distinct characters, so they are
/// kept one byte each (a quarter of the memory, and faster to align): ASCII as itself, others
/// as codes from 128 up, listed in `upper`. A text with more distinct non-ASCII characters
/// than codes keeps 4-byte `char`s.
#[derive(Debug, Clone, PartialEq)]
pub enum Chars {
    /// One byte a character.
    Narrow {
        /// ASCII as itself, other characters as 128 + their place in `upper`.
        codes: Vec<u8>,
        /// The text's non-ASCII characters, in the order first seen.
        upper: Vec<char>,
    },
    /// Four bytes a character.
    Wide(Vec<char>),
}

/// Where the `n`-th space (from 0) of `codes` is, read eight bytes at a time: a token's start
/// is at most 15 words past its mark, and its end one word past its start, too near for
/// `memchr` to pay for each call.
fn nth_space(codes: &[u8], mut n: usize) -> Option<usize> {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let (words, tail) = codes.as_chunks::<8>();
    for (k, word) in words.iter().enumerate() {
        // The high bit of each byte that is a space, and only of those.
        let y = u64::from_le_bytes(*word) ^ 0x2020_2020_2020_2020;
        let mut spaces = !(((y & LOW) + LOW) | y | LOW);
        while spaces != 0 {
            if n == 0 {
                return Some(k * 8 + spaces.trailing_zeros() as usize / 8);
            }
            n -= 1;
            spaces &= spaces - 1;
        }
    }
    let from = words.len() * 8;
    tail.iter()
        .enumerate()
        .filter(|&(_, &c)| c == b' ')
        .nth(n)
        .map(|(k, _)| from + k)
}

/// The code that stands for "a character this text does not have": never equal to any of
/// the text's own codes.
pub const ABSENT: u8 = 255;
const FIRST_UPPER: usize = 128;
const MAX_UPPER: usize = ABSENT as usize - FIRST_UPPER;

impl Default for Chars {
    fn default() -> Self {
        Chars::Narrow {
            codes: Vec::new(),
            upper: Vec::new(),
        }
    }
}

impl Chars {
    /// Characters.
    pub fn len(&self) -> usize {
        match self {
            Chars::Narrow { codes, .. } => codes.len(),
            Chars::Wide(c) => c.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Character `i`.
    pub fn get(&self, i: usize) -> char {
        match self {
            Chars::Narrow { codes, upper } => decode(upper, codes[i]),
            Chars::Wide(c) => c[i],
        }
    }

    /// This text's code for `c` ([`ABSENT`] when it has no such character). Only for narrow
    /// texts.
    pub fn code(&self, c: char) -> u8 {
        match self {
            Chars::Narrow { upper, .. } => encode(upper, c).unwrap_or(ABSENT),
            Chars::Wide(_) => ABSENT,
        }
    }

    /// Characters `range`, decoded.
    pub fn iter(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = char> + '_ {
        range.map(|i| self.get(i))
    }

    /// Whether the characters from `start` on begin with the ASCII word `word`.
    fn reads(&self, start: usize, word: &str) -> bool {
        match self {
            Chars::Narrow { codes, .. } => codes
                .get(start..)
                .is_some_and(|c| c.starts_with(word.as_bytes())),
            Chars::Wide(c) => c
                .get(start..)
                .is_some_and(|c| c.iter().copied().take(word.len()).eq(word.chars())),
        }
    }

    fn push(&mut self, c: char) {
        match self {
            Chars::Narrow { codes, upper } => match encode(upper, c) {
                Some(code) => codes.push(code),
                None if upper.len() < MAX_UPPER => {
                    upper.push(c);
                    codes.push((FIRST_UPPER + upper.len() - 1) as u8);
                }
                None => {
                    let mut wide: Vec<char> = Vec::with_capacity(codes.capacity());
                    wide.extend(codes.iter().map(|&b| decode(upper, b)));
                    wide.push(c);
                    *self = Chars::Wide(wide);
                }
            },
            Chars::Wide(w) => w.push(c),
        }
    }

    /// `push` of each byte of `run`, lowercased (ASCII letters and digits only).
    fn extend_ascii(&mut self, run: &[u8]) {
        match self {
            Chars::Narrow { codes, .. } => codes.extend(run.iter().map(u8::to_ascii_lowercase)),
            Chars::Wide(w) => w.extend(run.iter().map(|b| b.to_ascii_lowercase() as char)),
        }
    }

    fn truncate(&mut self, len: usize) {
        match self {
            Chars::Narrow { codes, .. } => codes.truncate(len),
            Chars::Wide(c) => c.truncate(len),
        }
    }

    fn shrink_to_fit(&mut self) {
        match self {
            Chars::Narrow { codes, .. } => codes.shrink_to_fit(),
            Chars::Wide(c) => c.shrink_to_fit(),
        }
    }
}

pub(crate) fn encode(upper: &[char], c: char) -> Option<u8> {
    if c.is_ascii() {
        return Some(c as u8);
    }
    upper
        .iter()
        .position(|&u| u == c)
        .map(|i| (FIRST_UPPER + i) as u8)
}

fn decode(upper: &[char], b: u8) -> char {
    if b < FIRST_UPPER as u8 {
        b as char
    } else {
        upper
            .get(b as usize - FIRST_UPPER)
            .copied()
            .unwrap_or('\u{FFFD}')
    }
}

/// A normalized text: its characters (tokens joined by single spaces) and where each token
/// was read from. A large source has tens of millions of tokens, so a token costs about
/// 2 bytes: its input offset ([`Starts`]); its start in the characters is found by counting
/// spaces from the nearest mark, and its ends are derived ([`Normalized::token_end`],
/// [`Normalized::src_range`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Normalized {
    /// The normalized characters: words separated by single spaces.
    pub chars: Chars,
    /// Byte offset in the input text (the visible text of a document, or the claim) where
    /// each token starts.
    src_starts: Starts,
    /// The character index where every [`MARK_EVERY`]-th token starts.
    marks: Vec<u32>,
    /// `(token, input end)` for the few tokens whose input is not their normalized word's
    /// UTF-8 length long (case or Unicode forms that change length, invisible characters),
    /// ascending.
    odd_ends: Vec<(u32, u32)>,
}

/// Tokens between two marks: finding a start reads at most this many words of characters.
const MARK_EVERY: usize = 16;

impl Normalized {
    /// Kept between runs ([`crate::stored`]).
    pub(crate) fn store(&self, out: &mut Out) -> std::io::Result<()> {
        match &self.chars {
            Chars::Narrow { codes, upper } => {
                out.u64(0)?;
                out.array(codes)?;
                out.chars(upper)?;
            }
            Chars::Wide(chars) => {
                out.u64(1)?;
                out.chars(chars)?;
            }
        }
        self.src_starts.store(out)?;
        out.array(&self.marks)?;
        out.pairs(&self.odd_ends)
    }

    /// What [`Normalized::store`] wrote, if its parts agree in size: a mark for every
    /// [`MARK_EVERY`] tokens, each within the text, and a code for every non-ASCII character.
    pub(crate) fn load(input: &mut In) -> Option<Normalized> {
        let chars = match input.u64()? {
            0 => Chars::Narrow {
                codes: input.array()?,
                upper: input.chars()?,
            },
            1 => Chars::Wide(input.chars()?),
            _ => return None,
        };
        let norm = Normalized {
            chars,
            src_starts: Starts::load(input)?,
            marks: input.array()?,
            odd_ends: input.pairs()?,
        };
        let tokens = norm.token_count();
        let fits = match &norm.chars {
            Chars::Narrow { upper, .. } => upper.len() <= MAX_UPPER,
            Chars::Wide(_) => true,
        };
        let marked = norm.marks.len() == tokens.div_ceil(MARK_EVERY)
            && norm.marks.iter().all(|&m| (m as usize) <= norm.len());
        let odd = norm
            .odd_ends
            .last()
            .is_none_or(|&(t, _)| (t as usize) < tokens);
        (fits && marked && odd).then_some(norm)
    }
}

impl Normalized {
    /// Whether the text has no words.
    pub fn is_empty(&self) -> bool {
        self.src_starts.is_empty()
    }

    /// Number of tokens.
    pub fn token_count(&self) -> usize {
        self.src_starts.len()
    }

    /// Character index of token `i`'s first character.
    pub fn token_start(&self, i: usize) -> usize {
        let mut at = self.marks[i / MARK_EVERY] as usize;
        let skip = i % MARK_EVERY;
        if let (Chars::Narrow { codes, .. }, 1..) = (&self.chars, skip) {
            let rest = codes.get(at..).unwrap_or(&[]);
            return nth_space(rest, skip - 1).map_or(self.len(), |k| at + k + 1);
        }
        for _ in 0..skip {
            at = self.space_after(at) + 1;
        }
        at
    }

    /// Byte offset in the input where token `i` starts.
    pub fn src_start(&self, i: usize) -> usize {
        self.src_starts.get(i)
    }

    /// The character index of every token's start, in order.
    pub fn token_starts(&self) -> impl Iterator<Item = usize> + '_ {
        self.spans(0..self.token_count()).map(|span| span.start)
    }

    /// The first space at or after character `at` (the text's length if none).
    fn space_after(&self, at: usize) -> usize {
        let found = match &self.chars {
            Chars::Narrow { codes, .. } => nth_space(codes.get(at..).unwrap_or(&[]), 0),
            Chars::Wide(c) => c.get(at..).unwrap_or(&[]).iter().position(|&c| c == ' '),
        };
        found.map_or(self.len(), |k| at + k)
    }

    /// The same text kept as 4-byte characters, as a text with many distinct characters is
    /// (so tests can hold both forms to the same results).
    #[cfg(any(test, feature = "testing"))]
    pub fn widened(&self) -> Normalized {
        Normalized {
            chars: Chars::Wide(self.chars.iter(0..self.len()).collect()),
            ..self.clone()
        }
    }

    /// Length in characters.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// The normalized text as a string.
    pub fn as_string(&self) -> String {
        self.chars.iter(0..self.chars.len()).collect()
    }

    /// Character index just past token `i` (tokens are separated by one space).
    pub fn token_end(&self, i: usize) -> usize {
        self.space_after(self.token_start(i))
    }

    /// The byte range of the input that token `i` was read from.
    pub fn src_range(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.src_start(i);
        let end = match self.odd_ends.binary_search_by_key(&(i as u32), |&(t, _)| t) {
            Ok(k) => self.odd_ends[k].1 as usize,
            Err(_) => start + self.token_chars(i).map(char::len_utf8).sum::<usize>(),
        };
        start..end
    }

    /// The input between tokens `i` and `j` (`i < j`): empty where they overlap, as the
    /// several tokens one character can make (`㍿`, four ideographs) do.
    pub fn src_between(&self, i: usize, j: usize) -> std::ops::Range<usize> {
        let start = self.src_start(j);
        self.src_range(i).end.min(start)..start
    }

    /// The normalized text of tokens `first..=last`.
    pub fn token_text(&self, first: usize, last: usize) -> String {
        let a = self.token_start(first);
        self.chars.iter(a..self.token_end(last)).collect()
    }

    /// The characters of token `i`.
    pub fn token_chars(&self, i: usize) -> impl Iterator<Item = char> + '_ {
        let start = self.token_start(i);
        self.chars.iter(start..self.space_after(start))
    }

    /// The word of token `i`.
    pub fn word(&self, i: usize) -> String {
        self.token_chars(i).collect()
    }

    /// The words of tokens `range`, in order.
    pub fn words_in(&self, range: std::ops::Range<usize>) -> Vec<String> {
        self.spans(range)
            .map(|span| self.chars.iter(span).collect())
            .collect()
    }

    /// The character ranges of tokens `range`, in order: one scan, where finding each token
    /// afresh would go back to its mark.
    pub fn spans(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        let mut at = if range.is_empty() {
            0
        } else {
            self.token_start(range.start)
        };
        range.map(move |_| {
            let end = self.space_after(at);
            let span = at..end;
            at = end + 1;
            span
        })
    }

    /// All the words, in order.
    pub fn words(&self) -> Vec<String> {
        self.words_in(0..self.token_count())
    }

    /// Whether `other`'s whole text occurs here at character `start`, ending at a token end.
    pub fn has_at(&self, start: usize, other: &Normalized) -> bool {
        let end = start + other.len();
        if end > self.len() || (end < self.len() && self.chars.get(end) != ' ') {
            return false;
        }
        match (&self.chars, &other.chars) {
            // ASCII is its own code in every narrow text.
            (
                Chars::Narrow { codes, .. },
                Chars::Narrow {
                    codes: theirs,
                    upper,
                },
            ) if upper.is_empty() => codes[start..end] == theirs[..],
            _ => (0..other.len()).all(|i| self.chars.get(start + i) == other.chars.get(i)),
        }
    }

    /// Index of the token that contains (or starts at) character `pos`.
    pub fn token_at(&self, pos: u32) -> usize {
        let pos = pos as usize;
        let mark = self
            .marks
            .partition_point(|&m| m as usize <= pos)
            .saturating_sub(1);
        let first = mark * MARK_EVERY;
        let after = self
            .spans(first..self.token_count())
            .take_while(|span| span.start <= pos)
            .count();
        (first + after).saturating_sub(1)
    }
}

/// Characters that are invisible formatting: they join, never separate (`exam\u{AD}ple`).
fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Characters of scripts written without spaces between words, each a token of its own so
/// that any part of a run can be quoted: Han ideographs (Chinese, Japanese kanji), and
/// Japanese kana. (Thai, Lao, Khmer and Burmese need a dictionary to find their words; their
/// runs stay one token each.)
fn is_word_by_itself(c: char) -> bool {
    matches!(
        c,
        '\u{3005}'..='\u{3007}'
            | '\u{3040}'..='\u{30FF}'
            | '\u{31F0}'..='\u{31FF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{3134F}'
    )
}

/// The length in bytes of a hyphen at `text[at]` and the line break after it, when a
/// lowercase letter follows the break: `treat-\nment` (spaces may stand around the break).
fn line_break_after_hyphen(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at + 1..)?;
    let after = rest.trim_start_matches([' ', '\t']);
    let after = after
        .strip_prefix("\r\n")
        .or_else(|| after.strip_prefix('\n'))?;
    let after = after.trim_start_matches([' ', '\t']);
    after
        .starts_with(char::is_lowercase)
        .then(|| text.len() - at - after.len())
}

/// The compounds `text` spells with a hyphen on one line (`self-evident`), lowercased: a word
/// a typesetter broke at its own hyphen (`self-\nevident`) keeps the hyphen when the text
/// spells it so elsewhere. Empty, without a pass over the text, when no line ends in a hyphen.
fn hyphenated_compounds(text: &str) -> HashSet<String> {
    let mut found = HashSet::new();
    if !text.contains("-\n") && !text.contains("- \n") && !text.contains("-\r\n") {
        return found;
    }
    for (at, _) in text.match_indices('-') {
        if line_break_after_hyphen(text, at).is_none()
            && let Some(key) = compound_at(text, at, 1)
        {
            found.insert(key);
        }
    }
    found
}

/// The words on either side of the hyphen at `text[at]` (the hyphen and what follows it
/// `skip` bytes long), lowercased and joined by a hyphen, when both are letters.
fn compound_at(text: &str, at: usize, skip: usize) -> Option<String> {
    let before = text.get(..at)?;
    let after = text.get(at + skip..)?;
    let left_len: usize = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    let right_len: usize = after
        .chars()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum();
    (left_len > 0 && right_len > 0).then(|| {
        format!(
            "{}-{}",
            &before[before.len() - left_len..],
            &after[..right_len]
        )
        .to_lowercase()
    })
}

/// The length in bytes of the citation marker that starts at `text[at]`, if one does: a
/// bracket of numbers (`[13]`, `[13, 14]`, `[13–15]`) set right after a word or a punctuation
/// mark, with no space, as references are printed (`shown before[13].`, `shown.[13][14]`).
/// A bracketed number after a space (`a ratio of [3] to one`) is text.
pub(crate) fn citation_marker_len(text: &str, at: usize) -> Option<usize> {
    const LONGEST: usize = 40;
    let before = text.get(..at)?.chars().next_back()?;
    if before.is_whitespace() || !(before.is_alphanumeric() || ".,;:)]\"'”’".contains(before)) {
        return None;
    }
    let rest = text.get(at..)?.as_bytes();
    if rest.first() != Some(&b'[') {
        return None;
    }
    let close = rest.iter().take(LONGEST).position(|&b| b == b']')?;
    let inner = text.get(at + 1..at + close)?;
    let numbers = inner.starts_with(|c: char| c.is_ascii_digit())
        && inner.ends_with(|c: char| c.is_ascii_digit())
        && inner
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | ' ' | '-' | '–'));
    numbers.then_some(close + 1)
}

/// Whether `text` surely normalizes to at least one token, known without normalizing it:
/// it has a run of four or more ASCII letters and digits with a letter among them. Such a
/// run lies in one token (an ASCII letter or digit never ends one), which is then neither
/// `sic` nor a citation marker (digits only), the only tokens normalizing drops. False says
/// nothing: normalize to know.
pub(crate) fn surely_has_words(text: &str) -> bool {
    let (mut run, mut letter) = (0usize, false);
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() {
            run += 1;
            letter |= b.is_ascii_alphabetic();
            if run >= 4 && letter {
                return true;
            }
        } else {
            (run, letter) = (0, false);
        }
    }
    false
}

/// `⁰`–`⁹`.
fn is_superscript_digit(c: char) -> bool {
    matches!(c, '⁰' | '¹' | '²' | '³' | '⁴'..='⁹')
}

/// Symbols NFKC would spell out in letters (`™` → `TM`), gluing them to the word they mark
/// (`Tegsedi™` would read `tegseditm`): they separate words, as `®` and `©` do.
fn is_spelled_symbol(c: char) -> bool {
    matches!(c, '™' | '℠' | '℡')
}

struct Builder {
    out: Normalized,
    /// Byte offset (in the input) where the current token began, if one is open.
    open: Option<u32>,
    open_start: u32,
    /// UTF-8 length of the current token's normalized characters.
    open_bytes: u32,
}

impl Builder {
    /// Whether superscript digits after `before` are a citation rather than an exponent: after
    /// a word of three letters or more, or after closing punctuation. After a shorter word or
    /// a number they are a power (`m²`, `R²`, `10³`) and read as digits.
    fn cites_after(&self, before: Option<char>) -> bool {
        let Some(before) = before else {
            return false;
        };
        match self.open {
            Some(_) => {
                let start = self.open_start as usize;
                let word = self.out.chars.iter(start..self.out.chars.len());
                before.is_alphabetic() && word.take(3).filter(|c| c.is_alphabetic()).count() == 3
            }
            None => ".,;:)]”’\"'".contains(before),
        }
    }

    /// Start a token read from input byte `src`, unless one is open.
    fn open_at(&mut self, src: u32) {
        if self.open.is_none() {
            if !self.out.is_empty() {
                self.out.chars.push(' ');
            }
            self.open = Some(src);
            self.open_start = self.out.chars.len() as u32;
            self.open_bytes = 0;
        }
    }

    fn push_char(&mut self, c: char, src: u32) {
        self.open_at(src);
        self.out.chars.push(c);
        self.open_bytes += c.len_utf8() as u32;
    }

    /// ASCII letters and digits read from input byte `src` on (`push_char` for each,
    /// lowercased).
    fn push_ascii(&mut self, run: &[u8], src: u32) {
        self.open_at(src);
        self.out.chars.extend_ascii(run);
        self.open_bytes += run.len() as u32;
    }

    fn close(&mut self, src_end: u32) {
        let Some(src_start) = self.open.take() else {
            return;
        };
        let start = self.open_start;
        let len = self.out.chars.len() as u32 - start;
        if len == 3 && self.out.chars.reads(start as usize, "sic") {
            // Drop `sic` and the space that was pushed before it.
            let keep = if self.out.is_empty() {
                start
            } else {
                start - 1
            };
            self.out.chars.truncate(keep as usize);
            return;
        }
        let i = self.out.token_count();
        if src_end != src_start + self.open_bytes {
            self.out.odd_ends.push((i as u32, src_end));
        }
        if i.is_multiple_of(MARK_EVERY) {
            self.out.marks.push(start);
        }
        self.out.src_starts.push(src_start);
    }
}

/// Texts at least this long are normalized in parts, one per thread, and joined: a large
/// source is read once, and a single thread would leave the others idle while it loads.
const PART_BYTES: usize = 1 << 22;

/// Normalize `text`; token source ranges are byte offsets into `text`.
pub fn normalize(text: &str) -> Normalized {
    let parts = (text.len() / PART_BYTES).clamp(1, rayon::current_num_threads());
    normalize_in_parts(text, parts)
}

/// [`normalize`], with the text cut into up to `parts` pieces normalized in parallel and
/// joined; the result is the same however it is cut.
fn normalize_in_parts(text: &str, parts: usize) -> Normalized {
    // Cut just after ASCII whitespace followed by an ASCII letter, and not after a hyphen: no
    // token, no character with its combining marks, no invisible joiner, no citation marker
    // (digits, commas and spaces) and no word hyphenated at a line break spans a cut, and
    // normalizing starts afresh there as it does after any whitespace.
    let mut cuts = vec![0];
    let bytes = text.as_bytes();
    for i in 1..parts.max(1) {
        let from = (i * text.len() / parts).max(cuts[cuts.len() - 1]);
        let safe = (from..bytes.len().saturating_sub(1)).find(|&p| {
            bytes[p].is_ascii_whitespace()
                && bytes[p + 1].is_ascii_alphabetic()
                && !text[..p].trim_end().ends_with('-')
        });
        if let Some(p) = safe {
            cuts.push(p + 1);
        }
    }
    cuts.push(text.len());
    cuts.dedup();
    let compounds = hyphenated_compounds(text);
    if cuts.len() <= 2 {
        return normalize_one(text, &compounds);
    }
    let pieces: Vec<(usize, Normalized)> = cuts
        .par_windows(2)
        .map(|w| (w[0], normalize_one(&text[w[0]..w[1]], &compounds)))
        .collect();
    let mut pieces = pieces.into_iter();
    let (_, mut out) = pieces.next().expect("at least one piece");
    for (offset, piece) in pieces {
        out.append(piece, offset as u32);
    }
    out
}

impl Normalized {
    /// Put `next`, normalized from the input that follows this one's at byte `offset`, after
    /// this text, as if both had been normalized in one go.
    fn append(&mut self, next: Normalized, offset: u32) {
        if next.is_empty() {
            return;
        }
        if !self.is_empty() {
            self.chars.push(' ');
        }
        let at = self.len();
        let before = self.token_count();
        // Its non-ASCII characters take the codes this text gives them (or new ones, in the
        // order they first occur, as one pass would give them).
        match (&mut self.chars, &next.chars) {
            (
                Chars::Narrow { codes, upper },
                Chars::Narrow {
                    codes: theirs,
                    upper: their_upper,
                },
            ) if upper.len() + their_upper.iter().filter(|c| !upper.contains(c)).count()
                <= MAX_UPPER =>
            {
                let mut recode: Vec<u8> = (0..=255).collect();
                for (i, &c) in their_upper.iter().enumerate() {
                    recode[FIRST_UPPER + i] = match encode(upper, c) {
                        Some(code) => code,
                        None => {
                            upper.push(c);
                            (FIRST_UPPER + upper.len() - 1) as u8
                        }
                    };
                }
                // ASCII stands for itself, and most text is ASCII: a stretch without another
                // code is copied whole (the join is on the path before the first claim).
                codes.reserve(theirs.len());
                for stretch in theirs.chunks(64) {
                    if usize::from(stretch.iter().fold(0, |any, &b| any | b)) < FIRST_UPPER {
                        codes.extend_from_slice(stretch);
                    } else {
                        codes.extend(stretch.iter().map(|&b| recode[b as usize]));
                    }
                }
            }
            _ => {
                let mut wide: Vec<char> = self.chars.iter(0..self.len()).collect();
                wide.extend(next.chars.iter(0..next.len()));
                self.chars = Chars::Wide(wide);
            }
        }
        self.odd_ends.extend(
            next.odd_ends
                .iter()
                .map(|&(t, end)| (t + before as u32, end + offset)),
        );
        // Marks every MARK_EVERY tokens counted from the start of the whole text.
        let first_marked = (MARK_EVERY - before % MARK_EVERY) % MARK_EVERY;
        self.marks.extend(
            (first_marked..next.token_count())
                .step_by(MARK_EVERY)
                .map(|j| (at + next.token_start(j)) as u32),
        );
        self.src_starts.append(next.src_starts, offset);
    }
}

/// The characters of a text with their byte offsets, as `char_indices` gives them, but able
/// to jump ahead in one step (past an ASCII word read at once, or a citation marker).
struct Cursor<'a> {
    text: &'a str,
    /// Always at a character boundary.
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<(usize, char)> {
        let &b = self.text.as_bytes().get(self.at)?;
        if b.is_ascii() {
            return Some((self.at, b as char));
        }
        Some((self.at, self.text.get(self.at..)?.chars().next()?))
    }

    /// On to the first character that starts at `end` or after it.
    fn skip_to(&mut self, end: usize) {
        let mut end = end.min(self.text.len()).max(self.at);
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        self.at = end;
    }
}

impl Iterator for Cursor<'_> {
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        let (at, c) = self.peek()?;
        self.at = at + c.len_utf8();
        Some((at, c))
    }
}

fn normalize_one(text: &str, compounds: &HashSet<String>) -> Normalized {
    normalize_one_by::<true>(text, compounds)
}

/// How the ASCII stretch in [`normalize_one_by`] reads a byte.
const WORD: u8 = 1;
/// ASCII that only ends a token, as any ASCII but a letter or digit does where no combining
/// mark follows; `[` and `-` are not, since a citation marker or a word hyphenated at a line
/// break may start there.
const SEPARATOR: u8 = 2;
static ASCII_CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        class[b] = if c.is_ascii_alphanumeric() {
            WORD
        } else if c == b'[' || c == b'-' {
            0
        } else {
            SEPARATOR
        };
        b += 1;
    }
    class
};

/// [`normalize_one`]; `STRETCH` false reads ASCII one character at a time, the reference
/// the stretch is held to.
fn normalize_one_by<const STRETCH: bool>(text: &str, compounds: &HashSet<String>) -> Normalized {
    let mut b = Builder {
        out: Normalized {
            chars: Chars::Narrow {
                codes: Vec::with_capacity(text.len()),
                upper: Vec::new(),
            },
            src_starts: Starts::with_capacity(text.len() / 5),
            marks: Vec::with_capacity(text.len() / 5 / MARK_EVERY),
            odd_ends: Vec::new(),
        },
        open: None,
        open_start: 0,
        open_bytes: 0,
    };
    let mut it = Cursor { text, at: 0 };
    let mut cluster = String::new();
    let mut prev: Option<char> = None;
    while let Some((off, c)) = it.next() {
        let before = prev.replace(c);
        let off = off as u32;
        let next_is_mark = it
            .peek()
            .is_some_and(|(_, n)| !n.is_ascii() && is_combining_mark(n));
        if c == '['
            && let Some(len) = citation_marker_len(text, off as usize)
        {
            // A citation marker is no part of the text.
            b.close(off);
            let end = off as usize + len;
            it.skip_to(end);
            prev = Some(']');
            continue;
        }
        if c == '-'
            && b.open.is_some()
            && before.is_some_and(char::is_lowercase)
            && let Some(len) = line_break_after_hyphen(text, off as usize)
            && !compound_at(text, off as usize, len).is_some_and(|k| compounds.contains(&k))
        {
            // A word hyphenated at a line break is one word: the hyphen and the break go
            // (unless the text spells the compound with its hyphen elsewhere).
            it.skip_to(off as usize + len);
            continue;
        }
        if c.is_ascii() && !next_is_mark && !STRETCH {
            if c.is_ascii_alphanumeric() {
                b.push_char(c.to_ascii_lowercase(), off);
            } else {
                b.close(off);
            }
            continue;
        }
        if c.is_ascii() && !next_is_mark {
            // A stretch of ASCII at once: each word pushed whole and each separator closing
            // the open token, as this loop would one character at a time. It stops where a
            // look at the neighbours is needed: at `[` or `-`, before a non-ASCII character
            // (a combining mark belongs with the letter before it), and at a word's last
            // letter when a mark follows it.
            let bytes = text.as_bytes();
            let mut at = off as usize;
            if !c.is_ascii_alphanumeric() {
                // Read here already, for `[` and `-` too.
                b.close(off);
                at += 1;
            }
            while let Some(&n) = bytes.get(at) {
                let class = ASCII_CLASS[usize::from(n)];
                let after = bytes.get(at + 1).copied();
                if class == SEPARATOR && after.is_none_or(|a| a.is_ascii()) {
                    b.close(at as u32);
                    prev = Some(n as char);
                    at += 1;
                    continue;
                }
                if class != WORD {
                    break;
                }
                let mut end = at + 1;
                while bytes
                    .get(end)
                    .is_some_and(|&l| ASCII_CLASS[usize::from(l)] == WORD)
                {
                    end += 1;
                }
                let marked = |m: char| !m.is_ascii() && is_combining_mark(m);
                if bytes.get(end).is_some_and(|l| !l.is_ascii())
                    && text
                        .get(end..)
                        .and_then(|t| t.chars().next())
                        .is_some_and(marked)
                {
                    end -= 1;
                }
                // Empty when a mark follows a one-letter word: the loop below reads it.
                let Some(run @ [.., last]) = bytes.get(at..end) else {
                    break;
                };
                b.push_ascii(run, at as u32);
                prev = Some(*last as char);
                at = end;
            }
            it.skip_to(at);
            continue;
        }
        if is_ignorable(c) {
            continue;
        }
        if is_spelled_symbol(c) {
            b.close(off);
            continue;
        }
        if is_superscript_digit(c) && b.cites_after(before) {
            // A superscript citation (`shown¹³`, `mice.¹⁴⁻¹⁶`): no part of the text.
            b.close(off);
            while it
                .peek()
                .is_some_and(|(_, n)| is_superscript_digit(n) || matches!(n, '⁻' | ',' | '–'))
            {
                it.next();
            }
            continue;
        }
        // A Greek letter among Latin letters or digits, or alone, reads as its name
        // (`TNF-α` is `tnf alpha`, `β2` is `beta2`); a Greek word stays Greek.
        let greek_neighbour = |n: Option<char>| n.is_some_and(lexicon::is_greek);
        if let Some(name) = lexicon::greek_name(c)
            && !greek_neighbour(before)
            && !greek_neighbour(it.peek().map(|(_, n)| n))
        {
            name.chars().for_each(|l| b.push_char(l, off));
            continue;
        }
        // A base character with its combining marks, normalized together so that
        // "e\u{301}" and "é" agree.
        cluster.clear();
        cluster.push(c);
        while let Some((_, m)) = it.peek() {
            if !(is_combining_mark(m) || is_ignorable(m)) {
                break;
            }
            if !is_ignorable(m) {
                cluster.push(m);
            }
            it.next();
        }
        let end = it.peek().map_or(text.len(), |(o, _)| o) as u32;
        for n in cluster.nfkc() {
            for l in n.to_lowercase() {
                if is_word_by_itself(l) {
                    b.close(off);
                    b.push_char(l, off);
                    b.close(end);
                } else if l.is_alphanumeric() || (is_combining_mark(l) && b.open.is_some()) {
                    b.push_char(l, off);
                } else {
                    b.close(off);
                }
            }
        }
    }
    b.close(text.len() as u32);
    b.out.chars.shrink_to_fit();
    b.out.src_starts.shrink_to_fit();
    b.out.marks.shrink_to_fit();
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize(s).as_string()
    }

    #[test]
    fn ideographs_and_kana_are_words_by_themselves() {
        assert_eq!(norm("我学数学。"), "我 学 数 学");
        assert_eq!(norm("日本語のテキスト"), "日 本 語 の テ キ ス ト");
        // Mixed with Latin letters and digits, each keeps its own words.
        assert_eq!(norm("COVID-19疫苗ABC"), "covid 19 疫 苗 abc");
        // Hangul is written with spaces: its words stay whole.
        assert_eq!(norm("한국어 텍스트"), "한국어 텍스트");
        let n = normalize("我学数学。");
        assert_eq!(n.token_count(), 4);
        assert_eq!(n.src_range(2), 6..9);
    }

    #[test]
    fn an_ascii_word_read_at_once_keeps_a_combining_mark_on_its_last_letter() {
        // Decomposed and composed forms agree, with the mark at a word's end or inside it.
        assert_eq!(norm("Cafe\u{301} AU lait"), norm("Café au lait"));
        assert_eq!(norm("Cafe\u{301}s"), norm("Cafés"));
        assert_eq!(norm("naïve NAI\u{308}VE"), "naïve naïve");
        // Offsets of each word, as read one character at a time.
        let n = normalize("Hello, WORLD2 e\u{301}tude x");
        let words: Vec<std::ops::Range<usize>> =
            (0..n.token_count()).map(|i| n.src_range(i)).collect();
        assert_eq!(words, [0..5, 7..13, 14..21, 22..23]);
        assert_eq!(n.as_string(), "hello world2 étude x");
    }

    #[test]
    fn a_greek_letter_among_latin_ones_reads_as_its_name() {
        assert_eq!(
            norm("TNF-α and α-catenin, β2 and IL-1β"),
            norm("TNF-alpha and alpha-catenin, beta2 and IL-1beta")
        );
        assert_eq!(norm("Δ9-THC, 5 µm"), "delta9 thc 5 mum");
        // Greek words stay Greek.
        assert_eq!(norm("λόγος and Ωμέγα"), "λόγος and ωμέγα");
        let n = normalize("TNF-α rose");
        assert_eq!(n.src_range(1), 4..6);
        assert_eq!(n.word(1), "alpha");
    }

    #[test]
    fn citation_markers_after_a_word_are_no_words() {
        assert_eq!(norm("as shown before[13]. Next"), "as shown before next");
        assert_eq!(norm("style.[13][14] Then [13, 14]"), "style then 13 14");
        assert_eq!(norm("mice[13–15] and rats[2,3]"), "mice and rats");
        // After a space a bracketed number is text; and a bracket of words is no marker.
        assert_eq!(norm("a ratio of [3] to one"), "a ratio of 3 to one");
        assert_eq!(norm("word[a1] x[1a]"), "word a1 x 1a");
        let n = normalize("shown[13] in mice");
        assert_eq!(n.src_range(1), 10..12);
    }

    #[test]
    fn a_word_hyphenated_at_a_line_break_is_one_word() {
        assert_eq!(norm("the treat-\nment of"), "the treatment of");
        assert_eq!(norm("the treat- \r\n   ment of"), "the treatment of");
        let n = normalize("a treat-\nment b");
        assert_eq!(n.src_range(1), 2..13);
        // Not across a line break, nor before a capital or a digit: a real hyphen.
        assert_eq!(norm("a well-known fact"), "a well known fact");
        assert_eq!(
            norm("anti-\nAmerican and COVID-\n19"),
            "anti american and covid 19"
        );
    }

    #[test]
    fn a_compound_broken_at_its_own_hyphen_keeps_it_where_the_text_spells_it_so() {
        // "self-evident" on one line elsewhere: the break at its hyphen is no join.
        assert_eq!(
            norm("truths to be self-\nevident, as self-evident as"),
            "truths to be self evident as self evident as"
        );
        // Without such a spelling, a break joins, as before.
        assert_eq!(norm("truths self-\nevident"), "truths selfevident");
        let n = normalize("a self-\nevident b self-evident");
        assert_eq!(n.src_range(2), 8..15);
    }

    #[test]
    fn superscript_citations_are_no_words_but_powers_are() {
        assert_eq!(
            norm("as shown¹³ in mice.¹⁴⁻¹⁶ Then"),
            "as shown in mice then"
        );
        assert_eq!(norm("5 m² and R² of 10³"), "5 m2 and r2 of 103");
    }

    #[test]
    fn trademark_signs_separate_words() {
        assert_eq!(
            norm("Tegsedi™ (inotersen) and Onpattro®"),
            "tegsedi inotersen and onpattro"
        );
        assert_eq!(norm("ACME℠ Tel℡"), "acme tel");
        // Other compatibility forms still read as their letters.
        assert_eq!(norm("ﬁne ５㎏"), "fine 5kg");
    }

    #[test]
    fn punctuation_case_and_quotes_vanish() {
        assert_eq!(
            norm("“Off the record I don’t know who that is,” he wrote."),
            "off the record i don t know who that is he wrote"
        );
        assert_eq!(norm("Don't"), norm("DON’T"));
        assert_eq!(
            norm("a long—and largely one-sided—correspondence"),
            "a long and largely one sided correspondence"
        );
    }

    #[test]
    fn unicode_forms_agree() {
        assert_eq!(norm("cafe\u{301}"), norm("café"));
        assert_eq!(norm("ﬁnal"), "final");
        assert_eq!(norm("ＡＢＣ"), "abc");
        assert_eq!(norm("non\u{A0}breaking"), "non breaking");
        assert_eq!(norm("exam\u{AD}ple"), "example");
        assert_eq!(norm("zero\u{200B}width"), "zerowidth");
    }

    #[test]
    fn sic_is_dropped_everywhere() {
        assert_eq!(
            norm("does NOT concede [sic] and spends"),
            "does not concede and spends"
        );
        assert_eq!(norm("sic transit"), "transit");
        assert_eq!(norm("classic sics"), "classic sics");
        assert_eq!(norm("[sic]"), "");
    }

    #[test]
    fn token_ranges_point_into_the_input() {
        let s = "“Hé said,” 42×";
        let n = normalize(s);
        let words: Vec<&str> = (0..n.token_count()).map(|i| &s[n.src_range(i)]).collect();
        assert_eq!(words, ["Hé", "said", "42"]);
        assert_eq!(n.token_start(1), 3);
        assert_eq!(n.token_at(4), 1);
        assert_eq!(n.token_text(1, 2), "said 42");
    }

    #[test]
    fn few_distinct_characters_take_a_byte_each_and_many_widen() {
        let n = normalize("Café SPÅ naïve café");
        assert!(matches!(n.chars, Chars::Narrow { .. }));
        assert_eq!(n.as_string(), "café spå naïve café");
        assert_eq!(n.word(3), "café");

        // 200 distinct ideographs: more than a byte's codes, so the text widens mid-way and
        // keeps every character already read.
        let many: String = (0..200u32)
            .map(|i| char::from_u32(0x4E00 + i).unwrap())
            .collect();
        let text = format!("Zoë said {many} and left");
        let n = normalize(&text);
        assert!(matches!(n.chars, Chars::Wide(_)));
        // Each ideograph is a word of its own.
        let spaced: Vec<String> = many.chars().map(String::from).collect();
        assert_eq!(
            n.as_string(),
            format!("zoë said {} and left", spaced.join(" "))
        );
        assert_eq!(n.token_text(202, 203), "and left");
    }

    #[test]
    fn has_at_compares_characters_not_codes() {
        // Both texts give their first non-ASCII character the same code.
        let doc = normalize("un café, un cafe");
        assert!(doc.has_at(3, &normalize("Café")));
        assert!(!doc.has_at(3, &normalize("cafü")));
        assert!(doc.has_at(11, &normalize("cafe")));
        assert!(!doc.has_at(3, &normalize("caf")), "ends inside a word");
    }

    #[test]
    fn input_ranges_of_words_whose_length_changes() {
        let s = "exam\u{AD}ple ﬁne cafe\u{301} İz ＡＢ plain";
        let n = normalize(s);
        let words: Vec<&str> = (0..n.token_count()).map(|i| &s[n.src_range(i)]).collect();
        assert_eq!(
            words,
            ["exam\u{AD}ple", "ﬁne", "cafe\u{301}", "İz", "ＡＢ", "plain"]
        );
        assert_eq!(n.odd_ends.len(), 5, "only the words that changed length");
    }

    proptest::proptest! {
        /// Each token's input range normalizes back to that token (characters whose NFKC form
        /// holds several words, like `½`, are left out: their words share one input range).
        #[test]
        fn input_ranges_normalize_back_to_their_word(
            s in "[aZé ,\u{AD}\u{301}ﬁİＡ-]{0,40}",
        ) {
            let n = normalize(&s);
            for i in 0..n.token_count() {
                let shares_start = (i > 0 && n.src_start(i - 1) == n.src_start(i))
                    || (i + 1 < n.token_count() && n.src_start(i + 1) == n.src_start(i));
                if !shares_start {
                    proptest::prop_assert_eq!(normalize(&s[n.src_range(i)]).as_string(), n.word(i));
                }
            }
        }
    }

    proptest::proptest! {
        /// Token starts found from the marks are where the words of the text begin, in
        /// narrow and wide texts, across many marks and with `sic` dropped.
        #[test]
        fn token_starts_are_found_from_the_marks(
            words in proptest::collection::vec("[ab]{1,3}|sic|é|[0-9]{1,2}", 0..80),
        ) {
            let n = normalize(&words.join(" "));
            for t in [n.clone(), n.widened()] {
                let text: Vec<char> = t.as_string().chars().collect();
                let mut want = Vec::new();
                for (i, &c) in text.iter().enumerate() {
                    if c != ' ' && (i == 0 || text[i - 1] == ' ') {
                        want.push(i);
                    }
                }
                proptest::prop_assert_eq!(t.token_count(), want.len());
                proptest::prop_assert_eq!(t.token_starts().collect::<Vec<_>>(), want.clone());
                for (i, &start) in want.iter().enumerate() {
                    proptest::prop_assert_eq!(t.token_start(i), start);
                    let end = want.get(i + 1).map_or(text.len(), |&next| next - 1);
                    proptest::prop_assert_eq!(t.token_end(i), end);
                }
                for pos in 0..text.len() {
                    let owner = want.iter().rposition(|&s| s <= pos).unwrap_or(0);
                    proptest::prop_assert_eq!(t.token_at(pos as u32), owner);
                }
            }
        }
    }

    proptest::proptest! {
        /// The `n`-th space found eight bytes at a time is the one a byte-by-byte count
        /// finds, among bytes that differ from a space by one bit (`0xA0`, `0x21`) too.
        #[test]
        fn the_nth_space_is_the_one_counted(
            codes in proptest::collection::vec(
                proptest::sample::select(vec![b' ', b'a', 0x21, 0xA0, 0x00, 0xFF, 0x80]),
                0..60,
            ),
            n in 0usize..20,
        ) {
            let want = codes.iter().enumerate().filter(|&(_, &c)| c == b' ').nth(n).map(|(k, _)| k);
            proptest::prop_assert_eq!(nth_space(&codes, n), want);
        }
    }

    proptest::proptest! {
        /// A text said to surely have words normalizes to some, among the characters that
        /// drop or join words: `sic`, citation markers, soft hyphens, superscripts, marks.
        #[test]
        fn a_text_that_surely_has_words_has_some(
            pieces in proptest::collection::vec(
                "[a-zA-Z0-9]{1,5}|sic|SIC|\\[[0-9]{1,4}\\]|[ .,\\[\\]-]|-\n|\u{AD}|\u{301}|¹|™",
                0..12,
            ),
        ) {
            let s: String = pieces.concat();
            if surely_has_words(&s) {
                proptest::prop_assert!(!normalize(&s).is_empty(), "{:?}", s);
            }
        }
    }

    #[test]
    fn surely_having_words_takes_four_letters_and_digits_with_a_letter() {
        assert!(surely_has_words("the quick"));
        assert!(surely_has_words("COVID19"));
        for none in [
            "sic",
            "s\u{AD}ic [sic]",
            "was [1234]",
            "abc def",
            "日本語のテキスト",
            "",
        ] {
            assert!(!surely_has_words(none), "{none:?}");
        }
    }

    proptest::proptest! {
        /// Reading a stretch of ASCII at once gives what reading it one character at a time
        /// gives, among the characters whose neighbours matter: combining marks, citation
        /// markers, hyphens at line breaks, superscripts, Greek letters and `sic`.
        #[test]
        fn an_ascii_stretch_reads_as_its_characters_one_by_one(
            pieces in proptest::collection::vec(
                "[a-zA-Z0-9]{1,4}|[ ,.;!?'\"()\\]\\-\n\t]|\\[[0-9]{1,2}\\]|-\n|sic|\u{301}|\u{308}|é|¹|α|\u{AD}|ﬁ|ü",
                0..60,
            ),
        ) {
            let s: String = pieces.concat();
            let compounds = hyphenated_compounds(&s);
            proptest::prop_assert_eq!(
                normalize_one_by::<true>(&s, &compounds),
                normalize_one_by::<false>(&s, &compounds)
            );
        }
    }

    proptest::proptest! {
        /// Normalizing in parts and joining gives exactly what one pass gives: characters,
        /// codes, token offsets, marks and odd ends.
        #[test]
        fn parts_join_into_the_one_pass_result(
            s in "([aZé sic\n\t.,\u{AD}\u{301}\u{A0}ﬁİＡ½-]|ü |ñ\n){0,120}",
            parts in 2usize..6,
        ) {
            proptest::prop_assert_eq!(normalize_in_parts(&s, parts), normalize_in_parts(&s, 1));
        }

        /// Long stretches of ASCII with a letter beyond it here and there, in other orders in
        /// other parts: a later part's codes are copied where its stretch is ASCII and
        /// renumbered where it is not.
        #[test]
        fn parts_mostly_ascii_join_into_the_one_pass_result(
            s in "([a-z .]{0,150}[éüñ]?){0,12}",
            parts in 2usize..5,
        ) {
            proptest::prop_assert_eq!(normalize_in_parts(&s, parts), normalize_in_parts(&s, 1));
        }
    }

    #[test]
    fn parts_with_many_characters_between_them_widen_when_joined() {
        // 100 distinct ideographs in each half: each part stays narrow, the whole does not.
        let half = |from: u32| -> String {
            (from..from + 100)
                .map(|i| format!("{} ", char::from_u32(0x4E00 + i).unwrap()))
                .collect()
        };
        let text = format!("{}{}", half(0), half(100)).repeat(3);
        let joined = normalize_in_parts(&text, 3);
        assert!(matches!(joined.chars, Chars::Wide(_)));
        assert_eq!(joined, normalize_in_parts(&text, 1));
        // Few characters: narrow, with the codes one pass gives.
        let text = "zoë and ünïcode\n".repeat(40);
        let joined = normalize_in_parts(&text, 4);
        assert!(matches!(joined.chars, Chars::Narrow { .. }));
        assert_eq!(joined, normalize_in_parts(&text, 1));
    }

    #[test]
    fn empty_and_symbol_only_text_has_no_tokens() {
        assert!(normalize("").is_empty());
        assert!(normalize("... — “”").is_empty());
    }
}
