//! References between files (services, groups, guides, links) and language keys.

use super::*;

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
