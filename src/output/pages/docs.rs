//! The pages made from Markdown documents — the guide index (`guides/`), each guide
//! (`guides/<slug>/`) and each notice (`notices/<id>/`) — and `404.html`.

use super::env::PageEnv;
use super::values::{GuideSummary, NoticeValue, ServiceSummary, Shared, TimeValue};
use super::Page;
use crate::render::direction::Direction;
use crate::render::markdown::{render_document, Heading};
use schemars::JsonSchema;
use serde::Serialize;

/// `data` of `guides.html`.
#[derive(Serialize, JsonSchema)]
pub struct GuideIndexPage {
    /// Every guide, in the site's order.
    pub guides: Vec<GuideSummary>,
}

/// `data` of `guide.html`.
#[derive(Serialize, JsonSchema)]
pub struct GuidePage {
    /// The guide.
    pub guide: GuideSummary,
    /// The guide's body as HTML. Print it with `| safe`.
    pub html: String,
    /// Its second- and third-level headings, for a table of contents.
    pub toc: Vec<Heading>,
    /// When the guide was last updated (`updated:` in its front matter).
    pub updated: Option<Shared<TimeValue>>,
    /// The services it belongs to, with their current state.
    pub services: Vec<ServiceSummary>,
}

/// `data` of `notice.html`.
#[derive(Serialize, JsonSchema)]
pub struct NoticePage {
    /// The notice.
    pub notice: NoticeValue,
    /// Whether the notice is active now (between its `from` and `until`).
    pub active: bool,
}

/// `data` of `404.html`, which is in the default language and links to every language.
#[derive(Serialize, JsonSchema)]
pub struct NotFoundPage {
    /// Per configured language: its words for the page and a link to its front page.
    pub homes: Vec<Home>,
}

#[derive(Serialize, JsonSchema)]
pub struct Home {
    /// The language's code.
    pub lang: String,
    /// The language's writing direction, `ltr` or `rtl`.
    pub dir: Direction,
    /// Link to the language's front page (an absolute path: the page is served for any URL).
    pub href: String,
    /// UI string `home` of the language.
    pub home: String,
    /// UI string `not_found_title` of the language.
    pub title: String,
    /// UI string `not_found_text` of the language.
    pub text: String,
}

pub fn guide_index(env: &PageEnv) -> Page<GuideIndexPage> {
    let env = &env.at("guides/");
    let guides = env.site().guides();
    Page {
        path: "guides/".into(),
        template: "guides.html",
        title: env.strings.get("guides").to_string(),
        updated: guides.iter().filter_map(|g| g.updated).max(),
        data: GuideIndexPage { guides: (0..guides.len()).filter_map(|g| env.guide_summary(g)).collect() },
    }
}

/// Guide `g`; `None` for a guide with no document (impossible once loaded).
pub fn guide(env: &PageEnv, g: usize) -> Option<Page<GuidePage>> {
    let site = env.site();
    let guide = &site.guides()[g];
    let path = super::site_path(env.ctx(), super::Unit::Guide(g));
    let env = &env.at(&path);
    let summary = env.guide_summary(g)?;
    let di = guide.doc_index(env.lang_code(), site.default_lang())?;
    let rendered = render_document(&guide.docs[di].body, env.ctx().code_style());
    if rendered.has_code {
        env.note_code();
    }
    Some(Page {
        path,
        template: "guide.html",
        title: summary.title.clone(),
        updated: guide.updated,
        data: GuidePage {
            guide: summary,
            html: rendered.html,
            toc: rendered.toc,
            updated: guide.updated.map(|t| env.time(t)),
            services: env.guide_services(g).iter().map(|&s| env.service_summary(s)).collect(),
        },
    })
}

/// Notice `n`; `None` for a notice with no document (impossible once loaded).
pub fn notice(env: &PageEnv, n: usize) -> Option<Page<NoticePage>> {
    let path = super::site_path(env.ctx(), super::Unit::Notice(n));
    let env = &env.at(&path);
    let notice = env.notice(n)?;
    Some(Page {
        path,
        template: "notice.html",
        title: notice.title.clone(),
        updated: env.site().notices()[n].from,
        data: NoticePage { notice, active: env.active_notices().contains(&n) },
    })
}

/// `404.html`, in an environment whose links are absolute paths ([`PageEnv::rooted`]).
pub fn not_found(env: &PageEnv) -> Page<NotFoundPage> {
    let ctx = env.ctx();
    let all = ctx.all_strings();
    let homes = ctx
        .languages()
        .iter()
        .zip(all)
        .enumerate()
        .map(|(i, (lang, s))| Home {
            lang: lang.clone(),
            dir: Direction::of(lang),
            href: format!("{}{}", env.root(), ctx.lang_prefix(i)),
            home: s.get("home").to_string(),
            title: s.get("not_found_title").to_string(),
            text: s.get("not_found_text").to_string(),
        })
        .collect();
    Page {
        path: String::new(),
        template: "404.html",
        title: env.strings.get("not_found_title").to_string(),
        updated: None,
        data: NotFoundPage { homes },
    }
}
