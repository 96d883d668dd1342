//! A service's page (`services/<id>/`: its state, the last 90 days and the day-by-day
//! strip) and its history pages of older years (`services/<id>/<year>/`).

use super::availability::AvailabilityValue;
use super::env::PageEnv;
use super::sources::HISTORY_DAYS;
use super::summaries::TimelineTexts;
use super::values::{
    GuideSummary, IncidentBrief, ServiceSummary, Shared, StateValue, TextValue, TimelineEntryValue, YearLink,
};
use super::Page;
use crate::model::{LinkTarget, StateId};
use chrono::{DateTime, Duration, Utc};
use schemars::JsonSchema;
use serde::Serialize;

/// `data` of `service.html`.
#[derive(Serialize, JsonSchema)]
pub struct ServicePage {
    /// The service.
    pub service: ServiceSummary,
    /// The history of the last 90 days, newest first.
    pub timeline: Vec<TimelineEntryValue>,
    /// Pages of older history, newest year first.
    pub years: Vec<YearLink>,
    /// The state on each of the last 90 days.
    pub strip: Strip,
    /// The share of the last 30 and of the last 90 days in which the service was
    /// available, in that order.
    pub availability: Vec<AvailabilityValue>,
    /// The states that count as unavailable (`availability:` in site.yaml), best first.
    pub unavailable_states: Vec<Shared<StateValue>>,
    /// The service's links (`links:` in its file).
    pub links: Vec<LinkValue>,
    /// Guides about the service.
    pub guides: Vec<GuideSummary>,
    /// Incidents and maintenance of the service that are open or started in the last 90
    /// days, newest first.
    pub incidents: Vec<IncidentBrief>,
    /// Link to the service's RSS feed.
    pub feed: String,
    /// Link to the service's status badge.
    pub badge: String,
}

/// A link of a service.
#[derive(Serialize, JsonSchema)]
pub struct LinkValue {
    /// The link's text.
    pub label: Shared<TextValue>,
    /// Where it leads.
    pub href: String,
}

/// The day-by-day strip of the last 90 days.
#[derive(Serialize, JsonSchema)]
pub struct Strip {
    /// Every day, oldest first, each in its worst state.
    pub days: Vec<StripDay>,
    /// The runs of days in the same state, oldest first: the strip as text.
    pub runs: Vec<StripRun>,
}

#[derive(Serialize, JsonSchema)]
pub struct StripDay {
    /// The day in the page language's format.
    pub date: String,
    /// The worst state of the day.
    pub state: Shared<StateValue>,
}

#[derive(Serialize, JsonSchema)]
pub struct StripRun {
    /// The first day.
    pub from: String,
    /// The last day (the same as `from` for a run of one day).
    pub to: String,
    /// How many days.
    pub days: usize,
    /// The state of those days.
    pub state: Shared<StateValue>,
}

/// `data` of `service_year.html`.
#[derive(Serialize, JsonSchema)]
pub struct ServiceYearPage {
    /// The service.
    pub service: ServiceRef,
    /// The year the page shows.
    pub year: i32,
    /// "History 2022" in the page's language (UI string `history_year`).
    pub heading: String,
    /// The year's history, newest first. Only the service's own updates carry their
    /// words; an incident's entry links to the update on the incident's page.
    pub timeline: Vec<TimelineEntryValue>,
    /// Every year page of the service, newest first.
    pub years: Vec<YearLink>,
    /// Incidents and maintenance of the service that started this year, newest first.
    pub incidents: Vec<IncidentBrief>,
}

/// A service named and linked.
#[derive(Serialize, JsonSchema)]
pub struct ServiceRef {
    /// The service's id (its file name).
    pub id: String,
    /// Link to the service's page.
    pub href: String,
    /// The service's name.
    pub name: Shared<TextValue>,
}

fn year_links(env: &PageEnv, s: usize, current: Option<i32>) -> Vec<YearLink> {
    env.service_years(s)
        .iter()
        .rev()
        .map(|&year| YearLink {
            year,
            href: env.href(&super::site_path(env.ctx(), super::Unit::ServiceYear(s, year))),
            current: Some(year) == current,
        })
        .collect()
}

