//! The JSON report's schema, version 1, as serde types: what `check --format json` writes and
//! `merge` reads back, and what every reporter is given. Fields are in the order the report
//! writes them (alphabetical, as schema v1 always had them); fields added after the first
//! release default when an older report is read.

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Severity, shown_path};
use crate::model::{ClaimKind, Verdict};
use crate::outcome::VersionResult;
use crate::outcome::{ClaimResult, Conflict, Difference, DifferenceKind, KeyCheck, Note};

/// The JSON report as written, described for its schema.
#[derive(schemars::JsonSchema)]
#[schemars(title = "quotecheck JSON report")]
#[allow(dead_code)] // Only its schema is used.
struct WrittenReport {
    /// The schema version, 1.
    version: u32,
    /// Notes about the run, as prose.
    notes: Vec<String>,
    /// The same notes, typed.
    findings: Vec<NoteRecord>,
    /// The shard checked, when only one was.
    shard: Option<ShardRecord>,
    /// With a shard: the whole set it belongs to.
    set: Option<SetRecord>,
    /// The claims not checked, counted by why.
    skipped: Vec<SkipRecord>,
    /// Every claim checked, in claims order.
    claims: Vec<ClaimRecord>,
    /// The totals.
    summary: super::Summary,
    /// Only when the run could not start (exit 2): why; `claims` is then empty.
    errors: Option<Vec<ErrorRecord>>,
}

/// A problem that stopped the run, as the JSON report's `errors` gives it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ErrorRecord {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The file it is in.
    pub file: Option<String>,
    /// Its line.
    pub line: Option<usize>,
    /// Its column.
    pub column: Option<usize>,
}

/// The JSON Schema of the JSON report (`quotecheck schema report`).
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(WrittenReport)).unwrap_or_default()
}

/// The report's schema version.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole JSON report, as `merge` reads it back.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportDoc {
    /// [`SCHEMA_VERSION`] of the writer.
    pub version: u32,
    /// Notes about the run, as prose.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The same notes, typed.
    #[serde(default)]
    pub findings: Vec<NoteRecord>,
    /// The shard checked, when only one was.
    #[serde(default)]
    pub shard: Option<ShardRecord>,
    /// With a shard: the whole set it belongs to (reports of older releases have none).
    #[serde(default)]
    pub set: Option<SetRecord>,
    /// The claims not checked, counted by why.
    #[serde(default)]
    pub skipped: Vec<SkipRecord>,
    /// Every claim checked, in claims order.
    #[serde(default)]
    pub claims: Vec<ClaimRecord>,
}

/// How many claims were not checked for one reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SkipRecord {
    /// Why.
    pub reason: crate::check::Skip,
    /// How many.
    pub claims: usize,
}

/// Which shard a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ShardRecord {
    /// From 1.
    pub index: usize,
    /// Of how many.
    pub count: usize,
}

/// The whole claims set of a shard: how many claims, and their digest (hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SetRecord {
    /// Claims in the whole set.
    pub claims: usize,
    /// [`crate::check::ClaimSet::digest`], 16 hex digits.
    pub digest: String,
}

/// A note: its stable code, its severity, and its prose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NoteRecord {
    /// [`Note::code`].
    pub code: String,
    /// The prose, as the human report shows it.
    pub message: String,
    /// [`Note::severity`].
    pub severity: Severity,
}

impl From<&Note> for NoteRecord {
    fn from(n: &Note) -> NoteRecord {
        NoteRecord {
            code: n.code().to_string(),
            message: n.to_string(),
            severity: n.severity(),
        }
    }
}

/// One claim's result.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClaimRecord {
    /// The claim falls short but the baseline (`--baseline`) knows it as it is: reported,
    /// not failed.
    #[serde(default)]
    pub baselined: bool,
    /// The claim's column in its file.
    #[serde(default)]
    pub column: Option<usize>,
    /// Index into `versions` of the version the verdict comes from.
    #[serde(default)]
    pub decided_by: Option<usize>,
    /// What the claim expects.
    pub expect: Verdict,
    /// The claims file.
    pub file: String,
    /// The notes, typed (in the order of `notes`).
    #[serde(default)]
    pub findings: Vec<NoteRecord>,
    /// [`ClaimResult::fingerprint`], 16 hex digits: what a baseline knows the claim by.
    #[serde(default)]
    pub fingerprint: String,
    /// The claim's id.
    pub id: String,
    /// Quote or fact.
    pub kind: ClaimKind,
    /// The claim's line in its file.
    pub line: usize,
    /// The writer's note on the claim.
    #[serde(default)]
    pub note: Option<String>,
    /// The notes, as prose.
    pub notes: Vec<String>,
    /// Whether the claim passes.
    pub passed: bool,
    /// The deciding version's score, to 4 decimals.
    pub score: f64,
    /// The source's name.
    pub source: String,
    /// For an approximate quote, the source's own wording.
    pub suggestion: Option<String>,
    /// The claim's verdict.
    pub verdict: Verdict,
    /// Every version's result.
    pub versions: Vec<VersionRecord>,
}

