//! SARIF 2.1.0 (serde-sarif's types, generated from the schema): one rule per finding kind,
//! its id the finding's stable code; a result for each claim that falls short (`falls-short`,
//! an error) and for each warning-level finding of one that passes, at the claim's line of its
//! claims file, with the source passage as a related location. Written in `finish`.

use std::io::{self, Write};

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run as SarifRun, Sarif, Tool,
    ToolComponent,
};

use super::text::shortfall;
use super::{ClaimRecord, Reporter, Run, Summary};
use crate::diagnostic::Severity;

/// Every finding kind, by its code, and what it says.
const RULES: &[(&str, &str)] = &[
    (
        "falls-short",
        "The verdict is worse than the claim's `expect`",
    ),
    (
        "stale-expectation",
        "The verdict is better than `expect`: update it",
    ),
    (
        "ambiguous",
        "The passage occurs more than once in the source",
    ),
    (
        "attribution-not-found",
        "The speaker (`by:`) is not named near the quote",
    ),
    (
        "ellipsis-out-of-order",
        "The parts around an ellipsis come in another order",
    ),
    (
        "ellipsis-gap-too-wide",
        "The parts around an ellipsis are too far apart",
    ),
    (
        "ellipsis-omits-meaning",
        "The words an ellipsis omits hold a negation or a number",
    ),
    (
        "bracket-inserts-meaning",
        "An editorial insertion adds a negation or a number",
    ),
    (
        "words-reordered",
        "The quote has the source's words in another order",
    ),
    (
        "misremembered",
        "The quote keeps most of a passage's words, with others changed",
    ),
    (
        "versions-disagree",
        "The source's versions give different verdicts",
    ),
    ("no-claims", "A claims file declares no claims"),
    (
        "not-judged-strictly",
        "Strict mode cannot judge a version without case or punctuation",
    ),
];

/// Writes the SARIF log.
pub struct SarifReporter<'a> {
    out: Box<dyn Write + 'a>,
    results: Vec<SarifResult>,
}

impl<'a> SarifReporter<'a> {
    /// A SARIF log to `out`.
    pub fn new(out: Box<dyn Write + 'a>) -> SarifReporter<'a> {
        SarifReporter {
            out: Box::new(super::text::JsonSafe::new(out)),
            results: Vec::new(),
        }
    }
}

fn location(path: &str, line: Option<usize>, column: Option<usize>) -> Location {
    let artifact = ArtifactLocation::builder().uri(path.to_string()).build();
    let physical = match line {
        Some(line) => {
            let region = match column {
                Some(c) => Region::builder()
                    .start_line(line as i64)
                    .start_column(c as i64)
                    .build(),
                None => Region::builder().start_line(line as i64).build(),
            };
            PhysicalLocation::builder()
                .artifact_location(artifact)
                .region(region)
                .build()
        }
        None => PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    Location::builder().physical_location(physical).build()
}

fn result(c: &ClaimRecord, rule: &str, level: ResultLevel, text: String) -> SarifResult {
    let related: Vec<Location> = c
        .best()
        .map(|b| location(&b.path, b.line, b.column))
        .into_iter()
        .collect();
    SarifResult::builder()
        .rule_id(rule.to_string())
        .level(level)
        .message(Message::builder().text(text).build())
        .locations(vec![location(&c.file, Some(c.line), c.column)])
        .related_locations(related)
        .build()
}

impl Reporter for SarifReporter<'_> {
    fn begin(&mut self, _run: &Run) -> io::Result<()> {
        Ok(())
    }

    fn claim(&mut self, c: &ClaimRecord) -> io::Result<()> {
        if c.fails() {
            let text = shortfall(c).join("\n");
            self.results
                .push(result(c, "falls-short", ResultLevel::Error, text));
            return Ok(());
        }
        for n in c
            .findings
            .iter()
            .filter(|n| n.severity == Severity::Warning)
        {
            let text = format!("{}: {}", c.id, n.message);
            self.results
                .push(result(c, &n.code, ResultLevel::Warning, text));
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        let rules: Vec<ReportingDescriptor> = RULES
            .iter()
            .map(|(id, says)| {
                ReportingDescriptor::builder()
                    .id(id.to_string())
                    .short_description(
                        MultiformatMessageString::builder()
                            .text(says.to_string())
                            .build(),
                    )
                    .build()
            })
            .collect();
        let driver = ToolComponent::builder()
            .name("quotecheck")
            .version(env!("CARGO_PKG_VERSION"))
            .rules(rules)
            .build();
        let run = SarifRun::builder()
            .tool(Tool::builder().driver(driver).build())
            .results(std::mem::take(&mut self.results))
            .build();
        let log = Sarif::builder()
            .schema("https://json.schemastore.org/sarif-2.1.0.json")
            .version(serde_json::json!("2.1.0"))
            .runs(vec![run])
            .build();
        serde_json::to_writer_pretty(&mut self.out, &log)?;
        writeln!(self.out)?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::RULES;
    use crate::report::fixture::render;
    use crate::report::{Detail, ReportFormat};

    #[test]
    fn a_result_per_claim_that_falls_short_at_its_line() {
        let text = render(ReportFormat::Sarif, Detail::Normal);
        let log: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "quotecheck");
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().unwrap().len(),
            RULES.len()
        );
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 1);
        let r = &results[0];
        assert_eq!(r["ruleId"], "falls-short");
        assert_eq!(r["level"], "error");
        let at = &r["locations"][0]["physicalLocation"];
        assert_eq!(at["artifactLocation"]["uri"], "claims/a.yaml");
        assert_eq!(at["region"]["startLine"], 7);
        let passage = &r["relatedLocations"][0]["physicalLocation"];
        assert_eq!(passage["artifactLocation"]["uri"], "claims/sources/a.txt");
        assert!(
            r["message"]["text"]
                .as_str()
                .unwrap()
                .contains("quote has “quik” where the source has “quick”")
        );
    }

    #[test]
    fn every_finding_code_is_a_rule() {
        use crate::model::Verdict;
        use crate::outcome::Note;
        let codes = [
            Note::WordsReordered.code(),
            Note::Misremembered { kept: 1, of: 1 }.code(),
            Note::NoClaims { path: "x".into() }.code(),
            Note::StaleExpectation {
                expected: Verdict::Exact,
                found: Verdict::Exact,
            }
            .code(),
        ];
        for code in codes {
            assert!(RULES.iter().any(|(id, _)| *id == code), "{code}");
        }
    }
}
