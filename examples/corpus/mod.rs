//! A synthetic, deterministic status site for benchmarks: N incidents over several years,
//! S services in groups, G guides with code, a few notices, German and English everywhere.
//!
//! Shared by `examples/gen_corpus.rs` (writes a corpus to disk) and `examples/bench/`
//! (generates one per size and measures builds of it). The same parameters and seed
//! always give byte-identical files, so numbers from different machines and commits
//! compare the same content. No `rand` crate: a hand-written splitmix64 is enough for
//! picking words and times, and its output never changes with a dependency update.

#![allow(dead_code)] // each example uses a different part of this module

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Europe::Berlin;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The instant the corpus is generated for: the newest history ends shortly before it,
/// a few incidents are open at it, and two maintenance windows are still to come. Builds
/// of the corpus must pass this as `--now` so their output does not depend on the clock.
pub const NOW: &str = "2026-11-27T12:00:00+01:00";

/// What to generate.
#[derive(Debug, Clone)]
pub struct Params {
    pub incidents: usize,
    pub services: usize,
    pub guides: usize,
    pub seed: u64,
    /// Years of history before [`NOW`]; incidents are spread evenly over them.
    pub years: u32,
}

impl Default for Params {
    fn default() -> Self {
        Params { incidents: 1000, services: 40, guides: 20, seed: 42, years: 4 }
    }
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    pub open_incidents: usize,
    pub maintenance: usize,
    pub with_code: usize,
}

// ---------------------------------------------------------------------------------------
// Randomness

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0). The modulo bias is irrelevant for test data.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }
}

// ---------------------------------------------------------------------------------------
// Vocabulary

