//! The sizes of the printable notice's layout, as the theme's `print.css` declares them:
//! custom properties in its `:root` rule (`--title-size: 22pt; --title-line: 1.2; ...`),
//! which the stylesheet's rules use with `var(...)`. The stylesheet is their one
//! definition: the build reads them from it to decide what fits on the sheet
//! (`output/pages/print_fit.rs`), so a theme restyles the sheet in CSS alone.
//!
//! This is not a CSS parser. It reads the declarations of top-level rules whose selector
//! is exactly `:root`, a later declaration replacing an earlier one, and takes values of
//! two forms only: `<number>pt` (lengths) and a bare `<number>` (line heights, weights).
//! Anything else in a property the layout needs is a theme error at its place, as is
//! such a property declared elsewhere (in `@media`, in `html, :root`), where the browser
//! would apply it but this reader would not see it.

use crate::diagnostics::{Diagnostic, Severity};

/// A length in hundredths of a point.
pub type Len = u64;

/// A style of text on the sheet: size and line height (hundredths of a point), whether it
/// is bold, and the margin above each of its blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub size: Len,
    pub line: Len,
    pub bold: bool,
    pub above: Len,
}

/// The lengths of `print.css`, each named after its custom property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintLayout {
    /// `@page` margins (`--page-margin-top`, ...).
    pub margin_top: Len,
    pub margin_right: Len,
    pub margin_bottom: Len,
    pub margin_left: Len,
    /// The QR code's side (`.qr`) and the gap beside it (`.sheet-head`).
    pub qr_side: Len,
    pub head_gap: Len,
    /// Below the header: padding and rule (`.sheet-head`).
    pub head_padding_bottom: Len,
    pub head_rule: Len,
    /// Above a second language's block: margin, rule, padding (`.lang-block + .lang-block`).
    pub lang_gap: Len,
    pub lang_rule: Len,
    pub lang_padding_top: Len,
    /// The overall state's box: padding above and below, left and right, and border.
    pub overall_padding_y: Len,
    pub overall_padding_x: Len,
    pub overall_border: Len,
    /// Below a list's heading (`h3`): padding and rule.
    pub heading_padding_bottom: Len,
    pub heading_rule: Len,
    /// `h1`: the site's title.
    pub title: Style,
    /// `.title-other`: the title in the second language.
    pub title_other: Style,
    /// `.url`: the address.
    pub url: Style,
    /// `.scan`: the line under the address.
    pub scan: Style,
    /// `.overall`: the overall state.
    pub overall: Style,
    /// `.as-of`: the time the sheet is as of.
    pub as_of: Style,
    /// `h3`: a list's heading.
    pub heading: Style,
    /// `.item h4`: an item's title; its margin is the item's (`--item-above`).
    pub item_title: Style,
    /// `.meta`: the line under an item's title.
    pub meta: Style,
    /// `.text p`, `.empty`: a paragraph.
    pub text: Style,
    /// `.more`: "more at …".
    pub more: Style,
}

impl PrintLayout {
    /// The layout `css` declares; `shown` is the file as errors name it.
    pub fn from_css(css: &str, shown: &str) -> Result<PrintLayout, Box<Diagnostic>> {
        let mut r = Reader::new(css, shown);
        let layout = PrintLayout {
            margin_top: r.length("--page-margin-top"),
            margin_right: r.length("--page-margin-right"),
            margin_bottom: r.length("--page-margin-bottom"),
            margin_left: r.length("--page-margin-left"),
            qr_side: r.length("--qr-side"),
            head_gap: r.length("--head-gap"),
            head_padding_bottom: r.length("--head-padding-bottom"),
            head_rule: r.length("--head-rule"),
            lang_gap: r.length("--lang-gap"),
            lang_rule: r.length("--lang-rule"),
            lang_padding_top: r.length("--lang-padding-top"),
            overall_padding_y: r.length("--overall-padding-y"),
            overall_padding_x: r.length("--overall-padding-x"),
            overall_border: r.length("--overall-border"),
            heading_padding_bottom: r.length("--heading-padding-bottom"),
            heading_rule: r.length("--heading-rule"),
            title: r.style("title", "--title-above"),
            title_other: r.style("title-other", "--title-other-above"),
            url: r.style("url", "--url-above"),
            scan: r.style("scan", "--scan-above"),
            overall: r.style("overall", "--overall-above"),
            as_of: r.style("as-of", "--as-of-above"),
            heading: r.style("heading", "--heading-above"),
            item_title: r.style("item-title", "--item-above"),
            meta: r.style("meta", "--meta-above"),
            text: r.style("text", "--text-above"),
            more: r.style("more", "--more-above"),
        };
        r.finish()?;
        Ok(layout)
    }

