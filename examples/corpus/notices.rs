//! The three notices, as Markdown with front matter.

use super::*;

pub(super) struct NoticeFile {
    pub(super) de: String,
    pub(super) en: String,
}

/// Three notices: a pinned critical one, an active warning, and one that has expired.
pub(super) fn notices(now: DateTime<Utc>) -> Vec<NoticeFile> {
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
