//! The HTML pages of OUTPUTS.md in every language, plus `404.html`, the sitemap,
//! `robots.txt` and the theme's static files. Each page ([`Unit`]) gets its own `page`
//! and `data` values and one template, beside `t` and `site`, which are shared by the
//! pages of a language and folder depth; pages render in parallel. Incident, service
//! year and archive year pages of the default theme are written by [`super::native`]
//! instead, unless the site's theme overrides their templates.

use super::native;
use super::view::obj;
use super::view::{Formats, PageEnv, TimelineTexts, ViewCache};
use super::{BuildContext, OutputFile, HISTORY_DAYS};
use crate::build::BuildError;
use crate::model::derive::{ServiceView, UpdateRef};
use crate::model::{IncidentKind, LinkTarget};
use crate::render::escape::escape_html;
use crate::render::highlight;
use crate::render::markdown::render_document;
use crate::render::theme::{Strings, Theme};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Newest updates on the front page; older ones live on service and incident pages.
pub const FRONT_PAGE_UPDATES: usize = 10;

/// One page to render: where it goes, which template, and its page-specific context.
struct PageJob {
    lang: usize,
    /// Site path without language prefix, e.g. `services/exchange/` (`""` = front page).
    path: String,
    template: &'static str,
    title: String,
    data: Value,
    has_code: bool,
    /// When this page's own content last changed: what its "last updated" line says.
    /// Page-specific on purpose, so that one new update does not change every page.
    updated: Option<DateTime<Utc>>,
}

pub fn theme_error(e: crate::render::theme::ThemeError) -> BuildError {
    BuildError::Render { path: "theme".into(), message: e.to_string() }
}

/// One page of the site in some language. Pages render independently, so `serve` can
/// render only the pages a change touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unit {
    Front,
    /// A service's page (the last 90 days).
    Service(usize),
    /// A service's history page of one year.
    ServiceYear(usize, i32),
    Incident(usize),
    /// The archive page of one year (`incidents/` for the current year).
    ArchiveYear(i32),
    GuideIndex,
    Guide(usize),
    Notice(usize),
}

/// Every unit of the site, for one language.
pub fn units(ctx: &BuildContext, lang: usize) -> Vec<(usize, Unit)> {
    let mut v = vec![(lang, Unit::Front)];
    let (now, tz) = (ctx.derived.now, ctx.site.config.timezone);
    for (i, view) in ctx.derived.services.iter().enumerate() {
        v.push((lang, Unit::Service(i)));
        v.extend(service_years(view, now, tz).into_iter().map(|y| (lang, Unit::ServiceYear(i, y))));
    }
    v.extend((0..ctx.site.incidents.len()).map(|i| (lang, Unit::Incident(i))));
    v.extend(archive_years(ctx).into_iter().map(|y| (lang, Unit::ArchiveYear(y))));
    v.push((lang, Unit::GuideIndex));
    v.extend((0..ctx.site.guides.len()).map(|i| (lang, Unit::Guide(i))));
    v.extend((0..ctx.site.notices.len()).map(|i| (lang, Unit::Notice(i))));
    v
}

fn job_of(env: &PageEnv, unit: Unit) -> PageJob {
    match unit {
        Unit::Front => front_page(env),
        Unit::Service(i) => service_page(env, i),
        Unit::ServiceYear(i, y) => service_year_page(env, i, y),
        Unit::Incident(i) => incident_page(env, i),
        Unit::ArchiveYear(y) => archive_page(env, y),
        Unit::GuideIndex => guide_index(env),
        Unit::Guide(i) => guide_page(env, i),
        Unit::Notice(i) => notice_page(env, i),
    }
}

/// What rendering a set of units produced besides the files.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Site paths of the pages (without language prefix), sorted, each once.
    pub paths: Vec<String>,
    /// Some page has highlighted code (and links `highlight.css`).
    pub has_code: bool,
}

/// Render every page, and the files that go with them (`404.html`, sitemap, robots.txt,
/// the theme's static files), into `sink`.
pub fn render_all(ctx: &BuildContext, theme: &Theme, sink: &dyn super::Sink) -> Result<(), BuildError> {
    let all: Vec<(usize, Unit)> = (0..ctx.languages().len()).flat_map(|lang| units(ctx, lang)).collect();
    let rendered = render_units(ctx, theme, &all, sink)?;
    sink.put(not_found_page(ctx, theme)?)?;
    for f in super::sitemap::files(ctx, &rendered.paths) {
        sink.put(f)?;
    }
    sink.put(OutputFile::new(
        "robots.txt",
        format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", ctx.abs_url("sitemap.xml")),
    ))?;
    for (path, bytes) in &theme.static_files {
        sink.put(OutputFile::new(path.clone(), bytes.clone()))?;
    }
    if rendered.has_code {
        sink.put(OutputFile::new("highlight.css", highlight::stylesheet()))?;
    }
    for f in &ctx.site.static_files {
        let src = ctx.site.root.join("content/static").join(f);
        let bytes = std::fs::read(&src)
            .map_err(|e| BuildError::Render { path: src.display().to_string(), message: e.to_string() })?;
        sink.put(OutputFile::new(f.to_string_lossy().replace('\\', "/"), bytes))?;
    }
    Ok(())
}

