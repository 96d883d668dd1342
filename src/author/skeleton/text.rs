//! The text of each skeleton: real starting text in every site language, each field
//! explained in a comment, and times and references that pass `check` on the site.

use super::{NewKind, SiteInfo};
use crate::author::yaml::{prose as scalar, word};
use crate::model::time::write_timestamp as stamp;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt::Write as _;
use std::path::PathBuf;

/// German text for `de`, English for every other language (a site in, say, French gets
/// English starting text rather than none).
fn pick<'a>(lang: &str, de: &'a str, en: &'a str) -> &'a str {
    if lang == "de" {
        de
    } else {
        en
    }
}

/// `{ de: Anleitung, en: Guide }` for the site's languages, for comments.
fn map_example(langs: &[String], de: &str, en: &str) -> String {
    let parts: Vec<String> = langs.iter().map(|l| format!("{l}: {}", pick(l, de, en))).collect();
    format!("{{ {} }}", parts.join(", "))
}

/// The text options of `aushang update` for the site's languages, for comments.
fn text_flags(langs: &[String]) -> String {
    let flags: Vec<String> = langs
        .iter()
        .map(|l| match l.as_str() {
            "de" | "en" => format!("--{l} \"...\""),
            _ => format!("--lang-text {l}=\"...\""),
        })
        .collect();
    flags.join(" ")
}

/// `key:` followed by one line per language, indented by `indent` spaces.
fn localized(out: &mut String, indent: usize, key: &str, langs: &[String], de: &str, en: &str) {
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}{key}:");
    for l in langs {
        let _ = writeln!(out, "{pad}  {}: {}", word(l), scalar(pick(l, de, en)));
    }
}

pub(super) fn skeleton_files(
    kind: NewKind,
    id: &str,
    info: &SiteInfo,
    now: DateTime<Utc>,
) -> Vec<(PathBuf, String)> {
    match kind {
        NewKind::Service => vec![(PathBuf::from("services").join(format!("{id}.yaml")), service(id, info))],
        NewKind::Incident | NewKind::Maintenance => {
            vec![(PathBuf::from("incidents").join(format!("{id}.yaml")), incident(kind, id, info, now))]
        }
        NewKind::Notice => info
            .languages
            .iter()
            .map(|l| (PathBuf::from("notices").join(format!("{id}.{l}.md")), notice(id, l, info, now)))
            .collect(),
        NewKind::Guide => info
            .languages
            .iter()
            .map(|l| (PathBuf::from("guides").join(format!("{id}.{l}.md")), guide(id, l, info, now)))
            .collect(),
    }
}

fn service(id: &str, info: &SiteInfo) -> String {
    let langs = &info.languages;
    let mut s = String::new();
    let _ = writeln!(s, "# Service `{id}`: one row on the status page, with its own page and history.");
    let _ = writeln!(
        s,
        "# Every text is one string for all languages or a map {}.\n",
        map_example(langs, "...", "...")
    );
    s.push_str("# The name readers see.\n");
    localized(&mut s, 0, "name", langs, "Neuer Dienst", "New service");
    match &info.first_group {
        Some(g) => {
            s.push_str("# The group it is listed under: an `id` from `groups:` in site.yaml.\n");
            let _ = writeln!(s, "group: {}", word(g));
        }
        None => s.push_str("# group: mail                     # only when site.yaml defines `groups:`\n"),
    }
    s.push_str("# Optional: what the service is for and who uses it (Markdown).\n");
    localized(
        &mut s,
        0,
        "description",
        langs,
        "Beschreibung des Dienstes, wofür er genutzt wird und wer ihn nutzen kann.",
        "Description of the service, what it is used for and who can use it.",
    );
    s.push_str("order: 100                        # optional; position within the group, smaller first\n");
    s.push_str("# Optional: links on the service page, to a guide (its slug) or to any URL.\n# links:\n");
    let _ = writeln!(s, "#   - label: {}", map_example(langs, "Anleitung", "Guide"));
    s.push_str("#     guide: <slug of a file in content/guides/>\n");
    let _ = writeln!(s, "#   - label: {}", map_example(langs, "Webseite", "Website"));
    s.push_str("#     url: https://www.example.org/\n");
    s.push_str(
        "# The service's own news, in any order (the generator sorts by time). Its current state\n\
         # is that of the latest update at or before \"now\", merged with the `set:` of incidents;\n\
         # without any update it is `operational`. Post one with\n",
    );
    let _ = writeln!(s, "#   aushang update {id} --status degraded {}", text_flags(langs));
    let _ = writeln!(s, "# States: {}.", info.states.join(", "));
    s.push_str("updates: []\n");
    s
}

