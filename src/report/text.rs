//! Text every report shares: claim data made safe to print, and a claim's differences and
//! reasons as a reader would say them.

use super::{ClaimRecord, DifferenceRecord};
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

#[cfg(test)]
mod tests {
    use super::printable;

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
