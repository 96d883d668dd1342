//! One build, end to end: load and validate → derive at "now" → render every output
//! file in memory → swap them into the output folder. Also used by `serve` and `check`.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{load_site, time::resolve_now, Derived, Site};
use crate::output::write::Staged;
use crate::output::{self, BuildContext, Collect, OutputError, OutputFile, Sink};
use crate::render::highlight::CodeStyle;
use crate::render::theme::{Theme, ThemeError};
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
    /// How fenced code is written (`check` does not highlight).
    pub code: CodeStyle,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Content problems: every one of them, errors and warnings.
    #[error("the content has {} error(s)", .0.error_count())]
    Content(Diagnostics),
    #[error("{0}")]
    Usage(String),
    #[error("the theme cannot be used")]
    Theme(#[from] ThemeError),
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl BuildError {
    /// A problem in a theme file with its place (`themes/x/templates/a.html:3:7`), when
    /// the theme is what failed and Tera points into one template.
    pub fn theme_problem(&self) -> Option<&Diagnostic> {
        match self {
            BuildError::Theme(e) | BuildError::Output(OutputError::Render(e)) => e.diagnostic(),
            _ => None,
        }
    }
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

/// Load and validate the site, and resolve "now".
fn load_checked(
    root: &Path,
    opts: &BuildOptions,
) -> Result<(Site, chrono::DateTime<chrono::Utc>, Diagnostics), BuildError> {
    let (site, warnings) = load_site(root).map_err(BuildError::Content)?;
    if opts.strict && warnings.warning_count() > 0 {
        return Err(BuildError::Content(warnings));
    }
    let now = resolve_now(opts.now.as_deref(), site.config.timezone).map_err(BuildError::Usage)?;
    if let Some(url) = &opts.base_url {
        crate::model::url::parse_base_url(url).map_err(|e| BuildError::Usage(format!("--base-url {e}")))?;
    }
    Ok((site, now, warnings))
}

/// A site ready to render: loaded, validated, derived and its texts rendered.
pub(crate) struct Ready {
    pub site: Site,
    pub derived: Derived,
    pub warnings: Diagnostics,
    pub texts: output::TextCache,
}

/// Everything before rendering: load and validate, then the derivation, the texts and the
/// theme side by side once the site is loaded: rendering the texts is held up by syntect
/// compiling a language's regexes on one thread, and parsing the templates and deriving
/// fill the other core meanwhile. Content and usage errors come first; the theme's own
/// result comes back beside the site, for callers to report its error after their own
/// earlier checks.
pub(crate) fn prepare_ready(
    root: &Path,
    opts: &BuildOptions,
) -> Result<(Ready, Result<Theme, ThemeError>), BuildError> {
    let (site, now, warnings) = load_checked(root, opts)?;
    // The texts go first: `rayon::join` runs its first closure on this thread at once and
    // leaves the second to the other core.
    let (texts, (theme, derived)) = rayon::join(
        || output::TextCache::for_site(&site, opts.code),
        || rayon::join(|| Theme::load(&site.root, &site.config.theme), || Derived::compute(&site, now)),
    );
    Ok((Ready { site, derived, warnings, texts }, theme))
}

/// `--precompress`: every text file also as `.gz`, written through to the inner sink.
struct Precompress<'a>(&'a dyn Sink);

impl Sink for Precompress<'_> {
    fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        for gz in output::compress::gzip_twins(std::slice::from_ref(&file)) {
            self.0.put(gz)?;
        }
        self.0.put(file)
    }
}

/// The build context of `ready` with `theme`'s strings.
pub(crate) fn context<'a>(ready: &'a Ready, theme: &Theme, opts: &BuildOptions) -> BuildContext<'a> {
    let strings = ready.site.config.languages.iter().map(|l| theme.strings(l)).collect();
    BuildContext::new(&ready.site, &ready.derived, opts.base_url.as_deref(), &ready.texts, strings)
}

