//! Which claims a run checks (`--shard`, `--only`, `--source`, `--changed-since`), and why
//! each of the others is not: a claim that was not checked is counted as such, never as passed.

use std::collections::HashSet;
use std::path::PathBuf;

use super::shard::Shard;
use crate::diagnostic::Diagnostic;
use crate::model::{Claim, ClaimsFile};

/// The claims a run checks. Empty lists and `None` select everything.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// One shard of the set.
    pub shard: Option<Shard>,
    /// Only claims with these ids.
    pub ids: Vec<String>,
    /// Only claims of the sources with these names.
    pub sources: Vec<String>,
    /// Only claims whose claims file, or a version of whose source, is one of these files
    /// (paths as the claims files name them, as `changed_since` finds them).
    pub changed: Option<HashSet<PathBuf>>,
}

/// Why a claim was not checked.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Skip {
    /// It belongs to another shard.
    Shard,
    /// `--only` does not name it.
    Only,
    /// Its source is not one `--source` names.
    Source,
    /// Neither its claims file nor its source changed since `--changed-since`'s revision.
    Unchanged,
}

impl Skip {
    /// How the summary says it.
    pub fn describe(self) -> &'static str {
        match self {
            Skip::Shard => "in other shards",
            Skip::Only => "not named by --only",
            Skip::Source => "of other sources than --source",
            Skip::Unchanged => "unchanged since --changed-since",
        }
    }
}

impl Selection {
    /// Why `claim` of `cf` is not checked, or `None` when it is. The shard comes first, so
    /// that the shards of one run each count only their own claims under the other reasons.
    pub fn skip(&self, cf: &ClaimsFile, claim: &Claim) -> Option<Skip> {
        if self
            .shard
            .is_some_and(|s| !s.holds(&cf.identity, &claim.id))
        {
            return Some(Skip::Shard);
        }
        if !self.ids.is_empty() && !self.ids.contains(&claim.id) {
            return Some(Skip::Only);
        }
        let source = cf.sources.get(claim.source);
        if !self.sources.is_empty() && !source.is_some_and(|s| self.sources.contains(&s.name)) {
            return Some(Skip::Source);
        }
        if let Some(changed) = &self.changed {
            let mut versions = source.into_iter().flat_map(|s| &s.versions);
            if !changed.contains(&cf.path) && !versions.any(|v| changed.contains(&v.path)) {
                return Some(Skip::Unchanged);
            }
        }
        None
    }

    /// An `--only` id or a `--source` name that no claims file has: a typo would otherwise
    /// check nothing and pass.
    pub fn unknown_names(&self, files: &[ClaimsFile]) -> Vec<Diagnostic> {
        let ids: Vec<&str> = files
            .iter()
            .flat_map(|cf| cf.claims.iter().map(|c| c.id.as_str()))
            .collect();
        let sources: Vec<&str> = files
            .iter()
            .flat_map(|cf| cf.sources.iter().map(|s| s.name.as_str()))
            .collect();
        let unknown = |wanted: &[String], known: &[&str], what: &str, flag: &str| {
            wanted
                .iter()
                .filter(|w| !known.contains(&w.as_str()))
                .map(|w| {
                    let mut help = format!("`{flag}` takes the {what} of the claims files checked");
                    if let Some(near) = crate::diagnostic::closest(w, known.iter().copied()) {
                        help = format!("did you mean `{near}`? {help}");
                    }
                    // The names come from the command line: the user's own.
                    Diagnostic::error(format!("no claims file checked has a {what} `{w}`"))
                        .help(help)
                })
                .collect::<Vec<_>>()
        };
        let mut errs = unknown(&self.ids, &ids, "claim id", "--only");
        errs.extend(unknown(&self.sources, &sources, "source", "--source"));
        errs
    }
}
