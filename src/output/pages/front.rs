//! The front page (`index.html`): the overall state, what is open, running or coming,
//! every service by group, the newest updates, notices and guides.

use super::env::PageEnv;
use super::values::{
    GuideSummary, IncidentCard, NoticeValue, ServiceSummary, Shared, StateValue, TextValue, UpdateValue,
};
use super::Page;
use crate::model::{Band, StateId};
use schemars::JsonSchema;
use serde::Serialize;

/// `data` of `index.html`.
#[derive(Serialize, JsonSchema)]
pub struct FrontPage {
    /// The worst current state of any service.
    pub overall: Shared<StateValue>,
    /// Open incidents, newest first.
    pub open_incidents: Vec<IncidentCard>,
    /// Maintenance running now, soonest end first.
    pub active_maintenance: Vec<IncidentCard>,
    /// Maintenance still to come, soonest first.
    pub upcoming_maintenance: Vec<IncidentCard>,
    /// The services by group, in the order of `site.yaml`; services of no group last.
    pub groups: Vec<GroupValue>,
    /// The newest updates of the site, newest first.
    pub newest: Vec<UpdateValue>,
    /// Active notices that are not pinned (pinned ones are in `site.pinned`).
    pub notices: Vec<NoticeValue>,
    /// Every guide, in the site's order.
    pub guides: Vec<GuideSummary>,
    /// Link to the printable notice (`print/`).
    pub print: String,
}

/// A group of services.
#[derive(Serialize, JsonSchema)]
pub struct GroupValue {
    /// The group's id (`site.yaml`); `other` for the services of no group.
    pub id: String,
    /// The group's name; none for the services that belong to no group.
    pub name: Option<Shared<TextValue>>,
    /// The group's services, in display order.
    pub services: Vec<ServiceSummary>,
    /// The worst current state of its services.
    pub worst: Shared<StateValue>,
    /// How many of its services are not operational (in any other band).
    pub affected: usize,
    /// Whether a service in it is not operational: the front page shows such a group
    /// open, and the others folded.
    pub open: bool,
    /// "6 services", or "2 of 6 affected" when some are not operational (UI strings
    /// `group_services`, `group_one_service`, `group_affected`).
    pub count: String,
}

pub fn page(env: &PageEnv) -> Page<FrontPage> {
    let env = &env.at("");
    let site = env.site();
    let services = site.services();
    let in_group = |group: Option<&str>| -> Vec<usize> {
        (0..services.len()).filter(|&i| services[i].group.as_deref() == group).collect()
    };
    let groups: Vec<GroupValue> = site
        .config()
        .groups
        .iter()
        .map(|g| (g.id.clone(), Some(env.name(&g.name)), in_group(Some(&g.id))))
        .chain([("other".to_string(), None, in_group(None))])
        .filter(|(_, _, members)| !members.is_empty())
        .map(|(id, name, members)| group(env, id, name, &members))
        .collect();
    let cards = |list: &[usize]| list.iter().map(|&i| env.incident_card(i)).collect();
    let data = FrontPage {
        overall: env.state(env.overall()),
        open_incidents: cards(env.open_incidents()),
        active_maintenance: cards(env.active_maintenance()),
        upcoming_maintenance: cards(env.upcoming_maintenance()),
        groups,
        newest: env.newest_updates().map(|u| env.update(u)).collect(),
        notices: env
            .active_notices()
            .iter()
            .filter(|&&n| !site.notices()[n].pinned)
            .filter_map(|&n| env.notice(n))
            .collect(),
        guides: (0..site.guides().len()).filter_map(|g| env.guide_summary(g)).collect(),
        print: env.href(super::print::PATH),
    };
    Page {
        path: String::new(),
        template: "index.html",
        title: env.text(&site.config().title).plain,
        updated: env.last_updated(),
        data,
    }
}

/// A group of the front page from its services (indices, in display order).
fn group(env: &PageEnv, id: String, name: Option<Shared<TextValue>>, members: &[usize]) -> GroupValue {
    let states = &env.ctx().site.states;
    let operational = StateId::operational();
    let mut worst = &operational;
    let mut affected = 0;
    for &s in members {
        let (state, _) = env.service_state(s);
        worst = states.worse(worst, state);
        affected += usize::from(states.band(state) != Band::Operational);
    }
    let strings = env.strings;
    let total = members.len().to_string();
    let count = match (affected, members.len()) {
        (0, 1) => strings.get("group_one_service").to_string(),
        (0, _) => strings.fill("group_services", "count", &total),
        (n, _) => strings.fill("group_affected", "affected", &n.to_string()).replace("{count}", &total),
    };
    GroupValue {
        id,
        name,
        services: members.iter().map(|&s| env.service_summary(s)).collect(),
        worst: env.state(worst),
        affected,
        open: affected > 0,
        count,
    }
}
