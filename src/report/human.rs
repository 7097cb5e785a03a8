//! The human report: each file's claims under its name, differences and notes under each
//! claim, then the run's notes and the summary.
//!
//! Styled with `colored` and written through `anstream` by the caller, which drops the
//! styling when the stream is not a terminal, under `NO_COLOR`, or with `--color never`.

use std::io::{self, Write};
use std::ops::Range;
use std::time::Instant;

use colored::Colorize;

use super::text::{describe, printable, quoted};
use super::{ClaimRecord, Reporter, Run, SkipRecord, Summary, VersionRecord, id_width};
use crate::model::{ClaimKind, Verdict};

/// How much of each claim the human report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Only claims that fall short, plus the summary.
    Quiet,
    /// Every claim, with the differences of those that are not exact.
    Normal,
    /// Also the passage of every claim.
    Verbose,
}

/// The human report, written as results arrive. Quiet, it holds back a file's failures until
/// the file is done, to align just those.
pub struct HumanReporter<'a> {
    out: Box<dyn Write + 'a>,
    detail: Detail,
    /// Each claims file and the width of its claim ids.
    files: Vec<(String, usize)>,
    notes: Vec<String>,
    skipped: Vec<SkipRecord>,
    started: Option<Instant>,
    reused: std::rc::Rc<std::cell::Cell<usize>>,
    current: Option<String>,
    /// Whether the current file's name is written.
    opened: bool,
    /// Quiet: the current file's failures.
    held: Vec<ClaimRecord>,
}

impl<'a> HumanReporter<'a> {
    /// A human report to `out`.
    pub fn new(out: Box<dyn Write + 'a>, detail: Detail) -> HumanReporter<'a> {
        HumanReporter {
            out,
            detail,
            files: Vec::new(),
            notes: Vec::new(),
            skipped: Vec::new(),
            started: None,
            reused: Default::default(),
            current: None,
            opened: false,
            held: Vec::new(),
        }
    }

    fn width(&self, file: &str) -> usize {
        self.files
            .iter()
            .find(|(f, _)| f == file)
            .map_or(0, |&(_, w)| w)
    }

    fn open_file(&mut self) -> io::Result<()> {
        if !self.opened
            && let Some(f) = &self.current
        {
            writeln!(self.out, "{}", printable(f).bold())?;
            self.opened = true;
        }
        Ok(())
    }

    fn close_file(&mut self) -> io::Result<()> {
        let held = std::mem::take(&mut self.held);
        if !held.is_empty() {
            self.open_file()?;
            let width = id_width(held.iter().map(|c| c.id.as_str()));
            for c in &held {
                claim(&mut self.out, c, self.detail, width)?;
            }
        }
        if self.opened {
            writeln!(self.out)?;
        }
        self.opened = false;
        Ok(())
    }
}

impl Reporter for HumanReporter<'_> {
    fn begin(&mut self, run: &Run) -> io::Result<()> {
        self.files = run.files.clone();
        self.notes = run.notes.iter().map(|n| n.message.clone()).collect();
        self.started = run.started;
        self.reused = std::rc::Rc::clone(&run.reused);
        self.skipped = run.skipped.clone();
        Ok(())
    }

