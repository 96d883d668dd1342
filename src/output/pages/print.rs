//! The printable notice (`print/`): the current state on one A4 page for notice boards,
//! for the times when mail and the intranet are down and news travels on paper. It shows
//! the overall state, open incidents and running maintenance with their latest update,
//! active pinned notices and upcoming maintenance, the time they are as of, and the site's
//! address with a QR code made here as SVG. On a site of two languages both stand on the
//! sheet when they fit; what does not fit is cut by [`super::print_fit`], which ends the
//! sheet with "more at `<address>`".

use super::env::{Language, PageEnv};
use super::print_fit::{self as fit, Block, Header, Item, List};
use super::values::{IncidentCard, NoticeValue, Shared, StateValue, TextValue, TimeValue};
use super::Page;
use crate::model::derive::UpdateRef;
use crate::render::direction::Direction;
use crate::render::markdown;
use crate::render::print_layout::{PrintLayout, Style};
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Serialize;

/// The page's site path.
pub const PATH: &str = "print/";

/// `data` of `print.html`.
#[derive(Serialize, JsonSchema)]
pub struct PrintPage {
    /// The address of the site's front page in the page's language, printed on the sheet
    /// and held by the QR code.
    pub url: String,
    /// The QR code of `url` as an SVG image (HTML: print it with `| safe`); none for an
    /// address too long for a QR code.
    pub qr: Option<String>,
    /// What the sheet says, one block per language, one above the other: the page's
    /// language first; below it, on a site of several languages, the default language (or
    /// on the default language's page the second one), when both fit on one page.
    pub languages: Vec<PrintLanguage>,
}

/// What the sheet says in one language.
#[derive(Serialize, JsonSchema)]
pub struct PrintLanguage {
    /// The language's code.
    pub lang: String,
    /// The writing direction of `lang`, `ltr` or `rtl`: set `dir` wherever `lang` is set.
    pub dir: Direction,
    /// The theme's UI strings in this language (`t` holds the page language's).
    #[schemars(with = "std::collections::BTreeMap<String, String>")]
    pub t: tera::Value,
    /// The site's title.
    pub title: TextValue,
    /// The worst current state of any service.
    pub overall: Shared<StateValue>,
    /// The time the sheet is as of: the newest update of the site or the newest start of
    /// an active pinned notice, whichever is later (not the time of the build); none on a
    /// site without either.
    pub as_of: Option<Shared<TimeValue>>,
    /// Whether the site has no open incident (the sheet then says so).
    pub none_open: bool,
    /// Open incidents, newest first, with their latest update.
    pub open_incidents: Vec<PrintIncident>,
    /// Maintenance running now, soonest end first.
    pub active_maintenance: Vec<PrintIncident>,
    /// Active pinned notices, most severe first.
    pub notices: Vec<PrintNotice>,
    /// Maintenance still to come, soonest first.
    pub upcoming_maintenance: Vec<PrintIncident>,
    /// "More at https://…" (UI string `print_more_at`) when the sheet leaves items out or
    /// shortens texts to fit on one page; none when everything is on it.
    pub more_at: Option<String>,
}

/// An incident or maintenance on the sheet.
#[derive(Serialize, JsonSchema)]
pub struct PrintIncident {
    #[serde(flatten)]
    pub card: IncidentCard,
    /// The latest update's words as paragraphs of plain text; a shortened text's last
    /// paragraph ends in "…".
    pub paragraphs: Vec<String>,
}

/// A pinned notice on the sheet.
#[derive(Serialize, JsonSchema)]
pub struct PrintNotice {
    #[serde(flatten)]
    pub notice: NoticeValue,
    /// The notice's body as paragraphs of plain text; a shortened body's last paragraph
    /// ends in "…".
    pub paragraphs: Vec<String>,
}

/// The page, fitted to the sheet at the sizes of `layout` (the theme's `print.css`);
/// `language` gives the strings and formats the build made for each language.
pub fn page<'s>(
    env: &PageEnv,
    layout: &PrintLayout,
    language: impl Fn(usize) -> Language<'s>,
) -> Page<PrintPage> {
    let env = &env.at(PATH);
    let ctx = env.ctx();
    let url = ctx.lang_url(env.lang, "");
    let as_of = as_of(env);
    let (mut first, first_estimate) = read(env, layout, as_of);

    let second = second_language(ctx.languages().len(), env.lang)
        .map(|index| read(&env.in_language(&language(index)), layout, as_of));

    let header = |langs: &[&Estimate]| Header {
        titles: langs.iter().map(|e| e.title.clone()).collect(),
        url: url.clone(),
        scan: langs.iter().map(|e| e.scan.clone()).collect(),
    };
    let both = second.as_ref().is_some_and(|(second, second_estimate)| {
        fit::both_fit(
            layout,
            &header(&[&first_estimate, second_estimate]),
            &first_estimate.block(layout, &first),
            &second_estimate.block(layout, second),
        )
    });
    let languages = if both {
        std::iter::once(first).chain(second.map(|(l, _)| l)).collect()
    } else {
        let block = first_estimate.block(layout, &first);
        if let Some(cut) = fit::cut_for(layout, &header(&[&first_estimate]), &block) {
            if block.leaves_out(&cut) {
                first.more_at = Some(first_estimate.more_at);
            }
            apply(layout, &mut first, &cut, &first_estimate.prefixes);
        }
        vec![first]
    };
    Page {
        path: PATH.to_string(),
        template: "print.html",
        title: env.strings.get("print_title").to_string(),
        updated: as_of,
        data: PrintPage { qr: qr_svg(&url), url, languages },
    }
}

