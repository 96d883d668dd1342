//! What fuzzing the loaders and `update` (fuzz/, `.ci/fuzz`) found, each as a test of the
//! real binary on a copy of the example site: the input that broke a promise, and what
//! must happen instead.

use crate::common::TestSite;

/// "Now" for every run, so output is stable.
const EPOCH: &str = "1795770900";

fn update(site: &TestSite, args: &[&str]) -> crate::common::Run {
    let mut all = vec!["update"];
    all.extend_from_slice(args);
    site.run_env(&all, &[("SOURCE_DATE_EPOCH", EPOCH)])
}

/// A file whose lines end in `\r\n` except `updates: []`'s: the new item follows the
/// file's `\r\n`, but the line that held the empty list keeps its own `\n`.
#[test]
fn update_keeps_the_line_break_of_the_empty_list_line_in_a_file_of_mixed_line_ends() {
    let site = TestSite::example();
    let rel = "content/services/mixed.yaml";
    let head = "name: Mixed\r\ndescription: Line ends of two kinds\r\n";
    site.write(rel, format!("{head}updates: []\n"));
    update(&site, &["mixed", "--status", "degraded", "--text", "Slow"]).assert_code(0);
    let after = site.read(rel);
    let kept = format!("{head}updates:\n");
    assert!(after.starts_with(&kept), "{after:?}");
    assert_eq!(
        &after[kept.len()..],
        "  - at: 2026-11-27T10:15:00+01:00\r\n    status: degraded\r\n    text: \"Slow\"\r\n"
    );
    site.run(&["check"]).assert_code(0);
}

/// RFC 3339, feeds and calendars write a year with four digits: a time whose year has
/// more, or is before year 1, is refused where it is written, rather than read into a
/// site whose feeds cannot hold it (the RSS feed's date panicked on year -1).
#[test]
fn a_time_outside_four_digit_years_is_an_error_at_its_line() {
    let site = TestSite::example();
    let rel = "content/services/exchange.yaml";
    site.edit(rel, "updates:\n", "updates:\n  - at: -0001-01-01 00:00\n    status: degraded\n");
    let run = site.run(&["check"]);
    run.assert_code(1).assert_no_panic();
    let line = site.line_of(rel, "-0001-01-01");
    run.expect_error(
        rel,
        line,
        None,
        &["`-0001-01-01 00:00` is out of range", "expected a year from 0001 to 9998"],
    );
    site.run(&["build", "--now", "2026-11-27T12:00:00+01:00"]).assert_code(1).assert_no_panic();

    // In UTC this is still year 0: the same in another spelling.
    let site = TestSite::example();
    site.edit(rel, "updates:\n", "updates:\n  - at: 0001-01-01T00:30:00+01:00\n    status: degraded\n");
    let run = site.run(&["check"]);
    run.assert_code(1);
    run.expect_error(rel, site.line_of(rel, "0001-01-01"), None, &["out of range"]);
}

/// `--at` with such a year is refused as `--at`, before anything is written, instead of
/// being written and then failing `check`.
#[test]
fn update_refuses_an_at_outside_four_digit_years_and_names_it() {
    let site = TestSite::example();
    let rel = "content/services/exchange.yaml";
    let before = site.read(rel);
    let run = update(&site, &["exchange", "--status", "degraded", "--text", "x", "--at=-0001-01-01 00:00"]);
    run.assert_code(1).assert_no_panic();
    assert!(run.stderr.contains("--at: `-0001-01-01 00:00` is out of range"), "{run}");
    assert_eq!(site.read(rel), before);
}

/// Before 1893 Berlin kept local mean time, 53 minutes 28 seconds ahead of UTC. RFC 3339
/// offsets are whole minutes, so `update` writes such a time in UTC: the time in the file
/// is the instant `--at` asked for, not one 28 seconds off.
#[test]
fn update_writes_a_time_of_local_mean_time_as_the_instant_asked_for() {
    let site = TestSite::example();
    let rel = "content/services/exchange.yaml";
    let run = update(&site, &["exchange", "--status", "degraded", "--text", "x", "--at", "1890-01-01 12:00"]);
    run.assert_code(0);
    assert!(site.read(rel).contains("\n  - at: 1890-01-01T11:06:32Z\n"), "{}", site.read(rel));
    site.run(&["check"]).assert_code(0);
}
