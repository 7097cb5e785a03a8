//! Shards: deterministic parts of a claims set, so that CI jobs can split the work and
//! `merge` can join their reports.

use crate::model::{Claim, ClaimsFile};

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
        // FNV-1a: stable across platforms and releases, unlike the standard hasher.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in file.bytes().chain([0]).chain(id.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        (h % self.count as u64) as usize == self.index - 1
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

/// The claims of `cf` that are checked: those of the shard, if one is chosen.
pub(crate) fn selected(cf: &ClaimsFile, shard: Option<Shard>) -> impl Iterator<Item = &Claim> {
    cf.claims
        .iter()
        .filter(move |c| shard.is_none_or(|s| s.holds(&cf.identity, &c.id)))
}