fn incident(kind: NewKind, id: &str, info: &SiteInfo, now: DateTime<Utc>) -> String {
    let langs = &info.languages;
    let maintenance = kind == NewKind::Maintenance;
    let mut s = String::new();
    if maintenance {
        let _ = writeln!(s, "# Scheduled maintenance `{id}`: announced ahead, with a time window.");
    } else {
        let _ = writeln!(s, "# Incident `{id}`: a disruption and its timeline, open until `resolved`.");
    }
    let _ = writeln!(
        s,
        "# Every text is one string for all languages or a map {}.\n",
        map_example(langs, "...", "...")
    );
    if maintenance {
        localized(&mut s, 0, "title", langs, "Wartungsarbeiten", "Scheduled maintenance");
    } else {
        localized(&mut s, 0, "title", langs, "Störung eines Dienstes", "Service disruption");
    }
    if maintenance {
        s.push_str("kind: maintenance                 # incident | maintenance\n");
    } else {
        s.push_str("kind: incident                    # incident | maintenance\n");
    }
    s.push_str("# Affected services: ids of files in content/services/; their pages link here.\n");
    match &info.first_service {
        Some(svc) => {
            let _ = writeln!(s, "services: [{}]", word(svc));
        }
        None => s.push_str("services: []                      # no services exist yet; add their ids here\n"),
    }
    s.push_str("# Optional: background that does not change over time (Markdown).\n");
    let _ = writeln!(s, "# description: {}", map_example(langs, "...", "..."));
    let window = if maintenance { Some(next_week_evening(now, info.tz)) } else { None };
    if let Some((from, until)) = window {
        s.push_str("# The announced window; times in the site's timezone, with their offset.\n");
        s.push_str("scheduled:\n");
        let _ = writeln!(s, "  from: {}", stamp(from, info.tz));
        let _ = writeln!(s, "  until: {}", stamp(until, info.tz));
    }
    s.push_str("# The timeline, in any order (the generator sorts by time). Add an update with\n");
    let example_set = info.first_service.as_deref().map(word).unwrap_or_else(|| "mail".into());
    if maintenance {
        let _ = writeln!(
            s,
            "#   aushang update {id} --phase in_progress --set {example_set}=maintenance {}",
            text_flags(langs)
        );
    } else {
        let _ = writeln!(
            s,
            "#   aushang update {id} --phase identified --set {example_set}=major_outage {}",
            text_flags(langs)
        );
    }
    s.push_str("updates:\n");
    let _ = writeln!(s, "  - at: {}", stamp(now, info.tz));
    if maintenance {
        s.push_str("    phase: scheduled              # scheduled | in_progress | completed\n");
    } else {
        s.push_str(
            "    phase: investigating          # investigating | identified | monitoring | resolved\n",
        );
    }
    s.push_str("    # Optional: change services' states at this instant (they must exist), e.g.\n");
    let example_state = if maintenance { "maintenance" } else { "major_outage" };
    let _ = writeln!(s, "    # set: {{ {example_set}: {example_state} }}");
    match window {
        Some((from, until)) => {
            let local_from = from.with_timezone(&info.tz);
            let local_until = until.with_timezone(&info.tz);
            let de = format!(
                "Wegen Wartungsarbeiten ist der Dienst am {} von {} bis {} Uhr nicht verfügbar.",
                local_from.format("%d.%m.%Y"),
                local_from.format("%H:%M"),
                local_until.format("%H:%M")
            );
            let en = format!(
                "Because of maintenance work the service is unavailable on {} {} {} from {} to {}.",
                local_from.day(),
                local_from.format("%b"),
                local_from.year(),
                local_from.format("%H:%M"),
                local_until.format("%H:%M")
            );
            localized(&mut s, 4, "text", langs, &de, &en);
        }
        None => localized(
            &mut s,
            4,
            "text",
            langs,
            "Wir untersuchen eine Störung und informieren hier über den weiteren Verlauf.",
            "We are investigating a disruption and will post updates here.",
        ),
    }
    s
}

