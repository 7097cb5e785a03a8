//! Ellipsis chains: each part of an elided quote placed in order, within a bounded gap, and
//! what the omission changes.

use super::Segment;
use super::judge::pattern;
use crate::matcher;
use crate::outcome::{Note, SegmentMatch};
use crate::source::corpus::IndexedSource;
use crate::source::document::Document;
use crate::text::lexicon;
use crate::text::normalize::Normalized;

/// Exact places of an anchor tried besides its best match: a part that also opens a title or
/// a heading is tried at each of its first occurrences.
const MOST_PLACEMENTS: usize = 16;

/// Match ellipsis segments in order: every chain is anchored on one segment (the first, then
/// the longest) at each of its places, the others searched in windows after (or before) their
/// neighbours, nearest first. The chain that best explains the quote wins: fewest parts
/// missing, then fewest parts out of place, then fewest problems, then fewest edits, then
/// fewest words left out; the earliest such chain on a tie. Returns each segment's match and the problems found.
pub(super) fn chain(
    loaded: &IndexedSource,
    segs: &[Segment],
    limits: &[u32],
    gap: usize,
    plan: matcher::Plan,
) -> (Vec<Option<SegmentMatch>>, Vec<Note>) {
    let text = &loaded.doc.norm;
    let longest = (0..segs.len()).max_by_key(|&i| segs[i].len()).unwrap_or(0);
    let mut anchors = vec![0, longest];
    anchors.dedup();
    let global: Vec<Option<SegmentMatch>> = segs
        .iter()
        .zip(limits)
        .map(|(s, &lim)| {
            matcher::search_with(text, &loaded.index, pattern(s), lim, plan).map(SegmentMatch::from)
        })
        .collect();
    let mut placements: Vec<(usize, Option<SegmentMatch>)> = Vec::new();
    for &anchor in &anchors {
        placements.push((anchor, global[anchor]));
        let seg = &segs[anchor];
        if global[anchor].is_some_and(|g| g.distance == 0) && seg.gaps.is_empty() {
            let len = seg.norm.token_count();
            placements.extend(
                matcher::occurrences(text, &loaded.index, &seg.norm)
                    .into_iter()
                    .take(MOST_PLACEMENTS)
                    .map(|first| {
                        let last = first + len - 1;
                        (
                            anchor,
                            Some(SegmentMatch {
                                first,
                                last,
                                distance: 0,
                            }),
                        )
                    }),
            );
        }
    }
    let cost = |m: &[Option<SegmentMatch>], p: &[Note]| {
        let found: Vec<&SegmentMatch> = m
            .iter()
            .zip(limits)
            .filter_map(|(m, l)| m.as_ref().filter(|m| m.distance <= *l))
            .collect();
        let left_out: usize = found
            .windows(2)
            .map(|w| w[1].first.saturating_sub(w[0].last + 1))
            .sum();
        // Parts out of order or too far apart explain the quote worse than parts in place
        // around an omission that changes the meaning.
        let misplaced = p
            .iter()
            .filter(|n| !matches!(n, Note::EllipsisOmitsMeaning { .. }))
            .count();
        (
            segs.len() - found.len(),
            misplaced,
            p.len(),
            m.iter().flatten().map(|m| m.distance).sum::<u32>(),
            left_out,
        )
    };
    let mut best: Option<(Vec<Option<SegmentMatch>>, Vec<Note>)> = None;
    for (anchor, placed) in placements {
        let mut matches = vec![None; segs.len()];
        matches[anchor] = placed;
        // Forward from the anchor: the first match after the previous part is the nearest.
        for i in anchor + 1..segs.len() {
            let prev = (0..i).rev().find_map(|j| matches[j]);
            matches[i] = match prev {
                Some(p) => {
                    let lo = p.last + 1;
                    let found =
                        matcher::search_window(text, pattern(&segs[i]), lo, lo + gap, limits[i]);
                    found.map(SegmentMatch::from).or(global[i])
                }
                None => global[i],
            };
        }
        // Backward from the anchor: the last match before the next part.
        for i in (0..anchor).rev() {
            let next = (i + 1..segs.len()).find_map(|j| matches[j]);
            matches[i] = match next {
                Some(nx) if nx.first > 0 => {
                    let reach = gap + segs[i].norm.token_count() + limits[i] as usize;
                    nearest_before(
                        text,
                        &segs[i],
                        nx.first.saturating_sub(reach),
                        nx.first,
                        limits[i],
                    )
                    .or(global[i])
                }
                _ => global[i],
            };
        }
        let problems = chain_problems(loaded, &matches, limits, gap);
        if best
            .as_ref()
            .is_none_or(|(bm, bp)| cost(&matches, &problems) < cost(bm, bp))
        {
            best = Some((matches, problems));
        }
    }
    best.unwrap_or_default()
}

