//! The results cache: a run checks again only what changed, gives the same bytes as a run
//! without it, and never trusts a cache it did not write whole, nor one that came with the
//! checkout.

use std::path::{Path, PathBuf};

use crate::support::{Scratch, concurrently, git, run};

/// A project with an exact quote, a misquote, a missing quote and a fact.
fn project() -> Scratch {
    let s = Scratch::new();
    s.claims(
        "  - {id: exact, quote: \"the lazy dog\"}\n\
         \x20 - {id: misquote, quote: \"The quick brown cat jumps over the lazy dog\"}\n\
         \x20 - {id: absent, quote: \"an elephant sat on the piano\", expect: missing}\n\
         \x20 - {id: fact, fact: \"He said he would ask around\", expect: approximate}\n",
    );
    s
}

fn json(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["check", "--format", "json", "."];
    args.extend_from_slice(extra);
    let (code, out, err) = run(dir, &args);
    assert!(matches!(code, Some(0 | 1)), "{err}");
    out
}

/// How many claims the human report says came from the cache.
fn reused(dir: &Path) -> usize {
    let (_, out, err) = run(dir, &["check", "."]);
    let summary = out.lines().last().unwrap_or_default().to_string();
    match summary
        .split(", ")
        .last()
        .and_then(|t| t.strip_suffix(" from the cache)"))
    {
        Some(n) => n.parse().unwrap(),
        None => {
            assert!(summary.contains('s'), "{summary}\n{err}");
            0
        }
    }
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let v1 = dir.join(".quotecheck_cache/v1");
    let mut files: Vec<PathBuf> = std::fs::read_dir(v1)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "jsonl"));
    files
}

#[test]
fn a_second_run_checks_nothing_again_and_writes_the_same_bytes() {
    let s = project();
    let uncached = json(s.path(), &["--no-cache"]);
    assert!(
        !s.path().join(".quotecheck_cache").exists(),
        "--no-cache writes nothing"
    );
    let cold = json(s.path(), &[]);
    let tag = std::fs::read_to_string(s.path().join(".quotecheck_cache/CACHEDIR.TAG")).unwrap();
    assert!(tag.starts_with("Signature: 8a477f597d28d172789f06886806bc55"));
    let ignore = std::fs::read_to_string(s.path().join(".quotecheck_cache/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*"));
    let warm = json(s.path(), &[]);
    assert_eq!(uncached, cold);
    assert_eq!(uncached, warm);
    assert_eq!(reused(s.path()), 4);
    // Every other format reads the same records.
    for format in ["junit", "sarif", "markdown", "github", "jsonl"] {
        let (_, a, _) = run(s.path(), &["check", "--format", format, ".", "--no-cache"]);
        let (_, b, _) = run(s.path(), &["check", "--format", format, "."]);
        assert_eq!(a, b, "{format}");
    }
}

#[test]
fn what_changed_is_checked_again_and_nothing_else() {
    let s = project();
    json(s.path(), &[]);
    // One claim changed: only it.
    let claims = std::fs::read_to_string(s.path().join("claims.yaml")).unwrap();
    s.write(
        "claims.yaml",
        &claims.replace("brown cat jumps", "brown fox jumps"),
    );
    assert_eq!(reused(s.path()), 3);
    assert_eq!(json(s.path(), &[]), json(s.path(), &["--no-cache"]));
    // A claim moved down a line (a comment above it): reused, at its new line.
    s.write(
        "claims.yaml",
        &claims.replace("claims:\n", "claims:\n  # moved\n"),
    );
    let moved = json(s.path(), &[]);
    assert_eq!(moved, json(s.path(), &["--no-cache"]));
    assert!(moved.contains("\"line\":7"), "{moved}");
    assert_eq!(reused(s.path()), 4);
    // Settings given by a flag: every claim again.
    let (_, out, _) = run(s.path(), &["check", ".", "--threshold", "0.5"]);
    assert!(!out.contains("from the cache"), "{out}");
    // The source changed: every claim of it again, with the new verdicts.
    s.write(
        "article.txt",
        "The quick brown cat jumps over the lazy dog.\n",
    );
    assert_eq!(reused(s.path()), 0);
    let report = json(s.path(), &[]);
    assert_eq!(report, json(s.path(), &["--no-cache"]));
    assert!(report.contains("\"id\":\"misquote\""));
}

