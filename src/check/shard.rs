//! Shards: deterministic parts of a claims set, so that CI jobs can split the work and
//! `merge` can join their reports.

use crate::digest::{START, fnv};
use crate::model::ClaimsFile;

/// One of `count` deterministic parts of a claims set (`--shard index/count`, 1-based), so
/// that CI jobs can split a large set and `quotecheck merge` can join their reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which part, from 1.
    pub index: usize,
    /// Of how many.
    pub count: usize,
}

impl Shard {
    /// Whether a claim belongs here: by a hash of its file's identity
    /// ([`ClaimsFile::identity`]) and its id, so a claim stays in its shard when others are
    /// added or removed, and every job agrees however it named the files.
    pub fn holds(&self, file: &str, id: &str) -> bool {
        (fnv(START, file.bytes().chain([0]).chain(id.bytes())) % self.count as u64) as usize
            == self.index - 1
    }
}

/// The whole claims set a shard belongs to: how many claims, and a digest of every claim's
/// file identity and id, so that `merge` can tell the shards of one set from another's, and
/// a claim lost from one that was never checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimSet {
    /// Claims in the whole set.
    pub claims: usize,
    /// The digest, in hex when written.
    pub digest: u64,
}

impl ClaimSet {
    /// The set of `files`' claims.
    pub fn of(files: &[ClaimsFile]) -> ClaimSet {
        let mut keys: Vec<(&str, &str)> = files
            .iter()
            .flat_map(|cf| {
                cf.claims
                    .iter()
                    .map(|c| (cf.identity.as_str(), c.id.as_str()))
            })
            .collect();
        keys.sort_unstable();
        let digest = keys.iter().fold(START, |h, (file, id)| {
            fnv(h, file.bytes().chain([0]).chain(id.bytes()).chain([0]))
        });
        ClaimSet {
            claims: keys.len(),
            digest,
        }
    }
}

/// A `--shard` value that is not `INDEX/COUNT` with `1 <= INDEX <= COUNT`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a shard: write INDEX/COUNT with 1 <= INDEX <= COUNT, e.g. 2/4")]
pub struct ParseShardError(String);

impl std::str::FromStr for Shard {
    type Err = ParseShardError;
    fn from_str(s: &str) -> Result<Shard, ParseShardError> {
        let bad = || ParseShardError(s.to_string());
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            i.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}
