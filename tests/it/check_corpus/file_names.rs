//! File names `check` refuses, and the files it ignores.

use super::*;

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
