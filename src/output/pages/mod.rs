//! The HTML pages in every language, `status.txt`, `404.html`, the sitemap, `robots.txt`
//! and the theme's static files. Each page is a typed model ([`values`] and the `data`
//! struct of its template), built in a [`PageEnv`] that records what it read
//! ([`sources`]), and rendered by one of the theme's templates with `t`, `site`, `shared`,
//! `page` and `data`.
//! Pages render independently and in parallel, so `serve` can render only some of them.

pub mod availability;
pub mod docs;
pub mod embed;
pub mod env;
pub mod front;
pub mod incident;
pub mod layout;
pub mod print;
pub mod print_fit;
#[cfg(test)]
mod reference;
pub mod service;
pub mod sources;
pub mod status_text;
pub mod summaries;
pub mod values;

use super::{BuildContext, OutputError, OutputFile, Sink};
use crate::render::highlight;
use crate::render::theme::Theme;
use chrono::{DateTime, Utc};
use env::{Formats, Language, PageEnv, ValueCache};
use rayon::prelude::*;
use serde::Serialize;
use sources::{Reads, Source};
use std::cell::Cell;
use std::collections::HashMap;

/// A page's model: where it goes, which template shows it, and its `data`.
pub struct Page<D> {
    /// Site path without language prefix, e.g. `services/exchange/` (`""`: front page).
    pub path: String,
    pub template: &'static str,
    /// Plain text.
    pub title: String,
    /// When the page's own content last changed: what its "last updated" line says.
    /// Page-specific on purpose, so that one new update does not change every page.
    pub updated: Option<DateTime<Utc>>,
    pub data: D,
}

/// One page of the site in some language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// The state of affairs as plain text (`status.txt`).
    StatusText,
    /// The banner for other sites' iframes (`embed/`).
    Embed,
    /// The printable notice: the current state on one A4 page.
    Print,
}

/// Every unit of the site, for one language.
pub fn units(ctx: &BuildContext, lang: usize) -> Vec<(usize, Unit)> {
    let (derived, tz) = (ctx.derived, ctx.site.config.timezone);
    let start = sources::history_start(derived.now, tz);
    let mut v = vec![(lang, Unit::Front), (lang, Unit::StatusText), (lang, Unit::Embed)];
    for (i, view) in derived.services.iter().enumerate() {
        v.push((lang, Unit::Service(i)));
        v.extend(
            sources::service_years(view, start, tz).into_iter().map(|y| (lang, Unit::ServiceYear(i, y))),
        );
    }
    v.extend((0..ctx.site.incidents.len()).map(|i| (lang, Unit::Incident(i))));
    v.extend(sources::archive_years(derived, tz).into_iter().map(|y| (lang, Unit::ArchiveYear(y))));
    v.push((lang, Unit::GuideIndex));
    v.extend((0..ctx.site.guides.len()).map(|i| (lang, Unit::Guide(i))));
    v.extend((0..ctx.site.notices.len()).map(|i| (lang, Unit::Notice(i))));
    v.push((lang, Unit::Print));
    v
}

/// Whether a change of `changed` can change the units of a site, besides incidents that
/// came or went: the years with archive pages, a service's year pages, and the date
/// (which year's archive is `incidents/`, which entries are older than 90 days) are what
/// [`units`] reads.
pub fn units_may_change(changed: &std::collections::BTreeSet<Source>) -> bool {
    changed.iter().any(|s| matches!(s, Source::ArchiveYears | Source::ServiceYears(_) | Source::Today))
}

/// Site path of a unit's page, without language prefix (`services/exchange/`).
pub fn site_path(ctx: &BuildContext, unit: Unit) -> String {
    let site = ctx.site;
    match unit {
        Unit::Front => String::new(),
        Unit::Service(s) => format!("services/{}/", site.services[s].id),
        Unit::ServiceYear(s, y) => format!("services/{}/{y}/", site.services[s].id),
        Unit::Incident(i) => format!("incidents/{}/", site.incidents[i].id),
        Unit::ArchiveYear(y) => {
            let this_year = sources::year_in(ctx.derived.now, site.config.timezone);
            if y == this_year {
                "incidents/".to_string()
            } else {
                format!("incidents/{y}/")
            }
        }
        Unit::GuideIndex => "guides/".to_string(),
        Unit::Guide(g) => format!("guides/{}/", site.guides[g].slug),
        Unit::Notice(n) => format!("notices/{}/", site.notices[n].id),
        Unit::StatusText => status_text::PATH.to_string(),
        Unit::Embed => embed::PATH.to_string(),
        Unit::Print => print::PATH.to_string(),
    }
}

