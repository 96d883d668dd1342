//! The fitting's measures: lines break as a browser breaks them, a shortened text keeps
//! to its lines and says it goes on, and a cut fits its room and leaves none of it unused
//! that one more line would fill.

use super::*;

const SENTENCE: &str = "Wegen eines Angriffs auf die IT-Infrastruktur wurden die zentralen Server \
    vorsorglich vom Netz genommen. E-Mail, Webmail und das Selfcare-Portal sind nicht erreichbar.";

fn long_text(words: usize) -> String {
    SENTENCE.split(' ').cycle().take(words).collect::<Vec<_>>().join(" ")
}

/// The built-in theme's layout, and the width of its printable area.
fn layout() -> PrintLayout {
    PrintLayout::built_in()
}

fn full_width() -> Len {
    page_width(&layout())
}

fn fits(line: &str, style: Style, avail: Len) -> bool {
    width(line, style) <= avail * 1000
}

#[test]
fn lines_break_at_spaces_and_each_fits_the_width() {
    let text = long_text(120);
    let l = layout();
    for (style, avail) in [(l.text, full_width()), (l.title, 20_000), (l.meta, 9_000)] {
        let ls = lines(&text, style, avail);
        assert!(ls.len() > 1);
        assert!(ls.iter().all(|l| fits(l, style, avail)), "{ls:#?}");
        assert_eq!(ls.join(" "), text, "lines are the text's words in order");
        // Greedy: the next line's first word would not have fitted on the line before.
        for pair in ls.windows(2) {
            let first_word = pair[1].split(' ').next().unwrap_or("");
            assert!(!fits(&format!("{} {first_word}", pair[0]), style, avail), "{pair:?}");
        }
    }
}

#[test]
fn a_word_longer_than_a_line_breaks_between_letters() {
    let word = "x".repeat(400);
    let text = layout().text;
    let ls = lines(&word, text, full_width());
    assert!(ls.len() >= 4, "{ls:?}");
    assert_eq!(ls.concat(), word);
    assert!(ls.iter().all(|l| fits(l, text, full_width())));
}

#[test]
fn wide_letters_take_more_lines_than_narrow_ones() {
    let narrow = vec!["illi"; 200].join(" ");
    let wide = vec!["WMWM"; 200].join(" ");
    let n = lines(&narrow, layout().text, full_width()).len();
    let w = lines(&wide, layout().text, full_width()).len();
    assert!(w >= 2 * n, "narrow {n} lines, wide {w} lines");
    // Symbols and letters of other scripts count a full em, more than any Latin letter.
    assert!(char_width('✕', false) >= 1000 && char_width('界', true) >= 1000);
    assert!(char_width('ä', false) >= char_width('a', false));
}

#[test]
fn a_text_that_fits_is_kept_as_it_is() {
    let paragraphs = vec![long_text(20), long_text(5)];
    let l = layout();
    let n = Item::new(&l, &[], &paragraphs).text_lines();
    assert_eq!(shorten(&l, &paragraphs, n), paragraphs);
    assert_eq!(shorten(&l, &paragraphs, n + 3), paragraphs);
}

#[test]
fn a_shortened_text_keeps_to_its_lines_and_ends_in_the_mark() {
    let paragraphs = vec![long_text(30), long_text(60), long_text(45)];
    let l = layout();
    let full = Item::new(&l, &[], &paragraphs).text_lines();
    for cap in 1..full {
        let short = shorten(&l, &paragraphs, cap);
        let item = Item::new(&l, &[], &short);
        assert!(item.text_lines() <= cap, "cap {cap}: {short:#?}");
        // What the fitting counted for this cap is what the shortened text takes.
        assert_eq!(
            item.text_height(usize::MAX),
            Item::new(&l, &[], &paragraphs).text_height(cap),
            "cap {cap}"
        );
        let last = short.last().unwrap();
        assert!(last.ends_with(" …") || last == "…", "cap {cap}: {last:?}");
        // Whole words only: the kept words are the text's first words.
        let kept = short.join(" ");
        let kept = kept.trim_end_matches('…').trim_end();
        assert!(paragraphs.join(" ").starts_with(kept), "cap {cap}: {kept:?}");
    }
    assert!(shorten(&l, &paragraphs, 0).is_empty());
}

