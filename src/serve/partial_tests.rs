//! `serve` renders only the pages whose sources changed ([`super::render`]). Whatever
//! the edits and however the clock moves, what it serves must be what a fresh `build`
//! makes at that moment, byte for byte: these tests apply long random sequences of edits
//! (seeded, so a failure can be replayed) and compare after every step.

use super::render::{render, Files, Warm};
use crate::build::{render_site, BuildError, BuildOptions};
use chrono::{DateTime, Duration, FixedOffset};
use std::path::{Path, PathBuf};

/// A small deterministic generator (xorshift64*), so that a seed replays a sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const SERVICES: [&str; 6] = ["exchange", "webmail", "mailbox", "sieve", "quota", "forwarding"];
const STATES: [&str; 6] =
    ["operational", "maintenance", "degraded", "partial_outage", "restore_pending", "major_outage"];

/// An incident or maintenance the test writes and rewrites as a whole file.
#[derive(Clone)]
struct Generated {
    id: String,
    maintenance: bool,
    title: String,
    services: Vec<&'static str>,
    window: Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)>,
    updates: Vec<Update>,
}

/// An update as written: (time, phase, set, text).
type Update = (DateTime<FixedOffset>, &'static str, Vec<(&'static str, &'static str)>, String);

impl Generated {
    fn yaml(&self) -> String {
        let mut y = format!(
            "title: {{ de: \"{} (de)\", en: \"{}\" }}\nkind: {}\nservices: [{}]\n",
            self.title,
            self.title,
            if self.maintenance { "maintenance" } else { "incident" },
            self.services.join(", ")
        );
        if let Some((from, until)) = self.window {
            y.push_str(&format!(
                "scheduled: {{ from: {}, until: {} }}\n",
                from.to_rfc3339(),
                until.to_rfc3339()
            ));
        }
        y.push_str("updates:\n");
        for (at, phase, set, text) in &self.updates {
            y.push_str(&format!("  - at: {}\n    phase: {phase}\n", at.to_rfc3339()));
            if !set.is_empty() {
                let pairs: Vec<String> = set.iter().map(|(s, st)| format!("{s}: {st}")).collect();
                y.push_str(&format!("    set: {{ {} }}\n", pairs.join(", ")));
            }
            y.push_str(&format!("    text: {{ de: \"{text}\", en: \"{text} (en)\" }}\n"));
        }
        y
    }

    fn phases(&self) -> &'static [&'static str] {
        if self.maintenance {
            &["scheduled", "in_progress", "completed"]
        } else {
            &["investigating", "identified", "monitoring", "resolved"]
        }
    }
}

struct Run {
    dir: tempfile::TempDir,
    rng: Rng,
    now: DateTime<FixedOffset>,
    generated: Vec<Generated>,
    services_added: Vec<String>,
    serial: usize,
    warm: Option<Warm>,
}

impl Run {
    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn opts(&self) -> BuildOptions {
        BuildOptions { now: Some(self.now.to_rfc3339()), ..Default::default() }
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        std::fs::write(self.root().join(rel), text).unwrap();
        PathBuf::from(rel)
    }

    fn incident_file(id: &str) -> String {
        format!("content/incidents/{id}.yaml")
    }

    /// A time near "now": mostly in the past, sometimes ahead (a scheduled update).
    fn near_now(&mut self) -> DateTime<FixedOffset> {
        let minutes = self.rng.below(6 * 24 * 60) as i64 - 5 * 24 * 60;
        self.now + Duration::minutes(minutes)
    }

    fn new_update(
        &mut self,
        g: &Generated,
    ) -> (DateTime<FixedOffset>, &'static str, Vec<(&'static str, &'static str)>, String) {
        let at = self.near_now();
        let phase = *self.rng.pick(g.phases());
        let mut set = Vec::new();
        for _ in 0..self.rng.below(3) {
            let s = *self.rng.pick(&g.services);
            if !set.iter().any(|(x, _)| *x == s) {
                set.push((s, *self.rng.pick(&STATES)));
            }
        }
        self.serial += 1;
        (at, phase, set, format!("Meldung {}", self.serial))
    }