/// (id, German name, English name, German description, English description)
const SERVICES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "exchange",
        "Exchange-Server",
        "Exchange server",
        "Groupware für E-Mail, Kalender und Kontakte",
        "Groupware for email, calendars and contacts",
    ),
    ("webmail", "Webmail", "Webmail", "E-Mail im Browser", "Email in the browser"),
    (
        "mailbox",
        "Mailbox-Server (IMAP/POP)",
        "Mailbox server (IMAP/POP)",
        "Postfächer für Studierende und Beschäftigte",
        "Mailboxes for students and staff",
    ),
    (
        "mailout",
        "Mailversand (SMTP)",
        "Outgoing mail (SMTP)",
        "Versand über `mailout`",
        "Sending via `mailout`",
    ),
    (
        "lists",
        "Mailinglisten",
        "Mailing lists",
        "Listen für Lehrstühle und Projekte",
        "Lists for chairs and projects",
    ),
    (
        "vpn",
        "VPN-Einwahl",
        "VPN access",
        "Zugang zum Campusnetz von außen",
        "Access to the campus network from outside",
    ),
    (
        "wlan",
        "WLAN (eduroam)",
        "Wi-Fi (eduroam)",
        "Drahtloses Netz auf dem Campus",
        "Wireless network on campus",
    ),
    ("dns", "DNS", "DNS", "Namensauflösung", "Name resolution"),
    (
        "firewall",
        "Firewall",
        "Firewall",
        "Perimeter-Firewall des Campusnetzes",
        "Perimeter firewall of the campus network",
    ),
    (
        "lan",
        "Campusnetz",
        "Campus network",
        "Kabelgebundenes Netz in den Gebäuden",
        "Wired network in the buildings",
    ),
    ("moodle", "Moodle", "Moodle", "Lernplattform", "Learning platform"),
    (
        "campus",
        "Campus-Management",
        "Campus management",
        "Prüfungsanmeldung und Vorlesungsverzeichnis",
        "Exam registration and course catalogue",
    ),
    (
        "video",
        "Videokonferenzen",
        "Video conferencing",
        "Online-Lehre und Besprechungen",
        "Online teaching and meetings",
    ),
    (
        "lecture-rec",
        "Vorlesungsaufzeichnung",
        "Lecture recording",
        "Aufzeichnung und Streaming aus Hörsälen",
        "Recording and streaming from lecture halls",
    ),
    ("exam", "E-Prüfungen", "E-exams", "Prüfungen am Rechner", "Exams on the computer"),
    (
        "hpc",
        "Rechencluster",
        "Compute cluster",
        "Hochleistungsrechnen für die Forschung",
        "High-performance computing for research",
    ),
    (
        "storage",
        "Forschungsdatenspeicher",
        "Research data storage",
        "Gruppenlaufwerke und Archiv",
        "Group drives and archive",
    ),
    (
        "backup",
        "Datensicherung",
        "Backup",
        "Sicherung von Servern und Arbeitsplätzen",
        "Backup of servers and workstations",
    ),
    ("git", "Git-Server", "Git server", "Versionsverwaltung (GitLab)", "Version control (GitLab)"),
    ("jupyter", "JupyterHub", "JupyterHub", "Notebooks im Browser", "Notebooks in the browser"),
    (
        "idm",
        "Identitätsmanagement",
        "Identity management",
        "Benutzerkonten und Rechte",
        "User accounts and permissions",
    ),
    (
        "selfcare",
        "Selfcare-Portal",
        "Self-care portal",
        "Passwort und persönliche Einstellungen",
        "Password and personal settings",
    ),
    (
        "sso",
        "Single Sign-on",
        "Single sign-on",
        "Anmeldung an Webdiensten (Shibboleth)",
        "Login to web services (Shibboleth)",
    ),
    (
        "mfa",
        "Zwei-Faktor-Anmeldung",
        "Two-factor login",
        "Zweiter Faktor für Konten",
        "Second factor for accounts",
    ),
    ("web", "Webhosting", "Web hosting", "Webseiten der Einrichtungen", "Websites of the institutes"),
    ("cms", "Redaktionssystem", "Content management", "Pflege der Webseiten", "Editing the websites"),
    ("cloud", "Cloud-Speicher", "Cloud storage", "Sync & Share für alle", "Sync and share for everyone"),
    ("wiki", "Wiki", "Wiki", "Dokumentation und Zusammenarbeit", "Documentation and collaboration"),
    ("chat", "Chat", "Chat", "Messenger für Teams", "Messenger for teams"),
    ("print", "Druckdienste", "Printing", "Drucken und Kopieren", "Printing and copying"),
    ("phone", "Telefonie", "Telephony", "Festnetz und Softphones", "Landlines and softphones"),
    (
        "tickets",
        "Ticketsystem",
        "Ticket system",
        "Anfragen an den Servicedesk",
        "Requests to the service desk",
    ),
    (
        "licenses",
        "Lizenzserver",
        "License server",
        "Netzwerklizenzen für Software",
        "Network licences for software",
    ),
    ("library", "Bibliothekskatalog", "Library catalogue", "Recherche und Ausleihe", "Search and lending"),
    ("pool", "PC-Pools", "PC labs", "Rechnerräume für Studierende", "Computer rooms for students"),
    (
        "sieve",
        "Filterregeln (SIEVE)",
        "Filter rules (SIEVE)",
        "Regeln, Abwesenheitsnotizen und Weiterleitungen",
        "Rules, vacation replies and forwarding",
    ),
];

/// (id, German name, English name); a site uses the first 3–6.
const GROUPS: &[(&str, &str, &str)] = &[
    ("mail", "E-Mail und Kommunikation", "Email and communication"),
    ("network", "Netz und Zugang", "Network and access"),
    ("teaching", "Lehre und Lernen", "Teaching and learning"),
    ("research", "Forschung und Rechnen", "Research and computing"),
    ("accounts", "Konten und Identität", "Accounts and identity"),
    ("web", "Web und Zusammenarbeit", "Web and collaboration"),
];

/// Incident titles: German and English, `{s}` is the service name.
const INCIDENT_TITLES: &[(&str, &str)] = &[
    ("Ausfall: {s}", "Outage: {s}"),
    ("{s} nicht erreichbar", "{s} unreachable"),
    ("Eingeschränkte Erreichbarkeit von {s}", "Degraded availability of {s}"),
    ("Langsame Antwortzeiten bei {s}", "Slow response times for {s}"),
    ("Anmeldeprobleme bei {s}", "Login problems with {s}"),
    ("Zertifikatsfehler bei {s}", "Certificate errors on {s}"),
    ("Störung des Speichersystems hinter {s}", "Storage system failure behind {s}"),
    ("Netzwerkstörung betrifft {s}", "Network problem affects {s}"),
];

const MAINTENANCE_TITLES: &[(&str, &str)] = &[
    ("Wartung: {s}", "Maintenance: {s}"),
    ("Update von {s} auf eine neue Version", "Upgrade of {s} to a new version"),
    ("Hardwaretausch für {s}", "Hardware replacement for {s}"),
    ("Umzug von {s} ins neue Rechenzentrum", "Moving {s} to the new data centre"),
    ("Sicherheitsupdates für {s}", "Security updates for {s}"),
];

