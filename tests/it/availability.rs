//! Availability per service: small sites built into temporary folders, the service pages
//! and the status API read back, and the figures compared with values worked out by hand
//! (minutes of the window, minutes unavailable, the share rounded down to 0.01 %).

use crate::common::TestSite;
use aushang::build::{build, BuildOptions};
use scraper::{Html, Selector};
use std::path::PathBuf;

/// 27 Nov 2026, 12:00 CET. The last 30 days start on 29 Oct 00:00 CET: 29 days and 12
/// hours, 42,480 minutes. The last 90 days start on 30 Aug 00:00 CEST and hold 25 Oct,
/// which has 25 hours: 89 days, 12 hours and 1 hour, 128,940 minutes.
const NOW: &str = "2026-11-27T12:00:00+01:00";

const SITE: &str =
    "title: Status\nbase_url: https://status.example.org/\nlanguages: [de, en]\ntimezone: Europe/Berlin\n";

/// A site of the given services (id, YAML after the name); `extra` goes into site.yaml.
fn site(extra: &str, services: &[(&str, &str)]) -> TestSite {
    let t = TestSite::empty();
    t.write("content/site.yaml", format!("{SITE}{extra}"));
    for (id, rest) in services {
        t.write(&format!("content/services/{id}.yaml"), format!("name: {id}\n{rest}"));
    }
    t
}

fn build_at(t: &TestSite, now: &str) -> PathBuf {
    let out = t.path("public");
    build(t.root(), &out, &BuildOptions { now: Some(now.into()), ..Default::default() }).unwrap();
    out
}

/// The availability list of a service page: (label, figure, unavailable time) per window.
fn figures(out: &std::path::Path, rel: &str) -> Vec<(String, String)> {
    let html = Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap());
    let (dt, dd) =
        (Selector::parse("dl.availability dt").unwrap(), Selector::parse("dl.availability dd").unwrap());
    let text = |e: scraper::ElementRef| e.text().collect::<String>().trim().to_string();
    let labels: Vec<String> = html.select(&dt).map(text).collect();
    let values: Vec<String> = html.select(&dd).map(text).collect();
    assert_eq!(labels.len(), 2, "{rel}: {labels:?}");
    labels.into_iter().zip(values).collect()
}

/// `availability_30d` and `availability_90d` of a service's component in components.json.
fn api(out: &std::path::Path, id: &str) -> (serde_json::Value, serde_json::Value) {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("api/v2/components.json")).unwrap()).unwrap();
    let c = json["components"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap();
    (c["i18n"]["availability_30d"].clone(), c["i18n"]["availability_90d"].clone())
}

fn updates(list: &[(&str, &str)]) -> String {
    let mut y = String::from("updates:\n");
    for (at, status) in list {
        y.push_str(&format!("  - at: {at}\n    status: {status}\n"));
    }
    y
}

#[test]
fn an_outage_in_both_windows_and_one_across_the_start_of_the_last_30_days() {
    let simple = updates(&[("2026-11-20 10:00", "major_outage"), ("2026-11-20 11:30", "operational")]);
    // Down from 28 Oct 22:00 to 29 Oct 02:00: 2 hours in the last 30 days, 4 in the last 90.
    let edge = updates(&[("2026-10-28 22:00", "partial_outage"), ("2026-10-29 02:00", "operational")]);
    // Degraded since 11:00:30; the minute of "now" (12:00) does not count: 60 minutes.
    let ongoing = updates(&[("2026-11-27T11:00:30+01:00", "degraded")]);
    let t = site("", &[("simple", &simple), ("edge", &edge), ("ongoing", &ongoing), ("quiet", "")]);
    let out = build_at(&t, NOW);

    // 90 minutes down: 42,390 / 42,480 = 99.788 % and 128,850 / 128,940 = 99.930 %.
    let de = figures(&out, "services/simple/index.html");
    assert_eq!(de[0], ("Letzte 30 Tage".into(), "99,78 % (1 Std. 30 Min. nicht verfügbar)".into()));
    assert_eq!(de[1], ("Letzte 90 Tage".into(), "99,93 % (1 Std. 30 Min. nicht verfügbar)".into()));
    let en = figures(&out, "en/services/simple/index.html");
    assert_eq!(en[0], ("Last 30 days".into(), "99.78% (unavailable for 1 h 30 min)".into()));
    assert_eq!(api(&out, "simple"), (serde_json::json!(99.78), serde_json::json!(99.93)));

    // 42,360 / 42,480 = 99.717 %; 128,700 / 128,940 = 99.813 %.
    let edge = figures(&out, "en/services/edge/index.html");
    assert_eq!(edge[0].1, "99.71% (unavailable for 2 h)");
    assert_eq!(edge[1].1, "99.81% (unavailable for 4 h)");
    assert_eq!(api(&out, "edge"), (serde_json::json!(99.71), serde_json::json!(99.81)));

    // 42,420 / 42,480 = 99.858 %; 128,880 / 128,940 = 99.953 %.
    let ongoing = figures(&out, "en/services/ongoing/index.html");
    assert_eq!(ongoing[0].1, "99.85% (unavailable for 1 h)");
    assert_eq!(ongoing[1].1, "99.95% (unavailable for 1 h)");

    // No update at all: available every minute, and nothing said about unavailability.
    let quiet = figures(&out, "en/services/quiet/index.html");
    assert_eq!(quiet[0].1, "100.00%");
    assert_eq!(quiet[1].1, "100.00%");
    assert_eq!(api(&out, "quiet"), (serde_json::json!(100.0), serde_json::json!(100.0)));
}

