//! One build, end to end: load and validate → derive at "now" → render every output
//! file in memory → swap them into the output folder. Also used by `serve` and `check`.

use crate::diagnostics::Diagnostics;
use crate::model::{load_site, time::resolve_now, Derived, Site};
use crate::output::write::Staged;
use crate::output::{self, BuildContext, Collect, OutputFile, Sink};
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

/// A rendered site with what was needed to render it. `files` holds the output when it
/// was rendered into memory ([`render_site`]); [`build`] streams it to disk instead.
pub struct Built {
    pub site: Site,
    pub derived: Derived,
    pub files: Vec<OutputFile>,
    pub warnings: Diagnostics,
    /// Files, HTML pages and bytes produced.
    pub stats: (usize, usize, usize),
}

/// Load, validate and derive: everything before rendering.
fn prepare(root: &Path, opts: &BuildOptions) -> Result<(Site, Derived, Diagnostics), BuildError> {
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
    Ok((site, derived, warnings))
}

/// `--precompress`: every text file also as `.gz`, written through to the inner sink.
struct Precompress<'a>(&'a dyn Sink);

impl Sink for Precompress<'_> {
    fn put(&self, file: OutputFile) -> Result<(), BuildError> {
        for gz in output::compress::gzip_twins(std::slice::from_ref(&file)) {
            self.0.put(gz)?;
        }
        self.0.put(file)
    }
}

fn generate_into(
    site: &Site,
    derived: &Derived,
    opts: &BuildOptions,
    sink: &dyn Sink,
) -> Result<(), BuildError> {
    let texts = output::TextCache::for_site(site);
    let ctx = BuildContext::new(site, derived, opts.base_url.as_deref(), &texts);
    if opts.precompress {
        output::generate(&ctx, &Precompress(sink))
    } else {
        output::generate(&ctx, sink)
    }
}

/// Load, validate and render everything into memory.
pub fn render_site(root: &Path, opts: &BuildOptions) -> Result<Built, BuildError> {
    let (site, derived, warnings) = prepare(root, opts)?;
    let sink = Collect::default();
    generate_into(&site, &derived, opts, &sink)?;
    let files = sink.into_files();
    let stats = (
        files.len(),
        files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files.iter().map(|f| f.bytes.len()).sum(),
    );
    Ok(Built { site, derived, files, warnings, stats })
}

/// Writes each file into the staging folder as soon as it is rendered.
struct ToDisk<'a>(&'a Staged);

impl Sink for ToDisk<'_> {
    fn put(&self, file: OutputFile) -> Result<(), BuildError> {
        Ok(self.0.put(&file)?)
    }
}

/// Build the site under `root` into `out`, streaming files to a staging folder beside it;
/// on any error `out` is left as it was.
pub fn build(root: &Path, out: &Path, opts: &BuildOptions) -> Result<Built, BuildError> {
    let (site, derived, warnings) = prepare(root, opts)?;
    let staged = Staged::new(out)?;
    generate_into(&site, &derived, opts, &ToDisk(&staged))?;
    let stats = staged.stats();
    staged.commit()?;
    Ok(Built { site, derived, files: Vec::new(), warnings, stats })
}

/// The default output folder: `<root>/public`.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("public")
}
