//! The small part of HTTP/1.1 that a local preview needs: reading one request head with a
//! size limit, parsing its request line without trusting it, turning the path into a key of
//! the in-memory site (refusing anything that could point outside it), and writing a
//! response. Every connection carries one request and is then closed, so there is no
//! keep-alive, chunking or pipelining to get wrong.

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

/// Largest request head (request line and headers) we read; browsers send far less.
pub const MAX_HEAD: usize = 16 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("connection closed before a request was sent")]
    Closed,
    #[error("request head larger than {MAX_HEAD} bytes")]
    TooLarge,
    #[error("malformed request: {0}")]
    Malformed(&'static str),
    #[error(transparent)]
    Io(#[from] io::Error),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Other(String),
}

/// A parsed request line; the headers are not needed for serving a static site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    /// The path as sent (still percent-encoded), without query; always starts with `/`.
    pub path: String,
    /// The query string without `?`, if there was one.
    pub query: Option<String>,
}

/// Read bytes until the blank line that ends the request head. Whatever follows (a body)
/// is not read: no method we answer has one. The socket's read timeout bounds each read;
/// `max_time` bounds them all, so a client trickling bytes cannot hold a connection.
pub fn read_head(stream: &mut impl Read, max_time: Duration) -> Result<Vec<u8>, RequestError> {
    let start = Instant::now();
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        if start.elapsed() > max_time {
            return Err(io::Error::from(io::ErrorKind::TimedOut).into());
        }
        let n = match stream.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        if n == 0 {
            return Err(if buf.is_empty() {
                RequestError::Closed
            } else {
                RequestError::Malformed("incomplete head")
            });
        }
        // Only the new bytes (plus three before them) can complete the terminator.
        let search_from = buf.len().saturating_sub(3);
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = head_end(&buf[search_from..]) {
            if search_from + end > MAX_HEAD {
                return Err(RequestError::TooLarge);
            }
            buf.truncate(search_from + end);
            return Ok(buf);
        }
        if buf.len() > MAX_HEAD {
            return Err(RequestError::TooLarge);
        }
    }
}

/// Offset just past the first `\r\n\r\n` (or the bare `\n\n` some clients send).
fn head_end(buf: &[u8]) -> Option<usize> {
    (0..buf.len()).find_map(|i| {
        if buf[i..].starts_with(b"\r\n\r\n") {
            Some(i + 4)
        } else if buf[i..].starts_with(b"\n\n") {
            Some(i + 2)
        } else {
            None
        }
    })
}

/// Parse the request line of a head. Strict about shape, so that garbage gets a 400
/// instead of being guessed at.
pub fn parse_request(head: &[u8]) -> Result<Request, RequestError> {
    // RFC 9112 asks servers to ignore empty lines before the request line.
    let line = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .find(|l| !l.is_empty())
        .ok_or(RequestError::Malformed("empty request"))?;
    let line = std::str::from_utf8(line).map_err(|_| RequestError::Malformed("request line is not ASCII"))?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(RequestError::Malformed("request line is not `METHOD TARGET VERSION`"));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-' || b == b'_') {
        return Err(RequestError::Malformed("bad method"));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(RequestError::Malformed("unsupported HTTP version"));
    }
    // Only visible ASCII: a target with control characters or raw non-ASCII is never
    // legitimate, and this keeps it safe to echo in a Location header.
    if target.is_empty() || !target.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(RequestError::Malformed("bad request target"));
    }
    let target = if target.starts_with('/') {
        target
    } else if let Some(rest) = target.strip_prefix("http://").or_else(|| target.strip_prefix("https://")) {
        // Absolute form (sent to proxies): keep only the path.
        rest.find('/').map_or("/", |i| &rest[i..])
    } else {
        return Err(RequestError::Malformed("request target is not a path"));
    };
    let target = target.split('#').next().unwrap_or("/");
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (target, None),
    };
    let method = match method {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        other => Method::Other(other.to_string()),
    };
    Ok(Request { method, path: path.to_string(), query })
}

/// Why a path was not looked up at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Broken percent-encoding or not UTF-8: 400.
    BadRequest,
    /// Could reach outside the site (`..`, backslashes, NUL): 403.
    Forbidden,
}

/// A request path made safe: decoded, non-empty segments that never leave the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePath {
    pub segments: Vec<String>,
    /// The path ended in `/` (or was `/`): it names a folder's `index.html`.
    pub trailing_slash: bool,
}

impl SitePath {
    /// The key of the file this path names directly (`""` for the root).
    pub fn key(&self) -> String {
        self.segments.join("/")
    }

    /// The key of the `index.html` inside the folder this path names.
    pub fn index_key(&self) -> String {
        if self.segments.is_empty() {
            "index.html".to_string()
        } else {
            format!("{}/index.html", self.key())
        }
    }

    /// Whether a browser asking for this wants a page (and so may get the error page):
    /// folders, `.html` files and names without an extension.
    pub fn wants_page(&self) -> bool {
        match self.segments.last() {
            None => true,
            Some(_) if self.trailing_slash => true,
            Some(last) => last.ends_with(".html") || !last.contains('.'),
        }
    }
}

