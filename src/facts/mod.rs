//! Facts: statements in the writer's own words, checked by their key terms (numbers, dates,
//! amounts, names, and the claim's `keys:`) and content words, not by edit distance.
//!
//! Values are compared by meaning: `71` = `71.0` = `seventy-one`; `71 percent` = `71%` =
//! `71 per cent`; `September 20, 2016` = `Sept. 20, 2016` = `20 September 2016` = `2016-09-20`
//! (a bare `September 20` or `2016` matches those parts); `$50,000` = `50,000 dollars`.

mod judge;
mod parse;
mod values;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;

use crate::matcher::Index;
use crate::model::Verdict;
use crate::outcome::{Conflict, KeyCheck, ValueKind};
use crate::source::document::Document;
use crate::text::lexicon::*;
use crate::text::normalize::{Normalized, normalize};

use crate::outcome::VersionResult;
use crate::source::corpus::IndexedSource;
pub(crate) use judge::check;
pub(crate) use parse::Fact;

use parse::*;
use values::*;

/// Share of a fact's content words an exact passage must have.
pub(crate) const CONTENT_SHARE: f64 = 0.6;
/// The same, for a fact with no key term at all: its words are all there is to go on.
pub(crate) const CONTENT_SHARE_WITHOUT_KEYS: f64 = 0.8;
/// Share of a fact's content words a passage must have to be about the same thing when a key
/// term is missing or conflicts.
pub(crate) const SUBJECT_SHARE: f64 = 0.5;

