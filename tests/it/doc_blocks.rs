//! The examples of the project's Markdown documents (README.md, docs/*.md) as the doc tests
//! in `doc_examples.rs` read them: fenced blocks with their language, attributes and line,
//! and the `<!-- docs-test: ... -->` comments that set the scene for the blocks after them.
//! Also the rules every block must follow so that no example escapes the tests.
//!
//! What a block's info string means:
//!
//! - ` ```console `: commands (`$ ...`) with their expected output, run by trycmd. `[..]`
//!   in a line and `...` on a line of its own stand for output that varies. A command's
//!   output ends with an empty line (trycmd drops the last line break of each output).
//! - ` ```yaml file=PATH ` and ` ```markdown file=PATH `: the file at PATH (relative to
//!   the site root) as the reader writes it. The test writes it into its copy of the site;
//!   under `content/` the site must then pass `aushang check` (unless the block is marked
//!   `invalid`, for examples of mistakes), and other YAML must parse.
//! - ` ```json output=PATH ` (or any language with `output=`): the built file at PATH, in
//!   full, or with `...` lines where parts are left out.
//! - ` ```sh `: commands the tests cannot run (cargo, rsync, `aushang serve`).
//! - ` ```nginx file=... `: the server block that `.ci/nginx` runs in a real nginx.
//!
//! A comment `<!-- docs-test: now=TIME -->` (invisible on the rendered page) sets "now"
//! (RFC 3339) for the commands and checks after it, as SOURCE_DATE_EPOCH; the default is
//! 2026-11-27T12:00:00+01:00. Every document starts in a copy of the example site.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

/// Programs a console block may run; trycmd would skip any other name without a word.
pub const PROGRAMS: [&str; 4] = ["aushang", "git", "rm", "cd"];

/// One thing in a document that the doc tests act on, in document order.
#[derive(Debug, Clone)]
pub enum Item {
    Block(Block),
    /// `<!-- docs-test: key=value ... -->` at `line`.
    Directive {
        line: usize,
        settings: Vec<(String, String)>,
    },
}

/// A fenced code block.
#[derive(Debug, Clone)]
pub struct Block {
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The first word of the info string (`console`, `yaml`, ...); empty for a bare fence.
    pub lang: String,
    /// The other words of the info string: `key=value`, or a flag as `(flag, "")`.
    pub attrs: Vec<(String, String)>,
    /// Whether the fence starts the line (trycmd sees no other fences).
    pub at_line_start: bool,
    /// Whether it is an indented block (no fence at all).
    pub indented: bool,
    pub text: String,
}

impl Block {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub fn flag(&self, name: &str) -> bool {
        self.attrs.iter().any(|(k, v)| k == name && v.is_empty())
    }

    /// The commands of a console block: program (after `KEY=value` words) and arguments,
    /// and the output lines that follow each.
    pub fn commands(&self) -> Vec<Command> {
        let mut out: Vec<Command> = Vec::new();
        for line in self.text.lines() {
            if let Some(cmd) = line.strip_prefix("$ ") {
                let words: Vec<String> =
                    cmd.split_whitespace().skip_while(|w| w.contains('=')).map(String::from).collect();
                out.push(Command { words, output: Vec::new() });
            } else if line.starts_with("> ") || line.starts_with("? ") {
                continue;
            } else if let Some(last) = out.last_mut() {
                last.output.push(line.to_string());
            }
        }
        out
    }
}

#[derive(Debug, Clone)]
pub struct Command {
    pub words: Vec<String>,
    pub output: Vec<String>,
}

fn line_of(src: &str, offset: usize) -> usize {
    src[..offset].bytes().filter(|&b| b == b'\n').count() + 1
}

/// Every fenced block and directive of `src`, in order.
pub fn items(src: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut open: Option<Block> = None;
    for (event, range) in Parser::new_ext(src, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let line = line_of(src, range.start);
                let line_start = src[..range.start].rfind('\n').map_or(0, |i| i + 1);
                let (info, indented) = match kind {
                    CodeBlockKind::Fenced(info) => (info.to_string(), false),
                    CodeBlockKind::Indented => (String::new(), true),
                };
                let mut words = info.split_whitespace();
                let lang = words.next().unwrap_or("").to_string();
                let attrs = words
                    .map(|w| match w.split_once('=') {
                        Some((k, v)) => (k.to_string(), v.to_string()),
                        None => (w.to_string(), String::new()),
                    })
                    .collect();
                let at_line_start = line_start == range.start;
                open = Some(Block { line, lang, attrs, at_line_start, indented, text: String::new() });
            }
            Event::Text(t) => {
                if let Some(b) = open.as_mut() {
                    b.text.push_str(&t);
                }
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                if let Some(b) = open.take() {
                    items.push(Item::Block(b));
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                let t = h.trim();
                if let Some(body) = t.strip_prefix("<!--").and_then(|b| b.strip_suffix("-->")) {
                    if let Some(rest) = body.trim().strip_prefix("docs-test:") {
                        let settings = rest
                            .split_whitespace()
                            .map(|w| match w.split_once('=') {
                                Some((k, v)) => (k.to_string(), v.to_string()),
                                None => (w.to_string(), String::new()),
                            })
                            .collect();
                        items.push(Item::Directive { line: line_of(src, range.start), settings });
                    }
                }
            }
            _ => {}
        }
    }
    items
}

