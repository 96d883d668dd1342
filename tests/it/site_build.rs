//! Builds real sites into temporary folders and reads the HTML back: languages and twins,
//! fallback marking, time formatting, escaping, atomic output and determinism.

use crate::common;

use aushang::build::{build, render_site, BuildOptions};
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};

const NOW: &str = "2026-11-27T12:00:00+01:00";

fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &dir.path().join("content"));
    dir
}

fn opts() -> BuildOptions {
    BuildOptions { now: Some(NOW.into()), ..Default::default() }
}

fn page(out: &Path, rel: &str) -> Html {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s)).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

fn build_example() -> (tempfile::TempDir, PathBuf) {
    build_example_at(NOW)
}

/// The example built into its `public/` with "now" at `now`.
fn build_example_at(now: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = example_copy();
    let out = build_at(dir.path(), now);
    (dir, out)
}

/// Build the site under `root` into `root/public` with "now" at `now`; the output folder.
fn build_at(root: &Path, now: &str) -> PathBuf {
    let out = root.join("public");
    build(root, &out, &BuildOptions { now: Some(now.into()), ..Default::default() }).unwrap();
    out
}

#[test]
fn both_languages_with_twins_and_alternates() {
    let (_dir, out) = build_example();
    let de = page(&out, "services/exchange/index.html");
    let en = page(&out, "en/services/exchange/index.html");
    assert_eq!(de.root_element().value().attr("lang"), Some("de"));
    assert_eq!(en.root_element().value().attr("lang"), Some("en"));
    // Visible switch to the twin.
    let switch: Vec<_> = de.select(&sel("nav.lang a")).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(switch, vec!["../../en/services/exchange/"]);
    let back: Vec<_> = en.select(&sel("nav.lang a")).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(back, vec!["../../../services/exchange/"]);
    // hreflang alternates and x-default, absolute.
    let alts: Vec<(String, String)> = de
        .select(&sel("link[rel=alternate][hreflang]"))
        .map(|l| (l.value().attr("hreflang").unwrap().into(), l.value().attr("href").unwrap().into()))
        .collect();
    assert!(alts.contains(&("de".into(), "https://status.example.org/services/exchange/".into())));
    assert!(alts.contains(&("en".into(), "https://status.example.org/en/services/exchange/".into())));
    assert!(alts.contains(&("x-default".into(), "https://status.example.org/services/exchange/".into())));
    // Translated UI and content.
    assert_eq!(texts(&de, "h1"), vec!["Exchange-Server"]);
    assert_eq!(texts(&en, "h1"), vec!["Exchange server"]);
    assert!(texts(&de, "p.current")[0].contains("Wiederherstellung ausstehend"));
    assert!(texts(&en, "p.current")[0].contains("Restore pending"));
    // Feed autodiscovery in the head.
    assert_eq!(de.select(&sel("head link[type='application/rss+xml']")).count(), 1);
}

#[test]
fn front_page_shows_worst_news_first_and_everything_listed() {
    let (_dir, out) = build_example();
    let de = page(&out, "index.html");
    let overall = texts(&de, "p.overall")[0].clone();
    assert!(overall.contains("Wiederherstellung ausstehend"), "{overall}");
    // The state is carried by a symbol and a word, not colour alone.
    assert!(overall.contains('◼'));
    assert_eq!(de.select(&sel(".pinned article.notice")).count(), 3);
    assert!(texts(&de, ".pinned .notice-level")[0].contains("Wichtig"), "critical notice first");
    assert_eq!(de.select(&sel("ul.services li")).count(), 11);
    assert!(!texts(&de, "#open-h").is_empty());
    assert!(!texts(&de, "#upcoming-h").is_empty());
    assert!(de.select(&sel("ol.updates > li")).count() <= 10);
    assert_eq!(de.select(&sel("ul.guides li")).count(), 4);
}

