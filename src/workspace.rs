//! The one place the engine's path touches the disk: finding claims files, reading them, and
//! reading every source version they name into a [`Corpus`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::claims;
use crate::diagnostic::{Diagnostic, shown_path};
use crate::error::{Error, Result};
use crate::model::{ClaimsFile, Version};
use crate::source::corpus::{Corpus, SourceText};
use crate::source::document::{Document, Format, LoadError};

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
        } else if p.exists() {
            errs.push(
                Diagnostic::error("not a regular file (a pipe or a device); only files are read")
                    .in_file(p)
                    .help("pass claims files or directories that contain them (default: claims/)"),
            );
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

/// How far, and how much, reading on behalf of claims files may go. A claims file can come
/// from a pull request nobody trusts: it must not make quotecheck show a file outside the
/// project, wait forever on a pipe, or read without end. The default is confined.
#[derive(Debug, Clone)]
pub struct Reach {
    /// The project root that claims files and every version they name must be inside once
    /// symlinks are followed. `None`: for each claims file, the nearest directory above it
    /// (as it is named, before its own symlink is followed) that holds `.git`, else its own
    /// directory.
    pub root: Option<PathBuf>,
    /// Read outside the root too (`--allow-outside-root`).
    pub outside_root: bool,
    /// The largest source version read, in bytes.
    pub max_source_bytes: u64,
    /// The largest claims file read, in bytes.
    pub max_claims_file_bytes: u64,
    /// The longest quote or fact, in characters.
    pub max_claim_chars: usize,
    /// The most claims in one run.
    pub max_claims: usize,
}

impl Default for Reach {
    fn default() -> Reach {
        Reach {
            root: None,
            outside_root: false,
            max_source_bytes: 512 << 20,
            max_claims_file_bytes: 64 << 20,
            max_claim_chars: 10_000,
            max_claims: 1_000_000,
        }
    }
}

impl Reach {
    /// The root (canonical) that the paths of the claims file `claims_file` must stay
    /// inside; `None` when reading is not confined. Without a configured root: the
    /// repository of the working directory, when the claims file (as named, before any
    /// symlink on its way is followed) is in it, so that a directory symlinked out of the
    /// project cannot become a project of its own; else the nearest directory above the
    /// claims file with `.git`, else the claims file's directory.
    fn root_for(&self, claims_file: &Path) -> Option<PathBuf> {
        if self.outside_root {
            return None;
        }
        if let Some(root) = &self.root {
            return Some(std::fs::canonicalize(root).unwrap_or_else(|_| root.clone()));
        }
        let cwd = std::env::current_dir().ok();
        let named = lexical_absolute(cwd.as_deref(), claims_file);
        let repo_of = |p: &Path| {
            p.ancestors()
                .find(|d| d.join(".git").exists())
                .map(Path::to_path_buf)
        };
        if let Some(repo) = cwd.as_deref().and_then(repo_of)
            && named.starts_with(&repo)
        {
            return Some(std::fs::canonicalize(&repo).unwrap_or(repo));
        }
        let dir = named.parent().unwrap_or(&named);
        let root = repo_of(dir).unwrap_or_else(|| dir.to_path_buf());
        Some(std::fs::canonicalize(&root).unwrap_or(root))
    }

    /// Whether `path` may be read: a regular file, inside `root`, no larger than `limit`.
    /// `real` is its canonical path when that is known already.
    fn admit(
        &self,
        path: &Path,
        real: Option<&Path>,
        root: Option<&Path>,
        limit: u64,
        key: &'static str,
    ) -> std::result::Result<std::fs::Metadata, LoadError> {
        if let Some(root) = root {
            let found;
            let real = match real {
                Some(real) => real,
                None => {
                    found = std::fs::canonicalize(path)?;
                    &found
                }
            };
            if !real.starts_with(root) {
                return Err(LoadError::OutsideRoot {
                    root: shown_path(root),
                });
            }
        }
        // Before opening: opening a pipe waits for a writer.
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(LoadError::NotAFile);
        }
        if meta.len() > limit {
            return Err(LoadError::OverLimit {
                size: meta.len(),
                limit,
                key,
            });
        }
        Ok(meta)
    }

    /// The bytes of `path`, if [`Reach::admit`] admits it (read no further than `limit`,
    /// whatever the file claims its size is).
    fn read(
        &self,
        path: &Path,
        real: Option<&Path>,
        root: Option<&Path>,
        limit: u64,
        key: &'static str,
    ) -> std::result::Result<Vec<u8>, LoadError> {
        use std::io::Read;
        let meta = self.admit(path, real, root, limit, key)?;
        let file = std::fs::File::open(path)?;
        if !file.metadata()?.is_file() {
            return Err(LoadError::NotAFile);
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(limit + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > limit {
            return Err(LoadError::OverLimit {
                size: bytes.len() as u64,
                limit,
                key,
            });
        }
        Ok(bytes)
    }
}

/// `path` made absolute against `cwd` and with `.` and `..` resolved by name alone, no
/// symlink followed: where it is as named.
fn lexical_absolute(cwd: Option<&Path>, path: &Path) -> PathBuf {
    use std::path::Component;
    let whole = match cwd {
        Some(c) if path.is_relative() => c.join(path),
        _ => path.to_path_buf(),
    };
    let mut out = PathBuf::new();
    for c in whole.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// A claims file's text, read within the default [`Reach`].
pub fn read_claims_text(path: &Path) -> Result<String> {
    read_claims_within(path, &Reach::default())
}

/// A claims file's text: a regular file, inside its project, within the size limit, UTF-8.
pub fn read_claims_within(path: &Path, reach: &Reach) -> Result<String> {
    read_claims_in(path, reach.root_for(path).as_deref(), reach)
}

/// [`read_claims_within`] with the file's root already found.
fn read_claims_in(path: &Path, root: Option<&Path>, reach: &Reach) -> Result<String> {
    let cannot = |e: String| -> Error {
        Diagnostic::error(format!("cannot read claims file: {e}"))
            .in_file(path)
            .into()
    };
    let bytes = reach
        .read(
            path,
            None,
            root,
            reach.max_claims_file_bytes,
            "claims_file_size_mb",
        )
        .map_err(|e| cannot(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, column) = crate::diagnostic::line_column(e.as_bytes(), at);
        Diagnostic::error(format!(
            "claims file is not valid UTF-8 (first bad byte at offset {at})"
        ))
        .at(path, line, column)
        .help("save it as UTF-8")
        .into()
    })
}

/// Whether version `v` of the claims file at `claims_file` may be read within `reach`,
/// without reading it.
pub fn admit_version(
    v: &Version,
    claims_file: &Path,
    reach: &Reach,
) -> std::result::Result<(), LoadError> {
    let root = reach.root_for(claims_file);
    let limit = reach.max_source_bytes;
    reach
        .admit(&v.path, None, root.as_deref(), limit, "source_size_mb")
        .map(|_| ())
}

/// A source file the user named, read and made a document (not confined: the user named it).
pub fn read_document(path: &Path) -> std::result::Result<Document, LoadError> {
    let reach = Reach {
        outside_root: true,
        ..Reach::default()
    };
    let bytes = reach.read(path, None, None, reach.max_source_bytes, "source_size_mb")?;
    Document::from_bytes(path, bytes)
}

/// A version's file, read within `reach` from the claims file at `claims_file`, and made a
/// document in the encoding the claims file gives it.
pub fn read_version(
    v: &Version,
    claims_file: &Path,
    reach: &Reach,
) -> std::result::Result<Document, LoadError> {
    read_version_in(v, reach.root_for(claims_file).as_deref(), reach)
}

/// [`read_version`] with the claims file's root already found.
fn read_version_in(
    v: &Version,
    root: Option<&Path>,
    reach: &Reach,
) -> std::result::Result<Document, LoadError> {
    let (raw, format) = read_text_in(v, None, root, reach)?;
    Ok(Document::from_text(&v.path, raw, format))
}

/// A version's file read and decoded, in the encoding the claims file gives it.
fn read_text_in(
    v: &Version,
    real: Option<&Path>,
    root: Option<&Path>,
    reach: &Reach,
) -> std::result::Result<(String, Format), LoadError> {
    let encoding = v
        .encoding
        .as_deref()
        .and_then(|e| encoding_rs::Encoding::for_label(e.as_bytes()));
    let bytes = reach.read(
        &v.path,
        real,
        root,
        reach.max_source_bytes,
        "source_size_mb",
    )?;
    Document::decode(&v.path, bytes, encoding)
}

/// A document to read: the first version that names it, its real path when known, and the
/// claims file (path, text, root) that names it.
struct Wanted<'a> {
    version: &'a Version,
    real: Option<&'a Path>,
    file: &'a Path,
    text: &'a str,
    root: Option<&'a Path>,
}

/// Parse every claims file and read every source version they name, each document once,
/// within the default [`Reach`]. All problems are returned together.
pub fn load(files: &[PathBuf]) -> Result<(Vec<ClaimsFile>, Corpus)> {
    load_within(files, &Reach::default())
}

/// [`load`] within `reach`: what may be read, and how much.
pub fn load_within(files: &[PathBuf], reach: &Reach) -> Result<(Vec<ClaimsFile>, Corpus)> {
    let mut errs = Vec::new();
    let mut parsed = Vec::new();
    // Each claims file's root, found once for it and every version it names.
    let mut roots: Vec<Option<PathBuf>> = Vec::new();
    // Claims files are parsed on all threads: a knowledge base has hundreds.
    let read: Vec<_> = files
        .par_iter()
        .map(|f| {
            let root = reach.root_for(f);
            read_claims_in(f, root.as_deref(), reach).map(|text| {
                let (mut cf, e) = claims::parse_partial(f, &text);
                cf.identity = identity(f);
                (cf, text, e, root)
            })
        })
        .collect();
    for r in read {
        match r {
            Ok((cf, text, mut e, root)) => {
                errs.append(&mut e);
                parsed.push((cf, text));
                roots.push(root);
            }
            Err(e) => errs.extend(e.diagnostics()),
        }
    }
    errs.extend(over_limits(&parsed, reach));
    // Each distinct document once, remembering the first place that names it; the other
    // paths to it become aliases.
    let mut first_of: HashMap<PathBuf, usize> = HashMap::new();
    let mut wanted: Vec<Wanted> = Vec::new();
    let mut aliases: Vec<(PathBuf, usize)> = Vec::new();
    let cannot = |v: &Version, file: &Path, text: &str, e: LoadError| {
        Diagnostic::error(format!("cannot read source `{}`: {e}", v.path.display()))
            .at(file, v.line, v.column)
            .help("paths under `versions:` are relative to the claims file's directory")
            .with_source(text)
    };
    // Every version's real path, found once and on all threads (each is a system call per
    // component, and a knowledge base names thousands): files that name the same document
    // through different paths share one entry, and a real path is what the root confines.
    let named: Vec<(&Version, &ClaimsFile, &str, Option<&Path>)> = parsed
        .iter()
        .zip(&roots)
        .flat_map(|((cf, text), root)| {
            cf.sources
                .iter()
                .flat_map(|s| &s.versions)
                .map(move |v| (v, cf, text.as_str(), root.as_deref()))
        })
        .collect();
    let reals = real_paths(named.iter().map(|(v, ..)| v.path.as_path()));
    for (&(v, cf, text, root), real) in named.iter().zip(&reals) {
        let key = real.as_deref().unwrap_or(&v.path);
        match first_of.get(key) {
            // Read once, but admitted by every claims file that names it.
            Some(&i) => match reach.admit(
                &v.path,
                real.as_deref(),
                root,
                reach.max_source_bytes,
                "source_size_mb",
            ) {
                Ok(_) => aliases.push((v.path.clone(), i)),
                Err(e) => errs.push(cannot(v, &cf.path, text, e)),
            },
            None => {
                first_of.insert(key.to_path_buf(), wanted.len());
                wanted.push(Wanted {
                    version: v,
                    real: real.as_deref(),
                    file: &cf.path,
                    text,
                    root,
                });
            }
        }
    }
    // Read and decoded here, so that every problem is known before the run; indexed when
    // a claim first needs it.
    let loaded: Vec<std::result::Result<SourceText, Box<Diagnostic>>> = wanted
        .par_iter()
        .map(|w| match read_text_in(w.version, w.real, w.root, reach) {
            Ok((raw, format)) => Ok(SourceText::new(raw, format)),
            Err(e) => Err(Box::new(cannot(w.version, w.file, w.text, e))),
        })
        .collect();
    let mut corpus = Corpus::new();
    for (w, r) in wanted.iter().zip(loaded) {
        match r {
            Ok(text) => corpus.insert_text(w.version.path.clone(), text),
            Err(e) => errs.push(*e),
        }
    }
    for (alias, i) in aliases {
        corpus.alias(alias, &wanted[i].version.path);
    }
    if errs.is_empty() {
        Ok((parsed.into_iter().map(|(cf, _)| cf).collect(), corpus))
    } else {
        Err(Error::Input(errs))
    }
}

/// The real path of each of `paths` (`None` where there is none), found on all threads and
/// each once: claims files in one directory name the same references, and a knowledge base's
/// thousands of files sit in a few directories. Resolving a path costs a system call per
/// component, so each directory is resolved once, and a file that is no symlink is its
/// directory's real path joined to its name (one `lstat`).
fn real_paths<'p>(paths: impl Iterator<Item = &'p Path>) -> Vec<Option<PathBuf>> {
    let paths: Vec<&Path> = paths.collect();
    // Each distinct path in `files`, and each path's place there.
    let mut distinct: HashMap<&Path, usize> = HashMap::new();
    let mut files: Vec<&Path> = Vec::new();
    for &p in &paths {
        distinct.entry(p).or_insert_with(|| {
            files.push(p);
            files.len() - 1
        });
    }
    // A name, not `..`, in a directory; the directory as the system would look for it.
    let split = |p: &'p Path| -> Option<(&'p Path, &'p std::ffi::OsStr)> {
        match p.components().next_back()? {
            std::path::Component::Normal(name) => {
                let dir = p.parent()?;
                Some((
                    if dir.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        dir
                    },
                    name,
                ))
            }
            _ => None,
        }
    };
    let mut dirs: Vec<&Path> = files
        .iter()
        .filter_map(|&p| split(p).map(|(d, _)| d))
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    let real_dirs: HashMap<&Path, PathBuf> = dirs
        .par_iter()
        .filter_map(|&d| d.canonicalize().ok().map(|r| (d, r)))
        .collect();
    let reals: Vec<Option<PathBuf>> = files
        .par_iter()
        .map(|&p| {
            let joined = split(p).and_then(|(d, name)| Some(real_dirs.get(d)?.join(name)));
            match (joined, std::fs::symlink_metadata(p)) {
                (Some(real), Ok(m)) if !m.file_type().is_symlink() => Some(real),
                // Missing, a symlink, or in a directory that cannot be resolved.
                _ => p.canonicalize().ok(),
            }
        })
        .collect();
    paths
        .iter()
        .map(|p| {
            distinct
                .get(p)
                .and_then(|&i| reals.get(i))
                .cloned()
                .flatten()
        })
        .collect()
}

