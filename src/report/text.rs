//! Text every report shares: claim data made safe to print, and a claim's differences and
//! reasons as a reader would say them.

use super::{ClaimRecord, DifferenceRecord};
use std::borrow::Cow;

pub use crate::diagnostic::printable;
use crate::model::Verdict;
use crate::outcome::DifferenceKind;

/// Words in curly quotes, printable.
pub(crate) fn quoted(words: &str) -> String {
    format!("\u{201c}{}\u{201d}", printable(words))
}

/// One difference as a reader would say it.
pub(crate) fn describe(d: &DifferenceRecord) -> String {
    let detail = match (d.claim.is_empty(), d.source.is_empty()) {
        _ if d.kind == DifferenceKind::WordsMoved => format!(
            "quote has {} at another place; the source has {}",
            quoted(&d.claim),
            quoted(&d.source)
        ),
        (false, false) => format!(
            "quote has {} where the source has {}",
            quoted(&d.claim),
            quoted(&d.source)
        ),
        (false, true) => format!("quote adds {}, not in the source", quoted(&d.claim)),
        _ => format!("quote leaves out {}", quoted(&d.source)),
    };
    let mut line = format!("{}: {detail}", d.kind.label());
    if d.changes_meaning {
        line.push_str(" (changes the meaning)");
    }
    line
}

/// A claim that falls short, told in lines: its id, verdict and score, then its reasons.
pub(crate) fn shortfall(c: &ClaimRecord) -> Vec<String> {
    let mut lines = vec![format!(
        "{}: {} ({:.2})",
        printable(&c.id),
        c.verdict,
        c.score
    )];
    lines.extend(reasons(c));
    lines
}

/// Why a claim has its verdict, in one line: a fact's conflicts and missing terms, a quote's
/// differences, or the closest passage of a missing one; then its notes.
pub(crate) fn reasons(c: &ClaimRecord) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(best) = c.best() {
        for k in &best.conflicts {
            out.push(format!(
                "the claim says {}, the source says {}",
                quoted(&k.claim),
                quoted(&k.source)
            ));
        }
        let conflicting: Vec<&str> = best.conflicts.iter().map(|k| k.claim.as_str()).collect();
        for k in best
            .keys
            .iter()
            .filter(|k| !k.found && !conflicting.contains(&k.term.as_str()))
        {
            out.push(format!("not in the passage: {}", quoted(&k.term)));
        }
        if c.verdict == Verdict::Approximate {
            out.extend(best.differences.iter().map(describe));
        }
        if c.verdict == Verdict::Missing
            && let Some(p) = &best.passage
        {
            out.push(format!("closest: {} ({:.2})", quoted(p), best.score));
        }
    }
    out.extend(c.notes.iter().map(|n| printable(n).into_owned()));
    out
}

/// The claims not checked, and why: "40 claims not checked: 38 in other shards, 2 not named
/// by --only". `None` when every claim was checked.
pub fn not_checked(skipped: &[super::SkipRecord]) -> Option<String> {
    let total: usize = skipped.iter().map(|s| s.claims).sum();
    if total == 0 {
        return None;
    }
    let why: Vec<String> = skipped
        .iter()
        .map(|s| format!("{} {}", s.claims, s.reason.describe()))
        .collect();
    let noun = if total == 1 { "claim" } else { "claims" };
    Some(format!("{total} {noun} not checked: {}", why.join(", ")))
}

