//! Fuzz target: a notice (`content/notices/<id>.<lang>.md`, front matter and Markdown).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| aushang::fuzzing::notice(data));
