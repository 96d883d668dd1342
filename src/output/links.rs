//! Internal link check of a rendered site (used by `aushang check`): every relative
//! `href`/`src` in every page must name a file of the site, and every `#fragment` an `id`
//! on the target page. The HTML is our own output, so a scan of attributes is enough.
//!
//! Each page is scanned once, on its own ([`PageScan::new`]): its `id`s, and its internal
//! links already resolved to file paths with their line and column. [`Checker`] is a
//! [`Sink`](super::Sink) that does this while the pages are rendered, on the rendering
//! threads, and keeps only the scan (not the page); [`Checker::finish`] then only looks
//! the targets up. [`check`] does the same for files already in memory.

use super::OutputFile;
use crate::model::url::{is_external, percent_decode};
use crate::render::escape::unescape_html;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// A link that points nowhere, with its position in the generated page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub page: String,
    pub line: usize,
    pub col: usize,
    pub target: String,
    pub reason: String,
}

/// The attributes the check reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attr {
    Id,
    Href,
    Src,
}

/// Values of the `id`, `href` and `src` attributes of `html` with their byte offsets, in
/// one pass; each kind in order of its offsets. It finds what a separate search for each
/// of ` id="`, ` href="` and ` src="` (resuming after the value's closing quote) finds.
fn attr_values(html: &str) -> [Vec<(usize, &str)>; 3] {
    let bytes = html.as_bytes();
    let mut out: [Vec<(usize, &str)>; 3] = Default::default();
    // Per kind: where its own search would resume.
    let mut resume = [0usize; 3];
    // Every `="`.
    let mut from = 1;
    while let Some(q) = find_quote(bytes, from) {
        from = q + 1;
        if bytes[q - 1] != b'=' {
            continue;
        }
        let head = &bytes[..q - 1];
        let (attr, pat_len) = if head.ends_with(b" href") {
            (Attr::Href, 5)
        } else if head.ends_with(b" src") {
            (Attr::Src, 4)
        } else if head.ends_with(b" id") {
            (Attr::Id, 3)
        } else {
            continue;
        };
        let k = attr as usize;
        let pat_start = q - 1 - pat_len;
        if pat_start < resume[k] {
            continue;
        }
        let start = q + 1;
        let Some(len) = html[start..].find('"') else {
            // No closing quote: the search of this kind ends here.
            resume[k] = usize::MAX;
            continue;
        };
        out[k].push((start, &html[start..start + len]));
        resume[k] = start + len;
    }
    out
}

