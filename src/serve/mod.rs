//! `aushang serve`: a local preview that never falls over.
//!
//! The site is rendered into memory and served from there on 127.0.0.1 only, by a small
//! hand-written HTTP/1.1 server ([`http`]) with one thread per connection (bounded).
//! A watcher ([`watch`]) rebuilds after every change to `content/` or `themes/` and bumps a
//! generation counter; open pages hold a server-sent-events connection and reload when it
//! changes. While the content has errors, every page shows them instead of the site, and the
//! next good build brings the site back by itself.

pub mod http;
pub mod page;
pub mod render;
pub mod watch;

use crate::build::{BuildError, BuildOptions};
use crate::diagnostics::{Diagnostics, Severity};
use http::{Method, Refusal, RequestError, Response};
use page::Problem;
use std::borrow::Cow;
use std::io::{self, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Zola's default, which many people already have in their fingers.
pub const DEFAULT_PORT: u16 = 1111;
/// Connections served at once (each live-reload tab holds one); more get a 503.
const MAX_CONNECTIONS: usize = 64;
/// How long a client may take to send its request head, or to accept our bytes.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// Comment lines on the event stream keep proxies and browsers from timing it out.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How often an event stream checks whether its tab went away.
const PEER_CHECK: Duration = Duration::from_secs(1);

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
    /// The generation event streams wait on.
    generation: Mutex<u64>,
    changed: Condvar,
}

impl Shared {
    fn snapshot(&self) -> Arc<SiteState> {
        Arc::clone(&self.state.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn current_generation(&self) -> u64 {
        *self.generation.lock().unwrap_or_else(|e| e.into_inner())
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
            generation: Mutex::new(start),
            changed: Condvar::new(),
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
            // The theme, or writing: the whole chain of causes, Tera's report included.
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
        let mut generation = self.shared.generation.lock().unwrap_or_else(|e| e.into_inner());
        let mut state = self.shared.state.write().unwrap_or_else(|e| e.into_inner());
        let changed = problems.is_empty() || problems != state.problems;
        let next = if changed { *generation + 1 } else { *generation };
        *state = Arc::new(SiteState { files, problems, generation: next });
        drop(state);
        *generation = next;
        drop(generation);
        if changed {
            self.shared.changed.notify_all();
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
    // Only the loopback interface: the preview shows unpublished content.
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, opts.port)))
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
    accept_loop(&listener, &shared);
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

/// Decrements the connection count when a connection's thread ends (or never starts).
struct ConnectionSlot(Arc<AtomicUsize>);

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    let active = Arc::new(AtomicUsize::new(0));
    for conn in listener.incoming() {
        let mut stream = match conn {
            Ok(s) => s,
            Err(e) => {
                // E.g. out of file descriptors: back off instead of spinning.
                warn(format_args!("warning: accepting a connection: {e}"));
                thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            refuse_busy(&mut stream);
            continue;
        }
        let slot = ConnectionSlot(Arc::clone(&active));
        let shared = Arc::clone(shared);
        // If the thread cannot start, the closure (and the slot in it) is dropped.
        let _ = thread::Builder::new().name("aushang-http".into()).spawn(move || {
            let _slot = slot;
            handle_connection(stream, &shared);
        });
    }
}

/// Answer 503 without a thread of its own and without blocking the accept loop. What the
/// client already sent is read first: closing a socket with unread data resets it, and
/// the client would see the reset instead of the answer.
fn refuse_busy(stream: &mut TcpStream) {
    let drain = |stream: &mut TcpStream| {
        let mut sink = [0u8; 4096];
        for _ in 0..4 {
            if !matches!(io::Read::read(stream, &mut sink), Ok(n) if n > 0) {
                break;
            }
        }
    };
    if stream.set_nonblocking(true).is_err() {
        return;
    }
    drain(stream);
    if stream.set_nonblocking(false).is_err()
        || stream.set_write_timeout(Some(Duration::from_secs(1))).is_err()
    {
        return;
    }
    let _ = Response::text(503, "too many connections\n").write_to(stream, false);
    let _ = stream.shutdown(Shutdown::Write);
    if stream.set_nonblocking(true).is_ok() {
        drain(stream);
    }
}

fn handle_connection(mut stream: TcpStream, shared: &Shared) {
    if stream.set_read_timeout(Some(IO_TIMEOUT)).is_err()
        || stream.set_write_timeout(Some(IO_TIMEOUT)).is_err()
    {
        return;
    }
    let request = http::read_head(&mut stream, IO_TIMEOUT).and_then(|head| http::parse_request(&head));
    let request = match request {
        Ok(r) => r,
        Err(RequestError::Closed) => return,
        Err(RequestError::Io(e))
            if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) =>
        {
            finish(&mut stream, &Response::text(408, "request timeout\n"), false);
            return;
        }
        Err(RequestError::Io(_)) => return,
        Err(RequestError::TooLarge) => {
            finish(&mut stream, &Response::text(431, "request head too large\n"), false);
            return;
        }
        Err(e @ RequestError::Malformed(_)) => {
            finish(&mut stream, &Response::text(400, format!("{e}\n")), false);
            return;
        }
    };
    let head_only = match request.method {
        Method::Get => false,
        Method::Head => true,
        Method::Other(_) => {
            let r = Response::text(405, "only GET and HEAD\n").with_header("Allow", "GET, HEAD");
            finish(&mut stream, &r, false);
            return;
        }
    };
    if request.path == page::EVENTS_PATH {
        event_stream(stream, shared, head_only);
        return;
    }
    let snapshot = shared.snapshot();
    let response = respond(&snapshot, &request);
    finish(&mut stream, &response, head_only);
}

/// Send the response and close politely: shutting down our side first and draining what
/// the client still sends avoids a TCP reset that could destroy the response in flight.
fn finish(stream: &mut TcpStream, response: &Response<'_>, head_only: bool) {
    if response.write_to(stream, head_only).is_err() {
        return;
    }
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let mut sink = [0u8; 4096];
    let mut drained = 0;
    while let Ok(n) = io::Read::read(stream, &mut sink) {
        drained += n;
        if n == 0 || drained > 64 * 1024 {
            break;
        }
    }
}

/// The answer to a GET/HEAD for a site path, from one consistent snapshot.
fn respond<'a>(state: &'a SiteState, request: &http::Request) -> Response<'a> {
    let path = match http::site_path(&request.path) {
        Ok(p) => p,
        Err(Refusal::BadRequest) => return Response::text(400, "bad request path\n"),
        Err(Refusal::Forbidden) => return Response::text(403, "forbidden\n"),
    };
    if !state.problems.is_empty() {
        // Pages get 200, so the browser keeps the page and its live reload alive.
        if path.wants_page() {
            let html = page::error_page(&state.problems, state.generation);
            return Response::new(200, "text/html; charset=utf-8", html.into_bytes());
        }
        let mut text = String::from("aushang: content has errors\n");
        for p in &state.problems {
            text.push_str(&format!("{p}\n"));
        }
        return Response::text(503, text);
    }
    let key = if path.trailing_slash || path.segments.is_empty() { path.index_key() } else { path.key() };
    if let Some(bytes) = state.files.get(key.as_str()) {
        return file_response(200, &key, bytes, state.generation);
    }
    if !path.trailing_slash && state.files.contains_key(path.index_key().as_str()) {
        // A folder without its slash: relative links on the page need the slash.
        let mut location = format!("{}/", request.path);
        if let Some(q) = &request.query {
            location.push('?');
            location.push_str(q);
        }
        return Response::text(301, format!("moved to {location}\n")).with_header("Location", location);
    }
    // The 404 page of the language folder the request was in, else the site's.
    let localized =
        path.segments.first().filter(|_| path.segments.len() > 1).map(|lang| format!("{lang}/404.html"));
    for key in localized.into_iter().chain(["404.html".to_string()]) {
        if let Some(bytes) = state.files.get(key.as_str()) {
            return file_response(404, &key, bytes, state.generation);
        }
    }
    Response::text(404, "not found\n")
}

