//! What pages are made from, so that `serve` renders again only the pages whose sources
//! changed. A page records each [`Source`] it reads while its model is built (through
//! the accessors of [`super::env::PageEnv`], the only way page code reaches incidents and
//! the derived view); after an edit, [`changed`] compares the site before and after and
//! names the sources that differ, and the pages that read one of them are rendered again.
//!
//! The slices of a service's history that pages show ([`recent`], [`year_entries`], ...)
//! are defined here once, for the pages that show them and for the comparison.

use crate::model::derive::{EntrySource, ServiceView, TimelineEntry, UpdateRef};
use crate::model::{Derived, IncidentRecord, Site, StateId};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Days of history on a service page (timeline and strip); older entries go to year pages.
pub const HISTORY_DAYS: i64 = 90;

/// Newest updates on the front page; older ones live on service and incident pages.
pub const FRONT_PAGE_UPDATES: usize = 10;

/// One thing a page can be made from. Service records, guides, notices, the site's
/// configuration and the theme are not sources: a change to any of them renders every
/// page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// An incident's record and its derived view (phase, start, end, impact).
    Incident(Arc<str>),
    /// A service's current state and when it began.
    ServiceState(Arc<str>),
    /// A service's history of the last 90 days and the incidents of those days.
    ServiceRecent(Arc<str>),
    /// A service's history entries and incidents of one year.
    ServiceYear(Arc<str>, i32),
    /// The years with a history page of a service.
    ServiceYears(Arc<str>),
    /// Any update concerning a service (its feed).
    ServiceActivity(Arc<str>),
    OpenIncidents,
    ActiveMaintenance,
    UpcomingMaintenance,
    /// Which incidents started in a year, in which order.
    ArchiveYear(i32),
    /// The years with an archive page.
    ArchiveYears,
    /// The newest updates of the site.
    NewestUpdates,
    /// The newest time in the content.
    LastUpdated,
    /// The worst current state of any service.
    Overall,
    /// The date: which days are "the last 90", which year is current.
    Today,
    /// The instant: how long an open incident has lasted so far.
    Now,
}

/// The sources one page read.
#[derive(Debug, Default)]
pub struct Reads(RefCell<Vec<Source>>);

impl Reads {
    pub fn record(&self, source: Source) {
        self.0.borrow_mut().push(source);
    }

    /// Each source once, sorted.
    pub fn into_sorted(self) -> Vec<Source> {
        let mut v = self.0.into_inner();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// The first instant of "the last 90 days": local midnight 89 days before today, so that
/// a service page's history and its day-by-day strip show the same days.
pub fn history_start(now: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    crate::model::time::last_days_start(now, tz, HISTORY_DAYS)
}

/// The first of the 90 days.
pub fn first_history_day(now: DateTime<Utc>, tz: Tz) -> NaiveDate {
    now.with_timezone(&tz).date_naive() - Duration::days(HISTORY_DAYS - 1)
}

pub use crate::model::time::day_start;

/// The year of `t` in the site's time zone.
pub fn year_in(t: DateTime<Utc>, tz: Tz) -> i32 {
    t.with_timezone(&tz).year()
}

/// What a service page shows of its history: the entries since `start`, the state at
/// `start` (where the strip begins), when the history last changed at all, and the
/// incidents that list or set the service and are open or started since `start`,
/// newest first.
pub struct Recent<'a> {
    pub entries: &'a [TimelineEntry],
    pub state_before: Option<&'a StateId>,
    pub last_change: Option<DateTime<Utc>>,
    pub incidents: Vec<usize>,
}

pub fn recent<'a>(view: &'a ServiceView, derived: &Derived, start: DateTime<Utc>) -> Recent<'a> {
    let first = view.timeline.partition_point(|e| e.at < start);
    let incidents = view
        .incidents
        .iter()
        .copied()
        .filter(|&x| {
            let iv = &derived.incidents[x];
            iv.open || iv.started.is_some_and(|t| t >= start)
        })
        .collect();
    Recent {
        entries: &view.timeline[first..],
        state_before: first.checked_sub(1).map(|i| &view.timeline[i].state),
        last_change: view.timeline.last().map(|e| e.at),
        incidents,
    }
}

/// A service's entries in year `y` (the timeline is in time order, so they are a slice).
pub fn year_entries(view: &ServiceView, y: i32, tz: Tz) -> &[TimelineEntry] {
    let from = view.timeline.partition_point(|e| year_in(e.at, tz) < y);
    let to = view.timeline.partition_point(|e| year_in(e.at, tz) <= y);
    &view.timeline[from..to]
}

/// The incidents listing or setting a service that started in year `y`, newest first.
pub fn year_incidents(view: &ServiceView, derived: &Derived, y: i32, tz: Tz) -> Vec<usize> {
    year_incidents_by_year(view, derived, tz).remove(&y).unwrap_or_default()
}

