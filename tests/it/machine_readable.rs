//! The machine-readable outputs (RSS, Atom, Statuspage-shaped JSON, iCalendar, badges),
//! built from real sites in temporary folders and read back with real parsers: roxmltree
//! for XML, serde_json for JSON, and a strict RFC 5545 reader written here for iCalendar.

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

// ---------------------------------------------------------------- RSS and Atom

#[test]
fn rss_feeds_hold_every_update_newest_first_with_working_links() {
    let site = example_site();
    let out = render(site.path(), NOW);
    let base = "https://status.example.org/";
    let total = out.built.derived.updates.len();
    assert!(total > 10, "the example has many updates");
    for (lang, path) in [("de", "feed.xml"), ("en", "en/feed.xml")] {
        let (meta, items) = parse_rss(&out.text(path));
        assert_eq!(meta["language"], lang);
        assert_eq!(meta["self"], format!("{base}{path}"));
        assert_eq!(items.len(), total.min(50), "{path}");
        // lastBuildDate is the newest content time, not the clock.
        assert_eq!(
            DateTime::parse_from_rfc2822(&meta["lastBuildDate"]).unwrap(),
            out.built.derived.last_updated.unwrap()
        );
        for w in items.windows(2) {
            assert!(w[0].pub_date >= w[1].pub_date, "{path}: not newest first");
        }
        let guids: BTreeSet<&str> = items.iter().map(|i| i.guid.as_str()).collect();
        assert_eq!(guids.len(), items.len(), "{path}: GUIDs not unique");
        for it in &items {
            assert!(it.title.contains(" – "), "{path}: title {:?}", it.title);
            assert!(!it.categories.is_empty(), "{path}: {} has no category", it.title);
            assert!(!it.description.is_empty());
            // The link goes to the update's anchor on a page that exists and has it.
            let prefix = if lang == "de" { base.to_string() } else { format!("{base}en/") };
            assert!(it.link.starts_with(&prefix), "{path}: {}", it.link);
            let (page, frag) = local_target(base, &it.link);
            assert!(frag.starts_with("u-"), "{}", it.link);
            let html = out.text(&page);
            assert!(html.contains(&format!("id=\"{frag}\"")), "{page} has no anchor {frag}");
        }
        // Root-relative links in update texts are made absolute for feed readers.
        assert!(!items.iter().any(|i| i.description.contains("href=\"/")), "{path}");
    }
    // German and English feeds carry the same updates in their own language.
    let (_, de) = parse_rss(&out.text("feed.xml"));
    let (_, en) = parse_rss(&out.text("en/feed.xml"));
    let attack_de = de.iter().find(|i| i.title.starts_with("Cyberangriff")).unwrap();
    assert!(attack_de.categories.contains(&"Exchange-Server".to_string()));
    let attack_en = en.iter().find(|i| i.title.starts_with("Cyberattack")).unwrap();
    assert!(attack_en.title.ends_with("Resolved"), "{}", attack_en.title);
    assert!(en.iter().any(|i| i.title.ends_with(" – Scheduled")), "phase labels are translated");
}

#[test]
fn atom_feeds_match_the_rss_feeds() {
    let site = example_site();
    let out = render(site.path(), NOW);
    for (rss, atom) in [("feed.xml", "atom.xml"), ("en/feed.xml", "en/atom.xml")] {
        let (_, items) = parse_rss(&out.text(rss));
        let (meta, entries) = parse_atom(&out.text(atom));
        assert_eq!(meta["self"], format!("https://status.example.org/{atom}"));
        assert_eq!(entries.len(), items.len());
        let ids: BTreeSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), entries.len(), "ids unique");
        for (e, i) in entries.iter().zip(&items) {
            assert!(e.id.starts_with("tag:status.example.org,"), "{}", e.id);
            assert_eq!(e.link, i.link);
            assert_eq!(e.title, i.title);
            assert_eq!(e.updated, i.pub_date);
            assert_eq!(e.content, i.description);
            assert!(!e.categories.is_empty());
        }
        assert_eq!(
            DateTime::parse_from_rfc3339(&meta["updated"]).unwrap(),
            out.built.derived.last_updated.unwrap()
        );
    }
}