/// Render the pages of `units` into `sink`, in parallel. A page's data is built, rendered
/// and dropped on one thread, so memory holds only the pages in flight.
pub fn render_units(
    ctx: &BuildContext,
    theme: &Theme,
    units: &[(usize, Unit)],
    sink: &dyn super::Sink,
) -> Result<Rendered, BuildError> {
    let strings: Vec<Strings> = ctx.languages().iter().map(|l| theme.strings(l)).collect();
    let formats: Vec<Formats> = strings.iter().map(Formats::new).collect();
    let has_code = std::sync::atomic::AtomicBool::new(false);
    let mut paths: Vec<String> = units
        .par_iter()
        .map_init(<(SharedContexts, ViewCache)>::default, |(shared, cache), &(lang, unit)| {
            let env = PageEnv {
                ctx,
                lang,
                strings: &strings[lang],
                all_strings: &strings,
                root: String::new(),
                formats: &formats[lang],
                cache,
            };
            cache.take_code_shown();
            if let Some(path) = native::site_path(ctx, theme, unit) {
                let env = env.at(&path);
                let file = file_path(ctx, lang, &path);
                let parts = shared.get(&env, theme, &file)?.get("shared");
                if let Some((html, code)) = native::page(&env, parts, unit, &path) {
                    if code {
                        has_code.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                    sink.put(OutputFile::new(file, html))?;
                    return Ok(path);
                }
            }
            let mut job = job_of(&env, unit);
            job.has_code = job.has_code || cache.take_code_shown();
            if job.has_code {
                has_code.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            let path = job.path.clone();
            sink.put(render_job(&env, theme, shared, job)?)?;
            Ok(path)
        })
        .collect::<Result<_, BuildError>>()?;
    paths.sort();
    paths.dedup();
    Ok(Rendered { paths, has_code: has_code.into_inner() })
}

/// Output file of a page: `en/services/x/index.html`.
fn file_path(ctx: &BuildContext, lang: usize, path: &str) -> String {
    format!("{}{}index.html", ctx.lang_prefix(lang), path)
}

/// Tera contexts that already hold what is the same on every page of one language at one
/// depth (`t`, `site`), keyed by (language, root prefix). A page only adds its own `page`
/// and `data` for the time it renders: copying the ~80 UI strings, the pinned notices and
/// the navigation into each of 20,000 contexts was a large part of the build.
#[derive(Default)]
struct SharedContexts {
    contexts: std::collections::HashMap<(usize, String), tera::Context>,
    /// Output size of the last page per template: the next one's buffer starts that large
    /// and rarely has to grow (year and archive pages are hundreds of KB).
    sizes: std::collections::HashMap<&'static str, usize>,
}

impl SharedContexts {
    /// The context for pages of `env`'s language and depth; `out_path` names the page
    /// that needs it, for errors.
    fn get(
        &mut self,
        env: &PageEnv,
        theme: &Theme,
        out_path: &str,
    ) -> Result<&mut tera::Context, BuildError> {
        Ok(match self.contexts.entry((env.lang, env.root.clone())) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => v.insert(site_context(env, theme, out_path)?),
        })
    }
}

fn render_job(
    env: &PageEnv,
    theme: &Theme,
    shared: &mut SharedContexts,
    job: PageJob,
) -> Result<OutputFile, BuildError> {
    let ctx = env.ctx;
    let env = env.at(&job.path);
    let page = page_value(&env, &job.path, &job.title, job.has_code, job.updated);
    let path = file_path(ctx, job.lang, &job.path);
    let size = shared.sizes.get(job.template).copied().unwrap_or(8192);
    let c = shared.get(&env, theme, &path)?;
    let html = render_with(theme, c, job.template, page, job.data, &path, size)?;
    shared.sizes.insert(job.template, html.len());
    Ok(OutputFile::new(path, html))
}

/// Render `template` with the shared context `c` plus this page's `page` and `data`, and
/// leave `c` as it was (also after an error), so the next page starts clean.
fn render_with(
    theme: &Theme,
    c: &mut tera::Context,
    template: &str,
    page: Value,
    data: Value,
    out_path: &str,
    size: usize,
) -> Result<Vec<u8>, BuildError> {
    let mut own = serde_json::Map::new();
    own.insert("page".into(), page);
    own.insert("data".into(), data);
    // from_value and extend move the JSON in; insert() would serialise a deep copy of it.
    let own = tera::Context::from_value(Value::Object(own))
        .map_err(|e| BuildError::Render { path: out_path.to_string(), message: e.to_string() })?;
    c.extend(own);
    // Straight into bytes, in a buffer about as large as the last page of this template.
    let mut html = Vec::with_capacity(size + size / 8);
    let result = theme.render_to(template, c, out_path, &mut html).map(|()| html).map_err(theme_error);
    c.remove("page");
    c.remove("data");
    result
}

/// What is the same on every page of one language at one depth: the UI strings as `t`,
/// as `site` the title, contact, navigation, feeds and pinned notices, and as `shared`
/// the theme's shared templates rendered with those two
/// ([`crate::render::theme::SHARED_PREFIX`]). `out_path` names the page that needed it
/// first, for errors.
fn site_context(env: &PageEnv, theme: &Theme, out_path: &str) -> Result<tera::Context, BuildError> {
    let ctx = env.ctx;
    let t: serde_json::Map<String, Value> = env.strings.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let pinned: Vec<Value> = ctx.derived.pinned_notices(ctx.site).map(|i| notice_summary(env, i)).collect();
    let site = obj! {
        "title": env.title(&ctx.site.config.title),
        "contact": ctx.site.config.contact.as_ref().map(|c| env.text(c)),
        "home": env.href(""),
        "pinned": pinned,
        "feeds": obj! {
            "rss": env.href("feed.xml"),
            "atom": env.href("atom.xml"),
            "ics": env.href_shared("maintenance.ics"),
            "api": env.href_shared("api/v2/summary.json"),
            "badge": env.href_shared("badge.svg"),
        },
        "nav": obj! {
            "home": env.href(""),
            "incidents": env.href("incidents/"),
            "guides": env.href("guides/"),
        },
    };
    let mut m = serde_json::Map::new();
    m.insert("t".into(), Value::Object(t));
    m.insert("site".into(), site);
    let mut c = tera::Context::from_value(Value::Object(m)).unwrap_or_default();
    let mut parts = serde_json::Map::new();
    for (key, template) in &theme.shared {
        let mut html = Vec::new();
        theme.render_to(template, &c, out_path, &mut html).map_err(theme_error)?;
        parts.insert(key.clone(), Value::String(String::from_utf8_lossy(&html).into_owned()));
    }
    c.insert("shared", &Value::Object(parts));
    Ok(c)
}

/// What the layout needs of a page besides its title and content: its twins in the
/// other languages, its URLs and its stylesheets.
pub(super) struct PageLinks<'s> {
    pub alternates: Vec<Alternate<'s>>,
    pub canonical: String,
    pub x_default: String,
    pub css: Vec<String>,
}

