//! `aushang update`: append one timestamped update to a service or incident file.
//!
//! The file is edited as text, not re-serialized: the new item is added after the last
//! item of the `updates:` list, so comments, key order, quoting and blank lines of
//! everything else stay byte-identical (when the list ends the file, the old file is an
//! exact prefix of the new one) and the commit shows one added block. The edit is then
//! proven by parsing both versions: the new document must equal the old one with exactly
//! this item appended, otherwise nothing is written.

use super::write::{replace_file, validate_with, ContentLock, ValidationOutcome};
use super::yaml::{quoted, word};
use super::{AuthorError, ID_RULES};
use crate::diagnostics::{one_of, suggestion, Diagnostics, Severity};
use crate::model::load::is_valid_id;
use crate::model::time::{parse_timestamp, resolve_now};
use crate::model::{load_site, IncidentKind, Phase, Site};
use chrono::SecondsFormat;
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
    let tz = site.config.timezone;
    let is_service = rel.starts_with("services");

    let at = match &req.at {
        Some(s) => parse_timestamp(s, tz).map_err(|e| AuthorError::Refused(format!("--at: {e}")))?,
        None => resolve_now(None, tz).map_err(AuthorError::Usage)?,
    };
    let at_str = at.with_timezone(&tz).fixed_offset().to_rfc3339_opts(SecondsFormat::Secs, false);

    let mut fields = vec![format!("at: {at_str}")];
    if is_service {
        fields.extend(service_fields(&site, &req.id, req)?);
    } else {
        fields.extend(incident_fields(&site, &req.id, req)?);
    }
    fields.extend(text_fields(&site, &req.text)?);

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
    Ok(UpdateOutcome { file: shown, appended: appended.item, at: at_str, warnings })
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

fn unknown_state(site: &Site, state: &str, what: &str) -> AuthorError {
    let ids: Vec<&str> = site.states.ids().collect();
    AuthorError::Refused(format!(
        "unknown state `{state}`{what}; expected {}{}",
        one_of(&ids),
        suggestion(state, ids.iter().copied())
    ))
}

fn service_fields(site: &Site, id: &str, req: &UpdateRequest) -> Result<Vec<String>, AuthorError> {
    if req.phase.is_some() {
        return Err(AuthorError::Usage(format!(
            "`{id}` is a service: use --status STATE (--phase is for incidents)"
        )));
    }
    if !req.set.is_empty() {
        return Err(AuthorError::Usage(format!(
            "`{id}` is a service: --set is for incidents; use --status STATE"
        )));
    }
    let Some(status) = &req.status else {
        return Err(AuthorError::Usage(format!("`{id}` is a service: --status STATE is required")));
    };
    if site.states.get(status).is_none() {
        return Err(unknown_state(site, status, ""));
    }
    Ok(vec![format!("status: {}", word(status))])
}