#[test]
fn per_service_feeds_hold_that_services_updates_and_its_incidents() {
    let site = example_site();
    let out = render(site.path(), NOW);
    let s = &out.built.site;
    for svc in &s.services {
        let incidents: Vec<&str> =
            s.incidents.iter().filter(|i| i.services.contains(&svc.id)).map(|i| i.id.as_str()).collect();
        for prefix in ["", "en/"] {
            let path = format!("{prefix}services/{}/feed.xml", svc.id);
            let (meta, items) = parse_rss(&out.text(&path));
            assert!(meta["link"].ends_with(&format!("{prefix}services/{}/", svc.id)));
            let own = svc.updates.iter().filter(|u| u.at <= out.built.derived.now).count();
            let from_incidents: usize = s
                .incidents
                .iter()
                .zip(&out.built.derived.incidents)
                .filter(|(i, _)| incidents.contains(&i.id.as_str()))
                .map(|(_, v)| v.published)
                .sum();
            assert_eq!(items.len(), (own + from_incidents).min(50), "{path}");
            for it in &items {
                let ok = it.link.contains(&format!("/services/{}/", svc.id))
                    || incidents.iter().any(|i| it.link.contains(&format!("/incidents/{i}/")));
                assert!(ok, "{path}: foreign item {}", it.link);
            }
            for w in items.windows(2) {
                assert!(w[0].pub_date >= w[1].pub_date);
            }
        }
    }
}

#[test]
fn feeds_stop_at_fifty_items() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "content/site.yaml",
        "title: Busy\nbase_url: https://busy.example/\nlanguages: [de, en]\ntimezone: Europe/Berlin\n",
    );
    let mut svc = String::from("name: Dienst\nupdates:\n");
    for day in 1..=70 {
        let state = if day % 2 == 0 { "degraded" } else { "operational" };
        svc.push_str(&format!(
            "  - at: 2024-03-{:02}T{:02}:00:00+01:00\n    status: {state}\n    text: Meldung {day}\n",
            (day - 1) / 3 + 1,
            (day - 1) % 3 * 6 + 1
        ));
    }
    write(root, "content/services/svc.yaml", &svc);
    let out = render(root, "2024-12-01T00:00:00Z");
    for path in ["feed.xml", "en/feed.xml", "services/svc/feed.xml", "en/services/svc/feed.xml"] {
        let (_, items) = parse_rss(&out.text(path));
        assert_eq!(items.len(), 50, "{path}");
        assert!(items[0].description.contains("Meldung 70"), "{path}: newest first");
        assert!(items[49].description.contains("Meldung 21"), "{path}: the 50 newest");
    }
    let (_, entries) = parse_atom(&out.text("atom.xml"));
    assert_eq!(entries.len(), 50);
}

/// GUIDs of every feed of a build: path → (guid → link).
fn all_guids(out: &Out) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut m = BTreeMap::new();
    for path in out.files.keys().filter(|p| p.ends_with("feed.xml")) {
        let (_, items) = parse_rss(&out.text(path));
        m.insert(path.clone(), items.into_iter().map(|i| (i.guid, i.link)).collect());
    }
    for path in ["atom.xml", "en/atom.xml"] {
        let (_, entries) = parse_atom(&out.text(path));
        m.insert(path.to_string(), entries.into_iter().map(|e| (e.id, e.link)).collect());
    }
    m
}

#[test]
fn guids_stay_stable_when_updates_are_added_or_edited() {
    let site = example_site();
    let before = all_guids(&render(site.path(), NOW));

    // Editing the text of an update changes no GUID anywhere.
    let file = site.path().join("content/incidents/exchange-data-restore.yaml");
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("Stand November 2026:"));
    fs::write(&file, text.replace("Stand November 2026:", "Stand Mitte November 2026:")).unwrap();
    assert_eq!(all_guids(&render(site.path(), NOW)), before);

    // One more update — written at the end of the file but dated between two older ones,
    // the hardest case for positional ids — adds exactly one GUID to every feed that
    // shows that incident and changes none of the others.
    append(
        site.path(),
        "content/incidents/exchange-data-restore.yaml",
        "  - at: 2023-06-01T09:00:00+02:00\n    phase: identified\n    text: { de: Neu, en: New }\n",
    );
    let after = all_guids(&render(site.path(), NOW));
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
    let mut grew = 0;
    for (path, old) in &before {
        let new = &after[path];
        for (guid, link) in old {
            assert_eq!(new.get(guid), Some(link), "{path}: GUID {guid} changed or vanished");
        }
        let added: Vec<_> = new.keys().filter(|g| !old.contains_key(*g)).collect();
        let shows_incident = path.ends_with("atom.xml")
            || ["", "en/"].iter().any(|p| {
                [
                    format!("{p}feed.xml"),
                    format!("{p}services/exchange/feed.xml"),
                    format!("{p}services/mail-restore/feed.xml"),
                ]
                .contains(path)
            });
        if shows_incident {
            assert_eq!(added.len(), 1, "{path}: {added:?}");
            assert!(new[added[0]].contains("#u-20230601t070000z"), "{path}: {}", new[added[0]]);
            grew += 1;
        } else {
            assert!(added.is_empty(), "{path}: {added:?}");
        }
    }
    assert_eq!(grew, 8);
}