/// Update texts per phase; `{s}` is the service name, `{n}` a number.
const INVESTIGATING: &[(&str, &str)] = &[
    ("Wir untersuchen Berichte über Probleme mit **{s}**.", "We are investigating reports of problems with **{s}**."),
    ("{s} ist seit kurzem nicht erreichbar. Wir prüfen die Ursache.", "{s} has been unreachable for a short while. We are looking into the cause."),
    ("Nutzerinnen und Nutzer melden Fehler beim Zugriff auf {s}. Die Kolleginnen und Kollegen vom Betrieb sind informiert.", "Users report errors when accessing {s}. The operations team has been notified."),
];

const IDENTIFIED: &[(&str, &str)] = &[
    ("Die Ursache ist gefunden: ein defektes Netzteil im Speichersystem `stor-{n}`. Ein Ersatzteil ist bestellt.", "The cause has been found: a faulty power supply in storage system `stor-{n}`. A replacement part has been ordered."),
    ("Ein fehlerhaftes Update auf `app-{n}` verursacht die Störung; wir spielen die vorige Version zurück.", "A faulty update on `app-{n}` causes the problem; we are rolling back to the previous version."),
    ("Ein abgelaufenes Zertifikat auf dem Lastverteiler ist die Ursache. Es wird gerade erneuert.", "An expired certificate on the load balancer is the cause. It is being renewed right now."),
    ("Die Datenbank von {s} ist überlastet. Wir verteilen die Last auf weitere Knoten.", "The database behind {s} is overloaded. We are spreading the load over more nodes."),
];

const MONITORING: &[(&str, &str)] = &[
    (
        "Eine Korrektur ist eingespielt; {s} läuft wieder. Wir beobachten die Lage.",
        "A fix has been applied; {s} is running again. We are monitoring the situation.",
    ),
    (
        "Der Dienst ist wieder erreichbar, einzelne Anfragen können noch langsam sein.",
        "The service is reachable again; some requests may still be slow.",
    ),
];

const RESOLVED: &[(&str, &str)] = &[
    ("Die Störung ist behoben. Vielen Dank für Ihre Geduld.", "The problem has been resolved. Thank you for your patience."),
    ("{s} läuft wieder stabil. Wenn weiterhin Fehler auftreten, wenden Sie sich bitte an den [Servicedesk](mailto:servicedesk@example.org).", "{s} is stable again. If you still see errors, please contact the [service desk](mailto:servicedesk@example.org)."),
    ("Behoben. Ursache und Maßnahmen beschreiben wir im nächsten Betriebsbericht.", "Resolved. We will describe the cause and the measures in the next operations report."),
];

const SCHEDULED: &[(&str, &str)] = &[
    ("Im angegebenen Zeitraum ist {s} wegen Wartungsarbeiten nicht verfügbar.", "{s} will be unavailable during the window shown because of maintenance."),
    ("Wir spielen Sicherheitsupdates ein. {s} kann in dieser Zeit mehrfach kurz unterbrochen sein.", "We are installing security updates. {s} may be interrupted briefly several times during this window."),
];

const IN_PROGRESS: &[(&str, &str)] = &[
    ("Die Wartungsarbeiten haben begonnen.", "The maintenance has started."),
    (
        "Die Arbeiten laufen; {s} ist derzeit nicht verfügbar.",
        "The work is under way; {s} is currently unavailable.",
    ),
];

const COMPLETED: &[(&str, &str)] = &[
    (
        "Die Wartung ist abgeschlossen, {s} steht wieder zur Verfügung.",
        "The maintenance is complete, {s} is available again.",
    ),
    ("Abgeschlossen. Alle Systeme laufen wieder.", "Completed. All systems are running again."),
];

const SERVICE_NOTES: &[(&str, &str, &str)] = &[
    ("degraded", "Einzelne Anfragen an {s} schlagen fehl.", "Some requests to {s} fail."),
    ("partial_outage", "{s} ist an einem Standort nicht erreichbar.", "{s} is unreachable at one site."),
    (
        "maintenance",
        "Kurze Unterbrechung von {s} für ein Update.",
        "Short interruption of {s} for an update.",
    ),
    ("major_outage", "{s} ist ausgefallen.", "{s} is down."),
];

