#![no_main]
//! See `quotecheck::fuzz::extraction` for what must hold.

libfuzzer_sys::fuzz_target!(|data: &[u8]| quotecheck::fuzz::extraction(data));
