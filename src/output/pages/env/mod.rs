//! The environment a page model is built in: its language, its place in the site (links
//! are relative to it), the UI strings, and the only way page code reaches incidents and
//! the derived view — accessors that record what the page read ([`super::sources`]).
//! The primitive values (texts, times, states, phases) are made in [`primitives`].

use super::sources::{self, Reads, Recent, Source};
use crate::model::derive::availability::{self, Availability};
use crate::model::derive::{IncidentView, TimelineEntry, UpdateRef};
use crate::model::{IncidentRecord, Site, StateId, Text};
use crate::output::BuildContext;
use crate::render::strings::UiStrings;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::cell::Cell;
use std::collections::BTreeSet;
use std::sync::Arc;

mod primitives;
pub use primitives::{Formats, ValueCache};

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

    /// The active pinned notices, most severe first (not a source, as above).
    pub fn pinned_notices(&self) -> impl Iterator<Item = usize> + 'a {
        self.ctx.derived.pinned_notices(self.ctx.site)
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
