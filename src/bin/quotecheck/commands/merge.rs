//! `merge`: the reports of every shard of a set, as one report with the usual exit code.

use quotecheck::report::{self, Detail, Report};

use crate::args::{Format, MergeArgs};
use crate::config::Config;
use crate::{Failure, Outcome};

pub fn run(args: MergeArgs, config: Result<Config, Failure>) -> Outcome {
    let format = args.format.or(config.as_ref().ok().and_then(|c| c.format));
    let outcome = config.and_then(|config| merge(args.configured(&config)));
    super::report::failing(format.unwrap_or(Format::Human), outcome)
}

fn merge(args: MergeArgs) -> Outcome {
    let format = args.format.unwrap_or(Format::Human);
    let reports = args
        .reports
        .iter()
        .map(|p| (p.clone(), std::fs::read(p)))
        .collect();
    let (run, claims) = report::merge(reports).map_err(|e| Failure::of(e, "nothing was merged"))?;
    // People see what falls short; machines get every claim.
    let mut ratchet = super::report::Ratchet::new(&args.policy)?;
    let reporter = super::report::reporters(format, Detail::Quiet, &args.output, None)?;
    let (reporter, status) = super::report::with_policy(reporter, &args.policy);
    let written = Report::begin(reporter, &run).and_then(|mut report| {
        for c in claims {
            report.record(&ratchet.record(c))?;
        }
        report.finish()
    });
    written.map_err(Failure::write)?;
    ratchet.finish()?;
    Ok(status())
}
