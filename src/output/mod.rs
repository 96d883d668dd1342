//! Writing the site: every output file is made in memory from the model
//! ([`BuildContext`]) by one module per format — HTML pages and the plain text through
//! the theme's templates ([`pages`]), feeds, the status API, the calendar, badges and
//! their shields.io data, the sitemap — and handed to a [`Sink`]; [`write`] puts a build
//! on disk atomically.

pub mod api;
pub mod badge;
pub mod compress;
mod context;
pub mod feeds;
pub mod ical;
pub mod links;
pub mod pages;
pub mod shields;
pub mod sitemap;
pub mod write;

pub use context::{incident_texts, BuildContext, TextCache};

use crate::render::theme::{Theme, ThemeError};
use std::collections::BTreeSet;

/// One file of the built site: a path relative to the output folder (`/`-separated) and
/// its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> OutputFile {
        OutputFile { path: path.into(), bytes: bytes.into() }
    }
}

/// Why the output could not be made.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("a page could not be rendered")]
    Render(#[from] ThemeError),
    #[error("{path}: cannot read the static file")]
    Static {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the site could not be written")]
    Write(#[from] write::WriteError),
}

/// The path part of a base URL (`https://x.org/status/` → `/status/`): where the site's
/// root is on its host, for links that must be absolute paths (`404.html`). See
/// [`crate::model::url::root_path`].
pub fn url_path(base_url: &str) -> String {
    crate::model::url::root_path(base_url)
}

/// Where rendered files go: into memory (`serve`, `check`) or straight to disk (`build`,
/// so that memory stays bounded however large the site grows).
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), OutputError>;
}

/// Collects every file in memory.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files, sorted by path (deterministic order for callers that list them).
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

/// Render every file of the site into `sink` with `theme` (loaded by the caller; `serve`
/// keeps it between rebuilds). The feeds, API, calendar and badges are made beside the
/// pages: they are serial, and the pages' parallel work fills the other core around them.
/// So is the highlighting stylesheet, which the pages write only once all of them are
/// done, when it would hold up the end of the build alone. An error of the pages wins.
/// With `record`, the result lists what each page read (for `serve`).
pub fn generate(
    ctx: &BuildContext,
    theme: &Theme,
    sink: &dyn Sink,
    record: bool,
) -> Result<pages::Rendered, OutputError> {
    let (pages, machine) = rayon::join(
        || pages::render_all(ctx, theme, sink, record),
        || {
            let written = machine_readable(ctx, None).into_iter().try_for_each(|f| sink.put(f));
            crate::render::highlight::stylesheet(ctx.code_style());
            written
        },
    );
    let rendered = pages?;
    machine?;
    Ok(rendered)
}

/// Feeds, the status API, the maintenance calendar, the badges and their shields.io
/// endpoints; of the per-service
/// feeds only those of `services` (`None`: all).
pub fn machine_readable(ctx: &BuildContext, services: Option<&BTreeSet<usize>>) -> Vec<OutputFile> {
    let mut files = feeds::files_for(ctx, services);
    files.extend(api::files(ctx));
    files.extend(ical::files(ctx));
    files.extend(badge::files(ctx));
    files.extend(shields::files(ctx));
    files
}

/// The paths of the files of [`machine_readable`], without making them.
pub fn machine_readable_paths(ctx: &BuildContext) -> Vec<String> {
    let services = &ctx.site.services;
    let mut paths = Vec::new();
    for lang in 0..ctx.languages().len() {
        let prefix = ctx.lang_prefix(lang);
        paths.push(format!("{prefix}feed.xml"));
        paths.push(format!("{prefix}atom.xml"));
        paths.extend(services.iter().map(|s| format!("{prefix}services/{}/feed.xml", s.id)));
    }
    paths.extend(api::FILES.iter().map(|p| format!("api/v2/{p}")));
    paths.push("maintenance.ics".into());
    paths.push("badge.svg".into());
    paths.extend(services.iter().map(|s| format!("services/{}/badge.svg", s.id)));
    paths.extend(shields::paths(ctx));
    paths
}
