//! `validate`: claims files and their source paths checked without matching anything.

use std::path::PathBuf;

use crate::claims;
use crate::diagnostic::Diagnostic;
use crate::source::document::LoadError;
use crate::workspace::{self, Reach};

/// What `validate` found.
#[derive(Debug, Clone)]
pub struct Validated {
    /// Claims files read.
    pub files: usize,
    /// Claims in them that are well formed.
    pub claims: usize,
    /// Every problem, each with its location.
    pub problems: Vec<Diagnostic>,
}

/// Parse claims files and check that every version file exists, without reading sources.
pub fn validate(files: &[PathBuf], reach: &Reach) -> Validated {
    let mut problems = Vec::new();
    let mut claims = 0;
    for f in files {
        let text = match workspace::read_claims_within(f, reach) {
            Ok(t) => t,
            Err(e) => {
                problems.extend(e.diagnostics());
                continue;
            }
        };
        let (cf, mut e) = claims::parse_partial(f, &text);
        problems.append(&mut e);
        claims += cf.claims.len();
        for v in cf.sources.iter().flat_map(|s| &s.versions) {
            let message = match workspace::admit_version(v, f, reach) {
                Ok(()) => continue,
                Err(LoadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                    format!("source file `{}` does not exist", v.path.display())
                }
                Err(e) => format!("cannot read source `{}`: {e}", v.path.display()),
            };
            problems.push(
                Diagnostic::error(message)
                    .at(f, v.line, v.column)
                    .help("paths under `versions:` are relative to the claims file's directory")
                    .with_source(&text),
            );
        }
    }
    Validated {
        files: files.len(),
        claims,
        problems,
    }
}
