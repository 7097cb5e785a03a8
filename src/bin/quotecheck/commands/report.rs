//! The reports of one run: the `--format` report on standard output, each `--output` report
//! in its file, and GitHub's step summary when the github format runs under Actions.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use std::cell::Cell;
use std::rc::Rc;

use quotecheck::report::{
    self, Baseline, BaselineWriter, ClaimRecord, Detail, ErrorRecord, Fanout, Reporter, Run,
    Summary,
};
use quotecheck::{Diagnostic, ReportFormat, Severity, Verdict};

use crate::args::{FailOn, Format, Output, PolicyArgs};
use crate::{ExitStatus, Failure, Outcome};

/// Every reporter of the run, the files they write opened first, so that a file that cannot
/// be written stops the run before anything is checked. With `progress` (the claims to
/// check), the human report on a terminal has a progress bar beside it.
pub fn reporters(
    format: Format,
    detail: Detail,
    outputs: &[Output],
    progress: Option<usize>,
) -> Result<Vec<Box<dyn Reporter>>, Failure> {
    let format = ReportFormat::from(format);
    let shown = match progress {
        Some(total) if format == ReportFormat::Human && detail != Detail::Quiet => {
            let held = super::progress::Held::default();
            let report = report::reporter(format, Box::new(held.clone()), detail);
            let out = crate::report_out(format);
            Box::new(super::progress::WithProgress::new(report, held, out, total))
        }
        _ => report::reporter(format, crate::report_out(format), detail),
    };
    let mut all: Vec<Box<dyn Reporter>> = vec![shown];
    for o in outputs {
        let file = File::create(&o.path).map_err(|e| cannot_write(&o.path, &e))?;
        // A file holds the whole report: people reading it later want every claim.
        let detail = if o.format == Format::Human {
            Detail::Normal
        } else {
            detail
        };
        let out: Box<dyn Write> = Box::new(BufWriter::new(file));
        all.push(report::reporter(ReportFormat::from(o.format), out, detail));
    }
    let github =
        format == ReportFormat::Github || outputs.iter().any(|o| o.format == Format::Github);
    // GitHub shows ten annotations of each level per step: the summary table shows them all.
    if github && let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY") {
        let path = Path::new(&summary);
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| cannot_write(path, &e))?;
        let out: Box<dyn Write> = Box::new(BufWriter::new(file));
        all.push(report::reporter(ReportFormat::Markdown, out, detail));
    }
    Ok(all)
}

fn cannot_write(path: &Path, e: &io::Error) -> Failure {
    Failure::Input(
        vec![
            Diagnostic::error(format!("cannot write the report: {e}"))
                .in_file(path)
                .help("name a file in a directory that exists and is writable"),
        ],
        "nothing was checked",
    )
}

/// For a machine format, a failure is still a document on standard output: JSON with the
/// errors (`{"version": 1, "errors": [...], "claims": [], ...}`), so that a wrapper reading
/// it never sees an empty stream. The message also goes to standard error, as always.
pub fn failing(format: Format, outcome: Outcome) -> Outcome {
    let Err(failure) = &outcome else {
        return outcome;
    };
    if !matches!(format, Format::Json | Format::Jsonl) {
        return outcome;
    }
    let errors: Vec<ErrorRecord> = match failure {
        Failure::Input(diags, _) => diags
            .iter()
            .map(|d| ErrorRecord {
                message: d.message.clone(),
                help: d.help.clone(),
                file: d.location.as_ref().map(|l| report::shown_path(&l.path)),
                line: d.location.as_ref().and_then(|l| l.line),
                column: d.location.as_ref().and_then(|l| l.column),
            })
            .collect(),
        Failure::Message(m) => vec![ErrorRecord {
            message: m.clone(),
            help: None,
            file: None,
            line: None,
            column: None,
        }],
    };
    // The report's own shape (`quotecheck schema report`), with no claims.
    let doc = serde_json::json!({
        "version": report::SCHEMA_VERSION,
        "notes": [],
        "findings": [],
        "skipped": [],
        "claims": [],
        "summary": report::Summary::default(),
        "errors": errors,
    });
    let mut out = crate::raw_stdout();
    let line = if format == Format::Jsonl {
        serde_json::json!({"type": "errors", "errors": doc["errors"]}).to_string()
    } else {
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    };
    // The failure is reported as it is whether or not this could be written.
    let line = report::json_safe(&line);
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
    outcome
}

