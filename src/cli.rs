//! The command line: argument parsing and exit codes over the library.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::check::{self, CheckOptions, Shard};
use crate::diagnostic::Diagnostic;
use crate::report::{self, Detail, Summary};

const AFTER_HELP: &str = "\
Exit codes:
  0  every claim passes (its verdict is at least as good as its `expect`)
  1  some claim falls short
  2  error: a bad claims file, a missing source, bad arguments

Examples:
  quotecheck check                     check every claims file under claims/
  quotecheck check claims/story.yaml   check one file
  quotecheck check -q                  show only the claims that fall short
  quotecheck check --format json       machine-readable report for CI
  quotecheck check --shard 2/4 --format json > part2.json
                                       one of four CI jobs; then
  quotecheck merge part*.json          the whole report and exit code";

/// Check quotations against their source documents.
///
/// Claims live in YAML files (see README.md); each quote is looked up in every version of its
/// source with a fuzzy matcher and reported as exact, approximate or missing.
#[derive(Debug, Parser)]
#[command(name = "quotecheck", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    color: colorchoice_clap::Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check claims files against their sources and report every verdict.
    #[command(after_help = AFTER_HELP)]
    Check(CheckArgs),
    /// Combine the JSON reports of `check --shard I/N` runs into one report, with the usual
    /// exit code. Every shard of the set must be there exactly once.
    #[command(after_help = AFTER_HELP)]
    Merge(MergeArgs),
}

#[derive(Debug, clap::Args)]
struct MergeArgs {
    /// JSON reports written by `quotecheck check --format json` (with `--shard I/N`).
    #[arg(required = true)]
    reports: Vec<PathBuf>,
    /// Report format: `human` (the claims that fall short and the summary) or `json` (one
    /// document, as `check` writes it).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Claims files, or directories searched recursively for *.yaml and *.yml.
    #[arg(default_value = "claims")]
    paths: Vec<PathBuf>,
    /// Report format: `human` (colored on a terminal) or `json` (one document, never colored).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Show only the claims that fall short, plus the summary.
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// Also show the matching passage of every claim.
    #[arg(short, long)]
    verbose: bool,
    /// Lowest score (1 - distance/length) that counts as approximate; overrides the files'
    /// `settings.threshold` [default: 0.8].
    #[arg(long, value_parser = parse_threshold)]
    threshold: Option<f64>,
    /// Exact also requires the source's case and punctuation (quote marks and whitespace stay
    /// free), and a quote whose speaker (`by:`) is not named near it fails. Same as
    /// `settings: strict: true`.
    #[arg(long)]
    strict: bool,
    /// Fail a claim whose passage occurs more than once in its source.
    #[arg(long)]
    fail_on_ambiguous: bool,
    /// Most source words an ellipsis may stand for; overrides `settings.ellipsis_gap`
    /// [default: 150].
    #[arg(long, value_name = "WORDS")]
    ellipsis_gap: Option<usize>,
    /// Words in a passage that may support a fact; overrides `settings.fact_window`
    /// [default: 60].
    #[arg(long, value_name = "WORDS")]
    fact_window: Option<usize>,
    /// Align every quote against the whole of every source, however large, so that any
    /// passage within the threshold is found. Slower; sources of up to a million characters
    /// are searched completely anyway.
    #[arg(long)]
    exhaustive: bool,
    /// Check only shard INDEX of COUNT (e.g. 2/4): a fixed share of the claims, chosen by a
    /// hash of each claim's file and id. Combine the shards' JSON reports with `merge`.
    #[arg(long, value_name = "INDEX/COUNT")]
    shard: Option<Shard>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn parse_threshold(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(t) if t > 0.0 && t <= 1.0 => Ok(t),
        _ => Err(format!(
            "`{s}` is not a number above 0 and at most 1 (e.g. 0.8)"
        )),
    }
}

/// Run the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.color.write_global();
    // Styling is always produced; anstream strips it where colour is not wanted.
    colored::control::set_override(true);
    match cli.command {
        Command::Check(args) => run_check(args),
        Command::Merge(args) => run_merge(args),
    }
}

fn print_diagnostics(diags: &[Diagnostic], outcome: &str) -> ExitCode {
    let mut err = anstream::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
    let n = diags.len();
    let _ = writeln!(
        err,
        "{n} error{} found; {outcome}",
        if n == 1 { "" } else { "s" }
    );
    ExitCode::from(2)
}

