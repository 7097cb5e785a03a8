//! Adding a claim: checked first, then appended after the last byte of the file, so that
//! comments, order, quoting style and blank lines stay as they were. The result is re-parsed
//! before it replaces the file, atomically and under a lock, so concurrent `add`s all land.

use std::path::Path;

use super::fsutil::{lock_for, remove_leftovers, write_atomically};
use crate::check::Checker;
use crate::claims;
use crate::diagnostic::{Diagnostic, closest};
use crate::error::{Error, Result};
use crate::model::{Claim, ClaimKind, ClaimsFile, Verdict};
use crate::outcome::Outcome;
use crate::quote::Quote;
use crate::text::normalize::normalize;
use crate::workspace::{self, Reach};

/// A claim to add, as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct NewClaim {
    /// Its id [default: made from its first words].
    pub id: Option<String>,
    /// Quote or fact [default: quote].
    pub kind: Option<ClaimKind>,
    /// The words quoted, or the fact stated.
    pub text: String,
    /// The source's name (needed when the file has several).
    pub source: Option<String>,
    /// Who is quoted.
    pub by: Option<String>,
    /// The verdict it needs [default: exact].
    pub expect: Option<Verdict>,
    /// A note kept with the claim.
    pub note: Option<String>,
}

/// A YAML double-quoted scalar that reads back as exactly `s`.
pub fn yaml_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20
                || c == '\u{7f}'
                || c == '\u{85}'
                || c == '\u{2028}'
                || c == '\u{2029}'
                || c == '\u{feff}' =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A readable id from a claim's first words: `off-the-record-i-don`, unique among `taken`.
pub fn generate_id(text: &str, taken: &[String]) -> String {
    let words = normalize(text).words();
    let mut base: String = words
        .iter()
        .take(5)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if base.trim_matches('-').is_empty() {
        base = "claim".to_string();
    }
    let base = base.trim_matches('-').to_string();
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken.contains(id))
        .expect("some suffix is free")
}

/// Where the claims list ends and how its entries are indented.
struct Layout {
    /// The file has no `claims:` key yet.
    needs_key: bool,
    /// Indentation of `- ` in the claims list.
    indent: String,
    newline: &'static str,
}

/// The file's layout, or why an entry cannot be appended to it without rewriting it.
fn layout(text: &str) -> Result<Layout, String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let is_key = |l: &str| !l.is_empty() && !l.starts_with([' ', '\t', '#', '-']);
    let claims_at = lines.iter().position(|l| {
        l.strip_prefix("claims:").is_some_and(|rest| {
            let rest = rest.trim();
            rest.is_empty() || rest.starts_with('#')
        })
    });
    let Some(at) = claims_at else {
        if lines.iter().any(|l| l.starts_with("claims:")) {
            return Err("`claims:` is written inline (e.g. `claims: []`); write it as a block list, one `- id:` entry per claim".into());
        }
        return Ok(Layout {
            needs_key: true,
            indent: "  ".into(),
            newline,
        });
    };
    if let Some(after) = lines[at + 1..].iter().find(|l| is_key(l)) {
        return Err(format!(
            "`claims:` is not the last key of the file (`{}` follows it); move the claims list to the end so that new claims can be appended",
            after.split(':').next().unwrap_or(after)
        ));
    }
    let indent = lines[at + 1..]
        .iter()
        .find_map(|l| {
            let trimmed = l.trim_start_matches(' ');
            trimmed
                .starts_with("- ")
                .then(|| " ".repeat(l.len() - trimmed.len()))
        })
        .unwrap_or_else(|| "  ".into());
    Ok(Layout {
        needs_key: false,
        indent,
        newline,
    })
}

