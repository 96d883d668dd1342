//! View helpers for templates: the JSON shapes of texts, times, states, updates and
//! links that every page template receives. Templates get derived values, never raw YAML.

use super::BuildContext;
use crate::model::derive::{EntrySource, TimelineEntry, UpdateRef};
use crate::model::{IncidentKind, Resolved, Text};
use crate::render::escape::escape_html;
use crate::render::theme::Strings;
use chrono::format::{Item, StrftimeItems};

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;

/// A JSON object from `"key": value` pairs that takes ownership of its values. `json!`
/// serialises its arguments, which deep-copies every nested `Value` it is given; pages
/// nest fragments several levels deep, and those copies were a third of the build.
macro_rules! obj {
    ($($k:literal : $v:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut m = serde_json::Map::new();
        $( m.insert(String::from($k), serde_json::Value::from($v)); )*
        serde_json::Value::Object(m)
    }};
}
pub(crate) use obj;

/// Date patterns of one language, parsed once: `{month}` substituted for each month.
/// Parsing a pattern costs more than formatting with it, and a site formats hundreds of
/// thousands of times with a handful of patterns.
pub struct Formats {
    /// (key, items per month); `None`: the pattern is broken.
    patterns: Vec<(&'static str, Vec<Option<Vec<Item<'static>>>>)>,
}

/// The pattern keys pages use.
const FORMAT_KEYS: [&str; 3] = ["date_time", "date", "month_year"];

impl Formats {
    pub fn new(strings: &Strings) -> Formats {
        let month = |m: usize| {
            strings
                .get("months")
                .and_then(|ms| ms.get(m))
                .and_then(Value::as_str)
                .unwrap_or("")
                .replace('%', "%%")
        };
        let patterns = FORMAT_KEYS
            .iter()
            .map(|&key| {
                let raw = strings.get(key).and_then(Value::as_str).unwrap_or(key);
                let per_month = (0..12)
                    .map(|m| StrftimeItems::new(&raw.replace("{month}", &month(m))).parse_to_owned().ok())
                    .collect();
                (key, per_month)
            })
            .collect();
        Formats { patterns }
    }
}

/// Values that come out the same wherever they appear (a state, a name or title, a time
/// in one language), built once per render thread and then cloned: an incident's title,
/// the states and times of its updates and the names of its services recur on its page,
/// in every update, on service and archive pages. Building them costs hashing the whole
/// source text, date formatting and label look-ups; a clone costs only the copy.
#[derive(Default)]
pub struct ViewCache {
    /// Per language index.
    langs: RefCell<Vec<LangCache>>,
    /// Whether a text with a highlighted code block went into the page being built, so
    /// that it links the highlighting stylesheet: noted where texts become values, which
    /// is cheaper than searching every string of the finished page data.
    code_shown: std::cell::Cell<bool>,
}

#[derive(Default)]
struct LangCache {
    states: HashMap<String, Value>,
    times: HashMap<DateTime<Utc>, Value>,
    /// Keyed by the address of the [`Text`], which is cheap to hash (the text cache of
    /// the build context hashes the whole source); the entry keeps what the value was
    /// built from, and is used only if that still matches, so a text that a later one
    /// replaced at the same address can never be served.
    texts: HashMap<usize, (Resolved, Value)>,
}

/// Entries per map and language before a map starts over, so that memory stays bounded
/// on very large sites.
const CACHE_LIMIT: usize = 1 << 12;

fn insert_bounded<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, key: K, value: V) {
    if map.len() >= CACHE_LIMIT {
        map.clear();
    }
    map.insert(key, value);
}

impl ViewCache {
    /// Note that `html` went into the page being built.
    pub fn note_code(&self, html: &str) {
        if has_code_marker(html) {
            self.code_shown.set(true);
        }
    }

    /// Whether code went into the page since the last call.
    pub fn take_code_shown(&self) -> bool {
        self.code_shown.replace(false)
    }

