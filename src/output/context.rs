//! What every output format reads: the site, its derived view, the resolved base URL, the
//! texts rendered once ([`TextCache`]) and the theme's UI strings of every language.

use crate::model::derive::UpdateRef;
use crate::model::{Derived, IncidentRecord, Site, Text};
use crate::render::highlight::CodeStyle;
use crate::render::markdown;
use crate::render::strings::UiStrings;
use rayon::prelude::*;
use std::collections::HashMap;

/// Every text of the content rendered once: source → (HTML, plain text). Keyed by the
/// source, not by where it appears, so that `serve` can keep it between rebuilds and an
/// edit renders only the texts that are new.
#[derive(Debug, Default)]
pub struct TextCache {
    code: CodeStyle,
    rendered: HashMap<String, (String, String)>,
}

impl TextCache {
    /// A cache holding every text of `site`.
    pub fn for_site(site: &Site, code: CodeStyle) -> TextCache {
        let mut cache = TextCache { code, rendered: HashMap::new() };
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
        let code = self.code;
        let fresh: Vec<(String, (String, String))> = code_first(missing)
            .par_iter()
            .map(|src| (src.to_string(), (markdown::render_text(src, code), markdown::to_plain(src))))
            .collect();
        self.rendered.extend(fresh);
    }

    pub fn code_style(&self) -> CodeStyle {
        self.code
    }

    fn get(&self, src: &str) -> Option<&(String, String)> {
        self.rendered.get(src)
    }
}

/// `texts` with those that may hold fenced code first. The first block of a language
/// makes syntect compile that language's regexes, and every other block of it waits for
/// that: started first (a parallel iterator begins at its front on the calling thread),
/// the compiling runs while the other threads render the plain texts.
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
pub fn incident_texts(i: &IncidentRecord) -> Vec<&Text> {
    let mut v = vec![&i.title];
    v.extend(i.description.iter());
    v.extend(i.updates.iter().filter_map(|u| u.text.as_ref()));
    v
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
    /// The theme's UI strings, by language index.
    strings: Vec<UiStrings>,
}

impl<'a> BuildContext<'a> {
    /// `texts` must hold the texts of `site` ([`TextCache::for_site`]); a missing one is
    /// rendered on every use. `strings` are the theme's, by language index.
    pub fn new(
        site: &'a Site,
        derived: &'a Derived,
        base_url: Option<&str>,
        texts: &'a TextCache,
        strings: Vec<UiStrings>,
    ) -> BuildContext<'a> {
        let mut base_url = base_url.map(str::to_string).unwrap_or_else(|| site.config.base_url.clone());
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        let code = texts.code_style();
        let notice_html = site
            .notices
            .par_iter()
            .map(|n| n.docs.iter().map(|d| markdown::render_document(&d.body, code).html).collect())
            .collect();
        BuildContext { site, derived, base_url, texts, notice_html, strings }
    }

    /// The rendered body of `site.notices[notice].docs[doc]`.
    pub fn notice_html(&self, notice: usize, doc: usize) -> &str {
        self.notice_html.get(notice).and_then(|d| d.get(doc)).map(String::as_str).unwrap_or("")
    }

    pub fn languages(&self) -> &[String] {
        &self.site.config.languages
    }

    /// Code of the language at index `lang` (`de`, `en`, ...).
    pub fn lang_code(&self, lang: usize) -> &str {
        self.languages().get(lang).map(String::as_str).unwrap_or("en")
    }

    /// The theme's UI strings of language `lang`.
    pub fn strings(&self, lang: usize) -> &UiStrings {
        static NONE: std::sync::OnceLock<UiStrings> = std::sync::OnceLock::new();
        self.strings.get(lang).unwrap_or_else(|| NONE.get_or_init(UiStrings::default))
    }

    /// The UI strings of every language, by language index.
    pub fn all_strings(&self) -> &[UiStrings] {
        &self.strings
    }

    /// How fenced code is written in this build.
    pub fn code_style(&self) -> CodeStyle {
        self.texts.code_style()
    }

    /// `""` for the default language, `"en/"` for the others: the prefix of every path.
    pub fn lang_prefix(&self, lang: usize) -> String {
        if lang == 0 {
            String::new()
        } else {
            format!("{}/", self.lang_code(lang))
        }
    }

    /// Absolute URL of a site path such as `services/exchange/`.
    pub fn abs_url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// Absolute URL of a site path in language `lang`.
    pub fn lang_url(&self, lang: usize, path: &str) -> String {
        self.abs_url(&format!("{}{}", self.lang_prefix(lang), path.trim_start_matches('/')))
    }

    /// A text of the content rendered as HTML for language `lang` (Markdown; one-liners inline).
    pub fn html(&self, text: &Text, lang: usize) -> String {
        let src = &text.get(lang).text;
        match self.texts.get(src) {
            Some((html, _)) => html.clone(),
            None => markdown::render_text(src, self.code_style()),
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
    /// the last 90 days, else the page of that year.
    pub fn service_page_for(&self, service: usize, at: chrono::DateTime<chrono::Utc>) -> String {
        use super::pages::sources::{history_start, year_in};
        let id = &self.site.services[service].id;
        let tz = self.site.config.timezone;
        if at >= history_start(self.derived.now, tz) {
            format!("services/{id}/")
        } else {
            format!("services/{id}/{}/", year_in(at, tz))
        }
    }

    /// The label of a state in language `lang`: the site's own (`site.yaml`), else the
    /// theme's.
    pub fn state_label(&self, state: &str, lang: usize) -> String {
        match self.site.states.get(state).and_then(|s| s.label.as_ref()) {
            Some(label) => label.get(lang).text.clone(),
            None => self.strings(lang).state(state).to_string(),
        }
    }
}
