//! What a check found: per claim and per version, the verdict, the passage, the evidence
//! (differences for quotes, key terms and conflicts for facts) and typed notes. `quote` and
//! `facts` produce these types, so neither needs the other, and every report reads them.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::model::{Claim, Verdict};
use crate::source::document::Position;

/// Where one ellipsis part of a quote matched: tokens `first..=last` of the version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentMatch {
    /// The first token.
    pub first: usize,
    /// The last token.
    pub last: usize,
    /// Edits between the part and the passage.
    pub distance: u32,
}

/// How a claim fared in one version of its source.
#[derive(Debug, Clone)]
pub struct VersionResult {
    /// The version's name in the claims file.
    pub name: String,
    /// The version's file.
    pub path: PathBuf,
    /// This version's verdict.
    pub verdict: Verdict,
    /// 1 − distance/length for a quote; the share of terms found for a fact.
    pub score: f64,
    /// `None` when nothing in the version shares a word with the claim.
    pub distance: Option<u32>,
    /// Where the passage starts in the raw file.
    pub position: Option<Position>,
    /// The closest passage, as a reader would quote it.
    pub passage: Option<String>,
    /// Quotes: how the quote differs from the passage.
    pub differences: Vec<Difference>,
    /// Each ellipsis part's match, in quote order (`None`: nothing shares a word with it).
    pub segments: Vec<Option<SegmentMatch>>,
    /// How many times the passage occurs in this version (0 when not counted).
    pub occurrences: usize,
    /// Where the first occurrences are, when there are several.
    pub elsewhere: Vec<Position>,
    /// What the version's verdict rests on beyond the distance (ellipsis problems).
    pub notes: Vec<Note>,
    /// Facts: each key term, found or not.
    pub keys: Vec<KeyCheck>,
    /// Facts: values the passage states differently.
    pub conflicts: Vec<Conflict>,
    /// Byte ranges of `passage` to highlight (a fact's terms).
    pub marks: Vec<Range<usize>>,
}

impl VersionResult {
    /// A version in which nothing was found (yet).
    pub(crate) fn empty(name: &str, path: PathBuf) -> VersionResult {
        VersionResult {
            name: name.to_string(),
            path,
            verdict: Verdict::Missing,
            score: 0.0,
            distance: None,
            position: None,
            passage: None,
            differences: Vec::new(),
            segments: Vec::new(),
            occurrences: 0,
            elsewhere: Vec::new(),
            notes: Vec::new(),
            keys: Vec::new(),
            conflicts: Vec::new(),
            marks: Vec::new(),
        }
    }

    /// Tokens from the first matched part's start to the last one's end.
    pub fn span(&self) -> Option<(usize, usize)> {
        let segs = || self.segments.iter().flatten();
        let first = segs().map(|s| s.first).min()?;
        let last = segs().map(|s| s.last).max()?;
        Some((first, last))
    }
}

/// How one claim fared: its verdict, from the best of its versions.
#[derive(Debug, Clone)]
pub struct ClaimResult {
    /// The claims file.
    pub file: PathBuf,
    /// The claim as written.
    pub claim: Claim,
    /// The source's name.
    pub source: String,
    /// The claim's verdict.
    pub verdict: Verdict,
    /// The deciding version's score.
    pub score: f64,
    /// Whether the verdict is at least the claim's `expect` (and no rule fails it).
    pub passed: bool,
    /// What the verdict rests on, and what to do.
    pub notes: Vec<Note>,
    /// For an approximate quote: the source's own wording, ready to paste.
    pub suggestion: Option<String>,
    /// Every version's result, in the order the claims file lists them.
    pub versions: Vec<VersionResult>,
    /// Index of the version the verdict comes from.
    pub decided_by: Option<usize>,
    /// A stable digest of the claim as checked: its file's identity, its id, its words, its
    /// `by`, `keys` and `expect`, its source's name and every version's text. A baseline
    /// recognises a claim by it; any change to one of these makes it another claim.
    pub fingerprint: u64,
}

impl ClaimResult {
    /// The version the verdict comes from.
    pub fn best(&self) -> Option<&VersionResult> {
        self.versions.get(self.decided_by?)
    }
}

/// The results of one claims file, in claim order.
#[derive(Debug, Clone)]
pub struct FileResult {
    /// The claims file.
    pub path: PathBuf,
    /// Its claims' results.
    pub claims: Vec<ClaimResult>,
}

/// The results of a run, with what is said once rather than per claim.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Per claims file, in the order given.
    pub files: Vec<FileResult>,
    /// Notes about the run as a whole.
    pub notes: Vec<Note>,
}

/// One version's verdict, for [`Note::VersionsDisagree`].
#[derive(Debug, Clone, PartialEq)]
pub struct VersionVerdict {
    /// The version's name.
    pub name: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// Its differences, as (claim, source) words.
    pub differences: Vec<(String, String)>,
}

