//! Hostile input, as a pull request nobody trusts could bring it (`tests/hostile/README.md`):
//! each case ends (the timeout is a hang guard, not a timing), exits as it should, says why,
//! and never shows a file from outside the project.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::{Scratch, quotecheck};

/// Long enough for a debug build on a busy machine; a hang is minutes.
const GUARD: Duration = Duration::from_secs(60);

const SECRET: &str = "SECRET_TOKEN=hunter2-3f9a1c";

struct Run {
    code: Option<i32>,
    out: String,
    err: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = quotecheck()
        .current_dir(dir)
        .args(["--color", "never"])
        .args(args)
        .timeout(GUARD)
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        out: String::from_utf8_lossy(&out.stdout).into_owned(),
        err: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(name)
}

/// A repository (`.git`) with `claims/`, and a secret in a directory beside it.
struct Repo {
    repo: Scratch,
    outside: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Scratch::new();
        std::fs::create_dir_all(repo.path().join(".git")).unwrap();
        std::fs::create_dir_all(repo.path().join("claims/sources")).unwrap();
        repo.write(
            "claims/sources/a.txt",
            "The quick brown fox jumps over the lazy dog.\n",
        );
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), format!("{SECRET}\n")).unwrap();
        Repo { repo, outside }
    }

    fn dir(&self) -> &Path {
        self.repo.path()
    }

    fn secret(&self) -> PathBuf {
        self.outside.path().join("secret.txt")
    }

    /// `claims/x.yaml` with a fact about SECRET_TOKEN in a source whose version is `version`.
    fn claims(&self, version: &str) {
        self.repo.write(
            "claims/x.yaml",
            &format!(
                "sources:\n  s:\n    versions:\n      t: \"{version}\"\nclaims:\n  - id: f\n    fact: The token is SECRET_TOKEN\n    keys: [SECRET_TOKEN]\n"
            ),
        );
    }

    /// Every way of reading the claims file refuses, and the secret is nowhere.
    fn assert_refused(&self, why: &str) {
        let report = self.dir().join("report.json");
        let runs = [
            run(self.dir(), &["check"]),
            run(self.dir(), &["check", "--format", "json"]),
            run(self.dir(), &["check", "--output", "json=report.json", "-v"]),
            run(self.dir(), &["find", "s", "SECRET_TOKEN"]),
            run(self.dir(), &["validate"]),
            run(
                self.dir(),
                &["add", "claims/x.yaml", "--fact", "SECRET_TOKEN is hunter2"],
            ),
        ];
        for r in &runs {
            assert_eq!(r.code, Some(2), "{why}: {}{}", r.out, r.err);
            assert!(
                r.err.contains("outside the project root"),
                "{why}: {}",
                r.err
            );
            for text in [&r.out, &r.err] {
                assert!(
                    !text.contains("hunter2"),
                    "{why}: the secret leaked: {text}"
                );
            }
        }
        if let Ok(written) = std::fs::read_to_string(&report) {
            assert!(!written.contains("hunter2"), "{why}: {written}");
        }
    }
}

#[test]
fn a_version_outside_the_project_is_refused_however_it_is_named() {
    let r = Repo::new();
    r.claims(&r.secret().display().to_string());
    r.assert_refused("an absolute path");
    let up = pathdiff(r.dir().join("claims").as_path(), &r.secret());
    r.claims(&up);
    r.assert_refused("a path up with ..");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(r.secret(), r.dir().join("claims/sources/link.txt")).unwrap();
        r.claims("sources/link.txt");
        r.assert_refused("a symlink inside the project");
        // The user's own flag reads it.
        let ok = run(r.dir(), &["check", "--allow-outside-root"]);
        assert!(matches!(ok.code, Some(0 | 1)), "{}", ok.err);
    }
}

/// `to` relative to directory `from`, through `..`.
fn pathdiff(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(unix)]
#[test]
fn a_claims_file_that_is_a_link_out_of_the_project_is_refused_and_a_named_file_is_read() {
    let r = Repo::new();
    std::os::unix::fs::symlink(r.secret(), r.dir().join("claims/evil.yaml")).unwrap();
    let run1 = run(r.dir(), &["check"]);
    assert_eq!(run1.code, Some(2));
    assert!(
        run1.err.contains("outside the project root"),
        "{}",
        run1.err
    );
    assert!(!run1.err.contains("hunter2") && !run1.out.contains("hunter2"));
    // A file the user names on the command line is theirs to search.
    let secret = r.secret().display().to_string();
    let own = run(r.dir(), &["find", &secret, "SECRET_TOKEN"]);
    assert_eq!(own.code, Some(0), "{}", own.err);
    assert!(own.out.contains("hunter2"));
}

