//! The rules a claims file must keep: settings in range, sources with versions, claims with a
//! unique id, one of `quote` or `fact`, words to look for, a known source and expectation.
//! Every problem is collected, so that a user fixes a file in one pass.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde_saphyr::Spanned;

use super::raw::{RawClaim, RawSettings, RawSource, RawVersion, at};
use crate::config::{SettingError, Settings, check_threshold, check_words};
use crate::diagnostic::{Diagnostic, closest};
use crate::model::{Claim, ClaimKind, Source, Verdict, Version};
use crate::quote::Quote;
use crate::text::normalize::{normalize, surely_has_words};

/// Checks the parts of one file, keeping every problem found.
pub(super) struct Checker<'a> {
    path: &'a Path,
    text: &'a str,
    pub(super) errors: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(path: &'a Path, text: &'a str) -> Checker<'a> {
        Checker {
            path,
            text,
            errors: Vec::new(),
        }
    }

    fn error(&mut self, (line, column): (usize, usize), message: String, help: impl Into<String>) {
        self.errors.push(
            Diagnostic::error(message)
                .at(self.path, line, column)
                .with_source(self.text)
                .help(help),
        );
    }

    pub(super) fn settings(&mut self, raw: RawSettings) -> Settings {
        let mut settings = Settings {
            strict: raw.strict,
            ..Settings::default()
        };
        let mut keep = |checked: Result<(), SettingError>, at: (usize, usize)| match checked {
            Ok(()) => true,
            Err(e) => {
                let help = format!("{}, e.g. `{}: {}`", e.help, e.key, e.example);
                self.error(at, e.message, help);
                false
            }
        };
        if let Some(t) = raw.threshold
            && keep(check_threshold(t.value), at(&t))
        {
            settings.threshold = Some(t.value);
        }
        if let Some(g) = raw.ellipsis_gap
            && keep(check_words("ellipsis_gap", g.value), at(&g))
        {
            settings.ellipsis_gap = Some(g.value);
        }
        if let Some(w) = raw.fact_window
            && keep(check_words("fact_window", w.value), at(&w))
        {
            settings.fact_window = Some(w.value);
        }
        settings
    }

    pub(super) fn sources(
        &mut self,
        raw: Vec<(Spanned<String>, Spanned<RawSource>)>,
    ) -> Vec<Source> {
        let dir = self.path.parent().unwrap_or(Path::new(""));
        let mut sources = Vec::new();
        for (name, src) in raw {
            let versions: Vec<Version> = src
                .value
                .versions
                .map(|m| m.0)
                .unwrap_or_default()
                .into_iter()
                .map(|(vname, v)| self.version(dir, vname.value, v))
                .collect();
            if versions.is_empty() {
                self.error(
                    at(&name),
                    format!("source `{}` has no versions", name.value),
                    "add `versions:` with at least one file, e.g. `original: sources/article.md` (relative to this file)",
                );
            }
            sources.push(Source {
                name: name.value,
                title: src.value.title,
                url: src.value.url,
                versions,
            });
        }
        sources
    }

    /// A version: its path joined to the claims file's directory, its encoding checked.
    fn version(&mut self, dir: &Path, name: String, v: Spanned<RawVersion>) -> Version {
        let (line, column) = at(&v);
        let (path, encoding) = match v.value {
            RawVersion::Path(p) => (p, None),
            RawVersion::Full(f) => (f.path, f.encoding),
        };
        let encoding = encoding.and_then(|e| match encoding_rs::Encoding::for_label(e.value.trim().as_bytes()) {
            Some(known) => Some(known.name().to_string()),
            None => {
                self.error(
                    at(&e),
                    format!("unknown encoding `{}`", e.value),
                    "use a name from the Encoding Standard, e.g. `windows-1252`, `iso-8859-2`, `shift_jis`, `utf-16le`",
                );
                None
            }
        });
        Version {
            name,
            path: dir.join(path),
            line,
            column,
            encoding,
        }
    }

    pub(super) fn claims(&mut self, raw: Vec<Spanned<RawClaim>>, sources: &[Source]) -> Vec<Claim> {
        let mut first_line_of_id = HashMap::new();
        let mut claims = Vec::new();
        // Normalizing every claim's text was a fifth of the time parsing 100,000 takes.
        let lacks: Vec<Option<Lack>> = raw
            .par_iter()
            .with_min_len(256)
            .map(|rc| match (&rc.value.quote, &rc.value.fact) {
                (Some(q), None) => Lack::of(ClaimKind::Quote, &q.value),
                (None, Some(f)) => Lack::of(ClaimKind::Fact, &f.value),
                _ => None,
            })
            .collect();
        for (rc, lack) in raw.into_iter().zip(lacks) {
            let place = at(&rc);
            claims.extend(self.claim(place, rc.value, lack, sources, &mut first_line_of_id));
        }
        claims
    }

    /// One claim, or `None` (with its problem recorded) when it cannot be checked.
    fn claim(
        &mut self,
        (line, column): (usize, usize),
        rc: RawClaim,
        lack: Option<Lack>,
        sources: &[Source],
        first_line_of_id: &mut HashMap<String, usize>,
    ) -> Option<Claim> {
        let Some(id) = rc.id else {
            self.error(
                (line, column),
                "claim has no `id`".into(),
                "add `id: some-name`, unique within this file",
            );
            return None;
        };
        let id_at = at(&id);
        if id.value.trim().is_empty() {
            self.error(
                id_at,
                "claim id is empty".into(),
                "give the claim a name, e.g. `id: ask-around`",
            );
            return None;
        }
        if let Some(first) = first_line_of_id.get(&id.value) {
            let help =
                format!("it is already used on line {first}; ids must be unique within a file");
            self.error(id_at, format!("duplicate claim id `{}`", id.value), help);
            return None;
        }
        first_line_of_id.insert(id.value.clone(), id_at.0);
        let id = id.value;
        let (kind, text) = self.kind_and_text(&id, (line, column), rc.quote, rc.fact, lack)?;
        let source = self.source_of(&id, (line, column), rc.source.as_ref(), sources)?;
        let expect = self.expectation(rc.expect.as_ref())?;
        Some(Claim {
            id,
            line,
            column,
            kind,
            text: text.value,
            by: rc.by,
            source,
            expect,
            note: rc.note,
            keys: rc.keys.unwrap_or_default(),
        })
    }

    fn kind_and_text(
        &mut self,
        id: &str,
        place: (usize, usize),
        quote: Option<Spanned<String>>,
        fact: Option<Spanned<String>>,
        lack: Option<Lack>,
    ) -> Option<(ClaimKind, Spanned<String>)> {
        let (kind, text) = match (quote, fact) {
            (Some(q), None) => (ClaimKind::Quote, q),
            (None, Some(f)) => (ClaimKind::Fact, f),
            (Some(_), Some(f)) => {
                self.error(
                    at(&f),
                    format!("claim `{id}` has both `quote` and `fact`"),
                    "a claim is either a verbatim `quote` or a `fact` in your own words; split it into two claims",
                );
                return None;
            }
            (None, None) => {
                self.error(
                    place,
                    format!("claim `{id}` has neither `quote` nor `fact`"),
                    "add `quote: \"the exact words\"` or `fact: what the source states`",
                );
                return None;
            }
        };
        match lack {
            Some(Lack::Words) => self.error(
                at(&text),
                format!("{kind} of claim `{id}` has no words"),
                "a claim needs at least one letter or digit to look for",
            ),
            Some(Lack::WordsOutsideBrackets) => self.error(
                at(&text),
                format!("quote of claim `{id}` has no words outside editorial brackets"),
                "brackets mark what the quoter added; quote at least one word of the source",
            ),
            None => return Some((kind, text)),
        }
        None
    }

    fn source_of(
        &mut self,
        id: &str,
        place: (usize, usize),
        named: Option<&Spanned<String>>,
        sources: &[Source],
    ) -> Option<usize> {
        let names: Vec<&str> = sources.iter().map(|x| x.name.as_str()).collect();
        match (named, sources.len()) {
            (Some(s), _) => {
                let found = names.iter().position(|n| *n == s.value);
                if found.is_none() {
                    let help = match closest(&s.value, names.iter().copied()) {
                        Some(n) => format!("did you mean `{n}`?"),
                        None if names.is_empty() => "declare it under `sources:`".to_string(),
                        None => format!("known sources: {}", names.join(", ")),
                    };
                    self.error(at(s), format!("unknown source `{}`", s.value), help);
                }
                found
            }
            (None, 1) => Some(0),
            (None, 0) => {
                self.error(
                    place,
                    format!("claim `{id}` has no source to check against"),
                    "declare the document under `sources:` with its `versions:`",
                );
                None
            }
            (None, _) => {
                let help = format!(
                    "this file has several sources; add `source:` with one of: {}",
                    names.join(", ")
                );
                let message = format!("claim `{id}` does not say which source it quotes");
                self.error(place, message, help);
                None
            }
        }
    }

    fn expectation(&mut self, expect: Option<&Spanned<String>>) -> Option<Verdict> {
        let Some(e) = expect else {
            return Some(Verdict::Exact);
        };
        let parsed = e.value.trim().parse().ok();
        if parsed.is_none() {
            let help = match closest(&e.value, Verdict::NAMES) {
                Some(n) => format!("did you mean `{n}`? (one of exact, approximate, missing)"),
                None => "use one of exact, approximate, missing".to_string(),
            };
            self.error(at(e), format!("unknown expectation `{}`", e.value), help);
        }
        parsed
    }
}

/// What a claim's text lacks to be looked for.
#[derive(Debug, Clone, Copy)]
enum Lack {
    Words,
    WordsOutsideBrackets,
}

impl Lack {
    fn of(kind: ClaimKind, text: &str) -> Option<Lack> {
        if !surely_has_words(text) && normalize(text).is_empty() {
            return Some(Lack::Words);
        }
        (kind == ClaimKind::Quote && Quote::parse(text).segments.is_empty())
            .then_some(Lack::WordsOutsideBrackets)
    }
}
