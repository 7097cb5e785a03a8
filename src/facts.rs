//! Facts: statements in the writer's own words, checked by their key terms (numbers, dates,
//! amounts, names, and the claim's `keys:`) and content words, not by edit distance.
//!
//! Values are compared by meaning: `71` = `71.0` = `seventy-one`; `71 percent` = `71%` =
//! `71 per cent`; `September 20, 2016` = `Sept. 20, 2016` = `20 September 2016` = `2016-09-20`
//! (a bare `September 20` or `2016` matches those parts); `$50,000` = `50,000 dollars`.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;

use crate::claims::Verdict;
use crate::document::Document;
use crate::explain::name_forms;
use crate::matcher::Index;
use crate::normalize::{Normalized, normalize};

/// Passage size, in words, when nothing else is said.
pub const DEFAULT_WINDOW: usize = 60;
/// Share of a fact's content words an exact passage must have.
pub const CONTENT_SHARE: f64 = 0.6;
/// The same, for a fact with no key term at all: its words are all there is to go on.
pub const CONTENT_SHARE_WITHOUT_KEYS: f64 = 0.8;
/// Share of a fact's content words a passage must have to be about the same thing when a key
/// term is missing or conflicts.
pub const SUBJECT_SHARE: f64 = 0.5;

/// A calendar date, as precise as it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// Every part the claim gives is the same in `source`.
    fn within(&self, source: &PartialDate) -> bool {
        fn same<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
            a.is_none() || a == b
        }
        same(self.year, source.year) && same(self.month, source.month) && same(self.day, source.day)
    }

    /// Parts both give, and how many of them agree.
    fn overlap(&self, other: &PartialDate) -> (usize, usize) {
        let pairs = [
            (self.year.map(|y| y as i64), other.year.map(|y| y as i64)),
            (self.month.map(i64::from), other.month.map(i64::from)),
            (self.day.map(i64::from), other.day.map(i64::from)),
        ];
        let both = pairs
            .iter()
            .filter(|(a, b)| a.is_some() && b.is_some())
            .count();
        let agree = pairs.iter().filter(|(a, b)| a.is_some() && a == b).count();
        (both, agree)
    }
}

/// A value a text states.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Number(f64),
    Percent(f64),
    /// An amount and its currency sign (`$`, `£`, `€`).
    Money(f64, char),
    Date(PartialDate),
}

impl Value {
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Number(_) => "number",
            Value::Percent(_) => "percent",
            Value::Money(..) => "money",
            Value::Date(_) => "date",
        }
    }

    /// Does the source's value `other` state what the claim's value `self` states?
    fn matches(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Number(a), Value::Number(b)) | (Value::Percent(a), Value::Percent(b)) => {
                (a - b).abs() < 1e-9
            }
            (Value::Money(a, x), Value::Money(b, y)) => (a - b).abs() < 1e-9 && x == y,
            (Value::Date(a), Value::Date(b)) => a.within(b),
            _ => false,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(n) => write!(f, "{n}"),
            Value::Percent(n) => write!(f, "{n}%"),
            Value::Money(n, c) => write!(f, "{c}{n}"),
            Value::Date(d) => {
                let parts: Vec<String> = [
                    d.year.map(|y| y.to_string()),
                    d.month.map(|m| format!("{m:02}")),
                    d.day.map(|x| format!("{x:02}")),
                ]
                .into_iter()
                .flatten()
                .collect();
                write!(f, "{}", parts.join("-"))
            }
        }
    }
}

/// A value found in a text: what it is, where (token indices), and how it was written.
#[derive(Debug, Clone)]
pub struct Found {
    pub value: Value,
    pub first: usize,
    pub last: usize,
    pub written: String,
    /// For a plain number, the (stemmed) word it counts: "15 minutes" counts "minut".
    pub unit: Option<String>,
}

// ---- reading values out of token streams ----

/// A token as value extraction sees it: its normalized word, the visible text before it.
struct Tok<'a> {
    word: String,
    raw: &'a str,
    before: &'a str,
    after: &'a str,
}

fn tokens_of<'a>(norm: &Normalized, src: &'a str, range: Range<usize>) -> Vec<Tok<'a>> {
    range
        .map(|i| {
            let own = norm.src_range(i);
            let prev_end = if i == 0 { 0 } else { norm.src_range(i - 1).end };
            let next_start = if i + 1 < norm.token_count() {
                norm.src_start(i + 1)
            } else {
                src.len()
            };
            Tok {
                word: norm.word(i),
                raw: &src[own.clone()],
                before: &src[prev_end..own.start],
                after: &src[own.end..next_start],
            }
        })
        .collect()
}

