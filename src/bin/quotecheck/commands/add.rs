//! `add`: a claim checked against its source, then appended to its claims file.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use quotecheck::authoring::{self, NewClaim};
use quotecheck::report::{self, Detail, Report, Run};
use quotecheck::{ClaimKind, Diagnostic, Error, ReportFormat, Verdict};

use crate::args::AddArgs;
use crate::config::Config;
use crate::{ExitStatus, Failure, Outcome};

const NOT_DONE: &str = "nothing was added";

pub fn run(args: AddArgs, config: Result<Config, Failure>) -> Outcome {
    let config = config?;
    let file = claims_file(&args, &config)?;
    let (kind, text) = claim_text(&args)?;
    let expect = args.expect();
    let claim = NewClaim {
        id: args.id.clone(),
        kind: Some(kind),
        text,
        source: args.source.clone(),
        by: args.by.clone(),
        expect,
        note: args.note.clone(),
    };
    let trial =
        authoring::trial(&file, &claim, &config.reach).map_err(|e| Failure::of(e, NOT_DONE))?;
    show(&trial.outcome).map_err(Failure::write)?;
    let found = trial.outcome.files.iter().flat_map(|f| &f.claims).next();
    let missing = found.is_none_or(|r| r.verdict == Verdict::Missing);
    if missing && expect != Some(Verdict::Missing) && !args.force {
        eprintln!(
            "not added: the {kind} was not found in `{source}`. Check the wording with `quotecheck find {source} \"...\"`; \
             to record it anyway, use --expect missing (a known fabrication) or --force",
            source = trial.source
        );
        return Ok(ExitStatus::Failure);
    }
    match authoring::append_to_file(&file, &trial.id, &claim) {
        Ok(id) => {
            // The claim is in the file whatever happens to standard output now.
            let mut out = crate::stdout();
            let said = writeln!(out, "added `{id}` to {}", file.display());
            said.and_then(|()| out.flush()).map_err(|e| {
                Failure::Message(format!(
                    "error: `{id}` was added to {}, but standard output could not be written: {e}",
                    file.display()
                ))
            })?;
            Ok(ExitStatus::Success)
        }
        Err(Error::Write { source, .. }) => Err(Failure::Message(format!(
            "error: cannot write {}: {source}\n  the file was left as it was",
            file.display()
        ))),
        Err(e) => Err(Failure::of(e, NOT_DONE)),
    }
}

/// The file named, or the only claims file under the project's claims path.
fn claims_file(args: &AddArgs, config: &Config) -> Result<PathBuf, Failure> {
    let dir = config
        .claims
        .first()
        .map_or(Path::new("claims"), PathBuf::as_path);
    let file = args
        .file
        .clone()
        .or_else(|| quotecheck::only_claims_file(dir));
    file.ok_or_else(|| {
        let d = Diagnostic::error("which claims file?")
            .in_file(dir)
            .help("name the file: `quotecheck add claims/story.yaml --quote ...`");
        Failure::Input(vec![d], NOT_DONE)
    })
}

/// The claim's kind and words: from `--quote`, `--fact` or standard input.
fn claim_text(args: &AddArgs) -> Result<(ClaimKind, String), Failure> {
    match (&args.quote, &args.fact, args.from_stdin) {
        (Some(q), _, _) => Ok((ClaimKind::Quote, q.clone())),
        (_, Some(f), _) => Ok((ClaimKind::Fact, f.clone())),
        (_, _, true) => {
            let mut s = String::new();
            io::stdin().read_to_string(&mut s).map_err(|e| {
                Failure::Message(format!(
                    "error: cannot read the quote from standard input: {e}"
                ))
            })?;
            Ok((ClaimKind::Quote, s.trim_end_matches(['\n', '\r']).to_string()))
        }
        _ => Err(Failure::Message(
            "error: give the claim: --quote TEXT, --fact TEXT or --from-stdin\n\nFor more information, try '--help'."
                .to_string(),
        )),
    }
}

/// The trial's verdict, as `check --verbose` shows it.
fn show(outcome: &quotecheck::Outcome) -> io::Result<()> {
    let mut run = Run::new(&outcome.notes);
    run.files = outcome
        .files
        .iter()
        .map(|f| {
            let ids = f.claims.iter().map(|c| c.claim.id.as_str());
            (f.path.display().to_string(), report::id_width(ids))
        })
        .collect();
    let out: Box<dyn Write> = Box::new(crate::stdout());
    let mut report = Report::begin(
        report::reporter(ReportFormat::Human, out, Detail::Verbose),
        &run,
    )?;
    for c in outcome.files.iter().flat_map(|f| &f.claims) {
        report.result(c)?;
    }
    report.finish().map(|_| ())
}
