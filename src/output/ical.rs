//! `maintenance.ics`: the scheduled maintenance windows as an iCalendar feed (RFC 5545)
//! that people subscribe to in their calendar. Times in UTC (no VTIMEZONE needed), text
//! in every language, and nothing that depends on the clock: DTSTAMP is the time of the
//! maintenance's latest update, so an unchanged maintenance gives unchanged bytes.
//!
//! A calendar holds at least one component (RFC 5545 3.6). Without a maintenance to show,
//! it holds the site's time zone ([`vtimezone`]) rather than an invented event.

use super::{BuildContext, OutputFile};
use crate::model::IncidentKind;
use chrono::{DateTime, Datelike, FixedOffset, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz, TzOffset};

/// Past maintenances kept in the calendar besides the running and upcoming ones.
const MAX_EVENTS: usize = 50;

/// RFC 5545 3.3.11: in TEXT values, `\`, `;` and `,` are escaped and line breaks become
/// `\n`. Control characters other than line breaks are not allowed in a value at all.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// RFC 5545 3.1: lines longer than 75 octets are folded with CRLF and one space. The
/// split never falls inside a UTF-8 sequence (that would make both halves invalid).
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 64 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

/// `20221210T070000Z`.
fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Which maintenances go into the calendar: every running and upcoming one, and the
/// newest past ones, so the file does not grow without bound.
fn events(ctx: &BuildContext) -> Vec<usize> {
    let site = ctx.site;
    let d = ctx.derived;
    let mut ids: Vec<usize> = (0..site.incidents.len())
        .filter(|&i| {
            let inc = &site.incidents[i];
            inc.kind == IncidentKind::Maintenance
                && inc.scheduled.is_some()
                && (d.incidents[i].published > 0
                    || d.active_maintenance.contains(&i)
                    || d.upcoming_maintenance.contains(&i))
        })
        .collect();
    ids.sort_by_key(|&i| std::cmp::Reverse((site.incidents[i].scheduled.map(|w| w.from), i)));
    ids.into_iter()
        .enumerate()
        .filter(|&(n, i)| n < MAX_EVENTS || d.incidents[i].open)
        .map(|(_, i)| i)
        .collect()
}

fn event(ctx: &BuildContext, ii: usize) -> Option<String> {
    let inc = &ctx.site.incidents[ii];
    let view = &ctx.derived.incidents[ii];
    let w = inc.scheduled?;
    let published = &inc.updates[..view.published.min(inc.updates.len())];
    let stamp = published.last().map(|u| u.at).or(ctx.derived.last_updated).unwrap_or(ctx.derived.now);
    let langs = 0..ctx.languages().len();

    // "Titel / Title": each language once, in configured order.
    let mut titles: Vec<String> = Vec::new();
    for lang in langs.clone() {
        let t = ctx.plain(&inc.title, lang);
        if !titles.contains(&t) {
            titles.push(t);
        }
    }
    // Per language: the title, the phase and latest text, and the page in that language.
    let latest = published.iter().rev().find(|u| u.text.is_some());
    let description: Vec<String> = langs
        .clone()
        .map(|lang| {
            let mut part = format!("{} ({})", ctx.plain(&inc.title, lang), ctx.phase_label(view.phase, lang));
            let text = latest
                .and_then(|u| u.text.as_ref())
                .or(inc.description.as_ref())
                .map(|t| ctx.plain(t, lang))
                .filter(|t| !t.is_empty());
            if let Some(t) = text {
                part.push('\n');
                part.push_str(&t);
            }
            part.push('\n');
            part.push_str(&ctx.lang_url(lang, &format!("incidents/{}/", inc.id)));
            part
        })
        .collect();
    let services: Vec<String> = ctx
        .site
        .services
        .iter()
        .filter(|s| inc.services.contains(&s.id))
        .map(|s| escape_text(&ctx.plain(&s.name, 0)))
        .collect();

    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", escape_text(&format!("{}@{}", inc.id, ctx.site_host()))),
        format!("DTSTAMP:{}", utc(stamp)),
        format!("DTSTART:{}", utc(w.from)),
        format!("DTEND:{}", utc(w.until)),
        format!("SUMMARY:{}", escape_text(&titles.join(" / "))),
        format!("DESCRIPTION:{}", escape_text(&description.join("\n\n"))),
        format!("URL:{}", ctx.lang_url(0, &format!("incidents/{}/", inc.id))),
        // Completed maintenance stays CONFIRMED: it did take place.
        "STATUS:CONFIRMED".to_string(),
        format!("SEQUENCE:{}", published.len()),
        "TRANSP:OPAQUE".to_string(),
    ];
    if let Some(first) = published.first() {
        lines.push(format!("CREATED:{}", utc(first.at)));
        lines.push(format!("LAST-MODIFIED:{}", utc(stamp)));
    }
    if !services.is_empty() {
        // CATEGORIES is a list: its commas separate values, so each name is escaped alone.
        lines.push(format!("CATEGORIES:{}", services.join(",")));
    }
    lines.push("END:VEVENT".to_string());
    Some(lines.iter().map(|l| fold(l)).collect())
}

