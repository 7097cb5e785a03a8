//! The labelled evaluation sets (tests/eval/): quotes and facts over public-domain texts, each
//! labelled exact, approximate or missing by what a careful fact-checker would say.
//!
//! Floors, with the figures measured when they were set:
//! - quotes: at least 97 % of verdicts equal their label (measured 194 of 194 over six
//!   texts), never a misquotation or fabrication reported exact, and the recorded origin of at
//!   least 95 % of the misquotations shown as their passage (measured 48 of 49);
//! - facts about the Constitution, the Declaration and Sherlock Holmes: at least 92 %
//!   (measured 61 of 66, 92.4 %), and every one of the 19 facts with a wrong number or date
//!   caught, i.e. not reported exact;
//! - facts about the KJV, Darwin and Hamlet: at least 85 % (measured 67 of 74), at most two
//!   wrong facts reported exact (measured 2).

use std::collections::BTreeMap;
use std::path::PathBuf;

use quotecheck::{Checker, ClaimResult, Verdict};

/// Check the evaluation files whose names satisfy `pick`.
fn run(pick: impl Fn(&str) -> bool) -> Vec<ClaimResult> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/eval");
    let files: Vec<PathBuf> = quotecheck::collect_files(&[dir])
        .unwrap()
        .into_iter()
        .filter(|p| pick(p.file_name().unwrap().to_str().unwrap()))
        .collect();
    let (claims, corpus) = quotecheck::load(&files).unwrap();
    let outcome = Checker::new(&claims, &corpus).unwrap().run();
    outcome.files.into_iter().flat_map(|f| f.claims).collect()
}

/// Accuracy, the confusion matrix, and the mistakes, printed for the record.
fn score(results: &[ClaimResult]) -> (f64, BTreeMap<(Verdict, Verdict), usize>, usize) {
    let mut confusion: BTreeMap<(Verdict, Verdict), usize> = BTreeMap::new();
    let mut texts = std::collections::BTreeSet::new();
    for c in results {
        let verdict = c.verdict;
        *confusion.entry((c.claim.expect, verdict)).or_default() += 1;
        texts.insert(c.source.clone());
        if verdict != c.claim.expect {
            eprintln!(
                "  {} ({}): labelled {}, found {verdict}",
                c.claim.id, c.source, c.claim.expect
            );
        }
    }
    let total: usize = confusion.values().sum();
    let right: usize = confusion
        .iter()
        .filter(|((l, v), _)| l == v)
        .map(|(_, n)| n)
        .sum();
    let accuracy = right as f64 / total as f64;
    eprintln!(
        "accuracy {right}/{total} = {:.1} % over {} texts",
        accuracy * 100.0,
        texts.len()
    );
    eprintln!("label -> verdict: {confusion:?}");
    assert!(total >= 60, "the set must keep at least 60 claims");
    assert!(texts.len() >= 3, "the set must cover at least 3 texts");
    (accuracy, confusion, total)
}

/// Precision and recall of each verdict, printed for the record.
fn per_verdict(confusion: &BTreeMap<(Verdict, Verdict), usize>) {
    for v in [Verdict::Exact, Verdict::Approximate, Verdict::Missing] {
        let count = |f: &dyn Fn(Verdict, Verdict) -> bool| -> usize {
            confusion
                .iter()
                .filter(|((l, r), _)| f(*l, *r))
                .map(|(_, n)| n)
                .sum()
        };
        let right = count(&|l, r| l == v && r == v);
        let said = count(&|_, r| r == v);
        let labelled = count(&|l, _| l == v);
        eprintln!("{v}: precision {right}/{said}, recall {right}/{labelled}",);
    }
}

/// The words of `text`, lowercased, for comparing a passage with a recorded origin.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether the passage a claim's report shows is one of the origins its note records
/// ("origin: A | B"): the passage holds at least 60 % of the origin's words.
fn origin_named(c: &ClaimResult) -> Option<bool> {
    let note = c.claim.note.as_deref()?;
    let (_, origins) = note.split_once("origin: ")?;
    let shown = words(c.best()?.passage.as_deref().unwrap_or(""));
    Some(origins.split(" | ").any(|origin| {
        let origin = words(origin);
        let held = origin.iter().filter(|w| shown.contains(w)).count();
        held * 5 >= origin.len() * 3
    }))
}