/// 18:00–22:00 local time, seven days from now: a typical evening window, far enough
/// ahead to be "upcoming" on the status page.
fn next_week_evening(now: DateTime<Utc>, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let day: NaiveDate = now.with_timezone(&tz).date_naive() + Duration::days(7);
    let at = |h: u32| day.and_hms_opt(h, 0, 0).and_then(|t| tz.from_local_datetime(&t).earliest());
    let from = at(18).or_else(|| at(19)).map(|t| t.with_timezone(&Utc)).unwrap_or(now + Duration::days(7));
    let until =
        at(22).map(|t| t.with_timezone(&Utc)).filter(|u| *u > from).unwrap_or(from + Duration::hours(4));
    (from, until)
}

fn notice(id: &str, lang: &str, info: &SiteInfo, now: DateTime<Utc>) -> String {
    let mut s = String::from("---\n");
    let _ =
        writeln!(s, "# Notice `{id}` ({lang}): shown on top of every page while active. Keep level, pinned,");
    s.push_str("# from and until the same in every language's file.\n");
    let _ = writeln!(s, "title: {}", scalar(pick(lang, "Wichtiger Hinweis", "Important notice")));
    s.push_str("level: info                       # info | warning | critical\n");
    s.push_str("pinned: true                      # shown on top of every page while active\n");
    let _ = writeln!(s, "from: {}   # optional; the notice is shown from then", stamp(now, info.tz));
    let until = now + Duration::days(14);
    let _ = writeln!(
        s,
        "# until: {}  # optional; after it the notice leaves the front page",
        stamp(until, info.tz)
    );
    s.push_str("---\n");
    s.push_str(pick(
        lang,
        "Hier steht, was alle jetzt wissen müssen: was sich ändert, wen es betrifft und was\n\
         zu tun ist. Der Text ist **Markdown**, Links und Listen sind möglich.\n",
        "This is what everyone needs to know now: what changes, who is affected and what to\n\
         do. The text is **Markdown**, so links and lists work.\n",
    ));
    s
}

fn guide(id: &str, lang: &str, info: &SiteInfo, now: DateTime<Utc>) -> String {
    let mut s = String::from("---\n");
    let _ = writeln!(s, "# Guide `{id}` ({lang}): a how-to page. It may exist in one language only.");
    let _ = writeln!(s, "title: {}", scalar(pick(lang, "Neue Anleitung", "New guide")));
    let _ = writeln!(
        s,
        "summary: {}",
        scalar(pick(
            lang,
            "Worum es in dieser Anleitung geht, in einem Satz.",
            "What this guide is about, in one sentence."
        ))
    );
    match &info.first_service {
        Some(svc) => {
            let _ = writeln!(
                s,
                "services: []                      # related services, e.g. [{}]: their pages link here",
                word(svc)
            );
        }
        None => s.push_str("services: []                      # related services: their pages link here\n"),
    }
    let _ = writeln!(s, "updated: {}   # shown as the date of the last change", stamp(now, info.tz));
    s.push_str("order: 100                        # position in the list of guides, smaller first\n");
    s.push_str("---\n");
    s.push_str(pick(
        lang,
        "Diese Anleitung erklärt Schritt für Schritt, wie Sie die Aufgabe erledigen. Der Text\n\
         ist **Markdown** mit Tabellen, Fußnoten und Codeblöcken.\n\n\
         ## Voraussetzungen\n\n\
         - Ein aktives Benutzerkonto\n\n\
         ## Schritte\n\n\
         1. Öffnen Sie das Programm.\n\
         2. Tragen Sie die Einstellungen ein:\n\n   \
            ```ini\n   \
            server = mail.example.org\n   \
            port = 993\n   \
            ```\n\n\
         3. Speichern Sie die Einstellungen.\n",
        "This guide explains step by step how to get the task done. The text is **Markdown**\n\
         with tables, footnotes and code blocks.\n\n\
         ## Before you start\n\n\
         - An active user account\n\n\
         ## Steps\n\n\
         1. Open the program.\n\
         2. Enter the settings:\n\n   \
            ```ini\n   \
            server = mail.example.org\n   \
            port = 993\n   \
            ```\n\n\
         3. Save the settings.\n",
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evening_window_is_in_local_time() {
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 8, 15, 0).unwrap();
        let (from, until) = next_week_evening(now, chrono_tz::Europe::Berlin);
        assert_eq!(stamp(from, chrono_tz::Europe::Berlin), "2026-12-04T18:00:00+01:00");
        assert_eq!(stamp(until, chrono_tz::Europe::Berlin), "2026-12-04T22:00:00+01:00");
    }
}
