//! Sources as a reader sees them, through the binary: a quote typed as the rendered page shows
//! it is exact, at the place of its first character in the raw file, and no page makes the
//! tool panic.

use crate::support::{Scratch, quotecheck};
use serde_json::Value;

/// Check `quotes` (each exact) against one source file `name` holding `text`; the report.
fn check(name: &str, text: &str, quotes: &[&str]) -> Value {
    let s = Scratch::new();
    s.write(name, text);
    let mut yaml = format!("sources:\n  page:\n    versions:\n      v: {name}\nclaims:\n");
    for (i, q) in quotes.iter().enumerate() {
        yaml.push_str(&format!(
            "  - id: q{i}\n    quote: {}\n",
            serde_json::to_string(q).unwrap()
        ));
    }
    s.write("claims.yaml", &yaml);
    let out = quotecheck()
        .current_dir(s.path())
        .args(["check", "--format", "json", "claims.yaml"])
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(101),
        "panicked: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn verdicts(r: &Value) -> Vec<String> {
    r["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verdict"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn html_with_entities_and_multibyte_text_is_read_as_shown() {
    let page = "<html><head><title>Gr&uuml;&szlig;e</title></head>\n<body>\n\
        <p>R&D: 日本語 hello</p>\n<p>Daten & Privatsphäre schützen</p>\n\
        <p title=\"a > b\">Gr&uuml;&szlig;e aus M&uuml;nchen &middot; Tegsedi&trade; works</p>\n</body></html>\n";
    let r = check(
        "page.html",
        page,
        &[
            "R&D: 日本語 hello",
            "Daten & Privatsphäre schützen",
            "Grüße aus München",
            "Tegsedi works",
        ],
    );
    assert_eq!(verdicts(&r), ["exact"; 4]);
    // Each location is the quote's first character in the raw file.
    let at = |i: usize| {
        let v = &r["claims"][i]["versions"][0];
        (v["line"].as_u64().unwrap(), v["column"].as_u64().unwrap())
    };
    assert_eq!(at(0), (3, 4));
    assert_eq!(at(2), (5, 18));
    // The title is no part of the page: "Grüße" occurs once.
    assert_eq!(r["claims"][2]["versions"][0]["occurrences"], 1);
}

#[test]
fn markdown_front_matter_and_html_are_read_as_the_page_shows() {
    let md = "---\ntitle: Submandibular sialolithiasis mimicking Ludwig's angina, 2024.\n---\n\n\
        # Submandibular sialolithiasis mimicking Ludwig's angina\n\n\
        <p>Variants in the GBA1 gene are a risk factor.</p>\n\n\
        Levels of TNF<br>alpha rose in HLA-B*35:01 and HLA-B*08:01 carriers.\n";
    let r = check(
        "cache.md",
        md,
        &[
            "Submandibular sialolithiasis mimicking Ludwig's angina",
            "Variants in the GBA1 gene are a risk factor.",
            "TNF alpha rose in HLA-B*35:01 and HLA-B*08:01 carriers",
        ],
    );
    assert_eq!(verdicts(&r), ["exact"; 3]);
    // The front matter's title is metadata: the heading is the one occurrence.
    assert_eq!(r["claims"][0]["versions"][0]["occurrences"], 1);
    assert_eq!(r["claims"][0]["versions"][0]["line"], 5);
}

#[test]
fn sources_in_other_encodings_are_decoded_as_declared() {
    let s = Scratch::new();
    // windows-1252: é is 0xE9, the curly quotes 0x93 and 0x94.
    std::fs::write(
        s.path().join("latin.txt"),
        b"Le caf\xE9 est \x93ouvert\x94 le matin.\n",
    )
    .unwrap();
    std::fs::write(
        s.path().join("page.html"),
        b"<meta charset=\"windows-1252\"><p>M\xFCnchen im Fr\xFChling</p>",
    )
    .unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("Grüße aus Köln\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(s.path().join("wide.txt"), utf16).unwrap();
    let yaml = "sources:\n  latin:\n    versions:\n      v: {path: latin.txt, encoding: windows-1252}\n\
        \x20 page:\n    versions:\n      v: page.html\n\
        \x20 wide:\n    versions:\n      v: wide.txt\n\
        claims:\n\
        \x20 - {id: cafe, source: latin, quote: \"Le café est “ouvert” le matin\"}\n\
        \x20 - {id: munich, source: page, quote: \"München im Frühling\"}\n\
        \x20 - {id: cologne, source: wide, quote: \"Grüße aus Köln\"}\n";
    s.write("claims.yaml", yaml);
    let out = quotecheck()
        .current_dir(s.path())
        .args(["check", "--format", "json", "claims.yaml"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdicts(&r), ["exact"; 3]);
    assert_eq!(r["claims"][0]["versions"][0]["column"], 1);

    // The error `check` gives with `version` as the latin source's version.
    let error_with = |version: &str| {
        let yaml = format!(
            "sources:\n  latin:\n    versions:\n      v: {version}\nclaims:\n  - {{id: a, quote: caf}}\n"
        );
        s.write("claims.yaml", &yaml);
        let out = quotecheck()
            .current_dir(s.path())
            .args(["check", "claims.yaml"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{version}");
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    // Undeclared, the same bytes are a clear error that says what to do.
    let err = error_with("latin.txt");
    assert!(
        err.contains("not valid UTF-8 (first bad byte at offset 6)"),
        "{err}"
    );
    assert!(err.contains("`encoding:`"), "{err}");
    // An encoding nobody knows is an error in the claims file, at its place.
    let err = error_with("{path: latin.txt, encoding: latin-99}");
    assert!(err.contains("unknown encoding `latin-99`"), "{err}");
    assert!(err.contains("claims.yaml:4:"), "{err}");
}

#[test]
fn words_of_scripts_without_spaces_can_be_quoted_in_part() {
    let r = check(
        "zh.txt",
        "我学数学。\n日本語のテキストを読む。\n",
        &["数学", "テキスト", "日本語"],
    );
    assert_eq!(verdicts(&r), ["exact"; 3]);
    let at = |i: usize| {
        let v = &r["claims"][i]["versions"][0];
        (v["line"].as_u64().unwrap(), v["column"].as_u64().unwrap())
    };
    assert_eq!(at(0), (1, 3));
    assert_eq!(at(1), (2, 5));
}

#[test]
fn greek_letters_match_their_spelled_names_both_ways() {
    let r = check(
        "bio.txt",
        "Levels of TNF-α and alpha-catenin rose; β2 receptors did not. The λόγος was clear.\n",
        &[
            "Levels of TNF-alpha and α-catenin rose",
            "beta2 receptors did not",
            "The λόγος was clear",
            "The logos was clear",
        ],
    );
    assert_eq!(verdicts(&r), ["exact", "exact", "exact", "missing"]);
}

#[test]
fn citation_markers_may_be_left_out_of_a_quote_or_kept() {
    let r = check(
        "paper.txt",
        "The effect was shown before[13]. It holds in mice[14, 15] and rats.[16] A ratio of [3] to one. Seen in dogs¹⁷ too, over 5 m².\n",
        &[
            "The effect was shown before.",
            "The effect was shown before[13].",
            "It holds in mice and rats.",
            "It holds in mice[14, 15] and rats.[16]",
            "A ratio of [3] to one",
            "A ratio of 3 to one",
            "A ratio of 4 to one",
        ],
    );
    assert_eq!(
        verdicts(&r),
        [
            "exact",
            "exact",
            "exact",
            "exact",
            "exact",
            "exact",
            "approximate"
        ]
    );
    // The changed number is still a changed number.
    assert_eq!(
        r["claims"][6]["versions"][0]["differences"][0]["kind"],
        "number"
    );
}

#[test]
fn a_word_hyphenated_at_a_line_break_is_quoted_whole() {
    let r = check(
        "abstract.txt",
        "Patients who received the treat-\nment recovered. It is a well-known\neffect of anti-\nTNF drugs.\n",
        &[
            "who received the treatment recovered",
            "a well-known effect",
            "anti-TNF drugs",
        ],
    );
    assert_eq!(verdicts(&r), ["exact"; 3]);
    assert_eq!(r["claims"][0]["versions"][0]["column"], 10);
}

#[test]
fn a_compound_broken_at_its_own_hyphen_is_quoted_with_it() {
    // The Declaration as a typeset page would break it; the source spells "self-evident"
    // on one line too, so the break keeps the hyphen.
    let r = check(
        "declaration.txt",
        "We hold these truths to be self-\nevident, that all men are created equal.\nThese self-evident truths.\n",
        &["We hold these truths to be self-evident, that all men"],
    );
    assert_eq!(verdicts(&r), ["exact"]);
}

#[test]
fn a_character_read_as_several_words_does_not_crash_the_report() {
    // `㍿` reads as four ideographs sharing one place in the file; showing a passage across
    // it once cut the text mid-character (exit 101).
    let r = check(
        "notes.txt",
        "Toyota \u{337F} makes cars in Japan and elsewhere\n",
        &[
            "Toyota \u{337F} makes cars in Japan",
            "Toyota Motor makes cars in Japan",
        ],
    );
    assert_eq!(verdicts(&r), ["exact", "missing"]);
    assert_eq!(
        r["claims"][1]["versions"][0]["passage"],
        "Toyota \u{337F} makes cars in Japan"
    );
}

#[test]
fn a_character_read_as_several_words_does_not_crash_strict_mode_or_facts() {
    let s = Scratch::new();
    s.write("notes.txt", "Toyota \u{337F}, makes 10 cars in Japan.\n");
    s.write(
        "claims.yaml",
        "sources:\n  page:\n    versions:\n      v: notes.txt\nclaims:\n  \
         - {id: q, quote: \"Toyota \u{337F} makes 10 cars\"}\n  \
         - {id: f, fact: \"Toyota \u{337F} makes 10 cars in Japan\"}\n",
    );
    let out = quotecheck()
        .current_dir(s.path())
        .args(["check", "--strict", "--format", "json", "claims.yaml"])
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(101),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Strict mode sees the comma the quote left out.
    assert_eq!(verdicts(&r), ["approximate", "exact"]);
}

/// Real pages nobody here wrote (`tests/fixtures/pages/PROVENANCE.md`): every sentence copied
/// from the page's readable text is exact, and its location is its first word in the raw file.
#[test]
fn real_pages_quote_exactly_at_the_first_character() {
    let dir = crate::support::example_dir().join("../pages");
    let out = quotecheck()
        .current_dir(&dir)
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let claims = r["claims"].as_array().unwrap();
    let mut per_page = std::collections::BTreeMap::<&str, usize>::new();
    for c in claims {
        *per_page.entry(c["file"].as_str().unwrap()).or_default() += 1;
    }
    assert!(per_page.len() >= 30, "the set keeps at least 30 pages");
    assert!(
        per_page.values().all(|&n| n >= 3),
        "every page keeps three sentences: {per_page:?}"
    );
    for c in claims {
        assert_eq!(c["verdict"], "exact", "{}", c["id"]);
        let v = &c["versions"][0];
        let raw = std::fs::read_to_string(dir.join(v["path"].as_str().unwrap())).unwrap();
        let line = raw
            .lines()
            .nth(v["line"].as_u64().unwrap() as usize - 1)
            .unwrap();
        let at: String = line
            .chars()
            .skip(v["column"].as_u64().unwrap() as usize - 1)
            .collect();
        let quote = c["versions"][0]["passage"].as_str().unwrap();
        let first_word = quote.split_whitespace().next().unwrap();
        assert!(
            at.starts_with(first_word),
            "{} {}: the location shows {:?}, not {first_word:?}",
            c["file"],
            c["id"],
            at.chars().take(30).collect::<String>()
        );
    }
}
