//! A corpus of bad content for `aushang check`. Each test starts from a copy of the
//! example site, applies one defect, runs the real binary, and asserts the exit code, the
//! file, the line (and column where it means something) and the key words of the message.
//! Files written here are short and literal so that the expected positions can be read
//! off the test itself.

use crate::common;

use crate::common::{aushang, TestSite};
use std::time::Duration;

const SVC: &str = "content/services/test-svc.yaml";
const INC: &str = "content/incidents/test-inc.yaml";
const SITE: &str = "content/site.yaml";

/// A copy of the example site with one file written.
fn with(rel: &str, contents: &str) -> TestSite {
    let site = TestSite::example();
    site.write(rel, contents);
    site
}

/// A fixed "now" keeps the outcome independent of the day the tests run.
const NOW: &str = "2023-02-01T12:00:00+01:00";

fn check(site: &TestSite) -> common::Run {
    site.run(&["check", "--now", NOW])
}

#[test]
fn example_site_is_clean() {
    let run = check(&TestSite::example());
    run.assert_code(0);
    assert!(run.stderr.is_empty(), "{run}");
    assert!(run.stdout.starts_with("ok: 11 services, 4 incidents, 3 notices, 4 guides"), "{run}");
}

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

// --- references between files -------------------------------------------------------

#[test]
fn unknown_service_in_incident_services() {
    let src = "title: Test\nservices: [exchange, webmial]\n";
    let run = check(&with(INC, src));
    run.assert_code(1);
    run.expect_error(
        INC,
        2,
        Some(22),
        &["services[1]: unknown service `webmial`", "content/services/", "did you mean `webmail`?"],
    );
}

#[test]
fn unknown_service_in_set() {
    let src = "title: Test\nservices: [exchange]\nupdates:\n  - at: 2022-11-28T09:30:00+01:00\n    phase: identified\n    set: { exchnage: major_outage }\n";
    let run = check(&with(INC, src));
    run.assert_code(1);
    run.expect_error(
        INC,
        6,
        Some(12),
        &["updates[0].set.exchnage: unknown service `exchnage`", "did you mean `exchange`?"],
    );
}

#[test]
fn set_service_not_listed_is_a_warning() {
    let src = "title: Test\nservices: [exchange]\nupdates:\n  - at: 2022-11-28T09:30:00+01:00\n    phase: identified\n    set: { webmail: degraded }\n    text: { de: a, en: b }\n";
    let site = with(INC, src);
    let run = check(&site);
    run.assert_code(0);
    run.expect_warning(INC, 6, Some(21), &["`webmail` is set here but not listed in `services`"]);
    site.run(&["check", "--strict", "--now", NOW]).assert_code(1);
}

#[test]
fn unknown_service_in_guide_front_matter() {
    let rel = "content/guides/test-guide.de.md";
    let run = check(&with(rel, "---\ntitle: Test\nservices: [mailbox, sieeve]\n---\nText\n"));
    run.assert_code(1);
    run.expect_error(rel, 3, Some(21), &["services[1]: unknown service `sieeve`", "did you mean `sieve`?"]);
}

#[test]
fn unknown_group_suggests_the_nearest() {
    let run = check(&with(SVC, "name: Test\ngroup: mial\n"));
    run.assert_code(1);
    run.expect_error(
        SVC,
        2,
        Some(8),
        &[
            "group: unknown group `mial`",
            "expected `mail`, `accounts` or `infrastructure`",
            "did you mean `mail`?",
        ],
    );
}

#[test]
fn group_given_but_no_groups_defined() {
    let site = TestSite::example();
    let config = site.read(SITE);
    let without_groups = config.split("# Groups").next().unwrap().to_string() + "states: []\n";
    site.write(SITE, without_groups);
    let run = check(&site);
    run.assert_code(1);
    run.expect_error(
        "content/services/exchange.yaml",
        2,
        Some(8),
        &["group `mail` given, but site.yaml defines no `groups`"],
    );
}

#[test]
fn link_to_unknown_guide() {
    let run = check(&with(SVC, "name: Test\nlinks:\n  - label: Guide\n    guide: backup-mails\n"));
    run.assert_code(1);
    run.expect_error(
        SVC,
        4,
        Some(12),
        &["links[0].guide: unknown guide `backup-mails`", "content/guides/", "did you mean `backup-mail`?"],
    );
}

