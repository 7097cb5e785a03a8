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
}

const ADD_HELP: &str = "\
Examples:
  quotecheck add claims/story.yaml --quote \"I'll ask around\" --by \"Donald Trump Jr.\"
  quotecheck add --fact \"FiveThirtyEight gave Clinton a 71 percent chance\" --source atlantic
  pbpaste | quotecheck add claims/story.yaml --from-stdin --id ask-around

A quote that comes out missing is refused unless --expect missing (a known fabrication you
want to keep track of) or --force. Exit codes: 0 added, 1 refused, 2 error.";

#[derive(Debug, clap::Args)]
struct AddArgs {
    /// The claims file [default: the only *.yaml file under claims/].
    file: Option<PathBuf>,
    /// The exact words quoted.
    #[arg(long, conflicts_with_all = ["fact", "from_stdin"])]
    quote: Option<String>,
    /// A statement of fact, in your own words.
    #[arg(long, conflicts_with = "from_stdin")]
    fact: Option<String>,
    /// Read the quote from standard input.
    #[arg(long)]
    from_stdin: bool,
    /// The source it quotes (needed when the file has several).
    #[arg(long)]
    source: Option<String>,
    /// Who is quoted.
    #[arg(long)]
    by: Option<String>,
    /// The claim's id [default: made from its first words].
    #[arg(long)]
    id: Option<String>,
    /// The expected verdict: exact, approximate or missing.
    #[arg(long, value_parser = ["exact", "approximate", "missing"])]
    expect: Option<String>,
    /// A note kept with the claim.
    #[arg(long)]
    note: Option<String>,
    /// Add it even if it is not found in the source.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
struct FindArgs {
    /// A source declared in the claims files under claims/, or a file to search.
    source: String,
    /// What to look for.
    text: String,
    /// How many passages per version.
    #[arg(short = 'n', long, default_value_t = 5)]
    count: usize,
}

#[derive(Debug, clap::Args)]
struct ExtractArgs {
    /// The draft article.
    draft: PathBuf,
    /// The source the quotations come from (written into each claim).
    #[arg(long)]
    source: Option<String>,
    /// Append the claims to this claims file (as `add` does) instead of printing them.
    #[arg(long, value_name = "FILE")]
    append: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// Where to create `claims/`.
    #[arg(default_value = ".")]
    dir: PathBuf,
}

#[derive(Debug, clap::Args)]
struct ValidateArgs {
    /// Claims files, or directories searched recursively for *.yaml and *.yml.
    #[arg(default_value = "claims")]
    paths: Vec<PathBuf>,
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
        Command::Add(args) => run_add(args),
        Command::Find(args) => run_find(args),
        Command::Init(args) => run_init(args),
        Command::Extract(args) => run_extract(args),
        Command::Validate(args) => run_validate(args),
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
    let opts = CheckOptions {
        threshold: args.threshold,
        strict: args.strict,
        fail_on_ambiguous: args.fail_on_ambiguous,
        ellipsis_gap: args.ellipsis_gap,
        fact_window: args.fact_window,
        exhaustive: args.exhaustive,
        shard: args.shard,
    };
    let notes = check::run_notes(&claims_files, &corpus, opts);
    // Results are written as they come, so memory never holds them all.
    let summary = match args.format {
        Format::Json => {
            let mut out = Reader::gone_is_fine(io::BufWriter::new(io::stdout().lock()));
            (|| {
                let mut report = report::JsonReport::begin(&mut out, &notes, opts.shard)?;
                check::check_each(&claims_files, &corpus, opts, |_, r| report.claim(&r))?;
                let summary = report.summary();
                report.finish(&summary)?;
                Ok(summary)
            })()
            .and_then(|s| out.flush().map(|()| s))
        }
        Format::Human => {
            let detail = if args.quiet {
                Detail::Quiet
            } else if args.verbose {
                Detail::Verbose
            } else {
                Detail::Normal
            };
            let files = claims_files
                .iter()
                .map(|cf| {
                    let ids = check::selected(cf, opts.shard).map(|c| c.id.as_str());
                    (cf.path.clone(), report::id_width(ids))
                })
                .collect();
            let mut out = Reader::gone_is_fine(anstream::stdout().lock());
            let mut report = report::HumanReport::new(&mut out, detail, files);
            check::check_each(&claims_files, &corpus, opts, |i, r| report.claim(i, &r))
                .and_then(|()| report.finish(&notes, started.elapsed()))
        }
    };
    finish(summary)
}

/// Output to a reader who may stop reading (`quotecheck check | head`): once the pipe is
/// closed, the rest is dropped without an error, and the check runs on to its exit code.
struct Reader<W> {
    out: W,
    gone: bool,
}

impl<W: Write> Reader<W> {
    fn gone_is_fine(out: W) -> Reader<W> {
        Reader { out, gone: false }
    }

