//! `aushang check`: validate the content, render the site in memory and check its
//! internal links, then print every problem and a one-line summary.

use super::{print_diagnostics, EXIT_CONTENT, EXIT_USAGE};
use crate::build::{check_site, BuildError, BuildOptions, Checked};
use crate::output::links;
use crate::render::highlight::CodeStyle;
use std::path::Path;

pub fn run(root: &Path, now: Option<&str>, strict: bool) -> anyhow::Result<i32> {
    if let Some(code) = super::require_site(root) {
        return Ok(code);
    }
    // Warnings are judged below, so that --strict still renders and checks links.
    let opts = BuildOptions { now: now.map(str::to_string), code: CodeStyle::Plain, ..Default::default() };
    let checked = match check_site(root, &opts) {
        Ok(b) => b,
        Err(BuildError::Content(diags)) => {
            let (e, w) = (diags.error_count(), diags.warning_count());
            print_diagnostics(diags);
            println!("check failed: {e} error(s), {w} warning(s)");
            return Ok(EXIT_CONTENT);
        }
        Err(BuildError::Usage(msg)) => {
            eprintln!("error: {msg}");
            return Ok(EXIT_USAGE);
        }
        Err(e) => {
            super::print_build_error(&e);
            println!("check failed: the site could not be rendered");
            return Ok(EXIT_CONTENT);
        }
    };
    let Checked { site, warnings: mut diags, broken, overall, .. } = checked;
    // A link in a pinned notice is on every page: report each broken target once.
    let mut seen: std::collections::BTreeMap<(String, String), (links::BrokenLink, usize)> =
        Default::default();
    for b in broken {
        seen.entry((b.target.clone(), b.reason.clone())).and_modify(|e| e.1 += 1).or_insert((b, 0));
    }
    for (b, more) in seen.into_values() {
        let page = Path::new("public").join(&b.page);
        let also = if more > 0 { format!(" (and on {more} more page(s))") } else { String::new() };
        diags.error(&page, b.line, b.col, format!("broken link `{}`: {}{also}", b.target, b.reason));
    }
    let fails = diags.fails(strict);
    let warnings = diags.warning_count();
    let errors = diags.error_count();
    print_diagnostics(diags);
    println!(
        "{}: {} services, {} incidents, {} notices, {} guides, languages {}, {} error(s), {} warning(s){}; overall: {}",
        if fails { "check failed" } else { "ok" },
        site.services.len(),
        site.incidents.len(),
        site.notices.len(),
        site.guides.len(),
        site.config.languages.join("/"),
        errors,
        warnings,
        if strict && warnings > 0 { " (--strict: warnings are errors)" } else { "" },
        overall,
    );
    Ok(if fails { EXIT_CONTENT } else { 0 })
}