    /// `read` of the cached value for `lang`, or of `make()` (cached for next time):
    /// reading one field is cheaper than a copy of the whole value. Never panics on
    /// re-entry: a cache that is busy is simply bypassed.
    fn get_or<K, Q, R>(
        &self,
        lang: usize,
        map: fn(&mut LangCache) -> &mut HashMap<K, Value>,
        key: &Q,
        make: impl FnOnce() -> Value,
        read: impl FnOnce(&Value) -> R,
    ) -> R
    where
        K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
        Q: ToOwned<Owned = K> + std::hash::Hash + Eq + ?Sized,
    {
        if let Ok(mut langs) = self.langs.try_borrow_mut() {
            if let Some(v) = langs.get_mut(lang).and_then(|l| map(l).get(key)) {
                return read(v);
            }
        }
        let v = make();
        let out = read(&v);
        self.with_lang(lang, |l| insert_bounded(map(l), key.to_owned(), v));
        out
    }

    /// Run `f` on the cache of `lang` (created if need be), unless the cache is busy.
    fn with_lang(&self, lang: usize, f: impl FnOnce(&mut LangCache)) {
        if let Ok(mut langs) = self.langs.try_borrow_mut() {
            if langs.len() <= lang {
                langs.resize_with(lang + 1, LangCache::default);
            }
            if let Some(l) = langs.get_mut(lang) {
                f(l);
            }
        }
    }
}

/// Which timeline entries carry their text. A service's page (90 days) shows every text;
/// its year pages are an index of state changes, where an incident's entry links to the
/// update on the incident page instead of repeating its words: a busy service's year held
/// 150–230 KB, mostly copies of incident texts, on pages read on phones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineTexts {
    All,
    /// The service's own updates only, which have no other page.
    OwnOnly,
}

/// Everything that depends on the page's language and position.
pub struct PageEnv<'a> {
    pub ctx: &'a BuildContext<'a>,
    pub lang: usize,
    pub strings: &'a Strings,
    /// Strings of every configured language (by language index), for language names.
    pub all_strings: &'a [Strings],
    /// Relative prefix from this page to the site root, e.g. `../../` (or `./`).
    pub root: String,
    /// This language's date patterns.
    pub formats: &'a Formats,
    /// Values built before on this thread.
    pub cache: &'a ViewCache,
}

