//! The YAML as written: serde structs that keep every value's line and column.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    pub(crate) settings: Option<RawSettings>,
    pub(crate) sources: Option<OrderedMap<Spanned<RawSource>>>,
    pub(crate) claims: Option<Vec<Spanned<RawClaim>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSettings {
    pub(crate) threshold: Option<Spanned<f64>>,
    pub(crate) strict: Option<bool>,
    pub(crate) ellipsis_gap: Option<usize>,
    pub(crate) fact_window: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub(crate) title: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) versions: Option<OrderedMap<Spanned<RawVersion>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClaim {
    pub(crate) id: Option<Spanned<String>>,
    pub(crate) quote: Option<Spanned<String>>,
    pub(crate) fact: Option<Spanned<String>>,
    pub(crate) by: Option<String>,
    pub(crate) source: Option<Spanned<String>>,
    pub(crate) expect: Option<Spanned<String>>,
    pub(crate) note: Option<String>,
    pub(crate) keys: Option<Vec<String>>,
}

/// A version: its path, or its path and the encoding its bytes are in.
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum RawVersion {
    Path(String),
    Full(RawVersionFull),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVersionFull {
    pub(crate) path: String,
    pub(crate) encoding: Option<Spanned<String>>,
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