/// The line of the cache file that holds claim `id`'s record, and the file.
fn line_of(dir: &Path, id: &str) -> (PathBuf, String, String) {
    for file in cache_files(dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        if let Some(line) = text
            .lines()
            .find(|l| l.contains(&format!("\"id\":\"{id}\"")))
        {
            return (file.clone(), text.clone(), line.to_string());
        }
    }
    panic!("no record of {id} in the cache");
}

/// `line` with its record changed to say the claim is exact and passes, and its check made
/// to match: what someone who can write the cache could leave there.
fn forged(line: &str) -> String {
    let (head, json) = line.split_at(66);
    let json = json
        .replace("\"passed\":false", "\"passed\":true")
        .replace("\"verdict\":\"approximate\"", "\"verdict\":\"exact\"");
    let check: String = blake3::hash(json.as_bytes()).as_bytes()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{} {check} {json}", &head[..32])
}

#[test]
fn a_damaged_or_foreign_cache_is_never_trusted() {
    let s = project();
    let honest = json(s.path(), &["--no-cache"]);
    json(s.path(), &[]);
    let (file, text, line) = line_of(s.path(), "misquote");
    // A record changed without its check: not used, the claim checked again.
    let changed = line.replace("\"passed\":false", "\"passed\":true");
    std::fs::write(&file, text.replace(&line, &changed)).unwrap();
    assert_eq!(json(s.path(), &[]), honest);
    // The human count says what was reused, not what the cache seemed to hold.
    std::fs::write(&file, text.replace(&line, &changed)).unwrap();
    assert_eq!(reused(s.path()), 3, "the changed record is checked again");
    // Cut short, garbage, of another version, or not a file: ignored, and rebuilt.
    let foreign = text.replacen("quotecheck-cache 1 ", "quotecheck-cache 1 0.0.1-", 1);
    let damaged: [&[u8]; 3] = [
        &text.as_bytes()[..text.len() / 2],
        b"\x00\xff garbage\n",
        foreign.as_bytes(),
    ];
    for bytes in damaged {
        std::fs::write(&file, bytes).unwrap();
        assert_eq!(json(s.path(), &[]), honest);
        assert_eq!(reused(s.path()), 4, "rebuilt");
    }
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    assert_eq!(json(s.path(), &[]), honest);
}