/// JSON text with every character a terminal may act on written as a `\\uXXXX` escape:
/// serde_json escapes C0 controls but leaves DEL, the C1 controls and the bidirectional
/// overrides raw. Only strings can hold them, and the escape means the same there.
pub fn json_safe(json: &str) -> Cow<'_, str> {
    // White space between tokens is JSON's own; inside strings serde_json escapes it.
    let acts_on_terminal =
        |c: char| crate::diagnostic::acts_on_terminal(c) && !matches!(c, '\n' | '\r' | '\t');
    if !json.chars().any(acts_on_terminal) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 12);
    for c in json.chars() {
        if acts_on_terminal(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether UTF-8 `text` may hold DEL, a C1 control or a bidirectional override or isolate
/// (what [`json_safe`] escapes besides the C0 controls): found by their leading bytes, since
/// nearly every record holds curly quotes or accents that a check by characters would
/// decode one at a time.
fn may_act_on_terminal(text: &[u8]) -> bool {
    memchr::memchr3_iter(0x7f, 0xc2, 0xe2, text).any(|i| {
        let next = |k: usize| text.get(i + k).copied();
        match text.get(i) {
            Some(0xc2) => next(1).is_none_or(|b| (0x80..=0x9f).contains(&b)),
            Some(0xe2) => match (next(1), next(2)) {
                (Some(0x80), Some(b)) => (0xaa..=0xae).contains(&b),
                (Some(0x81), Some(b)) => (0xa6..=0xa9).contains(&b),
                (Some(0x80 | 0x81), None) | (None, _) => true,
                _ => false,
            },
            _ => true,
        }
    })
}

/// A writer of JSON text through [`json_safe`]; a character cut between two writes waits for
/// its end.
pub(crate) struct JsonSafe<W> {
    out: W,
    pending: Vec<u8>,
}

impl<W: std::io::Write> JsonSafe<W> {
    pub(crate) fn new(out: W) -> JsonSafe<W> {
        JsonSafe {
            out,
            pending: Vec::new(),
        }
    }
}

impl<W: std::io::Write> std::io::Write for JsonSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Whole characters, none to escape (serde_json escapes the C0 controls itself).
        if self.pending.is_empty() && !may_act_on_terminal(buf) && std::str::from_utf8(buf).is_ok()
        {
            self.out.write_all(buf)?;
            return Ok(buf.len());
        }
        self.pending.extend_from_slice(buf);
        let whole = match std::str::from_utf8(&self.pending) {
            Ok(s) => s.len(),
            // The start of a character whose end is still to come.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            // Not UTF-8 at all (serde_json never writes that): passed on as it is.
            Err(_) => {
                let bytes = std::mem::take(&mut self.pending);
                self.out.write_all(&bytes)?;
                return Ok(buf.len());
            }
        };
        let rest = self.pending.split_off(whole);
        let text = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending = rest;
        self.out.write_all(json_safe(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let bytes = std::mem::take(&mut self.pending);
        self.out.write_all(&bytes)?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn json_keeps_its_meaning_without_what_acts_on_a_terminal() {
        use std::io::Write;
        let value = serde_json::json!({"id": "a\u{9b}2J\u{7f}\u{202e}b\u{1b}é"});
        let text = serde_json::to_string(&value).unwrap();
        let safe = super::json_safe(&text);
        assert!(
            !safe.chars().any(crate::diagnostic::acts_on_terminal),
            "{safe}"
        );
        assert_eq!(super::json_safe("{\n  \"a\": 1\n}"), "{\n  \"a\": 1\n}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
        // Written a byte at a time, characters cut in two: the same text.
        let mut out = Vec::new();
        {
            let mut w = super::JsonSafe::new(&mut out);
            for b in text.as_bytes() {
                w.write_all(std::slice::from_ref(b)).unwrap();
            }
            w.flush().unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), safe);
    }

    #[test]
    fn the_quick_test_for_what_to_escape_misses_nothing() {
        let escaped =
            |c: char| crate::diagnostic::acts_on_terminal(c) && !matches!(c, '\n' | '\r' | '\t');
        for c in ('\u{20}'..='\u{3000}').chain(['\u{fffd}', '\u{1f600}']) {
            let mut buf = [0; 4];
            let text = format!("a{}b", c.encode_utf8(&mut buf));
            assert_eq!(
                super::may_act_on_terminal(text.as_bytes()),
                escaped(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn control_and_reordering_characters_are_escaped() {
        assert_eq!(printable("plain ‘text’ é"), "plain ‘text’ é");
        assert_eq!(
            printable("x\n::error file=README.md::forged"),
            "x\\n::error file=README.md::forged"
        );
        assert_eq!(
            printable("\u{1b}]0;title\u{7}\u{1b}[2J"),
            "\\u{1b}]0;title\\u{7}\\u{1b}[2J"
        );
        assert_eq!(printable("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(printable("a\u{9b}b"), "a\\u{9b}b");
    }
}
