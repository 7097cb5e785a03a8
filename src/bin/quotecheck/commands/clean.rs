//! `clean`: remove the results cache.

use quotecheck::cache::Cache;

use crate::args::CleanArgs;
use crate::config::Config;
use crate::{ExitStatus, Failure, Outcome};

pub fn run(args: CleanArgs, config: Result<Config, Failure>) -> Outcome {
    let dir = match args.cache_dir {
        Some(dir) => dir,
        None => config?.cache_dir,
    };
    let shown = quotecheck::report::shown_path(&dir);
    match Cache::at(&dir).clean() {
        Ok(true) => eprintln!("removed the cache {shown}"),
        Ok(false) => eprintln!("no cache at {shown}"),
        Err(e) => {
            return Err(Failure::Message(format!(
                "error: cannot remove {shown}: {e}"
            )));
        }
    }
    Ok(ExitStatus::Success)
}