/// [`year_incidents`] of every year at once.
fn year_incidents_by_year(view: &ServiceView, derived: &Derived, tz: Tz) -> BTreeMap<i32, Vec<usize>> {
    let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for &x in &view.incidents {
        if let Some(t) = derived.incidents[x].started {
            by_year.entry(year_in(t, tz)).or_default().push(x);
        }
    }
    by_year
}

/// Years with a history page for a service: those of its entries before `start`.
pub fn service_years(view: &ServiceView, start: DateTime<Utc>, tz: Tz) -> BTreeSet<i32> {
    view.timeline.iter().take_while(|e| e.at < start).map(|e| year_in(e.at, tz)).collect()
}

/// Years with an archive page: every year an incident started in, and the current one.
pub fn archive_years(derived: &Derived, tz: Tz) -> BTreeSet<i32> {
    let mut years: BTreeSet<i32> =
        derived.incidents.iter().filter_map(|v| v.started).map(|t| year_in(t, tz)).collect();
    years.insert(year_in(derived.now, tz));
    years
}

/// The incidents that started in year `y`, newest first, with their start.
pub fn archive_year(derived: &Derived, y: i32, tz: Tz) -> Vec<(usize, DateTime<Utc>)> {
    archive_by_year(derived, tz).remove(&y).unwrap_or_default()
}

/// [`archive_year`] of every year at once.
fn archive_by_year(derived: &Derived, tz: Tz) -> BTreeMap<i32, Vec<(usize, DateTime<Utc>)>> {
    let mut by_year: BTreeMap<i32, Vec<(usize, DateTime<Utc>)>> = BTreeMap::new();
    for (i, v) in derived.incidents.iter().enumerate() {
        if let Some(t) = v.started {
            by_year.entry(year_in(t, tz)).or_default().push((i, t));
        }
    }
    for items in by_year.values_mut() {
        items.sort_by_key(|(i, t)| std::cmp::Reverse((*t, *i)));
    }
    by_year
}

/// The site before an edit, as far as [`changed`] needs it: incidents are named by id,
/// since an added or removed incident shifts the indices of the others.
pub struct Before<'a> {
    /// Incident ids in the old site's order (the indices of `derived`).
    pub incident_ids: &'a [Arc<str>],
    pub derived: &'a Derived,
    /// The incidents whose files were read again: id, and the old record (`None`: new).
    pub edited: &'a [(Arc<str>, Option<IncidentRecord>)],
}

/// The sources that the edited incident files changed, whatever the clock did: the
/// incidents whose records differ, and the activity of every service they list or set.
pub fn edited(before: &Before, site: &Site) -> BTreeSet<Source> {
    let mut out = BTreeSet::new();
    for (id, old_record) in before.edited {
        let now_record = site.incident(id);
        if old_record.as_ref() != now_record {
            out.insert(Source::Incident(id.clone()));
            out.extend(old_record.iter().chain(now_record).flat_map(activity));
        }
    }
    out
}

/// `ServiceActivity` of every service `record` lists or sets.
fn activity(record: &IncidentRecord) -> impl Iterator<Item = Source> + '_ {
    let listed = record.services.iter().map(String::as_str);
    let set = record.updates.iter().flat_map(|u| u.set.iter().map(|(s, _)| s.as_str()));
    listed.chain(set).map(|s| Source::ServiceActivity(Arc::from(s)))
}