/// Keep of `l` what `cut` keeps: the first items of each list, and of each item's text
/// the lines it allows, counted with its prefix (see [`Estimate::prefixes`]).
fn apply(layout: &PrintLayout, l: &mut PrintLanguage, cut: &fit::Cut, prefixes: &[Vec<String>; 4]) {
    let kept = |list: usize| cut.kept.get(list).copied().unwrap_or(0);
    l.open_incidents.truncate(kept(0));
    l.active_maintenance.truncate(kept(1));
    l.notices.truncate(kept(2));
    l.upcoming_maintenance.truncate(kept(3));
    let texts = l
        .open_incidents
        .iter_mut()
        .map(|i| &mut i.paragraphs)
        .chain(l.active_maintenance.iter_mut().map(|i| &mut i.paragraphs))
        .chain(l.notices.iter_mut().map(|n| &mut n.paragraphs))
        .chain(l.upcoming_maintenance.iter_mut().map(|i| &mut i.paragraphs));
    let prefixes = prefixes.iter().zip(&cut.kept).flat_map(|(p, &k)| p.iter().take(k));
    for ((paragraphs, &cap), prefix) in texts.zip(&cut.text_lines).zip(prefixes) {
        let mut short = fit::shorten(layout, &prefixed(prefix, paragraphs), cap);
        // The template writes the prefix; a cut within it keeps none of the text.
        match short.first().and_then(|p| p.strip_prefix(prefix.as_str())) {
            Some(rest) => short[0] = rest.to_string(),
            None => short.clear(),
        }
        *paragraphs = short;
    }
}

/// The language shown below the page's own: the default language, or on the default
/// language's page the second configured one; none on a site of one language.
fn second_language(count: usize, lang: usize) -> Option<usize> {
    match (count, lang) {
        (0 | 1, _) => None,
        (_, 0) => Some(1),
        _ => Some(0),
    }
}

/// The newest update of the site or start of an active pinned notice.
fn as_of(env: &PageEnv) -> Option<DateTime<Utc>> {
    let update = env.newest_updates().next().map(|u| match u {
        UpdateRef::Service { service, update } => env.site().services()[service].updates[update].at,
        UpdateRef::Incident { incident, update } => env.incident(incident).0.updates[update].at,
    });
    let notices = env.pinned_notices().filter_map(|n| env.site().notices()[n].from);
    update.into_iter().chain(notices).max()
}

/// The texts of one language's block as `print.html` writes them, for the fitting: each
/// with the style it is written in. Symbols are written as `✕`, which is measured as
/// wide as any of them.
struct Estimate {
    title: String,
    scan: String,
    overall: String,
    as_of: Option<String>,
    /// Per list: its heading, and what it says when empty.
    headings: [(String, Option<String>); 4],
    /// Per list and item: the title and the lines under it.
    heads: [Vec<Vec<(Style, String)>>; 4],
    /// Per list and item: what stands before its text's first paragraph (the latest
    /// update's time).
    prefixes: [Vec<String>; 4],
    more_at: String,
}

impl Estimate {
    /// The block of `l`, whose texts these are, as the fitting sees it.
    fn block(&self, layout: &PrintLayout, l: &PrintLanguage) -> Block {
        let lists = self
            .headings
            .iter()
            .zip(&self.heads)
            .zip(&self.prefixes)
            .zip(texts(l))
            .map(|((((heading, empty), heads), prefixes), texts)| {
                let items = heads
                    .iter()
                    .zip(prefixes)
                    .zip(texts)
                    .map(|((head, prefix), text)| Item::new(layout, head, &prefixed(prefix, text)))
                    .collect();
                List::new(layout, heading, empty.as_deref(), items)
            })
            .collect();
        Block::new(layout, &self.overall, self.as_of.as_deref(), lists, &self.more_at)
    }
}

/// The texts of each list's items, in the order of the sheet.
fn texts(l: &PrintLanguage) -> [Vec<&Vec<String>>; 4] {
    [
        l.open_incidents.iter().map(|i| &i.paragraphs).collect(),
        l.active_maintenance.iter().map(|i| &i.paragraphs).collect(),
        l.notices.iter().map(|n| &n.paragraphs).collect(),
        l.upcoming_maintenance.iter().map(|i| &i.paragraphs).collect(),
    ]
}

