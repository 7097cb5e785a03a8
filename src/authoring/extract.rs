//! `extract`: the quotations of a draft and their speakers.

use crate::quote::Quote;
use crate::text::lexicon::{SPEECH_VERBS, stop_ends_no_sentence};
use crate::text::normalize::normalize;

/// A quotation found in a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The words inside the quotation marks.
    pub quote: String,
    /// Who the sentence says is speaking, if it names someone.
    pub by: Option<String>,
    /// 1-based line of the draft where the quotation starts.
    pub line: usize,
    /// Byte offset in the draft of its opening mark (or of its block quote).
    pub start: usize,
}

/// A name: capitalized words (and `Jr.`-style suffixes) at the start of `s`, without a
/// leading article.
fn leading_name(s: &str) -> Option<String> {
    let mut words = Vec::new();
    for w in s.split_whitespace() {
        let w = w.trim_matches(|c: char| c == ',' || c == ':' || c == ';' || c == ')' || c == '(');
        let core = w.trim_end_matches('.');
        let capital = core.chars().next().is_some_and(char::is_uppercase);
        if !capital || SPEECH_VERBS.contains(&core.to_lowercase().as_str()) {
            break;
        }
        if words.is_empty()
            && matches!(
                core,
                "The"
                    | "A"
                    | "An"
                    | "He"
                    | "She"
                    | "They"
                    | "It"
                    | "We"
                    | "I"
                    | "Then"
                    | "But"
                    | "And"
                    | "So"
                    | "Also"
                    | "Later"
                    | "However"
                    | "In"
                    | "On"
                    | "At"
                    | "Nobody"
                    | "Someone"
                    | "Everyone"
                    | "This"
                    | "That"
                    | "There"
                    | "Some"
                    | "Officials"
            )
        {
            return None;
        }
        // A full stop ends the sentence, unless it ends an abbreviation ("Jr.", "U.S.").
        if w.ends_with('.') && !stop_ends_no_sentence(core) {
            words.push(core.to_string());
            break;
        }
        words.push(w.to_string());
        if w.ends_with(',') {
            break;
        }
    }
    if words.is_empty() {
        return None;
    }
    let name = words.join(" ");
    Some(name.trim_end_matches([',', ':', ';']).to_string())
}

/// Is `w` a speech verb (punctuation around it aside)?
fn is_verb(w: &str) -> bool {
    SPEECH_VERBS.contains(
        &w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
            .as_str(),
    )
}

/// Who a phrase next to a speech verb names: a name opening it (`Trump Jr.`), else its last
/// run of capitalized words (`the defendant, Paul Ward,` → `Paul Ward`), else a short
/// description (`The auditor`, `the report`).
fn name_in(phrase: &str) -> Option<String> {
    if let Some(n) = leading_name(phrase) {
        return Some(n);
    }
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let capital = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    };
    if let Some(last) = words.iter().rposition(|w| capital(w)).filter(|&i| i > 0) {
        // The run of capitalized words ending there, stopping after a comma before it.
        let mut first = last;
        while first > 0 && capital(words[first - 1]) && !words[first - 1].ends_with(',') {
            first -= 1;
        }
        let run = words[first..=last].join(" ");
        let run = run.trim_matches(|c: char| c == ',' || c == ':' || c == ';');
        if !run.is_empty() {
            return Some(run.to_string());
        }
    }
    let description = phrase
        .trim()
        .trim_end_matches(|c: char| !c.is_alphanumeric());
    let n = description.split_whitespace().count();
    let opens = description
        .split_whitespace()
        .next()
        .is_some_and(|w| matches!(w.to_lowercase().as_str(), "the" | "a" | "an"));
    (opens && (2..=6).contains(&n)).then(|| description.to_string())
}

/// The sentence of `text` up to its first full stop (or `!`, `?`) that ends no abbreviation.
fn first_sentence(text: &str) -> &str {
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?') {
            let word = text[..i].rsplit(' ').next().unwrap_or("");
            if c != '.' || !stop_ends_no_sentence(word) {
                return &text[..i];
            }
        }
    }
    text
}