#[test]
fn link_with_both_guide_and_url() {
    let src = "name: Test\nlinks:\n  - label: Guide\n    guide: backup-mail\n    url: https://example.org/\n";
    let run = check(&with(SVC, src));
    run.assert_code(1);
    run.expect_error(SVC, 3, Some(5), &["links[0]: found both `guide` and `url`; expected exactly one"]);
}

#[test]
fn link_with_neither_guide_nor_url() {
    let run = check(&with(SVC, "name: Test\nlinks:\n  - label: Guide\n"));
    run.assert_code(1);
    run.expect_error(SVC, 3, Some(5), &["links[0]: found neither `guide` nor `url`; expected exactly one"]);
}

#[test]
fn link_with_bad_url() {
    let run = check(&with(SVC, "name: Test\nlinks:\n  - label: Web\n    url: www.example.org\n"));
    run.assert_code(1);
    run.expect_error(
        SVC,
        4,
        Some(10),
        &["links[0].url: `www.example.org` is not a URL", "expected `https://…`"],
    );
}

// --- languages -----------------------------------------------------------------------

#[test]
fn unknown_language_key() {
    let run = check(&with(SVC, "name: { de: Test, en_: Test }\n"));
    run.assert_code(1);
    run.expect_error(
        SVC,
        1,
        Some(19),
        &["name.en_: `en_` is not a language of this site", "expected `de` or `en`", "did you mean `en`?"],
    );
    // The typo also hides the English text, which is what makes it dangerous.
    run.expect_warning(SVC, 1, Some(7), &["name: missing translation for `en`"]);
}

#[test]
fn missing_translation_is_a_warning_and_strict_makes_it_fail() {
    let site = with(SVC, "name: { de: Nur Deutsch }\n");
    let run = check(&site);
    run.assert_code(0);
    run.expect_warning(SVC, 1, Some(7), &["name: missing translation for `en`"]);
    assert!(run.stdout.starts_with("ok:") && run.stdout.contains("1 warning(s)"), "{run}");

    let strict = site.run(&["check", "--strict", "--now", NOW]);
    strict.assert_code(1);
    strict.expect_warning(SVC, 1, Some(7), &["missing translation for `en`"]);
    assert!(strict.stdout.starts_with("check failed") && strict.stdout.contains("--strict"), "{strict}");
}

#[test]
fn missing_notice_translation_is_a_warning() {
    let site = TestSite::example();
    site.remove("content/notices/resend-mail.en.md");
    let run = check(&site);
    run.assert_code(0);
    run.expect_warning(
        "content/notices/resend-mail.de.md",
        1,
        Some(1),
        &["missing translation for `en`", "resend-mail.en.md"],
    );
}

#[test]
fn notice_with_unknown_language_suffix() {
    let rel = "content/notices/backup-first.fr.md";
    let run = check(&with(rel, "---\ntitle: Sauvegardez\nlevel: info\n---\nTexte\n"));
    run.assert_code(1);
    let d = run.expect_error(
        rel,
        1,
        Some(1),
        &["file name: `fr` is not a language of this site", "expected `de` or `en`"],
    );
    assert!(!d.message.contains("did you mean"), "`fr` is not a typo of `de`: {d}");
}

