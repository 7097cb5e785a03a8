//! The arguments: clap structs, and the settings and formats they stand for.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use quotecheck::{ReportFormat, Settings, Shard, Verdict, report::Detail};

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
  quotecheck check --format github --output junit=quotecheck.xml
                                       annotations in a GitHub job, JUnit for its test tab
  quotecheck check --changed-since origin/main
                                       only what a pull request touches
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
    pub color: colorchoice_clap::Color,
    /// Read this configuration file instead of the quotecheck.toml (or pyproject.toml with
    /// [tool.quotecheck]) found from the working directory up to the repository root.
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Read no configuration file: defaults, claims files and flags only.
    #[arg(long, global = true)]
    pub isolated: bool,
    /// Let claims files name files outside the project root (the quotecheck.toml directory,
    /// else the repository, else the claims file's directory), symlinks followed. Off by
    /// default, so that a pull request cannot make a report show a file from elsewhere.
    #[arg(long, global = true)]
    pub allow_outside_root: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check claims files against their sources and report every verdict.
    #[command(after_help = AFTER_HELP)]
    Check(CheckArgs),
    /// Combine the JSON reports of `check --shard I/N` runs into one report, with the usual
    /// exit code. Every shard of the set must be there exactly once.
    #[command(after_help = AFTER_HELP)]
    Merge(MergeArgs),
    /// Add a claim to a claims file: checks it against its source first, then appends it
    /// without touching a byte of what is there.
    #[command(after_help = ADD_HELP)]
    Add(AddArgs),
    /// Find where a source says something: the closest passages in every version, with
    /// scores, `path:line:col` and context.
    Find(FindArgs),
    /// Find every quotation in a draft (markdown or text) and its speaker; print them as
    /// claims YAML, or append them to a claims file. Then `check` verifies the draft.
    Extract(ExtractArgs),
    /// Start a claims folder: `claims/example.yaml` and `claims/sources/`. Never overwrites.
    Init(InitArgs),
    /// Check claims files and their source paths without matching anything (fast enough for
    /// a pre-commit hook); every problem is reported, each at its `file:line:col`.
    Validate(ValidateArgs),
    /// Print a shell completion script: `quotecheck completions bash > /etc/bash_completion.d/quotecheck`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `quotecheck man > quotecheck.1`.
    Man,
    /// Remove the results cache (`.quotecheck_cache`, or the one `--cache-dir` names).
    Clean(CleanArgs),
    /// Print a JSON Schema: `report` (what `--format json` writes) or `claims` (claims files;
    /// put `# yaml-language-server: $schema=claims.schema.json` on a claims file's first line
    /// and editors complete and check it).
    Schema(SchemaArgs),
}

