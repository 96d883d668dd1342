//! Incidents and maintenance: their phases, updates, code snippets and guide links.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// An incident with its last phase `resolved`.
    Closed,
    /// An incident still open at [`NOW`].
    Open,
    /// Maintenance in the past: scheduled, in progress, completed.
    Maintenance,
    /// Maintenance announced, with its window after [`NOW`].
    Upcoming,
}

/// One update of an incident as it is written to the file.
pub(super) struct Update {
    pub(super) at: DateTime<Utc>,
    pub(super) phase: &'static str,
    /// (service index, state) for `set:`.
    pub(super) set: Vec<(usize, &'static str)>,
    pub(super) de: String,
    pub(super) en: String,
}

pub(super) struct IncidentFile {
    pub(super) id: String,
    pub(super) text: String,
    pub(super) has_code: bool,
}

/// A fenced block inside an update: what authors paste as a workaround or log excerpt.
pub(super) fn code_snippet(lang: &str, n: u64) -> (String, String) {
    let code = match lang {
        "sh" => format!("sudo systemctl restart openconnect\nping -c 3 vpn-{n}.example.org"),
        "ini" => format!("[connection]\nserver = vpn-{n}.example.org\nport = 443\nprotocol = anyconnect"),
        _ => format!("require \"fileinto\";\nif header :contains \"subject\" \"[ticket-{n}]\" {{\n  fileinto \"Tickets\";\n}}"),
    };
    (
        format!("Bis zur Behebung hilft dieser Workaround:\n\n```{lang}\n{code}\n```\n\nDanach bitte die Verbindung neu aufbauen."),
        format!("Until this is fixed, this workaround helps:\n\n```{lang}\n{code}\n```\n\nThen please reconnect."),
    )
}

pub(super) fn incident_yaml(
    rng: &mut Rng,
    i: usize,
    kind: Kind,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    services: &[Service],
    guides: &[Guide],
) -> IncidentFile {
    let k = 1 + rng.below(3) as usize;
    let mut affected: Vec<usize> = Vec::new();
    while affected.len() < k.min(services.len()) {
        let s = rng.below(services.len() as u64) as usize;
        if !affected.contains(&s) {
            affected.push(s);
        }
    }
    let main = &services[affected[0]];
    let maintenance = matches!(kind, Kind::Maintenance | Kind::Upcoming);
    // Open incidents began in the last two days, so their updates are all before now.
    let start = match kind {
        Kind::Open => now - Duration::minutes(rng.range(180, 2 * 24 * 60)),
        Kind::Upcoming => now - Duration::days(rng.range(1, 5)),
        _ => start,
    };
    let local = start.with_timezone(&Berlin);
    let id = format!("{}-{}-{:05}", local.format("%Y-%m-%d"), main.id, i);
    let (tde, ten) = *rng.pick(if maintenance { MAINTENANCE_TITLES } else { INCIDENT_TITLES });

    let mut out = String::new();
    let _ = writeln!(out, "title: {}", inline_text(&fill(tde, &main.de, 0), &fill(ten, &main.en, 0)));
    let _ = writeln!(out, "kind: {}", if maintenance { "maintenance" } else { "incident" });
    let ids: Vec<&str> = affected.iter().map(|&s| services[s].id.as_str()).collect();
    let _ = writeln!(out, "services: [{}]", ids.join(", "));

    let mut updates: Vec<Update> = Vec::new();
    let n = rng.below(900) + 100;
    let say = |t: &[(&'static str, &'static str)], rng: &mut Rng| {
        let (de, en) = *rng.pick(t);
        (fill(de, &main.de, n), fill(en, &main.en, n))
    };
    if maintenance {
        let from = match kind {
            Kind::Upcoming => now + Duration::days(rng.range(3, 20)) + Duration::hours(rng.range(0, 6)),
            _ => start + Duration::days(rng.range(2, 7)),
        };
        let until = from + Duration::hours(rng.range(2, 6));
        let _ = writeln!(out, "scheduled: {{ from: {}, until: {} }}", ts(from), ts(until));
        let (de, en) = say(SCHEDULED, rng);
        updates.push(Update { at: start, phase: "scheduled", set: vec![], de, en });
        if kind == Kind::Maintenance {
            let (de, en) = say(IN_PROGRESS, rng);
            let set = affected.iter().map(|&s| (s, "maintenance")).collect();
            updates.push(Update { at: from, phase: "in_progress", set, de, en });
            let (de, en) = say(COMPLETED, rng);
            let done = until - Duration::minutes(rng.range(0, 60));
            let set = affected.iter().map(|&s| (s, "operational")).collect();
            updates.push(Update { at: done, phase: "completed", set, de, en });
        }
    } else {
        if i % 5 == 1 {
            let _ = writeln!(
                out,
                "description: {}",
                inline_text(
                    "Betrifft alle Standorte; Details in den Meldungen unten.",
                    "Affects all sites; details in the updates below."
                )
            );
        }
        let total = 2 + rng.below(3) as usize;
        let bad = ["degraded", "partial_outage", "major_outage"];
        let mut t = start;
        for j in 0..total {
            let last = j + 1 == total;
            let phase = if j == 0 {
                "investigating"
            } else if last && kind == Kind::Closed {
                "resolved"
            } else if j == 1 {
                "identified"
            } else {
                "monitoring"
            };
            let set: Vec<(usize, &str)> = match phase {
                "investigating" => affected.iter().map(|&s| (s, *rng.pick(&bad))).collect(),
                "monitoring" => vec![(affected[0], "degraded")],
                "resolved" => affected.iter().map(|&s| (s, "operational")).collect(),
                _ => vec![],
            };
            let (de, en) = match phase {
                "investigating" => say(INVESTIGATING, rng),
                "identified" => say(IDENTIFIED, rng),
                "monitoring" => say(MONITORING, rng),
                _ => say(RESOLVED, rng),
            };
            updates.push(Update { at: t, phase, set, de, en });
            // Open incidents update every 10–50 minutes (all before now); closed ones
            // over hours to a day.
            t += if kind == Kind::Open {
                Duration::minutes(rng.range(10, 50))
            } else {
                Duration::minutes(rng.range(15, 26 * 60))
            };
        }
    }

    // Every fourth incident carries a fenced code block (a workaround) in its first update.
    let has_code = i % 4 == 0;
    if has_code {
        let lang = CODE_LANGS[(i / 4) % CODE_LANGS.len()];
        let (cde, cen) = code_snippet(lang, n);
        let u = &mut updates[0];
        u.de = format!("{}\n\n{cde}", u.de);
        u.en = format!("{}\n\n{cen}", u.en);
    }
    // Some resolved updates link to a guide, as real write-ups do.
    if !guides.is_empty() && i % 7 == 3 {
        if let Some(u) = updates.last_mut() {
            let g = &guides[i % guides.len()].slug;
            u.de.push_str(&format!(" Siehe auch die [Anleitung](/guides/{g}/)."));
            u.en.push_str(&format!(" See also the [guide](/en/guides/{g}/)."));
        }
    }

    out.push_str("updates:\n");
    for u in &updates {
        let _ = writeln!(out, "  - at: {}\n    phase: {}", ts(u.at), u.phase);
        if !u.set.is_empty() {
            let pairs: Vec<String> =
                u.set.iter().map(|(s, st)| format!("{}: {st}", services[*s].id)).collect();
            let _ = writeln!(out, "    set: {{ {} }}", pairs.join(", "));
        }
        text_field(&mut out, 4, "text", &u.de, &u.en);
    }
    IncidentFile { id, text: out, has_code }
}
