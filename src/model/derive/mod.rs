//! The derived view of a site at one instant ("now"): each service's merged timeline and
//! current state, the overall state, what is open, active or upcoming, and which guides
//! belong to which services. Computed once per build; pages and feeds only read it.
//!
//! Update anchors, which the view and the loader share, are made in `anchors`; how long
//! services were available, which changes with the clock, in [`availability`].

mod anchors;
pub mod availability;
#[cfg(test)]
mod tests;

use super::*;
use anchors::anchors_in_file_order;
use chrono::{DateTime, Utc};
use rayon::prelude::*;

/// Where a timeline entry was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntrySource {
    /// `updates[ordinal]` of the service's own file.
    Own { ordinal: usize },
    /// `updates[update]` (index into the sorted list) of `site.incidents[incident]`.
    Incident { incident: usize, update: usize },
}

/// One state change or note in a service's history.
#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub state: StateId,
    pub source: EntrySource,
    /// Anchor on the page that holds the text (service page or incident page).
    pub anchor: String,
}

impl TimelineEntry {
    /// The order of a timeline. Equal times: the service's own word comes last, as the
    /// most specific.
    pub fn order(&self) -> (DateTime<Utc>, u8, usize, usize) {
        match self.source {
            EntrySource::Incident { incident, update } => (self.at, 0, incident, update),
            EntrySource::Own { ordinal } => (self.at, 1, 0, ordinal),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ServiceView {
    pub current: StateId,
    /// When the current state began (the first entry of the current run of that state).
    pub since: Option<DateTime<Utc>>,
    /// Entries at or before now, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// Incidents that list or set this service, by index, newest first.
    pub incidents: Vec<usize>,
    /// Related guides, by index into `site.guides`, in guide order.
    pub guides: Vec<usize>,
    /// Anchors of the service's own updates, by position in `ServiceRecord::updates`.
    pub own_anchors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IncidentView {
    /// The phase at now; before the first published update, the kind's first phase.
    pub phase: Phase,
    pub open: bool,
    pub started: Option<DateTime<Utc>>,
    pub ended: Option<DateTime<Utc>>,
    /// Number of updates at or before now (a prefix of `IncidentRecord::updates`).
    pub published: usize,
    /// The worst state any published update set (the incident's impact), if any.
    pub impact: Option<StateId>,
}

/// A published update anywhere on the site, for "newest updates" and the feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateRef {
    Service { service: usize, update: usize },
    Incident { incident: usize, update: usize },
}

#[derive(Debug, Clone)]
pub struct Derived {
    pub now: DateTime<Utc>,
    pub services: Vec<ServiceView>,
    pub incidents: Vec<IncidentView>,
    pub overall: StateId,
    /// Open incidents (kind incident), newest start first.
    pub open_incidents: Vec<usize>,
    /// Maintenance running now, soonest end first.
    pub active_maintenance: Vec<usize>,
    /// Maintenance still to come, soonest first.
    pub upcoming_maintenance: Vec<usize>,
    /// Active notices (pinned or not), most severe first.
    pub active_notices: Vec<usize>,
    /// Per guide, the services it belongs to (from either side), in service order.
    pub guide_services: Vec<Vec<usize>>,
    /// Every published update, newest first.
    pub updates: Vec<(DateTime<Utc>, UpdateRef)>,
    /// The newest time in the content at or before now (not the clock).
    pub last_updated: Option<DateTime<Utc>>,
}

impl IncidentRecord {
    /// Whether [`Derived::compute`] sees the two records alike. It reads an incident's
    /// kind, window, services and its updates' times, phases, states and anchors, never
    /// its id, title or texts: fixing the wording of an incident leaves the derived view
    /// as it was, and `serve` need not compute it again.
    pub fn derives_like(&self, other: &IncidentRecord) -> bool {
        self.kind == other.kind
            && self.scheduled == other.scheduled
            && self.services == other.services
            && self.updates.len() == other.updates.len()
            && self.updates.iter().zip(&other.updates).all(|(a, b)| {
                a.at == b.at
                    && a.phase == b.phase
                    && a.set == b.set
                    && a.anchor == b.anchor
                    && a.ordinal == b.ordinal
            })
    }
}

impl Derived {
    /// Whether the view at `to` is the one at `from`, apart from `now` itself: no
    /// instant that [`Derived::compute`] compares with "now" (an update's time, a
    /// maintenance window's ends, a notice's start or end, a guide's date) lies in
    /// `(from, to]`. `serve` without `--now` moves on by milliseconds between edits.
    pub fn same_between(site: &Site, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        let (from, to) = if from <= to { (from, to) } else { (to, from) };
        let quiet = |t: &DateTime<Utc>| !(from < *t && *t <= to);
        site.incidents.iter().all(|i| {
            i.updates.iter().all(|u| quiet(&u.at))
                && i.scheduled.is_none_or(|w| quiet(&w.from) && quiet(&w.until))
        }) && site.services.iter().all(|s| s.updates.iter().all(|u| quiet(&u.at)))
            && site.notices.iter().all(|n| n.from.iter().chain(&n.until).all(quiet))
            && site.guides.iter().all(|g| g.updated.iter().all(quiet))
    }

    pub fn compute(site: &Site, now: DateTime<Utc>) -> Derived {
        let states = &site.states;
        let incidents: Vec<IncidentView> = site
            .incidents
            .par_iter()
            .map(|inc| {
                let published = inc.updates.iter().take_while(|u| u.at <= now).count();
                let visible = &inc.updates[..published];
                let closing = inc.kind.closing_phase();
                let phase = visible.last().map_or(inc.kind.first_phase(), |u| u.phase);
                let ended = visible.iter().find(|u| u.phase == closing).map(|u| u.at);
                let started = match (inc.kind, inc.scheduled) {
                    (IncidentKind::Maintenance, Some(w)) => Some(w.from),
                    _ => visible.first().map(|u| u.at),
                };
                let open = ended.is_none();
                let mut impact: Option<&StateId> = None;
                for u in visible {
                    for (_, st) in &u.set {
                        impact = Some(impact.map_or(st, |cur| states.worse(cur, st)));
                    }
                }
                let impact = impact.cloned();
                IncidentView { phase, open, started, ended, published, impact }
            })
            .collect();

        let guide_services: Vec<Vec<usize>> = site
            .guides
            .iter()
            .map(|g| {
                site.services
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| {
                        g.services.contains(&s.id)
                            || s.links
                                .iter()
                                .any(|l| matches!(&l.target, LinkTarget::Guide(x) if *x == g.slug))
                    })
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();

        // One pass over the incidents, not one per service: the entries and the affecting
        // incidents of every service.
        let service_index: ahash::AHashMap<&str, usize> =
            site.services.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
        // First which state changes belong to which service; the entries themselves (two
        // strings each) are made in the parallel part below.
        let mut sets_of: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); site.services.len()];
        let mut affecting_of: Vec<Vec<usize>> = vec![Vec::new(); site.services.len()];
        let mut in_update: Vec<usize> = Vec::new();
        for (ii, inc) in site.incidents.iter().enumerate() {
            for id in &inc.services {
                if let Some(&si) = service_index.get(id.as_str()) {
                    if affecting_of[si].last() != Some(&ii) {
                        affecting_of[si].push(ii);
                    }
                }
            }
            for (ui, u) in inc.updates.iter().enumerate().take(incidents[ii].published) {
                in_update.clear();
                for (k, (s, _)) in u.set.iter().enumerate() {
                    let Some(&si) = service_index.get(s.as_str()) else { continue };
                    // A service set twice in one update: the first counts.
                    if in_update.contains(&si) {
                        continue;
                    }
                    in_update.push(si);
                    sets_of[si].push((ii, ui, k));
                }
            }
        }

        // Services (each timeline sorted on its own) and the site's update list are
        // independent: build them side by side.
        let build_services = || -> Vec<ServiceView> {
            site.services
                .par_iter()
                .zip(sets_of.into_par_iter().zip(affecting_of))
                .enumerate()
                .map(|(si, (svc, (sets, mut affecting)))| {
                    let own_anchors = anchors_in_file_order(
                        &svc.updates.iter().map(|u| (u.ordinal, u.at)).collect::<Vec<_>>(),
                    );
                    let mut timeline: Vec<TimelineEntry> = Vec::with_capacity(sets.len() + svc.updates.len());
                    for (ii, ui, k) in sets {
                        let u = &site.incidents[ii].updates[ui];
                        timeline.push(TimelineEntry {
                            at: u.at,
                            state: u.set[k].1.clone(),
                            source: EntrySource::Incident { incident: ii, update: ui },
                            anchor: u.anchor.clone(),
                        });
                    }
                    for (ui, u) in svc.updates.iter().enumerate().filter(|(_, u)| u.at <= now) {
                        timeline.push(TimelineEntry {
                            at: u.at,
                            state: u.status.clone(),
                            source: EntrySource::Own { ordinal: u.ordinal },
                            anchor: own_anchors[ui].clone(),
                        });
                    }
                    // Equal times: the service's own word comes last, as the most specific.
                    // Keys are unique (they hold the source), so unstable is as good.
                    timeline.sort_unstable_by_key(TimelineEntry::order);
                    let current = timeline.last().map_or_else(StateId::operational, |e| e.state.clone());
                    let since = timeline.iter().rev().take_while(|e| e.state == current).last().map(|e| e.at);
                    affecting.sort_by_key(|&i| std::cmp::Reverse((incidents[i].started, i)));
                    let guides = guide_services
                        .iter()
                        .enumerate()
                        .filter(|(_, svcs)| svcs.contains(&si))
                        .map(|(gi, _)| gi)
                        .collect();
                    ServiceView { current, since, timeline, incidents: affecting, guides, own_anchors }
                })
                .collect()
        };
        let build_updates = || -> Vec<(DateTime<Utc>, UpdateRef)> {
            let count = site.services.iter().map(|s| s.updates.len()).sum::<usize>()
                + incidents.iter().map(|v| v.published).sum::<usize>();
            let mut updates: Vec<(DateTime<Utc>, UpdateRef)> = Vec::with_capacity(count);
            for (si, svc) in site.services.iter().enumerate() {
                for (ui, u) in svc.updates.iter().enumerate().filter(|(_, u)| u.at <= now) {
                    updates.push((u.at, UpdateRef::Service { service: si, update: ui }));
                }
            }
            for (ii, inc) in site.incidents.iter().enumerate() {
                for (ui, u) in inc.updates.iter().enumerate().take(incidents[ii].published) {
                    updates.push((u.at, UpdateRef::Incident { incident: ii, update: ui }));
                }
            }
            // Newest first; every update once, so no two keys are equal.
            updates.sort_unstable_by_key(|(at, u)| std::cmp::Reverse((*at, update_order(u))));
            updates
        };
        let (services, updates) = rayon::join(build_services, build_updates);

        let operational = StateId::operational();
        let overall =
            services.iter().map(|s| &s.current).fold(&operational, |acc, s| states.worse(acc, s)).clone();

        let mut open_incidents: Vec<usize> = (0..site.incidents.len())
            .filter(|&i| {
                site.incidents[i].kind == IncidentKind::Incident
                    && incidents[i].open
                    && incidents[i].published > 0
            })
            .collect();
        open_incidents.sort_by_key(|&i| std::cmp::Reverse((incidents[i].started, i)));

        let mut active_maintenance = Vec::new();
        let mut upcoming_maintenance = Vec::new();
        for (i, inc) in site.incidents.iter().enumerate() {
            if inc.kind != IncidentKind::Maintenance || !incidents[i].open {
                continue;
            }
            let Some(w) = inc.scheduled else { continue };
            let in_progress = incidents[i].phase == Phase::InProgress;
            if in_progress || (w.from <= now && now < w.until) {
                active_maintenance.push(i);
            } else if w.from > now {
                upcoming_maintenance.push(i);
            }
        }
        active_maintenance.sort_by_key(|&i| (site.incidents[i].scheduled.map(|w| w.until), i));
        upcoming_maintenance.sort_by_key(|&i| (site.incidents[i].scheduled.map(|w| w.from), i));

        let mut active_notices: Vec<usize> = (0..site.notices.len())
            .filter(|&i| {
                let n = &site.notices[i];
                n.from.is_none_or(|f| f <= now) && n.until.is_none_or(|u| now < u)
            })
            .collect();
        active_notices.sort_by_key(|&i| (std::cmp::Reverse(site.notices[i].level), i));

        let last_updated = updates
            .first()
            .map(|u| u.0)
            .into_iter()
            .chain(site.guides.iter().filter_map(|g| g.updated).filter(|t| *t <= now))
            .max();

        Derived {
            now,
            services,
            incidents,
            overall,
            open_incidents,
            active_maintenance,
            upcoming_maintenance,
            active_notices,
            guide_services,
            updates,
            last_updated,
        }
    }

    pub fn pinned_notices<'a>(&'a self, site: &'a Site) -> impl Iterator<Item = usize> + 'a {
        self.active_notices.iter().copied().filter(move |&i| site.notices[i].pinned)
    }
}

/// A total order for updates at the same instant, so output never depends on hashing.
fn update_order(u: &UpdateRef) -> (u8, usize, usize) {
    match *u {
        UpdateRef::Service { service, update } => (0, service, update),
        UpdateRef::Incident { incident, update } => (1, incident, update),
    }
}
