//! The YAML as written: serde structs that keep every value's line and column.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

/// A quotecheck claims file: the sources quoted and the claims made about them.
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "quotecheck claims file")]
pub(crate) struct RawFile {
    /// Settings for this file's claims (a flag given on the command line wins).
    pub(crate) settings: Option<RawSettings>,
    /// Each source by name, with its versions.
    #[schemars(with = "Option<std::collections::BTreeMap<String, RawSource>>")]
    pub(crate) sources: Option<OrderedMap<Spanned<RawSource>>>,
    /// The claims: each a `quote:` or a `fact:`.
    #[schemars(with = "Option<Vec<RawClaim>>")]
    pub(crate) claims: Option<Vec<Spanned<RawClaim>>>,
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSettings {
    /// Lowest score (1 - distance/length) that counts as approximate (default 0.8).
    #[schemars(with = "Option<f64>", range(min = 0.0, max = 1.0))]
    pub(crate) threshold: Option<Spanned<f64>>,
    /// Exact also requires the source's case and punctuation.
    pub(crate) strict: Option<bool>,
    /// Most source words an ellipsis may stand for (default 150).
    #[schemars(with = "Option<usize>", range(min = 1, max = 100000))]
    pub(crate) ellipsis_gap: Option<Spanned<usize>>,
    /// Words in a passage that may support a fact (default 60).
    #[schemars(with = "Option<usize>", range(min = 1, max = 100000))]
    pub(crate) fact_window: Option<Spanned<usize>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    /// The source's title, for people.
    pub(crate) title: Option<String>,
    /// Where the source was obtained, for people.
    pub(crate) url: Option<String>,
    /// Each version by name (`original`, `normalized`): a file path relative to this file.
    #[schemars(with = "Option<std::collections::BTreeMap<String, RawVersion>>")]
    pub(crate) versions: Option<OrderedMap<Spanned<RawVersion>>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClaim {
    /// Unique within the file.
    #[schemars(with = "Option<String>")]
    pub(crate) id: Option<Spanned<String>>,
    /// The exact words quoted (`...` for an omission, `[...]` for an editorial insertion).
    #[schemars(with = "Option<String>")]
    pub(crate) quote: Option<Spanned<String>>,
    /// A statement in your own words, checked by its names, numbers and dates.
    #[schemars(with = "Option<String>")]
    pub(crate) fact: Option<Spanned<String>>,
    /// Who is quoted: must be named near the quote.
    pub(crate) by: Option<String>,
    /// The source's name (needed when the file has several sources).
    #[schemars(with = "Option<String>")]
    pub(crate) source: Option<Spanned<String>>,
    /// The verdict expected: `exact` (default), `approximate` or `missing`.
    #[schemars(with = "Option<crate::model::Verdict>")]
    pub(crate) expect: Option<Spanned<String>>,
    /// A note for people.
    pub(crate) note: Option<String>,
    /// Facts: terms the passage must contain.
    pub(crate) keys: Option<Vec<String>>,
}

/// A version: its path, or its path and the encoding its bytes are in.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub(crate) enum RawVersion {
    Path(String),
    Full(RawVersionFull),
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVersionFull {
    /// The file, relative to the claims file.
    pub(crate) path: String,
    /// The encoding of its bytes (a label of the Encoding Standard: `windows-1252`, `shift_jis`).
    #[schemars(with = "Option<String>")]
    pub(crate) encoding: Option<Spanned<String>>,
}

/// The JSON Schema of claims files, for editors (`# yaml-language-server: $schema=…`).
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(RawFile)).unwrap_or_default()
}

/// A YAML mapping that keeps its order (versions are checked in the order written).
pub(crate) struct OrderedMap<V>(pub(crate) Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Vis<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of names to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = a.next_entry()? {
                    out.push(entry);
                }
                Ok(OrderedMap(out))
            }
        }
        d.deserialize_map(Vis(PhantomData))
    }
}

pub(crate) const FILE_FIELDS: &[&str] = &["settings", "sources", "claims"];

/// The line and column of a value.
pub(crate) fn at<T>(s: &Spanned<T>) -> (usize, usize) {
    (s.referenced.line() as usize, s.referenced.column() as usize)
}