    /// `r`, unless it says the reader is gone: then `gone` from now on.
    fn unless_gone<T>(&mut self, r: io::Result<T>, gone: T) -> io::Result<T> {
        match r {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.gone = true;
                Ok(gone)
            }
            r => r,
        }
    }
}

impl<W: Write> Write for Reader<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.gone {
            return Ok(buf.len());
        }
        let r = self.out.write(buf);
        self.unless_gone(r, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.gone {
            return Ok(());
        }
        let r = self.out.flush();
        self.unless_gone(r, ())
    }
}

/// The exit code once the report is written: 2 if it could not be, else 1 when a claim falls
/// short.
fn finish(written: io::Result<Summary>) -> ExitCode {
    match written {
        Err(e) => {
            eprintln!("error: cannot write the report: {e}");
            ExitCode::from(2)
        }
        Ok(summary) if summary.failed > 0 => ExitCode::from(1),
        Ok(_) => ExitCode::SUCCESS,
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
            let mut out = Reader::gone_is_fine(io::BufWriter::new(io::stdout().lock()));
            report::write_document(&mut out, &notes, None, claims.into_iter(), &summary)
                .and_then(|()| out.flush())
        }
        Format::Human => {
            let mut out = Reader::gone_is_fine(anstream::stdout().lock());
            report::human_failures(&mut out, &claims, &summary)
        }
    };
    finish(written.map(|()| summary))
}

fn run_validate(args: ValidateArgs) -> ExitCode {
    let files = match check::collect_files(&args.paths) {
        Ok(f) => f,
        Err(d) => return print_diagnostics(&d, "nothing was validated"),
    };
    let (n_files, n_claims, errs) = crate::authoring::validate(&files);
    if !errs.is_empty() {
        return print_diagnostics(&errs, "fix them and validate again");
    }
    let noun = if n_files == 1 { "file" } else { "files" };
    println!("{n_files} claims {noun}, {n_claims} claims: valid");
    ExitCode::SUCCESS
}

fn run_init(args: InitArgs) -> ExitCode {
    match crate::authoring::init(&args.dir) {
        Ok(created) => {
            for p in &created {
                println!("created {}", p.display());
            }
            println!(
                "next: put your sources under claims/sources/, then `quotecheck add` and `quotecheck check`"
            );
            ExitCode::SUCCESS
        }
        Err(d) => print_diagnostics(&[d], "nothing was created"),
    }
}

