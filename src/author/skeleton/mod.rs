//! `aushang new`: commented skeletons for a service, incident, maintenance, notice or
//! guide. Each one is real starting text in every site language, explains its fields in
//! comments (in the words of docs/content.md), and passes `check` exactly as written: the
//! group, the affected service and the times are taken from the site itself.
//!
//! This module runs the command and reads what it needs of the site; `text` writes the
//! skeletons themselves.

mod text;

use super::write::{create_file, validate_with, ContentLock, ValidationOutcome};
use super::{AuthorError, ID_RULES};
use crate::diagnostics::Diagnostics;
use crate::model::load::is_valid_id;
use crate::model::state::BUILTIN;
use crate::model::time::resolve_now;
use chrono_tz::Tz;
use std::path::{Path, PathBuf};
use text::skeleton_files;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Service,
    Incident,
    Maintenance,
    Notice,
    Guide,
}

impl NewKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NewKind::Service => "service",
            NewKind::Incident => "incident",
            NewKind::Maintenance => "maintenance",
            NewKind::Notice => "notice",
            NewKind::Guide => "guide",
        }
    }
}

#[derive(Debug)]
pub struct NewOutcome {
    /// The files written, as the user would name them (under `root`).
    pub files: Vec<PathBuf>,
    /// Errors the site already had in other files (the new files have none).
    pub other_errors: usize,
    /// Warnings about the new files (normally none).
    pub warnings: Diagnostics,
}

/// What a skeleton needs to know about the site, read from `site.yaml` directly so that
/// a mistake in an unrelated file does not stop anyone from starting a new one.
struct SiteInfo {
    languages: Vec<String>,
    tz: Tz,
    first_group: Option<String>,
    first_service: Option<String>,
    states: Vec<String>,
}

