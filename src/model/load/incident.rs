//! `content/incidents/<id>.yaml`: an incident or maintenance, the services it affects,
//! its window and its updates with their phases and the service states they set.

use super::fields::FileCtx;
use super::files::read_text;
use super::Ctx;
use crate::diagnostics::{one_of, suggestion, Diagnostics};
use crate::model::locate::Seg;
use crate::model::raw::RawIncident;
use crate::model::state::StateId;
use crate::model::{IncidentKind, IncidentRecord, IncidentUpdate, Phase, Window};
use std::path::{Path, PathBuf};

impl Ctx<'_> {
    pub(super) fn load_incident(
        &self,
        id: &str,
        path: &Path,
        root: &Path,
    ) -> (Option<IncidentRecord>, Diagnostics) {
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let mut d = Diagnostics::default();
        let Some(src) = read_text(path, &rel, &mut d) else { return (None, d) };
        self.incident_from_text(id, rel, &src)
    }

    /// An incident file from its text; `rel` names it in messages.
    pub(super) fn incident_from_text(
        &self,
        id: &str,
        rel: PathBuf,
        src: &str,
    ) -> (Option<IncidentRecord>, Diagnostics) {
        let mut f = FileCtx::new(rel, src, 0);
        let Some(raw) = f.parse(RawIncident::read) else { return (None, f.diags) };
        let k = |s: &str| vec![Seg::Key(s.to_string())];
        let tz = self.config.timezone;
        let title = f.name(&raw.title, k("title"), self.langs());
        let description = raw.description.as_ref().map(|t| f.text(t, k("description"), self.langs()));
        let kind = match raw.kind.as_deref() {
            None | Some("incident") => IncidentKind::Incident,
            Some("maintenance") => IncidentKind::Maintenance,
            Some(other) => {
                f.error(
                    &k("kind"),
                    format!(
                        "unknown kind `{other}`; expected `incident` or `maintenance`{}",
                        suggestion(other, ["incident", "maintenance"])
                    ),
                );
                IncidentKind::Incident
            }
        };
        let mut services: Vec<String> = Vec::new();
        for (i, s) in raw.services.iter().enumerate() {
            let Some(s) = s else { continue };
            let p = vec![Seg::Key("services".into()), Seg::Index(i)];
            if self.check_service_ref(&mut f, s, p.clone()) {
                if services.contains(s) {
                    f.warning(&p, format!("service `{s}` is listed twice"));
                } else {
                    services.push(s.clone());
                }
            }
        }
        let scheduled = match (&raw.scheduled, kind) {
            (Some(w), IncidentKind::Maintenance) => {
                let from = f.time(&w.from.0, vec![Seg::Key("scheduled".into()), Seg::Key("from".into())], tz);
                let until =
                    f.time(&w.until.0, vec![Seg::Key("scheduled".into()), Seg::Key("until".into())], tz);
                match (from, until) {
                    (Some(from), Some(until)) if until <= from => {
                        f.error(
                            &[Seg::Key("scheduled".into()), Seg::Key("until".into())],
                            "the window ends before it starts; expected `until` after `from`",
                        );
                        None
                    }
                    (Some(from), Some(until)) => Some(Window { from, until }),
                    _ => None,
                }
            }
            (Some(_), IncidentKind::Incident) => {
                f.error_at_key(
                    &k("scheduled"),
                    "`scheduled` is only for maintenance; expected `kind: maintenance` or no `scheduled`",
                );
                None
            }
            (None, IncidentKind::Maintenance) => {
                f.error(
                    &k("kind"),
                    "maintenance needs a window; expected `scheduled: { from: ..., until: ... }`",
                );
                None
            }
            (None, IncidentKind::Incident) => None,
        };
        let mut updates = Vec::new();
        for (i, u) in raw.updates.iter().enumerate() {
            let Some(u) = u else { continue };
            let p = |s: &str| vec![Seg::Key("updates".into()), Seg::Index(i), Seg::Key(s.into())];
            // A missing phase is already reported; the rest of the update is still checked.
            let phase = match u.phase.as_deref().map(|id| (id, Phase::parse(id))) {
                Some((_, Some(phase))) if phase.kind() == kind => Some(phase),
                Some((id, parsed)) => {
                    let phases: Vec<&str> = kind.phases().iter().map(|p| p.as_str()).collect();
                    let hint = if kind == IncidentKind::Incident && parsed.is_some() {
                        " (that is a maintenance phase; set `kind: maintenance`)".to_string()
                    } else {
                        suggestion(id, phases.iter().copied())
                    };
                    f.error(
                        &p("phase"),
                        format!("unknown {} phase `{id}`; expected {}{hint}", kind.as_str(), one_of(&phases)),
                    );
                    None
                }
                None => None,
            };
            let mut set = Vec::new();
            for (svc, state) in &u.set.0 {
                let mut sp = p("set");
                sp.push(Seg::Key(svc.clone()));
                let known = self.service_ids.contains(svc);
                if !known {
                    let msg = format!(
                        "unknown service `{svc}`; expected the id of a file in content/services/{}",
                        suggestion(svc, self.service_ids.iter().map(String::as_str))
                    );
                    f.error_at_key(&sp, msg);
                } else if !services.contains(svc) && !raw.services.iter().flatten().any(|s| s == svc) {
                    f.warning(
                        &sp,
                        format!(
                            "`{svc}` is set here but not listed in `services`; it is treated as affected"
                        ),
                    );
                    services.push(svc.clone());
                }
                self.check_state(&mut f, state, sp);
                if known {
                    set.push((svc.clone(), StateId::new(state)));
                }
            }
            let text = u.text.as_ref().map(|t| f.text(t, p("text"), self.langs()));
            let at = u.at.as_ref().and_then(|at| f.time(&at.0, p("at"), tz));
            if let (Some(at), Some(phase)) = (at, phase) {
                updates.push(IncidentUpdate { at, phase, set, text, ordinal: i, anchor: String::new() });
            }
        }
        updates.sort_by_key(|u| (u.at, u.ordinal));
        let closing = kind.closing_phase();
        if let Some(pos) = updates.iter().position(|u| u.phase == closing) {
            for u in &updates[pos + 1..] {
                let p = vec![Seg::Key("updates".into()), Seg::Index(u.ordinal), Seg::Key("at".into())];
                f.warning(
                    &p,
                    format!(
                        "update after the incident was {closing}; expected `{closing}` to be the last phase"
                    ),
                );
            }
        }
        if raw.updates.is_empty() {
            f.warning(&k("title"), "no updates; readers will see the incident without any text");
        }
        let mut record = IncidentRecord {
            id: id.to_string(),
            file: f.rel.clone(),
            title,
            kind,
            services,
            scheduled,
            description,
            updates,
        };
        record.set_anchors();
        (Some(record), f.diags)
    }
}
