//! `aushang serve`, end to end: the real binary on a free port, a copy of the example
//! site, and a plain TCP client. Every wait is bounded, and the server is killed when a
//! test ends, passes or not.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-27T12:00:00Z";
/// Rebuilds take about 2 s in a debug build; tests run in parallel, so allow slack.
const WAIT: Duration = Duration::from_secs(20);
/// The first build of a debug binary under parallel tests can be slow.
const STARTUP: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(50);
const ERROR_TITLE: &str = "<title>aushang: content has errors</title>";
const RELOAD: &str = "/__aushang/events";

/// The running server; killed on drop so no test leaves one behind.
struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
    _site: tempfile::TempDir,
    root: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn log(&self) -> String {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn get(&self, path: &str) -> Reply {
        self.request(&format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
    }

    fn request(&self, raw: &str) -> Reply {
        request(self.port, raw.as_bytes())
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Poll until `ok` holds, failing with the server's output after [`WAIT`].
    fn wait_for(&self, what: &str, mut ok: impl FnMut() -> bool) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if ok() {
                return;
            }
            thread::sleep(POLL);
        }
        panic!("timed out waiting for {what}; server output:\n{}", self.log());
    }

    fn rebuilds(&self) -> usize {
        self.log().lines().filter(|l| l.starts_with("rebuilt in")).count()
    }
}

/// A copy of the example site in a fresh folder.
fn site_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().to_path_buf();
    common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &root.join("content"));
    (dir, root)
}

fn start(site: tempfile::TempDir, root: PathBuf) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aushang"))
        .args(["serve", "--root"])
        .arg(&root)
        .args(["--port", "0", "--now", NOW])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start aushang serve");
    let log = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = mpsc::channel::<u16>();
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    {
        let log = Arc::clone(&log);
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(port) = port_in(&line) {
                    let _ = tx.send(port);
                }
                log.lock().unwrap_or_else(|e| e.into_inner()).push_str(&format!("{line}\n"));
            }
        });
    }
    {
        let log = Arc::clone(&log);
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                log.lock().unwrap_or_else(|e| e.into_inner()).push_str(&format!("[stderr] {line}\n"));
            }
        });
    }
    let port = rx.recv_timeout(STARTUP);
    let mut server = Server { child, port: 0, log, _site: site, root };
    match port {
        Ok(port) => server.port = port,
        Err(_) => panic!("serve printed no URL; output:\n{}", server.log()),
    }
    server
}

/// The port of `http://127.0.0.1:PORT/` in a line.
fn port_in(line: &str) -> Option<u16> {
    let rest = &line[line.find("http://127.0.0.1:")? + "http://127.0.0.1:".len()..];
    rest.split('/').next()?.parse().ok()
}

struct Reply {
    status: u16,
    /// Header lines, lowercased names and values.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Send raw bytes, read until the server closes (it always does after one response).
fn request(port: u16, raw: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    stream.set_write_timeout(Some(Duration::from_secs(10))).expect("timeout");
    stream.write_all(raw).expect("send");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("read reply");
    parse_reply(&bytes)
}

fn parse_reply(bytes: &[u8]) -> Reply {
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("end of response head");
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.lines();
    let status_line = lines.next().expect("status line");
    assert!(status_line.starts_with("HTTP/1.1 "), "{status_line}");
    let status = status_line[9..12].parse().expect("status code");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase()))
        .collect();
    Reply { status, headers, body: bytes[split + 4..].to_vec() }
}

/// A served page without the injected reload script, to compare with the built file.
fn strip_reload_script(html: &str) -> String {
    let start = html.find("<script>/* aushang serve").expect("reload script");
    let end = start + html[start..].find("</script>\n").expect("script end") + "</script>\n".len();
    format!("{}{}", &html[..start], &html[end..])
}

fn build(root: &Path, out: &Path, base_url: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_aushang"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(["--now", NOW, "--base-url", base_url])
        .stdout(Stdio::null())
        .status()
        .expect("run build");
    assert!(status.success());
}

