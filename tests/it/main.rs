//! The integration tests, in one binary: each module builds real sites into temporary
//! folders (or runs the real `aushang` binary on them) and reads the output back.

mod common;

mod authoring;
mod check_corpus;
mod fuzz_regressions;
mod machine_readable;
mod serve;
mod site_build;
mod sitemap;
