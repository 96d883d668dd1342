//! The maintenance calendar, read back with the strict RFC 5545 reader.

use super::*;

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
