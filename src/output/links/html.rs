//! A page's `id`s and links as a browser reads them, with html5gum's WHATWG tokenizer:
//! quoted, single-quoted and unquoted attribute values, character references decoded,
//! attribute names in any case, nothing inside comments, `<script>`, `<style>` or other
//! raw text, a tag cut off at the end of the file dropped, and of an attribute given
//! twice on one tag the first.
//!
//! `<template>`: its content is not part of the page until a script copies it in, so its
//! `id`s are no targets of a `#fragment` (`getElementById` and fragment navigation do
//! not see them either); its links are checked, since the content is there to be shown.
//! `<noscript>` is read as markup, as a browser without scripts reads it.

use html5gum::{Emitter, Error, State, Tokenizer};
use std::collections::HashSet;
use std::convert::Infallible;

/// The attributes the check reads.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Attr {
    Id,
    Href,
    Src,
}

/// What the check reads of a page: its `id`s, and the values of its `href` and `src`
/// attributes (decoded), each with the byte offset where the value starts, in page order.
#[derive(Debug, Default)]
pub(super) struct PageAttrs {
    pub ids: HashSet<String>,
    pub hrefs: Vec<(usize, String)>,
    pub srcs: Vec<(usize, String)>,
}

/// Read the `id`, `href` and `src` attributes of `html`.
pub(super) fn read(html: &[u8]) -> PageAttrs {
    let mut reader = AttrReader::default();
    // Reading from memory cannot fail, and the reader makes no tokens.
    for _ in Tokenizer::new_with_emitter(html, &mut reader) {}
    reader.out
}

/// An html5gum [`Emitter`] that keeps only what the check reads. The tokenizer reports
/// each piece of a tag as it reads it; the values of a tag are kept aside until the tag is
/// complete (a tag the file ends in is no tag). Text, comments and doctypes are dropped
/// unread: copying them would be most of the work on a large page.
#[derive(Default)]
struct AttrReader {
    out: PageAttrs,
    /// Bytes read so far: where a value starts.
    position: usize,
    /// The current tag's name, and whether it is a start tag (only a start tag's values
    /// are kept: browsers ignore the attributes of end tags).
    tag: Vec<u8>,
    start_tag: bool,
    /// The name of the last start tag, for the end of `<script>` and other raw text.
    last_start_tag: Vec<u8>,
    /// The current attribute's name; once complete, which of ours it is (None: another,
    /// or one this tag already had: the first of a name counts).
    attr_name: Vec<u8>,
    attr: Option<Option<Attr>>,
    value: Vec<u8>,
    value_start: usize,
    /// The attributes of ours the current tag has had so far.
    seen: [bool; 3],
    /// The current tag's values.
    pending: Vec<(Attr, usize, String)>,
    /// How many `<template>`s the current position is inside.
    templates: usize,
}

impl AttrReader {
    /// The current attribute, now that its name is complete.
    fn attr(&mut self) -> Option<Attr> {
        if let Some(attr) = self.attr {
            return attr;
        }
        let attr = match self.attr_name.as_slice() {
            b"id" => Some(Attr::Id),
            b"href" => Some(Attr::Href),
            b"src" => Some(Attr::Src),
            _ => None,
        }
        .filter(|&a| !std::mem::replace(&mut self.seen[a as usize], true));
        self.attr = Some(attr);
        attr
    }

    /// Put the current attribute's value aside, if it is one of ours and not empty (an
    /// empty link names its own page, which exists; an empty id is no target).
    fn end_attribute(&mut self) {
        if let Some(attr) = self.attr() {
            if !self.value.is_empty() {
                let value = String::from_utf8_lossy(&self.value).into_owned();
                self.pending.push((attr, self.value_start, value));
            }
        }
        self.attr_name.clear();
        self.attr = Some(None);
        self.value.clear();
    }
}

impl Emitter for &mut AttrReader {
    type Token = Infallible;

