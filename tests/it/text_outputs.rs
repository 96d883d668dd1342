//! The outputs for readers off the site: `status.txt` (plain text for `curl`, telephone
//! scripts, SMS and mailing-list relays), the banner for other sites' iframes (`embed/`)
//! and the shields.io endpoint JSON (`api/shields/`). Real sites are built into memory
//! and the files read back: columns counted here, HTML parsed with scraper, JSON with
//! serde_json.

use crate::common;

use aushang::build::{render_site, BuildOptions};
use scraper::{Html, Selector};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

const NOW: &str = "2026-11-27T12:00:00+01:00";

fn build(root: &Path, opts: BuildOptions) -> HashMap<String, Vec<u8>> {
    let opts = BuildOptions { now: opts.now.or(Some(NOW.into())), ..opts };
    let built = render_site(root, &opts).unwrap_or_else(|e| panic!("build failed: {e:?}"));
    built.files.into_iter().map(|f| (f.path, f.bytes)).collect()
}

fn text(files: &HashMap<String, Vec<u8>>, path: &str) -> String {
    let bytes = files.get(path).unwrap_or_else(|| panic!("{path} was not made"));
    String::from_utf8(bytes.clone()).unwrap_or_else(|e| panic!("{path} is not UTF-8: {e}"))
}