/// The file's text with `claim` appended: the old text unchanged, then the entry.
pub fn append_entry(text: &str, id: &str, claim: &NewClaim) -> Result<String, String> {
    let Layout {
        needs_key,
        indent,
        newline,
    } = layout(text)?;
    let mut out = String::with_capacity(text.len() + 256);
    out.push_str(text);
    if !text.is_empty() && !text.ends_with('\n') {
        out.push_str(newline);
    }
    if needs_key {
        out.push_str("claims:");
        out.push_str(newline);
    }
    let field = |out: &mut String, first: bool, key: &str, value: &str| {
        if first {
            out.push_str(&format!("{indent}- {key}: {value}{newline}"));
        } else {
            out.push_str(&format!("{indent}  {key}: {value}{newline}"));
        }
    };
    field(&mut out, true, "id", &yaml_quote(id));
    let kind = match claim.kind {
        Some(ClaimKind::Fact) => "fact",
        _ => "quote",
    };
    field(&mut out, false, kind, &yaml_quote(&claim.text));
    if let Some(s) = &claim.source {
        field(&mut out, false, "source", &yaml_quote(s));
    }
    if let Some(b) = &claim.by {
        field(&mut out, false, "by", &yaml_quote(b));
    }
    if let Some(e) = claim.expect {
        field(&mut out, false, "expect", e.name());
    }
    if let Some(n) = &claim.note {
        field(&mut out, false, "note", &yaml_quote(n));
    }
    Ok(out)
}
/// Check a new claim against the file it goes into: its id, its source. Returns the id and
/// the source's index.
fn admit(file: &ClaimsFile, claim: &NewClaim) -> Result<(String, usize)> {
    let path = file.path.as_path();
    let err = |message: String| Diagnostic::error(message).in_file(path);
    let taken: Vec<String> = file.claims.iter().map(|c| c.id.clone()).collect();
    let id = match &claim.id {
        Some(id) if taken.contains(id) => {
            let line = file
                .claims
                .iter()
                .find(|c| &c.id == id)
                .map_or(0, |c| c.line);
            return Err(
                Diagnostic::error(format!("claim id `{id}` is already used"))
                    .at(path, line, 0)
                    .help(format!(
                        "pick another id, e.g. `{}`",
                        generate_id(id, &taken)
                    ))
                    .into(),
            );
        }
        Some(id) if id.trim().is_empty() => {
            return Err(err("the id is empty".into())
                .help("leave --id out to have one made from the text")
                .into());
        }
        Some(id) => id.clone(),
        None => generate_id(&claim.text, &taken),
    };
    if normalize(&claim.text).is_empty() {
        return Err(err("the claim has no words".into())
            .help("a claim needs at least one letter or digit")
            .into());
    }
    let is_quote = claim.kind.is_none_or(|k| k == ClaimKind::Quote);
    if is_quote && Quote::parse(&claim.text).segments.is_empty() {
        return Err(
            err("the quote has no words outside editorial brackets".into())
                .help("brackets mark what the quoter added; quote at least one word of the source")
                .into(),
        );
    }
    let names: Vec<&str> = file.sources.iter().map(|s| s.name.as_str()).collect();
    let source = match (&claim.source, names.len()) {
        (Some(s), _) => names.iter().position(|n| n == s).ok_or_else(|| {
            let help = match closest(s, names.iter().copied()) {
                Some(n) => format!("did you mean `{n}`?"),
                None if names.is_empty() => "declare it under `sources:` first".to_string(),
                None => format!("known sources: {}", names.join(", ")),
            };
            err(format!("unknown source `{s}`")).help(help)
        })?,
        (None, 1) => 0,
        (None, 0) => {
            return Err(err("this file declares no source".into()).help(
                "declare the document under `sources:` with its `versions:` first (see `quotecheck init`)",
            ).into());
        }
        (None, _) => {
            return Err(err("which source does this claim quote?".into())
                .help(format!("add --source with one of: {}", names.join(", ")))
                .into());
        }
    };
    Ok((id, source))
}

