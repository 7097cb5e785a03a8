//! Authoring: adding claims to a claims file without ever breaking it, starting a claims
//! folder, and validating files fast.
//!
//! `add` never rewrites what is there: it appends the new entry after the last byte of the
//! file, so comments, order, quoting style and blank lines stay as they were. It re-parses the
//! result before replacing the file, replaces it atomically (temporary file in the same
//! directory, fsync, rename) and holds a lock so that concurrent `add`s all land.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::claims::{self, ClaimKind, ClaimsFile, Verdict};
use crate::diagnostic::{Diagnostic, closest};
use crate::normalize::normalize;

/// A claim to add, as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct NewClaim {
    pub id: Option<String>,
    pub kind: Option<ClaimKind>,
    pub text: String,
    pub source: Option<String>,
    pub by: Option<String>,
    pub expect: Option<Verdict>,
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

/// Replace `path` with `text` atomically: a temporary file in the same directory, written,
/// synced and renamed over the original, which keeps its permissions.
pub fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = fs::metadata(path) {
        fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    // The rename itself is durable once the directory is synced.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Hold an exclusive lock for changing `path`, on a lock file beside it (the claims file
/// itself is replaced by rename, so it cannot carry the lock).
pub fn lock_for(path: &Path) -> io::Result<File> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lock_path = path.with_file_name(format!(".{name}.lock"));
    let f = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)?;
    f.lock()?;
    Ok(f)
}

/// Why an `add` was refused.
#[derive(Debug)]
pub enum AddError {
    /// The claim itself is wrong: a problem with a fix, located in the claims file.
    Claim(Diagnostic),
    Io(io::Error),
}

impl From<io::Error> for AddError {
    fn from(e: io::Error) -> Self {
        AddError::Io(e)
    }
}

/// Check a new claim against the file it goes into: its id, its source. Returns the id and
/// the source's index.
pub fn admit(
    file: &ClaimsFile,
    path: &Path,
    claim: &NewClaim,
) -> Result<(String, usize), Diagnostic> {
    let taken: Vec<String> = file.claims.iter().map(|c| c.id.clone()).collect();
    let id = match &claim.id {
        Some(id) if taken.contains(id) => {
            let line = file
                .claims
                .iter()
                .find(|c| &c.id == id)
                .map_or(0, |c| c.line);
            return Err(
                Diagnostic::new(path, line, 0, format!("claim id `{id}` is already used")).help(
                    format!("pick another id, e.g. `{}`", generate_id(id, &taken)),
                ),
            );
        }
        Some(id) if id.trim().is_empty() => {
            return Err(Diagnostic::new(path, 0, 0, "the id is empty")
                .help("leave --id out to have one made from the text"));
        }
        Some(id) => id.clone(),
        None => generate_id(&claim.text, &taken),
    };
    if normalize(&claim.text).is_empty() {
        return Err(Diagnostic::new(path, 0, 0, "the claim has no words")
            .help("a claim needs at least one letter or digit"));
    }
    let names: Vec<&str> = file.sources.iter().map(|s| s.name.as_str()).collect();
    let source = match (&claim.source, names.len()) {
        (Some(s), _) => names.iter().position(|n| n == s).ok_or_else(|| {
            let help = match closest(s, names.iter().copied()) {
                Some(n) => format!("did you mean `{n}`?"),
                None if names.is_empty() => "declare it under `sources:` first".to_string(),
                None => format!("known sources: {}", names.join(", ")),
            };
            Diagnostic::new(path, 0, 0, format!("unknown source `{s}`")).help(help)
        })?,
        (None, 1) => 0,
        (None, 0) => {
            return Err(Diagnostic::new(path, 0, 0, "this file declares no source").help(
                "declare the document under `sources:` with its `versions:` first (see `quotecheck init`)",
            ));
        }
        (None, _) => {
            return Err(
                Diagnostic::new(path, 0, 0, "which source does this claim quote?")
                    .help(format!("add --source with one of: {}", names.join(", "))),
            );
        }
    };
    Ok((id, source))
}