/// Columns of a line, counted here on their own: CJK ideographs, kana and full-width
/// forms take two, everything the tests write besides takes one.
fn columns(line: &str) -> usize {
    line.chars()
        .map(|c| {
            let wide = ('\u{1100}'..='\u{115f}').contains(&c)
                || ('\u{2e80}'..='\u{a4cf}').contains(&c)
                || ('\u{ac00}'..='\u{d7a3}').contains(&c)
                || ('\u{ff00}'..='\u{ff60}').contains(&c);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Every line holds at most 80 columns, or is one word alone, starting the line.
fn assert_80_columns(name: &str, text: &str) {
    for (n, line) in text.lines().enumerate() {
        assert!(
            columns(line) <= 80 || (!line.contains(' ') && !line.is_empty()),
            "{name}:{}: {} columns: {line:?}\n{text}",
            n + 1,
            columns(line)
        );
    }
    assert!(!text.contains("\n\n\n"), "{name}: more than one blank line in a row:\n{text}");
    assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{name}: ends badly:\n{text}");
}

const LONG_URL: &str = "https://intranet.example.org/anleitungen/e-mail/sicherung-und-wiederherstellung/outlook-pst-dateien-als-archiv-einbinden.html";

/// An open incident whose texts hold a URL of more than 80 columns, German compounds,
/// Japanese without spaces, Markdown links and characters HTML would escape.
const WIDE_INCIDENT: &str = r#"title:
  de: "Störung von Webmail & Co. <Portal>"
  en: "Webmail & co. are down <portal>"
kind: incident
services: [webmail]
updates:
  - at: 2026-11-20T09:00:00+01:00
    phase: investigating
    set: { webmail: major_outage }
    text:
      de: |
        Die Donaudampfschifffahrtsgesellschaftskapitänsmützenherstellungsverfahrensbeschreibung ist unvollständig. Siehe https://intranet.example.org/anleitungen/e-mail/sicherung-und-wiederherstellung/outlook-pst-dateien-als-archiv-einbinden.html für Details, und die Anleitung [E-Mails sichern](/guides/backup-mail/) **vorher**.

        メールサーバーは現在利用できません。復旧作業を行っています。送信されたメールは保存され、復旧後に配信されます。ご不便をおかけして申し訳ありません。詳しくは[案内](/guides/archive-mount/)をご覧ください。
      en: |
        See [Back up your email](/en/guides/backup-mail/) & <this>.

        - first point of a list that is long enough to be wrapped onto a second line of the text
        - second
"#;

#[test]
fn status_text_holds_80_columns_with_long_words_and_cjk_and_writes_links_as_urls() {
    let site = common::TestSite::example();
    site.write("content/incidents/webmail-wide.yaml", WIDE_INCIDENT);
    let files = build(site.root(), BuildOptions::default());
    let de = text(&files, "status.txt");
    let en = text(&files, "en/status.txt");
    assert_80_columns("status.txt", &de);
    assert_80_columns("en/status.txt", &en);

    // The long URL stands alone on its line, whole.
    assert!(de.lines().any(|l| l == LONG_URL), "{de}");
    // The Japanese paragraph is broken into lines of at most 80 columns, never before
    // a full stop, and nothing of it is lost.
    let japanese: Vec<&str> =
        de.lines().filter(|l| l.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c))).collect();
    assert!(japanese.len() >= 2, "{de}");
    // A run of CJK characters is no word that may stand alone: those lines fit.
    assert!(japanese.iter().all(|l| columns(l) <= 80 && l.starts_with("  ")), "{japanese:#?}");
    assert!(de.lines().all(|l| !l.trim_start().starts_with('。')), "{de}");
    let joined: String = de.lines().map(str::trim).collect();
    assert!(joined.contains("メールサーバーは現在利用できません。復旧作業を行っています。"), "{de}");
    // The words with line breaks and indentation undone, for what may be wrapped.
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (de_flat, en_flat) = (flat(&de), flat(&en));

    // Links are their absolute URLs; no Markdown and no HTML escaping is left.
    assert!(
        de_flat.contains("E-Mails sichern <https://status.example.org/guides/backup-mail/> vorher."),
        "{de}"
    );
    assert!(
        joined.contains("案内 <https://status.example.org/guides/archive-mount/>をご覧ください。"),
        "{de}"
    );
    assert!(
        en_flat.contains("Back up your email <https://status.example.org/en/guides/backup-mail/> & <this>."),
        "{en}"
    );
    assert!(de.contains("- Störung von Webmail & Co. <Portal>"), "{de}");
    for s in ["**", "](", "&amp;", "&lt;"] {
        assert!(!de.contains(s) && !en.contains(s), "{s:?} left in\n{de}\n{en}");
    }
    // A list item of the text continues under its words.
    assert!(en.contains("  - first point of a list that is long enough to be wrapped onto a second line\n    of the text\n"), "{en}");
    // Each incident and service names its page; the site URL ends the text.
    assert!(de.contains("\n  https://status.example.org/incidents/webmail-wide/\n"), "{de}");
    assert!(en.contains("\n  https://status.example.org/en/services/webmail/\n"), "{en}");
    assert!(en.ends_with("Current information: https://status.example.org/en/\n"), "{en}");

    // With a base URL in a folder, the links follow it.
    let files = build(
        site.root(),
        BuildOptions { base_url: Some("https://www.example.org/it/status/".into()), ..Default::default() },
    );
    let de = text(&files, "status.txt");
    assert!(de.contains("<https://www.example.org/it/status/guides/backup-mail/>"), "{de}");
}

#[test]
fn status_text_says_what_is_wrong_as_of_the_newest_update() {
    let site = common::TestSite::example();
    let files = build(site.root(), BuildOptions::default());
    let de = text(&files, "status.txt");
    assert!(de.starts_with("IT-Status der Universität\n=========================\n"), "{de}");
    assert!(de.contains("\nGesamtstatus: Wiederherstellung ausstehend (Teilweise Störung)\n"), "{de}");
    // "As of" is the newest update of the content, not the build's "now".
    assert!(de.contains("\nStand: 16.11.2026, 10:00 Uhr\n"), "{de}");
    assert!(!de.contains("27.11.2026"), "{de}");
    // The open incident with its latest update.
    assert!(de.contains("- Wiederherstellung der alten Exchange-Daten\n  Störung · Ursache erkannt"), "{de}");
    assert!(de.contains("Stand November 2026: Die Prüfung der Exchange-Sicherungen"), "{de}");
    // The services that are not operational, and only those.
    assert!(
        de.contains("- Exchange-Server: Wiederherstellung ausstehend (seit 16.01.2023, 10:05 Uhr)"),
        "{de}"
    );
    assert!(!de.contains("- Webmail:"), "{de}");
    // Upcoming maintenance with its window.
    assert!(
        de.contains("Geplante Wartungen\n------------------\n\n- Umzug des Notfall-E-Mailservers"),
        "{de}"
    );
    assert!(de.contains("Zeitfenster: 06.03.2027, 18:00 Uhr – 06.03.2027, 22:00 Uhr"), "{de}");

    // A later build without new content says the same, byte for byte.
    let later = build(
        site.root(),
        BuildOptions { now: Some("2026-11-28T08:00:00+01:00".into()), ..Default::default() },
    );
    assert_eq!(de, text(&later, "status.txt"));
}

/// A site whose one service is operational and which has nothing open.
fn calm_site() -> common::TestSite {
    let site = common::TestSite::empty();
    site.write(
        "content/site.yaml",
        "title: { de: Status, en: Status }\nbase_url: https://status.example.org/\nlanguages: [de, en]\ntimezone: Europe/Berlin\n",
    );
    site.write("content/services/mail.yaml", "name: { de: E-Mail, en: Email }\n");
    site
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn an_operational_site_has_a_calm_banner_and_a_short_text() {
    let site = calm_site();
    let files = build(site.root(), BuildOptions::default());
    for (path, words) in
        [("embed/index.html", "Alle Systeme verfügbar"), ("en/embed/index.html", "All Systems Operational")]
    {
        let html = text(&files, path);
        let doc = Html::parse_document(&html);
        let line = select(&doc, "body > p");
        assert_eq!(line.len(), 1, "{html}");
        let classes: Vec<&str> = line[0].value().classes().collect();
        assert!(classes.contains(&"calm") && classes.contains(&"st-operational"), "{html}");
        let links = select(&doc, "a");
        assert_eq!(links.len(), 1, "only the link to the status site: {html}");
        assert_eq!(links[0].text().collect::<String>(), words);
        assert_eq!(links[0].value().attr("target"), Some("_top"));
        assert!(select(&doc, "script").is_empty());
        assert_eq!(select(&doc, "meta[name=robots]")[0].value().attr("content"), Some("noindex"));
    }
    let de = text(&files, "status.txt");
    assert_80_columns("status.txt", &de);
    assert!(de.contains("\nGesamtstatus: Alle Systeme verfügbar\n"), "{de}");
    assert!(de.contains("Zurzeit liegen keine Störungen vor.\n\nDienste mit Einschränkungen"), "{de}");
    assert!(
        de.contains("Alle Dienste sind verfügbar.\n\nAktuelle Informationen: https://status.example.org/\n"),
        "{de}"
    );
    assert!(!de.contains("Stand:"), "a site without updates has no time to be up to date with:\n{de}");
}

#[test]
fn the_banner_stays_under_5_kb_with_many_open_incidents() {
    let site = calm_site();
    // The worst for the size: every title at the length limit and made of characters
    // HTML escapes, ids at their length limit, 30 incidents open.
    let worst = "\"&<".repeat(66) + "xy";
    site.edit(
        "content/site.yaml",
        "title: { de: Status, en: Status }",
        &format!("title: '{}'", worst.replace('\'', "''")),
    );
    for n in 0..30 {
        let id = format!("{n:02}-{}", "x".repeat(97));
        site.write(
            &format!("content/incidents/{id}.yaml"),
            format!(
                "title: '{n:02} {}'\nkind: incident\nservices: [mail]\nupdates:\n  - at: 2026-11-{:02}T09:00:00+01:00\n    phase: investigating\n    set: {{ mail: major_outage }}\n",
                worst[3..].replace('\'', "''"),
                n % 20 + 1
            ),
        );
    }
    let files = build(site.root(), BuildOptions::default());
    for (path, more) in [("embed/index.html", "+27 weitere"), ("en/embed/index.html", "+27 more")] {
        let html = text(&files, path);
        assert!(html.len() < 5 * 1024, "{path} has {} bytes:\n{html}", html.len());
        let doc = Html::parse_document(&html);
        let links = select(&doc, "a");
        // The state, three incidents, and the rest counted.
        assert_eq!(links.len(), 5, "{html}");
        assert!(links.iter().all(|a| a.value().attr("target") == Some("_top")), "{html}");
        assert_eq!(links[4].text().collect::<String>(), more);
        for a in &links[1..4] {
            let title = a.text().collect::<String>();
            assert_eq!(title.chars().count(), 80, "{title}");
            assert!(title.ends_with('…') && title.contains("\"&<"), "{title}");
            assert!(a.value().attr("href").unwrap().contains("incidents/"), "{html}");
        }
        assert!(html.contains("Schwere Störung") || html.contains("Major System Outage"), "{html}");
    }
    // The text lists them all.
    let de = text(&files, "status.txt");
    assert_eq!(de.matches("\nhttps://status.example.org/incidents/").count(), 30, "{de}");
    assert_80_columns("status.txt", &de);
}

#[test]
fn the_banner_is_reachable_but_not_in_the_sitemap() {
    let site = common::TestSite::example();
    let files = build(site.root(), BuildOptions::default());
    for (page, text_link, embed_link) in [
        ("index.html", "./status.txt", "./embed/"),
        ("en/services/exchange/index.html", "../../status.txt", "../../embed/"),
    ] {
        let doc = Html::parse_document(&text(&files, page));
        let hrefs: Vec<&str> =
            select(&doc, "footer a").iter().filter_map(|a| a.value().attr("href")).collect();
        assert!(hrefs.contains(&text_link) && hrefs.contains(&embed_link), "{page}: {hrefs:?}");
    }
    let sitemap = text(&files, "sitemap-pages.xml");
    assert!(sitemap.contains("<loc>https://status.example.org/guides/</loc>"), "{sitemap}");
    assert!(!sitemap.contains("embed") && !sitemap.contains("status.txt"), "{sitemap}");
}

#[test]
fn shields_endpoints_follow_the_schema() {
    let site = common::TestSite::example();
    let files = build(site.root(), BuildOptions::default());
    let services: Vec<String> = std::fs::read_dir(site.path("content/services"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".yaml").to_string())
        .collect();
    let mut paths = vec!["api/shields/site.json".to_string()];
    paths.extend(services.iter().map(|s| format!("api/shields/services/{s}.json")));
    let state_colour: HashMap<&str, &str> = [
        ("Verfügbar", "#1b7f3b"),
        ("Wiederherstellung ausstehend", "#8e3fa8"),
        ("Nicht verfügbar", "#b3261e"),
    ]
    .into();
    for path in &paths {
        let json: Value = serde_json::from_str(&text(&files, path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let obj = json.as_object().unwrap_or_else(|| panic!("{path}: not an object"));
        // The shields.io endpoint schema: these keys, of these types.
        for key in obj.keys() {
            assert!(
                [
                    "schemaVersion",
                    "label",
                    "message",
                    "color",
                    "cacheSeconds",
                    "labelColor",
                    "isError",
                    "namedLogo",
                    "logoColor",
                    "style"
                ]
                .contains(&key.as_str()),
                "{path}: {key} is not in the schema"
            );
        }
        assert_eq!(obj["schemaVersion"], Value::from(1), "{path}");
        assert!(obj["label"].is_string(), "{path}");
        let message = obj["message"].as_str().unwrap_or_else(|| panic!("{path}: no message"));
        assert!(!message.is_empty(), "{path}: shields.io refuses an empty message");
        let color = obj["color"].as_str().unwrap();
        assert_eq!(Some(&color), state_colour.get(message), "{path}: {message} in {color}");
        assert!(obj["cacheSeconds"].as_u64().is_some_and(|s| s >= 300), "{path}");
    }
    let site_json: Value = serde_json::from_str(&text(&files, "api/shields/site.json")).unwrap();
    assert_eq!(site_json["label"], "IT-Status der Universität");
    assert_eq!(site_json["message"], "Wiederherstellung ausstehend");
    let exchange: Value = serde_json::from_str(&text(&files, "api/shields/services/exchange.json")).unwrap();
    assert_eq!(exchange["label"], "Exchange-Server");
}

#[test]
fn text_banner_and_shields_are_deterministic() {
    let site = common::TestSite::example();
    site.write("content/incidents/webmail-wide.yaml", WIDE_INCIDENT);
    let a = build(site.root(), BuildOptions::default());
    let b = build(site.root(), BuildOptions::default());
    let ours: Vec<&String> = a
        .keys()
        .filter(|p| p.ends_with("status.txt") || p.contains("embed/") || p.starts_with("api/shields/"))
        .collect();
    assert_eq!(ours.len(), 2 + 2 + 1 + 11, "{ours:?}");
    for p in ours {
        assert_eq!(a[p], b[p], "{p} differs between two builds");
    }
}
