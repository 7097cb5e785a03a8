//! Every way a claims file or an invocation can be wrong: exit 2, `file:line:col`, and a fix.

use crate::support::{Scratch, quotecheck};
use predicates::prelude::*;

/// Run check on a scratch claims file and return its stderr, asserting exit code 2.
fn error_of(s: &Scratch) -> String {
    let out = s.check().output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        out.stdout.is_empty(),
        "nothing is reported when a file is bad"
    );
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn yaml_syntax_error() {
    let s = Scratch::new();
    s.claims("  - id: a\n    quote: 'unclosed\n");
    let e = error_of(&s);
    assert!(e.contains("error: "), "{e}");
    assert!(e.contains("claims.yaml:7:12"), "{e}");
    assert!(e.contains("7 |     quote: 'unclosed"), "{e}");
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let s = Scratch::new();
    s.claims("  - id: a\n    qoute: hello\n");
    let e = error_of(&s);
    assert!(e.contains("error: unknown field `qoute`"), "{e}");
    assert!(e.contains("--> claims.yaml:7:5"), "{e}");
    assert!(e.contains("help: did you mean `quote`?"), "{e}");
}

#[test]
fn duplicate_id() {
    let s = Scratch::new();
    s.claims("  - id: a\n    quote: the lazy dog\n  - id: a\n    quote: the quick fox\n");
    let e = error_of(&s);
    assert!(e.contains("error: duplicate claim id `a`"), "{e}");
    assert!(e.contains("claims.yaml:8:9"), "{e}");
    assert!(e.contains("already used on line 6"), "{e}");
}

#[test]
fn unknown_source() {
    let s = Scratch::new();
    s.claims("  - id: a\n    quote: the lazy dog\n    source: articel\n");
    let e = error_of(&s);
    assert!(e.contains("error: unknown source `articel`"), "{e}");
    assert!(e.contains("claims.yaml:8:13"), "{e}");
    assert!(e.contains("did you mean `article`?"), "{e}");
}

#[test]
fn missing_version_file() {
    let s = Scratch::new();
    s.write(
        "claims.yaml",
        "sources:\n  a:\n    versions:\n      text: nowhere.txt\nclaims:\n  - id: x\n    quote: hi\n",
    );
    let e = error_of(&s);
    assert!(e.contains("cannot read source `./nowhere.txt`"), "{e}");
    assert!(e.contains("claims.yaml:4:13"), "{e}");
    assert!(e.contains("relative to the claims file"), "{e}");
}

#[test]
fn source_that_is_not_utf8() {
    let s = Scratch::new();
    std::fs::write(s.path().join("bad.txt"), b"caf\xe9 latin-1").unwrap();
    s.write(
        "claims.yaml",
        "sources:\n  a:\n    versions:\n      text: bad.txt\nclaims:\n  - id: x\n    quote: hi\n",
    );
    let e = error_of(&s);
    assert!(
        e.contains("not valid UTF-8 (first bad byte at offset 3)"),
        "{e}"
    );
}

#[test]
fn empty_quote() {
    let s = Scratch::new();
    s.claims("  - id: a\n    quote: \"...\"\n");
    let e = error_of(&s);
    assert!(e.contains("quote of claim `a` has no words"), "{e}");
    assert!(e.contains("claims.yaml:7:12"), "{e}");
}

#[test]
fn both_or_neither_quote_and_fact() {
    let s = Scratch::new();
    s.claims("  - id: a\n    quote: x\n    fact: y\n  - id: b\n    note: nothing\n");
    let e = error_of(&s);
    assert!(e.contains("claim `a` has both `quote` and `fact`"), "{e}");
    assert!(
        e.contains("claim `b` has neither `quote` nor `fact`"),
        "{e}"
    );
    assert!(e.contains("2 errors found; nothing was checked"), "{e}");
}

#[test]
fn bad_threshold_in_file_and_on_the_command_line() {
    let s = Scratch::new();
    s.write(
        "claims.yaml",
        "settings:\n  threshold: 0\nsources:\n  a:\n    versions: {t: article.txt}\nclaims: []\n",
    );
    let e = error_of(&s);
    assert!(e.contains("threshold 0 is out of range"), "{e}");
    assert!(e.contains("claims.yaml:2:14"), "{e}");
    quotecheck()
        .args(["check", "--threshold", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "not a number above 0 and at most 1",
        ));
}

#[test]
fn path_that_does_not_exist() {
    quotecheck()
        .args(["check", "no/such/claims"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: no such file or directory\n--> no/such/claims",
        ));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    quotecheck()
        .args(["check", "--frobnicate"])
        .assert()
        .code(2);
}

/// Commands that print say so when their output cannot be written, instead of panicking
/// (validate, init) or exiting 0 with nothing written (find, extract).
#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_is_an_error() {
    let scratch = tempfile::tempdir().unwrap();
    let init_dir = scratch.path().to_str().unwrap().to_string();
    let draft = crate::support::example_dir().join("../draft.md");
    let draft = draft.to_str().unwrap().to_string();
    let cases: [&[&str]; 6] = [
        &["validate"],
        &["init", &init_dir],
        &["find", "atlantic", "ask around"],
        &["extract", &draft],
        &["completions", "bash"],
        &["man"],
    ];
    for args in cases {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("quotecheck"))
            .current_dir(crate::support::example_dir())
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("cannot write"),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A quote made only of an editorial bracket has nothing to look for: a claims-file error in
/// every command, not a panic in the matcher.
#[test]
fn a_quote_of_only_brackets_is_a_claims_file_error() {
    let s = Scratch::new();
    s.claims("  - id: only\n    quote: \"[hello]\"\n  - id: elided\n    quote: \"[x] ...\"\n");
    for cmd in ["check", "validate"] {
        let out = quotecheck()
            .current_dir(s.path())
            .args([cmd, "claims.yaml"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {err}");
        assert!(
            err.contains("quote of claim `only` has no words outside editorial brackets"),
            "{cmd}: {err}"
        );
        assert!(err.contains("claims.yaml:7:12"), "{cmd}: {err}");
        assert!(
            err.contains("quote of claim `elided` has no words"),
            "{cmd}: {err}"
        );
    }
}
