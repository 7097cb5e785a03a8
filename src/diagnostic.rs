//! Problems a user can act on: where (`file:line:column`), a one-line headline, the offending
//! line, and how to fix it — the shape of cargo's diagnostics.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// How serious a finding is: what CI formats turn into an error or a warning annotation.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; changes nothing.
    Info,
    /// Worth a look; does not fail the run by itself.
    Warning,
    /// Stops the run, or fails the claim.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Where a problem is: a file, and a line and column in it when known (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user named it.
    pub path: PathBuf,
    /// The line, when the problem has one.
    pub line: Option<usize>,
    /// The column in characters, when known.
    pub column: Option<usize>,
}

/// A problem with the input, located and with a fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error unless said otherwise.
    pub severity: Severity,
    /// Where it is; `None` for a problem with the command line itself.
    pub location: Option<Location>,
    /// The headline.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The text of the line, shown under the headline with a caret.
    pub snippet: Option<String>,
}

impl Diagnostic {
    /// An error, not yet located.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: None,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }

    /// About file `path` as a whole.
    pub fn in_file(mut self, path: &Path) -> Self {
        self.location = Some(Location {
            path: path.to_path_buf(),
            line: None,
            column: None,
        });
        self
    }

    /// At `line:column` of `path`, as a parser reports them (1-based; 0 means unknown).
    pub fn at(mut self, path: &Path, line: usize, column: usize) -> Self {
        self.location = Some(Location {
            path: path.to_path_buf(),
            line: (line > 0).then_some(line),
            column: (line > 0 && column > 0).then_some(column),
        });
        self
    }

    /// How to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attach the offending line from the file's text.
    pub fn with_source(mut self, text: &str) -> Self {
        if let Some(line) = self.location.as_ref().and_then(|l| l.line) {
            self.snippet = text
                .lines()
                .nth(line - 1)
                .map(|l| l.trim_end_matches('\r').to_string());
        }
        self
    }

    /// The line, when the problem has one.
    pub fn line(&self) -> Option<usize> {
        self.location.as_ref().and_then(|l| l.line)
    }
}

impl Diagnostic {
    /// As cargo shows its diagnostics, styled for a terminal when `styled` (the caller's
    /// stream strips the styling where colour is not wanted). Everything from the input is
    /// printable: a line of a claims file can carry escape sequences.
    pub fn rendered(&self, styled: bool) -> String {
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::NOTE,
        };
        let message = printable(&self.message);
        let mut group = Group::with_title(level.primary_title(message));
        if let Some(at) = &self.location {
            let path = printable(&shown_path(&at.path)).into_owned();
            match (&self.snippet, at.line) {
                (Some(text), Some(line)) => {
                    let text = printable(text).into_owned();
                    let span = caret(&text, at.column.unwrap_or(1));
                    let snippet = Snippet::source(text)
                        .line_start(line)
                        .path(path)
                        .annotation(AnnotationKind::Primary.span(span));
                    group = group.element(snippet);
                }
                (_, line) => {
                    let mut origin = Origin::path(path);
                    if let Some(l) = line {
                        origin = origin.line(l);
                        if let Some(c) = at.column {
                            origin = origin.char_column(c);
                        }
                    }
                    group = group.element(origin);
                }
            }
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(printable(help)));
        }
        renderer.render(&[group]) + "\n"
    }
}

/// The byte range of the character at 1-based `column` of `line` (empty past its end).
fn caret(line: &str, column: usize) -> std::ops::Range<usize> {
    let mut chars = line.char_indices().skip(column.saturating_sub(1));
    match chars.next() {
        Some((at, c)) => at..at + c.len_utf8(),
        None => line.len()..line.len(),
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rendered(false))
    }
}

/// `s` with every control character, and every character that reorders text on screen
/// (bidirectional overrides and isolates), written as an escape: a claim id, a passage or a
/// file name can then never move the cursor, clear a terminal, set its title, or start a line
/// of its own in a CI log.
pub fn printable(s: &str) -> Cow<'_, str> {
    let unsafe_char = acts_on_terminal;
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A control character, or one that reorders text on screen (bidirectional overrides and
/// isolates): what a terminal or a log viewer may act on rather than show.
pub(crate) fn acts_on_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The 1-based line and column (in characters) of byte `at` of `text`, which need not be
/// UTF-8 after `at` (a claims file's first bad byte).
pub fn line_column(text: &[u8], at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let last = before.rsplit(|&b| b == b'\n').next().unwrap_or_default();
    (line, String::from_utf8_lossy(last).chars().count() + 1)
}

/// The known name closest to `wrong`, if it is close enough to be a likely typo.
pub fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(wrong, k), k))
        // One edit for a short name, a third of the letters for a long one; never all of them.
        .filter(|&(d, k)| d <= 1.max(k.chars().count() / 3) && d < wrong.chars().count().max(2))
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

/// A path as reports show it: without `.` components (`./claims/x.yaml` is
/// `claims/x.yaml`), with `/` between components on every system.
pub fn shown_path(p: &std::path::Path) -> String {
    let parts: Vec<String> = p
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    match parts.as_slice() {
        [] => ".".to_string(),
        // A root component already ends with a separator.
        [root, rest @ ..] if p.has_root() && root.ends_with(['/', '\\']) => {
            format!("{root}{}", rest.join("/"))
        }
        _ => parts.join("/"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_are_shown_without_dot_components() {
        use std::path::Path;
        assert_eq!(
            super::shown_path(Path::new("./claims/x.yaml")),
            "claims/x.yaml"
        );
        assert_eq!(
            super::shown_path(Path::new("claims/./x.yaml")),
            "claims/x.yaml"
        );
        assert_eq!(super::shown_path(Path::new("/srv/./x.yaml")), "/srv/x.yaml");
        assert_eq!(super::shown_path(Path::new(".")), ".");
        assert_eq!(super::shown_path(Path::new("../x.yaml")), "../x.yaml");
    }

    use super::*;

    #[test]
    fn renders_like_cargo() {
        let d = Diagnostic::error("unknown field `qoute`")
            .at(Path::new("claims/a.yaml"), 2, 5)
            .help("did you mean `quote`?")
            .with_source("claims:\n    qoute: x\n");
        assert_eq!(
            d.to_string(),
            "error: unknown field `qoute`\n --> claims/a.yaml:2:5\n  |\n2 |     qoute: x\n  |     ^\n  |\n  = help: did you mean `quote`?\n"
        );
        // Styled, the same text with cargo's colours around it.
        let styled = d.rendered(true);
        assert!(styled.contains('\u{1b}'), "{styled:?}");
        let stripped: String = anstream::adapter::strip_str(&styled).to_string();
        assert_eq!(stripped, d.to_string());
    }

    #[test]
    fn what_the_input_carries_is_shown_escaped() {
        let d = Diagnostic::error("bad id `\u{1b}]0;pwned\u{7}`")
            .at(Path::new("claims/a.yaml"), 1, 5)
            .with_source("id: \u{1b}[2J\n");
        let shown = d.to_string();
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown:?}"
        );
        assert!(shown.contains("\\u{1b}[2J"), "{shown}");
    }

    #[test]
    fn a_problem_without_a_place_names_none() {
        let d = Diagnostic::error("nothing to look for").help("give some words");
        assert_eq!(
            d.to_string(),
            "error: nothing to look for\n |\n = help: give some words\n"
        );
    }

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(closest("qoute", ["quote", "fact", "id"]), Some("quote"));
        assert_eq!(closest("atlantc", ["atlantic", "nyt"]), Some("atlantic"));
        assert_eq!(closest("zzzzzz", ["quote", "fact"]), None);
    }
}
