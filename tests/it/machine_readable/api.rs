//! The Statuspage-shaped status API: its shape, vocabularies, maintenance and severity
//! mapping.

use super::*;

// ---------------------------------------------------------------- Statuspage API

const API_FILES: [&str; 8] = [
    "summary.json",
    "status.json",
    "components.json",
    "incidents.json",
    "incidents/unresolved.json",
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
];

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

fn check_i18n(v: &Value, what: &str, fields: &[&str]) {
    let i = &v["i18n"];
    assert!(i["state"].is_string(), "{what}: i18n.state");
    for lang in ["de", "en"] {
        for f in fields {
            assert!(!i[lang][f].is_null() || *f == "description", "{what}: i18n.{lang}.{f} missing");
        }
    }
}

fn check_incident(inc: &Value, maintenance: bool, component_ids: &BTreeSet<String>) {
    let id = inc["id"].as_str().unwrap();
    for k in [
        "id",
        "name",
        "status",
        "created_at",
        "updated_at",
        "monitoring_at",
        "resolved_at",
        "impact",
        "shortlink",
        "started_at",
        "page_id",
        "incident_updates",
        "components",
        "i18n",
    ] {
        assert!(inc.get(k).is_some(), "incident {id}: no `{k}`");
    }
    let status = inc["status"].as_str().unwrap();
    if maintenance {
        assert!(MAINTENANCE_STATUSES.contains(&status), "{id}: {status}");
        let from = rfc3339(&inc["scheduled_for"], "scheduled_for");
        assert!(rfc3339(&inc["scheduled_until"], "scheduled_until") > from);
    } else {
        assert!(INCIDENT_STATUSES.contains(&status), "{id}: {status}");
    }
    assert!(INDICATORS.contains(&inc["impact"].as_str().unwrap()), "{id}: impact");
    for k in ["created_at", "updated_at", "started_at"] {
        rfc3339(&inc[k], k);
    }
    assert_eq!(
        inc["resolved_at"].is_null(),
        !["resolved", "completed", "postmortem"].contains(&status),
        "{id}"
    );
    assert!(inc["shortlink"].as_str().unwrap().starts_with("https://"));
    check_i18n(inc, id, &["name", "status_label"]);
    let updates = inc["incident_updates"].as_array().unwrap();
    assert!(!updates.is_empty() || maintenance, "{id}: no updates");
    let mut last: Option<DateTime<FixedOffset>> = None;
    for u in updates {
        for k in [
            "id",
            "status",
            "body",
            "incident_id",
            "created_at",
            "updated_at",
            "display_at",
            "affected_components",
        ] {
            assert!(u.get(k).is_some(), "{id} update: no `{k}`");
        }
        assert_eq!(u["incident_id"], inc["id"]);
        let st = u["status"].as_str().unwrap();
        assert!(if maintenance {
            MAINTENANCE_STATUSES.contains(&st)
        } else {
            INCIDENT_STATUSES.contains(&st)
        });
        let t = rfc3339(&u["created_at"], "update created_at");
        assert!(last.is_none_or(|l| l >= t), "{id}: updates newest first");
        last = Some(t);
        check_i18n(u, id, &["body", "status_label"]);
        for a in u["affected_components"].as_array().unwrap() {
            assert_eq!(
                keys(a),
                ["code", "name", "new_status", "old_status"].iter().map(|s| s.to_string()).collect()
            );
            assert!(component_ids.contains(a["code"].as_str().unwrap()));
            assert!(STATUSES.contains(&a["old_status"].as_str().unwrap()));
            assert!(STATUSES.contains(&a["new_status"].as_str().unwrap()));
        }
    }
    for c in inc["components"].as_array().unwrap() {
        assert!(component_ids.contains(c["id"].as_str().unwrap()));
    }
}

