//! The CI formats, run on one fixed claims set whose ids and passages carry what could break
//! a log, a table or a terminal: `%`, a line break, `::` and escape sequences.

use crate::support::{Scratch, quotecheck};

/// A set with an exact quote, a misquote, a fabrication and a wrong fact; the misquote's id
/// tries to forge workflow commands and its source line carries terminal escapes.
fn hostile() -> Scratch {
    let s = Scratch::new();
    s.write(
        "article.txt",
        "The committee met on 12 March 2019 and 71% of members voted.\n\
         The quick brown fox\u{1b}]0;pwned\u{7}\u{1b}[2J jumps over the lazy dog.\n",
    );
    s.claims(concat!(
        "  - id: exact\n    quote: \"The committee met on 12 March 2019\"\n",
        "  - id: \"fox 100%\\n::error file=README.md,line=1::forged\\n::stop-commands::abc\"\n",
        "    quote: \"The quick brown cat jumps over the lazy dog\"\n",
        "  - id: made-up\n    quote: \"Purple elephants sing at dawn in Paris\"\n",
        "  - id: share\n    fact: \"81% of members voted\"\n",
    ));
    s
}

fn run(s: &Scratch, format: &str) -> String {
    let out = s.check().args(["--format", format]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{format}: three claims fall short"
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Nothing raw that a terminal or a log would act on.
fn assert_inert(text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "a control character got through: {text:?}"
    );
}

#[test]
fn github_annotations_cannot_be_forged() {
    let s = hostile();
    let text = run(&s, "github");
    assert_inert(&text);
    // Each command is one line; only the report's own lines start with "::".
    for line in text.lines() {
        assert!(
            line.starts_with("::error file=claims.yaml,line=")
                || line.starts_with("::warning ")
                || line.starts_with("::notice title=quotecheck::"),
            "{line}"
        );
    }
    let errors = text.lines().filter(|l| l.starts_with("::error ")).count();
    assert_eq!(errors, 3, "{text}");
    insta::assert_snapshot!("github", text);
}

#[test]
fn markdown_table_and_step_summary() {
    let s = hostile();
    let text = run(&s, "markdown");
    assert_inert(&text);
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("| `claims.yaml:"))
            .count(),
        3
    );
    insta::assert_snapshot!("markdown", text);
    // Under GitHub Actions the github format appends the same table to the step summary.
    let summary = s.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = s
        .check()
        .args(["--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let written = std::fs::read_to_string(&summary).unwrap();
    assert_eq!(written, format!("earlier step\n{text}"));
}

#[test]
fn junit_parses_back_with_a_failure_per_claim_that_falls_short() {
    let s = hostile();
    let text = run(&s, "junit");
    assert_inert(&text);
    let report = quick_junit::Report::deserialize_from_str(&text).unwrap();
    assert_eq!((report.tests, report.failures), (4, 3));
    assert_eq!(report.test_suites[0].name.as_str(), "claims.yaml");
    insta::assert_snapshot!("junit", text);
}

#[test]
fn sarif_reads_back_as_the_schemas_types() {
    let s = hostile();
    let text = run(&s, "sarif");
    // serde-sarif's types are generated from the SARIF 2.1.0 schema: the log must fit them.
    let log: serde_sarif::sarif::Sarif = serde_json::from_str(&text).unwrap();
    let results = log.runs[0].results.as_ref().unwrap();
    assert_eq!(results.len(), 3);
    assert!(
        results
            .iter()
            .all(|r| r.rule_id.as_deref() == Some("falls-short"))
    );
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let at = &doc["runs"][0]["results"][1]["locations"][0]["physicalLocation"];
    assert_eq!(at["artifactLocation"]["uri"], "claims.yaml");
    assert_eq!(at["region"]["startLine"], 10);
}

#[test]
fn jsonl_streams_claims_then_the_summary() {
    let s = hostile();
    let text = run(&s, "jsonl");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["claim", "claim", "claim", "claim", "summary"]);
    // JSON keeps the data as it is: escaping is the reader's business there.
    assert!(lines[1]["id"].as_str().unwrap().contains('\n'));
    assert_eq!(lines[4]["failed"], 3);
}

