//! Judging a fact against a document: candidate windows, then each window's terms.

use super::*;

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

pub(crate) fn window_words(doc: &Document, first: usize, last: usize) -> Vec<String> {
    doc.norm.words_in(first..last + 1)
}

pub(crate) fn contains_seq(hay: &[String], needle: &[String]) -> Option<usize> {
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
    // Buckets weighed by the rarity of the words they hold, so that a rare name
    // ("Wittenberg") outweighs a common one ("Horatio") that is everywhere.
    // Ordered sets, so that each bucket's weight is summed in one order: the same ranking,
    // to the last bit, on every run.
    let mut hits: HashMap<usize, std::collections::BTreeSet<usize>> = HashMap::new();
    let mut weight = vec![0.0f64; fact.lookup.len()];
    for (k, w) in fact.lookup.iter().enumerate() {
        let postings = index.postings(w.chars());
        if postings.len() > 20_000 || postings.is_empty() {
            continue;
        }
        weight[k] = (1.0 + n as f64 / postings.len() as f64).ln();
        for &p in postings {
            hits.entry(p as usize / step).or_default().insert(k);
        }
    }
    let mut buckets: Vec<(usize, f64)> = hits
        .into_iter()
        .map(|(b, s)| (b, s.iter().map(|&k| weight[k]).sum()))
        .collect();
    buckets.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut best: Option<(f64, FactMatch)> = None;
    for &(b, _) in buckets.iter().take(16) {
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

/// One window of a document as a fact's terms are looked up in it, with what was found.
struct Window<'a> {
    doc: &'a Document,
    fact: &'a Fact,
    first: usize,
    words: Vec<String>,
    /// Each word as content words are compared ([`sense`]).
    senses: Vec<String>,
    /// Each word's sentence and clause, numbered from the window's start.
    sentence: Vec<u32>,
    clause: Vec<u32>,
    vals: Vec<Found>,
    /// Tokens to highlight.
    marks: Vec<usize>,
    conflicts: Vec<Conflict>,
}

impl Window<'_> {
    /// Whether the window states `key`, and how it writes it (or a rival value).
    fn find(&mut self, key: &Key) -> (bool, Option<String>) {
        match &key.what {
            Term::Value(v) => self.find_value(key, v),
            Term::Name(forms) => {
                let at = forms
                    .iter()
                    .find_map(|f| {
                        contains_seq(&self.words, &f.words()).map(|p| (p, f.token_count()))
                    })
                    .or_else(|| self.speaker_tag(forms).map(|p| (p, 1)));
                self.found_words(at)
            }
            Term::Words(w) => {
                let at = contains_seq(&self.words, &w.words()).map(|p| (p, w.token_count()));
                self.found_words(at)
            }
        }
    }

    /// Where a play's speaker tag names the one-word name `forms` holds: a line that is only
    /// the first three or more letters of it and a full stop (`Pol.` for Polonius, `Ham.`).
    fn speaker_tag(&self, forms: &[Normalized]) -> Option<usize> {
        self.speaker_tags(forms).first().copied()
    }

    /// Every such tag in the window.
    fn speaker_tags(&self, forms: &[Normalized]) -> Vec<usize> {
        let [name] = forms else { return Vec::new() };
        let name = name.as_string();
        if name.contains(' ') {
            return Vec::new();
        }
        let norm = &self.doc.norm;
        let vis = self.doc.visible();
        (0..self.words.len())
            .filter(|&p| {
                let w = &self.words[p];
                let t = self.first + p;
                let line_start = t == 0
                    || vis
                        .get(norm.src_between(t - 1, t))
                        .is_some_and(|sep| sep.contains('\n'));
                let tag = vis.get(norm.src_range(t).end..).is_some_and(|rest| {
                    let rest = rest.strip_prefix('.').unwrap_or("x");
                    rest.starts_with(['\r', '\n'])
                });
                w.chars().count() >= 3 && name.starts_with(w.as_str()) && line_start && tag
            })
            .collect()
    }

    /// Words found at `(position in the window, length)`, marked.
    fn found_words(&mut self, at: Option<(usize, usize)>) -> (bool, Option<String>) {
        let first = self.first;
        if let Some((p, len)) = at {
            self.marks.extend(first + p..first + p + len);
        }
        let shown = at.map(|(p, len)| self.doc.passage(first + p, first + p + len - 1));
        (at.is_some(), shown)
    }

    fn find_value(&mut self, key: &Key, v: &Value) -> (bool, Option<String>) {
        // A counted number must count the same thing: "three Senators" is not the "three" of
        // "entitled to chuse three, Massachusetts eight". A number that counts nothing, after
        // "of", counts what its sentence named before it ("the seedlings … out of 357").
        let same_unit = |f: &&Found| {
            key.unit.is_none()
                || f.unit == key.unit
                || f.unit.is_none() && self.named_before(f, key)
        };
        let bound = self.bound(v, &same_unit);
        if let Some(f) = self
            .vals
            .iter()
            .filter(same_unit)
            .filter(|f| bound.contains(&self.clause_of(f)))
            .find(|f| v.matches(&f.value))
        {
            self.marks.extend(f.first..=f.last);
            return (true, Some(f.written.clone()));
        }
        // The rival most like the claim's value: the same unit ("minutes"), the most date
        // parts in common; the first on a tie.
        let rival = self
            .vals
            .iter()
            .filter(|f| f.value.kind() == v.kind())
            .filter(same_unit)
            .filter(|f| bound.contains(&self.clause_of(f)))
            .min_by_key(|f| match (v, f.value) {
                (Value::Date(a), Value::Date(b)) => std::cmp::Reverse(a.overlap(&b).1),
                _ => std::cmp::Reverse(0),
            });
        let doc = self.doc;
        let shown = |f: &Found| match &f.unit {
            Some(_) => doc.passage(f.first, f.last + 1),
            None => f.written.clone(),
        };
        let Some(r) = rival else {
            return (false, None);
        };
        self.marks.extend(r.first..=r.last);
        self.conflicts.push(Conflict {
            kind: v.kind(),
            claim: key.term.clone(),
            source: shown(r),
        });
        (false, Some(shown(r)))
    }
}

