//! The files that install quotecheck elsewhere: the pre-commit hooks, the GitHub Action and
//! the CI examples of `docs/ci.md`, each parsed and held to what its system needs.

use std::path::Path;

use serde_json::Value;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The ```yaml blocks of a Markdown file.
fn yaml_blocks(markdown: &str) -> Vec<Value> {
    markdown
        .split("```yaml\n")
        .skip(1)
        .map(|rest| yaml(rest.split("```").next().unwrap()))
        .collect()
}

fn installs(run: &str) -> bool {
    run.contains("cargo install --locked")
}

#[test]
fn the_ci_examples_are_complete_and_parse() {
    let blocks = yaml_blocks(&read("docs/ci.md"));
    let hook_ids: Vec<String> = yaml(&read(".pre-commit-hooks.yaml"))
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    let (mut github, mut gitlab, mut precommit) = (0, 0, 0);
    for b in &blocks {
        if let Some(jobs) = b.get("jobs").and_then(Value::as_object) {
            github += 1;
            for (name, job) in jobs {
                assert!(job.get("runs-on").is_some(), "job {name} has no runs-on");
                let steps = job["steps"].as_array().unwrap();
                let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
                assert!(
                    runs.iter().any(|r| installs(r)),
                    "job {name} installs nothing"
                );
                assert!(runs.iter().any(|r| r.contains("quotecheck ")), "{name}");
            }
        } else if let Some(repos) = b.get("repos") {
            precommit += 1;
            for hook in repos[0]["hooks"].as_array().unwrap() {
                let id = hook["id"].as_str().unwrap();
                assert!(hook_ids.iter().any(|h| h == id), "no hook {id}");
            }
        } else {
            gitlab += 1;
            let job = &b["quotecheck"];
            let script: Vec<&str> = job["script"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect();
            assert!(script.iter().any(|s| installs(s)));
            assert_eq!(job["artifacts"]["reports"]["junit"], "quotecheck.xml");
        }
    }
    assert_eq!((github, gitlab, precommit), (3, 1, 1));
}

#[test]
fn the_action_installs_and_checks_with_annotations() {
    let action = yaml(&read("action.yml"));
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.iter().any(|r| installs(r)));
    assert!(runs.iter().any(|r| r.contains("--format github")));
    for s in steps.iter().filter(|s| s.get("run").is_some()) {
        assert_eq!(s["shell"], "bash", "a composite step needs its shell");
    }
}

#[test]
fn the_hooks_run_quotecheck_on_claims_changes() {
    let hooks = yaml(&read(".pre-commit-hooks.yaml"));
    for h in hooks.as_array().unwrap() {
        assert_eq!(h["language"], "rust");
        assert!(h["entry"].as_str().unwrap().starts_with("quotecheck "));
        assert!(h["files"].as_str().unwrap().starts_with("^claims/"));
    }
}

fn schema(which: &str) -> Value {
    let out = crate::support::quotecheck()
        .args(["schema", which])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The property names a schema object (or a `$defs` entry) lists.
fn properties(object: &Value) -> Vec<String> {
    let mut names: Vec<String> = object["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

fn keys(v: &Value) -> Vec<String> {
    let mut names: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    names.sort();
    names
}

#[test]
fn the_report_schema_names_every_field_the_report_writes() {
    let schema = schema("report");
    let out = crate::support::quotecheck()
        .args(["check", "--format", "json", "--shard", "1/2"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    // `errors` is written only by a run that could not start.
    let mut written = keys(&report);
    written.push("errors".into());
    written.sort();
    assert_eq!(properties(&schema), written);
    let defs = &schema["$defs"];
    let claim = &report["claims"][0];
    assert_eq!(properties(&defs["ClaimRecord"]), keys(claim));
    assert_eq!(
        properties(&defs["VersionRecord"]),
        keys(&claim["versions"][0])
    );
    assert_eq!(properties(&defs["Summary"]), keys(&report["summary"]));
    assert_eq!(properties(&defs["SetRecord"]), keys(&report["set"]));
}

#[test]
fn the_claims_schema_knows_every_key_and_refuses_others() {
    let schema = schema("claims");
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(properties(&schema), ["claims", "settings", "sources"]);
    let claim = &schema["$defs"]["RawClaim"];
    assert_eq!(claim["additionalProperties"], false);
    // Every key the bundled example's claims use is in the schema.
    let example = read("claims/atlantic-wikileaks.yaml");
    let file = yaml(&example);
    let known = properties(claim);
    for c in file["claims"].as_array().unwrap() {
        for k in keys(c) {
            assert!(known.contains(&k), "the schema lacks `{k}`");
        }
    }
    let verdicts = &schema["$defs"]["Verdict"];
    assert!(verdicts.to_string().contains("approximate"), "{verdicts}");
}
