//! Helpers shared by the integration tests: the real binary, run in a scratch directory.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The example the tests own: a copy of the bundled example (`claims/` and its sources), so
/// that the bundled example can change without changing what the tests expect.
pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/example")
}

/// The `quotecheck` binary, run in the tests' example, never colored unless asked.
pub fn quotecheck() -> Command {
    let mut cmd = Command::cargo_bin("quotecheck").unwrap();
    cmd.current_dir(example_dir());
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    cmd
}

/// A scratch directory with a small source and a claims file written by the test.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

pub const ARTICLE: &str = "The quick brown fox jumps over the lazy dog.\n\
“Off the record I don’t know who that is, but I’ll ask around,” he wrote.\n\
We think it is much more interesting if he DOES NOT concede and spends time.\n";

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("article.txt"), ARTICLE).unwrap();
        Scratch { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// A claims file with one source (`article.txt`) and the given claims YAML (a list).
    pub fn claims(&self, claims: &str) -> PathBuf {
        self.write(
            "claims.yaml",
            &format!(
                "sources:\n  article:\n    versions:\n      text: article.txt\nclaims:\n{claims}"
            ),
        )
    }

    /// Run `quotecheck check` on this directory.
    pub fn check(&self) -> Command {
        let mut cmd = quotecheck();
        cmd.current_dir(self.path())
            .args(["check", "--color", "never", "."]);
        cmd
    }
}

/// Run `n` `quotecheck` processes at once in `dir`, the `i`th with `args(i)`, and assert that
/// each succeeded.
pub fn concurrently(dir: &Path, n: usize, args: impl Fn(usize) -> Vec<String>) {
    let children: Vec<_> = (0..n)
        .map(|i| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin!("quotecheck"))
                .current_dir(dir)
                .args(args(i))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {err}", out.status);
    }
}

/// Run `quotecheck ARGS` in `dir`, uncolored: its exit code, stdout and stderr.
pub fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = quotecheck()
        .current_dir(dir)
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run `git ARGS` in `dir` as a throwaway user, and assert that it succeeded.
pub fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}
