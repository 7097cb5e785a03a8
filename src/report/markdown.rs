//! Markdown: a heading with the totals and a table of every claim that falls short, for a
//! pull-request comment or GitHub's step summary. Cells are escaped so that a claim's text
//! can neither break the table nor bring in HTML.

use std::io::{self, Write};

use super::text::{printable, reasons};
use super::{ClaimRecord, Reporter, Run, Summary};

/// Writes the Markdown report (in `finish`: the table follows the heading).
pub struct MarkdownReporter<'a> {
    out: Box<dyn Write + 'a>,
    failing: Vec<String>,
    not_checked: Option<String>,
}

impl<'a> MarkdownReporter<'a> {
    /// A Markdown report to `out`.
    pub fn new(out: Box<dyn Write + 'a>) -> MarkdownReporter<'a> {
        MarkdownReporter {
            out,
            failing: Vec::new(),
            not_checked: None,
        }
    }
}

/// Text safe in a table cell.
fn cell(s: &str) -> String {
    printable(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('`', "'")
}

impl Reporter for MarkdownReporter<'_> {
    fn begin(&mut self, run: &Run) -> io::Result<()> {
        self.not_checked = super::text::not_checked(&run.skipped);
        Ok(())
    }

    fn claim(&mut self, c: &ClaimRecord) -> io::Result<()> {
        if !c.fails() {
            return Ok(());
        }
        let at = c.best().map_or(String::new(), |b| cell(&b.location()));
        let why: Vec<String> = reasons(c).iter().map(|r| cell(r)).collect();
        self.failing.push(format!(
            "| `{}:{}` | `{}` | {} | {:.2} | {} | {} |",
            cell(&c.file),
            c.line,
            cell(&c.id),
            c.verdict,
            c.score,
            if at.is_empty() { at } else { format!("`{at}`") },
            why.join("<br>")
        ));
        Ok(())
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        let mark = if s.failed == 0 { "✅" } else { "❌" };
        let baselined = match s.baselined {
            0 => String::new(),
            n => format!(", {n} baselined"),
        };
        writeln!(
            self.out,
            "### {mark} quotecheck: {} claims, {} exact, {} approximate, {} missing; {} failed{baselined}\n",
            s.claims, s.exact, s.approximate, s.missing, s.failed
        )?;
        if let Some(line) = &self.not_checked {
            writeln!(self.out, "⚠️ {line}.\n")?;
        }
        if self.failing.is_empty() && self.not_checked.is_some() {
            writeln!(self.out, "Every claim checked passes.")?;
        } else if self.failing.is_empty() {
            writeln!(self.out, "Every claim passes.")?;
        } else {
            writeln!(self.out, "| claim | id | verdict | score | passage | why |")?;
            writeln!(self.out, "|---|---|---|---|---|---|")?;
            for row in &self.failing {
                writeln!(self.out, "{row}")?;
            }
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::cell;
    use crate::report::fixture::render;
    use crate::report::{Detail, ReportFormat};

    #[test]
    fn a_table_of_what_falls_short() {
        let text = render(ReportFormat::Markdown, Detail::Normal);
        assert_eq!(
            text,
            "### ❌ quotecheck: 4 claims, 1 exact, 2 approximate, 1 missing; 1 failed\n\n\
             | claim | id | verdict | score | passage | why |\n\
             |---|---|---|---|---|---|\n\
             | `claims/a.yaml:7` | `approx` | approximate | 0.90 | `claims/sources/a.txt:2:5` | spelling: quote has “quik” where the source has “quick”<br>expected exact, found approximate |\n"
        );
    }

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a|b\n<script>`x`"), "a\\|b\\n&lt;script&gt;'x'");
    }
}