// ---------------------------------------------------------------- iCalendar

#[test]
fn maintenance_calendar_is_strict_rfc5545() {
    let site = example_site();
    let out = render(site.path(), NOW);
    let bytes = &out.files["maintenance.ics"];
    let (cal, events) = ics_events(bytes);
    assert_eq!(cal["VERSION"], "2.0");
    assert!(!cal["PRODID"].is_empty());
    assert_eq!(cal["CALSCALE"], "GREGORIAN");
    assert_eq!(cal["METHOD"], "PUBLISH");
    assert!(ics_text(&cal["X-WR-CALNAME"]).contains("IT-Status der Universität"));

    let s = &out.built.site;
    let maint: Vec<usize> = (0..s.incidents.len())
        .filter(|&i| {
            s.incidents[i].kind == aushang::model::IncidentKind::Maintenance
                && s.incidents[i].scheduled.is_some()
        })
        .collect();
    assert_eq!(events.len(), maint.len());
    let mut uids = BTreeSet::new();
    for ev in &events {
        let uid = &ev["UID"];
        assert!(uids.insert(uid.clone()), "duplicate UID {uid}");
        let id = uid.strip_suffix("@status.example.org").expect("UID is <id>@<host>");
        let ii = s.incidents.iter().position(|i| i.id == id).unwrap();
        let inc = &s.incidents[ii];
        let view = &out.built.derived.incidents[ii];
        let w = inc.scheduled.unwrap();
        let utc = |t: chrono::DateTime<chrono::Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
        assert_eq!(ev["DTSTART"], utc(w.from));
        assert_eq!(ev["DTEND"], utc(w.until));
        assert_eq!(
            ev["DTSTAMP"],
            utc(inc.updates[view.published - 1].at),
            "DTSTAMP = last update, not the clock"
        );
        assert_eq!(ev["SEQUENCE"], view.published.to_string());
        assert_eq!(ev["STATUS"], "CONFIRMED");
        assert_eq!(ev["URL"], format!("https://status.example.org/incidents/{id}/"));
        let summary = ics_text(&ev["SUMMARY"]);
        assert_eq!(summary, format!("{} / {}", inc.title.get(0).text, inc.title.get(1).text));
        let description = ics_text(&ev["DESCRIPTION"]);
        assert!(description.contains('\n'), "both languages, on their own lines");
        assert!(description.contains(&format!("https://status.example.org/en/incidents/{id}/")));
        let last = inc.updates[view.published - 1].text.as_ref().unwrap();
        for lang in 0..2 {
            let words: String = last.get(lang).text.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
            assert!(description.contains(&words), "{words:?} missing from {description:?}");
        }
    }
}

// ---------------------------------------------------------------- escaping

const HOSTILE: &str = r#"<script>alert(1)</script> & "quoted" 'single' ]]> ä 😀"#;

fn hostile_site(root: &Path) {
    write(
        root,
        "content/site.yaml",
        r#"title: { de: "Störung <script>alert(1)</script> & ]]> ä 😀", en: "Status <b>x</b> & ]]>" }
base_url: https://status.test/
languages: [de, en]
timezone: Europe/Berlin
groups:
  - id: grp
    name: { de: "Gruppe <script>alert(1)</script>", en: "Group & ]]>" }
"#,
    );
    write(
        root,
        "content/services/mail.yaml",
        r#"name: { de: "Post <script>alert(1)</script> & \"Co\" ]]> 'ä' 😀", en: "Mail <script>alert(1)</script> & \"Co\" ]]>" }
group: grp
description: { de: "Beschreibung <script>alert(1)</script> & ]]>", en: "Description & ]]>" }
updates:
  - at: 2024-01-01T10:00:00+01:00
    status: degraded
    text:
      de: |
        Zeile eins <script>alert(1)</script> & "zitat" 'x' ]]> ä 😀
        Zeile zwei; mit, Komma \ Backslash
      en: "One <script>alert(1)</script> & ]]> \"q\" 'x'"