/// `paragraphs` with `prefix` before the first, as the sheet shows them.
fn prefixed(prefix: &str, paragraphs: &[String]) -> Vec<String> {
    let mut v = paragraphs.to_vec();
    if let Some(first) = v.first_mut() {
        first.insert_str(0, prefix);
    }
    v
}

/// Everything the sheet could say in `env`'s language, uncut, and its texts for the fitting.
fn read(env: &PageEnv, layout: &PrintLayout, as_of: Option<DateTime<Utc>>) -> (PrintLanguage, Estimate) {
    let site = env.site();
    let w = |key: &str| env.strings.get(key).to_string();
    let date_time = |t: DateTime<Utc>| env.format(t, "date_time");
    let state = |id| format!("✕ {}", env.ctx().state_label(id, env.lang));
    type Heads = (Vec<PrintIncident>, (Vec<Vec<(Style, String)>>, Vec<String>));
    let incidents = |list: &[usize]| -> Heads {
        list.iter()
            .map(|&i| {
                let card = env.incident_card(i);
                let (record, view) = env.incident(i);
                let text = card.latest.as_ref().and_then(|u| u.text.as_ref());
                let paragraphs = text.map(|t| paragraphs(&t.plain)).unwrap_or_default();
                let mut meta = card.brief.phase.label.clone();
                if let Some(window) = record.scheduled {
                    meta += &format!(
                        " · {}: {} – {}",
                        w("window"),
                        date_time(window.from),
                        date_time(window.until)
                    );
                } else if let Some(started) = view.started {
                    meta += &format!(" · {}: {}", w("started"), date_time(started));
                }
                if let Some(impact) = &view.impact {
                    meta += &format!(" · {}", state(impact));
                }
                let head =
                    vec![(layout.item_title, env.ctx().plain(&record.title, env.lang)), (layout.meta, meta)];
                let latest = view.published.checked_sub(1).and_then(|u| record.updates.get(u));
                let prefix = latest.map(|u| format!("{}: ", date_time(u.at))).unwrap_or_default();
                (PrintIncident { card, paragraphs }, (head, prefix))
            })
            .unzip()
    };
    let (notices, (notice_heads, notice_prefixes)): (Vec<PrintNotice>, (Vec<_>, Vec<_>)) = env
        .pinned_notices()
        .filter_map(|n| {
            let doc = site.notices()[n].doc_for(env.lang_code(), site.default_lang())?;
            let notice = env.notice(n)?;
            let head = vec![(layout.item_title, format!("✕ {}: {}", notice.level_label, notice.title))];
            let paragraphs = paragraphs(&markdown::to_plain(&doc.body));
            Some((PrintNotice { notice, paragraphs }, (head, String::new())))
        })
        .unzip();
    let (open_incidents, (open_heads, open_prefixes)) = incidents(env.open_incidents());
    let (active_maintenance, (active_heads, active_prefixes)) = incidents(env.active_maintenance());
    let (upcoming_maintenance, (upcoming_heads, upcoming_prefixes)) = incidents(env.upcoming_maintenance());
    let overall = env.overall();
    let title = env.text(&site.config().title);
    let estimate = Estimate {
        title: title.plain.clone(),
        scan: w("print_scan"),
        overall: format!("{} {}", w("overall_prefix"), state(overall)),
        as_of: as_of.map(|t| format!("{}: {}", w("print_as_of"), date_time(t))),
        headings: [
            (w("open_incidents"), Some(w("no_open_incidents"))),
            (w("active_maintenance"), None),
            (w("notices"), None),
            (w("upcoming_maintenance"), None),
        ],
        heads: [open_heads, active_heads, notice_heads, upcoming_heads],
        prefixes: [open_prefixes, active_prefixes, notice_prefixes, upcoming_prefixes],
        more_at: env.strings.fill("print_more_at", "url", &env.ctx().lang_url(env.lang, "")),
    };
    let value = PrintLanguage {
        lang: env.lang_code().to_string(),
        dir: Direction::of(env.lang_code()),
        t: tera::Value::from_serializable(env.strings.words()),
        title,
        overall: env.state(overall),
        as_of: as_of.map(|t| env.time(t)),
        none_open: open_incidents.is_empty(),
        open_incidents,
        active_maintenance,
        notices,
        upcoming_maintenance,
        more_at: None,
    };
    (value, estimate)
}

/// The lines of a plain text that hold words.
fn paragraphs(plain: &str) -> Vec<String> {
    plain.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// The QR code of `url` as an SVG element, black on white with the quiet zone the
/// standard asks for, at error correction level M (15 % of the code may be damaged: a
/// sheet on a notice board gets pinned, folded and scribbled on). None when the address
/// is too long for a QR code.
fn qr_svg(url: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .quiet_zone(true)
        .module_dimensions(4, 4)
        .dark_color(qrcode::render::svg::Color("#000"))
        .light_color(qrcode::render::svg::Color("#fff"))
        .build();
    // The renderer writes a standalone file; inline in HTML, the XML declaration goes.
    svg.find("<svg").map(|at| svg[at..].to_string())
}
