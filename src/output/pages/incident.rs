//! An incident's or maintenance's page (`incidents/<id>/`), and the archive of each year
//! (`incidents/` for the current year, `incidents/<year>/` for the others).

use super::env::PageEnv;
use super::values::{IncidentBrief, IncidentCard, Shared, StateValue, TextValue, UpdateValue, YearLink};
use super::Page;
use crate::model::derive::UpdateRef;
use crate::model::{IncidentKind, StateId};
use schemars::JsonSchema;
use serde::Serialize;

/// `data` of `incident.html`.
#[derive(Serialize, JsonSchema)]
pub struct IncidentPage {
    /// The incident or maintenance.
    pub incident: IncidentCard,
    /// Its description, if it has one.
    pub description: Option<TextValue>,
    /// The services it lists, in the order written.
    pub services: Vec<AffectedService>,
    /// Every published update, newest first.
    pub updates: Vec<UpdateValue>,
    /// How long it lasted, or has lasted so far ("3 Tage 4 Std."); none before it started.
    pub duration: Option<String>,
    /// Whether it is a maintenance.
    pub is_maintenance: bool,
}

/// A service an incident lists.
#[derive(Serialize, JsonSchema)]
pub struct AffectedService {
    /// The service's id.
    pub id: String,
    /// Link to the service's page.
    pub href: String,
    /// The service's name.
    pub name: Shared<TextValue>,
    /// The state this incident last set for the service (not its current state, so that
    /// old incident pages stay as they were); none if it set none.
    pub state: Option<Shared<StateValue>>,
}

/// `data` of `archive.html`.
#[derive(Serialize, JsonSchema)]
pub struct ArchivePage {
    /// The year the page shows.
    pub year: i32,
    /// "Störungen und Wartungen 2022" (UI string `this_year`).
    pub heading: String,
    /// The year's incidents and maintenance by month of their start, newest first.
    pub months: Vec<MonthValue>,
    /// Every archive year, newest first.
    pub years: Vec<YearLink>,
    /// Whether it is the current year (`incidents/`).
    pub is_current_year: bool,
    /// Open incidents, on the current year's page only.
    pub open_incidents: Vec<IncidentCard>,
    /// Maintenance still to come, on the current year's page only.
    pub upcoming_maintenance: Vec<IncidentCard>,
}

/// One month of an archive year.
#[derive(Serialize, JsonSchema)]
pub struct MonthValue {
    /// "November 2022" in the page's language (UI string `month_year`).
    pub label: String,
    /// Those that started in the month, newest first.
    pub incidents: Vec<IncidentBrief>,
}

pub fn page(env: &PageEnv, i: usize) -> Page<IncidentPage> {
    let (inc, view) = env.incident(i);
    let path = super::site_path(env.ctx(), super::Unit::Incident(i));
    let env = &env.at(&path);
    let updates: Vec<UpdateValue> = (0..view.published)
        .rev()
        .map(|u| env.update(UpdateRef::Incident { incident: i, update: u }))
        .collect();
    let published = &inc.updates[..view.published];
    let services = inc
        .services
        .iter()
        .filter_map(|id| env.site().service(id))
        .map(|(_, s)| {
            let set: Option<&StateId> = published
                .iter()
                .rev()
                .find_map(|u| u.set.iter().find(|(svc, _)| *svc == s.id).map(|(_, st)| st));
            AffectedService {
                id: s.id.clone(),
                href: env.href(&format!("services/{}/", s.id)),
                name: env.name(&s.name),
                state: set.map(|st| env.state(st)),
            }
        })
        .collect();
    let duration = view.started.map(|s| {
        // An open incident has lasted until now, which moves on.
        let end = view.ended.unwrap_or_else(|| env.now());
        env.duration(s, end.max(s))
    });
    let data = IncidentPage {
        incident: env.incident_card_with(i, updates.first().cloned()),
        description: inc.description.as_ref().map(|d| env.text(d)),
        services,
        updates,
        duration,
        is_maintenance: inc.kind == IncidentKind::Maintenance,
    };
    Page {
        path,
        template: "incident.html",
        title: env.ctx().plain(&inc.title, env.lang),
        updated: view.published.checked_sub(1).map(|u| inc.updates[u].at),
        data,
    }
}

pub fn archive_page(env: &PageEnv, y: i32) -> Page<ArchivePage> {
    let this_year = env.this_year();
    let path = super::site_path(env.ctx(), super::Unit::ArchiveYear(y));
    let env = &env.at(&path);
    let items = env.archive_year(y);
    let mut months: Vec<MonthValue> = Vec::new();
    let mut month_of_last = None;
    let mut updated = None;
    for &(i, started) in &items {
        let month = env.format(started, "month_year");
        if month_of_last.as_ref() != Some(&month) {
            months.push(MonthValue { label: month.clone(), incidents: Vec::new() });
            month_of_last = Some(month);
        }
        let (inc, view) = env.incident(i);
        updated = updated.max(view.published.checked_sub(1).map(|u| inc.updates[u].at));
        if let Some(m) = months.last_mut() {
            m.incidents.push(env.incident_brief(i));
        }
    }
    let current = y == this_year;
    let cards =
        |list: &[usize]| -> Vec<IncidentCard> { list.iter().map(|&i| env.incident_card(i)).collect() };
    let heading = env.with_year("this_year", y);
    let data = ArchivePage {
        year: y,
        heading: heading.clone(),
        months,
        years: env
            .archive_years()
            .iter()
            .rev()
            .map(|&year| YearLink {
                year,
                href: env.href(&super::site_path(env.ctx(), super::Unit::ArchiveYear(year))),
                current: year == y,
            })
            .collect(),
        is_current_year: current,
        open_incidents: if current { cards(env.open_incidents()) } else { Vec::new() },
        upcoming_maintenance: if current { cards(env.upcoming_maintenance()) } else { Vec::new() },
    };
    Page { path, template: "archive.html", title: heading, updated, data }
}