"#,
    );
    write(
        root,
        "content/incidents/wartung.yaml",
        r#"title: { de: "Wartung; <script>alert(1)</script>, \\ & ]]> ä 😀", en: "Maintenance, <b>bold</b>; \\ ]]> \"q\"" }
kind: maintenance
services: [mail]
scheduled: { from: 2024-02-01T18:00:00+01:00, until: 2024-02-01T22:00:00+01:00 }
updates:
  - at: 2024-01-15T10:00:00+01:00
    phase: scheduled
    text:
      de: "Text mit ]]> und <script>alert(1)</script>; & \"q\"\nzweite Zeile, ä 😀 \\"
      en: "Text with ]]> and <script>alert(1)</script>"
"#,
    );
}

#[test]
fn hostile_text_comes_out_as_data_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    hostile_site(dir.path());
    let out = render(dir.path(), "2024-01-20T00:00:00Z");

    // XML formats: no markup injected, and the parsed text is exactly the author's.
    for path in [
        "feed.xml",
        "en/feed.xml",
        "services/mail/feed.xml",
        "atom.xml",
        "en/atom.xml",
        "badge.svg",
        "services/mail/badge.svg",
    ] {
        let raw = out.text(path);
        assert!(!raw.contains("<script"), "{path}: raw <script> in the file");
        assert!(!raw.contains("<b>"), "{path}: raw <b> in the file");
        roxmltree::Document::parse(&raw).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let (meta, items) = parse_rss(&out.text("feed.xml"));
    assert_eq!(meta["title"], "Störung <script>alert(1)</script> & ]]> ä 😀");
    assert_eq!(items.len(), 2);
    let svc_item = items.iter().find(|i| i.link.contains("/services/mail/")).unwrap();
    assert_eq!(svc_item.title, "Post <script>alert(1)</script> & \"Co\" ]]> 'ä' 😀 – Eingeschränkt");
    assert_eq!(svc_item.categories, vec!["Post <script>alert(1)</script> & \"Co\" ]]> 'ä' 😀".to_string()]);
    // The body is HTML in which the author's markup is text, not elements.
    let body = &svc_item.description;
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{body}");
    assert!(!body.contains("<script"), "{body}");
    assert!(body.contains("]]&gt;") && body.contains("ä 😀"), "{body}");
    let maint = items.iter().find(|i| i.link.contains("/incidents/wartung/")).unwrap();
    assert_eq!(maint.title, "Wartung; <script>alert(1)</script>, \\ & ]]> ä 😀 – Geplant");

    let (_, entries) = parse_atom(&out.text("en/atom.xml"));
    let e = entries.iter().find(|e| e.link.contains("/services/mail/")).unwrap();
    assert_eq!(e.title, "Mail <script>alert(1)</script> & \"Co\" ]]> – Degraded performance");
    assert!(e.content.contains("&lt;script&gt;") && !e.content.contains("<script"));

    // JSON: strings are the texts exactly.
    let summary = out.json("api/v2/summary.json");
    assert_eq!(summary["page"]["name"], "Störung <script>alert(1)</script> & ]]> ä 😀");
    let mail = summary["components"].as_array().unwrap().iter().find(|c| c["id"] == "mail").unwrap();
    assert_eq!(mail["name"], "Post <script>alert(1)</script> & \"Co\" ]]> 'ä' 😀");
    assert_eq!(mail["i18n"]["en"]["name"], "Mail <script>alert(1)</script> & \"Co\" ]]>");
    assert_eq!(mail["i18n"]["de"]["description"], "Beschreibung <script>alert(1)</script> & ]]>");
    let m = &summary["scheduled_maintenances"][0];
    assert_eq!(m["name"], "Wartung; <script>alert(1)</script>, \\ & ]]> ä 😀");
    assert_eq!(
        m["incident_updates"][0]["body"],
        "Text mit ]]> und <script>alert(1)</script>; & \"q\" zweite Zeile, ä 😀 \\"
    );

    // iCalendar: every special character escaped, and unescaping gives the text back.
    let (_, events) = ics_events(&out.files["maintenance.ics"]);
    assert_eq!(events.len(), 1);
    assert_eq!(
        ics_text(&events[0]["SUMMARY"]),
        "Wartung; <script>alert(1)</script>, \\ & ]]> ä 😀 / Maintenance, <b>bold</b>; \\ ]]> \"q\""
    );
    let d = ics_text(&events[0]["DESCRIPTION"]);
    assert!(d.contains("Text mit ]]> und <script>alert(1)</script>; & \"q\" zweite Zeile, ä 😀 \\"), "{d:?}");

    // Badges: the accessible name is the text, escaped.
    let svg = out.text("services/mail/badge.svg");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let title = doc.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text()).unwrap();
    assert_eq!(title, "Post <script>alert(1)</script> & \"Co\" ]]> 'ä' 😀: Eingeschränkt");
    assert_eq!(doc.root_element().attribute("aria-label"), Some(title));
    assert!(HOSTILE.contains("]]>"));
}

