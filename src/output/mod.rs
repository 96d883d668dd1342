//! Writing the site: every output file is produced in memory from the model
//! ([`BuildContext`]) by one module per format, then [`write`] swaps them into place.

pub mod write;

use crate::model::derive::UpdateRef;
use crate::model::{Derived, Site, Text};
use crate::render::markdown;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// One file of the built site: a path relative to the output folder (`/`-separated) and
/// its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> OutputFile {
        OutputFile { path: path.into(), bytes: bytes.into() }
    }
}

/// Days of history on a service page (timeline and strip); older entries go to year pages.
pub const HISTORY_DAYS: i64 = 90;

/// The path part of a base URL (`https://x.org/status/` → `/status/`): where the site's
/// root is on its host, for links that must be absolute paths (`404.html`). See
/// [`crate::model::url::root_path`].
pub fn url_path(base_url: &str) -> String {
    crate::model::url::root_path(base_url)
}

/// Everything a generator reads: the site, its derived view and the resolved base URL.
pub struct BuildContext<'a> {
    pub site: &'a Site,
    pub derived: &'a Derived,
    /// Absolute, ending in `/` (from `--base-url` or site.yaml).
    pub base_url: String,
    texts: &'a TextCache,
    /// Notice bodies rendered once: `[notice][doc]`.
    notice_html: Vec<Vec<String>>,
}

/// Every text of the content rendered once: source → (HTML, plain text). Keyed by the
/// source, not by where it appears, so that `serve` can keep it between rebuilds and an
/// edit renders only the texts that are new.
#[derive(Debug, Default)]
pub struct TextCache {
    rendered: HashMap<String, (String, String)>,
}

impl TextCache {
    /// A cache holding every text of `site`.
    pub fn for_site(site: &Site) -> TextCache {
        let mut cache = TextCache::default();
        cache.add(all_texts(site));
        cache
    }

    /// Render those of `texts` (all their languages) that are not cached yet, in parallel.
    pub fn add<'t>(&mut self, texts: impl IntoIterator<Item = &'t Text>) {
        let mut missing: Vec<&str> = texts
            .into_iter()
            .flat_map(|t| t.all().iter().map(|r| r.text.as_str()))
            .filter(|src| !self.rendered.contains_key(*src))
            .collect();
        missing.par_sort_unstable();
        missing.dedup();
        let fresh: Vec<(String, (String, String))> = code_first(missing)
            .par_iter()
            .map(|src| (src.to_string(), (markdown::render_text(src), markdown::to_plain(src))))
            .collect();
        self.rendered.extend(fresh);
    }

    fn get(&self, src: &str) -> Option<&(String, String)> {
        self.rendered.get(src)
    }
}

/// `texts` with those that may hold fenced code first. The first block of a language
/// makes syntect compile that language's regexes, one after another, and every other
/// block of it waits for that: started first (a parallel iterator begins at its front on
/// the calling thread and leaves the back to the other threads), the compiling runs while
/// the other threads render the plain texts, instead of all of them meeting it midway
/// and waiting together.
fn code_first(texts: Vec<&str>) -> Vec<&str> {
    let (mut code, plain): (Vec<&str>, Vec<&str>) =
        texts.into_iter().partition(|t| t.contains("```") || t.contains("~~~"));
    code.extend(plain);
    code
}

/// Every `Text` of the site that pages and feeds show.
pub fn all_texts(site: &Site) -> Vec<&Text> {
    let mut v: Vec<&Text> = vec![&site.config.title];
    v.extend(site.config.contact.iter());
    v.extend(site.config.groups.iter().map(|g| &g.name));
    for s in &site.services {
        v.push(&s.name);
        v.extend(s.description.iter());
        v.extend(s.links.iter().map(|l| &l.label));
        v.extend(s.updates.iter().filter_map(|u| u.text.as_ref()));
    }
    v.extend(site.incidents.iter().flat_map(incident_texts));
    v
}

/// The texts of one incident: title, description and update texts.
pub fn incident_texts(i: &crate::model::IncidentRecord) -> Vec<&Text> {
    let mut v = vec![&i.title];
    v.extend(i.description.iter());
    v.extend(i.updates.iter().filter_map(|u| u.text.as_ref()));
    v
}