/// Append `claim` (with id `id`) to the file at `path`, under the lock, re-parsing the result
/// first. `path` is re-read under the lock, so that concurrent additions are all kept.
pub fn append_to_file(path: &Path, id: &str, claim: &NewClaim) -> Result<(), AddError> {
    let _lock = lock_for(path)?;
    let text = fs::read_to_string(path)?;
    let before = claims::parse(path, &text).map_err(|mut e| AddError::Claim(e.remove(0)))?;
    if before.claims.iter().any(|c| c.id == id) {
        return Err(AddError::Claim(
            Diagnostic::new(path, 0, 0, format!("claim id `{id}` was added meanwhile"))
                .help("run the command again"),
        ));
    }
    let new_text = append_entry(&text, id, claim).map_err(|why| {
        AddError::Claim(
            Diagnostic::new(
                path,
                0,
                0,
                "cannot append to this file without rewriting it",
            )
            .help(why),
        )
    })?;
    // Never write what does not read back as the old claims plus the new one.
    let after = claims::parse_partial(path, &new_text);
    let ok = after.1.is_empty()
        && after.0.claims.len() == before.claims.len() + 1
        && after
            .0
            .claims
            .last()
            .is_some_and(|c| c.id == id && c.text == claim.text);
    if !ok {
        let why = after.1.first().map_or(
            "the result did not read back as expected".to_string(),
            |d| d.message.clone(),
        );
        return Err(AddError::Claim(
            Diagnostic::new(
                path,
                0,
                0,
                "the file would not read back correctly, so it was left as it was",
            )
            .help(why),
        ));
    }
    write_atomically(path, &new_text)?;
    Ok(())
}

/// What `init` creates.
pub const EXAMPLE_CLAIMS: &str = r#"# Claims about a source, checked with `quotecheck check`.
#
# Each source has one or more versions: files on disk (paths relative to this
# file), such as the page as captured and a plain-text export of it. Each claim
# is a `quote:` (the exact words) or a `fact:` (a statement in your words).
# Add claims with `quotecheck add claims/example.yaml --quote "..."`.

settings:
  threshold: 0.8   # lowest score that counts as approximate

sources:
  declaration:
    title: The Declaration of Independence (excerpt)
    versions:
      text: sources/declaration.txt

claims:
  - id: self-evident
    quote: "We hold these truths to be self-evident, that all men are created equal"
  - id: adopted
    fact: The Declaration was adopted on July 4, 1776
"#;

/// The example source `init` writes: the opening of the Declaration (public domain).
pub const EXAMPLE_SOURCE: &str = "The Declaration of Independence\n\n[Adopted in Congress 4 July 1776]\n\n\
When, in the course of human events, it becomes necessary for one people to dissolve the \
political bands which have connected them with another, and to assume among the powers of the \
earth, the separate and equal station to which the laws of nature and of nature's God entitle \
them, a decent respect to the opinions of mankind requires that they should declare the causes \
which impel them to the separation.\n\n\
We hold these truths to be self-evident, that all men are created equal, that they are endowed \
by their Creator with certain unalienable rights, that among these are life, liberty and the \
pursuit of happiness.\n";

/// Create `dir/claims/example.yaml` and `dir/claims/sources/`, refusing to overwrite anything.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let claims_dir = dir.join("claims");
    let file = claims_dir.join("example.yaml");
    let source = claims_dir.join("sources").join("declaration.txt");
    for p in [&file, &source] {
        if p.exists() {
            return Err(Diagnostic::new(p, 0, 0, "already exists; init changes nothing")
                .help("init only starts a new claims folder; add claims to an existing one with `quotecheck add`"));
        }
    }
    let fail = |p: &Path, e: io::Error| Diagnostic::new(p, 0, 0, format!("cannot create: {e}"));
    fs::create_dir_all(claims_dir.join("sources")).map_err(|e| fail(&claims_dir, e))?;
    for (p, text) in [(&file, EXAMPLE_CLAIMS), (&source, EXAMPLE_SOURCE)] {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(p)
            .map_err(|e| fail(p, e))?;
        f.write_all(text.as_bytes()).map_err(|e| fail(p, e))?;
    }
    Ok(vec![file, source])
}

