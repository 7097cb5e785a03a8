#![no_main]
//! See `quotecheck::fuzz::claims_file` for what must hold.

libfuzzer_sys::fuzz_target!(|data: &[u8]| quotecheck::fuzz::claims_file(data));
