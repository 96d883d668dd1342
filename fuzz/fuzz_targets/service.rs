//! Fuzz target: a service file (`content/services/<id>.yaml`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| aushang::fuzzing::service(data));
