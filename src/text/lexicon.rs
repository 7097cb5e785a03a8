//! English: the word lists and word predicates that explanations, facts and extraction rely
//! on, in one place, so that a second language is one more lexicon rather than edits in every
//! module.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::normalize::{Normalized, normalize};

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "nor", "neither", "without", "none", "nobody", "nothing", "nowhere",
    "cannot", "t",
];

/// Is normalized word `w` (preceded by `prev`) a negation? `t` counts only after a word
/// ending in `n` (`don't` is `don t`).
pub(crate) fn is_negation(prev: Option<&str>, w: &str) -> bool {
    if w == "t" {
        return prev.is_some_and(|p| p.ends_with('n'));
    }
    NEGATIONS.contains(&w)
}

/// A negation as a note names it: `n't` for the `t` of `don't`.
pub(crate) fn negation_shown(w: &str) -> String {
    if w == "t" {
        "n't".to_string()
    } else {
        w.to_string()
    }
}

/// A number, in digits or in words.
pub(crate) fn is_number(w: &str) -> bool {
    w.chars().any(|c| c.is_ascii_digit()) || is_number_word(w)
}

/// Words after which a full stop ends no sentence (normalized, without the stop).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "etc", "al", "fig", "figs", "no",
    "nos", "vol", "pp", "ch", "sec", "cf", "approx", "ca", "gen", "gov", "sen", "rep", "rev",
    "hon", "capt", "col", "lt", "sgt", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Whether a full stop after `w` (a word as written, without its stop) ends no sentence: an
/// initial (`J`), a word with a stop inside (`e.g`, `U.S`), or a common abbreviation (`Dr`,
/// `Jr`, `No`, `Sept`).
pub(crate) fn stop_ends_no_sentence(w: &str) -> bool {
    let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
    w.chars().filter(|c| c.is_alphanumeric()).count() <= 1
        || w.contains('.')
        || ABBREVIATIONS.contains(&w.to_lowercase().as_str())
}

/// Is `one` (between `prev` and `next`) a pronoun rather than a count: after a determiner
/// (`no one`, `the one`, `every one`) or before a verb (`one might expect`, `one can see`)?
pub(crate) fn is_pronoun_one(prev: Option<&str>, w: &str, next: Option<&str>) -> bool {
    const BEFORE: &[&str] = &[
        "no", "any", "every", "each", "the", "this", "that", "which", "another", "such", "someone",
        "as", "if", "when", "where", "what", "one's",
    ];
    const AFTER: &[&str] = &[
        "might", "may", "can", "could", "would", "should", "must", "will", "shall", "cannot",
        "ought", "needs", "has", "had", "is", "was", "does", "did", "sees", "finds", "says",
        "knows", "thinks", "expects", "gets", "feels", "tends", "s", "another",
    ];
    w == "one"
        && (prev.is_some_and(|p| BEFORE.contains(&p)) || next.is_some_and(|n| AFTER.contains(&n)))
}

/// Last words of names of places and bodies, which name a kind rather than the thing.
const GENERIC_HEADS: &[&str] = &[
    "sea",
    "seas",
    "ocean",
    "river",
    "lake",
    "mountain",
    "mountains",
    "mount",
    "island",
    "islands",
    "bay",
    "gulf",
    "desert",
    "valley",
    "forest",
    "street",
    "road",
    "square",
    "city",
    "county",
    "state",
    "states",
    "kingdom",
    "republic",
    "empire",
    "church",
    "university",
    "college",
    "school",
    "hospital",
    "company",
    "party",
    "house",
    "court",
    "council",
    "committee",
    "department",
    "ministry",
    "army",
    "navy",
    "bank",
    "museum",
    "library",
    "union",
    "association",
    "institute",
    "foundation",
    "society",
    "club",
    "academy",
    "hotel",
    "station",
    "theatre",
    "hall",
    "times",
    "post",
    "news",
];

/// The forms of a speaker's name that count as naming them: the full name, the name without
/// its first word ("Trump Jr."), and the surname.
pub(crate) fn name_forms(by: &str) -> Vec<Normalized> {
    const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];
    let full = normalize(by);
    let words = full.words();
    let mut forms = vec![full.as_string()];
    // A place or a body ("the Red Sea", "Harvard University") has no short form: "Sea" would
    // be any sea.
    let generic = words
        .last()
        .is_some_and(|w| GENERIC_HEADS.contains(&w.as_str()));
    if words.len() >= 2 && !generic {
        forms.push(words[1..].join(" "));
        let surname = words.iter().rev().find(|w| !SUFFIXES.contains(&w.as_str()));
        if let Some(s) = surname {
            forms.push(s.clone());
        }
    }
    forms.sort();
    forms.dedup();
    forms
        .iter()
        .map(|f| normalize(f))
        .filter(|n| !n.is_empty())
        .collect()
}