#[test]
fn status_api_has_the_statuspage_shape_and_vocabularies() {
    let site = example_site();
    let out = render(site.path(), NOW);
    let s = &out.built.site;
    let mut all_component_ids = BTreeSet::new();
    for f in API_FILES {
        let v = out.json(&format!("api/v2/{f}"));
        let page = &v["page"];
        assert_eq!(
            keys(page),
            ["id", "name", "url", "time_zone", "updated_at", "i18n"].iter().map(|s| s.to_string()).collect(),
            "{f}"
        );
        assert_eq!(page["time_zone"], "Europe/Berlin");
        assert_eq!(page["url"], "https://status.example.org/");
        let t = rfc3339(&page["updated_at"], "page.updated_at");
        assert_eq!(t, out.built.derived.last_updated.unwrap());
        assert_eq!(t.offset().local_minus_utc(), 3600, "times are in the site's timezone");
        check_i18n(page, "page", &["name", "status_label", "status_description"]);
        if let Some(status) = v.get("status") {
            assert!(INDICATORS.contains(&status["indicator"].as_str().unwrap()));
            assert!(status["description"].is_string());
        }
        if let Some(comps) = v.get("components") {
            for (n, c) in comps.as_array().unwrap().iter().enumerate() {
                for k in [
                    "id",
                    "name",
                    "status",
                    "created_at",
                    "updated_at",
                    "position",
                    "description",
                    "showcase",
                    "start_date",
                    "group_id",
                    "page_id",
                    "group",
                    "only_show_if_degraded",
                    "i18n",
                ] {
                    assert!(c.get(k).is_some(), "{f}: component {} has no `{k}`", c["id"]);
                }
                assert!(STATUSES.contains(&c["status"].as_str().unwrap()), "{}", c["status"]);
                assert_eq!(c["position"], n + 1);
                assert_eq!(c["page_id"], page["id"]);
                rfc3339(&c["created_at"], "created_at");
                check_i18n(c, "component", &["name", "status_label"]);
                all_component_ids.insert(c["id"].as_str().unwrap().to_string());
                if c["group"] == true {
                    let members = c["components"].as_array().unwrap();
                    assert!(members.iter().all(|m| comps
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|x| x["id"] == *m && x["group_id"] == c["id"])));
                }
            }
        }
    }
    let summary = out.json("api/v2/summary.json");
    assert_eq!(
        keys(&summary),
        ["page", "status", "components", "incidents", "scheduled_maintenances"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    // Component ids are the service ids (plus the groups).
    for svc in &s.services {
        assert!(all_component_ids.contains(&svc.id));
    }
    for g in &s.config.groups {
        assert!(all_component_ids.contains(&g.id));
    }
    let exchange = summary["components"].as_array().unwrap().iter().find(|c| c["id"] == "exchange").unwrap();
    assert_eq!(exchange["status"], "partial_outage", "restore_pending (60) is a partial outage");
    assert_eq!(exchange["i18n"]["state"], "restore_pending");
    assert_eq!(exchange["i18n"]["en"]["status_label"], "Restore pending");
    assert_eq!(summary["status"]["indicator"], "major");

    for (f, key, maint) in [
        ("incidents.json", "incidents", false),
        ("incidents/unresolved.json", "incidents", false),
        ("scheduled-maintenances.json", "scheduled_maintenances", true),
        ("scheduled-maintenances/upcoming.json", "scheduled_maintenances", true),
        ("scheduled-maintenances/active.json", "scheduled_maintenances", true),
    ] {
        let v = out.json(&format!("api/v2/{f}"));
        assert_eq!(keys(&v), ["page", key].iter().map(|s| s.to_string()).collect(), "{f}");
        for inc in v[key].as_array().unwrap() {
            check_incident(inc, maint, &all_component_ids);
        }
    }
    let all = out.json("api/v2/incidents.json");
    let ids: Vec<&str> =
        all["incidents"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["exchange-data-restore", "cyberattack-2022-11"], "newest first");
    let unresolved = out.json("api/v2/incidents/unresolved.json");
    assert_eq!(unresolved["incidents"], summary["incidents"]);
    assert!(unresolved["incidents"].as_array().unwrap().iter().all(|i| i["resolved_at"].is_null()));
    let upcoming = out.json("api/v2/scheduled-maintenances/upcoming.json");
    assert_eq!(upcoming["scheduled_maintenances"].as_array().unwrap().len(), 1);
    assert_eq!(upcoming["scheduled_maintenances"][0]["status"], "scheduled");
    assert_eq!(summary["scheduled_maintenances"], upcoming["scheduled_maintenances"]);

    // The attack's first update moved nine services from operational to major outage.
    let attack =
        all["incidents"].as_array().unwrap().iter().find(|i| i["id"] == "cyberattack-2022-11").unwrap();
    assert_eq!(attack["impact"], "critical");
    assert_eq!(attack["status"], "resolved");
    let first = attack["incident_updates"].as_array().unwrap().last().unwrap();
    assert_eq!(first["status"], "investigating");
    let ex =
        first["affected_components"].as_array().unwrap().iter().find(|a| a["code"] == "exchange").unwrap();
    assert_eq!(
        (ex["old_status"].as_str(), ex["new_status"].as_str()),
        (Some("operational"), Some("major_outage"))
    );
    assert!(attack["monitoring_at"].is_string());
}

#[test]
fn running_maintenance_is_active_and_under_maintenance() {
    let site = example_site();
    let out = render(site.path(), "2022-12-10T12:00:00+01:00");
    let active = out.json("api/v2/scheduled-maintenances/active.json");
    let list = active["scheduled_maintenances"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], "mailbox-restore-2022-12");
    assert_eq!(list[0]["status"], "in_progress");
    assert!(list[0]["resolved_at"].is_null());
    let summary = out.json("api/v2/summary.json");
    assert!(summary["scheduled_maintenances"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == "mailbox-restore-2022-12"));
    let mailbox = summary["components"].as_array().unwrap().iter().find(|c| c["id"] == "mailbox").unwrap();
    assert_eq!(mailbox["status"], "under_maintenance");
    // The cyberattack is still open then, so it is unresolved and in the summary.
    assert!(summary["incidents"].as_array().unwrap().iter().any(|i| i["id"] == "cyberattack-2022-11"));
    assert_eq!(summary["status"]["indicator"], "critical");
}