/// A finding about a claim or a run, typed: a stable [`Note::code`], a [`Note::severity`],
/// and its prose through `Display`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Note {
    /// The versions of a source give different verdicts.
    VersionsDisagree {
        /// Each version's verdict, in version order.
        versions: Vec<VersionVerdict>,
    },
    /// Ellipsis parts found in the wrong order (1-based part numbers).
    EllipsisOutOfOrder {
        /// The part that should come first.
        earlier: usize,
        /// The part the source has before it.
        later: usize,
    },
    /// Ellipsis parts too far apart in the source.
    EllipsisGapTooWide {
        /// The part before the ellipsis (1-based).
        before: usize,
        /// The part after it.
        after: usize,
        /// Words between them.
        words: usize,
        /// The most an ellipsis may stand for.
        most: usize,
    },
    /// An ellipsis leaves out a negation or a number.
    EllipsisOmitsMeaning {
        /// The word left out.
        word: String,
    },
    /// An editorial insertion adds a negation or a number the source passage lacks.
    BracketInsertsMeaning {
        /// The word inserted.
        word: String,
    },
    /// The quote has the source's words in another order.
    WordsReordered,
    /// The quote keeps most of a passage's words in order with a few changed: a misquotation
    /// of it, however far apart their characters are.
    Misremembered {
        /// The passage's words the quote keeps.
        kept: usize,
        /// The passage's words.
        of: usize,
    },
    /// The passage occurs more than once.
    Ambiguous {
        /// How many times.
        occurrences: usize,
        /// In which version.
        version: String,
        /// The first few places.
        at: Vec<Position>,
    },
    /// The speaker is not named near the quote.
    AttributionNotFound {
        /// The speaker, as the claim names them.
        by: String,
        /// How many words around the quote were searched.
        window: usize,
    },
    /// The claim does better than its `expect` says.
    StaleExpectation {
        /// What the claim expects.
        expected: Verdict,
        /// What was found.
        found: Verdict,
    },
    /// The claim does worse than its `expect`.
    FallsShort {
        /// What the claim expects.
        expected: Verdict,
        /// What was found.
        found: Verdict,
    },
    /// A claims file declares no claims: nothing of it was checked.
    NoClaims {
        /// The claims file.
        path: PathBuf,
    },
    /// Strict mode cannot judge a version without case or punctuation.
    NotJudgedStrictly {
        /// The version's name.
        version: String,
        /// Its file.
        path: PathBuf,
    },
}

impl Note {
    /// A stable identifier for machines: CI annotations, SARIF rule ids, filters.
    pub fn code(&self) -> &'static str {
        match self {
            Note::VersionsDisagree { .. } => "versions-disagree",
            Note::EllipsisOutOfOrder { .. } => "ellipsis-out-of-order",
            Note::EllipsisGapTooWide { .. } => "ellipsis-gap-too-wide",
            Note::EllipsisOmitsMeaning { .. } => "ellipsis-omits-meaning",
            Note::BracketInsertsMeaning { .. } => "bracket-inserts-meaning",
            Note::WordsReordered => "words-reordered",
            Note::Misremembered { .. } => "misremembered",
            Note::Ambiguous { .. } => "ambiguous",
            Note::AttributionNotFound { .. } => "attribution-not-found",
            Note::StaleExpectation { .. } => "stale-expectation",
            Note::FallsShort { .. } => "falls-short",
            Note::NoClaims { .. } => "no-claims",
            Note::NotJudgedStrictly { .. } => "not-judged-strictly",
        }
    }

    /// How much it matters: an error fails the claim; a warning deserves a look.
    pub fn severity(&self) -> Severity {
        match self {
            Note::FallsShort { .. } => Severity::Error,
            Note::VersionsDisagree { .. } | Note::NotJudgedStrictly { .. } => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::VersionsDisagree { versions } => {
                let parts: Vec<String> = versions
                    .iter()
                    .map(|v| {
                        let (name, verdict) = (&v.name, v.verdict);
                        let pairs: Vec<String> = v
                            .differences
                            .iter()
                            .map(|(c, s)| format!("{c}/{s}"))
                            .collect();
                        if verdict == Verdict::Approximate && !pairs.is_empty() {
                            format!("{verdict} in {name} ({})", pairs.join(", "))
                        } else {
                            format!("{verdict} in {name}")
                        }
                    })
                    .collect();
                write!(f, "versions disagree: {}", parts.join(", "))
            }
            Note::EllipsisOutOfOrder { earlier, later } => write!(
                f,
                "the parts around the ellipsis are out of order: part {later} comes before part {earlier} in the source"
            ),
            Note::EllipsisGapTooWide {
                before,
                after,
                words,
                most,
            } => write!(
                f,
                "parts {before} and {after} are {words} words apart in the source (more than {most})"
            ),
            Note::EllipsisOmitsMeaning { word } => {
                write!(f, "the omitted words contain '{word}'")
            }
            Note::BracketInsertsMeaning { word } => write!(
                f,
                "the editorial insertion adds '{word}', which the source passage does not have"
            ),
            Note::WordsReordered => {
                f.write_str("the quote has the source's words in another order")
            }
            Note::Misremembered { kept, of } => write!(
                f,
                "a misquotation: the quote keeps {kept} of the passage's {of} words in order, with others changed"
            ),
            Note::Ambiguous {
                occurrences,
                version,
                at,
            } => {
                let at: Vec<String> = at
                    .iter()
                    .map(|p| format!("{}:{}", p.line, p.column))
                    .collect();
                write!(
                    f,
                    "ambiguous: the passage occurs {occurrences} times in {version} (at {})",
                    at.join(", ")
                )
            }
            Note::AttributionNotFound { by, window } => write!(
                f,
                "attribution not found near the quote: `{by}` is not named within {window} words of it"
            ),
            Note::StaleExpectation { expected, found } => write!(
                f,
                "expected {expected} but found {found}: the expectation is stale, update `expect`"
            ),
            Note::FallsShort { expected, found } => write!(f, "expected {expected}, found {found}"),
            Note::NotJudgedStrictly { version, path } => write!(
                f,
                "strict mode: version `{version}` ({}) has no case or punctuation to compare, so it is not judged strictly",
                path.display()
            ),
            Note::NoClaims { path } => write!(
                f,
                "{} has no claims: nothing in it was checked",
                crate::diagnostic::shown_path(path)
            ),
        }
    }
}

