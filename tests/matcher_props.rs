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
    for plan in [Plan::Auto, Plan::Index, Plan::Pieces, Plan::Scan] {
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

/// A source of over a million characters made of a few very frequent words (as a table of
/// C API names repeats `PyObject`, `vectorcall` and `NULL`), built once.
static COMMON: std::sync::LazyLock<(Normalized, Index)> = std::sync::LazyLock::new(|| {
    const VOCABULARY: &[&str] = &[
        "pyobject",
        "vectorcall",
        "dict",
        "null",
        "int",
        "self",
        "args",
        "return",
        "type",
        "size",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut words = Vec::new();
    let mut chars = 0;
    while chars < 1_200_000 {
        // xorshift: the same text on every run.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let w = VOCABULARY[(state % VOCABULARY.len() as u64) as usize];
        chars += w.len() + 1;
        words.push(w);
    }
    let t = normalize(&words.join(" "));
    let index = Index::build(&t);
    (t, index)
});

/// The least edit distance from `claim` to any passage of whole tokens of `t`, by dynamic
/// programming over every character of the text (Sellers' algorithm with passages starting
/// at a token start and ending at a token end): no index, no candidates, no cutoff.
fn sellers(t: &Normalized, claim: &str) -> u32 {
    let text: Vec<char> = t.as_string().chars().collect();
    let q: Vec<char> = claim.chars().collect();
    let m = q.len();
    const FAR: u32 = u32::MAX / 2;
    // col[i]: the least cost of claim[..i] against a passage ending before the current char.
    let mut col: Vec<u32> = vec![FAR; m + 1];
    let mut best = FAR;
    for j in 0..text.len() {
        if j == 0 || text[j - 1] == ' ' {
            // A passage may start here, with claim characters inserted before its first.
            for (i, c) in col.iter_mut().enumerate() {
                *c = (*c).min(i as u32);
            }
        }
        let mut prev_diag = col[0];
        // Text a passage covers before the claim's first character is deleted.
        let mut next = vec![FAR; m + 1];
        next[0] = (col[0] + 1).min(FAR);
        for i in 1..=m {
            let sub = prev_diag + u32::from(q[i - 1] != text[j]);
            let del = col[i] + 1; // text char unmatched
            let ins = next[i - 1] + 1; // claim char unmatched
            next[i] = sub.min(del).min(ins);
            prev_diag = col[i];
        }
        if j + 1 == text.len() || text[j + 1] == ' ' {
            best = best.min(next[m]);
        }
        col = next;
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The dynamic programming reference agrees with trying every passage.
    #[test]
    fn sellers_agrees_with_brute_force((words, claim) in text(12).prop_flat_map(claim_for)) {
        let t = normalize(&words.join(" "));
        let c = normalize(&claim);
        prop_assume!(!c.is_empty());
        prop_assert_eq!(Some(sellers(&t, &c.as_string())), brute_force(&t, &c.as_string()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// In a large source of very common words, every passage within 4 edits of a short quote
    /// is found (the README's promise), as dynamic programming over the whole text finds it.
    #[test]
    fn common_words_in_a_large_source_are_found_within_four_edits(
        start in 0usize..190_000,
        len in 3usize..8,
        edits in proptest::collection::vec((0..3u8, any::<prop::sample::Index>(), "[a-z ]"), 1..5),
    ) {
        let (t, index) = &*COMMON;
        let words = t.words_in(start..(start + len).min(t.token_count()));
        let mut chars: Vec<char> = words.join(" ").chars().collect();
        for (op, at, c) in edits {
            let c = c.chars().next().unwrap();
            let i = at.index(chars.len());
            match op {
                0 => chars[i] = c,
                1 => chars.insert(i, c),
                _ if chars.len() > 1 => {
                    chars.remove(i);
                }
                _ => {}
            }
        }
        let claim = normalize(&chars.into_iter().collect::<String>());
        prop_assume!(!claim.is_empty());
        let reference = sellers(t, &claim.as_string());
        let max_d = max_distance(claim.len(), 0.8);
        if reference <= max_d.min(4) {
            let found = search_with(t, index, Pattern::plain(&claim), max_d, Plan::Auto);
            prop_assert_eq!(found.map(|a| a.distance), Some(reference), "claim {:?}", claim.as_string());
        }
    }
}