pub fn page(env: &PageEnv, s: usize) -> Page<ServicePage> {
    let svc = &env.site().services()[s];
    let path = super::site_path(env.ctx(), super::Unit::Service(s));
    let env = &env.at(&path);
    let recent = env.service_recent(s);
    let links = svc
        .links
        .iter()
        .map(|l| LinkValue {
            label: env.name(&l.label),
            href: match &l.target {
                LinkTarget::Guide(g) => env.href(&format!("guides/{g}/")),
                LinkTarget::Url(u) if u.starts_with('/') => env.href_shared(u.trim_start_matches('/')),
                LinkTarget::Url(u) => u.clone(),
            },
        })
        .collect();
    let service = env.service_summary(s);
    let title = env.ctx().plain(&svc.name, env.lang);
    let data = ServicePage {
        timeline: recent.entries.iter().rev().map(|e| env.timeline_entry(s, e, TimelineTexts::All)).collect(),
        years: year_links(env, s, None),
        strip: strip(env, recent.state_before, recent.entries),
        availability: env.availability_values(s),
        unavailable_states: env.unavailable_states(),
        links,
        guides: env.ctx().derived.services[s].guides.iter().filter_map(|&g| env.guide_summary(g)).collect(),
        incidents: recent.incidents.iter().map(|&i| env.incident_brief(i)).collect(),
        feed: env.href(&format!("{path}feed.xml")),
        badge: env.href_shared(&format!("{path}badge.svg")),
        service,
    };
    Page { updated: recent.last_change, path, template: "service.html", title, data }
}

pub fn year_page(env: &PageEnv, s: usize, y: i32) -> Page<ServiceYearPage> {
    let svc = &env.site().services()[s];
    let path = super::site_path(env.ctx(), super::Unit::ServiceYear(s, y));
    let env = &env.at(&path);
    let (entries, incidents) = env.service_year(s, y);
    let name = env.name(&svc.name);
    let title = format!("{} – {y}", env.ctx().plain(&svc.name, env.lang));
    let data = ServiceYearPage {
        service: ServiceRef { id: svc.id.clone(), href: env.href(&format!("services/{}/", svc.id)), name },
        year: y,
        heading: env.with_year("history_year", y),
        timeline: entries.iter().rev().map(|e| env.timeline_entry(s, e, TimelineTexts::OwnOnly)).collect(),
        years: year_links(env, s, Some(y)),
        incidents: incidents.iter().map(|&i| env.incident_brief(i)).collect(),
    };
    Page { updated: entries.last().map(|e| e.at), path, template: "service_year.html", title, data }
}

/// The strip: each of the last 90 days in its worst state, from the state at the start
/// (`before`) and the entries since.
fn strip(env: &PageEnv, before: Option<&StateId>, entries: &[crate::model::derive::TimelineEntry]) -> Strip {
    let tz = env.tz();
    let states = &env.ctx().site.states;
    let operational = StateId::operational();
    let mut current = before.unwrap_or(&operational);
    let first = env.first_history_day();
    let mut next = entries.iter().peekable();
    let mut days: Vec<(String, &StateId)> = Vec::with_capacity(HISTORY_DAYS as usize);
    for n in 0..HISTORY_DAYS {
        let day = first + Duration::days(n);
        let end: DateTime<Utc> = super::sources::day_start(day + Duration::days(1), tz);
        let mut worst = current;
        while let Some(e) = next.next_if(|e| e.at < end) {
            current = &e.state;
            worst = states.worse(worst, current);
        }
        days.push((env.format(super::sources::day_start(day, tz), "date"), worst));
    }
    let mut runs: Vec<OpenRun> = Vec::new();
    for (date, state) in &days {
        match runs.last_mut() {
            Some(run) if run.state_id == **state => {
                run.run.to = date.clone();
                run.run.days += 1;
            }
            _ => runs.push(OpenRun {
                state_id: (*state).clone(),
                run: StripRun { from: date.clone(), to: date.clone(), days: 1, state: env.state(state) },
            }),
        }
    }
    Strip {
        days: days.into_iter().map(|(date, state)| StripDay { date, state: env.state(state) }).collect(),
        runs: runs.into_iter().map(|r| r.run).collect(),
    }
}

struct OpenRun {
    state_id: StateId,
    run: StripRun,
}
