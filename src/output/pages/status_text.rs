//! `status.txt` in every language: the state of affairs as plain text, for `curl`, the
//! service desk's telephone script, SMS and mailing-list relays. Every text in it is
//! plain: Markdown reduced to words, links as absolute URLs
//! ([`crate::render::plain_text`]); the template lays it out in columns with the `wrap`
//! filter.

use super::env::PageEnv;
use super::values::{PhaseValue, Shared, StateValue, TimeValue, WindowValue};
use super::Page;
use crate::model::{Band, Text};
use crate::render::plain_text::markdown_to_text;
use schemars::JsonSchema;
use serde::Serialize;

/// Site path of the text, without language prefix.
pub const PATH: &str = "status.txt";

/// `data` of `status.txt`.
#[derive(Serialize, JsonSchema)]
pub struct StatusTextPage {
    /// The site's title, plain text.
    pub title: String,
    /// The absolute URL of the front page in this language.
    pub url: String,
    /// The worst current state of any service.
    pub overall: Shared<StateValue>,
    /// The overall state as a phrase for the whole site, as the status API's
    /// `status.description` says it (UI strings `overall_none` … `overall_maintenance`).
    pub summary: String,
    /// The newest time in the content (not the clock): what the text is up to date with.
    /// None on a site without any update.
    pub as_of: Option<Shared<TimeValue>>,
    /// How to reach the service desk (`site.yaml`), plain text, if given.
    pub contact: Option<String>,
    /// Open incidents, newest first.
    pub open_incidents: Vec<PlainIncident>,
    /// The services that are not operational now, in the order of the front page's list.
    pub services: Vec<PlainService>,
    /// Maintenance running now, soonest end first.
    pub active_maintenance: Vec<PlainIncident>,
    /// Maintenance still to come, soonest first.
    pub upcoming_maintenance: Vec<PlainIncident>,
}

/// An incident or maintenance in plain text.
#[derive(Serialize, JsonSchema)]
pub struct PlainIncident {
    /// The title, plain text.
    pub title: String,
    /// The absolute URL of its page in this language.
    pub url: String,
    /// "Incident" or "Maintenance" in this language.
    pub kind_label: String,
    /// The phase now.
    pub phase: PhaseValue,
    /// When it started: its first update, or a maintenance's window start.
    pub started: Option<Shared<TimeValue>>,
    /// A maintenance's window.
    pub window: Option<WindowValue>,
    /// The names of the services it lists (`services:`), plain text.
    pub services: Vec<String>,
    /// The newest published update.
    pub latest: Option<PlainUpdate>,
}

/// An update in plain text.
#[derive(Serialize, JsonSchema)]
pub struct PlainUpdate {
    /// When it was published.
    pub time: Shared<TimeValue>,
    /// Its phase.
    pub phase: PhaseValue,
    /// Its words as plain text (paragraphs separated by a blank line, links as absolute
    /// URLs in angle brackets), if it has any.
    pub text: Option<String>,
}

/// A service in plain text.
#[derive(Serialize, JsonSchema)]
pub struct PlainService {
    /// The service's name, plain text.
    pub name: String,
    /// The absolute URL of its page in this language.
    pub url: String,
    /// Its current state.
    pub state: Shared<StateValue>,
    /// When the current state began.
    pub since: Option<Shared<TimeValue>>,
}

pub fn page(env: &PageEnv) -> Page<StatusTextPage> {
    let env = &env.at(PATH);
    let ctx = env.ctx();
    let site = env.site();
    let overall = env.overall();
    let plain_incidents = |list: &[usize]| list.iter().map(|&i| plain_incident(env, i)).collect();
    let services = (0..site.services().len())
        .filter_map(|s| {
            let (state, since) = env.service_state(s);
            let value = env.state(state);
            let band = ctx.site.states.band(state);
            (band != Band::Operational).then(|| {
                let svc = &site.services()[s];
                PlainService {
                    name: plain(env, &svc.name),
                    url: ctx.lang_url(env.lang, &format!("services/{}/", svc.id)),
                    state: value,
                    since: since.map(|t| env.time(t)),
                }
            })
        })
        .collect();
    let updated = env.last_updated();
    let data = StatusTextPage {
        title: plain(env, &site.config().title),
        url: ctx.lang_url(env.lang, ""),
        overall: env.state(overall),
        summary: crate::output::api::localized_description(ctx, overall, env.lang),
        as_of: updated.map(|t| env.time(t)),
        contact: site.config().contact.as_ref().map(|c| plain(env, c)),
        open_incidents: plain_incidents(env.open_incidents()),
        services,
        active_maintenance: plain_incidents(env.active_maintenance()),
        upcoming_maintenance: plain_incidents(env.upcoming_maintenance()),
    };
    Page { path: PATH.into(), template: "status.txt", title: data.title.clone(), updated, data }
}

/// A text of the content in the page's language as plain text.
fn plain(env: &PageEnv, text: &Text) -> String {
    markdown_to_text(&text.get(env.lang).text, &env.ctx().base_url)
}

fn plain_incident(env: &PageEnv, i: usize) -> PlainIncident {
    let (inc, view) = env.incident(i);
    let latest = view.published.checked_sub(1).map(|u| {
        let up = &inc.updates[u];
        PlainUpdate {
            time: env.time(up.at),
            phase: env.phase(up.phase),
            text: up.text.as_ref().map(|t| plain(env, t)).filter(|t| !t.is_empty()),
        }
    });
    PlainIncident {
        title: plain(env, &inc.title),
        url: env.ctx().lang_url(env.lang, &format!("incidents/{}/", inc.id)),
        kind_label: env.strings.kind(inc.kind).to_string(),
        phase: env.phase(view.phase),
        started: view.started.map(|t| env.time(t)),
        window: inc.scheduled.map(|w| WindowValue { from: env.time(w.from), until: env.time(w.until) }),
        services: inc
            .services
            .iter()
            .filter_map(|id| env.site().service(id).map(|(_, s)| plain(env, &s.name)))
            .collect(),
        latest,
    }
}
