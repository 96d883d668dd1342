//! Right-to-left languages: the example site with Arabic (which the built-in theme has
//! words for) and Persian (which it has not) added, built and read back: `dir` on every
//! page and beside every `lang`, the language switch, and a style sheet without physical
//! left and right.

use crate::common::TestSite;
use aushang::build::{build, BuildOptions};
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};

const NOW: &str = "2026-11-27T12:00:00+01:00";

/// The example site with `languages` instead of `[de, en]`, built.
fn example_with(languages: &str) -> (TestSite, PathBuf) {
    let t = TestSite::example();
    t.edit("content/site.yaml", "languages: [de, en]", &format!("languages: {languages}"));
    let out = t.path("public");
    build(t.root(), &out, &BuildOptions { now: Some(NOW.into()), ..Default::default() }).unwrap();
    (t, out)
}

fn page(out: &Path, rel: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn html_attrs(doc: &Html) -> (Option<String>, Option<String>) {
    let root = doc.root_element().value();
    (root.attr("lang").map(String::from), root.attr("dir").map(String::from))
}

/// Every element with `lang` has the `dir` of that language.
fn assert_dir_beside_every_lang(doc: &Html, rel: &str) -> usize {
    let mut n = 0;
    for e in doc.select(&sel("[lang]")) {
        let lang = e.value().attr("lang").unwrap_or("");
        let want = if ["ar", "fa", "he"].contains(&lang) { "rtl" } else { "ltr" };
        assert_eq!(e.value().attr("dir"), Some(want), "{rel}: <{} lang={lang}>", e.value().name());
        n += 1;
    }
    n
}

#[test]
fn arabic_pages_are_right_to_left_and_german_text_in_them_left_to_right() {
    let (_t, out) = example_with("[de, en, ar]");
    let front = page(&out, "ar/index.html");
    assert_eq!(html_attrs(&front), (Some("ar".into()), Some("rtl".into())));
    assert_eq!(html_attrs(&page(&out, "ar/embed/index.html")).1.as_deref(), Some("rtl"));
    assert_eq!(html_attrs(&page(&out, "index.html")), (Some("de".into()), Some("ltr".into())));
    assert_eq!(html_attrs(&page(&out, "en/services/exchange/index.html")).1.as_deref(), Some("ltr"));
    // Content written in German and English only: shown in German, marked as such.
    let service = page(&out, "ar/services/exchange/index.html");
    assert_eq!(html_attrs(&service).1.as_deref(), Some("rtl"));
    let h1 = service.select(&sel("h1 [lang=de]")).next().expect("the name in German");
    assert_eq!(h1.value().attr("dir"), Some("ltr"));
    for rel in [
        "ar/index.html",
        "ar/services/exchange/index.html",
        "ar/incidents/exchange-data-restore/index.html",
        "ar/guides/index.html",
        "ar/guides/sieve-regeln/index.html",
        "ar/notices/backup-first/index.html",
        "ar/embed/index.html",
        "ar/print/index.html",
        "print/index.html",
        "index.html",
        "404.html",
    ] {
        assert!(assert_dir_beside_every_lang(&page(&out, rel), rel) > 0, "{rel}");
    }
    // The theme's own words, with the language's name in the switch of every language.
    assert!(front.select(&sel("h2")).any(|h| h.text().collect::<String>() == "الخدمات"));
    let de = page(&out, "index.html");
    let to_ar = de.select(&sel("nav.lang a[hreflang=ar]")).next().unwrap();
    assert_eq!(to_ar.text().collect::<String>(), "العربية");
    assert_eq!(to_ar.value().attr("dir"), Some("rtl"));
    // The 404 page speaks every language, each in its direction.
    let nf = page(&out, "404.html");
    assert_eq!(nf.select(&sel("main section[lang=ar][dir=rtl]")).count(), 1);
}

#[test]
fn a_right_to_left_language_without_words_of_its_own_is_still_right_to_left() {
    let (_t, out) = example_with("[de, en, fa]");
    let front = page(&out, "fa/index.html");
    assert_eq!(html_attrs(&front), (Some("fa".into()), Some("rtl".into())));
    assert_dir_beside_every_lang(&front, "fa/index.html");
    // English words stand in for the theme's; the switch names the language by its
    // code, never "English".
    let de = page(&out, "index.html");
    let to_fa = de.select(&sel("nav.lang a[hreflang=fa]")).next().unwrap();
    assert_eq!(to_fa.text().collect::<String>(), "fa");
    assert_eq!(to_fa.value().attr("dir"), Some("rtl"));
}

#[test]
fn the_style_sheet_has_no_physical_left_or_right() {
    let (_t, out) = example_with("[de, en, ar]");
    let css = std::fs::read_to_string(out.join("style.css")).unwrap();
    for physical in ["-left", "-right", "left:", "right:", ": left", ": right"] {
        assert!(!css.contains(physical), "style.css has `{physical}`: use logical properties");
    }
}
