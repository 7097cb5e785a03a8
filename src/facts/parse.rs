//! A fact as written: its key terms (values, names, `keys:`) and content words.

use super::*;

pub(crate) fn collapse(s: &str) -> String {
    crate::source::document::collapse_whitespace(s)
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
    /// A name only because it opens the fact ("Polonius says …"): it must be found, but it
    /// does not lighten what the fact's other words must show.
    pub opening: bool,
}

/// A fact, read: its key terms and its content words (stemmed).
#[derive(Debug, Clone)]
pub struct Fact {
    pub keys: Vec<Key>,
    pub content: Vec<String>,
    /// Which content words are a verb in the past ("lasted", "paid"): the writer's own
    /// telling of an event, which the source may state with a noun ("the 10-month
    /// correspondence").
    pub past: Vec<bool>,
    /// Normalized words worth looking up in the index.
    pub lookup: Vec<String>,
}

impl Fact {
    /// Read a fact: its values, names and `keys:`, and the words it is about.
    pub fn parse(text: &str, keys: &[String]) -> Fact {
        let norm = normalize(text);
        let mut key_tokens: HashSet<usize> = HashSet::new();
        let mut out = value_keys(&norm, text, &mut key_tokens);
        out.extend(name_keys(&norm, text, &mut key_tokens));
        add_explicit_keys(&mut out, keys);
        let words = norm.words();
        let kept: Vec<&String> = words
            .iter()
            .enumerate()
            .filter(|(i, w)| {
                !key_tokens.contains(i) && !is_stop(w) && !w.chars().all(|c| c.is_ascii_digit())
            })
            .map(|(_, w)| w)
            .collect();
        let content: Vec<String> = kept.iter().map(|w| sense(w)).collect();
        let past: Vec<bool> = kept.iter().map(|w| is_past_form(w)).collect();
        let mut lookup: Vec<String> = words.into_iter().filter(|w| !is_stop(w)).collect();
        lookup.sort();
        lookup.dedup();
        Fact {
            keys: out,
            content,
            past,
            lookup,
        }
    }
}

/// The values a fact states, each a key; their tokens join `key_tokens`.
fn value_keys(norm: &Normalized, text: &str, key_tokens: &mut HashSet<usize>) -> Vec<Key> {
    let mut out = Vec::new();
    for f in values(norm, text, 0..norm.token_count()) {
        // The word a number counts is part of the key, not a content word of its own.
        let counted = f.last + usize::from(f.unit.is_some());
        key_tokens.extend(f.first..=counted);
        let term = match &f.unit {
            Some(_) => collapse(&text[norm.src_start(f.first)..norm.src_range(f.last + 1).end]),
            None => f.written,
        };
        out.push(Key {
            term,
            what: Term::Value(f.value),
            unit: f.unit,
            opening: false,
        });
    }
    out
}

/// Names: runs of capitalized words, not a stop word at a sentence start, nor a value
/// already taken.
fn name_keys(norm: &Normalized, text: &str, key_tokens: &mut HashSet<usize>) -> Vec<Key> {
    let n = norm.token_count();
    let toks = tokens_of(norm, text, 0..n);
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let capital = |j: usize| is_name_word(&toks, j) && !key_tokens.contains(&j);
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
        let opening = i == 0 && j == 0 && !toks[0].raw.chars().skip(1).any(char::is_uppercase);
        out.push(Key {
            term: span.to_string(),
            what: Term::Name(name_forms(span)),
            unit: None,
            opening,
        });
        i = j + 1;
    }
    out
}

/// Whether token `j` reads as (part of) a name.
fn is_name_word(toks: &[Tok], j: usize) -> bool {
    let t = &toks[j];
    let starts_upper = t.raw.starts_with(|c: char| c.is_uppercase());
    let sentence_start = j == 0 || t.before.contains(['.', '!', '?', ':']);
    // At a sentence start a capital says nothing, unless the word looks like a name anyway
    // (FiveThirtyEight, NYT) or another capitalized word follows.
    // The fact's own first word, capitalized and no stop word, is its subject's name
    // ("Polonius says …"): a fact about the wrong person must not pass.
    let looks_like_name = t.raw.chars().skip(1).any(char::is_uppercase)
        || j == 0
        || toks
            .get(j + 1)
            .is_some_and(|n| capital_simple(n) && n.before.trim().is_empty());
    starts_upper
        && t.word != "i"
        && month_of(&t.word).is_none()
        && !(sentence_start && (is_stop(&t.word) || !looks_like_name))
        && !(is_stop(&t.word) && j > 0 && !capital_simple(&toks[j - 1]))
}

/// The claim's `keys:`, each unless already there.
fn add_explicit_keys(out: &mut Vec<Key>, keys: &[String]) {
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
        let duplicate = out.iter_mut().find(|o| match (&o.what, &what) {
            (Term::Value(a), Term::Value(b)) => a == b,
            _ => normalize(&o.term).as_string() == kn.as_string(),
        });
        match duplicate {
            // Listed in `keys:`, an opening name is a key like any other.
            Some(o) => o.opening = false,
            None => out.push(Key {
                term: k.clone(),
                what,
                unit: None,
                opening: false,
            }),
        }
    }
}

pub(crate) fn capital_simple(t: &Tok) -> bool {
    t.raw.starts_with(|c: char| c.is_uppercase())
}
