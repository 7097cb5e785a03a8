//! quotecheck: check quotations and claims against their source documents.
//!
//! Modules by concern, in the order data flows through them:
//! - [`claims`]: the YAML claims files, parsed with line/column for every value;
//! - [`document`]: source files, their visible text and `line:column` mapping;
//! - [`normalize`]: the one definition of "the same words";
//! - [`quote`]: quotation conventions (ellipsis segments, editorial brackets);
//! - [`matcher`]: finding the closest passage (token index, exact alignment, certification);
//! - [`explain`]: what differs and whether it matters, ambiguity, strictness, attribution;
//! - [`facts`]: facts checked by key terms, values compared by meaning;
//! - [`check`]: loading everything and deciding verdicts;
//! - [`report`]: the human and JSON reports;
//! - [`diagnostic`]: errors with `file:line:column` and a fix;
//! - [`authoring`]: adding claims safely, `init`, `validate`;
//! - [`cli`]: the command line.

pub mod authoring;
pub mod check;
pub mod claims;
pub mod cli;
pub mod diagnostic;
pub mod document;
pub mod explain;
pub mod facts;
pub mod matcher;
pub mod normalize;
pub mod quote;
pub mod report;