fn run_find(args: FindArgs) -> ExitCode {
    // A source name from the claims files, or a file.
    let mut versions: Vec<(String, PathBuf)> = Vec::new();
    if let Ok(files) = check::collect_files(&[PathBuf::from("claims")]) {
        for f in files {
            if let Ok(text) = std::fs::read_to_string(&f) {
                let (cf, _) = crate::claims::parse_partial(&f, &text);
                for v in cf
                    .sources
                    .iter()
                    .filter(|s| s.name == args.source)
                    .flat_map(|s| &s.versions)
                {
                    // Several claims files may declare the same source.
                    if !versions.iter().any(|(_, p)| p == &v.path) {
                        versions.push((v.name.clone(), v.path.clone()));
                    }
                }
            }
        }
    }
    if versions.is_empty() {
        let p = PathBuf::from(&args.source);
        if !p.is_file() {
            let d = Diagnostic::new(
                &p,
                0,
                0,
                format!("no source `{}` in claims/ and no such file", args.source),
            )
            .help("name a source declared under `sources:` in a claims file, or a file to search");
            return print_diagnostics(&[d], "nothing was searched");
        }
        versions.push(("file".to_string(), p));
    }
    let q = crate::normalize::normalize(&args.text);
    if q.is_empty() {
        let d = Diagnostic::new(std::path::Path::new("TEXT"), 0, 0, "nothing to look for")
            .help("give some words");
        return print_diagnostics(&[d], "nothing was searched");
    }
    let mut out = anstream::stdout().lock();
    for (name, path) in versions {
        let doc = match crate::document::Document::load(&path) {
            Ok(d) => d,
            Err(e) => {
                let d = Diagnostic::new(&path, 0, 0, format!("cannot read: {e}"));
                return print_diagnostics(&[d], "nothing more was searched");
            }
        };
        let index = crate::matcher::Index::build(&doc.norm);
        let found = crate::matcher::passages(&doc.norm, &index, &q, args.count);
        if writeln!(out, "{} ({name})", path.display()).is_err() {
            return ExitCode::SUCCESS;
        }
        if found.is_empty() {
            let _ = writeln!(out, "  nothing shares a word with it");
        }
        for a in found {
            let pos = doc.token_position(a.first);
            let score = crate::matcher::score(a.distance, q.len());
            let context_start = a.first.saturating_sub(6);
            let context_end = (a.last + 6).min(doc.norm.token_count() - 1);
            let (text, marks) = doc.passage_marked(
                context_start,
                context_end,
                &(a.first..=a.last).collect::<Vec<_>>(),
            );
            let _ = writeln!(
                out,
                "  {:.2}  {}:{}:{}  {}",
                score,
                path.display(),
                pos.line,
                pos.column,
                report::highlighted(&text, &marks)
            );
        }
    }
    ExitCode::SUCCESS
}

fn run_add(args: AddArgs) -> ExitCode {
    use crate::authoring::{self, AddError, NewClaim};
    use crate::claims::{ClaimKind, Verdict};
    let file = match args.file.clone().or_else(only_claims_file) {
        Some(f) => f,
        None => {
            let d = Diagnostic::new(std::path::Path::new("claims"), 0, 0, "which claims file?")
                .help("name the file: `quotecheck add claims/story.yaml --quote ...`");
            return print_diagnostics(&[d], "nothing was added");
        }
    };
    let (kind, text) = match (&args.quote, &args.fact, args.from_stdin) {
        (Some(q), _, _) => (ClaimKind::Quote, q.clone()),
        (_, Some(f), _) => (ClaimKind::Fact, f.clone()),
        (_, _, true) => {
            let mut s = String::new();
            if let Err(e) = io::Read::read_to_string(&mut io::stdin(), &mut s) {
                eprintln!("error: cannot read the quote from standard input: {e}");
                return ExitCode::from(2);
            }
            (
                ClaimKind::Quote,
                s.trim_end_matches(['\n', '\r']).to_string(),
            )
        }
        _ => {
            eprintln!(
                "error: give the claim: --quote TEXT, --fact TEXT or --from-stdin\n\nFor more information, try '--help'."
            );
            return ExitCode::from(2);
        }
    };
    let expect = args.expect.as_deref().map(|e| match e {
        "approximate" => Verdict::Approximate,
        "missing" => Verdict::Missing,
        _ => Verdict::Exact,
    });
    let claim = NewClaim {
        id: args.id.clone(),
        kind: Some(kind),
        text,
        source: args.source.clone(),
        by: args.by.clone(),
        expect,
        note: args.note.clone(),
    };
    // The file as it is now, and the claim checked against it and against its source.
    let (files, corpus) = match check::load(std::slice::from_ref(&file)) {
        Ok(x) => x,
        Err(d) => return print_diagnostics(&d, "nothing was added"),
    };
    let (id, source) = match authoring::admit(&files[0], &file, &claim) {
        Ok(x) => x,
        Err(d) => return print_diagnostics(&[d], "nothing was added"),
    };
    let mut trial = files[0].clone();
    trial.claims = vec![crate::claims::Claim {
        id: id.clone(),
        line: 0,
        column: 0,
        kind,
        text: claim.text.clone(),
        by: claim.by.clone(),
        source,
        expect: expect.unwrap_or(Verdict::Exact),
        note: claim.note.clone(),
        keys: Vec::new(),
    }];
    let outcome = check::check(
        std::slice::from_ref(&trial),
        &corpus,
        CheckOptions::default(),
    );
    let result = &outcome.files[0].claims[0];
    {
        let mut out = anstream::stdout().lock();
        let _ = report::human(
            &mut out,
            &outcome,
            Detail::Verbose,
            std::time::Duration::ZERO,
        );
    }
    if result.verdict == Verdict::Missing && expect != Some(Verdict::Missing) && !args.force {
        eprintln!(
            "not added: the {} was not found in `{}`. Check the wording with `quotecheck find {} \"...\"`; \
             to record it anyway, use --expect missing (a known fabrication) or --force",
            if kind == ClaimKind::Quote {
                "quote"
            } else {
                "fact"
            },
            trial.sources[source].name,
            trial.sources[source].name
        );
        return ExitCode::from(1);
    }
    match authoring::append_to_file(&file, &id, &claim) {
        Ok(()) => {
            println!("added `{id}` to {}", file.display());
            ExitCode::SUCCESS
        }
        Err(AddError::Claim(d)) => print_diagnostics(&[d], "nothing was added"),
        Err(AddError::Io(e)) => {
            eprintln!(
                "error: cannot write {}: {e}\n  the file was left as it was",
                file.display()
            );
            ExitCode::from(2)
        }
    }
}

