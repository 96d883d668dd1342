//! The vocabulary the corpus is made of: services, groups, titles, update texts, guide topics.

// ---------------------------------------------------------------------------------------
// Vocabulary

/// (id, German name, English name, German description, English description)
pub(super) const SERVICES: &[(&str, &str, &str, &str, &str)] = &[
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
pub(super) const GROUPS: &[(&str, &str, &str)] = &[
    ("mail", "E-Mail und Kommunikation", "Email and communication"),
    ("network", "Netz und Zugang", "Network and access"),
    ("teaching", "Lehre und Lernen", "Teaching and learning"),
    ("research", "Forschung und Rechnen", "Research and computing"),
    ("accounts", "Konten und Identität", "Accounts and identity"),
    ("web", "Web und Zusammenarbeit", "Web and collaboration"),
];

/// Incident titles: German and English, `{s}` is the service name.
pub(super) const INCIDENT_TITLES: &[(&str, &str)] = &[
    ("Ausfall: {s}", "Outage: {s}"),
    ("{s} nicht erreichbar", "{s} unreachable"),
    ("Eingeschränkte Erreichbarkeit von {s}", "Degraded availability of {s}"),
    ("Langsame Antwortzeiten bei {s}", "Slow response times for {s}"),
    ("Anmeldeprobleme bei {s}", "Login problems with {s}"),
    ("Zertifikatsfehler bei {s}", "Certificate errors on {s}"),
    ("Störung des Speichersystems hinter {s}", "Storage system failure behind {s}"),
    ("Netzwerkstörung betrifft {s}", "Network problem affects {s}"),
];

pub(super) const MAINTENANCE_TITLES: &[(&str, &str)] = &[
    ("Wartung: {s}", "Maintenance: {s}"),
    ("Update von {s} auf eine neue Version", "Upgrade of {s} to a new version"),
    ("Hardwaretausch für {s}", "Hardware replacement for {s}"),
    ("Umzug von {s} ins neue Rechenzentrum", "Moving {s} to the new data centre"),
    ("Sicherheitsupdates für {s}", "Security updates for {s}"),
];

/// Update texts per phase; `{s}` is the service name, `{n}` a number.
pub(super) const INVESTIGATING: &[(&str, &str)] = &[
    ("Wir untersuchen Berichte über Probleme mit **{s}**.", "We are investigating reports of problems with **{s}**."),
    ("{s} ist seit kurzem nicht erreichbar. Wir prüfen die Ursache.", "{s} has been unreachable for a short while. We are looking into the cause."),
    ("Nutzerinnen und Nutzer melden Fehler beim Zugriff auf {s}. Die Kolleginnen und Kollegen vom Betrieb sind informiert.", "Users report errors when accessing {s}. The operations team has been notified."),
];

pub(super) const IDENTIFIED: &[(&str, &str)] = &[
    ("Die Ursache ist gefunden: ein defektes Netzteil im Speichersystem `stor-{n}`. Ein Ersatzteil ist bestellt.", "The cause has been found: a faulty power supply in storage system `stor-{n}`. A replacement part has been ordered."),
    ("Ein fehlerhaftes Update auf `app-{n}` verursacht die Störung; wir spielen die vorige Version zurück.", "A faulty update on `app-{n}` causes the problem; we are rolling back to the previous version."),
    ("Ein abgelaufenes Zertifikat auf dem Lastverteiler ist die Ursache. Es wird gerade erneuert.", "An expired certificate on the load balancer is the cause. It is being renewed right now."),
    ("Die Datenbank von {s} ist überlastet. Wir verteilen die Last auf weitere Knoten.", "The database behind {s} is overloaded. We are spreading the load over more nodes."),
];

pub(super) const MONITORING: &[(&str, &str)] = &[
    (
        "Eine Korrektur ist eingespielt; {s} läuft wieder. Wir beobachten die Lage.",
        "A fix has been applied; {s} is running again. We are monitoring the situation.",
    ),
    (
        "Der Dienst ist wieder erreichbar, einzelne Anfragen können noch langsam sein.",
        "The service is reachable again; some requests may still be slow.",
    ),
];

pub(super) const RESOLVED: &[(&str, &str)] = &[
    ("Die Störung ist behoben. Vielen Dank für Ihre Geduld.", "The problem has been resolved. Thank you for your patience."),
    ("{s} läuft wieder stabil. Wenn weiterhin Fehler auftreten, wenden Sie sich bitte an den [Servicedesk](mailto:servicedesk@example.org).", "{s} is stable again. If you still see errors, please contact the [service desk](mailto:servicedesk@example.org)."),
    ("Behoben. Ursache und Maßnahmen beschreiben wir im nächsten Betriebsbericht.", "Resolved. We will describe the cause and the measures in the next operations report."),
];

pub(super) const SCHEDULED: &[(&str, &str)] = &[
    ("Im angegebenen Zeitraum ist {s} wegen Wartungsarbeiten nicht verfügbar.", "{s} will be unavailable during the window shown because of maintenance."),
    ("Wir spielen Sicherheitsupdates ein. {s} kann in dieser Zeit mehrfach kurz unterbrochen sein.", "We are installing security updates. {s} may be interrupted briefly several times during this window."),
];

pub(super) const IN_PROGRESS: &[(&str, &str)] = &[
    ("Die Wartungsarbeiten haben begonnen.", "The maintenance has started."),
    (
        "Die Arbeiten laufen; {s} ist derzeit nicht verfügbar.",
        "The work is under way; {s} is currently unavailable.",
    ),
];

pub(super) const COMPLETED: &[(&str, &str)] = &[
    (
        "Die Wartung ist abgeschlossen, {s} steht wieder zur Verfügung.",
        "The maintenance is complete, {s} is available again.",
    ),
    ("Abgeschlossen. Alle Systeme laufen wieder.", "Completed. All systems are running again."),
];

pub(super) const SERVICE_NOTES: &[(&str, &str, &str)] = &[
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
pub(super) const GUIDE_TOPICS: &[(&str, &str, &str)] = &[
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
pub(super) const CODE_LANGS: &[&str] = &["sh", "ini", "sieve"];