#[test]
fn severities_map_to_statuspage_statuses_and_indicators() {
    let cases: [(&str, u8, &str, &str); 8] = [
        ("ok2", 0, "operational", "none"),
        ("slow1", 1, "degraded_performance", "minor"),
        ("slow39", 39, "degraded_performance", "minor"),
        ("part40", 40, "partial_outage", "minor"),
        ("part49", 49, "partial_outage", "minor"),
        ("part69", 69, "partial_outage", "major"),
        ("down70", 70, "major_outage", "major"),
        ("down80", 80, "major_outage", "critical"),
    ];
    for (id, sev, status, indicator) in cases {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "content/site.yaml",
            &format!(
                "title: T\nbase_url: https://t.example/\nlanguages: [de, en]\ntimezone: UTC\nstates:\n  - id: {id}\n    label: {{ de: L-{id}, en: E-{id} }}\n    severity: {sev}\n"
            ),
        );
        write(
            root,
            "content/services/a.yaml",
            &format!("name: A\nupdates:\n  - at: 2024-01-01T00:00:00Z\n    status: {id}\n    text: x\n"),
        );
        write(
            root,
            "content/services/b.yaml",
            "name: B\nupdates:\n  - at: 2024-01-01T00:00:00Z\n    status: maintenance\n    text: x\n",
        );
        let out = render(root, "2024-02-01T00:00:00Z");
        let c = out.json("api/v2/components.json");
        let comps = c["components"].as_array().unwrap();
        let a = comps.iter().find(|x| x["id"] == "a").unwrap();
        let b = comps.iter().find(|x| x["id"] == "b").unwrap();
        assert_eq!(a["status"], status, "{id}");
        assert_eq!(a["i18n"]["state"], id);
        assert_eq!(a["i18n"]["en"]["status_label"], format!("E-{id}"));
        assert_eq!(b["status"], "under_maintenance");
        let st = out.json("api/v2/status.json");
        // Overall = the worse of `id` and maintenance (10).
        let expected = if sev > 10 { indicator } else { "minor" };
        assert_eq!(st["status"]["indicator"], expected, "{id}");
        assert_eq!(st["page"]["time_zone"], "UTC");
        assert!(st["page"]["updated_at"].as_str().unwrap().ends_with("+00:00"));
    }
}
