//! `find`: where a source says something, for a writer about to quote it.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::config::{Rules, Settings};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::matcher;
use crate::model::{Verdict, Version};
use crate::quote::{self, Quote};
use crate::source::corpus::IndexedSource;
use crate::source::document::Position;
use crate::text::normalize::normalize;
use crate::workspace::{self, Reach};

/// Words shown on each side of a passage found.
const CONTEXT_WORDS: usize = 6;

/// The passages found in one version.
#[derive(Debug, Clone)]
pub struct FoundIn {
    /// The version's name (`file` for a file searched directly).
    pub name: String,
    /// Its file.
    pub path: PathBuf,
    /// The closest passages, best first.
    pub passages: Vec<FoundPassage>,
}

/// One passage found, in its context.
#[derive(Debug, Clone)]
pub struct FoundPassage {
    /// 1 − distance/length.
    pub score: f64,
    /// Where it starts in the raw file.
    pub position: Position,
    /// The passage with a few words on each side.
    pub context: String,
    /// Byte ranges of `context` that are the passage's words.
    pub marks: Vec<Range<usize>>,
    /// Found by its words rather than its characters: the passage a misquote most plausibly
    /// comes from, as `check` shows it.
    pub by_words: bool,
}

/// The `count` closest passages to `text` in every version of `source`: a source declared in
/// the claims files under `claims_dir`, or else a file.
pub fn find(
    claims_dir: &Path,
    source: &str,
    text: &str,
    count: usize,
    reach: &Reach,
) -> Result<Vec<FoundIn>> {
    // Each version with the claims file that declares it; `None` for a file the user named.
    type ToSearch = (Version, Option<PathBuf>);
    let mut versions: Vec<ToSearch> = workspace::versions_of_source(claims_dir, source, reach)
        .into_iter()
        .map(|(v, file)| (v, Some(file)))
        .collect();
    if versions.is_empty() {
        let p = PathBuf::from(source);
        if !p.is_file() {
            let message = format!(
                "no source `{source}` in {}/ and no such file",
                claims_dir.display()
            );
            return Err(Diagnostic::error(message)
                .in_file(&p)
                .help(
                    "name a source declared under `sources:` in a claims file, or a file to search",
                )
                .into());
        }
        let named = Version {
            name: "file".to_string(),
            path: p,
            encoding: None,
            line: 0,
            column: 0,
        };
        versions.push((named, None));
    }
    let q = normalize(text);
    if q.is_empty() {
        return Err(Diagnostic::error("nothing to look for")
            .help("give some words")
            .into());
    }
    let mut found = Vec::new();
    for (v, declared_in) in versions {
        // A file the user named is theirs to read; a declared version stays in its project.
        let doc = match &declared_in {
            Some(file) => workspace::read_version(&v, file, reach),
            None => workspace::read_document(&v.path),
        }
        .map_err(|e| Diagnostic::error(format!("cannot read: {e}")).in_file(&v.path))?;
        let (name, path) = (v.name, v.path);
        let loaded = IndexedSource::new(doc);
        let (doc, index) = (&loaded.doc, &loaded.index);
        let last_token = doc.norm.token_count().saturating_sub(1);
        let shown = |first: usize, last: usize, distance: u32, by_words: bool| {
            let from = first.saturating_sub(CONTEXT_WORDS);
            let to = (last + CONTEXT_WORDS).min(last_token);
            let words: Vec<usize> = (first..=last).collect();
            let (context, marks) = doc.passage_marked(from, to, &words);
            FoundPassage {
                score: matcher::score(distance, q.len()),
                position: doc.token_position(first),
                context,
                marks,
                by_words,
            }
        };
        let closest = matcher::passages(&doc.norm, index, &q, count);
        let mut passages: Vec<FoundPassage> = closest
            .iter()
            .map(|a| shown(a.first, a.last, a.distance, false))
            .collect();
        // Where `check` would place it, when that is not among the closest by characters.
        let judged = quote::judge(
            "",
            &loaded,
            &Quote::parse(text),
            &Rules::from(&Settings::default()),
        );
        if let [Some(m)] = judged.segments.as_slice()
            && !closest.iter().any(|a| a.first == m.first)
            && judged.verdict != Verdict::Exact
        {
            passages.insert(0, shown(m.first, m.last, m.distance, true));
            passages.truncate(count.max(1));
        }
        found.push(FoundIn {
            name,
            path,
            passages,
        });
    }
    Ok(found)
}