#[test]
fn fallback_text_carries_its_language_and_a_note() {
    let (_dir, out) = build_example();
    let en = page(&out, "en/guides/sieve-regeln/index.html");
    let article = en.select(&sel("main article")).next().unwrap();
    assert_eq!(article.value().attr("lang"), Some("de"));
    let note = texts(&en, "p.fallback-note").join(" ");
    assert!(note.contains("Only available in Deutsch"), "{note}");
    // The index lists it with the real language too.
    let idx = page(&out, "en/guides/index.html");
    assert!(idx.select(&sel("ul.guides a[lang=de]")).count() >= 1);
}

#[test]
fn times_in_site_timezone_and_each_languages_format() {
    let (_dir, out) = build_example();
    let de = page(&out, "incidents/cyberattack-2022-11/index.html");
    let en = page(&out, "en/incidents/cyberattack-2022-11/index.html");
    let first = |doc: &Html| {
        doc.select(&sel("ol.updates time"))
            .next_back()
            .map(|t| (t.value().attr("datetime").unwrap().to_string(), t.text().collect::<String>()))
            .unwrap()
    };
    let (iso_de, text_de) = first(&de);
    let (iso_en, text_en) = first(&en);
    assert_eq!(iso_de, iso_en);
    assert!(iso_de.ends_with("+01:00"), "{iso_de}");
    assert!(text_de.ends_with(" Uhr") && text_de.starts_with("27.11.2022, "), "{text_de}");
    assert!(text_en.starts_with("27 Nov 2022, ") && text_en.ends_with(" CET"), "{text_en}");
}

#[test]
fn updates_newest_first_with_anchors_the_feeds_can_link() {
    let (_dir, out) = build_example();
    let de = page(&out, "incidents/cyberattack-2022-11/index.html");
    let times: Vec<String> = de
        .select(&sel("ol.updates > li time"))
        .map(|t| t.value().attr("datetime").unwrap().to_string())
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(times, sorted);
    for li in de.select(&sel("ol.updates > li")) {
        assert!(li.value().attr("id").unwrap().starts_with("u-"));
    }
}

const EVIL: &str = "<script>alert(1)</script> & \\\" ' ]]>";

fn evil_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    for d in ["services", "incidents", "notices", "guides"] {
        std::fs::create_dir_all(c.join(d)).unwrap();
    }
    let q = |s: &str| format!("\"{s}\"");
    let e = q(EVIL);
    std::fs::write(
        c.join("site.yaml"),
        format!(
            "title: {{ de: {e}, en: {e} }}\nbase_url: https://status.example.org/\nlanguages: [de, en]\ntimezone: Europe/Berlin\ncontact: {e}\ngroups:\n  - id: mail\n    name: {e}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        c.join("services/mail.yaml"),
        format!(
            "name: {e}\ngroup: mail\ndescription: {e}\nlinks: [ {{ label: {e}, guide: g }} ]\nupdates:\n  - at: 2026-11-20T10:00:00+01:00\n    status: degraded\n    text: {e}\n  - at: 2026-11-21T10:00:00+01:00\n    status: major_outage\n    text: |\n      Block <script>alert(2)</script>\n\n      <img src=x onerror=alert(3)>\n"
        ),
    )
    .unwrap();
    std::fs::write(
        c.join("incidents/i.yaml"),
        format!(
            "title: {e}\nservices: [mail]\ndescription: {e}\nupdates:\n  - at: 2026-11-20T11:00:00+01:00\n    phase: investigating\n    set: {{ mail: major_outage }}\n    text: {e}\n"
        ),
    )
    .unwrap();
    let md_title = EVIL.replace('\\', "");
    std::fs::write(
        c.join("notices/n.md"),
        format!(
            "---\ntitle: '{}'\nlevel: critical\npinned: true\n---\n{EVIL}\n\n<iframe src=x></iframe>\n",
            md_title.replace('\'', "''")
        ),
    )
    .unwrap();
    std::fs::write(
        c.join("guides/g.md"),
        format!(
            "---\ntitle: '{0}'\nsummary: '{0}'\nservices: [mail]\n---\n## {1}\n\n{1}\n",
            md_title.replace('\'', "''"),
            EVIL
        ),
    )
    .unwrap();
    dir
}

