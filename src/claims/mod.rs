//! Claims files: the YAML a user writes, parsed into checked claims with their locations.
//!
//! serde-saphyr rather than the archived serde_yaml: it reports the line and column of every
//! value (`Spanned<T>`), so each error and each claim in the report points at its line.

mod raw;
pub(crate) use raw::schema;
mod split;
mod validate;
mod yaml_error;

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::model::ClaimsFile;

use raw::RawFile;

/// Parse and check one claims file. All problems found are returned together.
pub fn parse(path: &Path, text: &str) -> Result<ClaimsFile, Vec<Diagnostic>> {
    let (file, errs) = parse_partial(path, text);
    if errs.is_empty() { Ok(file) } else { Err(errs) }
}

/// Parse what can be parsed: the valid sources and claims, and every problem found. Callers
/// that report all errors at once (for instance about missing source files) use the partial
/// file even when there are errors.
pub fn parse_partial(path: &Path, text: &str) -> (ClaimsFile, Vec<Diagnostic>) {
    let split = (text.len() >= split::LEAST_BYTES)
        .then(|| split::parse(text, split::PART_BYTES))
        .flatten();
    checked(path, text, split.map_or_else(|| from_yaml(text), Ok))
}

/// The file `raw` was read from, checked.
fn checked(
    path: &Path,
    text: &str,
    raw: Result<RawFile, serde_saphyr::Error>,
) -> (ClaimsFile, Vec<Diagnostic>) {
    let mut file = ClaimsFile {
        path: path.to_path_buf(),
        identity: crate::diagnostic::shown_path(path),
        settings: Default::default(),
        sources: Vec::new(),
        claims: Vec::new(),
    };
    let raw = match raw {
        Ok(raw) => raw,
        Err(e) => return (file, vec![yaml_error::yaml_error(path, text, &e)]),
    };
    let mut check = validate::Checker::new(path, text);
    file.settings = check.settings(raw.settings.unwrap_or_default());
    file.sources = check.sources(raw.sources.map(|m| m.0).unwrap_or_default());
    file.claims = check.claims(raw.claims.unwrap_or_default(), &file.sources);
    (file, check.errors)
}

/// The file as written, or the parser's error.
fn from_yaml(text: &str) -> Result<RawFile, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options::<Option<RawFile>>(text, yaml_options(text))
        .map(Option::unwrap_or_default)
}

/// The parser's resource limits, grown with the file: a claims file with a hundred thousand
/// claims is legitimate, while the limits on aliases, anchors and depth that stop
/// billion-laughs files stay as they are.
fn yaml_options(text: &str) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.max(text.len() / 2);
    budget.max_events = budget.max_events.max(text.len());
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(text.len());
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    // Comments are never read back, and buffering them capped a run of 33 comment lines.
    options.emit_comments = false;
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClaimKind, Verdict};
    use std::path::PathBuf;

    #[test]
    fn a_thousand_comment_lines_anywhere_are_only_comments() {
        let comments: String = (0..1000).map(|i| format!("# note {i}\n")).collect();
        let text = format!(
            "{comments}sources:\n{comments}  s:\n    versions:\n      t: a.txt\nclaims:\n{comments}  - id: a\n{comments}    quote: words here\n{comments}"
        );
        let file = parse(Path::new("c.yaml"), &text).expect("comments are legal YAML");
        assert_eq!(file.claims.len(), 1);
        assert_eq!(file.claims[0].line, 3006);
    }

    const GOOD: &str = r#"
settings:
  threshold: 0.9
sources:
  atlantic:
    title: An article
    versions:
      original: sources/a.md
      normalized: sources/a.txt
claims:
  - id: one
    quote: "Off the record"
  - id: two
    fact: Something stated
    keys: [a, b]
    expect: approximate
"#;

    #[test]
    fn parses_sources_versions_and_claims_in_order() {
        let f = parse(Path::new("claims/x.yaml"), GOOD).unwrap();
        assert_eq!(f.settings.threshold, Some(0.9));
        let v: Vec<_> = f.sources[0]
            .versions
            .iter()
            .map(|v| (v.name.as_str(), v.path.clone()))
            .collect();
        assert_eq!(
            v,
            [
                ("original", PathBuf::from("claims/sources/a.md")),
                ("normalized", PathBuf::from("claims/sources/a.txt"))
            ]
        );
        assert_eq!(f.claims[0].line, 11);
        assert_eq!(f.claims[1].kind, ClaimKind::Fact);
        assert_eq!(f.claims[1].expect, Verdict::Approximate);
        assert_eq!(f.claims[1].keys, ["a", "b"]);
    }

    fn errors(yaml: &str) -> Vec<String> {
        parse(Path::new("c.yaml"), yaml)
            .unwrap_err()
            .iter()
            .map(|d| {
                let at = d.location.as_ref().unwrap();
                format!(
                    "{}:{} {} | {}",
                    at.line.unwrap_or(0),
                    at.column.unwrap_or(0),
                    d.message,
                    d.help.clone().unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn unknown_field_suggests_the_closest() {
        let e =
            errors("sources:\n  s:\n    versions: {a: x.txt}\nclaims:\n  - id: a\n    qoute: hi\n");
        assert_eq!(
            e,
            [
                "6:5 unknown field `qoute`, expected one of id, quote, fact, by, source, expect, note, keys | did you mean `quote`?"
            ]
        );
    }

    #[test]
    fn every_claim_problem_is_reported_at_once() {
        let yaml = "sources:\n  s:\n    versions: {a: x.txt}\nclaims:\n  - id: a\n    quote: x\n  - id: a\n    quote: y\n  - id: b\n    quote: z\n    source: t\n  - id: c\n    quote: '...'\n  - id: d\n  - id: e\n    quote: q\n    fact: f\n  - id: f\n    quote: q\n    expect: exakt\n";
        let e = errors(yaml);
        assert_eq!(e.len(), 6, "{e:#?}");
        assert!(e[0].starts_with("7:9 duplicate claim id `a` | it is already used on line 5"));
        assert!(e[1].starts_with("11:13 unknown source `t` | did you mean `s`?"));
        assert!(e[2].starts_with("13:12 quote of claim `c` has no words"));
        assert!(e[3].starts_with("14:5 claim `d` has neither `quote` nor `fact`"));
        assert!(e[4].starts_with("17:11 claim `e` has both `quote` and `fact`"));
        assert!(e[5].starts_with("20:13 unknown expectation `exakt` | did you mean `exact`?"));
    }

    #[test]
    fn bad_threshold_and_syntax() {
        let e = errors("settings:\n  threshold: 1.5\n");
        assert_eq!(
            e,
            [
                "2:14 threshold 1.5 is out of range | use a number above 0 and at most 1, e.g. `threshold: 0.8`"
            ]
        );
        let e = errors("claims:\n  - id: a\n    quote: 'unclosed\n");
        assert!(e[0].starts_with("3:12 "), "{e:?}");
    }

    #[test]
    fn empty_file_has_no_claims() {
        let f = parse(Path::new("c.yaml"), "# nothing yet\n").unwrap();
        assert!(f.claims.is_empty());
    }

    #[test]
    fn several_sources_need_a_source_field() {
        let e = errors(
            "sources:\n  a:\n    versions: {v: a.txt}\n  b:\n    versions: {v: b.txt}\nclaims:\n  - id: x\n    quote: hi\n",
        );
        assert_eq!(
            e,
            [
                "7:5 claim `x` does not say which source it quotes | this file has several sources; add `source:` with one of: a, b"
            ]
        );
    }
}
