//! `init`: a claims folder to start from, never overwriting anything.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::error::Result;

/// What `init` creates.
pub const EXAMPLE_CLAIMS: &str = r#"# Claims about a source, checked with `quotecheck check`.
#
# Each source has one or more versions: files on disk (paths relative to this
# file), such as the page as captured and a plain-text export of it. Each claim
# is a `quote:` (the exact words) or a `fact:` (a statement in your words).
# Add claims with `quotecheck add claims/example.yaml --quote "..."`.

settings:
  threshold: 0.8   # lowest score that counts as approximate

sources:
  declaration:
    title: The Declaration of Independence (excerpt)
    versions:
      text: sources/declaration.txt

claims:
  - id: self-evident
    quote: "We hold these truths to be self-evident, that all men are created equal"
  - id: adopted
    fact: The Declaration was adopted on July 4, 1776
"#;

/// The example source `init` writes: the opening of the Declaration (public domain).
pub const EXAMPLE_SOURCE: &str = "The Declaration of Independence\n\n[Adopted in Congress 4 July 1776]\n\n\
When, in the course of human events, it becomes necessary for one people to dissolve the \
political bands which have connected them with another, and to assume among the powers of the \
earth, the separate and equal station to which the laws of nature and of nature's God entitle \
them, a decent respect to the opinions of mankind requires that they should declare the causes \
which impel them to the separation.\n\n\
We hold these truths to be self-evident, that all men are created equal, that they are endowed \
by their Creator with certain unalienable rights, that among these are life, liberty and the \
pursuit of happiness.\n";

/// Create `dir/claims/example.yaml` and `dir/claims/sources/`, refusing to overwrite anything.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    let claims_dir = dir.join("claims");
    let file = claims_dir.join("example.yaml");
    let source = claims_dir.join("sources").join("declaration.txt");
    for p in [&file, &source] {
        if p.exists() {
            return Err(Diagnostic::error("already exists; init changes nothing").in_file(p)
                .help("init only starts a new claims folder; add claims to an existing one with `quotecheck add`")
                .into());
        }
    }
    let fail = |p: &Path, e: io::Error| Diagnostic::error(format!("cannot create: {e}")).in_file(p);
    fs::create_dir_all(claims_dir.join("sources")).map_err(|e| fail(&claims_dir, e))?;
    for (p, text) in [(&file, EXAMPLE_CLAIMS), (&source, EXAMPLE_SOURCE)] {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(p)
            .map_err(|e| fail(p, e))?;
        f.write_all(text.as_bytes()).map_err(|e| fail(p, e))?;
    }
    Ok(vec![file, source])
}
