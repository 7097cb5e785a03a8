//! One file per command, each a short function over the library.

pub mod add;
pub mod cached;
pub mod check;
pub mod clean;
pub mod extract;
pub mod find;
pub mod init;
pub mod merge;
pub mod progress;
pub mod report;
pub mod shell;
pub mod validate;
