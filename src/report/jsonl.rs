//! JSON Lines: each run note, then each claim as it is decided, then the summary, one object
//! per line with a `type` (`note`, `skipped`, `claim`, `summary`), so that a wrapper can stream (as
//! ripgrep's and typos' JSON output do). A claim line is the claim object of the JSON report.

use std::io::{self, Write};

use serde::Serialize;

use super::{ClaimRecord, Reporter, Run, Summary};

/// Writes JSON Lines.
pub struct JsonlReporter<'a> {
    out: Box<dyn Write + 'a>,
}

impl<'a> JsonlReporter<'a> {
    /// A JSON Lines report to `out`.
    pub fn new(out: Box<dyn Write + 'a>) -> JsonlReporter<'a> {
        let out = Box::new(super::text::JsonSafe::new(out));
        JsonlReporter { out }
    }

    fn line(&mut self, kind: &str, value: &impl Serialize) -> io::Result<()> {
        #[derive(Serialize)]
        struct Line<'v, V: Serialize> {
            #[serde(rename = "type")]
            kind: &'v str,
            #[serde(flatten)]
            value: &'v V,
        }
        self.out
            .write_all(&serde_json::to_vec(&Line { kind, value })?)?;
        writeln!(self.out)
    }
}

impl Reporter for JsonlReporter<'_> {
    fn begin(&mut self, run: &Run) -> io::Result<()> {
        for n in &run.notes {
            self.line("note", n)?;
        }
        for s in &run.skipped {
            self.line("skipped", s)?;
        }
        Ok(())
    }

    fn claim(&mut self, c: &ClaimRecord) -> io::Result<()> {
        self.line("claim", c)?;
        // A wrapper reading line by line sees each claim as it is decided.
        self.out.flush()
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.line("summary", summary)?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use crate::report::fixture::render;
    use crate::report::{Detail, ReportFormat};

    #[test]
    fn one_object_per_line_claims_then_the_summary() {
        let text = render(ReportFormat::Jsonl, Detail::Normal);
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let kinds: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            ["note", "claim", "claim", "claim", "claim", "summary"]
        );
        assert_eq!(lines[2]["id"], "approx");
        assert_eq!(
            lines[2]["versions"][0]["differences"][0]["kind"],
            "spelling"
        );
        assert_eq!(lines[5]["failed"], 1);
    }
}
