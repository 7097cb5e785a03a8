//! The labelled evaluation set (tests/eval/): quotes over four public-domain texts, each
//! labelled exact, approximate or missing by what a careful fact-checker would say.
//!
//! Floor: at least 95 % of verdicts equal their label (measured: 85 of 86, 98.8 %), and never
//! a misquotation or fabrication reported as exact.

use std::collections::BTreeMap;
use std::path::PathBuf;

use quotecheck::check::{self, CheckOptions};
use quotecheck::claims::Verdict;

const FLOOR: f64 = 0.95;

#[test]
fn three_way_accuracy_stays_above_the_floor() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/eval");
    let files = check::collect_files(&[dir]).unwrap();
    let (claims, corpus) = check::load(&files).unwrap();
    let outcome = check::check(&claims, &corpus, CheckOptions::default());
    let mut confusion: BTreeMap<(Verdict, Verdict), usize> = BTreeMap::new();
    let mut wrong = Vec::new();
    let mut per_text: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for c in outcome.files.iter().flat_map(|f| &f.claims) {
        let label = c.claim.expect;
        let verdict = c.verdict.expect("the evaluation set has only quotes");
        *confusion.entry((label, verdict)).or_default() += 1;
        let t = per_text.entry(c.source.clone()).or_default();
        t.1 += 1;
        if label == verdict {
            t.0 += 1;
        } else {
            wrong.push(format!(
                "{} ({}): labelled {label}, found {verdict} ({:.2})",
                c.claim.id,
                c.source,
                c.score.unwrap()
            ));
        }
    }
    let total: usize = confusion.values().sum();
    let right: usize = confusion
        .iter()
        .filter(|((l, v), _)| l == v)
        .map(|(_, n)| n)
        .sum();
    let accuracy = right as f64 / total as f64;
    eprintln!("accuracy {right}/{total} = {:.1} %", accuracy * 100.0);
    eprintln!("per text: {per_text:?}");
    eprintln!("label -> verdict: {confusion:?}");
    for w in &wrong {
        eprintln!("  {w}");
    }
    assert!(total >= 60, "the set must keep at least 60 quotes");
    assert!(per_text.len() >= 3, "the set must cover at least 3 texts");
    assert!(
        accuracy >= FLOOR,
        "accuracy {accuracy:.3} fell below {FLOOR}: {wrong:#?}"
    );
    let false_exact: usize = confusion
        .iter()
        .filter(|((l, v), _)| *v == Verdict::Exact && *l != Verdict::Exact)
        .map(|(_, n)| n)
        .sum();
    assert_eq!(
        false_exact, 0,
        "a misquotation or fabrication was reported exact: {wrong:#?}"
    );
}
