//! `check`: every claim against its sources, reported as results come.

use std::time::Instant;

use quotecheck::report::{self, Report, Run};
use quotecheck::{Checker, ReportFormat};

use crate::args::CheckArgs;
use crate::{ExitStatus, Failure, Outcome};

pub fn run(args: CheckArgs) -> Outcome {
    let started = Instant::now();
    let not_done = "nothing was checked";
    let files = quotecheck::collect_files(&args.paths).map_err(|e| Failure::of(e, not_done))?;
    let (claims_files, corpus) = quotecheck::load(&files).map_err(|e| Failure::of(e, not_done))?;
    let checker = Checker::new(&claims_files, &corpus)
        .map_err(|e| Failure::of(e, not_done))?
        .settings(args.settings())
        .shard(args.shard);
    let mut run = Run::new(&checker.notes());
    run.shard = args.shard;
    run.started = Some(started);
    run.files = claims_files
        .iter()
        .enumerate()
        .map(|(i, cf)| {
            let ids = checker.selected(i).map(|c| c.id.as_str());
            (cf.path.display().to_string(), report::id_width(ids))
        })
        .collect();
    let format = ReportFormat::from(args.format);
    let out = crate::report_out(format);
    // Results are written as they come, so memory never holds them all.
    let written =
        Report::begin(report::reporter(format, out, args.detail()), &run).and_then(|mut report| {
            checker.run_each(|_, r| report.result(&r))?;
            report.finish()
        });
    Ok(ExitStatus::of(&written.map_err(Failure::write)?))
}
