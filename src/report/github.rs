//! GitHub Actions workflow commands: an `::error` at the claim's own line of its claims file
//! for each claim that falls short, a `::warning` for each warning-level note of one that
//! passes (a stale expectation, an ambiguous passage, an attribution not found), and a notice
//! with the summary. Every value is escaped as GitHub requires, after control characters are
//! made printable, so that nothing in a claims file or a source can forge a command.

use std::io::{self, Write};

use super::text::{printable, shortfall};
use super::{ClaimRecord, Reporter, Run, Summary};
use crate::diagnostic::Severity;

/// Writes workflow commands.
pub struct GithubReporter<'a> {
    out: Box<dyn Write + 'a>,
}

impl<'a> GithubReporter<'a> {
    /// Workflow commands to `out`.
    pub fn new(out: Box<dyn Write + 'a>) -> GithubReporter<'a> {
        GithubReporter { out }
    }
}

/// A command's message: `%`, CR and LF escaped (the parts of a message are made printable
/// first; the line breaks between them are the report's own).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: also `:` and `,`.
fn property(s: &str) -> String {
    data(&printable(s)).replace(':', "%3A").replace(',', "%2C")
}

fn command(
    out: &mut dyn Write,
    level: &str,
    c: &ClaimRecord,
    title: &str,
    message: &str,
) -> io::Result<()> {
    let col = c.column.map_or(String::new(), |col| format!(",col={col}"));
    writeln!(
        out,
        "::{level} file={},line={}{col},title={}::{}",
        property(&c.file),
        c.line,
        property(title),
        data(message)
    )
}

impl Reporter for GithubReporter<'_> {
    fn begin(&mut self, run: &Run) -> io::Result<()> {
        for n in run.notes.iter().filter(|n| n.severity >= Severity::Warning) {
            let message = printable(&n.message);
            writeln!(self.out, "::warning title=quotecheck::{}", data(&message))?;
        }
        Ok(())
    }

    fn claim(&mut self, c: &ClaimRecord) -> io::Result<()> {
        if c.fails() {
            let title = format!("quotecheck: {}", c.verdict);
            let message = shortfall(c).join("\n");
            return command(&mut *self.out, "error", c, &title, &message);
        }
        for n in c
            .findings
            .iter()
            .filter(|n| n.severity == Severity::Warning)
        {
            let title = format!("quotecheck: {}", n.code);
            let message = format!("{}: {}", printable(&c.id), printable(&n.message));
            command(&mut *self.out, "warning", c, &title, &message)?;
        }
        Ok(())
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        writeln!(
            self.out,
            "::notice title=quotecheck::{} claims: {} exact, {} approximate, {} missing; {} failed",
            s.claims, s.exact, s.approximate, s.missing, s.failed
        )?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::render;
    use crate::report::{Detail, ReportFormat};

    #[test]
    fn an_error_at_the_claims_own_line_for_what_falls_short() {
        let text = render(ReportFormat::Github, Detail::Normal);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "::error file=claims/a.yaml,line=7,col=5,title=quotecheck%3A approximate::approx: approximate (0.90)%0Aspelling: quote has “quik” where the source has “quick”%0Aexpected exact, found approximate",
                "::notice title=quotecheck::4 claims: 1 exact, 2 approximate, 1 missing; 1 failed",
            ]
        );
    }

    #[test]
    fn nothing_from_a_claim_can_forge_a_command() {
        let id = "x\n::error file=README.md,line=1::forged\n::stop-commands::abc";
        let line = data(&printable(id));
        assert!(!line.contains('\n'));
        assert_eq!(
            line,
            "x\\n::error file=README.md,line=1::forged\\n::stop-commands::abc"
        );
        assert_eq!(property("a,b:c%"), "a%2Cb%3Ac%25");
        assert_eq!(data(&printable("100% \u{1b}[2J")), "100%25 \\u{1b}[2J");
    }
}
