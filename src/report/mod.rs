//! Reports: one [`Reporter`] per format, fed typed records as claims are decided. The same
//! records come from a check or from `merge` reading shard reports back, so every format
//! works for both, and a new format is one file here plus a [`ReportFormat`] variant.

mod baseline;
mod github;
mod human;
mod json;
mod jsonl;
mod junit;
mod markdown;
mod merge;
mod record;
mod sarif;
mod text;

use std::io::{self, Write};
use std::time::Instant;

pub use crate::diagnostic::shown_path;
pub use baseline::{Baseline, BaselineWriter};
pub use github::GithubReporter;
pub use human::{Detail, HumanReporter, highlighted};
pub use json::JsonReporter;
pub use jsonl::JsonlReporter;
pub use junit::JunitReporter;
pub use markdown::MarkdownReporter;
pub use merge::merge;
pub use record::{
    ClaimRecord, DifferenceRecord, ErrorRecord, NoteRecord, ReportDoc, SCHEMA_VERSION, ShardRecord,
    SkipRecord, VersionRecord, schema,
};
pub use sarif::SarifReporter;
pub use text::{json_safe, printable};

use crate::check::{ClaimSet, Shard};
use crate::model::Verdict;
use crate::outcome::{ClaimResult, Note};

/// Counts over all claims reported.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct Summary {
    /// Claims with the verdict approximate.
    pub approximate: usize,
    /// Claims that fall short but are in the baseline: not failed.
    #[serde(default)]
    pub baselined: usize,
    /// Claims reported.
    pub claims: usize,
    /// Claims with the verdict exact.
    pub exact: usize,
    /// Claims that fall short: the run fails when there is one.
    pub failed: usize,
    /// Claims with the verdict missing.
    pub missing: usize,
    /// Claims not checked (`Run::skipped` says why): never counted as passed.
    #[serde(default)]
    pub not_checked: usize,
}

impl Summary {
    /// Count one more claim.
    pub fn add(&mut self, c: &ClaimRecord) {
        self.claims += 1;
        match c.verdict {
            Verdict::Exact => self.exact += 1,
            Verdict::Approximate => self.approximate += 1,
            Verdict::Missing => self.missing += 1,
        }
        if c.fails() {
            self.failed += 1;
        }
        if c.baselined {
            self.baselined += 1;
        }
    }
}

/// What a report knows before the first claim.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// Notes about the run as a whole.
    pub notes: Vec<NoteRecord>,
    /// The shard checked, when only one is.
    pub shard: Option<Shard>,
    /// With a shard: the whole set it belongs to.
    pub set: Option<ClaimSet>,
    /// The claims not checked, counted by why, in reason order.
    pub skipped: Vec<SkipRecord>,
    /// Each claims file, in report order, with the width of its widest claim id (to align a
    /// file's claims).
    pub files: Vec<(String, usize)>,
    /// When the run started, for a report that shows the time taken.
    pub started: Option<Instant>,
    /// Claims whose results came from the cache, counted as each is reused (a record found
    /// damaged is checked again and not counted), for a report that shows the time taken
    /// (the machine formats do not say: with or without a cache they are the same bytes).
    pub reused: std::rc::Rc<std::cell::Cell<usize>>,
}

impl Run {
    /// A run with these notes about it as a whole.
    pub fn new(notes: &[Note]) -> Run {
        Run {
            notes: notes.iter().map(NoteRecord::from).collect(),
            ..Run::default()
        }
    }
}

/// A report format: told of the run, then of each claim in claims order, then of the totals.
/// A streaming format writes as claims come; a buffering one writes in `finish`.
pub trait Reporter {
    /// Before the first claim.
    fn begin(&mut self, run: &Run) -> io::Result<()>;
    /// One claim, in claims order.
    fn claim(&mut self, claim: &ClaimRecord) -> io::Result<()>;
    /// After the last claim.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// The formats `--format` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReportFormat {
    /// For people: colored on a terminal, each claim on a line, differences under it.
    Human,
    /// One JSON document, schema v1 (README.md), written claim by claim.
    Json,
    /// JSON Lines: each claim as it is decided, then the summary.
    Jsonl,
    /// GitHub Actions workflow commands at each claim's line.
    Github,
    /// JUnit XML: a suite per claims file, a case per claim.
    Junit,
    /// A Markdown table of what falls short, for a pull-request comment.
    Markdown,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
}

impl ReportFormat {
    /// Whether people read it on a terminal (styled, `-q` and `-v` apply).
    pub fn for_people(self) -> bool {
        self == ReportFormat::Human
    }
}

/// The one place that picks a reporter for a format.
pub fn reporter<'a>(
    format: ReportFormat,
    out: Box<dyn Write + 'a>,
    detail: Detail,
) -> Box<dyn Reporter + 'a> {
    match format {
        ReportFormat::Human => Box::new(HumanReporter::new(out, detail)),
        ReportFormat::Json => Box::new(JsonReporter::new(out)),
        ReportFormat::Jsonl => Box::new(JsonlReporter::new(out)),
        ReportFormat::Github => Box::new(GithubReporter::new(out)),
        ReportFormat::Junit => Box::new(JunitReporter::new(out)),
        ReportFormat::Markdown => Box::new(MarkdownReporter::new(out)),
        ReportFormat::Sarif => Box::new(SarifReporter::new(out)),
    }
}

/// Several reports of one run, each fed every record: the terminal's and `--output`'s.
pub struct Fanout<'a>(pub Vec<Box<dyn Reporter + 'a>>);

