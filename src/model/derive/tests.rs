//! Tests of the derived view on a small hand-made site.

use super::*;
use crate::model::state::StateRegistry;
use chrono::TimeZone;

fn t(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2022, 11, 28, h, 0, 0).unwrap()
}

fn site() -> Site {
    let langs = vec!["de".to_string(), "en".to_string()];
    let svc = |id: &str, updates: Vec<(u32, &str)>| ServiceRecord {
        id: id.into(),
        file: format!("content/services/{id}.yaml").into(),
        name: Text::plain(id, &langs),
        group: None,
        description: None,
        order: 0,
        links: vec![],
        updates: updates
            .into_iter()
            .enumerate()
            .map(|(i, (h, s))| ServiceUpdate { at: t(h), status: s.into(), text: None, ordinal: i })
            .collect(),
    };
    let inc_update = |h: u32, phase: &str, set: Vec<(&str, &str)>, ordinal| IncidentUpdate {
        at: t(h),
        phase: Phase::parse(phase).expect("a phase"),
        set: set.into_iter().map(|(a, b)| (a.to_string(), StateId::new(b))).collect(),
        text: None,
        ordinal,
        anchor: String::new(),
    };
    Site {
        root: ".".into(),
        config: SiteConfig {
            title: Text::plain("t", &langs),
            base_url: "https://x/".into(),
            languages: langs.clone(),
            timezone: chrono_tz::Europe::Berlin,
            theme: "default".into(),
            contact: None,
            groups: vec![],
            availability: Default::default(),
        },
        states: StateRegistry::builtin(),
        services: vec![
            svc("exchange", vec![(8, "degraded")]),
            svc("webmail", vec![]),
            svc("mailbox", vec![(12, "degraded")]),
        ],
        incidents: vec![IncidentRecord {
            id: "attack".into(),
            file: "content/incidents/attack.yaml".into(),
            title: Text::plain("a", &langs),
            kind: IncidentKind::Incident,
            services: vec!["exchange".into(), "webmail".into()],
            scheduled: None,
            description: None,
            updates: vec![
                inc_update(
                    9,
                    "investigating",
                    vec![("exchange", "major_outage"), ("webmail", "partial_outage")],
                    0,
                ),
                inc_update(11, "resolved", vec![("webmail", "operational")], 1),
            ],
        }],
        notices: vec![],
        guides: vec![],
        static_files: vec![],
    }
}

#[test]
fn incident_set_merges_into_service_timeline() {
    let s = site();
    let d = Derived::compute(&s, t(10));
    assert_eq!(d.services[0].current, "major_outage");
    assert_eq!(d.services[0].timeline.len(), 2);
    assert_eq!(d.services[1].current, "partial_outage");
    assert_eq!(d.overall, "major_outage");
    assert_eq!(d.open_incidents, vec![0]);
}

#[test]
fn now_decides_what_is_current() {
    let s = site();
    let early = Derived::compute(&s, t(7));
    assert!(early.services.iter().all(|v| v.current == "operational"));
    assert_eq!(early.overall, "operational");
    assert!(early.updates.is_empty());
    assert_eq!(early.last_updated, None);

    let late = Derived::compute(&s, t(13));
    assert_eq!(late.services[1].current, "operational");
    assert_eq!(late.services[2].current, "degraded");
    assert!(late.open_incidents.is_empty());
    assert_eq!(late.incidents[0].ended, Some(t(11)));
    assert_eq!(late.last_updated, Some(t(12)));
    // Newest first.
    assert_eq!(late.updates[0].0, t(12));
}

/// `serve` keeps its derived view when "now" moved without passing an instant of the
/// content, and when an edit changed only wording.
#[test]
fn the_view_stays_while_nothing_happens_and_only_wording_changes() {
    let s = site();
    let at = |h: u32, m: u32| t(h) + chrono::Duration::minutes(m.into());
    assert!(Derived::same_between(&s, at(9, 10), at(10, 50)));
    let mut moved = Derived::compute(&s, at(10, 50));
    moved.now = at(9, 10);
    assert_eq!(format!("{moved:?}"), format!("{:?}", Derived::compute(&s, at(9, 10))));
    // 11:00 (an update) and 12:00 (a service's own update) lie in between.
    assert!(!Derived::same_between(&s, at(10, 50), at(11, 0)));
    assert!(!Derived::same_between(&s, at(12, 0), at(11, 30)));

    let before = &s.incidents[0];
    let mut reworded = before.clone();
    reworded.title = Text::plain("b", &s.config.languages);
    assert!(before.derives_like(&reworded));
    let mut rephased = before.clone();
    rephased.updates[1].phase = Phase::Monitoring;
    assert!(!before.derives_like(&rephased));
}
