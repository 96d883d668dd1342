//! The machine-readable outputs (RSS, Atom, Statuspage-shaped JSON, iCalendar, badges),
//! built from real sites in temporary folders and read back with real parsers: roxmltree
//! for XML, serde_json for JSON, and a strict RFC 5545 reader written here for iCalendar.

mod api;
mod badges;
mod escaping;
mod feeds;
mod icalendar;

use crate::common;

use aushang::build::{render_site, BuildOptions, Built};
use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------- helpers

const NOW: &str = "2026-11-27T12:00:00Z";

/// A temporary site root holding a copy of the example content.
fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &dir.path().join("content"));
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let p: PathBuf = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn append(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    let mut s = fs::read_to_string(&p).unwrap();
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s.push_str(text);
    fs::write(p, s).unwrap();
}

struct Out {
    built: Built,
    files: HashMap<String, Vec<u8>>,
}

impl Out {
    fn text(&self, path: &str) -> String {
        let bytes = self.files.get(path).unwrap_or_else(|| panic!("{path} was not generated"));
        String::from_utf8(bytes.clone()).unwrap_or_else(|e| panic!("{path} is not UTF-8: {e}"))
    }
    fn json(&self, path: &str) -> Value {
        serde_json::from_str(&self.text(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

fn render(root: &Path, now: &str) -> Out {
    let opts = BuildOptions { now: Some(now.to_string()), ..Default::default() };
    let built = render_site(root, &opts).unwrap_or_else(|e| panic!("build failed: {e:?}"));
    let files = built.files.iter().map(|f| (f.path.clone(), f.bytes.clone())).collect();
    Out { built, files }
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

fn child_text(n: roxmltree::Node, name: &str) -> String {
    child(n, name).and_then(|c| c.text()).unwrap_or("").to_string()
}

fn children<'a, 'i>(
    n: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    n.children().filter(move |c| c.is_element() && c.tag_name().name() == name)
}

#[derive(Debug, Clone)]
struct RssItem {
    title: String,
    link: String,
    guid: String,
    pub_date: DateTime<FixedOffset>,
    categories: Vec<String>,
    description: String,
}

/// Parse an RSS 2.0 document strictly enough: root, channel fields, every item's fields.
fn parse_rss(xml: &str) -> (BTreeMap<String, String>, Vec<RssItem>) {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("RSS does not parse: {e}"));
    let rss = doc.root_element();
    assert_eq!(rss.tag_name().name(), "rss");
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let channel = child(rss, "channel").expect("channel");
    let mut meta = BTreeMap::new();
    for k in ["title", "link", "description", "language"] {
        let v = child_text(channel, k);
        assert!(!v.is_empty(), "channel <{k}> is empty");
        meta.insert(k.to_string(), v);
    }
    // Optional in RSS: present exactly when the feed has items (the newest one's time).
    if child(channel, "lastBuildDate").is_some() {
        meta.insert("lastBuildDate".to_string(), child_text(channel, "lastBuildDate"));
    }
    let self_link = channel
        .children()
        .find(|c| {
            c.tag_name().name() == "link" && c.tag_name().namespace() == Some("http://www.w3.org/2005/Atom")
        })
        .expect("atom:link rel=self");
    assert_eq!(self_link.attribute("rel"), Some("self"));
    meta.insert("self".into(), self_link.attribute("href").unwrap().to_string());
    if let Some(d) = meta.get("lastBuildDate") {
        DateTime::parse_from_rfc2822(d).expect("lastBuildDate is RFC 822");
    }
    let items = children(channel, "item")
        .map(|it| {
            let guid = child(it, "guid").expect("guid");
            assert_eq!(guid.attribute("isPermaLink"), Some("false"));
            let pub_date = child_text(it, "pubDate");
            RssItem {
                title: child_text(it, "title"),
                link: child_text(it, "link"),
                guid: guid.text().unwrap_or("").to_string(),
                pub_date: DateTime::parse_from_rfc2822(&pub_date)
                    .unwrap_or_else(|e| panic!("pubDate {pub_date:?}: {e}")),
                categories: children(it, "category").map(|c| c.text().unwrap_or("").to_string()).collect(),
                description: child_text(it, "description"),
            }
        })
        .collect::<Vec<RssItem>>();
    assert_eq!(
        meta.get("lastBuildDate").map(|d| DateTime::parse_from_rfc2822(d).ok()),
        items.first().map(|i| Some(i.pub_date)),
        "lastBuildDate is the newest item's time, and only a feed with items has one"
    );
    (meta, items)
}

#[derive(Debug)]
struct AtomEntry {
    id: String,
    title: String,
    link: String,
    updated: DateTime<FixedOffset>,
    categories: Vec<String>,
    content: String,
}

fn parse_atom(xml: &str) -> (BTreeMap<String, String>, Vec<AtomEntry>) {
    const NS: &str = "http://www.w3.org/2005/Atom";
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("Atom does not parse: {e}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(NS));
    let mut meta = BTreeMap::new();
    for k in ["id", "title", "updated"] {
        let v = child_text(feed, k);
        assert!(!v.is_empty(), "feed <{k}> is empty");
        meta.insert(k.to_string(), v);
    }
    DateTime::parse_from_rfc3339(&meta["updated"]).expect("feed updated is RFC 3339");
    for rel in ["alternate", "self"] {
        let l = children(feed, "link").find(|l| l.attribute("rel") == Some(rel)).expect(rel);
        meta.insert(rel.to_string(), l.attribute("href").unwrap().to_string());
    }
    assert!(child(feed, "author").and_then(|a| child(a, "name")).is_some(), "feed needs an author");
    let entries = children(feed, "entry")
        .map(|e| {
            let content = child(e, "content").expect("content");
            assert_eq!(content.attribute("type"), Some("html"));
            let published = child_text(e, "published");
            DateTime::parse_from_rfc3339(&published).expect("published is RFC 3339");
            AtomEntry {
                id: child_text(e, "id"),
                title: child_text(e, "title"),
                link: children(e, "link")
                    .find(|l| l.attribute("rel") == Some("alternate"))
                    .and_then(|l| l.attribute("href"))
                    .unwrap_or("")
                    .to_string(),
                updated: DateTime::parse_from_rfc3339(&child_text(e, "updated"))
                    .expect("updated is RFC 3339"),
                categories: children(e, "category")
                    .map(|c| c.attribute("term").unwrap_or("").to_string())
                    .collect(),
                content: content.text().unwrap_or("").to_string(),
            }
        })
        .collect();
    (meta, entries)
}

/// A strict RFC 5545 reader: CRLF only, physical lines of at most 75 octets that are each
/// valid UTF-8 (folding must not split a character), unfolded into (name, params, value).
pub(crate) fn ics_lines(bytes: &[u8]) -> Vec<(String, String, String)> {
    for (i, w) in bytes.windows(2).enumerate() {
        if w[1] == b'\n' {
            assert_eq!(w[0], b'\r', "bare LF at byte {}", i + 1);
        }
    }
    assert!(bytes.ends_with(b"\r\n"), "must end with CRLF");
    let mut logical: Vec<String> = Vec::new();
    let body = &bytes[..bytes.len() - 2];
    for phys in body.split(|&b| b == b'\n') {
        let phys = phys.strip_suffix(b"\r").unwrap_or(phys);
        assert!(phys.len() <= 75, "line of {} octets: {:?}", phys.len(), String::from_utf8_lossy(phys));
        assert!(!phys.contains(&b'\r'), "bare CR");
        let s = std::str::from_utf8(phys).expect("folding split a UTF-8 character");
        if let Some(cont) = s.strip_prefix(' ') {
            logical.last_mut().expect("continuation line first").push_str(cont);
        } else {
            assert!(!s.is_empty(), "empty line");
            logical.push(s.to_string());
        }
    }
    logical
        .into_iter()
        .map(|l| {
            let colon = l.find(':').expect("property without `:`");
            let (head, value) = (&l[..colon], &l[colon + 1..]);
            let (name, params) = head.split_once(';').unwrap_or((head, ""));
            assert!(name.chars().all(|c| c.is_ascii_uppercase() || c == '-'), "bad name {name}");
            (name.to_string(), params.to_string(), value.to_string())
        })
        .collect()
}

/// Unescape a TEXT value, rejecting any `;` or `,` that is not escaped (RFC 5545 3.3.11).
fn ics_text(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\') => out.push('\\'),
                Some(';') => out.push(';'),
                Some(',') => out.push(','),
                Some('n') | Some('N') => out.push('\n'),
                other => panic!("bad escape \\{other:?} in {v:?}"),
            },
            ';' | ',' => panic!("unescaped {c:?} in TEXT {v:?}"),
            c => out.push(c),
        }
    }
    out
}

type Event = BTreeMap<String, String>;

/// The calendar's own properties and its events (read by the strict reader of
/// `calendar.rs`, which also checks the other components).
fn ics_events(bytes: &[u8]) -> (Event, Vec<Event>) {
    let as_map = |props: &[(String, String, String)]| {
        let mut map = Event::new();
        for (name, _params, value) in props {
            assert!(map.insert(name.clone(), value.clone()).is_none(), "{name} twice");
        }
        map
    };
    let cal = crate::calendar::parse(bytes);
    let events = cal.children.iter().filter(|c| c.name == "VEVENT").map(|c| as_map(&c.props)).collect();
    (as_map(&cal.props), events)
}

fn rfc3339(v: &Value, what: &str) -> DateTime<FixedOffset> {
    let s = v.as_str().unwrap_or_else(|| panic!("{what}: not a string: {v}"));
    DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{what}: {s:?}: {e}"))
}

/// The page file a link points to, and the fragment.
fn local_target(base: &str, link: &str) -> (String, String) {
    let rest = link.strip_prefix(base).unwrap_or_else(|| panic!("{link} is not under {base}"));
    let (path, frag) = rest.split_once('#').unwrap_or((rest, ""));
    (format!("{path}index.html"), frag.to_string())
}

const STATUSES: [&str; 5] =
    ["operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage"];
const INDICATORS: [&str; 4] = ["none", "minor", "major", "critical"];
const INCIDENT_STATUSES: [&str; 5] = ["investigating", "identified", "monitoring", "resolved", "postmortem"];
const MAINTENANCE_STATUSES: [&str; 4] = ["scheduled", "in_progress", "verifying", "completed"];