/// A block of `n` incidents with texts of `words` words each.
fn block_of(n: usize, words: usize) -> Block {
    let l = layout();
    let text = vec![long_text(words)];
    let items = (0..n)
        .map(|i| {
            let head = [
                (l.item_title, format!("Störung {i} der E-Mail-Dienste")),
                (l.meta, "Störung · Wird untersucht · Beginn: 27.11.2022, 08:15 Uhr".to_string()),
            ];
            Item::new(&l, &head, &text)
        })
        .collect();
    let lists = vec![
        List::new(&l, "Aktuelle Störungen", Some("Zurzeit liegen keine Störungen vor."), items),
        List::new(&l, "Laufende Wartungen", None, Vec::new()),
    ];
    Block::new(
        &l,
        "Gesamtstatus: ✕ Nicht verfügbar",
        Some("Stand: 27.11.2022, 08:15 Uhr"),
        lists,
        "Mehr unter https://status.example.org/",
    )
}

#[test]
fn a_cut_fits_its_room_and_no_item_could_keep_one_more_line() {
    for (n, words, room) in [(12, 120, 60_000), (3, 400, 50_000), (40, 30, 70_000), (5, 80, 30_000)] {
        let block = block_of(n, words);
        let whole = block.whole();
        assert!(block.height(&whole, false) > room, "the case must need a cut");
        let cut = block.cut_to(room);
        assert!(block.height(&cut, true) <= room, "{n} items: {cut:?}");
        assert!(block.leaves_out(&cut));
        assert!(cut.kept[0] >= 1, "the first incident is always on the sheet: {cut:?}");
        let full: Vec<usize> = block.kept(&cut).map(Item::text_lines).collect();
        for (i, &whole) in full.iter().enumerate() {
            if cut.text_lines[i] < whole {
                let mut more = cut.clone();
                more.text_lines[i] += 1;
                assert!(block.height(&more, true) > room, "item {i} could keep one more line: {cut:?}");
            }
        }
        // Earlier items never keep fewer lines than later ones: the room is shared in turn.
        assert!(cut.text_lines.windows(2).all(|w| w[0] >= w[1]), "{cut:?}");
    }
}

#[test]
fn many_incidents_leave_room_for_the_notices() {
    let l = layout();
    let text = vec![long_text(80)];
    let item = |i: usize| Item::new(&l, &[(l.item_title, format!("Titel {i}"))], &text);
    let lists = vec![
        List::new(&l, "Aktuelle Störungen", None, (0..30).map(item).collect()),
        List::new(&l, "Laufende Wartungen", None, Vec::new()),
        List::new(&l, "Wichtige Hinweise", None, (0..3).map(item).collect()),
    ];
    let block = Block::new(&l, "Gesamtstatus", None, lists, "Mehr unter https://status.example.org/");
    let cut = block.cut_to(60_000);
    assert!(block.height(&cut, true) <= 60_000);
    assert!(cut.kept[0] >= 3 && cut.kept[2] == 3, "{cut:?}");
    assert!(
        cut.text_lines.iter().all(|&n| n >= MIN_TEXT_LINES),
        "every item says more than its title: {cut:?}"
    );
}

#[test]
fn a_block_that_fits_is_not_cut_and_the_bigger_one_is() {
    let l = layout();
    let header =
        Header { titles: vec!["IT-Status".into()], url: "https://status.example.org/".into(), scan: vec![] };
    assert_eq!(cut_for(&l, &header, &block_of(2, 20)), None);
    assert!(both_fit(&l, &header, &block_of(1, 20), &block_of(1, 20)));
    assert!(!both_fit(&l, &header, &block_of(6, 60), &block_of(6, 60)));
    let cut = cut_for(&l, &header, &block_of(30, 60)).expect("thirty incidents do not fit");
    assert!(cut.kept[0] < 30);
}

#[test]
fn the_header_is_as_high_as_the_qr_code_or_its_text() {
    let l = layout();
    let below = l.head_padding_bottom + l.head_rule;
    let short = Header { titles: vec!["Status".into()], url: "https://s.example/".into(), scan: vec![] };
    assert_eq!(short.height(&l), l.qr_side + below);
    let long =
        Header { titles: vec![long_text(40), long_text(40)], url: "https://s.example/".into(), scan: vec![] };
    assert!(long.height(&l) > l.qr_side + below);
}