/// Every way in which a document's blocks would escape the doc tests, as messages.
pub fn problems(doc: &str, src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for item in items(src) {
        let Item::Block(b) = item else { continue };
        let at = format!("{doc}:{}", b.line);
        if b.indented {
            out.push(format!("{at}: an indented code block; fence it with a language"));
            continue;
        }
        match b.lang.as_str() {
            "" => out.push(format!("{at}: a fence without a language (trycmd would run it as commands)")),
            "console" => console_problems(&at, &b, &mut out),
            "sh" | "bash" | "shell" | "zsh" => shell_problems(&at, &b, &mut out),
            "yaml" | "yml" | "markdown" | "md" if b.attr("file").is_none() => out.push(format!(
                "{at}: a {} block without `file=PATH`; say which file it is so that the tests check it",
                b.lang
            )),
            "json" | "xml" if b.attr("output").is_none() => out.push(format!(
                "{at}: a {} block without `output=PATH`; name the built file it shows",
                b.lang
            )),
            _ => {}
        }
    }
    out
}

fn console_problems(at: &str, b: &Block, out: &mut Vec<String>) {
    if !b.attrs.is_empty() {
        out.push(format!("{at}: a console block takes no attributes (trycmd reads only `console`)"));
    }
    if !b.at_line_start {
        out.push(format!("{at}: an indented console block; trycmd only sees fences at the start of a line"));
    }
    let commands = b.commands();
    if commands.is_empty() {
        out.push(format!("{at}: a console block without a `$ ` command"));
    }
    for (i, c) in commands.iter().enumerate() {
        let program = c.words.first().map(String::as_str).unwrap_or("");
        if !PROGRAMS.contains(&program) {
            out.push(format!("{at}: `{program}` is not one of {PROGRAMS:?}; trycmd would skip it silently"));
        }
        if program == "cd" && (i + 1 != commands.len() || !c.output.is_empty() || c.words.len() != 2) {
            out.push(format!("{at}: `cd DIR` must be the last command of its block, without output"));
        }
        // trycmd drops the last line break of each command's expected output.
        if c.output.last().is_some_and(|l| !l.is_empty() && l != "...") {
            out.push(format!(
                "{at}: end the output of `{}` with an empty line (or `...`)",
                c.words.join(" ")
            ));
        }
    }
}

fn shell_problems(at: &str, b: &Block, out: &mut Vec<String>) {
    for line in b.text.lines() {
        let code = line.split('#').next().unwrap_or("");
        for part in code.split(['&', '|', ';']) {
            let mut words = part.split_whitespace().skip_while(|w| w.contains('='));
            if words.next() == Some("aushang") && words.next() != Some("serve") {
                out.push(format!(
                    "{at}: `{}` runs aushang in a sh block; make it a console block with its output",
                    line.trim()
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_directives_in_order() {
        let src = "# T\n\n<!-- docs-test: now=2022-11-27T08:15:00+01:00 -->\n\n```console\n$ aushang check\nok\n```\n\n````markdown file=content/guides/a.en.md\n```sh\nx\n```\n````\n";
        let items = items(src);
        assert!(matches!(&items[0], Item::Directive { line: 3, settings } if settings[0].0 == "now"));
        let Item::Block(c) = &items[1] else { panic!() };
        assert_eq!((c.line, c.lang.as_str(), c.commands().len()), (5, "console", 1));
        assert_eq!(c.commands()[0].output, ["ok"]);
        let Item::Block(m) = &items[2] else { panic!() };
        assert_eq!((m.line, m.attr("file")), (10, Some("content/guides/a.en.md")));
        assert_eq!(m.text, "```sh\nx\n```\n");
    }

    #[test]
    fn problems_name_blocks_that_escape_the_tests() {
        let src = "```\nx\n```\n\n```sh\naushang check && git push\naushang serve\n```\n\n```console\n$ cargo build\n$ cd x\n$ aushang check\nok\n```\n\n```yaml\na: 1\n```\n";
        let p = problems("d.md", src);
        assert!(p[0].starts_with("d.md:1: a fence without a language"), "{p:?}");
        assert!(p[1].contains("`aushang check && git push` runs aushang in a sh block"), "{p:?}");
        assert!(p[2].contains("`cargo` is not one of"), "{p:?}");
        assert!(p[3].contains("`cd DIR` must be the last command"), "{p:?}");
        assert!(p[4].contains("end the output of `aushang check` with an empty line"), "{p:?}");
        assert!(p[5].starts_with("d.md:17: a yaml block without `file=PATH`"), "{p:?}");
        assert_eq!(p.len(), 6, "{p:?}");
    }
}