impl Window<'_> {
    fn clause_of(&self, f: &Found) -> u32 {
        self.clause
            .get(f.first.saturating_sub(self.first))
            .copied()
            .unwrap_or(0)
    }

    /// Whether `f` is a count "out of" or "of" so many of what its sentence, or the one
    /// before, named ("We sowed 40 plants. Out of 40, 12 survived"), and that is what `key`
    /// counts.
    fn named_before(&self, f: &Found, key: &Key) -> bool {
        let Some(unit) = &key.unit else { return false };
        let at = f.first.saturating_sub(self.first).min(self.words.len());
        if at == 0 || self.words[at - 1] != "of" {
            return false;
        }
        let sentence = self.sentence.get(at).copied().unwrap_or(0);
        (0..at)
            .rev()
            .take_while(|&p| self.sentence[p] + 1 >= sentence)
            .any(|p| stem(&self.words[p]) == *unit)
    }

    /// The clauses whose values of `v`'s kind are said of the fact's subject. Where several
    /// clauses state such a value ("Seth lived … nine hundred and twelve years … Enos lived
    /// ninety years"), those that name most of the fact's names, or, where none names any,
    /// hold most of its content words ("the stove weighs 2.4 kg; the tent weighs 3.1 kg");
    /// otherwise every clause.
    fn bound(&self, v: &Value, same_unit: &dyn Fn(&&Found) -> bool) -> Vec<u32> {
        let mut clauses: Vec<u32> = self
            .vals
            .iter()
            .filter(|f| f.value.kind() == v.kind())
            .filter(same_unit)
            .map(|f| self.clause_of(f))
            .collect();
        clauses.sort_unstable();
        clauses.dedup();
        if clauses.len() < 2 {
            return clauses;
        }
        let in_clause = |c: u32| (0..self.words.len()).filter(move |&p| self.clause[p] == c);
        let words_of =
            |c: u32| -> Vec<String> { in_clause(c).map(|p| self.words[p].clone()).collect() };
        let names = |words: &[String]| {
            self.fact
                .keys
                .iter()
                .filter_map(|k| match &k.what {
                    Term::Name(forms) => Some(forms),
                    _ => None,
                })
                .filter(|forms| {
                    forms
                        .iter()
                        .any(|f| contains_seq(words, &f.words()).is_some())
                })
                .count()
        };
        let content = |c: u32| {
            let senses: HashSet<&String> = in_clause(c).map(|p| &self.senses[p]).collect();
            self.fact
                .content
                .iter()
                .filter(|w| senses.contains(w))
                .count()
        };
        let by_names: Vec<usize> = clauses.iter().map(|&c| names(&words_of(c))).collect();
        let scores = if by_names.iter().any(|&n| n > 0) {
            by_names
        } else {
            clauses.iter().map(|&c| content(c)).collect()
        };
        let best = scores.iter().copied().max().unwrap_or(0);
        clauses
            .into_iter()
            .zip(scores)
            .filter(|&(_, s)| s == best)
            .map(|(c, _)| c)
            .collect()
    }

    /// Whether the fact's opening name is said where its values are: in the sentence of a
    /// value found, or the one before it ("Reuben returned unto the pit" is no sentence of
    /// the twenty pieces of silver Joseph was sold for).
    fn subject_with_values(&self, forms: &[Normalized], keys: &[KeyCheck]) -> bool {
        let found_values: Vec<u32> = self
            .fact
            .keys
            .iter()
            .zip(keys)
            .filter(|(k, c)| c.found && matches!(k.what, Term::Value(_)))
            .filter_map(|(k, _)| {
                let Term::Value(v) = &k.what else { return None };
                self.vals.iter().find(|f| v.matches(&f.value))
            })
            .filter_map(|f| {
                self.sentence
                    .get(f.first.saturating_sub(self.first))
                    .copied()
            })
            .collect();
        if found_values.is_empty() {
            return true;
        }
        let mut at: Vec<usize> = Vec::new();
        for f in forms {
            let needle = f.words();
            for p in 0..self.words.len() {
                if self.words[p..].starts_with(&needle) {
                    at.push(p);
                }
            }
        }
        at.extend(self.speaker_tags(forms));
        at.iter().any(|&p| {
            let s = self.sentence[p];
            found_values.iter().any(|&v| v == s || v == s + 1)
        })
    }
}