/// Parse claims files and check that every version file exists, without reading sources:
/// every problem, each with its location.
pub fn validate(files: &[PathBuf]) -> (usize, usize, Vec<Diagnostic>) {
    let mut errs = Vec::new();
    let mut claims_count = 0;
    for f in files {
        let text = match fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                errs.push(Diagnostic::new(
                    f,
                    0,
                    0,
                    format!("cannot read claims file: {e}"),
                ));
                continue;
            }
        };
        let (cf, mut e) = claims::parse_partial(f, &text);
        errs.append(&mut e);
        claims_count += cf.claims.len();
        for v in cf.sources.iter().flat_map(|s| &s.versions) {
            if !v.path.is_file() {
                errs.push(
                    Diagnostic::new(
                        f,
                        v.line,
                        v.column,
                        format!("source file `{}` does not exist", v.path.display()),
                    )
                    .help("paths under `versions:` are relative to the claims file's directory")
                    .with_source(&text),
                );
            }
        }
    }
    (files.len(), claims_count, errs)
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
    fn extract_finds_quotes_and_speakers() {
        let draft = "# Draft\n\n“Off the record I don’t know who that is,” Trump Jr. wrote. Then \"Thanks a lot,\" said WikiLeaks.\nWikiLeaks wrote: “Hey Don. We have an ‘unusual’ idea.” It is Trump’s idea.\n\n> Leak us one or more\n> of your father’s tax returns.\n\nHe called it 'a real kicker' and left.\n";
        let got: Vec<(String, Option<String>)> = extract(draft)
            .into_iter()
            .map(|e| (e.quote, e.by))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Off the record I don’t know who that is,".to_string(),
                    Some("Trump Jr.".to_string())
                ),
                ("Thanks a lot,".to_string(), Some("WikiLeaks".to_string())),
                (
                    "Hey Don. We have an ‘unusual’ idea.".to_string(),
                    Some("WikiLeaks".to_string())
                ),
                (
                    "Leak us one or more of your father’s tax returns.".to_string(),
                    None
                ),
                ("a real kicker".to_string(), None),
            ]
        );
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
}

/// A quotation found in a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub quote: String,
    /// Who the sentence says is speaking, if it names someone.
    pub by: Option<String>,
    /// 1-based line of the draft where the quotation starts.
    pub line: usize,
}

const SPEECH_VERBS: &[&str] = &[
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
];

/// A name: capitalized words (and `Jr.`-style suffixes) at the start of `s`, without a
/// leading article.
fn leading_name(s: &str) -> Option<String> {
    let mut words = Vec::new();
    for w in s.split_whitespace() {
        let w = w.trim_matches(|c: char| c == ',' || c == ':' || c == ';' || c == ')' || c == '(');
        let core = w.trim_end_matches('.');
        let capital = core.chars().next().is_some_and(char::is_uppercase);
        if !capital || SPEECH_VERBS.contains(&core.to_lowercase().as_str()) {
            break;
        }
        if words.is_empty()
            && matches!(
                core,
                "The" | "A" | "An" | "He" | "She" | "They" | "It" | "We" | "I"
            )
        {
            return None;
        }
        // A full stop ends the sentence, unless it ends an abbreviation ("Jr.", "U.S.").
        let abbreviation =
            matches!(core, "Jr" | "Sr" | "Mr" | "Mrs" | "Ms" | "Dr" | "St") || core.contains('.');
        if w.ends_with('.') && !abbreviation {
            words.push(core.to_string());
            break;
        }
        words.push(w.to_string());
        if w.ends_with(',') {
            break;
        }
    }
    if words.is_empty() {
        return None;
    }
    let name = words.join(" ");
    Some(name.trim_end_matches([',', ':', ';']).to_string())
}

