//! Settings: one type for every layer (built-in defaults, a claims file's `settings:`, the
//! command line), each value optional, combined with [`Settings::layer`]. Every default is
//! written once, in [`Rules::from`].

/// Lowest score that counts as approximate, unless a setting says otherwise.
pub const DEFAULT_THRESHOLD: f64 = 0.8;
/// Most source words an ellipsis may stand for, unless a setting says otherwise.
pub const DEFAULT_ELLIPSIS_GAP: usize = 150;
/// Words in a passage that may support a fact, unless a setting says otherwise.
pub const DEFAULT_FACT_WINDOW: usize = 60;

/// The largest `ellipsis_gap` and `fact_window` accepted: far more words than any passage
/// quoted, and small enough that every count derived from them stays in range.
pub const MOST_WORDS: usize = 100_000;

/// Why a setting's value is refused, and an example of a good one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    /// The setting's name, as files write it.
    pub key: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: &'static str,
    /// A good value.
    pub example: &'static str,
}

/// A threshold in (0, 1]; every layer checks its values here, so that each gives the same
/// message.
pub fn check_threshold(value: f64) -> Result<(), SettingError> {
    if value > 0.0 && value <= 1.0 {
        return Ok(());
    }
    Err(SettingError {
        key: "threshold",
        message: format!("threshold {value} is out of range"),
        help: "use a number above 0 and at most 1",
        example: "0.8",
    })
}

/// A count of words (`ellipsis_gap`, `fact_window`) from 1 to [`MOST_WORDS`].
pub fn check_words(key: &'static str, value: usize) -> Result<(), SettingError> {
    if (1..=MOST_WORDS).contains(&value) {
        return Ok(());
    }
    Err(SettingError {
        key,
        message: format!("{key} {value} is out of range"),
        help: "use a number of words from 1 to 100000",
        example: "150",
    })
}

/// How claims are checked. `None` leaves the value to the layer below.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Settings {
    /// Lowest score (1 − distance/length) that counts as approximate, in (0, 1].
    pub threshold: Option<f64>,
    /// Exact also requires the source's case and punctuation; an unnamed speaker fails.
    pub strict: Option<bool>,
    /// A passage that occurs more than once fails its claim.
    pub fail_on_ambiguous: Option<bool>,
    /// Most source words an ellipsis may stand for.
    pub ellipsis_gap: Option<usize>,
    /// Words in a passage that may support a fact.
    pub fact_window: Option<usize>,
    /// Align every quote against the whole of every source, however large.
    pub exhaustive: Option<bool>,
}

impl Settings {
    /// These settings with `over`'s values wherever `over` has one.
    pub fn layer(&self, over: &Settings) -> Settings {
        Settings {
            threshold: over.threshold.or(self.threshold),
            strict: over.strict.or(self.strict),
            fail_on_ambiguous: over.fail_on_ambiguous.or(self.fail_on_ambiguous),
            ellipsis_gap: over.ellipsis_gap.or(self.ellipsis_gap),
            fact_window: over.fact_window.or(self.fact_window),
            exhaustive: over.exhaustive.or(self.exhaustive),
        }
    }
}

/// Settings resolved to values: what one claim is checked by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rules {
    pub(crate) threshold: f64,
    pub(crate) strict: bool,
    pub(crate) fail_on_ambiguous: bool,
    pub(crate) ellipsis_gap: usize,
    pub(crate) fact_window: usize,
    pub(crate) exhaustive: bool,
}

impl From<&Settings> for Rules {
    fn from(s: &Settings) -> Rules {
        Rules {
            threshold: s.threshold.unwrap_or(DEFAULT_THRESHOLD),
            strict: s.strict.unwrap_or(false),
            fail_on_ambiguous: s.fail_on_ambiguous.unwrap_or(false),
            ellipsis_gap: s.ellipsis_gap.unwrap_or(DEFAULT_ELLIPSIS_GAP),
            fact_window: s.fact_window.unwrap_or(DEFAULT_FACT_WINDOW),
            exhaustive: s.exhaustive.unwrap_or(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upper_layer_wins_where_it_has_a_value() {
        let file = Settings {
            threshold: Some(0.9),
            strict: Some(true),
            ..Settings::default()
        };
        let flags = Settings {
            threshold: Some(0.7),
            ..Settings::default()
        };
        let rules = Rules::from(&file.layer(&flags));
        assert_eq!(rules.threshold, 0.7);
        assert!(rules.strict);
        assert_eq!(rules.ellipsis_gap, DEFAULT_ELLIPSIS_GAP);
    }
}
