//! Plain text for the text outputs (`status.txt`): Markdown reduced to words with links
//! written as absolute URLs, characters a terminal would act on removed, and the
//! template filters that lay the text out in columns — `wrap` and `underline`, registered
//! on the theme's Tera by [`register_filters`], the one place where they are defined.
//!
//! Widths are display columns (CJK characters and most emoji take two). Lines break at
//! spaces, and inside runs of wide characters where Unicode's line breaking rules allow
//! it (UAX #14, via `textwrap`); a word of narrow characters (a URL, a host name) is never
//! broken: a word wider than the line stands alone on its line.

use super::markdown;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use textwrap::core::{display_width, Word};
use textwrap::{WordSeparator, WordSplitter, WrapAlgorithm};

/// The width the text outputs are wrapped to unless a template asks for another.
pub const DEFAULT_WIDTH: usize = 80;

/// `s` without the characters that a terminal or a relay would act on instead of
/// showing: C0 and C1 controls (escape sequences among them) other than the line break.
/// A tab becomes four spaces, since its width depends on where it stands.
pub fn terminal_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Markdown as plain text: one line per paragraph, heading and list item (list items
/// start with `- ` or `1. `, nested ones indented by two spaces; a task with `[x] `),
/// code blocks indented by four spaces, table rows with cells between ` | `. A link
/// keeps its words and adds its URL in angle brackets (RFC 3986, appendix C), made
/// absolute against `base_url` (the site root, ending in `/`), as feeds do: `/guides/x/`
/// is `<base_url>guides/x/`. A link whose words are its URL is written once; a link to a
/// place on the same page or with a scheme the pages refuse keeps only its words. Raw
/// HTML is shown as text, as on the pages.
pub fn markdown_to_text(src: &str, base_url: &str) -> String {
    let mut w = TextWriter::default();
    for event in Parser::new_ext(src, markdown::options()) {
        w.event(event, base_url);
    }
    let text = w.out.trim_end().to_string();
    // Blank lines collapse to one: block ends and starts both ask for a separation.
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim_end) {
        if !(line.is_empty() && lines.last().is_none_or(|l| l.is_empty())) {
            lines.push(line);
        }
    }
    terminal_safe(&lines.join("\n"))
}

/// The absolute URL a link of the content points to; `None` for links to a place on
/// the same text (`#x`) and for schemes the pages refuse.
pub fn absolute_url(dest: &str, base_url: &str) -> Option<String> {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('#') || markdown::is_refused_url(dest) {
        return None;
    }
    let base = url::Url::parse(base_url).ok()?;
    // Root-relative links are written from the site's root, which may be a folder.
    let relative = match dest.strip_prefix('/') {
        Some(rest) if !rest.starts_with('/') => rest,
        _ => dest,
    };
    base.join(relative).ok().map(String::from)
}

/// Where a list item's marker goes, and the lists it is in.
#[derive(Default)]
struct TextWriter {
    out: String,
    /// Per open list: the next number (`None`: a bulleted list).
    lists: Vec<Option<u64>>,
    /// The marker the next text of a list item starts with.
    pending_marker: Option<String>,
    /// Per open link or image: its URL and where its words start in `out`.
    links: Vec<(Option<String>, usize)>,
    /// Inside a code block: its lines are written as they are, indented.
    in_code: bool,
    /// Cells written in the current table row.
    cells: usize,
}

impl TextWriter {
    /// Indentation of the lines of the current list item.
    fn indent(&self) -> String {
        "  ".repeat(self.lists.len().saturating_sub(1))
    }

    /// Start a new line (unless one is started), with the list item's marker if one waits.
    fn line_start(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        let marker = self.pending_marker.take();
        if !self.lists.is_empty() {
            self.out.push_str(&self.indent());
            match marker {
                Some(m) => self.out.push_str(&m),
                None => self.out.push_str("  "),
            }
        }
    }

    /// A blank line before a block, unless the block opens the text or a list item.
    fn block_gap(&mut self) {
        if self.pending_marker.is_none() && !self.out.is_empty() {
            if !self.out.ends_with('\n') {
                self.out.push('\n');
            }
            if self.lists.is_empty() {
                self.out.push('\n');
            }
        }
    }

    fn block_start(&mut self) {
        self.block_gap();
        self.line_start();
    }

    fn text(&mut self, t: &str) {
        if self.pending_marker.is_some() {
            self.line_start();
        }
        self.out.push_str(t);
    }

    fn event(&mut self, event: Event<'_>, base_url: &str) {
        match event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::BlockQuote(_)) => self.block_start(),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => self.out.push('\n'),
            Event::Start(Tag::CodeBlock(_)) => {
                if self.pending_marker.is_some() {
                    // The item's marker on a line of its own, the code under it.
                    self.line_start();
                    self.out.push('\n');
                }
                self.block_gap();
                self.in_code = true;
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                self.out.push('\n');
            }
            Event::Start(Tag::List(first)) => {
                if self.lists.is_empty() {
                    self.block_start();
                }
                self.lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                self.lists.pop();
                if !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "- ".to_string(),
                };
                if !self.out.is_empty() && !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                self.pending_marker = Some(marker);
            }
            // An empty item still shows its marker.
            Event::End(TagEnd::Item) if self.pending_marker.is_some() => self.line_start(),
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            Event::Start(Tag::Table(_)) => self.block_start(),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                self.cells = 0;
                self.line_start();
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => self.out.push('\n'),
            Event::Start(Tag::TableCell) => {
                if self.cells > 0 {
                    self.out.push_str(" | ");
                }
                self.cells += 1;
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                self.block_start();
                self.out.push_str(&format!("[{name}]: "));
            }
            Event::FootnoteReference(name) => self.text(&format!("[{name}]")),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if self.pending_marker.is_some() {
                    self.line_start();
                }
                let url = absolute_url(&dest_url, base_url);
                self.links.push((url, self.out.len()));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some((Some(url), start)) = self.links.pop() {
                    let words = self.out[start..].trim();
                    let same = words == url
                        || words.is_empty()
                        || url.strip_prefix("mailto:").or(url.strip_prefix("tel:")) == Some(words)
                        || url.trim_end_matches('/') == words.trim_end_matches('/');
                    if words.is_empty() {
                        self.out.push_str(&url);
                    } else if !same {
                        self.out.push_str(&format!(" <{url}>"));
                    }
                }
            }
            Event::Text(t) if self.in_code => {
                let prefix =
                    if self.lists.is_empty() { String::new() } else { format!("{}  ", self.indent()) };
                for line in t.split_inclusive('\n') {
                    if self.out.is_empty() || self.out.ends_with('\n') {
                        self.out.push_str(&prefix);
                        self.out.push_str("    ");
                    }
                    self.out.push_str(line);
                }
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => self.text(&t),
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.line_start(),
            Event::Rule => {
                self.block_start();
                self.out.push_str("---\n");
            }
            _ => {}
        }
    }
}

