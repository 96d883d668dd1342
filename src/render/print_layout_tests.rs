//! Reading the sheet's sizes from `print.css`: the built-in stylesheet's values, numbers
//! read exactly or rounded up, and every way a stylesheet can fail to declare them
//! reported at its place.

use super::*;

/// The built-in stylesheet with `from` replaced by `to`.
fn edited(from: &str, to: &str) -> String {
    let css = built_in_css();
    assert!(css.contains(from), "print.css has no {from:?}");
    css.replacen(from, to, 1)
}

fn problem(css: &str) -> Diagnostic {
    *PrintLayout::from_css(css, "themes/x/static/print.css").expect_err("must fail")
}

/// 1-based line and column of the first `needle` in `css`.
fn place_of(css: &str, needle: &str) -> (usize, usize) {
    let at = css.find(needle).unwrap_or_else(|| panic!("no {needle:?}"));
    line_col(css, at)
}

#[test]
fn the_built_in_stylesheet_declares_the_sheet_sizes() {
    let l = PrintLayout::built_in();
    assert_eq!((l.margin_top, l.margin_right, l.margin_bottom, l.margin_left), (4_000, 4_200, 4_000, 4_200));
    assert_eq!(l.title, Style { size: 2_200, line: 2_640, bold: true, above: 0 });
    assert_eq!(l.text, Style { size: 1_250, line: 1_750, bold: false, above: 300 });
    assert_eq!(l.item_title, Style { size: 1_300, line: 1_690, bold: true, above: 600 });
    assert_eq!((l.qr_side, l.head_gap), (10_000, 1_600));
}

#[test]
fn numbers_are_read_exactly_or_rounded_up() {
    assert_eq!(number("12"), Some(120_000));
    assert_eq!(number("12.5"), Some(125_000));
    assert_eq!(number(".25"), Some(2_500));
    assert_eq!(number("1.33334"), Some(13_334));
    assert_eq!(number("1.33330"), Some(13_333));
    for bad in ["", ".", "12.", "-1", "+1", "1e3", "1,5", " 1", "1 2", "9999999999"] {
        assert_eq!(number(bad), None, "{bad:?}");
    }
    let css = edited("--text-line: 1.4;", "--text-line: 1.33333;");
    let l = PrintLayout::from_css(&css, "print.css").unwrap_or_else(|e| panic!("{e}"));
    // 12.5 pt × 1.33333 = 16.666625 pt, rounded up to the hundredth.
    assert_eq!(l.text.line, 1_667);
}

#[test]
fn a_later_declaration_wins_and_comments_and_strings_are_no_rules() {
    let css = format!(
        "/* :root {{ --text-size: 99pt }} */\n{}\n.x {{ content: \"}} :root {{\"; }}\n:root {{ --text-size: /* big */ 14pt; --title-above: 0; }}\n",
        built_in_css()
    );
    let l = PrintLayout::from_css(&css, "print.css").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(l.text.size, 1_400);
    assert_eq!(l.text.line, 1_960);
    assert_eq!(l.title.above, 0);
}

#[test]
fn a_value_in_another_unit_is_an_error_at_its_place() {
    let css = edited("--title-size: 22pt;", "--title-size: 22px;");
    let d = problem(&css);
    assert_eq!((d.line, d.col), place_of(&css, "22px"));
    assert_eq!(d.file, std::path::Path::new("themes/x/static/print.css"));
    assert!(d.message.starts_with("--title-size: `22px`, expected a length in points"), "{d}");

    let css = edited("--meta-line: 1.35;", "--meta-line: 14.85pt;");
    let d = problem(&css);
    assert_eq!((d.line, d.col), place_of(&css, "14.85pt"));
    assert!(d.message.contains("--meta-line") && d.message.contains("without a unit"), "{d}");

    let css = edited("--more-weight: 700;", "--more-weight: bold;");
    assert!(problem(&css).message.contains("--more-weight: `bold`, expected a font weight"));
    let css = edited("--qr-side: 100pt;", "--qr-side: 5000pt;");
    assert!(problem(&css).message.contains("up to 1000pt"));
}

#[test]
fn a_missing_property_is_an_error_at_the_root_rule_naming_it() {
    let css = edited("--meta-above: 1pt;", "");
    let d = problem(&css);
    assert_eq!((d.line, d.col), place_of(&css, "{"));
    assert!(d.message.starts_with("`:root` does not declare --meta-above, expected"), "{d}");

    let none = problem(".sheet { color: #000; }\n");
    assert_eq!((none.line, none.col), (0, 0), "no `:root` rule: the file as a whole");
    assert!(
        none.message.starts_with("no `:root` rule declares --page-margin-top, --page-margin-right"),
        "{none}"
    );
    assert!(none.message.contains("and 56 more, expected"), "{none}");
}

#[test]
fn a_property_declared_outside_the_root_rule_is_an_error_at_its_place() {
    for extra in ["@media print { :root { --text-size: 14pt; } }", "html, :root { --text-size: 14pt }"] {
        let css = format!("{}\n{extra}\n", built_in_css());
        let d = problem(&css);
        let at = css.rfind("--text-size").unwrap_or(0);
        assert_eq!((d.line, d.col), line_col(&css, at), "{extra}");
        assert!(d.message.starts_with("--text-size is declared outside the `:root` rule"), "{d}");
    }
    // Used, not declared: fine.
    let css = format!("{}\n@media print {{ .x {{ font-size: var(--text-size); }} }}\n", built_in_css());
    assert!(PrintLayout::from_css(&css, "print.css").is_ok());
}
