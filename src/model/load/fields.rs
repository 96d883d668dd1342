//! One file's parse and the checks every kind of file shares: problems reported by YAML
//! path and located only when something is wrong, localized texts, names and times.

use crate::diagnostics::{one_of, suggestion, Diagnostics};
use crate::model::locate::{display_path, near_precheck_limits, precheck, Locator, Seg, YamlPath};
use crate::model::raw::Reader;
use crate::model::text::{RawText, Text};
use crate::model::time::parse_timestamp;
use std::cell::OnceCell;
use std::path::PathBuf;

/// Per-file reporting: messages name a YAML path; the position is looked up only when
/// something is wrong.
pub(super) struct FileCtx<'a> {
    pub(super) rel: PathBuf,
    src: &'a str,
    line_offset: usize,
    locator: OnceCell<Locator>,
    pub(super) diags: Diagnostics,
    /// Off when the site's languages are broken: every text would be wrong in the same way.
    pub(super) check_languages: bool,
}

impl<'a> FileCtx<'a> {
    pub(super) fn new(rel: PathBuf, src: &'a str, line_offset: usize) -> Self {
        FileCtx {
            rel,
            src,
            line_offset,
            locator: OnceCell::new(),
            diags: Diagnostics::default(),
            check_languages: true,
        }
    }

    fn locator(&self) -> &Locator {
        self.locator.get_or_init(|| Locator::new(self.src, self.line_offset))
    }

    pub(super) fn error(&mut self, path: &[Seg], msg: impl Into<String>) {
        let (l, c) = self.locator().value(path);
        self.diags.error(&self.rel, l, c, with_path(path, msg.into()));
    }

    pub(super) fn error_at_key(&mut self, path: &[Seg], msg: impl Into<String>) {
        let (l, c) = self.locator().key(path);
        self.diags.error(&self.rel, l, c, with_path(path, msg.into()));
    }

    pub(super) fn warning(&mut self, path: &[Seg], msg: impl Into<String>) {
        let (l, c) = self.locator().value(path);
        self.diags.warning(&self.rel, l, c, with_path(path, msg.into()));
    }

    fn serde_error(&mut self, e: &serde_yaml::Error) {
        let (line, col) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
        let msg = explain_yaml_error(e, self.src, self.line_offset);
        self.diags.error(&self.rel, line + self.line_offset, col, msg);
    }

    /// Parse the file and read it with `read`; every problem is reported, and `None`
    /// means the file could not be read at all.
    pub(super) fn parse<T>(&mut self, read: fn(&mut Reader, &serde_yaml::Value) -> Option<T>) -> Option<T> {
        // `precheck` is a second parse of the file. It must come first where the real
        // parser could be made slow or huge: large files, many flow brackets (its time grows
        // with the square of their nesting) and anchors (aliases can multiply values). Any
        // other file is parsed once, and checked only if the result comes near our limits or
        // the parse failed, to say where and why.
        let brackets = self.src.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
        let risky = self.src.len() > PARSE_FIRST_MAX_BYTES
            || brackets > PARSE_FIRST_MAX_BRACKETS
            || self.src.contains('&');
        let parsed: Option<Result<serde_yaml::Value, _>> = (!risky).then(|| serde_yaml::from_str(self.src));
        if parsed.as_ref().is_none_or(|p| p.as_ref().map_or(true, near_precheck_limits)) {
            if let Err(r) = precheck(self.src) {
                self.diags.error(&self.rel, r.line + self.line_offset, r.col, r.message);
                return None;
            }
        }
        let value = match parsed.unwrap_or_else(|| serde_yaml::from_str(self.src)) {
            Ok(v) => v,
            Err(e) => {
                self.serde_error(&e);
                return None;
            }
        };
        let mut reader = Reader::default();
        let out = read(&mut reader, &value);
        for p in reader.problems {
            if p.at_key {
                self.error_at_key(&p.path, p.message);
            } else {
                self.error(&p.path, p.message);
            }
        }
        out
    }

