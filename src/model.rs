//! Plain data: claims files as parsed, their sources, versions and claims, and verdicts.

use std::fmt;
use std::path::PathBuf;

use crate::config::Settings;

/// How well a claim is supported. Ordered: `Missing < Approximate < Exact`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Nothing in the source is close enough.
    Missing,
    /// A passage within the threshold, with differences.
    Approximate,
    /// The passage, word for word.
    Exact,
}

impl Verdict {
    /// Every verdict's name, best first.
    pub const NAMES: [&'static str; 3] = ["exact", "approximate", "missing"];

    /// The verdict as the claims file and the reports write it.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Exact => "exact",
            Verdict::Approximate => "approximate",
            Verdict::Missing => "missing",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Verdict {
    type Err = String;
    fn from_str(s: &str) -> Result<Verdict, String> {
        match s {
            "exact" => Ok(Verdict::Exact),
            "approximate" => Ok(Verdict::Approximate),
            "missing" => Ok(Verdict::Missing),
            _ => Err(format!(
                "`{s}` is not a verdict: use exact, approximate or missing"
            )),
        }
    }
}

/// What a claim says about its source.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ClaimKind {
    /// The source's own words, verbatim.
    Quote,
    /// A statement in the writer's words, checked by its key terms.
    Fact,
}

impl fmt::Display for ClaimKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClaimKind::Quote => "quote",
            ClaimKind::Fact => "fact",
        })
    }
}

/// One version of a source: a file on disk.
#[derive(Debug, Clone)]
pub struct Version {
    /// The version's name in the claims file (`original`, `normalized`).
    pub name: String,
    /// The path as the report shows it: the claims file's directory joined with the value.
    pub path: PathBuf,
    /// Where the claims file names it (1-based).
    pub line: usize,
    /// The column of that value (1-based).
    pub column: usize,
    /// The encoding its bytes are in, as the Encoding Standard names it (`windows-1252`),
    /// when the claims file says; a byte order mark still wins.
    pub encoding: Option<String>,
}

/// A document the claims quote, in one or more versions.
#[derive(Debug, Clone)]
pub struct Source {
    /// Its name in the claims file.
    pub name: String,
    /// Its title, for people.
    pub title: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
    /// Its versions, in the order written.
    pub versions: Vec<Version>,
}

/// One claim, checked and located.
#[derive(Debug, Clone)]
pub struct Claim {
    /// Unique within its file.
    pub id: String,
    /// Where the claim starts in its file (1-based).
    pub line: usize,
    /// The column of its first key (1-based).
    pub column: usize,
    /// Quote or fact.
    pub kind: ClaimKind,
    /// The words quoted, or the fact stated.
    pub text: String,
    /// Who is quoted.
    pub by: Option<String>,
    /// Index into [`ClaimsFile::sources`].
    pub source: usize,
    /// The verdict the claim needs to pass.
    pub expect: Verdict,
    /// The writer's note, kept with the claim and shown in the report.
    pub note: Option<String>,
    /// Terms a fact's passage must contain, beyond those read from its text.
    pub keys: Vec<String>,
}

/// A parsed claims file.
#[derive(Debug, Clone)]
pub struct ClaimsFile {
    /// The file, as given.
    pub path: PathBuf,
    /// The file as every CI job names it, however its path was typed: from the project root
    /// (the nearest directory above it with `.git`, else the working directory), `/` between
    /// components. Shards hash it.
    pub identity: String,
    /// Its `settings:`.
    pub settings: Settings,
    /// Its sources, in the order written.
    pub sources: Vec<Source>,
    /// Its claims, in the order written.
    pub claims: Vec<Claim>,
}