/// The speaker a sentence after a quotation names: `…,” Trump Jr. said`, `said WikiLeaks`,
/// `the defendant, Paul Ward, said`, `…,” according to a statement`.
fn speaker_after(after: &str) -> Option<String> {
    let after = after.trim_start_matches([',', ' ', '\u{a0}']);
    // Up to the next quotation or the end of the paragraph; a line break is a space.
    let paragraph = after.split("\n\n").next().unwrap_or("").replace('\n', " ");
    let upto_quote: String = paragraph
        .chars()
        .take_while(|&c| !matches!(c, '“' | '"'))
        .collect();
    let sentence = first_sentence(&upto_quote);
    if let Some(n) = according_to(sentence, false) {
        return Some(n);
    }
    // A verb that introduces the next quotation (`and Lee warned, “…`) names its speaker.
    let introduces_next = sentence.len() == upto_quote.len()
        && upto_quote.len() < paragraph.len()
        && upto_quote.trim_end().ends_with([',', ':']);
    if introduces_next {
        return None;
    }
    let words: Vec<&str> = sentence.split_whitespace().take(10).collect();
    let vi = words.iter().position(|w| is_verb(w))?;
    if vi == 0 {
        // "said WikiLeaks", "replied the minister, Elena Voss"
        name_in(&words[1..].join(" "))
    } else {
        name_in(&words[..vi].join(" "))
    }
}

/// The speaker named before a quotation in its sentence: `WikiLeaks wrote: “…`, `Trump Jr.
/// said "…`, `The mayor tweeted:`.
fn speaker_before(before: &str) -> Option<String> {
    // Only the clause since the last quotation closed: its words are no speaker.
    let before = before.rsplit(['”', '"']).next().unwrap_or(before);
    if let Some(n) = according_to(before, true) {
        return Some(n);
    }
    let tail: Vec<&str> = before
        .split_whitespace()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let vi = tail.iter().rposition(|w| is_verb(w))?;
    // Words after the verb: its object at most ("told reporters", "in a letter").
    if tail.len() - vi > 4 {
        return None;
    }
    let ends_sentence = |w: &&str| {
        let core = w.trim_end_matches(['"', '”', '’', '\'']);
        core.ends_with(['.', '!', '?']) && !stop_ends_no_sentence(core.trim_end_matches('.'))
    };
    let start = tail[..vi]
        .iter()
        .rposition(ends_sentence)
        .map_or(0, |i| i + 1);
    name_in(&tail[start..vi].join(" "))
}

/// `according to X` in the text before a quotation (its last) or after it: X, up to a comma
/// or the end of the clause.
fn according_to(text: &str, last: bool) -> Option<String> {
    const KEY: &str = "according to ";
    let lower = text.to_lowercase();
    let at = if last {
        lower.rfind(KEY)
    } else {
        lower.find(KEY)
    }?;
    let rest = text.get(at + KEY.len()..)?;
    let phrase = rest
        .split([',', '.', ';', ':', '“', '"'])
        .next()
        .unwrap_or("");
    let n = phrase.split_whitespace().count();
    (1..=6).contains(&n).then(|| phrase.trim().to_string())
}

/// The speaker named next to a quotation: before it when a speech verb introduces it
/// (`asked, “…`), else after it, else before it.
fn speaker(before: &str, after: &str) -> Option<String> {
    let before_name = speaker_before(before);
    if before_name.is_some() && before.trim_end().ends_with([',', ':']) {
        return before_name;
    }
    speaker_after(after).or(before_name)
}

/// Whether the words just before a quotation continue a speaker already named: `and
/// added:`, `He later told reporters,`, `She added that`, `Then he said`.
fn continues_speaker(before: &str) -> bool {
    let clause = before
        .rsplit(['.', '!', '?', '”', '"'])
        .next()
        .unwrap_or(before);
    let words: Vec<String> = clause
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let Some(vi) = words.iter().position(|w| is_verb(w)) else {
        return false;
    };
    const CONTINUING: &[&str] = &[
        "and", "then", "he", "she", "they", "also", "later", "again", "it", "but",
    ];
    vi > 0 && words.len() - vi <= 3 && words[..vi].iter().all(|w| CONTINUING.contains(&w.as_str()))
}

