//! A large claims file parsed on every core: its `claims:` list cut at item lines, each part
//! parsed alone, the rest of the file parsed with an empty list in its place.
//!
//! The YAML parser is sequential, and it was the whole first second of a run over 100,000
//! claims. A cut is only made where the layout makes the parts read as the whole does, and a
//! wrong cut cannot pass unnoticed: a line at the list's indent cannot continue a block or
//! plain scalar of an item, so a cut inside a quoted scalar or flow collection leaves it
//! unterminated, and its part fails. Any failure, or a rest that does not hold exactly the
//! empty list put there, means the whole file is parsed as one (which also gives the error).

use rayon::prelude::*;

use super::raw::RawFile;

/// Below this, one parse costs less than cutting.
pub(super) const LEAST_BYTES: usize = 1 << 20;

/// Bytes of claims a part holds at least.
pub(super) const PART_BYTES: usize = 256 << 10;

/// The claims of `text`, parsed in parts on all threads; `None` when the file is not laid
/// out so that this is certain to agree with one parse (then the caller parses it whole).
pub(super) fn parse(text: &str, least_part: usize) -> Option<RawFile> {
    let cut = Cut::find(text)?;
    let threads = rayon::current_num_threads().max(1);
    let least = least_part.max((cut.end - cut.start) / (4 * threads)).max(1);
    let parts = cut.parts(text, least);
    if parts.len() < 2 {
        return None;
    }
    let rest = cut.rest(text);
    let (rest, claims) = rayon::join(
        || super::from_yaml(&rest),
        || {
            parts
                .par_iter()
                .map(|&(line, part)| {
                    // Blank lines keep every line where it is in the file.
                    let doc = format!("claims:\n{}{part}", "\n".repeat(line.saturating_sub(2)));
                    match super::from_yaml(&doc) {
                        Ok(RawFile {
                            settings: None,
                            sources: None,
                            claims: Some(claims),
                        }) => Some(claims),
                        _ => None,
                    }
                })
                .collect::<Option<Vec<_>>>()
        },
    );
    let mut rest = rest.ok()?;
    if !rest.claims.as_ref().is_some_and(Vec::is_empty) {
        return None;
    }
    rest.claims = Some(claims?.into_iter().flatten().collect());
    Some(rest)
}

/// Where the `claims:` list is: its items from `start` to `end`, at `indent`.
#[derive(Debug, PartialEq)]
struct Cut {
    start: usize,
    end: usize,
    indent: usize,
    /// The line `start` is on (1-based).
    line: usize,
}

/// Where a top-level key's line stands.
#[derive(PartialEq)]
enum State {
    Before,
    /// After `claims:`, before its first item.
    Header,
    In,
    After,
}

impl Cut {
    /// The list, when every line at the left margin outside it is a comment or `settings:`,
    /// `sources:` or (once, with nothing after it) `claims:`, and its first item follows.
    fn find(text: &str) -> Option<Cut> {
        let mut state = State::Before;
        let mut cut = Cut {
            start: 0,
            end: text.len(),
            indent: 0,
            line: 0,
        };
        let mut at = 0;
        for (n, line) in text.split_inclusive('\n').enumerate() {
            let body = line.trim_end_matches(['\n', '\r']);
            let blank = body.trim_matches([' ', '\t']).is_empty();
            let comment = body.trim_start_matches(' ').starts_with('#');
            let margin = !blank && !comment && !body.starts_with(' ');
            match state {
                State::Header if !blank && !comment => {
                    cut.indent = body.len() - body.trim_start_matches(' ').len();
                    if !item_at(body, cut.indent) {
                        return None;
                    }
                    (cut.start, cut.line, state) = (at, n + 1, State::In);
                }
                State::In if margin && !(cut.indent == 0 && item_at(body, 0)) => {
                    cut.end = at;
                    state = State::After;
                    key_line(body, false)?;
                }
                State::Before | State::After if margin => {
                    let claims = key_line(body, state == State::Before)?;
                    if claims {
                        state = State::Header;
                    }
                }
                _ => {}
            }
            at += line.len();
        }
        matches!(state, State::In | State::After).then_some(cut)
    }