/// The claims file when there is exactly one under claims/.
fn only_claims_file() -> Option<PathBuf> {
    let files = check::collect_files(&[PathBuf::from("claims")]).ok()?;
    match files.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

fn run_extract(args: ExtractArgs) -> ExitCode {
    use crate::authoring::{self, AddError, NewClaim};
    let draft = match std::fs::read_to_string(&args.draft) {
        Ok(t) => t,
        Err(e) => {
            let d = Diagnostic::new(&args.draft, 0, 0, format!("cannot read the draft: {e}"));
            return print_diagnostics(&[d], "nothing was extracted");
        }
    };
    let found = authoring::extract(&draft);
    let mut taken: Vec<String> = Vec::new();
    if let Some(file) = &args.append {
        match std::fs::read_to_string(file).map(|t| crate::claims::parse(file, &t)) {
            Ok(Ok(cf)) => taken.extend(cf.claims.into_iter().map(|c| c.id)),
            Ok(Err(d)) => return print_diagnostics(&d, "nothing was appended"),
            Err(e) => {
                let d = Diagnostic::new(file, 0, 0, format!("cannot read: {e}"));
                return print_diagnostics(&[d], "nothing was appended");
            }
        }
    }
    let mut out = io::stdout().lock();
    if args.append.is_none() {
        let _ = writeln!(
            out,
            "# Quotations found in {} by `quotecheck extract`",
            args.draft.display()
        );
        let _ = writeln!(out, "claims:");
    }
    for e in &found {
        let id = authoring::generate_id(&e.quote, &taken);
        taken.push(id.clone());
        let claim = NewClaim {
            id: Some(id.clone()),
            text: e.quote.clone(),
            by: e.by.clone(),
            source: args.source.clone(),
            note: Some(format!("{}:{}", args.draft.display(), e.line)),
            ..Default::default()
        };
        match &args.append {
            Some(file) => match authoring::append_to_file(file, &id, &claim) {
                Ok(()) => {}
                Err(AddError::Claim(d)) => {
                    return print_diagnostics(&[d], "the claims before it were appended");
                }
                Err(AddError::Io(err)) => {
                    eprintln!("error: cannot write {}: {err}", file.display());
                    return ExitCode::from(2);
                }
            },
            None => {
                let entry = authoring::append_entry("claims:\n", &id, &claim)
                    .expect("a fresh list takes any entry");
                let _ = write!(out, "{}", &entry["claims:\n".len()..]);
            }
        }
    }
    let with_speaker = found.iter().filter(|e| e.by.is_some()).count();
    eprintln!(
        "{} quotations found in {}, {with_speaker} with a speaker{}",
        found.len(),
        args.draft.display(),
        args.append
            .as_ref()
            .map_or(String::new(), |f| format!("; appended to {}", f.display()))
    );
    ExitCode::SUCCESS
}
