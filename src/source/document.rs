//! Source documents: reading a file, taking its visible text out of the markup, normalizing it,
//! and mapping every position back to `line:column` of the raw file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::stored::{In, Out};
use crate::text::normalize::{Normalized, normalize};

use super::markup::{Segment, html_text, markdown_text, plain_text};

/// How a file's visible text is taken out of it, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CommonMark: the rendered text, without markup or link targets.
    Markdown,
    /// HTML: the text a browser shows.
    Html,
    /// Plain text, as it is.
    Plain,
}

impl Format {
    /// The format a file's extension says (`.md`, `.html`; anything else is plain text).
    pub fn of(path: &Path) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" => Format::Html,
            _ => Format::Plain,
        }
    }
}

/// A `line:column` position in a raw file (both 1-based, column in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    /// From 1.
    pub line: usize,
    /// From 1, in characters.
    pub column: usize,
}

/// A loaded source version, normalized and ready to search.
#[derive(Debug, PartialEq)]
pub struct Document {
    /// The file it was read from, as reports show it.
    pub path: PathBuf,
    /// The file's text, without its BOM (shared with the corpus, which builds a document
    /// again from it when one that was dropped is needed again).
    pub raw: Arc<String>,
    /// The text a reader sees (markup removed); `None` when it is the raw text itself.
    visible: Option<String>,
    segments: Vec<Segment>,
    line_starts: Vec<u32>,
    /// For a file with long lines: `(byte offset, characters before it)` every
    /// [`CHAR_MARK_BYTES`] or so, so that a column on a 50 MB line is not counted from its
    /// start each time.
    char_marks: Vec<(u32, u32)>,
    /// The visible text normalized: what the matcher searches.
    pub norm: Normalized,
}

/// How far apart [`Document`]'s character marks are, in bytes.
const CHAR_MARK_BYTES: usize = 4096;

/// `(byte offset, characters before it)` at the first character boundary after every
/// [`CHAR_MARK_BYTES`] bytes of `raw`.
fn char_marks(raw: &str) -> Vec<(u32, u32)> {
    let mut marks = Vec::with_capacity(raw.len() / CHAR_MARK_BYTES + 1);
    let mut next = CHAR_MARK_BYTES;
    for (count, (at, _)) in raw.char_indices().enumerate() {
        if at >= next {
            marks.push((at as u32, count as u32));
            next = at + CHAR_MARK_BYTES;
        }
    }
    marks
}

/// Characters in `raw[from..to]`, each end rounded down to a character boundary (a bad
/// offset gives a close column, never a panic).
fn count_chars(raw: &str, from: usize, to: usize) -> usize {
    let floor = |mut i: usize| {
        i = i.min(raw.len());
        while !raw.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (from, to) = (floor(from), floor(to));
    raw.get(from..to.max(from)).map_or(0, |s| s.chars().count())
}

/// Why a source file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The bytes are not UTF-8, and nothing says they are in another encoding.
    #[error(
        "not valid UTF-8 (first bad byte at offset {offset}); if it is in another encoding, name it with `encoding:` on the version"
    )]
    InvalidUtf8 {
        /// The first bad byte.
        offset: usize,
    },
    /// The bytes are not valid in the encoding they are declared in.
    #[error("not valid {encoding} (first bad byte at offset {offset})")]
    Malformed {
        /// The encoding's name.
        encoding: &'static str,
        /// The first bad byte.
        offset: usize,
    },
    /// Too large to index.
    #[error("larger than 4 GiB, which quotecheck cannot index")]
    TooLarge,
    /// Larger than the limit set for the run.
    #[error(
        "{size} bytes, more than the limit of {limit} (raise `limits.{key}` in quotecheck.toml to read it)"
    )]
    OverLimit {
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
        /// The configuration key that sets it.
        key: &'static str,
    },
    /// A directory, a pipe, a device: only regular files are read (a pipe could block the
    /// run forever, a device never end).
    #[error("not a regular file (a directory, a pipe or a device); only files are read")]
    NotAFile,
    /// A path a claims file names that leads outside the project once symlinks are followed.
    #[error(
        "it leads outside the project root `{root}`; a claims file may only name files inside the project (pass --allow-outside-root, or set `allow_outside_root = true` in quotecheck.toml, to read it anyway)"
    )]
    OutsideRoot {
        /// The project root.
        root: String,
    },
}

