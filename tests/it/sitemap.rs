//! The sitemap: `sitemap.xml` is an index of child sitemaps split by section (the other
//! pages, and the incident pages of each year), which together list every page of the
//! built site in every language; children over the protocol's limits are split in parts.

use crate::common;

use aushang::build::{build, render_site, BuildOptions};
use chrono::Datelike;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML: &str = "http://www.w3.org/1999/xhtml";
const BASE: &str = "https://status.example.org/";
/// The sitemap protocol's limits per file.
const MAX_URLS: usize = 50_000;
const MAX_BYTES: usize = 50 * 1024 * 1024;

fn opts(now: &str) -> BuildOptions {
    BuildOptions { now: Some(now.into()), ..Default::default() }
}

/// One `<url>` of a child sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Url {
    loc: String,
    /// hreflang → href, x-default included.
    alternates: BTreeMap<String, String>,
}

/// The index's `<loc>`s, in order.
fn parse_index(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("sitemap.xml: {e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "sitemapindex");
    assert_eq!(root.tag_name().namespace(), Some(NS));
    root.children()
        .filter(|n| n.is_element())
        .map(|s| {
            assert_eq!((s.tag_name().name(), s.tag_name().namespace()), ("sitemap", Some(NS)));
            let locs: Vec<_> = s.children().filter(|n| n.has_tag_name((NS, "loc"))).collect();
            assert_eq!(locs.len(), 1, "one <loc> per <sitemap>");
            locs[0].text().unwrap_or("").to_string()
        })
        .collect()
}

fn parse_child(name: &str, xml: &str) -> Vec<Url> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{name}: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset", "{name}");
    assert_eq!(root.tag_name().namespace(), Some(NS), "{name}");
    let urls: Vec<Url> = root
        .children()
        .filter(|n| n.is_element())
        .map(|u| {
            assert!(u.has_tag_name((NS, "url")), "{name}: {:?}", u.tag_name());
            let loc = u.children().find(|n| n.has_tag_name((NS, "loc"))).and_then(|n| n.text()).unwrap();
            let alternates = u
                .children()
                .filter(|n| n.has_tag_name((XHTML, "link")))
                .map(|l| {
                    assert_eq!(l.attribute("rel"), Some("alternate"));
                    (l.attribute("hreflang").unwrap().to_string(), l.attribute("href").unwrap().to_string())
                })
                .collect();
            Url { loc: loc.to_string(), alternates }
        })
        .collect();
    assert!(!urls.is_empty(), "{name}: a sitemap needs at least one <url>");
    urls
}

/// The sitemap of a built site: child file (relative to the output) → its URLs.
struct Sitemaps {
    index: Vec<String>,
    children: BTreeMap<String, Vec<Url>>,
}

impl Sitemaps {
    /// Where an absolute URL is listed.
    fn child_of(&self, loc: &str) -> Vec<&str> {
        self.children
            .iter()
            .filter(|(_, urls)| urls.iter().any(|u| u.loc == loc))
            .map(|(c, _)| c.as_str())
            .collect()
    }
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Parse `sitemap.xml` and every child it lists, checking what holds for every site: each
/// child is listed with its absolute URL, exists, is within the protocol's limits, and each
/// of its URLs has the alternates of every language plus x-default.
fn read_sitemaps(out: &Path, base: &str, langs: &[&str]) -> Sitemaps {
    let index = parse_index(&read(out, "sitemap.xml"));
    let mut children = BTreeMap::new();
    for loc in &index {
        let rel = loc.strip_prefix(base).unwrap_or_else(|| panic!("{loc} is not under {base}"));
        assert!(!rel.contains('/'), "{loc}: children sit beside sitemap.xml");
        let bytes = std::fs::read(out.join(rel)).unwrap_or_else(|e| panic!("{loc} is listed but {rel}: {e}"));
        assert!(bytes.len() <= MAX_BYTES, "{rel}");
        let urls = parse_child(rel, std::str::from_utf8(&bytes).unwrap());
        assert!(urls.len() <= MAX_URLS, "{rel}");
        for u in &urls {
            let mut want: Vec<&str> = langs.to_vec();
            want.push("x-default");
            assert_eq!(
                u.alternates.keys().map(String::as_str).collect::<BTreeSet<_>>(),
                want.into_iter().collect()
            );
            let default = &u.alternates[langs[0]];
            assert_eq!(&u.alternates["x-default"], default, "{rel}: {}", u.loc);
            assert!(u.alternates.values().any(|h| h == &u.loc), "{rel}: {} is among its own twins", u.loc);
            for l in &langs[1..] {
                assert_eq!(u.alternates[*l], format!("{base}{l}/{}", &default[base.len()..]), "{rel}");
            }
        }
        assert!(children.insert(rel.to_string(), urls).is_none(), "{rel} listed twice");
    }
    // No child that the index does not list.
    for e in std::fs::read_dir(out).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with("sitemap") && name.ends_with(".xml") && name != "sitemap.xml" {
            assert!(children.contains_key(&name), "{name} is not in the index");
        }
    }
    Sitemaps { index, children }
}