/// The zone `tz` as a VTIMEZONE (RFC 5545 3.6.5) for the year of `now` (in that zone)
/// and the next: the offset in force at midnight on 1 January, then each change of
/// offset, found in the zone data to the second. The same content and "now" give the
/// same bytes.
fn vtimezone(tz: Tz, now: DateTime<Utc>) -> String {
    let year = now.with_timezone(&tz).year();
    let midnight = |year| {
        tz.with_ymd_and_hms(year, 1, 1, 0, 0, 0)
            .earliest()
            .map(|t| t.timestamp())
            .or_else(|| Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).single().map(|t| t.timestamp()))
            .unwrap_or_else(|| now.timestamp())
    };
    let (start, end) = (midnight(year), midnight(year + 2));
    let offset_at = |secs: i64| {
        let t = DateTime::from_timestamp(secs, 0).unwrap_or(now);
        tz.offset_from_utc_datetime(&t.naive_utc())
    };
    let same = |a: &TzOffset, b: &TzOffset| a.fix() == b.fix() && a.dst_offset() == b.dst_offset();
    let mut lines = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{}", escape_text(tz.name()))];
    let first = offset_at(start);
    observance(&mut lines, start, &first, &first);
    const DAY: i64 = 86_400;
    let mut day = start;
    while day < end {
        let before = offset_at(day);
        if !same(&before, &offset_at(day + DAY)) {
            // The first second of the new offset: `before` holds at `lo`, not at `hi`.
            let (mut lo, mut hi) = (day, day + DAY);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if same(&offset_at(mid), &before) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            observance(&mut lines, hi, &before, &offset_at(hi));
        }
        day += DAY;
    }
    lines.push("END:VTIMEZONE".to_string());
    lines.iter().map(|l| fold(l)).collect()
}

/// One STANDARD or DAYLIGHT part of a VTIMEZONE: from `onset` (seconds since the epoch)
/// on, the offset is `to`. DTSTART is the local time of the onset in the offset before it.
fn observance(lines: &mut Vec<String>, onset: i64, from: &TzOffset, to: &TzOffset) {
    let kind = if to.dst_offset().is_zero() { "STANDARD" } else { "DAYLIGHT" };
    let local = DateTime::from_timestamp(onset, 0).unwrap_or_default().with_timezone(&from.fix());
    lines.push(format!("BEGIN:{kind}"));
    lines.push(format!("DTSTART:{}", local.format("%Y%m%dT%H%M%S")));
    lines.push(format!("TZOFFSETFROM:{}", utc_offset(from.fix())));
    lines.push(format!("TZOFFSETTO:{}", utc_offset(to.fix())));
    if let Some(name) = to.abbreviation().filter(|n| !n.is_empty()) {
        lines.push(format!("TZNAME:{}", escape_text(name)));
    }
    lines.push(format!("END:{kind}"));
}

