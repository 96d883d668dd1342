//! The status API's components: one per service and one per group, with their states and
//! availability.

use super::{component_status, i18n, page_id, time};
use crate::model::derive::availability;
use crate::model::StateId;
use crate::output::BuildContext;
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

/// Components: one per service, plus one per group (`group: true`) as Statuspage lists
/// its component groups. Group ids are the group ids of site.yaml, unless a service has
/// the same id; then `group-<id>`, since component ids must be unique.
pub(super) struct Components {
    /// In display order; `(group index, service indices)` runs, ungrouped last.
    pub list: Vec<Value>,
    /// Per service: its component object (for incidents' `components`).
    pub by_service: Vec<Value>,
}

fn group_component_id(ctx: &BuildContext, group: &str) -> String {
    if ctx.site.service(group).is_some() {
        format!("group-{group}")
    } else {
        group.to_string()
    }
}

/// First and last time in a service's history; a service without any uses the oldest
/// time in the content (never the clock, unless the site has no time at all).
fn service_times(ctx: &BuildContext, si: usize) -> (DateTime<Utc>, DateTime<Utc>) {
    let d = ctx.derived;
    let site_first = d.updates.last().map(|u| u.0).or(d.last_updated).unwrap_or(d.now);
    let tl = &d.services[si].timeline;
    let created = tl.first().map(|e| e.at).unwrap_or(site_first);
    let updated = tl.last().map(|e| e.at).unwrap_or(created);
    (created, updated)
}

/// A service's `i18n` object with its availability: `availability_30d` and
/// `availability_90d`, per cent rounded down to two decimals (the service page's figures).
fn with_availability(ctx: &BuildContext, si: usize, mut i18n: Value) -> Value {
    let (site, d) = (ctx.site, ctx.derived);
    let (rule, tz) = (site.config.availability, site.config.timezone);
    if let Value::Object(m) = &mut i18n {
        for a in availability::windows(&d.services[si].timeline, rule, &site.states, d.now, tz) {
            let percent = serde_json::Number::from_f64(a.percent()).map_or(Value::Null, Value::Number);
            m.insert(format!("availability_{}d", a.days), percent);
        }
    }
    i18n
}

pub(super) fn components(ctx: &BuildContext) -> Components {
    let site = ctx.site;
    let d = ctx.derived;
    let pid = page_id(ctx);
    let mut order: Vec<(Option<usize>, Vec<usize>)> = site
        .config
        .groups
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            let members = (0..site.services.len())
                .filter(|&si| site.services[si].group.as_deref() == Some(g.id.as_str()))
                .collect();
            (Some(gi), members)
        })
        .collect();
    let ungrouped: Vec<usize> = (0..site.services.len())
        .filter(|&si| {
            site.services[si].group.as_ref().is_none_or(|g| !site.config.groups.iter().any(|x| &x.id == g))
        })
        .collect();
    order.push((None, ungrouped));

    let service_component = |si: usize, position: usize, group_id: Value| -> Value {
        let svc = &site.services[si];
        let view = &d.services[si];
        let (created, updated) = service_times(ctx, si);
        let start_date = view
            .timeline
            .first()
            .map(|e| Value::String(e.at.with_timezone(&site.config.timezone).format("%Y-%m-%d").to_string()))
            .unwrap_or(Value::Null);
        json!({
            "id": svc.id,
            "name": ctx.plain(&svc.name, 0),
            "status": component_status(ctx, &view.current),
            "created_at": time(ctx, created),
            "updated_at": time(ctx, updated),
            "position": position,
            "description": svc.description.as_ref().map(|t| Value::String(ctx.plain(t, 0))).unwrap_or(Value::Null),
            "showcase": true,
            "start_date": start_date,
            "group_id": group_id,
            "page_id": pid,
            "group": false,
            "only_show_if_degraded": false,
            "i18n": with_availability(ctx, si, i18n(ctx, &view.current, |lang| {
                let mut m = Map::new();
                m.insert("name".into(), ctx.plain(&svc.name, lang).into());
                m.insert(
                    "description".into(),
                    svc.description.as_ref().map(|t| Value::String(ctx.plain(t, lang))).unwrap_or(Value::Null),
                );
                m.insert("status_label".into(), ctx.state_label(&view.current, lang).into());
                m.insert("url".into(), ctx.lang_url(lang, &format!("services/{}/", svc.id)).into());
                m
            })),
        })
    };

    let mut list = Vec::new();
    let mut by_service = vec![Value::Null; site.services.len()];
    for (group, members) in order {
        let group_id = match group {
            Some(gi) => {
                let g = &site.config.groups[gi];
                let gid = group_component_id(ctx, &g.id);
                // A group is as bad as its worst service.
                let operational = StateId::operational();
                let worst = members
                    .iter()
                    .map(|&si| &d.services[si].current)
                    .fold(&operational, |a, b| site.states.worse(a, b))
                    .clone();
                let times: Vec<_> = members.iter().map(|&si| service_times(ctx, si)).collect();
                let site_first = d.updates.last().map(|u| u.0).or(d.last_updated).unwrap_or(d.now);
                let created = times.iter().map(|t| t.0).min().unwrap_or(site_first);
                let updated = times.iter().map(|t| t.1).max().unwrap_or(created);
                let ids: Vec<&str> = members.iter().map(|&si| site.services[si].id.as_str()).collect();
                list.push(json!({
                    "id": gid,
                    "name": ctx.plain(&g.name, 0),
                    "status": component_status(ctx, &worst),
                    "created_at": time(ctx, created),
                    "updated_at": time(ctx, updated),
                    "position": list.len() + 1,
                    "description": null,
                    "showcase": false,
                    "start_date": null,
                    "group_id": null,
                    "page_id": pid,
                    "group": true,
                    "only_show_if_degraded": false,
                    "components": ids,
                    "i18n": i18n(ctx, &worst, |lang| {
                        let mut m = Map::new();
                        m.insert("name".into(), ctx.plain(&g.name, lang).into());
                        m.insert("status_label".into(), ctx.state_label(&worst, lang).into());
                        m
                    }),
                }));
                Value::String(gid)
            }
            None => Value::Null,
        };
        for si in members {
            let c = service_component(si, list.len() + 1, group_id.clone());
            by_service[si] = c.clone();
            list.push(c);
        }
    }
    Components { list, by_service }
}
