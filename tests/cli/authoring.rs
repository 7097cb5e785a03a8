//! Authoring commands through the binary, and the guarantees of `add`: every existing byte
//! kept, the result parsed back, atomic replacement, concurrent additions all kept.

use std::path::Path;

use crate::support::{Scratch, quotecheck};
use predicates::prelude::*;
use proptest::prelude::*;
use quotecheck::ClaimsFile;
use quotecheck::authoring::{NewClaim, append_entry};

/// A fresh workspace made by `quotecheck init`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    quotecheck()
        .current_dir(dir.path())
        .arg("init")
        .assert()
        .code(0);
    dir
}

fn qc(dir: &Path) -> assert_cmd::Command {
    let mut c = quotecheck();
    c.current_dir(dir);
    c
}

#[test]
fn init_creates_a_working_example_and_refuses_to_overwrite() {
    let dir = workspace();
    qc(dir.path())
        .args(["check", "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("2 exact"));
    let before = std::fs::read(dir.path().join("claims/example.yaml")).unwrap();
    qc(dir.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(
        std::fs::read(dir.path().join("claims/example.yaml")).unwrap(),
        before
    );
}

#[test]
fn validate_reports_every_problem_without_reading_sources() {
    let dir = workspace();
    qc(dir.path())
        .arg("validate")
        .assert()
        .code(0)
        .stdout("1 claims file, 2 claims: valid\n");
    // Two files with a problem each: both are reported in one run.
    std::fs::write(
        dir.path().join("claims/bad.yaml"),
        "sources:\n  s:\n    versions:\n      v: a.txt\nclaims:\n  - id: a\n    qoute: x\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("claims/gone.yaml"),
        "sources:\n  s:\n    versions:\n      v: nowhere.txt\nclaims:\n  - id: a\n    quote: x\n",
    )
    .unwrap();
    qc(dir.path())
        .arg("validate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("claims/bad.yaml:7:5"))
        .stderr(predicate::str::contains("did you mean `quote`?"))
        .stderr(predicate::str::contains(
            "source file `claims/nowhere.txt` does not exist",
        ))
        .stderr(predicate::str::contains("2 errors found"));
}

#[test]
fn add_checks_the_claim_then_appends_it() {
    let dir = workspace();
    let file = dir.path().join("claims/example.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    qc(dir.path())
        .args([
            "add",
            "--quote",
            "life, liberty and the pursuit of happiness",
            "--by",
            "Thomas Jefferson",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("✓ exact"))
        .stdout(predicate::str::contains(
            "added `life-liberty-and-the-pursuit`",
        ));
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.starts_with(&before));
    qc(dir.path())
        .args(["check"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("3 claims: 3 exact"));
}

#[test]
fn add_refuses_what_would_break_or_mislead() {
    let dir = workspace();
    let file = dir.path().join("claims/example.yaml");
    let before = std::fs::read(&file).unwrap();
    // Not in the source.
    qc(dir.path())
        .args(["add", "--quote", "Four score and seven years ago"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not added"));
    // A duplicate id, an unknown source.
    qc(dir.path())
        .args([
            "add",
            "--quote",
            "all men are created equal",
            "--id",
            "adopted",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "claim id `adopted` is already used",
        ));
    qc(dir.path())
        .args([
            "add",
            "--quote",
            "all men are created equal",
            "--source",
            "declaraton",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `declaration`?"));
    assert_eq!(std::fs::read(&file).unwrap(), before, "nothing was written");
    // Recorded on purpose.
    qc(dir.path())
        .args([
            "add",
            "--quote",
            "Four score and seven years ago",
            "--expect",
            "missing",
            "--note",
            "Gettysburg, not here",
        ])
        .assert()
        .code(0);
    qc(dir.path()).arg("check").assert().code(0);
}

#[test]
fn add_reads_the_quote_from_stdin() {
    let dir = workspace();
    qc(dir.path())
        .args(["add", "--from-stdin", "--id", "consent"])
        .write_stdin("deriving their just powers from the consent of the governed\n")
        .assert()
        .code(1); // not in the bundled excerpt
    qc(dir.path())
        .args(["add", "--from-stdin", "--id", "course"])
        .write_stdin("When, in the course of human events\n")
        .assert()
        .code(0);
    let text = std::fs::read_to_string(dir.path().join("claims/example.yaml")).unwrap();
    assert!(
        text.ends_with("  - id: \"course\"\n    quote: \"When, in the course of human events\"\n"),
        "{text}"
    );
}

#[test]
fn a_failing_write_leaves_the_original_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workspace();
    let claims_dir = dir.path().join("claims");
    let file = claims_dir.join("example.yaml");
    let before = std::fs::read(&file).unwrap();
    // A lock file must exist before the directory becomes read-only.
    std::fs::write(claims_dir.join(".example.yaml.lock"), "").unwrap();
    std::fs::set_permissions(&claims_dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores directory permissions; an immutable directory stops root too.
    let probe = claims_dir.join("probe");
    let root = std::fs::write(&probe, "x").is_ok();
    let _ = std::fs::remove_file(&probe);
    let immutable = root
        && std::process::Command::new("chattr")
            .arg("+i")
            .arg(&claims_dir)
            .status()
            .is_ok_and(|s| s.success());
    if root && !immutable {
        std::fs::set_permissions(&claims_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!(
            "skipped: running as root without chattr, nothing here can make the directory unwritable"
        );
        return;
    }
    let out = qc(dir.path())
        .args(["add", "--quote", "When, in the course of human events"])
        .output()
        .unwrap();
    if immutable {
        std::process::Command::new("chattr")
            .arg("-i")
            .arg(&claims_dir)
            .status()
            .unwrap();
    }
    std::fs::set_permissions(&claims_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("the file was left as it was"));
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn twenty_concurrent_adds_all_land() {
    let dir = workspace();
    crate::support::concurrently(dir.path(), 20, |i| {
        [
            "add",
            "--quote",
            "all men are created equal",
            "--id",
            &format!("c{i}"),
        ]
        .map(String::from)
        .to_vec()
    });
    let path = dir.path().join("claims/example.yaml");
    let f = ClaimsFile::parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut ids: Vec<&str> = f
        .claims
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| id.starts_with('c'))
        .collect();
    ids.sort();
    let mut want: Vec<String> = (0..20).map(|i| format!("c{i}")).collect();
    want.sort();
    assert_eq!(ids, want);
}

#[test]
fn find_searches_each_version_once() {
    // Both bundled claims files declare the article; each version is searched once.
    let out = quotecheck()
        .args([
            "--color",
            "never",
            "find",
            "atlantic",
            "I'll ask around",
            "-n",
            "1",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("(original)").count(), 1, "{text}");
    assert_eq!(text.matches("(normalized)").count(), 1, "{text}");
    assert!(
        text.contains("1.00  claims/sources/atlantic-2017-11-13.original.md:27:"),
        "{text}"
    );
}

#[test]
fn find_shows_the_closest_passages() {
    let dir = workspace();
    qc(dir.path())
        .args([
            "--color",
            "never",
            "find",
            "declaration",
            "the pursuit of hapiness",
            "-n",
            "1",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "claims/sources/declaration.txt:7:",
        ))
        .stdout(predicate::str::contains("pursuit of happiness"));
    qc(dir.path())
        .args(["find", "nosuch", "words"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no source `nosuch`"));
}

#[test]
fn find_names_the_passage_a_misquote_comes_from() {
    // By characters "Methinks the lady doth protest too much" is nearer to other lines of
    // the play; find shows first, marked, the line check would name.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("hamlet.txt"),
        include_str!("../eval/sources/hamlet.txt"),
    )
    .unwrap();
    let find = |text: &str| {
        let out = qc(dir.path())
            .args(["--color", "never", "find", "hamlet.txt", text, "-n", "3"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = find("Methinks the lady doth protest too much");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[1].contains("The lady protests too much, methinks"),
        "{text}"
    );
    assert!(lines[2].contains("found by its words"), "{text}");
    assert_eq!(
        text.matches("  0.").count(),
        3,
        "still three passages: {text}"
    );
    // An exact quote is found by its characters alone.
    let text = find("Brevity is the soul of wit");
    assert!(text.contains("1.00  hamlet.txt:"), "{text}");
    assert!(!text.contains("found by its words"), "{text}");
}

/// Existing claims files in many styles: comments, quoting, CRLF, no trailing newline.
fn existing_file() -> impl Strategy<Value = String> {
    let comment = prop_oneof![
        Just(""),
        Just("# a comment\n"),
        Just("# é “curly” comment: yes\n\n")
    ];
    let style = prop_oneof![Just(0u8), Just(1), Just(2)];
    let n = 0..4usize;
    let indent = prop_oneof![Just("  "), Just(""), Just("    ")];
    (comment, style, n, indent, any::<bool>(), any::<bool>()).prop_map(
        |(c, style, n, ind, crlf, trailing)| {
            let mut s = format!("{c}sources:\n  s:\n    versions:\n      v: a.txt\nclaims:\n");
            for i in 0..n {
                let q = match style {
                    0 => format!(
                        "{ind}- id: c{i}\n{ind}  quote: plain words {i}   # trailing comment\n"
                    ),
                    1 => format!("{ind}- id: 'c{i}'\n{ind}  quote: 'single ''quoted'' {i}'\n\n"),
                    _ => format!("{ind}- {{id: c{i}, quote: \"flow {i}\"}}\n"),
                };
                s.push_str(&q);
            }
            if !trailing {
                while s.ends_with('\n') {
                    s.pop();
                }
            }
            if crlf {
                s = s.replace('\n', "\r\n");
            }
            s
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn add_keeps_every_byte_and_parses_to_old_plus_new(
        before in existing_file(),
        text in "[ -~\u{e9}\u{201c}\u{201d}\u{2019}]{1,60}",
        by in proptest::option::of("[ -~]{1,20}"),
    ) {
        let path = Path::new("c.yaml");
        let old = ClaimsFile::parse(path, &before).unwrap();
        prop_assume!(!quotecheck::testing::normalize(&text).is_empty());
        // A quote of editorial brackets alone is refused before it is appended (`add` says
        // "has no words outside editorial brackets"); this writer is only given what passes.
        prop_assume!(!quotecheck::testing::Quote::parse(&text).segments.is_empty());
        let claim = NewClaim { text: text.clone(), by: by.clone(), ..Default::default() };
        let after = append_entry(&before, "new-claim", &claim).unwrap();
        prop_assert!(after.starts_with(&before));
        let new = ClaimsFile::parse(path, &after).unwrap();
        prop_assert_eq!(new.claims.len(), old.claims.len() + 1);
        for (a, b) in old.claims.iter().zip(&new.claims) {
            prop_assert_eq!((&a.id, &a.text), (&b.id, &b.text));
        }
        let last = new.claims.last().unwrap();
        prop_assert_eq!(&last.id, "new-claim");
        prop_assert_eq!(&last.text, &text);
        prop_assert_eq!(&last.by, &by);
    }
}

#[test]
fn extract_finds_the_drafts_quotations_and_check_verifies_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let draft = root.join("tests/fixtures/draft.md");
    // Printed as claims YAML: every quotation, with its speaker where the sentence names one.
    let out = quotecheck().arg("extract").arg(&draft).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let yaml = String::from_utf8(out.stdout).unwrap();
    assert_eq!(yaml.matches("  - id:").count(), 12, "{yaml}");
    // All but "ask around" (a phrase, no speaker).
    assert_eq!(yaml.matches("    by:").count(), 11, "{yaml}");
    for speaker in ["Trump Jr.", "WikiLeaks", "Donald Trump", "Alan Futerfas"] {
        assert!(yaml.contains(&format!("by: \"{speaker}\"")), "{speaker}");
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("12 quotations found"));

    // Appended to a claims file about the article, then checked: the one misquote fails.
    let dir = tempfile::tempdir().unwrap();
    let sources = crate::support::example_dir().join("claims/sources");
    let file = dir.path().join("draft.yaml");
    std::fs::write(
        &file,
        format!(
            "sources:\n  atlantic:\n    versions:\n      original: {}\n      normalized: {}\nclaims:\n",
            sources.join("atlantic-2017-11-13.original.md").display(),
            sources.join("atlantic-2017-11-13.normalized.txt").display()
        ),
    )
    .unwrap();
    quotecheck()
        .arg("extract")
        .arg(&draft)
        .arg("--append")
        .arg(&file)
        .assert()
        .code(0);
    // The claims file names the example's sources by absolute paths, outside its directory.
    let r = quotecheck()
        .args(["check", "--format", "json", "--allow-outside-root"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(r["summary"]["claims"], 12);
    let failed: Vec<&str> = r["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"] == false)
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["we-think-this-is-very"]);
}

#[test]
fn a_quote_of_only_brackets_is_never_added_nor_extracted() {
    let dir = workspace();
    let file = dir.path().join("claims/example.yaml");
    let before = std::fs::read(&file).unwrap();
    qc(dir.path())
        .args(["add", "--quote", "[Julian Assange]", "--force"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no words outside editorial brackets",
        ));
    assert_eq!(std::fs::read(&file).unwrap(), before);
    let draft = dir.path().join("draft.md");
    std::fs::write(
        &draft,
        "He said “[Julian Assange]” and “we hold these truths” then.\n",
    )
    .unwrap();
    let out = qc(dir.path()).arg("extract").arg(&draft).output().unwrap();
    let yaml = String::from_utf8(out.stdout).unwrap();
    assert_eq!(yaml.matches("  - id:").count(), 1, "{yaml}");
    assert!(yaml.contains("we hold these truths"), "{yaml}");
}

/// The quotations and speakers of `extract` on a draft, read from its YAML output.
fn extracted(draft: &Path) -> Vec<(String, Option<String>)> {
    let out = quotecheck().arg("extract").arg(draft).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let yaml = String::from_utf8(out.stdout).unwrap();
    // Read as claims about one document, as `extract --append` would add them.
    let yaml = format!("sources:\n  draft:\n    versions:\n      v: draft.md\n{yaml}");
    let file = quotecheck::ClaimsFile::parse(Path::new("extracted.yaml"), &yaml).unwrap();
    file.claims.into_iter().map(|c| (c.text, c.by)).collect()
}

#[test]
fn extract_finds_every_quotation_of_a_draft_and_who_said_it() {
    // tests/fixtures/extract: 33 quotations of every kind, and quotation marks in front
    // matter, code and an HTML comment that are none.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract");
    let expected: Vec<(String, Option<String>)> =
        std::fs::read_to_string(dir.join("expected.yaml"))
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("- "))
            .map(|l| {
                let v: serde_json::Value = serde_saphyr::from_str(l).unwrap();
                let by = v["by"].as_str().map(str::to_string);
                (v["quote"].as_str().unwrap().to_string(), by)
            })
            .collect();
    assert!(expected.len() >= 30);
    let got = extracted(&dir.join("draft.md"));
    let quotes =
        |v: &[(String, Option<String>)]| v.iter().map(|(q, _)| q.clone()).collect::<Vec<_>>();
    // Every quotation, once (the repeated one too), in order; nothing from code or metadata.
    assert_eq!(quotes(&got), quotes(&expected));
    let right = got
        .iter()
        .zip(&expected)
        .filter(|(g, e)| g.1 == e.1)
        .count();
    assert!(
        right * 10 >= expected.len() * 9,
        "speakers right for {right} of {}: {:?}",
        expected.len(),
        got.iter()
            .zip(&expected)
            .filter(|(g, e)| g.1 != e.1)
            .collect::<Vec<_>>()
    );
}

#[test]
fn extract_appends_no_quotation_the_file_already_claims() {
    let s = Scratch::new();
    s.write(
        "draft.md",
        "“We will rebuild the bridge,” said the mayor. “It will take a year,” she added.\n",
    );
    s.write(
        "claims.yaml",
        "sources:\n  speech:\n    versions:\n      v: draft.md\nclaims:\n  - {id: bridge, quote: \"we will rebuild the bridge\"}\n",
    );
    let run = || {
        quotecheck()
            .current_dir(s.path())
            .args(["extract", "draft.md", "--append", "claims.yaml"])
            .output()
            .unwrap()
    };
    let first = run();
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stderr).contains("1 already there left out"));
    let after_first = std::fs::read_to_string(s.path().join("claims.yaml")).unwrap();
    assert_eq!(after_first.matches("  - ").count(), 2, "{after_first}");
    // A second run adds nothing.
    let second = run();
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(s.path().join("claims.yaml")).unwrap(),
        after_first
    );
}

#[test]
fn completions_and_man_page_describe_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = quotecheck().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for command in ["check", "merge", "extract", "validate"] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    let out = quotecheck().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie") && page.contains(".SH NAME"),
        "{page}"
    );
    quotecheck()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'tcsh'"));
}
