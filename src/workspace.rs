//! The one place the engine's path touches the disk: finding claims files, reading them, and
//! reading every source version they name into a [`Corpus`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::claims;
use crate::diagnostic::{Diagnostic, shown_path};
use crate::error::{Error, Result};
use crate::model::{ClaimsFile, Version};
use crate::source::corpus::{Corpus, IndexedSource};
use crate::source::document::{Document, LoadError};

/// The claims files under `paths`: files as given, directories searched for `*.yaml`/`*.yml`
/// (sorted, so that runs are repeatable).
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    // Each file once, however it was reached: named twice, or through a symlink.
    let mut seen = std::collections::HashSet::new();
    let mut keep = |p: PathBuf, out: &mut Vec<PathBuf>| {
        let identity = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if seen.insert(identity) {
            out.push(p);
        }
    };
    for p in paths {
        if p.is_dir() {
            let found = walk(p);
            if found.is_empty() {
                errs.push(
                    Diagnostic::error(format!(
                        "no claims files under `{}`",
                        p.display()
                    ))
                    .in_file(p)
                    .help("claims files end in .yaml or .yml; `quotecheck init` writes an example"),
                );
            }
            for f in found {
                keep(f, &mut out);
            }
        } else if p.is_file() {
            keep(p.clone(), &mut out);
        } else {
            errs.push(
                Diagnostic::error("no such file or directory")
                    .in_file(p)
                    .help("pass claims files or directories that contain them (default: claims/)"),
            );
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(Error::Input(errs))
    }
}

/// The claims files under `dir`, sorted, following symlinks but never round a loop
/// (`claims/a -> .` is walked once).
fn walk(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        // A loop or an unreadable entry is skipped: what it would reach is reached already.
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect()
}

/// A claims file as every CI job names it: its real path from the project root (the nearest
/// directory above it that holds `.git`, else the working directory), `/` between
/// components; the path as given where neither contains it.
pub fn identity(path: &Path) -> String {
    let Ok(real) = std::fs::canonicalize(path) else {
        return shown_path(path);
    };
    let root = real
        .ancestors()
        .skip(1)
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
        .or_else(|| {
            std::env::current_dir()
                .ok()
                .and_then(|d| std::fs::canonicalize(d).ok())
        });
    match root.as_deref().and_then(|r| real.strip_prefix(r).ok()) {
        Some(rel) => shown_path(rel),
        None => shown_path(path),
    }
}

/// A claims file's text.
pub fn read_claims_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(format!("cannot read claims file: {e}"))
            .in_file(path)
            .into()
    })
}

/// A source file, read and made a document.
pub fn read_document(path: &Path) -> std::result::Result<Document, LoadError> {
    Document::from_bytes(path, std::fs::read(path)?)
}

/// A version's file, read and made a document in the encoding the claims file gives it.
fn read_version(v: &Version) -> std::result::Result<Document, LoadError> {
    let encoding = v
        .encoding
        .as_deref()
        .and_then(|e| encoding_rs::Encoding::for_label(e.as_bytes()));
    Document::from_bytes_in(&v.path, &std::fs::read(&v.path)?, encoding)
}

/// Files that name the same document through different paths share one entry.
fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Parse every claims file and read every source version they name, each document once. All
/// problems are returned together.
pub fn load(files: &[PathBuf]) -> Result<(Vec<ClaimsFile>, Corpus)> {
    let mut errs = Vec::new();
    let mut parsed = Vec::new();
    for f in files {
        match read_claims_text(f) {
            Ok(text) => {
                let (mut cf, mut e) = claims::parse_partial(f, &text);
                cf.identity = identity(f);
                errs.append(&mut e);
                parsed.push((cf, text));
            }
            Err(e) => errs.extend(e.diagnostics()),
        }
    }
    // Each distinct document once, remembering the first place that names it; the other
    // paths to it become aliases.
    let mut first_of: HashMap<PathBuf, usize> = HashMap::new();
    let mut wanted: Vec<(&Version, &Path, &str)> = Vec::new();
    let mut aliases: Vec<(PathBuf, usize)> = Vec::new();
    for (cf, text) in &parsed {
        for v in cf.sources.iter().flat_map(|s| &s.versions) {
            let key = canonical(&v.path);
            match first_of.get(&key) {
                Some(&i) => aliases.push((v.path.clone(), i)),
                None => {
                    first_of.insert(key, wanted.len());
                    wanted.push((v, &cf.path, text));
                }
            }
        }
    }
    let loaded: Vec<Result<IndexedSource>> = wanted
        .par_iter()
        .map(|&(v, file, text)| {
            let doc = read_version(v).map_err(|e| {
                Diagnostic::error(format!("cannot read source `{}`: {e}", v.path.display()))
                    .at(file, v.line, v.column)
                    .help("paths under `versions:` are relative to the claims file's directory")
                    .with_source(text)
            })?;
            Ok(IndexedSource::new(doc))
        })
        .collect();
    let mut corpus = Corpus::new();
    for ((v, _, _), r) in wanted.iter().zip(loaded) {
        match r {
            Ok(source) => corpus.insert_indexed(v.path.clone(), source),
            Err(e) => errs.extend(e.diagnostics()),
        }
    }
    for (alias, i) in aliases {
        corpus.alias(alias, &wanted[i].0.path);
    }
    if errs.is_empty() {
        Ok((parsed.into_iter().map(|(cf, _)| cf).collect(), corpus))
    } else {
        Err(Error::Input(errs))
    }
}

