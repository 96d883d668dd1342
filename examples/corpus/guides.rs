//! The guides, in German and English, with checklists, tables and code.

use super::*;

pub(super) fn guide_md(
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
