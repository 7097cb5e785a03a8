//! What differs between a quote and its passage, word by word, and whether it changes the
//! meaning.

use crate::outcome::{Difference, DifferenceKind};
use crate::source::document::Document;
use crate::text::lexicon::{is_negation, is_number};
use crate::text::normalize::Normalized;

/// Tokens `range` of `norm` as written in `src`.
fn shown(src: &str, norm: &Normalized, range: std::ops::Range<usize>) -> String {
    range
        .map(|i| &src[norm.src_range(i)])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Word-level differences between a quote (normalized `q`, typed as `typed`) and passage
/// tokens `first..=last` of `doc`, each classified.
pub(crate) fn differences(
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
    let difference = |a: std::ops::Range<usize>, b: std::ops::Range<usize>| {
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
    };
    // A phrase the quote only moved: added in one hunk, the same words dropped in another
    // ("Methinks the lady …" for "The lady … methinks"). One difference, at the quote's place.
    let mut partner: Vec<Option<usize>> = vec![None; hunks.len()];
    for i in 0..hunks.len() {
        let (a, b) = &hunks[i];
        if a.is_empty() || !b.is_empty() || partner[i].is_some() {
            continue;
        }
        let same = |j: usize| {
            let (c, d) = &hunks[j];
            c.is_empty()
                && partner[j].is_none()
                && source_words[d.clone()] == claim_words[a.clone()]
        };
        if let Some(j) = (0..hunks.len()).find(|&j| j != i && same(j)) {
            partner[i] = Some(j);
            partner[j] = Some(i);
        }
    }
    let mut out = Vec::new();
    for (i, (a, b)) in hunks.iter().enumerate() {
        match partner[i] {
            // The dropped half of a moved phrase: told with its added half.
            Some(_) if a.is_empty() => {}
            Some(j) => {
                // The source's words with the word before them, to show where they stand.
                let d = &hunks[j].1;
                let from = d.start.saturating_sub(1);
                out.push(Difference {
                    kind: DifferenceKind::WordsMoved,
                    claim: shown(typed, q, a.clone()),
                    source: shown(doc.visible(), &doc.norm, first + from..first + d.end),
                });
            }
            None => out.push(difference(a.clone(), b.clone())),
        }
    }
    out
}

fn classify(
    cw: &[String],
    sw: &[String],
    prev_c: Option<&str>,
    prev_s: Option<&str>,
    moved: &dyn Fn(&String) -> bool,
) -> DifferenceKind {
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
        return DifferenceKind::Spelling;
    }
    let (nc, ns) = (negs(cw, prev_c), negs(sw, prev_s));
    if nc > ns {
        return DifferenceKind::NegationAdded;
    }
    if ns > nc {
        return DifferenceKind::NegationRemoved;
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
        return DifferenceKind::Number;
    }
    let all_moved = |words: &[String]| !words.is_empty() && words.iter().all(moved);
    if (cw.is_empty() || all_moved(cw))
        && (sw.is_empty() || all_moved(sw))
        && !(cw.is_empty() && sw.is_empty())
    {
        return DifferenceKind::WordsSwapped;
    }
    match (cw.len(), sw.len()) {
        (_, 0) => DifferenceKind::WordsAdded,
        (0, _) => DifferenceKind::WordsDropped,
        (1, 1) if is_spelling(&cw[0], &sw[0]) => DifferenceKind::Spelling,
        _ => {
            let (jc, js) = (cw.concat(), sw.concat());
            if jc == js || is_spelling(&jc, &js) {
                DifferenceKind::Spelling
            } else {
                DifferenceKind::WordChanged
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::normalize;
    use std::path::Path;

    fn diffs(quote: &str, source: &str) -> Vec<(DifferenceKind, String, String)> {
        let doc = Document::from_text(
            Path::new("s.txt"),
            source.to_string(),
            crate::source::document::Format::Plain,
        );
        let q = normalize(quote);
        differences(quote, &q, &doc, 0, doc.norm.token_count() - 1)
            .into_iter()
            .map(|d| (d.kind, d.claim, d.source))
            .collect()
    }

    #[test]
    fn each_kind_of_difference() {
        use DifferenceKind::*;
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
        assert_eq!(
            diffs(
                "Methinks the lady doth protest too much",
                "The lady protests too much, methinks"
            ),
            [
                (WordsMoved, "Methinks".into(), "much methinks".into()),
                (WordChanged, "doth protest".into(), "protests".into())
            ]
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
            [(
                DifferenceKind::Spelling,
                "Concede".to_string(),
                "conceed".to_string()
            )]
        );
    }

    #[test]
    fn meaning_changers_are_marked() {
        assert!(DifferenceKind::Number.changes_meaning());
        assert!(DifferenceKind::NegationRemoved.changes_meaning());
        assert!(!DifferenceKind::Spelling.changes_meaning());
    }
}