/// A new claim checked against its source before it is added.
#[derive(Debug)]
pub struct Trial {
    /// The id it will have (given, or made from its words).
    pub id: String,
    /// The name of the source it was checked against.
    pub source: String,
    /// The check of the claim alone, with the file's settings.
    pub outcome: Outcome,
}

/// Check `claim` against the claims file at `path` (its id and source) and against its
/// source, without writing anything. The claim checked is the one the file would read back
/// after the append, at its line.
pub fn trial(path: &Path, claim: &NewClaim, reach: &Reach) -> Result<Trial> {
    let (files, corpus) = workspace::load_within(std::slice::from_ref(&path.to_path_buf()), reach)?;
    let [file] = files.as_slice() else {
        return Err(Diagnostic::error("no claims file was read")
            .in_file(path)
            .into());
    };
    let (id, source) = admit(file, claim)?;
    // As it is now, which may be after other `add`s than the file checked against.
    let text = workspace::read_claims_within(path, reach)?;
    let now = claims::parse(path, &text).map_err(Error::Input)?;
    let id = id_now(path, &now, &id, claim)?;
    let (_, mut added) = appended(path, &text, &now, &id, claim)?;
    // Checked against the sources as read with the corpus.
    added.source = source;
    let mut alone = file.clone();
    alone.claims = vec![added];
    let alone = [alone];
    let outcome = Checker::new(&alone, &corpus)?.run();
    Ok(Trial {
        id,
        source: file.sources[source].name.clone(),
        outcome,
    })
}

/// `text` (the file at `path`, which parses as `before`) with `claim` appended as `id`, and
/// the claim as the result reads back; refused unless the result reads back as the old
/// claims plus the new one.
fn appended(
    path: &Path,
    text: &str,
    before: &ClaimsFile,
    id: &str,
    claim: &NewClaim,
) -> Result<(String, Claim)> {
    let refuse = |message: &str, help: String| -> Error {
        Diagnostic::error(message).in_file(path).help(help).into()
    };
    let new_text = append_entry(text, id, claim)
        .map_err(|why| refuse("cannot append to this file without rewriting it", why))?;
    let (mut after, errs) = claims::parse_partial(path, &new_text);
    let read_back = errs.is_empty()
        && after.claims.len() == before.claims.len() + 1
        && after
            .claims
            .last()
            .is_some_and(|c| c.id == id && c.text == claim.text);
    match after.claims.pop() {
        Some(added) if read_back => Ok((new_text, added)),
        _ => {
            let why = errs.first().map_or(
                "the result did not read back as expected".to_string(),
                |d| d.message.clone(),
            );
            Err(refuse(
                "the file would not read back correctly, so it was left as it was",
                why,
            ))
        }
    }
}

/// The id `claim` gets in the file as it is now (`now`), which other additions may have
/// changed since `id` was chosen: an id made from its words is made again if it was taken
/// meanwhile; an id the user gave is refused.
fn id_now(path: &Path, now: &ClaimsFile, id: &str, claim: &NewClaim) -> Result<String> {
    let taken: Vec<String> = now.claims.iter().map(|c| c.id.clone()).collect();
    match (&claim.id, taken.iter().any(|t| t == id)) {
        (_, false) => Ok(id.to_string()),
        (None, true) => Ok(generate_id(&claim.text, &taken)),
        (Some(_), true) => Err(
            Diagnostic::error(format!("claim id `{id}` was added meanwhile"))
                .in_file(path)
                .help("choose another --id")
                .into(),
        ),
    }
}

