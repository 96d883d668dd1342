//! The printable notice (`print/`, `<lang>/print/`): linked from the front page, in every
//! language, with the overall state, open incidents, pinned notices and maintenance, the
//! time it is as of and the site's address; both languages when they fit, else its own
//! cut with "more at"; in the sitemap; the same bytes from the same content. That it
//! prints as one A4 page and its QR code reads back is checked in Chromium and zbar by
//! `.ci/print`.

use crate::common::TestSite;
use aushang::build::{build, BuildOptions};
use chrono::{DateTime, FixedOffset};
use scraper::{ElementRef, Html, Selector};
use std::path::{Path, PathBuf};

const NOW: &str = "2026-11-27T12:00:00+01:00";
const BASE: &str = "https://status.example.org/";

fn built(site: &TestSite, now: &str) -> PathBuf {
    let out = site.path("public");
    let opts = BuildOptions { now: Some(now.into()), ..Default::default() };
    build(site.root(), &out, &opts).unwrap();
    out
}

fn page(out: &Path, rel: &str) -> Html {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef) -> String {
    e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s)).map(text).collect()
}

/// `href` of the page at `from` (a site path ending in `/`), as a site path.
fn resolve(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if href.ends_with('/') && !path.is_empty() {
        path.push('/');
    }
    path
}

#[test]
fn each_language_has_the_notice_and_its_front_page_links_to_it() {
    let site = TestSite::example();
    let out = built(&site, NOW);
    for (front, print, lang, words) in [
        ("", "print/", "de", "Aushang zum Ausdrucken (A4)"),
        ("en/", "en/print/", "en", "Printable notice (A4)"),
    ] {
        let doc = page(&out, &format!("{front}index.html"));
        let links: Vec<String> = doc
            .select(&sel("a[href]"))
            .filter(|a| resolve(front, a.value().attr("href").unwrap_or("")) == print)
            .map(text)
            .collect();
        assert_eq!(links, vec![words.to_string()], "the front page {front:?} links to {print}");
        let notice = page(&out, &format!("{print}index.html"));
        assert_eq!(notice.root_element().value().attr("lang"), Some(lang));
        assert_eq!(texts(&notice, "section.lang-block").len(), 1, "the example's news fill a page alone");
    }
}

/// The newest `at:` of the updates in `content/` at or before `now`, and the newest
/// `from:` of the pinned notices: what the sheet is as of.
fn newest_time_in(content: &Path, now: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let mut newest = None;
    for folder in ["services", "incidents", "notices"] {
        for entry in std::fs::read_dir(content.join(folder)).unwrap() {
            let src = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            if folder == "notices" && !src.contains("pinned: true") {
                continue;
            }
            let key = if folder == "notices" { "from:" } else { "- at:" };
            for line in src.lines() {
                let Some(rest) = line.trim().strip_prefix(key) else { continue };
                let Ok(t) = DateTime::parse_from_rfc3339(rest.trim()) else { continue };
                if t <= now && newest.is_none_or(|n| t > n) {
                    newest = Some(t);
                }
            }
        }
    }
    newest.expect("the example has updates")
}

#[test]
fn the_sheet_lists_state_incidents_notices_and_maintenance_as_of_the_newest_time() {
    let site = TestSite::example();
    let out = built(&site, NOW);
    let de = page(&out, "print/index.html");

    let overall = texts(&de, "h2.overall");
    assert_eq!(overall, vec!["◼ Gesamtstatus: Wiederherstellung ausstehend"], "state in words and symbol");
    let titles = texts(&de, ".item h4");
    for expected in [
        "Wiederherstellung der alten Exchange-Daten",
        "Sichern Sie vorhandene E-Mails, bevor Sie sich verbinden!",
        "Gesicherte Daten nicht in die Inbox einspielen",
        "E-Mails seit dem Angriff erneut anfordern",
        "Umzug des Notfall-E-Mailservers auf neue Hardware",
    ] {
        assert!(titles.iter().any(|t| t.ends_with(expected)), "{expected:?} not in {titles:#?}");
    }
    assert_eq!(
        texts(&de, "h3"),
        vec!["Aktuelle Störungen", "Wichtige Hinweise", "Geplante Wartungen"],
        "open incidents, pinned notices and upcoming maintenance, in that order"
    );
    // Resolved incidents are not on it.
    assert!(!titles.iter().any(|t| t.contains("Cyberangriff")), "{titles:#?}");

    let as_of = de.select(&sel(".as-of time")).next().expect("an as-of time");
    let shown = DateTime::parse_from_rfc3339(as_of.value().attr("datetime").unwrap()).unwrap();
    let now = DateTime::parse_from_rfc3339(NOW).unwrap();
    assert_eq!(shown, newest_time_in(&site.path("content"), now));
    assert_eq!(text(as_of), "16.11.2026, 10:00 Uhr");

    assert_eq!(texts(&de, ".url"), vec![BASE]);
    let qr = de.select(&sel(".qr[role=img] > svg")).count();
    assert_eq!(qr, 1, "the QR code is inline SVG");
    let label = de.select(&sel(".qr")).next().and_then(|q| q.value().attr("aria-label"));
    assert_eq!(label, Some("QR-Code mit der Adresse https://status.example.org/"));
    // Nothing is loaded from anywhere: the page's only stylesheet is the site's own.
    let sources: Vec<&str> = de
        .select(&sel("[src], link[rel=stylesheet]"))
        .filter_map(|e| e.value().attr("src").or(e.value().attr("href")))
        .collect();
    assert_eq!(sources, vec!["../print.css"]);

    let en = page(&out, "en/print/index.html");
    assert_eq!(texts(&en, ".url"), vec![format!("{BASE}en/")]);
    assert_eq!(texts(&en, ".more"), vec![format!("More at {BASE}en/")]);
    assert_eq!(texts(&de, ".more"), vec![format!("Mehr unter {BASE}")]);
}

