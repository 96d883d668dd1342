//! `content/services/<id>.yaml`: a service's name, group, links and own updates.

use super::fields::FileCtx;
use super::files::read_text;
use super::Ctx;
use crate::diagnostics::{one_of, suggestion, Diagnostics};
use crate::model::locate::Seg;
use crate::model::raw::RawService;
use crate::model::state::StateId;
use crate::model::{LinkTarget, ServiceLink, ServiceRecord, ServiceUpdate};
use std::path::{Path, PathBuf};

impl Ctx<'_> {
    pub(super) fn load_service(
        &self,
        id: &str,
        path: &Path,
        root: &Path,
    ) -> (Option<ServiceRecord>, Diagnostics) {
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let mut d = Diagnostics::default();
        let Some(src) = read_text(path, &rel, &mut d) else { return (None, d) };
        self.service_from_text(id, rel, &src)
    }

    /// A service file from its text; `rel` names it in messages.
    pub(super) fn service_from_text(
        &self,
        id: &str,
        rel: PathBuf,
        src: &str,
    ) -> (Option<ServiceRecord>, Diagnostics) {
        let mut f = FileCtx::new(rel, src, 0);
        let Some(raw) = f.parse(RawService::read) else { return (None, f.diags) };
        let k = |s: &str| vec![Seg::Key(s.to_string())];
        let name = f.name(&raw.name, k("name"), self.langs());
        let description = raw.description.as_ref().map(|t| f.text(t, k("description"), self.langs()));
        if let Some(g) = &raw.group {
            if self.config.groups.is_empty() {
                f.error(&k("group"), format!("group `{g}` given, but site.yaml defines no `groups`"));
            } else if !self.config.groups.iter().any(|x| &x.id == g) {
                let ids: Vec<&str> = self.config.groups.iter().map(|x| x.id.as_str()).collect();
                f.error(
                    &k("group"),
                    format!(
                        "unknown group `{g}`; expected {}{}",
                        one_of(&ids),
                        suggestion(g, ids.iter().copied())
                    ),
                );
            }
        }
        let mut links = Vec::new();
        for (i, l) in raw.links.iter().enumerate() {
            let Some(l) = l else { continue };
            let p = vec![Seg::Key("links".into()), Seg::Index(i)];
            let mut lp = p.clone();
            lp.push(Seg::Key("label".into()));
            let label = f.text(&l.label, lp, self.langs());
            let target = match (&l.guide, &l.url) {
                (Some(g), None) => {
                    let mut gp = p.clone();
                    gp.push(Seg::Key("guide".into()));
                    if !self.guide_slugs.contains(g) {
                        f.error(
                            &gp,
                            format!(
                                "unknown guide `{g}`; expected the slug of a file in content/guides/{}",
                                suggestion(g, self.guide_slugs.iter().map(String::as_str))
                            ),
                        );
                        continue;
                    }
                    LinkTarget::Guide(g.clone())
                }
                (None, Some(u)) => {
                    let mut up = p.clone();
                    up.push(Seg::Key("url".into()));
                    if !(u.starts_with("https://")
                        || u.starts_with("http://")
                        || u.starts_with("mailto:")
                        || u.starts_with('/'))
                        || u.contains(char::is_whitespace)
                    {
                        f.error(&up, format!("`{u}` is not a URL; expected `https://…`, `mailto:…` or a path starting with `/`"));
                        continue;
                    }
                    LinkTarget::Url(u.clone())
                }
                (Some(_), Some(_)) => {
                    f.error(&p, "found both `guide` and `url`; expected exactly one of them");
                    continue;
                }
                (None, None) => {
                    f.error(&p, "found neither `guide` nor `url`; expected exactly one of them");
                    continue;
                }
            };
            links.push(ServiceLink { label, target });
        }
        let mut updates = Vec::new();
        for (i, u) in raw.updates.iter().enumerate() {
            let Some(u) = u else { continue };
            let p = |s: &str| vec![Seg::Key("updates".into()), Seg::Index(i), Seg::Key(s.into())];
            if let Some(status) = &u.status {
                self.check_state(&mut f, status, p("status"));
            }
            let text = u.text.as_ref().map(|t| f.text(t, p("text"), self.langs()));
            let at = u.at.as_ref().and_then(|at| f.time(&at.0, p("at"), self.config.timezone));
            if let (Some(at), Some(status)) = (at, &u.status) {
                updates.push(ServiceUpdate { at, status: StateId::new(status), text, ordinal: i });
            }
        }
        updates.sort_by_key(|u| (u.at, u.ordinal));
        let record = ServiceRecord {
            id: id.to_string(),
            file: f.rel.clone(),
            name,
            group: raw.group.clone(),
            description,
            order: raw.order.unwrap_or(0),
            links,
            updates,
        };
        (Some(record), f.diags)
    }
}
