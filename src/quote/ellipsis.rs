//! Ellipsis chains: each part of an elided quote placed in order, within a bounded gap, and
//! what the omission changes.

use super::Segment;
use super::judge::pattern;
use crate::matcher;
use crate::outcome::{Note, SegmentMatch};
use crate::source::corpus::IndexedSource;
use crate::text::lexicon;

/// Match ellipsis segments in order: every chain is anchored on one segment found anywhere,
/// the others searched in windows after (or before) their neighbours. The chain with the
/// fewest problems wins. Returns each segment's match and the problems found.
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
    let mut best: Option<(Vec<Option<SegmentMatch>>, Vec<Note>)> = None;
    for anchor in anchors {
        let mut matches = vec![None; segs.len()];
        matches[anchor] = global[anchor];
        // Forward from the anchor.
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
        // Backward from the anchor.
        for i in (0..anchor).rev() {
            let next = (i + 1..segs.len()).find_map(|j| matches[j]);
            matches[i] = match next {
                Some(nx) if nx.first > 0 => {
                    let reach = gap + segs[i].norm.token_count() + limits[i] as usize;
                    let lo = nx.first.saturating_sub(reach);
                    let found = matcher::search_window(
                        text,
                        pattern(&segs[i]),
                        lo,
                        nx.first - 1,
                        limits[i],
                    )
                    .filter(|a| a.last < nx.first);
                    found.map(SegmentMatch::from).or(global[i])
                }
                _ => global[i],
            };
        }
        let problems = chain_problems(loaded, &matches, limits, gap);
        let cost = |m: &[Option<SegmentMatch>], p: &[Note]| {
            let missing = m
                .iter()
                .zip(limits)
                .filter(|(m, l)| m.is_none_or(|m| m.distance > **l))
                .count();
            (
                missing,
                p.len(),
                m.iter().flatten().map(|m| m.distance).sum::<u32>(),
            )
        };
        if best
            .as_ref()
            .is_none_or(|(bm, bp)| cost(&matches, &problems) < cost(bm, bp))
        {
            best = Some((matches, problems));
        }
    }
    best.unwrap_or_default()
}

/// What is wrong with a chain of segment matches: order, distance, and omitted negations or
/// numbers.
fn chain_problems(
    loaded: &IndexedSource,
    matches: &[Option<SegmentMatch>],
    limits: &[u32],
    gap: usize,
) -> Vec<Note> {
    let text = &loaded.doc.norm;
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
        let words = text.words_in(a.last + 1..b.first);
        let prev = text.words_in(a.last..a.last + 1).remove(0);
        if let Some(word) = lexicon::meaningful_word(Some(&prev), &words) {
            problems.push(Note::EllipsisOmitsMeaning { word });
        }
    }
    problems
}