/// A site of two languages with little news: one open incident or none, one pinned
/// notice, one maintenance to come.
fn small_site(open_incident: bool) -> TestSite {
    let site = TestSite::empty();
    site.write(
        "content/site.yaml",
        "title: { de: IT-Status, en: IT status }\nbase_url: https://status.example.org/\nlanguages: [de, en]\ntimezone: Europe/Berlin\n",
    );
    site.write(
        "content/services/mail.yaml",
        "name: { de: E-Mail, en: Email }\nupdates:\n  - at: 2026-11-01T10:00:00+01:00\n    status: operational\n",
    );
    if open_incident {
        site.write(
            "content/incidents/outage.yaml",
            "title: { de: \"Mail <b>weg</b> & Co\", en: Mail down }\nkind: incident\nservices: [mail]\nupdates:\n  - at: 2026-11-20T09:00:00+01:00\n    phase: investigating\n    set: { mail: major_outage }\n    text: { de: Wir prüfen das., en: We are looking into it. }\n",
        );
    }
    site.write(
        "content/incidents/move.yaml",
        "title: { de: Umzug, en: Move }\nkind: maintenance\nservices: [mail]\nscheduled: { from: 2027-01-10T18:00:00+01:00, until: 2027-01-10T20:00:00+01:00 }\nupdates:\n  - at: 2026-11-02T10:00:00+01:00\n    phase: scheduled\n    text: { de: Der Server zieht um., en: The server moves. }\n",
    );
    site.write(
        "content/notices/backup.de.md",
        "---\ntitle: Sichern Sie Ihre E-Mails\nlevel: critical\npinned: true\nfrom: 2026-11-21T08:00:00+01:00\n---\nVor dem Verbinden **sichern**.\n",
    );
    site.write(
        "content/notices/backup.en.md",
        "---\ntitle: Back up your email\nlevel: critical\npinned: true\nfrom: 2026-11-21T08:00:00+01:00\n---\nBack up **before** you connect.\n",
    );
    site.run(&["check", "--now", NOW]).assert_code(0);
    site
}

#[test]
fn both_languages_stand_one_above_the_other_when_they_fit() {
    let site = small_site(true);
    let out = built(&site, NOW);
    let whole = [
        "20.11.2026, 09:00 Uhr: Wir prüfen das.",
        "20 Nov 2026, 09:00 CET: We are looking into it.",
        "Vor dem Verbinden sichern.",
        "02.11.2026, 10:00 Uhr: Der Server zieht um.",
        "2 Nov 2026, 10:00 CET: The server moves.",
    ];
    for (rel, order) in [("print/index.html", ["de", "en"]), ("en/print/index.html", ["en", "de"])] {
        let doc = page(&out, rel);
        let langs: Vec<&str> =
            doc.select(&sel("section.lang-block")).filter_map(|s| s.value().attr("lang")).collect();
        assert_eq!(langs, order, "{rel}");
        assert!(texts(&doc, ".more").is_empty(), "{rel}: nothing is cut");
        let overall = texts(&doc, "h2.overall");
        let (de, en) = if order[0] == "de" { (&overall[0], &overall[1]) } else { (&overall[1], &overall[0]) };
        assert_eq!(de, "✕ Gesamtstatus: Nicht verfügbar");
        assert_eq!(en, "✕ Overall status: Major outage");
        let paragraphs = texts(&doc, ".text p");
        for whole in whole {
            assert!(paragraphs.contains(&whole.to_string()), "{rel}: {whole:?} not in {paragraphs:#?}");
        }
        // The newest time is the notice's start, after the newest update.
        let as_of: Vec<&str> =
            doc.select(&sel(".as-of time")).filter_map(|t| t.value().attr("datetime")).collect();
        assert_eq!(as_of, ["2026-11-21T08:00:00+01:00"; 2]);
        assert_eq!(texts(&doc, ".title-other").len(), 1, "{rel}: the second language's title");
    }
    // Every text is escaped: the title's markup is shown, not applied.
    let raw = site.read("public/print/index.html");
    assert!(raw.contains("Mail &lt;b&gt;weg&lt;/b&gt; &amp; Co"), "{raw}");
    assert!(!raw.contains("<b>weg"));
}