/// Append an update to the webmail service; returns the 1-based line of its `status:`.
fn append_webmail_update(path: &Path, status: &str, de: &str, en: &str) -> usize {
    let mut text = std::fs::read_to_string(path).expect("read webmail.yaml");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let status_line = text.lines().count() + 2;
    text.push_str(&format!(
        "  - at: 2026-11-27T11:00:00+01:00\n    status: {status}\n    text:\n      de: {de}\n      en: {en}\n"
    ));
    std::fs::write(path, text).expect("write webmail.yaml");
    status_line
}

/// Save the way many editors do: write a temp file beside it and rename it over the original.
fn replace_on_save(path: &Path, text: &str) {
    let tmp =
        path.with_file_name(format!(".{}.tmp", path.file_name().and_then(|n| n.to_str()).unwrap_or("x")));
    std::fs::write(&tmp, text).expect("write temp");
    std::fs::rename(&tmp, path).expect("rename over");
}

#[test]
fn serve_answers_requests_and_refuses_paths_outside_the_site() {
    let (site, root) = site_copy();
    let server = start(site, root);

    let index = server.get("/");
    assert_eq!(index.status, 200);
    assert_eq!(index.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(index.header("cache-control"), Some("no-store"));
    let html = index.text();
    assert!(html.contains(RELOAD), "reload script missing");
    assert!(html.contains("<title>IT-Status"), "site title missing");
    assert!(html.find(RELOAD) < html.rfind("</body>"), "script must sit before </body>");

    // Byte for byte what `build` writes (with the preview's base URL), plus the script.
    let built = tempfile::tempdir().expect("temp dir");
    build(&server.root, built.path(), &format!("http://127.0.0.1:{}/", server.port));
    for page in ["index.html", "en/index.html", "services/webmail/index.html"] {
        let expected = std::fs::read_to_string(built.path().join(page)).expect("built page");
        let served = server.get(&format!("/{}", page.trim_end_matches("index.html"))).text();
        assert_eq!(strip_reload_script(&served), expected, "{page}");
    }

    let head = server.request("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), Some(index.body.len().to_string().as_str()));

    for (path, ty) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/feed.xml", "application/rss+xml; charset=utf-8"),
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/api/v2/summary.json", "application/json"),
        ("/maintenance.ics", "text/calendar; charset=utf-8"),
        ("/badge.svg", "image/svg+xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ty), "{path}");
        assert!(!r.text().contains(RELOAD), "{path} must not get the script");
    }
    let css = server.get("/style.css");
    assert_eq!(css.body, std::fs::read(built.path().join("style.css")).expect("built css"));

    // A folder without its slash redirects, keeping the query.
    let r = server.get("/incidents?x=1");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/incidents/?x=1"));

    for evil in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/services/../../../etc/passwd",
        "/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
        "/..\\..\\etc\\passwd",
        "/index.html%00.css",
        "//etc/passwd",
    ] {
        let r = server.get(evil);
        assert!(r.status == 403 || r.status == 404, "{evil}: {}", r.status);
        assert!(!r.text().contains("root:"), "{evil} leaked a file");
    }

    let missing = server.get("/nope/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), Some("text/html; charset=utf-8"));
    let page_404 = std::fs::read_to_string(built.path().join("404.html")).expect("built 404");
    assert_eq!(strip_reload_script(&missing.text()), page_404);

    let post = server.request("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("get, head"));
    assert_eq!(server.request("DELETE /index.html HTTP/1.1\r\n\r\n").status, 405);

    // Garbage and oversized requests get an error, never a crash.
    assert_eq!(request(server.port, b"\x00\x01\x02 garbage\r\n\r\n").status, 400);
    assert_eq!(server.request("GET / HTTP/9.9\r\n\r\n").status, 400);
    assert_eq!(server.request("GET /%zz HTTP/1.1\r\n\r\n").status, 400);
    let huge = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(20 * 1024));
    assert_eq!(server.request(&huge).status, 431);
    // A client that connects and says nothing does not block others.
    let _idle = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    assert_eq!(server.get("/").status, 200);

    // The event stream answers at once with the current generation.
    let mut events = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    events.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    events.write_all(format!("GET {RELOAD} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).expect("send");
    let first = read_until(&mut events, "\n\n", Duration::from_secs(10));
    assert!(
        first.contains("content-type: text/event-stream")
            || first.contains("Content-Type: text/event-stream")
    );
    assert!(first.contains("event: reload\ndata: "), "{first}");
}

/// Read from a stream until `needle` appears in the body read by this call (bounded).
fn read_until(stream: &mut TcpStream, needle: &str, limit: Duration) -> String {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    stream.set_read_timeout(Some(Duration::from_millis(200))).expect("timeout");
    while start.elapsed() < limit {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(e) => panic!("reading event stream: {e}"),
        }
        let text = String::from_utf8_lossy(&got);
        // Look past the response head, if this read started with it.
        let body = match text.find("\r\n\r\n") {
            Some(i) if text.starts_with("HTTP/") => &text[i + 4..],
            _ => &text[..],
        };
        if body.contains(needle) {
            return text.into_owned();
        }
    }
    panic!("no {needle:?} within {limit:?}; got {:?}", String::from_utf8_lossy(&got));
}

/// The `data:` values of the reload events in an event-stream text.
fn generations(stream_text: &str) -> Vec<String> {
    stream_text.lines().filter_map(|l| l.strip_prefix("data: ")).map(str::to_string).collect()
}

#[test]
fn serve_rebuilds_after_a_change_and_reloads_open_pages() {
    let (site, root) = site_copy();
    let server = start(site, root);
    let webmail = server.file("content/services/webmail.yaml");
    assert!(!server.get("/").text().contains("Eingeschränkt"), "example already degraded");

    let mut events = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    events.write_all(format!("GET {RELOAD} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).expect("send");
    let before = read_until(&mut events, "\n\n", Duration::from_secs(10));
    let first_generation = generations(&before).pop().expect("initial generation");

    // Change a state, saved the replace-on-save way.
    let original = std::fs::read_to_string(&webmail).expect("read");
    let changed = format!(
        "{original}  - at: 2026-11-27T11:00:00+01:00\n    status: degraded\n    text:\n      de: Langsam (Test).\n      en: Slow (test).\n"
    );
    replace_on_save(&webmail, &changed);
    server.wait_for("the degraded state on the front page", || {
        server.get("/").text().contains("Eingeschränkt")
    });
    assert!(server.get("/en/").text().contains("Degraded performance"));
    assert!(server.get("/services/webmail/").text().contains("Langsam (Test)."));

    // Open pages are told, with the next generation.
    let next = first_generation.parse::<u64>().expect("number") + 1;
    let after = read_until(&mut events, &format!("event: reload\ndata: {next}\n\n"), WAIT);
    assert_eq!(generations(&after), [next.to_string()], "one reload per rebuild");

    // An in-place write is seen too.
    std::fs::write(&webmail, changed.replace("name: { de: Webmail,", "name: { de: Webmail-Portal,"))
        .expect("write");
    server.wait_for("the renamed service", || server.get("/").text().contains("Webmail-Portal"));

    // Editors' scratch files start no rebuild. (The log line follows the swap, so wait
    // for it, and for the watcher to settle, before counting.)
    server.wait_for("the second rebuild's log line", || server.rebuilds() >= 2);
    thread::sleep(Duration::from_millis(300));
    let log = server.log();
    assert!(log.contains("rebuilt in "), "{log}");
    // A service file is not an incident file: everything is rendered again.
    assert!(log.contains("(everything; changed: content/services/webmail.yaml)"), "{log}");
    assert!(log.contains("ms from file event to new pages"), "{log}");
    assert!(!log.contains(".webmail.yaml.tmp"), "temp file reported as a change: {log}");

    let rebuilds = server.rebuilds();
    let services = server.file("content/services");
    for scratch in ["4913", ".webmail.yaml.swp", "webmail.yaml~", ".#webmail.yaml"] {
        std::fs::write(services.join(scratch), "x").expect("write scratch");
    }
    for scratch in ["4913", ".webmail.yaml.swp", "webmail.yaml~", ".#webmail.yaml"] {
        std::fs::remove_file(services.join(scratch)).expect("remove scratch");
    }
    thread::sleep(Duration::from_millis(800));
    assert_eq!(server.rebuilds(), rebuilds, "scratch files caused a rebuild:\n{}", server.log());
}

#[test]
fn serve_shows_content_errors_and_recovers() {
    let (site, root) = site_copy();
    let server = start(site, root);
    let webmail = server.file("content/services/webmail.yaml");
    let original = std::fs::read_to_string(&webmail).expect("read");

    let line = append_webmail_update(&webmail, "kaputt<b>", "Test.", "Test.");
    server.wait_for("the error page", || server.get("/").text().contains(ERROR_TITLE));
    let page = server.get("/");
    assert_eq!(page.status, 200, "pages stay 200 so live reload keeps working");
    let html = page.text();
    assert!(html.contains(&format!("content/services/webmail.yaml:{line}:")), "{html}");
    assert!(html.contains("unknown state"), "{html}");
    assert!(html.contains("kaputt&lt;b&gt;"), "message not escaped: {html}");
    assert!(!html.contains("kaputt<b>"), "message not escaped");
    assert!(html.contains(RELOAD), "error page needs the reload script");
    // Every page shows the errors, not the old site.
    for path in ["/en/", "/services/webmail/", "/incidents/", "/nope/"] {
        assert!(server.get(path).text().contains(ERROR_TITLE), "{path}");
    }
    assert_eq!(server.get("/style.css").status, 503);
    server.wait_for("the errors in the terminal too", || {
        server
            .log()
            .lines()
            .any(|l| l.starts_with("[stderr] content/services/webmail.yaml:") && l.contains("unknown state"))
    });

    // Fixed: the site comes back by itself.
    replace_on_save(&webmail, &original);
    server.wait_for("the site to come back", || {
        let r = server.get("/");
        r.status == 200 && !r.text().contains(ERROR_TITLE) && r.text().contains("<title>IT-Status")
    });
    assert_eq!(server.get("/style.css").status, 200);
}

#[test]
fn serve_starts_with_broken_content_and_recovers() {
    let (site, root) = site_copy();
    let webmail = root.join("content/services/webmail.yaml");
    let original = std::fs::read_to_string(&webmail).expect("read");
    std::fs::write(&webmail, format!("{original}  - this is: [not valid yaml\n")).expect("break");
    let server = start(site, root);

    let r = server.get("/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains(ERROR_TITLE), "{}", r.text());
    assert!(r.text().contains("content/services/webmail.yaml:"));

    std::fs::write(&webmail, original).expect("fix");
    server.wait_for("the site after the fix", || server.get("/").text().contains("<title>IT-Status"));
}

#[test]
fn build_output_has_no_live_reload_script() {
    let (_site, root) = site_copy();
    let out = tempfile::tempdir().expect("temp dir");
    build(&root, out.path(), "https://status.example.org/");
    let mut checked = 0;
    for entry in walk(out.path()) {
        let bytes = std::fs::read(&entry).expect("read output");
        assert!(!String::from_utf8_lossy(&bytes).contains("__aushang"), "{}", entry.display());
        checked += 1;
    }
    assert!(checked > 10);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir").map(|e| e.expect("entry")) {
        if entry.file_type().expect("type").is_dir() {
            out.extend(walk(&entry.path()));
        } else {
            out.push(entry.path());
        }
    }
    out
}

/// Every file a fresh `build` writes (same content, "now" and base URL) is served with the
/// same bytes: what a partial rebuild left in memory is what a full build gives.
fn assert_serves_what_build_writes(server: &Server, step: &str) {
    let out = tempfile::tempdir().expect("temp dir");
    build(&server.root, out.path(), &format!("http://127.0.0.1:{}/", server.port));
    let files = walk(out.path());
    assert!(files.len() > 50, "{step}: only {} files built", files.len());
    for file in files {
        let rel = file.strip_prefix(out.path()).expect("inside out").to_string_lossy().replace('\\', "/");
        let built = std::fs::read(&file).expect("read built file");
        let reply = server.get(&format!("/{rel}"));
        assert_eq!(reply.status, 200, "{step}: /{rel} not served\n{}", server.log());
        if rel.ends_with(".html") && !rel.ends_with("404.html") {
            let served = strip_reload_script(&reply.text());
            assert_eq!(served, String::from_utf8_lossy(&built), "{step}: /{rel} differs from the build");
        } else if !rel.ends_with(".html") {
            assert!(reply.body == built, "{step}: /{rel} differs from the build");
        }
    }
}

/// Wait for rebuild number `n` and require it to have been a partial one.
fn wait_for_partial_rebuild(server: &Server, n: usize) {
    server.wait_for(&format!("rebuild {n}"), || server.rebuilds() >= n);
    let log = server.log();
    let line = log.lines().filter(|l| l.starts_with("rebuilt in")).nth(n - 1).unwrap_or_default();
    assert!(line.contains("only what depends on it"), "rebuild {n} was not partial: {line}\n{log}");
}

#[test]
fn partial_rebuilds_after_incident_edits_serve_what_a_full_build_writes() {
    let (site, root) = site_copy();
    let server = start(site, root);
    let incidents = server.file("content/incidents");
    let main = incidents.join("cyberattack-2022-11.yaml");

    // A new update that sets a state: service pages, front page, feeds, API change.
    let original = std::fs::read_to_string(&main).expect("read");
    let edited = format!(
        "{original}  - at: 2026-11-27T10:00:00+01:00\n    phase: monitoring\n    set:\n      webmail: degraded\n    text:\n      de: Webmail ist langsam (Test).\n      en: Webmail is slow (test).\n"
    );
    replace_on_save(&main, &edited);
    wait_for_partial_rebuild(&server, 1);
    assert!(server.get("/services/webmail/").text().contains("Webmail ist langsam (Test)."));
    assert_serves_what_build_writes(&server, "after an edit");

    // Only the wording: serve keeps its derived view, and the pages still match a build.
    let restore = incidents.join("exchange-data-restore.yaml");
    let text = std::fs::read_to_string(&restore).expect("read");
    let reworded = text.replacen("alten Exchange-Daten", "alten Exchange-Daten (neu formuliert)", 1);
    assert_ne!(reworded, text);
    replace_on_save(&restore, &reworded);
    wait_for_partial_rebuild(&server, 2);
    assert!(server
        .get("/incidents/exchange-data-restore/")
        .text()
        .contains("Exchange-Daten (neu formuliert)"));
    assert_serves_what_build_writes(&server, "after rewording");

    // A new incident in a year the archive did not have, with code in its text.
    let new = "title: { de: Alter Ausfall, en: Old outage }\nkind: incident\nservices: [exchange]\nupdates:\n  - at: 2019-05-02T10:00:00+02:00\n    phase: investigating\n    set: { exchange: major_outage }\n    text: |\n      ```sh\n      echo test\n      ```\n  - at: 2019-05-02T12:00:00+02:00\n    phase: resolved\n    set: { exchange: operational }\n";
    std::fs::write(incidents.join("old-outage-2019.yaml"), new).expect("write new incident");
    wait_for_partial_rebuild(&server, 3);
    assert_eq!(server.get("/incidents/2019/").status, 200);
    assert_serves_what_build_writes(&server, "after adding an incident");

    // A broken incident shows errors; saving another incident keeps them; fixing it
    // brings back the site, still partially.
    std::fs::write(incidents.join("old-outage-2019.yaml"), new.replace("phase: resolved", "phase: kaputt"))
        .expect("break");
    server.wait_for("the error page", || server.get("/").text().contains(ERROR_TITLE));
    let other = incidents.join("exchange-data-restore.yaml");
    let text = std::fs::read_to_string(&other).expect("read");
    std::fs::write(&other, format!("{text}\n# a comment\n")).expect("touch other");
    server.wait_for("rebuild 5", || server.rebuilds() >= 5);
    assert!(server.get("/").text().contains(ERROR_TITLE), "an error still on disk was hidden");
    std::fs::remove_file(incidents.join("old-outage-2019.yaml")).expect("remove");
    wait_for_partial_rebuild(&server, 6);
    assert_eq!(server.get("/incidents/old-outage-2019/").status, 404);
    assert_eq!(server.get("/incidents/2019/").status, 404);
    assert_serves_what_build_writes(&server, "after removing an incident");
}
