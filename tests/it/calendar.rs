//! `maintenance.ics` read back as a tree of components by a strict RFC 5545 reader (the
//! grammar of 3.4 and 3.6: a calendar holds at least one component; a VTIMEZONE its TZID
//! and at least one STANDARD or DAYLIGHT part), for sites with and without maintenance.

use crate::common::TestSite;
use crate::machine_readable::ics_lines;
use chrono::{DateTime, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, Tz};

/// One component: its name, its properties as (name, params, value), its components.
#[derive(Debug, Default)]
pub struct Component {
    pub name: String,
    pub props: Vec<(String, String, String)>,
    pub children: Vec<Component>,
}

impl Component {
    /// The value of a property that must be there exactly once.
    pub fn one(&self, name: &str) -> &str {
        let found: Vec<&str> = self.props.iter().filter(|p| p.0 == name).map(|p| p.2.as_str()).collect();
        assert_eq!(found.len(), 1, "{} needs one {name}: {self:?}", self.name);
        found[0]
    }
}

/// The calendar in `bytes` as its VCALENDAR, checked against RFC 5545's grammar as far as
/// aushang writes it; fails the test otherwise.
pub fn parse(bytes: &[u8]) -> Component {
    let mut stack: Vec<Component> = Vec::new();
    let mut top: Vec<Component> = Vec::new();
    for (name, params, value) in ics_lines(bytes) {
        match name.as_str() {
            "BEGIN" => stack.push(Component { name: value, ..Default::default() }),
            "END" => {
                let done = stack.pop().unwrap_or_else(|| panic!("END:{value} without BEGIN"));
                assert_eq!(done.name, value, "END does not match BEGIN");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => top.push(done),
                }
            }
            _ => stack
                .last_mut()
                .unwrap_or_else(|| panic!("{name} outside VCALENDAR"))
                .props
                .push((name, params, value)),
        }
    }
    assert!(stack.is_empty(), "unterminated {:?}", stack.last().map(|c| &c.name));
    assert_eq!(top.len(), 1, "one VCALENDAR");
    let cal = top.remove(0);
    assert_eq!(cal.name, "VCALENDAR");
    assert_eq!(cal.one("VERSION"), "2.0");
    cal.one("PRODID");
    assert!(!cal.children.is_empty(), "RFC 5545 3.6: a calendar holds at least one component");
    for c in &cal.children {
        match c.name.as_str() {
            "VEVENT" => {
                assert!(c.children.is_empty(), "{c:?}");
                c.one("UID");
                c.one("DTSTAMP");
            }
            "VTIMEZONE" => check_vtimezone(c),
            other => panic!("unexpected component {other}"),
        }
    }
    cal
}

/// `+0100`, `-0330`, `+013045` (RFC 5545 3.3.14) as seconds east of UTC; never `-0000`.
fn utc_offset(v: &str) -> i32 {
    let ok = matches!(v.len(), 5 | 7) && v[1..].bytes().all(|b| b.is_ascii_digit());
    assert!(ok && (v.starts_with('+') || v.starts_with('-')), "bad UTC offset {v:?}");
    assert_ne!(v, "-0000");
    let n = |r: std::ops::Range<usize>| v.get(r).map_or(0, |d| d.parse::<i32>().unwrap());
    let secs = n(1..3) * 3600 + n(3..5) * 60 + n(5..7);
    if v.starts_with('-') {
        -secs
    } else {
        secs
    }
}

fn check_vtimezone(tz: &Component) {
    tz.one("TZID");
    assert!(!tz.children.is_empty(), "a VTIMEZONE holds at least one STANDARD or DAYLIGHT");
    for part in &tz.children {
        assert!(matches!(part.name.as_str(), "STANDARD" | "DAYLIGHT"), "{part:?}");
        assert!(part.children.is_empty(), "{part:?}");
        // A local date-time: no `Z`, no TZID parameter.
        NaiveDateTime::parse_from_str(part.one("DTSTART"), "%Y%m%dT%H%M%S")
            .unwrap_or_else(|e| panic!("{part:?}: {e}"));
        utc_offset(part.one("TZOFFSETFROM"));
        utc_offset(part.one("TZOFFSETTO"));
    }
}