#[test]
fn guide_with_and_without_language_suffix() {
    let rel = "content/guides/backup-mail.md";
    let run = check(&with(rel, "---\ntitle: Noch einmal\n---\nText\n"));
    run.assert_code(1);
    run.expect_error(rel, 1, Some(1), &["`backup-mail` exists twice in `de`", "keep one file"]);
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

// --- file names -----------------------------------------------------------------------

fn bad_file_name(rel: &str, words: &[&str]) {
    let run = check(&with(rel, "name: Test\n"));
    run.assert_code(1);
    run.expect_error(rel, 1, Some(1), words);
}

#[test]
fn file_name_with_upper_case() {
    bad_file_name(
        "content/services/Exchange2.yaml",
        &[
            "file name: `Exchange2` is not a valid id",
            "expected lowercase ASCII letters, digits and `-`",
            "(e.g. `exchange2`)",
        ],
    );
}

#[test]
fn file_name_with_a_space() {
    bad_file_name("content/incidents/new incident.yaml", &["file name: `new incident` is not a valid id"]);
}

#[test]
fn file_name_with_dots() {
    bad_file_name("content/services/mail..backup.yaml", &["file name: `mail..backup` is not a valid id"]);
}

#[test]
fn file_name_with_yml_extension() {
    bad_file_name(
        "content/services/printing.yml",
        &["`printing.yml` is not a `<id>.yaml` file", "rename it to `.yaml`"],
    );
}

#[test]
fn notice_file_name_with_underscore() {
    let rel = "content/notices/read_me.de.md";
    let run = check(&with(rel, "---\ntitle: x\n---\n"));
    run.assert_code(1);
    run.expect_error(rel, 1, Some(1), &["file name: `read_me` is not a valid id"]);
}

#[test]
fn editor_backup_and_hidden_files_are_ignored() {
    let site = TestSite::example();
    site.write("content/services/exchange.yaml~", "garbage: [");
    site.write("content/services/.exchange.yaml.swp", [0xff, 0x00]);
    site.write("content/services/..yaml", "garbage: [");
    check(&site).assert_code(0);
}

// --- YAML syntax and shape ------------------------------------------------------------

#[test]
fn front_matter_syntax_error_is_on_the_real_line() {
    let rel = "content/guides/test-guide.de.md";
    // An unquoted colon in a value: the most common front-matter mistake.
    let run = check(&with(rel, "---\ntitle: Test\nsummary: Note: this breaks\n---\nText\n"));
    run.assert_code(1);
    run.expect_error(rel, 3, Some(14), &["YAML syntax error", "mapping values are not allowed"]);
}

#[test]
fn front_matter_unclosed_quote_names_real_lines() {
    let rel = "content/notices/test-notice.de.md";
    let run = check(&with(rel, "---\ntitle: Test\nlevel: \"warning\npinned: true\n---\nText\n"));
    run.assert_code(1);
    // Found at the end of the front matter; the quote that started it is on file line 3.
    run.expect_error(rel, 5, None, &["YAML syntax error", "quoted scalar at line 3 column 8"]);
}

#[test]
fn tab_indentation() {
    let run =
        check(&with(SVC, "name: Test\nupdates:\n\t- at: 2022-11-28T09:30:00+01:00\n\t  status: degraded\n"));
    run.assert_code(1);
    run.expect_error(
        SVC,
        3,
        Some(1),
        &["YAML syntax error", "expected spaces for indentation (YAML does not allow tabs)"],
    );
}

#[test]
fn unclosed_bracket() {
    let run = check(&with(SVC, "name: Test\nlinks: [a, b\norder: 3\n"));
    run.assert_code(1);
    run.expect_error(
        SVC,
        3,
        Some(6),
        &["YAML syntax error", "did not find expected ',' or ']'", "flow sequence at line 2 column 8"],
    );
}

#[test]
fn wrong_type_for_a_list() {
    let run = check(&with(SVC, "name: Test\nupdates: \"yes\"\n"));
    run.assert_code(1);
    run.expect_error(SVC, 2, Some(10), &["updates: found the text `yes`; expected a list"]);
}

#[test]
fn wrong_type_for_a_number_and_a_flag() {
    let rel = "content/guides/test-guide.de.md";
    let run = check(&with(rel, "---\ntitle: Test\norder: first\n---\n"));
    run.assert_code(1);
    run.expect_error(rel, 3, Some(8), &["order: found the text `first`; expected a whole number"]);

    let rel = "content/notices/test-notice.de.md";
    let run = check(&with(rel, "---\ntitle: Test\npinned: yes\n---\n"));
    run.expect_error(rel, 3, Some(9), &["pinned: found the text `yes`; expected `true` or `false`"]);
}

#[test]
fn unknown_field_suggests_the_nearest() {
    let src = "name: Test\nupdates:\n  - at: 2022-11-28T09:30:00+01:00\n    stauts: degraded\n";
    let run = check(&with(SVC, src));
    run.assert_code(1);
    run.expect_error(
        SVC,
        4,
        Some(5),
        &[
            "updates[0].stauts: unknown field `stauts`",
            "expected `at`, `status` or `text`",
            "did you mean `status`?",
        ],
    );
    run.expect_error(SVC, 3, Some(5), &["updates[0]: missing field `status`", "expected a state"]);
}

#[test]
fn unknown_top_level_field_in_site_yaml() {
    let site = TestSite::example();
    site.edit(SITE, "timezone: Europe/Berlin", "timezon: Europe/Berlin");
    let line = site.line_of(SITE, "timezon:");
    let run = check(&site);
    run.assert_code(1);
    run.expect_error(SITE, line, Some(1), &["timezon: unknown field `timezon`", "did you mean `timezone`?"]);
    // The mapping starts at its first key, after the leading comments.
    let first_key = site.line_of(SITE, "title:");
    run.expect_error(SITE, first_key, Some(1), &["missing field `timezone`", "`Europe/Berlin`"]);
}

#[test]
fn duplicate_key() {
    let run = check(&with(SVC, "name: Test\norder: 1\ngroup: mail\norder: 2\n"));
    run.assert_code(1);
    run.expect_error(SVC, 4, Some(1), &["`order` is given twice in this map (first on line 2)"]);
}

#[test]
fn second_yaml_document() {
    let run = check(&with(SVC, "name: Test\n---\nname: Other\n"));
    run.assert_code(1);
    run.expect_error(
        SVC,
        2,
        Some(1),
        &["a second YAML document starts here", "expected one document per file"],
    );
}

#[test]
fn empty_file() {
    let run = check(&with(SVC, ""));
    run.assert_code(1);
    run.expect_error(SVC, 1, Some(1), &["empty; expected a service: a map (fields: `name`"]);
}

#[test]
fn file_is_a_list_not_a_map() {
    let run = check(&with(INC, "- title: Test\n"));
    run.assert_code(1);
    run.expect_error(INC, 1, Some(1), &["found a list; expected an incident: a map"]);
}

#[test]
fn non_utf8_bytes() {
    let site = TestSite::example();
    site.write(SVC, b"name: Test\ndescription: caf\xe9 au lait\n");
    let run = check(&site);
    run.assert_code(1);
    run.expect_error(SVC, 2, Some(17), &["invalid UTF-8 byte", "expected text encoded as UTF-8"]);
}

#[test]
fn huge_file_is_refused_without_reading_it() {
    let site = TestSite::example();
    let huge = "# padding\n".repeat(900 * 1024);
    site.write(SVC, &huge);
    let run = check(&site);
    run.assert_code(1);
    run.expect_error(SVC, 1, Some(1), &["file is 9216000 bytes", "expected at most 8388608"]);
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let mut src = String::from("name: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for w in names.windows(2) {
        let items = vec![format!("*{}", w[0]); 9].join(", ");
        src.push_str(&format!("{}: &{} [{items}]\n", w[1], w[1]));
    }
    let run = check(&with(SVC, &src));
    run.assert_code(1);
    // `f` (line 6) repeats `e`, which already stands for 66430 values.
    run.expect_error(SVC, 6, Some(8), &["aliases (`*name`) repeat more than 100000 values"]);
    assert!(run.elapsed < Duration::from_secs(10), "{run}");
}

/// `check` on a service whose `order` is `levels` nested lists: refused at our limit.
fn check_nested(levels: usize) -> common::Run {
    let src = format!("name: Test\norder: {}{}\n", "[".repeat(levels), "]".repeat(levels));
    let run = check(&with(SVC, &src));
    run.assert_code(1);
    run.expect_error(SVC, 2, None, &["nested more than 64 levels deep"]);
    run
}

#[test]
fn deep_nesting_is_refused_quickly() {
    let run = check_nested(200_000);
    assert!(run.elapsed < Duration::from_secs(10), "{run}");
}

/// 70 levels are within the YAML parser's own limit (128) but not within ours: the
/// refusal must not depend on the parser failing first.
#[test]
fn nesting_the_parser_accepts_is_still_refused_at_our_limit() {
    check_nested(70);
}

// --- site.yaml ------------------------------------------------------------------------

#[test]
fn site_yaml_missing() {
    let site = TestSite::example();
    site.remove(SITE);
    let run = check(&site);
    run.assert_code(1);
    run.expect_error(SITE, 1, Some(1), &["missing; expected the site configuration `content/site.yaml`"]);
}

#[test]
fn site_yaml_bad_timezone() {
    let site = TestSite::example();
    site.edit(SITE, "timezone: Europe/Berlin", "timezone: Europe/Berln");
    let line = site.line_of(SITE, "timezone:");
    let run = check(&site);
    run.assert_code(1);
    run.expect_error(
        SITE,
        line,
        Some(11),
        &["timezone: `Europe/Berln` is not an IANA timezone", "did you mean `Europe/Berlin`?"],
    );
    assert_eq!(run.errors().len(), 1, "{run}");
}

#[test]
fn site_yaml_bad_base_url() {
    let site = TestSite::example();
    site.edit(SITE, "base_url: https://status.example.org/", "base_url: status.example.org");
    let line = site.line_of(SITE, "base_url:");
    let run = check(&site);
    run.assert_code(1);
    run.expect_error(
        SITE,
        line,
        Some(11),
        &[
            "base_url: `status.example.org` is not an absolute URL",
            "expected e.g. `https://status.example.org/`",
        ],
    );
}

#[test]
fn site_yaml_empty_languages() {
    let site = TestSite::example();
    site.edit(SITE, "languages: [de, en]", "languages: []");
    let line = site.line_of(SITE, "languages:");
    let run = check(&site);
    run.assert_code(1);
    run.expect_error(SITE, line, Some(12), &["languages: no languages", "expected a list such as [de, en]"]);
    assert_eq!(run.errors().len(), 1, "no follow-up errors for every text: {run}");
}

#[test]
fn site_yaml_bad_language_code() {
    let site = TestSite::example();
    site.edit(SITE, "languages: [de, en]", "languages: [de, English]");
    let line = site.line_of(SITE, "languages:");
    let run = check(&site);
    run.assert_code(1);
    run.expect_error(
        SITE,
        line,
        Some(17),
        &["languages[1]: `English` is not a language code", "expected two or three lowercase letters"],
    );
}

#[test]
fn site_yaml_duplicate_group() {
    let site = TestSite::example();
    site.edit(SITE, "  - id: accounts", "  - id: mail");
    let line = site.line_of(SITE, "name: { de: Konten") - 1;
    let run = check(&site);
    run.assert_code(1);
    run.expect_error(SITE, line, Some(9), &["groups[1].id: group `mail` is defined twice"]);
}

#[test]
fn no_content_folder() {
    let site = TestSite::empty();
    let run = check(&site);
    // A wrong --root is arguably a usage problem; either way it is not success.
    assert!(matches!(run.code, Some(1) | Some(2)), "{run}");
    assert!(run.stderr.contains("no `content/` folder"), "{run}");
}

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

// --- never panics ---------------------------------------------------------------------

/// A small deterministic generator: the same inputs on every run and machine.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Run check with a memory ceiling, so that a blow-up fails the test (the allocation
/// aborts) instead of taking the machine down.
fn check_bounded(site: &TestSite) -> common::Run {
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 4000000 && exec \"$0\" check --root \"$1\"")
        .arg(env!("CARGO_BIN_EXE_aushang"))
        .arg(site.root())
        .env_remove("SOURCE_DATE_EPOCH")
        .env("RAYON_NUM_THREADS", "2");
    let run = common::run_command(cmd, Duration::from_secs(120));
    run.assert_no_panic();
    run
}

