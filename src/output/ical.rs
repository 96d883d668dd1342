//! `maintenance.ics`: the scheduled maintenance windows as an iCalendar feed (RFC 5545)
//! that people subscribe to in their calendar. Times in UTC (no VTIMEZONE needed), text
//! in every language, and nothing that depends on the clock: DTSTAMP is the time of the
//! maintenance's latest update, so an unchanged maintenance gives unchanged bytes.

use super::{BuildContext, OutputFile};
use crate::model::IncidentKind;
use chrono::{DateTime, Utc};

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
    for ii in events(ctx) {
        if let Some(ev) = event(ctx, ii) {
            ics.push_str(&ev);
        }
    }
    ics.push_str(&fold("END:VCALENDAR"));
    vec![OutputFile::new("maintenance.ics", ics)]
}

#[cfg(test)]
mod tests {
    use super::*;

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
