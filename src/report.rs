//! Reports: the colored human report and the stable JSON document for CI.
//!
//! Human output is styled with `colored` and written through `anstream`, which drops the
//! styling when the stream is not a terminal, under `NO_COLOR`, or with `--color never`.

use std::io::{self, Write};
use std::time::Duration;

use colored::Colorize;
use serde_json::{Value, json};

use crate::check::{ClaimResult, FileResult, Outcome, Shard, VersionResult};
use crate::claims::{ClaimKind, Verdict};
use crate::explain::Difference;

/// How much of each claim the human report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Only claims that fall short, plus the summary.
    Quiet,
    Normal,
    /// Also the passage of every claim.
    Verbose,
}

/// Counts over all claims.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub claims: usize,
    pub exact: usize,
    pub approximate: usize,
    pub missing: usize,
    pub failed: usize,
}

impl Summary {
    pub fn of(files: &[FileResult]) -> Summary {
        let mut s = Summary::default();
        files.iter().flat_map(|f| &f.claims).for_each(|c| s.add(c));
        s
    }

    pub fn add(&mut self, c: &ClaimResult) {
        self.claims += 1;
        match c.verdict {
            Verdict::Exact => self.exact += 1,
            Verdict::Approximate => self.approximate += 1,
            Verdict::Missing => self.missing += 1,
        }
        if !c.passed {
            self.failed += 1;
        }
    }
}

fn location(v: &VersionResult) -> String {
    match v.position {
        Some(p) => format!("{}:{}:{}", v.path.display(), p.line, p.column),
        None => v.path.display().to_string(),
    }
}

fn quoted(words: &str) -> String {
    format!("\u{201c}{words}\u{201d}")
}

/// One difference as a reader would say it.
pub fn describe(d: &Difference) -> String {
    let detail = match (d.claim.is_empty(), d.source.is_empty()) {
        (false, false) => format!(
            "quote has {} where the source has {}",
            quoted(&d.claim),
            quoted(&d.source)
        ),
        (false, true) => format!("quote adds {}, not in the source", quoted(&d.claim)),
        _ => format!("quote leaves out {}", quoted(&d.source)),
    };
    let mut line = format!("{}: {detail}", d.kind.label());
    if d.kind.changes_meaning() {
        line.push_str(" (changes the meaning)");
    }
    line
}

/// Write the human report.
pub fn human(
    out: &mut dyn Write,
    outcome: &Outcome,
    detail: Detail,
    elapsed: Duration,
) -> io::Result<()> {
    let files = outcome
        .files
        .iter()
        .map(|f| {
            (
                f.path.clone(),
                id_width(f.claims.iter().map(|c| c.claim.id.as_str())),
            )
        })
        .collect();
    let mut report = HumanReport::new(out, detail, files);
    for (i, f) in outcome.files.iter().enumerate() {
        for c in &f.claims {
            report.claim(i, c)?;
        }
    }
    report.finish(&outcome.notes, elapsed).map(|_| ())
}

/// The width of the widest of `ids`, to align a file's claims.
pub fn id_width<'a>(ids: impl Iterator<Item = &'a str>) -> usize {
    ids.map(|id| id.chars().count()).max().unwrap_or(0)
}

/// The human report, written as results arrive: each file's claims under its name, then the
/// notes and the summary. Quiet, it holds back a file's failures until the file is done, to
/// align just those.
pub struct HumanReport<'a> {
    out: &'a mut dyn Write,
    detail: Detail,
    /// Each claims file and the width of its claim ids.
    files: Vec<(std::path::PathBuf, usize)>,
    current: Option<usize>,
    /// Whether the current file's name is written.
    opened: bool,
    /// Quiet: the current file's failures.
    held: Vec<ClaimResult>,
    summary: Summary,
}

