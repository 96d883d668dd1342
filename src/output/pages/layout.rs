//! What the layout (`base.html`) shows around every page: `site` (title, navigation,
//! feeds, pinned notices) and `shared` (the theme's `templates/shared/` rendered), the
//! same on every page of one language and folder depth and so made once for all of them,
//! and `page` (title, language twins, canonical URL, "last updated"), made per page.

use super::env::PageEnv;
use super::values::{NoticeValue, Shared, TextValue, TimeValue};
use crate::render::direction::Direction;
use crate::render::theme::{Theme, ThemeError};
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Serialize;

/// `site`: what every page of a language shows around its own content.
#[derive(Serialize, JsonSchema)]
pub struct SiteValue {
    /// The site's title (`site.yaml`).
    pub title: TextValue,
    /// How to reach the service desk (`site.yaml`), if given.
    pub contact: Option<TextValue>,
    /// Link to the front page.
    pub home: String,
    /// Active pinned notices, most severe first.
    pub pinned: Vec<NoticeValue>,
    /// Links to the feeds, the calendar, the API, the badge, the plain text and the banner.
    pub feeds: FeedLinks,
    /// Links of the main navigation.
    pub nav: NavLinks,
}

/// Links to the machine-readable files.
#[derive(Serialize, JsonSchema)]
pub struct FeedLinks {
    /// The RSS feed of this language.
    pub rss: String,
    /// The Atom feed of this language.
    pub atom: String,
    /// The maintenance calendar (iCalendar).
    pub ics: String,
    /// The status API's summary.
    pub api: String,
    /// The site's status badge (SVG).
    pub badge: String,
    /// The state of affairs as plain text in this language (`status.txt`).
    pub text: String,
    /// The banner for other sites' iframes in this language (`embed/`).
    pub embed: String,
}

/// Links of the main navigation.
#[derive(Serialize, JsonSchema)]
pub struct NavLinks {
    /// The front page.
    pub home: String,
    /// The archive of incidents and maintenance.
    pub incidents: String,
    /// The list of guides.
    pub guides: String,
}

/// `page`: what the layout needs of the page it wraps.
#[derive(Serialize, JsonSchema)]
pub struct PageValue {
    /// The page's language code.
    pub lang: String,
    /// The writing direction of the page's language, `ltr` or `rtl` (`<html dir>`).
    pub dir: Direction,
    /// Relative link from this page to the site root (`./`, `../../`).
    pub root: String,
    /// The page's site path without language prefix (`services/exchange/`; `""` for the
    /// front page).
    pub path: String,
    /// The page's title, plain text.
    pub title: String,
    /// The page's absolute URL.
    pub canonical: String,
    /// The absolute URL of the page in the default language.
    pub x_default: String,
    /// The page in every configured language.
    pub alternates: Vec<Alternate>,
    /// When the page's own content last changed (not the clock).
    pub last_updated: Option<Shared<TimeValue>>,
    /// Stylesheets to link: the theme's, and the highlighting one on pages with code.
    pub css: Vec<String>,
}

/// The page in one language.
#[derive(Serialize, JsonSchema)]
pub struct Alternate {
    /// The language's code.
    pub lang: String,
    /// The language's own name ("Deutsch").
    pub name: String,
    /// The language's writing direction, `ltr` or `rtl`.
    pub dir: Direction,
    /// Relative link from this page.
    pub href: String,
    /// Absolute URL.
    pub abs: String,
    /// Whether this is the page being shown.
    pub current: bool,
}

/// The `site` value for pages of `env`'s language and depth.
pub fn site_value(env: &PageEnv) -> SiteValue {
    let config = env.site().config();
    SiteValue {
        title: env.text(&config.title),
        contact: config.contact.as_ref().map(|c| env.text(c)),
        home: env.href(""),
        pinned: env.pinned_notices().filter_map(|n| env.notice(n)).collect(),
        feeds: FeedLinks {
            rss: env.href("feed.xml"),
            atom: env.href("atom.xml"),
            ics: env.href_shared("maintenance.ics"),
            api: env.href_shared("api/v2/summary.json"),
            badge: env.href_shared("badge.svg"),
            text: env.href(super::status_text::PATH),
            embed: env.href(super::embed::PATH),
        },
        nav: NavLinks { home: env.href(""), incidents: env.href("incidents/"), guides: env.href("guides/") },
    }
}

/// The `page` value of the page at site path `path`.
pub fn page_value(
    env: &PageEnv,
    path: &str,
    title: String,
    has_code: bool,
    updated: Option<DateTime<Utc>>,
) -> PageValue {
    let ctx = env.ctx();
    let alternates = ctx
        .languages()
        .iter()
        .enumerate()
        .map(|(i, l)| Alternate {
            lang: l.clone(),
            name: env.language_name(i).to_string(),
            dir: Direction::of(l),
            href: format!("{}{}{}", env.root(), ctx.lang_prefix(i), path),
            abs: ctx.lang_url(i, path),
            current: i == env.lang,
        })
        .collect();
    let mut css = vec![env.href_shared("style.css")];
    if has_code {
        css.push(env.href_shared("highlight.css"));
    }
    PageValue {
        lang: env.lang_code().to_string(),
        dir: Direction::of(env.lang_code()),
        root: env.root().to_string(),
        path: path.to_string(),
        title,
        canonical: ctx.lang_url(env.lang, path),
        x_default: ctx.lang_url(0, path),
        alternates,
        last_updated: updated.map(|t| env.time(t)),
        css,
    }
}

/// The context every page of one language and depth starts from: `t`, `site` and
/// `shared`. Its values are reference-counted: each page clones pointers, not strings.
pub fn base_context(env: &PageEnv, theme: &Theme, first_page: &str) -> Result<tera::Context, ThemeError> {
    let mut c = tera::Context::new();
    c.insert("t", env.strings.words());
    c.insert("site", &site_value(env));
    let mut parts = tera::Map::new();
    for (key, template) in theme.shared_templates() {
        let mut html = Vec::new();
        theme.render_to(template, &c, first_page, &mut html)?;
        parts.insert(key.clone().into(), tera::Value::safe_string(&String::from_utf8_lossy(&html)));
    }
    c.insert_value("shared", tera::Value::from(parts));
    Ok(c)
}
