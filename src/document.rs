//! Source documents: reading a file, taking its visible text out of the markup, normalizing it,
//! and mapping every position back to `line:column` of the raw file.

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::normalize::{Normalized, normalize};

/// How a file's visible text is taken out of it, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Plain,
}

impl Format {
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

/// A run of visible text and where it came from in the raw file.
#[derive(Debug, Clone, Copy)]
struct Segment {
    vis: u32,
    raw: u32,
    /// Byte `vis + k` is byte `raw + k` of the raw file; otherwise the whole run maps to `raw`
    /// (a decoded entity, an escape, a separator).
    verbatim: bool,
}

/// A `line:column` position in a raw file (both 1-based, column in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A loaded source version, normalized and ready to search.
#[derive(Debug)]
pub struct Document {
    pub path: PathBuf,
    /// The file's text, without its BOM.
    pub raw: String,
    /// The text a reader sees (markup removed); `None` when it is the raw text itself.
    visible: Option<String>,
    segments: Vec<Segment>,
    line_starts: Vec<u32>,
    pub norm: Normalized,
}

/// Why a source file could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    Io(std::io::Error),
    InvalidUtf8 { offset: usize },
    TooLarge,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io(e) => write!(f, "{e}"),
            LoadError::InvalidUtf8 { offset } => {
                write!(f, "not valid UTF-8 (first bad byte at offset {offset})")
            }
            LoadError::TooLarge => write!(f, "larger than 4 GiB, which quotecheck cannot index"),
        }
    }
}

impl Document {
    pub fn load(path: &Path) -> Result<Document, LoadError> {
        let bytes = std::fs::read(path).map_err(LoadError::Io)?;
        Document::from_bytes(path, bytes)
    }

    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Document, LoadError> {
        if bytes.len() >= u32::MAX as usize {
            return Err(LoadError::TooLarge);
        }
        let mut raw = String::from_utf8(bytes).map_err(|e| LoadError::InvalidUtf8 {
            offset: e.utf8_error().valid_up_to(),
        })?;
        if raw.starts_with('\u{FEFF}') {
            raw.drain(..3);
        }
        Ok(Document::from_text(path, raw, Format::of(path)))
    }

    pub fn from_text(path: &Path, raw: String, format: Format) -> Document {
        let (visible, segments) = match format {
            Format::Plain => (
                None,
                vec![Segment {
                    vis: 0,
                    raw: 0,
                    verbatim: true,
                }],
            ),
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
        let line_starts = std::iter::once(0)
            .chain(raw.match_indices('\n').map(|(i, _)| i as u32 + 1))
            .collect();
        Document {
            path: path.to_path_buf(),
            raw,
            visible,
            segments,
            line_starts,
            norm,
        }
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
            s.raw + (vis - s.vis)
        } else {
            s.raw
        }
    }

