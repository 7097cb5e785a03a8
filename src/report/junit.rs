//! JUnit XML: one test suite per claims file, one test case per claim; a claim that falls
//! short is a failure carrying its verdict, score, location and differences (written with
//! quick-junit, which escapes the XML).

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::text::{printable, reasons};
use super::{ClaimRecord, Reporter, Run, Summary};

/// Writes the JUnit report (in `finish`: the counts open each suite).
pub struct JunitReporter<'a> {
    out: Box<dyn Write + 'a>,
    suites: Vec<TestSuite>,
}

impl<'a> JunitReporter<'a> {
    /// A JUnit report to `out`.
    pub fn new(out: Box<dyn Write + 'a>) -> JunitReporter<'a> {
        JunitReporter {
            out,
            suites: Vec::new(),
        }
    }
}

impl Reporter for JunitReporter<'_> {
    fn begin(&mut self, _run: &Run) -> io::Result<()> {
        Ok(())
    }

    fn claim(&mut self, c: &ClaimRecord) -> io::Result<()> {
        let file = printable(&c.file).into_owned();
        if self.suites.last().is_none_or(|s| s.name.as_str() != file) {
            self.suites.push(TestSuite::new(file.clone()));
        }
        let status = if c.passed {
            TestCaseStatus::success()
        } else if c.baselined {
            let mut st = TestCaseStatus::skipped();
            st.set_message(format!(
                "baselined: {} ({:.2}), expected {}",
                c.verdict, c.score, c.expect
            ));
            st
        } else {
            let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
            st.set_message(format!(
                "{} ({:.2}), expected {}",
                c.verdict, c.score, c.expect
            ));
            st.set_type(c.verdict.to_string());
            let mut text = format!("{}:{}", file, c.line);
            if let Some(b) = c.best() {
                text.push_str(&format!("\npassage: {}", printable(&b.location())));
            }
            for r in reasons(c) {
                text.push('\n');
                text.push_str(&r);
            }
            st.set_description(text);
            st
        };
        let mut case = TestCase::new(printable(&c.id).into_owned(), status);
        case.set_classname(file);
        if let Some(suite) = self.suites.last_mut() {
            suite.add_test_case(case);
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        let mut report = Report::new("quotecheck");
        report.add_test_suites(std::mem::take(&mut self.suites));
        report
            .serialize(&mut self.out)
            .map_err(|e| io::Error::other(e.to_string()))?;
        writeln!(self.out)?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use crate::report::fixture::render;
    use crate::report::{Detail, ReportFormat};

    #[test]
    fn one_suite_per_file_one_case_per_claim_failures_explained() {
        let text = render(ReportFormat::Junit, Detail::Normal);
        let report = quick_junit::Report::deserialize_from_str(&text).unwrap();
        assert_eq!(report.tests, 4);
        assert_eq!(report.failures, 1);
        let suite = &report.test_suites[0];
        assert_eq!(suite.name.as_str(), "claims/a.yaml");
        let failed = &suite.test_cases[1];
        assert_eq!(failed.name.as_str(), "approx");
        let quick_junit::TestCaseStatus::NonSuccess {
            message,
            description,
            ..
        } = &failed.status
        else {
            panic!("the failing claim is a failure: {text}");
        };
        assert_eq!(
            message.as_ref().map(|m| m.as_str()),
            Some("approximate (0.90), expected exact")
        );
        assert!(
            description.as_ref().is_some_and(|d| d
                .as_str()
                .contains("quote has “quik” where the source has “quick”")),
            "{text}"
        );
    }
}
