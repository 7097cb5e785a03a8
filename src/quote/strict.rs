//! Strict mode: the same words must also have the source's case and punctuation.

use crate::outcome::{Difference, DifferenceKind};
use crate::source::document::Document;
use crate::text::normalize::Normalized;

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
pub(crate) fn strict_differences(
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
            let csep = &typed[q.src_between(i, i + 1)];
            let ssep = &vis[src.src_between(s, s + 1)];
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
            kind: DifferenceKind::CaseOnly,
            claim: c,
            source: s,
        });
    }
    if let Some((c, s)) = punct_diff {
        out.push(Difference {
            kind: DifferenceKind::PunctuationOnly,
            claim: c,
            source: s,
        });
    }
    out
}
