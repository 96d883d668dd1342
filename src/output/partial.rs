//! Partial renders for `serve`: after some incident files changed, which pages depend on
//! them, so that only those are rendered again. A change to anything else (site.yaml,
//! services, guides, notices, the theme) takes a full render instead.
//!
//! Dependencies, per language: an incident's own page; the page of each service it lists
//! or sets, and that service's year pages it has entries in or started in (all of them
//! when the service's set of years or its state changes); the guides of those services
//! (they show service states); the archive pages of the years it started in before and
//! after; the front page; the current year's archive when the incident is, or was, on its
//! open or upcoming lists. Feeds, the status API, the calendar and the badges are small
//! and always rendered again (per-service feeds only for the services above). When "now"
//! moved since the last render (`serve` runs on the clock), whatever that changed is
//! added: incidents whose derived view changed (a scheduled update got published) or that
//! left the 90-day window, with their services; services whose state or timeline changed
//! or whose entries left the window, with their current year's page; and the page of each
//! open incident, whose running duration moved on. A new day, a new year or a change in
//! the active notices (shown on every page) needs a full render.

use super::pages::{self, archive_path, Unit};
use super::BuildContext;
use crate::model::{Derived, IncidentRecord};
use chrono::{DateTime, Datelike, Duration, Utc};
use std::collections::{BTreeSet, HashMap};

/// What the previous render was made from, as far as a partial render needs it.
#[derive(Debug)]
pub struct Previous {
    /// Incident ids in site order (indices of `derived.incidents`).
    pub incident_ids: Vec<String>,
    pub derived: Derived,
    pub archive_years: BTreeSet<i32>,
}

/// One changed incident file: its record before the change (`None`: it is new).
pub struct ChangedIncident {
    pub id: String,
    pub before: Option<IncidentRecord>,
}

/// The units to render and the output files that must go first.
#[derive(Debug, Default)]
pub struct Plan {
    pub units: Vec<(usize, Unit)>,
    /// Path prefixes (output-relative) whose files are dropped before the new ones come:
    /// pages of removed incidents, and service and archive years that no longer exist.
    pub drop_prefixes: Vec<String>,
    /// Services whose pages (and feeds) are rendered again.
    pub services: BTreeSet<usize>,
    /// The years with an archive page after the change.
    pub archive_years: BTreeSet<i32>,
}

