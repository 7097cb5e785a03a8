//! `check`: every claim against its sources, reported as results come.

use std::io;
use std::time::Instant;

use quotecheck::report::{self, Report, Run, SkipRecord};
use quotecheck::{Checked, Checker, Selection};

use super::cached::{Cached, Keeper};
use crate::args::{CheckArgs, Format};
use crate::config::Config;
use crate::{Failure, Outcome};

pub fn run(args: CheckArgs, config: Result<Config, Failure>) -> Outcome {
    let format = args.format.or(config.as_ref().ok().and_then(|c| c.format));
    let outcome = config.and_then(|config| check(args.configured(&config), &config));
    super::report::failing(format.unwrap_or(Format::Human), outcome)
}

fn check(args: CheckArgs, config: &Config) -> Outcome {
    let started = Instant::now();
    let not_done = "nothing was checked";
    let files = quotecheck::collect_files(&args.paths).map_err(|e| Failure::of(e, not_done))?;
    let (claims_files, mut corpus) =
        quotecheck::load_within(&files, &config.reach).map_err(|e| Failure::of(e, not_done))?;
    let cache_dir = args.cache_dir.as_ref().unwrap_or(&config.cache_dir);
    let use_cache = !args.no_cache && (config.cache || args.cache_dir.is_some());
    // A directory the user typed is theirs; the project's own must stay inside the project.
    let root = match args.cache_dir {
        Some(_) => None,
        None => Some(config.cache_root.as_path()),
    };
    let cache = Cached::usable(
        use_cache.then_some(cache_dir.as_path()),
        root.filter(|_| !config.reach.outside_root),
    );
    if let Some(c) = &cache {
        corpus.keep_indexes(std::sync::Arc::new(c.indexes()));
    }
    let changed = match &args.changed_since {
        Some(rev) => Some(
            quotecheck::changed_since(rev, &claims_files).map_err(|e| Failure::of(e, not_done))?,
        ),
        None => None,
    };
    let selection = Selection {
        shard: args.shard,
        ids: args.only.clone(),
        sources: args.sources.clone(),
        changed,
    };
    let checker = Checker::new(&claims_files, &corpus)
        .map_err(|e| Failure::of(e, not_done))?
        .project_settings(config.settings)
        .settings(args.settings())
        .select(selection);
    let cached = Cached::open(cache, &claims_files, &checker);
    let mut keeper = Keeper::default();
    let unknown = checker.unknown_names();
    if !unknown.is_empty() {
        return Err(Failure::Input(unknown, not_done));
    }
    let mut run = Run::new(&checker.notes());
    run.shard = args.shard;
    run.skipped = checker
        .skipped()
        .into_iter()
        .map(|(reason, claims)| SkipRecord { reason, claims })
        .collect();
    run.set = args.shard.map(|_| checker.claim_set());
    run.started = Some(started);
    run.files = claims_files
        .iter()
        .enumerate()
        .map(|(i, cf)| {
            let ids = checker.selected(i).map(|c| c.id.as_str());
            (report::shown_path(&cf.path), report::id_width(ids))
        })
        .collect();
    let mut ratchet = super::report::Ratchet::new(&args.policy)?;
    let total: usize = (0..claims_files.len())
        .map(|i| checker.selected(i).count())
        .sum();
    let progress = super::progress::wanted(args.no_progress).then_some(total);
    let reporter = super::report::reporters(args.format(), args.detail(), &args.output, progress)?;
    // With nothing but standard output to write, a reader who stops reading ends the run.
    let stoppable = reporter.len() == 1 && args.policy.write_baseline.is_none();
    let (reporter, status) = super::report::with_policy(reporter, &args.policy);
    let mut decided = 0;
    // Results are written as they come, so memory never holds them all.
    let written = Report::begin(reporter, &run).and_then(|mut report| {
        let reuse = |i, n| cached.reuse(i, n, &checker);
        checker.run_each_reusing(reuse, |i, checked| {
            if stoppable && crate::stdout_gone() {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            decided += 1;
            if matches!(checked, Checked::Reused { .. }) {
                run.reused.set(run.reused.get() + 1);
            }
            let record = cached.record(&mut keeper, i, checked, &checker);
            report.record(&ratchet.record(record))
        })?;
        cached.finish(&mut keeper, &checker);
        report.finish()
    });
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            let s = if decided == 1 { "" } else { "s" };
            return Err(Failure::Message(format!(
                "error: standard output was closed after {decided} claim{s}; the rest were not checked"
            )));
        }
        written => written.map_err(Failure::write)?,
    };
    ratchet.finish()?;
    Ok(status())
}