/// The speaker named next to a quotation: `…,” Trump Jr. said`, `said WikiLeaks`,
/// `WikiLeaks wrote: “…`.
fn speaker(before: &str, after: &str) -> Option<String> {
    let verb = |w: &str| {
        SPEECH_VERBS.contains(
            &w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
                .as_str(),
        )
    };
    // After the quote, up to the end of the sentence.
    let after = after.trim_start_matches([',', ' ', '\u{a0}']);
    // Up to the next quotation or the end of the paragraph; a line break is a space.
    let paragraph = after.split("\n\n").next().unwrap_or("").replace('\n', " ");
    let sentence: String = paragraph
        .chars()
        .take_while(|&c| !matches!(c, '“' | '"'))
        .collect();
    let words: Vec<&str> = sentence.split_whitespace().take(8).collect();
    if let Some(first) = words.first() {
        if verb(first) {
            // "said WikiLeaks", "said Alan Futerfas, an attorney"
            if let Some(n) = leading_name(&words[1..].join(" ")) {
                return Some(n);
            }
        } else if let Some(n) = leading_name(&sentence) {
            // "Trump Jr. responded", "WikiLeaks wrote"
            let after_name = sentence[sentence.find(&n).map_or(0, |i| i + n.len())..]
                .trim_start_matches([',', '.']);
            if after_name.split_whitespace().next().is_some_and(verb) {
                return Some(n);
            }
        }
    }
    // Before the quote: "WikiLeaks wrote: “…", "Trump Jr. responded, “…".
    let tail: Vec<&str> = before
        .split_whitespace()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if let Some(vi) = tail.iter().rposition(|w| verb(w)) {
        let start = tail[..vi]
            .iter()
            .rposition(|w| w.ends_with(['.', '!', '?']))
            .map_or(0, |i| i + 1);
        if let Some(n) = leading_name(&tail[start..vi].join(" ")) {
            return Some(n);
        }
    }
    None
}

/// Every quotation in a draft: double quotes (curly or straight), single quotes that stand as
/// quotation marks rather than apostrophes, and Markdown block quotes. Quotes nested inside a
/// quotation stay part of it.
pub fn extract(draft: &str) -> Vec<Extracted> {
    let mut out = Vec::new();
    let line_of = |byte: usize| draft[..byte].matches('\n').count() + 1;
    // Block quotes: runs of lines starting with `>`.
    let mut block: Vec<&str> = Vec::new();
    let mut block_start = 0;
    let mut offset = 0;
    // The speaker of a block quote is named in the line that introduces it ("Trump tweeted:").
    let introducer = |start: usize| {
        let lead = draft[..start].trim_end();
        let line = &lead[lead.rfind('\n').map_or(0, |i| i + 1)..];
        line.trim_end()
            .strip_suffix(':')
            .and_then(|l| speaker(l, ""))
    };
    for line in draft.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix('>') {
            if block.is_empty() {
                block_start = offset;
            }
            block.push(rest.trim());
        } else if !block.is_empty() {
            out.push(Extracted {
                quote: block.join(" "),
                by: introducer(block_start),
                line: line_of(block_start),
            });
            block.clear();
        }
        offset += line.len();
    }
    if !block.is_empty() {
        out.push(Extracted {
            quote: block.join(" "),
            by: introducer(block_start),
            line: line_of(block_start),
        });
    }
    // Inline quotations, outside block quotes.
    let chars: Vec<(usize, char)> = draft.char_indices().collect();
    let in_block = |byte: usize| {
        let line_start = draft[..byte].rfind('\n').map_or(0, |i| i + 1);
        draft[line_start..].trim_start().starts_with('>')
    };
    let word = |i: usize| i < chars.len() && chars[i].1.is_alphanumeric();
    let mut i = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        let opens_single = c == '‘' || (c == '\'' && (i == 0 || !word(i - 1)) && word(i + 1));
        let (close, single) = match c {
            '“' => ('”', false),
            '"' => ('"', false),
            _ if opens_single => (if c == '‘' { '’' } else { '\'' }, true),
            _ => {
                i += 1;
                continue;
            }
        };
        if in_block(b) {
            i += 1;
            continue;
        }
        // The closing mark; for single quotes, one not followed by a letter (not an apostrophe).
        let end = (i + 1..chars.len()).find(|&j| chars[j].1 == close && (!single || !word(j + 1)));
        let Some(j) = end else {
            i += 1;
            continue;
        };
        let quote: String = chars[i + 1..j].iter().map(|&(_, c)| c).collect();
        let quote = crate::document::collapse_whitespace(&quote);
        if normalize(&quote).token_count() >= 2 {
            let before = &draft[draft[..b].rfind(['\n']).map_or(0, |x| x + 1)..b];
            let after_start = chars.get(j + 1).map_or(draft.len(), |&(x, _)| x);
            let after = &draft[after_start..];
            out.push(Extracted {
                by: speaker(before, after),
                quote,
                line: line_of(b),
            });
        }
        i = j + 1;
    }
    out.sort_by_key(|e| e.line);
    out
}
