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

/// One window of a document as a fact's terms are looked up in it, with what was found.
struct Window<'a> {
    doc: &'a Document,
    first: usize,
    words: Vec<String>,
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
        let [name] = forms else { return None };
        let name = name.as_string();
        if name.contains(' ') {
            return None;
        }
        let norm = &self.doc.norm;
        let vis = self.doc.visible();
        (0..self.words.len()).find(|&p| {
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
        // "entitled to chuse three, Massachusetts eight".
        let same_unit = |f: &&Found| key.unit.is_none() || f.unit == key.unit;
        if let Some(f) = self
            .vals
            .iter()
            .filter(same_unit)
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

/// Judge one window.
pub(crate) fn judge(fact: &Fact, doc: &Document, first: usize, last: usize) -> FactMatch {
    let mut w = Window {
        doc,
        first,
        words: window_words(doc, first, last),
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
    let found_keys = keys.iter().filter(|k| k.found).count();
    let stems: HashSet<String> = w.words.iter().map(|x| stem(x)).collect();
    let content_found = fact.content.iter().filter(|c| stems.contains(*c)).count();
    let (verdict, score) = weigh(fact, found_keys, w.conflicts.len(), content_found);
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
/// `conflicting` of them differently, and has `content_found` of its content words.
fn weigh(
    fact: &Fact,
    found_keys: usize,
    conflicting: usize,
    content_found: usize,
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
    let same_subject =
        content_share >= subject && 2 * (found_keys + conflicting) >= fact.keys.len();
    let verdict = if all_keys && content_share >= needed && terms > 0 {
        Verdict::Exact
    } else if same_subject {
        Verdict::Approximate
    } else {
        Verdict::Missing
    };
    (verdict, score.min(1.0))
}