    pub(super) fn text(&mut self, raw: &RawText, path: YamlPath, languages: &[String]) -> Text {
        if !self.check_languages {
            return Text::resolve(raw, languages);
        }
        if let RawText::PerLanguage(map) = raw {
            if map.is_empty() {
                self.error(&path, "empty text; expected a text or { de: ..., en: ... }");
            }
            for (k, _) in map {
                if !languages.contains(k) {
                    let mut p = path.clone();
                    p.push(Seg::Key(k.clone()));
                    self.error_at_key(
                        &p,
                        format!(
                            "`{k}` is not a language of this site; expected {}{}",
                            one_of(languages),
                            suggestion(k, languages.iter().map(String::as_str))
                        ),
                    );
                }
            }
            if map.iter().any(|(k, _)| languages.contains(k)) {
                for lang in languages {
                    if !map.iter().any(|(k, _)| k == lang) {
                        self.warning(&path, format!("missing translation for `{lang}`"));
                    }
                }
            }
        }
        Text::resolve(raw, languages)
    }

    /// A name or title: shown in navigation, page titles and badges, so it must be short.
    pub(super) fn name(&mut self, raw: &RawText, path: YamlPath, languages: &[String]) -> Text {
        let texts: Vec<&str> = match raw {
            RawText::Plain(s) => vec![s.as_str()],
            RawText::PerLanguage(map) => map.iter().map(|(_, v)| v.as_str()).collect(),
        };
        if let Some(long) = texts.into_iter().find(|t| t.chars().count() > MAX_NAME_CHARS) {
            self.error(&path, too_long(long));
        }
        self.text(raw, path, languages)
    }

    pub(super) fn time(
        &mut self,
        s: &str,
        path: YamlPath,
        tz: chrono_tz::Tz,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        match parse_timestamp(s, tz) {
            Ok(t) => Some(t),
            Err(e) => {
                self.error(&path, e);
                None
            }
        }
    }
}

/// Longer names and titles are refused (the longest in the example site has 70).
pub const MAX_NAME_CHARS: usize = 200;

pub(super) fn too_long(s: &str) -> String {
    let start: String = s.chars().take(30).collect();
    format!(
        "`{start}…` is {} characters long; expected a short name or title of at most {MAX_NAME_CHARS} \
         (longer text belongs in `description` or the body)",
        s.chars().count()
    )
}

fn with_path(path: &[Seg], msg: String) -> String {
    if path.is_empty() {
        msg
    } else {
        format!("{}: {msg}", display_path(path))
    }
}

/// Files within these bounds and without anchors are parsed before `precheck`: block
/// nesting this small, deep or not, costs the parser milliseconds, while deep flow
/// nesting (64 KB of `[`) takes it seconds.
const PARSE_FIRST_MAX_BYTES: usize = 64 * 1024;
const PARSE_FIRST_MAX_BRACKETS: usize = 256;

/// The YAML parser's message without the position that leads the diagnostic anyway,
/// with the lines it mentions counted in the whole file (front matter starts on line 2),
/// and a hint for the most common cause, a tab used for indentation.
fn explain_yaml_error(e: &serde_yaml::Error, src: &str, line_offset: usize) -> String {
    let msg = e.to_string();
    let mut out = String::new();
    let mut rest = msg.as_str();
    let mut first = true;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
        let line: usize = after[..digits].parse().unwrap_or(0);
        let mut tail = &after[digits..];
        // The first position is the problem's own, already in front of the message.
        if let Some(col) = tail.strip_prefix(" column ") {
            let n = col.find(|c: char| !c.is_ascii_digit()).unwrap_or(col.len());
            if !first {
                out.push_str(&format!(" at line {} column {}", line + line_offset, &col[..n]));
            }
            tail = &col[n..];
        } else if !first {
            out.push_str(&format!(" at line {}", line + line_offset));
        }
        first = false;
        rest = tail;
    }
    out.push_str(rest);
    let tab = e.location().is_some_and(|l| {
        src.lines().nth(l.line().saturating_sub(1)).is_some_and(|text| {
            let at_tab = text.chars().nth(l.column().saturating_sub(1)) == Some('\t');
            let tab_indented =
                text.contains('\t') && text.chars().take(l.column()).all(|c| c == ' ' || c == '\t');
            at_tab || tab_indented
        })
    });
    let hint = if tab { "; expected spaces for indentation (YAML does not allow tabs)" } else { "" };
    // Integers beyond 64 bits are valid YAML that the value tree cannot hold.
    if let Some(i) = out.find("invalid type: integer") {
        return format!(
            "{}found a number too large to read; expected a smaller one, or quotes around it",
            &out[..i]
        );
    }
    format!("YAML syntax error: {out}{hint}")
}
