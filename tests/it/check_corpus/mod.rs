//! A corpus of bad content for `aushang check`. Each test starts from a copy of the
//! example site, applies one defect, runs the real binary, and asserts the exit code, the
//! file, the line (and column where it means something) and the key words of the message.
//! Files written here are short and literal so that the expected positions can be read
//! off the test itself.

mod cli;
mod file_names;
mod items;
mod references;
mod robustness;
mod site_yaml;
mod values;
mod yaml;

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