/// Append `claim` (with id `id`) to the file at `path`, under the lock, re-parsing the result
/// first; returns the id it was added with. `path` is re-read under the lock, so that
/// concurrent additions are all kept: an id made from the claim's words (no `claim.id`) is
/// made again there if another addition took it meanwhile. A symlinked file is written
/// through its link; a read-only file is refused.
pub fn append_to_file(path: &Path, id: &str, claim: &NewClaim) -> Result<String> {
    // The file itself, so that the link stays a link and the lock is the target's.
    let path = &std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let io = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    if std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
        return Err(Diagnostic::error("the claims file is read-only")
            .in_file(path)
            .help("make it writable (`chmod u+w`) to add to it; nothing was changed")
            .into());
    }
    let _lock = lock_for(path).map_err(io)?;
    remove_leftovers(path);
    let text = std::fs::read_to_string(path).map_err(io)?;
    let before = claims::parse(path, &text).map_err(Error::Input)?;
    let id = id_now(path, &before, id, claim)?;
    // Never write what does not read back as the old claims plus the new one.
    let (new_text, _) = appended(path, &text, &before, &id, claim)?;
    write_atomically(path, &new_text).map_err(io)?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(text: &str) -> NewClaim {
        NewClaim {
            text: text.into(),
            ..Default::default()
        }
    }

    #[test]
    fn quoted_values_read_back_exactly() {
        for s in [
            "plain",
            "a: b # c",
            "\"quoted\" and 'single'",
            "- leading dash",
            "back\\slash",
            "tab\there",
            "line\nbreak",
            "ünïcode “curly”",
        ] {
            let yaml = format!("v: {}\n", yaml_quote(s));
            #[derive(serde::Deserialize)]
            struct V {
                v: String,
            }
            let back: V = serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(back.v, s);
        }
    }

    #[test]
    fn ids_are_readable_and_unique() {
        assert_eq!(
            generate_id("Off the record I don't know who that is", &[]),
            "off-the-record-i-don"
        );
        assert_eq!(
            generate_id(
                "Off the record I don't know",
                &["off-the-record-i-don".into()]
            ),
            "off-the-record-i-don-2"
        );
        assert_eq!(generate_id("“…”", &[]), "claim");
    }

    #[test]
    fn appending_keeps_every_byte_and_the_style() {
        let text = "sources:\n  s:\n    versions: {v: a.txt}\nclaims:\n    - id: one   # indented by four\n      quote: 'x'";
        let out = append_entry(text, "two", &quote("y: z")).unwrap();
        assert!(out.starts_with(text));
        assert_eq!(
            &out[text.len()..],
            "\n    - id: \"two\"\n      quote: \"y: z\"\n"
        );
        let crlf = "claims:\r\n  - id: a\r\n    quote: x\r\n";
        let out = append_entry(crlf, "b", &quote("y")).unwrap();
        assert_eq!(&out[crlf.len()..], "  - id: \"b\"\r\n    quote: \"y\"\r\n");
    }

    #[test]
    fn files_that_cannot_be_appended_to_say_why() {
        assert!(
            append_entry("claims: []\n", "a", &quote("x"))
                .unwrap_err()
                .contains("inline")
        );
        assert!(
            append_entry(
                "claims:\n  - id: a\n    quote: x\nsources: {}\n",
                "b",
                &quote("y")
            )
            .unwrap_err()
            .contains("not the last key")
        );
        let out = append_entry("sources: {}\n", "a", &quote("x")).unwrap();
        assert_eq!(
            out,
            "sources: {}\nclaims:\n  - id: \"a\"\n    quote: \"x\"\n"
        );
    }

    #[test]
    fn a_trial_checks_the_claim_the_file_will_read_back() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "the quick brown fox jumps\n").unwrap();
        let path = dir.path().join("c.yaml");
        let text = "sources:\n  s:\n    versions: {v: a.txt}\nclaims:\n  - id: one\n    quote: quick brown\n";
        std::fs::write(&path, text).unwrap();
        let t = trial(&path, &quote("brown fox jumps"), &Reach::default()).unwrap();
        let result = &t.outcome.files[0].claims[0];
        assert_eq!(t.id, "brown-fox-jumps");
        // Appended after the six lines there are, at the column of its `id:`.
        assert_eq!((result.claim.line, result.claim.column), (7, 5));
        assert_eq!(result.verdict, Verdict::Exact);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "a trial writes nothing"
        );
    }
}