#[test]
fn a_day_without_incidents_says_so() {
    let site = small_site(false);
    let out = built(&site, NOW);
    let doc = page(&out, "print/index.html");
    assert_eq!(
        texts(&doc, ".empty"),
        vec!["Zurzeit liegen keine Störungen vor.", "There are no current incidents."]
    );
    assert_eq!(texts(&doc, "h2.overall")[0], "✓ Gesamtstatus: Verfügbar");
}

/// Words of a long update, numbered so that a cut shows where it fell.
fn long_text(n: usize, words: usize) -> String {
    (0..words).map(|w| format!("Meldung{n}wort{w}")).collect::<Vec<_>>().join(" ")
}

/// The example site with `incidents` more open incidents and `notices` more pinned
/// notices, each with a long text of two paragraphs.
pub fn crowded_site(incidents: usize, notices: usize) -> TestSite {
    let site = TestSite::example();
    for i in 0..incidents {
        let (a, b) = (long_text(i, 70), long_text(i + 100, 50));
        site.write(
            &format!("content/incidents/long-{i:02}.yaml"),
            format!(
                "title: {{ de: Lange Störung {i} mit einem ausführlichen Titel, en: Long outage {i} with a detailed title }}\nkind: incident\nservices: [webmail]\nupdates:\n  - at: 2026-11-{:02}T09:00:00+01:00\n    phase: investigating\n    set: {{ webmail: major_outage }}\n    text: \"{a}\\n\\n{b}\"\n",
                i % 20 + 1
            ),
        );
    }
    for n in 0..notices {
        site.write(
            &format!("content/notices/long-{n:02}.de.md"),
            format!(
                "---\ntitle: Langer Hinweis {n}\nlevel: warning\npinned: true\n---\n{}\n\n{}\n",
                long_text(n + 200, 60),
                long_text(n + 300, 40)
            ),
        );
    }
    site
}

#[test]
fn long_content_is_cut_with_more_at_rather_than_spilling_over() {
    let site = crowded_site(14, 6);
    let out = built(&site, NOW);
    let doc = page(&out, "print/index.html");
    assert_eq!(doc.select(&sel("section.lang-block")).count(), 1, "only the page's own language");
    assert_eq!(texts(&doc, ".more"), vec![format!("Mehr unter {BASE}")]);
    assert_eq!(
        doc.select(&sel("section.lang-block > *:last-child.more")).count(),
        1,
        "the sheet ends with it"
    );
    let items = doc.select(&sel(".item")).count();
    assert!(items < 14 + 6 + 5, "items are left out: {items}");
    assert!(items >= 3, "the sheet is not left empty: {items}");
    // Each text on the sheet is the start of its whole text, cut after a word.
    let mut shortened = 0;
    let paragraphs = texts(&doc, ".item .text p");
    for p in paragraphs.iter().filter_map(|p| p.find("Meldung").map(|at| &p[at..])) {
        let n: usize = p["Meldung".len()..].split('w').next().unwrap().parse().unwrap();
        let whole = long_text(n, [70, 50, 60, 40][n / 100]);
        let kept = p.strip_suffix(" …").unwrap_or(p);
        assert!(whole.starts_with(kept), "{p:?} is not the start of {whole:?}");
        if kept.len() < whole.len() {
            assert!(p.ends_with(" …") && whole[kept.len()..].starts_with(' '), "{p:?}");
            shortened += 1;
        }
    }
    assert!(shortened > 0, "texts are shortened to fit: {paragraphs:#?}");
    // Newest first: the newest open incident is on the sheet.
    assert!(texts(&doc, ".item h4").iter().any(|t| t.starts_with("Lange Störung 13")));
}

