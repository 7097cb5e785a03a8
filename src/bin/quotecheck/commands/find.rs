//! `find`: the closest passages in every version of a source.

use std::io::Write;
use std::path::{Path, PathBuf};

use quotecheck::report::highlighted;

use crate::args::FindArgs;
use crate::config::Config;
use crate::{ExitStatus, Failure, Outcome};

pub fn run(args: FindArgs, config: Result<Config, Failure>) -> Outcome {
    let config = config?;
    // Sources are named in the claims files of the project's first claims path.
    let claims = config
        .claims
        .first()
        .map_or(Path::new("claims"), PathBuf::as_path);
    let found =
        quotecheck::authoring::find(claims, &args.source, &args.text, args.count, &config.reach)
            .map_err(|e| Failure::of(e, "nothing was searched"))?;
    let mut out = crate::stdout();
    let written = found.iter().try_for_each(|version| {
        writeln!(out, "{} ({})", version.path.display(), version.name)?;
        if version.passages.is_empty() {
            writeln!(out, "  nothing shares a word with it")?;
        }
        for p in &version.passages {
            writeln!(
                out,
                "  {:.2}  {}:{}:{}  {}",
                p.score,
                version.path.display(),
                p.position.line,
                p.position.column,
                highlighted(&p.context, &p.marks)
            )?;
            if p.by_words {
                writeln!(
                    out,
                    "        found by its words: the passage it most plausibly comes from"
                )?;
            }
        }
        Ok(())
    });
    written.and_then(|()| out.flush()).map_err(Failure::write)?;
    Ok(ExitStatus::Success)
}
