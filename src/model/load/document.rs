//! Notices and guides: Markdown files with YAML front matter, one per language, checked
//! on their own and then grouped by id into [`Notice`]s and [`Guide`]s.

use super::fields::{too_long, FileCtx, MAX_NAME_CHARS};
use super::files::read_text;
use super::Ctx;
use crate::diagnostics::{one_of, suggestion, Diagnostics};
use crate::model::locate::Seg;
use crate::model::raw::{RawGuide, RawNotice};
use crate::model::{Document, Guide, Notice, NoticeLevel, Site};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A Markdown file of a notice or guide, named `<id>.<lang>.md` or `<id>.md`.
#[derive(Debug, Clone)]
pub(super) struct DocFile {
    pub(super) kind: DocKind,
    pub(super) id: String,
    pub(super) lang: String,
    pub(super) path: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DocKind {
    Notice,
    Guide,
}

pub(super) struct LoadedDoc {
    pub(super) file: DocFile,
    doc: Document,
    notice: Option<RawNotice>,
    guide: Option<RawGuide>,
    /// Parsed times, already validated: (from, until) or (updated, None).
    times: (Option<chrono::DateTime<chrono::Utc>>, Option<chrono::DateTime<chrono::Utc>>),
    level: NoticeLevel,
}

impl Ctx<'_> {
    pub(super) fn load_document(&self, file: &DocFile, root: &Path) -> (Option<LoadedDoc>, Diagnostics) {
        let rel = file.path.strip_prefix(root).unwrap_or(&file.path).to_path_buf();
        let mut d = Diagnostics::default();
        let Some(src) = read_text(&file.path, &rel, &mut d) else { return (None, d) };
        self.document_from_text(file, rel, &src)
    }

    /// A notice or guide from its text; `rel` names it in messages.
    pub(super) fn document_from_text(
        &self,
        file: &DocFile,
        rel: PathBuf,
        src: &str,
    ) -> (Option<LoadedDoc>, Diagnostics) {
        let mut d = Diagnostics::default();
        let Some((front, body)) = split_front_matter(src) else {
            d.error(&rel, 1, 1, "missing front matter; expected the file to start with a `---` line, YAML, and another `---` line");
            return (None, d);
        };
        let mut f = FileCtx::new(rel.clone(), front, 1);
        let k = |s: &str| vec![Seg::Key(s.to_string())];
        let tz = self.config.timezone;
        let mut loaded = LoadedDoc {
            file: file.clone(),
            doc: Document {
                lang: file.lang.clone(),
                file: rel,
                title: String::new(),
                body: body.to_string(),
            },
            notice: None,
            guide: None,
            times: (None, None),
            level: NoticeLevel::Info,
        };
        match file.kind {
            DocKind::Notice => {
                let Some(raw) = f.parse(RawNotice::read) else { return (None, f.diags) };
                loaded.level = match raw.level.as_deref() {
                    None | Some("info") => NoticeLevel::Info,
                    Some("warning") => NoticeLevel::Warning,
                    Some("critical") => NoticeLevel::Critical,
                    Some(other) => {
                        let levels = ["info", "warning", "critical"];
                        f.error(
                            &k("level"),
                            format!(
                                "unknown level `{other}`; expected {}{}",
                                one_of(&levels),
                                suggestion(other, levels)
                            ),
                        );
                        NoticeLevel::Info
                    }
                };
                let from = raw.from.as_ref().and_then(|t| f.time(&t.0, k("from"), tz));
                let until = raw.until.as_ref().and_then(|t| f.time(&t.0, k("until"), tz));
                if let (Some(a), Some(b)) = (from, until) {
                    if b <= a {
                        f.error(
                            &k("until"),
                            "`until` is before `from`; expected the notice to end after it starts",
                        );
                    }
                }
                loaded.times = (from, until);
                loaded.doc.title = raw.title.clone();
                loaded.notice = Some(raw);
            }
            DocKind::Guide => {
                let Some(raw) = f.parse(RawGuide::read) else { return (None, f.diags) };
                for (i, s) in raw.services.iter().enumerate() {
                    let Some(s) = s else { continue };
                    self.check_service_ref(&mut f, s, vec![Seg::Key("services".into()), Seg::Index(i)]);
                }
                loaded.times.0 = raw.updated.as_ref().and_then(|t| f.time(&t.0, k("updated"), tz));
                loaded.doc.title = raw.title.clone();
                loaded.guide = Some(raw);
            }
        }
        if loaded.doc.title.trim().is_empty() {
            f.error(&k("title"), "empty title; expected a short title");
        } else if loaded.doc.title.chars().count() > MAX_NAME_CHARS {
            let msg = too_long(&loaded.doc.title);
            f.error(&k("title"), msg);
        }
        let ok = f.diags.error_count() == 0;
        (ok.then_some(loaded), f.diags)
    }
}

