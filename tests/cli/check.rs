//! The binary end to end: the bundled example, verdicts, expectations, output options.

use crate::support::{Scratch, quotecheck};
use predicates::prelude::*;
use serde_json::Value;

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("the JSON report parses")
}

fn claim<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("claim {id} in report"))
}

#[test]
fn bundled_example_passes_and_shows_every_verdict() {
    quotecheck()
        .args(["check", "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("✓ exact       ask-around"))
        .stdout(predicate::str::contains("~ approximate look-around"))
        .stdout(predicate::str::contains("✗ missing     coordinating"))
        .stdout(predicate::str::contains(
            "91 claims: 64 exact, 20 approximate, 7 missing; 0 failed",
        ));
}

#[test]
fn json_report_has_the_documented_shape() {
    let out = quotecheck()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r = json_of(&out.stdout);
    assert_eq!(r["version"], 1);
    assert_eq!(
        r["summary"],
        serde_json::json!({"claims": 91, "exact": 64, "approximate": 20, "missing": 7, "failed": 0, "baselined": 0, "not_checked": 0})
    );
    let c = claim(&r, "ask-around");
    assert_eq!(c["file"], "claims/atlantic-wikileaks.yaml");
    assert_eq!(c["kind"], "quote");
    assert_eq!(c["source"], "atlantic");
    assert_eq!(c["verdict"], "exact");
    assert_eq!(c["expect"], "exact");
    assert_eq!(c["passed"], true);
    let v = &c["versions"][0];
    assert_eq!(v["name"], "original");
    assert_eq!(v["path"], "claims/sources/atlantic-2017-11-13.original.md");
    assert_eq!(
        (v["line"].as_u64(), v["column"].as_u64()),
        (Some(27), Some(76))
    );
    assert_eq!(v["distance"], 0);
    assert_eq!(
        v["passage"],
        "Off the record I don’t know who that is, but I’ll ask around"
    );
}

#[test]
fn versions_that_disagree_are_reported() {
    let out = quotecheck()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let r = json_of(&out.stdout);
    let c = claim(&r, "does-not-concede");
    assert_eq!(c["verdict"], "exact");
    assert_eq!(c["versions"][0]["verdict"], "exact");
    assert_eq!(c["versions"][1]["verdict"], "approximate");
    assert_eq!(c["versions"][1]["distance"], 2);
    assert_eq!(
        c["versions"][1]["differences"],
        serde_json::json!([{"kind": "spelling", "claim": "concede", "source": "conceed", "changes_meaning": false}])
    );
    assert!(
        c["notes"][0]
            .as_str()
            .unwrap()
            .contains("exact in original, approximate in normalized (concede/conceed)")
    );
    // Passages only one version has.
    let h = claim(&r, "headline");
    assert_eq!(h["versions"][1]["verdict"], "missing");
    let f = claim(&r, "copyright-footer");
    assert_eq!(
        (
            f["versions"][0]["verdict"].as_str(),
            f["versions"][1]["verdict"].as_str()
        ),
        (Some("missing"), Some("exact"))
    );
}

#[test]
fn facts_in_the_example_are_checked_by_their_key_terms() {
    let out = quotecheck()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let r = json_of(&out.stdout);
    let c = claim(&r, "odds");
    assert_eq!(
        (c["kind"].as_str(), c["verdict"].as_str()),
        (Some("fact"), Some("exact"))
    );
    let c = claim(&r, "odds-81");
    assert_eq!(c["verdict"], "approximate");
    assert_eq!(c["versions"][0]["conflicts"][0]["source"], "71 percent");
    let c = claim(&r, "author");
    assert_eq!(
        c["versions"][1]["verdict"], "missing",
        "only the captured page has the author note"
    );
}

#[test]
fn each_verdict_from_a_small_source() {
    let s = Scratch::new();
    s.claims(concat!(
        "  - id: exact\n    quote: \"I don't know who that is\"\n",
        "  - id: approx\n    quote: \"if he does not conceed and spends time\"\n    expect: approximate\n",
        "  - id: gone\n    quote: \"nothing like this is in the article at all\"\n    expect: missing\n",
    ));
    let out = s.check().args(["--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r = json_of(&out.stdout);
    assert_eq!(claim(&r, "exact")["verdict"], "exact");
    assert_eq!(claim(&r, "exact")["versions"][0]["line"], 2);
    assert_eq!(claim(&r, "exact")["versions"][0]["column"], 17);
    let a = claim(&r, "approx");
    assert_eq!(a["verdict"], "approximate");
    assert_eq!(a["versions"][0]["distance"], 2);
    assert_eq!(
        a["versions"][0]["passage"],
        "if he DOES NOT concede and spends time"
    );
    assert_eq!(claim(&r, "gone")["verdict"], "missing");
}

#[test]
fn a_verdict_worse_than_expected_fails_the_run() {
    let s = Scratch::new();
    s.claims("  - id: misquote\n    quote: \"if he does not conceed and spends time\"\n");
    s.check()
        .assert()
        .code(1)
        .stdout(predicate::str::contains("~ approximate misquote"))
        .stdout(predicate::str::contains("FAILED: expected exact"))
        .stdout(predicate::str::contains(
            "quote has “conceed” where the source has “concede”",
        ))
        .stdout(predicate::str::contains("1 failed"));
}

#[test]
fn a_verdict_better_than_expected_passes_with_a_stale_note() {
    let s = Scratch::new();
    s.claims("  - id: fine\n    quote: \"the lazy dog\"\n    expect: approximate\n");
    s.check().assert().code(0).stdout(predicate::str::contains(
        "expected approximate but found exact: the expectation is stale",
    ));
}

#[test]
fn missing_shows_the_closest_passage() {
    let s = Scratch::new();
    s.claims("  - id: gone\n    quote: \"the quick red fox leaps over a sleeping cat\"\n");
    s.check()
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗ missing     gone"))
        .stdout(predicate::str::contains("closest: article.txt:1:1"))
        .stdout(predicate::str::contains(
            "“The quick brown fox jumps over the lazy",
        ));
}

#[test]
fn quiet_shows_only_failures_and_verbose_shows_passages() {
    let s = Scratch::new();
    s.claims(
        "  - id: good\n    quote: \"the lazy dog\"\n  - id: bad\n    quote: \"the lazy dogs\"\n",
    );
    s.check()
        .arg("-q")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("good").not())
        .stdout(predicate::str::contains("bad"))
        .stdout(predicate::str::contains(
            "2 claims: 1 exact, 1 approximate, 0 missing; 1 failed",
        ));
    s.check()
        .arg("-v")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("good"))
        .stdout(predicate::str::contains("      “the lazy dog”"));
}

#[test]
fn threshold_decides_between_approximate_and_missing() {
    let s = Scratch::new();
    s.claims("  - id: q\n    quote: \"the lazy cat\"\n    expect: approximate\n");
    // "the lazy cat" vs "the lazy dog": distance 3 over 12 characters, score 0.75.
    s.check().args(["--threshold", "0.7"]).assert().code(0);
    s.check()
        .args(["--threshold", "0.8"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("missing"));
}

#[test]
fn colors_follow_the_flag_and_the_environment() {
    let esc = predicate::str::contains("\u{1b}[");
    quotecheck()
        .args(["check", "--color", "always"])
        .assert()
        .stdout(esc.clone());
    quotecheck()
        .args(["check", "--color", "never"])
        .env("CLICOLOR_FORCE", "1")
        .assert()
        .stdout(esc.clone().not());
    // Piped output is plain by default.
    quotecheck().arg("check").assert().stdout(esc.clone().not());
    quotecheck()
        .arg("check")
        .env("CLICOLOR_FORCE", "1")
        .assert()
        .stdout(esc.clone());
    quotecheck()
        .arg("check")
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .assert()
        .stdout(esc.clone().not());
    // JSON is never colored.
    quotecheck()
        .args(["check", "--format", "json", "--color", "always"])
        .assert()
        .stdout(esc.not());
}

#[test]
fn human_report_snapshot() {
    let out = quotecheck()
        .args(["check", "--color", "never", "--no-cache"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    insta::with_settings!({filters => vec![(r"\(\d+\.\d+s\)", "([time])")]}, {
        insta::assert_snapshot!(text);
    });
}

/// Many claims, some quick and some slow to decide, checked by several workers: the report
/// keeps the claims file's order, and both formats count every claim.
#[test]
fn results_keep_the_claims_order_however_the_work_is_shared() {
    let s = Scratch::new();
    let claims: String = (0..300)
        .map(|i| match i % 3 {
            0 => format!("  - {{id: c{i}, quote: \"the lazy dog\"}}\n"),
            1 => format!("  - {{id: c{i}, quote: \"much more interesting if he did not concede\", expect: approximate}}\n"),
            _ => format!("  - {{id: c{i}, quote: \"an elephant sat on the piano number {i}\", expect: missing}}\n"),
        })
        .collect();
    s.claims(&claims);
    let out = s.check().args(["--format", "json"]).assert().success();
    let report = json_of(&out.get_output().stdout);
    let ids: Vec<&str> = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (0..300).map(|i| format!("c{i}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(report["summary"]["claims"], 300);
    assert_eq!(report["summary"]["missing"], 100);
    let human = s.check().assert().success();
    let text = String::from_utf8(human.get_output().stdout.clone()).unwrap();
    let order: Vec<usize> = (0..300)
        .map(|i| text.find(&format!(" c{i} ")).expect("every claim is shown"))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "claims out of order");
    assert!(text.contains("300 claims: 100 exact, 100 approximate, 100 missing; 0 failed"));
}

/// A reader that stops reading (`| head`) stops the run: the rest is not checked, and the
/// exit code and one line say so, never a clean pass.
#[test]
fn a_closed_pipe_stops_the_run_and_says_so() {
    let s = Scratch::new();
    let claims: String = (0..2000)
        .map(|i| format!("  - {{id: c{i}, quote: \"the lazy dog number {i}\"}}\n"))
        .collect();
    s.claims(&claims);
    for format in ["json", "human"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("quotecheck"))
            .current_dir(s.path())
            .args(["check", "--color", "never", "--format", format, "."])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {err}");
        assert!(
            err.contains("standard output was closed after")
                && err.contains("the rest were not checked"),
            "{format}: {err}"
        );
        assert_eq!(
            err.lines().count(),
            1,
            "{format}: one line, no panic: {err}"
        );
        let after: usize = err
            .split("closed after ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!(after < 2000, "{format}: stopped after {after} of 2000");
    }
}

#[test]
fn a_path_with_no_claims_file_is_an_error_not_a_clean_run() {
    let s = Scratch::new();
    std::fs::create_dir(s.path().join("empty")).unwrap();
    quotecheck()
        .current_dir(s.path())
        .args(["check", "empty"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no claims files under `empty`"));
}

#[test]
fn each_claims_file_is_checked_once_however_it_is_reached() {
    let s = Scratch::new();
    s.claims("  - id: fox\n    quote: \"the lazy dog\"\n");
    // Named twice, and reached again through a symlink to the directory itself (a loop).
    #[cfg(unix)]
    std::os::unix::fs::symlink(".", s.path().join("loop")).unwrap();
    let out = quotecheck()
        .current_dir(s.path())
        .args([
            "check",
            "--format",
            "json",
            ".",
            "claims.yaml",
            "./claims.yaml",
        ])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["claims"], 1, "{doc}");
}

#[test]
fn a_claims_file_without_claims_is_a_warning() {
    let s = Scratch::new();
    s.write(
        "claims.yaml",
        "sources:\n  article:\n    versions:\n      text: article.txt\nclaims: []\n",
    );
    s.check().assert().code(0).stdout(predicate::str::contains(
        "claims.yaml has no claims: nothing in it was checked",
    ));
}

#[test]
fn the_policy_flags_decide_what_fails_the_run() {
    let s = Scratch::new();
    s.claims(concat!(
        // Approximate where exact is expected.
        "  - id: misquote\n    quote: \"The quick brown cat jumps over the lazy dog\"\n",
        // Better than expected: a stale expectation (a warning).
        "  - id: stale\n    quote: \"the lazy dog\"\n    expect: approximate\n",
    ));
    let code = |args: &[&str]| s.check().args(args).output().unwrap().status.code();
    assert_eq!(code(&[]), Some(1), "a misquote fails by default");
    assert_eq!(code(&["--fail-on", "approximate"]), Some(1));
    assert_eq!(
        code(&["--fail-on", "missing"]),
        Some(0),
        "nothing is missing"
    );
    assert_eq!(code(&["--fail-on", "never"]), Some(0));
    assert_eq!(code(&["--exit-zero"]), Some(0));
    assert_eq!(code(&["--fail-on", "never", "--fail-on-stale"]), Some(1));
    assert_eq!(code(&["--fail-on", "never", "--fail-on-warning"]), Some(1));
    // A missing claim fails under --fail-on missing.
    s.claims("  - id: gone\n    quote: \"Purple elephants sing at dawn in Paris\"\n");
    assert_eq!(code(&["--fail-on", "missing"]), Some(1));
    assert_eq!(code(&["--exit-zero"]), Some(0));
    // Errors still exit 2 under --exit-zero.
    s.claims("  - id: broken\n    qoute: x\n");
    assert_eq!(code(&["--exit-zero"]), Some(2));
}
