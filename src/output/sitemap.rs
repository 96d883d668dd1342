//! The sitemap for search engines: `sitemap.xml` and its child sitemaps.
//!
//! `sitemap.xml` is a sitemap index (`<sitemapindex>`); the URLs themselves live in child
//! sitemaps split by section, so that no file grows without bound as history piles up:
//!
//! - `sitemap-pages.xml`: every page that is not an incident page (front page, services and
//!   their year pages, archive pages, guides, notices). It grows only with services, years
//!   and guides, not with incidents.
//! - `sitemap-incidents-<year>.xml`: the incident pages (`incidents/<id>/`) of the incidents
//!   that started in that year, in the site timezone (the same year as the archive page that
//!   lists them). An incident with no start yet (none of its updates is published) goes with
//!   the year of "now": its first update lies after "now", so that is where it will
//!   usually stay once it starts. Within a year, incidents are ordered by start, so a
//!   growing year grows at its end.
//!
//! A child that would exceed [`MAX_URLS`] `<url>` entries or [`MAX_BYTES`] bytes (the
//! limits of the sitemap protocol) is split into numbered parts: the first keeps the plain
//! name, the others are `sitemap-<section>-part2.xml`, `-part3`, … The language twins of a
//! page stay in the same part.
//!
//! The children sit beside `sitemap.xml` at the site's root, not in a folder: the sitemap
//! protocol lets a sitemap list only URLs at or below its own folder.
//!
//! Each `<url>` is one page in one language, with every language's twin as an
//! `xhtml:link` alternate plus `x-default`. There is no `<lastmod>`: in the index it would
//! have to be the time a child file changed, which no content time says (an update to an
//! old incident changes no child, removing an incident changes one), and per URL it would
//! make a child change with every update of any of its pages. Without it, a child's bytes
//! change only when pages are added or removed, and the index only when a child is.

use super::feeds::xml_escape;
use super::{BuildContext, OutputFile};
use chrono::{DateTime, Datelike, Utc};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// Most `<url>` entries in one child sitemap (sitemap protocol).
pub const MAX_URLS: usize = 50_000;

/// Most bytes of one child sitemap, uncompressed (sitemap protocol: 50 MiB).
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

const URLSET_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
const URLSET_TAIL: &str = "</urlset>\n";

/// The bounds of one child sitemap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub urls: usize,
    pub bytes: usize,
}

impl Limits {
    /// The sitemap protocol's limits.
    pub const PROTOCOL: Limits = Limits { urls: MAX_URLS, bytes: MAX_BYTES };
}

/// A section of the site with its own child sitemap(s). Ordered as the index lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Pages,
    Incidents(i32),
}

impl Section {
    fn name(self) -> String {
        match self {
            Section::Pages => "pages".to_string(),
            Section::Incidents(y) => format!("incidents-{y}"),
        }
    }
}

/// Output path of part `part` (0-based) of a section's child sitemap.
fn child_path(section: Section, part: usize) -> String {
    if part == 0 {
        format!("sitemap-{}.xml", section.name())
    } else {
        format!("sitemap-{}-part{}.xml", section.name(), part + 1)
    }
}

/// `sitemap.xml` (the index) followed by every child sitemap it lists. `paths` are the site
/// paths of all pages without language prefix, sorted, as `render_units` returns them.
pub fn files(ctx: &BuildContext, paths: &[String]) -> Vec<OutputFile> {
    files_within(ctx, paths, Limits::PROTOCOL)
}

/// [`files`] with children bounded by `limits` instead of the protocol's.
pub fn files_within(ctx: &BuildContext, paths: &[String], limits: Limits) -> Vec<OutputFile> {
    let langs = ctx.languages().len().max(1);
    let overhead = URLSET_HEAD.len() + URLSET_TAIL.len();
    let mut children: Vec<OutputFile> = Vec::new();
    for (section, paths) in sections(ctx, paths) {
        // In parallel: the sitemap is written after all pages, with nothing else left to run.
        let blocks: Vec<String> = paths.par_iter().map(|p| url_block(ctx, p)).collect();
        let sizes: Vec<(usize, usize)> = blocks.iter().map(|b| (langs, b.len())).collect();
        for (part, range) in split(&sizes, overhead, limits).into_iter().enumerate() {
            let body = blocks[range].concat();
            children
                .push(OutputFile::new(child_path(section, part), [URLSET_HEAD, &body, URLSET_TAIL].concat()));
        }
    }
    let mut out = Vec::with_capacity(children.len() + 1);
    out.push(index(ctx, &children));
    out.extend(children);
    out
}