    /// The built-in theme's layout.
    #[cfg(test)]
    pub fn built_in() -> PrintLayout {
        PrintLayout::from_css(&built_in_css(), "print.css").unwrap_or_else(|e| panic!("{e}"))
    }
}

/// The built-in theme's `print.css`.
#[cfg(test)]
pub fn built_in_css() -> String {
    crate::embedded::THEME_FILES
        .iter()
        .find(|(path, _)| *path == "static/print.css")
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .expect("the built-in theme has print.css")
}

/// Upper bounds that keep the arithmetic of the fitting far from overflow, in the units
/// of [`number`] (ten-thousandths).
const MAX_LENGTH: u64 = 1_000 * 10_000;
const MAX_LINE: u64 = 10 * 10_000;
const MAX_WEIGHT: u64 = 1_000 * 10_000;

/// The declarations of the `:root` rules of a stylesheet, and the first problem found
/// reading the layout from them.
struct Reader<'a> {
    css: &'a str,
    shown: &'a str,
    /// `css` with comments and strings blanked out (same offsets, same lines).
    plain: String,
    /// Byte ranges of the top-level `:root` rules' blocks.
    roots: Vec<(usize, usize)>,
    /// (name, value, offset of the value) of each declaration in them, in file order.
    declared: Vec<(String, String, usize)>,
    /// Properties the layout needs and `:root` does not declare.
    missing: Vec<String>,
    /// The first located problem: (offset, message).
    problem: Option<(usize, String)>,
}

impl<'a> Reader<'a> {
    fn new(css: &'a str, shown: &'a str) -> Reader<'a> {
        let plain = blank_comments_and_strings(css);
        let roots = root_blocks(&plain);
        let mut declared = Vec::new();
        for &(start, end) in &roots {
            let mut at = start;
            for decl in plain.get(start..end).unwrap_or("").split(';') {
                if let Some((name, value)) = decl.split_once(':') {
                    let value_at = at + name.len() + 1;
                    let lead = value.len() - value.trim_start().len();
                    declared.push((name.trim().to_string(), value.trim().to_string(), value_at + lead));
                }
                at += decl.len() + 1;
            }
        }
        Reader { css, shown, plain, roots, declared, missing: Vec::new(), problem: None }
    }

    /// The value of `name`, a number followed by `unit`, in ten-thousandths, at most
    /// `max`; `expected` says what was expected. Problems are noted and read as 0.
    fn number(&mut self, name: &str, unit: &str, max: u64, expected: &str) -> u64 {
        self.check_declared_elsewhere(name);
        let Some((_, value, at)) = self.declared.iter().rev().find(|(n, ..)| *n == name) else {
            self.missing.push(name.to_string());
            return 0;
        };
        let split =
            value.len().checked_sub(unit.len()).and_then(|i| Some((value.get(..i)?, value.get(i..)?)));
        let parsed = match split {
            Some((n, u)) if u.eq_ignore_ascii_case(unit) => number(n),
            // A zero length needs no unit, in CSS as here.
            _ if !unit.is_empty() && number(value) == Some(0) => Some(0),
            _ => None,
        };
        match parsed.filter(|&v| v <= max) {
            Some(v) => v,
            None => {
                let message = format!("{name}: `{value}`, expected {expected}");
                self.note(*at, message);
                0
            }
        }
    }

    fn length(&mut self, name: &str) -> Len {
        let v = self.number(name, "pt", MAX_LENGTH, "a length in points up to 1000pt, such as `12pt`");
        v.div_ceil(100)
    }

    /// The text style `--<prefix>-size`, `-line`, `-weight` with the margin `above`.
    /// Rounding goes up, so the estimate errs towards more height.
    fn style(&mut self, prefix: &str, above: &str) -> Style {
        let size = self.length(&format!("--{prefix}-size"));
        let line = self.number(
            &format!("--{prefix}-line"),
            "",
            MAX_LINE,
            "a line height without a unit, up to 10, such as `1.3`",
        );
        let weight = self.number(
            &format!("--{prefix}-weight"),
            "",
            MAX_WEIGHT,
            "a font weight up to 1000, such as `400` or `700`",
        );
        // Of DejaVu Sans's two weights, the browser draws weights above 500 bold.
        Style {
            size,
            line: (size * line).div_ceil(10_000),
            bold: weight > 500 * 10_000,
            above: self.length(above),
        }
    }

    /// Notes a declaration of `name` outside the top-level `:root` rules, which the
    /// browser may apply and this reader would not see.
    fn check_declared_elsewhere(&mut self, name: &str) {
        let bytes = self.plain.as_bytes();
        let elsewhere = self.plain.match_indices(name).map(|(at, _)| at).find(|&at| {
            let before = at.checked_sub(1).and_then(|i| bytes.get(i)).copied();
            let after = self.plain.get(at + name.len()..).unwrap_or("").trim_start();
            let is_declaration = !before.is_some_and(is_name_byte) && after.starts_with(':');
            is_declaration && !self.roots.iter().any(|&(s, e)| s <= at && at < e)
        });
        if let Some(at) = elsewhere {
            let message = format!(
                "{name} is declared outside the `:root` rule, expected it only in a top-level \
                 `:root {{ ... }}`, where the build reads the sheet's sizes from"
            );
            self.note(at, message);
        }
    }

    fn note(&mut self, at: usize, message: String) {
        if self.problem.as_ref().is_none_or(|(first, _)| at < *first) {
            self.problem = Some((at, message));
        }
    }

    /// The first problem in the file, else every missing property in one message.
    fn finish(self) -> Result<(), Box<Diagnostic>> {
        let (at, message) = match (self.problem, self.missing.as_slice()) {
            (Some((at, message)), _) => (Some(at), message),
            (None, []) => return Ok(()),
            (None, missing) => {
                let mut names = missing.iter().take(4).cloned().collect::<Vec<_>>().join(", ");
                if missing.len() > 4 {
                    names += &format!(" and {} more", missing.len() - 4);
                }
                let rule = if self.roots.is_empty() {
                    "no `:root` rule declares"
                } else {
                    "`:root` does not declare"
                };
                let message = format!(
                    "{rule} {names}, expected every size of the printable notice as a custom \
                     property in a top-level `:root` rule, as the built-in print.css declares them"
                );
                // At the last `:root` rule, where they would go; the file as a whole when none.
                (self.roots.last().map(|&(start, _)| start - 1), message)
            }
        };
        let (line, col) = at.map_or((0, 0), |at| line_col(self.css, at));
        Err(Box::new(Diagnostic { file: self.shown.into(), line, col, severity: Severity::Error, message }))
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80
}

