//! Judging a quote against one version: each part found, then what differs, whether strict
//! mode objects, and how often the passage occurs.

use super::{Quote, Segment, attribution, differences, ellipsis, origin, reorder, strict};
use crate::config::Rules;
use crate::matcher::{self, Pattern};
use crate::model::Verdict;
use crate::outcome::{Note, SegmentMatch, VersionResult};
use crate::source::corpus::IndexedSource;
use crate::text::lexicon;
use crate::text::normalize::normalize;

pub(crate) use attribution::{ATTRIBUTION_WINDOW, attribution_near};

/// How many places of an ambiguous passage a note names.
const PLACES_NAMED: usize = 3;

/// The search plan the rules ask for.
fn plan(rules: &Rules) -> matcher::Plan {
    if rules.exhaustive {
        matcher::Plan::Scan
    } else {
        matcher::Plan::Auto
    }
}

pub(super) fn pattern(seg: &Segment) -> Pattern<'_> {
    Pattern {
        norm: &seg.norm,
        gaps: &seg.gaps,
    }
}

fn verdict_of(distance: u32, max_d: u32) -> Verdict {
    if distance == 0 {
        Verdict::Exact
    } else if distance <= max_d {
        Verdict::Approximate
    } else {
        Verdict::Missing
    }
}

impl From<matcher::Alignment> for SegmentMatch {
    fn from(a: matcher::Alignment) -> SegmentMatch {
        SegmentMatch {
            first: a.first,
            last: a.last,
            distance: a.distance,
        }
    }
}

/// Match a quote against one version: each part, in order, then the explanations.
pub(crate) fn judge(
    name: &str,
    loaded: &IndexedSource,
    quote: &Quote,
    rules: &Rules,
) -> VersionResult {
    // Brackets the source itself contains match as the same words, at any length.
    if let Some(as_text) = &quote.brackets_as_text {
        let r = judge(name, loaded, as_text, rules);
        if r.verdict == Verdict::Exact {
            return r;
        }
    }
    let doc = &loaded.doc;
    let segs = &quote.segments;
    let limits: Vec<u32> = segs
        .iter()
        .map(|s| matcher::max_distance(s.len(), rules.threshold))
        .collect();
    let mut r = VersionResult::empty(name, doc.path.clone());
    if segs.is_empty() {
        // Nothing outside editorial brackets: nothing to find (claims files refuse these).
        return r;
    }
    let (matches, mut notes) = find_parts(loaded, quote, &limits, rules);
    notes.extend(inserted_meaning(loaded, segs, &matches));
    if matches.iter().all(Option::is_none) {
        r.segments = matches;
        return r;
    }
    let total: u32 = matches.iter().flatten().map(|m| m.distance).sum();
    r.distance = Some(total);
    r.score = matcher::score(total, quote.total_len());
    r.verdict = matches
        .iter()
        .zip(&limits)
        .map(|(m, &lim)| m.map_or(Verdict::Missing, |m| verdict_of(m.distance, lim)))
        .min()
        .unwrap_or(Verdict::Missing);
    if !notes.is_empty() && r.verdict == Verdict::Exact {
        r.verdict = Verdict::Approximate;
    }
    let recognized = |n: &Note| matches!(n, Note::WordsReordered | Note::Misremembered { .. });
    if notes.iter().any(recognized) && r.verdict == Verdict::Missing {
        r.verdict = Verdict::Approximate;
    }
    let found = || matches.iter().flatten();
    if let Some(first) = found().next() {
        r.position = Some(doc.token_position(first.first));
    }
    let passages: Vec<String> = found().map(|m| doc.passage(m.first, m.last)).collect();
    r.passage = Some(passages.join(" … "));
    explain(&mut r, loaded, segs, &matches, rules);
    if let ([Some(m)], true) = (matches.as_slice(), r.verdict > Verdict::Missing) {
        count_occurrences(&mut r, loaded, *m);
    }
    r.segments = matches;
    r.notes = notes;
    r
}