    fn move_position(&mut self, offset: isize) {
        self.position = self.position.saturating_add_signed(offset);
    }

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.last_start_tag.clear();
        self.last_start_tag.extend_from_slice(last_start_tag.unwrap_or_default());
    }

    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn emit_error(&mut self, _: Error) {}

    fn emit_eof(&mut self) {}

    fn pop_token(&mut self) -> Option<Infallible> {
        None
    }

    fn emit_string(&mut self, _: &[u8]) {}

    fn init_start_tag(&mut self) {
        self.tag.clear();
        self.start_tag = true;
        self.seen = [false; 3];
        self.pending.clear();
        self.attr_name.clear();
        self.attr = Some(None);
    }

    fn init_end_tag(&mut self) {
        self.tag.clear();
        self.start_tag = false;
        self.attr_name.clear();
        self.attr = Some(None);
    }

    fn push_tag_name(&mut self, name: &[u8]) {
        self.tag.extend_from_slice(name);
    }

    fn init_attribute(&mut self) {
        self.end_attribute();
        self.attr = None;
    }

    fn push_attribute_name(&mut self, name: &[u8]) {
        self.attr_name.extend_from_slice(name);
    }

    fn init_attribute_value(&mut self) {
        self.value_start = self.position;
        self.attr();
    }

    fn push_attribute_value(&mut self, value: &[u8]) {
        if self.attr().is_some() {
            self.value.extend_from_slice(value);
        }
    }

    fn emit_current_tag(&mut self) -> Option<State> {
        self.end_attribute();
        if !self.start_tag {
            self.last_start_tag.clear();
            if self.tag == b"template" {
                self.templates = self.templates.saturating_sub(1);
            }
            return None;
        }
        for (attr, offset, value) in self.pending.drain(..) {
            match attr {
                Attr::Id if self.templates == 0 => {
                    self.out.ids.insert(value);
                }
                Attr::Id => {}
                Attr::Href => self.out.hrefs.push((offset, value)),
                Attr::Src => self.out.srcs.push((offset, value)),
            }
        }
        self.last_start_tag.clone_from(&self.tag);
        // What the tree builder does for these in HTML content (HTML 13.2.6.4.7); unlike
        // html5gum's `naive_next_state`, `<noscript>` is read as markup (see the module).
        match self.tag.as_slice() {
            // The template element itself is in the page; what follows is its content.
            b"template" => {
                self.templates += 1;
                None
            }
            b"title" | b"textarea" => Some(State::RcData),
            b"script" => Some(State::ScriptData),
            b"style" | b"xmp" | b"iframe" | b"noembed" | b"noframes" => Some(State::RawText),
            b"plaintext" => Some(State::PlainText),
            _ => None,
        }
    }

    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        !self.start_tag && !self.last_start_tag.is_empty() && self.tag == self.last_start_tag
    }

    fn init_comment(&mut self) {}
    fn push_comment(&mut self, _: &[u8]) {}
    fn emit_current_comment(&mut self) {}
    fn init_doctype(&mut self) {}
    fn push_doctype_name(&mut self, _: &[u8]) {}
    fn set_doctype_public_identifier(&mut self, _: &[u8]) {}
    fn set_doctype_system_identifier(&mut self, _: &[u8]) {}
    fn push_doctype_public_identifier(&mut self, _: &[u8]) {}
    fn push_doctype_system_identifier(&mut self, _: &[u8]) {}
    fn set_force_quirks(&mut self) {}
    fn emit_current_doctype(&mut self) {}
    fn set_self_closing(&mut self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hrefs(html: &str) -> Vec<String> {
        read(html.as_bytes()).hrefs.into_iter().map(|(_, v)| v).collect()
    }

    fn ids(html: &str) -> Vec<String> {
        let mut ids: Vec<String> = read(html.as_bytes()).ids.into_iter().collect();
        ids.sort();
        ids
    }

    #[test]
    fn values_in_every_quoting() {
        let html =
            "<a href=\"d\">1</a><a href='s'>2</a><a href=u>3</a><a href = 'sp' >4</a><A HREF=\"up\">5</A>";
        assert_eq!(hrefs(html), ["d", "s", "u", "sp", "up"]);
        let PageAttrs { hrefs, .. } = read(html.as_bytes());
        for (offset, value) in hrefs {
            assert_eq!(&html[offset..offset + value.len()], value);
        }
        assert_eq!(ids("<p id=one></p><p id='two'></p><P ID=\"three\"></P>"), ["one", "three", "two"]);
    }

    #[test]
    fn character_references_are_decoded() {
        let html = "<a href=\"?a=1&amp;b=2\">1</a><a href='..&#x2F;x&#47;'>2</a><a href=&sol;y>3</a>\
                    <a href=\"?a=1&b=2\">4</a><a href=\"&notit;\">5</a><img src=\"a&nbsp;b.png\">";
        assert_eq!(hrefs(html), ["?a=1&b=2", "../x/", "/y", "?a=1&b=2", "&notit;"]);
        assert_eq!(read(html.as_bytes()).srcs[0].1, "a\u{a0}b.png");
        assert_eq!(ids("<p id=\"a&lt;b&#x27;\"></p>"), ["a<b'"]);
    }

    #[test]
    fn comments_scripts_and_raw_text_hold_no_links() {
        let html = "<!-- <a href=\"c1\"> --><!--<a href=c2>--><script>let a = '<a href=\"s\">';</script>\
                    <style>a[href=\"st\"] {}</style><title><a href=\"t\"></title>\
                    <textarea><a href=\"ta\"></textarea><!DOCTYPE html><a href=\"real\">x</a>\
                    <noscript><a href=\"ns\">y</a></noscript>";
        assert_eq!(hrefs(html), ["real", "ns"]);
        assert_eq!(ids("<!-- <p id=\"c\"> --><p id=\"p\"><script>'<p id=\"s\">'</script>"), ["p"]);
    }

    #[test]
    fn template_content_has_links_but_no_targets() {
        let html =
            "<template id=\"t\"><p id=\"inner\"><a href=\"in\">x</a><template><p id=\"deeper\"></template>\
                    <p id=\"still-inner\"></template><p id=\"after\"><a href=\"out\">y</a>";
        assert_eq!(ids(html), ["after", "t"]);
        assert_eq!(hrefs(html), ["in", "out"]);
        // A stray end tag does not make the rest of the page template content.
        assert_eq!(ids("</template><p id=\"x\">"), ["x"]);
    }

    #[test]
    fn tags_as_browsers_see_them() {
        // The first of two attributes of a name counts; end tags have no attributes; a
        // tag the file ends in is no tag; an empty value is no link.
        assert_eq!(hrefs("<a href=\"first\" HREF=\"second\">x</a>"), ["first"]);
        assert_eq!(hrefs("<a>x</a href=\"end\"><a href=\"\">e</a><a href>n</a>"), Vec::<String>::new());
        assert_eq!(hrefs("<a href=\"ok\">x</a><a href=\"cut"), ["ok"]);
        assert_eq!(hrefs("<a href=\"ok\">x</a><a href=\"cut\""), ["ok"]);
        assert_eq!(ids("<p id=\"a\" id=\"b\"><p data-id=\"c\" idx=\"d\">"), ["a"]);
    }

    #[test]
    fn offsets_count_bytes_of_the_page() {
        let html = "<p>é\r\n€</p>\r\n<a title='ä' href='x'>";
        let PageAttrs { hrefs, .. } = read(html.as_bytes());
        assert_eq!(hrefs, [(html.find("x'").unwrap(), "x".to_string())]);
    }
}
