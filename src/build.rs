//! One build, end to end: load and validate → derive at "now" → render every output
//! file in memory → swap them into the output folder. Also used by `serve` and `check`.

use crate::diagnostics::Diagnostics;
use crate::model::{load_site, time::resolve_now, Derived, Site};
use crate::output::{self, BuildContext, OutputFile};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// `--now`; None: SOURCE_DATE_EPOCH, else the clock.
    pub now: Option<String>,
    /// `--base-url`; None: site.yaml's.
    pub base_url: Option<String>,
    /// Warnings fail the build.
    pub strict: bool,
    /// Also write a `.gz` beside every text file.
    pub precompress: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Content problems: every one of them, errors and warnings.
    #[error("the content has {} error(s)", .0.error_count())]
    Content(Diagnostics),
    #[error("{0}")]
    Usage(String),
    #[error("rendering {path}: {message}")]
    Render { path: String, message: String },
    #[error(transparent)]
    Write(#[from] output::write::WriteError),
}

/// A site rendered in memory, with what was needed to render it.
pub struct Built {
    pub site: Site,
    pub derived: Derived,
    pub files: Vec<OutputFile>,
    pub warnings: Diagnostics,
}

/// Load, validate and render everything into memory.
pub fn render_site(root: &Path, opts: &BuildOptions) -> Result<Built, BuildError> {
    let (site, warnings) = load_site(root).map_err(BuildError::Content)?;
    if opts.strict && warnings.warning_count() > 0 {
        return Err(BuildError::Content(warnings));
    }
    let now = resolve_now(opts.now.as_deref(), site.config.timezone).map_err(BuildError::Usage)?;
    if let Some(url) = &opts.base_url {
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace) {
            return Err(BuildError::Usage(format!("--base-url `{url}` is not an absolute http(s) URL")));
        }
    }
    let derived = Derived::compute(&site, now);
    let files = {
        let ctx = BuildContext::new(&site, &derived, opts.base_url.as_deref());
        let mut files = output::generate(&ctx)?;
        if opts.precompress {
            files.extend(output::compress::gzip_twins(&files));
            files.sort_by(|a, b| a.path.cmp(&b.path));
        }
        files
    };
    Ok(Built { site, derived, files, warnings })
}

/// Build the site under `root` into `out`; on any error `out` is left as it was.
pub fn build(root: &Path, out: &Path, opts: &BuildOptions) -> Result<Built, BuildError> {
    let built = render_site(root, opts)?;
    output::write::write_site(out, &built.files)?;
    Ok(built)
}

/// The default output folder: `<root>/public`.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("public")
}