// ---------------------------------------------------------------- Statuspage API

const API_FILES: [&str; 8] = [
    "summary.json",
    "status.json",
    "components.json",
    "incidents.json",
    "incidents/unresolved.json",
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
];

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

fn check_i18n(v: &Value, what: &str, fields: &[&str]) {
    let i = &v["i18n"];
    assert!(i["state"].is_string(), "{what}: i18n.state");
    for lang in ["de", "en"] {
        for f in fields {
            assert!(!i[lang][f].is_null() || *f == "description", "{what}: i18n.{lang}.{f} missing");
        }
    }
}

fn check_incident(inc: &Value, maintenance: bool, component_ids: &BTreeSet<String>) {
    let id = inc["id"].as_str().unwrap();
    for k in [
        "id",
        "name",
        "status",
        "created_at",
        "updated_at",
        "monitoring_at",
        "resolved_at",
        "impact",
        "shortlink",
        "started_at",
        "page_id",
        "incident_updates",
        "components",
        "i18n",
    ] {
        assert!(inc.get(k).is_some(), "incident {id}: no `{k}`");
    }
    let status = inc["status"].as_str().unwrap();
    if maintenance {
        assert!(MAINTENANCE_STATUSES.contains(&status), "{id}: {status}");
        let from = rfc3339(&inc["scheduled_for"], "scheduled_for");
        assert!(rfc3339(&inc["scheduled_until"], "scheduled_until") > from);
    } else {
        assert!(INCIDENT_STATUSES.contains(&status), "{id}: {status}");
    }
    assert!(INDICATORS.contains(&inc["impact"].as_str().unwrap()), "{id}: impact");
    for k in ["created_at", "updated_at", "started_at"] {
        rfc3339(&inc[k], k);
    }
    assert_eq!(
        inc["resolved_at"].is_null(),
        !["resolved", "completed", "postmortem"].contains(&status),
        "{id}"
    );
    assert!(inc["shortlink"].as_str().unwrap().starts_with("https://"));
    check_i18n(inc, id, &["name", "status_label"]);
    let updates = inc["incident_updates"].as_array().unwrap();
    assert!(!updates.is_empty() || maintenance, "{id}: no updates");
    let mut last: Option<DateTime<FixedOffset>> = None;
    for u in updates {
        for k in [
            "id",
            "status",
            "body",
            "incident_id",
            "created_at",
            "updated_at",
            "display_at",
            "affected_components",
        ] {
            assert!(u.get(k).is_some(), "{id} update: no `{k}`");
        }
        assert_eq!(u["incident_id"], inc["id"]);
        let st = u["status"].as_str().unwrap();
        assert!(if maintenance {
            MAINTENANCE_STATUSES.contains(&st)
        } else {
            INCIDENT_STATUSES.contains(&st)
        });
        let t = rfc3339(&u["created_at"], "update created_at");
        assert!(last.is_none_or(|l| l >= t), "{id}: updates newest first");
        last = Some(t);
        check_i18n(u, id, &["body", "status_label"]);
        for a in u["affected_components"].as_array().unwrap() {
            assert_eq!(
                keys(a),
                ["code", "name", "new_status", "old_status"].iter().map(|s| s.to_string()).collect()
            );
            assert!(component_ids.contains(a["code"].as_str().unwrap()));
            assert!(STATUSES.contains(&a["old_status"].as_str().unwrap()));
            assert!(STATUSES.contains(&a["new_status"].as_str().unwrap()));
        }
    }
    for c in inc["components"].as_array().unwrap() {
        assert!(component_ids.contains(c["id"].as_str().unwrap()));
    }
}

