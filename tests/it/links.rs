//! The internal link check of `aushang check`, run as the real binary on sites whose base
//! URL has a path, and the checks of `--base-url`.

use crate::common::TestSite;

const NOW: &str = "2026-11-27T12:00:00+01:00";

/// `404.html` links from the root of the base URL's path (`/st%C3%A4tus/...`): the check
/// compares them with that path decoded, as the links themselves are.
#[test]
fn links_from_a_percent_encoded_base_path_are_inside_the_site() {
    for base in ["https://status.example.org/st%C3%A4tus/", "https://status.example.org/stätus/"] {
        let site = TestSite::example();
        site.edit("content/site.yaml", "base_url: https://status.example.org/", &format!("base_url: {base}"));
        let run = site.run(&["check", "--now", NOW]);
        assert!(run.errors().is_empty(), "{base}\n{run}");
        run.assert_code(0);
        site.run(&["build", "--now", NOW]).assert_code(0);
        let not_found = site.read("public/404.html");
        assert!(not_found.contains("href=\"/st%C3%A4tus/"), "{base}: {not_found}");
    }
}

/// `--base-url` is checked by the project's URL rules, and a bad one is refused with the
/// reason before anything is written.
#[test]
fn bad_base_urls_on_the_command_line_are_refused_with_the_reason() {
    let site = TestSite::example();
    for (url, reason) in [
        ("https://status.example.org:99999/", "invalid port number"),
        ("https://[::1/", "invalid IPv6 address"),
        ("https:status.example.org", "does not start with `http://` or `https://`"),
        ("https://status.example.org/?x=1", "query"),
        ("ftp://status.example.org/", "does not start with `http://` or `https://`"),
    ] {
        let run = site.run(&["build", "--now", NOW, "--base-url", url]);
        run.assert_code(2);
        assert!(run.stderr.contains(&format!("--base-url `{url}` is not an absolute URL: ")), "{run}");
        assert!(run.stderr.contains(reason), "{url}: {run}");
        assert!(!site.path("public").exists(), "{url}: nothing is written");
    }
    for url in ["http://[::1]:8080/status/", "https://ops@status.example.org:8443/"] {
        site.run(&["build", "--now", NOW, "--base-url", url]).assert_code(0);
    }
}