// ---- Greek letters ----

/// The English names of the Greek letters, as writers spell them out (`TNF-alpha` for
/// `TNF-α`, `beta2` for `β2`).
const GREEK_NAMES: &[(char, &str)] = &[
    ('α', "alpha"),
    ('β', "beta"),
    ('γ', "gamma"),
    ('δ', "delta"),
    ('ε', "epsilon"),
    ('ζ', "zeta"),
    ('η', "eta"),
    ('θ', "theta"),
    ('ι', "iota"),
    ('κ', "kappa"),
    ('λ', "lambda"),
    ('μ', "mu"),
    ('ν', "nu"),
    ('ξ', "xi"),
    ('ο', "omicron"),
    ('π', "pi"),
    ('ρ', "rho"),
    ('σ', "sigma"),
    ('ς', "sigma"),
    ('τ', "tau"),
    ('υ', "upsilon"),
    ('φ', "phi"),
    ('ϕ', "phi"),
    ('χ', "chi"),
    ('ψ', "psi"),
    ('ω', "omega"),
];

/// The name of Greek letter `c` (either case; `µ`, the micro sign, is `mu`).
pub(crate) fn greek_name(c: char) -> Option<&'static str> {
    let c = if c == 'µ' { 'μ' } else { c };
    let lower = c.to_lowercase().next()?;
    GREEK_NAMES
        .iter()
        .find(|(g, _)| *g == lower)
        .map(|&(_, n)| n)
}

/// Whether `c` is a Greek letter (of any form), for telling a letter among Latin ones from a
/// Greek word.
pub(crate) fn is_greek(c: char) -> bool {
    matches!(c, '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' | 'µ')
}

// ---- numbers and dates in words ----

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

pub(crate) fn month_of(w: &str) -> Option<u8> {
    MONTHS.iter().find(|(n, _)| *n == w).map(|&(_, m)| m)
}

/// Words that are also months only next to a day or a year ("may", "march").
pub(crate) fn month_needs_company(w: &str) -> bool {
    matches!(
        w,
        "may" | "march" | "mar" | "jan" | "jun" | "jul" | "dec" | "sep"
    )
}

pub(crate) fn unit_value(w: &str) -> Option<f64> {
    UNITS.iter().position(|u| *u == w).map(|i| i as f64)
}

pub(crate) fn tens_value(w: &str) -> Option<f64> {
    TENS.iter()
        .position(|u| *u == w)
        .map(|i| (i as f64 + 2.0) * 10.0)
}

pub(crate) fn scale_value(w: &str) -> Option<f64> {
    SCALES.iter().find(|(s, _)| *s == w).map(|&(_, v)| v)
}

pub(crate) fn ordinal_value(w: &str) -> Option<f64> {
    ORDINAL_UNITS
        .iter()
        .find(|(s, _)| *s == w)
        .map(|&(_, v)| v as f64)
}

/// The sign of a currency named in words.
pub(crate) fn currency_word(w: &str) -> Option<char> {
    match w {
        "dollar" | "dollars" => Some('$'),
        "pound" | "pounds" => Some('£'),
        "euro" | "euros" => Some('€'),
        _ => None,
    }
}
/// Whether `w` is a number written in words (or a part of one): `seven`, `twentieth`.
pub fn is_number_word(w: &str) -> bool {
    unit_value(w).is_some()
        || tens_value(w).is_some()
        || scale_value(w).is_some()
        || ordinal_value(w).is_some()
        || matches!(w, "second" | "half" | "dozen")
        || w.strip_suffix("score")
            .is_some_and(|u| unit_value(u).is_some())
}

// ---- content words ----

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

pub(crate) fn is_stop(w: &str) -> bool {
    STOP.contains(&w)
}

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Past forms of common irregular verbs, which no suffix-stripping stemmer can join to their
/// base ("wrote"/"write").
/// The Snowball stem of each [`IRREGULAR`] base, in its order: found once, not for every word
/// a quote's origin is looked for with.
static IRREGULAR_STEMS: LazyLock<Vec<String>> = LazyLock::new(|| {
    IRREGULAR
        .iter()
        .map(|(_, base)| STEMMER.stem(base).into_owned())
        .collect()
});

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
    // The King James Bible's and Shakespeare's.
    ("hath", "have"),
    ("doth", "do"),
    ("saith", "say"),
    ("spake", "speak"),
    ("begat", "beget"),
    ("slew", "slay"),
    ("slain", "slay"),
];

/// A verb's past form: "-ed", or an irregular past ("paid", "wrote").
pub(crate) fn is_past_form(w: &str) -> bool {
    (w.len() > 4 && w.ends_with("ed")) || IRREGULAR.iter().any(|(past, _)| *past == w)
}