/// What kind of difference a quote has from its source.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DifferenceKind {
    /// `81` vs `71`, `four` vs `five`.
    Number,
    /// The quote has a negation the source lacks.
    NegationAdded,
    /// The source has a negation the quote lacks.
    NegationRemoved,
    /// The same words, in another order.
    WordsSwapped,
    /// A phrase the quote has at another place of the passage (`source`: where the passage
    /// has it, with the word before).
    WordsMoved,
    /// Words in the quote that the source lacks.
    WordsAdded,
    /// Words in the source that the quote lacks.
    WordsDropped,
    /// A word within a small edit distance (`concede`/`conceed`).
    Spelling,
    /// Another word in place of the source's.
    WordChanged,
    /// Strict mode: the same words, other punctuation.
    PunctuationOnly,
    /// Strict mode: the same words, other capitals.
    CaseOnly,
}

impl DifferenceKind {
    /// A changed number or negation changes what the quote says.
    pub fn changes_meaning(self) -> bool {
        matches!(
            self,
            DifferenceKind::Number
                | DifferenceKind::NegationAdded
                | DifferenceKind::NegationRemoved
        )
    }

    /// The kind as a reader would name it.
    pub fn label(self) -> &'static str {
        match self {
            DifferenceKind::Number => "changed number",
            DifferenceKind::NegationAdded => "negation added",
            DifferenceKind::NegationRemoved => "negation removed",
            DifferenceKind::WordsSwapped => "words swapped",
            DifferenceKind::WordsMoved => "words moved",
            DifferenceKind::WordsAdded => "words added",
            DifferenceKind::WordsDropped => "words dropped",
            DifferenceKind::Spelling => "spelling",
            DifferenceKind::WordChanged => "other word changed",
            DifferenceKind::PunctuationOnly => "punctuation only",
            DifferenceKind::CaseOnly => "case only",
        }
    }
}

/// One difference between quote and source, in the words each side wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// What kind of change.
    pub kind: DifferenceKind,
    /// The quote's words (empty when the quote leaves words out).
    pub claim: String,
    /// The source's words (empty when the quote adds words).
    pub source: String,
}

/// Whether a fact's key term was found in the passage, and as what. (Fields in the JSON
/// report's order.)
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct KeyCheck {
    /// Whether the passage states it.
    pub found: bool,
    /// How the source writes it (or, when not found, a value of the same kind it states).
    pub source_value: Option<String>,
    /// The term, as the claim writes it.
    pub term: String,
}

/// What kind of value a fact states.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    /// A count or amount without a unit of money or percent.
    Number,
    /// A percentage.
    Percent,
    /// An amount of money.
    Money,
    /// A calendar date, as precise as written.
    Date,
}

impl fmt::Display for ValueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValueKind::Number => "number",
            ValueKind::Percent => "percent",
            ValueKind::Money => "money",
            ValueKind::Date => "date",
        })
    }
}

/// A value the claim states that the passage states differently.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Conflict {
    /// What kind of value.
    pub kind: ValueKind,
    /// As the claim writes it.
    pub claim: String,
    /// As the source writes it.
    pub source: String,
}
