//! The visible text of Markdown and HTML, each run mapped back to its raw offset.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A run of visible text and where it came from in the raw file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment {
    pub(crate) vis: u32,
    pub(crate) raw: u32,
    /// Byte `vis + k` is byte `raw + k` of the raw file; otherwise the whole run maps to `raw`
    /// (a decoded entity, an escape, a separator).
    pub(crate) verbatim: bool,
}

/// Accumulates visible text and the segments that map it back to raw offsets.
#[derive(Default)]
pub(super) struct VisibleText {
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
pub(crate) fn markdown_text(src: &str) -> (String, Vec<Segment>) {
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
pub(super) fn is_inline(tag: &TagEnd) -> bool {
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
pub(super) const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "font",
];

/// Visible text of HTML: tags removed, script/style/comment content dropped, entities decoded.
/// Hand-written rather than a full HTML parser because every character must keep its raw
/// offset, which the tree-building parsers do not expose.
pub(crate) fn html_text(src: &str) -> (String, Vec<Segment>) {
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
pub(super) fn skip_tag(src: &str, i: usize, out: &mut VisibleText) -> usize {
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

pub(super) fn decode_entity(s: &str) -> Option<(char, usize)> {
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
