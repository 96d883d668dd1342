//! RSS and Atom feeds: items, order, links, per-service feeds, the item limit and stable
//! GUIDs.

use super::*;

// ---------------------------------------------------------------- RSS and Atom

#[test]
fn rss_feeds_hold_every_update_newest_first_with_working_links() {
    let site = example_site();
    let out = render(site.path(), NOW);
    let base = "https://status.example.org/";
    let total = out.built.derived.updates.len();
    assert!(total > 10, "the example has many updates");
    for (lang, path) in [("de", "feed.xml"), ("en", "en/feed.xml")] {
        let (meta, items) = parse_rss(&out.text(path));
        assert_eq!(meta["language"], lang);
        assert_eq!(meta["self"], format!("{base}{path}"));
        assert_eq!(items.len(), total.min(50), "{path}");
        // lastBuildDate is the newest content time, not the clock.
        assert_eq!(
            DateTime::parse_from_rfc2822(&meta["lastBuildDate"]).unwrap(),
            out.built.derived.last_updated.unwrap()
        );
        for w in items.windows(2) {
            assert!(w[0].pub_date >= w[1].pub_date, "{path}: not newest first");
        }
        let guids: BTreeSet<&str> = items.iter().map(|i| i.guid.as_str()).collect();
        assert_eq!(guids.len(), items.len(), "{path}: GUIDs not unique");
        for it in &items {
            assert!(it.title.contains(" – "), "{path}: title {:?}", it.title);
            assert!(!it.categories.is_empty(), "{path}: {} has no category", it.title);
            assert!(!it.description.is_empty());
            // The link goes to the update's anchor on a page that exists and has it.
            let prefix = if lang == "de" { base.to_string() } else { format!("{base}en/") };
            assert!(it.link.starts_with(&prefix), "{path}: {}", it.link);
            let (page, frag) = local_target(base, &it.link);
            assert!(frag.starts_with("u-"), "{}", it.link);
            let html = out.text(&page);
            assert!(html.contains(&format!("id=\"{frag}\"")), "{page} has no anchor {frag}");
        }
        // Root-relative links in update texts are made absolute for feed readers.
        assert!(!items.iter().any(|i| i.description.contains("href=\"/")), "{path}");
    }
    // German and English feeds carry the same updates in their own language.
    let (_, de) = parse_rss(&out.text("feed.xml"));
    let (_, en) = parse_rss(&out.text("en/feed.xml"));
    let attack_de = de.iter().find(|i| i.title.starts_with("Cyberangriff")).unwrap();
    assert!(attack_de.categories.contains(&"Exchange-Server".to_string()));
    let attack_en = en.iter().find(|i| i.title.starts_with("Cyberattack")).unwrap();
    assert!(attack_en.title.ends_with("Resolved"), "{}", attack_en.title);
    assert!(en.iter().any(|i| i.title.ends_with(" – Scheduled")), "phase labels are translated");
}

#[test]
fn atom_feeds_match_the_rss_feeds() {
    let site = example_site();
    let out = render(site.path(), NOW);
    for (rss, atom) in [("feed.xml", "atom.xml"), ("en/feed.xml", "en/atom.xml")] {
        let (_, items) = parse_rss(&out.text(rss));
        let (meta, entries) = parse_atom(&out.text(atom));
        assert_eq!(meta["self"], format!("https://status.example.org/{atom}"));
        assert_eq!(entries.len(), items.len());
        let ids: BTreeSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), entries.len(), "ids unique");
        for (e, i) in entries.iter().zip(&items) {
            assert!(e.id.starts_with("tag:status.example.org,"), "{}", e.id);
            assert_eq!(e.link, i.link);
            assert_eq!(e.title, i.title);
            assert_eq!(e.updated, i.pub_date);
            assert_eq!(e.content, i.description);
            assert!(!e.categories.is_empty());
        }
        assert_eq!(
            DateTime::parse_from_rfc3339(&meta["updated"]).unwrap(),
            out.built.derived.last_updated.unwrap()
        );
    }
}

