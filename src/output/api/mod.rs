//! The public status API under `/api/v2/`, in the shape Atlassian Statuspage documents for
//! its public v2 API, so that widgets, chat bots and dashboards written for a Statuspage
//! read this site unchanged. Static files, so "queries" are fixed: the files a Statuspage
//! serves at the same paths. Every object also carries an `i18n` object with the native
//! state (or phase) id and the texts in every configured language. Field list: docs/outputs.md.

use super::{BuildContext, OutputFile};
use crate::model::derive::TimelineEntry;
use crate::model::{IncidentKind, Phase, StateId};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

mod components;
use components::{components, Components};

/// incidents.json and scheduled-maintenances.json hold the 50 newest, like Statuspage's.
const MAX_LISTED: usize = 50;

/// Statuspage's component status for one of our states (the mapping in docs/outputs.md).
pub fn component_status(ctx: &BuildContext, state: &str) -> &'static str {
    if state == "maintenance" {
        return "under_maintenance";
    }
    match ctx.site.states.severity(state) {
        0 => "operational",
        1..=39 => "degraded_performance",
        40..=69 => "partial_outage",
        _ => "major_outage",
    }
}

/// Statuspage's `status.indicator` and incident `impact` for a severity.
pub fn indicator(severity: u8) -> &'static str {
    match severity {
        0 => "none",
        1..=49 => "minor",
        50..=79 => "major",
        _ => "critical",
    }
}

/// The overall status in words (`status.description`, and per language in `i18n`): the
/// theme's string `overall_<indicator>`, or `overall_maintenance`.
fn status_band(ctx: &BuildContext, overall: &str) -> &'static str {
    if overall == "maintenance" {
        "maintenance"
    } else {
        indicator(ctx.site.states.severity(overall))
    }
}

/// The overall state as a phrase for the whole site in language `lang` ("Partial System
/// Outage"): `status.description` here, the summary of `status.txt` and the banner.
pub fn localized_description(ctx: &BuildContext, overall: &str, lang: usize) -> String {
    ctx.strings(lang).get(&format!("overall_{}", status_band(ctx, overall))).to_string()
}

/// RFC 3339 in the site's timezone, as Statuspage gives times in the page's zone.
fn time(ctx: &BuildContext, t: DateTime<Utc>) -> Value {
    Value::String(t.with_timezone(&ctx.site.config.timezone).to_rfc3339_opts(SecondsFormat::Secs, false))
}

fn opt_time(ctx: &BuildContext, t: Option<DateTime<Utc>>) -> Value {
    t.map(|t| time(ctx, t)).unwrap_or(Value::Null)
}

/// Page id: the host name, stable for a site and readable (Statuspage's are random).
fn page_id(ctx: &BuildContext) -> String {
    ctx.site_host()
}

/// The `i18n` object: the native id plus, per language, the given fields.
fn i18n(ctx: &BuildContext, state: &str, per_lang: impl Fn(usize) -> Map<String, Value>) -> Value {
    let mut m = Map::new();
    m.insert("state".into(), Value::String(state.to_string()));
    for (lang, code) in ctx.languages().iter().enumerate() {
        m.insert(code.clone(), Value::Object(per_lang(lang)));
    }
    Value::Object(m)
}

fn page(ctx: &BuildContext) -> Value {
    let d = ctx.derived;
    let title = &ctx.site.config.title;
    json!({
        "id": page_id(ctx),
        "name": ctx.plain(title, 0),
        "url": ctx.base_url,
        "time_zone": ctx.site.config.timezone.name(),
        "updated_at": time(ctx, d.last_updated.unwrap_or(d.now)),
        "i18n": i18n(ctx, &d.overall, |lang| {
            let mut m = Map::new();
            m.insert("name".into(), ctx.plain(title, lang).into());
            m.insert("url".into(), ctx.lang_url(lang, "").into());
            m.insert("status_label".into(), ctx.state_label(&d.overall, lang).into());
            m.insert("status_description".into(), localized_description(ctx, &d.overall, lang).into());
            m
        }),
    })
}

fn status(ctx: &BuildContext) -> Value {
    let overall = &ctx.derived.overall;
    json!({
        "indicator": indicator(ctx.site.states.severity(overall)),
        "description": localized_description(ctx, overall, 0),
        "i18n": i18n(ctx, overall, |lang| {
            let mut m = Map::new();
            m.insert("description".into(), localized_description(ctx, overall, lang).into());
            m.insert("status_label".into(), ctx.state_label(overall, lang).into());
            m
        }),
    })
}

