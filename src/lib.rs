//! quotecheck: check quotations and factual claims against their source documents.
//!
//! Claims live in YAML claims files; each names its sources, each source one or more versions
//! (files). A [`Checker`] looks every claim up in every version held by a [`Corpus`] and says
//! whether it is exact, approximate or missing, with the passage, the differences and typed
//! [`Note`]s. Reports are written by a [`report::Reporter`] per format.
//!
//! A quote checked against a document held in memory:
//!
//! ```
//! use quotecheck::{Checker, ClaimsFile, Corpus, Document, Format, Verdict};
//! use std::path::Path;
//!
//! let yaml = r#"
//! sources:
//!   speech:
//!     versions:
//!       text: speech.txt
//! claims:
//!   - id: truths
//!     quote: "We hold these truths to be self-evident"
//!   - id: misquote
//!     quote: "that all men were created equal"
//!     expect: approximate
//! "#;
//! let file = ClaimsFile::parse(Path::new("claims.yaml"), yaml)?;
//! let mut corpus = Corpus::new();
//! let text = "We hold these truths to be self-evident, that all men are created equal.";
//! corpus.insert("speech.txt", Document::from_text(Path::new("speech.txt"), text.into(), Format::Plain));
//!
//! let files = [file];
//! let outcome = Checker::new(&files, &corpus)?.run();
//! let results = &outcome.files[0].claims;
//! assert_eq!(results[0].verdict, Verdict::Exact);
//! assert_eq!(results[1].verdict, Verdict::Approximate);
//! assert!(results.iter().all(|r| r.passed));
//! # Ok::<(), quotecheck::Error>(())
//! ```
//!
//! Layers, bottom to top (each uses only those below it):
//! - `text`: normalization (the one definition of "the same words") and the English lexicon;
//! - `source` (documents, markup, the corpus) and [`matcher`] (the fuzzy passage search);
//! - `quote` (quotation conventions and judging) and `facts` (key terms, values);
//! - `check`: the engine, claims × corpus → [`Outcome`], with no disk access;
//! - [`report`]: one reporter per format, over typed records;
//! - `workspace` (the engine's disk access: claims files and sources), [`cache`] (results
//!   of earlier runs) and [`authoring`] (add, init, validate, extract).
//!
//! `model`, `outcome`, `config`, `diagnostic` and `error` are plain data any layer may use.

#![deny(missing_docs)]

mod check;
mod claims;
mod config;
mod diagnostic;
mod digest;
mod error;
mod facts;
mod model;
mod outcome;
mod quote;
mod source;
mod stored;
mod text;
mod workspace;

pub mod authoring;
pub mod cache;
pub mod matcher;
pub mod report;

pub use check::{Checked, Checker, ClaimSet, Key, ParseShardError, Selection, Shard, Skip};
pub use config::{
    DEFAULT_ELLIPSIS_GAP, DEFAULT_FACT_WINDOW, DEFAULT_THRESHOLD, MOST_WORDS, SettingError,
    Settings, check_threshold, check_words,
};
pub use diagnostic::{Diagnostic, Location, Severity, closest, line_column};
pub use error::{Error, Result};
pub use model::{Claim, ClaimKind, ClaimsFile, Source, Verdict, Version};
pub use outcome::{
    ClaimResult, Conflict, Difference, DifferenceKind, FileResult, KeyCheck, Note, Outcome,
    SegmentMatch, ValueKind, VersionResult,
};
pub use report::{ClaimRecord, ReportFormat, Reporter};
pub use source::corpus::{Corpus, IndexedSource, Keep};
pub use source::document::{Document, Format, LoadError, Position};
pub use workspace::{
    Reach, admit_version, changed_since, collect_files, load, load_within, only_claims_file,
    read_claims_text, read_claims_within, read_document, read_version, versions_of_source,
};

/// The JSON Schema of claims files, for editors: `# yaml-language-server: $schema=…` on a
/// claims file's first line completes and checks its keys as it is written.
pub fn claims_schema() -> serde_json::Value {
    claims::schema()
}

impl ClaimsFile {
    /// Parse and check a claims file's text; `path` locates its problems and is the base of
    /// its version paths. Every problem found is returned together.
    pub fn parse(path: &std::path::Path, text: &str) -> Result<ClaimsFile> {
        claims::parse(path, text).map_err(Error::Input)
    }
}

/// The bodies of the fuzz targets, replayed on stable by `cargo test`: not a stable API.
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod fuzz;

/// Internals that the property tests and benchmarks hold to a reference: not a stable API.
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing {
    pub use crate::quote::Quote;
    pub use crate::text::normalize::{Chars, Normalized, normalize};
}
