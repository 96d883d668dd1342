//! Internal link check of a rendered site (used by `aushang check`): every relative
//! `href`/`src` in every page must name a file of the site, and every `#fragment` an `id`
//! on the target page. Themes are written by hand, so pages are read as a browser reads
//! them ([`html`]: a WHATWG tokenizer); what a link names follows the project's URL rules
//! ([`crate::model::url`]).
//!
//! Each page is scanned once, on its own ([`PageScan::new`]): its `id`s, and its internal
//! links already resolved to file paths with their line and column. [`Checker`] is a
//! [`Sink`](super::Sink) that does this while the pages are rendered, on the rendering
//! threads, and keeps only the scan (not the page); [`Checker::finish`] then only looks
//! the targets up. [`check`] does the same for files already in memory.

use super::OutputFile;
use crate::model::url::{is_external, percent_decode};
use locate::{resolve, Positions};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

mod html;
mod locate;

/// A link that points nowhere, with its position in the generated page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub page: String,
    pub line: usize,
    pub col: usize,
    pub target: String,
    pub reason: String,
}

/// An internal link of a page, resolved.
#[derive(Debug)]
struct Link {
    line: usize,
    col: usize,
    /// The link as written (character references decoded).
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
        let html::PageAttrs { ids, hrefs, srcs } = html::read(text.as_bytes());
        let mut pos = Positions::new(&text);
        let mut links = Vec::new();
        for (offset, link) in hrefs.into_iter().chain(srcs) {
            if is_external(&link) {
                continue;
            }
            let (path_part, fragment) = match link.split_once('#') {
                Some((p, frag)) => (p, Some(frag)),
                None => (link.as_str(), None),
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
            links.push(Link { line, col, link, target, fragment });
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
    fn put(&self, file: OutputFile) -> Result<(), super::OutputError> {
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

#[cfg(test)]
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
    use crate::render::escape::unescape_html;

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

    /// The check by a separate search for each of ` id="`, ` href="` and ` src="`: on
    /// aushang's own markup (double quotes, no comments around links) it must find what
    /// the tokenizer finds, which makes it the reference for the tests below.
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
    fn scan_reads_only_real_attributes() {
        // Quotes that are not attribute values, `=` without a name, names that only end
        // in `id`, attributes inside other values, a value without its closing quote.
        let html = "x=\"y\" <a href=\"1\" data-id=\"no\" id=\"i\" title=\" src=&quot;\">\"= \" \
                    <b alt=\" src=\"s\" href=\"h\"> <img alt=\"a\" src=\"2\"><p  id=\"j\" grid=\"k\"> href=\"3";
        let html::PageAttrs { ids, hrefs, srcs } = html::read(html.as_bytes());
        let values = |v: &[(usize, String)]| v.iter().map(|(_, s)| s.clone()).collect::<Vec<_>>();
        assert_eq!(ids, HashSet::from(["i".to_string(), "j".to_string()]));
        assert_eq!(values(&hrefs), ["1", "h"]);
        // `src="s"` is inside the value of `alt` (` src=`), followed by an attribute `s"`.
        assert_eq!(values(&srcs), ["2"]);
        for (off, v) in hrefs.iter().chain(&srcs) {
            assert_eq!(&html[*off..off + v.len()], v);
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
}