/// Output file of a unit's page in language `lang`: `en/services/x/index.html`.
pub fn file_path(ctx: &BuildContext, lang: usize, unit: Unit) -> String {
    output_file(ctx, lang, &site_path(ctx, unit))
}

/// Output file of site path `path` in language `lang`: the folder's `index.html` for a
/// path that ends in `/` (or the root), else the file the path names (`en/status.txt`).
fn output_file(ctx: &BuildContext, lang: usize, path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{}{path}index.html", ctx.lang_prefix(lang))
    } else {
        format!("{}{path}", ctx.lang_prefix(lang))
    }
}

/// Whether the page at site path `path` belongs in the sitemap: HTML pages, except the
/// banner, which is made for other sites' iframes and asks search engines not to index it.
pub fn in_sitemap(path: &str) -> bool {
    (path.is_empty() || path.ends_with('/')) && path != embed::PATH
}

/// One rendered page: its output file, site path, unit and (when asked for) what it read.
#[derive(Debug)]
pub struct PageOutcome {
    pub file: String,
    pub path: String,
    pub unit: (usize, Unit),
    pub reads: Vec<Source>,
}

/// What rendering a set of units produced besides the files.
#[derive(Debug, Default)]
pub struct Rendered {
    pub pages: Vec<PageOutcome>,
    /// Some page has highlighted code (and links `highlight.css`).
    pub has_code: bool,
}

/// Render every page, and the files that go with them (`404.html`, sitemap, robots.txt,
/// the theme's and the content's static files), into `sink`; with `record`, each page's
/// [`PageOutcome`] lists what it read.
pub fn render_all(
    ctx: &BuildContext,
    theme: &Theme,
    sink: &dyn Sink,
    record: bool,
) -> Result<Rendered, OutputError> {
    let all: Vec<(usize, Unit)> = (0..ctx.languages().len()).flat_map(|lang| units(ctx, lang)).collect();
    let rendered = render_units(ctx, theme, &all, sink, record)?;
    sink.put(not_found_page(ctx, theme)?)?;
    for f in super::sitemap::files(ctx, &site_paths(&rendered.pages)) {
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
        sink.put(OutputFile::new("highlight.css", highlight::stylesheet(ctx.code_style())))?;
    }
    for f in &ctx.site.static_files {
        let src = ctx.site.root.join("content/static").join(f);
        let bytes = std::fs::read(&src)
            .map_err(|source| OutputError::Static { path: src.display().to_string(), source })?;
        sink.put(OutputFile::new(f.to_string_lossy().replace('\\', "/"), bytes))?;
    }
    Ok(rendered)
}

/// The site paths of `pages`, sorted, each once (every language has the same pages).
pub fn site_paths(pages: &[PageOutcome]) -> Vec<String> {
    let mut paths: Vec<String> = pages.iter().map(|p| p.path.clone()).collect();
    paths.sort();
    paths.dedup();
    paths
}

/// What the pages of one build share: the theme and each language's strings and formats.
struct Shared<'a> {
    ctx: &'a BuildContext<'a>,
    theme: &'a Theme,
    formats: Vec<Formats>,
}

impl<'a> Shared<'a> {
    fn new(ctx: &'a BuildContext<'a>, theme: &'a Theme) -> Shared<'a> {
        let formats = ctx.all_strings().iter().map(Formats::new).collect();
        Shared { ctx, theme, formats }
    }

    fn language(&self, lang: usize) -> Language<'_> {
        Language { index: lang, strings: self.ctx.strings(lang), formats: &self.formats[lang] }
    }
}

/// What one render thread keeps between pages besides its [`ValueCache`]: the base
/// contexts by language and depth ([`layout::base_context`]), and the size of the last
/// page per template (the next one's buffer starts that large: year and archive pages
/// are hundreds of KB).
#[derive(Default)]
struct Worker {
    bases: HashMap<(usize, String), (tera::Context, bool)>,
    sizes: HashMap<&'static str, usize>,
}

