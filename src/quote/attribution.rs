//! Attribution: is the speaker named near the quote?

use crate::source::document::Document;
use crate::text::lexicon::name_forms;

/// How many words around a quote its speaker must be named within.
pub(crate) const ATTRIBUTION_WINDOW: usize = 40;

/// Is the speaker `by` named within [`ATTRIBUTION_WINDOW`] words of tokens `first..=last`?
pub(crate) fn attribution_near(doc: &Document, first: usize, last: usize, by: &str) -> bool {
    let lo = first.saturating_sub(ATTRIBUTION_WINDOW);
    let hi = (last + ATTRIBUTION_WINDOW).min(doc.norm.token_count() - 1);
    let window = doc.norm.words_in(lo..hi + 1);
    name_forms(by).iter().any(|form| {
        let f = form.words();
        window.windows(f.len()).any(|w| w == f.as_slice())
    })
}