#[cfg(unix)]
#[test]
fn a_claims_directory_linked_out_of_the_project_is_no_project_of_its_own() {
    let r = Repo::new();
    r.claims("sources/a.txt");
    // Outside: a claims file that names a secret beside it, as if it were its project.
    std::fs::create_dir(r.outside.path().join("more")).unwrap();
    std::fs::copy(r.secret(), r.outside.path().join("more/secret.txt")).unwrap();
    std::fs::write(
        r.outside.path().join("more/y.yaml"),
        "sources:\n  s:\n    versions:\n      t: secret.txt\nclaims:\n  - id: f\n    fact: The token is SECRET_TOKEN\n    keys: [SECRET_TOKEN]\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(r.outside.path().join("more"), r.dir().join("claims/more")).unwrap();
    let c = run(r.dir(), &["check", "-v"]);
    assert_eq!(c.code, Some(2), "{}{}", c.out, c.err);
    assert!(c.err.contains("outside the project root"), "{}", c.err);
    assert!(!c.out.contains("hunter2") && !c.err.contains("hunter2"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_in_the_claims_walk_are_walked_once() {
    let r = Repo::new();
    r.claims("sources/a.txt");
    std::os::unix::fs::symlink(".", r.dir().join("claims/a")).unwrap();
    std::os::unix::fs::symlink(".", r.dir().join("claims/b")).unwrap();
    let v = run(r.dir(), &["validate"]);
    assert_eq!(v.code, Some(0), "{}", v.err);
    assert!(
        v.out.contains("1 claims file, 1 claims: valid"),
        "{}",
        v.out
    );
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(ok.success());
}

#[cfg(unix)]
#[test]
fn pipes_devices_and_directories_are_not_read() {
    let r = Repo::new();
    mkfifo(&r.dir().join("claims/sources/pipe.txt"));
    r.claims("sources/pipe.txt");
    let p = run(r.dir(), &["check"]);
    assert_eq!(p.code, Some(2));
    assert!(p.err.contains("not a regular file"), "{}", p.err);
    let v = run(r.dir(), &["validate"]);
    assert_eq!(v.code, Some(2));
    assert!(v.err.contains("not a regular file"), "{}", v.err);
    // /dev/zero would never end; a directory is no document.
    r.claims("/dev/zero");
    let z = run(r.dir(), &["check", "--allow-outside-root"]);
    assert_eq!(z.code, Some(2));
    assert!(z.err.contains("not a regular file"), "{}", z.err);
    r.claims("sources");
    let d = run(r.dir(), &["check"]);
    assert_eq!(d.code, Some(2));
    assert!(d.err.contains("not a regular file"), "{}", d.err);
    // A pipe as a claims file: named, it is refused; in a walk, it is not a claims file.
    r.claims("sources/a.txt");
    mkfifo(&r.dir().join("claims/pipe.yaml"));
    let walk = run(r.dir(), &["check"]);
    assert_eq!(walk.code, Some(1), "the fact is not in a.txt: {}", walk.err);
    assert!(walk.out.contains("1 claim:"), "{}", walk.out);
    let named = run(r.dir(), &["check", "claims/pipe.yaml"]);
    assert_eq!(named.code, Some(2), "{}", named.err);
    assert!(named.err.contains("not a regular file"), "{}", named.err);
}

#[test]
fn sizes_are_checked_before_reading() {
    let r = Repo::new();
    // 5 GB that take no disk: refused from the size alone.
    let big = std::fs::File::create(r.dir().join("claims/sources/big.txt")).unwrap();
    big.set_len(5 << 30).unwrap();
    r.claims("sources/big.txt");
    let b = run(r.dir(), &["check"]);
    assert_eq!(b.code, Some(2));
    assert!(
        b.err.contains("5368709120 bytes, more than the limit"),
        "{}",
        b.err
    );
    assert!(b.err.contains("source_size_mb"), "{}", b.err);
    // Limits are settable.
    r.claims("sources/a.txt");
    r.repo
        .write("quotecheck.toml", "[limits]\nclaims_file_size_mb = 0\n");
    let c = run(r.dir(), &["check"]);
    assert_eq!(c.code, Some(2));
    assert!(c.err.contains("claims_file_size_mb"), "{}", c.err);
}

#[test]
fn a_quote_beyond_the_length_limit_is_refused_with_the_limit() {
    let r = Repo::new();
    let quote = "the lazy dog [x] ".repeat(700);
    r.repo.write(
        "claims/x.yaml",
        &format!("sources:\n  s:\n    versions:\n      t: sources/a.txt\nclaims:\n  - id: long\n    quote: \"{quote}\"\n"),
    );
    let l = run(r.dir(), &["check"]);
    assert_eq!(l.code, Some(2));
    assert!(
        l.err
            .contains("11900 characters, more than the limit of 10000"),
        "{}",
        l.err
    );
    assert!(l.err.contains("claims/x.yaml:6:5"), "{}", l.err);
    r.repo
        .write("quotecheck.toml", "[limits]\nclaim_length = 20000\n");
    let ok = run(r.dir(), &["check"]);
    assert!(matches!(ok.code, Some(0 | 1)), "{}", ok.err);
}

#[test]
fn malformed_claims_files_are_refused_at_their_place() {
    let dir = hostile("");
    let cases = [
        ("billion-laughs.yaml", "unknown field `a0`"),
        (
            "brackets-only.yaml",
            "has no words outside editorial brackets",
        ),
        (
            "huge-ellipsis-gap.yaml",
            "ellipsis_gap 18446744073709551615 is out of range",
        ),
        (
            "invalid-utf8.yaml",
            "not valid UTF-8 (first bad byte at offset 76)",
        ),
        ("nul.yaml", "nul.yaml:7:17"),
        ("utf16.yaml", "not valid UTF-8 (first bad byte at offset 0)"),
    ];
    for (file, says) in cases {
        let r = run(&dir, &["check", file]);
        assert_eq!(r.code, Some(2), "{file}: {}", r.err);
        assert!(r.err.contains(says), "{file}: {}", r.err);
        assert!(!r.err.contains("panicked"), "{file}: {}", r.err);
    }
    let deep = Scratch::new();
    let nested = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    deep.write(
        "deep.yaml",
        &format!("claims:\n  - id: a\n    quote: {nested}\n"),
    );
    let r = run(deep.path(), &["check", "deep.yaml"]);
    assert_eq!(r.code, Some(2), "{}", r.err);
}

#[test]
fn what_a_source_or_an_id_carries_never_acts_on_a_terminal_or_a_log() {
    let dir = hostile("");
    for format in ["human", "github", "markdown", "junit"] {
        let r = run(
            &dir,
            &[
                "check",
                "-v",
                "--color",
                "always",
                "--format",
                format,
                "forged-id.yaml",
                "entity-slice.yaml",
            ],
        );
        assert!(matches!(r.code, Some(0 | 1)), "{format}: {}", r.err);
        let own_escapes = |c: char| c == '\u{1b}' && format == "human";
        assert!(
            !r.out
                .chars()
                .any(|c| c.is_control() && c != '\n' && !own_escapes(c)),
            "{format}: {:?}",
            r.out
        );
        // quotecheck's own colours are SGR sequences only: no title, no clear screen.
        assert!(
            !r.out.contains("\u{1b}]") && !r.out.contains("\u{1b}[2J"),
            "{format}"
        );
        for line in r.out.lines() {
            let own = line.starts_with("::error file=forged-id.yaml")
                || line.starts_with("::warning file=forged-id.yaml")
                || line.starts_with("::notice title=quotecheck");
            assert!(!line.starts_with("::") || own, "{format}: forged: {line}");
        }
    }
}

#[cfg(unix)]
#[test]
fn add_writes_through_a_link_and_keeps_mode_and_owner_or_refuses() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let r = Repo::new();
    r.claims("sources/a.txt");
    let real = r.dir().join("claims/x.yaml");
    let link = r.dir().join("claims/link.yaml");
    std::os::unix::fs::symlink("x.yaml", &link).unwrap();
    let add = |file: &str, quote: &str| run(r.dir(), &["add", file, "--quote", quote]);
    let a = add("claims/link.yaml", "the lazy dog");
    assert_eq!(a.code, Some(0), "{}", a.err);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("the lazy dog")
    );
    // Read-only: refused, unchanged.
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&real).unwrap();
    let ro = add("claims/x.yaml", "quick brown fox");
    assert_eq!(ro.code, Some(2));
    assert!(ro.err.contains("read-only"), "{}", ro.err);
    assert_eq!(std::fs::read(&real).unwrap(), before);
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    // Another user's file keeps its owner (as root) or is refused (as anyone else).
    let nobody = 65534;
    if std::os::unix::fs::chown(&real, Some(nobody), Some(nobody)).is_ok() {
        let o = add("claims/x.yaml", "quick brown fox");
        let meta = std::fs::metadata(&real).unwrap();
        match o.code {
            Some(0) => assert_eq!((meta.uid(), meta.gid()), (nobody, nobody)),
            _ => assert!(o.err.contains("another user"), "{}", o.err),
        }
        assert_eq!(meta.mode() & 0o777, 0o640);
    }
}

#[test]
fn concurrent_adds_without_ids_are_all_kept() {
    let r = Repo::new();
    r.claims("sources/a.txt");
    crate::support::concurrently(r.dir(), 20, |_| {
        ["add", "claims/x.yaml", "--quote", "the lazy dog"]
            .map(String::from)
            .to_vec()
    });
    let text = std::fs::read_to_string(r.dir().join("claims/x.yaml")).unwrap();
    let file = quotecheck::ClaimsFile::parse(&r.dir().join("claims/x.yaml"), &text).unwrap();
    assert_eq!(file.claims.len(), 21, "each add kept, each with its own id");
}

#[cfg(unix)]
#[test]
fn add_killed_at_any_moment_leaves_the_old_file_or_the_new_one() {
    let r = Repo::new();
    // Large enough that an add takes about a second here, so that kills land in every
    // phase: starting, reading, checking, writing.
    let many: String = (0..2_500)
        .map(|i| format!("  - id: c{i}\n    quote: \"the lazy dog\"\n    expect: exact\n"))
        .collect();
    r.repo.write(
        "claims/x.yaml",
        &format!("sources:\n  s:\n    versions:\n      t: sources/a.txt\nclaims:\n{many}"),
    );
    let path = r.dir().join("claims/x.yaml");
    let mut kept = std::fs::read(&path).unwrap();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut finished = 0;
    for round in 0..30 {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("quotecheck"))
            .current_dir(r.dir())
            .args(["add", "claims/x.yaml", "--quote", "quick brown fox", "--id"])
            .arg(format!("k{round}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // A moment anywhere in the run: before, while reading, checking or writing.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(seed % 1800));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&path).unwrap();
        if now != kept {
            assert!(now.starts_with(&kept), "round {round}: old bytes changed");
            let added = String::from_utf8_lossy(&now[kept.len()..]).into_owned();
            assert!(
                added.contains(&format!("id: \"k{round}\"")),
                "round {round}: {added}"
            );
            assert_eq!(added.matches("- id:").count(), 1, "round {round}: {added}");
            kept = now;
            finished += 1;
        }
    }
    eprintln!("{finished} of 30 adds finished before their kill");
    // The next add works, and takes away what killed runs left.
    let after = run(
        r.dir(),
        &[
            "add",
            "claims/x.yaml",
            "--quote",
            "quick brown fox",
            "--id",
            "last",
        ],
    );
    assert_eq!(after.code, Some(0), "{}", after.err);
    let leftovers: Vec<_> = std::fs::read_dir(r.dir().join("claims"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn merge_refuses_an_absurd_shard_count() {
    let s = Scratch::new();
    s.write(
        "part.json",
        r#"{"version": 1, "shard": {"index": 1, "count": 18446744073709551615}, "claims": []}"#,
    );
    let m = run(s.path(), &["merge", "part.json"]);
    assert_eq!(m.code, Some(2), "{}", m.err);
    assert!(!m.err.contains("panicked"), "{}", m.err);
}

#[test]
fn a_draft_that_repeats_a_quotation_thousands_of_times_is_read_once_over() {
    let s = Scratch::new();
    let quote = "Wilde said \"I have nothing to declare except my genius,\" he said. ";
    s.write("draft.md", &quote.repeat(9000));
    let r = run(s.path(), &["extract", "draft.md"]);
    assert_eq!(r.code, Some(0), "{}", r.err);
    assert_eq!(r.out.matches("- id:").count(), 1, "{}", r.out);
    assert!(r.out.contains("by: \"Wilde\""), "{}", r.out);
}

#[test]
fn a_source_read_for_one_claims_file_is_admitted_for_each_that_names_it() {
    // Not a repository: each claims file's root is its own directory.
    let s = Scratch::new();
    std::fs::create_dir_all(s.path().join("x")).unwrap();
    std::fs::create_dir_all(s.path().join("y")).unwrap();
    s.write("x/s.txt", "The quick brown fox jumps over the lazy dog.\n");
    let claims = |version: &str| {
        format!(
            "sources:\n  s:\n    versions:\n      t: {version}\nclaims:\n  - id: q\n    quote: the lazy dog\n"
        )
    };
    s.write("x/a.yaml", &claims("s.txt"));
    s.write("y/b.yaml", &claims("../x/s.txt"));
    let r = run(s.path(), &["check", "x/a.yaml", "y/b.yaml"]);
    assert_eq!(r.code, Some(2), "{}", r.out);
    assert!(r.err.contains("y/b.yaml"), "{}", r.err);
    assert!(r.err.contains("outside the project root"), "{}", r.err);
}