    /// The items cut into parts of at least `least` bytes, each with the line it starts on.
    fn parts<'t>(&self, text: &'t str, least: usize) -> Vec<(usize, &'t str)> {
        let Some(list) = text.get(self.start..self.end) else {
            return Vec::new();
        };
        let mut parts = Vec::new();
        let (mut from, mut from_line) = (0, self.line);
        let (mut at, mut line) = (0, self.line);
        // `from <= at <= list.len()`, both sums of whole lines: the slices below cannot fail.
        for l in list.split_inclusive('\n') {
            if at - from >= least && item_at(l.trim_end_matches(['\n', '\r']), self.indent) {
                parts.push((from_line, &list[from..at]));
                (from, from_line) = (at, line);
            }
            at += l.len();
            line += 1;
        }
        parts.push((from_line, &list[from..]));
        parts
    }

    /// The file with an empty list where the items were, every line where it was.
    fn rest(&self, text: &str) -> String {
        let before = text.get(..self.start).unwrap_or_default();
        let list = text.get(self.start..self.end).unwrap_or_default();
        let after = text.get(self.end..).unwrap_or_default();
        let lines = list.split_inclusive('\n').count();
        format!(
            "{before}  []\n{}{after}",
            "\n".repeat(lines.saturating_sub(1))
        )
    }
}

/// Whether `line` is an item of a block sequence at `indent`: that many spaces, then `-`
/// alone or before a space.
fn item_at(line: &str, indent: usize) -> bool {
    let Some(rest) = line.get(indent..) else {
        return false;
    };
    line.as_bytes().iter().take(indent).all(|&b| b == b' ')
        && (rest == "-" || rest.starts_with("- "))
}

