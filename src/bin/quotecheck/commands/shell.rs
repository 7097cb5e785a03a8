//! `completions` and `man`: the command line described for shells and for `man`, from the
//! same clap definition as `--help`, so they never drift from it.

use std::io::Write;

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs};
use crate::{ExitStatus, Failure, Outcome};

pub fn completions(args: CompletionsArgs) -> Outcome {
    let mut cmd = Cli::command();
    // Into memory first: clap_complete panics on a failed write; this way a full disk or a
    // closed pipe is an error message, like every other command's.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "quotecheck", &mut script);
    let mut out = crate::raw_stdout();
    out.write_all(&script)
        .and_then(|()| out.flush())
        .map_err(Failure::write)?;
    Ok(ExitStatus::Success)
}

pub fn man() -> Outcome {
    let mut out = crate::raw_stdout();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .and_then(|()| out.flush())
        .map_err(Failure::write)?;
    Ok(ExitStatus::Success)
}
