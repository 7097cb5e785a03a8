//! serde-saphyr errors as diagnostics, with a suggestion for misspelled fields.

use std::path::Path;

use crate::diagnostic::{Diagnostic, closest};

/// A YAML or shape error from the parser, with a suggestion for misspelled fields.
pub(super) fn yaml_error(path: &Path, text: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let (line, column) = e
        .location()
        .map_or((0, 0), |l| (l.line() as usize, l.column() as usize));
    let plain = e.without_snippet().to_string();
    // serde-saphyr appends " at line L, column C"; the location is shown separately.
    let message = match plain.rfind(" at line ") {
        Some(i) => plain[..i].to_string(),
        None => plain,
    };
    let mut d = Diagnostic::error(message.clone())
        .at(path, line, column)
        .with_source(text);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = match expected.split_once("expected one of ") {
            Some((_, list)) => list.split(", ").map(|s| s.trim_matches('`')).collect(),
            None => match expected.split_once("expected ") {
                Some((_, one)) => vec![one.trim_matches('`')],
                None => super::raw::FILE_FIELDS.to_vec(),
            },
        };
        d = d.help(match closest(field, known.iter().copied()) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("known fields here: {}", known.join(", ")),
        });
    } else if message.contains("duplicate mapping key") {
        d = d.help("each key may appear once in a mapping; remove or rename the repeated one");
    } else {
        d = d.help("see the claims file format in README.md");
    }
    d
}
