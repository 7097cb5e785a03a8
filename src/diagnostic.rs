//! Problems a user can act on: where (`file:line:column`), a one-line headline, the offending
//! line, and how to fix it — the shape of cargo's diagnostics.

use std::fmt;
use std::path::{Path, PathBuf};

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

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.severity, self.message)?;
        if let Some(at) = &self.location {
            let path = shown_path(&at.path);
            match (at.line, at.column) {
                (Some(l), Some(c)) => writeln!(f, "  --> {path}:{l}:{c}")?,
                (Some(l), None) => writeln!(f, "  --> {path}:{l}")?,
                _ => writeln!(f, "  --> {path}")?,
            }
        }
        if let (Some(text), Some(line)) = (&self.snippet, self.line()) {
            let num = line.to_string();
            let pad = " ".repeat(num.len());
            let column = self.location.as_ref().and_then(|l| l.column).unwrap_or(1);
            let caret_at: String = text
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {text}")?;
            writeln!(f, "{pad} | {caret_at}^")?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        Ok(())
    }
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
            "error: unknown field `qoute`\n  --> claims/a.yaml:2:5\n  |\n2 |     qoute: x\n  |     ^\n  = help: did you mean `quote`?\n"
        );
    }

    #[test]
    fn a_problem_without_a_place_names_none() {
        let d = Diagnostic::error("nothing to look for").help("give some words");
        assert_eq!(
            d.to_string(),
            "error: nothing to look for\n  = help: give some words\n"
        );
    }

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(closest("qoute", ["quote", "fact", "id"]), Some("quote"));
        assert_eq!(closest("atlantc", ["atlantic", "nyt"]), Some("atlantic"));
        assert_eq!(closest("zzzzzz", ["quote", "fact"]), None);
    }
}