/// Guide topics: (slug stem, German title, English title).
const GUIDE_TOPICS: &[(&str, &str, &str)] = &[
    ("vpn-setup", "VPN einrichten", "Setting up the VPN"),
    ("mail-client", "E-Mail-Programm einrichten", "Setting up your mail program"),
    ("sieve-rules", "Filterregeln mit SIEVE", "Filter rules with SIEVE"),
    ("eduroam", "eduroam auf Linux", "eduroam on Linux"),
    ("print-linux", "Drucken unter Linux", "Printing from Linux"),
    ("ssh-keys", "SSH-Schlüssel für den Rechencluster", "SSH keys for the compute cluster"),
    ("backup-client", "Datensicherung einrichten", "Setting up backup"),
    ("git-access", "Zugriff auf den Git-Server", "Accessing the Git server"),
];

/// Fenced code languages; `sieve` is unknown to the highlighter on purpose (plain path).
const CODE_LANGS: &[&str] = &["sh", "ini", "sieve"];

// ---------------------------------------------------------------------------------------
// YAML helpers

/// A YAML double-quoted scalar: always safe, whatever the text holds (`:`, `#`, `{`).
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `key:` with a German and an English text at `indent`; multi-line texts become block
/// scalars (`|`), which is how authors write paragraphs, lists and code in YAML.
fn text_field(out: &mut String, indent: usize, key: &str, de: &str, en: &str) {
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}{key}:");
    for (lang, text) in [("de", de), ("en", en)] {
        if text.contains('\n') {
            let _ = writeln!(out, "{pad}  {lang}: |");
            for line in text.trim_end().lines() {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    let _ = writeln!(out, "{pad}    {line}");
                }
            }
        } else {
            let _ = writeln!(out, "{pad}  {lang}: {}", q(text));
        }
    }
}

fn inline_text(de: &str, en: &str) -> String {
    format!("{{ de: {}, en: {} }}", q(de), q(en))
}

fn fill(template: &str, service: &str, n: u64) -> String {
    template.replace("{s}", service).replace("{n}", &n.to_string())
}

/// RFC 3339 in the site's zone, as authors write it (`2024-03-12T09:30:00+01:00`).
fn ts(t: DateTime<Utc>) -> String {
    t.with_timezone(&Berlin).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW).map(|t| t.with_timezone(&Utc)).unwrap_or_else(|_| Utc::now())
}

// ---------------------------------------------------------------------------------------
// The site

struct Service {
    id: String,
    de: String,
    en: String,
}

struct Guide {
    slug: String,
    services: Vec<usize>,
}