const UNITS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: &[&str] = &[
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const ORDINAL_UNITS: &[(&str, u32)] = &[
    ("first", 1),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("eleventh", 11),
    ("twelfth", 12),
    ("thirteenth", 13),
    ("fourteenth", 14),
    ("fifteenth", 15),
    ("sixteenth", 16),
    ("seventeenth", 17),
    ("eighteenth", 18),
    ("nineteenth", 19),
    ("twentieth", 20),
    ("thirtieth", 30),
    ("fortieth", 40),
    ("fiftieth", 50),
    ("sixtieth", 60),
    ("seventieth", 70),
    ("eightieth", 80),
    ("ninetieth", 90),
    ("hundredth", 100),
    ("thousandth", 1000),
];
const SCALES: &[(&str, f64)] = &[
    ("hundred", 100.0),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
];
const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

fn month_of(w: &str) -> Option<u8> {
    MONTHS.iter().find(|(n, _)| *n == w).map(|&(_, m)| m)
}

/// Words that are also months only next to a day or a year ("may", "march").
fn month_needs_company(w: &str) -> bool {
    matches!(
        w,
        "may" | "march" | "mar" | "jan" | "jun" | "jul" | "dec" | "sep"
    )
}

fn unit_value(w: &str) -> Option<f64> {
    UNITS.iter().position(|u| *u == w).map(|i| i as f64)
}

fn tens_value(w: &str) -> Option<f64> {
    TENS.iter()
        .position(|u| *u == w)
        .map(|i| (i as f64 + 2.0) * 10.0)
}

fn scale_value(w: &str) -> Option<f64> {
    SCALES.iter().find(|(s, _)| *s == w).map(|&(_, v)| v)
}

fn ordinal_value(w: &str) -> Option<f64> {
    ORDINAL_UNITS
        .iter()
        .find(|(s, _)| *s == w)
        .map(|&(_, v)| v as f64)
}

/// `71`, `20th`: a whole number written in digits (ordinal suffixes allowed).
fn digits(w: &str) -> Option<f64> {
    let stem = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| w.strip_suffix(s))
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or(w);
    if !stem.is_empty() && stem.len() <= 15 && stem.chars().all(|c| c.is_ascii_digit()) {
        stem.parse().ok()
    } else {
        None
    }
}

/// The sign of a currency named in words.
fn currency_word(w: &str) -> Option<char> {
    match w {
        "dollar" | "dollars" => Some('$'),
        "pound" | "pounds" => Some('£'),
        "euro" | "euros" => Some('€'),
        _ => None,
    }
}

fn is_plain_digits(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_ascii_digit())
}

/// A number at `i`, in digits (with thousands groups and a decimal part) or in words.
/// Returns the value and the index of its last token.
fn number_at(toks: &[Tok], i: usize) -> Option<(f64, usize)> {
    let w = toks[i].word.as_str();
    if let Some(v) = digits(w) {
        let mut value = v;
        let mut last = i;
        if is_plain_digits(w) {
            // Thousands groups: "1,000" (or "50 000" in a text without punctuation).
            while let Some(n) = toks.get(last + 1) {
                let sep = n.before;
                let grouped = n.word.len() == 3
                    && is_plain_digits(&n.word)
                    && (sep == "," || (sep == " " && toks[i].word.len() <= 3 && last == i));
                if !grouped {
                    break;
                }
                value = value * 1000.0 + n.word.parse::<f64>().ok()?;
                last += 1;
            }
            if let Some(n) = toks.get(last + 1)
                && n.before == "."
                && is_plain_digits(&n.word)
            {
                value += format!("0.{}", n.word).parse::<f64>().ok()?;
                last += 1;
            }
            if toks.get(last + 1).is_some_and(|n| n.before == ":") {
                return None; // a time of day
            }
        }
        return Some((value, last));
    }
    // In words: "seventy-one", "nine hundred sixty and nine", "twentieth".
    let mut total = 0.0;
    let mut current = 0.0;
    let mut last = None;
    let mut j = i;
    while let Some(t) = toks.get(j) {
        let w = t.word.as_str();
        if let Some(v) = unit_value(w).or_else(|| tens_value(w)) {
            current += v;
        } else if let Some(v) = ordinal_value(w) {
            current += v;
            last = Some(j);
            break;
        } else if let Some(s) = scale_value(w) {
            if last.is_none() {
                break;
            }
            if s == 100.0 {
                current = current.max(1.0) * 100.0;
            } else {
                total += current.max(1.0) * s;
                current = 0.0;
            }
        } else if w == "and"
            && last.is_some()
            && toks.get(j + 1).is_some_and(|n| {
                unit_value(&n.word)
                    .or_else(|| tens_value(&n.word))
                    .is_some()
            })
        {
            j += 1;
            continue;
        } else {
            break;
        }
        last = Some(j);
        j += 1;
    }
    last.map(|l| (total + current, l))
}

