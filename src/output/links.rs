//! Internal link check of a rendered site (used by `aushang check`): every relative
//! `href`/`src` in every page must name a file of the site, and every `#fragment` an `id`
//! on the target page. The HTML is our own output, so a scan of attributes is enough.

use super::OutputFile;
use std::collections::{HashMap, HashSet};

/// A link that points nowhere, with its position in the generated page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub page: String,
    pub line: usize,
    pub col: usize,
    pub target: String,
    pub reason: String,
}

/// Values of `name="…"` attributes in `html` with their byte offsets.
fn attr_values<'a>(html: &'a str, name: &str) -> Vec<(usize, &'a str)> {
    let pat = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find(&pat) {
        let start = from + i + pat.len();
        let Some(len) = html[start..].find('"') else { break };
        out.push((start, &html[start..start + len]));
        from = start + len;
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolve `link` relative to the page at `page` (a file path like `en/services/x/index.html`).
fn resolve(page: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let link = link.strip_prefix("./").unwrap_or(link);
    let mut base: Vec<String> =
        if link.starts_with('/') { Vec::new() } else { parts.iter().map(|s| s.to_string()).collect() };
    for seg in link.trim_start_matches('/').split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                base.pop()?;
            }
            s => base.push(s.to_string()),
        }
    }
    let mut path = base.join("/");
    if link.ends_with('/') || link.is_empty() || link == "." {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

/// Every broken internal link of the site. `root_path` is the URL path of the site root
/// (e.g. `/` or `/status/`), used for the absolute-path links of `404.html`.
pub fn check(files: &[OutputFile], root_path: &str) -> Vec<BrokenLink> {
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let ids: HashMap<&str, HashSet<String>> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| {
            let text = String::from_utf8_lossy(&f.bytes);
            let set = attr_values(&text, "id").into_iter().map(|(_, v)| unescape(v)).collect();
            (f.path.as_str(), set)
        })
        .collect();
    let mut broken = Vec::new();
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let text = String::from_utf8_lossy(&f.bytes);
        let links = attr_values(&text, "href").into_iter().chain(attr_values(&text, "src"));
        for (offset, raw) in links {
            let link = unescape(raw);
            if link.contains("://")
                || link.starts_with("mailto:")
                || link.starts_with("tel:")
                || link.starts_with("data:")
            {
                continue;
            }
            let (path_part, fragment) = match link.split_once('#') {
                Some((p, frag)) => (p, Some(frag)),
                None => (link.as_str(), None),
            };
            let path_part = path_part.split('?').next().unwrap_or("");
            let path_part = percent_decode(path_part);
            let rel = match path_part.strip_prefix(root_path) {
                Some(r) if path_part.starts_with('/') => format!("/{r}"),
                _ => path_part.clone(),
            };
            let target = if path_part.is_empty() { Some(f.path.clone()) } else { resolve(&f.path, &rel) };
            // The position is only worked out for a broken link: counting lines for every
            // link made the check quadratic in the page length.
            let mut report = |reason: String| {
                let (line, col) = line_col(&text, offset);
                broken.push(BrokenLink { page: f.path.clone(), line, col, target: link.clone(), reason })
            };
            let Some(target) = target else {
                report("leaves the site root".into());
                continue;
            };
            if !paths.contains(target.as_str()) {
                report(format!("no such file `{target}` in the built site"));
                continue;
            }
            if let Some(frag) = fragment.filter(|f| !f.is_empty()) {
                let frag = percent_decode(frag);
                if ids.get(target.as_str()).is_some_and(|set| !set.contains(&frag)) {
                    report(format!("no element with id `{frag}` on `{target}`"));
                }
            }
        }
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_files_and_fragments() {
        let files = vec![
            OutputFile::new("index.html", "<a href=\"services/x/\">x</a>\n<a href=\"services/y/#u-1\">y</a> <a href=\"https://e.org/\">e</a>"),
            OutputFile::new("services/x/index.html", "<p id=\"a\">x</p><a href=\"../../\">home</a><a href=\"#a\">a</a><a href=\"#b\">b</a>"),
            OutputFile::new("404.html", "<a href=\"/status/services/x/\">x</a>"),
        ];
        let broken = check(&files, "/status/");
        assert_eq!(broken.len(), 2, "{broken:?}");
        assert_eq!(broken[0].page, "index.html");
        assert_eq!((broken[0].line, broken[0].col), (2, 10));
        assert!(broken[1].reason.contains("id `b`"));
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("en/services/x/index.html", "../../").as_deref(), Some("en/index.html"));
        assert_eq!(resolve("en/services/x/index.html", "../../../style.css").as_deref(), Some("style.css"));
        assert_eq!(resolve("index.html", "../x"), None);
        assert_eq!(resolve("index.html", "./").as_deref(), Some("index.html"));
        assert_eq!(percent_decode("%aé%41"), "%aéA");
    }
}