#[test]
fn a_day_of_a_dst_switch_counts_its_own_minutes() {
    // 25 Oct 2026 has 25 hours in Berlin: down all day is 1,500 minutes, not 1,440.
    let autumn = updates(&[("2026-10-25 00:00", "major_outage"), ("2026-10-26 00:00", "operational")]);
    let t = site("", &[("autumn", &autumn)]);
    let out = build_at(&t, NOW);
    // 127,440 / 128,940 = 98.836 %; the day is before the last 30 days.
    let f = figures(&out, "en/services/autumn/index.html");
    assert_eq!(f[0].1, "100.00%");
    assert_eq!(f[1].1, "98.83% (unavailable for 1 day 1 h)");

    // 29 Mar 2026 has 23 hours: 1,380 minutes. On 10 Apr, 12:00 CEST, the last 30 days
    // (from 12 Mar) have 29 days + 12 h - 1 h = 42,420 minutes, the last 90 (from 11 Jan)
    // 89 days + 12 h - 1 h = 128,820.
    let spring = updates(&[("2026-03-29 00:00", "major_outage"), ("2026-03-30 00:00", "operational")]);
    let t = site("", &[("spring", &spring)]);
    let out = build_at(&t, "2026-04-10T12:00:00+02:00");
    // 41,040 / 42,420 = 96.746 %; 127,440 / 128,820 = 98.928 %.
    let f = figures(&out, "en/services/spring/index.html");
    assert_eq!(f[0].1, "96.74% (unavailable for 23 h)");
    assert_eq!(f[1].1, "98.92% (unavailable for 23 h)");
}

#[test]
fn site_yaml_sets_from_which_severity_a_state_counts_as_unavailable() {
    // Two hours degraded (severity 30), then one hour partial outage (50).
    let svc = updates(&[
        ("2026-11-20 10:00", "degraded"),
        ("2026-11-20 12:00", "partial_outage"),
        ("2026-11-20 13:00", "operational"),
    ]);
    // By default degraded counts: 180 minutes, 42,300 / 42,480 = 99.576 %.
    let t = site("", &[("svc", &svc)]);
    let out = build_at(&t, NOW);
    assert_eq!(figures(&out, "en/services/svc/index.html")[0].1, "99.57% (unavailable for 3 h)");
    // From 40 on only the partial outage counts: 42,420 / 42,480 = 99.858 %.
    let t = site("availability:\n  unavailable_from: 40\n", &[("svc", &svc)]);
    let out = build_at(&t, NOW);
    assert_eq!(figures(&out, "en/services/svc/index.html")[0].1, "99.85% (unavailable for 1 h)");
    assert_eq!(api(&out, "svc").0, serde_json::json!(99.85));
    // The page says which states count.
    let html = std::fs::read_to_string(out.join("en/services/svc/index.html")).unwrap();
    let counted = html.split("Counted as unavailable:").nth(1).unwrap().split("</p>").next().unwrap();
    assert!(!counted.contains("Degraded performance") && counted.contains("Partial outage"), "{counted}");
}

#[test]
fn a_bad_threshold_is_an_error_at_its_place() {
    let t = site("availability:\n  unavailable_from: 0\n", &[]);
    t.run(&["check"]).assert_code(1).expect_error(
        "content/site.yaml",
        6,
        Some(21),
        &["availability.unavailable_from", "0 is out of range", "from 1 to 100"],
    );
    let t = site("availability:\n  unavailable_form: 40\n", &[]);
    t.run(&["check"]).assert_code(1).expect_error(
        "content/site.yaml",
        6,
        Some(3),
        &["unknown field `unavailable_form`", "unavailable_from"],
    );
    let t = site("availability: 40\n", &[]);
    t.run(&["check"]).assert_code(1).expect_error("content/site.yaml", 5, None, &["availability", "a map"]);
}