/// The sentence and clause of each token `first..=last`: a sentence ends at `.`, `!`, `?`
/// or `;` (not after an abbreviation) or a blank line; a clause also at `:` and at a comma
/// before a conjunction ("fourscore years old, and Aaron fourscore and three").
fn segments(doc: &Document, words: &[String], first: usize) -> (Vec<u32>, Vec<u32>) {
    const JOINS: &[&str] = &["and", "but", "or", "nor", "while", "whilst", "whereas"];
    let norm = &doc.norm;
    let vis = doc.visible();
    let (mut sentence, mut clause) = (Vec::with_capacity(words.len()), Vec::new());
    let (mut s, mut c) = (0u32, 0u32);
    for p in 0..words.len() {
        if p > 0 {
            let t = first + p;
            let sep = vis.get(norm.src_between(t - 1, t)).unwrap_or("");
            let ends = (sep.contains(['.', '!', '?', ';'])
                && !stop_ends_no_sentence(&words[p - 1]))
                || sep.contains("\n\n")
                || sep.contains("\n\r\n");
            if ends {
                s += 1;
            }
            if ends || sep.contains(':') || sep.contains(',') && JOINS.contains(&words[p].as_str())
            {
                c += 1;
            }
        }
        sentence.push(s);
        clause.push(c);
    }
    (sentence, clause)
}

