//! `aushang serve`, end to end: the real binary on a free port, a copy of the example
//! site, and a plain TCP client. Every wait is bounded, and the server is killed when a
//! test ends, passes or not. This module is the harness; the tests are in its children.

mod answers;
mod hostile;
mod rebuilds;

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
