//! The default theme's incident page, written in Rust: the bytes that `base.html` and
//! `incident.html` of `themes/default/` would render, without Tera.
//!
//! Why: a site with years of history is mostly incident pages (97 % of the pages at
//! 10,000 incidents), and for each one Tera needed its data as freshly built JSON and
//! then paid an allocation or two per path segment it looked up; together that was
//! about 80 % of an incident page's cost. Here the page is written straight from the
//! model, with the same helpers ([`PageEnv`]) that make the data for the templates.
//!
//! The templates stay the definition: this is used only while the site's theme
//! overrides neither of the two (see [`crate::render::theme::Theme::native_incident`]);
//! a theme that changes either gets them rendered by Tera as before. The test
//! `native_incident_pages_match_the_templates` builds a site both ways and compares
//! every incident page byte for byte. The layout's shared parts (`templates/shared/`)
//! stay templates, and are used here as rendered.

use super::pages::{affected_services, incident_duration, incident_updated, page_links};
use super::view::PageEnv;
use crate::render::escape::escape_html;
use serde_json::Value;
use std::fmt::Write as _;

/// The page of incident `i` at its site path `path`, with the rendered shared parts of
/// the layout (`shared`: feeds, site title, pinned notices, footer). Also notes in
/// whether a text with highlighted code went into it.
pub fn incident_page(env: &PageEnv, shared: Option<&Value>, i: usize, path: &str) -> (String, bool) {
    let main = incident_main(env, i);
    let has_code = env.cache.take_code_shown();
    let ctx = env.ctx;
    let title = ctx.plain(&ctx.site.incidents[i].title, env.lang);
    let mut out = String::with_capacity(main.len() + 8192);
    let page = Page { path, title: &title, updated: incident_updated(ctx, i), has_code };
    layout(env, shared, &page, &main, &mut out);
    (out, has_code)
}

/// What the layout needs to know of the page it wraps.
struct Page<'p> {
    path: &'p str,
    /// Plain text.
    title: &'p str,
    updated: Option<chrono::DateTime<chrono::Utc>>,
    has_code: bool,
}

/// The `main` block of `incident.html`.
fn incident_main(env: &PageEnv, i: usize) -> String {
    let ctx = env.ctx;
    let inc = &ctx.site.incidents[i];
    let view = &ctx.derived.incidents[i];
    let t = |key| ui(env, key);
    let mut o = String::with_capacity(4096);
    let _ = write!(
        o,
        "\n<article>\n<h1>{}</h1>\n<dl class=\"facts\">\n  <dt>{}</dt><dd><span class=\"kind\">{}</span> · <span class=\"phase\">{}</span></dd>\n  ",
        env.title_inline(&inc.title),
        t("phase"),
        escape_html(&env.kind_label(inc.kind)),
        escape_html(&env.phase(&view.phase)),
    );
    if let Some(w) = inc.scheduled {
        let _ = write!(
            o,
            "<dt>{}</dt><dd>{} – {}</dd>",
            t("window"),
            env.time_html(w.from),
            env.time_html(w.until)
        );
    }
    o.push_str("\n  ");
    if let Some(started) = view.started {
        let _ = write!(o, "<dt>{}</dt><dd>{}</dd>", t("started"), env.time_html(started));
    }
    let _ = write!(o, "\n  <dt>{}</dt><dd>", t("ended"));
    match view.ended {
        Some(ended) => o.push_str(&env.time_html(ended)),
        None => o.push_str(&t("ongoing")),
    }
    o.push_str("</dd>\n  ");
    if let Some(duration) = incident_duration(env, i).filter(|d| !d.is_empty()) {
        let _ = write!(o, "<dt>{}</dt><dd>{}</dd>", t("duration"), escape_html(&duration));
    }
    o.push_str("\n</dl>\n");
    if let Some(d) = &inc.description {
        o.push_str(&env.text_block(d));
    }
    o.push('\n');
    let services = affected_services(ctx, i);
    if !services.is_empty() {
        let _ = write!(
            o,
            "\n<section aria-labelledby=\"svc-h\"><h2 id=\"svc-h\">{}</h2><ul class=\"services\">\n",
            t("affected_services")
        );
        for (s, state) in services {
            let (class, state_html) = match state {
                Some(st) => env.state_with(st, |v| {
                    let field = |k| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                    (format!(" {}", escape_html(&field("class"))), format!(" {}", field("html")))
                }),
                None => (String::new(), String::new()),
            };
            let _ = write!(
                o,
                "<li class=\"service{class}\"><a href=\"{}\">{}</a>{state_html}</li>",
                escape_html(&env.href(&format!("services/{}/", s.id))),
                env.title_inline(&s.name),
            );
        }
        o.push_str("\n</ul></section>\n");
    }
    let _ = write!(o, "\n<section aria-labelledby=\"upd-h\"><h2 id=\"upd-h\">{}</h2>\n", t("all_updates"));
    if view.published > 0 {
        o.push_str("<ol class=\"updates\">\n");
        for u in (0..view.published).rev() {
            o.push('\n');
            o.push_str(&env.incident_update_html(i, u));
            o.push('\n');
        }
        o.push_str("\n</ol>");
    } else {
        let _ = write!(o, "<p>{}</p>", t("no_updates_yet"));
    }
    o.push_str("\n</section>\n</article>\n");
    o
}

