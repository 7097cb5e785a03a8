//! The project around the claims: `quotecheck.toml` and its layers, running from a
//! subdirectory, choosing claims (`--only`, `--source`, `--changed-since`) with an honest
//! count of those not checked, and baselines.

use predicates::prelude::*;

use crate::support::{Scratch, git, quotecheck, run};

/// A project: `.git`, `claims/story.yaml` with a misquote (score 0.86 against its source)
/// and an exact quote, each of its own source.
fn project() -> Scratch {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path().join(".git")).unwrap();
    std::fs::create_dir_all(s.path().join("claims/sources")).unwrap();
    std::fs::create_dir_all(s.path().join("docs/deep")).unwrap();
    s.write(
        "claims/sources/fox.txt",
        "The quick brown fox jumps over the lazy dog.\n",
    );
    s.write(
        "claims/sources/ask.txt",
        "Off the record I don't know who that is, but I'll ask around.\n",
    );
    s.write(
        "claims/story.yaml",
        "sources:\n  fox:\n    versions:\n      text: sources/fox.txt\n  ask:\n    versions:\n      text: sources/ask.txt\n\
         claims:\n  - id: misquote\n    source: fox\n    quote: \"The quick brown cat jumps over the lazy dog\"\n\
         \x20 - id: ask\n    source: ask\n    quote: \"I'll ask around\"\n",
    );
    s
}