    /// One random edit; the paths it changed.
    fn edit(&mut self) -> Vec<PathBuf> {
        match self.rng.below(10) {
            // A new incident or maintenance.
            0 | 1 => {
                self.serial += 1;
                let maintenance = self.rng.chance(30);
                let mut services: Vec<&'static str> = Vec::new();
                for _ in 0..1 + self.rng.below(3) {
                    let s = *self.rng.pick(&SERVICES);
                    if !services.contains(&s) {
                        services.push(s);
                    }
                }
                let window = maintenance.then(|| {
                    let from = self.near_now() + Duration::days(2);
                    (from, from + Duration::hours(1 + self.rng.below(6) as i64))
                });
                let mut g = Generated {
                    id: format!("gen-{}", self.serial),
                    maintenance,
                    title: format!("Vorfall {}", self.serial),
                    services,
                    window,
                    updates: Vec::new(),
                };
                let u = self.new_update(&g);
                g.updates.push(u);
                let path = self.write(&Self::incident_file(&g.id), &g.yaml());
                self.generated.push(g);
                vec![path]
            }
            // Another update, or one fewer.
            2 | 3 if !self.generated.is_empty() => {
                let i = self.rng.below(self.generated.len());
                let mut g = self.generated[i].clone();
                if g.updates.len() > 1 && self.rng.chance(30) {
                    let k = self.rng.below(g.updates.len());
                    g.updates.remove(k);
                } else {
                    let u = self.new_update(&g);
                    g.updates.push(u);
                }
                let path = self.write(&Self::incident_file(&g.id), &g.yaml());
                self.generated[i] = g;
                vec![path]
            }
            // New words, or a state set differently.
            4 if !self.generated.is_empty() => {
                let i = self.rng.below(self.generated.len());
                let mut g = self.generated[i].clone();
                let k = self.rng.below(g.updates.len());
                self.serial += 1;
                if self.rng.chance(50) {
                    g.title = format!("Umbenannt {}", self.serial);
                } else if let Some(s) = g.services.first().copied() {
                    g.updates[k].2 = vec![(s, *self.rng.pick(&STATES))];
                }
                let path = self.write(&Self::incident_file(&g.id), &g.yaml());
                self.generated[i] = g;
                vec![path]
            }
            // An incident goes.
            5 if !self.generated.is_empty() => {
                let g = self.generated.remove(self.rng.below(self.generated.len()));
                let rel = Self::incident_file(&g.id);
                std::fs::remove_file(self.root().join(&rel)).unwrap();
                vec![PathBuf::from(rel)]
            }
            // The example's own incidents reworded.
            6 => {
                let rel = Self::incident_file("cyberattack-2022-11");
                let text = std::fs::read_to_string(self.root().join(&rel)).unwrap();
                self.serial += 1;
                let edited = text.replacen("Cyberangriff", &format!("Cyberangriff {}", self.serial), 1);
                vec![self.write(&rel, &edited)]
            }
            // A service comes or goes: everything is rendered again.
            7 => {
                if let Some(id) = self.services_added.pop() {
                    let rel = format!("content/services/{id}.yaml");
                    std::fs::remove_file(self.root().join(&rel)).unwrap();
                    vec![PathBuf::from(rel)]
                } else {
                    self.serial += 1;
                    let id = format!("extra-{}", self.serial);
                    let rel = format!("content/services/{id}.yaml");
                    let at = self.near_now().to_rfc3339();
                    let yaml = format!(
                        "name: {{ de: Zusatz, en: Extra }}\ngroup: mail\nupdates:\n  - at: {at}\n    status: degraded\n"
                    );
                    self.services_added.push(id);
                    vec![self.write(&rel, &yaml)]
                }
            }
            // A mistake, then the next step's edit comes on top of it being fixed.
            8 if !self.generated.is_empty() => {
                let g = &self.generated[self.rng.below(self.generated.len())];
                let rel = Self::incident_file(&g.id);
                let broken = g.yaml().replacen("phase: ", "phase: nonsense_", 1);
                let path = self.write(&rel, &broken);
                let (root, opts) = (self.dir.path().to_path_buf(), self.opts());
                let result = render(&root, &opts, &mut self.warm, std::slice::from_ref(&path));
                assert!(matches!(result, Err(BuildError::Content(_))), "a broken file must be refused");
                vec![self.write(&rel, &g.yaml())]
            }
            // Only the clock moves.
            _ => Vec::new(),
        }
    }

