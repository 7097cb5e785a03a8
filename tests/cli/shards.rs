//! Splitting a claims set into shards for a CI matrix, and merging the shards' reports.

use crate::support::quotecheck;
use predicates::prelude::*;
use serde_json::Value;

fn shard_report(dir: &std::path::Path, i: usize, n: usize) -> std::path::PathBuf {
    let out = quotecheck()
        .args(["check", "--format", "json", "--shard", &format!("{i}/{n}")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let path = dir.join(format!("part{i}.json"));
    std::fs::write(&path, &out.stdout).unwrap();
    path
}

#[test]
fn shards_partition_the_claims_and_merge_back_to_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let parts: Vec<_> = (1..=3).map(|i| shard_report(dir.path(), i, 3)).collect();
    let mut ids: Vec<String> = Vec::new();
    for p in &parts {
        let r: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
        assert_eq!(r["shard"]["count"], 3);
        ids.extend(
            r["claims"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| format!("{}#{}", c["file"], c["id"])),
        );
    }
    let whole = quotecheck()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let whole: Value = serde_json::from_slice(&whole.stdout).unwrap();
    let mut all: Vec<String> = whole["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{}#{}", c["file"], c["id"]))
        .collect();
    ids.sort();
    all.sort();
    assert_eq!(ids, all, "every claim in exactly one shard");

    let merged = quotecheck()
        .arg("merge")
        .arg("--format")
        .arg("json")
        .args(&parts)
        .output()
        .unwrap();
    assert_eq!(merged.status.code(), Some(0));
    let merged: Value = serde_json::from_slice(&merged.stdout).unwrap();
    assert_eq!(merged["summary"], whole["summary"]);
    // The same claims, in the order one run reports them, with the same run notes.
    assert_eq!(merged["claims"], whole["claims"]);
    assert_eq!(merged["notes"], whole["notes"]);
    assert_eq!(merged["findings"], whole["findings"]);
}

#[test]
fn a_merged_report_for_people_is_the_quiet_report_of_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let parts: Vec<_> = (1..=2).map(|i| shard_report(dir.path(), i, 2)).collect();
    let merged = quotecheck()
        .args(["merge", "--color", "never"])
        .args(&parts)
        .output()
        .unwrap();
    let whole = quotecheck()
        .args(["check", "-q", "--color", "never"])
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
    // Only the timing differs: a merge has no run of its own to time.
    let whole = text(&whole.stdout);
    let whole = whole.trim_end().rsplit_once(" (").unwrap().0.to_string() + "\n";
    assert_eq!(text(&merged.stdout), whole);
}

#[test]
fn the_same_claim_always_lands_in_the_same_shard() {
    let dir = tempfile::tempdir().unwrap();
    let a = std::fs::read(shard_report(dir.path(), 2, 4)).unwrap();
    let b = std::fs::read(shard_report(dir.path(), 2, 4)).unwrap();
    let ids = |bytes: &[u8]| -> Vec<String> {
        let r: Value = serde_json::from_slice(bytes).unwrap();
        r["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].to_string())
            .collect()
    };
    assert_eq!(ids(&a), ids(&b));
}

#[test]
fn a_missing_or_repeated_shard_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p1 = shard_report(dir.path(), 1, 3);
    let p3 = shard_report(dir.path(), 3, 3);
    quotecheck()
        .arg("merge")
        .args([&p1, &p3])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shards missing: 2/3"))
        .stderr(predicate::str::contains("nothing was merged"));
    quotecheck()
        .arg("merge")
        .args([&p1, &p1, &p3])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shard 1/3 again"));
    quotecheck()
        .args(["check", "--shard", "4/3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a shard"));
}

#[test]
fn a_failing_claim_in_any_shard_fails_the_merge() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "the quick brown fox jumps over the lazy dog\n",
    )
    .unwrap();
    let mut yaml = String::from("sources:\n  a:\n    versions:\n      t: a.txt\nclaims:\n");
    for i in 0..12 {
        yaml.push_str(&format!(
            "  - {{id: c{i}, quote: \"the quick brown fox\"}}\n"
        ));
    }
    yaml.push_str("  - {id: bad, quote: \"the slow red fox\"}\n");
    std::fs::write(dir.path().join("claims.yaml"), yaml).unwrap();
    let mut parts = Vec::new();
    for i in 1..=2 {
        let out = quotecheck()
            .current_dir(dir.path())
            .args([
                "check",
                "--format",
                "json",
                "--shard",
                &format!("{i}/2"),
                "claims.yaml",
            ])
            .output()
            .unwrap();
        let p = dir.path().join(format!("p{i}.json"));
        std::fs::write(&p, &out.stdout).unwrap();
        parts.push(p);
    }
    quotecheck()
        .arg("merge")
        .args(&parts)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("bad"))
        .stdout(predicate::str::contains(
            "13 claims: 12 exact, 0 approximate, 1 missing; 1 failed",
        ));
}

#[test]
fn every_job_agrees_on_the_shard_of_a_claim_however_it_names_the_files() {
    // `claims` in one job and `./claims` in another once split the set differently: claims
    // went unchecked, others were checked twice, and the merge said all was well.
    let ids = |path: &str, i: usize| -> Vec<String> {
        let out = quotecheck()
            .args([
                "check",
                path,
                "--format",
                "json",
                "--shard",
                &format!("{i}/2"),
            ])
            .output()
            .unwrap();
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        r["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("{}#{}", c["file"], c["id"]))
            .collect()
    };
    let mut both = ids("claims", 1);
    both.extend(ids("./claims", 2));
    let mut all = ids("claims", 1);
    all.extend(ids("claims", 2));
    both.sort();
    all.sort();
    assert_eq!(both, all);
    let unique: std::collections::BTreeSet<&String> = both.iter().collect();
    assert_eq!(unique.len(), both.len(), "no claim in two shards");
}

#[test]
fn merge_refuses_shards_of_another_set_a_claim_twice_or_one_lost() {
    let dir = tempfile::tempdir().unwrap();
    let parts: Vec<_> = (1..=2).map(|i| shard_report(dir.path(), i, 2)).collect();
    let merge =
        |files: &[&std::path::Path]| quotecheck().arg("merge").args(files).output().unwrap();
    // A shard of a set with one claim more.
    let mut other: Value = serde_json::from_slice(&std::fs::read(&parts[1]).unwrap()).unwrap();
    other["set"]["claims"] = (other["set"]["claims"].as_u64().unwrap() + 1).into();
    other["set"]["digest"] = "0000000000000000".into();
    let other_path = dir.path().join("other.json");
    std::fs::write(&other_path, other.to_string()).unwrap();
    let out = merge(&[&parts[0], &other_path]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("this shard is of another claims set"), "{err}");
    // A report cut short: a claim of the set was never checked.
    let mut cut: Value = serde_json::from_slice(&std::fs::read(&parts[1]).unwrap()).unwrap();
    cut["claims"].as_array_mut().unwrap().pop();
    let cut_path = dir.path().join("cut.json");
    std::fs::write(&cut_path, cut.to_string()).unwrap();
    let out = merge(&[&parts[0], &cut_path]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("the set has 91 claims but the reports hold 90"),
        "{err}"
    );
    // The same whole report twice: every claim in two reports.
    let whole = dir.path().join("whole.json");
    let out = quotecheck()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    std::fs::write(&whole, out.stdout).unwrap();
    let out = merge(&[&whole, &whole]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("is in two reports"), "{err}");
}