fn incident_fields(site: &Site, id: &str, req: &UpdateRequest) -> Result<Vec<String>, AuthorError> {
    let kind = site.incident(id).map(|i| i.kind).unwrap_or(IncidentKind::Incident);
    let what = kind.as_str();
    let a_kind = |k: IncidentKind| match k {
        IncidentKind::Incident => "an incident",
        IncidentKind::Maintenance => "a maintenance",
    };
    let this = a_kind(kind);
    if req.status.is_some() {
        return Err(AuthorError::Usage(format!(
            "`{id}` is {this}: use --phase PHASE, and --set SERVICE=STATE to change services' \
             states (--status is for services)"
        )));
    }
    let phases: Vec<&str> = kind.phases().iter().map(|p| p.as_str()).collect();
    let Some(phase) = &req.phase else {
        return Err(AuthorError::Usage(format!(
            "`{id}` is {this}: --phase is required, one of {}",
            one_of(&phases)
        )));
    };
    if !phases.contains(&phase.as_str()) {
        let other = match kind {
            IncidentKind::Incident => IncidentKind::Maintenance,
            IncidentKind::Maintenance => IncidentKind::Incident,
        };
        let hint = if Phase::parse(phase).is_some_and(|p| p.kind() == other) {
            format!(" (`{phase}` is a phase of {}, but `{id}` is {this})", a_kind(other))
        } else {
            suggestion(phase, phases.iter().copied())
        };
        return Err(AuthorError::Refused(format!(
            "unknown {what} phase `{phase}`; expected {}{hint}",
            one_of(&phases)
        )));
    }
    let mut fields = vec![format!("phase: {}", word(phase))];
    if !req.set.is_empty() {
        fields.push("set:".to_string());
        let mut seen: Vec<&str> = Vec::new();
        for (svc, state) in &req.set {
            if seen.contains(&svc.as_str()) {
                return Err(AuthorError::Usage(format!("--set names `{svc}` twice")));
            }
            seen.push(svc);
            if site.service(svc).is_none() {
                return Err(AuthorError::Refused(format!(
                    "--set: unknown service `{svc}`; expected the id of a file in content/services/{}",
                    suggestion(svc, site.services.iter().map(|s| s.id.as_str()))
                )));
            }
            if site.states.get(state).is_none() {
                return Err(unknown_state(site, state, &format!(" for `{svc}`")));
            }
            fields.push(format!("  {}: {}", word(svc), word(state)));
        }
    }
    Ok(fields)
}

/// `text: "..."` when one text serves all languages, else `text:` with one line per
/// language in the site's order.
fn text_fields(site: &Site, input: &TextInput) -> Result<Vec<String>, AuthorError> {
    let langs = &site.config.languages;
    let mut per: Vec<(&str, &str)> = Vec::new();
    for (lang, text) in &input.per_lang {
        if !langs.contains(lang) {
            return Err(AuthorError::Refused(format!(
                "`{lang}` is not a language of this site; expected {}{}",
                one_of(langs),
                suggestion(lang, langs.iter().map(String::as_str))
            )));
        }
        if per.iter().any(|(l, _)| l == lang) {
            return Err(AuthorError::Usage(format!("two texts for `{lang}`; give each language once")));
        }
        per.push((lang, text));
    }
    let all = input.all.as_deref();
    for t in per.iter().map(|(_, t)| *t).chain(all) {
        if t.trim().is_empty() {
            return Err(AuthorError::Usage("empty text; readers need to know what changed".into()));
        }
    }
    if per.is_empty() {
        return match all {
            Some(t) => Ok(vec![format!("text: {}", quoted(t))]),
            None => Err(AuthorError::Usage(format!(
                "no text; give {} (or --text TEXT for all languages)",
                langs.iter().map(|l| format!("--{l} TEXT")).collect::<Vec<_>>().join(" ")
            ))),
        };
    }
    let mut fields = vec!["text:".to_string()];
    for lang in langs {
        let text = per.iter().find(|(l, _)| l == lang).map(|(_, t)| *t).or(all);
        if let Some(t) = text {
            fields.push(format!("  {}: {}", word(lang), quoted(t)));
        }
    }
    Ok(fields)
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

/// A new file text and the lines that were added to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    pub text: String,
    pub item: String,
}

/// Why an append could not be done safely by text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppendError {
    #[error(
        "`updates` is written as {0}; expected a block list (`updates:` followed by `  - at: ...` lines)"
    )]
    NotABlockList(String),
    #[error("`updates` appears more than once")]
    Duplicate,
    #[error(
        "the file's layout is unusual ({0}), so the update cannot be appended without touching other lines"
    )]
    Unverified(String),
}

struct Line<'a> {
    text: &'a str,
    /// Byte offset of the line's first character.
    start: usize,
    /// Byte offset just after this line's line break (or the end of the file).
    next: usize,
}

fn split_lines(src: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut pos = 0;
    for raw in src.split_inclusive('\n') {
        let start = pos;
        pos += raw.len();
        let text = raw.strip_suffix('\n').unwrap_or(raw);
        let text = text.strip_suffix('\r').unwrap_or(text);
        out.push(Line { text, start, next: pos });
    }
    out
}

