//! The theme: Tera templates and their components, static files (CSS, icons) and the UI
//! strings of every language. The default theme is built into the binary; a site's
//! `themes/<name>/` overrides it file by file (templates by file name, static files by
//! path, strings by key). See `docs/themes.md`.

use super::print_layout::PrintLayout;
use super::strings::{self, StringTable, UiStrings};
use crate::diagnostics::{Diagnostic, Severity};
use crate::embedded::THEME_FILES;
use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("themes/{theme}/templates/: the templates do not compile")]
    Templates {
        theme: String,
        /// Where, when Tera's error points into one template.
        at: Option<Box<Diagnostic>>,
        #[source]
        source: Box<tera::Error>,
    },
    #[error("{path}: {message}")]
    Strings { path: String, message: String },
    #[error("themes/{0}/: no such theme; expected a folder themes/{0}/ or `theme: default`")]
    Missing(String),
    #[error("{path}: cannot read it")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The sizes of the printable notice in `static/print.css` (see [`PrintLayout`]).
    #[error("{0}")]
    PrintLayout(Box<Diagnostic>),
    #[error("{page}: rendering with the template {template} failed")]
    Render {
        page: String,
        template: String,
        at: Option<Box<Diagnostic>>,
        #[source]
        source: Box<tera::Error>,
    },
}

impl ThemeError {
    /// The problem as a diagnostic in a theme file (`themes/x/templates/a.html:3:7`),
    /// when Tera's error points into one template, or in `print.css`.
    pub fn diagnostic(&self) -> Option<&Diagnostic> {
        match self {
            ThemeError::Templates { at, .. } | ThemeError::Render { at, .. } => at.as_deref(),
            ThemeError::PrintLayout(at) => Some(at),
            _ => None,
        }
    }
}

/// Where Tera's error points: the template's file (from `origins`), line and column, and
/// Tera's message without its excerpt of the source.
fn locate(e: &tera::Error, origins: &BTreeMap<String, Origin>) -> Option<Box<Diagnostic>> {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => r,
        _ => return None,
    };
    let origin = origins.get(report.filename())?;
    let span = report.span();
    Some(Box::new(Diagnostic {
        file: origin.shown.clone().into(),
        line: span.start_line,
        col: span.start_col + 1,
        severity: Severity::Error,
        message: report.message().to_string(),
    }))
}

/// Where a template came from: its file as shown in errors, and its text.
#[derive(Debug, Clone)]
struct Origin {
    shown: String,
    source: String,
}

pub struct Theme {
    tera: Tera,
    /// Template name → the file it came from.
    origins: BTreeMap<String, Origin>,
    strings: StringTable,
    /// (path under the output root, bytes), e.g. ("style.css", ...).
    pub static_files: Vec<(String, Vec<u8>)>,
    /// The templates under `templates/shared/`, as (name in `shared`, template name):
    /// `shared/pinned.html` is `shared.pinned`. See [`SHARED_PREFIX`].
    shared: Vec<(String, String)>,
    /// The printable notice's sizes, read once from the theme's `print.css`.
    print_layout: PrintLayout,
}

/// Templates in this folder are rendered once per language and folder depth, with `t`
/// and `site` only, and every page gets their output as `shared.<file stem>`: the parts
/// of the layout that are the same on thousands of pages (pinned notices, footer) are
/// made once instead of on every page (Hugo's `partialCached`).
pub const SHARED_PREFIX: &str = "shared/";

/// Tera's escaping, without its escaping of `/`, which bloats every URL for no safety gain.
fn escape(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(super::escape::escape_html(s).as_bytes())
}