#[test]
fn check_validate_and_find_work_from_a_subdirectory() {
    let s = project();
    let deep = s.path().join("docs/deep");
    let (code, out, err) = run(&deep, &["check"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("../../claims/story.yaml"), "{out}");
    assert!(out.contains("2 claims: 1 exact, 1 approximate"), "{out}");
    let (code, out, _) = run(&deep, &["validate"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("1 claims file, 2 claims: valid"), "{out}");
    let (code, out, err) = run(&deep, &["find", "fox", "lazy dog"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("../../claims/sources/fox.txt:1:"), "{out}");
}

#[test]
fn each_layer_overrides_the_one_below() {
    let s = project();
    let deep = s.path().join("docs/deep");
    // A quote that differs from its source only in case: exact, unless strict.
    let claims = "sources:\n  fox:\n    versions:\n      text: sources/fox.txt\n\
                  claims:\n  - id: case\n    quote: \"the quick brown fox jumps\"\n";
    s.write("claims/story.yaml", claims);
    let (code, out, _) = run(&deep, &["check"]);
    assert_eq!(code, Some(0), "defaults: not strict, {out}");
    // quotecheck.toml over the defaults.
    s.write("quotecheck.toml", "[settings]\nstrict = true\n");
    let (code, out, _) = run(&deep, &["check"]);
    assert_eq!(code, Some(1), "strict from quotecheck.toml: {out}");
    assert!(out.contains("approximate case"), "{out}");
    // The claims file's own settings over quotecheck.toml.
    s.write(
        "claims/story.yaml",
        &format!("settings:\n  strict: false\n{claims}"),
    );
    let (code, out, _) = run(&deep, &["check"]);
    assert_eq!(code, Some(0), "the file's strict: false wins: {out}");
    // Flags over the claims file.
    let (code, _, _) = run(&deep, &["check", "--strict"]);
    assert_eq!(code, Some(1), "--strict wins over the file");
    // Policy: the file's over the default, the flag's over the file's.
    s.write("quotecheck.toml", "fail_on = \"never\"\n");
    let (code, _, _) = run(&deep, &["check", "--strict"]);
    assert_eq!(code, Some(0), "fail_on = never from quotecheck.toml");
    let (code, _, _) = run(&deep, &["check", "--strict", "--fail-on", "approximate"]);
    assert_eq!(code, Some(1), "--fail-on wins over the file");
    // --isolated reads no configuration.
    let (code, _, _) = run(&deep, &["check", "--strict", "--isolated"]);
    assert_eq!(code, Some(1));
}

#[test]
fn the_configuration_sets_paths_formats_and_outputs() {
    let s = project();
    s.write(
        "quotecheck.toml",
        "claims = [\"claims/story.yaml\"]\nformat = \"json\"\noutput = [\"junit=out/report.xml\"]\n",
    );
    std::fs::create_dir_all(s.path().join("out")).unwrap();
    let (code, out, _) = run(&s.path().join("docs"), &["check"]);
    assert_eq!(code, Some(1));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["claims"], 2);
    let junit = std::fs::read_to_string(s.path().join("out/report.xml")).unwrap();
    assert!(junit.contains("<testsuite"), "{junit}");
    // The flag's format wins over the file's.
    let (_, out, _) = run(&s.path().join("docs"), &["check", "--format", "human"]);
    assert!(out.contains("2 claims:"), "{out}");
}

#[test]
fn pyproject_and_a_named_config_are_read_and_errors_point_at_the_key() {
    let s = project();
    s.write(
        "pyproject.toml",
        "[project]\nname = \"x\"\n\n[tool.quotecheck]\nfail_on = \"never\"\n",
    );
    let (code, _, _) = run(s.path(), &["check"]);
    assert_eq!(code, Some(0), "fail_on = never from pyproject.toml");
    s.write("other.toml", "[settings]\nthresold = 0.9\n");
    let (code, _, err) = run(s.path(), &["check", "--config", "other.toml"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown key `thresold`"), "{err}");
    assert!(err.contains("other.toml:2:1"), "{err}");
    assert!(err.contains("did you mean `threshold`?"), "{err}");
    s.write("other.toml", "formt = \"json\"\n");
    let (_, _, err) = run(s.path(), &["check", "--config", "other.toml"]);
    assert!(err.contains("did you mean `format`?"), "{err}");
    s.write(
        "other.toml",
        "[settings]\nellipsis_gap = 18446744073709551615\n",
    );
    let (code, _, err) = run(s.path(), &["check", "--config", "other.toml"]);
    assert_eq!(code, Some(2), "{err}");
    // A configuration that cannot be read stops the run; `init` never reads it.
    s.write("quotecheck.toml", "fail_on = [\n");
    let (code, _, err) = run(s.path(), &["check"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("quotecheck.toml:"), "{err}");
    let (code, _, _) = run(&s.path().join("docs"), &["init", "."]);
    assert_eq!(code, Some(0));
}

#[test]
fn only_and_source_check_some_claims_and_count_the_rest_as_not_checked() {
    let s = project();
    let (code, out, _) = run(s.path(), &["check", "--only", "ask"]);
    assert_eq!(code, Some(0), "the misquote is not checked: {out}");
    assert!(out.contains("1 claim: 1 exact"), "{out}");
    assert!(
        out.contains("1 claim not checked: 1 not named by --only"),
        "{out}"
    );
    let (code, out, _) = run(s.path(), &["check", "--source", "fox", "--format", "json"]);
    assert_eq!(code, Some(1));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["not_checked"], 1);
    assert_eq!(doc["skipped"][0]["reason"], "source");
    // A name no claims file has is an error, not a run that checks nothing and passes.
    let (code, _, err) = run(s.path(), &["check", "--only", "misqoute"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("did you mean `misquote`?"), "{err}");
    let (code, _, err) = run(s.path(), &["check", "--source", "nowhere"]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn changed_since_checks_what_changed_in_claims_files_and_sources() {
    let s = project();
    std::fs::remove_dir_all(s.path().join(".git")).unwrap();
    git(s.path(), &["init", "-q"]);
    git(s.path(), &["add", "."]);
    git(s.path(), &["commit", "-qm", "first"]);
    let (code, out, _) = run(s.path(), &["check", "--changed-since", "HEAD"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("2 claims not checked: 2 unchanged since --changed-since"),
        "{out}"
    );
    // A changed source brings in its claims only.
    s.write(
        "claims/sources/ask.txt",
        "Off the record I don't know who that is, but I'll ask around, he said.\n",
    );
    let (code, out, _) = run(s.path(), &["check", "--changed-since", "HEAD"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("1 claim: 1 exact"), "{out}");
    // A changed claims file brings in all of its claims.
    let story = std::fs::read_to_string(s.path().join("claims/story.yaml")).unwrap();
    s.write("claims/story.yaml", &format!("{story}\n"));
    let (code, out, _) = run(s.path(), &["check", "--changed-since", "HEAD"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("2 claims:"), "{out}");
    // A revision git does not know, and a directory that is no repository, are errors.
    let (code, _, err) = run(s.path(), &["check", "--changed-since", "no-such-branch"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--changed-since no-such-branch"), "{err}");
    let outside = Scratch::new();
    outside.claims("  - id: q\n    quote: \"the lazy dog\"\n");
    let (code, _, err) = run(outside.path(), &["check", "--changed-since", "HEAD", "."]);
    assert_eq!(code, Some(2));
    assert!(err.contains("git failed"), "{err}");
}

#[test]
fn a_baseline_lets_known_failures_pass_until_they_change() {
    let s = project();
    let (code, _, err) = run(s.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(
        code,
        Some(0),
        "writing the baseline takes in today's failures"
    );
    assert!(
        err.contains("wrote baseline.json: 1 claim that falls short"),
        "{err}"
    );
    let (code, out, _) = run(s.path(), &["check", "--baseline", "baseline.json"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("BASELINED"), "{out}");
    assert!(out.contains("0 failed, 1 baselined"), "{out}");
    // A new failure fails.
    let story = std::fs::read_to_string(s.path().join("claims/story.yaml")).unwrap();
    s.write(
        "claims/story.yaml",
        &format!("{story}  - id: new\n    source: ask\n    quote: \"I will ask around\"\n"),
    );
    let (code, out, _) = run(s.path(), &["check", "-q", "--baseline", "baseline.json"]);
    assert_eq!(code, Some(1));
    assert!(out.contains("new"), "{out}");
    assert!(
        !out.contains("misquote"),
        "quiet hides the baselined claim: {out}"
    );
    // A baselined claim that changes fails again.
    s.write(
        "claims/story.yaml",
        &story.replace("brown cat", "brown cats"),
    );
    let (code, _, _) = run(s.path(), &["check", "--baseline", "baseline.json"]);
    assert_eq!(code, Some(1));
    // A missing or broken baseline is an error.
    let (code, _, err) = run(s.path(), &["check", "--baseline", "nope.json"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot read the baseline"), "{err}");
}

#[test]
fn a_bad_word_count_on_the_command_line_is_refused() {
    let s = project();
    quotecheck()
        .current_dir(s.path())
        .args(["check", "--ellipsis-gap", "18446744073709551615"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "ellipsis_gap 18446744073709551615 is out of range",
        ));
}

#[test]
fn merged_shards_count_the_claims_not_checked_once() {
    let s = project();
    let mut parts = Vec::new();
    for i in 1..=2 {
        let path = s.path().join(format!("part{i}.json"));
        let (_, out, _) = run(
            s.path(),
            &[
                "check",
                "--format",
                "json",
                "--shard",
                &format!("{i}/2"),
                "--only",
                "ask",
            ],
        );
        std::fs::write(&path, out).unwrap();
        parts.push(path.display().to_string());
    }
    let mut args = vec!["merge", "--format", "json"];
    args.extend(parts.iter().map(String::as_str));
    let (code, out, err) = run(s.path(), &args);
    assert_eq!(code, Some(0), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["claims"], 1);
    assert_eq!(
        doc["summary"]["not_checked"], 1,
        "the misquote, not named by --only"
    );
}

#[test]
fn the_readme_configuration_is_a_valid_one() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let toml = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README.md shows a quotecheck.toml");
    let s = project();
    s.write("quotecheck.toml", toml);
    let (code, out, err) = run(&s.path().join("docs"), &["validate"]);
    assert_eq!(code, Some(0), "{out}{err}");
    // Its every key is read: one misspelt is refused.
    s.write(
        "quotecheck.toml",
        &toml.replace("fail_on_stale", "fail_on_stal"),
    );
    let (code, _, err) = run(s.path(), &["validate"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("did you mean `fail_on_stale`?"), "{err}");
}