#[test]
fn quotes_three_way_accuracy_stays_above_the_floor() {
    let results = run(|name| !name.starts_with("facts-") && !name.starts_with("ellipsis-"));
    let (accuracy, confusion, _) = score(&results);
    per_verdict(&confusion);
    assert!(
        accuracy >= 0.97,
        "quote accuracy {accuracy:.3} fell below 0.97"
    );
    // Every misquotation whose true origin is recorded shows that origin as its passage.
    let with_origin: Vec<(&str, bool)> = results
        .iter()
        .filter_map(|c| Some((c.claim.id.as_str(), origin_named(c)?)))
        .collect();
    let unnamed: Vec<&str> = with_origin
        .iter()
        .filter(|(_, named)| !named)
        .map(|(id, _)| *id)
        .collect();
    eprintln!(
        "origins named: {} of {}",
        with_origin.len() - unnamed.len(),
        with_origin.len()
    );
    assert!(
        with_origin.len() >= 30,
        "only {} origins recorded",
        with_origin.len()
    );
    // Measured 48 of 49: "Spare the rod and spoil the child" shares two words with Proverbs
    // 13:24 ("He that spareth his rod") and as many with other verses about a child and a rod.
    assert!(
        unnamed.len() * 20 <= with_origin.len(),
        "origin not shown for {unnamed:?}"
    );
    let false_exact: usize = confusion
        .iter()
        .filter(|((l, v), _)| *v == Verdict::Exact && *l != Verdict::Exact)
        .map(|(_, n)| n)
        .sum();
    assert_eq!(
        false_exact, 0,
        "a misquotation or fabrication was reported exact"
    );
}

/// The facts about the Constitution, the Declaration and the Sherlock Holmes stories.
const OLD_FACTS: &[&str] = &[
    "facts-constitution.yaml",
    "facts-declaration.yaml",
    "facts-sherlock.yaml",
];

/// Facts labelled other than exact but reported exact: a wrong fact waved through.
fn false_accepts(results: &[ClaimResult]) -> Vec<&str> {
    results
        .iter()
        .filter(|c| c.claim.expect != Verdict::Exact && c.verdict == Verdict::Exact)
        .map(|c| c.claim.id.as_str())
        .collect()
}

#[test]
fn facts_three_way_accuracy_and_wrong_values_caught() {
    let results = run(|name| OLD_FACTS.contains(&name));
    let (accuracy, _, _) = score(&results);
    assert!(
        accuracy >= 0.92,
        "fact accuracy {accuracy:.3} fell below 0.92"
    );
    // Facts labelled with a wrong number or date ("wrong:" notes): caught when not exact.
    let wrong: Vec<&ClaimResult> = results
        .iter()
        .filter(|c| {
            c.claim
                .note
                .as_deref()
                .is_some_and(|n| n.starts_with("wrong:"))
        })
        .collect();
    let caught = wrong.iter().filter(|c| c.verdict != Verdict::Exact).count();
    let with_conflict = wrong
        .iter()
        .filter(|c| c.best().is_some_and(|v| !v.conflicts.is_empty()))
        .count();
    eprintln!(
        "wrong values caught: {caught} of {} ({with_conflict} with the conflicting value named)",
        wrong.len()
    );
    assert_eq!(wrong.len(), 19);
    assert_eq!(caught, wrong.len(), "a wrong value was reported exact");
    assert!(false_accepts(&results).is_empty());
}

/// Facts about texts the first set does not cover (the KJV, Darwin, Hamlet), written for
/// the mechanisms of a value said of its subject: wrong values, wrong names, values of
/// someone else in the same passage ("trap:"), absent facts and paraphrases. Measured when
/// set: 67 of 74 (90.5 %; 52 of 74 before subject binding), 2 false accepts (11 before).
#[test]
fn facts_about_other_texts_bind_values_to_their_subject() {
    let results = run(|name| name.starts_with("facts-") && !OLD_FACTS.contains(&name));
    assert!(results.len() >= 60);
    let (accuracy, _, _) = score(&results);
    let accepted = false_accepts(&results);
    eprintln!("false accepts: {} {accepted:?}", accepted.len());
    assert!(
        accuracy >= 0.85,
        "fact accuracy {accuracy:.3} fell below 0.85"
    );
    assert!(
        accepted.len() <= 2,
        "wrong facts reported exact: {accepted:?}"
    );
}

/// Ellipses (tests/eval/ellipsis.py): over whole sentences that hold a number, a negation or
/// an identifier, honest and exact; inside one clause, over its negation or number, flagged.
/// Measured when set: 104 of 104 honest exact (0 before the sentence rule), 37 of 37
/// dishonest flagged.
#[test]
fn ellipsis_sets_honest_exact_dishonest_flagged() {
    let honest = run(|name| name == "ellipsis-honest.yaml");
    let dishonest = run(|name| name == "ellipsis-dishonest.yaml");
    assert!(honest.len() >= 100 && dishonest.len() >= 30);
    let flagged: Vec<&str> = honest
        .iter()
        .filter(|c| c.verdict != Verdict::Exact)
        .map(|c| c.claim.id.as_str())
        .collect();
    assert!(flagged.is_empty(), "honest ellipses flagged: {flagged:?}");
    let passed: Vec<&str> = dishonest
        .iter()
        .filter(|c| c.verdict == Verdict::Exact)
        .map(|c| c.claim.id.as_str())
        .collect();
    assert!(passed.is_empty(), "dishonest ellipses passed: {passed:?}");
}