/// Each part's match, and the problems of the chain; a quote of one part in another order is
/// found as such.
fn find_parts(
    loaded: &IndexedSource,
    quote: &Quote,
    limits: &[u32],
    rules: &Rules,
) -> (Vec<Option<SegmentMatch>>, Vec<Note>) {
    let segs = &quote.segments;
    let [seg] = segs.as_slice() else {
        return ellipsis::chain(loaded, segs, limits, rules.ellipsis_gap, plan(rules));
    };
    let doc = &loaded.doc;
    let limit = limits[0];
    let found = matcher::search_with(&doc.norm, &loaded.index, pattern(seg), limit, plan(rules));
    let mut matches = vec![found.map(SegmentMatch::from)];
    let mut notes = Vec::new();
    // The same words in another order: approximate, whatever the character distance.
    let missing = matches[0].is_none_or(|m| m.distance > limit);
    if seg.gaps.is_empty()
        && missing
        && let Some((first, last)) = reorder::reordering(loaded, &seg.norm)
    {
        matches[0] = Some(measured(doc, seg, first, last));
        notes.push(Note::WordsReordered);
    }
    // Still missing: show the passage it most plausibly comes from, the one holding most of
    // its content words, where that passage keeps at least two more of the quote's words in
    // order than the closest by characters does (one more may be a stray "the") ("You see, but you do not notice" stays with "…do not
    // observe", not with a passage holding both "see" and "notice").
    if notes.is_empty()
        && matches[0].is_none_or(|m| m.distance > limit)
        && let Some((first, last)) = origin::origin(loaded, &seg.norm)
        && let Some(theirs) = origin::agreement(loaded, &seg.norm, first, last)
        && matches[0]
            .is_none_or(|m| origin::kept(loaded, &seg.norm, m.first, m.last) + 2 <= theirs.kept)
    {
        // Its words with a clause moved and a few changed: a recognizable misquotation.
        let moved = seg
            .gaps
            .is_empty()
            .then(|| reorder::moved(loaded, &seg.norm, first, last, limit))
            .flatten();
        // Else the words that agree, not the window that found them.
        let (first, last) = moved.unwrap_or((theirs.first, theirs.last));
        matches[0] = Some(measured(doc, seg, first, last));
        if moved.is_some() {
            notes.push(Note::WordsReordered);
        }
    }
    // Still missing, but keeping most of the passage's words in order with a few changed:
    // a recognizable misquotation of it, whatever the character distance.
    if notes.is_empty()
        && seg.gaps.is_empty()
        && let Some(m) = matches[0].filter(|m| m.distance > limit)
        && let (first, last) = origin::widened(loaded, &seg.norm, m.first, m.last)
        && let Some(a) = origin::agreement(loaded, &seg.norm, first, last)
        && origin::misremembers(a, seg.norm.token_count())
    {
        matches[0] = Some(measured(doc, seg, a.first, a.last));
        notes.push(Note::Misremembered {
            kept: a.kept,
            of: a.last - a.first + 1,
        });
    }
    (matches, notes)
}

/// Tokens `first..=last` as the match of `seg`, at their distance from it: a passage found
/// by words rather than by the aligner.
fn measured(
    doc: &crate::source::document::Document,
    seg: &Segment,
    first: usize,
    last: usize,
) -> SegmentMatch {
    let passage = doc.norm.token_text(first, last);
    SegmentMatch {
        first,
        last,
        distance: matcher::levenshtein(&seg.norm.as_string(), &passage),
    }
}

/// Editorial insertions that add a negation or a number the matched passage lacks: `The
/// defendant [did not] admit` for "The defendant admitted" is no clarification. A negation
/// is accounted for by any negation in the passage, a number by the same word.
fn inserted_meaning(
    loaded: &IndexedSource,
    segs: &[Segment],
    matches: &[Option<SegmentMatch>],
) -> Option<Note> {
    let text = &loaded.doc.norm;
    for (seg, m) in segs.iter().zip(matches) {
        let Some(m) = m else { continue };
        let passage = text.words_in(m.first..m.last + 1);
        let negated = passage
            .iter()
            .enumerate()
            .any(|(i, w)| lexicon::is_negation(i.checked_sub(1).map(|p| passage[p].as_str()), w));
        for inserted in &seg.insertions {
            let words = inserted.words();
            for (i, w) in words.iter().enumerate() {
                let prev = i.checked_sub(1).map(|p| words[p].as_str());
                let next = words.get(i + 1).map(String::as_str);
                if lexicon::is_negation(prev, w) && !negated {
                    let word = lexicon::negation_shown(w);
                    return Some(Note::BracketInsertsMeaning { word });
                }
                let number = !lexicon::is_negation(prev, w)
                    && lexicon::is_number(w)
                    && !lexicon::is_pronoun_one(prev, w, next);
                if number && !passage.contains(w) {
                    return Some(Note::BracketInsertsMeaning { word: w.clone() });
                }
            }
        }
    }
    None
}

/// What differs in each part; in strict mode, case and punctuation too.
fn explain(
    r: &mut VersionResult,
    loaded: &IndexedSource,
    segs: &[Segment],
    matches: &[Option<SegmentMatch>],
    rules: &Rules,
) {
    let doc = &loaded.doc;
    for (seg, m) in segs.iter().zip(matches) {
        let Some(m) = m else { continue };
        if m.distance > 0 {
            r.differences.extend(differences::differences(
                &seg.literal,
                &seg.norm,
                doc,
                m.first,
                m.last,
            ));
        } else if rules.strict && loaded.keeps_case && seg.gaps.is_empty() {
            let strict =
                strict::strict_differences(&seg.literal, &seg.norm, &seg.case_free, doc, m.first);
            if !strict.is_empty() && r.verdict == Verdict::Exact {
                r.verdict = Verdict::Approximate;
            }
            r.differences.extend(strict);
        }
    }
}

/// How often the passage of a one-part quote occurs, and where the first few are.
fn count_occurrences(r: &mut VersionResult, loaded: &IndexedSource, m: SegmentMatch) {
    let doc = &loaded.doc;
    let words = normalize(&doc.norm.token_text(m.first, m.last));
    let found = matcher::occurrences(&doc.norm, &loaded.index, &words);
    r.occurrences = found.len();
    if found.len() > 1 {
        r.elsewhere = doc.positions(&found, PLACES_NAMED);
    }
}