/// Words a fact may use for one another, each group one sense: a few verbs that people
/// paraphrase ("served" for "worked", "slew" for "killed"), a noun and its verb ("reliance",
/// "rely"), and British and old spellings ("honour", "chuse"). Small on purpose: every pair
/// is a way for a fact to pass on words the source does not say (measured in README.md).
const SYNONYMS: &[&[&str]] = &[
    &["work", "serve", "labour", "labor", "toil"],
    &["kill", "slay", "murder"],
    &["name", "call"],
    &["rely", "reliance", "reliant"],
    &["begin", "start", "commence"],
    &["die", "perish"],
    &["buy", "purchase"],
    &["answer", "reply"],
    &["ask", "inquire", "enquire"],
    &["rich", "wealthy"],
    &["build", "construct"],
    &["choose", "chuse"],
    &["defence", "defense"],
    &["honour", "honor"],
    &["favour", "favor"],
    &["colour", "color"],
    &["behaviour", "behavior"],
    &["neighbour", "neighbor"],
];

static SENSES: LazyLock<std::collections::HashMap<String, String>> = LazyLock::new(|| {
    let mut m = std::collections::HashMap::new();
    for group in SYNONYMS {
        let head = stem(group[0]);
        for w in *group {
            m.insert(stem(w), head.clone());
        }
    }
    m
});

/// The stem of `w`, or that of the first word of its synonym group: what facts compare.
pub(crate) fn sense(w: &str) -> String {
    let s = stem(w);
    SENSES.get(&s).cloned().unwrap_or(s)
}

/// Other spellings of `w` that share its stem and that stemming alone would not find in an
/// index: an irregular verb's base and past forms, and the archaic third person ("taketh",
/// "take", "took", "taken").
pub(crate) fn forms(w: &str) -> Vec<String> {
    let own = stem(w);
    let mut bases: Vec<&str> = IRREGULAR
        .iter()
        .zip(IRREGULAR_STEMS.iter())
        .filter(|((past, base), base_stem)| *past == w || *base == w || **base_stem == own)
        .map(|(&(_, base), _)| base)
        .collect();
    if let Some(present) = w.strip_suffix("th").filter(|p| stem(w) == STEMMER.stem(p)) {
        bases.push(present);
    }
    let mut out: Vec<String> = Vec::new();
    if !w.ends_with("th") {
        out.push(if w.ends_with('e') {
            format!("{w}th")
        } else {
            format!("{w}eth")
        });
    }
    for base in bases {
        out.push(base.to_string());
        out.push(format!("{base}th"));
        out.extend(
            IRREGULAR
                .iter()
                .filter(|(_, b)| *b == base)
                .map(|(past, _)| past.to_string()),
        );
    }
    out.sort();
    out.dedup();
    out.retain(|f| f != w);
    out
}

/// The word's stem, an irregular past joined to its base and an archaic third person to its
/// present ("giveth", "walketh"; not the ordinals "twentieth" nor "teeth").
pub(crate) fn stem(w: &str) -> String {
    let base = IRREGULAR
        .iter()
        .find(|(past, _)| *past == w)
        .map_or(w, |&(_, b)| b);
    let base = match base.strip_suffix("th") {
        Some(present)
            if base.len() >= 6
                && present.ends_with('e')
                && !present.ends_with("ie")
                && w != "teeth" =>
        {
            present
        }
        _ => base,
    };
    STEMMER.stem(base).into_owned()
}

// ---- speech ----

pub(crate) const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "wrote",
    "writes",
    "told",
    "tells",
    "added",
    "adds",
    "responded",
    "replied",
    "tweeted",
    "asked",
    "asks",
    "explained",
    "insisted",
    "suggested",
    "continued",
    "noted",
    "argued",
    "claimed",
    "stated",
    "declared",
    "answered",
    "recalled",
    "warned",
    "messaged",
    "went",
    "shouted",
    "announced",
    "admitted",
    "acknowledged",
    "commented",
    "emailed",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_a_pronoun_after_a_determiner_or_before_a_verb() {
        assert!(is_pronoun_one(Some("as"), "one", Some("might")));
        assert!(is_pronoun_one(Some("no"), "one", Some("came")));
        assert!(!is_pronoun_one(Some("only"), "one", Some("of")));
        assert!(!is_pronoun_one(Some("for"), "one", Some("day")));
        assert!(!is_pronoun_one(Some("as"), "two", Some("might")));
    }

    #[test]
    fn name_forms_include_the_distinctive_parts() {
        let f: Vec<String> = name_forms("Donald Trump Jr.")
            .iter()
            .map(|n| n.as_string())
            .collect();
        assert_eq!(f, ["donald trump jr", "trump", "trump jr"]);
        let f: Vec<String> = name_forms("WikiLeaks")
            .iter()
            .map(|n| n.as_string())
            .collect();
        assert_eq!(f, ["wikileaks"]);
    }
}
