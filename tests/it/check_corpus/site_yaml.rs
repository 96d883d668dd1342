//! `site.yaml` itself: missing, bad time zone, base URL, languages and groups, and a
//! missing content folder.

use super::*;

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