#[test]
fn status_api_has_the_statuspage_shape_and_vocabularies() {
    let site = example_site();
    let out = render(site.path(), NOW);
    let s = &out.built.site;
    let mut all_component_ids = BTreeSet::new();
    for f in API_FILES {
        let v = out.json(&format!("api/v2/{f}"));
        let page = &v["page"];
        assert_eq!(
            keys(page),
            ["id", "name", "url", "time_zone", "updated_at", "i18n"].iter().map(|s| s.to_string()).collect(),
            "{f}"
        );
        assert_eq!(page["time_zone"], "Europe/Berlin");
        assert_eq!(page["url"], "https://status.example.org/");
        let t = rfc3339(&page["updated_at"], "page.updated_at");
        assert_eq!(t, out.built.derived.last_updated.unwrap());
        assert_eq!(t.offset().local_minus_utc(), 3600, "times are in the site's timezone");
        check_i18n(page, "page", &["name", "status_label", "status_description"]);
        if let Some(status) = v.get("status") {
            assert!(INDICATORS.contains(&status["indicator"].as_str().unwrap()));
            assert!(status["description"].is_string());
        }
        if let Some(comps) = v.get("components") {
            for (n, c) in comps.as_array().unwrap().iter().enumerate() {
                for k in [
                    "id",
                    "name",
                    "status",
                    "created_at",
                    "updated_at",
                    "position",
                    "description",
                    "showcase",
                    "start_date",
                    "group_id",
                    "page_id",
                    "group",
                    "only_show_if_degraded",
                    "i18n",
                ] {
                    assert!(c.get(k).is_some(), "{f}: component {} has no `{k}`", c["id"]);
                }
                assert!(STATUSES.contains(&c["status"].as_str().unwrap()), "{}", c["status"]);
                assert_eq!(c["position"], n + 1);
                assert_eq!(c["page_id"], page["id"]);
                rfc3339(&c["created_at"], "created_at");
                check_i18n(c, "component", &["name", "status_label"]);
                all_component_ids.insert(c["id"].as_str().unwrap().to_string());
                if c["group"] == true {
                    let members = c["components"].as_array().unwrap();
                    assert!(members.iter().all(|m| comps
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|x| x["id"] == *m && x["group_id"] == c["id"])));
                }
            }
        }
    }
    let summary = out.json("api/v2/summary.json");
    assert_eq!(
        keys(&summary),
        ["page", "status", "components", "incidents", "scheduled_maintenances"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    // Component ids are the service ids (plus the groups).
    for svc in &s.services {
        assert!(all_component_ids.contains(&svc.id));
    }
    for g in &s.config.groups {
        assert!(all_component_ids.contains(&g.id));
    }
    let exchange = summary["components"].as_array().unwrap().iter().find(|c| c["id"] == "exchange").unwrap();
    assert_eq!(exchange["status"], "partial_outage", "restore_pending (60) is a partial outage");
    assert_eq!(exchange["i18n"]["state"], "restore_pending");
    assert_eq!(exchange["i18n"]["en"]["status_label"], "Restore pending");
    assert_eq!(summary["status"]["indicator"], "major");

    for (f, key, maint) in [
        ("incidents.json", "incidents", false),
        ("incidents/unresolved.json", "incidents", false),
        ("scheduled-maintenances.json", "scheduled_maintenances", true),
        ("scheduled-maintenances/upcoming.json", "scheduled_maintenances", true),
        ("scheduled-maintenances/active.json", "scheduled_maintenances", true),
    ] {
        let v = out.json(&format!("api/v2/{f}"));
        assert_eq!(keys(&v), ["page", key].iter().map(|s| s.to_string()).collect(), "{f}");
        for inc in v[key].as_array().unwrap() {
            check_incident(inc, maint, &all_component_ids);
        }
    }
    let all = out.json("api/v2/incidents.json");
    let ids: Vec<&str> =
        all["incidents"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["exchange-data-restore", "cyberattack-2022-11"], "newest first");
    let unresolved = out.json("api/v2/incidents/unresolved.json");
    assert_eq!(unresolved["incidents"], summary["incidents"]);
    assert!(unresolved["incidents"].as_array().unwrap().iter().all(|i| i["resolved_at"].is_null()));
    let upcoming = out.json("api/v2/scheduled-maintenances/upcoming.json");
    assert_eq!(upcoming["scheduled_maintenances"].as_array().unwrap().len(), 1);
    assert_eq!(upcoming["scheduled_maintenances"][0]["status"], "scheduled");
    assert_eq!(summary["scheduled_maintenances"], upcoming["scheduled_maintenances"]);

    // The attack's first update moved nine services from operational to major outage.
    let attack =
        all["incidents"].as_array().unwrap().iter().find(|i| i["id"] == "cyberattack-2022-11").unwrap();
    assert_eq!(attack["impact"], "critical");
    assert_eq!(attack["status"], "resolved");
    let first = attack["incident_updates"].as_array().unwrap().last().unwrap();
    assert_eq!(first["status"], "investigating");
    let ex =
        first["affected_components"].as_array().unwrap().iter().find(|a| a["code"] == "exchange").unwrap();
    assert_eq!(
        (ex["old_status"].as_str(), ex["new_status"].as_str()),
        (Some("operational"), Some("major_outage"))
    );
    assert!(attack["monitoring_at"].is_string());
}

#[test]
fn running_maintenance_is_active_and_under_maintenance() {
    let site = example_site();
    let out = render(site.path(), "2022-12-10T12:00:00+01:00");
    let active = out.json("api/v2/scheduled-maintenances/active.json");
    let list = active["scheduled_maintenances"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], "mailbox-restore-2022-12");
    assert_eq!(list[0]["status"], "in_progress");
    assert!(list[0]["resolved_at"].is_null());
    let summary = out.json("api/v2/summary.json");
    assert!(summary["scheduled_maintenances"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == "mailbox-restore-2022-12"));
    let mailbox = summary["components"].as_array().unwrap().iter().find(|c| c["id"] == "mailbox").unwrap();
    assert_eq!(mailbox["status"], "under_maintenance");
    // The cyberattack is still open then, so it is unresolved and in the summary.
    assert!(summary["incidents"].as_array().unwrap().iter().any(|i| i["id"] == "cyberattack-2022-11"));
    assert_eq!(summary["status"]["indicator"], "critical");
}

