//! Values in text: numbers, percentages, money and dates, read from token streams and
//! compared by meaning.

use super::*;

/// A calendar date, as precise as it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// Every part the claim gives is the same in `source`.
    pub(crate) fn within(&self, source: &PartialDate) -> bool {
        fn same<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
            a.is_none() || a == b
        }
        same(self.year, source.year) && same(self.month, source.month) && same(self.day, source.day)
    }

    /// Parts both give, and how many of them agree.
    pub(crate) fn overlap(&self, other: &PartialDate) -> (usize, usize) {
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
    pub fn kind(&self) -> ValueKind {
        match self {
            Value::Number(_) => ValueKind::Number,
            Value::Percent(_) => ValueKind::Percent,
            Value::Money(..) => ValueKind::Money,
            Value::Date(_) => ValueKind::Date,
        }
    }

    /// Does the source's value `other` state what the claim's value `self` states?
    pub(crate) fn matches(&self, other: &Value) -> bool {
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
pub(crate) struct Tok<'a> {
    pub(crate) word: String,
    pub(crate) raw: &'a str,
    pub(crate) before: &'a str,
    pub(crate) after: &'a str,
}

pub(crate) fn tokens_of<'a>(norm: &Normalized, src: &'a str, range: Range<usize>) -> Vec<Tok<'a>> {
    range
        .map(|i| {
            let own = norm.src_range(i);
            let before = if i == 0 {
                0..own.start
            } else {
                norm.src_between(i - 1, i)
            };
            let after = if i + 1 < norm.token_count() {
                norm.src_between(i, i + 1)
            } else {
                own.end..src.len()
            };
            Tok {
                word: norm.word(i),
                raw: &src[own],
                before: &src[before],
                after: &src[after],
            }
        })
        .collect()
}
/// `71`, `20th`: a whole number written in digits (ordinal suffixes allowed).
pub(crate) fn digits(w: &str) -> Option<f64> {
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

pub(crate) fn is_plain_digits(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_ascii_digit())
}