/// The state of service `si` just before incident update `(ii, ui)` changed it.
fn state_before(ctx: &BuildContext, si: usize, ii: usize, ui: usize) -> StateId {
    let tl = &ctx.derived.services[si].timeline;
    let at = ctx.site.incidents[ii].updates[ui].at;
    // Timelines are long (every state change of years), and sorted.
    let pos = tl.binary_search_by_key(&(at, 0, ii, ui), TimelineEntry::order).unwrap_or(tl.len());
    // Entries at the same instant that come before it count as "before" too: the
    // timeline's order is the order in which states were applied.
    pos.checked_sub(1).and_then(|p| tl.get(p)).map_or_else(StateId::operational, |e| e.state.clone())
}

/// Statuspage status of an incident: its phase, except that a maintenance whose window
/// has begun without an `in_progress` update reads `in_progress`, as Statuspage's
/// automatic transition would make it (widgets filter on this field).
fn incident_status(ctx: &BuildContext, ii: usize) -> String {
    let view = &ctx.derived.incidents[ii];
    if ctx.site.incidents[ii].kind == IncidentKind::Maintenance
        && view.phase == Phase::Scheduled
        && ctx.derived.active_maintenance.contains(&ii)
    {
        "in_progress".into()
    } else {
        view.phase.as_str().into()
    }
}

fn incident(ctx: &BuildContext, comps: &Components, ii: usize) -> Value {
    let site = ctx.site;
    let inc = &site.incidents[ii];
    let view = &ctx.derived.incidents[ii];
    let pid = page_id(ctx);
    let published = &inc.updates[..view.published.min(inc.updates.len())];
    let created = published.first().map(|u| u.at).or(view.started).unwrap_or(ctx.derived.now);
    let updated = published.last().map(|u| u.at).unwrap_or(created);
    let impact_sev = view.impact.as_deref().map(|s| site.states.severity(s)).unwrap_or(0);

    let updates: Vec<Value> = published
        .iter()
        .enumerate()
        .rev()
        .map(|(ui, u)| {
            let affected: Vec<Value> = u
                .set
                .iter()
                .filter_map(|(sid, st)| {
                    let si = site.services.iter().position(|s| &s.id == sid)?;
                    let old = state_before(ctx, si, ii, ui);
                    Some(json!({
                        "code": sid,
                        "name": ctx.plain(&site.services[si].name, 0),
                        "old_status": component_status(ctx, &old),
                        "new_status": component_status(ctx, st),
                    }))
                })
                .collect();
            let anchor = u.anchor.as_str();
            let body = |lang: usize| -> String {
                u.text.as_ref().map(|t| ctx.plain(t, lang)).unwrap_or_else(|| ctx.phase_label(u.phase, lang))
            };
            json!({
                "id": format!("{}-{}", inc.id, anchor),
                "status": u.phase,
                "body": body(0),
                "incident_id": inc.id,
                "created_at": time(ctx, u.at),
                "updated_at": time(ctx, u.at),
                "display_at": time(ctx, u.at),
                "affected_components": affected,
                "i18n": i18n(ctx, u.phase.as_str(), |lang| {
                    let mut m = Map::new();
                    m.insert("body".into(), body(lang).into());
                    m.insert("status_label".into(), ctx.phase_label(u.phase, lang).into());
                    m.insert(
                        "url".into(),
                        ctx.lang_url(lang, &format!("incidents/{}/#{}", inc.id, anchor)).into(),
                    );
                    m
                }),
            })
        })
        .collect();

    let components: Vec<Value> = site
        .services
        .iter()
        .enumerate()
        .filter(|(_, s)| inc.services.contains(&s.id))
        .map(|(si, _)| comps.by_service[si].clone())
        .collect();
    let monitoring_at = published.iter().find(|u| u.phase == Phase::Monitoring).map(|u| u.at);
    let status = incident_status(ctx, ii);

    let mut m = Map::new();
    m.insert("id".into(), inc.id.clone().into());
    m.insert("name".into(), ctx.plain(&inc.title, 0).into());
    m.insert("status".into(), status.into());
    m.insert("created_at".into(), time(ctx, created));
    m.insert("updated_at".into(), time(ctx, updated));
    m.insert("monitoring_at".into(), opt_time(ctx, monitoring_at));
    m.insert("resolved_at".into(), opt_time(ctx, view.ended));
    m.insert("impact".into(), indicator(impact_sev).into());
    m.insert("shortlink".into(), ctx.lang_url(0, &format!("incidents/{}/", inc.id)).into());
    m.insert("started_at".into(), time(ctx, view.started.unwrap_or(created)));
    m.insert("page_id".into(), pid.into());
    m.insert("incident_updates".into(), Value::Array(updates));
    m.insert("components".into(), Value::Array(components));
    if let (IncidentKind::Maintenance, Some(w)) = (inc.kind, inc.scheduled) {
        m.insert("scheduled_for".into(), time(ctx, w.from));
        m.insert("scheduled_until".into(), time(ctx, w.until));
    }
    let native = view.phase;
    m.insert(
        "i18n".into(),
        i18n(ctx, native.as_str(), |lang| {
            let mut x = Map::new();
            x.insert("name".into(), ctx.plain(&inc.title, lang).into());
            x.insert(
                "description".into(),
                inc.description.as_ref().map(|t| Value::String(ctx.plain(t, lang))).unwrap_or(Value::Null),
            );
            x.insert("status_label".into(), ctx.phase_label(native, lang).into());
            x.insert("url".into(), ctx.lang_url(lang, &format!("incidents/{}/", inc.id)).into());
            x
        }),
    );
    m.insert("kind".into(), inc.kind.as_str().into());
    m.insert("impact_state".into(), view.impact.as_deref().map(Value::from).unwrap_or(Value::Null));
    Value::Object(m)
}

