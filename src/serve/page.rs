//! What `serve` adds to pages: the live-reload script (only ever injected into responses,
//! never into the built files) and the page that lists content errors in the browser.

use crate::render::escape::escape_html;
use std::fmt;

/// Where open pages listen for rebuilds (server-sent events).
pub const EVENTS_PATH: &str = "/__aushang/events";

/// One problem that stopped the build, as shown in the browser and the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1-based; 0 when the file as a whole is meant.
    pub line: usize,
    pub col: usize,
    pub severity: &'static str,
    pub message: String,
}

impl Problem {
    /// `file:line:col`, or just `file` when no position is known.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.col.max(1))
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.location(), self.severity, self.message)
    }
}

/// The script that reloads the page when the site changes. It knows the generation the
/// page was served from, so a rebuild that happens before the event stream connects (or
/// while the server was restarted) still leads to a reload.
pub fn reload_script(generation: u64) -> String {
    format!(
        "<script>/* aushang serve: live reload (not part of `aushang build` output) */\n\
         (function(){{var seen=\"{generation}\";var es=new EventSource(\"{EVENTS_PATH}\");\
         es.addEventListener(\"reload\",function(e){{if(e.data!==seen){{es.close();location.reload();}}}});}})();\
         </script>\n"
    )
}

/// The page with the reload script inserted before its last `</body>` (or appended, for
/// pages without one).
pub fn inject_reload(html: &[u8], generation: u64) -> Vec<u8> {
    let script = reload_script(generation);
    let at = rfind_ascii_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).rev().find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Shown instead of every page while the content has errors, so that authors notice
/// (the last good site is deliberately not served meanwhile).
pub fn error_page(problems: &[Problem], generation: u64) -> String {
    let errors = problems.iter().filter(|p| p.severity == "error").count();
    let mut items = String::new();
    for p in problems {
        items.push_str(&format!(
            "<li><code>{}</code> <span class=\"{}\">{}</span>: {}</li>\n",
            escape_html(&p.location()),
            p.severity,
            p.severity,
            escape_html(&p.message)
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>aushang: content has errors</title>\n<style>\
         body{{font:16px/1.5 system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}}\
         h1{{color:#b3261e;font-size:1.5rem}}li{{margin:.6rem 0}}\
         code{{font:.9rem ui-monospace,monospace;background:#f1f1f1;padding:.1rem .3rem;overflow-wrap:anywhere}}\
         .error{{color:#b3261e;font-weight:bold}}.warning{{color:#7a5d00;font-weight:bold}}\
         </style>\n</head>\n<body>\n<main>\n<h1>aushang: content has errors</h1>\n\
         <p>The site was not rebuilt: {errors} error(s). Fix them and save; this page reloads by itself.</p>\n\
         <ol>\n{items}</ol>\n</main>\n{}</body>\n</html>\n",
        reload_script(generation)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end() {
        let out = String::from_utf8(inject_reload(b"<body>x</BODY>\n</html>", 7)).unwrap();
        assert!(out.starts_with("<body>x<script>"));
        assert!(out.ends_with("</script>\n</BODY>\n</html>"));
        assert!(out.contains("var seen=\"7\""));
        let out = String::from_utf8(inject_reload(b"plain", 1)).unwrap();
        assert!(out.starts_with("plain<script>"));
    }

    #[test]
    fn error_page_escapes_everything_from_content() {
        let p = Problem {
            file: "content/services/<x>.yaml".into(),
            line: 3,
            col: 0,
            severity: "error",
            message: "unknown state `<script>alert(1)</script>` & more".into(),
        };
        let page = error_page(&[p], 1);
        assert!(page.contains("<title>aushang: content has errors</title>"));
        assert!(page.contains("content/services/&lt;x&gt;.yaml:3:1"));
        assert!(page.contains("`&lt;script&gt;alert(1)&lt;/script&gt;` &amp; more"));
        assert!(!page.contains("<script>alert"));
        assert!(page.contains(EVENTS_PATH));
    }
}
