//! Writing YAML scalars by hand. Generated text is spliced into files that authors own, so
//! no serializer may reformat them; these helpers make sure that whatever a user types
//! stays one scalar value and can never end the line, open a new key or change the type.

/// `s` as a double-quoted YAML scalar on one line: every character that could end the
/// scalar or the line, or that YAML does not allow in a stream, is escaped.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            // Line breaks in YAML 1.1 and the byte-order mark would be read as structure
            // or dropped by some parsers; keep them as data.
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => push_escape(&mut out, c),
            c if is_printable(c) => out.push(c),
            c => push_escape(&mut out, c),
        }
    }
    out.push('"');
    out
}

fn push_escape(out: &mut String, c: char) {
    let v = u32::from(c);
    if v <= 0xffff {
        out.push_str(&format!("\\u{v:04x}"));
    } else {
        out.push_str(&format!("\\U{v:08x}"));
    }
}

/// YAML's `c-printable` minus the line breaks handled above.
fn is_printable(c: char) -> bool {
    matches!(u32::from(c), 0x20..=0x7e | 0xa0..=0xd7ff | 0xe000..=0xfffd | 0x10000..=0x10ffff)
}

/// Words that YAML 1.1 readers take for booleans, null or special numbers.
fn is_reserved(s: &str) -> bool {
    const RESERVED: [&str; 11] = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"];
    RESERVED.contains(&s.to_lowercase().as_str())
}

/// An identifier (state, phase, service id, language) plain when that is unambiguous,
/// else quoted: `0day` or `no` written plain would be read as a number or a boolean.
pub fn word(s: &str) -> String {
    let mut chars = s.chars();
    let plain = matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && !is_reserved(s);
    if plain {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// One line of prose plain, as people write YAML by hand, when that reads back as the
/// same string; else double-quoted.
pub fn prose(s: &str) -> String {
    let plain = s.chars().next().is_some_and(char::is_alphabetic)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.ends_with(' ')
        && !s.chars().any(|c| c.is_control() || !is_printable(c))
        && !is_reserved(s);
    if plain {
        s.to_string()
    } else {
        quoted(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(s: &str) -> String {
        let doc = format!("k: {}\n", quoted(s));
        let v: std::collections::BTreeMap<String, String> = serde_yaml::from_str(&doc).unwrap();
        v["k"].clone()
    }

    #[test]
    fn hostile_text_stays_one_string() {
        for s in [
            "plain",
            "",
            "a: b",
            "# not a comment",
            "\"quoted\" and 'single'",
            "back\\slash \\n literal",
            "line one\nline two\n",
            "<script>alert(1)</script>",
            "tab\there, cr\r, nul\0, bell\u{7}, del\u{7f}, nel\u{85}, ls\u{2028}",
            "- item\n  key: value\nupdates: []",
            "Umlaute äöü ß, emoji 🚨, bom \u{feff}",
            "{ de: x }",
            "*alias &anchor !tag %directive @ `",
            "trailing space ",
        ] {
            assert_eq!(roundtrip(s), s, "{s:?}");
            assert!(!quoted(s).contains('\n'), "{s:?}");
        }
    }

    #[test]
    fn words_are_plain_only_when_safe() {
        assert_eq!(word("major_outage"), "major_outage");
        assert_eq!(word("mail-restore"), "mail-restore");
        assert_eq!(word("0day"), "\"0day\"");
        assert_eq!(word("no"), "\"no\"");
        assert_eq!(word("a b"), "\"a b\"");
    }

    #[test]
    fn prose_is_plain_only_when_it_reads_back_the_same() {
        assert_eq!(prose("Neuer Dienst, z. B. für alle."), "Neuer Dienst, z. B. für alle.");
        assert_eq!(prose("Von 18:00 bis 22:00 Uhr"), "Von 18:00 bis 22:00 Uhr");
        assert_eq!(prose("Zeit: 18 Uhr"), "\"Zeit: 18 Uhr\"");
        assert_eq!(prose("Yes"), "\"Yes\"");
        assert_eq!(prose("# x"), "\"# x\"");
        for s in ["Neuer Dienst", "Von 18:00 bis 22:00 Uhr", "a [b] {c}, d"] {
            assert_eq!(roundtrip_plain(&prose(s)), s);
        }
    }

    fn roundtrip_plain(v: &str) -> String {
        let m: std::collections::BTreeMap<String, String> =
            serde_yaml::from_str(&format!("k: {v}\n")).unwrap();
        m["k"].clone()
    }
}