/// Day `d` of month `m`, its last token at `last`, and the year after it if there is one.
fn day_month_year(d: u8, m: u8, last: usize, year: Option<i32>) -> (PartialDate, usize) {
    let date = PartialDate {
        year,
        month: Some(m),
        day: Some(d),
    };
    (date, if year.is_some() { last + 1 } else { last })
}

/// Whether `w` is a number written in words (or a part of one): `seven`, `twentieth`.
pub fn is_number_word(w: &str) -> bool {
    unit_value(w).is_some()
        || tens_value(w).is_some()
        || scale_value(w).is_some()
        || ordinal_value(w).is_some()
        || matches!(w, "second" | "half" | "dozen")
}

/// A date starting at `i`: `September 20, 2016`, `Sept. 20`, `20 September 2016`,
/// `September 2016`, `2016-09-20`.
fn date_at(toks: &[Tok], i: usize) -> Option<(PartialDate, usize)> {
    let w = toks[i].word.as_str();
    let day_at = |j: usize| {
        toks.get(j)
            .and_then(|t| digits(&t.word))
            .filter(|d| (1.0..=31.0).contains(d))
            .map(|d| d as u8)
    };
    let year_at = |j: usize| {
        toks.get(j)
            .filter(|t| t.word.len() == 4 && is_plain_digits(&t.word))
            .and_then(|t| t.word.parse::<i32>().ok())
    };
    if let Some(m) = month_of(w) {
        if let Some(d) = day_at(i + 1)
            && toks[i + 1].word.len() <= 4
        {
            return Some(day_month_year(d, m, i + 1, year_at(i + 2)));
        }
        if let Some(y) = year_at(i + 1) {
            return Some((
                PartialDate {
                    year: Some(y),
                    month: Some(m),
                    day: None,
                },
                i + 1,
            ));
        }
        if !month_needs_company(w) && toks[i].raw.starts_with(|c: char| c.is_uppercase()) {
            return Some((
                PartialDate {
                    year: None,
                    month: Some(m),
                    day: None,
                },
                i,
            ));
        }
        return None;
    }
    // "the Seventeenth Day of September", "the twentieth of March, 1888".
    if let Some((d, l)) = number_at(toks, i)
        && (1.0..=31.0).contains(&d)
    {
        let of = if toks.get(l + 1).is_some_and(|t| t.word == "day") {
            l + 2
        } else {
            l + 1
        };
        if toks.get(of).is_some_and(|t| t.word == "of")
            && let Some(m) = toks.get(of + 1).and_then(|t| month_of(&t.word))
        {
            return Some(day_month_year(d as u8, m, of + 1, year_at(of + 2)));
        }
    }
    if let Some(d) = day_at(i)
        && let Some(m) = toks.get(i + 1).and_then(|t| month_of(&t.word))
    {
        return Some(day_month_year(d, m, i + 1, year_at(i + 2)));
    }
    // ISO 8601.
    if let Some(y) = year_at(i)
        && let (Some(a), Some(b)) = (toks.get(i + 1), toks.get(i + 2))
        && a.before == "-"
        && b.before == "-"
        && let (Some(m), Some(d)) = (digits(&a.word), digits(&b.word))
        && (1.0..=12.0).contains(&m)
        && (1.0..=31.0).contains(&d)
    {
        return Some((
            PartialDate {
                year: Some(y),
                month: Some(m as u8),
                day: Some(d as u8),
            },
            i + 2,
        ));
    }
    None
}

