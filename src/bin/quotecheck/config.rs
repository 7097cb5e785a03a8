//! The project's configuration: `quotecheck.toml`, or `[tool.quotecheck]` in
//! `pyproject.toml`, found from the working directory upward to the repository root (the
//! first directory with `.git`), or named with `--config`; `--isolated` reads none.
//!
//! Precedence, each layer over the one before: built-in defaults, this file, a claims file's
//! own `settings:`, the command line's flags.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use quotecheck::{Diagnostic, Reach, SettingError, Settings, check_words};
use serde::Deserialize;
use toml::Spanned;

use crate::Failure;
use crate::args::{FailOn, Format, Output, parse_output};

/// The file's own name.
pub const FILE_NAME: &str = "quotecheck.toml";

/// What the file may say; every key optional, any other key an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    claims: Option<Vec<String>>,
    format: Option<Spanned<String>>,
    output: Option<Vec<Spanned<String>>>,
    fail_on: Option<Spanned<String>>,
    fail_on_stale: Option<bool>,
    fail_on_warning: Option<bool>,
    exit_zero: Option<bool>,
    baseline: Option<String>,
    allow_outside_root: Option<bool>,
    cache: Option<bool>,
    cache_dir: Option<Spanned<String>>,
    settings: Option<FileSettings>,
    limits: Option<FileLimits>,
}

/// `[limits]`: how much one run reads and matches.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLimits {
    source_size_mb: Option<u64>,
    claims_file_size_mb: Option<u64>,
    claim_length: Option<usize>,
    claims: Option<usize>,
}

/// `[settings]`: the keys of a claims file's `settings:`, for every claims file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    threshold: Option<Spanned<f64>>,
    strict: Option<bool>,
    fail_on_ambiguous: Option<bool>,
    ellipsis_gap: Option<Spanned<usize>>,
    fact_window: Option<Spanned<usize>>,
    exhaustive: Option<bool>,
}

/// `pyproject.toml`: only `[tool.quotecheck]` is read; the rest belongs to other tools.
#[derive(Debug, Default, Deserialize)]
struct Pyproject {
    tool: Option<Tools>,
}

#[derive(Debug, Default, Deserialize)]
struct Tools {
    quotecheck: Option<FileConfig>,
}

/// The configuration read, its paths made relative to the working directory.
#[derive(Debug, Default)]
pub struct Config {
    /// The claims files and directories to check when none are named.
    pub claims: Vec<PathBuf>,
    pub format: Option<Format>,
    pub outputs: Vec<Output>,
    pub fail_on: Option<FailOn>,
    pub fail_on_stale: bool,
    pub fail_on_warning: bool,
    pub exit_zero: bool,
    pub baseline: Option<PathBuf>,
    /// Settings for every claims file, under each file's own.
    pub settings: Settings,
    /// What may be read on behalf of claims files: inside the project (this file's
    /// directory), within the limits.
    pub reach: Reach,
    /// Whether results are cached (`cache = false` turns it off).
    pub cache: bool,
    /// The results cache: `cache_dir`, else `.quotecheck_cache` beside this file, else in
    /// the working directory's repository root, else in the working directory.
    pub cache_dir: PathBuf,
    /// The directory the cache must stay inside: this file's, or that repository root.
    pub cache_root: PathBuf,
}

/// The configuration for this run: the file `--config` names, none under `--isolated`, else
/// the one found from the working directory up.
pub fn load(named: Option<&Path>, isolated: bool) -> Result<Config, Failure> {
    let found = match named {
        Some(path) => Some((path.to_path_buf(), base_of(path))),
        None if isolated => None,
        None => discover(),
    };
    let Some((path, base)) = found else {
        return Ok(Config {
            claims: vec![default_claims()],
            cache: true,
            cache_dir: repository_root().join(quotecheck::cache::DIR_NAME),
            cache_root: repository_root(),
            ..Config::default()
        });
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        input(
            Diagnostic::error(format!("cannot read the configuration: {e}"))
                .in_file(&path)
                .help("name a quotecheck.toml that exists, or leave out --config"),
        )
    })?;
    let pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    parse(&path, &base, &text, pyproject)
}

/// The working directory's repository root, as the working directory reaches it (`../..`),
/// or the working directory outside a repository.
fn repository_root() -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return PathBuf::new();
    };
    let mut up = PathBuf::new();
    for dir in cwd.ancestors() {
        if dir.join(".git").exists() {
            return up;
        }
        up.push("..");
    }
    PathBuf::new()
}