/// Check a fact against one version: the best passage, its key terms and its conflicts.
pub(crate) fn judge_version(
    name: &str,
    loaded: &IndexedSource,
    fact: &Fact,
    window: usize,
) -> VersionResult {
    let doc = &loaded.doc;
    let mut r = VersionResult::empty(name, doc.path.clone());
    if let Some(m) = check(fact, doc, &loaded.index, window) {
        r.verdict = m.verdict;
        r.score = m.score;
        r.position = Some(doc.token_position(m.first));
        let (passage, marks) = doc.passage_marked(m.first, m.last, &m.marks);
        r.passage = Some(passage);
        r.marks = marks;
        r.keys = m.keys;
        r.conflicts = m.conflicts;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use judge::FactMatch;
    use std::path::Path;

    fn vals(s: &str) -> Vec<Value> {
        let n = normalize(s);
        values(&n, s, 0..n.token_count())
            .into_iter()
            .map(|f| f.value)
            .collect()
    }

    fn date(y: Option<i32>, m: Option<u8>, d: Option<u8>) -> Value {
        Value::Date(PartialDate {
            year: y,
            month: m,
            day: d,
        })
    }

    #[test]
    fn numbers_by_meaning() {
        assert_eq!(vals("71"), [Value::Number(71.0)]);
        assert_eq!(vals("71.0"), [Value::Number(71.0)]);
        assert_eq!(vals("seventy-one"), [Value::Number(71.0)]);
        assert_eq!(vals("nine hundred sixty and nine"), [Value::Number(969.0)]);
        assert_eq!(vals("forty"), [Value::Number(40.0)]);
        assert_eq!(vals("1,000 people"), [Value::Number(1000.0)]);
        assert_eq!(vals("1 000 people"), [Value::Number(1000.0)]);
        assert_eq!(vals("twelve"), vals("12"));
        assert_eq!(vals("the twentieth"), vals("the 20th"));
        assert_eq!(vals("twenty five Years"), [Value::Number(25.0)]);
        assert_eq!(vals("at 10:28 pm"), []);
        assert_eq!(vals("one of them"), []);
    }

    #[test]
    fn archaic_and_compound_numbers_and_fractions() {
        // The King James Bible's forms.
        assert_eq!(vals("an hundred and fifty days"), [Value::Number(150.0)]);
        assert_eq!(vals("a thousand years"), [Value::Number(1000.0)]);
        assert_eq!(vals("threescore and ten"), [Value::Number(70.0)]);
        assert_eq!(vals("fourscore and seven years"), [Value::Number(87.0)]);
        assert_eq!(
            vals("five hundred ninety and five years"),
            [Value::Number(595.0)]
        );
        assert_eq!(
            vals("an hundred and seven and twenty years"),
            [Value::Number(127.0)]
        );
        assert_eq!(vals("fourscore years old"), [Value::Number(80.0)]);
        // Numbers apart in the text are apart in value.
        assert_eq!(
            vals("(three feet by four)\nnine species perished"),
            [Value::Number(3.0), Value::Number(4.0), Value::Number(9.0)]
        );
        assert_eq!(vals("three score and ten"), [Value::Number(70.0)]);
        // A mixed fraction is one number.
        assert_eq!(vals("6 3/4 inches"), [Value::Number(6.75)]);
        // Not over-reaching: "a" alone, and a score that is no number.
        assert_eq!(vals("a man"), []);
        assert_eq!(vals("the score was high"), []);
    }

    #[test]
    fn verse_numbers_state_nothing() {
        // A verse number opening a line of the King James Bible is no value of the verse.
        assert_eq!(
            vals(
                "DEUTERONOMY\n7 And Moses was an hundred and twenty years old.\n8 And the children wept."
            ),
            [Value::Number(120.0)]
        );
        assert_eq!(vals("Genesis 7:24"), []);
        // A number opening a line of prose, not followed by a capital, is still one.
        assert_eq!(vals("40 days and nights"), [Value::Number(40.0)]);
    }

    #[test]
    fn a_count_does_not_reach_across_a_comma() {
        let n = normalize("Judas, one of the twelve, went unto the chief priests");
        let found = values(
            &n,
            "Judas, one of the twelve, went unto the chief priests",
            0..n.token_count(),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, Value::Number(12.0));
        assert_eq!(found[0].unit, None, "twelve counts no 'went'");
        let n = normalize("a 10-month correspondence");
        let found = values(&n, "a 10-month correspondence", 0..n.token_count());
        assert_eq!(found[0].unit.as_deref(), Some("month"));
    }

    #[test]
    fn percentages_and_money() {
        assert_eq!(vals("71 percent"), [Value::Percent(71.0)]);
        assert_eq!(vals("71%"), [Value::Percent(71.0)]);
        assert_eq!(vals("71 per cent"), [Value::Percent(71.0)]);
        assert_eq!(vals("$50,000"), [Value::Money(50000.0, '$')]);
        assert_eq!(vals("50,000 dollars"), [Value::Money(50000.0, '$')]);
        assert_eq!(vals("$50 million"), [Value::Money(5e7, '$')]);
        assert_eq!(vals("is £ 4 a week"), vals("four pounds a week"));
        assert!(!Value::Money(4.0, '$').matches(&Value::Money(4.0, '£')));
    }

    #[test]
    fn dates_by_meaning() {
        let full = date(Some(2016), Some(9), Some(20));
        for s in [
            "September 20, 2016",
            "Sept. 20, 2016",
            "20 September 2016",
            "2016-09-20",
            "september 20 2016",
        ] {
            assert_eq!(vals(s), [full], "{s}");
        }
        assert_eq!(vals("on Oct. 14"), [date(None, Some(10), Some(14))]);
        assert_eq!(vals("in 2016"), [date(Some(2016), None, None)]);
        assert_eq!(vals("1000 donors"), [Value::Number(1000.0)]);
        assert_eq!(vals("in July 2017"), [date(Some(2017), Some(7), None)]);
        assert_eq!(vals("it may help"), []);
        assert_eq!(
            vals("the Seventeenth Day of September"),
            [date(None, Some(9), Some(17))]
        );
        assert_eq!(
            vals("on the twentieth of March, 1888"),
            [date(Some(1888), Some(3), Some(20))]
        );
        // A bare part matches the corresponding parts.
        assert!(date(None, Some(9), Some(20)).matches(&full));
        assert!(date(Some(2016), None, None).matches(&full));
        assert!(!date(None, Some(10), Some(24)).matches(&date(Some(2016), Some(10), Some(14))));
    }

    #[test]
    fn key_terms_of_a_fact() {
        let f = Fact::parse(
            "FiveThirtyEight gave Hillary Clinton a 71 percent chance on Nov. 8, 2016",
            &["chance of winning".into()],
        );
        let terms: Vec<&str> = f.keys.iter().map(|k| k.term.as_str()).collect();
        assert_eq!(
            terms,
            [
                "71 percent",
                "Nov. 8, 2016",
                "FiveThirtyEight",
                "Hillary Clinton",
                "chance of winning"
            ]
        );
        assert_eq!(
            f.content,
            ["give", "chanc"],
            "irregular verbs meet their base form"
        );
        // A sentence-initial stop word is no name.
        let f = Fact::parse("The messages were turned over to Congress.", &[]);
        let terms: Vec<&str> = f.keys.iter().map(|k| k.term.as_str()).collect();
        assert_eq!(terms, ["Congress"]);
    }

    fn doc(text: &str) -> Document {
        Document::from_text(
            Path::new("a.txt"),
            text.to_string(),
            crate::source::document::Format::Plain,
        )
    }

    fn judge_text(fact: &str, text: &str) -> FactMatch {
        let d = doc(text);
        let idx = Index::build(&d.norm);
        check(
            &Fact::parse(fact, &[]),
            &d,
            &idx,
            crate::config::DEFAULT_FACT_WINDOW,
        )
        .unwrap()
    }

    const TEXT: &str = "As late as 7:00pm that night, FiveThirtyEight, a trusted prognosticator of the election, gave Clinton a 71 percent chance of winning the presidency. Two days later, on October 14, 2016, Trump Jr. tweeted out the link.";

    #[test]
    fn supported_conflicting_and_missing() {
        let m = judge_text("FiveThirtyEight gave Clinton a 71% chance of winning", TEXT);
        assert_eq!(m.verdict, Verdict::Exact);
        let m = judge_text(
            "FiveThirtyEight gave Clinton an 81 percent chance of winning",
            TEXT,
        );
        assert_eq!(m.verdict, Verdict::Approximate);
        assert_eq!(m.conflicts[0].claim, "81 percent");
        assert_eq!(m.conflicts[0].source, "71 percent");
        let m = judge_text("Trump Jr. tweeted the link on October 24, 2016", TEXT);
        assert_eq!(m.verdict, Verdict::Approximate);
        assert_eq!(
            (
                m.conflicts[0].claim.as_str(),
                m.conflicts[0].source.as_str()
            ),
            ("October 24, 2016", "October 14, 2016")
        );
        let m = judge_text("Trump's son tweets links", TEXT);
        assert_eq!(
            m.verdict,
            Verdict::Approximate,
            "no key term, and 'son' is not there"
        );
        let m = judge_text("Trump's daughter deleted the link", TEXT);
        assert_eq!(
            m.verdict,
            Verdict::Missing,
            "the name alone is not the fact"
        );
        let d = doc(TEXT);
        let idx = Index::build(&d.norm);
        let m = check(
            &Fact::parse("The Senate confirmed Neil Gorsuch in April", &[]),
            &d,
            &idx,
            crate::config::DEFAULT_FACT_WINDOW,
        );
        assert!(m.is_none_or(|m| m.verdict == Verdict::Missing));
    }

    /// The verdict, missing where no window shares a word with the fact.
    fn verdict(fact: &str, text: &str) -> Verdict {
        let d = doc(text);
        let idx = Index::build(&d.norm);
        let window = crate::config::DEFAULT_FACT_WINDOW;
        check(&Fact::parse(fact, &[]), &d, &idx, window).map_or(Verdict::Missing, |m| m.verdict)
    }

    fn conflict_of(m: &FactMatch) -> Option<(&str, &str)> {
        m.conflicts
            .first()
            .map(|c| (c.claim.as_str(), c.source.as_str()))
    }

    #[test]
    fn a_value_belongs_to_its_subject() {
        // The stove's weight is not the tent's, with the tent's own weight in the passage...
        let text = "The stove weighs 2.4 kg. The tent weighs 3.1 kg and packs small.";
        let m = judge_text("The tent weighs 2.4 kg", text);
        assert_eq!(m.verdict, Verdict::Approximate);
        assert_eq!(conflict_of(&m), Some(("2.4 kg", "3.1 kg")));
        assert_eq!(verdict("The tent weighs 3.1 kg", text), Verdict::Exact);
        // ... or without it.
        let m = judge_text("The tent weighs 2.4 kg", "The stove weighs 2.4 kg.");
        assert_ne!(m.verdict, Verdict::Exact);
        // A genealogy: each value goes with the name of its own verse.
        let genesis = "6 And Seth lived an hundred and five years, and begat Enos:\n\
                   7 And Seth lived after he begat Enos eight hundred and seven years:\n\
                   8 And all the days of Seth were nine hundred and twelve years: and he died.\n\
                   9 And Enos lived ninety years, and begat Cainan:\n\
                   11 And all the days of Enos were nine hundred and five years: and he died.";
        assert_eq!(verdict("Seth lived 912 years", genesis), Verdict::Exact);
        assert_eq!(verdict("Enos lived 905 years", genesis), Verdict::Exact);
        let m = judge_text("Enos lived 912 years", genesis);
        assert_eq!(m.verdict, Verdict::Approximate, "{:?}", m.keys);
        // Two subjects in one verse, a clause each.
        let ex = "7 And Moses was fourscore years old, and Aaron fourscore and three years old, \
                  when they spake unto Pharaoh.";
        assert_eq!(
            verdict("Moses was eighty years old when he spoke unto Pharaoh", ex),
            Verdict::Exact
        );
        let m = judge_text("Aaron was eighty years old when he spoke unto Pharaoh", ex);
        assert_eq!(m.verdict, Verdict::Approximate);
        assert_eq!(
            conflict_of(&m),
            Some(("eighty years", "fourscore and three years"))
        );
    }

    #[test]
    fn the_subject_is_named_where_its_values_are() {
        let text = "28 Then there passed by Midianites merchantmen; and they drew and lifted up \
                    Joseph out of the pit, and sold Joseph to the Ishmeelites for twenty pieces \
                    of silver. 29 And Reuben returned unto the pit.";
        let fact = "Joseph was sold to the Ishmeelites for twenty pieces of silver";
        assert_eq!(verdict(fact, text), Verdict::Exact);
        let m = judge_text(
            "Reuben was sold to the Ishmeelites for twenty pieces of silver",
            text,
        );
        assert_eq!(
            m.verdict,
            Verdict::Approximate,
            "Reuben is named after, apart"
        );
    }

    #[test]
    fn a_count_out_of_so_many_counts_what_was_named_before() {
        let m = judge_text(
            "12 of the 40 plants survived",
            "We sowed forty plants in May. Out of 40, 12 survived the frost.",
        );
        assert_eq!(m.verdict, Verdict::Exact, "{:?}", m.keys);
        // Not any number after "of": what it counts must have been named.
        let m = judge_text(
            "12 of the 40 plants survived",
            "We sowed forty seeds in May. Out of 40, 12 survived the frost.",
        );
        assert_ne!(m.verdict, Verdict::Exact, "{:?}", m.keys);
    }

    #[test]
    fn paraphrases_of_the_synonym_table_and_no_further() {
        let text = "20 And Jacob served seven years for Rachel; and they seemed unto him but a \
                    few days. Cain rose up against Abel his brother, and slew him.";
        assert_eq!(
            verdict("Jacob worked seven years for Rachel", text),
            Verdict::Exact
        );
        assert_eq!(verdict("Cain killed Abel", text), Verdict::Exact);
        assert_ne!(verdict("Cain kissed Abel", text), Verdict::Exact);
        // A past verb may be the writer's own; a missing thing may not.
        let text = "It is unclear whether at any point during the 10-month correspondence \
                    Trump Jr. alerted anyone.";
        assert_eq!(
            verdict("The correspondence lasted ten months", text),
            Verdict::Exact
        );
        assert_ne!(
            verdict("The friendship lasted ten months", text),
            Verdict::Exact
        );
    }

    #[test]
    fn a_body_named_by_its_kind_has_no_short_form() {
        let text = "Mr. Wallace sent it to Sir Charles Lyell, who sent it to the Linnean Society.";
        let m = judge_text(
            "Sir Charles Lyell sent the memoir to the Royal Society",
            text,
        );
        assert_ne!(m.verdict, Verdict::Exact, "{:?}", m.keys);
    }

    #[test]
    fn names_tolerate_short_forms_and_possessives() {
        let m = judge_text("Donald Trump Jr. tweeted out the link on October 14", TEXT);
        assert_eq!(m.verdict, Verdict::Exact, "{:?}", m.keys);
        let m = judge_text(
            "Trump's son tweeted out the link on October 14",
            "Trump's son tweeted out the link on October 14, 2016.",
        );
        assert_eq!(m.verdict, Verdict::Exact, "{:?}", m.keys);
    }
}