#[derive(Debug, clap::Args)]
pub struct CleanArgs {
    /// The cache to remove [default: the one `check` uses].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which schema.
    #[arg(value_enum)]
    pub which: SchemaKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    Report,
    Claims,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

const ADD_HELP: &str = "\
Examples:
  quotecheck add claims/story.yaml --quote \"I'll ask around\" --by \"Donald Trump Jr.\"
  quotecheck add --fact \"FiveThirtyEight gave Clinton a 71 percent chance\" --source atlantic
  pbpaste | quotecheck add claims/story.yaml --from-stdin --id ask-around

A quote that comes out missing is refused unless --expect missing (a known fabrication you
want to keep track of) or --force. Exit codes: 0 added, 1 refused, 2 error.";

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The claims file [default: the only *.yaml file under claims/].
    pub file: Option<PathBuf>,
    /// The exact words quoted.
    #[arg(long, conflicts_with_all = ["fact", "from_stdin"])]
    pub quote: Option<String>,
    /// A statement of fact, in your own words.
    #[arg(long, conflicts_with = "from_stdin")]
    pub fact: Option<String>,
    /// Read the quote from standard input.
    #[arg(long)]
    pub from_stdin: bool,
    /// The source it quotes (needed when the file has several).
    #[arg(long)]
    pub source: Option<String>,
    /// Who is quoted.
    #[arg(long)]
    pub by: Option<String>,
    /// The claim's id [default: made from its first words].
    #[arg(long)]
    pub id: Option<String>,
    /// The expected verdict: exact, approximate or missing.
    #[arg(long, value_parser = ["exact", "approximate", "missing"])]
    pub expect: Option<String>,
    /// A note kept with the claim.
    #[arg(long)]
    pub note: Option<String>,
    /// Add it even if it is not found in the source.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct FindArgs {
    /// A source declared in the claims files under claims/, or a file to search.
    pub source: String,
    /// What to look for.
    pub text: String,
    /// How many passages per version.
    #[arg(short = 'n', long, default_value_t = 5)]
    pub count: usize,
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// The draft article.
    pub draft: PathBuf,
    /// The source the quotations come from (written into each claim).
    #[arg(long)]
    pub source: Option<String>,
    /// Append the claims to this claims file (as `add` does) instead of printing them.
    #[arg(long, value_name = "FILE")]
    pub append: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to create `claims/`.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Claims files, or directories searched recursively for *.yaml and *.yml [default: the
    /// configuration's `claims`, else claims/].
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// JSON reports written by `quotecheck check --format json` (with `--shard I/N`).
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,
    /// Report format on standard output (human: the claims that fall short and the summary)
    /// [default: human].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Also write a report in FORMAT to FILE (repeatable): `--output junit=report.xml`.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_output)]
    pub output: Vec<Output>,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Claims files, or directories searched recursively for *.yaml and *.yml [default: the
    /// configuration's `claims`, else claims/].
    pub paths: Vec<PathBuf>,
    /// Report format on standard output [default: human]. Only `human` is ever colored.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Also write a report in FORMAT to FILE (repeatable), e.g. `--output junit=report.xml
    /// --output markdown=summary.md`; the terminal keeps the `--format` report.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_output)]
    pub output: Vec<Output>,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Show only the claims that fall short, plus the summary.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Never show the progress bar (shown on a terminal, for the human report, when a run
    /// takes over a second).
    #[arg(long)]
    pub no_progress: bool,
    /// Also show the matching passage of every claim.
    #[arg(short, long)]
    pub verbose: bool,
    /// Lowest score (1 - distance/length) that counts as approximate; overrides the files'
    /// `settings.threshold` [default: 0.8].
    #[arg(long, value_parser = parse_threshold)]
    pub threshold: Option<f64>,
    /// Exact also requires the source's case and punctuation (quote marks and whitespace stay
    /// free), and a quote whose speaker (`by:`) is not named near it fails. Same as
    /// `settings: strict: true`.
    #[arg(long)]
    pub strict: bool,
    /// Fail a claim whose passage occurs more than once in its source.
    #[arg(long)]
    pub fail_on_ambiguous: bool,
    /// Most source words an ellipsis may stand for; overrides `settings.ellipsis_gap`
    /// [default: 150].
    #[arg(long, value_name = "WORDS", value_parser = words("ellipsis_gap"))]
    pub ellipsis_gap: Option<usize>,
    /// Words in a passage that may support a fact; overrides `settings.fact_window`
    /// [default: 60].
    #[arg(long, value_name = "WORDS", value_parser = words("fact_window"))]
    pub fact_window: Option<usize>,
    /// Align every quote against the whole of every source, however large, so that any
    /// passage within the threshold is found. Slower; sources of up to a million characters
    /// are searched completely anyway.
    #[arg(long)]
    pub exhaustive: bool,
    /// Check only shard INDEX of COUNT (e.g. 2/4): a fixed share of the claims, chosen by a
    /// hash of each claim's file and id. Combine the shards' JSON reports with `merge`.
    #[arg(long, value_name = "INDEX/COUNT")]
    pub shard: Option<Shard>,
    /// Check only the claims with these ids (repeatable, or comma-separated). The summary
    /// counts the others as not checked.
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Check only the claims of these sources (repeatable, or comma-separated).
    #[arg(long = "source", value_name = "NAME", value_delimiter = ',')]
    pub sources: Vec<String>,
    /// Check only the claims in claims files changed since git revision REV, and those whose
    /// source files changed (changes not yet committed and new files included).
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Check every claim again, neither reading nor writing the results cache.
    #[arg(long)]
    pub no_cache: bool,
    /// The results cache [default: `.quotecheck_cache` beside quotecheck.toml, else in the
    /// repository root]. A claim is checked again only when it, its settings, its sources or
    /// quotecheck changed.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: colored on a terminal, a line per claim, differences under it.
    Human,
    /// One JSON document (schema v1).
    Json,
    /// JSON Lines: each claim as it is decided, then a summary line.
    Jsonl,
    /// GitHub Actions annotations at each failing claim's line.
    Github,
    /// JUnit XML: a test suite per claims file, a test case per claim.
    Junit,
    /// A Markdown table of the claims that fall short (for a pull-request comment).
    Markdown,
    /// SARIF 2.1.0: a result per claim that falls short, for code-scanning dashboards.
    Sarif,
}

/// When the run fails (exit 1).
#[derive(Debug, Clone, clap::Args)]
pub struct PolicyArgs {
    /// Which claims that fall short of their `expect` fail the run: `approximate` (any: a
    /// misquote fails), `missing` (only those not found at all), or `never` [default:
    /// approximate].
    #[arg(long, value_enum, value_name = "VERDICT")]
    pub fail_on: Option<FailOn>,
    /// Also fail on a stale expectation (a verdict better than `expect`: update the file).
    #[arg(long)]
    pub fail_on_stale: bool,
    /// Also fail on any warning (an ambiguous passage, an attribution not found, an ellipsis
    /// problem, a stale expectation, a claims file without claims...).
    #[arg(long)]
    pub fail_on_warning: bool,
    /// Exit 0 even when claims fail (errors still exit 2): report without gating.
    #[arg(long, conflicts_with_all = ["fail_on_stale", "fail_on_warning"])]
    pub exit_zero: bool,
    /// Fail only on claims that are not in this baseline, or changed since it was written
    /// (their words, file, id or source text): the ones it knows are reported as baselined.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every claim that falls short today to FILE as a baseline (and pass: they are
    /// all in it). Commit it; later runs with `--baseline FILE` fail only on new problems.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Approximate,
    Missing,
    Never,
}

/// `--output FORMAT=FILE`: a report written to a file beside the one on the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub format: Format,
    pub path: PathBuf,
}

pub fn parse_output(s: &str) -> Result<Output, String> {
    let (format, path) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not FORMAT=FILE (e.g. junit=report.xml)"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        format!(
            "`{format}` is not a format: use json, jsonl, github, junit, sarif, markdown or human"
        )
    })?;
    if path.is_empty() {
        return Err(format!("`{s}` names no file after `=`"));
    }
    Ok(Output {
        format,
        path: PathBuf::from(path),
    })
}

