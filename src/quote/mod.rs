//! Quotation conventions: how a quote as typed becomes what is searched.
//!
//! - An ellipsis (`...`, `. . .`, `…`, `....`, `[...]`) splits a quote into segments, matched in
//!   order with a bounded gap between them.
//! - `[text]` standing apart from words is an editorial insertion or substitution: a *gap* that
//!   matches the same words in the source, up to [`MAX_GAP_WORDS`](crate::matcher::MAX_GAP_WORDS) other words, or nothing, at
//!   no cost (`appoint [Julian] Assange` matches "appoint Assange").
//! - `[T]he` or `remember[ed]` (brackets touching a word) is a letter change: the brackets go,
//!   the letters stay, and strict mode forgives their case.
//! - `[sic]` is dropped.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::text::normalize::{Normalized, normalize};

mod attribution;
mod differences;
mod ellipsis;
mod judge;
mod origin;
mod reorder;
mod strict;

pub(crate) use judge::{ATTRIBUTION_WINDOW, attribution_near, judge};

static ELLIPSIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[\s*(?:…|\.(?:\s*\.){2,})\s*\]|…|\.(?:[ \t\u{A0}]*\.){2,}").unwrap()
});

static BRACKET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\[\]]*)\]").unwrap());

/// One ellipsis-free piece of a quote.
#[derive(Debug, Clone)]
pub struct Segment {
    /// The typed text without editorial insertions; `norm`'s token ranges point into it.
    pub(crate) literal: String,
    /// Normalized literal words: editorial bracket content is not part of it.
    pub norm: Normalized,
    /// Character positions in `norm.chars` where an editorial gap sits: always at a token
    /// start, never at the very start or end (a gap there matches nothing harmlessly).
    pub gaps: Vec<usize>,
    /// Byte ranges of `literal` whose case was changed by the quoter (`[T]he`).
    pub(crate) case_free: Vec<Range<usize>>,
    /// The words of each editorial insertion, normalized: an insertion may not add a
    /// negation or a number the source lacks.
    pub(crate) insertions: Vec<Normalized>,
}

impl Segment {
    /// Characters of its normalized words.
    pub fn len(&self) -> usize {
        self.norm.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.norm.is_empty()
    }
}

/// A quote split by its conventions.
#[derive(Debug, Clone)]
pub struct Quote {
    /// The parts between ellipses, each with words.
    pub segments: Vec<Segment>,
    /// The same quote with its editorial brackets read as the source's own text, when it
    /// has any: a source may contain the bracket verbatim (`[one two … seven]`), at any
    /// length, which then matches as the same words.
    pub(crate) brackets_as_text: Option<Box<Quote>>,
}

impl Quote {
    /// A quote as typed, split at its ellipses, its brackets read.
    pub fn parse(typed: &str) -> Quote {
        let mut quote = Quote::read(typed, false);
        if quote.segments.iter().any(|s| !s.insertions.is_empty()) {
            quote.brackets_as_text = Some(Box::new(Quote::read(typed, true)));
        }
        quote
    }

    /// Split at the ellipses; editorial brackets are gaps, or text when `as_text`.
    fn read(typed: &str, as_text: bool) -> Quote {
        let mut pieces = Vec::new();
        let mut last = 0;
        for m in ELLIPSIS.find_iter(typed) {
            pieces.push(&typed[last..m.start()]);
            last = m.end();
        }
        pieces.push(&typed[last..]);
        let segments = pieces
            .into_iter()
            .map(|p| segment(p, as_text))
            .filter(|s| !s.is_empty())
            .collect();
        Quote {
            segments,
            brackets_as_text: None,
        }
    }

    /// Characters of all the parts' literal words: what a score is out of.
    pub(crate) fn total_len(&self) -> usize {
        self.segments.iter().map(|s| s.len()).sum()
    }
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric())
}