#[test]
fn outputs_write_files_beside_the_terminal_report() {
    let s = hostile();
    let out = s
        .check()
        .args(["-q", "--output", "junit=r.xml", "--output", "json=r.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let human = String::from_utf8(out.stdout).unwrap();
    assert!(human.contains("4 claims:"), "{human}");
    assert_inert(&human);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["claims"], 4);
    let xml = std::fs::read_to_string(s.path().join("r.xml")).unwrap();
    assert!(quick_junit::Report::deserialize_from_str(&xml).is_ok());
    // A bad output is refused before anything is checked.
    s.check()
        .args(["--output", "junit=no/such/dir/r.xml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot write the report"));
    s.check()
        .args(["--output", "xml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not FORMAT=FILE"));
}

#[test]
fn merge_writes_every_format() {
    let s = hostile();
    for i in 1..=2 {
        let out = s
            .check()
            .args(["--format", "json", "--shard", &format!("{i}/2")])
            .output()
            .unwrap();
        std::fs::write(s.path().join(format!("part{i}.json")), out.stdout).unwrap();
    }
    let merged = |format: &str| {
        let out = quotecheck()
            .current_dir(s.path())
            .args(["merge", "part1.json", "part2.json", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(merged("markdown"), run(&s, "markdown"));
    let junit = merged("junit");
    let report = quick_junit::Report::deserialize_from_str(&junit).unwrap();
    assert_eq!((report.tests, report.failures), (4, 3));
}

#[test]
fn a_json_run_that_cannot_start_still_writes_a_document() {
    let out = quotecheck()
        .args(["check", "no-such-dir", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["errors"][0]["file"], "no-such-dir");
    assert_eq!(doc["claims"], serde_json::json!([]));
    assert!(!out.stderr.is_empty(), "people still see the error");
    let schema = quotecheck().args(["schema", "report"]).output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&schema.stdout).unwrap();
    let wrong = violations(&schema, &doc);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_human_report_escapes_what_a_source_or_id_carries() {
    let s = hostile();
    let out = quotecheck()
        .current_dir(s.path())
        .args(["check", "-v", "--color", "always", "."])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("4 claims"), "{text}");
    // Colour is the report's own: ESC only ever opens an SGR sequence ("ESC[" digits "m").
    let stripped = text.replace("\u{1b}[", "");
    assert!(!stripped.contains('\u{1b}'), "{text:?}");
    assert!(
        !text.contains("\u{1b}[2J") && !text.contains("\u{1b}]0;"),
        "{text:?}"
    );
    // The source's escapes are what a terminal would act on, not words: read as a terminal
    // shows the text, the passage has none.
    assert!(
        text.contains("“The quick brown fox jumps over the lazy dog”"),
        "{text}"
    );
    assert!(text.contains("fox 100%\\n::error"), "{text}");
}

/// `instance` against the JSON Schema `schema`: every violation, with where it is.
fn violations(schema: &serde_json::Value, instance: &serde_json::Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("the schema itself is valid");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn sarif_is_valid_against_the_published_sarif_2_1_0_schema() {
    let s = hostile();
    let log: serde_json::Value = serde_json::from_str(&run(&s, "sarif")).unwrap();
    // The OASIS schema as serde-sarif 0.8.0 ships it (tests/fixtures/schemas/README.md).
    let schema = include_str!("../fixtures/schemas/sarif-schema-2.1.0.json");
    // Its pattern for `run.language` has a stray `]` that ECMAScript reads as a literal and
    // Rust's regex refuses; escaped, it means what ECMAScript reads.
    let typo = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(schema.contains(typo), "the published schema changed");
    let schema = schema.replace(typo, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    let wrong = violations(&schema, &log);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The validator is not lenient: a result without its message is refused.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["message"] = serde_json::json!(7);
    assert!(!violations(&schema, &broken).is_empty());
}

#[test]
fn the_json_report_is_valid_against_its_published_schema() {
    let schema = quotecheck().args(["schema", "report"]).output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&schema.stdout).unwrap();
    let s = hostile();
    for args in [
        &["--format", "json"][..],
        &["--format", "json", "--shard", "1/2"],
    ] {
        let out = s.check().args(args).output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let wrong = violations(&schema, &report);
        assert!(wrong.is_empty(), "{args:?}: {}", wrong.join("\n"));
    }
    let mut broken: serde_json::Value = serde_json::from_slice(
        &s.check()
            .args(["--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    broken["claims"][0]["verdict"] = serde_json::json!("probably");
    assert!(!violations(&schema, &broken).is_empty());
}