/// One list item: `fields[0]` after the dash, the rest aligned under it. Fields carry
/// their own relative indentation (`"  de: ..."` under `"text:"`).
pub fn render_item(fields: &[String], indent: usize, eol: &str) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        out.push_str(&pad);
        out.push_str(if i == 0 { "- " } else { "  " });
        out.push_str(f);
        out.push_str(eol);
    }
    out
}

/// What follows `updates:` on its own line.
enum KeyValue {
    /// Nothing (or a comment): a block list follows, or the list is empty.
    Block,
    /// `[]`, `~` or `null`, at this byte range of the line: replaced by a block list.
    Empty(usize, usize),
}

/// `Some(value)` if `line` is the top-level key `updates`.
fn updates_key(line: &str) -> Option<Result<KeyValue, AppendError>> {
    let rest = line.strip_prefix("updates")?;
    let after_name = rest.trim_start_matches([' ', '\t']);
    let value = after_name.strip_prefix(':')?;
    if !(value.is_empty() || value.starts_with([' ', '\t'])) {
        return None;
    }
    let colon_end = line.len() - value.len();
    let v = value.trim_start_matches([' ', '\t']);
    let start = line.len() - v.len();
    if v.is_empty() || v.starts_with('#') {
        return Some(Ok(KeyValue::Block));
    }
    for token in ["[]", "~", "null", "Null", "NULL"] {
        if let Some(after) = v.strip_prefix(token) {
            let tail = after.trim_start_matches([' ', '\t']);
            if tail.is_empty() || (tail.starts_with('#') && after.len() > tail.len()) {
                // Replace from just after the colon, so `updates: []` becomes `updates:`
                // and a trailing comment keeps its place.
                return Some(Ok(KeyValue::Empty(colon_end, start + token.len())));
            }
        }
    }
    let shown: String = v.chars().take(30).collect();
    Some(Err(AppendError::NotABlockList(format!("`{shown}`"))))
}

/// Append one item (see [`render_item`]) to the top-level `updates:` list of `src`.
pub fn append_update(src: &str, fields: &[String]) -> Result<Appended, AppendError> {
    let eol = if src.contains("\r\n") { "\r\n" } else { "\n" };
    let lines = split_lines(src);
    let mut key: Option<(usize, KeyValue)> = None;
    for (i, l) in lines.iter().enumerate() {
        let text = if i == 0 { l.text.trim_start_matches('\u{feff}') } else { l.text };
        if let Some(v) = updates_key(text) {
            if key.is_some() {
                return Err(AppendError::Duplicate);
            }
            let v = v?;
            // Offsets were computed on the line without a BOM.
            let v = match v {
                KeyValue::Empty(a, b) => {
                    let bom = l.text.len() - text.len();
                    KeyValue::Empty(a + bom, b + bom)
                }
                other => other,
            };
            key = Some((i, v));
        }
    }
    let ends_with_break = src.is_empty() || src.ends_with('\n');
    let appended = match key {
        None => {
            let item = render_item(fields, 2, eol);
            let mut text = String::from(src);
            if !ends_with_break {
                text.push_str(eol);
            }
            let added = format!("updates:{eol}{item}");
            text.push_str(&added);
            Appended { text, item: added }
        }
        Some((k, KeyValue::Empty(a, b))) => {
            let line_start = lines[k].start;
            let item = render_item(fields, 2, eol);
            let mut text = String::with_capacity(src.len() + item.len() + 2);
            text.push_str(&src[..line_start + a]);
            text.push_str(&lines[k].text[b..]);
            text.push_str(eol);
            text.push_str(&item);
            text.push_str(&src[lines[k].next..]);
            Appended { text, item }
        }
        Some((k, KeyValue::Block)) => append_to_block(src, &lines, k, fields, eol)?,
    };
    verify(src, &appended.text, fields)?;
    Ok(appended)
}

