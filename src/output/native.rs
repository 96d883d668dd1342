//! The default theme's most numerous and largest pages written in Rust: the bytes that
//! `base.html` with `incident.html`, `service_year.html` or `archive.html` (and the
//! `incident_card` macro) of `themes/default/` would render, without Tera.
//!
//! Why: a site with years of history is mostly incident pages (97 % of the pages at
//! 10,000 incidents), and its service and archive year pages are the largest; an edit in
//! `serve` renders its year's archive page. For each, Tera needed its data as freshly
//! built JSON and then paid an allocation or two per path segment it looked up; on
//! incident pages that was about 80 % of their cost. Here pages are written straight from
//! the model, with the same helpers ([`PageEnv`]) that make the data and the ready-made
//! `html` forms for the templates.
//!
//! The templates stay the definition: this is used only while the site's theme overrides
//! neither the page's template, nor `base.html`, nor `macros.html` ([`Theme::native`]);
//! a theme that changes one gets these pages rendered by Tera as before. The test
//! `native_pages_match_the_templates` builds a site both ways and compares every file
//! byte for byte. The layout's shared parts (`templates/shared/`) stay templates, and are
//! used here as rendered.

use super::pages::{
    affected_services, archive_months, archive_path, archive_updated, archive_years, incident_duration,
    incident_updated, page_links, service_year_updated, service_years, year_of, Unit,
};
use super::view::{field, PageEnv, TimelineTexts};
use super::BuildContext;
use crate::render::escape::escape_html;
use crate::render::theme::Theme;
use serde_json::Value;
use std::fmt::Write as _;

/// The site path of `unit`'s page, if this module writes it with `theme`.
pub fn site_path(ctx: &BuildContext, theme: &Theme, unit: Unit) -> Option<String> {
    match unit {
        Unit::Incident(i) if theme.native("incident.html") => {
            Some(format!("incidents/{}/", ctx.site.incidents[i].id))
        }
        Unit::ServiceYear(i, y) if theme.native("service_year.html") => {
            Some(format!("services/{}/{y}/", ctx.site.services[i].id))
        }
        Unit::ArchiveYear(y) if theme.native("archive.html") => Some(archive_path(ctx, y)),
        _ => None,
    }
}