/// The plan for re-rendering after `changed`, or `None` when only a full render is right.
/// `prev_now` is the "now" of the previous render (`prev.derived` may already have been
/// moved on to the new one, when nothing else in it changed).
pub fn plan(
    prev: &Previous,
    prev_now: DateTime<Utc>,
    ctx: &BuildContext,
    changed: &[ChangedIncident],
) -> Option<Plan> {
    let site = ctx.site;
    let d = ctx.derived;
    let tz = site.config.timezone;
    let (old_day, new_day) =
        (prev_now.with_timezone(&tz).date_naive(), d.now.with_timezone(&tz).date_naive());
    if old_day != new_day || prev.derived.active_notices != d.active_notices {
        return None;
    }
    let service_index: HashMap<&str, usize> =
        site.services.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let incident_index: HashMap<&str, usize> =
        site.incidents.iter().enumerate().map(|(i, x)| (x.id.as_str(), i)).collect();
    let year = |t: DateTime<Utc>| t.with_timezone(&tz).year();

    let mut incidents: BTreeSet<usize> = BTreeSet::new();
    let mut services: BTreeSet<usize> = BTreeSet::new();
    let mut years: BTreeSet<i32> = BTreeSet::new();
    let mut plan = Plan::default();
    let touch_services = |record: &IncidentRecord, services: &mut BTreeSet<usize>| {
        let listed = record.services.iter().map(String::as_str);
        let set = record.updates.iter().flat_map(|u| u.set.iter().map(|(s, _)| s.as_str()));
        services.extend(listed.chain(set).filter_map(|id| service_index.get(id).copied()));
    };

    let old_index: HashMap<&str, usize> =
        prev.incident_ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    for c in changed {
        if let Some(before) = &c.before {
            touch_services(before, &mut services);
            if let Some(t) = old_index.get(c.id.as_str()).and_then(|&i| prev.derived.incidents[i].started) {
                years.insert(year(t));
            }
        }
        match incident_index.get(c.id.as_str()) {
            Some(&i) => {
                touch_services(&site.incidents[i], &mut services);
                incidents.insert(i);
                years.extend(d.incidents[i].started.map(year));
            }
            None => {
                for lang in 0..ctx.languages().len() {
                    plan.drop_prefixes.push(format!("{}incidents/{}/", ctx.lang_prefix(lang), c.id));
                }
            }
        }
    }

    // What "now" moving on changed in incidents nobody edited.
    let now_moved = prev_now != d.now;
    let mut running: BTreeSet<usize> = BTreeSet::new();
    if now_moved {
        let (old_cutoff, new_cutoff) =
            (prev_now - Duration::days(super::HISTORY_DAYS), d.now - Duration::days(super::HISTORY_DAYS));
        let left_window = |t: DateTime<Utc>| t >= old_cutoff && t < new_cutoff;
        for (i, view) in d.incidents.iter().enumerate() {
            let before = old_index.get(site.incidents[i].id.as_str()).map(|&o| &prev.derived.incidents[o]);
            if before.is_some_and(|b| b != view) || view.started.is_some_and(left_window) {
                // A scheduled update got published, or the incident left the 90 days of
                // its services' pages.
                touch_services(&site.incidents[i], &mut services);
                incidents.insert(i);
                years.extend(view.started.map(year));
            } else if view.open {
                // Only its running duration moved on, which only its own page shows.
                running.insert(i);
            }
        }
        for (i, view) in d.services.iter().enumerate() {
            let old = &prev.derived.services[i];
            let crossed = view.timeline.iter().any(|e| left_window(e.at));
            if crossed
                || old.current != view.current
                || old.since != view.since
                || old.timeline.len() != view.timeline.len()
            {
                services.insert(i);
            }
        }
    }
    // The current year's archive page also lists the open incidents and the upcoming
    // maintenance, with their latest update.
    let listed = |derived: &Derived| -> Vec<usize> {
        derived.open_incidents.iter().chain(&derived.upcoming_maintenance).copied().collect()
    };
    let listed_before: BTreeSet<&str> =
        listed(&prev.derived).into_iter().map(|i| prev.incident_ids[i].as_str()).collect();
    let listed_now: BTreeSet<&str> = listed(d).into_iter().map(|i| site.incidents[i].id.as_str()).collect();
    if listed_before != listed_now
        || changed.iter().any(|c| listed_before.contains(c.id.as_str()) || listed_now.contains(c.id.as_str()))
        || incidents.iter().any(|&i| listed_now.contains(site.incidents[i].id.as_str()))
    {
        years.insert(year(d.now));
    }
    // A service's year pages: those the changed incidents have entries in or started in;
    // all of them when the set of years changed (the year links on every page) or the
    // service's state did (its summary is on every page). When "now" moved, entries that
    // got published since are in the current year (a new day renders everything).
    let mut service_years: Vec<(usize, i32)> = Vec::new();
    // Every year of the entries, not only of those past the 90 days: a year page lists its
    // whole year, the last 90 days included.
    let entry_years = |record: &IncidentRecord, id: &str| -> Vec<i32> {
        record.updates.iter().filter(|u| u.set.iter().any(|(s, _)| s == id)).map(|u| year(u.at)).collect()
    };
    for &s in &services {
        let id = site.services[s].id.as_str();
        let (old, view) = (&prev.derived.services[s], &d.services[s]);
        let before = pages::service_years(old, prev_now, tz);
        let now_years = pages::service_years(view, d.now, tz);
        for &y in before.difference(&now_years) {
            for lang in 0..ctx.languages().len() {
                plan.drop_prefixes.push(format!("{}services/{id}/{y}/", ctx.lang_prefix(lang)));
            }
        }
        let mut touched: BTreeSet<i32> = BTreeSet::new();
        if before != now_years || old.current != view.current || old.since != view.since {
            touched.extend(&now_years);
        } else {
            if now_moved {
                touched.insert(year(d.now));
            }
            for c in changed {
                touched.extend(c.before.iter().flat_map(|r| entry_years(r, id)));
                touched.extend(site.incident(&c.id).into_iter().flat_map(|r| entry_years(r, id)));
            }
            // An incident's title and phase show on the year pages it started in, too.
            for &i in &incidents {
                touched.extend(d.incidents[i].started.map(year));
            }
            touched.retain(|y| now_years.contains(y));
        }
        service_years.extend(touched.into_iter().map(|y| (s, y)));
    }

    let archive_years = pages::archive_years(ctx);
    if archive_years != prev.archive_years {
        years.extend(archive_years.iter().copied());
        for &y in prev.archive_years.difference(&archive_years) {
            for lang in 0..ctx.languages().len() {
                plan.drop_prefixes.push(format!("{}{}", ctx.lang_prefix(lang), archive_path(ctx, y)));
            }
        }
    }

    let guides: Vec<usize> = (0..site.guides.len())
        .filter(|&g| d.guide_services[g].iter().any(|s| services.contains(s)))
        .collect();
    for lang in 0..ctx.languages().len() {
        plan.units.push((lang, Unit::Front));
        plan.units.extend(incidents.union(&running).map(|&i| (lang, Unit::Incident(i))));
        plan.units.extend(services.iter().map(|&s| (lang, Unit::Service(s))));
        plan.units.extend(service_years.iter().map(|&(s, y)| (lang, Unit::ServiceYear(s, y))));
        plan.units.extend(
            years.iter().filter(|y| archive_years.contains(y)).map(|&y| (lang, Unit::ArchiveYear(y))),
        );
        plan.units.extend(guides.iter().map(|&g| (lang, Unit::Guide(g))));
    }
    plan.services = services;
    plan.archive_years = archive_years;
    Some(plan)
}
