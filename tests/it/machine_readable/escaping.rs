//! Hostile text in the content comes out as data in every machine-readable format.

use super::*;

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
