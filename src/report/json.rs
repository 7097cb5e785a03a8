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
        write!(self.out, ",\n  \"claims\": [")
    }

    fn claim(&mut self, c: &ClaimRecord) -> io::Result<()> {
        let sep = if self.written == 0 { "" } else { "," };
        write!(self.out, "{sep}\n    ")?;
        serde_json::to_writer(&mut self.out, c)?;
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
