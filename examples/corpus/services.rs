//! `site.yaml` and one file per service.

use super::*;

pub(super) fn site_yaml(groups: &[(&str, &str, &str)]) -> String {
    let mut s = String::from(
        "# Synthetic benchmark site (examples/gen_corpus.rs); regenerate rather than edit.\n\
         title: { de: IT-Status der Beispiel-Universität, en: Example University IT status }\n\
         base_url: https://status.example.org/\n\
         languages: [de, en]\n\
         timezone: Europe/Berlin\n\
         contact: { de: \"IT-Servicedesk, Tel. 0123 456-789\", en: \"IT service desk, phone +49 123 456-789\" }\n\
         groups:\n",
    );
    for (id, de, en) in groups {
        let _ = writeln!(s, "  - id: {id}\n    name: {}", inline_text(de, en));
    }
    s.push_str("states: []\n");
    s
}

pub(super) fn service_yaml(
    rng: &mut Rng,
    i: usize,
    s: &Service,
    group: &str,
    guides: &[Guide],
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> String {
    let (_, _, _, dde, den) = SERVICES[i % SERVICES.len()];
    let mut out = String::new();
    let _ = writeln!(out, "name: {}", inline_text(&s.de, &s.en));
    let _ = writeln!(out, "group: {group}");
    let _ = writeln!(out, "description: {}", inline_text(dde, den));
    let _ = writeln!(out, "order: {}", (i + 1) * 10);
    let linked: Vec<&Guide> = guides.iter().filter(|g| g.services.contains(&i)).take(2).collect();
    if !linked.is_empty() {
        out.push_str("links:\n");
        for g in linked {
            let _ = writeln!(out, "  - label: {}\n    guide: {}", inline_text("Anleitung", "Guide"), g.slug);
        }
    }
    // A few own updates over the years; the last one is always back to normal.
    let k = 2 + rng.below(3) as usize;
    let span = (now - Duration::days(1) - start).num_minutes().max(1) as u64;
    let mut times: Vec<DateTime<Utc>> =
        (0..k).map(|_| start + Duration::minutes(rng.below(span) as i64)).collect();
    times.sort();
    times.dedup();
    out.push_str("updates:\n");
    for (j, t) in times.iter().enumerate() {
        let last = j + 1 == times.len();
        let (status, de, en) = if last {
            ("operational", "{s} läuft wieder normal.", "{s} is back to normal.")
        } else {
            *rng.pick(SERVICE_NOTES)
        };
        let _ = writeln!(out, "  - at: {}\n    status: {status}", ts(*t));
        text_field(&mut out, 4, "text", &fill(de, &s.de, 0), &fill(en, &s.en, 0));
    }
    out
}