/// Write the site's files under `root/content/`. The folder must not exist yet, or be
/// empty: a corpus is never merged into other content.
pub fn write_site(root: &Path, p: &Params) -> std::io::Result<Stats> {
    let content = root.join("content");
    if content.exists() && std::fs::read_dir(&content)?.next().is_some() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} exists and is not empty; choose a new --out", content.display()),
        ));
    }
    for sub in ["services", "incidents", "notices", "guides"] {
        std::fs::create_dir_all(content.join(sub))?;
    }
    let mut w = Writer { content, stats: Stats::default() };
    let mut rng = Rng::new(p.seed);
    let now = now();
    let start = now - Duration::days(365 * i64::from(p.years.max(1)));

    // Groups and services.
    let n_groups = 3 + rng.below(4) as usize;
    let groups = &GROUPS[..n_groups];
    let services: Vec<Service> = (0..p.services.max(1))
        .map(|i| {
            let (id, de, en, _, _) = SERVICES[i % SERVICES.len()];
            let round = i / SERVICES.len();
            if round == 0 {
                Service { id: id.into(), de: de.into(), en: en.into() }
            } else {
                // More services than the vocabulary: numbered instances, as sites with
                // several clusters or sites have ("Rechencluster 2").
                let k = round + 1;
                Service { id: format!("{id}-{k}"), de: format!("{de} {k}"), en: format!("{en} {k}") }
            }
        })
        .collect();
    let guides: Vec<Guide> = (0..p.guides)
        .map(|i| {
            let (stem, _, _) = GUIDE_TOPICS[i % GUIDE_TOPICS.len()];
            let round = i / GUIDE_TOPICS.len();
            let slug = if round == 0 { stem.to_string() } else { format!("{stem}-{}", round + 1) };
            let k = 1 + rng.below(3) as usize;
            let mut svcs: Vec<usize> = Vec::new();
            while svcs.len() < k.min(services.len()) {
                let s = rng.below(services.len() as u64) as usize;
                if !svcs.contains(&s) {
                    svcs.push(s);
                }
            }
            Guide { slug, services: svcs }
        })
        .collect();

    w.file("site.yaml", &site_yaml(groups))?;
    for (i, s) in services.iter().enumerate() {
        let group = groups[i % groups.len()].0;
        let text = service_yaml(&mut rng, i, s, group, &guides, start, now);
        w.file(&format!("services/{}.yaml", s.id), &text)?;
    }

    // Incidents: start times spread evenly over the years (uniform random), sorted so
    // that ids (which begin with the date) follow time. The newest few stay open, and
    // the two newest maintenance windows lie in the future.
    let n = p.incidents;
    let open = (n / 250).clamp(1, 4).min(n);
    let mut starts: Vec<DateTime<Utc>> = (0..n)
        .map(|_| {
            let span = (now - Duration::days(10) - start).num_minutes().max(1);
            start + Duration::minutes(rng.below(span as u64) as i64)
        })
        .collect();
    starts.sort();
    let mut upcoming = 2usize;
    for i in (0..n).rev() {
        let is_maintenance = i % 10 == 5;
        let kind = if is_maintenance && upcoming > 0 && i + open < n {
            upcoming -= 1;
            Kind::Upcoming
        } else if is_maintenance {
            Kind::Maintenance
        } else if i + open >= n {
            Kind::Open
        } else {
            Kind::Closed
        };
        let mut irng = Rng::new(p.seed ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
        let inc = incident_yaml(&mut irng, i, kind, starts[i], now, &services, &guides);
        match kind {
            Kind::Open => w.stats.open_incidents += 1,
            Kind::Maintenance | Kind::Upcoming => w.stats.maintenance += 1,
            Kind::Closed => {}
        }
        if inc.has_code {
            w.stats.with_code += 1;
        }
        w.file(&format!("incidents/{}.yaml", inc.id), &inc.text)?;
    }

    for (i, n) in notices(now).iter().enumerate() {
        for (lang, body) in [("de", &n.de), ("en", &n.en)] {
            w.file(&format!("notices/notice-{}.{lang}.md", i + 1), body)?;
        }
    }
    for (i, g) in guides.iter().enumerate() {
        for lang in ["de", "en"] {
            let text = guide_md(&mut rng, i, g, lang, &services, now);
            w.file(&format!("guides/{}.{lang}.md", g.slug), &text)?;
        }
    }
    Ok(w.stats)
}

struct Writer {
    content: PathBuf,
    stats: Stats,
}

impl Writer {
    fn file(&mut self, rel: &str, text: &str) -> std::io::Result<()> {
        std::fs::write(self.content.join(rel), text)?;
        self.stats.files += 1;
        self.stats.bytes += text.len() as u64;
        Ok(())
    }
}

fn site_yaml(groups: &[(&str, &str, &str)]) -> String {
    let mut s = String::from(
        "# Synthetic benchmark site (examples/gen_corpus.rs); regenerate rather than edit.\n\
         title: { de: IT-Status der Beispiel-Universität, en: Example University IT status }\n\
         base_url: https://status.example.org/\n\
         languages: [de, en]\n\
         timezone: Europe/Berlin\n\
         contact: { de: \"IT-Servicedesk, Tel. 0123 456-789\", en: \"IT service desk, phone +49 123 456-789\" }\n\
         groups:\n",
    );
    for (id, de, en) in groups {
        let _ = writeln!(s, "  - id: {id}\n    name: {}", inline_text(de, en));
    }
    s.push_str("states: []\n");
    s
}