/// The directory a named file's paths are relative to, as the working directory reaches it.
fn base_of(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// `quotecheck.toml`, or a `pyproject.toml` with `[tool.quotecheck]`, in the working
/// directory or above it, up to the first directory that holds `.git`; with the way from
/// the working directory to it (`../..`).
fn discover() -> Option<(PathBuf, PathBuf)> {
    let cwd = std::env::current_dir().ok()?;
    let mut up = PathBuf::new();
    for dir in cwd.ancestors() {
        let toml = dir.join(FILE_NAME);
        if toml.is_file() {
            return Some((up.join(FILE_NAME), up));
        }
        let py = dir.join("pyproject.toml");
        if py.is_file() && std::fs::read_to_string(&py).is_ok_and(|t| has_quotecheck_table(&t)) {
            return Some((up.join("pyproject.toml"), up));
        }
        if dir.join(".git").exists() {
            break;
        }
        up.push("..");
    }
    None
}

/// Whether a pyproject.toml has a `[tool.quotecheck]` table (one that does not parse is
/// somebody else's problem unless it has one).
fn has_quotecheck_table(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        l.starts_with("[tool.quotecheck]") || l.starts_with("[tool.quotecheck.")
    })
}

/// Without a configuration: `claims/` here, else the `claims/` of the repository this
/// directory is in (so that `check` works from any subdirectory).
fn default_claims() -> PathBuf {
    let here = PathBuf::from("claims");
    if here.exists() {
        return here;
    }
    let Ok(cwd) = std::env::current_dir() else {
        return here;
    };
    let mut up = PathBuf::new();
    for dir in cwd.ancestors() {
        if dir.join("claims").is_dir() {
            return up.join("claims");
        }
        if dir.join(".git").exists() {
            break;
        }
        up.push("..");
    }
    here
}

fn input(d: Diagnostic) -> Failure {
    Failure::Input(vec![d], "nothing was done")
}

/// The configuration in `text`, read from `path`; paths in it are relative to `base`.
fn parse(path: &Path, base: &Path, text: &str, pyproject: bool) -> Result<Config, Failure> {
    let at = |span: Option<std::ops::Range<usize>>, message: String, help: String| {
        let (line, column) = quotecheck::line_column(text.as_bytes(), span.map_or(0, |s| s.start));
        Diagnostic::error(message)
            .at(path, line, column)
            .with_source(text)
            .help(help)
    };
    let read = if pyproject {
        toml::from_str::<Pyproject>(text)
            .map(|p| p.tool.and_then(|t| t.quotecheck).unwrap_or_default())
    } else {
        toml::from_str::<FileConfig>(text)
    };
    let file = read.map_err(|e| {
        let (message, help) = explain(e.message());
        input(at(e.span(), message, help))
    })?;
    let mut errs = Vec::new();
    let mut config = Config {
        claims: file
            .claims
            .unwrap_or_else(|| vec!["claims".to_string()])
            .iter()
            .map(|c| base.join(c))
            .collect(),
        fail_on_stale: file.fail_on_stale.unwrap_or(false),
        fail_on_warning: file.fail_on_warning.unwrap_or(false),
        exit_zero: file.exit_zero.unwrap_or(false),
        baseline: file.baseline.map(|b| base.join(b)),
        cache: file.cache.unwrap_or(true),
        cache_dir: base.join(quotecheck::cache::DIR_NAME),
        cache_root: base.to_path_buf(),
        ..Config::default()
    };
    config.reach.root = Some(if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base.to_path_buf()
    });
    config.reach.outside_root = file.allow_outside_root.unwrap_or(false);
    if let Some(dir) = file.cache_dir {
        let leaves = Path::new(dir.get_ref()).components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        });
        if leaves && !config.reach.outside_root {
            errs.push(at(
                Some(dir.span()),
                format!(
                    "`cache_dir = \"{}\"` leads outside the project",
                    dir.get_ref()
                ),
                "give a directory inside the project, or set `allow_outside_root = true`".into(),
            ));
        }
        config.cache_dir = base.join(dir.get_ref());
    }
    let limits = file.limits.unwrap_or_default();
    let mb = |n: u64| n.saturating_mul(1 << 20);
    let reach = &mut config.reach;
    reach.max_source_bytes = limits.source_size_mb.map_or(reach.max_source_bytes, mb);
    reach.max_claims_file_bytes = limits
        .claims_file_size_mb
        .map_or(reach.max_claims_file_bytes, mb);
    reach.max_claim_chars = limits.claim_length.unwrap_or(reach.max_claim_chars);
    reach.max_claims = limits.claims.unwrap_or(reach.max_claims);
    // A value of one of clap's enums, or an error at its place.
    fn one_of<T: ValueEnum>(
        value: Option<Spanned<String>>,
        what: &str,
        help: &str,
        refuse: &mut dyn FnMut(std::ops::Range<usize>, String, String),
    ) -> Option<T> {
        let v = value?;
        let parsed = T::from_str(v.get_ref(), true).ok();
        if parsed.is_none() {
            refuse(
                v.span(),
                format!("`{}` is not {what}", v.get_ref()),
                help.into(),
            );
        }
        parsed
    }
    let mut refuse = |span, message, help| errs.push(at(Some(span), message, help));
    config.format = one_of(
        file.format,
        "a format",
        "use human, json, jsonl, github, junit, sarif or markdown",
        &mut refuse,
    );
    config.fail_on = one_of(
        file.fail_on,
        "a fail_on value",
        "use approximate, missing or never",
        &mut refuse,
    );
    for o in file.output.unwrap_or_default() {
        match parse_output(o.get_ref()) {
            Ok(mut output) => {
                output.path = base.join(&output.path);
                config.outputs.push(output);
            }
            Err(e) => errs.push(at(
                Some(o.span()),
                e,
                "e.g. output = [\"junit=report.xml\"]".into(),
            )),
        }
    }
    let s = file.settings.unwrap_or_default();
    let mut keep = |checked: Result<(), SettingError>, span| match checked {
        Ok(()) => true,
        Err(e) => {
            let help = format!("{}, e.g. `{} = {}`", e.help, e.key, e.example);
            errs.push(at(Some(span), e.message, help));
            false
        }
    };
    let threshold = s
        .threshold
        .filter(|t| keep(quotecheck::check_threshold(*t.get_ref()), t.span()));
    let gap = s
        .ellipsis_gap
        .filter(|g| keep(check_words("ellipsis_gap", *g.get_ref()), g.span()));
    let window = s
        .fact_window
        .filter(|w| keep(check_words("fact_window", *w.get_ref()), w.span()));
    config.settings = Settings {
        threshold: threshold.map(Spanned::into_inner),
        strict: s.strict,
        fail_on_ambiguous: s.fail_on_ambiguous,
        ellipsis_gap: gap.map(Spanned::into_inner),
        fact_window: window.map(Spanned::into_inner),
        exhaustive: s.exhaustive,
    };
    if errs.is_empty() {
        Ok(config)
    } else {
        Err(Failure::Input(errs, "nothing was done"))
    }
}

