use super::*;

const BASE: &str = "https://status.example.org/status/";

/// Columns of `s` counted here on their own: the test texts hold Latin letters, which
/// take one column, and CJK ideographs, kana and full-width punctuation, which take two.
fn columns(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ff60}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Every line fits, or is one word (no space) standing alone.
fn assert_fits(text: &str, width: usize) {
    for line in text.lines() {
        assert!(
            columns(line) <= width || !line.contains(' '),
            "a line of {} columns that is not one word:\n{line}\nin\n{text}",
            columns(line)
        );
    }
}

#[test]
fn links_become_absolute_urls_in_angle_brackets() {
    let text = markdown_to_text(
        "See [the guide](/guides/backup-mail/), [mail us](mailto:desk@example.org), \
         <https://www.example.org/>, [here](guides/x/), [top](#top) and [bad](javascript:alert(1)).",
        BASE,
    );
    assert_eq!(
        text,
        "See the guide <https://status.example.org/status/guides/backup-mail/>, mail us \
         <mailto:desk@example.org>, https://www.example.org/, here \
         <https://status.example.org/status/guides/x/>, top and bad."
    );
}

#[test]
fn blocks_lists_code_and_tables() {
    let src = "# Title\n\nFirst *para*\ngraph.\n\n- one\n- two\n  - nested\n\n1. a\n2. b\n\n\
               ```\ncode  line\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n-\n- last\n";
    let text = markdown_to_text(src, BASE);
    assert_eq!(
        text,
        "Title\n\nFirst para graph.\n\n- one\n- two\n  - nested\n\n1. a\n2. b\n\n    code  line\n\n\
         a | b\n1 | 2\n\n- [x] done\n-\n- last"
    );
}

#[test]
fn raw_html_is_text_and_controls_are_gone() {
    let text = markdown_to_text("Hi <b>x</b> \u{1b}[31mred\u{1b}[0m\u{7}\tend", BASE);
    assert_eq!(text, "Hi <b>x</b> [31mred[0m    end");
    assert!(!text.chars().any(|c| c.is_control()), "{text:?}");
}

#[test]
fn wrap_breaks_at_spaces_and_keeps_long_words_whole() {
    let url = format!("https://status.example.org/{}/", "a".repeat(90));
    let text = format!("Bitte lesen Sie die Anleitung unter {url} sorgfältig durch, bevor Sie beginnen.");
    let wrapped = wrap(&text, 80, "  ");
    assert_fits(&wrapped, 80);
    let lines: Vec<&str> = wrapped.lines().collect();
    assert_eq!(
        lines,
        ["  Bitte lesen Sie die Anleitung unter", url.as_str(), "  sorgfältig durch, bevor Sie beginnen."]
    );
}

#[test]
fn wrap_breaks_cjk_between_characters_but_not_before_closing_punctuation() {
    let sentence = "メールサーバーは現在利用できません。復旧作業を行っています。詳しくは";
    let text = format!("{}{} https://status.example.org/ja/ をご覧ください。", sentence, sentence);
    let wrapped = wrap(&text, 40, "");
    assert_fits(&wrapped, 40);
    // Lines of CJK characters are broken to fit, though they hold no space.
    for line in wrapped.lines().filter(|l| l.contains('ー')) {
        assert!(columns(line) <= 40, "{} columns:\n{wrapped}", columns(line));
    }
    assert!(wrapped.lines().count() > 4, "{wrapped}");
    for line in wrapped.lines() {
        assert!(!line.starts_with('。'), "a line starts with a full stop:\n{wrapped}");
    }
    assert!(wrapped.contains("https://status.example.org/ja/"), "the URL was broken:\n{wrapped}");
}

#[test]
fn wrap_continues_list_items_under_their_words() {
    let wrapped = wrap("- one two three four five six\n\n12. seven eight nine", 14, "");
    assert_eq!(wrapped, "- one two\n  three four\n  five six\n\n12. seven\n    eight nine");
}

#[test]
fn wrap_survives_widths_smaller_than_the_indent() {
    let wrapped = wrap("a b c", 1, "    ");
    assert_eq!(wrapped, "a\nb\nc");
    assert_eq!(wrap("", 80, "  "), "");
}

#[test]
fn underline_is_as_wide_as_the_text_in_columns() {
    assert_eq!(underline("Status", '=', 80), "Status\n======");
    assert_eq!(underline("状態", '-', 80), "状態\n----");
    assert_eq!(underline(&"x".repeat(100), '-', 80).lines().last(), Some("-".repeat(80).as_str()));
}

#[test]
fn the_filters_work_in_a_template() {
    let mut tera = tera::Tera::default();
    register_filters(&mut tera);
    tera.add_raw_template(
        "t.txt",
        "{{ s | wrap(width=10, indent=\"> \") }}\n{{ h | underline(char=\"=\") }}",
    )
    .unwrap();
    let mut c = tera::Context::new();
    c.insert("s", "one two three <four>");
    c.insert("h", "Head");
    assert_eq!(tera.render("t.txt", &c).unwrap(), "> one two\n> three\n> <four>\nHead\n====");
}
