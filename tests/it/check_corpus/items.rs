//! Incidents, maintenance windows, notices and Markdown front matter whose content does not
//! fit together.

use super::*;

// --- incidents and maintenance ------------------------------------------------------

const WINDOW_BACKWARDS: &str = "title: Test
kind: maintenance
services: [exchange]
scheduled:
  from: 2027-03-06T22:00:00+01:00
  until: 2027-03-06T18:00:00+01:00
";

#[test]
fn scheduled_window_ends_before_it_starts() {
    let run = check(&with(INC, WINDOW_BACKWARDS));
    run.assert_code(1);
    run.expect_error(
        INC,
        6,
        Some(10),
        &["scheduled.until: the window ends before it starts", "expected `until` after `from`"],
    );
}

#[test]
fn scheduled_on_an_incident() {
    let src = WINDOW_BACKWARDS.replace("kind: maintenance", "kind: incident");
    let run = check(&with(INC, &src));
    run.assert_code(1);
    run.expect_error(
        INC,
        4,
        Some(1),
        &["`scheduled` is only for maintenance", "expected `kind: maintenance` or no `scheduled`"],
    );
}

#[test]
fn maintenance_without_a_window() {
    let run = check(&with(INC, "title: Test\nkind: maintenance\nservices: [exchange]\n"));
    run.assert_code(1);
    run.expect_error(
        INC,
        2,
        Some(7),
        &["maintenance needs a window", "expected `scheduled: { from: ..., until: ... }`"],
    );
}

#[test]
fn update_after_resolved_is_a_warning() {
    let src = "title: Test
services: [exchange]
updates:
  - at: 2022-11-28T09:30:00+01:00
    phase: resolved
    text: Fixed.
  - at: 2022-11-28T10:30:00+01:00
    phase: monitoring
    text: Still watching.
";
    let site = with(INC, src);
    let run = check(&site);
    run.assert_code(0);
    run.expect_warning(
        INC,
        7,
        Some(9),
        &[
            "updates[1].at: update after the incident was resolved",
            "expected `resolved` to be the last phase",
        ],
    );
    site.run(&["check", "--strict", "--now", NOW]).assert_code(1);
}

#[test]
fn notice_ends_before_it_starts() {
    let rel = "content/notices/test-notice.de.md";
    let src =
        "---\ntitle: Test\nfrom: 2022-12-01T00:00:00+01:00\nuntil: 2022-11-01T00:00:00+01:00\n---\nText\n";
    let run = check(&with(rel, src));
    run.assert_code(1);
    run.expect_error(rel, 4, Some(8), &["until: `until` is before `from`"]);
}

#[test]
fn unknown_notice_level() {
    let rel = "content/notices/test-notice.de.md";
    let run = check(&with(rel, "---\ntitle: Test\nlevel: critcal\n---\nText\n"));
    run.assert_code(1);
    run.expect_error(
        rel,
        3,
        Some(8),
        &[
            "level: unknown level `critcal`",
            "expected `info`, `warning` or `critical`",
            "did you mean `critical`?",
        ],
    );
}

#[test]
fn missing_front_matter() {
    let rel = "content/notices/test-notice.de.md";
    let run = check(&with(rel, "# Just a heading\n\nNo front matter.\n"));
    run.assert_code(1);
    run.expect_error(
        rel,
        1,
        Some(1),
        &["missing front matter", "expected the file to start with a `---` line"],
    );
}

#[test]
fn front_matter_without_title() {
    let rel = "content/guides/test-guide.de.md";
    let run = check(&with(rel, "---\norder: 3\n---\nText\n"));
    run.assert_code(1);
    run.expect_error(rel, 2, Some(1), &["empty title; expected a short title"]);
}
