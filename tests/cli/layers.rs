//! The library's layers, kept: each module uses only the layers below it, the disk is touched
//! only by `workspace`, `cache` and `authoring`, and the engine writes no report.

use std::path::{Path, PathBuf};

/// Every layer and the modules it may use (besides itself and the plain-data leaves).
const ALLOWED: &[(&str, &[&str])] = &[
    ("text", &[]),
    ("matcher", &["text"]),
    // The corpus keeps each document's token index.
    ("source", &["text", "matcher"]),
    // A quote's words are what its conventions leave.
    ("claims", &["text", "quote"]),
    ("quote", &["text", "source", "matcher"]),
    ("facts", &["text", "source", "matcher"]),
    ("check", &["text", "source", "matcher", "quote", "facts"]),
    ("report", &["check"]),
    ("workspace", &["text", "source", "matcher", "claims"]),
    // Results of earlier runs, as records, under the engine's keys; and the indexes a
    // corpus keeps there (`source::corpus::Keep`).
    ("cache", &["check", "report", "source"]),
    (
        "authoring",
        &[
            "text",
            "source",
            "matcher",
            "claims",
            "quote",
            "check",
            "workspace",
            "report",
        ],
    ),
    // The fuzz targets' bodies drive the whole library, as a program would.
    (
        "fuzz",
        &[
            "text",
            "source",
            "matcher",
            "claims",
            "quote",
            "check",
            "workspace",
            "report",
            "cache",
            "authoring",
        ],
    ),
];

/// Plain data any layer may use; `outcome` also names a position in a source, `stored` is
/// the binary form a kept index is written in (to any `Write`, never a file).
const LEAVES: &[&str] = &[
    "model",
    "outcome",
    "config",
    "diagnostic",
    "digest",
    "error",
    "stored",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The library's files (not the binary's), each with its layer: its first path component
/// under `src/`, without `.rs`.
fn library_files() -> Vec<(String, PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .filter(|p| !p.starts_with(src.join("bin")))
        .map(|p| {
            let rel = p.strip_prefix(&src).unwrap();
            let first = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            let layer = first.trim_end_matches(".rs").to_string();
            let text = std::fs::read_to_string(&p).unwrap();
            (layer, rel.to_path_buf(), text)
        })
        .collect()
}

/// The crate modules a file names: `crate::X` anywhere in its code (comments too, which is
/// stricter than needed but keeps doc links honest).
fn uses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

/// Every problem `wrong` finds in a library file (its layer, path and text), asserted to be
/// none under `headline`.
fn assert_none(headline: &str, wrong: impl Fn(&str, &Path, &str) -> Vec<String>) {
    let found: Vec<String> = library_files()
        .iter()
        .flat_map(|(layer, path, text)| wrong(layer, path, text))
        .collect();
    assert!(found.is_empty(), "{headline}:\n{}", found.join("\n"));
}

/// The modules layer `layer` may use besides itself and the leaves.
fn allowed(layer: &str, path: &Path) -> &'static [&'static str] {
    if layer == "outcome" {
        return &["source"];
    }
    if LEAVES.contains(&layer) {
        return &[];
    }
    match ALLOWED.iter().find(|(l, _)| *l == layer) {
        Some((_, a)) => a,
        None => panic!("{} is in no layer: add it to ALLOWED", path.display()),
    }
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    assert_none(
        "dependencies that point up or sideways",
        |layer, path, text| {
            if layer == "lib" {
                return Vec::new(); // the crate root re-exports from every layer
            }
            let allowed = allowed(layer, path);
            uses(text)
                .into_iter()
                .filter(|u| {
                    u != layer && !LEAVES.contains(&u.as_str()) && !allowed.contains(&u.as_str())
                })
                .map(|u| format!("{} ({layer}) uses crate::{u}", path.display()))
                .collect()
        },
    );
}

#[test]
fn only_workspace_cache_and_authoring_touch_the_disk() {
    assert_none(
        "disk access outside workspace, cache and authoring",
        |layer, path, text| {
            if ["workspace", "cache", "authoring"].contains(&layer) {
                return Vec::new();
            }
            ["std::fs", "File::open", "fs::read", "canonicalize("]
                .into_iter()
                .filter(|needle| text.contains(needle))
                .map(|needle| format!("{} has `{needle}`", path.display()))
                .collect()
        },
    );
}

#[test]
fn the_layer_rules_see_what_they_forbid() {
    // The checks above are only as good as their reading of a file.
    assert_eq!(
        uses("use crate::report::Reporter;\nlet x = crate::check::Shard;"),
        ["report", "check"]
    );
    let check = library_files().into_iter().find(|(l, _, _)| l == "check");
    assert!(check.is_some(), "the engine's files were found");
}