/// Every value stated in tokens `range` of a normalized text read from `src`.
pub fn values(norm: &Normalized, src: &str, range: Range<usize>) -> Vec<Found> {
    let offset = range.start;
    let toks = tokens_of(norm, src, range);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let written = |a: usize, b: usize| {
            let s = norm.src_start(offset + a);
            let e = norm.src_range(offset + b).end;
            crate::document::collapse_whitespace(&src[s..e])
        };
        let push = |out: &mut Vec<Found>, value, a: usize, b: usize| {
            let mut w = written(a, b);
            if matches!(value, Value::Percent(_)) && toks[b].after.trim_start().starts_with('%') {
                w.push('%');
            }
            if let Value::Money(_, sign) = value
                && toks[a].before.trim_end().ends_with(sign)
            {
                w.insert(0, sign);
            }
            let unit = match value {
                Value::Number(_) => toks
                    .get(b + 1)
                    .map(|t| t.word.as_str())
                    .filter(|u| !is_stop(u))
                    .map(stem),
                _ => None,
            };
            out.push(Found {
                value,
                first: offset + a,
                last: offset + b,
                written: w,
                unit,
            })
        };
        // A time of day ("10:28 pm") is no value here.
        if is_plain_digits(&toks[i].word)
            && toks
                .get(i + 1)
                .is_some_and(|n| n.before == ":" && is_plain_digits(&n.word))
        {
            i += 2;
            continue;
        }
        if let Some((d, last)) = date_at(&toks, i) {
            push(&mut out, Value::Date(d), i, last);
            i = last + 1;
            continue;
        }
        let Some((mut v, mut last)) = number_at(&toks, i) else {
            i += 1;
            continue;
        };
        // "50 million", "1.2 billion".
        if let Some(s) = toks
            .get(last + 1)
            .and_then(|t| scale_value(&t.word))
            .filter(|&s| s >= 1e6)
        {
            v *= s;
            last += 1;
        }
        let next = |k: usize| toks.get(last + k).map(|t| t.word.as_str());
        let value = if next(1) == Some("percent") || toks[last].after.trim_start().starts_with('%')
        {
            if next(1) == Some("percent") {
                last += 1;
            }
            Value::Percent(v)
        } else if next(1) == Some("per") && next(2) == Some("cent") {
            last += 2;
            Value::Percent(v)
        } else if let Some(sign) = toks[i]
            .before
            .trim_end()
            .chars()
            .last()
            .filter(|c| matches!(c, '$' | '£' | '€'))
        {
            Value::Money(v, sign)
        } else if let Some(sign) = next(1).and_then(currency_word) {
            last += 1;
            Value::Money(v, sign)
        } else if toks[i].word.len() == 4
            && last == i
            && is_plain_digits(&toks[i].word)
            && (1000.0..=2100.0).contains(&v)
            // "1000 donors" counts donors; "2016 election" is a year.
            && !next(1).is_some_and(|w| w.len() > 3 && w.ends_with('s') && !is_stop(w))
        {
            Value::Date(PartialDate {
                year: Some(v as i32),
                month: None,
                day: None,
            })
        } else if matches!(toks[i].word.as_str(), "one" | "first") && last == i {
            // "one of them", "the first message": rarely a number worth checking.
            i += 1;
            continue;
        } else {
            Value::Number(v)
        };
        push(&mut out, value, i, last);
        i = last + 1;
    }
    out
}

// ---- the fact as written ----

/// English stop words: not content, never names on their own.
const STOP: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "s",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "according",
    "said",
    "says",
    "say",
];

