//! Claims files: the YAML a user writes, parsed into checked claims with their locations.
//!
//! serde-saphyr rather than the archived serde_yaml: it reports the line and column of every
//! value (`Spanned<T>`), so each error and each claim in the report points at its line.

use std::fmt;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, closest};
use crate::normalize::normalize;

/// How well a claim is supported. Ordered: `Missing < Approximate < Exact`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Missing,
    Approximate,
    Exact,
}

impl Verdict {
    pub const NAMES: [&'static str; 3] = ["exact", "approximate", "missing"];

    pub fn name(self) -> &'static str {
        match self {
            Verdict::Exact => "exact",
            Verdict::Approximate => "approximate",
            Verdict::Missing => "missing",
        }
    }

    fn parse(s: &str) -> Option<Verdict> {
        match s {
            "exact" => Some(Verdict::Exact),
            "approximate" => Some(Verdict::Approximate),
            "missing" => Some(Verdict::Missing),
            _ => None,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimKind {
    Quote,
    Fact,
}

/// One version of a source: a file on disk.
#[derive(Debug, Clone)]
pub struct Version {
    pub name: String,
    /// The path as the report shows it: the claims file's directory joined with the value.
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub versions: Vec<Version>,
}

#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    pub line: usize,
    pub column: usize,
    pub kind: ClaimKind,
    pub text: String,
    pub by: Option<String>,
    /// Index into [`ClaimsFile::sources`].
    pub source: usize,
    pub expect: Verdict,
    pub note: Option<String>,
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub threshold: Option<f64>,
    pub strict: bool,
    /// Most words an ellipsis may stand for.
    pub ellipsis_gap: Option<usize>,
    /// Words in a passage that may support a fact.
    pub fact_window: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct ClaimsFile {
    pub path: PathBuf,
    pub settings: Settings,
    pub sources: Vec<Source>,
    pub claims: Vec<Claim>,
}

// ---- the YAML as written ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    settings: Option<RawSettings>,
    sources: Option<OrderedMap<Spanned<RawSource>>>,
    claims: Option<Vec<Spanned<RawClaim>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    threshold: Option<Spanned<f64>>,
    strict: Option<bool>,
    ellipsis_gap: Option<usize>,
    fact_window: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: Option<String>,
    url: Option<String>,
    versions: Option<OrderedMap<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    id: Option<Spanned<String>>,
    quote: Option<Spanned<String>>,
    fact: Option<Spanned<String>>,
    by: Option<String>,
    source: Option<Spanned<String>>,
    expect: Option<Spanned<String>>,
    note: Option<String>,
    keys: Option<Vec<String>>,
}

/// A YAML mapping that keeps its order (versions are checked in the order written).
struct OrderedMap<V>(Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Vis<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of names to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = a.next_entry()? {
                    out.push(entry);
                }
                Ok(OrderedMap(out))
            }
        }
        d.deserialize_map(Vis(PhantomData))
    }
}

const FILE_FIELDS: &[&str] = &["settings", "sources", "claims"];

fn at<T>(s: &Spanned<T>) -> (usize, usize) {
    (s.referenced.line() as usize, s.referenced.column() as usize)
}

/// Parse and check one claims file. All problems found are returned together.
pub fn parse(path: &Path, text: &str) -> Result<ClaimsFile, Vec<Diagnostic>> {
    let (file, errs) = parse_partial(path, text);
    if errs.is_empty() { Ok(file) } else { Err(errs) }
}