    /// Move the clock on: minutes, hours or days.
    fn tick(&mut self) {
        let minutes = match self.rng.below(4) {
            0 => 1 + self.rng.below(30),
            1 => 60 + self.rng.below(600),
            2 => 24 * 60 + self.rng.below(3 * 24 * 60),
            _ => self.rng.below(5),
        };
        self.now += Duration::minutes(minutes as i64);
    }
}

fn served_equals_built(served: &Files, root: &Path, opts: &BuildOptions, step: &str) {
    let built = render_site(root, opts).unwrap_or_else(|e| panic!("{step}: the build failed: {e}"));
    let mut missing = Vec::new();
    for f in &built.files {
        match served.get(f.path.as_str()) {
            Some(bytes) if **bytes == *f.bytes => {}
            Some(bytes) => panic!(
                "{step}: {} differs from a fresh build\n--- served\n{}\n--- built\n{}",
                f.path,
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&f.bytes)
            ),
            None => missing.push(f.path.clone()),
        }
    }
    assert!(missing.is_empty(), "{step}: not served: {missing:?}");
    let extra: Vec<&str> =
        served.keys().filter(|k| !built.files.iter().any(|f| f.path == ***k)).map(|k| &**k).collect();
    assert!(extra.is_empty(), "{step}: served but not built: {extra:?}");
}

/// `steps` random edits from `seed`, starting at `start`; the number of partial renders.
fn random_edits(seed: u64, start: &str, steps: usize) -> usize {
    let dir = tempfile::tempdir().unwrap();
    crate::author::init::init(dir.path()).unwrap();
    let now = DateTime::parse_from_rfc3339(start).unwrap();
    let mut run = Run {
        dir,
        rng: Rng(seed),
        now,
        generated: Vec::new(),
        services_added: Vec::new(),
        serial: 0,
        warm: None,
    };
    let root = run.root().to_path_buf();
    render(&root, &run.opts(), &mut run.warm, &[]).unwrap();
    let mut partial = 0;
    for step in 0..steps {
        run.tick();
        let changed = run.edit();
        let opts = run.opts();
        let outcome = render(&root, &opts, &mut run.warm, &changed)
            .unwrap_or_else(|e| panic!("seed {seed}, step {step}: {e}"));
        partial += usize::from(outcome.partial);
        let files = &run.warm.as_ref().expect("a good render").files;
        served_equals_built(files, &root, &opts, &format!("seed {seed}, step {step} at {}", run.now));
    }
    partial
}

/// Steps per sequence: `AUSHANG_RANDOM_STEPS` runs longer sequences by hand.
fn steps() -> usize {
    std::env::var("AUSHANG_RANDOM_STEPS").ok().and_then(|s| s.parse().ok()).unwrap_or(60)
}

/// `AUSHANG_RANDOM_SEED` runs other sequences by hand (a failure names its seed).
fn seed(base: u64) -> u64 {
    std::env::var("AUSHANG_RANDOM_SEED").ok().and_then(|s| s.parse::<u64>().ok()).map_or(base, |s| base ^ s)
}

#[test]
fn serve_equals_build_through_the_attack_and_the_restore() {
    let partial = random_edits(seed(0x5eed_0001), "2022-11-26T12:00:00+01:00", steps());
    assert!(partial > 0, "no step took the partial path");
}

#[test]
fn serve_equals_build_across_a_year_and_a_dst_change() {
    let partial = random_edits(seed(0x5eed_0002), "2022-12-29T18:00:00+01:00", steps());
    assert!(partial > 0, "no step took the partial path");
    let partial = random_edits(seed(0x5eed_0003), "2023-03-24T09:00:00+01:00", steps());
    assert!(partial > 0, "no step took the partial path");
}
