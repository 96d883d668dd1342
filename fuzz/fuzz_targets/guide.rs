//! Fuzz target: a guide (`content/guides/<slug>.<lang>.md`, front matter and Markdown).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| aushang::fuzzing::guide(data));
