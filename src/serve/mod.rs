//! `aushang serve`: a local preview that never falls over.
//!
//! The site is rendered into memory and served from there on 127.0.0.1 only, by hyper on a
//! small tokio runtime ([`http`]), which answers from the rendered files ([`respond`]).
//! A watcher ([`watch`]) rebuilds after every change to `content/` or `themes/` and bumps a
//! generation counter; open pages hold a server-sent-events connection and reload when it
//! changes. While the content has errors, every page shows them instead of the site, and the
//! next good build brings the site back by itself.

pub mod http;
pub mod page;
pub mod render;
pub mod respond;
pub mod watch;

#[cfg(test)]
mod partial_tests;

use crate::build::{BuildError, BuildOptions};
use crate::diagnostics::{Diagnostics, Severity};
use page::Problem;
use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::watch as generation_channel;

/// Zola's default, which many people already have in their fingers.
pub const DEFAULT_PORT: u16 = 1111;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// 0: any free port.
    pub port: u16,
    /// `--now`; None: the clock at every rebuild, so maintenance windows open on time.
    pub now: Option<String>,
}

/// Why `serve` could not start. Causes are part of each message rather than a `source`, so
/// that the CLI's `{:#}` shows them once.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("site root {path}: {error}")]
    Root { path: String, error: io::Error },
    #[error("cannot listen on 127.0.0.1:{port}: {error}")]
    Bind { port: u16, error: io::Error },
    #[error("cannot start the HTTP server's threads: {0}")]
    Runtime(io::Error),
    /// A bad `--now` (the only usage error a build can report here).
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Watch(#[from] watch::WatchError),
}

/// What is being served: the rendered files, or, while the content has errors, the
/// problems (and no files: the last good site is deliberately not shown then).
#[derive(Debug, Default)]
pub struct SiteState {
    pub files: Arc<render::Files>,
    pub problems: Vec<Problem>,
    /// Counts rebuilds that changed what is served; pages carry the value they came from.
    pub generation: u64,
}

/// Shared between the watcher, the connections and the event streams.
pub struct Shared {
    /// Swapped as a whole; requests clone the `Arc` so a slow client never holds the lock.
    state: RwLock<Arc<SiteState>>,
    /// The generation event streams wait on; sent after the state it belongs to is in place.
    generation: generation_channel::Sender<u64>,
}

impl Shared {
    fn snapshot(&self) -> Arc<SiteState> {
        Arc::clone(&self.state.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The current generation, and every later one.
    fn subscribe(&self) -> generation_channel::Receiver<u64> {
        self.generation.subscribe()
    }
}

/// Builds the site and swaps it into the shared state.
pub struct LiveSite {
    root: PathBuf,
    opts: BuildOptions,
    shared: Arc<Shared>,
    /// The last good render, which the next change updates (see [`render`]).
    warm: Mutex<Option<render::Warm>>,
}

/// What one rebuild did, for the log line.
#[derive(Debug)]
pub struct Rebuilt {
    pub elapsed: Duration,
    pub files: usize,
    /// Only the pages that depend on the change were rendered.
    pub partial: bool,
    pub problems: Vec<Problem>,
    /// Warnings of a good build (e.g. missing translations): for the terminal only.
    pub warnings: Vec<Problem>,
    /// Open pages were told to reload.
    pub reloaded: bool,
}

impl LiveSite {
    pub fn new(root: PathBuf, opts: BuildOptions) -> LiveSite {
        // Start from the clock so a restarted server never repeats a generation an open
        // tab has seen (the tab then reloads on reconnect instead of showing old bytes).
        let start = SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_millis() as u64);
        let shared = Shared {
            state: RwLock::new(Arc::new(SiteState { generation: start, ..SiteState::default() })),
            generation: generation_channel::Sender::new(start),
        };
        LiveSite { root, opts, shared: Arc::new(shared), warm: Mutex::new(None) }
    }

    pub fn shared(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }

    /// Whether the served build reported a problem in one of `paths`.
    pub fn has_problem_in(&self, paths: &[PathBuf]) -> bool {
        let state = self.shared.snapshot();
        state.problems.iter().any(|p| paths.iter().any(|path| Path::new(&p.file) == path))
    }

    /// Render the site again after `changed` (paths relative to the root) and serve the
    /// result: only what depends on the change when that can be told, else everything.
    pub fn rebuild(&self, changed: &[PathBuf]) -> Result<Rebuilt, BuildError> {
        let start = Instant::now();
        let mut warm = self.warm.lock().unwrap_or_else(|e| e.into_inner());
        // A panic in rendering is a bug, but the preview must stay up: it becomes an error
        // on the page, and the next save tries again (from scratch).
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            render::render(&self.root, &self.opts, &mut warm, changed)
        }));
        let mut warnings = Vec::new();
        let mut partial = false;
        let error = |message: String| {
            vec![Problem { file: String::new(), line: 0, col: 0, severity: "error", message }]
        };
        let (files, problems) = match result {
            Err(payload) => {
                *warm = None;
                let what = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_string());
                (
                    Arc::default(),
                    error(format!("aushang crashed while building (a bug, please report it): {what}")),
                )
            }
            Ok(Ok(outcome)) => match warm.as_ref() {
                Some(w) => {
                    partial = outcome.partial;
                    warnings = problems_of(w.warnings().clone());
                    (Arc::clone(&w.files), Vec::new())
                }
                None => (Arc::default(), Vec::new()),
            },
            Ok(Err(BuildError::Content(diags))) => (Arc::default(), problems_of(diags)),
            // Not a content problem (a bad `--now`): the caller decides.
            Ok(Err(e @ BuildError::Usage(_))) => return Err(e),
            // A theme file: at its place, as content problems are.
            Ok(Err(e)) if e.theme_problem().is_some() => {
                let mut d = Diagnostics::default();
                d.extend(e.theme_problem().cloned().into_iter().collect());
                (Arc::default(), problems_of(d))
            }
            // Writing: the whole chain of causes.
            Ok(Err(e)) => (Arc::default(), error(crate::diagnostics::error_chain(&e))),
        };
        drop(warm);
        let elapsed = start.elapsed();
        let file_count = files.len();
        let reported = problems.clone();
        let reloaded = self.swap(files, problems);
        Ok(Rebuilt { elapsed, files: file_count, partial, problems: reported, warnings, reloaded })
    }

    /// Serve the new build and wake the event streams. A good build always counts as a
    /// change; a failed one only when its problems differ, so saving an unrelated file
    /// while the errors stay does not make the error page flicker.
    fn swap(&self, files: Arc<render::Files>, problems: Vec<Problem>) -> bool {
        let mut state = self.shared.state.write().unwrap_or_else(|e| e.into_inner());
        let changed = problems.is_empty() || problems != state.problems;
        let next = if changed { state.generation + 1 } else { state.generation };
        *state = Arc::new(SiteState { files, problems, generation: next });
        // Still under the lock, so that generations are sent in the order of the states.
        if changed {
            self.shared.generation.send_replace(next);
        }
        changed
    }
}

