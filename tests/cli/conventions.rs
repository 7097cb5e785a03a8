//! Quotation conventions and explanations, through the binary: the loopholes other checkers
//! leave open must fail here.

use crate::support::{Scratch, quotecheck};
use predicates::prelude::*;
use serde_json::Value;

const LEASE: &str = "Clause 4. The landlord is not permitted to enter the flat without notice.\n\
Clause 5. Rent is due on the first day of each month.\n\
Clause 6. The tenant shall keep the garden tidy and the gutters clear.\n";

/// A scratch directory whose source is the lease above.
fn lease() -> Scratch {
    let s = Scratch::new();
    s.write("article.txt", LEASE);
    s
}

fn report(s: &Scratch, extra: &[&str]) -> (i32, Value) {
    let out = s
        .check()
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

fn only_claim(r: &Value) -> &Value {
    &r["claims"][0]
}

#[test]
fn an_ellipsis_that_hides_a_negation_fails() {
    for ellipsis in ["...", ". . .", "…", "...."] {
        let s = lease();
        s.claims(&format!(
            "  - id: q\n    quote: \"The landlord is {ellipsis} permitted to enter the flat\"\n"
        ));
        let (code, r) = report(&s, &[]);
        assert_eq!(code, 1, "{ellipsis}");
        let c = only_claim(&r);
        assert_eq!(c["verdict"], "approximate", "{ellipsis}");
        assert!(
            c["notes"]
                .to_string()
                .contains("the omitted words contain 'not'"),
            "{ellipsis}: {c}"
        );
    }
}

#[test]
fn an_ellipsis_that_hides_a_number_fails() {
    let s = lease();
    s.claims("  - id: q\n    quote: \"Rent is due on the ... day of each month\"\n");
    let (code, r) = report(&s, &[]);
    assert_eq!(code, 1);
    assert!(
        only_claim(&r)["notes"]
            .to_string()
            .contains("the omitted words contain 'first'")
    );
}

/// Check `quotes` against `source`; each claim's verdict and notes.
fn ellipses(source: &str, quotes: &[&str]) -> Vec<(String, String)> {
    let s = Scratch::new();
    s.write("article.txt", source);
    let claims: String = quotes
        .iter()
        .enumerate()
        .map(|(i, q)| {
            format!(
                "  - id: q{i}\n    quote: {}\n",
                serde_json::to_string(q).unwrap()
            )
        })
        .collect();
    s.claims(&claims);
    let (_, r) = report(&s, &[]);
    r["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["verdict"].as_str().unwrap().to_string(),
                c["notes"].to_string(),
            )
        })
        .collect()
}

#[test]
fn an_ellipsis_over_whole_sentences_leaves_their_numbers_and_negations_alone() {
    let got = ellipses(
        "Mutations in FBN1 cause Marfan syndrome. Other genes such as TGFBR2 are rarely \
         involved. Nor is the disease seen in 3 of 10 families. Aortic dilatation is the main \
         cause of death.\n\nThe result was, as one might expect, a rise in cases.\n",
        &[
            "Mutations in FBN1 cause Marfan syndrome... Aortic dilatation is the main cause of death.",
            "The result was ... a rise in cases.",
        ],
    );
    assert_eq!(got[0].0, "exact", "{:?}", got[0]);
    assert_eq!(got[1].0, "exact", "{:?}", got[1]);
}

#[test]
fn an_ellipsis_within_a_kept_sentence_is_still_checked() {
    let got = ellipses(
        "Mutations in FBN1 cause Marfan syndrome. The drug did not reduce deaths in 2019 \
         or later. Dr. Smith found no benefit. COVID-19 patients were excluded from the trial.\n",
        &[
            // The kept sentence loses its negation.
            "The drug did ... reduce deaths",
            // Its number, though the ellipsis runs on into the next sentence.
            "The drug did not reduce deaths ... Dr. Smith found no benefit.",
            // "Dr." ends no sentence: the omitted "no" governs "benefit".
            "Marfan syndrome... Smith found ... benefit.",
            // An identifier with digits is a name, not a number.
            "Dr. Smith found no benefit. COVID ... patients were excluded",
        ],
    );
    let verdicts: Vec<&str> = got.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(
        verdicts,
        ["approximate", "approximate", "approximate", "exact"],
        "{got:?}"
    );
    assert!(got[0].1.contains("contain 'not'"), "{:?}", got[0]);
    assert!(got[1].1.contains("contain '2019'"), "{:?}", got[1]);
    assert!(got[2].1.contains("contain 'no'"), "{:?}", got[2]);
}