/// A number at `i`, in digits (with thousands groups and a decimal part) or in words.
/// Returns the value and the index of its last token.
pub(crate) fn number_at(toks: &[Tok], i: usize) -> Option<(f64, usize)> {
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
            } else if let (Some(a), Some(b)) = (toks.get(last + 1), toks.get(last + 2))
                && a.before.trim().is_empty()
                && b.before == "/"
                && let (Ok(a), Ok(b)) = (a.word.parse::<u32>(), b.word.parse::<u32>())
                && a < b
                && b <= 64
            {
                // A mixed fraction: "6 3/4".
                value += f64::from(a) / f64::from(b);
                last += 2;
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
    // A number word joins the one before it across a space or a hyphen only, and a digit
    // word never follows another ("by four) nine species" is four, then nine).
    let mut after_unit = false;
    while let Some(t) = toks.get(j) {
        let w = t.word.as_str();
        if j > i && !matches!(t.before.trim(), "" | "-") {
            break;
        }
        let is_unit = unit_value(w).is_some();
        if is_unit && after_unit {
            break;
        }
        after_unit = is_unit;
        let next_scales = || {
            toks.get(j + 1)
                .is_some_and(|n| scale_value(&n.word).is_some())
        };
        if let Some(v) = unit_value(w).or_else(|| tens_value(w)) {
            current += v;
        } else if last.is_none() && matches!(w, "a" | "an") && next_scales() {
            // "a hundred", "an hundred and fifty".
            current = 1.0;
        } else if let Some(v) = w
            .strip_suffix("score")
            .and_then(unit_value)
            .filter(|&v| v >= 1.0)
        {
            // "threescore", "fourscore": so many twenties.
            current += v * 20.0;
        } else if w == "score" && last.is_some() {
            // "three score".
            current = current.max(1.0) * 20.0;
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
pub(crate) fn day_month_year(d: u8, m: u8, last: usize, year: Option<i32>) -> (PartialDate, usize) {
    let date = PartialDate {
        year,
        month: Some(m),
        day: Some(d),
    };
    (date, if year.is_some() { last + 1 } else { last })
}

/// A date starting at `i`: `September 20, 2016`, `Sept. 20`, `20 September 2016`,
/// `September 2016`, `2016-09-20`.
pub(crate) fn date_at(toks: &[Tok], i: usize) -> Option<(PartialDate, usize)> {
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
        // A time of day ("10:28 pm") is no value here.
        if is_plain_digits(&toks[i].word)
            && toks
                .get(i + 1)
                .is_some_and(|n| n.before == ":" && is_plain_digits(&n.word))
        {
            i += 2;
            continue;
        }
        // A verse or line number opening a line ("\n12 And Moses …") states nothing.
        if is_plain_digits(&toks[i].word)
            && toks[i].before.contains('\n')
            && toks.get(i + 1).is_some_and(|n| {
                n.before.trim().is_empty() && n.raw.starts_with(char::is_uppercase)
            })
        {
            i += 1;
            continue;
        }
        let found = match date_at(&toks, i) {
            Some((d, last)) => Some((Value::Date(d), last)),
            None => number_at(&toks, i).and_then(|(v, last)| number_value(&toks, i, v, last)),
        };
        let Some((value, last)) = found else {
            i += 1;
            continue;
        };
        out.push(found_at(norm, src, &toks, offset, value, i, last));
        i = last + 1;
    }
    out
}

/// What the number `v` at tokens `i..=last` states, with its last token: a percentage, an
/// amount of money, a year, a count; `None` for a "one" or "first" that is rarely a number
/// worth checking.
fn number_value(toks: &[Tok], i: usize, mut v: f64, mut last: usize) -> Option<(Value, usize)> {
    // "50 million", "1.2 billion".
    if let Some(s) = toks
        .get(last + 1)
        .and_then(|t| scale_value(&t.word))
        .filter(|&s| s >= 1e6)
    {
        v *= s;
        last += 1;
    }
    let next = |last: usize, k: usize| toks.get(last + k).map(|t| t.word.as_str());
    let value =
        if next(last, 1) == Some("percent") || toks[last].after.trim_start().starts_with('%') {
            if next(last, 1) == Some("percent") {
                last += 1;
            }
            Value::Percent(v)
        } else if next(last, 1) == Some("per") && next(last, 2) == Some("cent") {
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
        } else if let Some(sign) = next(last, 1).and_then(currency_word) {
            last += 1;
            Value::Money(v, sign)
        } else if toks[i].word.len() == 4
        && last == i
        && is_plain_digits(&toks[i].word)
        && (1000.0..=2100.0).contains(&v)
        // "1000 donors" counts donors; "2016 election" is a year.
        && !next(last, 1).is_some_and(|w| w.len() > 3 && w.ends_with('s') && !is_stop(w))
        {
            Value::Date(PartialDate {
                year: Some(v as i32),
                month: None,
                day: None,
            })
        } else if matches!(toks[i].word.as_str(), "one" | "first") && last == i {
            return None;
        } else {
            Value::Number(v)
        };
    Some((value, last))
}

/// The value at tokens `a..=b` of `toks` (which start at token `offset`), as written, with
/// the word a plain number counts.
fn found_at(
    norm: &Normalized,
    src: &str,
    toks: &[Tok],
    offset: usize,
    value: Value,
    a: usize,
    b: usize,
) -> Found {
    let s = norm.src_start(offset + a);
    let e = norm.src_range(offset + b).end;
    let mut written = crate::source::document::collapse_whitespace(&src[s..e]);
    if matches!(value, Value::Percent(_)) && toks[b].after.trim_start().starts_with('%') {
        written.push('%');
    }
    if let Value::Money(_, sign) = value
        && toks[a].before.trim_end().ends_with(sign)
    {
        written.insert(0, sign);
    }
    let unit = match value {
        // The word right after it (or joined by a hyphen: "10-month"), in the same clause:
        // "twelve, went" counts nothing.
        Value::Number(_) => toks
            .get(b + 1)
            .filter(|t| matches!(t.before.trim(), "" | "-"))
            .map(|t| t.word.as_str())
            .filter(|u| !is_stop(u))
            .map(stem),
        _ => None,
    };
    Found {
        value,
        first: offset + a,
        last: offset + b,
        written,
        unit,
    }
}