const TOP_KEYS: &[&str] = &[
    "claims",
    "format",
    "output",
    "fail_on",
    "fail_on_stale",
    "fail_on_warning",
    "exit_zero",
    "baseline",
    "allow_outside_root",
    "cache",
    "cache_dir",
    "settings",
    "limits",
];
const LIMITS_KEYS: &[&str] = &[
    "source_size_mb",
    "claims_file_size_mb",
    "claim_length",
    "claims",
];
const SETTINGS_KEYS: &[&str] = &[
    "threshold",
    "strict",
    "fail_on_ambiguous",
    "ellipsis_gap",
    "fact_window",
    "exhaustive",
];

/// A TOML error as a message and help: an unknown key gets a did-you-mean.
fn explain(message: &str) -> (String, String) {
    let message = message.trim().to_string();
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next());
    let Some(key) = unknown else {
        return (message, "see the configuration keys in README.md".into());
    };
    // serde names the keys it expected: they tell which table the unknown one is in.
    let expected = |keys: &[&str]| keys.iter().all(|k| message.contains(&format!("`{k}`")));
    let known = [SETTINGS_KEYS, LIMITS_KEYS]
        .into_iter()
        .find(|keys| expected(keys))
        .unwrap_or(TOP_KEYS);
    let help = match quotecheck::closest(key, known.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("the keys here are: {}", known.join(", ")),
    };
    (format!("unknown key `{key}`"), help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_gets_a_did_you_mean_and_its_line() {
        let text = "format = \"json\"\n[settings]\nthresold = 0.9\n";
        let Err(Failure::Input(d, _)) = parse(Path::new("q.toml"), Path::new(""), text, false)
        else {
            panic!("an unknown key must be refused");
        };
        let shown = d[0].to_string();
        assert!(shown.contains("unknown key `thresold`"), "{shown}");
        assert!(shown.contains("q.toml:3:1"), "{shown}");
        assert!(shown.contains("did you mean `threshold`?"), "{shown}");
    }

    #[test]
    fn paths_are_relative_to_the_file_and_values_are_checked() {
        let text = "claims = [\"claims\", \"more/x.yaml\"]\noutput = [\"junit=r.xml\"]\n\
                    fail_on = \"missing\"\n[settings]\nellipsis_gap = 20\n";
        let Ok(c) = parse(Path::new("../q.toml"), Path::new(".."), text, false) else {
            panic!("a good file must be read");
        };
        assert_eq!(
            c.claims,
            [PathBuf::from("../claims"), PathBuf::from("../more/x.yaml")]
        );
        assert_eq!(c.outputs[0].path, PathBuf::from("../r.xml"));
        assert_eq!(c.fail_on, Some(FailOn::Missing));
        assert_eq!(c.settings.ellipsis_gap, Some(20));

        let bad = "fail_on = \"sometimes\"\n[settings]\nfact_window = 0\n";
        let Err(Failure::Input(d, _)) = parse(Path::new("q.toml"), Path::new(""), bad, false)
        else {
            panic!("bad values must be refused");
        };
        assert_eq!(d.len(), 2);
        assert!(d[1].to_string().contains("fact_window 0 is out of range"));
    }

    #[test]
    fn pyproject_is_read_only_under_tool_quotecheck() {
        let text = "[project]\nname = \"x\"\n[tool.quotecheck]\nformat = \"github\"\n";
        let Ok(c) = parse(Path::new("pyproject.toml"), Path::new(""), text, true) else {
            panic!("a pyproject table must be read");
        };
        assert_eq!(c.format, Some(Format::Github));
        assert!(has_quotecheck_table(text));
        assert!(!has_quotecheck_table("[tool.ruff]\n"));
    }
}
