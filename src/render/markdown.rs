//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough, task lists,
//! heading ids (for the table of contents) and highlighted fenced code. Raw HTML is shown
//! as text, never passed through, and links may only use safe schemes.

use super::highlight::{self, CodeStyle};
use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A heading of a rendered document, for its table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Heading {
    /// 2 or 3.
    pub level: u8,
    /// The heading's id, to link to.
    pub id: String,
    /// The heading's text.
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    pub has_code: bool,
}

/// The Markdown the content is written in (also read by [`super::plain_text`]).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Render a whole document (guides, notices, multi-line YAML texts).
pub fn render_document(src: &str, code_style: CodeStyle) -> Rendered {
    let mut toc = Vec::new();
    let mut has_code = false;
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids: Vec<String> = Vec::new();
    let mut parser = Parser::new_ext(src, options());

    while let Some(ev) = parser.next() {
        match ev {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                // Collect the heading's inner events to derive its text and id.
                let mut inner = Vec::new();
                for e in parser.by_ref() {
                    if matches!(e, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    inner.push(sanitize(e));
                }
                let text: String = inner
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.to_string()),
                        _ => None,
                    })
                    .collect();
                let base = id.map(|i| slugify(&i)).unwrap_or_else(|| slugify(&text));
                let base = if base.is_empty() { "section".to_string() } else { base };
                let mut unique = base.clone();
                let mut n = 2;
                while used_ids.contains(&unique) {
                    unique = format!("{base}-{n}");
                    n += 1;
                }
                used_ids.push(unique.clone());
                if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                    toc.push(Heading {
                        level: level as u8,
                        id: unique.clone(),
                        text: text.trim().to_string(),
                    });
                }
                let _ = attrs;
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(unique)),
                    classes,
                    attrs: vec![],
                }));
                events.extend(inner);
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                for e in parser.by_ref() {
                    match e {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => code.push_str(&t),
                        _ => {}
                    }
                }
                has_code = true;
                events.push(Event::Html(CowStr::from(highlight::code_block(&code, &lang, code_style))));
            }
            // A disabled checkbox needs a label to be accessible; a ballot-box character
            // says the same in every language and reads sensibly without CSS.
            Event::TaskListMarker(done) => events.push(Event::Html(CowStr::from(if done {
                "<span class=\"task done\">☑</span> "
            } else {
                "<span class=\"task\">☐</span> "
            }))),
            other => events.push(sanitize(other)),
        }
    }
    let mut out = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Rendered { html: out, toc, has_code }
}

/// Render a YAML text: a one-line text inline (no `<p>`), anything longer as a block.
pub fn render_text(src: &str, code: CodeStyle) -> String {
    let trimmed = src.trim();
    if !trimmed.contains('\n') {
        let r = render_document(trimmed, code);
        let html = r.html.trim_end();
        if let Some(inner) = html.strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>")) {
            if !inner.contains("<p>") {
                return inner.to_string();
            }
        }
        return r.html;
    }
    render_document(trimmed, code).html
}

/// Plain text of Markdown (feeds' titles, JSON summaries, iCalendar).
pub fn to_plain(src: &str) -> String {
    let mut out = String::new();
    for ev in Parser::new_ext(src, options()) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::CodeBlock) => {
                out.push('\n')
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Raw HTML becomes visible text; links and images get only safe URLs.
fn sanitize(ev: Event<'_>) -> Event<'_> {
    match ev {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: safe_url(dest_url), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: safe_url(dest_url), title, id })
        }
        other => other,
    }
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    if is_refused_url(&url) {
        CowStr::from("#")
    } else {
        url
    }
}

/// Whether a link's URL names a scheme other than `http:`, `https:`, `mailto:` and
/// `tel:`; pages write such a link as `#`.
pub(crate) fn is_refused_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let first_sep = lower.find(['/', '?', '#']);
    let has_scheme = match (scheme_end, first_sep) {
        (Some(c), Some(s)) => c < s,
        (Some(_), None) => true,
        _ => false,
    };
    let allowed = ["http:", "https:", "mailto:", "tel:"];
    has_scheme && !allowed.iter().any(|a| lower.starts_with(a))
}

/// Heading text → id: lowercase letters and digits (any script), words joined by `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_and_toc() {
        let r = render_document("## Server & Ports\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ text[^1]\n\n[^1]: note\n\n## Server & Ports\n", CodeStyle::Highlighted);
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("☑"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("footnote"));
        assert_eq!(r.toc[0].id, "server-ports");
        assert_eq!(r.toc[1].id, "server-ports-2");
        assert!(r.html.contains("<h2 id=\"server-ports\">Server &amp; Ports</h2>"));
    }

    #[test]
    fn raw_html_and_bad_links_are_neutralised() {
        let html =
            render_text("Hi <script>alert(1)</script> [x](javascript:alert(1))", CodeStyle::Highlighted);
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("href=\"#\""), "{html}");
        let block = render_document("<div onclick=x>\nhi\n</div>\n", CodeStyle::Highlighted).html;
        assert!(!block.contains("<div"), "{block}");
    }

    #[test]
    fn one_line_is_inline_block_is_paragraphs() {
        assert_eq!(render_text("Mail is **down**", CodeStyle::Highlighted), "Mail is <strong>down</strong>");
        let b = render_text("First.\n\n- a\n- b\n", CodeStyle::Highlighted);
        assert!(b.starts_with("<p>First.</p>"));
        assert!(b.contains("<li>a</li>"));
    }

    #[test]
    fn unknown_code_language_is_plain_escaped() {
        let r = render_document(
            "```sieve\nif header :contains \"x\" <y> { stop; }\n```\n",
            CodeStyle::Highlighted,
        );
        assert!(r.has_code);
        assert!(r.html.contains("&lt;y&gt;"), "{}", r.html);
        assert!(r.html.contains("language-sieve"));
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("IMAP & POP (Empfang)"), "imap-pop-empfang");
        assert_eq!(slugify("Über uns"), "über-uns");
    }
}