impl<'a> PageEnv<'a> {
    /// The same language, for the page at site path `path` (links become relative to it).
    pub fn at(&self, path: &str) -> PageEnv<'a> {
        let depth = format!("{}{}", self.ctx.lang_prefix(self.lang), path).matches('/').count();
        let root = if depth == 0 { "./".to_string() } else { "../".repeat(depth) };
        PageEnv {
            ctx: self.ctx,
            lang: self.lang,
            strings: self.strings,
            all_strings: self.all_strings,
            root,
            formats: self.formats,
            cache: self.cache,
        }
    }

    pub fn s(&self, key: &str) -> String {
        self.strings.get(key).and_then(Value::as_str).unwrap_or(key).to_string()
    }

    pub fn lang_code(&self) -> &str {
        &self.ctx.languages()[self.lang]
    }

    /// Relative link to a site path in this page's language (`services/x/` → `../../en/services/x/`).
    pub fn href(&self, path: &str) -> String {
        format!("{}{}{}", self.root, self.ctx.lang_prefix(self.lang), path)
    }

    /// Relative link to a path that exists only once (static files, the badge).
    pub fn href_shared(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }

    /// A text as {html, plain, lang, fallback, note, block}: fallback texts carry their
    /// real language; `block` is [`Self::text_block`].
    pub fn text(&self, text: &Text) -> Value {
        let (html, note, mut m) = self.text_fields(text);
        let block = block_html(text.get(self.lang), &html, &note);
        m.insert("html".into(), Value::String(html));
        m.insert("note".into(), Value::String(note));
        m.insert("block".into(), Value::String(block));
        Value::Object(m)
    }

    /// A text's HTML in its `<div class="text">`, with the language and the note when it
    /// is a fallback.
    pub fn text_block(&self, text: &Text) -> String {
        let r = text.get(self.lang);
        let html = self.ctx.html(text, self.lang);
        self.cache.note_code(&html);
        let note = if r.fallback { self.only_in(&r.lang) } else { String::new() };
        block_html(r, &html, &note)
    }

    /// What texts and titles share: their HTML and note (returned apart, for the caller to
    /// use before it moves them in), and the plain text, language and fallback flag.
    fn text_fields(&self, text: &Text) -> (String, String, Map<String, Value>) {
        let r = text.get(self.lang);
        let html = self.ctx.html(text, self.lang);
        self.cache.note_code(&html);
        let note = if r.fallback { self.only_in(&r.lang) } else { String::new() };
        let mut m = Map::new();
        m.insert("plain".into(), Value::String(self.ctx.plain(text, self.lang)));
        m.insert("lang".into(), Value::from(r.lang.as_str()));
        m.insert("fallback".into(), Value::Bool(r.fallback));
        (html, note, m)
    }

    /// A name or title as {html, plain, lang, fallback, note, inline}: `inline` is the
    /// HTML, in a `<span lang>` when it is a fallback. Names and titles recur on many pages
    /// and in every update and timeline entry, so they are built once per thread, then
    /// cloned. (Update texts and descriptions rarely recur; caching them would cost more
    /// copies than it saves.)
    pub fn title(&self, text: &Text) -> Value {
        let r = text.get(self.lang);
        let key = text as *const Text as usize;
        if let Ok(langs) = self.cache.langs.try_borrow() {
            if let Some((from, v)) = langs.get(self.lang).and_then(|l| l.texts.get(&key)) {
                if from == r {
                    self.cache.note_code(v.get("html").and_then(Value::as_str).unwrap_or(""));
                    return v.clone();
                }
            }
        }
        let (html, note, mut m) = self.text_fields(text);
        m.insert("inline".into(), Value::String(inline_html(r, &html)));
        m.insert("html".into(), Value::String(html));
        m.insert("note".into(), Value::String(note));
        let v = Value::Object(m);
        self.cache.with_lang(self.lang, |l| insert_bounded(&mut l.texts, key, (r.clone(), v.clone())));
        v
    }

    /// The `inline` HTML of [`Self::title`]. Made afresh rather than through the cache of
    /// title values: on a miss that builds the whole value, and `serve` starts every
    /// render with empty caches (an archive page of 1,000 titles was a tenth of an edit).
    pub fn title_inline(&self, text: &Text) -> String {
        let html = self.ctx.html(text, self.lang);
        self.cache.note_code(&html);
        inline_html(text.get(self.lang), &html)
    }

    /// "Only available in Deutsch." for a text shown in another language.
    pub fn only_in(&self, lang: &str) -> String {
        let idx = self.ctx.languages().iter().position(|l| l == lang);
        let name = idx
            .and_then(|i| self.all_strings.get(i))
            .and_then(|s| s.get("language_name"))
            .and_then(Value::as_str)
            .unwrap_or(lang)
            .to_string();
        self.s("only_in").replace("{language}", &name)
    }

    /// A time as {iso, text, date, html}: machine-readable, in this language's format,
    /// and as the `<time>` element of both.
    pub fn time(&self, t: DateTime<Utc>) -> Value {
        self.time_with(t, Value::clone)
    }

    /// The `html` of [`Self::time`]: the `<time>` element.
    pub fn time_html(&self, t: DateTime<Utc>) -> String {
        self.time_with(t, |v| field(Some(v), "html").to_string())
    }

    fn time_with<R>(&self, t: DateTime<Utc>, read: impl FnOnce(&Value) -> R) -> R {
        let make = || {
            let local = t.with_timezone(&self.ctx.site.config.timezone);
            let iso = local.to_rfc3339();
            let text = self.format_local(&local, "date_time");
            obj! {
                "html": time_element(&iso, &text),
                "iso": iso,
                "text": text,
                "date": self.format_local(&local, "date"),
            }
        };
        self.cache.get_or(self.lang, |l| &mut l.times, &t, make, read)
    }

    /// A time as {iso, date, html}, for long lists that show only the day.
    pub fn date(&self, t: DateTime<Utc>) -> Value {
        let (iso, date) = self.iso_and_date(t);
        obj! {
            "html": time_element(&iso, &date),
            "iso": iso,
            "date": date,
        }
    }

    /// The `html` of [`Self::date`].
    pub fn date_html(&self, t: DateTime<Utc>) -> String {
        let (iso, date) = self.iso_and_date(t);
        time_element(&iso, &date)
    }

    fn iso_and_date(&self, t: DateTime<Utc>) -> (String, String) {
        let local = t.with_timezone(&self.ctx.site.config.timezone);
        (local.to_rfc3339(), self.format_local(&local, "date"))
    }

    pub fn opt_time(&self, t: Option<DateTime<Utc>>) -> Value {
        t.map(|t| self.time(t)).unwrap_or(Value::Null)
    }

    /// Format with the theme's pattern for `key`; a broken pattern falls back to ISO.
    pub fn format(&self, t: DateTime<Utc>, key: &str) -> String {
        self.format_local(&t.with_timezone(&self.ctx.site.config.timezone), key)
    }

    fn format_local(&self, local: &DateTime<Tz>, key: &str) -> String {
        let mut out = String::with_capacity(32);
        let ok = match self.formats.patterns.iter().find(|(k, _)| *k == key) {
            Some((_, per_month)) => per_month
                .get(local.month0() as usize)
                .and_then(Option::as_ref)
                .is_some_and(|items| write!(out, "{}", local.format_with_items(items.iter())).is_ok()),
            // Pages use only the keys of `FORMAT_KEYS`; anything else gets the ISO form.
            None => false,
        };
        if !ok {
            out.clear();
            let _ = write!(out, "{}", local.format("%Y-%m-%d %H:%M"));
        }
        out
    }

    pub fn state(&self, id: &str) -> Value {
        self.state_with(id, Value::clone)
    }

    /// `read` of [`Self::state`], without copying the whole value.
    pub fn state_with<R>(&self, id: &str, read: impl FnOnce(&Value) -> R) -> R {
        let make = || {
            let states = &self.ctx.site.states;
            let (severity, icon, color) = states
                .get(id)
                .map(|s| (s.severity, s.band().icon(), s.color.as_str()))
                .unwrap_or((0, "?", "#555555"));
            let label = self.ctx.state_label(id, self.lang);
            let class = severity_class(severity, id);
            obj! {
                "html": format!(
                    "<span class=\"state {class}\"><span class=\"icon\" aria-hidden=\"true\">{}</span> {}</span>",
                    escape_html(icon),
                    escape_html(&label)
                ),
                "id": id,
                "label": label,
                "icon": icon,
                "severity": severity,
                "color": color,
                "class": class,
            }
        };
        self.cache.get_or(self.lang, |l| &mut l.states, id, make, read)
    }

    /// Append the `html` of [`Self::state`] (the badge) to `out`.
    pub fn push_state_html(&self, id: &str, out: &mut String) {
        self.state_with(id, |v| out.push_str(field(Some(v), "html")));
    }

    /// The UI string `key` with `{year}` filled in.
    pub fn s_year(&self, key: &str, y: i32) -> String {
        self.s(key).replace("{year}", &y.to_string())
    }

    /// "Incident" or "Maintenance".
    pub fn kind_label(&self, kind: IncidentKind) -> String {
        self.s(match kind {
            IncidentKind::Incident => "kind_incident",
            IncidentKind::Maintenance => "kind_maintenance",
        })
    }

    pub fn phase(&self, phase: crate::model::Phase) -> String {
        self.s(&format!("phase_{phase}"))
    }

    /// Human duration: "3 Tage 4 Std." / "45 min".
    pub fn duration(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
        let mins = (to - from).num_minutes().max(0);
        let (d, h, m) = (mins / 1440, (mins % 1440) / 60, mins % 60);
        let mut parts = Vec::new();
        if d > 0 {
            parts.push(format!("{d} {}", if d == 1 { self.s("day") } else { self.s("days") }));
        }
        if h > 0 {
            parts.push(format!("{h} {}", self.s("hours")));
        }
        if d == 0 && (m > 0 || h == 0) {
            parts.push(format!("{m} {}", self.s("minutes")));
        }
        parts.join(" ")
    }

    /// A published update anywhere on the site, for lists and the front page.
    pub fn update(&self, u: UpdateRef) -> Value {
        let site = self.ctx.site;
        match u {
            UpdateRef::Service { service, update } => {
                let svc = &site.services[service];
                let up = &svc.updates[update];
                obj! {
                    "anchor": self.ctx.derived.services[service].own_anchors[update].as_str(),
                    "href": self.href(&self.ctx.update_path(u)),
                    "time": self.time(up.at),
                    "subject": self.title(&svc.name),
                    "state": self.state(&up.status),
                    "phase": Value::Null,
                    "text": up.text.as_ref().map(|t| self.text(t)),
                }
            }
            UpdateRef::Incident { incident, update } => {
                let inc = &site.incidents[incident];
                let up = &inc.updates[update];
                obj! {
                    "anchor": self.ctx.site.incidents[incident].updates[update].anchor.as_str(),
                    "href": self.href(&self.ctx.update_path(u)),
                    "time": self.time(up.at),
                    "subject": self.title(&inc.title),
                    "state": Value::Null,
                    "phase": self.phase(up.phase),
                    "text": up.text.as_ref().map(|t| self.text(t)),
                    "changes": self.changes(&up.set),
                }
            }
        }
    }

    /// `set:` of an incident update as [{name, href, state}].
    pub fn changes(&self, set: &[(String, crate::model::StateId)]) -> Value {
        Value::Array(
            set.iter()
                .filter_map(|(svc, st)| {
                    let s = self.ctx.site.service(svc)?;
                    Some(obj! {
                        "name": self.title(&s.name),
                        "href": self.href(&format!("services/{}/", s.id)),
                        "state": self.state(st),
                    })
                })
                .collect(),
        )
    }

    /// One entry of a service's timeline; incident entries link to their incident, and
    /// carry the text of their update only with [`TimelineTexts::All`].
    pub fn timeline_entry(&self, service: usize, e: &TimelineEntry, texts: TimelineTexts) -> Value {
        let site = self.ctx.site;
        let mut entry = match e.source {
            EntrySource::Own { .. } => obj! {
                "anchor": e.anchor.as_str(),
                "time": self.time(e.at),
                "state": self.state(&e.state),
                "text": self.own_text(service, e).map(|t| self.text(t)),
                "incident": Value::Null,
            },
            EntrySource::Incident { incident, update } => {
                let inc = &site.incidents[incident];
                let up = &inc.updates[update];
                obj! {
                    "anchor": format!("{}-{}", inc.id, e.anchor),
                    "time": self.time(e.at),
                    "state": self.state(&e.state),
                    "text": up.text.as_ref().filter(|_| texts == TimelineTexts::All).map(|t| self.text(t)),
                    "incident": obj! {
                        "title": self.title(&inc.title),
                        "href": self.href(&format!("incidents/{}/#{}", inc.id, e.anchor)),
                        "phase": self.phase(up.phase),
                    },
                }
            }
        };
        if let Value::Object(map) = &mut entry {
            map.insert("html".into(), Value::String(self.timeline_entry_html(service, e, texts)));
        }
        entry
    }

    /// The text of the service's own update behind entry `e`.
    fn own_text(&self, service: usize, e: &TimelineEntry) -> Option<&'a Text> {
        let site = self.ctx.site;
        site.services[service]
            .updates
            .iter()
            .zip(&self.ctx.derived.services[service].own_anchors)
            .find(|(_, a)| **a == e.anchor)
            .and_then(|(u, _)| u.text.as_ref())
    }

    /// The default theme's `<li>` of a timeline entry, made from the model like the `html`
    /// forms of times and states: a service's year holds hundreds of entries, and as
    /// template code each cost eight lookups.
    pub fn timeline_entry_html(&self, service: usize, e: &TimelineEntry, texts: TimelineTexts) -> String {
        let site = self.ctx.site;
        let (anchor, text, via) = match e.source {
            EntrySource::Own { .. } => (escape_html(&e.anchor), self.own_text(service, e), None),
            EntrySource::Incident { incident, update } => {
                let inc = &site.incidents[incident];
                let up = &inc.updates[update];
                let text = up.text.as_ref().filter(|_| texts == TimelineTexts::All);
                (escape_html(&format!("{}-{}", inc.id, e.anchor)), text, Some((inc, up)))
            }
        };
        let mut html = format!(
            "<li class=\"update\" id=\"{anchor}\">\n<p class=\"update-head\">{} · ",
            self.time_html(e.at)
        );
        self.push_state_html(&e.state, &mut html);
        if let Some((inc, up)) = via {
            let _ = write!(
                html,
                " · {} <a href=\"{}\">{}</a> ({})",
                escape_html(&self.s("via_incident")),
                escape_html(&self.href(&format!("incidents/{}/#{}", inc.id, e.anchor))),
                self.title_inline(&inc.title),
                escape_html(&self.phase(up.phase))
            );
        }
        html.push_str("</p>\n");
        if let Some(text) = text {
            html.push_str(&self.text_block(text));
        }
        html.push_str("</li>");
        html
    }

    /// The default theme's `<li>` of update `update` on the page of incident `incident`,
    /// made from the model, like the `html` forms of times and states (see
    /// [`Self::timeline_entry_html`]).
    pub fn incident_update_html(&self, incident: usize, update: usize) -> String {
        let inc = &self.ctx.site.incidents[incident];
        let up = &inc.updates[update];
        let mut html = format!(
            "<li class=\"update\" id=\"{}\">\n  <p class=\"update-head\">{}\n  ",
            escape_html(&up.anchor),
            self.time_html(up.at)
        );
        let phase = self.phase(up.phase);
        if !phase.is_empty() {
            let _ = write!(html, " · <span class=\"phase\">{}</span>", escape_html(&phase));
        }
        html.push_str("</p>\n  ");
        if let Some(text) = &up.text {
            html.push_str(&self.text_block(text));
        }
        html.push_str("\n  ");
        let mut changes =
            up.set.iter().filter_map(|(svc, st)| Some((self.ctx.site.service(svc)?, st))).peekable();
        if changes.peek().is_some() {
            let _ =
                write!(html, "<ul class=\"changes\" aria-label=\"{}\">", escape_html(&self.s("set_state")));
            for (svc, st) in changes {
                let _ = write!(
                    html,
                    "<li><a href=\"{}\">{}</a>: ",
                    escape_html(&self.href(&format!("services/{}/", svc.id))),
                    self.title_inline(&svc.name),
                );
                self.push_state_html(st, &mut html);
                html.push_str("</li>");
            }
            html.push_str("</ul>");
        }
        html.push_str("\n</li>");
        html
    }

    /// An incident or maintenance for long lists (archive, service pages): no update text.
    pub fn incident_brief(&self, i: usize) -> Value {
        let mut brief = self.brief_map(i);
        brief.insert("html".into(), Value::String(self.incident_brief_html(i)));
        Value::Object(brief)
    }

    /// The default theme's line for incident `i` in those lists, made from the model (see
    /// [`Self::timeline_entry_html`]).
    pub fn incident_brief_html(&self, i: usize) -> String {
        let inc = &self.ctx.site.incidents[i];
        let view = &self.ctx.derived.incidents[i];
        let mut html = format!(
            "<a href=\"{}\">{}</a> · {} · {}",
            escape_html(&self.href(&format!("incidents/{}/", inc.id))),
            self.title_inline(&inc.title),
            escape_html(&self.kind_label(inc.kind)),
            escape_html(&self.phase(view.phase))
        );
        if let Some(started) = view.started {
            let _ = write!(html, " · {}", self.date_html(started));
        }
        html
    }

    fn brief_map(&self, i: usize) -> Map<String, Value> {
        let inc = &self.ctx.site.incidents[i];
        let view = &self.ctx.derived.incidents[i];
        let v = obj! {
            "id": inc.id.as_str(),
            "href": self.href(&format!("incidents/{}/", inc.id)),
            "title": self.title(&inc.title),
            "kind": inc.kind.as_str(),
            "kind_label": self.kind_label(inc.kind),
            "phase_label": self.phase(view.phase),
            "impact": view.impact.as_deref().map(|s| self.state(s)),
            // Lists show the day only; cards (`incident_summary`) the time too.
            "started": view.started.map(|t| self.date(t)),
        };
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    /// An incident or maintenance for cards: the brief, plus phase id, open flag, end,
    /// maintenance window and the latest update.
    pub fn incident_summary(&self, i: usize) -> Value {
        let latest = self.ctx.derived.incidents[i]
            .published
            .checked_sub(1)
            .map(|u| self.update(UpdateRef::Incident { incident: i, update: u }));
        self.incident_summary_with(i, latest)
    }

    /// [`Self::incident_summary`] with its latest update given: an incident's own page has
    /// built it already, as the first of its updates.
    pub fn incident_summary_with(&self, i: usize, latest: Option<Value>) -> Value {
        let inc = &self.ctx.site.incidents[i];
        let view = &self.ctx.derived.incidents[i];
        let mut map = self.brief_map(i);
        map.insert("started".into(), self.opt_time(view.started));
        map.insert("phase".into(), Value::from(view.phase.as_str()));
        map.insert("open".into(), Value::Bool(view.open));
        map.insert("ended".into(), self.opt_time(view.ended));
        map.insert(
            "window".into(),
            Value::from(inc.scheduled.map(|w| obj! {"from": self.time(w.from), "until": self.time(w.until)})),
        );
        map.insert("latest".into(), Value::from(latest));
        Value::Object(map)
    }
}