impl ClaimRecord {
    /// Whether the claim fails the run: it falls short, and no baseline knows it.
    pub fn fails(&self) -> bool {
        !self.passed && !self.baselined
    }

    /// The version the verdict comes from (the first, for a report that does not say).
    pub fn best(&self) -> Option<&VersionRecord> {
        self.versions.get(self.decided_by.unwrap_or(0))
    }
}

/// One version's result.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct VersionRecord {
    /// The passage's column in the raw file.
    pub column: Option<usize>,
    /// Facts: values stated differently.
    pub conflicts: Vec<Conflict>,
    /// Quotes: how the quote differs.
    pub differences: Vec<DifferenceRecord>,
    /// Edits between claim and passage; `None` when nothing shares a word.
    pub distance: Option<u32>,
    /// Facts: each key term, found or not.
    pub keys: Vec<KeyCheck>,
    /// The passage's line in the raw file.
    pub line: Option<usize>,
    /// Byte ranges of `passage` to highlight (a fact's terms).
    #[serde(default)]
    pub marks: Vec<(usize, usize)>,
    /// The version's name.
    pub name: String,
    /// How often the passage occurs (0 when not counted).
    pub occurrences: usize,
    /// The closest passage.
    pub passage: Option<String>,
    /// The version's file.
    pub path: String,
    /// The score, to 4 decimals.
    pub score: f64,
    /// The version's verdict.
    pub verdict: Verdict,
}

impl VersionRecord {
    /// `path:line:col` of the passage, or the path alone.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.path),
            _ => self.path.clone(),
        }
    }
}

/// One difference, with whether it changes the meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DifferenceRecord {
    /// Numbers and negations change the meaning.
    pub changes_meaning: bool,
    /// The quote's words.
    pub claim: String,
    /// What kind of change.
    pub kind: DifferenceKind,
    /// The source's words.
    pub source: String,
}

impl From<&Difference> for DifferenceRecord {
    fn from(d: &Difference) -> DifferenceRecord {
        DifferenceRecord {
            changes_meaning: d.kind.changes_meaning(),
            claim: d.claim.clone(),
            kind: d.kind,
            source: d.source.clone(),
        }
    }
}

/// Scores to 4 decimals, so that reports do not change with the last bits of a float.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl From<&VersionResult> for VersionRecord {
    fn from(v: &VersionResult) -> VersionRecord {
        VersionRecord {
            column: v.position.map(|p| p.column),
            conflicts: v.conflicts.clone(),
            differences: v.differences.iter().map(DifferenceRecord::from).collect(),
            distance: v.distance,
            keys: v.keys.clone(),
            line: v.position.map(|p| p.line),
            marks: v.marks.iter().map(|r| (r.start, r.end)).collect(),
            name: v.name.clone(),
            occurrences: v.occurrences,
            passage: v.passage.clone(),
            path: shown_path(&v.path),
            score: round(v.score),
            verdict: v.verdict,
        }
    }
}

impl From<&ClaimResult> for ClaimRecord {
    fn from(c: &ClaimResult) -> ClaimRecord {
        ClaimRecord {
            column: Some(c.claim.column),
            decided_by: c.decided_by,
            expect: c.claim.expect,
            file: shown_path(&c.file),
            findings: c.notes.iter().map(NoteRecord::from).collect(),
            fingerprint: format!("{:016x}", c.fingerprint),
            baselined: false,
            id: c.claim.id.clone(),
            kind: c.claim.kind,
            line: c.claim.line,
            note: c.claim.note.clone(),
            notes: c.notes.iter().map(Note::to_string).collect(),
            passed: c.passed,
            score: round(c.score),
            source: c.source.clone(),
            suggestion: c.suggestion.clone(),
            verdict: c.verdict,
            versions: c.versions.iter().map(VersionRecord::from).collect(),
        }
    }
}
