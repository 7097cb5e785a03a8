//! Sources: documents as a reader sees them, and the corpus of every version the claims name.

pub(crate) mod corpus;
pub(crate) mod document;
mod encoding;
pub(crate) mod markup;