#[test]
fn ellipsis_parts_are_placed_where_they_best_explain_the_quote() {
    // Part 1 also opens the title; placing it there would omit the title's year.
    let got = ellipses(
        "Submandibular sialolithiasis mimicking Ludwig's angina, 2024.\n\nAbstract. \
         Submandibular sialolithiasis is common and could present with the double tongue sign \
         in adults.\n",
        &["Submandibular sialolithiasis... could present with the double tongue sign"],
    );
    assert_eq!(got[0].0, "exact", "{:?}", got[0]);
}

#[test]
fn ellipsis_parts_out_of_order_fail() {
    let s = lease();
    s.claims("  - id: q\n    quote: \"The tenant shall keep the garden tidy ... Rent is due on the first day\"\n");
    let (code, r) = report(&s, &[]);
    assert_eq!(code, 1);
    let c = only_claim(&r);
    assert_eq!(c["verdict"], "approximate");
    assert!(c["notes"].to_string().contains("out of order"), "{c}");
}

#[test]
fn ellipsis_parts_too_far_apart_fail() {
    let s = lease();
    s.claims("  - id: q\n    quote: \"The landlord is not permitted ... the gutters clear\"\n");
    let (code, r) = report(&s, &["--ellipsis-gap", "10"]);
    assert_eq!(code, 1);
    assert!(
        only_claim(&r)["notes"]
            .to_string()
            .contains("words apart in the source (more than 10)")
    );
    // Within the default gap the parts are close enough (what they omit is another matter).
    let (_, r) = report(&s, &[]);
    assert!(
        !only_claim(&r)["notes"].to_string().contains("words apart"),
        "{r}"
    );
}