/// Every quotation in a draft: double quotes (curly or straight), single quotes that stand as
/// quotation marks rather than apostrophes, and Markdown block quotes. Quotes nested inside a
/// quotation stay part of it.
pub fn extract(draft: &str) -> Vec<Extracted> {
    let prose = prose_only(draft);
    let mut out = block_quotes(&prose);
    out.extend(inline_quotes(&prose));
    out.sort_by_key(|e| e.line);
    // A quotation repeated in the draft is one claim.
    let mut seen = std::collections::HashSet::new();
    out.retain(|e| seen.insert(same_words(&e.quote)));
    out
}

/// A quotation's words as compared for duplicates: normalized, so that typography, case and
/// punctuation do not make two claims of one quotation.
pub fn same_words(quote: &str) -> String {
    normalize(quote).as_string()
}

/// The draft with what no reader takes for its prose blanked out, lines kept: front matter,
/// code blocks and inline code, raw HTML and HTML comments, as the Markdown parser finds them.
fn prose_only(draft: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut blank: Vec<std::ops::Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(draft, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::MetadataBlock(_) | Tag::CodeBlock(_) | Tag::HtmlBlock)
            | Event::Code(_)
            | Event::Html(_)
            | Event::InlineHtml(_) => blank.push(range),
            _ => {}
        }
    }
    blank.sort_by_key(|r| r.start);
    // Each blanked character becomes as many spaces as it has bytes: offsets stay the draft's.
    let mut out = String::with_capacity(draft.len());
    let mut ranges = blank.iter().peekable();
    for (i, c) in draft.char_indices() {
        while ranges.next_if(|r| r.end <= i).is_some() {}
        let hidden = ranges.peek().is_some_and(|r| r.start <= i);
        if hidden && c != '\n' {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// The 1-based line of byte `byte` of `text`.
fn line_of(text: &str, byte: usize) -> usize {
    text[..byte].matches('\n').count() + 1
}

/// Block quotes: runs of lines starting with `>`, each said by whoever the line that
/// introduces it names ("Trump tweeted:").
fn block_quotes(draft: &str) -> Vec<Extracted> {
    let mut out = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    let mut block_start = 0;
    let mut offset = 0;
    let mut close = |block: &mut Vec<&str>, start: usize| {
        if block.is_empty() {
            return;
        }
        let lead = draft[..start].trim_end();
        let line = &lead[lead.rfind('\n').map_or(0, |i| i + 1)..];
        let by = line
            .trim_end()
            .strip_suffix(':')
            .and_then(|l| speaker(l, ""));
        out.push(Extracted {
            quote: block.join(" "),
            by,
            line: line_of(draft, start),
            start,
        });
        block.clear();
    };
    for line in draft.split_inclusive('\n') {
        if let Some(rest) = line.trim_start().strip_prefix('>') {
            if block.is_empty() {
                block_start = offset;
            }
            block.push(rest.trim());
        } else {
            close(&mut block, block_start);
        }
        offset += line.len();
    }
    close(&mut block, block_start);
    out
}

/// Inline quotations, outside block quotes: double quotes (curly or straight), and single
/// quotes that stand as quotation marks rather than apostrophes.
/// How far before and after a quotation, in bytes, its speaker is looked for.
const SPEAKER_REACH: usize = 600;

fn inline_quotes(draft: &str) -> Vec<Extracted> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = draft.char_indices().collect();
    // Found once, so that each quotation costs what is near it, not the draft before it.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(draft.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let paragraph_starts: Vec<usize> = std::iter::once(0)
        .chain(draft.match_indices("\n\n").map(|(i, _)| i + 2))
        .collect();
    let last_at_or_before = |starts: &[usize], byte: usize| {
        let i = starts.partition_point(|&s| s <= byte);
        starts.get(i.saturating_sub(1)).copied().unwrap_or(0)
    };
    let line_start = |byte: usize| last_at_or_before(&line_starts, byte);
    let in_block = |byte: usize| {
        draft
            .get(line_start(byte)..)
            .is_some_and(|l| l.trim_start().starts_with('>'))
    };
    let word = |i: usize| i < chars.len() && chars[i].1.is_alphanumeric();
    // Where the last quotation found ends.
    let mut prev_end = 0;
    let mut i = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        let opens_single = c == '‘' || (c == '\'' && (i == 0 || !word(i - 1)) && word(i + 1));
        let (close, single) = match c {
            '“' => ('”', false),
            '"' => ('"', false),
            _ if opens_single => (if c == '‘' { '’' } else { '\'' }, true),
            _ => {
                i += 1;
                continue;
            }
        };
        // The closing mark; for single quotes, one not followed by a letter (not an apostrophe).
        let end = (i + 1..chars.len()).find(|&j| chars[j].1 == close && (!single || !word(j + 1)));
        let Some(j) = end.filter(|_| !in_block(b)) else {
            i += 1;
            continue;
        };
        let quote: String = chars[i + 1..j].iter().map(|&(_, c)| c).collect();
        let quote = crate::source::document::collapse_whitespace(&quote);
        let words = normalize(&quote).token_count();
        if words >= 1 && !Quote::parse(&quote).segments.is_empty() {
            let paragraph_start = last_at_or_before(&paragraph_starts, b);
            // The line before the quotation, as far back as a sentence that names a speaker
            // can reach.
            let mut from = line_start(b).max(b.saturating_sub(SPEAKER_REACH));
            while !draft.is_char_boundary(from) {
                from += 1;
            }
            let before = draft.get(from..b).unwrap_or("");
            let after_start = chars.get(j + 1).map_or(draft.len(), |&(x, _)| x);
            let mut to = (after_start + SPEAKER_REACH).min(draft.len());
            while !draft.is_char_boundary(to) {
                to -= 1;
            }
            let after = draft.get(after_start..to.max(after_start)).unwrap_or("");
            let by = speaker(before, after).or_else(|| {
                // Whoever the paragraph last named, where the words between go on with them:
                // "… and added: “…”", "He said …", or only their tag (`“Thank you,” said Ms.
                // Chen. “It has been …”`).
                let last = out
                    .last()
                    .filter(|e: &&Extracted| e.start >= paragraph_start)?;
                let name = last.by.as_ref()?;
                let between = draft.get(prev_end..b).unwrap_or("");
                let tag_only =
                    between.contains(name.as_str()) && between.split_whitespace().count() <= 8;
                (tag_only || continues_speaker(before)).then(|| name.clone())
            });
            // One word is a quotation only when someone is said to have said it (else it
            // is a scare quote, a title or a term).
            if words >= 2 || by.is_some() {
                out.push(Extracted {
                    by,
                    quote,
                    line: line_starts.partition_point(|&s| s <= b),
                    start: b,
                });
                prev_end = after_start;
            }
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extract_finds_quotes_and_speakers() {
        let draft = "# Draft\n\n“Off the record I don’t know who that is,” Trump Jr. wrote. Then \"Thanks a lot,\" said WikiLeaks.\nWikiLeaks wrote: “Hey Don. We have an ‘unusual’ idea.” It is Trump’s idea.\n\n> Leak us one or more\n> of your father’s tax returns.\n\nHe called it 'a real kicker' and left.\n";
        let got: Vec<(String, Option<String>)> = extract(draft)
            .into_iter()
            .map(|e| (e.quote, e.by))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Off the record I don’t know who that is,".to_string(),
                    Some("Trump Jr.".to_string())
                ),
                ("Thanks a lot,".to_string(), Some("WikiLeaks".to_string())),
                (
                    "Hey Don. We have an ‘unusual’ idea.".to_string(),
                    Some("WikiLeaks".to_string())
                ),
                (
                    "Leak us one or more of your father’s tax returns.".to_string(),
                    None
                ),
                ("a real kicker".to_string(), None),
            ]
        );
    }
}