/// Whether an incident is public at all: it has a published update, or it is a
/// maintenance the pages already list as running or upcoming.
fn visible(ctx: &BuildContext, ii: usize) -> bool {
    let d = ctx.derived;
    d.incidents[ii].published > 0
        || d.active_maintenance.contains(&ii)
        || d.upcoming_maintenance.contains(&ii)
}

/// The newest `MAX_LISTED` of `ids` by `key`, plus every open one beyond that (an open
/// incident must never drop out of the list), newest first.
fn newest(
    ctx: &BuildContext,
    mut ids: Vec<usize>,
    key: impl Fn(usize) -> Option<DateTime<Utc>>,
) -> Vec<usize> {
    ids.sort_by_key(|&i| std::cmp::Reverse((key(i), i)));
    ids.into_iter()
        .enumerate()
        .filter(|&(n, i)| n < MAX_LISTED || ctx.derived.incidents[i].open)
        .map(|(_, i)| i)
        .collect()
}

fn document(ctx: &BuildContext, parts: Vec<(&str, Value)>) -> Vec<u8> {
    let mut m = Map::new();
    m.insert("page".into(), page(ctx));
    for (k, v) in parts {
        m.insert(k.into(), v);
    }
    // Pretty and with a final newline: readable by people and friendly to `git diff`.
    let mut s = serde_json::to_string_pretty(&Value::Object(m)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s.into_bytes()
}

pub fn files(ctx: &BuildContext) -> Vec<OutputFile> {
    let site = ctx.site;
    let d = ctx.derived;
    let comps = components(ctx);
    let list = |ids: &[usize]| Value::Array(ids.iter().map(|&i| incident(ctx, &comps, i)).collect());

    let of_kind = |k: IncidentKind| -> Vec<usize> {
        (0..site.incidents.len()).filter(|&i| site.incidents[i].kind == k && visible(ctx, i)).collect()
    };
    let incidents = newest(ctx, of_kind(IncidentKind::Incident), |i| d.incidents[i].started);
    let maintenances = newest(ctx, of_kind(IncidentKind::Maintenance), |i| {
        site.incidents[i].scheduled.map(|w| w.from).or(d.incidents[i].started)
    });
    let unresolved = d.open_incidents.clone();
    let mut current_maint = d.active_maintenance.clone();
    current_maint.extend(d.upcoming_maintenance.iter().copied());

    let components = Value::Array(comps.list.clone());
    // In the order of `FILES`.
    let documents = [
        document(
            ctx,
            vec![
                ("status", status(ctx)),
                ("components", components.clone()),
                ("incidents", list(&unresolved)),
                ("scheduled_maintenances", list(&current_maint)),
            ],
        ),
        document(ctx, vec![("status", status(ctx))]),
        document(ctx, vec![("components", components)]),
        document(ctx, vec![("incidents", list(&incidents))]),
        document(ctx, vec![("incidents", list(&unresolved))]),
        document(ctx, vec![("scheduled_maintenances", list(&maintenances))]),
        document(ctx, vec![("scheduled_maintenances", list(&d.upcoming_maintenance))]),
        document(ctx, vec![("scheduled_maintenances", list(&d.active_maintenance))]),
    ];
    FILES
        .iter()
        .zip(documents)
        .map(|(path, bytes)| OutputFile::new(format!("api/v2/{path}"), bytes))
        .collect()
}

/// The files of the API below `api/v2/`, as Statuspage names them.
pub const FILES: [&str; 8] = [
    "summary.json",
    "status.json",
    "components.json",
    "incidents.json",
    "incidents/unresolved.json",
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
];

#[cfg(test)]
mod tests {
    use super::indicator;

    #[test]
    fn indicator_bands() {
        assert_eq!(indicator(0), "none");
        assert_eq!(indicator(1), "minor");
        assert_eq!(indicator(49), "minor");
        assert_eq!(indicator(50), "major");
        assert_eq!(indicator(79), "major");
        assert_eq!(indicator(80), "critical");
        assert_eq!(indicator(100), "critical");
    }
}