/// A count of words for setting `key`, in range.
fn words(key: &'static str) -> impl Fn(&str) -> Result<usize, String> + Clone {
    move |s: &str| {
        let n: usize = s
            .parse()
            .map_err(|_| format!("`{s}` is not a number of words"))?;
        quotecheck::check_words(key, n)
            .map(|()| n)
            .map_err(|e| format!("{}: {}", e.message, e.help))
    }
}

fn parse_threshold(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(t) if t > 0.0 && t <= 1.0 => Ok(t),
        _ => Err(format!(
            "`{s}` is not a number above 0 and at most 1 (e.g. 0.8)"
        )),
    }
}

impl From<Format> for ReportFormat {
    fn from(f: Format) -> ReportFormat {
        match f {
            Format::Human => ReportFormat::Human,
            Format::Json => ReportFormat::Json,
            Format::Jsonl => ReportFormat::Jsonl,
            Format::Github => ReportFormat::Github,
            Format::Junit => ReportFormat::Junit,
            Format::Markdown => ReportFormat::Markdown,
            Format::Sarif => ReportFormat::Sarif,
        }
    }
}

impl CheckArgs {
    /// These arguments over the project's configuration: a flag given wins, the
    /// configuration fills in the rest.
    pub fn configured(mut self, config: &crate::config::Config) -> CheckArgs {
        if self.paths.is_empty() {
            self.paths = config.claims.clone();
        }
        self.format = self.format.or(config.format);
        if self.output.is_empty() {
            self.output = config.outputs.clone();
        }
        self.policy = self.policy.configured(config);
        self
    }

    /// The `--format` report's format.
    pub fn format(&self) -> Format {
        self.format.unwrap_or(Format::Human)
    }

    /// The settings the flags give: only those given, so that a file's own settings stay
    /// where no flag overrides them.
    pub fn settings(&self) -> Settings {
        let on = |flag: bool| flag.then_some(true);
        Settings {
            threshold: self.threshold,
            strict: on(self.strict),
            fail_on_ambiguous: on(self.fail_on_ambiguous),
            ellipsis_gap: self.ellipsis_gap,
            fact_window: self.fact_window,
            exhaustive: on(self.exhaustive),
        }
    }

    /// How much of each claim the human report shows.
    pub fn detail(&self) -> Detail {
        if self.quiet {
            Detail::Quiet
        } else if self.verbose {
            Detail::Verbose
        } else {
            Detail::Normal
        }
    }
}

impl MergeArgs {
    /// These arguments over the project's configuration.
    pub fn configured(mut self, config: &crate::config::Config) -> MergeArgs {
        self.format = self.format.or(config.format);
        if self.output.is_empty() {
            self.output = config.outputs.clone();
        }
        self.policy = self.policy.configured(config);
        self
    }
}

impl PolicyArgs {
    /// The policy over the project's configuration.
    fn configured(mut self, config: &crate::config::Config) -> PolicyArgs {
        self.fail_on = self.fail_on.or(config.fail_on);
        self.fail_on_stale |= config.fail_on_stale;
        self.fail_on_warning |= config.fail_on_warning;
        self.exit_zero |= config.exit_zero;
        if self.baseline.is_none() {
            self.baseline = config.baseline.clone();
        }
        self
    }
}

impl AddArgs {
    /// The `--expect` given.
    pub fn expect(&self) -> Option<Verdict> {
        self.expect.as_deref().and_then(|e| e.parse().ok())
    }
}