/// The match of `seg` that ends before token `before` and starts at `lo` or later, with
/// the fewest edits and, among those, the latest: the one nearest the part after it.
fn nearest_before(
    text: &Normalized,
    seg: &Segment,
    mut lo: usize,
    before: usize,
    limit: u32,
) -> Option<SegmentMatch> {
    let mut best: Option<SegmentMatch> = None;
    for _ in 0..MOST_PLACEMENTS {
        if lo >= before {
            break;
        }
        let Some(m) = matcher::search_window(text, pattern(seg), lo, before - 1, limit)
            .map(SegmentMatch::from)
            .filter(|m| m.last < before)
        else {
            break;
        };
        if best.is_some_and(|b| m.distance > b.distance) {
            break;
        }
        lo = m.first + 1;
        best = Some(m);
    }
    best
}

/// What is wrong with a chain of segment matches: order, distance, and omitted negations or
/// numbers.
fn chain_problems(
    loaded: &IndexedSource,
    matches: &[Option<SegmentMatch>],
    limits: &[u32],
    gap: usize,
) -> Vec<Note> {
    let mut problems = Vec::new();
    let found: Vec<(usize, SegmentMatch)> = matches
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.filter(|m| m.distance <= limits[i]).map(|m| (i, m)))
        .collect();
    for w in found.windows(2) {
        let ((i, a), (j, b)) = (w[0], w[1]);
        if b.first <= a.last {
            problems.push(Note::EllipsisOutOfOrder {
                earlier: i + 1,
                later: j + 1,
            });
            continue;
        }
        let omitted = b.first - a.last - 1;
        if omitted > gap {
            problems.push(Note::EllipsisGapTooWide {
                before: i + 1,
                after: j + 1,
                words: omitted,
                most: gap,
            });
            continue;
        }
        if let Some(word) = omitted_meaning(&loaded.doc, a.last + 1..b.first) {
            problems.push(Note::EllipsisOmitsMeaning { word });
        }
    }
    problems
}

/// The first omitted word that can change what the joined words say: a negation or a number
/// in a sentence the quote keeps words of. Whole sentences the ellipsis drops cannot govern
/// the kept words, so what they say is theirs alone; identifiers with digits (`FBN1`,
/// `COVID-19`) are names, not numbers; `one` as a pronoun (`as one might expect`) is no count.
fn omitted_meaning(doc: &Document, omitted: std::ops::Range<usize>) -> Option<String> {
    let text = &doc.norm;
    let breaks: Vec<usize> = (omitted.start..=omitted.end)
        .filter(|&t| t > 0 && sentence_break(doc, t))
        .collect();
    let kept_sentences = match (breaks.first(), breaks.last()) {
        (Some(&first), Some(&last)) => vec![omitted.start..first, last..omitted.end],
        _ => vec![omitted],
    };
    for range in kept_sentences {
        for t in range {
            let word = text.word(t);
            let prev = t.checked_sub(1).map(|p| text.word(p));
            if lexicon::is_negation(prev.as_deref(), &word) {
                return Some(lexicon::negation_shown(&word));
            }
            let next = (t + 1 < text.token_count()).then(|| text.word(t + 1));
            if lexicon::is_number(&word)
                && !is_identifier(doc, t, &word)
                && !lexicon::is_pronoun_one(prev.as_deref(), &word, next.as_deref())
            {
                return Some(word);
            }
        }
    }
    None
}

/// Whether a sentence ends between tokens `t - 1` and `t`: a full stop, `!` or `?` and a
/// space, then a capital or a digit, after a word that is no initial or abbreviation
/// (`J. Smith`, `Dr. Smith`, `e.g. Paris`, `U.S. Army`); or a paragraph break.
fn sentence_break(doc: &Document, t: usize) -> bool {
    let text = &doc.norm;
    let vis = doc.visible();
    let Some(sep) = vis.get(text.src_between(t - 1, t)) else {
        return false;
    };
    if sep.contains("\n\n") {
        return true;
    }
    let ends = sep
        .trim_end_matches(|c: char| !c.is_whitespace())
        .trim_end()
        .trim_end_matches(['"', '\'', '”', '’', ')', ']'])
        .ends_with(['.', '!', '?']);
    let next_opens = vis
        .get(text.src_range(t))
        .and_then(|w| w.chars().next())
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    // The word before the stop as written (`encounter'd`, `e.g`, `Dr`), not as tokens.
    let before = vis
        .get(..text.src_between(t - 1, t).start)
        .unwrap_or("")
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    ends && next_opens && !lexicon::stop_ends_no_sentence(before)
}

/// Whether the number-like token `t` is part of a name: a letter first and digits after
/// (`FBN1`, `TGFBR2`), or digits joined to a name by a hyphen or a mark (`COVID-19`,
/// `HLA-B*35`), never a quantity (`10mg`, `20th`).
fn is_identifier(doc: &Document, t: usize, word: &str) -> bool {
    if word.starts_with(|c: char| c.is_alphabetic()) {
        return word.chars().any(|c| c.is_ascii_digit());
    }
    let text = &doc.norm;
    if t == 0 || !word.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let sep = doc.visible().get(text.src_between(t - 1, t)).unwrap_or(" ");
    let name_before = doc.visible().get(text.src_range(t - 1)).is_some_and(|w| {
        w.chars().any(|c| c.is_uppercase())
            && w.chars().all(|c| c.is_alphanumeric())
            && !w.chars().any(|c| c.is_lowercase())
    });
    !sep.is_empty() && sep.chars().all(|c| matches!(c, '-' | '*' | ':' | '/')) && name_before
}
