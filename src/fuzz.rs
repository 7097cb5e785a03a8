//! What the fuzz targets (`fuzz/`) run, here so that `cargo test` replays their saved inputs
//! on stable (`tests/fuzz_replay.rs`). Each takes any bytes, must never panic, and asserts
//! what must hold for every input.

use std::path::Path;

use crate::authoring::{NewClaim, append_entry};
use crate::model::ClaimsFile;
use crate::report::{self, Detail, Report, ReportFormat, Run};
use crate::source::corpus::Corpus;
use crate::source::document::{Document, Format};
use crate::{Checker, ClaimRecord};

/// The input split at its first line break: a line, and the rest.
fn split(data: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(data);
    match text.split_once('\n') {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => (text.into_owned(), String::new()),
    }
}

/// A claims file's text: parsed (never a panic); when it parses and a claim can be appended,
/// the appended file keeps every old byte and reads back as the old claims plus the new one.
pub fn claims_file(data: &[u8]) {
    let (quote, yaml) = split(data);
    let path = Path::new("claims/x.yaml");
    let Ok(old) = ClaimsFile::parse(path, &yaml) else {
        return;
    };
    // As `add` admits it: a claim names one of the file's sources.
    let Some(source) = old.sources.first() else {
        return;
    };
    let claim = NewClaim {
        text: quote.clone(),
        source: Some(source.name.clone()),
        ..NewClaim::default()
    };
    // A claim `add` would refuse (no words, brackets only) never reaches the writer.
    if crate::quote::Quote::parse(&quote).segments.is_empty()
        || crate::text::normalize::normalize(&quote).is_empty()
    {
        return;
    }
    let Ok(after) = append_entry(&yaml, "fuzz-new", &claim) else {
        return;
    };
    assert!(after.starts_with(&yaml), "the old bytes are kept");
    let new = ClaimsFile::parse(path, &after).expect("an appended file parses");
    assert_eq!(new.claims.len(), old.claims.len() + 1);
    let last = new.claims.last().expect("the new claim");
    assert_eq!(
        (last.id.as_str(), last.text.as_str()),
        ("fuzz-new", quote.as_str())
    );
}

/// A source's bytes read as HTML, Markdown or text (by the first byte): every visible
/// offset maps inside the raw file, on a character boundary, in order.
pub fn extraction(data: &[u8]) {
    let Some((&kind, bytes)) = data.split_first() else {
        return;
    };
    let name = match kind % 3 {
        0 => "page.html",
        1 => "page.md",
        _ => "page.txt",
    };
    let Ok(doc) = Document::from_bytes(Path::new(name), bytes.to_vec()) else {
        return;
    };
    let visible = doc.visible();
    let mut last = 0;
    for (vis, c) in visible.char_indices() {
        let raw = doc.raw_offset(vis as u32) as usize;
        assert!(raw <= doc.raw.len(), "offset {raw} past the raw file");
        assert!(
            doc.raw.is_char_boundary(raw),
            "offset {raw} inside a character"
        );
        // Words come in the raw file's order (a break between blocks stands for no
        // character of its own).
        if !c.is_whitespace() {
            assert!(
                raw >= last,
                "offsets go backwards at visible {vis}: {raw} < {last}"
            );
            last = raw;
        }
        let at = doc.position(raw as u32);
        assert!(at.line >= 1 && at.column >= 1);
    }
}

/// A source, a quote and a `by` (three lines of the input, the source last), checked as a
/// quote and as a fact, and the results written in every report format.
pub fn check(data: &[u8]) {
    colored::control::set_override(false);
    let (quote, rest) = split(data);
    let (by, source) = match rest.split_once('\n') {
        Some((b, s)) => (b.to_string(), s.to_string()),
        None => (String::new(), rest),
    };
    let mut corpus = Corpus::new();
    corpus.insert(
        "claims/s.txt",
        Document::from_text(Path::new("claims/s.txt"), source, Format::Plain),
    );
    let q = crate::authoring::yaml_quote(&quote);
    let b = crate::authoring::yaml_quote(&by);
    let yaml = format!(
        "sources:\n  s:\n    versions:\n      t: s.txt\nclaims:\n  - id: q\n    quote: {q}\n    by: {b}\n  - id: f\n    fact: {q}\n"
    );
    let Ok(file) = ClaimsFile::parse(Path::new("claims/x.yaml"), &yaml) else {
        return;
    };
    let files = [file];
    let Ok(checker) = Checker::new(&files, &corpus) else {
        return;
    };
    let outcome = checker.run();
    let records: Vec<ClaimRecord> = outcome
        .files
        .iter()
        .flat_map(|f| &f.claims)
        .map(ClaimRecord::from)
        .collect();
    for format in [
        ReportFormat::Human,
        ReportFormat::Json,
        ReportFormat::Jsonl,
        ReportFormat::Github,
        ReportFormat::Junit,
        ReportFormat::Markdown,
        ReportFormat::Sarif,
    ] {
        let mut out = Vec::new();
        {
            let reporter = report::reporter(format, Box::new(&mut out), Detail::Verbose);
            let mut report = Report::begin(reporter, &Run::new(&outcome.notes)).expect("begin");
            for r in &records {
                report.record(r).expect("a claim");
            }
            report.finish().expect("finish");
        }
        // Nothing from the input reaches a terminal or a log raw (styling is off here).
        let text = String::from_utf8_lossy(&out);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{format:?} writes a control character raw"
        );
    }
}
