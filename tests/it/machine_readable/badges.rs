//! Badges, byte-identical output across runs, id collisions, and a site without any update.

use super::*;

// ---------------------------------------------------------------- badges and determinism

#[test]
fn badges_are_accessible_and_sized_from_their_text() {
    let site = example_site();
    let out = render(site.path(), NOW);
    let s = &out.built.site;
    let mut widths = Vec::new();
    for path in std::iter::once("badge.svg".to_string())
        .chain(s.services.iter().map(|x| format!("services/{}/badge.svg", x.id)))
    {
        let svg = out.text(&path);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        let title = doc.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text()).unwrap();
        assert_eq!(root.attribute("aria-label"), Some(title));
        let texts: Vec<&str> =
            doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect();
        assert_eq!(texts.len(), 2, "{path}: label and state");
        assert_eq!(title, format!("{}: {}", texts[0], texts[1]));
        // A shape besides the two backgrounds carries the state without colour.
        let shapes = doc.descendants().filter(|n| n.has_tag_name("path") || n.has_tag_name("rect")).count();
        assert!(shapes >= 3, "{path}: no symbol");
        assert!(!svg.contains("@font-face") && !svg.contains("href"), "{path}: no external resources");
        let w: f64 = root.attribute("width").unwrap().parse().unwrap();
        widths.push((texts[0].chars().count() + texts[1].chars().count(), w));
    }
    let overall = out.text("badge.svg");
    assert!(overall.contains("Wiederherstellung ausstehend"), "default language, current overall state");
    // Longer text, wider badge.
    let (short, long) =
        (widths.iter().min_by_key(|x| x.0).unwrap(), widths.iter().max_by_key(|x| x.0).unwrap());
    assert!(long.1 > short.1);
}

#[test]
fn machine_readable_output_is_byte_identical_across_runs() {
    let site = example_site();
    let a = render(site.path(), NOW);
    let b = render(site.path(), NOW);
    let ours =
        |p: &str| p.ends_with(".xml") || p.ends_with(".json") || p.ends_with(".ics") || p.ends_with(".svg");
    let mut n = 0;
    for (path, bytes) in a.files.iter().filter(|(p, _)| ours(p)) {
        assert_eq!(Some(bytes), b.files.get(path), "{path} differs between runs");
        n += 1;
    }
    assert!(n > 40, "{n} files");
}

#[test]
fn group_ids_never_collide_with_service_ids() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "content/site.yaml",
        "title: T\nbase_url: https://t.example/\nlanguages: [de, en]\ntimezone: Europe/Berlin\ngroups:\n  - id: mail\n    name: Mail\n",
    );
    write(root, "content/services/mail.yaml", "name: Mail\ngroup: mail\n");
    let out = render(root, "2024-02-01T00:00:00Z");
    let c = out.json("api/v2/components.json");
    let ids: Vec<&str> =
        c["components"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["group-mail", "mail"]);
    assert_eq!(c["components"][1]["group_id"], "group-mail");
    assert_eq!(c["components"][0]["components"][0], "mail");
}

#[test]
fn a_site_without_any_update_still_gets_valid_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "content/site.yaml",
        "title: T\nbase_url: https://t.example/\nlanguages: [de, en]\ntimezone: Europe/Berlin\n",
    );
    write(root, "content/services/a.yaml", "name: A\n");
    let out = render(root, "2024-02-01T00:00:00Z");
    let (meta, items) = parse_rss(&out.text("feed.xml"));
    assert!(items.is_empty());
    // RSS may leave it out, and an empty feed does: it then depends on its items alone.
    assert!(!meta.contains_key("lastBuildDate"), "{meta:?}");
    // Atom must say when the feed was updated: nothing in the content has a time, so
    // "now" is the only deterministic choice.
    let atom = out.text("en/atom.xml");
    parse_atom(&atom);
    assert!(atom.contains("<updated>2024-02-01T00:00:00Z</updated>"), "{atom}");
    let (_, events) = ics_events(&out.files["maintenance.ics"]);
    assert!(events.is_empty());
    let s = out.json("api/v2/summary.json");
    assert_eq!(s["status"]["indicator"], "none");
    assert_eq!(s["status"]["description"], "Alle Systeme verfügbar");
    assert_eq!(s["components"][0]["status"], "operational");
    assert!(out.text("badge.svg").contains("Verfügbar"));
}
