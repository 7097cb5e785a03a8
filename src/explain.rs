//! Explanations: what differs between a quote and its passage, and whether it changes the
//! meaning; where else the passage occurs; what strict mode sees; who is said to speak nearby.

use serde::Serialize;

use crate::document::{Document, Position};
use crate::normalize::{Normalized, normalize};

/// What kind of difference a quote has from its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `81` vs `71`, `four` vs `five`.
    Number,
    /// The quote has a negation the source lacks.
    NegationAdded,
    /// The source has a negation the quote lacks.
    NegationRemoved,
    /// The same words, in another order.
    WordsSwapped,
    /// Words in the quote that the source lacks.
    WordsAdded,
    /// Words in the source that the quote lacks.
    WordsDropped,
    /// A word within a small edit distance (`concede`/`conceed`).
    Spelling,
    /// Another word in place of the source's.
    WordChanged,
    /// Strict mode: the same words, other punctuation.
    PunctuationOnly,
    /// Strict mode: the same words, other capitals.
    CaseOnly,
}

impl Kind {
    /// A changed number or negation changes what the quote says.
    pub fn changes_meaning(self) -> bool {
        matches!(
            self,
            Kind::Number | Kind::NegationAdded | Kind::NegationRemoved
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Number => "changed number",
            Kind::NegationAdded => "negation added",
            Kind::NegationRemoved => "negation removed",
            Kind::WordsSwapped => "words swapped",
            Kind::WordsAdded => "words added",
            Kind::WordsDropped => "words dropped",
            Kind::Spelling => "spelling",
            Kind::WordChanged => "other word changed",
            Kind::PunctuationOnly => "punctuation only",
            Kind::CaseOnly => "case only",
        }
    }
}

/// One difference between quote and source, in the words each side wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub kind: Kind,
    pub claim: String,
    pub source: String,
}

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "nor", "neither", "without", "none", "nobody", "nothing", "nowhere",
    "cannot", "t",
];

/// Is normalized word `w` (preceded by `prev`) a negation? `t` counts only after a word
/// ending in `n` (`don't` is `don t`).
pub fn is_negation(prev: Option<&str>, w: &str) -> bool {
    if w == "t" {
        return prev.is_some_and(|p| p.ends_with('n'));
    }
    NEGATIONS.contains(&w)
}

pub fn is_number(w: &str) -> bool {
    w.chars().any(|c| c.is_ascii_digit()) || crate::facts::is_number_word(w)
}

/// The first negation or number among normalized `words` (with the word before them, for
/// `n't`), as the word to name in a note.
pub fn meaningful_word(prev: Option<&str>, words: &[String]) -> Option<String> {
    let mut before = prev;
    for w in words {
        if is_negation(before, w) {
            return Some(if w == "t" {
                "n't".to_string()
            } else {
                w.clone()
            });
        }
        if is_number(w) {
            return Some(w.clone());
        }
        before = Some(w);
    }
    None
}

/// Tokens `range` of `norm` as written in `src`.
fn shown(src: &str, norm: &Normalized, range: std::ops::Range<usize>) -> String {
    range
        .map(|i| &src[norm.src_range(i)])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Word-level differences between a quote (normalized `q`, typed as `typed`) and passage
/// tokens `first..=last` of `doc`, each classified.
pub fn differences(
    typed: &str,
    q: &Normalized,
    doc: &Document,
    first: usize,
    last: usize,
) -> Vec<Difference> {
    let claim_words = q.words();
    let source_words = doc.norm.words_in(first..last + 1);
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &claim_words, &source_words);
    // Merge adjacent non-equal ops into hunks of (claim range, source range).
    let mut hunks: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
    let mut open = false;
    for op in ops {
        let (tag, a, b) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            open = false;
            continue;
        }
        match hunks.last_mut() {
            Some((pa, pb)) if open => {
                pa.end = a.end.max(pa.end);
                pb.end = b.end.max(pb.end);
            }
            _ => hunks.push((a, b)),
        }
        open = true;
    }
    // Words the quote moved: dropped in one hunk, added in another.
    let mut added: Vec<&String> = hunks
        .iter()
        .flat_map(|(a, _)| &claim_words[a.clone()])
        .collect();
    let mut dropped: Vec<&String> = hunks
        .iter()
        .flat_map(|(_, b)| &source_words[b.clone()])
        .collect();
    added.sort();
    dropped.sort();
    let moved = |w: &String| added.binary_search(&w).is_ok() && dropped.binary_search(&w).is_ok();
    hunks
        .into_iter()
        .map(|(a, b)| {
            let cw = &claim_words[a.clone()];
            let sw = &source_words[b.clone()];
            let prev_c = a.start.checked_sub(1).map(|i| claim_words[i].as_str());
            let prev_s = b.start.checked_sub(1).map(|i| source_words[i].as_str());
            let kind = classify(cw, sw, prev_c, prev_s, &moved);
            Difference {
                kind,
                claim: shown(typed, q, a),
                source: shown(doc.visible(), &doc.norm, first + b.start..first + b.end),
            }
        })
        .collect()
}