#[test]
fn an_honest_ellipsis_is_exact() {
    let s = lease();
    s.claims(
        "  - id: q\n    quote: \"The landlord is not permitted to enter … without notice.\"\n",
    );
    let (code, r) = report(&s, &[]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(only_claim(&r)["verdict"], "exact");
    assert_eq!(
        only_claim(&r)["versions"][0]["passage"],
        "The landlord is not permitted to enter … without notice"
    );
}

#[test]
fn a_quote_and_its_negation_are_not_the_same() {
    let s = lease();
    s.claims(
        "  - id: q\n    quote: \"The landlord is permitted to enter the flat without notice\"\n",
    );
    let (code, r) = report(&s, &[]);
    assert_eq!(code, 1);
    let c = only_claim(&r);
    assert_eq!(c["verdict"], "approximate");
    let d = &c["versions"][0]["differences"][0];
    assert_eq!(d["kind"], "negation_removed");
    assert_eq!(d["changes_meaning"], true);
    s.check().assert().code(1).stdout(predicate::str::contains(
        "negation removed: quote leaves out “not” (changes the meaning)",
    ));
}

#[test]
fn editorial_brackets_match_the_same_words_other_words_or_nothing() {
    let s = lease();
    s.claims(concat!(
        "  - id: nothing\n    quote: \"The landlord is not permitted to enter the [rented] flat\"\n",
        "  - id: same\n    quote: \"The landlord is not permitted to enter [the flat] without notice\"\n",
        "  - id: other\n    quote: \"The landlord is not permitted to enter [the tenant's home] without notice\"\n",
        "  - id: letter\n    quote: \"[t]he tenant shall keep the garden tidy\"\n",
    ));
    let (code, r) = report(&s, &[]);
    assert_eq!(code, 0, "{r}");
    for c in r["claims"].as_array().unwrap() {
        assert_eq!(c["verdict"], "exact", "{}", c["id"]);
    }
}

#[test]
fn brackets_stand_for_at_most_six_words() {
    let s = lease();
    s.claims("  - id: q\n    quote: \"Clause 4. [The owner of the house may walk into the flat] without notice\"\n");
    let (_, r) = report(&s, &[]);
    // Other words in a bracket stand for at most six of the source's: here eight (and at
    // the edge a bracket matches nothing), so the quote is not exact.
    assert_ne!(only_claim(&r)["verdict"], "exact");
}

#[test]
fn a_bracket_the_source_contains_matches_at_any_length() {
    let s = Scratch::new();
    s.write(
        "article.txt",
        "the cat sat on the mat [one two three four five six seven] and then it slept\n",
    );
    s.claims(concat!(
        "  - id: seven\n    quote: \"the cat sat on the mat [one two three four five six seven] and then it slept\"\n",
        "  - id: six\n    quote: \"the cat sat on the mat [one two three four five six] and then it slept\"\n",
    ));
    let (_, r) = report(&s, &[]);
    assert_eq!(r["claims"][0]["verdict"], "exact", "{r}");
    // Six of the seven words is no longer the source's bracket: an editorial one, which
    // may not hide the number it leaves out.
    assert_ne!(r["claims"][1]["verdict"], "exact", "{r}");
}

#[test]
fn an_editorial_insertion_may_not_add_a_negation_or_a_number() {
    let s = Scratch::new();
    s.write(
        "article.txt",
        "The defendant admitted the claim in court. He did not admit the second charge.\n",
    );
    s.claims(concat!(
        "  - id: did-not\n    quote: \"The defendant [did not] admit the claim\"\n",
        "  - id: not\n    quote: \"The defendant [not] admitted the claim\"\n",
        "  - id: number\n    quote: \"The defendant admitted the [two] claim\"\n",
        // Not over-reaching: a clarifying name, a negation the source has, a number it has.
        "  - id: name\n    quote: \"[The defendant] did not admit the second charge\"\n",
        "  - id: has-not\n    quote: \"He [did not] admit the second charge\"\n",
        "  - id: has-number\n    quote: \"He did not admit the [second] charge\"\n",
    ));
    let (_, r) = report(&s, &[]);
    let got: Vec<(&str, &str)> = r["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("did-not", "approximate"),
            ("not", "approximate"),
            ("number", "approximate"),
            ("name", "exact"),
            ("has-not", "exact"),
            ("has-number", "exact"),
        ]
    );
    for i in 0..3 {
        assert!(
            r["claims"][i]["notes"]
                .to_string()
                .contains("the editorial insertion adds"),
            "{}",
            r["claims"][i]
        );
    }
}

#[test]
fn brackets_in_the_source_still_match_literally() {
    let s = Scratch::new();
    s.write(
        "article.txt",
        "suggest that Australia appoint Assange ambassador to [Washington,] DC.\n",
    );
    s.claims(concat!(
        "  - id: typed\n    quote: \"appoint Assange ambassador to [Washington,] DC\"\n",
        "  - id: plain\n    quote: \"appoint Assange ambassador to Washington, DC\"\n",
    ));
    let (code, r) = report(&s, &[]);
    assert_eq!(code, 0, "{r}");
}

#[test]
fn typography_and_layout_never_matter() {
    let s = Scratch::new();
    s.write(
        "article.txt",
        "He said: “It’s a long\u{2014}and largely one-sided\u{2014}story,\n\nand ‘we’ll see’\u{A0}soon about the infor\u{AD}mation.”\n",
    );
    s.claims("  - id: q\n    quote: \"It's a long - and largely one-sided - story, and 'we'll see' soon about the information.\"\n");
    let (code, r) = report(&s, &[]);
    assert_eq!(code, 0, "{r}");
}