impl<'a> HumanReport<'a> {
    pub fn new(
        out: &'a mut dyn Write,
        detail: Detail,
        files: Vec<(std::path::PathBuf, usize)>,
    ) -> HumanReport<'a> {
        HumanReport {
            out,
            detail,
            files,
            current: None,
            opened: false,
            held: Vec::new(),
            summary: Summary::default(),
        }
    }

    /// The next result, of file `file` (results come in file order).
    pub fn claim(&mut self, file: usize, c: &ClaimResult) -> io::Result<()> {
        self.summary.add(c);
        if self.current != Some(file) {
            self.close_file()?;
            self.current = Some(file);
        }
        match self.detail {
            Detail::Quiet if !c.passed => self.held.push(c.clone()),
            Detail::Quiet => {}
            _ => {
                self.open_file()?;
                claim(self.out, c, self.detail, self.files[file].1)?;
            }
        }
        Ok(())
    }

    fn open_file(&mut self) -> io::Result<()> {
        if !self.opened
            && let Some(i) = self.current
        {
            writeln!(self.out, "{}", self.files[i].0.display().to_string().bold())?;
            self.opened = true;
        }
        Ok(())
    }

    fn close_file(&mut self) -> io::Result<()> {
        let held = std::mem::take(&mut self.held);
        if !held.is_empty() {
            self.open_file()?;
            let width = id_width(held.iter().map(|c| c.claim.id.as_str()));
            for c in &held {
                claim(self.out, c, self.detail, width)?;
            }
        }
        if self.opened {
            writeln!(self.out)?;
        }
        self.opened = false;
        Ok(())
    }

    /// The notes and the summary line. Returns the counts.
    pub fn finish(mut self, notes: &[String], elapsed: Duration) -> io::Result<Summary> {
        self.close_file()?;
        for n in notes {
            writeln!(self.out, "{} {n}", "note:".bold())?;
        }
        summary_line(self.out, &self.summary, Some(elapsed))?;
        Ok(self.summary)
    }
}

fn claim(out: &mut dyn Write, c: &ClaimResult, detail: Detail, id_width: usize) -> io::Result<()> {
    let id = format!("{:<id_width$}", c.claim.id);
    let verdict = c.verdict;
    let best = c.best().expect("a checked claim has versions");
    let (mark, word) = match verdict {
        Verdict::Exact => ("✓".green().bold(), "exact".green()),
        Verdict::Approximate => ("~".yellow().bold(), "approximate".yellow()),
        Verdict::Missing => ("✗".red().bold(), "missing".red()),
    };
    let loc = match verdict {
        Verdict::Missing if best.passage.is_some() => format!("closest: {}", location(best)),
        Verdict::Missing => "no passage shares a word with the claim".to_string(),
        _ => location(best),
    };
    write!(
        out,
        "  {mark} {word:<11} {id}  {:.2}  {}",
        best.score,
        loc.cyan()
    )?;
    if !c.passed {
        write!(
            out,
            "  {}",
            format!("FAILED: expected {}", c.claim.expect).red().bold()
        )?;
    }
    writeln!(out)?;
    if c.claim.kind == ClaimKind::Fact {
        return fact_details(out, c, best);
    }
    match verdict {
        Verdict::Approximate => {
            for d in &best.differences {
                let line = describe(d);
                let line = if d.kind.changes_meaning() {
                    line.red().bold()
                } else {
                    line.yellow()
                };
                writeln!(out, "      {line}")?;
            }
            if let Some(s) = &c.suggestion {
                writeln!(out, "      suggestion: {}", quoted(s).green())?;
            }
        }
        Verdict::Missing => {
            if let Some(p) = &best.passage {
                writeln!(out, "      {}", quoted(p).dimmed())?;
            }
        }
        Verdict::Exact => {}
    }
    if detail == Detail::Verbose
        && verdict != Verdict::Missing
        && let Some(p) = &best.passage
    {
        writeln!(out, "      {}", quoted(p).dimmed())?;
    }
    notes(out, c)
}

/// A claim's notes, red when it falls short.
fn notes(out: &mut dyn Write, c: &ClaimResult) -> io::Result<()> {
    for n in &c.notes {
        let line = format!("note: {n}");
        writeln!(
            out,
            "      {}",
            if c.passed { line.normal() } else { line.red() }
        )?;
    }
    Ok(())
}

