//! `validate`: claims files and source paths checked without matching anything.

use std::io::Write;

use crate::args::ValidateArgs;
use crate::config::Config;
use crate::{ExitStatus, Failure, Outcome};

pub fn run(args: ValidateArgs, config: Result<Config, Failure>) -> Outcome {
    let config = config?;
    let paths = if args.paths.is_empty() {
        &config.claims
    } else {
        &args.paths
    };
    let files =
        quotecheck::collect_files(paths).map_err(|e| Failure::of(e, "nothing was validated"))?;
    let found = quotecheck::authoring::validate(&files, &config.reach);
    if !found.problems.is_empty() {
        return Err(Failure::Input(
            found.problems,
            "fix them and validate again",
        ));
    }
    let noun = if found.files == 1 { "file" } else { "files" };
    let mut out = crate::stdout();
    writeln!(
        out,
        "{} claims {noun}, {} claims: valid",
        found.files, found.claims
    )
    .and_then(|()| out.flush())
    .map_err(Failure::write)?;
    Ok(ExitStatus::Success)
}