const NOW: &str = "2026-11-27T12:00:00+01:00";

/// A site with one service and no maintenance in `zone`.
fn site_without_maintenance(zone: &str) -> TestSite {
    let site = TestSite::empty();
    site.write(
        "content/site.yaml",
        format!("title: T\nbase_url: https://t.example/\nlanguages: [de, en]\ntimezone: {zone}\n"),
    );
    site.write("content/services/mail.yaml", "name: Mail\n");
    site
}

/// Without maintenance the calendar holds the site's time zone, and what it says of the
/// zone is what the zone data says: at each onset the offset changes from TZOFFSETFROM to
/// TZOFFSETTO, and the parts cover the year of "now" and the next.
#[test]
fn a_calendar_without_maintenance_holds_the_site_time_zone() {
    for (zone, changes) in [("Europe/Berlin", 4), ("America/New_York", 4), ("Asia/Kolkata", 0), ("UTC", 0)] {
        let site = site_without_maintenance(zone);
        site.run(&["build", "--now", NOW]).assert_code(0);
        let bytes = std::fs::read(site.path("public/maintenance.ics")).unwrap();
        let cal = parse(&bytes);
        assert_eq!(cal.children.len(), 1, "{zone}: {cal:?}");
        let vtz = &cal.children[0];
        assert_eq!(vtz.name, "VTIMEZONE");
        assert_eq!(vtz.one("TZID"), zone);
        let tz: Tz = zone.parse().unwrap();
        let mut onsets = Vec::new();
        for part in &vtz.children {
            let (from, to) = (utc_offset(part.one("TZOFFSETFROM")), utc_offset(part.one("TZOFFSETTO")));
            let local = NaiveDateTime::parse_from_str(part.one("DTSTART"), "%Y%m%dT%H%M%S").unwrap();
            let onset: DateTime<Utc> =
                Utc.from_utc_datetime(&(local - chrono::Duration::seconds(from.into())));
            let offset_at = |t: DateTime<Utc>| t.with_timezone(&tz).offset().fix().local_minus_utc();
            assert_eq!(offset_at(onset), to, "{zone}: {part:?}");
            assert_eq!(offset_at(onset - chrono::Duration::seconds(1)), from, "{zone}: {part:?}");
            let dst = !t_dst(&tz, onset).is_zero();
            assert_eq!(part.name == "DAYLIGHT", dst, "{zone}: {part:?}");
            onsets.push(onset);
        }
        assert!(onsets.windows(2).all(|w| w[0] < w[1]), "{zone}: in order");
        assert_eq!(onsets.len(), changes + 1, "{zone}: {vtz:?}");
        let first = onsets[0].with_timezone(&tz);
        assert_eq!(first.format("%Y-%m-%d %H:%M").to_string(), "2026-01-01 00:00", "{zone}");
    }
}

fn t_dst(tz: &Tz, t: DateTime<Utc>) -> chrono::Duration {
    t.with_timezone(tz).offset().dst_offset()
}

/// An incident is no maintenance: its calendar holds the time zone. A maintenance makes
/// the calendar what it was, events only.
#[test]
fn the_time_zone_stands_in_only_when_there_is_no_maintenance() {
    let site = site_without_maintenance("Europe/Berlin");
    let incident = "kind: incident\ntitle: Störung\nservices: [mail]\n\
                    updates:\n  - at: 2026-11-20T10:00:00+01:00\n    phase: investigating\n    text: Wir prüfen.\n";
    site.write("content/incidents/stoerung.yaml", incident);
    let components = || {
        site.run(&["build", "--now", NOW]).assert_code(0);
        let cal = parse(&std::fs::read(site.path("public/maintenance.ics")).unwrap());
        cal.children.iter().map(|c| c.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(components(), ["VTIMEZONE"]);
    let maintenance = "kind: maintenance\ntitle: Wartung\nservices: [mail]\n\
                       scheduled: { from: 2026-12-01T06:00:00+01:00, until: 2026-12-01T08:00:00+01:00 }\n\
                       updates:\n  - at: 2026-11-20T10:00:00+01:00\n    phase: scheduled\n    text: Geplant.\n";
    site.write("content/incidents/wartung.yaml", maintenance);
    assert_eq!(components(), ["VEVENT"]);
}
