//! Syntax highlighting of fenced code with syntect: CSS classes (one stylesheet for light
//! and dark), syntaxes loaded once and only when a page has code. Shell code uses
//! aushang's own compact grammar (`syntaxes/shell.sublime-syntax`), every other language
//! syntect's. An unknown language is plain escaped code, never an error.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder};
use syntect::util::LinesWithEndings;

use super::escape::escape_html;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// How fenced code is written: highlighted, or as plain escaped text for runs that never
/// show the pages (`check`), where loading syntect's syntaxes and themes would be most of
/// the time and links do not depend on colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodeStyle {
    #[default]
    Highlighted,
    Plain,
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The grammar for `sh`, `bash`, `zsh` and `shell` blocks. Status pages show short
/// commands (mount a share, test a connection), and syntect's Bash grammar makes the
/// first such block of every build wait for hundreds of regular expressions to compile:
/// longer than the rest of a small site's build. This one has some forty, with the same
/// scope names.
const SHELL_GRAMMAR: &str = include_str!("syntaxes/shell.sublime-syntax");

/// aushang's own grammars, checked before syntect's. `None` only if one failed to load
/// (syntect checks every pattern on loading; a test loads them), and syntect's serve then.
fn own_syntaxes() -> Option<&'static SyntaxSet> {
    static SET: OnceLock<Option<SyntaxSet>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut builder = SyntaxSetBuilder::new();
        builder.add(SyntaxDefinition::load_from_str(SHELL_GRAMMAR, true, None).ok()?);
        Some(builder.build())
    })
    .as_ref()
}

/// The grammar for a fence's language token, and the set it belongs to.
fn find_syntax(token: &str) -> Option<(&'static SyntaxSet, &'static SyntaxReference)> {
    let own = own_syntaxes().and_then(|ss| Some((ss, ss.find_syntax_by_token(token)?)));
    own.or_else(|| {
        let ss = syntaxes();
        Some((ss, ss.find_syntax_by_token(token)?))
    })
}

/// Blocks already highlighted, by language and code. The same snippet stands in both
/// languages of an update and often in several updates and guides (a mail client's
/// settings), and syntect's regex engine is slow enough for that to matter. Bounded, as
/// `serve` runs for days: emptied when full.
fn highlighted() -> &'static Mutex<HashMap<(String, String), String>> {
    static CACHE: OnceLock<Mutex<HashMap<(String, String), String>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

const HIGHLIGHT_CACHE_ENTRIES: usize = 4096;

/// How every code block [`code_block`] writes begins: pages that show one link the
/// highlighting stylesheet.
pub const CODE_BLOCK_START: &str = "<pre class=\"code\"";

/// Whether `html` holds a code block that [`code_block`] wrote: pages that show one link
/// the highlighting stylesheet.
pub fn has_code_block(html: &str) -> bool {
    // `contains` without setting up a substring search: most texts hold no `<` at all.
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with(CODE_BLOCK_START) {
            return true;
        }
        rest = &rest[1..];
    }
    false
}

/// `<pre><code>` for a fenced block, highlighted when syntect knows the language and
/// `style` asks for it.
pub fn code_block(code: &str, lang: &str, style: CodeStyle) -> String {
    let lang_class: String =
        lang.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == '+').collect();
    let class_attr =
        if lang_class.is_empty() { String::new() } else { format!(" class=\"language-{lang_class}\"") };
    if !lang_class.is_empty() && style == CodeStyle::Highlighted {
        if let Some((ss, syntax)) = find_syntax(&lang_class) {
            let key = (lang_class, code.to_string());
            if let Some(html) = highlighted().lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
                return html.clone();
            }
            let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, ss, CLASS_STYLE);
            let ok = LinesWithEndings::from(code)
                .all(|line| gen.parse_html_for_line_which_includes_newline(line).is_ok());
            if ok {
                let html = format!(
                    "{CODE_BLOCK_START} tabindex=\"0\"><code{class_attr}>{}</code></pre>\n",
                    gen.finalize()
                );
                let mut cache = highlighted().lock().unwrap_or_else(|e| e.into_inner());
                if cache.len() >= HIGHLIGHT_CACHE_ENTRIES {
                    cache.clear();
                }
                cache.insert(key, html.clone());
                return html;
            }
        }
    }
    format!("{CODE_BLOCK_START} tabindex=\"0\"><code{class_attr}>{}</code></pre>\n", escape_html(code))
}