fn example_files(folder: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(common::example_content().join(folder))
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn never_panics_on_truncated_files() {
    // Every example file cut at every 7th byte, all in one site: thousands of broken files
    // (including cuts inside a UTF-8 sequence) in one run.
    let site = TestSite::example();
    let mut written = 0;
    for folder in ["services", "incidents", "notices", "guides"] {
        for (n, (name, bytes)) in example_files(folder).into_iter().enumerate() {
            let suffix = if name.ends_with(".yaml") {
                ".yaml".to_string()
            } else {
                format!(".{}", &name[name.len() - 5..])
            };
            for cut in (0..bytes.len()).step_by(7) {
                site.write(&format!("content/{folder}/t{n}-{cut}{suffix}"), &bytes[..cut]);
                written += 1;
            }
        }
    }
    assert!(written > 1000, "{written}");
    check_bounded(&site).assert_code(1);

    // site.yaml is read first and alone: one run per cut.
    let config = std::fs::read(common::example_content().join("site.yaml")).unwrap();
    for cut in (0..config.len()).step_by(7) {
        let site = TestSite::example();
        site.write(SITE, &config[..cut]);
        check_bounded(&site);
    }
}

#[test]
fn never_panics_on_random_bytes_and_mutations() {
    let mut rng = XorShift(0x5eed_2022_1127_0815);
    let site = TestSite::example();
    let yamlish = b"[]{}:-,&*!|>'\"#%@`?~ \t\n\n  aZ09._/\\\r\xc3\xa4\xff";
    let examples: Vec<(String, Vec<u8>)> =
        ["services", "incidents"].iter().flat_map(|f| example_files(f)).collect();
    for i in 0..400 {
        let len = rng.below(600);
        let bytes: Vec<u8> = match i % 4 {
            // Raw noise.
            0 => (0..len).map(|_| rng.next() as u8).collect(),
            // Noise made of YAML's special characters: reaches deeper into the parsers.
            1 => (0..len).map(|_| yamlish[rng.below(yamlish.len())]).collect(),
            // A real file with a few bytes replaced by special characters.
            _ => {
                let (_, src) = &examples[rng.below(examples.len())];
                let mut b = src.clone();
                for _ in 0..1 + rng.below(4) {
                    let at = rng.below(b.len());
                    b[at] = yamlish[rng.below(yamlish.len())];
                }
                b
            }
        };
        let rel = match i % 5 {
            0 | 1 => format!("content/services/r{i}.yaml"),
            2 => format!("content/incidents/r{i}.yaml"),
            3 => format!("content/notices/r{i}.en.md"),
            _ => format!("content/guides/r{i}.de.md"),
        };
        let bytes =
            if rel.ends_with(".md") && i % 2 == 0 { [b"---\n".as_slice(), &bytes].concat() } else { bytes };
        site.write(&rel, bytes);
    }
    check_bounded(&site);
}

#[test]
fn never_panics_or_hangs_on_pathological_yaml() {
    let mut laughs = String::from(
        "name: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for w in names.windows(2) {
        laughs.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], vec![format!("*{}", w[0]); 9].join(", ")));
    }
    // Few jumps, many values: 20000 aliases of a 1000-item list.
    let wide = format!(
        "name: x\ndescription: &a [{}]\nlinks: [{}]\n",
        vec!["1"; 1000].join(","),
        vec!["*a"; 20_000].join(",")
    );
    let nested_keys: String = (0..2000).map(|d| format!("{}k:\n", "  ".repeat(d))).collect();
    let many_keys: String = (0..20_000).map(|i| format!("k{i}: v\n")).collect();
    let cases: Vec<(&str, String)> = vec![
        ("billion laughs", laughs),
        ("wide aliases", wide),
        ("deep flow sequences", "[".repeat(1_000_000)),
        ("deep flow mappings", "{a: ".repeat(300_000)),
        ("deep block sequences", "- ".repeat(1_000_000)),
        ("deep block mappings", nested_keys),
        ("many unknown keys", many_keys),
        ("one long line", format!("name: {}\n", "x".repeat(1_000_000))),
        ("unknown anchor", "name: *nowhere\n".into()),
        ("recursive alias", "name: &a [*a]\n".into()),
        ("huge numbers", "name: x\norder: 99999999999999999999999999\nupdates:\n  - at: 99999999-01-01\n    status: degraded\n".into()),
        ("tags", "name: !!binary aGVsbG8=\norder: !custom 3\n".into()),
        ("merge keys", "base: &b {name: x}\n<<: *b\n".into()),
        ("complex keys", "? [a, b]\n: c\n? {x: 1}\n: d\n".into()),
        ("only a document end", "...\n".into()),
        ("NUL bytes", "name: a\u{0}b\n".into()),
        ("byte order mark", "\u{feff}name: x\n".into()),
        ("CRLF", "name: x\r\nupdates:\r\n  - at: 2022-11-28 09:30\r\n    status: degraded\r\n".into()),
    ];
    for (what, src) in cases {
        let site = with(SVC, &src);
        let run = check_bounded(&site);
        assert!(run.elapsed < Duration::from_secs(60), "{what} took {:?}", run.elapsed);
    }
    // The same shapes in front matter and in site.yaml.
    for rel in ["content/notices/p.de.md", SITE] {
        for body in ["[".repeat(100_000), "- ".repeat(100_000), "a: &a [*a]\n".into()] {
            let src = if rel.ends_with(".md") { format!("---\n{body}\n---\n") } else { body };
            check_bounded(&with(rel, &src)).assert_code(1);
        }
    }
}

#[test]
fn overlong_name_is_refused() {
    let long = "Exchange ".repeat(40);
    let run = check(&with(SVC, &format!("name: {{ de: Test, en: {long} }}\n")));
    run.assert_code(1);
    run.expect_error(
        SVC,
        1,
        Some(7),
        &["name: `Exchange Exchange Exchange Exc…` is 359 characters long", "at most 200"],
    );
}

#[test]
fn number_too_large() {
    let run = check(&with(SVC, "name: Test\norder: 99999999999999999999999999\n"));
    run.assert_code(1);
    run.expect_error(SVC, 2, Some(8), &["order: found a number too large to read"]);
}

#[test]
fn too_many_problems_in_one_file_are_cut() {
    let src: String =
        std::iter::once("name: Test\n".to_string()).chain((0..150).map(|i| format!("k{i}: v\n"))).collect();
    let run = check(&with(SVC, &src));
    run.assert_code(1);
    assert_eq!(run.errors().len(), 101, "{run}");
    run.expect_error(SVC, 101, Some(1), &["50 more problem(s) in this file not shown"]);
    assert!(run.stdout.contains("150 error(s)"), "the summary counts all: {run}");
}