/// Render the pages of `units` into `sink`, in parallel; with `record`, each page's
/// [`PageOutcome`] lists what it read. A page's model is built, rendered and dropped on
/// one thread, so memory holds only the pages in flight.
pub fn render_units(
    ctx: &BuildContext,
    theme: &Theme,
    units: &[(usize, Unit)],
    sink: &dyn Sink,
    record: bool,
) -> Result<Rendered, OutputError> {
    let shared = Shared::new(ctx, theme);
    let results: Vec<Option<(PageOutcome, bool)>> = units
        .par_iter()
        .map_init(<(Worker, ValueCache)>::default, |(worker, cache), &(lang, unit)| {
            let reads = Reads::default();
            let code = Cell::new(false);
            let language = shared.language(lang);
            let env = PageEnv::new(ctx, &language, ctx.all_strings(), cache, record.then_some(&reads), &code);
            let rendered = match unit {
                Unit::Front => render(worker, &shared, &env, front::page(&env)),
                Unit::Service(s) => render(worker, &shared, &env, service::page(&env, s)),
                Unit::ServiceYear(s, y) => render(worker, &shared, &env, service::year_page(&env, s, y)),
                Unit::Incident(i) => render(worker, &shared, &env, incident::page(&env, i)),
                Unit::ArchiveYear(y) => render(worker, &shared, &env, incident::archive_page(&env, y)),
                Unit::GuideIndex => render(worker, &shared, &env, docs::guide_index(&env)),
                Unit::Guide(g) => match docs::guide(&env, g) {
                    Some(page) => render(worker, &shared, &env, page),
                    None => return Ok(None),
                },
                Unit::Notice(n) => match docs::notice(&env, n) {
                    Some(page) => render(worker, &shared, &env, page),
                    None => return Ok(None),
                },
                Unit::StatusText => render(worker, &shared, &env, status_text::page(&env)),
                Unit::Embed => render(worker, &shared, &env, embed::page(&env)),
                Unit::Print => render(
                    worker,
                    &shared,
                    &env,
                    print::page(&env, theme.print_layout(), |l| shared.language(l)),
                ),
            }?;
            let (file, path, has_code) = rendered;
            let outcome =
                PageOutcome { file: file.path.clone(), path, unit: (lang, unit), reads: reads.into_sorted() };
            sink.put(file)?;
            Ok(Some((outcome, has_code)))
        })
        .collect::<Result<_, OutputError>>()?;
    let has_code = results.iter().flatten().any(|(_, code)| *code);
    let mut pages: Vec<PageOutcome> = results.into_iter().flatten().map(|(p, _)| p).collect();
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(Rendered { pages, has_code })
}

/// Render one page model with the base context of its language and depth: the `page`
/// value is made after `data`, which notes whether highlighted code went in.
fn render<D: Serialize>(
    worker: &mut Worker,
    shared: &Shared,
    env: &PageEnv,
    page: Page<D>,
) -> Result<(OutputFile, String, bool), OutputError> {
    let env = env.at(&page.path);
    let file = output_file(shared.ctx, env.lang, &page.path);
    let (mut c, base_has_code) = worker.base(&env, shared.theme, &file)?;
    let has_code = env.code_noted() || base_has_code;
    c.insert("page", &layout::page_value(&env, &page.path, page.title, has_code, page.updated));
    c.insert("data", &page.data);
    let size = worker.sizes.get(page.template).copied().unwrap_or(8192);
    let mut out = Vec::with_capacity(size + size / 8);
    shared.theme.render_to(page.template, &c, &file, &mut out)?;
    worker.sizes.insert(page.template, out.len());
    Ok((OutputFile::new(file, out), page.path, has_code))
}

impl Worker {
    /// A copy of the base context for pages of `env`'s language and depth (a copy of a
    /// few pointers), and whether it holds highlighted code (a pinned notice's).
    fn base(
        &mut self,
        env: &PageEnv,
        theme: &Theme,
        file: &str,
    ) -> Result<(tera::Context, bool), OutputError> {
        let key = (env.lang, env.root().to_string());
        if let Some((c, code)) = self.bases.get(&key) {
            return Ok((c.clone(), *code));
        }
        let code = Cell::new(false);
        let c = layout::base_context(&env.for_layout(&code), theme, file)?;
        self.bases.insert(key, (c.clone(), code.get()));
        Ok((c, code.get()))
    }
}

/// `404.html`: served for any missing URL, so its links are absolute paths.
fn not_found_page(ctx: &BuildContext, theme: &Theme) -> Result<OutputFile, OutputError> {
    let shared = Shared::new(ctx, theme);
    let mut worker = Worker::default();
    let cache = ValueCache::default();
    let code = Cell::new(false);
    let language = shared.language(0);
    let env = PageEnv::new(ctx, &language, ctx.all_strings(), &cache, None, &code);
    let env = env.rooted(super::url_path(&ctx.base_url));
    let page = docs::not_found(&env);
    let (c, _) = worker.base(&env, theme, "404.html")?;
    let mut c = c;
    c.insert("page", &layout::page_value(&env, &page.path, page.title, false, None));
    c.insert("data", &page.data);
    let mut out = Vec::with_capacity(8192);
    theme.render_to(page.template, &c, "404.html", &mut out)?;
    Ok(OutputFile::new("404.html", out))
}
