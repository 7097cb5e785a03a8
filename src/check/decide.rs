//! One claim: judged in every version of its source, the claim's verdict taken from the best
//! version, and the notes it rests on.

use crate::config::Rules;
use crate::digest;
use crate::facts::{self, Fact};
use crate::model::{Claim, ClaimKind, ClaimsFile, Verdict};
use crate::outcome::{ClaimResult, Note, VersionResult, VersionVerdict};
use crate::quote::{self, Quote};
use crate::source::corpus::Corpus;

/// [`ClaimResult::fingerprint`].
fn fingerprint(cf: &ClaimsFile, claim: &Claim, corpus: &Corpus) -> u64 {
    let source = cf.sources.get(claim.source);
    let (kind, expect) = (claim.kind.to_string(), claim.expect.to_string());
    let by = claim.by.as_deref().unwrap_or("");
    let name = source.map_or("", |s| s.name.as_str());
    let said = [
        cf.identity.as_str(),
        claim.id.as_str(),
        kind.as_str(),
        claim.text.as_str(),
        by,
        expect.as_str(),
        name,
    ];
    let keys = claim.keys.iter().map(String::as_str);
    let h = digest::fields(
        digest::START,
        said.into_iter().chain(keys).map(str::as_bytes),
    );
    let versions = source.into_iter().flat_map(|s| &s.versions);
    let texts: Vec<[u8; 8]> = versions
        .map(|v| corpus.digest(&v.path).unwrap_or(0).to_le_bytes())
        .collect();
    digest::fields(h, texts.iter().map(|t| &t[..]))
}

/// Check one claim of `cf` against the corpus.
pub(super) fn check_claim(
    cf: &ClaimsFile,
    claim: &Claim,
    corpus: &Corpus,
    rules: &Rules,
) -> ClaimResult {
    let source = &cf.sources[claim.source];
    let quote = (claim.kind == ClaimKind::Quote).then(|| Quote::parse(&claim.text));
    let fact = (claim.kind == ClaimKind::Fact).then(|| Fact::parse(&claim.text, &claim.keys));
    let mut versions = Vec::new();
    let mut judged_strictly = Vec::new();
    // `Checker::new` made sure that every version is in the corpus.
    for (v, loaded) in source
        .versions
        .iter()
        .filter_map(|v| Some((v, corpus.get(&v.path)?)))
    {
        versions.push(match (&quote, &fact) {
            (Some(q), _) => quote::judge(&v.name, &loaded, q, rules),
            (_, Some(f)) => facts::judge_version(&v.name, &loaded, f, rules.fact_window),
            _ => VersionResult::empty(&v.name, v.path.clone()),
        });
        judged_strictly.push(quote.is_some() && rules.strict && loaded.keeps_case);
    }
    let decided_by = (!versions.is_empty()).then(|| decide(&versions, &judged_strictly));
    let mut result = ClaimResult {
        file: cf.path.clone(),
        claim: claim.clone(),
        source: source.name.clone(),
        verdict: Verdict::Missing,
        score: 0.0,
        passed: false,
        notes: Vec::new(),
        suggestion: None,
        versions,
        decided_by,
        fingerprint: fingerprint(cf, claim, corpus),
    };
    let Some(best) = result.best() else {
        return result;
    };
    let (verdict, score) = (best.verdict, best.score);
    result.verdict = verdict;
    result.score = score;
    result.passed = verdict >= claim.expect;
    result.notes = notes(&result, corpus, cf);
    if rules.fail_on_ambiguous
        && result
            .notes
            .iter()
            .any(|n| matches!(n, Note::Ambiguous { .. }))
    {
        result.passed = false;
    }
    let attribution_fails = rules.strict
        && result
            .notes
            .iter()
            .any(|n| matches!(n, Note::AttributionNotFound { .. }));
    if attribution_fails {
        result.passed = false;
    }
    if verdict == Verdict::Approximate && claim.kind == ClaimKind::Quote {
        result.suggestion = result
            .versions
            .iter()
            .find(|v| v.verdict > Verdict::Missing)
            .and_then(|v| v.passage.clone());
    }
    result
}

/// The notes of a decided claim, in the order the report shows them.
fn notes(result: &ClaimResult, corpus: &Corpus, cf: &ClaimsFile) -> Vec<Note> {
    let mut notes = Vec::new();
    let Some(best) = result.best() else {
        return notes;
    };
    let claim = &result.claim;
    notes.extend(disagreement(&result.versions));
    notes.extend(best.notes.iter().cloned());
    if best.occurrences > 1 {
        notes.push(Note::Ambiguous {
            occurrences: best.occurrences,
            version: best.name.clone(),
            at: best.elsewhere.clone(),
        });
    }
    if let Some(by) = &claim.by
        && claim.kind == ClaimKind::Quote
        && best.verdict > Verdict::Missing
        && !named_near(result, corpus, cf, by)
    {
        notes.push(Note::AttributionNotFound {
            by: by.clone(),
            window: quote::ATTRIBUTION_WINDOW,
        });
    }
    let (expected, found) = (claim.expect, best.verdict);
    if found > expected {
        notes.push(Note::StaleExpectation { expected, found });
    } else if found < expected {
        notes.push(Note::FallsShort { expected, found });
    }
    notes
}

/// Whether some version that found the quote names its speaker near it.
fn named_near(result: &ClaimResult, corpus: &Corpus, cf: &ClaimsFile, by: &str) -> bool {
    let versions = &cf.sources[result.claim.source].versions;
    result
        .versions
        .iter()
        .filter(|r| r.verdict > Verdict::Missing)
        .filter_map(|r| {
            let v = versions.iter().find(|v| v.name == r.name)?;
            Some((r, corpus.get(&v.path)?))
        })
        .any(|(r, loaded)| {
            r.span()
                .is_some_and(|(a, b)| quote::attribution_near(&loaded.doc, a, b, by))
        })
}

/// The version whose verdict is the claim's: the best one, the first listed on a tie. In
/// strict mode, versions judged strictly decide whenever one of them found the quote: a
/// normalized export cannot vouch for punctuation it does not have.
fn decide(versions: &[VersionResult], judged_strictly: &[bool]) -> usize {
    let strict_found = versions
        .iter()
        .zip(judged_strictly)
        .any(|(v, &s)| s && v.verdict > Verdict::Missing);
    let mut best: Option<usize> = None;
    for (i, v) in versions.iter().enumerate() {
        if strict_found && !judged_strictly[i] {
            continue;
        }
        let better =
            best.is_none_or(|b| (v.verdict, v.score) > (versions[b].verdict, versions[b].score));
        if better {
            best = Some(i);
        }
    }
    best.unwrap_or(0)
}

/// "exact in original, approximate in normalized (concede/conceed)" when versions disagree.
fn disagreement(versions: &[VersionResult]) -> Option<Note> {
    let first = versions.first()?.verdict;
    if versions.iter().all(|v| v.verdict == first) {
        return None;
    }
    let versions = versions
        .iter()
        .map(|v| {
            let diffs = v
                .differences
                .iter()
                .map(|d| (d.claim.clone(), d.source.clone()))
                .collect();
            VersionVerdict {
                name: v.name.clone(),
                verdict: v.verdict,
                differences: diffs,
            }
        })
        .collect();
    Some(Note::VersionsDisagree { versions })
}