/// The page in one language.
pub(super) struct Alternate<'s> {
    pub lang: &'s str,
    /// The language's own name, e.g. "Deutsch".
    pub name: &'s str,
    /// Relative link from this page.
    pub href: String,
    pub abs: String,
    pub current: bool,
}

pub(super) fn page_links<'s>(env: &PageEnv<'s>, path: &str, has_code: bool) -> PageLinks<'s> {
    let ctx = env.ctx;
    let alternates = ctx
        .languages()
        .iter()
        .enumerate()
        .map(|(i, l)| Alternate {
            lang: l.as_str(),
            name: env.all_strings[i].get("language_name").and_then(Value::as_str).unwrap_or(l),
            href: format!("{}{}{}", env.root, ctx.lang_prefix(i), path),
            abs: ctx.abs_url(&format!("{}{}", ctx.lang_prefix(i), path)),
            current: i == env.lang,
        })
        .collect();
    let mut css = vec![env.href_shared("style.css")];
    if has_code {
        css.push(env.href_shared("highlight.css"));
    }
    PageLinks {
        alternates,
        canonical: ctx.abs_url(&format!("{}{}", ctx.lang_prefix(env.lang), path)),
        x_default: ctx.abs_url(path),
        css,
    }
}

/// What the layout needs of this page: language, twins, canonical URL, "last updated".
/// The parts every page shares are in [`site_context`].
fn page_value(
    env: &PageEnv,
    path: &str,
    title: &str,
    has_code: bool,
    updated: Option<DateTime<Utc>>,
) -> Value {
    let links = page_links(env, path, has_code);
    let alternates: Vec<Value> = links
        .alternates
        .into_iter()
        .map(|a| {
            obj! {
                "lang": a.lang,
                "name": a.name,
                "href": a.href,
                "abs": a.abs,
                "current": a.current,
            }
        })
        .collect();
    obj! {
        "lang": env.lang_code(),
        "root": env.root.as_str(),
        "path": path,
        "title": title,
        "canonical": links.canonical,
        "x_default": links.x_default,
        "alternates": alternates,
        "last_updated": env.opt_time(updated),
        "css": links.css,
    }
}

