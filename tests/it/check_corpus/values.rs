//! Values `check` refuses: unknown states, phases and kinds, custom states, and timestamps.

use super::*;

// --- states, phases, kinds ----------------------------------------------------------

#[test]
fn unknown_state_suggests_the_nearest() {
    let site =
        with(SVC, "name: Test\nupdates:\n  - at: 2022-11-28T09:30:00+01:00\n    status: major_outgae\n");
    let run = check(&site);
    run.assert_code(1);
    let d = run.expect_error(
        SVC,
        4,
        Some(13),
        &[
            "updates[0].status: unknown state `major_outgae`",
            "expected `operational`,",
            "did you mean `major_outage`?",
        ],
    );
    assert_eq!(run.errors().len(), 1, "{run}");
    assert!(d.message.contains("`restore_pending` or `major_outage`"), "{d}");
}

#[test]
fn unknown_phase() {
    let src = "title: Test\nservices: [exchange]\nupdates:\n  - at: 2022-11-28T09:30:00+01:00\n    phase: investigatin\n";
    let run = check(&with(INC, src));
    run.assert_code(1);
    run.expect_error(
        INC,
        5,
        Some(12),
        &[
            "updates[0].phase: unknown incident phase `investigatin`",
            "expected `investigating`, `identified`, `monitoring` or `resolved`",
            "did you mean `investigating`?",
        ],
    );
}

#[test]
fn maintenance_phase_in_an_incident() {
    let src = "title: Test\nservices: [exchange]\nupdates:\n  - at: 2022-11-28T09:30:00+01:00\n    phase: in_progress\n";
    let run = check(&with(INC, src));
    run.assert_code(1);
    run.expect_error(
        INC,
        5,
        Some(12),
        &["unknown incident phase `in_progress`", "that is a maintenance phase", "`kind: maintenance`"],
    );
}

#[test]
fn unknown_kind() {
    let src = "title: Test\nkind: maintenace\nservices: [exchange]\n";
    let run = check(&with(INC, src));
    run.assert_code(1);
    run.expect_error(
        INC,
        2,
        Some(7),
        &[
            "kind: unknown kind `maintenace`",
            "expected `incident` or `maintenance`",
            "did you mean `maintenance`?",
        ],
    );
}

#[test]
fn unknown_state_in_set() {
    let src = "title: Test\nservices: [exchange]\nupdates:\n  - at: 2022-11-28T09:30:00+01:00\n    phase: identified\n    set: { exchange: down }\n";
    let run = check(&with(INC, src));
    run.assert_code(1);
    run.expect_error(
        INC,
        6,
        Some(22),
        &["updates[0].set.exchange: unknown state `down`", "expected `operational`"],
    );
}

#[test]
fn custom_state_from_site_yaml_is_usable() {
    let site = TestSite::example();
    site.edit(
        SITE,
        "states: []",
        "states:\n  - { id: limited, label: { de: Eingeschränkt nutzbar, en: Limited }, severity: 40, color: \"#aa7700\" }",
    );
    site.write(SVC, "name: Test\nupdates:\n  - at: 2022-11-28T09:30:00+01:00\n    status: limited\n");
    check(&site).assert_code(0);
    // The same service without the custom state is an error.
    let plain = with(SVC, &site.read(SVC));
    check(&plain).assert_code(1).expect_error(SVC, 4, Some(13), &["unknown state `limited`"]);
}

#[test]
fn relabelled_builtin_state_is_used() {
    let site = TestSite::example();
    site.edit(
        SITE,
        "states: []",
        "states:\n  - id: restore_pending\n    label: { de: Restore läuft, en: Restore running }",
    );
    let run = check(&site);
    run.assert_code(0);
    assert!(run.stdout.contains("overall: Restore läuft"), "{run}");
}

#[test]
fn custom_state_severity_out_of_range() {
    let site = TestSite::example();
    site.edit(SITE, "states: []", "states:\n  - id: planned\n    label: Geplant\n    severity: 101");
    let line = site.line_of(SITE, "severity: 101");
    let run = check(&site);
    run.assert_code(1);
    run.expect_error(
        SITE,
        line,
        Some(15),
        &["states[0].severity: 101 is out of range", "expected a number from 0 to 100"],
    );
    assert_eq!(run.errors().len(), 1, "one problem, one message: {run}");
}

// --- times -----------------------------------------------------------------------------

fn service_at(at: &str) -> String {
    format!("name: Test\nupdates:\n  - at: {at}\n    status: degraded\n")
}

#[test]
fn bad_timestamp_text() {
    let run = check(&with(SVC, &service_at("yesterday")));
    run.assert_code(1);
    run.expect_error(
        SVC,
        3,
        Some(9),
        &[
            "updates[0].at: `yesterday` is not a time",
            "expected RFC 3339 such as `2022-11-28T09:30:00+01:00`",
        ],
    );
}

#[test]
fn impossible_date() {
    let run = check(&with(SVC, &service_at("2022-02-30 09:00")));
    run.assert_code(1);
    run.expect_error(SVC, 3, Some(9), &["`2022-02-30 09:00` is not a time"]);
}

#[test]
fn nonexistent_local_time_names_both_instants() {
    let run = check(&with(SVC, &service_at("2023-03-26 02:30")));
    run.assert_code(1);
    run.expect_error(
        SVC,
        3,
        Some(9),
        &[
            "`2023-03-26 02:30` does not exist in Europe/Berlin",
            "2023-03-26T02:30:00+01:00",
            "2023-03-26T02:30:00+02:00",
            "write the offset",
        ],
    );
}

#[test]
fn ambiguous_local_time_names_both_instants() {
    let run = check(&with(SVC, &service_at("2023-10-29 02:30")));
    run.assert_code(1);
    run.expect_error(
        SVC,
        3,
        Some(9),
        &[
            "`2023-10-29 02:30` happens twice in Europe/Berlin",
            "2023-10-29T02:30:00+02:00",
            "2023-10-29T02:30:00+01:00",
        ],
    );
}

#[test]
fn local_time_without_offset_is_fine() {
    check(&with(SVC, &service_at("2022-11-28 09:30"))).assert_code(0);
}