impl Document {
    /// A document from a file's bytes (its format chosen by `path`'s extension).
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Document, LoadError> {
        Document::from_bytes_in(path, bytes, None)
    }

    /// A document from a file's bytes in `encoding` (when no byte order mark says otherwise).
    pub fn from_bytes_in(
        path: &Path,
        bytes: Vec<u8>,
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> Result<Document, LoadError> {
        let (raw, format) = Document::decode(path, bytes, encoding)?;
        Ok(Document::from_text(path, raw, format))
    }

    /// A file's bytes as text, and the format its extension gives: what a document is made
    /// from (the cheap part of loading one).
    pub fn decode(
        path: &Path,
        bytes: Vec<u8>,
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> Result<(String, Format), LoadError> {
        if bytes.len() >= u32::MAX as usize {
            return Err(LoadError::TooLarge);
        }
        let format = Format::of(path);
        Ok((super::encoding::decode(bytes, encoding, format)?, format))
    }

    /// A document from text in `format`; `path` names it in reports.
    pub fn from_text(path: &Path, raw: String, format: Format) -> Document {
        Document::from_shared(path, Arc::new(raw), format)
    }

    /// [`Document::from_text`] of text shared with its caller.
    pub fn from_shared(path: &Path, raw: Arc<String>, format: Format) -> Document {
        let (visible, segments) = match format {
            Format::Plain => match plain_text(&raw) {
                Some((v, s)) => (Some(v), s),
                None => (
                    None,
                    vec![Segment {
                        vis: 0,
                        raw: 0,
                        verbatim: true,
                    }],
                ),
            },
            Format::Markdown => {
                let (v, s) = markdown_text(&raw);
                (Some(v), s)
            }
            Format::Html => {
                let (v, s) = html_text(&raw);
                (Some(v), s)
            }
        };
        let norm = normalize(visible.as_deref().unwrap_or(&raw));
        let line_starts: Vec<u32> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', raw.as_bytes()).map(|i| i as u32 + 1))
            .collect();
        let longest_line = line_starts
            .windows(2)
            .map(|w| w[1] - w[0])
            .chain([(raw.len() as u32).saturating_sub(line_starts.last().copied().unwrap_or(0))])
            .max()
            .unwrap_or(0);
        let char_marks = if longest_line as usize > CHAR_MARK_BYTES {
            char_marks(&raw)
        } else {
            Vec::new()
        };
        Document {
            path: path.to_path_buf(),
            raw,
            visible,
            segments,
            line_starts,
            char_marks,
            norm,
        }
    }

    /// What is built from the raw text, kept between runs ([`crate::stored`]).
    pub(crate) fn store(&self, out: &mut Out) -> std::io::Result<()> {
        match &self.visible {
            Some(v) => {
                out.u64(1)?;
                out.array(v.as_bytes())?;
            }
            None => out.u64(0)?,
        }
        let vis: Vec<u32> = self.segments.iter().map(|s| s.vis).collect();
        let raw: Vec<u32> = self.segments.iter().map(|s| s.raw).collect();
        let verbatim: Vec<u8> = self.segments.iter().map(|s| u8::from(s.verbatim)).collect();
        out.array(&vis)?;
        out.array(&raw)?;
        out.array(&verbatim)?;
        out.array(&self.line_starts)?;
        out.pairs(&self.char_marks)?;
        self.norm.store(out)
    }

    /// What [`Document::store`] wrote for `raw`, if it can serve: segments that begin at
    /// visible byte 0 (each visible byte falls in one) and a line start for the first line.
    pub(crate) fn load(input: &mut In, path: &Path, raw: Arc<String>) -> Option<Document> {
        let visible = match input.u64()? {
            0 => None,
            1 => Some(input.string()?),
            _ => return None,
        };
        let vis: Vec<u32> = input.array()?;
        let at: Vec<u32> = input.array()?;
        let verbatim: Vec<u8> = input.array()?;
        if vis.len() != at.len() || vis.len() != verbatim.len() || vis.first() != Some(&0) {
            return None;
        }
        let segments = vis
            .iter()
            .zip(&at)
            .zip(&verbatim)
            .map(|((&vis, &raw), &v)| Segment {
                vis,
                raw,
                verbatim: v != 0,
            })
            .collect();
        let line_starts: Vec<u32> = input.array()?;
        if line_starts.first() != Some(&0) {
            return None;
        }
        Some(Document {
            path: path.to_path_buf(),
            raw,
            visible,
            segments,
            line_starts,
            char_marks: input.pairs()?,
            norm: Normalized::load(input)?,
        })
    }

    /// Characters in `raw[..at]` (`at` on a character boundary, or rounded down to one).
    fn chars_before(&self, at: usize) -> usize {
        let i = self.char_marks.partition_point(|&(b, _)| b as usize <= at);
        let (from, count) = match i.checked_sub(1).and_then(|i| self.char_marks.get(i)) {
            Some(&(b, c)) => (b as usize, c as usize),
            None => (0, 0),
        };
        count + count_chars(&self.raw, from, at)
    }

    /// The text a reader sees.
    pub fn visible(&self) -> &str {
        self.visible.as_deref().unwrap_or(&self.raw)
    }

    /// The raw byte offset of visible byte `vis`.
    pub fn raw_offset(&self, vis: u32) -> u32 {
        let i = self.segments.partition_point(|s| s.vis <= vis) - 1;
        let s = self.segments[i];
        if s.verbatim {
            // Saturating: a kept index's segments are read from the cache.
            s.raw.saturating_add(vis - s.vis)
        } else {
            s.raw
        }
    }

    /// `line:column` of raw byte offset `raw` (the column in characters).
    pub fn position(&self, raw: u32) -> Position {
        let line = self
            .line_starts
            .partition_point(|&s| s <= raw)
            .saturating_sub(1);
        let start = self.line_starts.get(line).map_or(0, |&s| s as usize);
        let at = (raw as usize).min(self.raw.len());
        let column = if at - start.min(at) > CHAR_MARK_BYTES && !self.char_marks.is_empty() {
            self.chars_before(at) - self.chars_before(start)
        } else {
            count_chars(&self.raw, start, at)
        };
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// Where token `t` starts in the raw file.
    pub fn token_position(&self, t: usize) -> Position {
        self.position(self.raw_offset(self.norm.src_start(t) as u32))
    }

    /// Positions of the first `most` of the tokens `firsts`, for a note.
    pub fn positions(&self, firsts: &[usize], most: usize) -> Vec<Position> {
        firsts
            .iter()
            .take(most)
            .map(|&f| self.token_position(f))
            .collect()
    }

    /// Whether the text keeps case and punctuation (a normalized export does not), so that
    /// strict mode can judge it.
    pub fn keeps_case_and_punctuation(&self) -> bool {
        self.visible()
            .chars()
            .any(|c| c.is_uppercase() || !(c.is_alphanumeric() || c.is_whitespace()))
    }

    /// The visible text of tokens `first..=last`, whitespace collapsed, as a reader would
    /// quote it.
    pub fn passage(&self, first: usize, last: usize) -> String {
        self.passage_marked(first, last, &[]).0
    }

    /// [`Document::passage`], with the byte ranges in it of the tokens in `marked`
    /// (adjacent ones merged), for highlighting.
    pub fn passage_marked(
        &self,
        first: usize,
        last: usize,
        marked: &[usize],
    ) -> (String, Vec<std::ops::Range<usize>>) {
        let vis = self.visible();
        let norm = &self.norm;
        let mut out = String::new();
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        // Where the text printed so far ends: tokens made from one character (a ligature
        // such as `㍿`, read as four ideographs) share its range, printed once.
        let mut printed = norm.src_range(first).start;
        for i in first..=last {
            let range = norm.src_range(i);
            let before = printed;
            let word = range.start.max(before)..range.end.max(before);
            printed = word.end;
            if i > first {
                let sep = &vis[before..word.start];
                let mut space = false;
                for c in sep.chars() {
                    if c.is_whitespace() {
                        space = true;
                    } else {
                        if space {
                            out.push(' ');
                            space = false;
                        }
                        out.push(c);
                    }
                }
                if space {
                    out.push(' ');
                }
            }
            let start = out.len();
            out.push_str(&vis[word]);
            if marked.contains(&i) {
                match ranges.last_mut() {
                    Some(r) if marked.contains(&(i - 1)) && out[r.end..start].trim().is_empty() => {
                        r.end = out.len()
                    }
                    _ => ranges.push(start..out.len()),
                }
            }
        }
        (out, ranges)
    }
}

pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_in_text_are_not_words() {
        let raw = "The quick \u{1b}[1;31mbrown\u{1b}[0m fox\u{1b}]0;pwned\u{7}\u{1b}[2J jumps é\u{1b}]8;;x\u{1b}\\ over\u{1b}";
        let doc = Document::from_text(Path::new("log.txt"), raw.into(), Format::Plain);
        assert_eq!(doc.visible(), "The quick brown fox jumps é over");
        // Each word still points at itself in the raw file.
        let jumps = doc.visible().find("jumps").unwrap();
        assert_eq!(&raw[doc.raw_offset(jumps as u32) as usize..][..5], "jumps");
        let plain = Document::from_text(Path::new("a.txt"), "no escapes".into(), Format::Plain);
        assert!(
            plain.visible.is_none(),
            "a plain file is its own visible text"
        );
    }

    #[test]
    fn columns_on_long_lines_are_counted_in_characters() {
        // Lines far longer than the marks' spacing, with characters of 1 to 4 bytes.
        let line: String = (0..30_000)
            .map(|i| ["a", "é", "ʼ", "€", "𝄞", " "][i % 6])
            .collect();
        let raw = format!("short\n{line}\n{line}");
        let doc = Document::from_text(Path::new("a.txt"), raw.clone(), Format::Plain);
        for (at, _) in raw.char_indices().step_by(997) {
            let line_start = raw[..at].rfind('\n').map_or(0, |i| i + 1);
            let want = Position {
                line: raw[..at].matches('\n').count() + 1,
                column: raw[line_start..at].chars().count() + 1,
            };
            assert_eq!(doc.position(at as u32), want, "at {at}");
        }
        // An offset past the end or inside a character is a close place, not a panic.
        let past = doc.position(raw.len() as u32 + 10);
        assert_eq!(past.line, 3);
        let _ = doc.position(7);
    }

    fn doc(name: &str, text: &str) -> Document {
        Document::from_bytes(Path::new(name), text.as_bytes().to_vec()).unwrap()
    }

    /// Position of the first token of `needle` (normalized) in the document.
    fn pos_of(d: &Document, needle: &str) -> Position {
        let n = normalize(needle).as_string();
        let hay = d.norm.as_string();
        let byte = hay.find(&n).expect("needle present");
        let ch = hay[..byte].chars().count() as u32;
        d.token_position(d.norm.token_at(ch))
    }

    #[test]
    fn plain_text_columns_count_characters() {
        let d = doc("a.txt", "first line\n“Héllo” — wörld here\n");
        assert_eq!(
            pos_of(&d, "wörld here"),
            Position {
                line: 2,
                column: 11
            }
        );
        assert_eq!(pos_of(&d, "héllo"), Position { line: 2, column: 2 });
    }

    #[test]
    fn crlf_and_bom_do_not_shift_positions() {
        let d = Document::from_bytes(
            Path::new("a.txt"),
            b"\xEF\xBB\xBFone\r\ntwo three\r\n".to_vec(),
        )
        .unwrap();
        assert_eq!(d.norm.as_string(), "one two three");
        assert_eq!(pos_of(&d, "one"), Position { line: 1, column: 1 });
        assert_eq!(pos_of(&d, "three"), Position { line: 2, column: 5 });
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let err = Document::from_bytes(Path::new("a.txt"), b"abc\xFFdef".to_vec()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not valid UTF-8 (first bad byte at offset 3); if it is in another encoding, name it with `encoding:` on the version"
        );
    }

    #[test]
    fn markdown_links_keep_text_and_drop_targets() {
        let src = "Intro *emph* text.\n\nA site [putintrump.org](https://x.example/y) is ![logo](a.png) about.\n";
        let d = doc("a.md", src);
        assert_eq!(
            d.norm.as_string(),
            "intro emph text a site putintrump org is about"
        );
        assert_eq!(
            pos_of(&d, "putintrump org"),
            Position { line: 3, column: 9 }
        );
        assert_eq!(pos_of(&d, "emph text"), Position { line: 1, column: 8 });
        assert_eq!(d.passage(3, 7), "A site putintrump.org is");
    }

    #[test]
    fn a_character_read_as_several_words_is_shown_once() {
        // NFKC reads `㍿` as 株式会社, four ideographs, four tokens with one source range.
        let d = doc("a.txt", "Toyota ㍿ makes cars");
        assert_eq!(d.norm.token_count(), 7);
        assert_eq!(d.passage(0, 6), "Toyota ㍿ makes cars");
        assert_eq!(d.passage(2, 5), "㍿ makes");
    }

    #[test]
    fn markdown_blocks_separate_words() {
        let d = doc("a.md", "# Title\nbody\n\n- one\n- two\n\n**un**believable");
        assert_eq!(d.norm.as_string(), "title body one two unbelievable");
    }

    #[test]
    fn html_visible_text_only() {
        let src = "<html><head><style>p{x:y}</style><script>var a = 'no';</script></head>\n<body><p>Im<em>port</em>ant &amp; <b>bold</b>&nbsp;caf&eacute;</p><!-- hidden --><p>next</p></body>";
        let d = doc("a.html", src);
        assert_eq!(d.norm.as_string(), "important bold café next");
        assert_eq!(
            pos_of(&d, "bold"),
            Position {
                line: 2,
                column: 38
            }
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        /// Any bytes at all, with or without a byte order mark or a declared charset, in
        /// any format: a clear error, or a document every token of which has a place in the
        /// raw file on a character boundary, and a passage.
        #[test]
        fn any_bytes_load_or_fail_cleanly(
            head in proptest::sample::select(vec![
                &b""[..], b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF",
                b"<meta charset=windows-1252>", b"<meta charset=shift_jis>", b"---\n",
            ]),
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
            ext in proptest::sample::select(vec!["a.html", "a.md", "a.txt"]),
        ) {
            let bytes = [head, &body[..]].concat();
            if let Ok(d) = Document::from_bytes(Path::new(ext), bytes) {
                for t in 0..d.norm.token_count() {
                    let raw = d.raw_offset(d.norm.src_start(t) as u32) as usize;
                    proptest::prop_assert!(d.raw.is_char_boundary(raw), "token {t} at {raw}");
                    let p = d.token_position(t);
                    proptest::prop_assert!(p.line >= 1 && p.column >= 1);
                    d.passage(t, d.norm.token_count() - 1);
                }
            }
        }
    }
}