    fn claim(&mut self, c: &ClaimRecord) -> io::Result<()> {
        if self.current.as_deref() != Some(c.file.as_str()) {
            self.close_file()?;
            self.current = Some(c.file.clone());
        }
        match self.detail {
            Detail::Quiet if c.fails() => self.held.push(c.clone()),
            Detail::Quiet => {}
            _ => {
                self.open_file()?;
                let width = self.width(&c.file);
                claim(&mut self.out, c, self.detail, width)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.close_file()?;
        for n in &self.notes {
            writeln!(self.out, "{} {}", "note:".bold(), printable(n))?;
        }
        let elapsed = self.started.map(|s| s.elapsed());
        let reused = match self.reused.get() {
            0 => String::new(),
            n => format!(", {n} from the cache"),
        };
        let time = elapsed.map_or(String::new(), |e| {
            format!(" ({:.2}s{reused})", e.as_secs_f64())
        });
        writeln!(self.out, "{}{time}", summary_line(summary))?;
        if let Some(line) = super::text::not_checked(&self.skipped) {
            writeln!(self.out, "{}", line.yellow())?;
        }
        self.out.flush()
    }
}

fn claim(out: &mut dyn Write, c: &ClaimRecord, detail: Detail, id_width: usize) -> io::Result<()> {
    let id = format!("{:<id_width$}", printable(&c.id));
    let (mark, word) = match c.verdict {
        Verdict::Exact => ("✓".green().bold(), "exact".green()),
        Verdict::Approximate => ("~".yellow().bold(), "approximate".yellow()),
        Verdict::Missing => ("✗".red().bold(), "missing".red()),
    };
    let best = c.best();
    let loc = match (c.verdict, best) {
        (_, None) => "no version of the source was checked".to_string(),
        (Verdict::Missing, Some(b)) if b.passage.is_some() => format!("closest: {}", b.location()),
        (Verdict::Missing, _) => "no passage shares a word with the claim".to_string(),
        (_, Some(b)) => b.location(),
    };
    let score = best.map_or(0.0, |b| b.score);
    write!(
        out,
        "  {mark} {word:<11} {id}  {score:.2}  {}",
        printable(&loc).cyan()
    )?;
    if c.baselined {
        let known = format!("BASELINED: expected {}", c.expect);
        write!(out, "  {}", known.yellow())?;
    } else if !c.passed {
        let failed = format!("FAILED: expected {}", c.expect);
        write!(out, "  {}", failed.red().bold())?;
    }
    // The claim's own place, for a terminal or an editor to open.
    let at = format!("{}:{}", printable(&c.file), c.line);
    writeln!(out, "  {}", at.dimmed())?;
    if let Some(best) = best {
        match c.kind {
            ClaimKind::Fact => fact_details(out, best)?,
            ClaimKind::Quote => quote_details(out, c, best, detail)?,
        }
    }
    notes(out, c)
}

/// A quote's differences and suggestion, or its closest passage.
fn quote_details(
    out: &mut dyn Write,
    c: &ClaimRecord,
    best: &VersionRecord,
    detail: Detail,
) -> io::Result<()> {
    match c.verdict {
        Verdict::Approximate => {
            for d in &best.differences {
                let line = describe(d);
                let line = if d.changes_meaning {
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
        && c.verdict != Verdict::Missing
        && let Some(p) = &best.passage
    {
        writeln!(out, "      {}", quoted(p).dimmed())?;
    }
    Ok(())
}

/// A claim's notes, red when it falls short.
fn notes(out: &mut dyn Write, c: &ClaimRecord) -> io::Result<()> {
    for n in &c.notes {
        let line = format!("note: {}", printable(n));
        let line = if c.fails() { line.red() } else { line.normal() };
        writeln!(out, "      {line}")?;
    }
    Ok(())
}

/// A fact's conflicts, its key terms not found, and the passage with its terms highlighted.
fn fact_details(out: &mut dyn Write, best: &VersionRecord) -> io::Result<()> {
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
    let unfound = best
        .keys
        .iter()
        .filter(|k| !k.found && !conflicting.contains(&k.term.as_str()));
    for k in unfound {
        let line = format!("not in the passage: {}", quoted(&k.term));
        writeln!(out, "      {}", line.yellow())?;
    }
    if let Some(p) = &best.passage {
        let marks: Vec<Range<usize>> = best.marks.iter().map(|&(a, b)| a..b).collect();
        writeln!(out, "      {}", highlighted(p, &marks))?;
    }
    Ok(())
}

/// A passage, dimmed, with `marks` (byte ranges of it) standing out. Ranges that are out of
/// order or not on character boundaries are left unmarked.
pub fn highlighted(passage: &str, marks: &[Range<usize>]) -> String {
    let mut out = "\u{201c}".dimmed().to_string();
    let mut at = 0;
    for m in marks {
        let (Some(before), Some(marked)) = (passage.get(at..m.start), passage.get(m.clone()))
        else {
            continue;
        };
        out.push_str(&printable(before).dimmed().to_string());
        out.push_str(&printable(marked).bold().underline().to_string());
        at = m.end;
    }
    let rest = passage.get(at..).unwrap_or_default();
    out.push_str(&printable(rest).dimmed().to_string());
    out.push_str(&"\u{201d}".dimmed().to_string());
    out
}

/// The summary line.
fn summary_line(s: &Summary) -> String {
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
    let baselined = match s.baselined {
        0 => String::new(),
        n => format!(", {}", format!("{n} baselined").yellow()),
    };
    format!(
        "{} {noun}: {}; {failed}{baselined}",
        s.claims,
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use crate::report::fixture::render;
    use crate::report::{Detail, ReportFormat};

    #[test]
    fn each_verdict_with_its_evidence() {
        colored::control::set_override(false);
        let text = render(ReportFormat::Human, Detail::Normal);
        assert_eq!(
            text,
            "claims/a.yaml\n\
             \x20 ✓ exact       exact   1.00  claims/sources/a.txt:2:5  claims/a.yaml:7\n\
             \x20 ~ approximate approx  0.90  claims/sources/a.txt:2:5  FAILED: expected exact  claims/a.yaml:7\n\
             \x20     spelling: quote has “quik” where the source has “quick”\n\
             \x20     suggestion: “the quick brown fox”\n\
             \x20     note: expected exact, found approximate\n\
             \x20 ~ approximate fact    0.75  claims/sources/a.txt:2:5  claims/a.yaml:7\n\
             \x20     conflict (percent): the claim says “81%”, the source says “71 percent” (changes the meaning)\n\
             \x20     “a 71 percent chance”\n\
             \x20 ✗ missing     gone    0.00  no passage shares a word with the claim  claims/a.yaml:7\n\
             \n\
             note: a run note\n\
             4 claims: 1 exact, 2 approximate, 1 missing; 1 failed\n"
        );
    }

    #[test]
    fn quiet_shows_only_what_falls_short() {
        colored::control::set_override(false);
        let text = render(ReportFormat::Human, Detail::Quiet);
        assert!(text.starts_with("claims/a.yaml\n  ~ approximate approx  0.90"));
        assert!(!text.contains("gone"));
    }
}
