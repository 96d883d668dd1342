//! `aushang update`: append one timestamped update to a service or incident file.
//!
//! The file is edited as text, not re-serialized: the new item is added after the last
//! item of the `updates:` list, so comments, key order, quoting and blank lines of
//! everything else stay byte-identical (when the list ends the file, the old file is an
//! exact prefix of the new one) and the commit shows one added block. The edit is then
//! proven by parsing both versions: the new document must equal the old one with exactly
//! this item appended, otherwise nothing is written.
//!
//! This module runs the command (lock, site, file, validation, write); `request` turns
//! the request into the item's fields, and `edit` makes and proves the text edit.

mod edit;
mod request;

pub use edit::{append_update, render_item};

use super::write::{replace_file, validate_with, ContentLock, ValidationOutcome};
use super::{AuthorError, ID_RULES};
use crate::diagnostics::{suggestion, Diagnostics, Severity};
use crate::model::load::is_valid_id;
use crate::model::load_site;
pub(crate) use request::item_fields;
use std::path::{Path, PathBuf};

/// The text of an update: one text for every language, and/or one per language.
#[derive(Debug, Clone, Default)]
pub struct TextInput {
    /// `--text`: used for every language that has no text of its own.
    pub all: Option<String>,
    /// `--de`, `--en`, `--lang-text LANG=TEXT`, in the order given.
    pub per_lang: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct UpdateRequest {
    /// A service or incident id (file name without `.yaml`).
    pub id: String,
    /// New state of a service.
    pub status: Option<String>,
    /// New phase of an incident or maintenance.
    pub phase: Option<String>,
    /// Service states an incident update sets, in the order given.
    pub set: Vec<(String, String)>,
    pub text: TextInput,
    /// `--at`; None: now (SOURCE_DATE_EPOCH, else the clock).
    pub at: Option<String>,
}

#[derive(Debug)]
pub struct UpdateOutcome {
    /// The file that was changed, as the user would name it (under `root`).
    pub file: PathBuf,
    /// The lines that were added, exactly as written.
    pub appended: String,
    /// The update's time as written into the file.
    pub at: String,
    /// Warnings about the changed file that this update introduced (e.g. a missing
    /// translation, or an update after the incident was resolved).
    pub warnings: Diagnostics,
}

/// Append the update described by `req` to its file under `root`, or change nothing.
pub fn update(root: &Path, req: &UpdateRequest) -> Result<UpdateOutcome, AuthorError> {
    if !is_valid_id(&req.id) {
        return Err(AuthorError::Usage(format!("`{}` is not a valid id; {ID_RULES}", req.id)));
    }
    let content = root.join("content");
    if !content.is_dir() {
        return Err(AuthorError::Usage(format!(
            "no `content/` folder in `{}`; expected a site root (see --root)",
            root.display()
        )));
    }
    // Everything from reading the file to renaming the new one happens under the lock,
    // so a concurrent update cannot read the old file and overwrite this one's change.
    let _lock = ContentLock::acquire(&content)?;

    let rel = locate(&content, &req.id)?;
    let path = content.join(&rel);
    let shown = shown_path(root, &rel);
    let (site, before) = load_site(root).map_err(|diagnostics| AuthorError::Invalid {
        message: format!(
            "the site has errors already (listed above); fix them first, then post the update. \
             {} is unchanged",
            shown.display()
        ),
        diagnostics,
    })?;
    let is_service = rel.starts_with("services");
    let (fields, at) = item_fields(&site, is_service, req)?;

    let original = std::fs::read_to_string(&path).map_err(|e| AuthorError::io(&path, e))?;
    let appended = append_update(&original, &fields).map_err(|e| {
        AuthorError::Refused(format!(
            "{}: {e}; add the update by hand:\n{}",
            shown.display(),
            render_item(&fields, 2, "\n")
        ))
    })?;

    let warnings = match validate_with(root, &[(rel.clone(), appended.text.clone())])? {
        ValidationOutcome::Invalid(diagnostics) => {
            return Err(AuthorError::Invalid {
                message: format!(
                    "update refused: with it the site would not pass `check`; {} is unchanged",
                    shown.display()
                ),
                diagnostics,
            })
        }
        ValidationOutcome::Valid { warnings } => {
            new_warnings(&before, warnings, &Path::new("content").join(&rel))
        }
    };

    replace_file(&path, appended.text.as_bytes())?;
    Ok(UpdateOutcome { file: shown, appended: appended.item, at, warnings })
}

/// `services/<id>.yaml` or `incidents/<id>.yaml`, whichever exists (relative to content/).
fn locate(content: &Path, id: &str) -> Result<PathBuf, AuthorError> {
    let svc = PathBuf::from("services").join(format!("{id}.yaml"));
    let inc = PathBuf::from("incidents").join(format!("{id}.yaml"));
    match (content.join(&svc).is_file(), content.join(&inc).is_file()) {
        (true, false) => Ok(svc),
        (false, true) => Ok(inc),
        (true, true) => Err(AuthorError::Refused(format!(
            "`{id}` is both a service and an incident (content/{} and content/{}); rename one of them",
            svc.display(),
            inc.display()
        ))),
        (false, false) => {
            let mut ids = list_ids(&content.join("services"));
            ids.extend(list_ids(&content.join("incidents")));
            Err(AuthorError::Refused(format!(
                "no service or incident `{id}`; expected the name of a file in content/services/ or \
                 content/incidents/ without `.yaml`{}",
                suggestion(id, ids.iter().map(String::as_str))
            )))
        }
    }
}

fn list_ids(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| {
                    e.file_name().to_str().and_then(|n| n.strip_suffix(".yaml")).map(String::from)
                })
                .filter(|id| is_valid_id(id))
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// The path as the user would type it: relative when the root is the current folder.
fn shown_path(root: &Path, rel: &Path) -> PathBuf {
    let p = Path::new("content").join(rel);
    if root == Path::new(".") || root.as_os_str().is_empty() {
        p
    } else {
        root.join(p)
    }
}

/// Warnings of `after` about `file` that `before` did not have: what this change caused.
fn new_warnings(before: &Diagnostics, after: Diagnostics, file: &Path) -> Diagnostics {
    let mut out = Diagnostics::default();
    for d in after.iter() {
        let old = before.iter().any(|b| b.file == d.file && b.message == d.message);
        if d.file == file && d.severity == Severity::Warning && !old {
            out.push(d.clone());
        }
    }
    out
}
