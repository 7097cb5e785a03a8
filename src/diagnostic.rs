//! Errors a user can act on: `file:line:column`, a one-line headline, the offending line, and
//! how to fix it — the shape of cargo's diagnostics.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
    /// The text of `line`, shown under the headline with a caret.
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn new(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attach the offending line from the file's text.
    pub fn with_source(mut self, text: &str) -> Self {
        if self.line > 0 {
            self.snippet = text
                .lines()
                .nth(self.line - 1)
                .map(|l| l.trim_end_matches('\r').to_string());
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        if self.line == 0 {
            writeln!(f, "  --> {}", self.path.display())?;
        } else if self.column == 0 {
            writeln!(f, "  --> {}:{}", self.path.display(), self.line)?;
        } else {
            writeln!(
                f,
                "  --> {}:{}:{}",
                self.path.display(),
                self.line,
                self.column
            )?;
        }
        if let Some(line) = &self.snippet {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let caret_at: String = line
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {line}")?;
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
        .filter(|&(d, k)| d <= 2.max(k.len() / 3))
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_cargo() {
        let d = Diagnostic::new(Path::new("claims/a.yaml"), 2, 5, "unknown field `qoute`")
            .help("did you mean `quote`?")
            .with_source("claims:\n    qoute: x\n");
        assert_eq!(
            d.to_string(),
            "error: unknown field `qoute`\n  --> claims/a.yaml:2:5\n  |\n2 |     qoute: x\n  |     ^\n  = help: did you mean `quote`?\n"
        );
    }

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(closest("qoute", ["quote", "fact", "id"]), Some("quote"));
        assert_eq!(closest("atlantc", ["atlantic", "nyt"]), Some("atlantic"));
        assert_eq!(closest("zzzzzz", ["quote", "fact"]), None);
    }
}