fn notice_summary(env: &PageEnv, i: usize) -> Value {
    let ctx = env.ctx;
    let n = &ctx.site.notices[i];
    let Some(doc) = n.doc_for(env.lang_code(), ctx.site.default_lang()) else { return Value::Null };
    let doc_index = n.docs.iter().position(|d| std::ptr::eq(d, doc)).unwrap_or(0);
    let fallback = doc.lang != env.lang_code();
    env.cache.note_code(ctx.notice_html(i, doc_index));
    obj! {
        "id": n.id.as_str(),
        "href": env.href(&format!("notices/{}/", n.id)),
        "title": doc.title.as_str(),
        "level": n.level.as_str(),
        "level_label": env.s(&format!("level_{}", n.level.as_str())),
        "html": ctx.notice_html(i, doc_index),
        "lang": doc.lang.as_str(),
        "fallback": fallback,
        "note": if fallback { env.only_in(&doc.lang) } else { String::new() },
        "from": env.opt_time(n.from),
        "until": env.opt_time(n.until),
    }
}

fn service_summary(env: &PageEnv, i: usize) -> Value {
    let ctx = env.ctx;
    let s = &ctx.site.services[i];
    let v = &ctx.derived.services[i];
    obj! {
        "id": s.id.as_str(),
        "href": env.href(&format!("services/{}/", s.id)),
        "name": env.title(&s.name),
        "description": s.description.as_ref().map(|d| env.text(d)),
        "state": env.state(&v.current),
        "since": env.opt_time(v.since),
    }
}

fn guide_summary(env: &PageEnv, i: usize) -> Value {
    let ctx = env.ctx;
    let g = &ctx.site.guides[i];
    let Some(di) = g.doc_index(env.lang_code(), ctx.site.default_lang()) else { return Value::Null };
    let doc = &g.docs[di];
    let fallback = doc.lang != env.lang_code();
    obj! {
        "slug": g.slug.as_str(),
        "href": env.href(&format!("guides/{}/", g.slug)),
        "title": doc.title.as_str(),
        "summary": g.summaries.get(di).cloned().flatten(),
        "lang": doc.lang.as_str(),
        "fallback": fallback,
        "note": if fallback { env.only_in(&doc.lang) } else { String::new() },
    }
}

fn front_page(env: &PageEnv) -> PageJob {
    let env = &env.at("");
    let ctx = env.ctx;
    let d = ctx.derived;
    let mut groups: Vec<Value> = ctx
        .site
        .config
        .groups
        .iter()
        .map(|g| {
            let services: Vec<Value> = (0..ctx.site.services.len())
                .filter(|&i| ctx.site.services[i].group.as_deref() == Some(g.id.as_str()))
                .map(|i| service_summary(env, i))
                .collect();
            obj! {"id": g.id.as_str(), "name": env.title(&g.name), "services": services}
        })
        .filter(|g| g["services"].as_array().is_some_and(|a| !a.is_empty()))
        .collect();
    let ungrouped: Vec<Value> = (0..ctx.site.services.len())
        .filter(|&i| ctx.site.services[i].group.is_none())
        .map(|i| service_summary(env, i))
        .collect();
    if !ungrouped.is_empty() {
        let name = if groups.is_empty() { env.s("services") } else { env.s("other_services") };
        groups.push(obj! {"id": "other", "name": obj! {"html": name.as_str(), "plain": name.as_str(), "lang": env.lang_code(), "fallback": false, "note": ""}, "services": ungrouped});
    }
    let newest: Vec<Value> = d.updates.iter().take(FRONT_PAGE_UPDATES).map(|(_, u)| env.update(*u)).collect();
    let notices: Vec<Value> = d
        .active_notices
        .iter()
        .filter(|&&i| !ctx.site.notices[i].pinned)
        .map(|&i| notice_summary(env, i))
        .collect();
    let data = obj! {
        "overall": env.state(&d.overall),
        "open_incidents": d.open_incidents.iter().map(|&i| env.incident_summary(i)).collect::<Vec<_>>(),
        "active_maintenance": d.active_maintenance.iter().map(|&i| env.incident_summary(i)).collect::<Vec<_>>(),
        "upcoming_maintenance": d.upcoming_maintenance.iter().map(|&i| env.incident_summary(i)).collect::<Vec<_>>(),
        "groups": groups,
        "newest": newest,
        "notices": notices,
        "guides": (0..ctx.site.guides.len()).map(|i| guide_summary(env, i)).collect::<Vec<_>>(),
    };
    let title = env.title(&ctx.site.config.title)["plain"].as_str().unwrap_or("").to_string();
    PageJob {
        lang: env.lang,
        path: String::new(),
        template: "index.html",
        title,
        data,
        has_code: false,
        updated: d.last_updated,
    }
}

