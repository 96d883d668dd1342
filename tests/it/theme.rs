//! Themes: a site's theme overrides the built-in one template by template and string by
//! string; its strings are escaped wherever they go; a broken template is an error at its
//! place in the theme's files, never a panic.

use crate::common::TestSite;
use crate::site_build::{build_at, example_copy, opts, page, sel, texts};
use aushang::build::{build, render_site, BuildOptions};

#[test]
fn site_theme_overrides_a_single_template_and_strings() {
    let dir = example_copy();
    let t = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(
        t.join("guides.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Eigene Liste</h1>{% endblock main %}",
    )
    .unwrap();
    std::fs::write(dir.path().join("themes/default/i18n.yaml"), "en:\n  guides: Handbooks\n").unwrap();
    let out = dir.path().join("public");
    build(dir.path(), &out, &opts()).unwrap();
    assert_eq!(texts(&page(&out, "guides/index.html"), "h1"), vec!["Eigene Liste"]);
    let en = page(&out, "en/index.html");
    assert!(texts(&en, "nav.main-nav a").contains(&"Handbooks".to_string()));
}

/// The components (timeline entries, incident updates, the lines of incident lists)
/// escape the theme's strings.
#[test]
fn components_escape_theme_strings() {
    let dir = example_copy();
    std::fs::create_dir_all(dir.path().join("themes/default")).unwrap();
    let odd = r#"<b>Meldung</b> & "Co" 'x'"#;
    std::fs::write(
        dir.path().join("themes/default/i18n.yaml"),
        format!(
            "de:\n  via_incident: '{0}'\n  set_state: '{0}'\n  kind_incident: '{0}'\n",
            odd.replace('\'', "''")
        ),
    )
    .unwrap();
    let out = build_at(dir.path(), "2022-12-20T12:00:00+01:00");
    let service = page(&out, "services/webmail/index.html");
    let heads = texts(&service, "ol.updates li.update .update-head");
    assert!(heads.iter().any(|h| h.contains(odd)), "{heads:?}");
    assert_eq!(service.select(&sel("ol.updates b")).count(), 0);
    let listed = texts(&service, "section ul.plain li");
    assert!(listed.iter().any(|l| l.contains(odd)), "{listed:?}");
    assert_eq!(service.select(&sel("section ul.plain b")).count(), 0);
    let archive = page(&out, "incidents/index.html");
    assert!(texts(&archive, "ul.archive li").iter().any(|l| l.contains(odd)));
    assert_eq!(archive.select(&sel("ul.archive b")).count(), 0);
    let incident = page(&out, "incidents/cyberattack-2022-11/index.html");
    let labels: Vec<&str> =
        incident.select(&sel("ul.changes")).filter_map(|u| u.value().attr("aria-label")).collect();
    assert!(!labels.is_empty() && labels.iter().all(|l| *l == odd), "{labels:?}");
    assert_eq!(incident.select(&sel("ol.updates b")).count(), 0);
}

/// `templates/shared/*.html` render once per language and depth, so their relative links
/// and UI strings must still be right on every page; a site adds or overrides them like
/// any template.
#[test]
fn shared_templates_are_rendered_per_language_and_depth() {
    let dir = example_copy();
    let t = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(t.join("shared")).unwrap();
    std::fs::write(
        t.join("shared/footer.html"),
        "<p class=\"own\"><a href=\"{{ site.home }}\">{{ t.status }}</a></p>",
    )
    .unwrap();
    let out = dir.path().join("public");
    build(dir.path(), &out, &opts()).unwrap();
    let own = |rel: &str| -> (Vec<String>, Vec<String>) {
        let doc = page(&out, rel);
        let hrefs = doc
            .select(&sel("footer p.own a"))
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        (hrefs, texts(&doc, "footer p.own"))
    };
    assert_eq!(own("index.html"), (vec!["./".to_string()], vec!["Status".to_string()]));
    assert_eq!(
        own("incidents/exchange-data-restore/index.html"),
        (vec!["../../".to_string()], vec!["Status".to_string()])
    );
    assert_eq!(own("en/incidents/exchange-data-restore/index.html").0, vec!["../../".to_string()]);
    // The other shared parts of the built-in theme are still there.
    let front = page(&out, "index.html");
    assert_eq!(front.select(&sel(".pinned article.notice")).count(), 3);
    assert_eq!(front.select(&sel("head link[type='application/atom+xml']")).count(), 1);
    assert_eq!(front.select(&sel("p.subscribe")).count(), 0, "the footer was replaced");

    std::fs::write(t.join("shared/footer.html"), "{{ site.nowhere.deeper }}").unwrap();
    let err = render_site(dir.path(), &opts()).err().expect("must fail");
    let err = aushang::diagnostics::error_chain(&err);
    assert!(err.contains("shared/footer.html"), "{err}");
}

#[test]
fn broken_theme_template_is_an_error_not_a_panic() {
    let dir = example_copy();
    let t = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(t.join("index.html"), "{% if %}").unwrap();
    let err = render_site(dir.path(), &opts()).err().expect("must fail");
    let err = aushang::diagnostics::error_chain(&err);
    assert!(err.contains("themes/default/templates") && err.contains("{% if %}"), "{err}");
}

/// The theme's strings are text wherever they go: markup in them is escaped on every
/// page, and a number is the text of the number.
#[test]
fn theme_strings_are_escaped_text() {
    let site = example_copy();
    std::fs::create_dir_all(site.path().join("themes/default")).unwrap();
    std::fs::write(
        site.path().join("themes/default/i18n.yaml"),
        "de:\n  phase: 5\n  ongoing: '<b>läuft</b> & \"so\"'\n  via_incident: '<i>aus</i>'\n",
    )
    .unwrap();
    let o = BuildOptions { now: Some("2022-11-28T12:00:00+01:00".into()), ..Default::default() };
    let files = render_site(site.path(), &o).unwrap().files;
    let page = |path: &str| {
        let f = files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}"));
        String::from_utf8_lossy(&f.bytes).into_owned()
    };
    let incident = page("incidents/cyberattack-2022-11/index.html");
    assert!(incident.contains("<dt>5</dt>"), "{incident}");
    assert!(incident.contains("&lt;b&gt;läuft&lt;/b&gt; &amp; &quot;so&quot;"), "{incident}");
    assert!(!incident.contains("<b>läuft"));
    let service = page("services/exchange/index.html");
    assert!(service.contains("&lt;i&gt;aus&lt;/i&gt;"), "{service}");
}

/// A mistake in a template is reported like a mistake in the content: the file, line and
/// column in the site's theme, what Tera found, and the template's lines around it; the
/// run fails with exit code 1.
#[test]
fn template_mistakes_are_reported_at_their_place() {
    let site = TestSite::example();
    site.write("themes/default/templates/shared/footer.html", "<p>\n  {{ site.titel.plain }}</p>\n");
    let run = site.run(&["check", "--now", "2026-11-27T12:00:00+01:00"]);
    run.assert_code(1);
    let d = run.expect_error(
        "themes/default/templates/shared/footer.html",
        2,
        Some(11),
        &["`titel`", "not defined"],
    );
    assert!(d.message.contains("title"), "it names the fields there are: {d}");
    assert!(run.stderr.contains("{{ site.titel.plain }}"), "{run}");

    site.write("themes/default/templates/shared/footer.html", "<p>{% if x %}</p>\n");
    let run = site.run(&["build", "--now", "2026-11-27T12:00:00+01:00"]);
    run.assert_code(1);
    run.expect_error("themes/default/templates/shared/footer.html", 2, Some(1), &["end of input"]);
    assert!(!site.path("public").exists(), "nothing was written");
}