#[test]
fn severities_map_to_statuspage_statuses_and_indicators() {
    let cases: [(&str, u8, &str, &str); 8] = [
        ("ok2", 0, "operational", "none"),
        ("slow1", 1, "degraded_performance", "minor"),
        ("slow39", 39, "degraded_performance", "minor"),
        ("part40", 40, "partial_outage", "minor"),
        ("part49", 49, "partial_outage", "minor"),
        ("part69", 69, "partial_outage", "major"),
        ("down70", 70, "major_outage", "major"),
        ("down80", 80, "major_outage", "critical"),
    ];
    for (id, sev, status, indicator) in cases {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "content/site.yaml",
            &format!(
                "title: T\nbase_url: https://t.example/\nlanguages: [de, en]\ntimezone: UTC\nstates:\n  - id: {id}\n    label: {{ de: L-{id}, en: E-{id} }}\n    severity: {sev}\n"
            ),
        );
        write(
            root,
            "content/services/a.yaml",
            &format!("name: A\nupdates:\n  - at: 2024-01-01T00:00:00Z\n    status: {id}\n    text: x\n"),
        );
        write(
            root,
            "content/services/b.yaml",
            "name: B\nupdates:\n  - at: 2024-01-01T00:00:00Z\n    status: maintenance\n    text: x\n",
        );
        let out = render(root, "2024-02-01T00:00:00Z");
        let c = out.json("api/v2/components.json");
        let comps = c["components"].as_array().unwrap();
        let a = comps.iter().find(|x| x["id"] == "a").unwrap();
        let b = comps.iter().find(|x| x["id"] == "b").unwrap();
        assert_eq!(a["status"], status, "{id}");
        assert_eq!(a["i18n"]["state"], id);
        assert_eq!(a["i18n"]["en"]["status_label"], format!("E-{id}"));
        assert_eq!(b["status"], "under_maintenance");
        let st = out.json("api/v2/status.json");
        // Overall = the worse of `id` and maintenance (10).
        let expected = if sev > 10 { indicator } else { "minor" };
        assert_eq!(st["status"]["indicator"], expected, "{id}");
        assert_eq!(st["page"]["time_zone"], "UTC");
        assert!(st["page"]["updated_at"].as_str().unwrap().ends_with("+00:00"));
    }
}