#[test]
fn the_sitemap_lists_the_notice_in_both_languages() {
    let site = TestSite::example();
    let out = built(&site, NOW);
    let pages = std::fs::read_to_string(out.join("sitemap-pages.xml")).unwrap();
    assert!(pages.contains(&format!("<loc>{BASE}print/</loc>")), "{pages}");
    assert!(pages.contains(&format!("<loc>{BASE}en/print/</loc>")), "{pages}");
    assert!(pages.contains(&format!("hreflang=\"en\" href=\"{BASE}en/print/\"")), "{pages}");
}

#[test]
fn the_same_content_gives_the_same_sheet_whatever_the_clock() {
    let (one, two, later) = (TestSite::example(), TestSite::example(), TestSite::example());
    let (a, b) = (built(&one, NOW), built(&two, NOW));
    // A day later nothing new happened: the sheet says the same.
    let c = built(&later, "2026-11-28T12:00:00+01:00");
    for rel in ["print/index.html", "en/print/index.html"] {
        let first = std::fs::read(a.join(rel)).unwrap();
        assert_eq!(first, std::fs::read(b.join(rel)).unwrap(), "{rel}");
        assert_eq!(first, std::fs::read(c.join(rel)).unwrap(), "{rel} depends on the clock");
    }
}

/// The built-in `print.css` with each `(from, to)` replaced, as the site's theme's.
fn with_print_css(site: &TestSite, edits: &[(&str, &str)]) -> String {
    let mut css = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(PRINT_CSS)).unwrap();
    for (from, to) in edits {
        assert!(css.contains(from), "print.css has no {from:?}");
        css = css.replacen(from, to, 1);
    }
    site.write(PRINT_CSS, &css);
    css
}

const PRINT_CSS: &str = "themes/default/static/print.css";

/// The items on a sheet and the length of their texts.
fn amount(doc: &Html) -> (usize, usize) {
    (doc.select(&sel(".item")).count(), texts(doc, ".item .text p").iter().map(String::len).sum())
}

/// The sizes the cut is measured with are the ones the site's theme declares: larger
/// type leaves less on the sheet, and a sheet that held both languages holds one.
#[test]
fn a_theme_with_larger_type_cuts_the_sheet_earlier() {
    let larger = [
        ("--text-size: 12.5pt;", "--text-size: 20pt;"),
        ("--item-title-size: 13pt;", "--item-title-size: 20pt;"),
        ("--meta-size: 11pt;", "--meta-size: 16pt;"),
    ];
    let (plain, styled) = (crowded_site(14, 6), crowded_site(14, 6));
    let css = with_print_css(&styled, &larger);
    let (plain_out, styled_out) = (built(&plain, NOW), built(&styled, NOW));
    assert_eq!(std::fs::read_to_string(styled_out.join("print.css")).unwrap(), css, "the theme's is served");
    let (items, chars) = amount(&page(&plain_out, "print/index.html"));
    let (fewer_items, fewer_chars) = amount(&page(&styled_out, "print/index.html"));
    assert!(fewer_items <= items && fewer_chars < chars * 2 / 3, "{items} items, {chars} characters at the built-in sizes; {fewer_items}, {fewer_chars} at larger ones");

    let (plain, styled) = (small_site(true), small_site(true));
    with_print_css(&styled, &larger);
    let count = |site: &TestSite| {
        page(&built(site, NOW), "print/index.html").select(&sel("section.lang-block")).count()
    };
    assert_eq!((count(&plain), count(&styled)), (2, 1), "both languages, then one");
}

/// A theme's `print.css` that does not declare a size the cut needs stops the build with
/// the file, the place and the property, and nothing is written.
#[test]
fn a_print_css_without_a_size_fails_the_build_at_its_place() {
    let site = TestSite::example();
    let css = with_print_css(&site, &[("--meta-above: 1pt;", "")]);
    let run = site.run(&["build", "--now", NOW]);
    run.assert_code(1);
    let line = site.line_of(PRINT_CSS, ":root {");
    let col = css.lines().nth(line - 1).and_then(|l| l.find('{')).unwrap() + 1;
    run.expect_error(PRINT_CSS, line, Some(col), &["--meta-above", "expected"]);
    assert!(!site.path("public").exists(), "nothing was written");

    let css = with_print_css(&site, &[("--title-size: 22pt;", "--title-size: 22px;")]);
    let run = site.run(&["check", "--now", NOW]);
    run.assert_code(1);
    let line = site.line_of(PRINT_CSS, "22px");
    let col = css.lines().nth(line - 1).and_then(|l| l.find("22px")).unwrap() + 1;
    run.expect_error(PRINT_CSS, line, Some(col), &["--title-size: `22px`, expected a length in points"]);
    assert!(!run.stderr.contains("panicked"), "{run}");
}