#[test]
fn a_cache_that_git_tracks_is_not_used() {
    let s = project();
    git(s.path(), &["init", "-q"]);
    let honest = json(s.path(), &["--no-cache"]);
    json(s.path(), &[]);
    let (file, text, line) = line_of(s.path(), "misquote");
    std::fs::write(&file, text.replace(&line, &forged(&line))).unwrap();
    // Written here, the cache is this machine's own, and believed.
    let believed = json(s.path(), &[]);
    assert!(believed.contains("\"failed\":0"), "{believed}");
    // Committed (as a pull request could), it is not read.
    git(s.path(), &["add", "-f", ".quotecheck_cache"]);
    git(s.path(), &["commit", "-qm", "results"]);
    let (code, out, err) = run(s.path(), &["check", "--format", "json", "."]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(out, honest);
    assert!(
        err.contains("is tracked by git: it came with the checkout, so it is not used"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text.replace(&line, &forged(&line)),
        "nor written"
    );
}

#[test]
fn a_cache_directory_linked_out_of_the_project_is_not_used() {
    let s = project();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), s.path().join(".quotecheck_cache")).unwrap();
    let honest = json(s.path(), &["--no-cache"]);
    let (code, out, err) = run(s.path(), &["check", "--format", "json", "."]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(out, honest);
    assert!(
        err.contains("leads outside the project (a symlink?), so it is not used"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "nothing written there"
    );
    // Named on the command line, a directory anywhere is the user's to use.
    let (code, _, err) = run(
        s.path(),
        &[
            "check",
            ".",
            "--cache-dir",
            &outside.path().display().to_string(),
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(outside.path().join("v1").is_dir());
}

/// Twelve runs at once in `dir`, each of which must report `honest`.
fn twelve_at_once_report(dir: &Path, honest: &str) {
    concurrently(dir, 12, |i| {
        let out = format!("json=out{i}.json");
        let args = ["check", ".", "-q", "--exit-zero", "--output", &out];
        args.map(String::from).to_vec()
    });
    for i in 0..12 {
        let out = std::fs::read_to_string(dir.join(format!("out{i}.json"))).unwrap();
        assert_eq!(out, honest, "run {i}");
    }
}

#[test]
fn concurrent_runs_sharing_a_cache_never_corrupt_it() {
    let s = project();
    let honest = json(s.path(), &["--no-cache"]);
    twelve_at_once_report(s.path(), &honest);
    assert_eq!(reused(s.path()), 4);
    assert_eq!(json(s.path(), &[]), honest);
    // One claim changed, and its record added to the file by every run at once.
    let claims = std::fs::read_to_string(s.path().join("claims.yaml")).unwrap();
    s.write(
        "claims.yaml",
        &claims.replace("brown cat jumps", "brown fox jumps"),
    );
    let honest = json(s.path(), &["--no-cache"]);
    twelve_at_once_report(s.path(), &honest);
    assert_eq!(reused(s.path()), 4);
    assert_eq!(json(s.path(), &[]), honest);
}

/// The one cache file of `dir`: its inode and its lines.
fn the_cache_file(dir: &Path) -> (u64, Vec<String>) {
    use std::os::unix::fs::MetadataExt;
    let files = cache_files(dir);
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let ino = std::fs::metadata(&files[0]).unwrap().ino();
    (ino, text.lines().map(String::from).collect())
}

#[test]
fn a_changed_claim_s_record_is_added_until_much_of_the_file_is_out_of_date() {
    let s = Scratch::new();
    let claims = |changed: usize| -> String {
        (0..10)
            .map(|i| match i < changed {
                true => format!("  - {{id: q{i}, quote: \"the quick brown fox\"}}\n"),
                false => format!("  - {{id: q{i}, quote: \"over the lazy dog\"}}\n"),
            })
            .collect()
    };
    s.claims(&claims(0));
    json(s.path(), &[]);
    let (ino, lines) = the_cache_file(s.path());
    assert_eq!(lines.len(), 11, "a header and ten records");

    // One claim changed: its record is added to the file, the others stay where they are.
    s.claims(&claims(1));
    assert_eq!(json(s.path(), &[]), json(s.path(), &["--no-cache"]));
    let (same, added) = the_cache_file(s.path());
    assert_eq!(same, ino, "added to, not replaced");
    assert_eq!(added[..11], lines[..]);
    assert_eq!(
        added.len(),
        13,
        "a newline, then the changed claim's record"
    );
    assert_eq!(reused(s.path()), 10);

    // Half of them changed: more of the file would be out of date than is allowed, so it
    // is written again, holding only what is in use.
    s.claims(&claims(5));
    assert_eq!(json(s.path(), &[]), json(s.path(), &["--no-cache"]));
    let (new, rewritten) = the_cache_file(s.path());
    assert_ne!(new, ino, "replaced");
    assert_eq!(rewritten.len(), 11);
    assert_eq!(reused(s.path()), 10);
}

/// The kept index of the one source of `dir`'s cache, and its inode.
fn kept_index(dir: &Path) -> (PathBuf, u64) {
    use std::os::unix::fs::MetadataExt;
    let v1 = dir.join(".quotecheck_cache/v1");
    let mut kept: Vec<PathBuf> = std::fs::read_dir(v1)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "index"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let path = kept.pop().unwrap();
    let ino = std::fs::metadata(&path).unwrap().ino();
    (path, ino)
}

#[test]
fn a_large_source_s_index_is_kept_and_a_damaged_one_is_built_again() {
    let s = project();
    // 1.2 MB, over the size from which an index is kept; a small source's is not.
    json(s.path(), &[]);
    assert!(
        std::fs::read_dir(s.path().join(".quotecheck_cache/v1"))
            .unwrap()
            .all(|e| e.unwrap().path().extension().is_none_or(|e| e != "index")),
        "a small source's index is not kept"
    );
    let article = std::fs::read_to_string(s.path().join("article.txt")).unwrap();
    let large: String = (0..6_000)
        .map(|i| format!("Paragraph {i}: {article}"))
        .collect();
    assert!(large.len() > 1 << 20);
    s.write("article.txt", &large);
    let honest = json(s.path(), &["--no-cache"]);
    assert_eq!(json(s.path(), &[]), honest);
    let (index, ino) = kept_index(s.path());
    let whole = std::fs::read(&index).unwrap();

    // A claim changed: checked again against the kept index, which is read, not written.
    let claims = std::fs::read_to_string(s.path().join("claims.yaml")).unwrap();
    s.write(
        "claims.yaml",
        &claims.replace("brown cat jumps", "brown dog jumps"),
    );
    let changed = json(s.path(), &["--no-cache"]);
    assert_ne!(changed, honest);
    assert_eq!(json(s.path(), &[]), changed);
    assert_eq!(
        kept_index(s.path()),
        (index.clone(), ino),
        "loaded, not built"
    );

    // Damaged, cut short or emptied: built again, the same report, and kept whole again.
    let mut flipped = whole.clone();
    flipped[whole.len() / 2] ^= 1;
    let damaged: [&[u8]; 3] = [&flipped, &whole[..whole.len() - 1], b""];
    for (n, bytes) in damaged.into_iter().enumerate() {
        std::fs::write(&index, bytes).unwrap();
        let claims = claims.replace("brown cat jumps", &format!("brown cat {n} jumps"));
        s.write("claims.yaml", &claims);
        assert_eq!(json(s.path(), &[]), json(s.path(), &["--no-cache"]), "{n}");
        assert_eq!(std::fs::read(&index).unwrap(), whole, "{n}: kept again");
    }
}

#[test]
fn clean_removes_the_cache_and_nothing_else() {
    let s = project();
    json(s.path(), &[]);
    assert!(s.path().join(".quotecheck_cache").is_dir());
    let (code, _, err) = run(s.path(), &["clean"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("removed the cache"), "{err}");
    assert!(!s.path().join(".quotecheck_cache").exists());
    let (code, _, err) = run(s.path(), &["clean"]);
    assert_eq!(
        (code, err.contains("no cache at")),
        (Some(0), true),
        "{err}"
    );
    // A directory that is not a cache is kept.
    std::fs::create_dir(s.path().join("mine")).unwrap();
    s.write("mine/notes.txt", "mine");
    let (code, _, err) = run(s.path(), &["clean", "--cache-dir", "mine"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("not a quotecheck cache"), "{err}");
    assert!(s.path().join("mine/notes.txt").exists());
    // `--cache-dir` elsewhere, and `cache = false`.
    json(s.path(), &["--cache-dir", "elsewhere"]);
    assert!(s.path().join("elsewhere/v1").is_dir());
    s.write("quotecheck.toml", "claims = [\".\"]\ncache = false\n");
    std::fs::remove_dir_all(s.path().join("elsewhere")).unwrap();
    json(s.path(), &[]);
    assert!(!s.path().join(".quotecheck_cache").exists());
    s.write("quotecheck.toml", "cache_dir = \"../outside\"\n");
    let (code, _, err) = run(s.path(), &["check", "."]);
    assert_eq!(code, Some(2));
    assert!(err.contains("leads outside the project"), "{err}");
}
