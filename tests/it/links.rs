//! The internal link check of `aushang check`, run as the real binary on sites whose own
//! theme writes its markup by hand (single-quoted and unquoted attributes, character
//! references, comments, scripts, `<template>`), and on sites whose base URL has a path.

use crate::common::{Diag, TestSite};

const NOW: &str = "2026-11-27T12:00:00+01:00";

/// The example site with its own theme `userland`, whose `guides.html` is `main` inside
/// the built-in layout.
fn site_with_guides_template(main: &str) -> TestSite {
    let site = TestSite::example();
    site.edit("content/site.yaml", "theme: default", "theme: userland");
    site.write(
        "themes/userland/templates/guides.html",
        format!("{{% extends \"base.html\" %}}\n{{% block main %}}\n{main}\n{{% endblock main %}}\n"),
    );
    site
}

/// Line and column (in characters, from 1) of the first `needle` in `text`, plus `skip`
/// bytes: where the check reports a link whose value starts there.
fn position(text: &str, needle: &str, skip: usize) -> (usize, usize) {
    let offset = text.find(needle).unwrap_or_else(|| panic!("no {needle:?} in the page")) + skip;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The errors `aushang check` reports for `public/<page>`, as (line, col, message).
fn errors_on(errors: &[Diag], page: &str) -> Vec<(usize, usize, String)> {
    let file = format!("public/{page}");
    let mut found: Vec<_> =
        errors.iter().filter(|d| d.file == file).map(|d| (d.line, d.col, d.message.clone())).collect();
    found.sort();
    found
}

const USERLAND_GUIDES: &str = r##"<h1 id='single-id' class=plain>Anleitungen</h1>
<p><a href='missing-single/'>single-quoted</a>
<a href=missing-unquoted/ class=x>unquoted</a>
<A HREF="missing-upper/">upper case</A>
<!-- <a href="missing-in-comment/">commented out</a> -->
<a href='#single-id'>to a single-quoted id</a>
<a href="../services/webmail/?view=full&amp;lang=de">ampersand</a>
<a href="..&#x2F;services&#x2F;webmail&#x2F;">numeric references</a>
<a href="..&sol;services&sol;exchange&sol;">named reference</a>
<a href="..&#x2F;nowhere&#x2F;?a=1&amp;b=2">a missing page, written with references</a>
<a href="//cdn.example.org/x.css">protocol-relative</a> <a href="javascript:void(0)">script</a></p>
<script>document.write('<a href="missing-in-script/">x</a>');</script>
<template id="card"><p id="in-template">card</p><a href="missing-in-template/">t</a></template>
<p><a href="#card">the template element</a> <a href="#in-template">template content</a></p>"##;

/// Each construct of a hand-written theme is read as a browser reads it: a broken link is
/// reported at the line and column of its value however it is quoted; a link inside a
/// comment or a script is no link; character references are decoded before the link is
/// followed; ids inside `<template>` content are no targets, while its links are checked.
#[test]
fn a_hand_written_theme_is_read_as_a_browser_reads_it() {
    let site = site_with_guides_template(USERLAND_GUIDES);
    site.run(&["build", "--now", NOW]).assert_code(0);
    let page = site.read("public/guides/index.html");
    assert!(page.contains("<a href='missing-single/'>"), "the theme's markup is in the page");
    let run = site.run(&["check", "--now", NOW]);
    run.assert_code(1);
    let errors = run.errors();
    let at = |needle: &str, skip: usize| position(&page, needle, skip);
    let mut expected = vec![
        (
            at("href='missing-single/'", 6),
            "broken link `missing-single/`: no such file `guides/missing-single/index.html` in the built site",
        ),
        (
            at("href=missing-unquoted/", 5),
            "broken link `missing-unquoted/`: no such file `guides/missing-unquoted/index.html` in the built site",
        ),
        (
            at("HREF=\"missing-upper/\"", 6),
            "broken link `missing-upper/`: no such file `guides/missing-upper/index.html` in the built site",
        ),
        (
            at("href=\"..&#x2F;nowhere", 6),
            "broken link `../nowhere/?a=1&b=2`: no such file `nowhere/index.html` in the built site",
        ),
        (
            at("href=\"missing-in-template/\"", 6),
            "broken link `missing-in-template/`: no such file `guides/missing-in-template/index.html` in the built site",
        ),
        (
            at("href=\"#in-template\"", 6),
            "broken link `#in-template`: no element with id `in-template` on `guides/index.html`",
        ),
    ]
    .into_iter()
    .map(|((line, col), message)| (line, col, message.to_string()))
    .collect::<Vec<_>>();
    expected.sort();
    assert_eq!(errors_on(&errors, "guides/index.html"), expected, "{run}");
    // The English page has the same six (its own targets), and nothing else is broken.
    assert_eq!(errors_on(&errors, "en/guides/index.html").len(), 6, "{run}");
    assert_eq!(errors.len(), 12, "{run}");
    assert!(run.stdout.contains("check failed"), "{run}");
}

/// The same theme without the broken links passes: nothing in a comment, a script or a
/// `<template>`'s element is taken for a broken link, and every reference decodes to a
/// page that exists.
#[test]
fn a_hand_written_theme_without_broken_links_passes() {
    let fine: String = USERLAND_GUIDES
        .lines()
        .filter(|l| {
            !["missing-single", "missing-unquoted", "missing-upper", "nowhere", "#in-template"]
                .iter()
                .any(|m| l.contains(m))
        })
        .map(|l| l.replace("<a href=\"missing-in-template/\">t</a>", ""))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(fine.contains("missing-in-comment") && fine.contains("missing-in-script"));
    let site = site_with_guides_template(&fine);
    let run = site.run(&["check", "--now", NOW]);
    run.assert_code(0);
    assert!(run.errors().is_empty(), "{run}");
}

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
