//! `init`: a claims folder to start from.

use std::io::Write;

use crate::args::InitArgs;
use crate::{ExitStatus, Failure, Outcome};

pub fn run(args: InitArgs) -> Outcome {
    let created = quotecheck::authoring::init(&args.dir)
        .map_err(|e| Failure::of(e, "nothing was created"))?;
    let mut out = crate::stdout();
    let mut written = created
        .iter()
        .try_for_each(|p| writeln!(out, "created {}", p.display()));
    written = written.and_then(|()| {
        writeln!(
            out,
            "next: put your sources under claims/sources/, then `quotecheck add` and `quotecheck check`"
        )
    });
    written.and_then(|()| out.flush()).map_err(Failure::write)?;
    Ok(ExitStatus::Success)
}
