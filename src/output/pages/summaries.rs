//! The composite values several pages show: updates, incidents as list lines and cards,
//! history entries, and services, guides and notices in lists. Each is made from what
//! the page reads through its [`PageEnv`].

use super::env::PageEnv;
use super::values::{
    ChangeValue, GuideSummary, IncidentBrief, IncidentCard, NoticeValue, ServiceSummary, TimelineEntryValue,
    TimelineIncident, UpdateValue, WindowValue,
};
use crate::model::derive::{EntrySource, TimelineEntry, UpdateRef};
use crate::model::StateId;
use crate::render::direction::Direction;

/// Which history entries carry their text. A service's page (90 days) shows every text;
/// its year pages are an index of state changes, where an incident's entry links to the
/// update on the incident page instead of repeating its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineTexts {
    All,
    /// The service's own updates only, which have no other page.
    OwnOnly,
}

impl PageEnv<'_> {
    /// A published update anywhere on the site.
    pub fn update(&self, u: UpdateRef) -> UpdateValue {
        let href = self.href(&self.update_path(u));
        match u {
            UpdateRef::Service { service, update } => {
                let svc = &self.site().services()[service];
                let up = &svc.updates[update];
                UpdateValue {
                    anchor: self.ctx().derived.services[service].own_anchors[update].clone(),
                    href,
                    time: self.time(up.at),
                    subject: self.name(&svc.name),
                    state: Some(self.state(&up.status)),
                    phase: None,
                    text: up.text.as_ref().map(|t| self.text(t)),
                    changes: Vec::new(),
                }
            }
            UpdateRef::Incident { incident, update } => {
                let (inc, _) = self.incident(incident);
                let up = &inc.updates[update];
                UpdateValue {
                    anchor: up.anchor.clone(),
                    href,
                    time: self.time(up.at),
                    subject: self.name(&inc.title),
                    state: None,
                    phase: Some(self.phase(up.phase)),
                    text: up.text.as_ref().map(|t| self.text(t)),
                    changes: self.changes(&up.set),
                }
            }
        }
    }

    /// `set:` of an incident update.
    fn changes(&self, set: &[(String, StateId)]) -> Vec<ChangeValue> {
        set.iter()
            .filter_map(|(svc, st)| {
                let (_, s) = self.site().service(svc)?;
                Some(ChangeValue {
                    name: self.name(&s.name),
                    href: self.href(&format!("services/{}/", s.id)),
                    state: self.state(st),
                })
            })
            .collect()
    }

    /// An incident or maintenance for long lists.
    pub fn incident_brief(&self, i: usize) -> IncidentBrief {
        let (inc, view) = self.incident(i);
        IncidentBrief {
            id: inc.id.clone(),
            href: self.href(&format!("incidents/{}/", inc.id)),
            title: self.name(&inc.title),
            kind: inc.kind,
            kind_label: self.strings.kind(inc.kind).to_string(),
            phase: self.phase(view.phase),
            impact: view.impact.as_ref().map(|s| self.state(s)),
            started: view.started.map(|t| self.time(t)),
        }
    }

    /// An incident or maintenance as a card, with its latest update.
    pub fn incident_card(&self, i: usize) -> IncidentCard {
        let latest = self
            .incident(i)
            .1
            .published
            .checked_sub(1)
            .map(|u| self.update(UpdateRef::Incident { incident: i, update: u }));
        self.incident_card_with(i, latest)
    }

    /// [`Self::incident_card`] with its latest update given: an incident's own page has
    /// made it already, as the first of its updates.
    pub fn incident_card_with(&self, i: usize, latest: Option<UpdateValue>) -> IncidentCard {
        let (inc, view) = self.incident(i);
        IncidentCard {
            brief: self.incident_brief(i),
            open: view.open,
            ended: view.ended.map(|t| self.time(t)),
            window: inc.scheduled.map(|w| WindowValue { from: self.time(w.from), until: self.time(w.until) }),
            latest,
        }
    }

    /// One entry of service `service`'s history.
    pub fn timeline_entry(
        &self,
        service: usize,
        e: &TimelineEntry,
        texts: TimelineTexts,
    ) -> TimelineEntryValue {
        match e.source {
            EntrySource::Own { .. } => TimelineEntryValue {
                anchor: e.anchor.clone(),
                time: self.time(e.at),
                state: self.state(&e.state),
                text: self.own_update_text(service, e).map(|t| self.text(t)),
                incident: None,
            },
            EntrySource::Incident { incident, update } => {
                let (inc, _) = self.incident(incident);
                let up = &inc.updates[update];
                TimelineEntryValue {
                    anchor: format!("{}-{}", inc.id, e.anchor),
                    time: self.time(e.at),
                    state: self.state(&e.state),
                    text: up.text.as_ref().filter(|_| texts == TimelineTexts::All).map(|t| self.text(t)),
                    incident: Some(TimelineIncident {
                        title: self.name(&inc.title),
                        href: self.href(&format!("incidents/{}/#{}", inc.id, e.anchor)),
                        phase: self.phase(up.phase),
                    }),
                }
            }
        }
    }

    pub fn service_summary(&self, s: usize) -> ServiceSummary {
        let svc = &self.site().services()[s];
        let (current, since) = self.service_state(s);
        ServiceSummary {
            id: svc.id.clone(),
            href: self.href(&format!("services/{}/", svc.id)),
            name: self.name(&svc.name),
            description: svc.description.as_ref().map(|d| self.text(d)),
            state: self.state(current),
            since: since.map(|t| self.time(t)),
        }
    }

    /// Guide `g` in lists; `None` for a guide with no document (impossible once loaded).
    pub fn guide_summary(&self, g: usize) -> Option<GuideSummary> {
        let site = self.site();
        let guide = &site.guides()[g];
        let di = guide.doc_index(self.lang_code(), site.default_lang())?;
        let doc = &guide.docs[di];
        let fallback = doc.lang != self.lang_code();
        Some(GuideSummary {
            slug: guide.slug.clone(),
            href: self.href(&format!("guides/{}/", guide.slug)),
            title: doc.title.clone(),
            summary: guide.summaries.get(di).cloned().flatten(),
            lang: doc.lang.clone(),
            dir: Direction::of(&doc.lang),
            fallback,
            note: if fallback { self.only_in(&doc.lang) } else { String::new() },
        })
    }

    /// Notice `n`; `None` for a notice with no document (impossible once loaded).
    pub fn notice(&self, n: usize) -> Option<NoticeValue> {
        let site = self.site();
        let notice = &site.notices()[n];
        let doc = notice.doc_for(self.lang_code(), site.default_lang())?;
        let di = notice.docs.iter().position(|d| std::ptr::eq(d, doc)).unwrap_or(0);
        let fallback = doc.lang != self.lang_code();
        let html = self.ctx().notice_html(n, di).to_string();
        if crate::render::highlight::has_code_block(&html) {
            self.note_code();
        }
        Some(NoticeValue {
            id: notice.id.clone(),
            href: self.href(&format!("notices/{}/", notice.id)),
            title: doc.title.clone(),
            level: notice.level,
            level_label: self.strings.level(notice.level).to_string(),
            html,
            lang: doc.lang.clone(),
            dir: Direction::of(&doc.lang),
            fallback,
            note: if fallback { self.only_in(&doc.lang) } else { String::new() },
            from: notice.from.map(|t| self.time(t)),
            until: notice.until.map(|t| self.time(t)),
        })
    }
}
