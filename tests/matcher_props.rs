//! The matcher against brute-force references: whenever some passage scores at or above the
//! threshold, the distance reported must be the true minimum over all passages.

use proptest::prelude::*;
use quotecheck::matcher::{
    Index, MAX_GAP_WORDS, Pattern, Plan, brute_force, max_distance, search_with,
};
use quotecheck::testing::{Chars, Normalized, Quote, normalize};

/// Words from a tiny alphabet, so that near-misses, repeats and merged words are common
/// (`é` is stored as a narrow text's extra code).
fn word() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[abcé]{1,4}").unwrap()
}

fn text(max_words: usize) -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(word(), 1..max_words)
}

/// A claim: either random words, or a slice of the text with random character edits
/// (which may merge or split words).
fn claim_for(words: Vec<String>) -> impl Strategy<Value = (Vec<String>, String)> {
    let n = words.len();
    let random = proptest::collection::vec(word(), 1..8).prop_map(|w| w.join(" "));
    // `ß` never occurs in a text: the claim has a character the text's codes lack.
    let edits = proptest::collection::vec((0..3u8, any::<prop::sample::Index>(), "[abcéß ]"), 0..5);
    let sliced = (0..n, 1..8usize, edits).prop_map({
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

/// Check every plan, on the text as normalized (one byte per character) and as 4-byte
/// characters, against the reference distance.
fn check_plans(
    narrow: &Normalized,
    pattern: Pattern,
    reference: u32,
    max_d: u32,
) -> Result<(), TestCaseError> {
    let is_narrow = matches!(narrow.chars, Chars::Narrow { .. });
    prop_assert!(is_narrow, "a text of few characters is kept narrow");
    let wide = narrow.widened();
    for t in [narrow, &wide] {
        check_plans_on(t, pattern, reference, max_d)?;
    }
    Ok(())
}

fn check_plans_on(
    t: &Normalized,
    pattern: Pattern,
    reference: u32,
    max_d: u32,
) -> Result<(), TestCaseError> {
    let index = Index::build(t);
    for plan in [Plan::Auto, Plan::Index, Plan::Scan] {
        let found = search_with(t, &index, pattern, max_d, plan);
        if reference <= max_d {
            let a = found.expect("a passage within the threshold exists");
            prop_assert_eq!(
                a.distance,
                reference,
                "{:?}: text {:?} claim {:?} gaps {:?}",
                plan,
                t.as_string(),
                pattern.norm.as_string(),
                pattern.gaps
            );
        }
        if let Some(a) = found {
            prop_assert!(
                a.distance >= reference,
                "{plan:?} reported less than the minimum"
            );
            if pattern.gaps.is_empty() {
                // The distance reported is the distance of the passage reported.
                let passage = t.token_text(a.first, a.last);
                let d = strsim::levenshtein(&pattern.norm.as_string(), &passage) as u32;
                prop_assert_eq!(d, a.distance);
            }
        }
    }
    Ok(())
}

/// Normalize the text's words and the claim, and hold every plan to `reference`'s distance.
fn check_claim(
    words: &[String],
    claim: &str,
    threshold: f64,
    reference: fn(&Normalized, &Normalized) -> u32,
) -> Result<(), TestCaseError> {
    let t = normalize(&words.join(" "));
    let c = normalize(claim);
    prop_assume!(!c.is_empty());
    let max_d = max_distance(c.len(), threshold);
    check_plans(&t, Pattern::plain(&c), reference(&t, &c), max_d)
}

/// Reference for a pattern with gaps: every passage, every choice of the words each gap
/// skips (none, or 1 to MAX_GAP_WORDS whole words), Levenshtein on the pieces.
fn brute_force_gaps(t: &Normalized, q: &Normalized, gaps: &[usize]) -> u32 {
    let qs: Vec<char> = q.as_string().chars().collect();
    let mut cuts = vec![0];
    cuts.extend_from_slice(gaps);
    cuts.push(qs.len());
    let pieces: Vec<String> = cuts
        .windows(2)
        .map(|w| qs[w[0]..w[1]].iter().collect())
        .collect();
    let chars: Vec<char> = t.as_string().chars().collect();
    let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    // best(p, from, end): pieces p.. aligned to chars from..end, where `from` is a token start
    // (or any start for piece 0).
    fn rec(
        pieces: &[String],
        p: usize,
        from: usize,
        end: usize,
        starts: &[usize],
        text: &dyn Fn(usize, usize) -> String,
    ) -> u32 {
        let last = pieces.len() - 1;
        if p == last {
            return strsim::levenshtein(&pieces[p], &text(from, end)) as u32;
        }
        let mut best = u32::MAX;
        // No jump at this gap: this piece and the next run on.
        let mut joined: Vec<String> = pieces.to_vec();
        let merged = format!("{}{}", joined[p], joined[p + 1]);
        joined.splice(p..=p + 1, [merged]);
        best = best.min(rec(&joined, p, from, end, starts, text));
        // A jump from token start j over c words.
        let here: Vec<usize> = starts
            .iter()
            .copied()
            .filter(|&s| s >= from && s < end)
            .collect();
        for (x, &j) in here.iter().enumerate() {
            for c in 1..=MAX_GAP_WORDS {
                let Some(&j2) = here.get(x + c) else { break };
                let a = strsim::levenshtein(&pieces[p], &text(from, j)) as u32;
                best = best.min(a.saturating_add(rec(pieces, p + 1, j2, end, starts, text)));
            }
        }
        best
    }
    let starts: Vec<usize> = t.token_starts().collect();
    let mut best = u32::MAX;
    for a in 0..starts.len() {
        for b in a..starts.len() {
            let from = starts[a];
            let end = t.token_end(b);
            best = best.min(rec(&pieces, 0, from, end, &starts, &text));
        }
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn distance_is_the_true_minimum_when_within_threshold(
        (words, claim) in text(28).prop_flat_map(claim_for),
        threshold in prop_oneof![Just(0.8), 0.3f64..1.0],
    ) {
        check_claim(&words, &claim, threshold, |t, c| brute_force(t, &c.as_string()).unwrap())?;
    }
}

/// An independent reference for longer texts: for every start token, a plain global
/// alignment of the claim against the growing passage, read at every token end.
fn reference_by_starts(t: &Normalized, c: &Normalized) -> u32 {
    let claim: Vec<char> = c.as_string().chars().collect();
    let m = claim.len();
    let chars: Vec<char> = t.as_string().chars().collect();
    let mut best = u32::MAX;
    for a in t.token_starts() {
        let mut col: Vec<u32> = (0..=m as u32).collect();
        for j in a..chars.len() {
            let c = chars[j];
            let mut next = vec![col[0] + 1; m + 1];
            for i in 1..=m {
                next[i] = (col[i - 1] + u32::from(claim[i - 1] != c))
                    .min(col[i] + 1)
                    .min(next[i - 1] + 1);
            }
            col = next;
            if j + 1 == chars.len() || chars[j + 1] == ' ' {
                best = best.min(col[m]);
            }
        }
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Texts long enough that the bit-parallel prefilter runs before the exact alignment.
    #[test]
    fn long_texts_through_the_prefilter(
        (words, claim) in text(90).prop_flat_map(claim_for),
        threshold in prop_oneof![Just(0.8), 0.3f64..1.0],
    ) {
        check_claim(&words, &claim, threshold, reference_by_starts)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn editorial_gaps_skip_up_to_six_words_for_free(
        (words, claim) in text(11).prop_flat_map(claim_for),
        gap_at in any::<prop::sample::Index>(),
        inserted in "[abc]{1,5}",
        threshold in prop_oneof![Just(0.8), 0.3f64..1.0],
    ) {
        // Put one editorial insertion between two words of the claim.
        let claim_words: Vec<&str> = claim.split(' ').filter(|w| !w.is_empty()).collect();
        prop_assume!(claim_words.len() >= 2);
        let at = 1 + gap_at.index(claim_words.len() - 1);
        let typed = format!("{} [{inserted}] {}", claim_words[..at].join(" "), claim_words[at..].join(" "));
        let quote = Quote::parse(&typed);
        let seg = &quote.segments[0];
        prop_assume!(!seg.gaps.is_empty());
        let t = normalize(&words.join(" "));
        let reference = brute_force_gaps(&t, &seg.norm, &seg.gaps);
        let max_d = max_distance(seg.len(), threshold);
        check_plans(&t, Pattern { norm: &seg.norm, gaps: &seg.gaps }, reference, max_d)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// A text that repeats itself (copies of one passage, some with a word between them):
    /// regions with the same text are aligned once per search, and the copies must still
    /// give the true minimum.
    #[test]
    fn repeated_text_gives_the_true_minimum(
        ((block, claim), copies, between) in (text(30).prop_flat_map(claim_for), 2..5usize, proptest::collection::vec(proptest::option::of(word()), 4)),
        threshold in prop_oneof![Just(0.8), 0.3f64..1.0],
    ) {
        let mut words: Vec<String> = Vec::new();
        for gap in &between[..copies] {
            words.extend(block.iter().cloned());
            words.extend(gap.clone());
        }
        check_claim(&words, &claim, threshold, reference_by_starts)?;
    }
}
