//! RSS 2.0 and Atom 1.0 feeds: one item per published update (service updates, incident
//! updates, maintenance announcements), newest first, per language, plus one RSS feed per
//! service. Written by hand: the formats are small and a hand-written writer keeps every
//! byte under our control, which deterministic output needs (docs/outputs.md).
//!
//! Also home to the helpers the other machine-readable formats share (phase labels, XML
//! escaping, the site's host name).

use super::{BuildContext, OutputFile};
use crate::model::derive::UpdateRef;
use crate::model::Text;
use crate::render::escape::escape_html;
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use std::collections::BTreeSet;

/// Feeds hold the newest 50 items so they never grow without bound.
pub const MAX_ITEMS: usize = 50;

/// Helpers shared by the feed, API, calendar and badge writers.
impl BuildContext<'_> {
    /// The label of an incident or maintenance phase in language `lang`.
    pub fn phase_label(&self, phase: crate::model::Phase, lang: usize) -> String {
        self.strings(lang).phase(phase).to_string()
    }

    /// The host name of the base URL (without user info and port), for UIDs and tag URIs:
    /// see [`crate::model::url::site_host`].
    pub fn site_host(&self) -> String {
        crate::model::url::site_host(&self.base_url)
    }

    /// HTML of a text for use outside the site's pages: root-relative links in it
    /// (`/guides/x/`, as authors write them) become absolute, since a feed reader or a
    /// mail client has no page to resolve them against.
    pub fn html_absolute(&self, text: &Text, lang: usize) -> String {
        absolutize(&self.html(text, lang), &self.base_url)
    }
}

