//! The JSON report: one document, schema v1, written as results arrive (notes and shard
//! first, each claim as it is decided, the summary last), so that a large run never holds it
//! all in memory.

use std::io::{self, Write};

use super::record::SCHEMA_VERSION;
use super::{ClaimRecord, Reporter, Run, Summary};

/// Writes the JSON report.
pub struct JsonReporter<'a> {
    out: Box<dyn Write + 'a>,
    written: usize,
}

impl<'a> JsonReporter<'a> {
    /// A JSON report to `out`.
    pub fn new(out: Box<dyn Write + 'a>) -> JsonReporter<'a> {
        // What serde_json leaves raw that a terminal would act on is escaped.
        let out = Box::new(super::text::JsonSafe::new(out));
        JsonReporter { out, written: 0 }
    }
}

impl Reporter for JsonReporter<'_> {
    fn begin(&mut self, run: &Run) -> io::Result<()> {
        let notes: Vec<&str> = run.notes.iter().map(|n| n.message.as_str()).collect();
        write!(
            self.out,
            "{{\n  \"version\": {SCHEMA_VERSION},\n  \"notes\": "
        )?;
        serde_json::to_writer(&mut self.out, &notes)?;
        write!(self.out, ",\n  \"findings\": ")?;
        serde_json::to_writer(&mut self.out, &run.notes)?;
        if let Some(sh) = run.shard {
            write!(
                self.out,
                ",\n  \"shard\": {{\"index\": {}, \"count\": {}}}",
                sh.index, sh.count
            )?;
        }
        if let Some(set) = run.set {
            write!(
                self.out,
                ",\n  \"set\": {{\"claims\": {}, \"digest\": \"{:016x}\"}}",
                set.claims, set.digest
            )?;
        }
        write!(self.out, ",\n  \"skipped\": ")?;
        serde_json::to_writer(&mut self.out, &run.skipped)?;
        write!(self.out, ",\n  \"claims\": [")
    }

    fn claim(&mut self, c: &ClaimRecord) -> io::Result<()> {
        let sep = if self.written == 0 { "" } else { "," };
        write!(self.out, "{sep}\n    ")?;
        // Whole, so that the escaping writer sees one piece rather than every token.
        self.out.write_all(&serde_json::to_vec(c)?)?;
        self.written += 1;
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        write!(self.out, "\n  ],\n  \"summary\": ")?;
        serde_json::to_writer(&mut self.out, summary)?;
        writeln!(self.out, "\n}}")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use crate::report::fixture::render;
    use crate::report::{Detail, ReportDoc, ReportFormat};

    #[test]
    fn the_document_is_schema_v1_with_typed_notes_beside_the_prose() {
        let text = render(ReportFormat::Json, Detail::Normal);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "{");
        assert_eq!(lines[1], "  \"version\": 1,");
        assert_eq!(lines[2], "  \"notes\": [\"a run note\"],");
        assert_eq!(
            lines[3],
            "  \"findings\": [{\"code\":\"not-judged-strictly\",\"message\":\"a run note\",\"severity\":\"info\"}],"
        );
        assert_eq!(lines[4], "  \"skipped\": [],");
        assert_eq!(lines[5], "  \"claims\": [");
        assert_eq!(
            lines[7],
            "    {\"baselined\":false,\"column\":5,\"decided_by\":0,\"expect\":\"exact\",\"file\":\"claims/a.yaml\",\"findings\":[{\"code\":\"falls-short\",\"message\":\"expected exact, found approximate\",\"severity\":\"error\"}],\"fingerprint\":\"0000000000000006\",\"id\":\"approx\",\"kind\":\"quote\",\"line\":7,\"note\":null,\"notes\":[\"expected exact, found approximate\"],\"passed\":false,\"score\":0.9,\"source\":\"a\",\"suggestion\":\"the quick brown fox\",\"verdict\":\"approximate\",\"versions\":[{\"column\":5,\"conflicts\":[],\"differences\":[{\"changes_meaning\":false,\"claim\":\"quik\",\"kind\":\"spelling\",\"source\":\"quick\"}],\"distance\":2,\"keys\":[],\"line\":2,\"marks\":[],\"name\":\"text\",\"occurrences\":1,\"passage\":\"the quick brown fox\",\"path\":\"claims/sources/a.txt\",\"score\":0.9,\"verdict\":\"approximate\"}]},"
        );
        assert_eq!(lines.last().copied(), Some("}"));
        assert!(text.contains(
            "  ],\n  \"summary\": {\"approximate\":2,\"baselined\":0,\"claims\":4,\"exact\":1,\"failed\":1,\"missing\":1,\"not_checked\":0}\n}\n"
        ));
    }

    #[test]
    fn what_is_written_reads_back_as_the_same_records() {
        let (_, claims) = crate::report::fixture::records();
        let text = render(ReportFormat::Json, Detail::Normal);
        let doc: ReportDoc = serde_json::from_str(&text).unwrap();
        let again: Vec<String> = doc
            .claims
            .iter()
            .map(|c| serde_json::to_string(c).unwrap())
            .collect();
        let first: Vec<String> = claims
            .iter()
            .map(|c| serde_json::to_string(c).unwrap())
            .collect();
        assert_eq!(again, first);
    }
}