/// The stylesheet for highlighted code: a light theme, and a dark one for readers whose
/// system prefers dark. Made once per process: loading syntect's themes takes several
/// milliseconds, and a build asks for it last, when nothing else is left to run beside it
/// (see `output::generate`, which makes it early).
/// With [`CodeStyle::Plain`] it is only a placeholder: nothing shows it, and loading
/// syntect's themes would cost more than the rest of `highlight.css`'s part in `check`.
pub fn stylesheet(style: CodeStyle) -> &'static str {
    if style == CodeStyle::Plain {
        return "/* Code highlighting is off in this run. */\n";
    }
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| {
        let themes = ThemeSet::load_defaults();
        let mut css = String::from("/* Code highlighting, generated by aushang from syntect's themes. */\n");
        if let Some(light) = themes.themes.get("InspiredGitHub") {
            css.push_str(&readable_css(light));
        }
        if let Some(dark) = themes.themes.get("base16-ocean.dark") {
            css.push_str("@media (prefers-color-scheme: dark) {\n");
            css.push_str(&readable_css(dark));
            css.push_str("}\n");
        }
        css
    })
}

/// The contrast every colour of highlighted code keeps to the code's background: WCAG AA
/// for normal text.
const MIN_CONTRAST: f64 = 4.5;

/// A syntect theme's stylesheet in which every text colour reads against the theme's
/// background at [`MIN_CONTRAST`]: a colour too faint (syntect's themes have several,
/// comments above all) is mixed with black on a light background, with white on a dark
/// one, in small steps until it does.
fn readable_css(theme: &syntect::highlighting::Theme) -> String {
    let mut theme = theme.clone();
    let bg = theme.settings.background.map_or([255, 255, 255], |c| [c.r, c.g, c.b]);
    let fix = |c: &mut syntect::highlighting::Color| {
        [c.r, c.g, c.b] = readable([c.r, c.g, c.b], bg);
    };
    theme.settings.foreground.as_mut().map(fix);
    for item in &mut theme.scopes {
        item.style.foreground.as_mut().map(fix);
    }
    css_for_theme_with_class_style(&theme, CLASS_STYLE).unwrap_or_default()
}

/// `fg`, or the nearest mix of it with black or white (whichever is farther from `bg`)
/// that reaches [`MIN_CONTRAST`] against `bg`.
fn readable(fg: [u8; 3], bg: [u8; 3]) -> [u8; 3] {
    let target = if luminance(bg) > 0.5 { 0.0 } else { 255.0 };
    (0..=50)
        .map(|step| {
            let t = f64::from(step) / 50.0;
            fg.map(|c| (f64::from(c) * (1.0 - t) + target * t).round() as u8)
        })
        .find(|&c| contrast(c, bg) >= MIN_CONTRAST)
        .unwrap_or(fg)
}

/// Relative luminance (WCAG 2).
fn luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

