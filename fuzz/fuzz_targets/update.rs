//! Fuzz target: `update` on a service or incident file (input format: `aushang::fuzzing::update`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| aushang::fuzzing::update(data));