/// Decode and check a request path. The site lives in memory, so nothing here can touch
/// the disk anyway; refusing traversal explicitly keeps it that way if serving ever moves
/// to a folder, and makes the answer to probing obvious.
pub fn site_path(raw: &str) -> Result<SitePath, Refusal> {
    let bytes = percent_decode(raw).ok_or(Refusal::BadRequest)?;
    let decoded = String::from_utf8(bytes).map_err(|_| Refusal::BadRequest)?;
    if decoded.contains(['\0', '\\']) || !decoded.starts_with('/') {
        return Err(Refusal::Forbidden);
    }
    let mut segments = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            // `//` collapses, as on every static host.
            "" => {}
            "." | ".." => return Err(Refusal::Forbidden),
            s if s.chars().any(char::is_control) => return Err(Refusal::Forbidden),
            s => segments.push(s.to_string()),
        }
    }
    Ok(SitePath { segments, trailing_slash: decoded.ends_with('/') })
}

/// `%XX` → byte; `None` on a `%` not followed by two hex digits.
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hi = hex(*b.get(i + 1)?)?;
            let lo = hex(*b.get(i + 2)?)?;
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The media type of a site file, by name.
pub fn content_type(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    // The feeds' own names, matching the `<link rel="alternate">` types the pages declare.
    match name {
        "feed.xml" => return "application/rss+xml; charset=utf-8",
        "atom.xml" => return "application/atom+xml; charset=utf-8",
        _ => {}
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" | "xsl" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

/// One response; the connection is closed after it.
pub struct Response<'a> {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Cow<'a, [u8]>,
}

impl<'a> Response<'a> {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Cow<'a, [u8]>>) -> Response<'a> {
        Response { status, content_type, headers: Vec::new(), body: body.into() }
    }

    pub fn text(status: u16, text: impl Into<String>) -> Response<'a> {
        Response::new(status, "text/plain; charset=utf-8", text.into().into_bytes())
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response<'a> {
        self.headers.push((name, value.into()));
        self
    }

    /// Write status line, headers and (unless answering HEAD) the body.
    pub fn write_to(&self, out: &mut impl Write, head_only: bool) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
             X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.push_str(name);
            head.push_str(": ");
            head.push_str(value);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        if !head_only {
            out.write_all(&self.body)?;
        }
        out.flush()
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Request, RequestError> {
        parse_request(s.as_bytes())
    }

    #[test]
    fn parses_request_lines() {
        let r = parse("GET /a/b?x=1 HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        assert_eq!(r, Request { method: Method::Get, path: "/a/b".into(), query: Some("x=1".into()) });
        assert_eq!(parse("\r\nHEAD / HTTP/1.0\r\n\r\n").unwrap().method, Method::Head);
        assert_eq!(parse("POST / HTTP/1.1\r\n\r\n").unwrap().method, Method::Other("POST".into()));
        assert_eq!(parse("GET http://127.0.0.1:1/x/ HTTP/1.1\r\n\r\n").unwrap().path, "/x/");
        for bad in [
            "",
            "\r\n\r\n",
            "GET\r\n\r\n",
            "GET / HTTP/1.1 extra\r\n\r\n",
            "GET  / HTTP/1.1\r\n\r\n",
            "GET / HTTP/2\r\n\r\n",
            "GET x HTTP/1.1\r\n\r\n",
            "G@T / HTTP/1.1\r\n\r\n",
            "GET /\u{7f} HTTP/1.1\r\n\r\n",
            "GET /ä HTTP/1.1\r\n\r\n",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        assert!(parse_request(&[0xff, 0xfe, b'\n', b'\n']).is_err());
    }

    const T: Duration = Duration::from_secs(1);

    #[test]
    fn reads_heads_with_a_limit() {
        let mut ok: &[u8] = b"GET / HTTP/1.1\r\nHost: a\r\n\r\nBODY";
        assert_eq!(read_head(&mut ok, T).unwrap(), b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert!(matches!(read_head(&mut big.as_bytes(), T), Err(RequestError::TooLarge)));
        assert!(matches!(read_head(&mut &b""[..], T), Err(RequestError::Closed)));
        assert!(matches!(read_head(&mut &b"GET /"[..], T), Err(RequestError::Malformed(_))));
    }

    #[test]
    fn refuses_paths_outside_the_site() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/a/%2E%2E/b",
            "/a\\b",
            "/a%5c..%5cb",
            "/a%00b",
            "/./x",
        ] {
            assert_eq!(site_path(bad), Err(Refusal::Forbidden), "{bad}");
        }
        assert_eq!(site_path("/%zz"), Err(Refusal::BadRequest));
        assert_eq!(site_path("/%ff"), Err(Refusal::BadRequest));
        let p = site_path("/services//mail%20box/").unwrap();
        assert_eq!(p.segments, ["services", "mail box"]);
        assert!(p.trailing_slash);
        assert_eq!(p.index_key(), "services/mail box/index.html");
        assert_eq!(site_path("/").unwrap().index_key(), "index.html");
        assert_eq!(site_path("/style.css").unwrap().key(), "style.css");
        assert!(!site_path("/style.css").unwrap().wants_page());
        assert!(site_path("/services/mailbox").unwrap().wants_page());
        assert!(site_path("/404.html").unwrap().wants_page());
    }

    #[test]
    fn content_types_by_name() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("en/feed.xml"), "application/rss+xml; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/atom+xml; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("maintenance.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("badge.svg"), "image/svg+xml");
        assert_eq!(content_type("api/v2/summary.json"), "application/json");
        assert_eq!(content_type("x.PNG"), "image/png");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