#[test]
fn words_in_another_order_are_approximate_not_missing() {
    let s = Scratch::new();
    s.write("article.txt", "This above all: neither a borrower nor a lender be; for loan oft loses both itself and friend.\n");
    s.claims(
        "  - id: q\n    quote: \"Neither a lender nor a borrower be\"\n    expect: approximate\n",
    );
    let (code, r) = report(&s, &[]);
    assert_eq!(code, 0, "{r}");
    let c = only_claim(&r);
    assert_eq!(c["verdict"], "approximate");
    let kinds: Vec<&str> = c["versions"][0]["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.iter().all(|k| *k == "words_swapped"), "{kinds:?}");
    assert_eq!(c["suggestion"], "neither a borrower nor a lender be");
}

#[test]
fn ambiguity_is_reported_and_can_fail_the_run() {
    let s = Scratch::new();
    s.write("article.txt", "He did not respond.\nLater, more messages.\nHe did not respond.\nThen nothing.\nHe did not respond.\n");
    s.claims("  - id: q\n    quote: \"He did not respond\"\n");
    let (code, r) = report(&s, &[]);
    assert_eq!(code, 0);
    let c = only_claim(&r);
    assert_eq!(c["versions"][0]["occurrences"], 3);
    assert!(
        c["notes"]
            .to_string()
            .contains("occurs 3 times in text (at 1:1, 3:1, 5:1)"),
        "{c}"
    );
    let (code, _) = report(&s, &["--fail-on-ambiguous"]);
    assert_eq!(code, 1);
}

#[test]
fn strict_mode_checks_case_and_punctuation() {
    let s = Scratch::new();
    s.write(
        "article.txt",
        "“Hey Don. We have an unusual idea,” WikiLeaks wrote.\n",
    );
    s.claims(concat!(
        "  - id: same\n    quote: \"Hey Don. We have an unusual idea\"\n",
        "  - id: curly\n    quote: \"Hey  Don.  We have an unusual idea,\"\n",
        "  - id: case\n    quote: \"hey Don. We have an unusual idea\"\n",
        "  - id: punct\n    quote: \"Hey Don, We have an unusual idea\"\n",
        "  - id: letter\n    quote: \"[h]ey Don. We have an unusual idea\"\n",
    ));
    let (code, r) = report(&s, &[]);
    assert_eq!(code, 0, "without --strict all are exact");
    let (code, r2) = report(&s, &["--strict"]);
    assert_eq!(code, 1);
    let verdicts: Vec<(&str, &str)> = r2["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("same", "exact"),
            ("curly", "exact"),
            ("case", "approximate"),
            ("punct", "approximate"),
            ("letter", "exact")
        ]
    );
    let kind = |id: &str| {
        r2["claims"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()["versions"][0]["differences"][0]["kind"]
            .clone()
    };
    assert_eq!(kind("case"), "case_only");
    assert_eq!(kind("punct"), "punctuation_only");
    assert_eq!(r["notes"], serde_json::json!([]));
}

#[test]
fn strict_mode_says_once_that_a_normalized_version_cannot_be_judged() {
    let out = quotecheck()
        .args([
            "check",
            "--strict",
            "--color",
            "never",
            "claims/atlantic-strict.yaml",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.matches("has no case or punctuation to compare")
            .count(),
        1,
        "{text}"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn attribution_is_looked_for_near_the_quote() {
    let s = Scratch::new();
    s.write(
        "article.txt",
        "“Already did that earlier today,” Trump Jr. responded an hour later. Much later, unrelated words follow here.\n",
    );
    s.claims(concat!(
        "  - id: right\n    quote: \"Already did that earlier today\"\n    by: Donald Trump Jr.\n",
        "  - id: wrong\n    quote: \"Already did that earlier today\"\n    by: Hope Hicks\n",
    ));
    let (code, r) = report(&s, &[]);
    assert_eq!(code, 0);
    let notes = |i: usize| r["claims"][i]["notes"].to_string();
    assert!(!notes(0).contains("attribution"), "{}", notes(0));
    assert!(
        notes(1).contains("attribution not found near the quote"),
        "{}",
        notes(1)
    );
    let (code, r) = report(&s, &["--strict"]);
    assert_eq!(code, 1);
    assert_eq!(r["claims"][1]["passed"], false);
    assert_eq!(r["claims"][0]["passed"], true);
}

#[test]
fn approximate_quotes_come_with_the_sources_wording() {
    let s = lease();
    s.claims("  - id: q\n    quote: \"The tenant shall keep the garden neat\"\n    expect: approximate\n");
    let (_, r) = report(&s, &[]);
    assert_eq!(
        only_claim(&r)["suggestion"],
        "The tenant shall keep the garden tidy"
    );
    s.check().assert().stdout(predicate::str::contains(
        "suggestion: “The tenant shall keep the garden tidy”",
    ));
}

#[test]
fn a_misquote_with_a_clause_moved_names_the_passage_it_comes_from() {
    // The famous reading moves "methinks" and modernizes "protests": too far by characters
    // to be approximate, and by characters nearer to other lines of the play ("with the day:
    // Who is't that"), but its words say where it comes from, and put back in the
    // passage's order they are within the threshold of it.
    let s = Scratch::new();
    s.write("article.txt", include_str!("../eval/sources/hamlet.txt"));
    s.claims(concat!(
        "  - id: misquote\n    quote: \"Methinks the lady doth protest too much\"\n",
        "  - id: fabrication\n    quote: \"Every cloud over the castle has a silver lining\"\n",
    ));
    let (_, r) = report(&s, &[]);
    let mis = &r["claims"][0];
    assert_eq!(mis["verdict"], "approximate", "{mis}");
    assert!(
        mis["notes"].to_string().contains("in another order"),
        "{mis}"
    );
    assert!(
        mis["versions"][0]["passage"]
            .as_str()
            .unwrap()
            .contains("The lady protests too much, methinks"),
        "{mis}"
    );
    // A fabrication shares no content words: no origin to name, still missing.
    assert_eq!(r["claims"][1]["verdict"], "missing");
}

#[test]
fn a_misquote_that_keeps_most_words_in_order_is_approximate_with_its_verse() {
    // Job 1:21 as people say it: two verbs in another form, 0.65 by characters, and nearer
    // by characters to Exodus's "the LORD, that he may take away". It keeps 8 of the verse's
    // 9 words in order (giveth/gave, taketh/taken agree as forms of one verb).
    let s = Scratch::new();
    s.write(
        "article.txt",
        "  3 And Moses said unto the LORD, that he may take away from me the frogs.\n\
         \n\
         21 And said, Naked came I out of my mother's womb, and naked shall I return\n\
         thither: the LORD gave, and the LORD hath taken away; blessed be the name of\n\
         the LORD.\n",
    );
    s.claims(concat!(
        "  - id: giveth\n    quote: \"The Lord giveth, and the Lord taketh away\"\n",
        "  - id: proverb\n    quote: \"The Lord gave me a frog\"\n",
    ));
    let (_, r) = report(&s, &[]);
    let mis = &r["claims"][0];
    assert_eq!(mis["verdict"], "approximate", "{mis}");
    assert!(
        mis["notes"]
            .to_string()
            .contains("keeps 8 of the passage's 9 words"),
        "{mis}"
    );
    assert_eq!(
        mis["versions"][0]["passage"], "the LORD gave, and the LORD hath taken away",
        "{mis}"
    );
    // Three of five words kept is no misquotation of either verse.
    assert_eq!(r["claims"][1]["verdict"], "missing", "{}", r["claims"][1]);
}

#[test]
fn a_quote_one_word_off_keeps_its_passage_over_one_that_shares_its_rarer_words() {
    // "notice" and "see" stand together elsewhere in the story; the line it misquotes keeps
    // six of its seven words. Shown: that line, not the one with both rare words.
    let s = Scratch::new();
    s.write(
        "article.txt",
        "I notice, but there, again, I fail to see how it helps.\n\n\
         “You see, but you do not observe. The distinction is clear.”\n",
    );
    s.claims("  - id: notice\n    quote: \"You see, but you do not notice.\"\n");
    let (_, r) = report(&s, &[]);
    let c = &r["claims"][0];
    assert!(
        c["versions"][0]["passage"]
            .as_str()
            .unwrap()
            .starts_with("You see, but you do not observe"),
        "{c}"
    );
}
