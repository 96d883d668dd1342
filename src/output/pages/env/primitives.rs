//! The primitive values of a page in its language, made from the content: texts, names,
//! times, states, phases, durations; with the date formats and the cache they share.

use super::PageEnv;
use crate::model::{Phase, Resolved, StateId, Text};
use crate::output::pages::values::{PhaseValue, Shared, StateValue, TextValue, TimeValue};
use crate::render::direction::Direction;
use crate::render::strings::UiStrings;
use ahash::AHashMap;
use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use std::cell::RefCell;
use std::fmt::Write as _;

/// Date patterns of one language, parsed once: `{month}` substituted for each month.
/// Parsing a pattern costs more than formatting with it, and a site formats hundreds of
/// thousands of times with a handful of patterns.
pub struct Formats {
    /// (key, items per month); `None`: the pattern is broken.
    patterns: Vec<(&'static str, Vec<Option<Vec<Item<'static>>>>)>,
}

/// The pattern keys of the UI strings that pages use.
const FORMAT_KEYS: [&str; 3] = ["date_time", "date", "month_year"];

impl Formats {
    pub fn new(strings: &UiStrings) -> Formats {
        let months = strings.list("months");
        let patterns = FORMAT_KEYS
            .iter()
            .map(|&key| {
                let raw = strings.get(key);
                let per_month = (0..12)
                    .map(|m| {
                        let month = months.get(m).map(String::as_str).unwrap_or("").replace('%', "%%");
                        StrftimeItems::new(&raw.replace("{month}", &month)).parse_to_owned().ok()
                    })
                    .collect();
                (key, per_month)
            })
            .collect();
        Formats { patterns }
    }
}

/// Values that come out the same wherever they appear (a state, a service's name),
/// made once per render thread and language and then shared.
#[derive(Default)]
pub struct ValueCache {
    states: PerLanguage<StateId, Shared<StateValue>>,
    /// Keyed by the address of the [`Text`]; the entry keeps what the value was made from
    /// and is used only while that still matches, so a text that a later one replaced at
    /// the same address is never served.
    names: PerLanguage<usize, NameEntry>,
    /// Times recur too: an update's time is on its incident's page, its services' pages
    /// and year pages, the front page; formatting one costs more than the lookup.
    times: PerLanguage<DateTime<Utc>, Shared<TimeValue>>,
}

/// Values by language index and key.
type PerLanguage<K, V> = RefCell<AHashMap<(usize, K), V>>;

/// A name's value and the text it was made from.
type NameEntry = (Resolved, Shared<TextValue>);

/// Entries per map before it starts over, so that memory stays bounded on large sites.
const CACHE_LIMIT: usize = 1 << 12;

fn insert_bounded<K: std::hash::Hash + Eq, V>(map: &mut AHashMap<K, V>, key: K, value: V) {
    if map.len() >= CACHE_LIMIT {
        map.clear();
    }
    map.insert(key, value);
}

impl PageEnv<'_> {
    /// A text of the content in this page's language.
    pub fn text(&self, text: &Text) -> TextValue {
        let r = text.get(self.lang);
        let html = self.ctx.html(text, self.lang);
        if crate::render::highlight::has_code_block(&html) {
            self.note_code();
        }
        TextValue {
            html,
            plain: self.ctx.plain(text, self.lang),
            lang: r.lang.clone(),
            fallback: r.fallback,
            note: if r.fallback { self.only_in(&r.lang) } else { String::new() },
            dir: Direction::of(&r.lang),
        }
    }

    /// A name or title: like [`Self::text`], made once per thread and shared, since names
    /// and titles recur on many pages and in every update.
    pub fn name(&self, text: &Text) -> Shared<TextValue> {
        let r = text.get(self.lang);
        let key = (self.lang, text as *const Text as usize);
        if let Some((from, v)) = self.cache.names.borrow().get(&key) {
            if from == r {
                return v.clone();
            }
        }
        let v = Shared::new(&self.text(text));
        insert_bounded(&mut self.cache.names.borrow_mut(), key, (r.clone(), v.clone()));
        v
    }

    /// "Only available in Deutsch." for a text shown in another language.
    pub fn only_in(&self, lang: &str) -> String {
        let name =
            self.ctx.languages().iter().position(|l| l == lang).map_or(lang, |i| self.language_name(i));
        self.strings.fill("only_in", "language", name)
    }

    pub fn time(&self, t: DateTime<Utc>) -> Shared<TimeValue> {
        let key = (self.lang, t);
        if let Some(v) = self.cache.times.borrow().get(&key) {
            return v.clone();
        }
        let local = t.with_timezone(&self.tz());
        let v = Shared::new(&TimeValue {
            iso: local.to_rfc3339(),
            text: self.format_local(&local, "date_time"),
            date: self.format_local(&local, "date"),
        });
        insert_bounded(&mut self.cache.times.borrow_mut(), key, v.clone());
        v
    }

    /// Format with the theme's pattern for `key`; a broken pattern falls back to ISO.
    pub fn format(&self, t: DateTime<Utc>, key: &str) -> String {
        self.format_local(&t.with_timezone(&self.tz()), key)
    }

    fn format_local(&self, local: &DateTime<Tz>, key: &str) -> String {
        let mut out = String::with_capacity(32);
        let ok = self.formats.patterns.iter().find(|(k, _)| *k == key).is_some_and(|(_, per_month)| {
            per_month
                .get(local.month0() as usize)
                .and_then(Option::as_ref)
                .is_some_and(|items| write!(out, "{}", local.format_with_items(items.iter())).is_ok())
        });
        if !ok {
            out.clear();
            let _ = write!(out, "{}", local.format("%Y-%m-%d %H:%M"));
        }
        out
    }

    pub fn state(&self, id: &StateId) -> Shared<StateValue> {
        let key = (self.lang, id.clone());
        if let Some(v) = self.cache.states.borrow().get(&key) {
            return v.clone();
        }
        let def = self.ctx.site.states.get(id);
        let (severity, color) = def.map_or((0, "#555555"), |d| (d.severity, d.color.as_str()));
        let band = crate::model::Band::of(id, severity);
        let v = Shared::new(&StateValue {
            id: id.to_string(),
            label: self.ctx.state_label(id, self.lang),
            band,
            icon: band.icon(),
            severity,
            color: color.to_string(),
        });
        insert_bounded(&mut self.cache.states.borrow_mut(), key, v.clone());
        v
    }

    pub fn phase(&self, phase: Phase) -> PhaseValue {
        PhaseValue { id: phase, label: self.strings.phase(phase).to_string() }
    }

    /// The UI string `key` with `{year}` filled in.
    pub fn with_year(&self, key: &str, y: i32) -> String {
        self.strings.fill(key, "year", &y.to_string())
    }

    /// Human duration: "3 Tage 4 Std." / "45 min".
    pub fn duration(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
        self.minutes((to - from).num_minutes())
    }

    /// A number of minutes as a human duration, like [`Self::duration`].
    pub fn minutes(&self, mins: i64) -> String {
        let mins = mins.max(0);
        let (d, h, m) = (mins / 1440, (mins % 1440) / 60, mins % 60);
        let s = |k| self.strings.get(k);
        let mut parts = Vec::new();
        if d > 0 {
            parts.push(format!("{d} {}", if d == 1 { s("day") } else { s("days") }));
        }
        if h > 0 {
            parts.push(format!("{h} {}", s("hours")));
        }
        if d == 0 && (m > 0 || h == 0) {
            parts.push(format!("{m} {}", s("minutes")));
        }
        parts.join(" ")
    }
}