/// The day-by-day strip of the last 90 days as `{html, runs}`: a square per day in its
/// worst state (the default theme's markup), and the runs of equal days, which are the
/// text alternative and all a theme needs to draw the strip its own way.
fn history_strip(env: &PageEnv, i: usize) -> Value {
    let ctx = env.ctx;
    let tz = ctx.site.config.timezone;
    let timeline = &ctx.derived.services[i].timeline;
    let today = ctx.derived.now.with_timezone(&tz).date_naive();
    let day_start = |d: NaiveDate| -> DateTime<Utc> {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default()))
    };
    let states = &ctx.site.states;
    // (the day as the theme formats it, its worst state)
    let mut days = Vec::new();
    let mut idx = 0;
    let mut current = crate::model::StateId::operational();
    let first = today - Duration::days(HISTORY_DAYS - 1);
    let start = day_start(first);
    while idx < timeline.len() && timeline[idx].at < start {
        current = timeline[idx].state.clone();
        idx += 1;
    }
    // Each day starts where the one before ended.
    let mut begin = start;
    for n in 0..HISTORY_DAYS {
        let end = day_start(first + Duration::days(n + 1));
        let mut worst = current.clone();
        while idx < timeline.len() && timeline[idx].at < end {
            current = timeline[idx].state.clone();
            worst = states.worse(&worst, &current).clone();
            idx += 1;
        }
        days.push((env.format(begin, "date"), worst));
        begin = end;
    }
    // The squares are the default theme's markup made here (like the `html` forms of
    // states and times): as a template loop they were 90 iterations of three lookups and a
    // state value each, on every service page.
    let mut runs: Vec<Value> = Vec::new();
    let mut squares = String::with_capacity(days.len() * 80);
    let mut k = 0;
    while k < days.len() {
        let mut j = k;
        while j + 1 < days.len() && days[j + 1].1 == days[k].1 {
            j += 1;
        }
        let state = env.state(&days[k].1);
        let class = escape_html(state["class"].as_str().unwrap_or(""));
        let label = escape_html(state["label"].as_str().unwrap_or(""));
        for (date, _) in &days[k..=j] {
            let _ =
                write!(squares, "<span class=\"{class}\" title=\"{}: {label}\"></span>", escape_html(date));
        }
        runs.push(obj! {
            "from": days[k].0.as_str(),
            "to": days[j].0.as_str(),
            "days": j - k + 1,
            "state": state,
        });
        k = j + 1;
    }
    obj! {
        "html": squares,
        "runs": runs,
    }
}

/// Years with a history page for a service: those of its timeline entries older than the
/// 90 days its own page shows.
pub fn service_years(view: &ServiceView, now: DateTime<Utc>, tz: chrono_tz::Tz) -> BTreeSet<i32> {
    let cutoff = now - Duration::days(HISTORY_DAYS);
    view.timeline.iter().filter(|e| e.at < cutoff).map(|e| e.at.with_timezone(&tz).year()).collect()
}

/// When the year page `y` of service `i` last changed: its newest entry.
pub(super) fn service_year_updated(ctx: &BuildContext, i: usize, y: i32) -> Option<DateTime<Utc>> {
    ctx.derived.services[i].timeline.iter().rev().find(|e| year_of(ctx, e.at) == y).map(|e| e.at)
}

/// The year of `t` in the site's time zone: which year page or archive shows it.
pub(super) fn year_of(ctx: &BuildContext, t: DateTime<Utc>) -> i32 {
    t.with_timezone(&ctx.site.config.timezone).year()
}

/// Links to a service's year pages, newest first, relative to the page `env` is for.
fn year_links(env: &PageEnv, i: usize) -> Vec<Value> {
    let ctx = env.ctx;
    let id = &ctx.site.services[i].id;
    service_years(&ctx.derived.services[i], ctx.derived.now, ctx.site.config.timezone)
        .iter()
        .rev()
        .map(|y| obj! {"year": *y, "href": env.href(&format!("services/{id}/{y}/"))})
        .collect()
}