/// Parse one segment's brackets (editorial ones read as text when `as_text`).
fn segment(typed: &str, as_text: bool) -> Segment {
    // `literal` is what is normalized: the typed text without editorial insertions, a space
    // standing where each was.
    let mut literal = String::new();
    let mut gap_bytes = Vec::new();
    let mut case_free = Vec::new();
    let mut insertions = Vec::new();
    let mut last = 0;
    for cap in BRACKET.captures_iter(typed) {
        let whole = cap.get(0).unwrap();
        let inner = cap.get(1).unwrap().as_str();
        let before = &typed[last..whole.start()];
        literal.push_str(before);
        last = whole.end();
        // `[sic]`, and a citation marker the quote kept (`shown before[13]`), are no words.
        if inner.trim().eq_ignore_ascii_case("sic")
            || crate::text::normalize::citation_marker_len(typed, whole.start()).is_some()
        {
            continue;
        }
        let touches_word = is_word_char(typed[..whole.start()].chars().next_back())
            || is_word_char(typed[whole.end()..].chars().next());
        if touches_word {
            case_free.push(literal.len()..literal.len() + inner.len());
            literal.push_str(inner);
        } else if as_text {
            literal.push_str(&typed[whole.range()]);
        } else {
            literal.push(' ');
            gap_bytes.push(literal.len());
            insertions.push(normalize(inner));
        }
    }
    literal.push_str(&typed[last..]);

    let norm = normalize(&literal);
    let mut gaps: Vec<usize> = gap_bytes
        .into_iter()
        .filter_map(|b| {
            // The gap sits before the first token that starts at or after it.
            (0..norm.token_count())
                .find(|&i| norm.src_start(i) >= b)
                .map(|i| norm.token_start(i))
        })
        .filter(|&g| g > 0)
        .collect();
    gaps.dedup();
    Segment {
        literal,
        norm,
        gaps,
        case_free,
        insertions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(q: &str) -> Vec<String> {
        Quote::parse(q)
            .segments
            .iter()
            .map(|s| s.norm.as_string())
            .collect()
    }

    #[test]
    fn every_ellipsis_form_splits() {
        for q in [
            "the landlord is ... permitted",
            "the landlord is . . . permitted",
            "the landlord is … permitted",
            "the landlord is.... permitted",
            "the landlord is [...] permitted",
            "the landlord is […] permitted",
        ] {
            assert_eq!(segs(q), ["the landlord is", "permitted"], "{q}");
        }
        assert_eq!(segs("no ellipsis. Two sentences.").len(), 1);
    }

    #[test]
    fn leading_and_trailing_ellipses_leave_one_segment() {
        assert_eq!(segs("... and then it ended ..."), ["and then it ended"]);
    }

    #[test]
    fn editorial_brackets_become_gaps() {
        let q = Quote::parse("appoint [Julian] Assange ambassador");
        let s = &q.segments[0];
        assert_eq!(s.norm.as_string(), "appoint assange ambassador");
        assert_eq!(s.gaps, [8]);
    }

    #[test]
    fn brackets_at_the_edges_are_no_gap() {
        let s = &Quote::parse("[Yorick was] a fellow of infinite jest").segments[0];
        assert_eq!(s.norm.as_string(), "a fellow of infinite jest");
        assert!(s.gaps.is_empty());
    }

    #[test]
    fn letter_changes_keep_their_letters() {
        let s = &Quote::parse("[T]he people remember[ed] it").segments[0];
        assert_eq!(s.norm.as_string(), "the people remembered it");
        assert!(s.gaps.is_empty());
        assert_eq!(s.case_free, [0..1, 19..21]);
        assert_eq!(&s.literal[19..21], "ed");
    }

    #[test]
    fn a_citation_marker_kept_in_a_quote_is_no_word() {
        assert_eq!(
            segs("as shown before[13]. In mice"),
            ["as shown before in mice"]
        );
        // A bracketed number standing apart is an editorial gap, as any bracket is.
        let q = Quote::parse("a ratio of [3] to one");
        assert_eq!(q.segments[0].norm.as_string(), "a ratio of to one");
        assert!(!q.segments[0].gaps.is_empty());
    }

    #[test]
    fn sic_is_dropped() {
        let s = &Quote::parse("some of your follows [sic] will find it").segments[0];
        assert_eq!(s.norm.as_string(), "some of your follows will find it");
        assert!(s.gaps.is_empty());
    }
}