fn classify(
    cw: &[String],
    sw: &[String],
    prev_c: Option<&str>,
    prev_s: Option<&str>,
    moved: &dyn Fn(&String) -> bool,
) -> Kind {
    let negs = |words: &[String], prev: Option<&str>| {
        let mut before = prev;
        let mut n = 0;
        for w in words {
            if is_negation(before, w) {
                n += 1;
            }
            before = Some(w);
        }
        n
    };
    // The same letters, split or joined differently ("one sided" / "onesided").
    if !cw.is_empty() && cw.concat() == sw.concat() {
        return Kind::Spelling;
    }
    let (nc, ns) = (negs(cw, prev_c), negs(sw, prev_s));
    if nc > ns {
        return Kind::NegationAdded;
    }
    if ns > nc {
        return Kind::NegationRemoved;
    }
    let nums = |words: &[String]| {
        words
            .iter()
            .filter(|w| is_number(w))
            .cloned()
            .collect::<Vec<_>>()
    };
    let (numc, nums_) = (nums(cw), nums(sw));
    if (!numc.is_empty() || !nums_.is_empty()) && numc != nums_ {
        return Kind::Number;
    }
    let all_moved = |words: &[String]| !words.is_empty() && words.iter().all(moved);
    if (cw.is_empty() || all_moved(cw))
        && (sw.is_empty() || all_moved(sw))
        && !(cw.is_empty() && sw.is_empty())
    {
        return Kind::WordsSwapped;
    }
    match (cw.len(), sw.len()) {
        (_, 0) => Kind::WordsAdded,
        (0, _) => Kind::WordsDropped,
        (1, 1) if is_spelling(&cw[0], &sw[0]) => Kind::Spelling,
        _ => {
            let (jc, js) = (cw.concat(), sw.concat());
            if jc == js || is_spelling(&jc, &js) {
                Kind::Spelling
            } else {
                Kind::WordChanged
            }
        }
    }
}

/// A slip of the keyboard rather than another word: at most 2 edits, and at most a third of
/// the word.
fn is_spelling(a: &str, b: &str) -> bool {
    let d = strsim::damerau_levenshtein(a, b);
    let len = a.chars().count().max(b.chars().count());
    d <= 2 && d * 3 <= len
}

/// Positions of the first few occurrences, for a note.
pub fn positions(doc: &Document, firsts: &[usize], most: usize) -> Vec<Position> {
    firsts
        .iter()
        .take(most)
        .map(|&f| doc.token_position(f))
        .collect()
}

/// Canonical punctuation for strict comparison: quote styles are free, whitespace is free.
fn canonical_punct(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\'' | '‘' | '’' | '‚' | '‛' | '′' | '"' | '“' | '”' | '„' | '‟' | '″' | '«' | '»' => {
                '"'
            }
            c => c,
        })
        .collect()
}

/// Strict mode: compare the typed quote with the passage's own text, word by word, for case
/// and for the punctuation between words. `case_free` are byte ranges of `typed` whose case
/// the quoter changed on purpose. Returns the differences found (empty when identical).
pub fn strict_differences(
    typed: &str,
    q: &Normalized,
    case_free: &[std::ops::Range<usize>],
    doc: &Document,
    first: usize,
) -> Vec<Difference> {
    let vis = doc.visible();
    let src = &doc.norm;
    let mut out = Vec::new();
    let mut case_diff: Option<(String, String)> = None;
    let mut punct_diff: Option<(String, String)> = None;
    for i in 0..q.token_count() {
        let s = first + i;
        if s >= src.token_count() {
            break;
        }
        let (cr, sr) = (q.src_range(i), src.src_range(s));
        let cword = &typed[cr.clone()];
        let sword = &vis[sr.clone()];
        let forgiven = case_free
            .iter()
            .any(|r| r.start < cr.end && cr.start < r.end);
        if cword != sword && !forgiven && case_diff.is_none() {
            case_diff = Some((cword.to_string(), sword.to_string()));
        }
        if i + 1 < q.token_count() && s + 1 < src.token_count() {
            let (cn, sn) = (q.src_range(i + 1), src.src_range(s + 1));
            let csep = &typed[cr.end..cn.start];
            let ssep = &vis[sr.end..sn.start];
            if canonical_punct(csep) != canonical_punct(ssep) && punct_diff.is_none() {
                let c_next = &typed[cn];
                let s_next = &vis[sn];
                punct_diff = Some((
                    format!("{cword}{csep}{c_next}"),
                    format!("{sword}{ssep}{s_next}"),
                ));
            }
        }
    }
    if let Some((c, s)) = case_diff {
        out.push(Difference {
            kind: Kind::CaseOnly,
            claim: c,
            source: s,
        });
    }
    if let Some((c, s)) = punct_diff {
        out.push(Difference {
            kind: Kind::PunctuationOnly,
            claim: c,
            source: s,
        });
    }
    out
}

