#![no_main]
//! See `quotecheck::fuzz::check` for what must hold.

libfuzzer_sys::fuzz_target!(|data: &[u8]| quotecheck::fuzz::check(data));