/// A fact's conflicts, its key terms not found, and the passage with its terms highlighted.
fn fact_details(out: &mut dyn Write, c: &ClaimResult, best: &VersionResult) -> io::Result<()> {
    for k in &best.conflicts {
        let line = format!(
            "conflict ({}): the claim says {}, the source says {} (changes the meaning)",
            k.kind,
            quoted(&k.claim),
            quoted(&k.source)
        );
        writeln!(out, "      {}", line.red().bold())?;
    }
    let conflicting: Vec<&str> = best.conflicts.iter().map(|k| k.claim.as_str()).collect();
    for k in best
        .keys
        .iter()
        .filter(|k| !k.found && !conflicting.contains(&k.term.as_str()))
    {
        writeln!(
            out,
            "      {}",
            format!("not in the passage: {}", quoted(&k.term)).yellow()
        )?;
    }
    if let Some(p) = &best.passage {
        writeln!(out, "      {}", highlighted(p, &best.marks))?;
    }
    notes(out, c)
}

/// A passage, dimmed, with `marks` standing out.
pub fn highlighted(passage: &str, marks: &[std::ops::Range<usize>]) -> String {
    let mut out = String::new();
    let mut at = 0;
    out.push_str(&"\u{201c}".dimmed().to_string());
    for m in marks {
        out.push_str(&passage[at..m.start].dimmed().to_string());
        out.push_str(&passage[m.clone()].bold().underline().to_string());
        at = m.end;
    }
    out.push_str(&passage[at..].dimmed().to_string());
    out.push_str(&"\u{201d}".dimmed().to_string());
    out
}

/// The merged report for people: the claims that fall short, then the summary.
pub fn human_failures(out: &mut dyn Write, claims: &[Value], s: &Summary) -> io::Result<()> {
    for c in claims.iter().filter(|c| c["passed"] == false) {
        let v = &c["versions"][0];
        let verdict = c["verdict"].as_str().unwrap_or("missing");
        let word = match verdict {
            "approximate" => verdict.yellow(),
            "exact" => verdict.green(),
            _ => verdict.red(),
        };
        writeln!(
            out,
            "  {} {word:<11} {}  {}:{}  {}",
            "✗".red().bold(),
            c["id"].as_str().unwrap_or("?"),
            c["file"].as_str().unwrap_or("?"),
            c["line"],
            format!(
                "FAILED: expected {}",
                c["expect"].as_str().unwrap_or("exact")
            )
            .red()
            .bold()
        )?;
        if let Some(p) = v["passage"].as_str() {
            writeln!(out, "      {}", quoted(p).dimmed())?;
        }
    }
    summary_line(out, s, None)
}