/// The versions of the source named `name` in the claims files under `dir`, each file once
/// (several claims files may declare the same source).
pub fn versions_of_source(dir: &Path, name: &str) -> Vec<(String, PathBuf)> {
    let mut versions: Vec<(String, PathBuf)> = Vec::new();
    let files = collect_files(&[dir.to_path_buf()]).unwrap_or_default();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let (cf, _) = claims::parse_partial(&f, &text);
        let named = cf.sources.iter().filter(|s| s.name == name);
        for v in named.flat_map(|s| &s.versions) {
            if !versions.iter().any(|(_, p)| p == &v.path) {
                versions.push((v.name.clone(), v.path.clone()));
            }
        }
    }
    versions
}

/// The claims file when there is exactly one under `dir`.
pub fn only_claims_file(dir: &Path) -> Option<PathBuf> {
    let files = collect_files(&[dir.to_path_buf()]).ok()?;
    match files.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The claims files and source versions of `files` that changed since git revision `rev`,
/// as the claims files name them: those that differ between `rev` and the working tree,
/// staged or not, and new files git does not ignore. Runs `git` in the working directory;
/// outside a repository, or with a revision git does not know, the error says so.
pub fn changed_since(
    rev: &str,
    files: &[ClaimsFile],
) -> Result<std::collections::HashSet<PathBuf>> {
    let git = |args: &[&str]| -> Result<Vec<u8>> {
        let out = std::process::Command::new("git")
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| {
                Diagnostic::error(format!("cannot run git for --changed-since: {e}"))
                    .help("install git, or leave out --changed-since")
            })?;
        if !out.status.success() {
            let said = String::from_utf8_lossy(&out.stderr);
            let said = match said.lines().next().map(str::trim) {
                Some(line) if !line.is_empty() => line.to_string(),
                _ => "no such revision".to_string(),
            };
            return Err(Diagnostic::error(format!(
                "--changed-since {rev}: git failed: {said}"
            ))
            .help("run inside a git repository, and give a revision it has (a branch, tag or commit; in CI fetch enough history)")
            .into());
        }
        Ok(out.stdout)
    };
    if rev.starts_with('-') {
        return Err(Diagnostic::error(format!("`{rev}` is not a git revision"))
            .help("give a branch, tag or commit, e.g. --changed-since origin/main")
            .into());
    }
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end_matches(['\n', '\r']));
    let rev_check = format!("{rev}^{{commit}}");
    git(&["rev-parse", "--verify", "--quiet", &rev_check])?;
    let mut names = git(&["diff", "--name-only", "-z", "--no-renames", rev, "--"])?;
    names.extend(git(&[
        "ls-files",
        "--others",
        "--exclude-standard",
        "--full-name",
        "-z",
    ])?);
    let changed: std::collections::HashSet<PathBuf> = names
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        // git prints names from the top, in UTF-8; a deleted file has no canonical path.
        .filter_map(|n| std::fs::canonicalize(top.join(String::from_utf8_lossy(n).as_ref())).ok())
        .collect();
    let named = files.iter().flat_map(|cf| {
        let versions = cf.sources.iter().flat_map(|s| &s.versions);
        std::iter::once(&cf.path).chain(versions.map(|v| &v.path))
    });
    Ok(named
        .filter(|p| std::fs::canonicalize(p).is_ok_and(|real| changed.contains(&real)))
        .cloned()
        .collect())
}
