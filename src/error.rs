//! The library's error: problems with the input (located, with a fix, every one found) or a
//! file that could not be written.

use std::io;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is wrong: claims files, sources, reports or arguments. Every problem found.
    #[error("{}", render(.0))]
    Input(Vec<Diagnostic>),
    /// A file could not be written; it was left as it was.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
}

/// The library's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Error {
        Error::Input(vec![d])
    }
}

impl Error {
    /// The problems, for a caller that reports them one by one.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Input(d) => d.clone(),
            Error::Write { .. } => vec![Diagnostic::error(self.to_string())],
        }
    }
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("")
}