fn service_yaml(
    rng: &mut Rng,
    i: usize,
    s: &Service,
    group: &str,
    guides: &[Guide],
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> String {
    let (_, _, _, dde, den) = SERVICES[i % SERVICES.len()];
    let mut out = String::new();
    let _ = writeln!(out, "name: {}", inline_text(&s.de, &s.en));
    let _ = writeln!(out, "group: {group}");
    let _ = writeln!(out, "description: {}", inline_text(dde, den));
    let _ = writeln!(out, "order: {}", (i + 1) * 10);
    let linked: Vec<&Guide> = guides.iter().filter(|g| g.services.contains(&i)).take(2).collect();
    if !linked.is_empty() {
        out.push_str("links:\n");
        for g in linked {
            let _ = writeln!(out, "  - label: {}\n    guide: {}", inline_text("Anleitung", "Guide"), g.slug);
        }
    }
    // A few own updates over the years; the last one is always back to normal.
    let k = 2 + rng.below(3) as usize;
    let span = (now - Duration::days(1) - start).num_minutes().max(1) as u64;
    let mut times: Vec<DateTime<Utc>> =
        (0..k).map(|_| start + Duration::minutes(rng.below(span) as i64)).collect();
    times.sort();
    times.dedup();
    out.push_str("updates:\n");
    for (j, t) in times.iter().enumerate() {
        let last = j + 1 == times.len();
        let (status, de, en) = if last {
            ("operational", "{s} läuft wieder normal.", "{s} is back to normal.")
        } else {
            *rng.pick(SERVICE_NOTES)
        };
        let _ = writeln!(out, "  - at: {}\n    status: {status}", ts(*t));
        text_field(&mut out, 4, "text", &fill(de, &s.de, 0), &fill(en, &s.en, 0));
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
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
struct Update {
    at: DateTime<Utc>,
    phase: &'static str,
    /// (service index, state) for `set:`.
    set: Vec<(usize, &'static str)>,
    de: String,
    en: String,
}

struct IncidentFile {
    id: String,
    text: String,
    has_code: bool,
}

/// A fenced block inside an update: what authors paste as a workaround or log excerpt.
fn code_snippet(lang: &str, n: u64) -> (String, String) {
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

fn incident_yaml(
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

struct NoticeFile {
    de: String,
    en: String,
}

/// Three notices: a pinned critical one, an active warning, and one that has expired.
fn notices(now: DateTime<Utc>) -> Vec<NoticeFile> {
    let day = |d: i64| ts(now + Duration::days(d));
    let mk = |level: &str,
              pinned: bool,
              from: String,
              until: Option<String>,
              de: (&str, &str),
              en: (&str, &str)| {
        let head = |title: &str| {
            let mut s = format!("---\ntitle: {}\nlevel: {level}\npinned: {pinned}\nfrom: {from}\n", q(title));
            if let Some(u) = &until {
                let _ = writeln!(s, "until: {u}");
            }
            s.push_str("---\n");
            s
        };
        NoticeFile { de: format!("{}{}\n", head(de.0), de.1), en: format!("{}{}\n", head(en.0), en.1) }
    };
    vec![
        mk(
            "critical",
            true,
            day(-3),
            Some(day(30)),
            ("Phishing-Welle: Geben Sie Ihr Passwort nicht ein!", "**Achtung:** Derzeit kursieren gefälschte E-Mails im Namen des Rechenzentrums.\n\nWir fragen **nie** per E-Mail nach Ihrem Passwort. Melden Sie verdächtige E-Mails an `abuse@example.org`."),
            ("Phishing wave: do not enter your password!", "**Warning:** Fake emails claiming to come from the computing centre are going round.\n\nWe **never** ask for your password by email. Report suspicious email to `abuse@example.org`."),
        ),
        mk(
            "warning",
            false,
            day(-10),
            None,
            ("Neue VPN-Software ab Januar", "Ab Januar wird nur noch die neue VPN-Software unterstützt.\n\n- Laden Sie sie aus dem Softwareportal herunter.\n- Die alte Konfiguration können Sie löschen."),
            ("New VPN software from January", "From January only the new VPN software is supported.\n\n- Download it from the software portal.\n- You can delete the old configuration."),
        ),
        mk(
            "info",
            false,
            day(-400),
            Some(day(-300)),
            ("Umstellung der Telefonanlage", "Die Telefonanlage wurde umgestellt. Ihre Rufnummer bleibt gleich."),
            ("Telephone system switch-over", "The telephone system has been switched over. Your number stays the same."),
        ),
    ]
}

fn guide_md(
    rng: &mut Rng,
    i: usize,
    g: &Guide,
    lang: &str,
    services: &[Service],
    now: DateTime<Utc>,
) -> String {
    let (_, tde, ten) = GUIDE_TOPICS[i % GUIDE_TOPICS.len()];
    let round = i / GUIDE_TOPICS.len();
    let suffix = if round == 0 { String::new() } else { format!(" ({})", round + 1) };
    let de = lang == "de";
    let title = format!("{}{suffix}", if de { tde } else { ten });
    let ids: Vec<&str> = g.services.iter().map(|&s| services[s].id.as_str()).collect();
    let updated = now - Duration::days(rng.range(20, 900));
    let mut s = format!(
        "---\ntitle: {}\nsummary: {}\nservices: [{}]\nupdated: {}\norder: {}\n---\n",
        q(&title),
        q(if de {
            "Schritt für Schritt, mit Beispielen zum Kopieren."
        } else {
            "Step by step, with examples to copy."
        }),
        ids.join(", "),
        ts(updated),
        (i + 1) * 10
    );
    let n = rng.below(900) + 100;
    let (intro, h_prep, h_conf, h_test, h_rules) = if de {
        (
            "Diese Anleitung richtet sich an alle, die ihren Rechner selbst einrichten. Sie brauchen Ihre **Benutzerkennung** und etwa zehn Minuten.",
            "Vorbereitung",
            "Einstellungen",
            "Verbindung testen",
            "Filterregeln",
        )
    } else {
        (
            "This guide is for everyone who sets up their own computer. You need your **user ID** and about ten minutes.",
            "Preparation",
            "Settings",
            "Testing the connection",
            "Filter rules",
        )
    };
    let _ = writeln!(s, "{intro}\n\n## {h_prep}\n");
    if de {
        s.push_str("- [x] Benutzerkennung und Passwort liegen bereit\n- [ ] Aktuelle Version des Programms installiert\n- [ ] Netzwerkverbindung vorhanden\n\n");
    } else {
        s.push_str("- [x] User ID and password at hand\n- [ ] Current version of the program installed\n- [ ] Network connection available\n\n");
    }
    let _ = writeln!(s, "## {h_conf}\n");
    let (c1, c2, c3) = if de { ("Einstellung", "Wert", "Hinweis") } else { ("Setting", "Value", "Note") };
    let _ = writeln!(s, "| {c1} | {c2} | {c3} |\n|---|---|---|");
    for (k, v) in
        [("Server", format!("`srv-{n}.example.org`")), ("Port", "993".into()), ("TLS", "ja / yes".into())]
    {
        let _ = writeln!(s, "| {k} | {v} | – |");
    }
    s.push('\n');
    // Two code blocks per guide, cycling through the languages, so every highlighter
    // path (known syntax, and the plain fallback for `sieve`) is exercised.
    let first = CODE_LANGS[i % CODE_LANGS.len()];
    let second = CODE_LANGS[(i + 1) % CODE_LANGS.len()];
    for (lang_code, heading) in [(first, h_conf), (second, if second == "sieve" { h_rules } else { h_test })]
    {
        let _ = writeln!(s, "### {heading} ({lang_code})\n");
        let code = match lang_code {
            "sh" => format!(
                "# {}\nssh-keygen -t ed25519 -C \"user@example.org\"\nopenssl s_client -connect srv-{n}.example.org:993 -quiet\nfor i in 1 2 3; do\n  ping -c 1 \"node$i.example.org\" && echo ok\ndone",
                if de { "Schlüssel erzeugen und Verbindung prüfen" } else { "create a key and check the connection" }
            ),
            "ini" => format!(
                "; {}\n[incoming]\nprotocol = imap\nhost     = srv-{n}.example.org\nport     = 993\nsecurity = ssl\n\n[outgoing]\nprotocol = smtp\nport     = 587",
                if de { "Empfang und Versand" } else { "receiving and sending" }
            ),
            _ => "require [\"fileinto\", \"vacation\"];\nif header :contains \"list-id\" \"lists.example.org\" {\n  fileinto \"Listen\";\n  stop;\n}\nvacation :days 7 \"Bin im Urlaub / on holiday\";".to_string(),
        };
        let _ = writeln!(s, "```{lang_code}\n{code}\n```\n");
    }
    let _ = writeln!(s, "## {h_test}\n");
    if de {
        let _ = writeln!(s, "Wenn die Verbindung fehlschlägt, prüfen Sie zuerst die ~~alten~~ Servernamen[^1] und wenden Sie sich dann an den Servicedesk.\n\n[^1]: Die alten Namen gelten nur noch bis Ende des Jahres.");
    } else {
        let _ = writeln!(s, "If the connection fails, first check the ~~old~~ server names[^1], then contact the service desk.\n\n[^1]: The old names only work until the end of the year.");
    }
    s
}
