//! `completions`, `man` and `schema`: quotecheck described for shells, for `man` and for
//! editors and validators, each generated from the definitions it describes (clap's for the
//! first two, the serde types for the schemas), so they never drift from them.

use std::io::Write;

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs, SchemaArgs, SchemaKind};
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

pub fn schema(args: SchemaArgs) -> Outcome {
    let schema = match args.which {
        SchemaKind::Report => quotecheck::report::schema(),
        SchemaKind::Claims => quotecheck::claims_schema(),
    };
    let text =
        serde_json::to_string_pretty(&schema).map_err(|e| Failure::Message(e.to_string()))?;
    let mut out = crate::raw_stdout();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(Failure::write)?;
    Ok(ExitStatus::Success)
}
