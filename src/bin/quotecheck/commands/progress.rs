//! Progress on standard error while a long check runs on a terminal: a bar that appears
//! after a second, and the human report passed to the terminal claim by claim around it, so
//! that the two never mix.

use std::cell::RefCell;
use std::io::{self, IsTerminal, Write};
use std::rc::Rc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use quotecheck::report::{ClaimRecord, Reporter, Run, Summary};

/// Runs shorter than this never show a bar.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// Whether a bar may be shown: standard error is a terminal, and it is wanted.
pub fn wanted(asked_not_to: bool) -> bool {
    !asked_not_to && io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// A writer into a buffer the progress reporter empties after each claim.
#[derive(Clone, Default)]
pub struct Held(Rc<RefCell<Vec<u8>>>);

impl Write for Held {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The human report with a bar beside it. The report writes into `held`; each claim's lines
/// go to `out` with the bar cleared.
pub struct WithProgress<'a> {
    report: Box<dyn Reporter + 'a>,
    held: Held,
    out: Box<dyn Write + 'a>,
    bar: ProgressBar,
    started: Instant,
    shown: bool,
}

impl<'a> WithProgress<'a> {
    /// `report` (which writes into `held`) passed to `out`, with a bar of `total` claims.
    pub fn new(
        report: Box<dyn Reporter + 'a>,
        held: Held,
        out: Box<dyn Write + 'a>,
        total: usize,
    ) -> WithProgress<'a> {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("{bar:30} {pos}/{len} claims, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        WithProgress {
            report,
            held,
            out,
            bar,
            started: Instant::now(),
            shown: false,
        }
    }

    /// Write what the report wrote, with the bar out of the way.
    fn pass_on(&mut self) -> io::Result<()> {
        let bytes = std::mem::take(&mut *self.held.0.borrow_mut());
        if bytes.is_empty() {
            return Ok(());
        }
        let out = &mut self.out;
        self.bar
            .suspend(|| out.write_all(&bytes).and_then(|()| out.flush()))
    }
}

impl Reporter for WithProgress<'_> {
    fn begin(&mut self, run: &Run) -> io::Result<()> {
        self.report.begin(run)?;
        self.pass_on()
    }

    fn claim(&mut self, claim: &ClaimRecord) -> io::Result<()> {
        self.report.claim(claim)?;
        self.bar.inc(1);
        if !self.shown && self.started.elapsed() >= QUIET_FOR {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        self.pass_on()
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.bar.finish_and_clear();
        self.report.finish(summary)?;
        self.pass_on()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report that writes one line per event.
    struct Lines(Held);

    impl Reporter for Lines {
        fn begin(&mut self, _: &Run) -> io::Result<()> {
            writeln!(self.0, "begin")
        }
        fn claim(&mut self, c: &ClaimRecord) -> io::Result<()> {
            writeln!(self.0, "claim {}", c.id)
        }
        fn finish(&mut self, _: &Summary) -> io::Result<()> {
            writeln!(self.0, "finish")
        }
    }

    #[test]
    fn the_report_reaches_its_reader_whole_and_in_order() {
        let held = Held::default();
        let out = Held::default();
        let mut p = WithProgress::new(
            Box::new(Lines(held.clone())),
            held,
            Box::new(out.clone()),
            1,
        );
        let claim: ClaimRecord = serde_json::from_value(serde_json::json!({
            "expect": "exact", "file": "f", "id": "a", "kind": "quote", "line": 1,
            "notes": [], "passed": true, "score": 1.0, "source": "s", "suggestion": null,
            "verdict": "exact", "versions": []
        }))
        .unwrap();
        p.begin(&Run::default()).unwrap();
        p.claim(&claim).unwrap();
        p.finish(&Summary::default()).unwrap();
        let text = String::from_utf8(out.0.borrow().clone()).unwrap();
        assert_eq!(text, "begin\nclaim a\nfinish\n");
    }
}