/// The summary line; with the time taken when there is one.
fn summary_line(out: &mut dyn Write, s: &Summary, elapsed: Option<Duration>) -> io::Result<()> {
    let parts = [
        format!("{} exact", s.exact).green().to_string(),
        format!("{} approximate", s.approximate)
            .yellow()
            .to_string(),
        format!("{} missing", s.missing).red().to_string(),
    ];
    let failed = format!("{} failed", s.failed);
    let failed = if s.failed > 0 {
        failed.red().bold()
    } else {
        failed.green()
    };
    let noun = if s.claims == 1 { "claim" } else { "claims" };
    let time = elapsed.map_or(String::new(), |e| format!(" ({:.2}s)", e.as_secs_f64()));
    writeln!(
        out,
        "{} {noun}: {}; {failed}{time}",
        s.claims,
        parts.join(", ")
    )
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn version_json(v: &VersionResult) -> Value {
    json!({
        "name": v.name,
        "path": v.path.display().to_string(),
        "verdict": v.verdict,
        "score": round(v.score),
        "distance": v.distance,
        "line": v.position.map(|p| p.line),
        "column": v.position.map(|p| p.column),
        "passage": v.passage,
        "differences": v.differences.iter().map(|d| json!({
            "kind": d.kind,
            "claim": d.claim,
            "source": d.source,
            "changes_meaning": d.kind.changes_meaning(),
        })).collect::<Vec<_>>(),
        "occurrences": v.occurrences,
        "keys": v.keys,
        "conflicts": v.conflicts,
    })
}

pub fn claim_json(c: &ClaimResult) -> Value {
    json!({
        "file": c.file.display().to_string(),
        "line": c.claim.line,
        "id": c.claim.id,
        "kind": match c.claim.kind { ClaimKind::Quote => "quote", ClaimKind::Fact => "fact" },
        "source": c.source,
        "verdict": c.verdict,
        "score": round(c.score),
        "expect": c.claim.expect,
        "passed": c.passed,
        "notes": c.notes,
        "suggestion": c.suggestion,
        "versions": c.versions.iter().map(version_json).collect::<Vec<_>>(),
    })
}

/// Write the JSON report: one document, schema `version` 1 (documented in README.md),
/// written claim by claim so that a large run never holds it all in memory.
pub fn write_json(out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
    let mut report = JsonReport::begin(out, &outcome.notes, outcome.shard)?;
    for c in outcome.files.iter().flat_map(|f| &f.claims) {
        report.claim(c)?;
    }
    report.finish(&Summary::of(&outcome.files))
}

/// The JSON document around a stream of claim objects.
pub fn write_document(
    out: &mut dyn Write,
    notes: &[String],
    shard: Option<Shard>,
    claims: impl Iterator<Item = Value>,
    s: &Summary,
) -> io::Result<()> {
    let mut report = JsonReport::begin(out, notes, shard)?;
    for c in claims {
        report.value(&c)?;
    }
    report.finish(s)
}

/// The JSON report, written as results arrive: notes and shard first, each claim as it is
/// checked, the summary last.
pub struct JsonReport<'a> {
    out: &'a mut dyn Write,
    written: usize,
    summary: Summary,
}

impl<'a> JsonReport<'a> {
    pub fn begin(
        out: &'a mut dyn Write,
        notes: &[String],
        shard: Option<Shard>,
    ) -> io::Result<JsonReport<'a>> {
        write!(out, "{{\n  \"version\": 1,\n  \"notes\": ")?;
        serde_json::to_writer(&mut *out, notes)?;
        if let Some(sh) = shard {
            write!(
                out,
                ",\n  \"shard\": {{\"index\": {}, \"count\": {}}}",
                sh.index, sh.count
            )?;
        }
        write!(out, ",\n  \"claims\": [")?;
        Ok(JsonReport {
            out,
            written: 0,
            summary: Summary::default(),
        })
    }

    pub fn claim(&mut self, c: &ClaimResult) -> io::Result<()> {
        self.summary.add(c);
        self.value(&claim_json(c))
    }

    fn value(&mut self, c: &Value) -> io::Result<()> {
        let sep = if self.written == 0 { "" } else { "," };
        write!(self.out, "{sep}\n    ")?;
        serde_json::to_writer(&mut *self.out, c)?;
        self.written += 1;
        Ok(())
    }

    /// The counts of the claims written through [`JsonReport::claim`].
    pub fn summary(&self) -> Summary {
        self.summary
    }

    pub fn finish(self, s: &Summary) -> io::Result<()> {
        write!(self.out, "\n  ],\n  \"summary\": ")?;
        let summary = json!({
            "claims": s.claims,
            "exact": s.exact,
            "approximate": s.approximate,
            "missing": s.missing,
            "failed": s.failed,
        });
        serde_json::to_writer(&mut *self.out, &summary)?;
        writeln!(self.out, "\n}}")
    }
}

impl Summary {
    /// Counts over claims read back from JSON reports.
    pub fn of_json(claims: &[Value]) -> Summary {
        let mut s = Summary::default();
        for c in claims {
            s.claims += 1;
            match c["verdict"].as_str() {
                Some("exact") => s.exact += 1,
                Some("approximate") => s.approximate += 1,
                _ => s.missing += 1,
            }
            if c["passed"] == false {
                s.failed += 1;
            }
        }
        s
    }
}