#[test]
fn script_in_every_text_field_stays_text() {
    let dir = evil_site();
    let out = dir.path().join("public");
    build(dir.path(), &out, &opts()).unwrap();
    let built = render_site(dir.path(), &opts()).unwrap();
    let mut pages = 0;
    for f in built.files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8(f.bytes.clone()).unwrap();
        let doc = Html::parse_document(&html);
        assert_eq!(doc.select(&sel("script, iframe, img[onerror]")).count(), 0, "{}", f.path);
        for el in doc.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            for (name, _) in el.value().attrs() {
                assert!(!name.starts_with("on"), "{}: event handler attribute {name}", f.path);
            }
        }
        pages += 1;
    }
    assert!(pages > 10);
    // The text is still there, as text.
    let front = page(&out, "index.html");
    assert!(front.root_element().text().collect::<String>().contains("<script>alert(1)</script>"));
}

#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let (dir, out) = build_example();
    let snapshot = snapshot(&out);
    std::fs::write(
        dir.path().join("content/services/exchange.yaml"),
        "name: x\nupdates:\n  - at: nonsense\n    status: kaputt\n",
    )
    .unwrap();
    let err = build(dir.path(), &out, &opts());
    assert!(err.is_err());
    assert_eq!(snapshot, self::snapshot(&out));
    // Nothing left beside it either.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (e.path().strip_prefix(dir).unwrap().display().to_string(), std::fs::read(e.path()).unwrap())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn rebuilds_are_byte_identical() {
    let dir = example_copy();
    let a = render_site(dir.path(), &opts()).unwrap().files;
    let b = render_site(dir.path(), &opts()).unwrap().files;
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "{}", x.path);
    }
}

#[test]
fn no_request_to_another_host_and_no_javascript() {
    let (_dir, out) = build_example();
    for (path, bytes) in snapshot(&out).iter().filter(|(p, _)| p.ends_with(".html") || p.ends_with(".css")) {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("<script"), "{path}");
        let doc = Html::parse_document(&text);
        for el in doc.select(&sel("link[href], img[src], script[src], iframe[src]")) {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
            let loads = el.value().name() != "link"
                || matches!(el.value().attr("rel"), Some("stylesheet" | "icon" | "preload"));
            assert!(!(loads && url.contains("://")), "{path}: {url}");
        }
        assert!(!text.contains("@import") && !text.contains("url(http"), "{path}");
    }
}

#[test]
fn front_page_html_and_css_under_50_kb() {
    let (_dir, out) = build_example();
    for lang in ["", "en/"] {
        let html = std::fs::metadata(out.join(format!("{lang}index.html"))).unwrap().len();
        let css = std::fs::metadata(out.join("style.css")).unwrap().len();
        assert!(html + css < 50 * 1024, "{lang}index.html {html} + style.css {css}");
    }
}

#[test]
fn older_history_moves_to_year_pages() {
    let (_dir, out) = build_example();
    let de = page(&out, "services/webmail/index.html");
    let years: Vec<String> = texts(&de, "section ul.inline-list a");
    assert!(years.contains(&"2022".to_string()), "{years:?}");
    let y = page(&out, "services/webmail/2022/index.html");
    assert!(y.select(&sel("ol.updates > li")).count() >= 2);
    // The strip has 90 days and a text alternative.
    assert_eq!(de.select(&sel(".strip span")).count(), 90);
    assert!(de.select(&sel("ul.runs li")).count() >= 1);
}

