//! YAML syntax and shape: parse errors on the real line, wrong types, unknown and duplicate
//! keys, size and nesting limits.

use super::*;

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
