//! The environment a page model is built in: its language, its place in the site (links
//! are relative to it), the UI strings, and the only way page code reaches incidents and
//! the derived view — accessors that record what the page read ([`super::sources`]).
//! The primitive values (texts, times, states, phases) are made here.

use super::sources::{self, Reads, Recent, Source};
use super::values::{PhaseValue, Shared, StateValue, TextValue, TimeValue};
use crate::model::derive::availability::{self, Availability};
use crate::model::derive::{IncidentView, TimelineEntry, UpdateRef};
use crate::model::{IncidentRecord, Phase, Resolved, Site, StateId, Text};
use crate::output::BuildContext;
use crate::render::direction::Direction;
use crate::render::strings::UiStrings;
use ahash::AHashMap;
use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::Arc;

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

/// What every page of one language shares.
pub struct Language<'a> {
    pub index: usize,
    pub strings: &'a UiStrings,
    pub formats: &'a Formats,
}

/// Everything that depends on the page's language and position.
pub struct PageEnv<'a> {
    ctx: &'a BuildContext<'a>,
    pub lang: usize,
    pub strings: &'a UiStrings,
    /// The strings of every configured language, for language names.
    all_strings: &'a [UiStrings],
    formats: &'a Formats,
    /// Relative prefix from this page to the site root: `./`, `../../`.
    root: String,
    /// Relative prefix from this page to its language's root (`en/` for English pages),
    /// which links within the language start from: they stay short.
    lang_root: String,
    cache: &'a ValueCache,
    reads: Option<&'a Reads>,
    /// Whether a highlighted code block went into the page (it then links the stylesheet).
    code: &'a Cell<bool>,
}

