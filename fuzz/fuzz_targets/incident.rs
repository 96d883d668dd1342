//! Fuzz target: an incident or maintenance file (`content/incidents/<id>.yaml`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| aushang::fuzzing::incident(data));