/// Incident pages with their start (None: not started yet).
type Started<'p> = Vec<(Option<DateTime<Utc>>, &'p str)>;

/// The pages of each section, in the order their children list them: the other pages in
/// path order, the incident pages of a year by start (then path). Pages that are not for
/// search engines ([`super::pages::in_sitemap`]) are left out.
fn sections<'p>(ctx: &BuildContext, paths: &'p [String]) -> BTreeMap<Section, Vec<&'p str>> {
    let tz = ctx.site.config.timezone;
    let this_year = ctx.derived.now.with_timezone(&tz).year();
    let incident_of: HashMap<String, usize> =
        ctx.site.incidents.iter().enumerate().map(|(i, inc)| (format!("incidents/{}/", inc.id), i)).collect();
    let mut incidents: BTreeMap<i32, Started> = BTreeMap::new();
    let mut out: BTreeMap<Section, Vec<&str>> = BTreeMap::new();
    for path in paths.iter().filter(|p| super::pages::in_sitemap(p)) {
        match incident_of.get(path.as_str()) {
            Some(&i) => {
                let started = ctx.derived.incidents.get(i).and_then(|v| v.started);
                let year = started.map_or(this_year, |t| t.with_timezone(&tz).year());
                incidents.entry(year).or_default().push((started, path));
            }
            None => out.entry(Section::Pages).or_default().push(path),
        }
    }
    for (year, mut list) in incidents {
        // Not started yet: last, as it will start after every published one.
        list.sort_by_key(|&(t, p)| (t.is_none(), t, p));
        out.insert(Section::Incidents(year), list.into_iter().map(|(_, p)| p).collect());
    }
    out
}

/// The `<url>` entries of one page: one per language, each with every twin and x-default.
fn url_block(ctx: &BuildContext, path: &str) -> String {
    let mut s = String::new();
    for lang in 0..ctx.languages().len() {
        s.push_str("  <url>\n");
        s.push_str(&format!(
            "    <loc>{}</loc>\n",
            xml_escape(&ctx.abs_url(&format!("{}{path}", ctx.lang_prefix(lang))))
        ));
        for (i, l) in ctx.languages().iter().enumerate() {
            s.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                xml_escape(l),
                xml_escape(&ctx.abs_url(&format!("{}{path}", ctx.lang_prefix(i))))
            ));
        }
        s.push_str(&format!(
            "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n",
            xml_escape(&ctx.abs_url(path))
        ));
        s.push_str("  </url>\n");
    }
    s
}

/// Split a section's blocks (each `(urls, bytes)`) into consecutive parts that each stay
/// within `limits`, counting `overhead` bytes per part for its head and tail. Greedy and
/// in order, so a section that grows at its end changes only its last part. A block that
/// alone exceeds the limits gets a part of its own. No blocks, no parts.
pub fn split(sizes: &[(usize, usize)], overhead: usize, limits: Limits) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let (mut start, mut urls, mut bytes) = (0, 0, overhead);
    for (k, &(u, b)) in sizes.iter().enumerate() {
        if k > start && (urls + u > limits.urls || bytes + b > limits.bytes) {
            parts.push(start..k);
            (start, urls, bytes) = (k, 0, overhead);
        }
        urls += u;
        bytes += b;
    }
    if start < sizes.len() {
        parts.push(start..sizes.len());
    }
    parts
}