/// Each square of the strip names its day and state, and the squares fall into exactly
/// the runs that the text alternative lists, in the same states. Built during the outage,
/// when the strips hold several states.
#[test]
fn strip_squares_agree_with_their_runs() {
    let (_dir, out) = build_example_at("2022-12-20T12:00:00+01:00");
    let mut several_runs = 0;
    for (path, today) in
        [("services/webmail/index.html", "20.12.2022"), ("en/services/webmail/index.html", "20 Dec 2022")]
    {
        let doc = page(&out, path);
        let squares: Vec<(String, String)> = doc
            .select(&sel(".strip span"))
            .map(|e| {
                (e.value().attr("class").unwrap().to_string(), e.value().attr("title").unwrap().to_string())
            })
            .collect();
        assert_eq!(squares.len(), 90);
        assert!(squares[89].1.starts_with(today), "{path}: the last square is today: {}", squares[89].1);
        let mut groups: Vec<(String, String)> = Vec::new();
        for (class, title) in &squares {
            assert!(class.starts_with("st-"), "{path}: {class}");
            let (_date, label) = title.split_once(": ").expect("title is `date: state`");
            if groups.last().is_none_or(|g| *g != (class.clone(), label.to_string())) {
                groups.push((class.clone(), label.to_string()));
            }
        }
        let runs: Vec<String> = texts(&doc, "ul.runs li");
        assert_eq!(runs.len(), groups.len(), "{path}: {runs:?} vs {groups:?}");
        for (run, (_, label)) in runs.iter().zip(&groups) {
            assert!(run.ends_with(label.as_str()), "{path}: run `{run}` is not in state `{label}`");
        }
        several_runs += usize::from(runs.len() > 1);
    }
    assert_eq!(several_runs, 2, "webmail changed state in the 90 days before 2022-12-20");
}

/// A year page is an index of state changes: an incident's entry links to the update on
/// the incident page instead of repeating its text; the service's own updates, which have
/// no other page, keep theirs. The service page (90 days) shows every text.
#[test]
fn year_pages_link_incident_updates_and_keep_own_texts() {
    let (_dir, out) = build_example_at("2023-03-01T12:00:00+01:00");
    let entries = |doc: &Html| -> Vec<(String, bool, Option<String>)> {
        doc.select(&sel("ol.updates > li.update"))
            .map(|li| {
                let link = li.select(&sel(".update-head a")).next().and_then(|a| a.value().attr("href"));
                let id = li.value().attr("id").unwrap_or("").to_string();
                (id, li.select(&sel(".text")).next().is_some(), link.map(str::to_string))
            })
            .collect()
    };
    let year = entries(&page(&out, "services/webmail/2022/index.html"));
    let own = year.iter().find(|(_, _, link)| link.is_none()).expect("an own update of webmail in 2022");
    assert!(own.1, "own update without its text: {own:?}");
    let incident: Vec<_> = year.iter().filter(|(_, _, link)| link.is_some()).collect();
    assert!(!incident.is_empty(), "{year:?}");
    for (id, has_text, link) in incident {
        assert!(!has_text, "{id}: an incident update's text repeated on the year page");
        let link = link.as_deref().unwrap_or("");
        assert!(link.starts_with("../../../incidents/cyberattack-2022-11/#u-"), "{id}: {link}");
    }
    let recent = entries(&page(&out, "services/webmail/index.html"));
    assert!(recent.iter().any(|(_, has_text, link)| *has_text && link.is_some()), "{recent:?}");
}