/// `base.html` around `main`.
fn layout(env: &PageEnv, shared: Option<&Value>, page: &Page, main: &str, o: &mut String) {
    let ctx = env.ctx;
    let t = |key| ui(env, key);
    let part = |key| shared.and_then(|s| s.get(key)).and_then(Value::as_str).unwrap_or("");
    let site_title = escape_html(&ctx.plain(&ctx.site.config.title, env.lang));
    let title = escape_html(page.title);
    let links = page_links(env, page.path, page.has_code);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n<title>",
        escape_html(env.lang_code())
    );
    if page.path.is_empty() {
        o.push_str(&title);
    } else {
        let _ = write!(o, "{title} – {site_title}");
    }
    let _ = write!(
        o,
        "</title>\n<meta name=\"description\" content=\"{site_title}: {title}\">\n<link rel=\"canonical\" href=\"{}\">\n",
        escape_html(&links.canonical)
    );
    for a in &links.alternates {
        let _ = writeln!(
            o,
            "<link rel=\"alternate\" hreflang=\"{}\" href=\"{}\">",
            escape_html(a.lang),
            escape_html(&a.abs)
        );
    }
    let _ = writeln!(
        o,
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\">",
        escape_html(&links.x_default)
    );
    o.push_str(part("feeds"));
    for c in &links.css {
        let _ = writeln!(o, "<link rel=\"stylesheet\" href=\"{}\">", escape_html(c));
    }
    let _ = write!(
        o,
        "</head>\n<body>\n<a class=\"skip\" href=\"#main\">{}</a>\n<header class=\"site-header\">\n  \
         <div class=\"wrap header-row\">\n    {}\n    <nav class=\"lang\" aria-label=\"{}\"><ul>\n    ",
        t("skip_to_content"),
        part("site_title"),
        t("language_switch")
    );
    for a in &links.alternates {
        let (lang, name) = (escape_html(a.lang), escape_html(a.name));
        if a.current {
            let _ = write!(o, "<li><span aria-current=\"page\" lang=\"{lang}\">{name}</span></li>");
        } else {
            let _ = write!(
                o,
                "<li><a href=\"{}\" hreflang=\"{lang}\" lang=\"{lang}\">{name}</a></li>",
                escape_html(&a.href)
            );
        }
    }
    let current = |yes: bool| if yes { " aria-current=\"page\"" } else { "" };
    let _ = write!(
        o,
        "\n    </ul></nav>\n  </div>\n  <nav class=\"wrap main-nav\" aria-label=\"{}\"><ul>\n    \
         <li><a href=\"{}\"{}>{}</a></li>\n    <li><a href=\"{}\"{}>{}</a></li>\n    \
         <li><a href=\"{}\"{}>{}</a></li>\n  </ul></nav>\n</header>\n<div class=\"wrap\">\n",
        t("home"),
        escape_html(&env.href("")),
        current(page.path.is_empty()),
        t("status"),
        escape_html(&env.href("incidents/")),
        current(page.path.starts_with("incidents/")),
        t("incidents"),
        escape_html(&env.href("guides/")),
        current(page.path.starts_with("guides/")),
        t("guides"),
    );
    let updated = page.updated.map(|u| format!("{}: {}", t("last_updated"), env.time_html(u)));
    if let Some(u) = &updated {
        let _ = write!(o, "<p class=\"page-updated\">{u}</p>");
    }
    let _ = write!(o, "\n{}<main id=\"main\">\n{main}\n</main>\n</div>\n", part("pinned"));
    o.push_str("<footer class=\"site-footer\"><div class=\"wrap\">\n  ");
    if let Some(u) = &updated {
        let _ = write!(o, "<p>{u}</p>");
    }
    let _ = write!(o, "\n  {}</div></footer>\n</body>\n</html>\n", part("footer"));
}

/// The UI string `key` as `{{ t.key }}` renders it: escaped, and a value that is not
/// text written as Tera writes it.
fn ui(env: &PageEnv, key: &str) -> String {
    let mut s = String::new();
    tera_text(env.strings.get(key).unwrap_or(&Value::Null), &mut s);
    escape_html(&s)
}

/// How Tera prints a value (its `ValueRender`, which it does not export).
fn tera_text(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Number(n) => {
            let _ = match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => write!(out, "{i}"),
                (_, Some(u), _) => write!(out, "{u}"),
                (_, _, Some(f)) => write!(out, "{f}"),
                _ => Ok(()),
            };
        }
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Null => {}
        Value::Array(items) => {
            out.push('[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                tera_text(item, out);
            }
            out.push(']');
        }
        Value::Object(_) => out.push_str("[object]"),
    }
}