fn append_to_block(
    src: &str,
    lines: &[Line<'_>],
    key: usize,
    fields: &[String],
    eol: &str,
) -> Result<Appended, AppendError> {
    let mut dash_indent: Option<usize> = None;
    let mut last_content: Option<usize> = None;
    let mut terminator: Option<usize> = None;
    // Whether items are separated by blank lines, a style the new item should follow.
    let mut blank_before_item = false;
    let mut prev_blank = false;
    for (i, line) in lines.iter().enumerate().skip(key + 1) {
        let t = line.text;
        let body = t.trim_start_matches(' ');
        if body.trim().is_empty() {
            prev_blank = true;
            continue;
        }
        let indent = t.len() - body.len();
        let comment = body.starts_with('#');
        let dash = body == "-" || body.starts_with("- ") || body.starts_with("-\t");
        if indent == 0 && !comment && !(dash && dash_indent.unwrap_or(0) == 0) {
            // The next top-level key (or a document marker): the list ended before it.
            terminator = Some(i);
            break;
        }
        if indent == 0 && comment {
            // A comment in column 0 belongs to what follows it, not to the list.
            prev_blank = false;
            continue;
        }
        if !comment {
            match dash_indent {
                None if dash => dash_indent = Some(indent),
                None => return Err(AppendError::NotABlockList("a mapping or text".into())),
                Some(d) if dash && d == indent && prev_blank => blank_before_item = true,
                _ => {}
            }
        }
        last_content = Some(i);
        prev_blank = false;
    }
    let indent = dash_indent.unwrap_or(2);
    let mut item = String::new();
    if blank_before_item {
        item.push_str(eol);
    }
    item.push_str(&render_item(fields, indent, eol));
    let mut text = String::with_capacity(src.len() + item.len() + 2);
    match terminator {
        Some(_) => {
            let at = lines[last_content.unwrap_or(key)].next;
            text.push_str(&src[..at]);
            text.push_str(&item);
            text.push_str(&src[at..]);
        }
        None => {
            // The list runs to the end of the file: append, keeping the old file an exact
            // prefix of the new one.
            text.push_str(src);
            if !(src.is_empty() || src.ends_with('\n')) {
                text.push_str(eol);
            }
            if blank_before_item && (src.ends_with("\n\n") || src.ends_with("\r\n\r\n")) {
                item.drain(..eol.len());
            }
            text.push_str(&item);
        }
    }
    Ok(Appended { text, item })
}

/// Prove the textual edit: the new document must be the old one with exactly this item
/// appended to `updates`, and nothing else changed.
fn verify(old: &str, new: &str, fields: &[String]) -> Result<(), AppendError> {
    use serde_yaml::Value;
    let parse = |s: &str| serde_yaml::from_str::<Value>(s.trim_start_matches('\u{feff}'));
    let unverified = |why: &str| AppendError::Unverified(why.to_string());
    let item = match parse(&render_item(fields, 0, "\n")) {
        Ok(Value::Sequence(mut s)) if s.len() == 1 => s.remove(0),
        _ => return Err(unverified("the new item does not parse")),
    };
    let mut expected = parse(old).map_err(|_| unverified("the file does not parse as YAML"))?;
    let Value::Mapping(map) = &mut expected else {
        return Err(unverified("the file is not a YAML mapping"));
    };
    match map.get_mut("updates") {
        Some(Value::Sequence(list)) => list.push(item),
        Some(v @ Value::Null) => *v = Value::Sequence(vec![item]),
        Some(_) => return Err(AppendError::NotABlockList("something other than a list".into())),
        None => {
            map.insert(Value::String("updates".into()), Value::Sequence(vec![item]));
        }
    }
    let got = parse(new).map_err(|_| unverified("the edited text would not parse"))?;
    if got == expected {
        Ok(())
    } else {
        Err(unverified("the edit would change other values"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> Vec<String> {
        vec![
            "at: 2026-11-27T09:15:00+01:00".to_string(),
            "status: degraded".to_string(),
            "text:".to_string(),
            "  de: \"Langsam\"".to_string(),
            "  en: \"Slow\"".to_string(),
        ]
    }

    fn check(src: &str, expected: &str) {
        let a = append_update(src, &item()).unwrap();
        assert_eq!(a.text, expected);
    }

    #[test]
    fn appends_at_the_end_with_detected_indentation() {
        let src = "name: x # c\nupdates:\n  - at: 2022-01-01\n    status: operational\n";
        let a = append_update(src, &item()).unwrap();
        assert!(a.text.starts_with(src));
        assert_eq!(
            &a.text[src.len()..],
            "  - at: 2026-11-27T09:15:00+01:00\n    status: degraded\n    text:\n      de: \"Langsam\"\n      en: \"Slow\"\n"
        );
        let src0 = "name: x\nupdates:\n- at: 2022-01-01\n  status: operational\n";
        let a = append_update(src0, &item()).unwrap();
        assert!(a.text[src0.len()..].starts_with("- at: 2026"));
        assert!(a.text.contains("\n  text:\n    de: \"Langsam\"\n"));
    }

    #[test]
    fn file_without_final_newline_gets_one() {
        let src = "name: x\nupdates:\n  - at: 2022-01-01\n    status: operational";
        let a = append_update(src, &item()).unwrap();
        assert!(a.text.starts_with(src));
        assert!(a.text[src.len()..].starts_with("\n  - at: 2026"));
    }

    #[test]
    fn inserts_after_the_last_item_when_more_follows() {
        let src = "name: x\nupdates:\n  - at: 2022-01-01\n    status: operational\n    text: |\n      a\n\n      b\n\n# links below\nlinks: []\n";
        let a = append_update(src, &item()).unwrap();
        let (head, tail) = src.split_at(src.find("\n\n# links").unwrap() + 1);
        assert!(a.text.starts_with(head));
        assert!(a.text.ends_with(tail));
        assert_eq!(a.text.len(), src.len() + a.item.len());
    }

    #[test]
    fn empty_and_missing_lists() {
        check("name: x\nupdates: []\n", "name: x\nupdates:\n  - at: 2026-11-27T09:15:00+01:00\n    status: degraded\n    text:\n      de: \"Langsam\"\n      en: \"Slow\"\n");
        let a = append_update("name: x\nupdates: []   # none yet\norder: 3\n", &item()).unwrap();
        assert!(a.text.starts_with("name: x\nupdates:   # none yet\n  - at: 2026"));
        assert!(a.text.ends_with("      en: \"Slow\"\norder: 3\n"));
        let a = append_update("name: x\n", &item()).unwrap();
        assert!(a.text.starts_with("name: x\nupdates:\n  - at: 2026"));
        let a = append_update("name: x", &item()).unwrap();
        assert!(a.text.starts_with("name: x\nupdates:\n  - at:"));
        let a = append_update("name: x\nupdates:\norder: 1\n", &item()).unwrap();
        assert!(a.text.starts_with("name: x\nupdates:\n  - at: 2026"));
        assert!(a.text.ends_with("\norder: 1\n"));
    }

    #[test]
    fn keeps_blank_line_style_and_crlf() {
        let src = "updates:\n  - at: a\n    status: x\n\n  - at: b\n    status: y\nname: n\n";
        let a = append_update(src, &item()).unwrap();
        assert!(a.text.contains("status: y\n\n  - at: 2026"), "{}", a.text);
        let crlf = "name: x\r\nupdates:\r\n  - at: a\r\n    status: x\r\n";
        let a = append_update(crlf, &item()).unwrap();
        assert!(a.text.starts_with(crlf));
        assert!(!a.text[crlf.len()..].replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn refuses_what_it_cannot_do_safely() {
        assert!(matches!(
            append_update("updates: [ { at: a, status: x } ]\n", &item()),
            Err(AppendError::NotABlockList(_))
        ));
        assert!(matches!(append_update("updates:\n  a: b\n", &item()), Err(AppendError::NotABlockList(_))));
        assert!(matches!(append_update("updates:\nupdates:\n", &item()), Err(AppendError::Duplicate)));
        // A quoted scalar running over lines: `updates:` here is text, not a key.
        assert!(append_update("title: \"a\nupdates:\n  b\"\n", &item()).is_err());
    }
}