/// `+0100`, `-0330`, `+013045` with seconds where there are any (RFC 5545 3.3.14; never
/// `-0000`).
fn utc_offset(offset: FixedOffset) -> String {
    let secs = offset.local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.unsigned_abs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

pub fn files(ctx: &BuildContext) -> Vec<OutputFile> {
    let title = ctx.plain(&ctx.site.config.title, 0);
    let words: Vec<&str> = {
        let mut w: Vec<&str> = Vec::new();
        for lang in 0..ctx.languages().len() {
            let x = ctx.strings(lang).get("calendar_name");
            if !w.contains(&x) {
                w.push(x);
            }
        }
        w
    };
    let mut ics = String::new();
    for l in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//aushang//aushang status site//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape_text(&format!("{title} – {}", words.join(" / ")))),
        // Calendar clients re-fetch a subscription this often (RFC 7986, and Outlook's
        // older property): changes to a window reach subscribers within the hour.
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H".to_string(),
        "X-PUBLISHED-TTL:PT1H".to_string(),
    ] {
        ics.push_str(&fold(&l));
    }
    let events: Vec<String> = events(ctx).into_iter().filter_map(|ii| event(ctx, ii)).collect();
    if events.is_empty() {
        ics.push_str(&vtimezone(ctx.site.config.timezone, ctx.derived.now));
    }
    for ev in events {
        ics.push_str(&ev);
    }
    ics.push_str(&fold("END:VCALENDAR"));
    vec![OutputFile::new("maintenance.ics", ics)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vtimezone_lines(tz: Tz, now: &str) -> Vec<String> {
        let now = DateTime::parse_from_rfc3339(now).unwrap().with_timezone(&Utc);
        vtimezone(tz, now).split("\r\n").filter(|l| !l.is_empty()).map(str::to_string).collect()
    }

    #[test]
    fn time_zones_with_their_changes() {
        let berlin = vtimezone_lines(chrono_tz::Europe::Berlin, "2026-11-27T12:00:00Z");
        assert_eq!(
            berlin.join("\n"),
            "BEGIN:VTIMEZONE\nTZID:Europe/Berlin\n\
             BEGIN:STANDARD\nDTSTART:20260101T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0100\nTZNAME:CET\nEND:STANDARD\n\
             BEGIN:DAYLIGHT\nDTSTART:20260329T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST\nEND:DAYLIGHT\n\
             BEGIN:STANDARD\nDTSTART:20261025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\nEND:STANDARD\n\
             BEGIN:DAYLIGHT\nDTSTART:20270328T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST\nEND:DAYLIGHT\n\
             BEGIN:STANDARD\nDTSTART:20271031T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\nEND:STANDARD\n\
             END:VTIMEZONE"
        );
        // No changes: the one offset. The year is that of "now" in the zone.
        let utc = vtimezone_lines(chrono_tz::UTC, "2025-12-31T23:30:00Z");
        assert_eq!(
            utc.join("\n"),
            "BEGIN:VTIMEZONE\nTZID:UTC\nBEGIN:STANDARD\nDTSTART:20250101T000000\nTZOFFSETFROM:+0000\n\
             TZOFFSETTO:+0000\nTZNAME:UTC\nEND:STANDARD\nEND:VTIMEZONE"
        );
        let tokyo = vtimezone_lines(chrono_tz::Asia::Tokyo, "2025-12-31T23:30:00Z");
        assert!(tokyo.contains(&"DTSTART:20260101T000000".to_string()), "{tokyo:?}");
        // South of the equator, with a half-hour offset and a half-hour change.
        let lord_howe = vtimezone_lines(chrono_tz::Australia::Lord_Howe, "2026-06-01T00:00:00Z");
        assert!(lord_howe.contains(&"TZOFFSETFROM:+1100".to_string()), "{lord_howe:?}");
        assert!(lord_howe.contains(&"TZOFFSETTO:+1030".to_string()), "{lord_howe:?}");
        assert_eq!(lord_howe.iter().filter(|l| l.starts_with("BEGIN:DAYLIGHT")).count(), 3, "{lord_howe:?}");
        assert_eq!(utc_offset(FixedOffset::west_opt(3 * 3600 + 30 * 60).unwrap()), "-0330");
        assert_eq!(utc_offset(FixedOffset::east_opt(3600 + 30 * 60 + 45).unwrap()), "+013045");
    }

    #[test]
    fn text_escapes() {
        assert_eq!(escape_text("a\\b;c,d\ne\r\nf\u{7}"), "a\\\\b\\;c\\,d\\ne\\nf");
    }

    #[test]
    fn folds_on_char_boundaries() {
        let line = format!("DESCRIPTION:{}", "ä".repeat(100));
        let folded = fold(&line);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }
}