/// Render every file of `ready` into `sink` with `theme`.
fn generate_into(
    ready: &Ready,
    theme: &Theme,
    opts: &BuildOptions,
    sink: &dyn Sink,
) -> Result<(), OutputError> {
    let ctx = context(ready, theme, opts);
    if opts.precompress {
        output::generate(&ctx, theme, &Precompress(sink), false)?;
    } else {
        output::generate(&ctx, theme, sink, false)?;
    }
    Ok(())
}

/// Load, validate and render everything into memory.
pub fn render_site(root: &Path, opts: &BuildOptions) -> Result<Built, BuildError> {
    let (ready, theme) = prepare_ready(root, opts)?;
    let theme = theme?;
    let sink = Collect::default();
    generate_into(&ready, &theme, opts, &sink)?;
    let files = sink.into_files();
    let stats = (
        files.len(),
        files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files.iter().map(|f| f.bytes.len()).sum(),
    );
    let Ready { site, derived, warnings, .. } = ready;
    Ok(Built { site, derived, files, warnings, stats })
}

/// What `check` needs of a rendered site: the site and every broken internal link.
pub struct Checked {
    pub site: Site,
    pub derived: Derived,
    pub warnings: Diagnostics,
    /// Every file of the rendered site, sorted.
    pub paths: Vec<String>,
    /// Broken internal links, pages in path order.
    pub broken: Vec<output::links::BrokenLink>,
    /// The overall state's label in the default language.
    pub overall: String,
}

/// [`render_site`] for `check`: the same pages are rendered, but each is scanned for its
/// links and ids on the thread that rendered it and then dropped; the feeds, API,
/// calendar and badges, which have no links to check, are only listed.
pub fn check_site(root: &Path, opts: &BuildOptions) -> Result<Checked, BuildError> {
    let (ready, theme) = prepare_ready(root, opts)?;
    let theme = theme?;
    let (paths, broken, overall) = {
        let ctx = context(&ready, &theme, opts);
        // The root of the base URL the pages were rendered for (`404.html` links from it).
        let checker = output::links::Checker::new(&output::url_path(&ctx.base_url));
        // What `output::generate` does, except that the feeds, API, calendar and badges
        // are not made: the link check reads only HTML, so of them only their paths
        // count. The test below keeps this in step with `generate`.
        output::pages::render_all(&ctx, &theme, &checker, false)?;
        for path in output::machine_readable_paths(&ctx) {
            checker.add(&path, &[]);
        }
        (checker.paths(), checker.finish(), ctx.state_label(&ready.derived.overall, 0))
    };
    let Ready { site, derived, warnings, .. } = ready;
    Ok(Checked { site, derived, warnings, paths, broken, overall })
}

/// Writes each file into the staging folder as soon as it is rendered.
struct ToDisk<'a>(&'a Staged);

impl Sink for ToDisk<'_> {
    fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        Ok(self.0.put(&file)?)
    }
}

/// Build the site under `root` into `out`, streaming files to a staging folder beside it;
/// on any error `out` is left as it was.
pub fn build(root: &Path, out: &Path, opts: &BuildOptions) -> Result<Built, BuildError> {
    let (ready, theme) = prepare_ready(root, opts)?;
    let staged = Staged::new(out).map_err(OutputError::from)?;
    let theme = theme?;
    generate_into(&ready, &theme, opts, &ToDisk(&staged))?;
    let stats = staged.stats();
    staged.commit().map_err(OutputError::from)?;
    let Ready { site, derived, warnings, .. } = ready;
    Ok(Built { site, derived, files: Vec::new(), warnings, stats })
}

/// The default output folder: `<root>/public`.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("public")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_site_knows_every_file_render_site_makes() {
        // If this fails after a change to `output::generate_with_theme`, make `check_site`
        // (or `machine_readable_paths`) do the same.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let opts = BuildOptions { now: Some("2026-11-27T12:00:00+01:00".into()), ..Default::default() };
        let built = render_site(root, &opts).unwrap();
        let checked = check_site(root, &opts).unwrap();
        let paths: Vec<&str> = built.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(checked.paths, paths);
        let root_path = output::url_path(&built.site.config.base_url);
        assert_eq!(checked.broken, output::links::check(&built.files, &root_path));
    }
}