/// Decides the exit code from the claims as they are reported: `--fail-on`,
/// `--fail-on-stale`, `--fail-on-warning`, `--exit-zero`.
pub struct Policy {
    args: PolicyArgs,
    failed: Rc<Cell<bool>>,
}

impl Policy {
    /// The policy of `args`, and where it says whether the run failed.
    pub fn new(args: &PolicyArgs) -> (Policy, Rc<Cell<bool>>) {
        let failed = Rc::new(Cell::new(false));
        let policy = Policy {
            args: args.clone(),
            failed: Rc::clone(&failed),
        };
        (policy, failed)
    }

    fn fails(&self, c: &ClaimRecord) -> bool {
        if self.args.exit_zero {
            return false;
        }
        let short = c.fails()
            && match self.args.fail_on.unwrap_or(FailOn::Approximate) {
                FailOn::Approximate => true,
                FailOn::Missing => c.verdict == Verdict::Missing,
                FailOn::Never => false,
            };
        let stale =
            self.args.fail_on_stale && c.findings.iter().any(|n| n.code == "stale-expectation");
        let warned =
            self.args.fail_on_warning && c.findings.iter().any(|n| n.severity == Severity::Warning);
        short || stale || warned
    }
}

impl Reporter for Policy {
    fn begin(&mut self, run: &Run) -> io::Result<()> {
        let warned = run.notes.iter().any(|n| n.severity == Severity::Warning);
        if self.args.fail_on_warning && warned && !self.args.exit_zero {
            self.failed.set(true);
        }
        Ok(())
    }

    fn claim(&mut self, c: &ClaimRecord) -> io::Result<()> {
        if self.fails(c) {
            self.failed.set(true);
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// The reporters with the policy beside them; the exit status once they are done.
pub fn with_policy(
    mut reporters: Vec<Box<dyn Reporter>>,
    args: &PolicyArgs,
) -> (Box<dyn Reporter>, impl Fn() -> ExitStatus) {
    let (policy, failed) = Policy::new(args);
    reporters.push(Box::new(policy));
    let all: Box<dyn Reporter> = Box::new(Fanout(reporters));
    (all, move || {
        if failed.get() {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        }
    })
}

/// `--baseline` and `--write-baseline`: each record marked if the baseline knows it, and
/// the new baseline collected, before any reporter sees it.
pub struct Ratchet {
    known: Option<Baseline>,
    writer: Option<(std::path::PathBuf, BaselineWriter)>,
}

impl Ratchet {
    /// The baseline of `args`, read now, so that a bad one stops the run before any work.
    pub fn new(args: &PolicyArgs) -> Result<Ratchet, Failure> {
        let not_done = "nothing was checked";
        let known = match &args.baseline {
            None => None,
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|e| {
                    Failure::Input(
                        vec![
                            Diagnostic::error(format!("cannot read the baseline: {e}"))
                                .in_file(path)
                                .help("write one with `quotecheck check --write-baseline FILE`"),
                        ],
                        not_done,
                    )
                })?;
                Some(Baseline::parse(path, &bytes).map_err(|e| Failure::of(e, not_done))?)
            }
        };
        let writer = args
            .write_baseline
            .clone()
            .map(|p| (p, BaselineWriter::default()));
        Ok(Ratchet { known, writer })
    }

    /// `c` as the reports show it: baselined if the baseline knows it, or if this run writes
    /// the baseline (then every claim that falls short is in it).
    pub fn record(&mut self, mut c: ClaimRecord) -> ClaimRecord {
        if let Some(known) = &self.known {
            known.apply(&mut c);
        }
        if let Some((_, writer)) = &mut self.writer {
            writer.add(&c);
            c.baselined = !c.passed;
        }
        c
    }

    /// Write the baseline, if asked to; says how many claims it holds on standard error.
    pub fn finish(self) -> Result<(), Failure> {
        let Some((path, writer)) = self.writer else {
            return Ok(());
        };
        quotecheck::authoring::write_atomically(&path, &writer.to_json()).map_err(|e| {
            Failure::Message(format!(
                "error: cannot write the baseline {}: {e}",
                report::shown_path(&path)
            ))
        })?;
        let n = writer.len();
        let (s, fall) = if n == 1 { ("", "falls") } else { ("s", "fall") };
        eprintln!(
            "wrote {}: {n} claim{s} that {fall} short",
            report::shown_path(&path)
        );
        Ok(())
    }
}
