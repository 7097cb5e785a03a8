//! The command line: argument parsing and exit codes over the library.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::check::{self, CheckOptions};
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
  quotecheck check --format json       machine-readable report for CI";

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
    }
}

fn print_diagnostics(diags: &[Diagnostic]) -> ExitCode {
    let mut err = anstream::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
    let n = diags.len();
    let _ = writeln!(
        err,
        "{n} error{} found; nothing was checked",
        if n == 1 { "" } else { "s" }
    );
    ExitCode::from(2)
}

fn run_check(args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    let files = match check::collect_files(&args.paths) {
        Ok(f) => f,
        Err(d) => return print_diagnostics(&d),
    };
    let (claims_files, corpus) = match check::load(&files) {
        Ok(x) => x,
        Err(d) => return print_diagnostics(&d),
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
        },
    );
    let summary = Summary::of(&results.files);
    let written = match args.format {
        Format::Json => {
            let mut out = io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &report::json(&results))
                .map_err(io::Error::from)
                .and_then(|()| writeln!(out))
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