fn file_response<'a>(status: u16, key: &str, bytes: &'a [u8], generation: u64) -> Response<'a> {
    let content_type = http::content_type(key);
    let body = if content_type.starts_with("text/html") {
        Cow::Owned(page::inject_reload(bytes, generation))
    } else {
        Cow::Borrowed(bytes)
    };
    Response::new(status, content_type, body)
}

/// Server-sent events: the current generation right away, then a `reload` event with the
/// new one after every change, and a comment every [`HEARTBEAT`]. Ends when the tab goes.
fn event_stream(mut stream: TcpStream, shared: &Shared, head_only: bool) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
    if stream.write_all(head.as_bytes()).is_err() || head_only {
        return;
    }
    let mut seen = shared.current_generation();
    // `retry`: reconnect quickly after a server restart.
    if write_event(&mut stream, &format!("retry: 1000\nevent: reload\ndata: {seen}\n\n")).is_err() {
        return;
    }
    let mut last_write = Instant::now();
    loop {
        let guard = shared.generation.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = shared
            .changed
            .wait_timeout_while(guard, PEER_CHECK, |g| *g == seen)
            .unwrap_or_else(|e| e.into_inner());
        let now = *guard;
        drop(guard);
        let message = if now != seen {
            seen = now;
            format!("event: reload\ndata: {now}\n\n")
        } else if last_write.elapsed() >= HEARTBEAT {
            ": heartbeat\n\n".to_string()
        } else {
            if peer_gone(&stream) {
                return;
            }
            continue;
        };
        if write_event(&mut stream, &message).is_err() {
            return;
        }
        last_write = Instant::now();
    }
}

fn write_event(stream: &mut TcpStream, message: &str) -> io::Result<()> {
    stream.write_all(message.as_bytes())?;
    stream.flush()
}

/// Whether the browser closed the connection. It never sends anything on an event stream,
/// so a readable end-of-stream means it is gone; checking this frees the connection slot
/// within a second instead of at the next write.
fn peer_gone(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let mut buf = [0u8; 1];
    let gone = match stream.peek(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != io::ErrorKind::WouldBlock,
    };
    gone || stream.set_nonblocking(false).is_err()
}