/// Wrap `text` to `width` columns, every line of it on its own: each output line
/// starts with `indent`, a line that starts with spaces or a list marker (`- `, `1. `)
/// continues under its first word, and a word wider than the line stands alone on a
/// line without any indentation. Blank lines stay blank.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let text = terminal_safe(text);
    let indent = terminal_safe(indent).replace('\n', "");
    let mut out: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let line = line.trim_end();
        if line.is_empty() {
            out.push(String::new());
            continue;
        }
        let content = line.trim_start_matches(' ');
        let lead = &line[..line.len() - content.len()];
        let first = format!("{indent}{lead}");
        let rest = format!("{first}{}", " ".repeat(display_width(list_marker(content))));
        let options = textwrap::Options::new(width)
            .initial_indent(&first)
            .subsequent_indent(&rest)
            .break_words(false)
            .word_separator(WordSeparator::Custom(find_words))
            .word_splitter(WordSplitter::NoHyphenation)
            .wrap_algorithm(WrapAlgorithm::FirstFit);
        for wrapped in textwrap::wrap(content, &options) {
            let wrapped = wrapped.trim_end();
            if display_width(wrapped) > width {
                out.push(wrapped.trim_start().to_string());
            } else {
                out.push(wrapped.to_string());
            }
        }
    }
    out.join("\n")
}

/// The list marker `s` starts with (`- `, `* `, `12. `), or `""`.
fn list_marker(s: &str) -> &str {
    for bullet in ["- ", "* ", "+ "] {
        if s.starts_with(bullet) {
            return &s[..2];
        }
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < 10 && s[digits..].starts_with(". ") {
        return &s[..digits + 2];
    }
    ""
}

/// The words of a line: split at spaces, and where a word holds wide characters, also
/// at the breaks Unicode allows next to one of them. Narrow runs stay whole, so a URL
/// right before a CJK full stop is not broken at its slashes.
fn find_words(line: &str) -> Box<dyn Iterator<Item = Word<'_>> + '_> {
    let mut words = Vec::new();
    // The tokens are adjacent slices of `line`, from its start: `offset` is where the
    // next one begins.
    let mut offset = 0;
    for token in WordSeparator::AsciiSpace.find_words(line) {
        if !token.word.chars().any(is_wide) {
            offset += token.word.len() + token.whitespace.len();
            words.push(token);
            continue;
        }
        let start = offset;
        let end = start + token.word.len() + token.whitespace.len();
        offset = end;
        let word_end = start + token.word.len();
        let mut piece_start = start;
        let mut at = start;
        for piece in WordSeparator::UnicodeBreakProperties.find_words(token.word) {
            at += piece.word.len() + piece.whitespace.len();
            if at >= word_end {
                break;
            }
            let before = line[..at].chars().next_back();
            let after = line[at..].chars().next();
            if before.is_some_and(is_wide) || after.is_some_and(is_wide) {
                words.push(Word::from(&line[piece_start..at]));
                piece_start = at;
            }
        }
        words.push(Word::from(&line[piece_start..end]));
    }
    Box::new(words.into_iter())
}

fn is_wide(c: char) -> bool {
    let mut buf = [0u8; 4];
    display_width(c.encode_utf8(&mut buf)) > 1
}

/// `text` with a line of `rule` characters under it, as wide as its widest line (at
/// most `width` columns).
pub fn underline(text: &str, rule: char, width: usize) -> String {
    let text = terminal_safe(text);
    let columns = text.lines().map(display_width).max().unwrap_or(0).min(width);
    let rule = if display_width(&rule.to_string()) == 1 { rule } else { '-' };
    format!("{text}\n{}", rule.to_string().repeat(columns))
}

/// Register the text filters on `tera`:
///
/// - `wrap(width=80, indent="")`: [`wrap`];
/// - `underline(char="-", width=80)`: [`underline`].
pub fn register_filters(tera: &mut tera::Tera) {
    tera.register_filter(
        "wrap",
        |text: &str, kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            let width = kwargs.get::<usize>("width")?.unwrap_or(DEFAULT_WIDTH).max(1);
            let indent = kwargs.get::<&str>("indent")?.unwrap_or("");
            Ok(wrap(text, width, indent))
        },
    );
    tera.register_filter(
        "underline",
        |text: &str, kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            let width = kwargs.get::<usize>("width")?.unwrap_or(DEFAULT_WIDTH);
            let rule = kwargs.get::<&str>("char")?.and_then(|c| c.chars().next()).unwrap_or('-');
            Ok(underline(text, rule, width))
        },
    );
}

#[cfg(test)]
mod tests;