impl<'a> PageEnv<'a> {
    pub fn new(
        ctx: &'a BuildContext<'a>,
        lang: &Language<'a>,
        all_strings: &'a [UiStrings],
        cache: &'a ValueCache,
        reads: Option<&'a Reads>,
        code: &'a Cell<bool>,
    ) -> PageEnv<'a> {
        PageEnv {
            ctx,
            lang: lang.index,
            strings: lang.strings,
            all_strings,
            formats: lang.formats,
            root: "./".into(),
            lang_root: format!("./{}", ctx.lang_prefix(lang.index)),
            cache,
            reads,
            code,
        }
    }

    /// The same environment for the page at site path `path` (links become relative to it).
    pub fn at(&self, path: &str) -> PageEnv<'a> {
        let depth = format!("{}{}", self.ctx.lang_prefix(self.lang), path).matches('/').count();
        let up = |n: usize| if n == 0 { "./".to_string() } else { "../".repeat(n) };
        PageEnv { root: up(depth), lang_root: up(path.matches('/').count()), ..*self }
    }

    /// The same environment and place in another language, for a page that shows several
    /// languages (the printable notice): values come out in `lang`'s words and formats.
    pub fn in_language<'b>(&self, lang: &Language<'b>) -> PageEnv<'b>
    where
        'a: 'b,
    {
        PageEnv {
            lang: lang.index,
            strings: lang.strings,
            formats: lang.formats,
            root: self.root.clone(),
            lang_root: format!("{}{}", self.root, self.ctx.lang_prefix(lang.index)),
            ..*self
        }
    }

    /// The same environment with links as absolute paths from `root` (the 404 page,
    /// which is served for any URL).
    pub fn rooted(&self, root: String) -> PageEnv<'a> {
        let lang_root = format!("{root}{}", self.ctx.lang_prefix(self.lang));
        PageEnv { root, lang_root, ..*self }
    }

    /// The same environment for the layout's values, which every page of a language and
    /// depth shares: they read no source, and the highlighted code they hold (a pinned
    /// notice's) is noted in `code`.
    pub fn for_layout<'b>(&self, code: &'b Cell<bool>) -> PageEnv<'b>
    where
        'a: 'b,
    {
        PageEnv { reads: None, code, root: self.root.clone(), lang_root: self.lang_root.clone(), ..*self }
    }

    /// Whether highlighted code went into the page so far.
    pub fn code_noted(&self) -> bool {
        self.code.get()
    }

    /// Note that highlighted code went into the page.
    pub fn note_code(&self) {
        self.code.set(true);
    }

    fn read(&self, source: Source) {
        if let Some(reads) = self.reads {
            reads.record(source);
        }
    }

    // --- What pages read -------------------------------------------------------------

    /// The site's configuration, services, guides and notices: not sources (a change to
    /// any of them renders every page). Incidents and the derived view are read through
    /// the accessors below.
    pub fn site(&self) -> SiteRecords<'a> {
        SiteRecords(self.ctx.site)
    }

    pub fn ctx(&self) -> &'a BuildContext<'a> {
        self.ctx
    }

    pub fn incident(&self, i: usize) -> (&'a IncidentRecord, &'a IncidentView) {
        let record = &self.ctx.site.incidents[i];
        self.read(Source::Incident(Arc::from(record.id.as_str())));
        (record, &self.ctx.derived.incidents[i])
    }

    /// A service's current state and when it began.
    pub fn service_state(&self, s: usize) -> (&'a StateId, Option<DateTime<Utc>>) {
        self.read(Source::ServiceState(self.service_id(s)));
        let v = &self.ctx.derived.services[s];
        (&v.current, v.since)
    }

    /// A service's last 90 days ([`sources::recent`]).
    pub fn service_recent(&self, s: usize) -> Recent<'a> {
        self.read(Source::ServiceRecent(self.service_id(s)));
        sources::recent(&self.ctx.derived.services[s], self.ctx.derived, self.history_start_unrecorded())
    }

    /// A service's entries and incidents of year `y`.
    pub fn service_year(&self, s: usize, y: i32) -> (&'a [TimelineEntry], Vec<usize>) {
        self.read(Source::ServiceYear(self.service_id(s), y));
        let (v, tz) = (&self.ctx.derived.services[s], self.tz());
        (sources::year_entries(v, y, tz), sources::year_incidents(v, self.ctx.derived, y, tz))
    }

    /// The years with a history page of service `s`.
    pub fn service_years(&self, s: usize) -> BTreeSet<i32> {
        self.read(Source::ServiceYears(self.service_id(s)));
        sources::service_years(&self.ctx.derived.services[s], self.history_start_unrecorded(), self.tz())
    }

    /// A service's availability over the last 30 and 90 days up to now: it reads the
    /// history of the last 90 days (which the windows lie in), and changes with the clock.
    pub fn service_availability(&self, s: usize) -> [Availability; 2] {
        self.read(Source::ServiceRecent(self.service_id(s)));
        self.read(Source::Now);
        let (site, derived) = (self.ctx.site, self.ctx.derived);
        let timeline = &derived.services[s].timeline;
        availability::windows(timeline, site.config.availability, &site.states, derived.now, self.tz())
    }

    /// The text of the service's own update behind timeline entry `e`.
    pub fn own_update_text(&self, s: usize, e: &TimelineEntry) -> Option<&'a Text> {
        self.ctx.site.services[s]
            .updates
            .iter()
            .zip(&self.ctx.derived.services[s].own_anchors)
            .find(|(_, a)| **a == e.anchor)
            .and_then(|(u, _)| u.text.as_ref())
    }

    pub fn open_incidents(&self) -> &'a [usize] {
        self.read(Source::OpenIncidents);
        &self.ctx.derived.open_incidents
    }

    pub fn active_maintenance(&self) -> &'a [usize] {
        self.read(Source::ActiveMaintenance);
        &self.ctx.derived.active_maintenance
    }

    pub fn upcoming_maintenance(&self) -> &'a [usize] {
        self.read(Source::UpcomingMaintenance);
        &self.ctx.derived.upcoming_maintenance
    }

    /// The newest updates of the site, for the front page.
    pub fn newest_updates(&self) -> impl Iterator<Item = UpdateRef> + 'a {
        self.read(Source::NewestUpdates);
        self.ctx.derived.updates.iter().take(sources::FRONT_PAGE_UPDATES).map(|(_, u)| *u)
    }

    pub fn last_updated(&self) -> Option<DateTime<Utc>> {
        self.read(Source::LastUpdated);
        self.ctx.derived.last_updated
    }

    pub fn overall(&self) -> &'a StateId {
        self.read(Source::Overall);
        &self.ctx.derived.overall
    }

    /// Active notices, most severe first: not a source (a change renders every page, as
    /// pinned ones are on every page).
    pub fn active_notices(&self) -> &'a [usize] {
        &self.ctx.derived.active_notices
    }

    /// Per guide, the services it belongs to: made from records only.
    pub fn guide_services(&self, g: usize) -> &'a [usize] {
        &self.ctx.derived.guide_services[g]
    }

    pub fn archive_years(&self) -> BTreeSet<i32> {
        self.read(Source::ArchiveYears);
        self.read(Source::Today);
        sources::archive_years(self.ctx.derived, self.tz())
    }

    /// The incidents that started in year `y`, newest first.
    pub fn archive_year(&self, y: i32) -> Vec<(usize, DateTime<Utc>)> {
        self.read(Source::ArchiveYear(y));
        sources::archive_year(self.ctx.derived, y, self.tz())
    }

    /// "Now", to the second.
    pub fn now(&self) -> DateTime<Utc> {
        self.read(Source::Now);
        self.ctx.derived.now
    }

    /// The current year in the site's time zone.
    pub fn this_year(&self) -> i32 {
        self.read(Source::Today);
        sources::year_in(self.ctx.derived.now, self.tz())
    }

    /// The first day of the last 90 days.
    pub fn first_history_day(&self) -> chrono::NaiveDate {
        self.read(Source::Today);
        sources::first_history_day(self.ctx.derived.now, self.tz())
    }

    fn history_start_unrecorded(&self) -> DateTime<Utc> {
        sources::history_start(self.ctx.derived.now, self.tz())
    }

    fn service_id(&self, s: usize) -> Arc<str> {
        Arc::from(self.ctx.site.services[s].id.as_str())
    }

    pub fn tz(&self) -> Tz {
        self.ctx.site.config.timezone
    }

    /// The site path of the page that holds update `u`, with its anchor.
    pub fn update_path(&self, u: UpdateRef) -> String {
        if let UpdateRef::Service { .. } = u {
            // A service's own update is on its page for 90 days, then on a year page.
            self.read(Source::Today);
        }
        self.ctx.update_path(u)
    }

    // --- Links -----------------------------------------------------------------------

    /// Relative prefix from this page to the site root.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// Relative link to a site path in this page's language (`services/x/` → `../services/x/`
    /// on `en/incidents/`).
    pub fn href(&self, path: &str) -> String {
        format!("{}{path}", self.lang_root)
    }

    /// Relative link to a path that exists only once (static files, the badge).
    pub fn href_shared(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }

    pub fn lang_code(&self) -> &'a str {
        &self.ctx.languages()[self.lang]
    }

    /// The own name of configured language `lang` ("Deutsch").
    pub fn language_name(&self, lang: usize) -> &'a str {
        self.all_strings.get(lang).map(|s| s.get("language_name")).unwrap_or("")
    }

    // --- Values ----------------------------------------------------------------------

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

    /// The year of `t` in the site's time zone.
    pub fn year_of(&self, t: DateTime<Utc>) -> i32 {
        sources::year_in(t, self.tz())
    }
}

/// The records of the site that are not sources (see [`PageEnv::site`]).
#[derive(Clone, Copy)]
pub struct SiteRecords<'a>(&'a Site);

impl<'a> SiteRecords<'a> {
    pub fn config(&self) -> &'a crate::model::SiteConfig {
        &self.0.config
    }
    pub fn services(&self) -> &'a [crate::model::ServiceRecord] {
        &self.0.services
    }
    pub fn guides(&self) -> &'a [crate::model::Guide] {
        &self.0.guides
    }
    pub fn notices(&self) -> &'a [crate::model::Notice] {
        &self.0.notices
    }
    pub fn default_lang(&self) -> &'a str {
        self.0.default_lang()
    }
    /// A service by id.
    pub fn service(&self, id: &str) -> Option<(usize, &'a crate::model::ServiceRecord)> {
        self.0.services.iter().enumerate().find(|(_, s)| s.id == id)
    }
}