/// The string `key` of the object `v`, or "".
pub(super) fn field<'v>(v: Option<&'v Value>, key: &str) -> &'v str {
    v.and_then(|v| v.get(key)).and_then(Value::as_str).unwrap_or("")
}

/// `s.contains(CODE_BLOCK_START)`, without setting up a substring search: most texts hold
/// no `<` at all.
fn has_code_marker(s: &str) -> bool {
    const MARKER: &str = crate::render::highlight::CODE_BLOCK_START;
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with(MARKER) {
            return true;
        }
        rest = &rest[1..];
    }
    false
}

/// A name's or title's HTML, in a `<span lang>` when it is a fallback.
fn inline_html(r: &Resolved, html: &str) -> String {
    if r.fallback {
        format!("<span lang=\"{}\">{html}</span>", escape_html(&r.lang))
    } else {
        html.to_string()
    }
}

/// A text's HTML in its `<div class="text">`; a fallback names its language and carries
/// `note`.
fn block_html(r: &Resolved, html: &str, note: &str) -> String {
    if r.fallback {
        format!(
            "<div class=\"text\" lang=\"{}\">{html}<p class=\"fallback-note\">{}</p></div>",
            escape_html(&r.lang),
            escape_html(note)
        )
    } else {
        format!("<div class=\"text\">{html}</div>")
    }
}

/// `<time datetime="…">…</time>`, escaped as the templates escape.
fn time_element(iso: &str, shown: &str) -> String {
    format!("<time datetime=\"{}\">{}</time>", escape_html(iso), escape_html(shown))
}

/// CSS class for a severity band, so custom states get a matching look.
pub fn severity_class(severity: u8, id: &str) -> &'static str {
    match (id, severity) {
        ("maintenance", _) => "st-maintenance",
        (_, 0) => "st-ok",
        (_, 1..=39) => "st-minor",
        (_, 40..=69) => "st-partial",
        _ => "st-major",
    }
}