/// The page of `unit` at its [`site_path`] `path` (`env` is at that path), with the
/// rendered shared parts of the layout (`shared`: feeds, site title, pinned notices,
/// footer), and whether a text with highlighted code went into it. `None` for a unit
/// this module does not write.
pub fn page(env: &PageEnv, shared: Option<&Value>, unit: Unit, path: &str) -> Option<(String, bool)> {
    let ctx = env.ctx;
    env.cache.take_code_shown();
    let (main, title, updated) = match unit {
        Unit::Incident(i) => (
            incident_main(env, i),
            ctx.plain(&ctx.site.incidents[i].title, env.lang),
            incident_updated(ctx, i),
        ),
        Unit::ServiceYear(i, y) => (
            service_year_main(env, i, y),
            format!("{} – {y}", ctx.plain(&ctx.site.services[i].name, env.lang)),
            service_year_updated(ctx, i, y),
        ),
        Unit::ArchiveYear(y) => {
            let months = archive_months(ctx, y);
            let heading = env.s_year("this_year", y);
            (archive_main(env, y, &months, &heading), heading, archive_updated(ctx, &months))
        }
        _ => return None,
    };
    let has_code = env.cache.take_code_shown();
    let mut out = String::with_capacity(main.len() + 8192);
    let page = Page { path, title: &title, updated, has_code };
    layout(env, shared, &page, &main, &mut out);
    Some((out, has_code))
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
        escape_html(&env.phase(view.phase)),
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
                    (
                        format!(" {}", escape_html(field(Some(v), "class"))),
                        format!(" {}", field(Some(v), "html")),
                    )
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

/// The `main` block of `service_year.html`.
fn service_year_main(env: &PageEnv, i: usize, y: i32) -> String {
    let ctx = env.ctx;
    let s = &ctx.site.services[i];
    let v = &ctx.derived.services[i];
    let t = |key| ui(env, key);
    let name = env.title_inline(&s.name);
    let heading = env.s_year("history_year", y);
    let mut o = String::with_capacity(16384);
    let _ = write!(
        o,
        "\n<article>\n<p class=\"breadcrumb\"><a href=\"{}\">{name}</a></p>\n<h1>{name}: {}</h1>\n<ol class=\"updates\">\n",
        escape_html(&env.href(&format!("services/{}/", s.id))),
        escape_html(&heading),
    );
    for e in v.timeline.iter().rev().filter(|e| year_of(ctx, e.at) == y) {
        o.push_str(&env.timeline_entry_html(i, e, TimelineTexts::OwnOnly));
        o.push('\n');
    }
    o.push_str("</ol>\n");
    let mut incidents = v
        .incidents
        .iter()
        .filter(|&&x| ctx.derived.incidents[x].started.is_some_and(|t| year_of(ctx, t) == y))
        .peekable();
    if incidents.peek().is_some() {
        let _ = writeln!(
            o,
            "<section aria-labelledby=\"inc-h\"><h2 id=\"inc-h\">{}</h2><ul class=\"plain\">",
            t("incidents")
        );
        for &x in incidents {
            let _ = write!(o, "<li>{}</li>", env.incident_brief_html(x));
        }
        o.push_str("\n</ul></section>");
    }
    let _ = write!(o, "\n<nav aria-label=\"{}\"><ul class=\"inline-list\">", t("older_history"));
    for year in service_years(v, ctx.derived.now, ctx.site.config.timezone).iter().rev() {
        if *year == y {
            let _ = write!(o, "<li><span aria-current=\"page\">{year}</span></li>");
        } else {
            let _ = write!(
                o,
                "<li><a href=\"{}\">{year}</a></li>",
                escape_html(&env.href(&format!("services/{}/{year}/", s.id)))
            );
        }
    }
    o.push_str("</ul></nav>\n</article>\n");
    o
}

/// The `main` block of `archive.html`: the incidents of year `y` by month, and on the
/// current year's page the open incidents and upcoming maintenance as cards.
fn archive_main(
    env: &PageEnv,
    y: i32,
    months: &[Vec<(usize, chrono::DateTime<chrono::Utc>)>],
    heading: &str,
) -> String {
    let ctx = env.ctx;
    let t = |key| ui(env, key);
    let this_year = year_of(ctx, ctx.derived.now);
    let mut o = String::with_capacity(256 + 160 * months.iter().map(Vec::len).sum::<usize>());
    let _ = writeln!(o, "\n<h1>{}</h1>", escape_html(heading));
    if y == this_year {
        o.push('\n');
        let (open, upcoming) = (&ctx.derived.open_incidents, &ctx.derived.upcoming_maintenance);
        if open.is_empty() {
            let _ = write!(o, "<p>{}</p>", t("no_open_incidents"));
        } else {
            card_section(env, "open-h", "open_incidents", open, &mut o);
        }
        o.push('\n');
        if !upcoming.is_empty() {
            card_section(env, "up-h", "upcoming_maintenance", upcoming, &mut o);
        }
        o.push('\n');
    }
    o.push('\n');
    if months.is_empty() {
        let _ = write!(o, "<p>{}</p>", t("no_incidents_year"));
    } else {
        o.push('\n');
        for (n, items) in months.iter().enumerate() {
            let label = items.first().map(|(_, t)| env.format(*t, "month_year")).unwrap_or_default();
            let _ = write!(
                o,
                "<section aria-labelledby=\"m-{0}\"><h2 id=\"m-{0}\">{1}</h2><ul class=\"plain archive\">",
                n + 1,
                escape_html(&label)
            );
            for (i, _) in items {
                let _ = write!(o, "<li>{}", env.incident_brief_html(*i));
                if let Some(impact) = &ctx.derived.incidents[*i].impact {
                    o.push_str(" · ");
                    env.push_state_html(impact, &mut o);
                }
                o.push_str("</li>");
            }
            o.push_str("\n</ul></section>");
        }
        o.push('\n');
    }
    o.push('\n');
    let years = archive_years(ctx);
    if years.len() > 1 {
        let _ = write!(o, "<nav aria-label=\"{0}\"><h2>{0}</h2><ul class=\"inline-list\">", t("archive"));
        for &other in years.iter().rev() {
            if other == y {
                let _ = write!(o, "<li><span aria-current=\"page\">{other}</span></li>");
            } else {
                let _ = write!(
                    o,
                    "<li><a href=\"{}\">{other}</a></li>",
                    escape_html(&env.href(&archive_path(ctx, other)))
                );
            }
        }
        o.push_str("</ul></nav>");
    }
    o.push('\n');
    o
}

/// A `<section>` headed by the UI string `heading` (its `<h2>` has the id `id`) with an
/// incident card for each of `incidents`.
fn card_section(env: &PageEnv, id: &str, heading: &str, incidents: &[usize], o: &mut String) {
    let _ = write!(o, "<section aria-labelledby=\"{id}\"><h2 id=\"{id}\">{}</h2>", ui(env, heading));
    for &i in incidents {
        incident_card(env, i, o);
    }
    o.push_str("</section>");
}

/// The `incident_card` macro of `macros.html` for incident `i`.
fn incident_card(env: &PageEnv, i: usize, o: &mut String) {
    let ctx = env.ctx;
    let inc = &ctx.site.incidents[i];
    let view = &ctx.derived.incidents[i];
    let t = |key| ui(env, key);
    let _ = write!(
        o,
        "\n<article class=\"card kind-{}\">\n  <h3><a href=\"{}\">{}</a></h3>\n  <p class=\"meta\"><span class=\"kind\">{}</span> · <span class=\"phase\">{}</span>\n  ",
        escape_html(inc.kind.as_str()),
        escape_html(&env.href(&format!("incidents/{}/", inc.id))),
        env.title_inline(&inc.title),
        escape_html(&env.kind_label(inc.kind)),
        escape_html(&env.phase(view.phase)),
    );
    if let Some(w) = inc.scheduled {
        let _ = write!(o, " · {}: {} – {}", t("window"), env.time_html(w.from), env.time_html(w.until));
    } else if let Some(started) = view.started {
        let _ = write!(o, " · {}: {}", t("started"), env.time_html(started));
    }
    o.push_str("\n  ");
    if let Some(impact) = &view.impact {
        o.push_str(" · ");
        env.push_state_html(impact, o);
    }
    o.push_str("</p>\n  ");
    if let Some(u) = view.published.checked_sub(1) {
        let up = &inc.updates[u];
        let _ = write!(
            o,
            "<div class=\"latest\"><p class=\"update-head\">{}, {}</p>",
            t("latest_update"),
            env.time_html(up.at)
        );
        if let Some(text) = &up.text {
            o.push_str(&env.text_block(text));
        }
        o.push_str("</div>");
    }
    o.push_str("\n</article>\n");
}

/// `base.html` around `main`.
fn layout(env: &PageEnv, shared: Option<&Value>, page: &Page, main: &str, o: &mut String) {
    let ctx = env.ctx;
    let t = |key| ui(env, key);
    let part = |key| field(shared, key);
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
