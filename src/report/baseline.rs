//! Baselines: the claims that fell short when a project adopted quotecheck, so that later
//! runs fail only on claims that are new or changed, and report the known ones as baselined.
//! A claim is known by its fingerprint (file, id, words and every version's text), so that
//! editing a baselined claim, or its source, makes it fail again.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::record::{ClaimRecord, NoteRecord};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Result;

/// What a baseline file holds (JSON, version 1).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    claims: Vec<Entry>,
}

/// One claim that fell short. `file` and `id` are there for people reading the file;
/// the fingerprint (which covers both) is what is matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: String,
    id: String,
    fingerprint: String,
}

const VERSION: u32 = 1;

/// A baseline read from a file: the fingerprints of claims known to fall short.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    known: HashSet<String>,
}

impl Baseline {
    /// The baseline in `bytes`, read from `path`.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Baseline> {
        let bad = |what: String| {
            Diagnostic::error(format!("cannot read this baseline: {what}"))
                .in_file(path)
                .help("write one with `quotecheck check --write-baseline FILE`")
        };
        let file: BaselineFile = serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
        if file.version != VERSION {
            return Err(bad(format!("version {} is not {VERSION}", file.version)).into());
        }
        Ok(Baseline {
            known: file.claims.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    /// Mark `c` baselined if it falls short and the baseline knows it as it is.
    pub fn apply(&self, c: &mut ClaimRecord) {
        if c.passed || !self.known.contains(&c.fingerprint) {
            return;
        }
        c.baselined = true;
        let note = NoteRecord {
            code: "baselined".into(),
            message: "in the baseline: it fell short the same way when the baseline was written"
                .into(),
            severity: Severity::Info,
        };
        c.notes.push(note.message.clone());
        c.findings.push(note);
    }
}

/// Collects the claims that fall short, for `--write-baseline`.
#[derive(Debug, Default)]
pub struct BaselineWriter {
    entries: Vec<Entry>,
}

impl BaselineWriter {
    /// Remember `c` if it falls short (baselined or not).
    pub fn add(&mut self, c: &ClaimRecord) {
        if !c.passed {
            self.entries.push(Entry {
                file: c.file.clone(),
                id: c.id.clone(),
                fingerprint: c.fingerprint.clone(),
            });
        }
    }

    /// How many claims it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The baseline file's text.
    pub fn to_json(&self) -> String {
        let file = BaselineFile {
            version: VERSION,
            claims: self.entries.clone(),
        };
        serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::records;

    #[test]
    fn a_claim_is_baselined_only_as_it_was_written() {
        let (_, claims) = records();
        let mut writer = BaselineWriter::default();
        claims.iter().for_each(|c| writer.add(c));
        assert_eq!(writer.len(), 1, "only `approx` falls short");
        let baseline = Baseline::parse(Path::new("b.json"), writer.to_json().as_bytes()).unwrap();

        let mut known = claims[1].clone();
        baseline.apply(&mut known);
        assert!(known.baselined && !known.fails());
        assert_eq!(known.findings.last().unwrap().code, "baselined");

        let mut changed = claims[1].clone();
        changed.fingerprint = "0000000000000001".into();
        baseline.apply(&mut changed);
        assert!(!changed.baselined && changed.fails());

        let e = Baseline::parse(Path::new("b.json"), b"{\"version\": 2, \"claims\": []}");
        assert!(e.unwrap_err().to_string().contains("version 2 is not 1"));
    }
}