fn service_page(env: &PageEnv, i: usize) -> PageJob {
    let ctx = env.ctx;
    let s = &ctx.site.services[i];
    let env = &env.at(&format!("services/{}/", s.id));
    let v = &ctx.derived.services[i];
    let cutoff = ctx.derived.now - Duration::days(HISTORY_DAYS);
    let recent: Vec<Value> = v
        .timeline
        .iter()
        .rev()
        .filter(|e| e.at >= cutoff)
        .map(|e| env.timeline_entry(i, e, TimelineTexts::All))
        .collect();
    let links: Vec<Value> = s
        .links
        .iter()
        .map(|l| {
            let href = match &l.target {
                LinkTarget::Guide(g) => env.href(&format!("guides/{g}/")),
                LinkTarget::Url(u) if u.starts_with('/') => env.href_shared(u.trim_start_matches('/')),
                LinkTarget::Url(u) => u.clone(),
            };
            obj! {"label": env.title(&l.label), "href": href}
        })
        .collect();
    let summary = service_summary(env, i);
    let name = summary["name"]["plain"].as_str().unwrap_or("").to_string();
    let data = obj! {
        "service": summary,
        "timeline": recent,
        "years": year_links(env, i),
        "strip": history_strip(env, i),
        "links": links,
        "guides": v.guides.iter().map(|&g| guide_summary(env, g)).collect::<Vec<_>>(),
        "incidents": v
            .incidents
            .iter()
            .filter(|&&x| {
                let iv = &ctx.derived.incidents[x];
                iv.open || iv.started.is_some_and(|t| t >= cutoff)
            })
            .map(|&x| env.incident_brief(x))
            .collect::<Vec<_>>(),
        "feed": env.href(&format!("services/{}/feed.xml", s.id)),
        "badge": env.href_shared(&format!("services/{}/badge.svg", s.id)),
    };
    PageJob {
        lang: env.lang,
        path: format!("services/{}/", s.id),
        template: "service.html",
        title: name,
        data,
        has_code: false,
        updated: v.timeline.last().map(|e| e.at),
    }
}

fn service_year_page(env: &PageEnv, i: usize, y: i32) -> PageJob {
    let ctx = env.ctx;
    let s = &ctx.site.services[i];
    let v = &ctx.derived.services[i];
    let env = &env.at(&format!("services/{}/{y}/", s.id));
    let in_year = |t: DateTime<Utc>| year_of(ctx, t) == y;
    let entries: Vec<Value> = v
        .timeline
        .iter()
        .rev()
        .filter(|e| in_year(e.at))
        .map(|e| env.timeline_entry(i, e, TimelineTexts::OwnOnly))
        .collect();
    let summary = service_summary(env, i);
    let name = summary["name"]["plain"].as_str().unwrap_or("").to_string();
    let data = obj! {
        "service": summary,
        "year": y,
        "heading": env.s_year("history_year", y),
        "timeline": entries,
        "years": year_links(env, i),
        "incidents": v
            .incidents
            .iter()
            .filter(|&&x| ctx.derived.incidents[x].started.is_some_and(in_year))
            .map(|&x| env.incident_brief(x))
            .collect::<Vec<_>>(),
    };
    PageJob {
        lang: env.lang,
        path: format!("services/{}/{y}/", s.id),
        template: "service_year.html",
        title: format!("{name} – {y}"),
        data,
        has_code: false,
        updated: service_year_updated(ctx, i, y),
    }
}

fn incident_page(env: &PageEnv, i: usize) -> PageJob {
    let ctx = env.ctx;
    let inc = &ctx.site.incidents[i];
    let env = &env.at(&format!("incidents/{}/", inc.id));
    let view = &ctx.derived.incidents[i];
    let mut updates: Vec<Value> = (0..view.published)
        .rev()
        .map(|u| env.update(UpdateRef::Incident { incident: i, update: u }))
        .collect();
    let services: Vec<Value> = affected_services(ctx, i)
        .into_iter()
        .map(|(s, set)| {
            obj! {
                "id": s.id.as_str(),
                "href": env.href(&format!("services/{}/", s.id)),
                "name": env.title(&s.name),
                "state": set.map(|st| env.state(st)),
            }
        })
        .collect();
    // The newest update is the first of `updates`: a copy instead of building it again.
    let summary = env.incident_summary_with(i, updates.first().cloned());
    for (u, value) in (0..view.published).rev().zip(&mut updates) {
        if let Value::Object(map) = value {
            map.insert("html".into(), Value::String(env.incident_update_html(i, u)));
        }
    }
    let title = summary["title"]["plain"].as_str().unwrap_or("").to_string();
    let data = obj! {
        "incident": summary,
        "description": inc.description.as_ref().map(|d| env.text(d)),
        "services": services,
        "updates": updates,
        "duration": incident_duration(env, i),
        "is_maintenance": inc.kind == IncidentKind::Maintenance,
    };
    PageJob {
        lang: env.lang,
        path: format!("incidents/{}/", inc.id),
        template: "incident.html",
        title,
        data,
        has_code: false,
        updated: incident_updated(ctx, i),
    }
}