/// Whether a page asks search engines to leave it out (the banner for other sites).
fn noindex(html: &[u8]) -> bool {
    String::from_utf8_lossy(html).contains("<meta name=\"robots\" content=\"noindex\">")
}

/// The absolute URL of every `index.html` page under `out` (every language) that search
/// engines may index.
fn all_pages(out: &Path, base: &str) -> BTreeSet<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.file_name() == "index.html")
        .filter(|e| !noindex(&std::fs::read(e.path()).unwrap()))
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().parent().unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.is_empty() {
                base.to_string()
            } else {
                format!("{base}{rel}/")
            }
        })
        .collect()
}

/// Every page once, in exactly one child; nothing that is not a page.
fn assert_covers_every_page(maps: &Sitemaps, out: &Path, base: &str) {
    let mut listed = BTreeSet::new();
    for (child, urls) in &maps.children {
        for u in urls {
            assert!(listed.insert(u.loc.clone()), "{} listed twice (again in {child})", u.loc);
        }
    }
    let pages = all_pages(out, base);
    let missing: Vec<_> = pages.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&pages).collect();
    assert!(missing.is_empty() && extra.is_empty(), "not listed: {missing:?}\nnot pages: {extra:?}");
}

/// The child an incident page is expected in, from the model: the year of its start in
/// the site timezone, else the year of "now".
fn expected_years(root: &Path, now: &str) -> BTreeMap<String, i32> {
    let built = render_site(root, &opts(now)).unwrap();
    let tz = built.site.config.timezone;
    built
        .site
        .incidents
        .iter()
        .zip(&built.derived.incidents)
        .map(|(inc, v)| (inc.id.clone(), v.started.unwrap_or(built.derived.now).with_timezone(&tz).year()))
        .collect()
}

fn assert_incidents_in_their_year(
    maps: &Sitemaps,
    base: &str,
    langs: &[&str],
    years: &BTreeMap<String, i32>,
) {
    for (id, year) in years {
        for (k, l) in langs.iter().enumerate() {
            let prefix = if k == 0 { String::new() } else { format!("{l}/") };
            let loc = format!("{base}{prefix}incidents/{id}/");
            assert_eq!(maps.child_of(&loc), vec![format!("sitemap-incidents-{year}.xml")], "{loc}");
        }
    }
    for u in &maps.children["sitemap-pages.xml"] {
        let path = u.loc.strip_prefix(base).unwrap();
        let path = langs[1..].iter().find_map(|l| path.strip_prefix(&format!("{l}/"))).unwrap_or(path);
        let id = path.strip_prefix("incidents/").and_then(|p| p.strip_suffix('/')).unwrap_or("");
        assert!(!years.contains_key(id), "incident page {} in sitemap-pages.xml", u.loc);
    }
}

const NOW: &str = "2026-11-27T12:00:00+01:00";

/// The example site built at `NOW`, its output folder and its sitemaps.
fn example_built() -> (common::TestSite, PathBuf, Sitemaps) {
    let site = common::TestSite::example();
    let out = site.path("public");
    build(site.root(), &out, &opts(NOW)).unwrap();
    let maps = read_sitemaps(&out, BASE, &["de", "en"]);
    (site, out, maps)
}

#[test]
fn example_site_index_and_children_cover_every_page() {
    // `_site` owns the temporary folder `out` is in.
    let (_site, out, maps) = example_built();
    assert_eq!(
        maps.index,
        [
            "sitemap-pages.xml",
            "sitemap-incidents-2022.xml",
            "sitemap-incidents-2023.xml",
            "sitemap-incidents-2027.xml"
        ]
        .map(|c| format!("{BASE}{c}"))
    );
    assert_covers_every_page(&maps, &out, BASE);
    assert!(read(&out, "robots.txt").contains(&format!("\nSitemap: {BASE}sitemap.xml\n")));
}

#[test]
fn example_incident_pages_land_in_the_child_of_their_year() {
    let (site, _, maps) = example_built();
    let years = expected_years(site.root(), NOW);
    assert_eq!(years["cyberattack-2022-11"], 2022);
    assert_eq!(years["exchange-data-restore"], 2023);
    // A maintenance counts from its window, not from its announcement (2026).
    assert_eq!(years["mailserver-migration-2027-03"], 2027);
    assert_incidents_in_their_year(&maps, BASE, &["de", "en"], &years);
    // The archive pages are not incident pages.
    assert_eq!(maps.child_of(&format!("{BASE}en/incidents/2022/")), vec!["sitemap-pages.xml"]);
    assert_eq!(maps.child_of(&format!("{BASE}incidents/")), vec!["sitemap-pages.xml"]);
}

const SMALL_NOW: &str = "2026-06-01T12:00:00+02:00";

