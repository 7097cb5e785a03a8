//! Decoding a source's bytes: a byte order mark wins, then the encoding the claims file
//! declares, then an HTML page's own `<meta charset>`, else UTF-8. Bytes that are not valid in
//! the encoding chosen are an error, never replaced: a quote must not match a character the
//! file does not have.

use encoding_rs::{DecoderResult, Encoding, UTF_8};

use super::document::{Format, LoadError};

/// How far into an HTML page a browser looks for its `<meta charset>`.
const PRESCAN_BYTES: usize = 1024;

/// The text of `bytes`, decoded as the first of: its BOM, `declared`, an HTML page's
/// `<meta charset>`, UTF-8. UTF-8 keeps the bytes' own buffer: a copy of a 100 MB source
/// was 8 % of the CPU samples of a run whose results were all cached.
pub(crate) fn decode(
    mut bytes: Vec<u8>,
    declared: Option<&'static Encoding>,
    format: Format,
) -> Result<String, LoadError> {
    let (encoding, bom) = match Encoding::for_bom(&bytes) {
        Some((e, bom)) => (e, bom),
        None => {
            let meta = (format == Format::Html)
                .then(|| meta_charset(&bytes))
                .flatten();
            (declared.or(meta).unwrap_or(UTF_8), 0)
        }
    };
    if encoding == UTF_8 {
        bytes.drain(..bom);
        return String::from_utf8(bytes).map_err(|e| LoadError::InvalidUtf8 {
            offset: bom + e.utf8_error().valid_up_to(),
        });
    }
    let body = bytes.get(bom..).unwrap_or_default();
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(body.len())
        .ok_or(LoadError::TooLarge)?;
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(text),
        DecoderResult::Malformed(bad, after) => Err(LoadError::Malformed {
            encoding: encoding.name(),
            offset: bom + read - bad as usize - after as usize,
        }),
        DecoderResult::OutputFull => Err(LoadError::TooLarge),
    }
}

/// The encoding named by a `<meta charset=…>` or `<meta http-equiv="Content-Type"
/// content="…; charset=…">` near the top of an HTML page (a browser's prescan, simplified).
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut at = 0;
    while let Some(i) = find(&lower[at..], b"<meta") {
        let start = at + i;
        let end = find(&lower[start..], b">").map_or(lower.len(), |j| start + j);
        let tag = &lower[start..end];
        if let Some(k) = find(tag, b"charset") {
            let value = tag[k + b"charset".len()..]
                .iter()
                .skip_while(|&&c| c == b' ' || c == b'=' || c == b'"' || c == b'\'')
                .take_while(|&&c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.')
                })
                .copied()
                .collect::<Vec<u8>>();
            // A page that says UTF-16 in ASCII is not UTF-16; browsers read it as UTF-8.
            return Encoding::for_label(&value).map(Encoding::output_encoding);
        }
        at = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::WINDOWS_1252;

    fn text(bytes: &[u8], declared: Option<&'static Encoding>, format: Format) -> String {
        decode(bytes.to_vec(), declared, format).unwrap()
    }

    #[test]
    fn a_byte_order_mark_decides() {
        assert_eq!(
            text(b"\xEF\xBB\xBFcaf\xC3\xA9", None, Format::Plain),
            "café"
        );
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("café".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(text(&le, Some(WINDOWS_1252), Format::Plain), "café");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("café".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(text(&be, None, Format::Html), "café");
    }

    #[test]
    fn a_page_may_name_its_encoding() {
        let page =
            b"<html><head><meta charset=\"windows-1252\"></head><p>caf\xE9 \x93quoted\x94</p>";
        assert!(text(page, None, Format::Html).ends_with("<p>café “quoted”</p>"));
        let old = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"><p>M\xFCnchen";
        assert!(text(old, None, Format::Html).ends_with("München"));
        // The claims file's word comes before the page's.
        let latin = b"<meta charset=\"utf-8\"><p>\xE9";
        assert!(text(latin, Some(WINDOWS_1252), Format::Html).ends_with('é'));
    }

    #[test]
    fn bytes_not_valid_in_their_encoding_are_an_error() {
        let e = decode(b"caf\xE9".to_vec(), None, Format::Plain).unwrap_err();
        assert!(matches!(e, LoadError::InvalidUtf8 { offset: 3 }), "{e}");
        let odd = [0xFF, 0xFE, b'a', 0, 0x00, 0xD8];
        let e = decode(odd.to_vec(), None, Format::Plain).unwrap_err();
        assert!(
            matches!(
                e,
                LoadError::Malformed {
                    encoding: "UTF-16LE",
                    ..
                }
            ),
            "{e}"
        );
        // Plain text is never sniffed for a meta tag.
        assert!(
            decode(
                b"<meta charset=windows-1252> caf\xE9".to_vec(),
                None,
                Format::Plain
            )
            .is_err()
        );
    }
}
