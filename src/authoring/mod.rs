//! Authoring: adding claims without ever breaking a claims file, starting a claims folder,
//! validating files fast, and extracting the quotations of a draft.

mod add;
mod extract;
mod find;
mod fsutil;
mod init;
mod validate;

pub use add::{NewClaim, Trial, append_entry, append_to_file, generate_id, trial, yaml_quote};
pub use extract::{Extracted, extract, same_words};
pub use find::{FoundIn, FoundPassage, find};
pub use fsutil::write_atomically;
pub use init::{EXAMPLE_CLAIMS, EXAMPLE_SOURCE, init};
pub use validate::{Validated, validate};