/// Claims and claim texts beyond the run's limits: a million-claim file, or a quote of
/// 100,000 characters, is refused with the limit named rather than matched for minutes.
fn over_limits(parsed: &[(ClaimsFile, String)], reach: &Reach) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    let total: usize = parsed.iter().map(|(cf, _)| cf.claims.len()).sum();
    if total > reach.max_claims {
        errs.push(
            Diagnostic::error(format!(
                "{total} claims, more than the limit of {}",
                reach.max_claims
            ))
            .help("split the check (`--shard`), or raise `limits.claims` in quotecheck.toml"),
        );
    }
    for (cf, text) in parsed {
        for c in &cf.claims {
            let chars = c.text.chars().count();
            if chars > reach.max_claim_chars {
                errs.push(
                    Diagnostic::error(format!(
                        "this {} is {chars} characters, more than the limit of {}",
                        c.kind, reach.max_claim_chars
                    ))
                    .at(&cf.path, c.line, c.column)
                    .help("quote a shorter passage, or raise `limits.claim_length` in quotecheck.toml")
                    .with_source(text),
                );
            }
        }
    }
    errs
}

/// The versions of the source named `name` in the claims files under `dir`, each file once
/// (several claims files may declare the same source), each with the claims file that
/// names it.
pub fn versions_of_source(dir: &Path, name: &str, reach: &Reach) -> Vec<(Version, PathBuf)> {
    let mut versions: Vec<(Version, PathBuf)> = Vec::new();
    let files = collect_files(&[dir.to_path_buf()]).unwrap_or_default();
    for f in files {
        let Ok(text) = read_claims_within(&f, reach) else {
            continue;
        };
        let (cf, _) = claims::parse_partial(&f, &text);
        let named = cf.sources.iter().filter(|s| s.name == name);
        for v in named.flat_map(|s| &s.versions) {
            if !versions.iter().any(|(known, _)| known.path == v.path) {
                versions.push((v.clone(), f.clone()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn real_paths_are_what_the_system_resolves() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        std::fs::create_dir_all(d.join("refs/deep")).unwrap();
        std::fs::create_dir_all(d.join("elsewhere")).unwrap();
        std::fs::write(d.join("refs/a.md"), "a").unwrap();
        std::fs::write(d.join("refs/deep/b.md"), "b").unwrap();
        std::fs::write(d.join("elsewhere/c.md"), "c").unwrap();
        // A file that is a symlink out of its directory, a directory that is one, a chain.
        symlink(d.join("elsewhere/c.md"), d.join("refs/link.md")).unwrap();
        symlink(d.join("elsewhere"), d.join("refs/dir")).unwrap();
        symlink(d.join("refs/link.md"), d.join("refs/chain.md")).unwrap();
        let names = [
            "refs/a.md",
            "refs/a.md",
            "refs/deep/b.md",
            "refs/deep/../a.md",
            "refs/link.md",
            "refs/chain.md",
            "refs/dir/c.md",
            "refs/dir",
            "refs/./deep/b.md",
            "refs/deep/..",
            "refs/missing.md",
            "missing/a.md",
            "refs/dir/../a.md",
        ];
        let paths: Vec<PathBuf> = names.iter().map(|n| d.join(n)).collect();
        let got = real_paths(paths.iter().map(PathBuf::as_path));
        let want: Vec<Option<PathBuf>> = paths.iter().map(|p| p.canonicalize().ok()).collect();
        assert_eq!(got, want);
        assert!(got[4].as_ref().unwrap().ends_with("elsewhere/c.md"));
        assert_eq!(got[10], None);
    }
}
