//! A synthetic, deterministic status site for benchmarks: N incidents over several years,
//! S services in groups, G guides with code, a few notices, German and English everywhere.
//!
//! Shared by `examples/gen_corpus.rs` (writes a corpus to disk) and `examples/bench/`
//! (generates one per size and measures builds of it). The same parameters and seed
//! always give byte-identical files, so numbers from different machines and commits
//! compare the same content. No `rand` crate: a hand-written splitmix64 is enough for
//! picking words and times, and its output never changes with a dependency update.

#![allow(dead_code)] // each example uses a different part of this module

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Europe::Berlin;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod guides;
mod incidents;
mod notices;
mod rng;
mod services;
mod vocabulary;
mod yaml;

use guides::*;
use incidents::*;
use notices::*;
pub use rng::Rng;
use services::*;
use vocabulary::*;
use yaml::*;

/// The instant the corpus is generated for: the newest history ends shortly before it,
/// a few incidents are open at it, and two maintenance windows are still to come. Builds
/// of the corpus must pass this as `--now` so their output does not depend on the clock.
pub const NOW: &str = "2026-11-27T12:00:00+01:00";

/// What to generate.
#[derive(Debug, Clone)]
pub struct Params {
    pub incidents: usize,
    pub services: usize,
    pub guides: usize,
    pub seed: u64,
    /// Years of history before [`NOW`]; incidents are spread evenly over them.
    pub years: u32,
}

impl Default for Params {
    fn default() -> Self {
        Params { incidents: 1000, services: 40, guides: 20, seed: 42, years: 4 }
    }
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    pub open_incidents: usize,
    pub maintenance: usize,
    pub with_code: usize,
}

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW).map(|t| t.with_timezone(&Utc)).unwrap_or_else(|_| Utc::now())
}

// ---------------------------------------------------------------------------------------
// The site

struct Service {
    id: String,
    de: String,
    en: String,
}

struct Guide {
    slug: String,
    services: Vec<usize>,
}

/// Write the site's files under `root/content/`. The folder must not exist yet, or be
/// empty: a corpus is never merged into other content.
pub fn write_site(root: &Path, p: &Params) -> std::io::Result<Stats> {
    let content = root.join("content");
    if content.exists() && std::fs::read_dir(&content)?.next().is_some() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} exists and is not empty; choose a new --out", content.display()),
        ));
    }
    for sub in ["services", "incidents", "notices", "guides"] {
        std::fs::create_dir_all(content.join(sub))?;
    }
    let mut w = Writer { content, stats: Stats::default() };
    let mut rng = Rng::new(p.seed);
    let now = now();
    let start = now - Duration::days(365 * i64::from(p.years.max(1)));

    // Groups and services.
    let n_groups = 3 + rng.below(4) as usize;
    let groups = &GROUPS[..n_groups];
    let services: Vec<Service> = (0..p.services.max(1))
        .map(|i| {
            let (id, de, en, _, _) = SERVICES[i % SERVICES.len()];
            let round = i / SERVICES.len();
            if round == 0 {
                Service { id: id.into(), de: de.into(), en: en.into() }
            } else {
                // More services than the vocabulary: numbered instances, as sites with
                // several clusters or sites have ("Rechencluster 2").
                let k = round + 1;
                Service { id: format!("{id}-{k}"), de: format!("{de} {k}"), en: format!("{en} {k}") }
            }
        })
        .collect();
    let guides: Vec<Guide> = (0..p.guides)
        .map(|i| {
            let (stem, _, _) = GUIDE_TOPICS[i % GUIDE_TOPICS.len()];
            let round = i / GUIDE_TOPICS.len();
            let slug = if round == 0 { stem.to_string() } else { format!("{stem}-{}", round + 1) };
            let k = 1 + rng.below(3) as usize;
            let mut svcs: Vec<usize> = Vec::new();
            while svcs.len() < k.min(services.len()) {
                let s = rng.below(services.len() as u64) as usize;
                if !svcs.contains(&s) {
                    svcs.push(s);
                }
            }
            Guide { slug, services: svcs }
        })
        .collect();

    w.file("site.yaml", &site_yaml(groups))?;
    for (i, s) in services.iter().enumerate() {
        let group = groups[i % groups.len()].0;
        let text = service_yaml(&mut rng, i, s, group, &guides, start, now);
        w.file(&format!("services/{}.yaml", s.id), &text)?;
    }

    // Incidents: start times spread evenly over the years (uniform random), sorted so
    // that ids (which begin with the date) follow time. The newest few stay open, and
    // the two newest maintenance windows lie in the future.
    let n = p.incidents;
    let open = (n / 250).clamp(1, 4).min(n);
    let mut starts: Vec<DateTime<Utc>> = (0..n)
        .map(|_| {
            let span = (now - Duration::days(10) - start).num_minutes().max(1);
            start + Duration::minutes(rng.below(span as u64) as i64)
        })
        .collect();
    starts.sort();
    let mut upcoming = 2usize;
    for i in (0..n).rev() {
        let is_maintenance = i % 10 == 5;
        let kind = if is_maintenance && upcoming > 0 && i + open < n {
            upcoming -= 1;
            Kind::Upcoming
        } else if is_maintenance {
            Kind::Maintenance
        } else if i + open >= n {
            Kind::Open
        } else {
            Kind::Closed
        };
        let mut irng = Rng::new(p.seed ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
        let inc = incident_yaml(&mut irng, i, kind, starts[i], now, &services, &guides);
        match kind {
            Kind::Open => w.stats.open_incidents += 1,
            Kind::Maintenance | Kind::Upcoming => w.stats.maintenance += 1,
            Kind::Closed => {}
        }
        if inc.has_code {
            w.stats.with_code += 1;
        }
        w.file(&format!("incidents/{}.yaml", inc.id), &inc.text)?;
    }

    for (i, n) in notices(now).iter().enumerate() {
        for (lang, body) in [("de", &n.de), ("en", &n.en)] {
            w.file(&format!("notices/notice-{}.{lang}.md", i + 1), body)?;
        }
    }
    for (i, g) in guides.iter().enumerate() {
        for lang in ["de", "en"] {
            let text = guide_md(&mut rng, i, g, lang, &services, now);
            w.file(&format!("guides/{}.{lang}.md", g.slug), &text)?;
        }
    }
    Ok(w.stats)
}

struct Writer {
    content: PathBuf,
    stats: Stats,
}

impl Writer {
    fn file(&mut self, rel: &str, text: &str) -> std::io::Result<()> {
        std::fs::write(self.content.join(rel), text)?;
        self.stats.files += 1;
        self.stats.bytes += text.len() as u64;
        Ok(())
    }
}