impl Reporter for Fanout<'_> {
    fn begin(&mut self, run: &Run) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|r| r.begin(run))
    }

    fn claim(&mut self, claim: &ClaimRecord) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|r| r.claim(claim))
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|r| r.finish(summary))
    }
}

/// A reporter and the counts of what went through it.
pub struct Report<'a> {
    reporter: Box<dyn Reporter + 'a>,
    summary: Summary,
}

impl<'a> Report<'a> {
    /// Begin the report of `run`.
    pub fn begin(mut reporter: Box<dyn Reporter + 'a>, run: &Run) -> io::Result<Report<'a>> {
        reporter.begin(run)?;
        let summary = Summary {
            not_checked: run.skipped.iter().map(|s| s.claims).sum(),
            ..Summary::default()
        };
        Ok(Report { reporter, summary })
    }

    /// One claim as a check decided it.
    pub fn result(&mut self, c: &ClaimResult) -> io::Result<()> {
        self.record(&ClaimRecord::from(c))
    }

    /// One claim as a record.
    pub fn record(&mut self, c: &ClaimRecord) -> io::Result<()> {
        self.summary.add(c);
        self.reporter.claim(c)
    }

    /// The totals; returns them.
    pub fn finish(mut self) -> io::Result<Summary> {
        self.reporter.finish(&self.summary)?;
        Ok(self.summary)
    }
}

/// The width of the widest of `ids`, to align a file's claims.
pub fn id_width<'a>(ids: impl Iterator<Item = &'a str>) -> usize {
    ids.map(|id| id.chars().count()).max().unwrap_or(0)
}

/// Records every reporter's test renders: one claim of each verdict, a failure, a fact with a
/// conflict, and a run note.
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::model::ClaimKind;
    use crate::outcome::{Conflict, DifferenceKind, KeyCheck, ValueKind};

    fn version(verdict: Verdict, score: f64, passage: Option<&str>) -> VersionRecord {
        VersionRecord {
            column: passage.map(|_| 5),
            conflicts: Vec::new(),
            differences: Vec::new(),
            distance: passage.map(|_| 0),
            keys: Vec::new(),
            line: passage.map(|_| 2),
            marks: Vec::new(),
            name: "text".into(),
            occurrences: 1,
            passage: passage.map(str::to_string),
            path: "claims/sources/a.txt".into(),
            score,
            verdict,
        }
    }

    fn claim(id: &str, verdict: Verdict, passed: bool, v: VersionRecord) -> ClaimRecord {
        ClaimRecord {
            baselined: false,
            column: Some(5),
            decided_by: Some(0),
            expect: Verdict::Exact,
            file: "claims/a.yaml".into(),
            findings: Vec::new(),
            fingerprint: format!("{:016x}", id.len()),
            id: id.into(),
            kind: ClaimKind::Quote,
            line: 7,
            note: None,
            notes: Vec::new(),
            passed,
            score: v.score,
            source: "a".into(),
            suggestion: None,
            verdict,
            versions: vec![v],
        }
    }

    /// The run and its claims.
    pub(crate) fn records() -> (Run, Vec<ClaimRecord>) {
        let exact = claim(
            "exact",
            Verdict::Exact,
            true,
            version(Verdict::Exact, 1.0, Some("the quick brown fox")),
        );
        let mut v = version(Verdict::Approximate, 0.9, Some("the quick brown fox"));
        v.distance = Some(2);
        v.differences = vec![DifferenceRecord {
            changes_meaning: false,
            claim: "quik".into(),
            kind: DifferenceKind::Spelling,
            source: "quick".into(),
        }];
        let mut approx = claim("approx", Verdict::Approximate, false, v);
        approx.suggestion = Some("the quick brown fox".into());
        let falls_short = Note::FallsShort {
            expected: Verdict::Exact,
            found: Verdict::Approximate,
        };
        approx.notes = vec![falls_short.to_string()];
        approx.findings = vec![NoteRecord::from(&falls_short)];
        let mut v = version(Verdict::Approximate, 0.75, Some("a 71 percent chance"));
        v.conflicts = vec![Conflict {
            kind: ValueKind::Percent,
            claim: "81%".into(),
            source: "71 percent".into(),
        }];
        v.keys = vec![KeyCheck {
            found: false,
            source_value: Some("71 percent".into()),
            term: "81%".into(),
        }];
        v.marks = vec![(2, 12)];
        let mut fact = claim("fact", Verdict::Approximate, true, v);
        fact.kind = ClaimKind::Fact;
        fact.expect = Verdict::Approximate;
        let missing = claim(
            "gone",
            Verdict::Missing,
            true,
            version(Verdict::Missing, 0.0, None),
        );
        let run = Run {
            notes: vec![NoteRecord {
                code: "not-judged-strictly".into(),
                message: "a run note".into(),
                severity: Severity::Info,
            }],
            files: vec![("claims/a.yaml".into(), 6)],
            ..Run::default()
        };
        (run, vec![exact, approx, fact, missing])
    }

    /// The whole report in `format`, as text.
    pub(crate) fn render(format: ReportFormat, detail: Detail) -> String {
        let (run, claims) = records();
        let mut out = Vec::new();
        {
            let reporter = reporter(format, Box::new(&mut out), detail);
            let mut report = Report::begin(reporter, &run).unwrap();
            for c in &claims {
                report.record(c).unwrap();
            }
            report.finish().unwrap();
        }
        String::from_utf8(out).unwrap()
    }
}