#[test]
fn site_theme_overrides_a_single_template_and_strings() {
    let dir = example_copy();
    let t = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(
        t.join("guides.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Eigene Liste</h1>{% endblock main %}",
    )
    .unwrap();
    std::fs::write(dir.path().join("themes/default/i18n.yaml"), "en:\n  guides: Handbooks\n").unwrap();
    let out = dir.path().join("public");
    build(dir.path(), &out, &opts()).unwrap();
    assert_eq!(texts(&page(&out, "guides/index.html"), "h1"), vec!["Eigene Liste"]);
    let en = page(&out, "en/index.html");
    assert!(texts(&en, "nav.main-nav a").contains(&"Handbooks".to_string()));
}

/// The markup made in Rust (timeline entries, incident updates, the lines of incident
/// lists) escapes the theme's strings as the templates did.
#[test]
fn markup_made_in_rust_escapes_theme_strings() {
    let dir = example_copy();
    std::fs::create_dir_all(dir.path().join("themes/default")).unwrap();
    let odd = r#"<b>Meldung</b> & "Co" 'x'"#;
    std::fs::write(
        dir.path().join("themes/default/i18n.yaml"),
        format!(
            "de:\n  via_incident: '{0}'\n  set_state: '{0}'\n  kind_incident: '{0}'\n",
            odd.replace('\'', "''")
        ),
    )
    .unwrap();
    let out = build_at(dir.path(), "2022-12-20T12:00:00+01:00");
    let service = page(&out, "services/webmail/index.html");
    let heads = texts(&service, "ol.updates li.update .update-head");
    assert!(heads.iter().any(|h| h.contains(odd)), "{heads:?}");
    assert_eq!(service.select(&sel("ol.updates b")).count(), 0);
    let listed = texts(&service, "section ul.plain li");
    assert!(listed.iter().any(|l| l.contains(odd)), "{listed:?}");
    assert_eq!(service.select(&sel("section ul.plain b")).count(), 0);
    let archive = page(&out, "incidents/index.html");
    assert!(texts(&archive, "ul.archive li").iter().any(|l| l.contains(odd)));
    assert_eq!(archive.select(&sel("ul.archive b")).count(), 0);
    let incident = page(&out, "incidents/cyberattack-2022-11/index.html");
    let labels: Vec<&str> =
        incident.select(&sel("ul.changes")).filter_map(|u| u.value().attr("aria-label")).collect();
    assert!(!labels.is_empty() && labels.iter().all(|l| *l == odd), "{labels:?}");
    assert_eq!(incident.select(&sel("ol.updates b")).count(), 0);
}

/// `templates/shared/*.html` render once per language and depth, so their relative links
/// and UI strings must still be right on every page; a site adds or overrides them like
/// any template.
#[test]
fn shared_templates_are_rendered_per_language_and_depth() {
    let dir = example_copy();
    let t = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(t.join("shared")).unwrap();
    std::fs::write(
        t.join("shared/footer.html"),
        "<p class=\"own\"><a href=\"{{ site.home }}\">{{ t.status }}</a></p>",
    )
    .unwrap();
    let out = dir.path().join("public");
    build(dir.path(), &out, &opts()).unwrap();
    let own = |rel: &str| -> (Vec<String>, Vec<String>) {
        let doc = page(&out, rel);
        let hrefs = doc
            .select(&sel("footer p.own a"))
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        (hrefs, texts(&doc, "footer p.own"))
    };
    assert_eq!(own("index.html"), (vec!["./".to_string()], vec!["Status".to_string()]));
    assert_eq!(
        own("incidents/exchange-data-restore/index.html"),
        (vec!["../../".to_string()], vec!["Status".to_string()])
    );
    // Links within a language start from its root: `en/` is not climbed out of.
    assert_eq!(own("en/incidents/exchange-data-restore/index.html").0, vec!["../../".to_string()]);
    // The other shared parts of the built-in theme are still there.
    let front = page(&out, "index.html");
    assert_eq!(front.select(&sel(".pinned article.notice")).count(), 3);
    assert_eq!(front.select(&sel("head link[type='application/atom+xml']")).count(), 1);
    assert_eq!(front.select(&sel("p.subscribe")).count(), 0, "the footer was replaced");

    std::fs::write(t.join("shared/footer.html"), "{{ site.nowhere.deeper }}").unwrap();
    let err = render_site(dir.path(), &opts()).err().expect("must fail");
    let err = aushang::diagnostics::error_chain(&err);
    assert!(err.contains("shared/footer.html"), "{err}");
}

#[test]
fn broken_theme_template_is_an_error_not_a_panic() {
    let dir = example_copy();
    let t = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(t.join("index.html"), "{% if %}").unwrap();
    let err = render_site(dir.path(), &opts()).err().expect("must fail");
    let err = aushang::diagnostics::error_chain(&err);
    assert!(err.contains("themes/default/templates") && err.contains("{% if %}"), "{err}");
}

#[test]
fn check_reports_broken_internal_links_once_per_target() {
    let dir = example_copy();
    let notice = dir.path().join("content/notices/resend-mail.de.md");
    let mut text = std::fs::read_to_string(&notice).unwrap();
    text.push_str("\n[kaputt](/guides/nope/) und [Anker](/guides/imap-settings/#fehlt)\n");
    std::fs::write(&notice, text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aushang"))
        .args(["check", "--now", NOW, "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines.iter().any(|l| l.contains("broken link `/guides/nope/`") && l.contains("no such file")),
        "{stderr}"
    );
    assert!(lines.iter().any(|l| l.contains("no element with id `fehlt`")), "{stderr}");
    assert!(lines.iter().all(|l| l.starts_with("public/") && l.contains(".html:")), "{stderr}");
}

/// Regression: code in an incident update was highlighted, but the incident page did not
/// link the stylesheet with the highlighting colours.
#[test]
fn incident_page_with_code_links_the_highlighting_stylesheet() {
    let dir = example_copy();
    let path = dir.path().join("content/incidents/exchange-data-restore.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let with_code = format!(
        "{text}  - at: 2026-11-27T10:00:00+01:00\n    phase: identified\n    text: |\n      ```sh\n      mount /dev/sdb1 /restore\n      ```\n"
    );
    std::fs::write(&path, with_code).unwrap();
    let out = dir.path().join("public");
    build(dir.path(), &out, &opts()).unwrap();
    let links = |rel: &str| -> Vec<String> {
        page(&out, rel)
            .select(&sel("link[rel=stylesheet]"))
            .filter_map(|l| l.value().attr("href").map(str::to_string))
            .collect()
    };
    let incident = page(&out, "incidents/exchange-data-restore/index.html");
    assert!(incident.select(&sel("pre.code span[class^=hl-]")).next().is_some(), "code not highlighted");
    assert!(links("incidents/exchange-data-restore/index.html").contains(&"../../highlight.css".to_string()));
    assert!(out.join("highlight.css").is_file());
    // A page without code does not load it.
    assert!(!links("notices/resend-mail/index.html").iter().any(|h| h.ends_with("highlight.css")));
}

/// Incident pages show the state the incident set for each service, so an old incident's
/// page does not change when a service's state changes later.
#[test]
fn incident_page_shows_the_state_it_set_not_the_current_one() {
    let dir = example_copy();
    let out = dir.path().join("public");
    build(dir.path(), &out, &opts()).unwrap();
    let before = std::fs::read(out.join("incidents/cyberattack-2022-11/index.html")).unwrap();
    let front_before = std::fs::read(out.join("index.html")).unwrap();
    let webmail = dir.path().join("content/services/webmail.yaml");
    let text = std::fs::read_to_string(&webmail).unwrap();
    std::fs::write(
        &webmail,
        format!("{text}  - at: 2026-11-27T11:00:00+01:00\n    status: major_outage\n    text: Test.\n"),
    )
    .unwrap();
    build(dir.path(), &out, &opts()).unwrap();
    let after = std::fs::read(out.join("incidents/cyberattack-2022-11/index.html")).unwrap();
    assert!(before == after, "an old incident page changed with a service's state");
    let front_after = std::fs::read(out.join("index.html")).unwrap();
    assert!(front_before != front_after, "the front page shows the new state");
}

/// The theme's strings are text wherever they go: markup in them is escaped on every
/// page, and a number is the text of the number.
#[test]
fn theme_strings_are_escaped_text() {
    let site = example_copy();
    std::fs::create_dir_all(site.path().join("themes/default")).unwrap();
    std::fs::write(
        site.path().join("themes/default/i18n.yaml"),
        "de:\n  phase: 5\n  ongoing: '<b>läuft</b> & \"so\"'\n  via_incident: '<i>aus</i>'\n",
    )
    .unwrap();
    let o = BuildOptions { now: Some("2022-11-28T12:00:00+01:00".into()), ..Default::default() };
    let files = render_site(site.path(), &o).unwrap().files;
    let page = |path: &str| {
        let f = files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}"));
        String::from_utf8_lossy(&f.bytes).into_owned()
    };
    let incident = page("incidents/cyberattack-2022-11/index.html");
    assert!(incident.contains("<dt>5</dt>"), "{incident}");
    assert!(incident.contains("&lt;b&gt;läuft&lt;/b&gt; &amp; &quot;so&quot;"), "{incident}");
    assert!(!incident.contains("<b>läuft"));
    let service = page("services/exchange/index.html");
    assert!(service.contains("&lt;i&gt;aus&lt;/i&gt;"), "{service}");
}