fn problems_of(diags: Diagnostics) -> Vec<Problem> {
    diags
        .sorted()
        .into_iter()
        .map(|d| Problem {
            file: d.file.display().to_string(),
            line: d.line,
            col: d.col,
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            message: d.message,
        })
        .collect()
}

/// Build, listen, watch and serve until the process is stopped. Prints the URL once the
/// first build is done (even a failed one: its errors are then shown in the browser).
pub fn serve(opts: &ServeOptions) -> Result<(), ServeError> {
    let root = std::fs::canonicalize(&opts.root)
        .map_err(|error| ServeError::Root { path: opts.root.display().to_string(), error })?;
    if !root.is_dir() {
        return Err(ServeError::Root {
            path: opts.root.display().to_string(),
            error: io::Error::other("not a folder"),
        });
    }
    let runtime = http::runtime().map_err(ServeError::Runtime)?;
    let listener = runtime
        .block_on(http::bind(opts.port))
        .map_err(|error| ServeError::Bind { port: opts.port, error })?;
    let port = listener.local_addr().map_err(|error| ServeError::Bind { port: opts.port, error })?.port();
    let url = format!("http://127.0.0.1:{port}/");

    // Feeds, sitemap and canonical links point at the preview, not at the real host.
    let build_opts =
        BuildOptions { now: opts.now.clone(), base_url: Some(url.clone()), ..BuildOptions::default() };
    let site = LiveSite::new(root.clone(), build_opts);
    match site.rebuild(&[]) {
        Ok(r) => log_rebuild(&r, None, &[]),
        Err(e) => return Err(ServeError::Usage(e.to_string())),
    }

    let shared = site.shared();
    watch::spawn(root, move |change| {
        let changed = if change.paths.is_empty() {
            if !site.has_problem_in(&change.scratch) {
                return;
            }
            &change.scratch
        } else {
            &change.paths
        };
        match site.rebuild(changed) {
            Ok(r) => log_rebuild(&r, Some(change.first_event), changed),
            Err(e) => warn(format_args!("error: {e}")),
        }
    })?;

    say(format_args!("serving {url} (watching content/ and themes/; Ctrl-C to stop)"));
    runtime.block_on(http::serve(listener, shared));
    Ok(())
}

/// One line per rebuild, with the time from the first file event to new bytes in memory
/// (including the debounce wait): what an author waits for after saving.
fn log_rebuild(r: &Rebuilt, first_event: Option<Instant>, changed: &[PathBuf]) {
    let errors = r.problems.iter().filter(|p| p.severity == "error").count();
    let what = if r.problems.is_empty() {
        format!("{} files, {} warning(s)", r.files, r.warnings.len())
    } else {
        format!("content has {errors} error(s), shown in the browser")
    };
    match first_event {
        None => say(format_args!("built in {} ms ({what})", r.elapsed.as_millis())),
        Some(at) => say(format_args!(
            "rebuilt in {} ms ({}; changed: {}); {} ms from file event to new pages; {what}",
            r.elapsed.as_millis(),
            if r.partial { "only what depends on it" } else { "everything" },
            describe(changed),
            at.elapsed().as_millis()
        )),
    }
    if r.reloaded || first_event.is_none() {
        let stderr = io::stderr();
        let mut err = stderr.lock();
        for p in r.problems.iter().chain(&r.warnings) {
            let _ = writeln!(err, "{p}");
        }
    }
}

/// A line on stdout. Never panics (unlike `println!`): a closed terminal or pipe must not
/// take the watcher thread down with it.
fn say(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(io::stdout().lock(), "{line}");
}

/// A line on stderr, likewise.
fn warn(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

fn describe(changed: &[PathBuf]) -> String {
    const SHOWN: usize = 3;
    let mut s: Vec<String> = changed.iter().take(SHOWN).map(|p| p.display().to_string()).collect();
    if changed.len() > SHOWN {
        s.push(format!("and {} more", changed.len() - SHOWN));
    }
    s.join(", ")
}