/// The services incident `i` lists, each with the state this incident last set for it
/// (not the service's current one): an incident page then depends on its own file only,
/// and old incident pages do not change (nor leave CDN caches) whenever a service's
/// state changes.
pub(super) fn affected_services<'c>(
    ctx: &'c BuildContext,
    i: usize,
) -> Vec<(&'c crate::model::ServiceRecord, Option<&'c str>)> {
    let inc = &ctx.site.incidents[i];
    let published = &inc.updates[..ctx.derived.incidents[i].published];
    inc.services
        .iter()
        .filter_map(|id| ctx.site.service(id))
        .map(|s| {
            let set = published
                .iter()
                .rev()
                .find_map(|u| u.set.iter().find(|(svc, _)| svc == &s.id).map(|(_, st)| st.as_str()));
            (s, set)
        })
        .collect()
}

/// How long incident `i` lasted, or has lasted until now; `None` before it started.
pub(super) fn incident_duration(env: &PageEnv, i: usize) -> Option<String> {
    let view = &env.ctx.derived.incidents[i];
    view.started.map(|s| env.duration(s, view.ended.unwrap_or(env.ctx.derived.now).max(s)))
}

/// When incident `i`'s page last changed: its newest published update.
pub(super) fn incident_updated(ctx: &BuildContext, i: usize) -> Option<DateTime<Utc>> {
    ctx.derived.incidents[i].published.checked_sub(1).map(|u| ctx.site.incidents[i].updates[u].at)
}

/// Years with an archive page: every year an incident started in, and the current one.
pub fn archive_years(ctx: &BuildContext) -> BTreeSet<i32> {
    let tz = ctx.site.config.timezone;
    let mut years: BTreeSet<i32> =
        ctx.derived.incidents.iter().filter_map(|v| v.started).map(|t| t.with_timezone(&tz).year()).collect();
    years.insert(ctx.derived.now.with_timezone(&tz).year());
    years
}

/// Site path of the archive page of year `y`: `incidents/` for the current year.
pub fn archive_path(ctx: &BuildContext, y: i32) -> String {
    let this_year = ctx.derived.now.with_timezone(&ctx.site.config.timezone).year();
    if y == this_year {
        "incidents/".to_string()
    } else {
        format!("incidents/{y}/")
    }
}

/// `/incidents/` (the current year) or `/incidents/<year>/`: the year's incidents by month.
fn archive_page(env: &PageEnv, y: i32) -> PageJob {
    let ctx = env.ctx;
    let this_year = year_of(ctx, ctx.derived.now);
    let env = &env.at(&archive_path(ctx, y));
    let by_month = archive_months(ctx, y);
    let months: Vec<Value> = by_month
        .iter()
        .map(|items| {
            obj! {
                "label": items.first().map(|(_, t)| env.format(*t, "month_year")).unwrap_or_default(),
                "incidents": items.iter().map(|(i, _)| env.incident_brief(*i)).collect::<Vec<_>>(),
            }
        })
        .collect();
    let year_links: Vec<Value> = archive_years(ctx)
        .iter()
        .rev()
        .map(|&other| {
            obj! {"year": other, "href": env.href(&archive_path(ctx, other)), "current": other == y, "later": other > this_year}
        })
        .collect();
    let heading = env.s_year("this_year", y);
    let current = y == this_year;
    let summaries = |list: &[usize]| -> Vec<Value> {
        if current {
            list.iter().map(|&i| env.incident_summary(i)).collect()
        } else {
            Vec::new()
        }
    };
    let data = obj! {
        "year": y,
        "heading": heading.as_str(),
        "months": months,
        "years": year_links,
        "is_current_year": current,
        "open_incidents": summaries(&ctx.derived.open_incidents),
        "upcoming_maintenance": summaries(&ctx.derived.upcoming_maintenance),
    };
    PageJob {
        lang: env.lang,
        path: archive_path(ctx, y),
        template: "archive.html",
        title: heading,
        data,
        has_code: false,
        updated: archive_updated(ctx, &by_month),
    }
}

