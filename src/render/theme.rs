//! The theme: Tera templates, static files (CSS, icons) and the UI strings of every
//! language. The default theme is built into the binary; a site's `themes/<name>/`
//! overrides it file by file (templates by file name, static files by path, strings by key).

use crate::embedded::THEME_FILES;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("{path}: {message}")]
    Template { path: String, message: String },
    #[error("{path}: {message}")]
    Strings { path: String, message: String },
    #[error("themes/{0}/: no such theme; expected a folder themes/{0}/ or `theme: default`")]
    Missing(String),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

/// UI strings of one language: key → text (or list, for month names).
pub type Strings = BTreeMap<String, serde_json::Value>;

pub struct Theme {
    pub tera: Tera,
    /// Language → strings; languages the theme lacks fall back to English, then German.
    strings: BTreeMap<String, Strings>,
    /// (path under the output root, bytes), e.g. ("style.css", ...).
    pub static_files: Vec<(String, Vec<u8>)>,
    /// The templates under `templates/shared/`, as (name in `shared`, template name):
    /// `shared/pinned.html` is `shared.pinned`. See [`SHARED_PREFIX`].
    pub shared: Vec<(String, String)>,
    /// Names of the templates the site's theme overrides (see [`Theme::native`]).
    overridden: std::collections::BTreeSet<String>,
}

/// Templates in this folder are rendered once per language and folder depth, with `t`
/// and `site` only, and every page gets their output as `shared.<file stem>`: the parts
/// of the layout that are the same on thousands of pages (pinned notices, footer) cost
/// one lookup per page instead of dozens (Hugo's `partialCached`).
pub const SHARED_PREFIX: &str = "shared/";

/// Tera's error chain in one line: the useful part is usually the innermost cause.
fn tera_message(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

impl Theme {
    /// The built-in theme, overridden by `root/themes/<name>/` where it exists.
    pub fn load(root: &Path, name: &str) -> Result<Theme, ThemeError> {
        let mut templates: BTreeMap<String, String> = BTreeMap::new();
        let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut string_files: Vec<(String, String)> = Vec::new();
        for (path, bytes) in THEME_FILES {
            add_file(
                path,
                bytes.to_vec(),
                &format!("(built-in) themes/default/{path}"),
                &mut templates,
                &mut statics,
                &mut string_files,
            );
        }
        let dir = root.join("themes").join(name);
        let mut overridden = std::collections::BTreeSet::new();
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
                if !entry.file_type().is_file() {
                    continue;
                }
                let Ok(rel) = entry.path().strip_prefix(&dir) else { continue };
                let rel = rel.to_string_lossy().replace('\\', "/");
                let fname = entry.file_name().to_string_lossy();
                if crate::model::load::is_ignored_file(&fname) {
                    continue;
                }
                let shown = format!("themes/{name}/{rel}");
                let bytes = std::fs::read(entry.path())
                    .map_err(|source| ThemeError::Io { path: shown.clone(), source })?;
                if let Some(t) = rel.strip_prefix("templates/") {
                    overridden.insert(t.to_string());
                }
                add_file(&rel, bytes, &shown, &mut templates, &mut statics, &mut string_files);
            }
        } else if name != "default" {
            return Err(ThemeError::Missing(name.to_string()));
        }

        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's own escaping also rewrites `/`, which bloats every URL for no safety gain.
        tera.set_escape_fn(crate::render::escape::escape_html);
        let template_error = |e: tera::Error| ThemeError::Template {
            path: format!("themes/{name}/templates/"),
            message: tera_message(&e),
        };
        // What `Tera::add_raw_templates` does, with the templates parsed in parallel
        // (parsing is most of the theme's start-up cost); the first error by name wins.
        let list: Vec<(String, String)> = templates.into_iter().collect();
        let parsed: Vec<tera::Result<tera::Template>> = list
            .par_iter()
            .map(|(n, s)| {
                tera::Template::new(n, None, s)
                    .map_err(|e| tera::Error::chain(format!("Failed to parse '{n}'"), e))
            })
            .collect();
        for ((n, _), tpl) in list.iter().zip(parsed) {
            tera.templates.insert(n.clone(), tpl.map_err(template_error)?);
        }
        tera.build_inheritance_chains().map_err(template_error)?;
        tera.check_macro_files().map_err(template_error)?;

        let shared = tera
            .get_template_names()
            .filter_map(|n| {
                let stem = n.strip_prefix(SHARED_PREFIX)?.strip_suffix(".html")?;
                Some((stem.to_string(), n.to_string()))
            })
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect();

        let mut strings: BTreeMap<String, Strings> = BTreeMap::new();
        for (shown, src) in string_files {
            let parsed: BTreeMap<String, Strings> = serde_yaml::from_str(&src)
                .map_err(|e| ThemeError::Strings { path: shown.clone(), message: e.to_string() })?;
            for (lang, map) in parsed {
                strings.entry(lang).or_default().extend(map);
            }
        }
        Ok(Theme { tera, strings, static_files: statics.into_iter().collect(), shared, overridden })
    }

    /// Whether pages of the built-in `template` may be written by [`crate::output::native`]
    /// (the bytes the templates would render, without Tera): the site's theme overrides
    /// neither that template, nor the layout, nor the macros.
    pub fn native(&self, template: &str) -> bool {
        ![template, "base.html", "macros.html"].iter().any(|t| self.overridden.contains(*t))
    }

    /// The UI strings for `lang`, completed from English and German for missing keys.
    pub fn strings(&self, lang: &str) -> Strings {
        let mut out = Strings::new();
        for fallback in ["de", "en", lang] {
            if let Some(m) = self.strings.get(fallback) {
                out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        out
    }

    /// Render `template` for the file `out_path`, appending to `out`.
    pub fn render_to(
        &self,
        template: &str,
        ctx: &tera::Context,
        out_path: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), ThemeError> {
        self.tera.render_to(template, ctx, out).map_err(|e| ThemeError::Template {
            path: format!("{out_path} (template {template})"),
            message: tera_message(&e),
        })
    }
}

fn add_file(
    rel: &str,
    bytes: Vec<u8>,
    shown: &str,
    templates: &mut BTreeMap<String, String>,
    statics: &mut BTreeMap<String, Vec<u8>>,
    strings: &mut Vec<(String, String)>,
) {
    if let Some(t) = rel.strip_prefix("templates/") {
        templates.insert(t.to_string(), String::from_utf8_lossy(&bytes).into_owned());
    } else if let Some(s) = rel.strip_prefix("static/") {
        statics.insert(s.to_string(), bytes);
    } else if rel == "i18n.yaml" {
        strings.push((shown.to_string(), String::from_utf8_lossy(&bytes).into_owned()));
    }
}
