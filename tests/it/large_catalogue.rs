//! A university's catalogue of 400 services in 20 groups: the front page folds each group
//! into a `<details>` whose summary names its worst state, opens the groups with a service
//! that is not operational, and stays small enough for a phone.

use crate::common::TestSite;
use aushang::build::{build, BuildOptions};
use scraper::{Html, Selector};

const NOW: &str = "2026-11-27T12:00:00+01:00";

/// 20 groups of 20 services; in group 2 one service is degraded, in group 3 one is in
/// maintenance.
fn catalogue() -> TestSite {
    let t = TestSite::empty();
    let mut site = String::from(
        "title: { de: IT-Status der Universität, en: University IT status }\n\
         base_url: https://status.example.org/\nlanguages: [de, en]\ntimezone: Europe/Berlin\ngroups:\n",
    );
    for g in 1..=20 {
        site.push_str(&format!("  - id: g{g:02}\n    name: {{ de: Fakultät {g:02}, en: Faculty {g:02} }}\n"));
        for s in 1..=20 {
            let mut svc = format!(
                "name: {{ de: Dienst {g:02}-{s:02} der Fakultät, en: Service {g:02}-{s:02} of the faculty }}\n\
                 group: g{g:02}\ndescription: {{ de: Ein Dienst, en: A service }}\n"
            );
            let state = match (g, s) {
                (2, 7) => Some("degraded"),
                (3, 1) => Some("maintenance"),
                _ => None,
            };
            if let Some(state) = state {
                svc.push_str(&format!("updates:\n  - at: 2026-11-27 09:00\n    status: {state}\n"));
            }
            t.write(&format!("content/services/s{g:02}-{s:02}.yaml"), svc);
        }
    }
    t.write("content/site.yaml", site);
    t
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: scraper::ElementRef) -> String {
    e.text().collect::<Vec<_>>().join("").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn four_hundred_services_fold_by_group_and_fit_a_phone() {
    let t = catalogue();
    let out = t.path("public");
    build(t.root(), &out, &BuildOptions { now: Some(NOW.into()), ..Default::default() }).unwrap();
    let css = std::fs::metadata(out.join("style.css")).unwrap().len();
    for (rel, operational, affected) in [
        ("index.html", "Verfügbar 20 Dienste", "Eingeschränkt 1 von 20 betroffen"),
        ("en/index.html", "Operational 20 services", "Degraded performance 1 of 20 affected"),
    ] {
        let bytes = std::fs::read(out.join(rel)).unwrap();
        let size = bytes.len() as u64;
        assert!(size + css <= 50 * 1024, "{rel}: {size} bytes + style.css {css}");
        let doc = Html::parse_document(&String::from_utf8(bytes).unwrap());

        let groups: Vec<_> = doc.select(&sel("section details.group")).collect();
        assert_eq!(groups.len(), 20, "{rel}");
        // Open exactly where a service is not operational: group 2 (degraded) and 3
        // (maintenance).
        let open: Vec<usize> = (0..20).filter(|&i| groups[i].value().attr("open").is_some()).collect();
        assert_eq!(open, [1, 2], "{rel}");
        // Each group still lists every service, with a link to its page.
        for g in &groups {
            assert_eq!(g.select(&sel("ul.services > li > a[href]")).count(), 20, "{rel}");
        }
        // The summary names the group and its worst state in words and symbol.
        let summary = |i: usize| groups[i].select(&sel("summary")).next().unwrap();
        assert!(text(summary(0)).ends_with(operational), "{rel}: {}", text(summary(0)));
        assert!(text(summary(1)).ends_with(affected), "{rel}: {}", text(summary(1)));
        assert_eq!(
            summary(1).select(&sel(".state .icon[aria-hidden=true]")).map(text).collect::<Vec<_>>(),
            ["▲"]
        );
        assert!(text(summary(2)).contains("Wartung") || text(summary(2)).contains("Maintenance"), "{rel}");
        // An open group shows every service's state; a folded one says it in its summary.
        assert_eq!(groups[1].select(&sel("li .state")).count(), 20, "{rel}");
        assert_eq!(groups[0].select(&sel("li .state")).count(), 0, "{rel}");
        // Folding needs no script.
        assert_eq!(doc.select(&sel("script")).count(), 0);
    }
}