impl<'a> BuildContext<'a> {
    /// `texts` must hold the texts of `site` ([`TextCache::for_site`]); a missing one is
    /// rendered on every use.
    pub fn new(
        site: &'a Site,
        derived: &'a Derived,
        base_url: Option<&str>,
        texts: &'a TextCache,
    ) -> BuildContext<'a> {
        let mut base_url = base_url.map(str::to_string).unwrap_or_else(|| site.config.base_url.clone());
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        let notice_html = site
            .notices
            .par_iter()
            .map(|n| n.docs.iter().map(|d| markdown::render_document(&d.body).html).collect())
            .collect();
        BuildContext { site, derived, base_url, texts, notice_html }
    }

    /// The rendered body of `site.notices[notice].docs[doc]`.
    pub fn notice_html(&self, notice: usize, doc: usize) -> &str {
        self.notice_html.get(notice).and_then(|d| d.get(doc)).map(String::as_str).unwrap_or("")
    }

    pub fn languages(&self) -> &[String] {
        &self.site.config.languages
    }

    /// `""` for the default language, `"en/"` for the others: the prefix of every path.
    pub fn lang_prefix(&self, lang: usize) -> String {
        if lang == 0 {
            String::new()
        } else {
            format!("{}/", self.languages()[lang])
        }
    }

    /// Absolute URL of a site path such as `services/exchange/`.
    pub fn abs_url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// A text of the content rendered as HTML for language `lang` (Markdown; one-liners inline).
    pub fn html(&self, text: &Text, lang: usize) -> String {
        let src = &text.get(lang).text;
        match self.texts.get(src) {
            Some((html, _)) => html.clone(),
            None => markdown::render_text(src),
        }
    }

    /// A text as plain text (titles of feed items, JSON, iCalendar).
    pub fn plain(&self, text: &Text, lang: usize) -> String {
        let src = &text.get(lang).text;
        match self.texts.get(src) {
            Some((_, plain)) => plain.clone(),
            None => markdown::to_plain(src),
        }
    }

    /// Site path (without language prefix) of the page that holds an update, with its anchor.
    pub fn update_path(&self, u: UpdateRef) -> String {
        match u {
            UpdateRef::Service { service, update } => format!(
                "{}#{}",
                self.service_page_for(service, self.site.services[service].updates[update].at),
                self.derived.services[service].own_anchors[update]
            ),
            UpdateRef::Incident { incident, update } => format!(
                "incidents/{}/#{}",
                self.site.incidents[incident].id, self.site.incidents[incident].updates[update].anchor
            ),
        }
    }

    /// The page of service `service` that shows an entry at `at`: the service page for
    /// the last [`HISTORY_DAYS`] days, else the page of that year.
    pub fn service_page_for(&self, service: usize, at: chrono::DateTime<chrono::Utc>) -> String {
        use chrono::Datelike;
        let id = &self.site.services[service].id;
        if at >= self.derived.now - chrono::Duration::days(HISTORY_DAYS) {
            format!("services/{id}/")
        } else {
            format!("services/{id}/{}/", at.with_timezone(&self.site.config.timezone).year())
        }
    }

    /// The state label for language `lang`.
    pub fn state_label(&self, state: &str, lang: usize) -> String {
        self.site
            .states
            .get(state)
            .map(|s| s.label.get(lang).text.clone())
            .unwrap_or_else(|| state.to_string())
    }
}

pub mod api;
pub mod badge;
pub mod compress;
pub mod feeds;
pub mod ical;
pub mod links;
pub mod native;
pub mod pages;
pub mod partial;
pub mod sitemap;
pub mod view;

/// Where rendered files go: into memory (`serve`, `check`) or straight to disk (`build`,
/// so that memory stays bounded however large the site grows).
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), crate::build::BuildError>;
}

/// Collects every file in memory.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files, sorted by path (deterministic order for callers that list them).
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), crate::build::BuildError> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

/// Render every file of the site into `sink` with `theme` (loaded by the caller; `serve`
/// keeps it between rebuilds). Each generator is independent. The feeds, API, calendar
/// and badges are made beside the pages: they are serial, and the pages' parallel work
/// fills the other core around them. So is the highlighting stylesheet, which the pages
/// write only once all of them are done, when it would hold up the end of the build alone
/// (on a site without code it costs a few milliseconds for nothing). An error of the
/// pages wins.
pub fn generate_with_theme(
    ctx: &BuildContext,
    theme: &crate::render::theme::Theme,
    sink: &dyn Sink,
) -> Result<(), crate::build::BuildError> {
    let (pages, machine) = rayon::join(
        || pages::render_all(ctx, theme, sink),
        || {
            let written = machine_readable(ctx, None).into_iter().try_for_each(|f| sink.put(f));
            crate::render::highlight::stylesheet();
            written
        },
    );
    pages?;
    machine
}

/// Feeds, the status API, the maintenance calendar and the badges; of the per-service
/// feeds only those of `services` (`None`: all).
pub fn machine_readable(ctx: &BuildContext, services: Option<&BTreeSet<usize>>) -> Vec<OutputFile> {
    let mut files = feeds::files_for(ctx, services);
    files.extend(api::files(ctx));
    files.extend(ical::files(ctx));
    files.extend(badge::files(ctx));
    files
}