/// A non-negative decimal number (`12`, `12.5`, `.5`) in ten-thousandths, rounded up;
/// none for anything else.
fn number(s: &str) -> Option<u64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    let dot_ends = s.ends_with('.');
    if (int.is_empty() && frac.is_empty()) || dot_ends || !digits(int) || !digits(frac) || int.len() > 9 {
        return None;
    }
    let whole: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut fraction = 0;
    for (i, b) in frac.bytes().enumerate() {
        let d = u64::from(b - b'0');
        match i {
            0..4 => fraction += d * 10u64.pow(3 - i as u32),
            _ if d > 0 => return Some(whole * 10_000 + fraction + 1),
            _ => {}
        }
    }
    Some(whole * 10_000 + fraction)
}

/// `css` with every comment and the inside of every string replaced by spaces, newlines
/// kept, so that offsets and lines stay those of `css`.
fn blank_comments_and_strings(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let blank = |c: char, out: &mut String| out.push(if c == '\n' { '\n' } else { ' ' });
    while let Some(c) = chars.next() {
        if c == '/' && chars.peek() == Some(&'*') {
            out.push_str("  ");
            chars.next();
            let mut star = false;
            for c in chars.by_ref() {
                let end = star && c == '/';
                star = c == '*';
                (0..c.len_utf8()).for_each(|_| blank(c, &mut out));
                if end {
                    break;
                }
            }
        } else if c == '"' || c == '\'' {
            out.push(c);
            let mut escaped = false;
            for d in chars.by_ref() {
                if d == c && !escaped {
                    out.push(d);
                    break;
                }
                escaped = d == '\\' && !escaped;
                (0..d.len_utf8()).for_each(|_| blank(d, &mut out));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The byte ranges of the blocks of the top-level rules whose selector is `:root`.
fn root_blocks(plain: &str) -> Vec<(usize, usize)> {
    let mut blocks = Vec::new();
    let (mut depth, mut prelude, mut open) = (0usize, 0, None);
    for (i, b) in plain.bytes().enumerate() {
        match b {
            b'{' => {
                if depth == 0 && plain.get(prelude..i).is_some_and(|p| p.trim() == ":root") {
                    open = Some(i + 1);
                }
                depth += 1;
            }
            b'}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    blocks.extend(open.take().map(|start| (start, i)));
                    prelude = i + 1;
                }
            }
            b';' if depth == 0 => prelude = i + 1,
            _ => {}
        }
    }
    blocks.extend(open.map(|start| (start, plain.len())));
    blocks
}

/// 1-based line and column (in characters) of byte `at` of `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
#[path = "print_layout_tests.rs"]
mod tests;