fn run_check(args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    let files = match check::collect_files(&args.paths) {
        Ok(f) => f,
        Err(d) => return print_diagnostics(&d, "nothing was checked"),
    };
    let (claims_files, corpus) = match check::load(&files) {
        Ok(x) => x,
        Err(d) => return print_diagnostics(&d, "nothing was checked"),
    };
    let results = check::check(
        &claims_files,
        &corpus,
        CheckOptions {
            threshold: args.threshold,
            strict: args.strict,
            fail_on_ambiguous: args.fail_on_ambiguous,
            ellipsis_gap: args.ellipsis_gap,
            fact_window: args.fact_window,
            exhaustive: args.exhaustive,
            shard: args.shard,
        },
    );
    let summary = Summary::of(&results.files);
    let written = match args.format {
        Format::Json => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            report::write_json(&mut out, &results).and_then(|()| out.flush())
        }
        Format::Human => {
            let detail = if args.quiet {
                Detail::Quiet
            } else if args.verbose {
                Detail::Verbose
            } else {
                Detail::Normal
            };
            let mut out = anstream::stdout().lock();
            report::human(&mut out, &results, detail, started.elapsed())
        }
    };
    finish(written, &summary)
}

/// The exit code once the report is written: 2 if it could not be (a closed pipe is not an
/// error), else 1 when a claim falls short.
fn finish(written: io::Result<()>, summary: &Summary) -> ExitCode {
    if let Err(e) = written
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the report: {e}");
        return ExitCode::from(2);
    }
    if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_merge(args: MergeArgs) -> ExitCode {
    let mut errs = Vec::new();
    let mut claims: Vec<serde_json::Value> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut shards: Vec<(usize, usize, &PathBuf)> = Vec::new();
    for path in &args.reports {
        let doc: serde_json::Value = match std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
        {
            Ok(d) => d,
            Err(e) => {
                errs.push(
                    Diagnostic::new(path, 0, 0, format!("cannot read this report: {e}"))
                        .help("pass the files written by `quotecheck check --format json`"),
                );
                continue;
            }
        };
        if doc["version"] != 1 {
            errs.push(
                Diagnostic::new(
                    path,
                    0,
                    0,
                    format!("report version {} is not 1", doc["version"]),
                )
                .help("merge reports written by the same quotecheck release"),
            );
            continue;
        }
        if let (Some(i), Some(n)) = (
            doc["shard"]["index"].as_u64(),
            doc["shard"]["count"].as_u64(),
        ) {
            shards.push((i as usize, n as usize, path));
        }
        for n in doc["notes"].as_array().into_iter().flatten() {
            if let Some(n) = n.as_str().filter(|n| !notes.iter().any(|x| x == n)) {
                notes.push(n.to_string());
            }
        }
        claims.extend(doc["claims"].as_array().cloned().unwrap_or_default());
    }
    // A sharded set must be complete: every index of the same count, once each.
    if let Some(&(_, count, _)) = shards.first() {
        let mut seen = vec![None; count];
        for &(i, n, p) in &shards {
            if n != count || i == 0 || i > n {
                errs.push(Diagnostic::new(
                    p,
                    0,
                    0,
                    format!("shard {i}/{n} does not belong to a set of {count}"),
                ));
            } else if let Some(first) = seen[i - 1].replace(p) {
                errs.push(Diagnostic::new(
                    p,
                    0,
                    0,
                    format!("shard {i}/{n} again (also in {})", first.display()),
                ));
            }
        }
        let missing: Vec<String> = (1..=count)
            .filter(|i| seen[i - 1].is_none())
            .map(|i| format!("{i}/{count}"))
            .collect();
        if !missing.is_empty() {
            errs.push(
                Diagnostic::new(args.reports[0].as_path(), 0, 0, format!("shards missing: {}", missing.join(", ")))
                    .help("merge the reports of every shard, or the result would pass claims nobody checked"),
            );
        }
    }
    if !errs.is_empty() {
        return print_diagnostics(&errs, "nothing was merged");
    }
    let summary = Summary::of_json(&claims);
    let written = match args.format {
        Format::Json => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            report::write_document(&mut out, &notes, None, claims.into_iter(), &summary)
                .and_then(|()| out.flush())
        }
        Format::Human => {
            let mut out = anstream::stdout().lock();
            report::human_failures(&mut out, &claims, &summary)
        }
    };
    finish(written, &summary)
}