fn incident(at: &str, kind: &str) -> String {
    let phase = if kind == "maintenance" { "scheduled" } else { "investigating" };
    let window = if kind == "maintenance" {
        "scheduled: { from: 2027-01-10T18:00:00+01:00, until: 2027-01-10T20:00:00+01:00 }\n"
    } else {
        ""
    };
    format!(
        "title: {{ de: Störung, en: Outage }}\nkind: {kind}\nservices: [mail]\n{window}updates:\n  - at: {at}\n    phase: {phase}\n    text: {{ de: Text, en: Text }}\n"
    )
}

/// A small site in Berlin time: incidents in 2021, in 2023 by local time only (2022 in
/// UTC), in 2026, one not started yet (its only update is after "now") and a maintenance
/// announced in 2026 for a window in 2027; plus `extra` incidents on the days given.
fn small_site(extra: &[(String, String)]) -> common::TestSite {
    let site = common::TestSite::empty();
    site.write(
        "content/site.yaml",
        "title: { de: Status, en: Status }\nbase_url: https://status.example.org/\nlanguages: [de, en]\ntimezone: Europe/Berlin\n",
    );
    site.write(
        "content/services/mail.yaml",
        "name: { de: E-Mail, en: Email }\nupdates:\n  - at: 2021-05-01T10:00:00+02:00\n    status: operational\n    text: { de: Läuft, en: Running }\n",
    );
    site.write("content/incidents/old.yaml", incident("2021-05-02T10:00:00+02:00", "incident"));
    site.write("content/incidents/new-year-eve.yaml", incident("2022-12-31T23:30:00Z", "incident"));
    site.write("content/incidents/spring.yaml", incident("2026-03-01T10:00:00+01:00", "incident"));
    site.write("content/incidents/a-later.yaml", incident("2026-12-01T10:00:00+01:00", "incident"));
    site.write("content/incidents/window.yaml", incident("2026-05-01T10:00:00+02:00", "maintenance"));
    for (id, at) in extra {
        site.write(&format!("content/incidents/{id}.yaml"), incident(at, "incident"));
    }
    site.run(&["check", "--now", SMALL_NOW]).assert_code(0);
    site
}

#[test]
fn small_site_years_follow_the_site_timezone_and_unstarted_go_with_now() {
    let site = small_site(&[]);
    let out = site.path("public");
    build(site.root(), &out, &opts(SMALL_NOW)).unwrap();
    let maps = read_sitemaps(&out, BASE, &["de", "en"]);
    assert_covers_every_page(&maps, &out, BASE);
    let years = expected_years(site.root(), SMALL_NOW);
    let want: BTreeMap<String, i32> =
        [("old", 2021), ("new-year-eve", 2023), ("spring", 2026), ("a-later", 2026), ("window", 2027)]
            .into_iter()
            .map(|(id, y)| (id.to_string(), y))
            .collect();
    assert_eq!(years, want);
    assert_incidents_in_their_year(&maps, BASE, &["de", "en"], &years);
    assert_eq!(
        maps.children.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "sitemap-incidents-2021.xml",
            "sitemap-incidents-2023.xml",
            "sitemap-incidents-2026.xml",
            "sitemap-incidents-2027.xml",
            "sitemap-pages.xml"
        ]
    );
    // Within a year by start, and what has not started yet last (though `a-` sorts first).
    let locs: Vec<&str> =
        maps.children["sitemap-incidents-2026.xml"].iter().map(|u| u.loc.as_str()).collect();
    assert_eq!(
        locs,
        [
            "https://status.example.org/incidents/spring/",
            "https://status.example.org/en/incidents/spring/",
            "https://status.example.org/incidents/a-later/",
            "https://status.example.org/en/incidents/a-later/",
        ]
    );
}

#[test]
fn sitemap_is_deterministic_and_escaped() {
    let site = small_site(&[]);
    let base = "https://status.example.org/a&b'<c>/";
    let o = BuildOptions { base_url: Some(base.into()), ..opts(SMALL_NOW) };
    let (one, two) = (site.path("one"), site.path("two"));
    build(site.root(), &one, &o).unwrap();
    build(site.root(), &two, &o).unwrap();
    let maps = read_sitemaps(&one, base, &["de", "en"]);
    assert_covers_every_page(&maps, &one, base);
    let raw = read(&one, "sitemap.xml");
    assert!(raw.contains("https://status.example.org/a&amp;b&apos;&lt;c&gt;/sitemap-pages.xml"), "{raw}");
    for name in std::iter::once("sitemap.xml".to_string()).chain(maps.children.keys().cloned()) {
        assert_eq!(
            std::fs::read(one.join(&name)).unwrap(),
            std::fs::read(two.join(&name)).unwrap(),
            "{name}"
        );
    }
    assert!(read(&one, "robots.txt").contains(&format!("Sitemap: {base}sitemap.xml")));
}
