//! Which files under `content/` are content, and reading one of them: the walk of the
//! content folders, the ids that file names give, and the size and encoding limits.

use super::document::{DocFile, DocKind};
use crate::diagnostics::{one_of, suggestion, Diagnostics};
use crate::model::SiteConfig;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Larger content files are refused rather than read: no status text is this long.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Read a content file as UTF-8 text with a size limit; problems become diagnostics.
pub(super) fn read_text(path: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<String> {
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            diags.error(rel, 0, 0, format!("file is {} bytes; expected at most {MAX_FILE_BYTES}", m.len()));
            return None;
        }
        Err(e) => {
            diags.error(rel, 0, 0, format!("cannot read: {e}"));
            return None;
        }
        _ => {}
    }
    match std::fs::read(path) {
        Ok(bytes) => decode_text(bytes, rel, diags),
        Err(e) => {
            diags.error(rel, 0, 0, format!("cannot read: {e}"));
            None
        }
    }
}

/// A content file's bytes as text: UTF-8, without a leading byte order mark.
pub(super) fn decode_text(bytes: Vec<u8>, rel: &Path, diags: &mut Diagnostics) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Some(s.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(s)),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            diags.error(rel, line, col, "invalid UTF-8 byte; expected text encoded as UTF-8");
            None
        }
    }
}

/// An id from a file name: lowercase ASCII letters, digits and `-`, starting with a
/// letter or digit. This is what makes file names safe to use as URLs.
pub fn is_valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.len() <= 100
}

pub(super) fn id_problem(s: &str) -> String {
    format!(
        "`{s}` is not a valid id; expected lowercase ASCII letters, digits and `-`, starting with a letter or digit{}",
        if s.chars().any(|c| c.is_ascii_uppercase()) {
            format!(" (e.g. `{}`)", s.to_ascii_lowercase().replace([' ', '_'], "-"))
        } else {
            String::new()
        }
    )
}

#[derive(Default)]
pub(super) struct Listing {
    pub(super) services: Vec<(String, PathBuf)>,
    pub(super) incidents: Vec<(String, PathBuf)>,
    pub(super) notices: Vec<DocFile>,
    pub(super) guides: Vec<DocFile>,
    pub(super) static_files: Vec<PathBuf>,
}

/// Editors' backup, swap and lock files, and hidden files: never content.
pub fn is_ignored_file(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

fn list_dir(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

pub(super) fn list_content(
    content: &Path,
    root: &Path,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Listing {
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let mut out = Listing::default();
    for (folder, is_services) in [("services", true), ("incidents", false)] {
        for p in list_dir(&content.join(folder)) {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            if is_ignored_file(&name) {
                continue;
            }
            if p.is_dir() {
                diags.warning(&rel(&p), 0, 0, "folder ignored; expected only `<id>.yaml` files here");
                continue;
            }
            let Some(id) = name.strip_suffix(".yaml") else {
                let hint = if name.ends_with(".yml") { "; rename it to `.yaml`" } else { "" };
                diags.error(&rel(&p), 0, 0, format!("`{name}` is not a `<id>.yaml` file{hint}"));
                continue;
            };
            if !is_valid_id(id) {
                diags.error(&rel(&p), 0, 0, format!("file name: {}", id_problem(id)));
                continue;
            }
            if is_services {
                out.services.push((id.to_string(), p));
            } else {
                out.incidents.push((id.to_string(), p));
            }
        }
    }
    for (folder, kind) in [("notices", DocKind::Notice), ("guides", DocKind::Guide)] {
        let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
        for p in list_dir(&content.join(folder)) {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            if is_ignored_file(&name) {
                continue;
            }
            if p.is_dir() {
                diags.warning(&rel(&p), 0, 0, "folder ignored; expected only `<id>.<lang>.md` files here");
                continue;
            }
            let Some(stem) = name.strip_suffix(".md") else {
                diags.error(
                    &rel(&p),
                    0,
                    0,
                    format!("`{name}` is not a Markdown file; expected `<id>.<lang>.md`"),
                );
                continue;
            };
            let (id, lang) = match stem.rsplit_once('.') {
                Some((id, lang)) => (id, lang.to_string()),
                None => (stem, config.languages[0].clone()),
            };
            if !config.languages.contains(&lang) {
                diags.error(
                    &rel(&p),
                    0,
                    0,
                    format!(
                        "file name: `{lang}` is not a language of this site; expected {}{}",
                        one_of(&config.languages),
                        suggestion(&lang, config.languages.iter().map(String::as_str))
                    ),
                );
                continue;
            }
            if !is_valid_id(id) {
                diags.error(&rel(&p), 0, 0, format!("file name: {}", id_problem(id)));
                continue;
            }
            if !seen.insert((id.to_string(), lang.clone())) {
                diags.error(&rel(&p), 0, 0, format!("`{id}` exists twice in `{lang}` (with and without the language suffix); keep one file"));
                continue;
            }
            let f = DocFile { kind, id: id.to_string(), lang, path: p };
            match kind {
                DocKind::Notice => out.notices.push(f),
                DocKind::Guide => out.guides.push(f),
            }
        }
    }
    let static_dir = content.join("static");
    if static_dir.is_dir() {
        for e in walkdir::WalkDir::new(&static_dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
            if !e.file_type().is_file() {
                continue;
            }
            let Ok(r) = e.path().strip_prefix(&static_dir) else { continue };
            let name = e.file_name().to_str().unwrap_or("");
            if is_ignored_file(name) {
                continue;
            }
            let safe = r.components().all(|c| match c {
                std::path::Component::Normal(s) => s.to_str().is_some_and(|s| {
                    !s.is_empty()
                        && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                        && !s.starts_with('.')
                }),
                _ => false,
            });
            if !safe {
                diags.error(
                    &rel(e.path()),
                    0,
                    0,
                    "file name is not safe as a URL; expected ASCII letters, digits, `-`, `_` and `.`",
                );
                continue;
            }
            out.static_files.push(r.to_path_buf());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["exchange", "mail-2", "0day"] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in ["", "Exchange", "a b", "..", "a/b", "-x", "a_b", "ä"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }
}