#[test]
fn per_service_feeds_hold_that_services_updates_and_its_incidents() {
    let site = example_site();
    let out = render(site.path(), NOW);
    let s = &out.built.site;
    for svc in &s.services {
        let incidents: Vec<&str> =
            s.incidents.iter().filter(|i| i.services.contains(&svc.id)).map(|i| i.id.as_str()).collect();
        for prefix in ["", "en/"] {
            let path = format!("{prefix}services/{}/feed.xml", svc.id);
            let (meta, items) = parse_rss(&out.text(&path));
            assert!(meta["link"].ends_with(&format!("{prefix}services/{}/", svc.id)));
            let own = svc.updates.iter().filter(|u| u.at <= out.built.derived.now).count();
            let from_incidents: usize = s
                .incidents
                .iter()
                .zip(&out.built.derived.incidents)
                .filter(|(i, _)| incidents.contains(&i.id.as_str()))
                .map(|(_, v)| v.published)
                .sum();
            assert_eq!(items.len(), (own + from_incidents).min(50), "{path}");
            for it in &items {
                let ok = it.link.contains(&format!("/services/{}/", svc.id))
                    || incidents.iter().any(|i| it.link.contains(&format!("/incidents/{i}/")));
                assert!(ok, "{path}: foreign item {}", it.link);
            }
            for w in items.windows(2) {
                assert!(w[0].pub_date >= w[1].pub_date);
            }
        }
    }
}

#[test]
fn feeds_stop_at_fifty_items() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "content/site.yaml",
        "title: Busy\nbase_url: https://busy.example/\nlanguages: [de, en]\ntimezone: Europe/Berlin\n",
    );
    let mut svc = String::from("name: Dienst\nupdates:\n");
    for day in 1..=70 {
        let state = if day % 2 == 0 { "degraded" } else { "operational" };
        svc.push_str(&format!(
            "  - at: 2024-03-{:02}T{:02}:00:00+01:00\n    status: {state}\n    text: Meldung {day}\n",
            (day - 1) / 3 + 1,
            (day - 1) % 3 * 6 + 1
        ));
    }
    write(root, "content/services/svc.yaml", &svc);
    let out = render(root, "2024-12-01T00:00:00Z");
    for path in ["feed.xml", "en/feed.xml", "services/svc/feed.xml", "en/services/svc/feed.xml"] {
        let (_, items) = parse_rss(&out.text(path));
        assert_eq!(items.len(), 50, "{path}");
        assert!(items[0].description.contains("Meldung 70"), "{path}: newest first");
        assert!(items[49].description.contains("Meldung 21"), "{path}: the 50 newest");
    }
    let (_, entries) = parse_atom(&out.text("atom.xml"));
    assert_eq!(entries.len(), 50);
}

/// GUIDs of every feed of a build: path → (guid → link).
fn all_guids(out: &Out) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut m = BTreeMap::new();
    for path in out.files.keys().filter(|p| p.ends_with("feed.xml")) {
        let (_, items) = parse_rss(&out.text(path));
        m.insert(path.clone(), items.into_iter().map(|i| (i.guid, i.link)).collect());
    }
    for path in ["atom.xml", "en/atom.xml"] {
        let (_, entries) = parse_atom(&out.text(path));
        m.insert(path.to_string(), entries.into_iter().map(|e| (e.id, e.link)).collect());
    }
    m
}

#[test]
fn guids_stay_stable_when_updates_are_added_or_edited() {
    let site = example_site();
    let before = all_guids(&render(site.path(), NOW));

    // Editing the text of an update changes no GUID anywhere.
    let file = site.path().join("content/incidents/exchange-data-restore.yaml");
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("Stand November 2026:"));
    fs::write(&file, text.replace("Stand November 2026:", "Stand Mitte November 2026:")).unwrap();
    assert_eq!(all_guids(&render(site.path(), NOW)), before);

    // One more update — written at the end of the file but dated between two older ones,
    // the hardest case for positional ids — adds exactly one GUID to every feed that
    // shows that incident and changes none of the others.
    append(
        site.path(),
        "content/incidents/exchange-data-restore.yaml",
        "  - at: 2023-06-01T09:00:00+02:00\n    phase: identified\n    text: { de: Neu, en: New }\n",
    );
    let after = all_guids(&render(site.path(), NOW));
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
    let mut grew = 0;
    for (path, old) in &before {
        let new = &after[path];
        for (guid, link) in old {
            assert_eq!(new.get(guid), Some(link), "{path}: GUID {guid} changed or vanished");
        }
        let added: Vec<_> = new.keys().filter(|g| !old.contains_key(*g)).collect();
        let shows_incident = path.ends_with("atom.xml")
            || ["", "en/"].iter().any(|p| {
                [
                    format!("{p}feed.xml"),
                    format!("{p}services/exchange/feed.xml"),
                    format!("{p}services/mail-restore/feed.xml"),
                ]
                .contains(path)
            });
        if shows_incident {
            assert_eq!(added.len(), 1, "{path}: {added:?}");
            assert!(new[added[0]].contains("#u-20230601t070000z"), "{path}: {}", new[added[0]]);
            grew += 1;
        } else {
            assert!(added.is_empty(), "{path}: {added:?}");
        }
    }
    assert_eq!(grew, 8);
}