/// Write the skeleton of `kind` named `id` under `root`, or nothing.
pub fn new_item(root: &Path, kind: NewKind, id: &str) -> Result<NewOutcome, AuthorError> {
    if !is_valid_id(id) {
        return Err(AuthorError::Usage(format!("`{id}` is not a valid id; {ID_RULES}")));
    }
    let content = root.join("content");
    if !content.is_dir() {
        return Err(AuthorError::Usage(format!(
            "no `content/` folder in `{}`; expected a site root (see --root, or `aushang init DIR`)",
            root.display()
        )));
    }
    let _lock = ContentLock::acquire(&content)?;
    let info = site_info(root)?;
    let now = resolve_now(None, info.tz).map_err(AuthorError::Usage)?;
    let files = skeleton_files(kind, id, &info, now);

    refuse_existing(&content, kind, id, &info, &files)?;

    let new_paths: Vec<PathBuf> = files.iter().map(|(rel, _)| Path::new("content").join(rel)).collect();
    let (other_errors, warnings) = match validate_with(root, &files)? {
        ValidationOutcome::Valid { warnings, .. } => (0, only_in(&warnings, &new_paths)),
        ValidationOutcome::Invalid(diags) => {
            let mine = only_in(&diags, &new_paths);
            if mine.error_count() > 0 {
                // A skeleton that fails `check` is a bug here, not the author's fault;
                // say so rather than leave a broken file behind.
                return Err(AuthorError::Invalid {
                    message: format!(
                        "the {} skeleton would not pass `check` on this site (a bug in aushang; \
                         please report it); nothing was written",
                        kind.as_str()
                    ),
                    diagnostics: mine,
                });
            }
            (diags.error_count(), mine)
        }
    };

    let mut written: Vec<PathBuf> = Vec::new();
    for (rel, text) in &files {
        let path = content.join(rel);
        if let Err(e) = create_file(&path, text.as_bytes()) {
            // All or nothing: a notice in one language only would be half a notice.
            for p in &written {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
        written.push(path);
    }
    let shown = |rel: &PathBuf| {
        let p = Path::new("content").join(rel);
        if root == Path::new(".") || root.as_os_str().is_empty() {
            p
        } else {
            root.join(p)
        }
    };
    Ok(NewOutcome { files: files.iter().map(|(rel, _)| shown(rel)).collect(), other_errors, warnings })
}

fn only_in(diags: &Diagnostics, files: &[PathBuf]) -> Diagnostics {
    let mut out = Diagnostics::default();
    for d in diags.iter().filter(|d| files.contains(&d.file)) {
        out.push(d.clone());
    }
    out
}

fn refuse_existing(
    content: &Path,
    kind: NewKind,
    id: &str,
    info: &SiteInfo,
    files: &[(PathBuf, String)],
) -> Result<(), AuthorError> {
    for (rel, _) in files {
        let p = content.join(rel);
        if p.exists() {
            return Err(AuthorError::Refused(format!(
                "content/{} already exists; refusing to overwrite it (choose another id, or edit that file)",
                rel.display()
            )));
        }
    }
    // Names that would clash with the new files without being the same file.
    let clashes: Vec<PathBuf> = match kind {
        NewKind::Service => vec![PathBuf::from("incidents").join(format!("{id}.yaml"))],
        NewKind::Incident | NewKind::Maintenance => {
            vec![PathBuf::from("services").join(format!("{id}.yaml"))]
        }
        NewKind::Notice => vec![PathBuf::from("notices").join(format!("{id}.md"))],
        NewKind::Guide => vec![PathBuf::from("guides").join(format!("{id}.md"))],
    };
    for rel in clashes {
        if content.join(&rel).exists() {
            let why = match kind {
                NewKind::Notice | NewKind::Guide => format!(
                    "it is the `{id}` {} in {} already",
                    kind.as_str(),
                    info.languages.first().map(String::as_str).unwrap_or("the default language")
                ),
                _ => "`aushang update` could not tell the two apart".to_string(),
            };
            return Err(AuthorError::Refused(format!(
                "content/{} exists; refusing to create a {} with the same id ({why})",
                rel.display(),
                kind.as_str()
            )));
        }
    }
    Ok(())
}

fn site_info(root: &Path) -> Result<SiteInfo, AuthorError> {
    use serde_yaml::Value;
    let path = root.join("content").join("site.yaml");
    let src = std::fs::read_to_string(&path).map_err(|e| AuthorError::io(&path, e))?;
    let fix_first = |what: String| {
        AuthorError::Refused(format!("content/site.yaml: {what}; fix it first (see `aushang check`)"))
    };
    let doc: Value =
        serde_yaml::from_str(src.trim_start_matches('\u{feff}')).map_err(|e| fix_first(e.to_string()))?;
    let strings = |key: &str| -> Vec<String> {
        match doc.get(key) {
            Some(Value::Sequence(items)) => {
                items.iter().filter_map(|v| v.as_str().map(String::from)).collect()
            }
            _ => Vec::new(),
        }
    };
    let ids = |key: &str| -> Vec<String> {
        match doc.get(key) {
            Some(Value::Sequence(items)) => {
                items.iter().filter_map(|v| v.get("id").and_then(Value::as_str).map(String::from)).collect()
            }
            _ => Vec::new(),
        }
    };
    let mut languages: Vec<String> = Vec::new();
    for l in strings("languages") {
        let ok = (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase());
        if ok && !languages.contains(&l) {
            languages.push(l);
        }
    }
    if languages.is_empty() {
        return Err(fix_first("no valid `languages`".into()));
    }
    let tz_name = doc.get("timezone").and_then(Value::as_str).unwrap_or("");
    let tz: Tz = tz_name.parse().map_err(|_| fix_first(format!("`{tz_name}` is not an IANA timezone")))?;
    let first_group = ids("groups").into_iter().next();
    // The service listed first on the status page, when the site loads; else the first
    // by name. It is only a starting point the author replaces.
    let first_service = crate::model::load_site(root)
        .ok()
        .and_then(|(site, _)| site.services.first().map(|s| s.id.clone()))
        .or_else(|| first_id(&root.join("content").join("services")));
    let mut states: Vec<String> = BUILTIN.iter().map(|s| s.0.to_string()).collect();
    for id in ids("states") {
        if !states.contains(&id) {
            states.push(id);
        }
    }
    Ok(SiteInfo { languages, tz, first_group, first_service, states })
}

fn first_id(dir: &Path) -> Option<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".yaml")).map(String::from))
        .filter(|id| is_valid_id(id))
        .collect();
    ids.sort();
    ids.into_iter().next()
}
