//! The integration tests, in one binary: each module builds real sites into temporary
//! folders (or runs the real `aushang` binary on them) and reads the output back.

mod common;
#[cfg(unix)]
mod doc_blocks;

mod authoring;
mod availability;
mod calendar;
mod check_corpus;
#[cfg(unix)]
mod doc_examples;
mod fuzz_regressions;
mod large_catalogue;
mod links;
mod machine_readable;
mod print;
mod rtl;
mod serve;
mod site_build;
mod sitemap;
mod text_outputs;
mod theme;