/// Contrast ratio (WCAG 2) of two colours.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_hex(hex: &str) -> Option<[u8; 3]> {
        let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        Some([channel(0)?, channel(2)?, channel(4)?])
    }

    /// Every text colour of `highlight.css`, light and dark, reads at 4.5:1 against the
    /// background of its code (axe found 3.03:1 for syntect's `support.function` green).
    #[test]
    fn every_code_colour_meets_wcag_aa_contrast() {
        assert!((contrast([0x62, 0xa3, 0x5c], [255, 255, 255]) - 3.03).abs() < 0.01);
        let css = stylesheet(CodeStyle::Highlighted);
        let (light, dark) = css.split_once("@media (prefers-color-scheme: dark)").expect("a dark part");
        for part in [light, dark] {
            let colours: Vec<(bool, [u8; 3])> = part
                .match_indices("color: #")
                .filter_map(|(at, m)| {
                    let is_background = part[..at].ends_with('-');
                    Some((is_background, parse_hex(part.get(at + m.len()..at + m.len() + 6)?)?))
                })
                .collect();
            let bg = colours.iter().find(|(is_bg, _)| *is_bg).expect("the code's background").1;
            let texts: Vec<[u8; 3]> = colours.iter().filter(|(is_bg, _)| !is_bg).map(|c| c.1).collect();
            assert!(texts.len() > 20, "{texts:?}");
            for fg in texts {
                assert!(contrast(fg, bg) >= MIN_CONTRAST, "{fg:02x?} on {bg:02x?}: {:.2}", contrast(fg, bg));
            }
        }
    }

    #[test]
    fn known_language_gets_classes() {
        let html = code_block("echo \"hi\" <x>\n", "sh", CodeStyle::Highlighted);
        assert!(html.contains("hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(!html.contains("<x>"));
    }

    /// The text of highlighted HTML: tags dropped, the entities `escape_html` writes undone.
    fn text_of(html: &str) -> String {
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        crate::render::escape::unescape_html(&text).into_owned()
    }

    #[test]
    fn shell_code_uses_the_own_grammar_and_marks_each_kind_of_token() {
        assert!(own_syntaxes().is_some(), "the shell grammar loads");
        let code = "# back up first\n\
            export MAILDIR=\"$HOME/Mail\" # where\n\
            for f in a b; do cp -a ~/Maildir \"${MAILDIR}/$(date +%F)\" 2>&1 | tee -a /tmp/log; done\n\
            if [ -d \"$x\" ]; then echo 'ok' `uname -r` $?; fi && X=1 make\n";
        let html = code_block(code, "sh", CodeStyle::Highlighted);
        for class in [
            "hl-comment hl-line",
            "hl-string hl-quoted hl-double",
            "hl-string hl-quoted hl-single",
            "hl-variable hl-other hl-readwrite",
            "hl-keyword hl-control",
            "hl-keyword hl-operator hl-logical",
            "hl-keyword hl-operator hl-redirection",
            "hl-keyword hl-operator hl-assignment",
            "hl-variable hl-parameter hl-option",
            "hl-variable hl-function",
            "hl-support hl-function hl-builtin",
            "hl-support hl-function hl-test",
            "hl-meta hl-group hl-expansion hl-command",
        ] {
            assert!(html.contains(class), "no {class} in {html}");
        }
        assert!(html.contains("hl-source hl-shell\"") && !html.contains("hl-bash"), "{html}");
        assert_eq!(text_of(&html), format!("{code}\n"));
        for token in ["bash", "zsh", "shell"] {
            assert_eq!(
                code_block(code, token, CodeStyle::Highlighted),
                html.replace("language-sh", &format!("language-{token}"))
            );
        }
        let rust = code_block("fn main() {}\n", "rust", CodeStyle::Highlighted);
        assert!(rust.contains("hl-source hl-rust"), "other languages keep syntect's grammars: {rust}");
    }

    /// Code that is cut off or odd is still all there, escaped, and never a panic.
    #[test]
    fn shell_grammar_keeps_every_character_of_broken_code() {
        let long = "echo ".to_string() + &"x\"$(".repeat(2000);
        for code in [
            "echo \"unterminated\necho 'also\n",
            "$(ls ${HOME\n`\n]] [[ ;; && || | & > < <<EOF\n",
            "$ $$ ${ } $( ) 2>&- &>/dev/null\r\n",
            "no newline at the end",
            "grüße=\"äöü\" ; echo $grüße # ✓ <b>&amp;</b>",
            long.as_str(),
        ] {
            let html = code_block(code, "sh", CodeStyle::Highlighted);
            assert_eq!(text_of(&html), format!("{code}\n"), "{code}");
            assert!(!html.contains("<b>"), "{html}");
        }
    }

    #[test]
    fn repeated_code_is_highlighted_the_same() {
        let code = "require \"fileinto\";\nfileinto \"Tickets\";\n";
        let first = code_block(code, "bash", CodeStyle::Highlighted);
        assert_eq!(code_block(code, "bash", CodeStyle::Highlighted), first);
        assert_ne!(
            code_block(code, "python", CodeStyle::Highlighted),
            first,
            "the language is part of the key"
        );
    }

    #[test]
    fn stylesheet_has_both_schemes() {
        let css = stylesheet(CodeStyle::Highlighted);
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