/// For a line at the left margin: `Some(true)` for the `claims:` that heads the list (when
/// `claims` may come), `Some(false)` for `settings:` or `sources:`, `None` for anything else.
fn key_line(line: &str, claims: bool) -> Option<bool> {
    let (key, rest) = line.split_once(':')?;
    let rest_empty = rest.trim_matches([' ', '\t']).is_empty()
        || (rest.starts_with([' ', '\t']) && rest.trim_start_matches([' ', '\t']).starts_with('#'));
    match key {
        "claims" if claims && rest_empty => Some(true),
        "settings" | "sources" if rest.is_empty() || rest.starts_with([' ', '\t']) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::path::Path;

    /// What a user sees of a parse: the claims file and every problem.
    fn seen(raw: Result<RawFile, serde_saphyr::Error>, text: &str) -> String {
        format!(
            "{:?}",
            super::super::checked(Path::new("c.yaml"), text, raw)
        )
    }

    /// One item of the list, at indent `m`, in one of the shapes YAML allows (and a few it
    /// does not, or that hide a list item's line inside a scalar).
    fn item(shape: usize, n: usize, m: &str) -> String {
        let c = format!("{m}  ");
        match shape {
            0 => format!("{m}- id: q{n}\n{c}quote: plain words {n}\n"),
            1 => format!("{m}- {{id: q{n}, quote: \"flow words {n}\", expect: missing}}\n"),
            2 => format!("{m}- id: q{n}\n{c}quote: |\n{c}  block one\n\n{c}  block two\n\n"),
            3 => format!("{m}- id: q{n}\n{c}quote: |+\n{c}  kept\n\n\n"),
            4 => format!("{m}- id: q{n}\n{c}quote: >-\n{c}  folded\n{c}  words\n"),
            5 => format!("{m}- id: q{n}\n{c}quote: \"multi\n{c}  line\"\n"),
            6 => format!("{m}- id: q{n}\n{c}quote: 'it''s'\n{c}note: plain\n{c}  continued\n"),
            7 => format!("{m}  # a comment\n# at the margin\n\n"),
            8 => format!("{m}- &a{n} {{id: q{n}, quote: anchored}}\n"),
            9 => format!("{m}- *a{}\n", n.saturating_sub(1)),
            10 => format!("{m}- id: q{n}\n{c}quote: \"hides\n{m}- an item\"\n"),
            11 => format!("{m}- id: q{n}\n{c}quote: \"hides\nsettings: a key\"\n"),
            12 => format!("{m}- {{id: q{n},\n{c}quote: spread}}\n"),
            13 => format!("{m}- {{id: q{n},\n{m}- quote: broken}}\n"),
            14 => format!("{m}- id: q{n}\n{c}fact: Stated in {n}\n{c}keys: [a, b]\n"),
            15 => format!("{m}- id: q0\n{c}quote: a repeated id\n"),
            16 => format!("{m}- id: q{n}\n{c}quote: \"never closed\n"),
            17 => format!("{m}- id: q{n}\n{c}quote: \"\"\n"),
            18 => format!("{m}-\n{c}id: q{n}\n{c}quote: on the next line\n"),
            _ => format!("{m}- id: q{n}\n{c}qoute: misspelled\n"),
        }
    }

    /// A claims file with the items `shapes`; `wrapped` puts the whole list in a quoted
    /// title that a line at the margin closes, which the parser allows.
    fn file(shapes: &[usize], indent: usize, after: bool, wrapped: bool, crlf: bool) -> String {
        let m = " ".repeat(indent);
        let mut text = String::from("sources:\n  s:\n    versions:\n      t: a.txt\n");
        if wrapped {
            text += "    title: \"opens\n";
        }
        text += "claims:\n";
        for (n, &shape) in shapes.iter().enumerate() {
            text += &item(shape, n, &m);
        }
        if wrapped {
            text += "settings: closes\"\n";
        } else if after {
            text += "settings:\n  threshold: 0.9\n";
        }
        if crlf {
            text.replace('\n', "\r\n")
        } else {
            text
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Whatever the items, parts that parse read as the whole does, and a file that
        /// does not parse whole is never taken from its parts.
        #[test]
        fn parts_read_as_the_whole_or_are_not_used(
            shapes in proptest::collection::vec(prop_oneof![6 => 0usize..8, 4 => 0usize..20], 1..24),
            indent in prop_oneof![Just(0usize), Just(2), Just(4)],
            after: bool,
            wrapped in proptest::bool::weighted(0.1),
            crlf: bool,
            least in 1usize..200,
        ) {
            let text = file(&shapes, indent, after, wrapped, crlf);
            let whole = super::super::from_yaml(&text);
            let failed = whole.is_err();
            let whole = seen(whole, &text);
            if let Some(raw) = parse(&text, least) {
                prop_assert!(!failed, "parts parsed, the whole did not: {text:?}");
                prop_assert_eq!(seen(Ok(raw), &text), whole, "{:?}", text);
            }
        }
    }

    #[test]
    fn an_ordinary_list_is_parsed_in_parts_as_it_is_whole() {
        let shapes: Vec<usize> = (0..2000).map(|n| [0, 1, 2, 4, 6, 14][n % 6]).collect();
        for indent in [0, 2] {
            let text = file(&shapes, indent, true, false, false);
            let cut = Cut::find(&text).unwrap();
            assert!(cut.parts(&text, 4096).len() > 10);
            let raw = parse(&text, 4096).expect("an ordinary list is cut");
            assert_eq!(raw.claims.as_ref().map(Vec::len), Some(2000));
            assert_eq!(
                seen(Ok(raw), &text),
                seen(super::super::from_yaml(&text), &text)
            );
        }
    }

    #[test]
    fn the_list_is_found_between_the_other_keys() {
        let text = "# c\nsources:\n  s:\n    versions: {t: a.txt}\nclaims: # mine\n\n  # first\n  - id: a\n    quote: x\n  - id: b\n    quote: y\nsettings:\n  strict: true\n";
        let cut = Cut::find(text).unwrap();
        assert_eq!(
            (cut.indent, cut.line),
            (2, 8),
            "the list starts at its first item"
        );
        assert!(text[cut.start..cut.end].starts_with("  - id: a"));
        assert!(text[cut.end..].starts_with("settings:"));
        let parts = cut.parts(text, 1);
        let lines: Vec<usize> = parts.iter().map(|p| p.0).collect();
        assert_eq!(lines, [8, 10]);
        let rest = cut.rest(text);
        assert_eq!(rest.lines().count(), text.lines().count());
        assert!(rest.contains("claims: # mine\n\n  # first\n  []\n\n\n\nsettings:"));
    }

    #[test]
    fn anything_else_at_the_margin_is_not_cut() {
        for text in [
            "---\nclaims:\n  - id: a\n",
            "%YAML 1.2\nclaims:\n  - id: a\n",
            "\"claims\":\n  - id: a\n",
            "claims: [a]\n",
            "claims:\n  - id: a\nclaims:\n  - id: b\n",
            "claims:\n  id: a\n",
            "{sources: {},\nclaims:\n  - id: a\n}\n",
            "sources:\n  s: {}\n",
            "\u{feff}claims:\n  - id: a\n",
            "claims:\n\t- id: a\n",
        ] {
            assert_eq!(Cut::find(text), None, "{text:?}");
        }
        assert!(Cut::find("claims:\n- id: a\n- id: b\nsources:\n  s: {}\n").is_some());
    }
}