/// The first `"` in `bytes` at or after `from`, eight bytes at a time: quotes are too
/// dense in HTML for a `memchr` call per quote to pay off.
fn find_quote(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    let mut i = from;
    while i + 8 <= bytes.len() {
        let chunk = u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap_or([0; 8]));
        let x = chunk ^ QUOTES;
        // A byte of `x` is zero where `chunk` has a quote; the lowest flagged byte is exact.
        let zero = x.wrapping_sub(ONES) & !x & HIGH;
        if zero != 0 {
            return Some(i + (zero.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes.get(i..)?.iter().position(|&b| b == b'"').map(|p| i + p)
}

/// Resolve `link` relative to the page at `page` (a file path like `en/services/x/index.html`).
fn resolve(page: &str, link: &str) -> Option<String> {
    let link = link.strip_prefix("./").unwrap_or(link);
    // The segments so far, joined by `/`, and how many there are.
    let mut path = String::with_capacity(page.len() + link.len() + 10);
    let mut segments = 0;
    if !link.starts_with('/') {
        if let Some(dir) = page.rfind('/').map(|i| &page[..i]) {
            path.push_str(dir);
            segments = dir.split('/').count();
        }
    }
    for seg in link.trim_start_matches('/').split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments = usize::checked_sub(segments, 1)?;
                path.truncate(if segments == 0 { 0 } else { path.rfind('/').unwrap_or(0) });
            }
            s => {
                if segments > 0 {
                    path.push('/');
                }
                path.push_str(s);
                segments += 1;
            }
        }
    }
    if link.ends_with('/') || link.is_empty() || link == "." {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// Line and column (in characters, both from 1) of byte offsets, for offsets given in
/// increasing order: one pass over the text however many offsets there are.
struct Positions<'a> {
    text: &'a str,
    at: usize,
    line: usize,
    col: usize,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Self {
        Positions { text, at: 0, line: 1, col: 1 }
    }

    fn of(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        if offset < self.at {
            *self = Positions::new(self.text);
        }
        let seg = &self.text[self.at..offset];
        // Bytes counted in `u8`s, in blocks that cannot overflow them: this vectorises.
        let newlines: usize = seg
            .as_bytes()
            .chunks(255)
            .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'))))
            .sum();
        if newlines > 0 {
            self.line += newlines;
            let last = seg.rfind('\n').map_or(0, |i| i + 1);
            self.col = 1 + seg[last..].chars().count();
        } else {
            self.col += seg.chars().count();
        }
        self.at = offset;
        (self.line, self.col)
    }
}

/// An internal link of a page, resolved.
#[derive(Debug)]
struct Link {
    line: usize,
    col: usize,
    /// The link as written (unescaped).
    link: String,
    /// The file it names; None: it leaves the site root.
    target: Option<String>,
    /// Its `#fragment`, percent-decoded, if not empty.
    fragment: Option<String>,
}

/// What the check needs of one page: its `id`s and its internal links.
#[derive(Debug)]
pub struct PageScan {
    path: String,
    /// None for files that are not HTML pages (nothing is checked inside them).
    ids: Option<HashSet<String>>,
    /// `href`s first, then `src`s, each in page order.
    links: Vec<Link>,
}

impl PageScan {
    /// Scan the file at `path` (`root_path`: see [`check`]).
    pub fn new(path: &str, bytes: &[u8], root_path: &str) -> PageScan {
        if !path.ends_with(".html") {
            return PageScan { path: path.to_string(), ids: None, links: Vec::new() };
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(bytes),
        };
        // Links are compared with the root's path as a browser requests them: decoded.
        let root_path = percent_decode(root_path);
        let [ids, hrefs, srcs] = attr_values(&text);
        let ids = ids.into_iter().map(|(_, v)| unescape_html(v).into_owned()).collect();
        let mut pos = Positions::new(&text);
        let mut links = Vec::new();
        for (offset, raw) in hrefs.into_iter().chain(srcs) {
            let link = unescape_html(raw);
            if is_external(&link) {
                continue;
            }
            let (path_part, fragment) = match link.split_once('#') {
                Some((p, frag)) => (p, Some(frag)),
                None => (link.as_ref(), None),
            };
            let path_part = path_part.split('?').next().unwrap_or("");
            let path_part = percent_decode(path_part);
            let target = if path_part.is_empty() {
                Some(path.to_string())
            } else {
                match path_part.strip_prefix(root_path.as_ref()) {
                    Some(r) if path_part.starts_with('/') => resolve(path, &format!("/{r}")),
                    _ => resolve(path, &path_part),
                }
            };
            let fragment = fragment.filter(|f| !f.is_empty()).map(|f| percent_decode(f).into_owned());
            let (line, col) = pos.of(offset);
            links.push(Link { line, col, link: link.into_owned(), target, fragment });
        }
        PageScan { path: path.to_string(), ids: Some(ids), links }
    }
}

/// Collects the scans of a site's files as they are rendered (a [`Sink`](super::Sink)
/// that keeps no page), then checks the links between them.
pub struct Checker {
    root_path: String,
    scans: Mutex<Vec<PageScan>>,
}

impl Checker {
    /// `root_path`: see [`check`].
    pub fn new(root_path: &str) -> Checker {
        Checker { root_path: root_path.to_string(), scans: Mutex::new(Vec::new()) }
    }

    /// Scan one file.
    pub fn add(&self, path: &str, bytes: &[u8]) {
        let scan = PageScan::new(path, bytes, &self.root_path);
        self.scans.lock().unwrap_or_else(|e| e.into_inner()).push(scan);
    }

    /// The paths of the files added so far, sorted.
    pub fn paths(&self) -> Vec<String> {
        let scans = self.scans.lock().unwrap_or_else(|e| e.into_inner());
        let mut paths: Vec<String> = scans.iter().map(|s| s.path.clone()).collect();
        paths.sort_unstable();
        paths
    }

    /// Every broken internal link, pages in path order.
    pub fn finish(self) -> Vec<BrokenLink> {
        let mut scans = self.scans.into_inner().unwrap_or_else(|e| e.into_inner());
        scans.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        broken_links(&scans)
    }
}

impl super::Sink for Checker {
    fn put(&self, file: OutputFile) -> Result<(), crate::build::BuildError> {
        self.add(&file.path, &file.bytes);
        Ok(())
    }
}

fn broken_links(scans: &[PageScan]) -> Vec<BrokenLink> {
    let ids: HashMap<&str, &HashSet<String>> =
        scans.iter().filter_map(|s| s.ids.as_ref().map(|ids| (s.path.as_str(), ids))).collect();
    let per_page: Vec<Vec<BrokenLink>> = scans
        .par_iter()
        .map(|page| {
            let mut broken = Vec::new();
            for l in &page.links {
                let mut report = |reason: String| {
                    broken.push(BrokenLink {
                        page: page.path.clone(),
                        line: l.line,
                        col: l.col,
                        target: l.link.clone(),
                        reason,
                    })
                };
                let Some(target) = &l.target else {
                    report("leaves the site root".into());
                    continue;
                };
                let Some(target_ids) = ids.get(target.as_str()) else {
                    if !scans_contain(scans, target) {
                        report(format!("no such file `{target}` in the built site"));
                    }
                    continue;
                };
                if let Some(frag) = &l.fragment {
                    if !target_ids.contains(frag) {
                        report(format!("no element with id `{frag}` on `{target}`"));
                    }
                }
            }
            broken
        })
        .collect();
    per_page.into_iter().flatten().collect()
}

/// Whether a file that is not an HTML page exists (`scans` sorted by path).
fn scans_contain(scans: &[PageScan], path: &str) -> bool {
    scans.binary_search_by(|s| s.path.as_str().cmp(path)).is_ok()
}

/// Every broken internal link of the site. `root_path` is the URL path of the site root
/// (e.g. `/` or `/status/`), used for the absolute-path links of `404.html`.
pub fn check(files: &[OutputFile], root_path: &str) -> Vec<BrokenLink> {
    let mut scans: Vec<PageScan> =
        files.par_iter().map(|f| PageScan::new(&f.path, &f.bytes, root_path)).collect();
    scans.sort_by(|a, b| a.path.cmp(&b.path));
    broken_links(&scans)
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
    fn checker_sink_finds_the_same() {
        let files = vec![
            OutputFile::new("a/index.html", "<p>\n  <img src=\"../x.png\"> <a href=\"../b.html#top\">b</a>\n<a href=\"../feed.xml#x\">f</a></p>"),
            OutputFile::new("b.html", "<h1 id=\"top\">b</h1><a href=\"c/\">c</a><a href=\"a/#&lt;\">a</a>"),
            OutputFile::new("feed.xml", "<a href=\"nowhere\"/>"),
        ];
        let checker = Checker::new("/");
        for f in files.iter().rev() {
            checker.add(&f.path, &f.bytes);
        }
        let broken = checker.finish();
        assert_eq!(broken, check(&files, "/"));
        assert_eq!(broken, reference_check(&files, "/"));
        let found: Vec<(&str, usize, usize, &str)> =
            broken.iter().map(|b| (b.page.as_str(), b.line, b.col, b.target.as_str())).collect();
        assert_eq!(
            found,
            vec![("a/index.html", 2, 13, "../x.png"), ("b.html", 1, 29, "c/"), ("b.html", 1, 47, "a/#<")]
        );
    }

    /// The check as it was before the one-pass scan: the reference for the tests below.
    fn reference_check(files: &[OutputFile], root_path: &str) -> Vec<BrokenLink> {
        fn values<'a>(html: &'a str, name: &str) -> Vec<(usize, &'a str)> {
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
        fn line_col(text: &str, offset: usize) -> (usize, usize) {
            let before = &text[..offset.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
            (line, col)
        }
        let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let ids: HashMap<&str, HashSet<String>> = files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .map(|f| {
                let text = String::from_utf8_lossy(&f.bytes);
                (
                    f.path.as_str(),
                    values(&text, "id").into_iter().map(|(_, v)| unescape_html(v).into_owned()).collect(),
                )
            })
            .collect();
        let mut broken = Vec::new();
        for f in files.iter().filter(|f| f.path.ends_with(".html")) {
            let text = String::from_utf8_lossy(&f.bytes);
            for (offset, raw) in values(&text, "href").into_iter().chain(values(&text, "src")) {
                let link = unescape_html(raw).into_owned();
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
                let path_part = percent_decode(path_part.split('?').next().unwrap_or("")).into_owned();
                let rel = match path_part.strip_prefix(root_path) {
                    Some(r) if path_part.starts_with('/') => format!("/{r}"),
                    _ => path_part.clone(),
                };
                let target = if path_part.is_empty() { Some(f.path.clone()) } else { resolve(&f.path, &rel) };
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
                    let frag = percent_decode(frag).into_owned();
                    if ids.get(target.as_str()).is_some_and(|set| !set.contains(&frag)) {
                        report(format!("no element with id `{frag}` on `{target}`"));
                    }
                }
            }
        }
        broken
    }

    #[test]
    fn references_in_ids_and_links_are_read_once() {
        // The id is the text `a&lt;b`; a link to `a<b` misses it, a link to `a&lt;b` finds it.
        let files = vec![OutputFile::new(
            "index.html",
            "<p id=\"a&amp;lt;b\"></p><a href=\"#a&amp;lt;b\">1</a><a href=\"#a&lt;b\">2</a><a href=\"#it&#x27;s\">3</a><p id=\"it's\"></p>",
        )];
        let broken = check(&files, "/");
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert_eq!(broken[0].target, "#a<b");
    }

    #[test]
    fn scan_matches_separate_searches() {
        // Quotes that are not attribute values, `=` without a name, names that only end
        // in `id`, attributes inside other values, a value without its closing quote.
        let html = "x=\"y\" <a href=\"1\" data-id=\"no\" id=\"i\" title=\" src=&quot;\">\"= \" \
                    <b alt=\" src=\"s\" href=\"h\"> <img alt=\"a\" src=\"2\"><p  id=\"j\" grid=\"k\"> href=\"3";
        let [ids, hrefs, srcs] = attr_values(html);
        let values = |v: &[(usize, &str)]| v.iter().map(|(_, s)| s.to_string()).collect::<Vec<_>>();
        assert_eq!(values(&ids), ["i", "j"]);
        assert_eq!(values(&hrefs), ["1", "h"]);
        assert_eq!(values(&srcs), ["s", "2"]);
        for (off, v) in hrefs.iter().chain(&srcs).chain(&ids) {
            assert_eq!(&html[*off..off + v.len()], *v);
        }
    }

    #[test]
    fn same_findings_as_the_reference_on_the_example_site() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let opts = crate::build::BuildOptions {
            now: Some("2026-11-27T12:00:00+01:00".into()),
            ..Default::default()
        };
        let built = crate::build::render_site(root, &opts).unwrap();
        let root_path = crate::output::url_path(&built.site.config.base_url);
        assert_eq!(check(&built.files, &root_path), []);
        // Break links in several ways: missing pages, fragments, leaving the root.
        let files: Vec<OutputFile> = built
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                if !f.path.ends_with(".html") || i % 3 == 0 {
                    return f.clone();
                }
                let text = String::from_utf8_lossy(&f.bytes)
                    .replace("#u-2022", "#u-1999")
                    .replace("href=\"../", "href=\"../../")
                    .replace("src=\"", "src=\"x/");
                OutputFile::new(f.path.clone(), text)
            })
            .collect();
        let broken = check(&files, &root_path);
        assert!(broken.len() > 100, "{}", broken.len());
        assert_eq!(broken, reference_check(&files, &root_path));
        let checker = Checker::new(&root_path);
        files.par_iter().for_each(|f| checker.add(&f.path, &f.bytes));
        assert_eq!(checker.finish(), broken);
    }

    #[test]
    fn positions_are_lines_and_columns_in_characters() {
        let text = "ab\nçd é\n\nx";
        let mut p = Positions::new(text);
        assert_eq!(p.of(1), (1, 2));
        assert_eq!(p.of(3), (2, 1));
        assert_eq!(p.of(text.find('é').unwrap()), (2, 4));
        assert_eq!(p.of(text.len()), (4, 2));
        assert_eq!(p.of(0), (1, 1));
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("en/services/x/index.html", "../../").as_deref(), Some("en/index.html"));
        assert_eq!(resolve("en/services/x/index.html", "../../../style.css").as_deref(), Some("style.css"));
        assert_eq!(resolve("index.html", "../x"), None);
        assert_eq!(resolve("index.html", "./").as_deref(), Some("index.html"));
        assert_eq!(resolve("index.html", "a/../b/./c").as_deref(), Some("b/c"));
        assert_eq!(resolve("a//x.html", "../b").as_deref(), Some("a/b"));
        assert_eq!(resolve("a//x.html", "../../b").as_deref(), Some("b"));
        assert_eq!(resolve("a/x.html", "/b/").as_deref(), Some("b/index.html"));
        assert_eq!(resolve("a/x.html", "..").as_deref(), Some(""));
        assert_eq!(resolve("a/x.html", "").as_deref(), Some("a/index.html"));
    }

    #[test]
    fn finds_every_quote() {
        let text = "ab\"cdefghijkl\"\"mnopqrstuvwxyz0123456789\"é\"";
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(q) = find_quote(text.as_bytes(), from) {
            found.push(q);
            from = q + 1;
        }
        let expected: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
        assert_eq!(found, expected);
        assert_eq!(find_quote(b"abc", 7), None);
    }
}
