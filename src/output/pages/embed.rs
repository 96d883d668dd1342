//! The banner for other sites (`embed/` in every language): one line with the overall
//! state and what is open now, for an `<iframe>` on the institution's home page or
//! intranet. Its links open the status site in the whole window. It must stay small
//! (under 5 KB) whatever happens, so it shows at most [`MAX_SHOWN`] items, each title
//! (and the site's title in its `<title>`) cut to [`MAX_TITLE_CHARS`], and says how many
//! more there are.

use super::env::PageEnv;
use super::values::{Shared, StateValue};
use super::Page;
use crate::model::{Band, IncidentKind};
use crate::render::direction::Direction;
use schemars::JsonSchema;
use serde::Serialize;

/// Site path of the banner, without language prefix.
pub const PATH: &str = "embed/";

/// Open incidents and running maintenance the banner names; the others are counted.
pub const MAX_SHOWN: usize = 3;

/// Characters of a title the banner shows; a longer one ends in "…".
pub const MAX_TITLE_CHARS: usize = 80;

/// `data` of `embed.html`.
#[derive(Serialize, JsonSchema)]
pub struct EmbedPage {
    /// The worst current state of any service.
    pub overall: Shared<StateValue>,
    /// The overall state as a phrase for the whole site, as the status API's
    /// `status.description` says it (UI strings `overall_none` … `overall_maintenance`).
    pub summary: String,
    /// Link to the front page, relative to the banner.
    pub home: String,
    /// Nothing to report: every service is operational and nothing is open or running.
    pub calm: bool,
    /// The open incidents (newest first), then the running maintenance (soonest end
    /// first); at most three.
    pub items: Vec<EmbedItem>,
    /// "+2 more" (UI string `embed_more`) when more are open or running than `items`
    /// shows; else none.
    pub more: Option<String>,
}

/// An open incident or running maintenance on the banner.
#[derive(Serialize, JsonSchema)]
pub struct EmbedItem {
    /// Its title, plain text, cut to 80 characters.
    pub title: String,
    /// The language of the title when another language stands in for the page's; else
    /// none.
    pub lang: Option<String>,
    /// The writing direction of `lang` when it is set: set `dir` wherever `lang` is set.
    pub dir: Option<Direction>,
    /// Link to its page, relative to the banner.
    pub href: String,
    /// `incident` or `maintenance`.
    pub kind: IncidentKind,
}

pub fn page(env: &PageEnv) -> Page<EmbedPage> {
    let env = &env.at(PATH);
    let ctx = env.ctx();
    let overall = env.overall();
    let open: Vec<usize> = env.open_incidents().iter().chain(env.active_maintenance()).copied().collect();
    let items: Vec<EmbedItem> = open.iter().take(MAX_SHOWN).map(|&i| item(env, i)).collect();
    let hidden = open.len() - items.len();
    let calm = open.is_empty() && ctx.site.states.band(overall) == Band::Operational;
    let data = EmbedPage {
        overall: env.state(overall),
        summary: crate::output::api::localized_description(ctx, overall, env.lang),
        home: env.href(""),
        calm,
        items,
        more: (hidden > 0).then(|| env.strings.fill("embed_more", "count", &hidden.to_string())),
    };
    Page {
        path: PATH.into(),
        template: "embed.html",
        title: format!(
            "{} – {}",
            env.strings.get("embed_title"),
            cut(&ctx.plain(&env.site().config().title, env.lang), MAX_TITLE_CHARS)
        ),
        updated: None,
        data,
    }
}

fn item(env: &PageEnv, i: usize) -> EmbedItem {
    let (inc, _) = env.incident(i);
    let shown = inc.title.get(env.lang);
    EmbedItem {
        title: cut(&env.ctx().plain(&inc.title, env.lang), MAX_TITLE_CHARS),
        lang: shown.fallback.then(|| shown.lang.clone()),
        dir: shown.fallback.then(|| Direction::of(&shown.lang)),
        href: env.href(&format!("incidents/{}/", inc.id)),
        kind: inc.kind,
    }
}

/// `s` cut to `max` characters, the last of them "…" when anything was cut.
fn cut(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match s.char_indices().nth(max.saturating_sub(1)) {
        Some((at, _)) if s.chars().count() > max => format!("{}…", s[..at].trim_end()),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::cut;

    #[test]
    fn titles_are_cut_on_characters() {
        assert_eq!(cut("short", 80), "short");
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("äöüß€", 3), "äö…");
        assert_eq!(cut("äöü", 3), "äöü", "characters, not bytes");
        assert_eq!(cut("a\nb  c", 80), "a b c");
        assert_eq!(cut(&"x".repeat(80), 80), "x".repeat(80));
    }
}
