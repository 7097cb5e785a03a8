//! Merging the JSON reports of `check --shard I/N` runs: read back as records, the shard set
//! checked for completeness, the claims put back in the order one run would report them.

use std::io;
use std::path::PathBuf;

use super::record::{ClaimRecord, ReportDoc, SCHEMA_VERSION, SetRecord, SkipRecord};
use super::{NoteRecord, Run, id_width};
use crate::check::Skip;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};

/// The run and the claims of a set of shard reports, each given with its path and its bytes
/// (or why they could not be read). Every problem is returned together: an unreadable report,
/// a foreign version, a shard missing, repeated, or of another set.
pub fn merge(reports: Vec<(PathBuf, io::Result<Vec<u8>>)>) -> Result<(Run, Vec<ClaimRecord>)> {
    let mut errs = Vec::new();
    let mut run = Run::default();
    let mut claims: Vec<ClaimRecord> = Vec::new();
    let mut shards: Vec<(usize, usize, PathBuf)> = Vec::new();
    // The whole set each shard says it belongs to, and the first report that said so.
    let mut set: Option<(SetRecord, PathBuf)> = None;
    let first = reports.first().map(|(p, _)| p.clone());
    for (path, bytes) in reports {
        let doc: ReportDoc = match bytes
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
        {
            Ok(d) => d,
            Err(e) => {
                errs.push(
                    Diagnostic::error(format!("cannot read this report: {e}"))
                        .in_file(&path)
                        .help("pass the files written by `quotecheck check --format json`"),
                );
                continue;
            }
        };
        if doc.version != SCHEMA_VERSION {
            errs.push(
                Diagnostic::error(format!(
                    "report version {} is not {SCHEMA_VERSION}",
                    doc.version
                ))
                .in_file(&path)
                .help("merge reports written by the same quotecheck release"),
            );
            continue;
        }
        if let Some(s) = doc.shard {
            shards.push((s.index, s.count, path.clone()));
        }
        match (&set, &doc.set) {
            (None, Some(this)) => set = Some((this.clone(), path.clone())),
            (Some((theirs, other)), Some(this)) if theirs != this => errs.push(
                Diagnostic::error(format!(
                    "this shard is of another claims set than {} ({} claims, digest {}; here {} claims, digest {})",
                    other.display(),
                    theirs.claims,
                    theirs.digest,
                    this.claims,
                    this.digest
                ))
                .in_file(&path)
                .help("merge the shards of one run: every job must check the same claims files"),
            ),
            _ => {}
        }
        add_notes(&mut run.notes, &doc);
        add_skipped(&mut run.skipped, &doc.skipped);
        claims.extend(doc.claims);
    }
    if let Some(first) = &first {
        errs.extend(incomplete(&shards, first));
    }
    // Each claim once, and, where the shards say how many the set has, all of them.
    let mut keys: Vec<(&str, &str)> = claims
        .iter()
        .map(|c| (c.file.as_str(), c.id.as_str()))
        .collect();
    keys.sort_unstable();
    let twice: Vec<&(&str, &str)> = keys
        .windows(2)
        .filter(|pair| pair[0] == pair[1])
        .map(|pair| &pair[0])
        .collect();
    if let (Some((file, id)), Some(first)) = (twice.first(), &first) {
        let more = match twice.len() - 1 {
            0 => String::new(),
            n => format!(", and {n} more"),
        };
        errs.push(
            Diagnostic::error(format!(
                "claim `{}` of {} is in two reports{more}",
                super::printable(id),
                super::printable(file)
            ))
            .in_file(first)
            .help("merge each shard's report once, from one run"),
        );
    }
    // Every claim of the set is in a report, or counted there as not checked.
    let not_checked: usize = run.skipped.iter().map(|s| s.claims).sum();
    if let Some((whole, path)) = &set
        && errs.is_empty()
        && whole.claims != claims.len() + not_checked
    {
        errs.push(
            Diagnostic::error(format!(
                "the set has {} claims but the reports hold {} and count {not_checked} not checked",
                whole.claims,
                claims.len()
            ))
            .in_file(path)
            .help("a report is cut short or a shard was checked with other claims files"),
        );
    }
    if !errs.is_empty() {
        return Err(Error::Input(errs));
    }
    // One run reports files in order and each file's claims by line.
    claims.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    run.files = files_of(&claims);
    Ok((run, claims))
}

/// The report's run notes, each once; a report without typed notes gives prose only.
fn add_notes(notes: &mut Vec<NoteRecord>, doc: &ReportDoc) {
    let typed = doc.findings.len() == doc.notes.len();
    for (i, message) in doc.notes.iter().enumerate() {
        if notes.iter().any(|n| &n.message == message) {
            continue;
        }
        notes.push(match doc.findings.get(i) {
            Some(n) if typed => n.clone(),
            _ => NoteRecord {
                code: String::new(),
                message: message.clone(),
                severity: crate::diagnostic::Severity::Info,
            },
        });
    }
}

/// The claims a shard did not check for a reason other than being in another shard: each
/// shard counts its own, so the whole run's are their sum.
fn add_skipped(all: &mut Vec<SkipRecord>, these: &[SkipRecord]) {
    for s in these.iter().filter(|s| s.reason != Skip::Shard) {
        match all.iter_mut().find(|a| a.reason == s.reason) {
            Some(a) => a.claims += s.claims,
            None => all.push(*s),
        }
    }
    all.sort_by_key(|s| s.reason);
}

/// A sharded set must be complete: every index of the same count, once each.
fn incomplete(shards: &[(usize, usize, PathBuf)], first: &std::path::Path) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    let Some(&(_, count, _)) = shards.first() else {
        return errs;
    };
    // A map, not a table of `count` slots: the count comes from a file.
    let mut seen: std::collections::BTreeMap<usize, &PathBuf> = Default::default();
    for (i, n, p) in shards {
        let (i, n) = (*i, *n);
        if n != count || i == 0 || i > n {
            errs.push(
                Diagnostic::error(format!("shard {i}/{n} does not belong to a set of {count}"))
                    .in_file(p),
            );
        } else if let Some(earlier) = seen.insert(i, p) {
            errs.push(
                Diagnostic::error(format!(
                    "shard {i}/{n} again (also in {})",
                    earlier.display()
                ))
                .in_file(p),
            );
            seen.insert(i, earlier);
        }
    }
    const LISTED: usize = 20;
    let mut missing: Vec<String> = (1..=count)
        .filter(|i| !seen.contains_key(i))
        .take(LISTED)
        .map(|i| format!("{i}/{count}"))
        .collect();
    let unlisted = count - seen.len() - missing.len();
    if unlisted > 0 {
        missing.push(format!("and {unlisted} more"));
    }
    if !missing.is_empty() {
        errs.push(
            Diagnostic::error(format!("shards missing: {}", missing.join(", ")))
                .in_file(first)
                .help("merge the reports of every shard, or the result would pass claims nobody checked"),
        );
    }
    errs
}

/// Each claims file of `claims` (sorted by file) and the width of its widest id.
fn files_of(claims: &[ClaimRecord]) -> Vec<(String, usize)> {
    let mut files: Vec<(String, usize)> = Vec::new();
    for c in claims {
        let w = id_width(std::iter::once(c.id.as_str()));
        match files.last_mut() {
            Some((f, width)) if *f == c.file => *width = (*width).max(w),
            _ => files.push((c.file.clone(), w)),
        }
    }
    files
}