fn is_stop(w: &str) -> bool {
    STOP.contains(&w)
}

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Past forms of common irregular verbs, which no suffix-stripping stemmer can join to their
/// base ("wrote"/"write").
const IRREGULAR: &[(&str, &str)] = &[
    ("wrote", "write"),
    ("written", "write"),
    ("said", "say"),
    ("met", "meet"),
    ("gave", "give"),
    ("given", "give"),
    ("took", "take"),
    ("taken", "take"),
    ("sent", "send"),
    ("told", "tell"),
    ("made", "make"),
    ("went", "go"),
    ("gone", "go"),
    ("got", "get"),
    ("came", "come"),
    ("ran", "run"),
    ("held", "hold"),
    ("paid", "pay"),
    ("won", "win"),
    ("lost", "lose"),
    ("began", "begin"),
    ("begun", "begin"),
    ("knew", "know"),
    ("known", "know"),
    ("thought", "think"),
    ("found", "find"),
    ("left", "leave"),
    ("brought", "bring"),
    ("bought", "buy"),
    ("sold", "sell"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("broke", "break"),
    ("broken", "break"),
    ("fell", "fall"),
    ("led", "lead"),
    ("saw", "see"),
    ("seen", "see"),
    ("stood", "stand"),
    ("kept", "keep"),
    ("felt", "feel"),
    ("heard", "hear"),
    ("meant", "mean"),
    ("built", "build"),
    ("spent", "spend"),
    ("grew", "grow"),
    ("drew", "draw"),
    ("drove", "drive"),
    ("rose", "rise"),
    ("struck", "strike"),
    ("taught", "teach"),
    ("caught", "catch"),
    ("fought", "fight"),
    ("sought", "seek"),
    ("threw", "throw"),
    ("wore", "wear"),
    ("hid", "hide"),
    ("flew", "fly"),
];

fn stem(w: &str) -> String {
    let base = IRREGULAR
        .iter()
        .find(|(past, _)| *past == w)
        .map_or(w, |&(_, b)| b);
    STEMMER.stem(base).into_owned()
}

fn collapse(s: &str) -> String {
    crate::document::collapse_whitespace(s)
}

/// One key term of a fact.
#[derive(Debug, Clone)]
pub enum Term {
    Value(Value),
    /// A name: found by its full form or a short form.
    Name(Vec<Normalized>),
    /// Words listed in `keys:` that are no value: found as they are.
    Words(Normalized),
}

#[derive(Debug, Clone)]
pub struct Key {
    /// As the claim writes it.
    pub term: String,
    pub what: Term,
    /// For a number, the word it counts (stemmed).
    pub unit: Option<String>,
}

/// A fact, read: its key terms and its content words (stemmed).
#[derive(Debug, Clone)]
pub struct Fact {
    pub keys: Vec<Key>,
    pub content: Vec<String>,
    /// Normalized words worth looking up in the index.
    pub lookup: Vec<String>,
}

impl Fact {
    pub fn parse(text: &str, keys: &[String]) -> Fact {
        let norm = normalize(text);
        let n = norm.token_count();
        let mut key_tokens: HashSet<usize> = HashSet::new();
        let mut out: Vec<Key> = Vec::new();
        for f in values(&norm, text, 0..n) {
            key_tokens.extend(f.first..=f.last);
            let term = match &f.unit {
                Some(_) => collapse(&text[norm.src_start(f.first)..norm.src_range(f.last + 1).end]),
                None => f.written,
            };
            out.push(Key {
                term,
                what: Term::Value(f.value),
                unit: f.unit,
            });
        }
        // Names: runs of capitalized words, not a stop word at a sentence start.
        let toks = tokens_of(&norm, text, 0..n);
        let mut i = 0;
        while i < n {
            let capital = |j: usize| {
                let t = &toks[j];
                let starts_upper = t.raw.starts_with(|c: char| c.is_uppercase());
                let sentence_start = j == 0 || t.before.contains(['.', '!', '?', ':']);
                // At a sentence start a capital says nothing, unless the word looks like a
                // name anyway (FiveThirtyEight, NYT) or another capitalized word follows.
                let looks_like_name = t.raw.chars().skip(1).any(char::is_uppercase)
                    || toks
                        .get(j + 1)
                        .is_some_and(|n| capital_simple(n) && n.before.trim().is_empty());
                starts_upper
                    && !key_tokens.contains(&j)
                    && t.word != "i"
                    && month_of(&t.word).is_none()
                    && !(sentence_start && (is_stop(&t.word) || !looks_like_name))
                    && !(is_stop(&t.word) && j > 0 && !capital_simple(&toks[j - 1]))
            };
            if !capital(i) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j + 1 < n
                && (toks[j + 1].before.trim().is_empty() || matches!(toks[j + 1].before, "." | "-"))
                && capital(j + 1)
            {
                j += 1;
            }
            let span = &text[norm.src_start(i)..norm.src_range(j).end];
            key_tokens.extend(i..=j);
            out.push(Key {
                term: span.to_string(),
                what: Term::Name(name_forms(span)),
                unit: None,
            });
            i = j + 1;
        }
        // Explicit keys, unless already there.
        for k in keys {
            let kn = normalize(k);
            if kn.is_empty() {
                continue;
            }
            let vals = values(&kn, k, 0..kn.token_count());
            let what = match vals.as_slice() {
                [only] if only.first == 0 && only.last + 1 == kn.token_count() => {
                    Term::Value(only.value)
                }
                _ => Term::Words(kn.clone()),
            };
            let duplicate = out.iter().any(|o| match (&o.what, &what) {
                (Term::Value(a), Term::Value(b)) => a == b,
                _ => normalize(&o.term).as_string() == kn.as_string(),
            });
            if !duplicate {
                out.push(Key {
                    term: k.clone(),
                    what,
                    unit: None,
                });
            }
        }
        let words = norm.words();
        let content: Vec<String> = words
            .iter()
            .enumerate()
            .filter(|(i, w)| {
                !key_tokens.contains(i) && !is_stop(w) && !w.chars().all(|c| c.is_ascii_digit())
            })
            .map(|(_, w)| stem(w))
            .collect();
        let mut lookup: Vec<String> = words.into_iter().filter(|w| !is_stop(w)).collect();
        lookup.sort();
        lookup.dedup();
        Fact {
            keys: out,
            content,
            lookup,
        }
    }
}

fn capital_simple(t: &Tok) -> bool {
    t.raw.starts_with(|c: char| c.is_uppercase())
}

// ---- checking a fact against a document ----

/// Whether a key term was found in the passage, and as what.
#[derive(Debug, Clone, Serialize)]
pub struct KeyCheck {
    pub term: String,
    pub found: bool,
    /// How the source writes it (or, when not found, a value of the same kind it states).
    pub source_value: Option<String>,
}

/// A value the claim states that the passage states differently.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub kind: &'static str,
    pub claim: String,
    pub source: String,
}

