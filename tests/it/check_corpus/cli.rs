//! Several problems reported together, and the command line: usage errors, `--now` and
//! `SOURCE_DATE_EPOCH`.

use super::*;

// --- every problem at once ------------------------------------------------------------

#[test]
fn several_defects_in_several_files_are_all_reported_sorted() {
    let site = TestSite::example();
    site.edit("content/services/webmail.yaml", "status: major_outage", "status: major_outgae");
    site.edit("content/incidents/cyberattack-2022-11.yaml", "phase: investigating", "phase: investigatin");
    site.edit("content/guides/backup-mail.en.md", "title:", "titel:");
    site.write(SVC, "name: Test\nupdates: \"yes\"\n");
    site.write("content/notices/Bad-Name.de.md", "---\ntitle: x\n---\n");
    let run = check(&site);
    run.assert_code(1);
    let files: Vec<String> = run.errors().iter().map(|d| d.file.clone()).collect();
    for f in [
        "content/guides/backup-mail.en.md",
        "content/incidents/cyberattack-2022-11.yaml",
        "content/notices/Bad-Name.de.md",
        "content/services/test-svc.yaml",
        "content/services/webmail.yaml",
    ] {
        assert!(files.iter().any(|x| x == f), "{f} not reported:\n{run}");
    }
    let mut sorted = run.diags();
    sorted.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    assert_eq!(run.diags(), sorted, "not sorted by file and position:\n{run}");
    assert!(run.stdout.contains(&format!("{} error(s)", run.errors().len())), "{run}");
}

#[test]
fn one_bad_item_does_not_hide_problems_in_other_items() {
    let src = "name: Test
updates:
  - at: [2022]
    status: degraded
  - at: 2022-11-28T09:30:00+01:00
    status: broken
  - at: 2023-03-26 02:30
    stauts: degraded
  - at: 2022-11-30T09:30:00+01:00
    status: operational
    text: { de: a, en_: b }
order: ten
";
    let run = check(&with(SVC, src));
    run.assert_code(1);
    run.expect_error(SVC, 3, Some(9), &["updates[0].at: found a list; expected a time"]);
    run.expect_error(SVC, 6, Some(13), &["updates[1].status: unknown state `broken`"]);
    run.expect_error(SVC, 8, Some(5), &["updates[2].stauts: unknown field", "did you mean `status`?"]);
    // The same update's other fields are still checked.
    run.expect_error(SVC, 7, Some(9), &["updates[2].at: `2023-03-26 02:30` does not exist in Europe/Berlin"]);
    run.expect_error(SVC, 11, Some(20), &["updates[3].text.en_: `en_` is not a language"]);
    run.expect_error(SVC, 12, Some(8), &["order: found the text `ten`; expected a whole number"]);
}

// --- the command line -----------------------------------------------------------------

#[test]
fn unknown_flag_is_a_usage_error() {
    let run = TestSite::example().run(&["check", "--bogus"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--bogus"), "{run}");
    aushang(&["frobnicate"], &[], Duration::from_secs(30)).assert_code(2);
}

#[test]
fn bad_now_is_a_usage_error() {
    let run = TestSite::example().run(&["check", "--now", "soon"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--now") && run.stderr.contains("`soon` is not a time"), "{run}");
}

#[test]
fn bad_source_date_epoch_is_a_usage_error() {
    let run = TestSite::example().run_env(&["check"], &[("SOURCE_DATE_EPOCH", "abc")]);
    run.assert_code(2);
    assert!(run.stderr.contains("SOURCE_DATE_EPOCH"), "{run}");
}

#[test]
fn source_date_epoch_sets_now_and_now_flag_wins() {
    let site = TestSite::example();
    // 2022-11-01: before the attack, everything is operational.
    let before = "1667260800";
    let run = site.run_env(&["check"], &[("SOURCE_DATE_EPOCH", before)]);
    run.assert_code(0);
    assert!(run.stdout.contains("overall: Verfügbar"), "{run}");
    // 2022-11-28: in the middle of the outage.
    let run = site.run_env(&["check"], &[("SOURCE_DATE_EPOCH", "1669622400")]);
    assert!(run.stdout.contains("overall: Nicht verfügbar"), "{run}");
    // --now wins over SOURCE_DATE_EPOCH, even over a broken one.
    let run =
        site.run_env(&["check", "--now", "2022-11-01T00:00:00Z"], &[("SOURCE_DATE_EPOCH", "1669622400")]);
    assert!(run.stdout.contains("overall: Verfügbar"), "{run}");
    site.run_env(&["check", "--now", "2022-11-01T00:00:00Z"], &[("SOURCE_DATE_EPOCH", "abc")]).assert_code(0);
}