/// Make `href="/..."` and `src="/..."` absolute against `base` (which ends in `/`).
fn absolutize(html: &str, base: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        let next = ["href=\"/", "src=\"/"]
            .iter()
            .filter_map(|p| rest.find(p).map(|i| (i, p.len())))
            .min_by_key(|(i, _)| *i);
        let Some((i, len)) = next else { break };
        let after = &rest[i + len..];
        out.push_str(&rest[..i + len - 1]);
        if after.starts_with('/') {
            // Protocol-relative `//host/...`: leave as it is.
            out.push('/');
        } else {
            out.push_str(base);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Escape text for XML element content and attribute values. Characters XML 1.0 does not
/// allow at all (most C0 controls, U+FFFE/U+FFFF) are dropped: they cannot be escaped,
/// and one of them would make the whole feed unreadable.
pub fn xml_escape(s: &str) -> String {
    // Feeds and the sitemap escape every text and URL: copy the runs between special
    // characters at once. All of them start with an ASCII byte or 0xEF (U+FFFE and U+FFFF
    // are EF BF BE / EF BF BF), so every index where one is found is a char boundary.
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 8);
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (replacement, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b if b < 0x20 => ("", 1),
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => ("", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        out.push_str(replacement);
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
    out
}

/// RFC 822 date as RSS wants it (`Sun, 27 Nov 2022 07:15:00 +0000`).
pub fn rfc822(t: DateTime<Utc>) -> String {
    t.to_rfc2822()
}

/// RFC 3339 in UTC (`2022-11-27T07:15:00Z`), for Atom.
pub fn rfc3339_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// One published update with what every feed format needs, language-independent.
pub(crate) struct Item<'a> {
    pub at: DateTime<Utc>,
    /// `service` or `incident`: part of the GUID, so ids of both kinds never collide.
    pub kind: &'static str,
    pub owner_id: &'a str,
    pub owner_name: &'a Text,
    pub anchor: &'a str,
    /// Site path of the page with the anchor (`incidents/x/#u-...`), without language.
    pub path: String,
    /// State id (service updates) or phase (incident updates).
    pub status: ItemStatus<'a>,
    pub text: Option<&'a Text>,
    /// Affected services, by index into `site.services`, in service display order.
    pub services: Vec<usize>,
    /// State changes of an incident update.
    pub set: &'a [(String, crate::model::StateId)],
}

/// What an update reports: a service's new state or an incident's phase.
#[derive(Clone, Copy)]
pub(crate) enum ItemStatus<'a> {
    State(&'a str),
    Phase(crate::model::Phase),
}

impl<'a> Item<'a> {
    pub(crate) fn new(ctx: &BuildContext<'a>, u: UpdateRef) -> Option<Item<'a>> {
        let site = ctx.site;
        match u {
            UpdateRef::Service { service, update } => {
                let svc = site.services.get(service)?;
                let up = svc.updates.get(update)?;
                Some(Item {
                    at: up.at,
                    kind: "service",
                    owner_id: &svc.id,
                    owner_name: &svc.name,
                    anchor: ctx.derived.services.get(service)?.own_anchors.get(update)?,
                    path: ctx.update_path(u),
                    status: ItemStatus::State(&up.status),
                    text: up.text.as_ref(),
                    services: vec![service],
                    set: &[],
                })
            }
            UpdateRef::Incident { incident, update } => {
                let inc = site.incidents.get(incident)?;
                let up = inc.updates.get(update)?;
                let services = (0..site.services.len())
                    .filter(|&si| {
                        let id = &site.services[si].id;
                        inc.services.contains(id) || up.set.iter().any(|(s, _)| s == id)
                    })
                    .collect();
                Some(Item {
                    at: up.at,
                    kind: "incident",
                    owner_id: &inc.id,
                    owner_name: &inc.title,
                    anchor: &ctx.site.incidents.get(incident)?.updates.get(update)?.anchor,
                    path: ctx.update_path(u),
                    status: ItemStatus::Phase(up.phase),
                    text: up.text.as_ref(),
                    services,
                    set: &up.set,
                })
            }
        }
    }

    fn status_label(&self, ctx: &BuildContext, lang: usize) -> String {
        match self.status {
            ItemStatus::Phase(p) => ctx.phase_label(p, lang),
            ItemStatus::State(s) => ctx.state_label(s, lang),
        }
    }

    fn title(&self, ctx: &BuildContext, lang: usize) -> String {
        format!("{} – {}", ctx.plain(self.owner_name, lang), self.status_label(ctx, lang))
    }

    /// The update as HTML: its text, then the state changes it made.
    fn body_html(&self, ctx: &BuildContext, lang: usize) -> String {
        let mut html = match self.text {
            Some(t) if !t.get(lang).text.trim().is_empty() => ctx.html_absolute(t, lang),
            _ => escape_html(&self.status_label(ctx, lang)),
        };
        let changes: Vec<String> = self
            .set
            .iter()
            .map(|(sid, st)| {
                let name =
                    ctx.site.service(sid).map(|s| ctx.plain(&s.name, lang)).unwrap_or_else(|| sid.clone());
                format!("<li>{}: {}</li>", escape_html(&name), escape_html(&ctx.state_label(st, lang)))
            })
            .collect();
        if !changes.is_empty() {
            html.push_str(&format!(
                "\n<p>{}:</p>\n<ul>{}</ul>",
                escape_html(ctx.strings(lang).get("new_state")),
                changes.concat()
            ));
        }
        html
    }

    fn link(&self, ctx: &BuildContext, lang: usize) -> String {
        ctx.lang_url(lang, &self.path)
    }

    /// RSS GUID: the site's URL in that language plus a fragment naming the update. It
    /// depends only on the owner's id and the update's anchor, which derive.rs keeps
    /// stable when other updates are added or edited.
    fn guid(&self, ctx: &BuildContext, lang: usize) -> String {
        format!("{}#{}/{}/{}", ctx.lang_url(lang, ""), self.kind, self.owner_id, self.anchor)
    }

    /// Atom id: a tag URI (RFC 4151) built from the same stable parts as the GUID.
    fn tag_id(&self, ctx: &BuildContext, lang: usize) -> String {
        format!(
            "tag:{},{}:{}/{}/{}/{}",
            ctx.site_host(),
            self.at.format("%Y-%m-%d"),
            ctx.lang_code(lang),
            self.kind,
            self.owner_id,
            self.anchor
        )
    }
}

/// The published updates of the site (or of one service), newest first, at most 50.
fn items<'a>(ctx: &BuildContext<'a>, service: Option<usize>) -> Vec<Item<'a>> {
    ctx.derived
        .updates
        .iter()
        .filter(|(_, u)| service.is_none_or(|si| affects(ctx, *u, si)))
        .filter_map(|(_, u)| Item::new(ctx, *u))
        .take(MAX_ITEMS)
        .collect()
}

/// Whether update `u` concerns service `si`: a cheap test before an item is built, so a
/// per-service feed does not build an item for every update of the site.
fn affects(ctx: &BuildContext, u: UpdateRef, si: usize) -> bool {
    match u {
        UpdateRef::Service { service, .. } => service == si,
        UpdateRef::Incident { incident, update } => {
            let (Some(inc), Some(svc)) = (ctx.site.incidents.get(incident), ctx.site.services.get(si)) else {
                return false;
            };
            inc.services.contains(&svc.id)
                || inc.updates.get(update).is_some_and(|up| up.set.iter().any(|(s, _)| *s == svc.id))
        }
    }
}

/// Atom's `updated`, which a feed must have: the newest time in the content, never the
/// clock, so that a rebuild without changes gives the same bytes. A site with no update at
/// all uses "now".
fn feed_updated(ctx: &BuildContext, items: &[Item]) -> DateTime<Utc> {
    items.first().map(|i| i.at).or(ctx.derived.last_updated).unwrap_or(ctx.derived.now)
}

struct Channel {
    title: String,
    link: String,
    description: String,
    self_url: String,
}

fn rss(ctx: &BuildContext, lang: usize, ch: &Channel, items: &[Item]) -> String {
    let e = xml_escape;
    let mut x = String::with_capacity(4096 + items.len() * 2048);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    x.push_str(&format!("<title>{}</title>\n", e(&ch.title)));
    x.push_str(&format!("<link>{}</link>\n", e(&ch.link)));
    x.push_str(&format!("<description>{}</description>\n", e(&ch.description)));
    x.push_str(&format!("<language>{}</language>\n", e(ctx.lang_code(lang))));
    // The newest item's time; a feed without items has none (RSS does not require it), so
    // that it depends on nothing but its own items.
    if let Some(newest) = items.first() {
        x.push_str(&format!("<lastBuildDate>{}</lastBuildDate>\n", rfc822(newest.at)));
    }
    x.push_str("<generator>aushang</generator>\n");
    x.push_str(&format!(
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        e(&ch.self_url)
    ));
    for it in items {
        x.push_str("<item>\n");
        x.push_str(&format!("<title>{}</title>\n", e(&it.title(ctx, lang))));
        x.push_str(&format!("<link>{}</link>\n", e(&it.link(ctx, lang))));
        x.push_str(&format!("<guid isPermaLink=\"false\">{}</guid>\n", e(&it.guid(ctx, lang))));
        x.push_str(&format!("<pubDate>{}</pubDate>\n", rfc822(it.at)));
        for &si in &it.services {
            x.push_str(&format!(
                "<category>{}</category>\n",
                e(&ctx.plain(&ctx.site.services[si].name, lang))
            ));
        }
        // Escaped rather than CDATA: no text can end the section early (`]]>`).
        x.push_str(&format!("<description>{}</description>\n", e(&it.body_html(ctx, lang))));
        x.push_str("</item>\n");
    }
    x.push_str("</channel>\n</rss>\n");
    x
}

fn atom(ctx: &BuildContext, lang: usize, ch: &Channel, items: &[Item]) -> String {
    let e = xml_escape;
    let mut x = String::with_capacity(4096 + items.len() * 2048);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        e(ctx.lang_code(lang))
    ));
    // The feed's own URL is its id: stable, unique, and what readers already know it by.
    x.push_str(&format!("<id>{}</id>\n", e(&ch.self_url)));
    x.push_str(&format!("<title>{}</title>\n", e(&ch.title)));
    x.push_str(&format!("<subtitle>{}</subtitle>\n", e(&ch.description)));
    x.push_str(&format!("<updated>{}</updated>\n", rfc3339_utc(feed_updated(ctx, items))));
    x.push_str(&format!("<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", e(&ch.link)));
    x.push_str(&format!("<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", e(&ch.self_url)));
    x.push_str(&format!(
        "<author><name>{}</name><uri>{}</uri></author>\n",
        e(&ctx.plain(&ctx.site.config.title, lang)),
        e(&ctx.lang_url(lang, ""))
    ));
    x.push_str("<generator>aushang</generator>\n");
    for it in items {
        x.push_str("<entry>\n");
        x.push_str(&format!("<id>{}</id>\n", e(&it.tag_id(ctx, lang))));
        x.push_str(&format!("<title type=\"text\">{}</title>\n", e(&it.title(ctx, lang))));
        x.push_str(&format!("<updated>{}</updated>\n", rfc3339_utc(it.at)));
        x.push_str(&format!("<published>{}</published>\n", rfc3339_utc(it.at)));
        x.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            e(&it.link(ctx, lang))
        ));
        for &si in &it.services {
            let s = &ctx.site.services[si];
            x.push_str(&format!(
                "<category term=\"{}\" label=\"{}\"/>\n",
                e(&s.id),
                e(&ctx.plain(&s.name, lang))
            ));
        }
        // A text that fell back to another language says so, as the pages do.
        let text_lang = it.text.map(|t| t.get(lang)).filter(|r| r.fallback).map(|r| r.lang.clone());
        let lang_attr = text_lang.map(|l| format!(" xml:lang=\"{}\"", e(&l))).unwrap_or_default();
        x.push_str(&format!(
            "<content type=\"html\"{}>{}</content>\n",
            lang_attr,
            e(&it.body_html(ctx, lang))
        ));
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// The site's feeds and the feeds of `services` only (`None`: of every service).
pub fn files_for(ctx: &BuildContext, services: Option<&BTreeSet<usize>>) -> Vec<OutputFile> {
    let mut out = Vec::new();
    let all = items(ctx, None);
    for lang in 0..ctx.languages().len() {
        let prefix = ctx.lang_prefix(lang);
        let title = ctx.plain(&ctx.site.config.title, lang);
        let description = format!("{}: {}", ctx.strings(lang).get("feed_description"), title);
        let ch = Channel {
            title: title.clone(),
            link: ctx.lang_url(lang, ""),
            description: description.clone(),
            self_url: ctx.lang_url(lang, "feed.xml"),
        };
        out.push(OutputFile::new(format!("{prefix}feed.xml"), rss(ctx, lang, &ch, &all)));
        let ch = Channel { self_url: ctx.lang_url(lang, "atom.xml"), ..ch };
        out.push(OutputFile::new(format!("{prefix}atom.xml"), atom(ctx, lang, &ch, &all)));
    }
    let chosen: Vec<usize> =
        (0..ctx.site.services.len()).filter(|si| services.is_none_or(|set| set.contains(si))).collect();
    let per_service: Vec<Vec<OutputFile>> = chosen
        .par_iter()
        .map(|&si| {
            let svc = &ctx.site.services[si];
            let items = items(ctx, Some(si));
            let page = format!("services/{}/", svc.id);
            (0..ctx.languages().len())
                .map(|lang| {
                    let title = ctx.plain(&ctx.site.config.title, lang);
                    let name = ctx.plain(&svc.name, lang);
                    let ch = Channel {
                        title: format!("{name} – {title}"),
                        link: ctx.lang_url(lang, &page),
                        description: format!("{}: {name}", ctx.strings(lang).get("service_feed_description")),
                        self_url: ctx.lang_url(lang, &format!("{page}feed.xml")),
                    };
                    let path = format!("{}{page}feed.xml", ctx.lang_prefix(lang));
                    OutputFile::new(path, rss(ctx, lang, &ch, &items))
                })
                .collect()
        })
        .collect();
    out.extend(per_service.into_iter().flatten());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_illegal_controls() {
        assert_eq!(
            xml_escape("<a href=\"x\">&'</a>]]>\u{1}ä😀"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;]]&gt;ä😀"
        );
        // The two noncharacters go; their neighbours, tabs and line breaks stay.
        assert_eq!(
            xml_escape("a\u{FFFE}b\u{FFFF}c\u{FFFD}\u{FBFF}\u{EFFF}\t\n\r\u{1F}\u{0}"),
            "abc\u{FFFD}\u{FBFF}\u{EFFF}\t\n\r"
        );
        assert_eq!(xml_escape("\u{FFFE}"), "");
        assert_eq!(xml_escape("x\u{EF}"), "x\u{EF}");
    }

    #[test]
    fn root_relative_links_become_absolute() {
        let html = r#"<a href="/guides/x/">x</a> <a href="//cdn/x">y</a> <img src="/a.png"> <a href="https://o/">z</a>"#;
        assert_eq!(
            absolutize(html, "https://s.example/status/"),
            r#"<a href="https://s.example/status/guides/x/">x</a> <a href="//cdn/x">y</a> <img src="https://s.example/status/a.png"> <a href="https://o/">z</a>"#
        );
    }

    #[test]
    fn rfc822_uses_gmt_offset() {
        let t = DateTime::parse_from_rfc3339("2022-11-27T08:15:00+01:00").map(|t| t.with_timezone(&Utc));
        assert_eq!(t.map(rfc822).ok().as_deref(), Some("Sun, 27 Nov 2022 07:15:00 +0000"));
    }
}