impl Theme {
    /// The built-in theme, overridden by `root/themes/<name>/` where it exists.
    pub fn load(root: &Path, name: &str) -> Result<Theme, ThemeError> {
        let mut files = ThemeFiles::default();
        for (path, bytes) in THEME_FILES {
            files.add(path, bytes.to_vec(), &format!("(built-in) themes/default/{path}"));
        }
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
                if !entry.file_type().is_file() {
                    continue;
                }
                let Ok(rel) = entry.path().strip_prefix(&dir) else { continue };
                let rel = rel.to_string_lossy().replace('\\', "/");
                if crate::model::load::is_ignored_file(&entry.file_name().to_string_lossy()) {
                    continue;
                }
                let shown = format!("themes/{name}/{rel}");
                let bytes = std::fs::read(entry.path())
                    .map_err(|source| ThemeError::Io { path: shown.clone(), source })?;
                files.add(&rel, bytes, &shown);
            }
        } else if name != "default" {
            return Err(ThemeError::Missing(name.to_string()));
        }

        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape);
        super::plain_text::register_filters(&mut tera);
        tera.add_raw_templates(files.origins.iter().map(|(n, o)| (n.as_str(), o.source.as_str()))).map_err(
            |source| ThemeError::Templates {
                theme: name.to_string(),
                at: locate(&source, &files.origins),
                source: Box::new(source),
            },
        )?;
        let shared = files
            .origins
            .keys()
            .filter_map(|n| {
                let stem = n.strip_prefix(SHARED_PREFIX)?.strip_suffix(".html")?;
                Some((stem.to_string(), n.clone()))
            })
            .collect();

        let print_layout = files.print_layout()?;
        let mut table = StringTable::new();
        for (shown, src) in files.strings {
            let parsed =
                strings::parse(&src).map_err(|message| ThemeError::Strings { path: shown, message })?;
            for (lang, words) in parsed {
                table.entry(lang).or_default().extend(words);
            }
        }
        Ok(Theme {
            tera,
            origins: files.origins,
            strings: table,
            static_files: files.statics.into_iter().map(|(path, (_, bytes))| (path, bytes)).collect(),
            shared,
            print_layout,
        })
    }

    /// The UI strings for `lang`, completed from English and German for missing keys.
    pub fn strings(&self, lang: &str) -> UiStrings {
        UiStrings::for_language(&self.strings, lang)
    }

    /// The sizes of the printable notice, as the theme's `print.css` declares them.
    pub fn print_layout(&self) -> &PrintLayout {
        &self.print_layout
    }

    /// The templates whose output every page gets as `shared.<name>`: (name, template).
    pub fn shared_templates(&self) -> &[(String, String)] {
        &self.shared
    }

    /// Render `template` for the file `page`, appending to `out`.
    pub fn render_to(
        &self,
        template: &str,
        ctx: &tera::Context,
        page: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), ThemeError> {
        self.tera.render_to(template, ctx, out).map_err(|source| ThemeError::Render {
            page: page.to_string(),
            template: template.to_string(),
            at: locate(&source, &self.origins),
            source: Box::new(source),
        })
    }
}

/// A theme's files sorted by what they are; later files replace earlier ones of the same
/// name, so the site's theme overrides the built-in one.
#[derive(Default)]
struct ThemeFiles {
    /// Template name → the file it came from, with its text.
    origins: BTreeMap<String, Origin>,
    /// Path under `static/` → (the file as shown in errors, bytes).
    statics: BTreeMap<String, (String, Vec<u8>)>,
    /// (shown path, source) of each `i18n.yaml`, built-in first.
    strings: Vec<(String, String)>,
}

impl ThemeFiles {
    fn add(&mut self, rel: &str, bytes: Vec<u8>, shown: &str) {
        if let Some(t) = rel.strip_prefix("templates/") {
            let source = String::from_utf8_lossy(&bytes).into_owned();
            self.origins.insert(t.to_string(), Origin { shown: shown.to_string(), source });
        } else if let Some(s) = rel.strip_prefix("static/") {
            self.statics.insert(s.to_string(), (shown.to_string(), bytes));
        } else if rel == "i18n.yaml" {
            self.strings.push((shown.to_string(), String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
}

/// The stylesheet the printable notice's sizes are read from, under `static/`.
const PRINT_CSS: &str = "print.css";

impl ThemeFiles {
    /// The layout the theme's `print.css` declares.
    fn print_layout(&self) -> Result<PrintLayout, ThemeError> {
        let problem = |shown: &str, message: &str| {
            ThemeError::PrintLayout(Box::new(Diagnostic {
                file: shown.into(),
                line: 0,
                col: 0,
                severity: Severity::Error,
                message: message.to_string(),
            }))
        };
        let Some((shown, bytes)) = self.statics.get(PRINT_CSS) else {
            let shown = format!("static/{PRINT_CSS}");
            return Err(problem(&shown, "no such file, expected the printable notice's stylesheet"));
        };
        let css = std::str::from_utf8(bytes).map_err(|_| problem(shown, "not UTF-8, expected UTF-8 text"))?;
        PrintLayout::from_css(css, shown).map_err(ThemeError::PrintLayout)
    }
}
