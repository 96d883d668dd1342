//! `aushang check`: validate the content and print every problem with a summary line.

use super::{print_diagnostics, EXIT_CONTENT};
use crate::model::{load_site, time::resolve_now, Derived};
use std::path::Path;

pub fn run(root: &Path, now: Option<&str>, strict: bool) -> anyhow::Result<i32> {
    let (site, diags) = match load_site(root) {
        Ok(v) => v,
        Err(diags) => {
            let (e, w) = (diags.error_count(), diags.warning_count());
            print_diagnostics(diags);
            println!("check failed: {e} error(s), {w} warning(s)");
            return Ok(EXIT_CONTENT);
        }
    };
    let now = match resolve_now(now, site.config.timezone) {
        Ok(n) => n,
        Err(e) => anyhow::bail!(e),
    };
    let derived = Derived::compute(&site, now);
    let fails = diags.fails(strict);
    let warnings = diags.warning_count();
    print_diagnostics(diags);
    let state = site.states.get(&derived.overall).map(|s| s.label.get(0).text.clone()).unwrap_or_default();
    println!(
        "{}: {} services, {} incidents, {} notices, {} guides, languages {}, {} warning(s){}; overall: {}",
        if fails { "check failed" } else { "ok" },
        site.services.len(),
        site.incidents.len(),
        site.notices.len(),
        site.guides.len(),
        site.config.languages.join("/"),
        warnings,
        if strict && warnings > 0 { " (--strict: warnings are errors)" } else { "" },
        state,
    );
    Ok(if fails { EXIT_CONTENT } else { 0 })
}