/// `sitemap.xml`: the index of the child sitemaps, with absolute URLs.
fn index(ctx: &BuildContext, children: &[OutputFile]) -> OutputFile {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for c in children {
        s.push_str(&format!(
            "  <sitemap>\n    <loc>{}</loc>\n  </sitemap>\n",
            xml_escape(&ctx.abs_url(&c.path))
        ));
    }
    s.push_str("</sitemapindex>\n");
    OutputFile::new("sitemap.xml", s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{render_site, BuildOptions};
    use crate::output::TextCache;
    use std::collections::BTreeSet;
    use std::path::Path;

    const L: Limits = Limits { urls: 4, bytes: 1000 };

    #[test]
    fn split_respects_url_count() {
        let sizes = vec![(2, 10); 5];
        assert_eq!(split(&sizes, 0, L), vec![0..2, 2..4, 4..5]);
        // Exactly at the limit is still one part.
        assert_eq!(split(&sizes[..2], 0, L), vec![0..2]);
    }

    #[test]
    fn split_respects_bytes_with_overhead() {
        let sizes = vec![(1, 300); 4];
        assert_eq!(split(&sizes, 0, L), vec![0..3, 3..4]);
        assert_eq!(split(&sizes, 101, L), vec![0..2, 2..4]);
        assert_eq!(split(&sizes, 100, L), vec![0..3, 3..4]);
    }

    #[test]
    fn split_gives_an_oversized_block_its_own_part_and_nothing_for_nothing() {
        assert_eq!(split(&[(1, 10), (9, 10), (1, 10)], 0, L), vec![0..1, 1..2, 2..3]);
        assert_eq!(split(&[(1, 10), (1, 5000), (1, 10)], 0, L), vec![0..1, 1..2, 2..3]);
        assert!(split(&[], 0, L).is_empty());
    }

    #[test]
    fn part_names() {
        assert_eq!(child_path(Section::Pages, 0), "sitemap-pages.xml");
        assert_eq!(child_path(Section::Incidents(2023), 0), "sitemap-incidents-2023.xml");
        assert_eq!(child_path(Section::Incidents(2023), 2), "sitemap-incidents-2023-part3.xml");
    }

    /// The example site's pages, split with tiny limits: every child within them, named in
    /// parts, listed in the index, and together the same URLs as without splitting.
    #[test]
    fn example_site_splits_into_bounded_parts() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let opts = BuildOptions { now: Some("2026-11-27T12:00:00+01:00".into()), ..Default::default() };
        let built = render_site(root, &opts).unwrap();
        let texts = TextCache::for_site(&built.site, Default::default());
        let ctx = BuildContext::new(&built.site, &built.derived, None, &texts, Vec::new());
        let langs = ctx.languages().to_vec();
        let mut paths: BTreeSet<String> = BTreeSet::new();
        for f in built.files.iter().filter(|f| f.path.ends_with("index.html")) {
            let p = f.path.trim_end_matches("index.html");
            let p = langs[1..].iter().find_map(|l| p.strip_prefix(&format!("{l}/"))).unwrap_or(p);
            paths.insert(p.to_string());
        }
        let paths: Vec<String> = paths.into_iter().collect();

        let locs = |files: &[OutputFile]| -> Vec<String> {
            files[1..]
                .iter()
                .flat_map(|f| {
                    let s = std::str::from_utf8(&f.bytes).unwrap();
                    s.lines()
                        .filter_map(|l| l.trim().strip_prefix("<loc>").and_then(|l| l.strip_suffix("</loc>")))
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        let whole = files(&ctx, &paths);
        let small = Limits { urls: 2 * langs.len(), bytes: MAX_BYTES };
        let parts = files_within(&ctx, &paths, small);
        let mut a = locs(&whole);
        let mut b = locs(&parts);
        // Every page but the banner (not for search engines), in every language.
        let listed = paths.iter().filter(|p| crate::output::pages::in_sitemap(p)).count();
        assert_eq!(listed, paths.len() - 1);
        assert_eq!(a.len(), listed * langs.len());
        a.sort();
        b.sort();
        assert_eq!(a, b, "splitting loses or adds no URL");
        assert!(parts.len() > whole.len());
        let index = std::str::from_utf8(&parts[0].bytes).unwrap();
        for f in &parts[1..] {
            let s = std::str::from_utf8(&f.bytes).unwrap();
            assert!(s.matches("<url>").count() <= small.urls, "{}", f.path);
            assert!(index.contains(&format!("<loc>{}</loc>", ctx.abs_url(&f.path))), "{}", f.path);
        }
        let names: Vec<&str> = parts[1..].iter().map(|f| f.path.as_str()).collect();
        assert!(
            names.contains(&"sitemap-pages.xml") && names.contains(&"sitemap-pages-part2.xml"),
            "{names:?}"
        );
        // Bytes too: half the size of the unsplit pages child makes at least two parts,
        // each within the limit.
        let pages_len = whole.iter().find(|f| f.path == "sitemap-pages.xml").unwrap().bytes.len();
        let half = Limits { urls: MAX_URLS, bytes: pages_len / 2 + URLSET_HEAD.len() + URLSET_TAIL.len() };
        let halves = files_within(&ctx, &paths, half);
        let pages: Vec<&OutputFile> = halves.iter().filter(|f| f.path.starts_with("sitemap-pages")).collect();
        assert!(pages.len() >= 2, "{}", pages.len());
        assert!(pages.iter().all(|f| f.bytes.len() <= half.bytes));
        let mut c = locs(&halves);
        c.sort();
        assert_eq!(a, c);
    }

    /// Incidents of one year over the URL limit: numbered parts in order of start, an
    /// incident's languages together. Twelve incidents in 2025 whose ids run against their
    /// dates, at 10 URLs a part (5 incidents in two languages).
    #[test]
    fn a_year_over_the_limit_is_split_in_order_of_start() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: String| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "content/site.yaml",
            "title: Status\nbase_url: https://status.example.org/\nlanguages: [de, en]\ntimezone: Europe/Berlin\n".into(),
        );
        write("content/services/mail.yaml", "name: Mail\n".into());
        for m in 1..=12 {
            write(
                &format!("content/incidents/m{:02}.yaml", 13 - m),
                format!("title: Outage\nservices: [mail]\nupdates:\n  - at: 2025-{m:02}-15T10:00:00+01:00\n    phase: resolved\n    text: Text\n"),
            );
        }
        let opts = BuildOptions { now: Some("2026-06-01T12:00:00+02:00".into()), ..Default::default() };
        let built = render_site(dir.path(), &opts).unwrap();
        let texts = TextCache::for_site(&built.site, Default::default());
        let ctx = BuildContext::new(&built.site, &built.derived, None, &texts, Vec::new());
        let paths: Vec<String> = built
            .files
            .iter()
            .filter_map(|f| f.path.strip_suffix("index.html"))
            .filter(|p| !p.starts_with("en/"))
            .map(str::to_string)
            .collect();
        let limits = Limits { urls: 10, bytes: MAX_BYTES };
        let parts = files_within(&ctx, &paths, limits);
        let ids = |name: &str| -> Vec<String> {
            let part = parts.iter().find(|f| f.path == name).unwrap_or_else(|| panic!("no {name}"));
            let text = std::str::from_utf8(&part.bytes).unwrap();
            assert!(text.matches("<url>").count() <= limits.urls, "{name}");
            text.lines()
                .filter_map(|l| l.trim().strip_prefix("<loc>https://status.example.org/incidents/"))
                .map(|l| l.trim_end_matches("/</loc>").to_string())
                .collect()
        };
        assert_eq!(ids("sitemap-incidents-2025.xml"), ["m12", "m11", "m10", "m09", "m08"]);
        assert_eq!(ids("sitemap-incidents-2025-part2.xml"), ["m07", "m06", "m05", "m04", "m03"]);
        assert_eq!(ids("sitemap-incidents-2025-part3.xml"), ["m02", "m01"]);
        assert!(!parts.iter().any(|f| f.path == "sitemap-incidents-2025-part4.xml"));
        // With the protocol's limits nothing is split.
        assert!(files(&ctx, &paths).iter().all(|f| !f.path.contains("-part")));
    }
}