/// The best passage for a fact in one version.
#[derive(Debug, Clone)]
pub struct FactMatch {
    pub verdict: Verdict,
    /// Share of the fact's terms the passage has.
    pub score: f64,
    pub first: usize,
    pub last: usize,
    pub keys: Vec<KeyCheck>,
    pub conflicts: Vec<Conflict>,
    /// Tokens to highlight: the key terms found and the values in conflict.
    pub marks: Vec<usize>,
}

fn window_words(doc: &Document, first: usize, last: usize) -> Vec<String> {
    doc.norm.words_in(first..last + 1)
}

fn contains_seq(hay: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Check a fact against one version: the best window of `window` words.
pub fn check(fact: &Fact, doc: &Document, index: &Index, window: usize) -> Option<FactMatch> {
    let n = doc.norm.token_count();
    if n == 0 {
        return None;
    }
    let window = window.max(10);
    let step = window / 2;
    // Candidate windows: where most of the fact's words occur.
    let mut hits: HashMap<usize, HashSet<usize>> = HashMap::new();
    for (k, w) in fact.lookup.iter().enumerate() {
        let postings = index.postings(w.chars());
        if postings.len() > 20_000 {
            continue;
        }
        for &p in postings {
            hits.entry(p as usize / step).or_default().insert(k);
        }
    }
    let mut buckets: Vec<(usize, usize)> = hits.into_iter().map(|(b, s)| (b, s.len())).collect();
    buckets.sort_by_key(|&(b, c)| (std::cmp::Reverse(c), b));
    let mut best: Option<(f64, FactMatch)> = None;
    for &(b, _) in buckets.iter().take(12) {
        // Windows around the bucket, at a few offsets so that a fact near a window's edge is
        // seen whole by one of them.
        for shift in [0, step / 2, step] {
            let first = (b * step + shift).saturating_sub(step);
            let last = (first + window - 1).min(n - 1);
            let m = judge(fact, doc, first, last);
            let rank = m.score
                + if m.verdict == Verdict::Exact {
                    1.0
                } else {
                    0.0
                };
            if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                best = Some((rank, m));
            }
        }
    }
    best.map(|(_, m)| m)
}

