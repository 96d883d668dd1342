//! `aushang build`: render the site and swap it into the output folder.

use super::{print_diagnostics, EXIT_CONTENT, EXIT_USAGE};
use crate::build::{build, default_out, BuildError, BuildOptions};
use crate::diagnostics::error_chain;
use crate::output::OutputError;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(root: &Path, out: Option<PathBuf>, opts: &BuildOptions) -> anyhow::Result<i32> {
    if let Some(code) = super::require_site(root) {
        return Ok(code);
    }
    let start = Instant::now();
    let out = out.unwrap_or_else(|| default_out(root));
    match build(root, &out, opts) {
        Ok(built) => {
            let warnings = built.warnings.warning_count();
            print_diagnostics(built.warnings);
            let (files, pages, bytes) = built.stats;
            println!(
                "built {} files ({pages} pages, {} KiB) into {} in {} ms, {warnings} warning(s)",
                files,
                bytes / 1024,
                out.display(),
                start.elapsed().as_millis()
            );
            Ok(0)
        }
        Err(BuildError::Content(diags)) => {
            let (e, w) = (diags.error_count(), diags.warning_count());
            print_diagnostics(diags);
            eprintln!("build failed: {e} error(s), {w} warning(s); {} left unchanged", out.display());
            Ok(EXIT_CONTENT)
        }
        Err(
            e @ (BuildError::Theme(_)
            | BuildError::Output(OutputError::Render(_) | OutputError::Static { .. })),
        ) => {
            super::print_build_error(&e);
            eprintln!("build failed; {} left unchanged", out.display());
            Ok(EXIT_CONTENT)
        }
        Err(e) => {
            eprintln!("error: {}", error_chain(&e));
            Ok(EXIT_USAGE)
        }
    }
}
