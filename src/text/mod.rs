//! Text: the one definition of "the same words" (normalization) and the English word lists
//! the explanations and facts rely on.

pub(crate) mod lexicon;
pub(crate) mod normalize;
mod starts;