/// Judge one window.
fn judge(fact: &Fact, doc: &Document, first: usize, last: usize) -> FactMatch {
    let words = window_words(doc, first, last);
    let vals = values(&doc.norm, doc.visible(), first..last + 1);
    let mut keys = Vec::new();
    let mut conflicts = Vec::new();
    let mut marks = Vec::new();
    let mut found_keys = 0;
    for key in &fact.keys {
        let (found, source_value) = match &key.what {
            // A counted number must count the same thing: "three Senators" is not the
            // "three" of "entitled to chuse three, Massachusetts eight".
            Term::Value(v) => match vals
                .iter()
                .find(|f| v.matches(&f.value) && (key.unit.is_none() || f.unit == key.unit))
            {
                Some(f) => {
                    marks.extend(f.first..=f.last);
                    (true, Some(f.written.clone()))
                }
                None => {
                    // The rival most like the claim's value: the same unit ("minutes"), the
                    // most date parts in common; the first on a tie.
                    let rival = vals
                        .iter()
                        .filter(|f| f.value.kind() == v.kind())
                        .filter(|f| key.unit.is_none() || f.unit == key.unit)
                        .min_by_key(|f| match (v, f.value) {
                            (Value::Date(a), Value::Date(b)) => std::cmp::Reverse(a.overlap(&b).1),
                            _ => std::cmp::Reverse(0),
                        });
                    let shown = |f: &Found| match &f.unit {
                        Some(_) => doc.passage(f.first, f.last + 1),
                        None => f.written.clone(),
                    };
                    if let Some(r) = rival {
                        marks.extend(r.first..=r.last);
                        conflicts.push(Conflict {
                            kind: v.kind(),
                            claim: key.term.clone(),
                            source: shown(r),
                        });
                    }
                    (false, rival.map(shown))
                }
            },
            Term::Name(forms) => {
                let at = forms
                    .iter()
                    .find_map(|f| contains_seq(&words, &f.words()).map(|p| (p, f.token_count())));
                if let Some((p, len)) = at {
                    marks.extend(first + p..first + p + len);
                }
                (
                    at.is_some(),
                    at.map(|(p, len)| doc.passage(first + p, first + p + len - 1)),
                )
            }
            Term::Words(w) => {
                let at = contains_seq(&words, &w.words());
                if let Some(p) = at {
                    marks.extend(first + p..first + p + w.token_count());
                }
                (
                    at.is_some(),
                    at.map(|p| doc.passage(first + p, first + p + w.token_count() - 1)),
                )
            }
        };
        if found {
            found_keys += 1;
        }
        keys.push(KeyCheck {
            term: key.term.clone(),
            found,
            source_value,
        });
    }
    let stems: HashSet<String> = words.iter().map(|w| stem(w)).collect();
    let content_found = fact.content.iter().filter(|c| stems.contains(*c)).count();
    let terms = fact.keys.len() + fact.content.len();
    let score = if terms == 0 {
        0.0
    } else {
        (found_keys + conflicts.len() + content_found) as f64 / terms as f64
    };
    let content_share = if fact.content.is_empty() {
        1.0
    } else {
        content_found as f64 / fact.content.len() as f64
    };
    let all_keys = found_keys == fact.keys.len();
    let needed = if fact.keys.is_empty() {
        CONTENT_SHARE_WITHOUT_KEYS
    } else {
        CONTENT_SHARE
    };
    // About the same thing: the fact's action is there, and most of its keys are found or
    // stated differently.
    // Without key terms, the words must carry more of the weight.
    let subject = if fact.keys.is_empty() {
        CONTENT_SHARE
    } else {
        SUBJECT_SHARE
    };
    let same_subject =
        content_share >= subject && 2 * (found_keys + conflicts.len()) >= fact.keys.len();
    let verdict = if all_keys && content_share >= needed && terms > 0 {
        Verdict::Exact
    } else if same_subject {
        Verdict::Approximate
    } else {
        Verdict::Missing
    };
    if verdict == Verdict::Missing {
        // A value stated differently in a passage about something else is no conflict.
        conflicts.clear();
    }
    // Show the part of the window that holds what was found, with a little context.
    marks.sort_unstable();
    marks.dedup();
    let (a, b) = match (marks.first(), marks.last()) {
        (Some(&a), Some(&b)) => (a.saturating_sub(3).max(first), (b + 3).min(last)),
        _ => (first, last),
    };
    FactMatch {
        verdict,
        score: score.min(1.0),
        first: a,
        last: b,
        keys,
        conflicts,
        marks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn vals(s: &str) -> Vec<Value> {
        let n = normalize(s);
        values(&n, s, 0..n.token_count())
            .into_iter()
            .map(|f| f.value)
            .collect()
    }

    fn date(y: Option<i32>, m: Option<u8>, d: Option<u8>) -> Value {
        Value::Date(PartialDate {
            year: y,
            month: m,
            day: d,
        })
    }

    #[test]
    fn numbers_by_meaning() {
        assert_eq!(vals("71"), [Value::Number(71.0)]);
        assert_eq!(vals("71.0"), [Value::Number(71.0)]);
        assert_eq!(vals("seventy-one"), [Value::Number(71.0)]);
        assert_eq!(vals("nine hundred sixty and nine"), [Value::Number(969.0)]);
        assert_eq!(vals("forty"), [Value::Number(40.0)]);
        assert_eq!(vals("1,000 people"), [Value::Number(1000.0)]);
        assert_eq!(vals("1 000 people"), [Value::Number(1000.0)]);
        assert_eq!(vals("twelve"), vals("12"));
        assert_eq!(vals("the twentieth"), vals("the 20th"));
        assert_eq!(vals("twenty five Years"), [Value::Number(25.0)]);
        assert_eq!(vals("at 10:28 pm"), []);
        assert_eq!(vals("one of them"), []);
    }

    #[test]
    fn percentages_and_money() {
        assert_eq!(vals("71 percent"), [Value::Percent(71.0)]);
        assert_eq!(vals("71%"), [Value::Percent(71.0)]);
        assert_eq!(vals("71 per cent"), [Value::Percent(71.0)]);
        assert_eq!(vals("$50,000"), [Value::Money(50000.0, '$')]);
        assert_eq!(vals("50,000 dollars"), [Value::Money(50000.0, '$')]);
        assert_eq!(vals("$50 million"), [Value::Money(5e7, '$')]);
        assert_eq!(vals("is £ 4 a week"), vals("four pounds a week"));
        assert!(!Value::Money(4.0, '$').matches(&Value::Money(4.0, '£')));
    }

    #[test]
    fn dates_by_meaning() {
        let full = date(Some(2016), Some(9), Some(20));
        for s in [
            "September 20, 2016",
            "Sept. 20, 2016",
            "20 September 2016",
            "2016-09-20",
            "september 20 2016",
        ] {
            assert_eq!(vals(s), [full], "{s}");
        }
        assert_eq!(vals("on Oct. 14"), [date(None, Some(10), Some(14))]);
        assert_eq!(vals("in 2016"), [date(Some(2016), None, None)]);
        assert_eq!(vals("1000 donors"), [Value::Number(1000.0)]);
        assert_eq!(vals("in July 2017"), [date(Some(2017), Some(7), None)]);
        assert_eq!(vals("it may help"), []);
        assert_eq!(
            vals("the Seventeenth Day of September"),
            [date(None, Some(9), Some(17))]
        );
        assert_eq!(
            vals("on the twentieth of March, 1888"),
            [date(Some(1888), Some(3), Some(20))]
        );
        // A bare part matches the corresponding parts.
        assert!(date(None, Some(9), Some(20)).matches(&full));
        assert!(date(Some(2016), None, None).matches(&full));
        assert!(!date(None, Some(10), Some(24)).matches(&date(Some(2016), Some(10), Some(14))));
    }

    #[test]
    fn key_terms_of_a_fact() {
        let f = Fact::parse(
            "FiveThirtyEight gave Hillary Clinton a 71 percent chance on Nov. 8, 2016",
            &["chance of winning".into()],
        );
        let terms: Vec<&str> = f.keys.iter().map(|k| k.term.as_str()).collect();
        assert_eq!(
            terms,
            [
                "71 percent",
                "Nov. 8, 2016",
                "FiveThirtyEight",
                "Hillary Clinton",
                "chance of winning"
            ]
        );
        assert_eq!(
            f.content,
            ["give", "chanc"],
            "irregular verbs meet their base form"
        );
        // A sentence-initial stop word is no name.
        let f = Fact::parse("The messages were turned over to Congress.", &[]);
        let terms: Vec<&str> = f.keys.iter().map(|k| k.term.as_str()).collect();
        assert_eq!(terms, ["Congress"]);
    }

    fn doc(text: &str) -> Document {
        Document::from_text(
            Path::new("a.txt"),
            text.to_string(),
            crate::document::Format::Plain,
        )
    }

    fn judge_text(fact: &str, text: &str) -> FactMatch {
        let d = doc(text);
        let idx = Index::build(&d.norm);
        check(&Fact::parse(fact, &[]), &d, &idx, DEFAULT_WINDOW).unwrap()
    }

    const TEXT: &str = "As late as 7:00pm that night, FiveThirtyEight, a trusted prognosticator of the election, gave Clinton a 71 percent chance of winning the presidency. Two days later, on October 14, 2016, Trump Jr. tweeted out the link.";

    #[test]
    fn supported_conflicting_and_missing() {
        let m = judge_text("FiveThirtyEight gave Clinton a 71% chance of winning", TEXT);
        assert_eq!(m.verdict, Verdict::Exact);
        let m = judge_text(
            "FiveThirtyEight gave Clinton an 81 percent chance of winning",
            TEXT,
        );
        assert_eq!(m.verdict, Verdict::Approximate);
        assert_eq!(m.conflicts[0].claim, "81 percent");
        assert_eq!(m.conflicts[0].source, "71 percent");
        let m = judge_text("Trump Jr. tweeted the link on October 24, 2016", TEXT);
        assert_eq!(m.verdict, Verdict::Approximate);
        assert_eq!(
            (
                m.conflicts[0].claim.as_str(),
                m.conflicts[0].source.as_str()
            ),
            ("October 24, 2016", "October 14, 2016")
        );
        let m = judge_text("Trump's son tweets links", TEXT);
        assert_eq!(
            m.verdict,
            Verdict::Approximate,
            "no key term, and 'son' is not there"
        );
        let m = judge_text("Trump's daughter deleted the link", TEXT);
        assert_eq!(
            m.verdict,
            Verdict::Missing,
            "the name alone is not the fact"
        );
        let d = doc(TEXT);
        let idx = Index::build(&d.norm);
        let m = check(
            &Fact::parse("The Senate confirmed Neil Gorsuch in April", &[]),
            &d,
            &idx,
            DEFAULT_WINDOW,
        );
        assert!(m.is_none_or(|m| m.verdict == Verdict::Missing));
    }

    #[test]
    fn names_tolerate_short_forms_and_possessives() {
        let m = judge_text("Donald Trump Jr. tweeted out the link on October 14", TEXT);
        assert_eq!(m.verdict, Verdict::Exact, "{:?}", m.keys);
        let m = judge_text(
            "Trump's son tweeted out the link on October 14",
            "Trump's son tweeted out the link on October 14, 2016.",
        );
        assert_eq!(m.verdict, Verdict::Exact, "{:?}", m.keys);
    }
}
