//! What the preview answers for a request path, from one consistent [`SiteState`]: the
//! path made safe (decoded, never leaving the site), the file or folder index it names, the
//! redirect of a folder without its slash, the site's 404 page, and the error page while the
//! content has errors. No I/O: [`super::http`] turns a [`Reply`] into HTTP.

use super::page;
use super::SiteState;
use bytes::Bytes;
use hyper::StatusCode;
use percent_encoding::percent_decode_str;
use std::sync::Arc;

/// One answer, before it becomes an HTTP response.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub content_type: &'static str,
    /// Where a redirect points.
    pub location: Option<String>,
    pub body: Bytes,
}

impl Reply {
    pub fn text(status: StatusCode, text: impl Into<String>) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", Bytes::from(text.into()))
    }

    fn new(status: StatusCode, content_type: &'static str, body: Bytes) -> Reply {
        Reply { status, content_type, location: None, body }
    }
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

/// Decode and check a request path (as sent, without query). The site lives in memory,
/// so nothing here can touch the disk anyway; refusing traversal explicitly keeps it that
/// way if serving ever moves to a folder, and makes the answer to probing obvious.
pub fn site_path(raw: &str) -> Result<SitePath, Refusal> {
    // The decoder passes a `%` without two hex digits through; such a path is broken.
    let escapes_ok = raw
        .split('%')
        .skip(1)
        .all(|rest| rest.as_bytes().get(..2).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)));
    if !escapes_ok {
        return Err(Refusal::BadRequest);
    }
    let decoded = percent_decode_str(raw).decode_utf8().map_err(|_| Refusal::BadRequest)?;
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

/// The answer to a GET or HEAD of `raw_path` (as sent) with `query`.
pub fn respond(state: &SiteState, raw_path: &str, query: Option<&str>) -> Reply {
    let path = match site_path(raw_path) {
        Ok(p) => p,
        Err(Refusal::BadRequest) => return Reply::text(StatusCode::BAD_REQUEST, "bad request path\n"),
        Err(Refusal::Forbidden) => return Reply::text(StatusCode::FORBIDDEN, "forbidden\n"),
    };
    if !state.problems.is_empty() {
        // Pages get 200, so the browser keeps the page and its live reload alive.
        if path.wants_page() {
            let html = page::error_page(&state.problems, state.generation);
            return Reply::new(StatusCode::OK, "text/html; charset=utf-8", Bytes::from(html));
        }
        let mut text = String::from("aushang: content has errors\n");
        for p in &state.problems {
            text.push_str(&format!("{p}\n"));
        }
        return Reply::text(StatusCode::SERVICE_UNAVAILABLE, text);
    }
    let key = if path.trailing_slash || path.segments.is_empty() { path.index_key() } else { path.key() };
    if let Some(bytes) = state.files.get(key.as_str()) {
        return file_reply(StatusCode::OK, &key, bytes, state.generation);
    }
    if !path.trailing_slash && state.files.contains_key(path.index_key().as_str()) {
        // A folder without its slash: relative links on the page need the slash. The
        // path is echoed as sent, which the HTTP parser allows only in visible ASCII.
        let mut location = format!("{raw_path}/");
        if let Some(q) = query {
            location.push('?');
            location.push_str(q);
        }
        let mut reply = Reply::text(StatusCode::MOVED_PERMANENTLY, format!("moved to {location}\n"));
        reply.location = Some(location);
        return reply;
    }
    // The 404 page of the language folder the request was in, else the site's.
    let localized =
        path.segments.first().filter(|_| path.segments.len() > 1).map(|lang| format!("{lang}/404.html"));
    for key in localized.into_iter().chain(["404.html".to_string()]) {
        if let Some(bytes) = state.files.get(key.as_str()) {
            return file_reply(StatusCode::NOT_FOUND, &key, bytes, state.generation);
        }
    }
    Reply::text(StatusCode::NOT_FOUND, "not found\n")
}

/// A site file; pages get the live-reload script, everything else is shared, not copied.
fn file_reply(status: StatusCode, key: &str, bytes: &Arc<[u8]>, generation: u64) -> Reply {
    let content_type = content_type(key);
    let body = if content_type.starts_with("text/html") {
        Bytes::from(page::inject_reload(bytes, generation))
    } else {
        Bytes::from_owner(Arc::clone(bytes))
    };
    Reply::new(status, content_type, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_outside_the_site() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/a/%2E%2E/b",
            "/a\\b",
            "/a%5c..%5cb",
            "/..%2f..%2fetc",
            "/a%00b",
            "/a%0ab",
            "/./x",
        ] {
            assert_eq!(site_path(bad), Err(Refusal::Forbidden), "{bad}");
        }
        for broken in ["/%zz", "/%ff", "/a%", "/a%2", "/%c3%28"] {
            assert_eq!(site_path(broken), Err(Refusal::BadRequest), "{broken}");
        }
        let p = site_path("/services//mail%20box/").unwrap();
        assert_eq!(p.segments, ["services", "mail box"]);
        assert!(p.trailing_slash);
        assert_eq!(p.index_key(), "services/mail box/index.html");
        assert_eq!(site_path("/%25zz").unwrap().key(), "%zz");
        assert_eq!(site_path("/st%C3%B6rung/").unwrap().key(), "störung");
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
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("index.html.gz"), "application/gzip");
        assert_eq!(content_type("x.PNG"), "image/png");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    fn site(files: &[(&str, &str)]) -> SiteState {
        let files = files.iter().map(|(k, v)| (Arc::from(*k), Arc::from(v.as_bytes()))).collect();
        SiteState { files: Arc::new(files), problems: Vec::new(), generation: 5 }
    }

    #[test]
    fn answers_files_folders_redirects_and_404s() {
        let state = site(&[
            ("index.html", "<body>home</body>"),
            ("incidents/index.html", "<body>list</body>"),
            ("style.css", "body{}"),
            ("404.html", "<body>missing</body>"),
            ("en/404.html", "<body>en missing</body>"),
        ]);
        let home = respond(&state, "/", None);
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.starts_with(b"<body>home<script>"));
        assert_eq!(respond(&state, "/style.css", None).body, &b"body{}"[..]);
        let moved = respond(&state, "/incidents", Some("a=1"));
        assert_eq!(moved.status, StatusCode::MOVED_PERMANENTLY);
        assert_eq!(moved.location.as_deref(), Some("/incidents/?a=1"));
        let missing = respond(&state, "/nope/", None);
        assert_eq!(
            (missing.status, missing.content_type),
            (StatusCode::NOT_FOUND, "text/html; charset=utf-8")
        );
        assert!(missing.body.starts_with(b"<body>missing"));
        assert!(respond(&state, "/en/nope/", None).body.starts_with(b"<body>en missing"));
        assert_eq!(respond(&state, "/%2e%2e/x", None).status, StatusCode::FORBIDDEN);
        assert_eq!(respond(&state, "/%zz", None).status, StatusCode::BAD_REQUEST);
    }
}