// ---------------------------------------------------------------- badges and determinism

#[test]
fn badges_are_accessible_and_sized_from_their_text() {
    let site = example_site();
    let out = render(site.path(), NOW);
    let s = &out.built.site;
    let mut widths = Vec::new();
    for path in std::iter::once("badge.svg".to_string())
        .chain(s.services.iter().map(|x| format!("services/{}/badge.svg", x.id)))
    {
        let svg = out.text(&path);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        let title = doc.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text()).unwrap();
        assert_eq!(root.attribute("aria-label"), Some(title));
        let texts: Vec<&str> =
            doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect();
        assert_eq!(texts.len(), 2, "{path}: label and state");
        assert_eq!(title, format!("{}: {}", texts[0], texts[1]));
        // A shape besides the two backgrounds carries the state without colour.
        let shapes = doc.descendants().filter(|n| n.has_tag_name("path") || n.has_tag_name("rect")).count();
        assert!(shapes >= 3, "{path}: no symbol");
        assert!(!svg.contains("@font-face") && !svg.contains("href"), "{path}: no external resources");
        let w: f64 = root.attribute("width").unwrap().parse().unwrap();
        widths.push((texts[0].chars().count() + texts[1].chars().count(), w));
    }
    let overall = out.text("badge.svg");
    assert!(overall.contains("Wiederherstellung ausstehend"), "default language, current overall state");
    // Longer text, wider badge.
    let (short, long) =
        (widths.iter().min_by_key(|x| x.0).unwrap(), widths.iter().max_by_key(|x| x.0).unwrap());
    assert!(long.1 > short.1);
}

#[test]
fn machine_readable_output_is_byte_identical_across_runs() {
    let site = example_site();
    let a = render(site.path(), NOW);
    let b = render(site.path(), NOW);
    let ours =
        |p: &str| p.ends_with(".xml") || p.ends_with(".json") || p.ends_with(".ics") || p.ends_with(".svg");
    let mut n = 0;
    for (path, bytes) in a.files.iter().filter(|(p, _)| ours(p)) {
        assert_eq!(Some(bytes), b.files.get(path), "{path} differs between runs");
        n += 1;
    }
    assert!(n > 40, "{n} files");
}

#[test]
fn group_ids_never_collide_with_service_ids() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "content/site.yaml",
        "title: T\nbase_url: https://t.example/\nlanguages: [de, en]\ntimezone: Europe/Berlin\ngroups:\n  - id: mail\n    name: Mail\n",
    );
    write(root, "content/services/mail.yaml", "name: Mail\ngroup: mail\n");
    let out = render(root, "2024-02-01T00:00:00Z");
    let c = out.json("api/v2/components.json");
    let ids: Vec<&str> =
        c["components"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["group-mail", "mail"]);
    assert_eq!(c["components"][1]["group_id"], "group-mail");
    assert_eq!(c["components"][0]["components"][0], "mail");
}

#[test]
fn a_site_without_any_update_still_gets_valid_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "content/site.yaml",
        "title: T\nbase_url: https://t.example/\nlanguages: [de, en]\ntimezone: Europe/Berlin\n",
    );
    write(root, "content/services/a.yaml", "name: A\n");
    let out = render(root, "2024-02-01T00:00:00Z");
    let (meta, items) = parse_rss(&out.text("feed.xml"));
    assert!(items.is_empty());
    // RSS may leave it out, and an empty feed does: it then depends on its items alone.
    assert!(!meta.contains_key("lastBuildDate"), "{meta:?}");
    // Atom must say when the feed was updated: nothing in the content has a time, so
    // "now" is the only deterministic choice.
    let atom = out.text("en/atom.xml");
    parse_atom(&atom);
    assert!(atom.contains("<updated>2024-02-01T00:00:00Z</updated>"), "{atom}");
    let (_, events) = ics_events(&out.files["maintenance.ics"]);
    assert!(events.is_empty());
    let s = out.json("api/v2/summary.json");
    assert_eq!(s["status"]["indicator"], "none");
    assert_eq!(s["status"]["description"], "Alle Systeme verfügbar");
    assert_eq!(s["components"][0]["status"], "operational");
    assert!(out.text("badge.svg").contains("Verfügbar"));
}
