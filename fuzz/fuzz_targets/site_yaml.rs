//! Fuzz target: `content/site.yaml`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| aushang::fuzzing::site_yaml(data));