/// Whether a document keeps case and punctuation (a normalized export does not).
pub fn keeps_case_and_punctuation(doc: &Document) -> bool {
    doc.visible()
        .chars()
        .any(|c| c.is_uppercase() || !(c.is_alphanumeric() || c.is_whitespace()))
}

/// The forms of a speaker's name that count as naming them: the full name, the name without
/// its first word ("Trump Jr."), and the surname.
pub fn name_forms(by: &str) -> Vec<Normalized> {
    const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];
    let full = normalize(by);
    let words = full.words();
    let mut forms = vec![full.as_string()];
    if words.len() >= 2 {
        forms.push(words[1..].join(" "));
        let surname = words.iter().rev().find(|w| !SUFFIXES.contains(&w.as_str()));
        if let Some(s) = surname {
            forms.push(s.clone());
        }
    }
    forms.sort();
    forms.dedup();
    forms
        .iter()
        .map(|f| normalize(f))
        .filter(|n| !n.is_empty())
        .collect()
}

/// How many words around a quote its speaker must be named within.
pub const ATTRIBUTION_WINDOW: usize = 40;

/// Is the speaker `by` named within [`ATTRIBUTION_WINDOW`] words of tokens `first..=last`?
pub fn attribution_near(doc: &Document, first: usize, last: usize, by: &str) -> bool {
    let lo = first.saturating_sub(ATTRIBUTION_WINDOW);
    let hi = (last + ATTRIBUTION_WINDOW).min(doc.norm.token_count() - 1);
    let window = doc.norm.words_in(lo..hi + 1);
    name_forms(by).iter().any(|form| {
        let f = form.words();
        window.windows(f.len()).any(|w| w == f.as_slice())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn diffs(quote: &str, source: &str) -> Vec<(Kind, String, String)> {
        let doc = Document::from_text(
            Path::new("s.txt"),
            source.to_string(),
            crate::document::Format::Plain,
        );
        let q = normalize(quote);
        differences(quote, &q, &doc, 0, doc.norm.token_count() - 1)
            .into_iter()
            .map(|d| (d.kind, d.claim, d.source))
            .collect()
    }

    #[test]
    fn each_kind_of_difference() {
        use Kind::*;
        let d = |a: &str, b: &str| diffs(a, b).into_iter().map(|x| x.0).collect::<Vec<_>>();
        assert_eq!(d("a 81 percent chance", "a 71 percent chance"), [Number]);
        assert_eq!(d("four score and seven", "five score and seven"), [Number]);
        assert_eq!(
            d("he does concede the race", "he does not concede the race"),
            [NegationRemoved]
        );
        assert_eq!(d("he did not concede", "he did concede"), [NegationAdded]);
        assert_eq!(d("I don't know him", "I do know him"), [NegationAdded]);
        assert_eq!(
            d(
                "neither a lender nor a borrower be",
                "neither a borrower nor a lender be"
            ),
            [WordsSwapped, WordsSwapped]
        );
        assert_eq!(d("it is very easy", "it is easy"), [WordsAdded]);
        assert_eq!(d("it is easy", "it is very easy"), [WordsDropped]);
        assert_eq!(d("he did not concede", "he did not conceed"), [Spelling]);
        assert_eq!(d("I'll look around", "I'll ask around"), [WordChanged]);
        assert_eq!(d("a one sided story", "a onesided story"), [Spelling]);
    }

    #[test]
    fn differences_keep_each_sides_spelling() {
        assert_eq!(
            diffs("if he does NOT Concede", "if he does not conceed"),
            [(Kind::Spelling, "Concede".to_string(), "conceed".to_string())]
        );
    }

    #[test]
    fn meaning_changers_are_marked() {
        assert!(Kind::Number.changes_meaning());
        assert!(Kind::NegationRemoved.changes_meaning());
        assert!(!Kind::Spelling.changes_meaning());
    }

    #[test]
    fn omitted_words_are_checked_for_negations_and_numbers() {
        let w = |s: &str| normalize(s).words();
        assert_eq!(meaningful_word(None, &w("is not")), Some("not".into()));
        assert_eq!(meaningful_word(Some("don"), &w("t")), Some("n't".into()));
        assert_eq!(
            meaningful_word(None, &w("after 71 days")),
            Some("71".into())
        );
        assert_eq!(meaningful_word(None, &w("in the house")), None);
    }

    #[test]
    fn name_forms_include_the_distinctive_parts() {
        let f: Vec<String> = name_forms("Donald Trump Jr.")
            .iter()
            .map(|n| n.as_string())
            .collect();
        assert_eq!(f, ["donald trump jr", "trump", "trump jr"]);
        let f: Vec<String> = name_forms("WikiLeaks")
            .iter()
            .map(|n| n.as_string())
            .collect();
        assert_eq!(f, ["wikileaks"]);
    }
}
