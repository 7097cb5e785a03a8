//! `extract`: the quotations of a draft and their speakers.

use crate::quote::Quote;
use crate::text::lexicon::SPEECH_VERBS;
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
                "The" | "A" | "An" | "He" | "She" | "They" | "It" | "We" | "I"
            )
        {
            return None;
        }
        // A full stop ends the sentence, unless it ends an abbreviation ("Jr.", "U.S.").
        let abbreviation =
            matches!(core, "Jr" | "Sr" | "Mr" | "Mrs" | "Ms" | "Dr" | "St") || core.contains('.');
        if w.ends_with('.') && !abbreviation {
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

/// The speaker named next to a quotation: `…,” Trump Jr. said`, `said WikiLeaks`,
/// `WikiLeaks wrote: “…`.
fn speaker(before: &str, after: &str) -> Option<String> {
    let verb = |w: &str| {
        SPEECH_VERBS.contains(
            &w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
                .as_str(),
        )
    };
    // After the quote, up to the end of the sentence.
    let after = after.trim_start_matches([',', ' ', '\u{a0}']);
    // Up to the next quotation or the end of the paragraph; a line break is a space.
    let paragraph = after.split("\n\n").next().unwrap_or("").replace('\n', " ");
    let sentence: String = paragraph
        .chars()
        .take_while(|&c| !matches!(c, '“' | '"'))
        .collect();
    let words: Vec<&str> = sentence.split_whitespace().take(8).collect();
    if let Some(first) = words.first() {
        if verb(first) {
            // "said WikiLeaks", "said Alan Futerfas, an attorney"
            if let Some(n) = leading_name(&words[1..].join(" ")) {
                return Some(n);
            }
        } else if let Some(n) = leading_name(&sentence) {
            // "Trump Jr. responded", "WikiLeaks wrote"
            let after_name = sentence[sentence.find(&n).map_or(0, |i| i + n.len())..]
                .trim_start_matches([',', '.']);
            if after_name.split_whitespace().next().is_some_and(verb) {
                return Some(n);
            }
        }
    }
    // Before the quote: "WikiLeaks wrote: “…", "Trump Jr. responded, “…".
    let tail: Vec<&str> = before
        .split_whitespace()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if let Some(vi) = tail.iter().rposition(|w| verb(w)) {
        let start = tail[..vi]
            .iter()
            .rposition(|w| w.ends_with(['.', '!', '?']))
            .map_or(0, |i| i + 1);
        if let Some(n) = leading_name(&tail[start..vi].join(" ")) {
            return Some(n);
        }
    }
    None
}

/// Every quotation in a draft: double quotes (curly or straight), single quotes that stand as
/// quotation marks rather than apostrophes, and Markdown block quotes. Quotes nested inside a
/// quotation stay part of it.
pub fn extract(draft: &str) -> Vec<Extracted> {
    let mut out = block_quotes(draft);
    out.extend(inline_quotes(draft));
    out.sort_by_key(|e| e.line);
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
fn inline_quotes(draft: &str) -> Vec<Extracted> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = draft.char_indices().collect();
    let in_block = |byte: usize| {
        let line_start = draft[..byte].rfind('\n').map_or(0, |i| i + 1);
        draft[line_start..].trim_start().starts_with('>')
    };
    let word = |i: usize| i < chars.len() && chars[i].1.is_alphanumeric();
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
        // Two words at least, outside any editorial brackets.
        if normalize(&quote).token_count() >= 2 && !Quote::parse(&quote).segments.is_empty() {
            let before = &draft[draft[..b].rfind(['\n']).map_or(0, |x| x + 1)..b];
            let after_start = chars.get(j + 1).map_or(draft.len(), |&(x, _)| x);
            out.push(Extracted {
                by: speaker(before, &draft[after_start..]),
                quote,
                line: line_of(draft, b),
            });
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