/// The incidents that started in year `y`, newest first, as (index, start), in one list
/// per month.
pub(super) fn archive_months(ctx: &BuildContext, y: i32) -> Vec<Vec<(usize, DateTime<Utc>)>> {
    let tz = ctx.site.config.timezone;
    let mut items: Vec<(usize, DateTime<Utc>)> = (0..ctx.site.incidents.len())
        .filter_map(|i| ctx.derived.incidents[i].started.filter(|t| year_of(ctx, *t) == y).map(|t| (i, t)))
        .collect();
    items.sort_by_key(|(i, t)| std::cmp::Reverse((*t, *i)));
    let mut months: Vec<Vec<(usize, DateTime<Utc>)>> = Vec::new();
    let mut current_month: Option<u32> = None;
    for (i, t) in items {
        let m = t.with_timezone(&tz).month();
        if current_month != Some(m) {
            current_month = Some(m);
            months.push(Vec::new());
        }
        if let Some(list) = months.last_mut() {
            list.push((i, t));
        }
    }
    months
}

/// When an archive page of `months` last changed: the newest update of its incidents.
pub(super) fn archive_updated(
    ctx: &BuildContext,
    months: &[Vec<(usize, DateTime<Utc>)>],
) -> Option<DateTime<Utc>> {
    months.iter().flatten().filter_map(|(i, _)| incident_updated(ctx, *i)).max()
}

fn guide_index(env: &PageEnv) -> PageJob {
    let env = &env.at("guides/");
    let ctx = env.ctx;
    let data = obj! {"guides": (0..ctx.site.guides.len()).map(|i| guide_summary(env, i)).collect::<Vec<_>>()};
    PageJob {
        lang: env.lang,
        path: "guides/".into(),
        template: "guides.html",
        title: env.s("guides"),
        data,
        has_code: false,
        updated: ctx.site.guides.iter().filter_map(|g| g.updated).max(),
    }
}

fn guide_page(env: &PageEnv, i: usize) -> PageJob {
    let ctx = env.ctx;
    let g = &ctx.site.guides[i];
    let env = &env.at(&format!("guides/{}/", g.slug));
    let summary = guide_summary(env, i);
    let di = g.doc_index(env.lang_code(), ctx.site.default_lang()).unwrap_or(0);
    let rendered = g.docs.get(di).map(|d| render_document(&d.body)).unwrap_or_default();
    let services: Vec<Value> =
        ctx.derived.guide_services[i].iter().map(|&s| service_summary(env, s)).collect();
    let title = summary["title"].as_str().unwrap_or("").to_string();
    let data = obj! {
        "guide": summary,
        "html": rendered.html,
        "toc": serde_json::to_value(&rendered.toc).unwrap_or_default(),
        "updated": env.opt_time(g.updated),
        "services": services,
    };
    PageJob {
        lang: env.lang,
        path: format!("guides/{}/", g.slug),
        template: "guide.html",
        title,
        data,
        has_code: rendered.has_code,
        updated: g.updated,
    }
}

fn notice_page(env: &PageEnv, i: usize) -> PageJob {
    let n = &env.ctx.site.notices[i];
    let env = &env.at(&format!("notices/{}/", n.id));
    let summary = notice_summary(env, i);
    let title = summary["title"].as_str().unwrap_or("").to_string();
    let active = env.ctx.derived.active_notices.contains(&i);
    PageJob {
        lang: env.lang,
        path: format!("notices/{}/", n.id),
        template: "notice.html",
        title,
        data: obj! {"notice": summary, "active": active},
        has_code: false,
        updated: n.from,
    }
}

/// `404.html` is served for any missing URL, so its links are absolute paths.
fn not_found_page(ctx: &BuildContext, theme: &Theme) -> Result<OutputFile, BuildError> {
    let strings: Vec<Strings> = ctx.languages().iter().map(|l| theme.strings(l)).collect();
    let root = super::url_path(&ctx.base_url);
    let formats = Formats::new(&strings[0]);
    let cache = ViewCache::default();
    let env = PageEnv {
        ctx,
        lang: 0,
        strings: &strings[0],
        all_strings: &strings,
        root,
        formats: &formats,
        cache: &cache,
    };
    let homes: Vec<Value> = ctx
        .languages()
        .iter()
        .enumerate()
        .map(|(i, l)| {
            obj! {
                "lang": l.as_str(),
                "href": format!("{}{}", env.root, ctx.lang_prefix(i)),
                "home": strings[i].get("home").cloned().unwrap_or(Value::Null),
                "text": strings[i].get("not_found_text").cloned().unwrap_or(Value::Null),
                "title": strings[i].get("not_found_title").cloned().unwrap_or(Value::Null),
            }
        })
        .collect();
    let mut c = site_context(&env, theme, "404.html")?;
    let page = page_value(&env, "", &env.s("not_found_title"), false, None);
    let html = render_with(theme, &mut c, "404.html", page, obj! {"homes": homes}, "404.html", 8192)?;
    Ok(OutputFile::new("404.html", html))
}
