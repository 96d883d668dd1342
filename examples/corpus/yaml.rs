//! Helpers that write YAML scalars, bilingual texts and timestamps as authors do.

use super::*;

// ---------------------------------------------------------------------------------------
// YAML helpers

/// A YAML double-quoted scalar: always safe, whatever the text holds (`:`, `#`, `{`).
pub(super) fn q(s: &str) -> String {
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
pub(super) fn text_field(out: &mut String, indent: usize, key: &str, de: &str, en: &str) {
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

pub(super) fn inline_text(de: &str, en: &str) -> String {
    format!("{{ de: {}, en: {} }}", q(de), q(en))
}

pub(super) fn fill(template: &str, service: &str, n: u64) -> String {
    template.replace("{s}", service).replace("{n}", &n.to_string())
}

/// RFC 3339 in the site's zone, as authors write it (`2024-03-12T09:30:00+01:00`).
pub(super) fn ts(t: DateTime<Utc>) -> String {
    t.with_timezone(&Berlin).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}