    /// `line:column` of raw byte offset `raw`.
    pub fn position(&self, raw: u32) -> Position {
        let line = self.line_starts.partition_point(|&s| s <= raw) - 1;
        let start = self.line_starts[line] as usize;
        let column = self.raw[start..raw as usize].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// Where token `t` starts in the raw file.
    pub fn token_position(&self, t: usize) -> Position {
        self.position(self.raw_offset(self.norm.src_start(t) as u32))
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
        for i in first..=last {
            let word = norm.src_range(i);
            if i > first {
                let sep = &vis[norm.src_range(i - 1).end..word.start];
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

/// Accumulates visible text and the segments that map it back to raw offsets.
#[derive(Default)]
struct VisibleText {
    text: String,
    segments: Vec<Segment>,
}

impl VisibleText {
    fn verbatim(&mut self, s: &str, raw: usize) {
        self.push(s, raw, true);
    }

    fn mapped(&mut self, s: &str, raw: usize) {
        self.push(s, raw, false);
    }

    fn separator(&mut self, raw: usize) {
        if !self.text.ends_with(' ') && !self.text.is_empty() {
            self.mapped(" ", raw);
        }
    }

    fn push(&mut self, s: &str, raw: usize, verbatim: bool) {
        if s.is_empty() {
            return;
        }
        self.segments.push(Segment {
            vis: self.text.len() as u32,
            raw: raw as u32,
            verbatim,
        });
        self.text.push_str(s);
    }

    fn finish(mut self) -> (String, Vec<Segment>) {
        if self.segments.first().is_none_or(|s| s.vis != 0) {
            self.segments.insert(
                0,
                Segment {
                    vis: 0,
                    raw: 0,
                    verbatim: false,
                },
            );
        }
        (self.text, self.segments)
    }
}

/// Visible text of markdown: link text kept, link targets and images dropped, emphasis
/// markers dropped, block boundaries become spaces.
fn markdown_text(src: &str) -> (String, Vec<Segment>) {
    let mut out = VisibleText::default();
    let mut in_image = 0usize;
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    for (event, range) in Parser::new_ext(src, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            _ if in_image > 0 => {}
            Event::Text(t) | Event::Code(t) => {
                let raw = &src[range.clone()];
                match raw.find(t.as_ref()) {
                    Some(k) => out.verbatim(&t, range.start + k),
                    None => out.mapped(&t, range.start),
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule => out.separator(range.start),
            Event::Start(tag) if !is_inline(&tag.to_end()) => out.separator(range.start),
            Event::End(tag) if !is_inline(&tag) => out.separator(range.start),
            _ => {}
        }
    }
    out.finish()
}

/// Markdown tags that do not break a word: `**un**believable` is one word.
fn is_inline(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// HTML tags that do not break a word: `im<em>port</em>ant` is one word.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "font",
];

/// Visible text of HTML: tags removed, script/style/comment content dropped, entities decoded.
/// Hand-written rather than a full HTML parser because every character must keep its raw
/// offset, which the tree-building parsers do not expose.
fn html_text(src: &str) -> (String, Vec<Segment>) {
    let mut out = VisibleText::default();
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut run = 0;
    let flush = |out: &mut VisibleText, run: usize, i: usize| out.verbatim(&src[run..i], run);
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                flush(&mut out, run, i);
                i = skip_tag(src, i, &mut out);
                run = i;
            }
            b'&' => {
                flush(&mut out, run, i);
                match decode_entity(&src[i..]) {
                    Some((c, len)) => {
                        let mut buf = [0u8; 4];
                        out.mapped(c.encode_utf8(&mut buf), i);
                        i += len;
                    }
                    None => {
                        out.verbatim("&", i);
                        i += 1;
                    }
                }
                run = i;
            }
            _ => i += 1,
        }
    }
    flush(&mut out, run, i);
    out.finish()
}

/// Skips the tag (or comment, or script/style element) at `i`; returns the offset after it.
fn skip_tag(src: &str, i: usize, out: &mut VisibleText) -> usize {
    let rest = &src[i..];
    if rest.starts_with("<!--") {
        return rest.find("-->").map_or(src.len(), |k| i + k + 3);
    }
    let Some(close) = rest.find('>') else {
        return src.len();
    };
    let inner = rest[1..close].trim_start_matches('/');
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let mut end = i + close + 1;
    let opening = !rest[1..].starts_with('/');
    if opening && (name == "script" || name == "style") {
        let lower = src[end..].to_ascii_lowercase();
        end = match lower.find(&format!("</{name}")) {
            Some(k) => src[end + k..]
                .find('>')
                .map_or(src.len(), |j| end + k + j + 1),
            None => src.len(),
        };
    }
    if !INLINE_TAGS.contains(&name.as_str()) {
        out.separator(i);
    }
    end
}

fn decode_entity(s: &str) -> Option<(char, usize)> {
    let semi = s[..s.len().min(12)].find(';')?;
    let body = &s[1..semi];
    let c = if let Some(num) = body.strip_prefix('#') {
        let v = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(v)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{A0}',
            "shy" => '\u{AD}',
            "ndash" => '–',
            "mdash" => '—',
            "hellip" => '…',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "laquo" => '«',
            "raquo" => '»',
            "copy" => '©',
            "eacute" => 'é',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "not valid UTF-8 (first bad byte at offset 3)"
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
}
