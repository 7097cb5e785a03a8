//! The matcher against a brute-force reference: whenever some passage scores at or above the
//! threshold, the distance reported must be the true minimum over all passages.

use proptest::prelude::*;
use quotecheck::matcher::{Index, Plan, brute_force, max_distance, search_with};
use quotecheck::normalize::normalize;

/// Words from a tiny alphabet, so that near-misses, repeats and merged words are common.
fn word() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[abc]{1,4}").unwrap()
}

fn text() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(word(), 1..28)
}

/// A claim: either random words, or a slice of the text with random character edits
/// (which may merge or split words).
fn claim_for(words: Vec<String>) -> impl Strategy<Value = (Vec<String>, String)> {
    let n = words.len();
    let random = proptest::collection::vec(word(), 1..8).prop_map(|w| w.join(" "));
    let sliced = (
        0..n,
        1..8usize,
        proptest::collection::vec((0..3u8, any::<prop::sample::Index>(), "[abc ]"), 0..5),
    )
        .prop_map({
            let words = words.clone();
            move |(start, len, edits)| {
                let end = (start + len).min(words.len());
                let mut chars: Vec<char> = words[start..end].join(" ").chars().collect();
                for (op, at, c) in edits {
                    let c = c.chars().next().unwrap();
                    if chars.is_empty() {
                        break;
                    }
                    let i = at.index(chars.len());
                    match op {
                        0 => chars[i] = c,
                        1 => chars.insert(i, c),
                        _ => {
                            chars.remove(i);
                        }
                    }
                }
                chars.into_iter().collect::<String>()
            }
        });
    (Just(words), prop_oneof![1 => random, 3 => sliced])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn distance_is_the_true_minimum_when_within_threshold(
        (words, claim) in text().prop_flat_map(claim_for),
        threshold in prop_oneof![Just(0.8), 0.3f64..1.0],
    ) {
        let t = normalize(&words.join(" "));
        let c = normalize(&claim);
        prop_assume!(!c.is_empty());
        let index = Index::build(&t);
        let claim_str = c.as_string();
        let m = c.chars.len();
        let max_d = max_distance(m, threshold);
        let reference = brute_force(&t, &claim_str).unwrap();
        // Both ways of certifying must agree with the reference.
        for plan in [Plan::Auto, Plan::Index, Plan::Scan] {
            let found = search_with(&t, &index, &c, max_d, plan);
            if reference <= max_d {
                let a = found.expect("a passage within the threshold exists");
                prop_assert_eq!(a.distance, reference, "{:?}: text {:?} claim {:?}", plan, t.as_string(), claim_str);
            }
            if let Some(a) = found {
                // The distance reported is the distance of the passage reported.
                let passage = t.token_text(a.first, a.last);
                prop_assert_eq!(strsim::levenshtein(&claim_str, &passage) as u32, a.distance);
                prop_assert!(a.distance >= reference);
            }
        }
    }
}