/// The sources of the derived view that differ between `before` and `derived` (the
/// view of `site` now, computed afresh): what the clock and the edits changed in
/// incidents' phases, services' histories, the site's lists.
pub fn derived(before: &Before, site: &Site, derived: &Derived) -> BTreeSet<Source> {
    let tz = site.config.timezone;
    let old = before.derived;
    let new_ids: Vec<Arc<str>> = site.incidents.iter().map(|i| Arc::from(i.id.as_str())).collect();
    let old_index: std::collections::HashMap<&str, usize> =
        before.incident_ids.iter().enumerate().map(|(i, id)| (&**id, i)).collect();
    let mut out = BTreeSet::new();

    // Incidents whose view changed (a scheduled update got published), added or removed.
    for (i, id) in new_ids.iter().enumerate() {
        let same = old_index.get(&**id).is_some_and(|&o| old.incidents[o] == derived.incidents[i]);
        if !same {
            out.insert(Source::Incident(id.clone()));
            out.extend(activity(&site.incidents[i]));
        }
    }
    // By id, not with `Site::incident`, which searches the list: at 10,000 incidents that
    // was 100 million comparisons an edit.
    let new_index: std::collections::HashSet<&str> = new_ids.iter().map(|id| &**id).collect();
    for (id, &o) in &old_index {
        if !new_index.contains(id) {
            out.insert(Source::Incident(before.incident_ids[o].clone()));
        }
    }

    let (old_day, new_day) =
        (old.now.with_timezone(&tz).date_naive(), derived.now.with_timezone(&tz).date_naive());
    if old_day != new_day {
        out.insert(Source::Today);
    }
    if old.now != derived.now {
        out.insert(Source::Now);
    }
    let ids_then =
        |list: &[usize]| -> Vec<Arc<str>> { list.iter().map(|&i| before.incident_ids[i].clone()).collect() };
    let ids_now = |list: &[usize]| -> Vec<Arc<str>> { list.iter().map(|&i| new_ids[i].clone()).collect() };
    for (source, a, b) in [
        (Source::OpenIncidents, &old.open_incidents, &derived.open_incidents),
        (Source::ActiveMaintenance, &old.active_maintenance, &derived.active_maintenance),
        (Source::UpcomingMaintenance, &old.upcoming_maintenance, &derived.upcoming_maintenance),
    ] {
        if ids_then(a) != ids_now(b) {
            out.insert(source);
        }
    }
    let newest = |d: &Derived, ids: &[Arc<str>]| -> Vec<(u8, Arc<str>, usize)> {
        d.updates
            .iter()
            .take(FRONT_PAGE_UPDATES)
            .map(|(_, u)| match *u {
                UpdateRef::Service { service, update } => {
                    (0, Arc::from(site.services[service].id.as_str()), update)
                }
                UpdateRef::Incident { incident, update } => (1, ids[incident].clone(), update),
            })
            .collect()
    };
    if newest(old, before.incident_ids) != newest(derived, &new_ids) {
        out.insert(Source::NewestUpdates);
    }
    if old.last_updated != derived.last_updated {
        out.insert(Source::LastUpdated);
    }
    if old.overall != derived.overall {
        out.insert(Source::Overall);
    }

    // Archive years: which incidents started in each year.
    let (old_years, new_years) = (archive_years(old, tz), archive_years(derived, tz));
    if old_years != new_years {
        out.insert(Source::ArchiveYears);
    }
    let (mut old_archive, mut new_archive) = (archive_by_year(old, tz), archive_by_year(derived, tz));
    for &y in old_years.union(&new_years) {
        let then: Vec<(Arc<str>, DateTime<Utc>)> = old_archive
            .remove(&y)
            .unwrap_or_default()
            .into_iter()
            .map(|(i, t)| (before.incident_ids[i].clone(), t))
            .collect();
        let now: Vec<(Arc<str>, DateTime<Utc>)> = new_archive
            .remove(&y)
            .unwrap_or_default()
            .into_iter()
            .map(|(i, t)| (new_ids[i].clone(), t))
            .collect();
        if then != now {
            out.insert(Source::ArchiveYear(y));
        }
    }

    // Services: state, the last 90 days, the years, any entry at all.
    let (old_start, new_start) = (history_start(old.now, tz), history_start(derived.now, tz));
    for (si, svc) in site.services.iter().enumerate() {
        let id: Arc<str> = Arc::from(svc.id.as_str());
        let (a, b) = (&old.services[si], &derived.services[si]);
        if a.current != b.current || a.since != b.since {
            out.insert(Source::ServiceState(id.clone()));
        }
        let then_ids = before.incident_ids;
        if normalized(&a.timeline, then_ids) != normalized(&b.timeline, &new_ids) {
            out.insert(Source::ServiceActivity(id.clone()));
        }
        let (ra, rb) = (recent(a, old, old_start), recent(b, derived, new_start));
        if old_start != new_start
            || ra.state_before != rb.state_before
            || ra.last_change != rb.last_change
            || normalized(ra.entries, then_ids) != normalized(rb.entries, &new_ids)
            || ids_then(&ra.incidents) != ids_now(&rb.incidents)
        {
            out.insert(Source::ServiceRecent(id.clone()));
        }
        let (ya, yb) = (service_years(a, old_start, tz), service_years(b, new_start, tz));
        if ya != yb {
            out.insert(Source::ServiceYears(id.clone()));
        }
        let (mut ia, mut ib) = (year_incidents_by_year(a, old, tz), year_incidents_by_year(b, derived, tz));
        for &y in ya.union(&yb) {
            if normalized(year_entries(a, y, tz), then_ids) != normalized(year_entries(b, y, tz), &new_ids)
                || ids_then(&ia.remove(&y).unwrap_or_default()) != ids_now(&ib.remove(&y).unwrap_or_default())
            {
                out.insert(Source::ServiceYear(id.clone(), y));
            }
        }
    }
    out
}

/// A timeline entry with its incident named by id: (time, state, incident, anchor).
type NamedEntry<'a> = (DateTime<Utc>, &'a StateId, Option<Arc<str>>, &'a str);

/// Timeline entries with their incidents named by id.
fn normalized<'a>(entries: &'a [TimelineEntry], ids: &[Arc<str>]) -> Vec<NamedEntry<'a>> {
    entries
        .iter()
        .map(|e| {
            let incident = match e.source {
                EntrySource::Incident { incident, .. } => ids.get(incident).cloned(),
                EntrySource::Own { .. } => None,
            };
            (e.at, &e.state, incident, e.anchor.as_str())
        })
        .collect()
}
