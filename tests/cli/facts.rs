//! Facts through the binary: values compared by meaning, conflicts named, both versions.

use crate::support::{Scratch, quotecheck};
use predicates::prelude::*;
use serde_json::Value;

const STORY: &str = "The next morning, Trump Jr. responded to WikiLeaks on Sept. 21, 2016.\n\
As late as 7:00pm, FiveThirtyEight gave Clinton a 71 percent chance of winning the presidency.\n\
The campaign had raised $50,000 from 1,000 donors in seventy-one towns.\n";

fn story() -> Scratch {
    let s = Scratch::new();
    s.write("article.txt", STORY);
    s
}

fn facts(s: &Scratch, yaml: &str) -> (i32, Value) {
    s.claims(yaml);
    let out = s.check().args(["--format", "json"]).output().unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

fn verdicts(r: &Value) -> Vec<(String, String)> {
    r["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn values_written_differently_still_support_the_fact() {
    let s = story();
    let (code, r) = facts(
        &s,
        concat!(
            "  - {id: percent-sign, fact: \"FiveThirtyEight gave Clinton a 71% chance of winning\"}\n",
            "  - {id: per-cent, fact: \"FiveThirtyEight gave Clinton a 71 per cent chance of winning\"}\n",
            "  - {id: iso-date, fact: \"Trump Jr. responded to WikiLeaks on 2016-09-21\"}\n",
            "  - {id: day-month, fact: \"Trump Jr. responded to WikiLeaks on 21 September 2016\"}\n",
            "  - {id: bare-date, fact: \"Trump Jr. responded to WikiLeaks on September 21\"}\n",
            "  - {id: full-name, fact: \"Donald Trump Jr. responded to WikiLeaks in 2016\"}\n",
            "  - {id: dollars, fact: \"The campaign raised 50,000 dollars from 1000 donors\"}\n",
            "  - {id: words, fact: \"The campaign raised money in 71 towns\"}\n",
        ),
    );
    assert_eq!(code, 0, "{r:#}");
    for (id, v) in verdicts(&r) {
        assert_eq!(v, "exact", "{id}");
    }
}

#[test]
fn a_different_value_is_a_named_conflict() {
    let s = story();
    let (code, r) = facts(
        &s,
        concat!(
            "  - {id: pct, fact: \"FiveThirtyEight gave Clinton an 81 percent chance of winning\", expect: approximate}\n",
            "  - {id: date, fact: \"Trump Jr. responded to WikiLeaks on September 24, 2016\", expect: approximate}\n",
            "  - {id: money, fact: \"The campaign raised $60,000 from 1,000 donors\", expect: approximate}\n",
        ),
    );
    assert_eq!(code, 0, "{r:#}");
    let conflict = |i: usize| r["claims"][i]["versions"][0]["conflicts"][0].clone();
    assert_eq!(
        conflict(0),
        serde_json::json!({"kind": "percent", "claim": "81 percent", "source": "71 percent"})
    );
    assert_eq!(
        conflict(1),
        serde_json::json!({"kind": "date", "claim": "September 24, 2016", "source": "Sept. 21, 2016"})
    );
    assert_eq!(conflict(2)["source"], "$50,000");
    let keys = &r["claims"][0]["versions"][0]["keys"];
    assert!(keys.as_array().unwrap().contains(&serde_json::json!({"term": "FiveThirtyEight", "found": true, "source_value": "FiveThirtyEight"})), "{keys}");
    s.check().assert().stdout(predicate::str::contains(
        "conflict (percent): the claim says “81 percent”, the source says “71 percent” (changes the meaning)",
    ));
}

#[test]
fn a_fact_the_source_does_not_state_is_missing() {
    let s = story();
    let (code, r) = facts(
        &s,
        "  - {id: q, fact: \"The Senate confirmed Neil Gorsuch in April 2017\"}\n",
    );
    assert_eq!(code, 1);
    assert_eq!(verdicts(&r), [("q".to_string(), "missing".to_string())]);
}

#[test]
fn the_report_highlights_the_supporting_passage() {
    let s = story();
    s.claims("  - {id: q, fact: \"FiveThirtyEight gave Clinton a 71 percent chance\"}\n");
    let out = quotecheck()
        .current_dir(s.path())
        .args(["check", "--color", "always", "."])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // The key terms are bold and underlined inside the dimmed passage.
    assert!(text.contains("\u{1b}[1;4m71 percent\u{1b}[0m"), "{text:?}");
    assert!(
        text.contains("\u{1b}[1;4mFiveThirtyEight\u{1b}[0m"),
        "{text:?}"
    );
    // Content words are not key terms.
    assert!(!text.contains("\u{1b}[1;4mgave"), "{text:?}");
}

#[test]
fn facts_are_checked_in_every_version() {
    let s = story();
    s.write(
        "export.txt",
        "the campaign had raised 50 000 from 1 000 donors in seventy one towns\n",
    );
    s.write(
        "claims.yaml",
        concat!(
            "sources:\n  story:\n    versions:\n      text: article.txt\n      export: export.txt\n",
            "claims:\n",
            "  - {id: both, fact: \"The campaign raised $50,000 from 1,000 donors\"}\n",
            "  - {id: one, fact: \"FiveThirtyEight gave Clinton a 71 percent chance of winning\"}\n",
        ),
    );
    let out = s.check().args(["--format", "json"]).output().unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{r:#}");
    let one = &r["claims"][1];
    assert_eq!(one["versions"][0]["verdict"], "exact");
    assert_eq!(one["versions"][1]["verdict"], "missing");
    assert!(
        one["notes"][0]
            .as_str()
            .unwrap()
            .contains("exact in text, missing in export")
    );
    // The export writes 50 000 without punctuation: still fifty thousand, without a currency
    // sign, so the money is not confirmed there.
    assert_eq!(r["claims"][0]["versions"][0]["verdict"], "exact");
}

#[test]
fn a_fact_names_its_person_and_its_place_exactly() {
    let s = Scratch::new();
    s.write(
        "article.txt",
        "Polonius hides behind the arras in the queen's closet, and Hamlet kills him.\n\
         Moses led the people out of Egypt and across the Red Sea.\n\
         The salt of the Dead Sea was gathered in the summer.\n\
         The court was quiet for a long time after that, and the players packed their carts \
         and left the castle by the northern road, singing as they went into the hills.\n\
         Laertes returns from France.\n",
    );
    let (_, r) = facts(
        &s,
        concat!(
            "  - {id: right-person, fact: \"Polonius hides behind the arras\"}\n",
            "  - {id: wrong-person, fact: \"Laertes hides behind the arras in the queen's closet\"}\n",
            "  - {id: right-sea, fact: \"Moses led the people across the Red Sea\"}\n",
            "  - {id: wrong-sea, fact: \"Moses led the people across the Black Sea\"}\n",
        ),
    );
    let got = verdicts(&r);
    let v = |id: &str| got.iter().find(|(i, _)| i == id).unwrap().1.clone();
    assert_eq!(v("right-person"), "exact", "{r:#}");
    // Laertes is in the text, but not where the arras is.
    assert_ne!(
        v("wrong-person"),
        "exact",
        "a fact with the wrong person passed: {r:#}"
    );
    assert_eq!(v("right-sea"), "exact", "{r:#}");
    // "Sea" alone is no short form of "the Black Sea".
    assert_ne!(v("wrong-sea"), "exact", "{r:#}");
}

#[test]
fn a_speaker_tag_in_a_play_names_the_speaker() {
    // Hamlet as Project Gutenberg prints it: "Pol." on a line of its own before his lines.
    let s = Scratch::new();
    s.write("article.txt", include_str!("../eval/sources/hamlet.txt"));
    let (_, r) = facts(
        &s,
        concat!(
            "  - {id: polonius, fact: \"Polonius says that brevity is the soul of wit\"}\n",
            "  - {id: laertes, fact: \"Laertes says that brevity is the soul of wit\"}\n",
        ),
    );
    let got = verdicts(&r);
    assert_eq!(got[0].1, "exact", "{r:#}");
    assert_ne!(got[1].1, "exact", "{r:#}");
}