/// Judge one window.
pub(crate) fn judge(fact: &Fact, doc: &Document, first: usize, last: usize) -> FactMatch {
    let words = window_words(doc, first, last);
    let (sentence, clause) = segments(doc, &words, first);
    let senses = words.iter().map(|x| sense(x)).collect();
    let mut w = Window {
        doc,
        fact,
        first,
        words,
        senses,
        sentence,
        clause,
        vals: values(&doc.norm, doc.visible(), first..last + 1),
        marks: Vec::new(),
        conflicts: Vec::new(),
    };
    let keys: Vec<KeyCheck> = fact
        .keys
        .iter()
        .map(|key| {
            let (found, source_value) = w.find(key);
            KeyCheck {
                term: key.term.clone(),
                found,
                source_value,
            }
        })
        .collect();
    // The fact's subject must be said where its values are.
    let unbound: Vec<usize> = fact
        .keys
        .iter()
        .enumerate()
        .filter(|(i, key)| key.opening && keys[*i].found)
        .filter(|(_, key)| match &key.what {
            Term::Name(forms) => !w.subject_with_values(forms, &keys),
            _ => false,
        })
        .map(|(i, _)| i)
        .collect();
    let mut keys = keys;
    for &i in &unbound {
        keys[i].found = false;
        keys[i].source_value = None;
    }
    let found_keys = keys.iter().filter(|k| k.found).count();
    let stems: HashSet<String> = w.senses.iter().cloned().collect();
    let content_found = fact.content.iter().filter(|c| stems.contains(*c)).count();
    let missing_past_verb = fact
        .content
        .iter()
        .zip(&fact.past)
        .any(|(c, &past)| past && !stems.contains(c));
    let (verdict, score) = weigh(
        fact,
        found_keys,
        w.conflicts.len(),
        content_found,
        missing_past_verb,
    );
    let Window {
        mut marks,
        mut conflicts,
        ..
    } = w;
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
        score,
        first: a,
        last: b,
        keys,
        conflicts,
        marks,
    }
}

/// The verdict and score of a window that has `found_keys` of the fact's keys, states
/// `conflicting` of them differently, and has `content_found` of its content words, where
/// the one it lacks may be the fact's verb in the past (`missing_past_verb`).
fn weigh(
    fact: &Fact,
    found_keys: usize,
    conflicting: usize,
    content_found: usize,
    missing_past_verb: bool,
) -> (Verdict, f64) {
    let terms = fact.keys.len() + fact.content.len();
    let score = if terms == 0 {
        0.0
    } else {
        (found_keys + conflicting + content_found) as f64 / terms as f64
    };
    let content_share = if fact.content.is_empty() {
        1.0
    } else {
        content_found as f64 / fact.content.len() as f64
    };
    let all_keys = found_keys == fact.keys.len();
    // A name that is a key only because it opens the fact lightens nothing.
    let no_keys = fact.keys.iter().all(|k| k.opening);
    let needed = if no_keys {
        CONTENT_SHARE_WITHOUT_KEYS
    } else {
        CONTENT_SHARE
    };
    // About the same thing: the fact's action is there, and most of its keys are found or
    // stated differently. Without key terms, the words must carry more of the weight.
    let subject = if no_keys {
        CONTENT_SHARE
    } else {
        SUBJECT_SHARE
    };
    // A fact of key terms alone is about what it names only if it finds more than half.
    let keys_enough = if fact.content.is_empty() && conflicting == 0 {
        2 * found_keys > fact.keys.len()
    } else {
        2 * (found_keys + conflicting) >= fact.keys.len()
    };
    let same_subject = content_share >= subject && keys_enough;
    // Two content words beside key terms that are all there: a verb in the past may be the
    // writer's own ("lasted" for "the 10-month correspondence"), but a thing may not ("the
    // tent weighs 2.4 kg" is not "the stove weighs 2.4 kg").
    let enough_content = content_share >= needed
        || !no_keys && fact.content.len() == 2 && content_found == 1 && missing_past_verb;
    let verdict = if all_keys && enough_content && terms > 0 {
        Verdict::Exact
    } else if same_subject {
        Verdict::Approximate
    } else {
        Verdict::Missing
    };
    (verdict, score.min(1.0))
}