/// Parse what can be parsed: the valid sources and claims, and every problem found. Callers
/// that report all errors at once (for instance about missing source files) use the partial
/// file even when there are errors.
pub fn parse_partial(path: &Path, text: &str) -> (ClaimsFile, Vec<Diagnostic>) {
    let raw: RawFile =
        match serde_saphyr::from_str_with_options::<Option<RawFile>>(text, yaml_options(text)) {
            Ok(Some(raw)) => raw,
            Ok(None) => RawFile {
                settings: None,
                sources: None,
                claims: None,
            },
            Err(e) => {
                let empty = ClaimsFile {
                    path: path.to_path_buf(),
                    settings: Settings::default(),
                    sources: Vec::new(),
                    claims: Vec::new(),
                };
                return (empty, vec![yaml_error(path, text, &e)]);
            }
        };
    let mut errs = Vec::new();
    let diag = |line, col, msg: String| Diagnostic::new(path, line, col, msg).with_source(text);
    let dir = path.parent().unwrap_or(Path::new(""));

    let mut settings = Settings::default();
    let raw_settings = raw.settings.unwrap_or(RawSettings {
        threshold: None,
        strict: None,
        ellipsis_gap: None,
        fact_window: None,
    });
    settings.strict = raw_settings.strict.unwrap_or(false);
    settings.ellipsis_gap = raw_settings.ellipsis_gap;
    settings.fact_window = raw_settings.fact_window;
    if let Some(t) = raw_settings.threshold {
        let (l, c) = at(&t);
        if t.value > 0.0 && t.value <= 1.0 {
            settings.threshold = Some(t.value);
        } else {
            errs.push(
                diag(l, c, format!("threshold {} is out of range", t.value))
                    .help("use a number above 0 and at most 1, e.g. `threshold: 0.8`"),
            );
        }
    }

    let mut sources = Vec::new();
    for (name, src) in raw.sources.map(|m| m.0).unwrap_or_default() {
        let (l, c) = at(&name);
        let versions: Vec<Version> = src
            .value
            .versions
            .map(|m| m.0)
            .unwrap_or_default()
            .into_iter()
            .map(|(vname, vpath)| Version {
                name: vname.value,
                path: dir.join(&vpath.value),
                line: vpath.referenced.line() as usize,
                column: vpath.referenced.column() as usize,
            })
            .collect();
        if versions.is_empty() {
            errs.push(
                diag(l, c, format!("source `{}` has no versions", name.value)).help(
                    "add `versions:` with at least one file, e.g. `original: sources/article.md` (relative to this file)",
                ),
            );
        }
        sources.push(Source {
            name: name.value,
            title: src.value.title,
            url: src.value.url,
            versions,
        });
    }

    let mut claims: Vec<Claim> = Vec::new();
    let mut first_line_of_id = std::collections::HashMap::new();
    for raw in raw.claims.unwrap_or_default() {
        let (line, column) = at(&raw);
        let rc = raw.value;
        let Some(id) = rc.id else {
            errs.push(
                diag(line, column, "claim has no `id`".into())
                    .help("add `id: some-name`, unique within this file"),
            );
            continue;
        };
        let (il, ic) = at(&id);
        if id.value.trim().is_empty() {
            errs.push(
                diag(il, ic, "claim id is empty".into())
                    .help("give the claim a name, e.g. `id: ask-around`"),
            );
            continue;
        }
        if let Some(first) = first_line_of_id.get(&id.value) {
            errs.push(
                diag(il, ic, format!("duplicate claim id `{}`", id.value)).help(format!(
                    "it is already used on line {first}; ids must be unique within a file"
                )),
            );
            continue;
        }
        first_line_of_id.insert(id.value.clone(), il);

        let (kind, text) = match (rc.quote, rc.fact) {
            (Some(q), None) => (ClaimKind::Quote, q),
            (None, Some(f)) => (ClaimKind::Fact, f),
            (Some(_), Some(f)) => {
                let (l, c) = at(&f);
                errs.push(
                    diag(l, c, format!("claim `{}` has both `quote` and `fact`", id.value))
                        .help("a claim is either a verbatim `quote` or a `fact` in your own words; split it into two claims"),
                );
                continue;
            }
            (None, None) => {
                errs.push(
                    diag(
                        line,
                        column,
                        format!("claim `{}` has neither `quote` nor `fact`", id.value),
                    )
                    .help("add `quote: \"the exact words\"` or `fact: what the source states`"),
                );
                continue;
            }
        };
        if normalize(&text.value).is_empty() {
            let (l, c) = at(&text);
            let what = if kind == ClaimKind::Quote {
                "quote"
            } else {
                "fact"
            };
            errs.push(
                diag(l, c, format!("{what} of claim `{}` has no words", id.value))
                    .help("a claim needs at least one letter or digit to look for"),
            );
            continue;
        }

        let source = match (&rc.source, sources.len()) {
            (Some(s), _) => match sources.iter().position(|x| x.name == s.value) {
                Some(i) => i,
                None => {
                    let (l, c) = at(s);
                    let names: Vec<&str> = sources.iter().map(|x| x.name.as_str()).collect();
                    let help = match closest(&s.value, names.iter().copied()) {
                        Some(n) => format!("did you mean `{n}`?"),
                        None if names.is_empty() => "declare it under `sources:`".to_string(),
                        None => format!("known sources: {}", names.join(", ")),
                    };
                    errs.push(diag(l, c, format!("unknown source `{}`", s.value)).help(help));
                    continue;
                }
            },
            (None, 1) => 0,
            (None, 0) => {
                errs.push(
                    diag(
                        line,
                        column,
                        format!("claim `{}` has no source to check against", id.value),
                    )
                    .help("declare the document under `sources:` with its `versions:`"),
                );
                continue;
            }
            (None, _) => {
                let names: Vec<&str> = sources.iter().map(|x| x.name.as_str()).collect();
                errs.push(
                    diag(
                        line,
                        column,
                        format!("claim `{}` does not say which source it quotes", id.value),
                    )
                    .help(format!(
                        "this file has several sources; add `source:` with one of: {}",
                        names.join(", ")
                    )),
                );
                continue;
            }
        };

        let expect = match rc.expect {
            None => Verdict::Exact,
            Some(e) => match Verdict::parse(e.value.trim()) {
                Some(v) => v,
                None => {
                    let (l, c) = at(&e);
                    let help = match closest(&e.value, Verdict::NAMES) {
                        Some(n) => {
                            format!("did you mean `{n}`? (one of exact, approximate, missing)")
                        }
                        None => "use one of exact, approximate, missing".to_string(),
                    };
                    errs.push(diag(l, c, format!("unknown expectation `{}`", e.value)).help(help));
                    continue;
                }
            },
        };

        claims.push(Claim {
            id: id.value,
            line,
            column,
            kind,
            text: text.value,
            by: rc.by,
            source,
            expect,
            note: rc.note,
            keys: rc.keys.unwrap_or_default(),
        });
    }

    let file = ClaimsFile {
        path: path.to_path_buf(),
        settings,
        sources,
        claims,
    };
    (file, errs)
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
    options
}

/// A YAML or shape error from the parser, with a suggestion for misspelled fields.
fn yaml_error(path: &Path, text: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let (line, column) = e
        .location()
        .map_or((0, 0), |l| (l.line() as usize, l.column() as usize));
    let plain = e.without_snippet().to_string();
    // serde-saphyr appends " at line L, column C"; the location is shown separately.
    let message = match plain.rfind(" at line ") {
        Some(i) => plain[..i].to_string(),
        None => plain,
    };
    let mut d = Diagnostic::new(path, line, column, message.clone()).with_source(text);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = match expected.split_once("expected one of ") {
            Some((_, list)) => list.split(", ").map(|s| s.trim_matches('`')).collect(),
            None => match expected.split_once("expected ") {
                Some((_, one)) => vec![one.trim_matches('`')],
                None => FILE_FIELDS.to_vec(),
            },
        };
        d = d.help(match closest(field, known.iter().copied()) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("known fields here: {}", known.join(", ")),
        });
    } else if message.contains("duplicate mapping key") {
        d = d.help("each key may appear once in a mapping; remove or rename the repeated one");
    } else {
        d = d.help("see the claims file format in README.md");
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

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
                format!(
                    "{}:{} {} | {}",
                    d.line,
                    d.column,
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
