//! The command line, run as a user runs it: the real binary, on files the tests write or own
//! (`tests/fixtures/`). One test binary with a module per area, as ripgrep and ruff do: one
//! link instead of seven.

mod authoring;
mod cache;
mod check;
mod conventions;
mod errors;
mod facts;
mod formats;
mod hostile;
mod layers;
mod packaging;
mod project;
mod shards;
mod sources;
mod support;