/// Split `---\n<yaml>\n---\n<body>`; None when the file has no front matter.
pub fn split_front_matter(src: &str) -> Option<(&str, &str)> {
    let rest = src.strip_prefix("---\n").or_else(|| src.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body = &rest[offset + line.len()..];
            return Some((&rest[..offset], body));
        }
        offset += line.len();
    }
    None
}

/// Group per-language documents into notices and guides; metadata comes from the
/// default language's file where there is one.
pub(super) fn assemble_documents(
    site: &mut Site,
    docs: Vec<LoadedDoc>,
    notice_files: &BTreeSet<(String, String)>,
    diags: &mut Diagnostics,
) {
    let langs = site.config.languages.clone();
    let lang_pos = |l: &str| langs.iter().position(|x| x == l).unwrap_or(usize::MAX);
    let mut by_id: std::collections::BTreeMap<(u8, String), Vec<LoadedDoc>> = Default::default();
    for d in docs {
        let kind = if d.file.kind == DocKind::Notice { 0 } else { 1 };
        by_id.entry((kind, d.file.id.clone())).or_default().push(d);
    }
    for ((kind, id), mut group) in by_id {
        group.sort_by_key(|d| lang_pos(&d.file.lang));
        let primary = &group[0];
        if kind == 0 {
            for other in &group[1..] {
                let (a, b) = (primary.notice.as_ref(), other.notice.as_ref());
                if let (Some(a), Some(b)) = (a, b) {
                    if a.pinned != b.pinned || primary.level != other.level || primary.times != other.times {
                        diags.warning(
                            &other.doc.file,
                            2,
                            1,
                            format!(
                                "level, pinned, from or until differ from `{}`; that file's values are used",
                                primary.doc.file.display()
                            ),
                        );
                    }
                }
            }
            for l in &langs {
                if !notice_files.contains(&(id.clone(), l.clone())) {
                    diags.warning(
                        &primary.doc.file,
                        1,
                        1,
                        format!("missing translation for `{l}` (no `{id}.{l}.md`)"),
                    );
                }
            }
            site.notices.push(Notice {
                id,
                level: primary.level,
                pinned: primary.notice.as_ref().is_some_and(|n| n.pinned),
                from: primary.times.0,
                until: primary.times.1,
                docs: group.iter().map(|d| d.doc.clone()).collect(),
            });
        } else {
            let raw = primary.guide.as_ref();
            let mut services: Vec<String> = Vec::new();
            for d in &group {
                for s in
                    d.guide.as_ref().map(|g| g.services.clone()).unwrap_or_default().into_iter().flatten()
                {
                    if !services.contains(&s) {
                        services.push(s);
                    }
                }
            }
            site.guides.push(Guide {
                slug: id,
                services,
                updated: group.iter().filter_map(|d| d.times.0).max(),
                order: raw.and_then(|g| g.order).unwrap_or(0),
                summaries: group.iter().map(|d| d.guide.as_ref().and_then(|g| g.summary.clone())).collect(),
                docs: group.iter().map(|d| d.doc.clone()).collect(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter() {
        let (fm, body) = split_front_matter("---\ntitle: x\n---\nBody\n").unwrap();
        assert_eq!(fm, "title: x\n");
        assert_eq!(body, "Body\n");
        assert!(split_front_matter("title: x\n").is_none());
        assert!(split_front_matter("---\ntitle: x\n").is_none());
    }
}
