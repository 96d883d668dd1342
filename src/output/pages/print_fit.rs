//! Whether the printable notice fits on one A4 page, and what to leave out when it does
//! not. The decision is made here, from the texts, and not in the browser: a deterministic
//! estimate of the height each piece takes at the print layout of the default theme's
//! `print.css`, whose sizes the constants below mirror (change both together).
//!
//! Text width is measured with the advance widths of DejaVu Sans, the first font
//! `print.css` names and the widest of the common sans-serif fonts (Liberation Sans, Arial
//! and Helvetica are narrower), so a browser that falls back to another font needs no more
//! lines than estimated. Lines break at spaces, a word too long for a line breaks between
//! letters (`overflow-wrap: anywhere`), and every margin counts in full (CSS collapses
//! some): each step errs towards more height. Lengths are whole hundredths of a point.

/// A length in hundredths of a point.
type Len = u64;

/// The printable area: A4 (595.28 × 841.89 pt) less the `@page` margins of 40 pt top and
/// bottom and 42 pt left and right; the height keeps 2 % in reserve against rounding.
pub const PAGE_WIDTH: Len = 51_128;
pub const PAGE_HEIGHT: Len = (84_189 - 8_000) * 98 / 100;

/// The QR code's side (`.qr`) and the gap beside it; the header's text is beside it.
const QR_SIDE: Len = 10_000;
const QR_GAP: Len = 1_600;
/// Below the header: padding and rule (`.sheet-head`).
const HEADER_BELOW: Len = 800 + 200;
/// Above a second language's block: margin, rule and padding (`.lang-block + .lang-block`).
const SECOND_BLOCK_ABOVE: Len = 1_200 + 200 + 200;
/// The overall state's box: its padding and border left and right, and above and below.
const OVERALL_INSET: Len = 2 * (800 + 200);
const OVERALL_FRAME: Len = 2 * (400 + 200);
/// The lines of its text an item keeps at least when it is on a cut sheet, so that each
/// says what happened, not only its title.
pub const MIN_TEXT_LINES: usize = 2;

/// A style of text on the sheet: size and line height (hundredths of a point), weight,
/// and the margin above each of its blocks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    size: Len,
    line: Len,
    bold: bool,
    above: Len,
}

/// The styles of `print.css`, by the class or element they mirror.
pub mod style {
    use super::Style;
    /// `h1`: the site's title, 22 pt bold, line height 1.2.
    pub const TITLE: Style = Style { size: 2_200, line: 2_640, bold: true, above: 0 };
    /// `.title-other`: the title in the second language, 15 pt bold, 1.25.
    pub const TITLE_OTHER: Style = Style { size: 1_500, line: 1_875, bold: true, above: 200 };
    /// `.url`: the address, 16 pt bold, 1.3.
    pub const URL: Style = Style { size: 1_600, line: 2_080, bold: true, above: 600 };
    /// `.scan`: the line under the address, 11 pt, 1.35.
    pub const SCAN: Style = Style { size: 1_100, line: 1_485, bold: false, above: 300 };
    /// `.overall`: the overall state, 16 pt bold, 1.25.
    pub const OVERALL: Style = Style { size: 1_600, line: 2_000, bold: true, above: 800 };
    /// `.as-of`: 12 pt, 1.35.
    pub const AS_OF: Style = Style { size: 1_200, line: 1_620, bold: false, above: 400 };
    /// `h3`: a list's heading, 13 pt bold, 1.25, with padding and rule below (100 + 100).
    pub const HEADING: Style = Style { size: 1_300, line: 1_625, bold: true, above: 800 + 200 };
    /// `.item h4`: an incident's or notice's title, 13 pt bold, 1.3 (the item's margin).
    pub const ITEM_TITLE: Style = Style { size: 1_300, line: 1_690, bold: true, above: 600 };
    /// `.meta`: the line under a title, 11 pt, 1.35.
    pub const META: Style = Style { size: 1_100, line: 1_485, bold: false, above: 100 };
    /// `.text p`, `.empty`: a paragraph, 12.5 pt, 1.4.
    pub const TEXT: Style = Style { size: 1_250, line: 1_750, bold: false, above: 300 };
    /// `.more`: "more at …", 12.5 pt bold, 1.4.
    pub const MORE: Style = Style { size: 1_250, line: 1_750, bold: true, above: 1_000 };
}

/// Advance widths of DejaVu Sans, in thousandths of an em, for the characters 32 to 126.
#[rustfmt::skip]
const REGULAR: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
/// The same for DejaVu Sans Bold.
#[rustfmt::skip]
const BOLD: [u16; 95] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
    683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
    724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
    343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/// A character's width in thousandths of an em. Latin letters with accents are given the
/// width of DejaVu's widest lower-case letters; any other character a full em (symbols,
/// CJK), and emoji more, since another font draws them.
fn char_width(c: char, bold: bool) -> u64 {
    let table = if bold { &BOLD } else { &REGULAR };
    match c as u32 {
        32..=126 => u64::from(table[c as usize - 32]),
        0xA0..=0x24F => {
            if bold {
                850
            } else {
                790
            }
        }
        0x1F000.. => 1_250,
        _ => 1_000,
    }
}

/// Width of `s` in hundred-thousandths of a point (thousandths of an em times hundredths
/// of a point), to compare with a width in hundredths of a point times 1000.
fn width(s: &str, style: Style) -> u64 {
    s.chars().map(|c| char_width(c, style.bold)).sum::<u64>() * style.size
}

/// `text` broken into lines of at most `avail` (hundredths of a point) wide, the way
/// the browser breaks it: at spaces, and between letters within a word wider than a line.
/// Each line is a slice of `text`.
pub fn lines(text: &str, style: Style, avail: Len) -> Vec<&str> {
    let avail = avail * 1000;
    let size = style.size;
    let space = char_width(' ', style.bold) * size;
    let mut out = Vec::new();
    // The current line: where it starts and ends in `text`, and its width.
    let mut line: Option<(usize, usize)> = None;
    let mut used = 0u64;
    for word in text.split_whitespace() {
        let at = word.as_ptr() as usize - text.as_ptr() as usize;
        let w = width(word, style);
        if let Some((start, _)) = line {
            if used + space + w <= avail {
                line = Some((start, at + word.len()));
                used += space + w;
                continue;
            }
        }
        if let Some((start, end)) = line.take() {
            out.push(&text[start..end]);
        }
        if w <= avail {
            line = Some((at, at + word.len()));
            used = w;
            continue;
        }
        for (i, c) in word.char_indices() {
            let cw = char_width(c, style.bold) * size;
            let here = at + i;
            match line {
                Some((start, end)) if used + cw > avail => {
                    out.push(&text[start..end]);
                    line = Some((here, here + c.len_utf8()));
                    used = cw;
                }
                Some((start, _)) => {
                    line = Some((start, here + c.len_utf8()));
                    used += cw;
                }
                None => {
                    line = Some((here, here + c.len_utf8()));
                    used = cw;
                }
            }
        }
    }
    if let Some((start, end)) = line {
        out.push(&text[start..end]);
    }
    out
}

/// Height of one block of text (at least one line), its margin included.
pub fn block(text: &str, style: Style, avail: Len) -> Len {
    let n = lines(text, style, avail).len().max(1) as Len;
    style.above + n * style.line
}

/// An incident, maintenance or notice as the fitting sees it: the height of the blocks
/// above its text (title, meta lines), and how many lines each paragraph of its text takes.
pub struct Item {
    head: Len,
    paragraphs: Vec<usize>,
}

impl Item {
    pub fn new(head: &[(Style, String)], paragraphs: &[String]) -> Item {
        Item {
            head: head.iter().map(|(s, t)| block(t, *s, PAGE_WIDTH)).sum(),
            paragraphs: paragraphs.iter().map(|p| lines(p, style::TEXT, PAGE_WIDTH).len().max(1)).collect(),
        }
    }

    /// Height of the paragraphs when at most `cap` lines of them are kept.
    fn text_height(&self, cap: usize) -> Len {
        let mut left = cap;
        let mut h = 0;
        for &n in &self.paragraphs {
            if left == 0 {
                break;
            }
            let n = n.min(left);
            h += style::TEXT.above + n as Len * style::TEXT.line;
            left -= n;
        }
        h
    }

    /// How many lines its paragraphs take in full.
    fn text_lines(&self) -> usize {
        self.paragraphs.iter().sum()
    }
}

/// A list under a heading (open incidents, notices, ...).
pub struct List {
    /// Height of the heading.
    heading: Len,
    /// Height of the heading and what the list says when it has no items; none for a
    /// list that is left out then.
    empty: Option<Len>,
    items: Vec<Item>,
}

impl List {
    pub fn new(heading: &str, empty: Option<&str>, items: Vec<Item>) -> List {
        let heading = block(heading, style::HEADING, PAGE_WIDTH);
        List { heading, empty: empty.map(|e| heading + block(e, style::TEXT, PAGE_WIDTH)), items }
    }
}

/// One language's block: the overall state, the time, the lists, and the "more at" line
/// shown when something is left out.
pub struct Block {
    top: Len,
    lists: Vec<List>,
    more_at: Len,
}

impl Block {
    pub fn new(overall: &str, as_of: Option<&str>, lists: Vec<List>, more_at: &str) -> Block {
        let overall = block(overall, style::OVERALL, PAGE_WIDTH - OVERALL_INSET) + OVERALL_FRAME;
        let as_of = as_of.map_or(0, |t| block(t, style::AS_OF, PAGE_WIDTH));
        Block { top: overall + as_of, lists, more_at: block(more_at, style::MORE, PAGE_WIDTH) }
    }
}

/// The header: the site's title in each language, the address, the line under it in
/// each language.
pub struct Header {
    pub titles: Vec<String>,
    pub url: String,
    pub scan: Vec<String>,
}

impl Header {
    pub fn height(&self) -> Len {
        let avail = PAGE_WIDTH - QR_SIDE - QR_GAP;
        let mut text = 0;
        for (i, t) in self.titles.iter().enumerate() {
            text += block(t, if i == 0 { style::TITLE } else { style::TITLE_OTHER }, avail);
        }
        text += block(&self.url, style::URL, avail);
        text += self.scan.iter().map(|s| block(s, style::SCAN, avail)).sum::<Len>();
        text.max(QR_SIDE) + HEADER_BELOW
    }
}

/// Whether the blocks of two languages fit whole, one above the other, under `header`.
pub fn both_fit(header: &Header, first: &Block, second: &Block) -> bool {
    let height = header.height()
        + first.height(&first.whole(), false)
        + SECOND_BLOCK_ABOVE
        + second.height(&second.whole(), false);
    height <= PAGE_HEIGHT
}

/// How to cut `block` to fit under `header`; none when it fits whole.
pub fn cut_for(header: &Header, block: &Block) -> Option<Cut> {
    let room = PAGE_HEIGHT.saturating_sub(header.height());
    if block.height(&block.whole(), false) <= room {
        return None;
    }
    Some(block.cut_to(room))
}

/// How one block is cut: the items kept of each list (the first ones), and per item kept,
/// in the order of the sheet, the most lines of its text it keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    pub kept: Vec<usize>,
    pub text_lines: Vec<usize>,
}

impl Block {
    /// The items kept, in the order of the sheet.
    fn kept<'b>(&'b self, cut: &'b Cut) -> impl Iterator<Item = &'b Item> + 'b {
        self.lists.iter().zip(&cut.kept).flat_map(|(l, &k)| &l.items[..k.min(l.items.len())])
    }

    /// Height of the block cut as `cut`; with `more`, the "more at" line is counted.
    pub fn height(&self, cut: &Cut, more: bool) -> Len {
        let mut h = self.top;
        for (list, &kept) in self.lists.iter().zip(&cut.kept) {
            if kept > 0 {
                h += list.heading;
            } else if list.items.is_empty() {
                h += list.empty.unwrap_or(0);
            }
        }
        for (item, &cap) in self.kept(cut).zip(&cut.text_lines) {
            h += item.head + item.text_height(cap);
        }
        if more {
            h += self.more_at;
        }
        h
    }

    /// Everything, uncut.
    pub fn whole(&self) -> Cut {
        Cut {
            kept: self.lists.iter().map(|l| l.items.len()).collect(),
            text_lines: self.lists.iter().flat_map(|l| &l.items).map(Item::text_lines).collect(),
        }
    }

    /// Whether `cut` leaves anything out.
    pub fn leaves_out(&self, cut: &Cut) -> bool {
        self.lists.iter().zip(&cut.kept).any(|(l, &k)| k < l.items.len())
            || self.kept(cut).zip(&cut.text_lines).any(|(item, &cap)| cap < item.text_lines())
    }

    /// The items kept as `kept`, each with at most `cap` lines of its text.
    fn capped(&self, kept: &[usize], cap: usize) -> Cut {
        let mut cut = Cut { kept: kept.to_vec(), text_lines: Vec::new() };
        cut.text_lines = self.kept(&cut).map(|i| i.text_lines().min(cap)).collect();
        cut
    }

    /// The cut that fits in `room`, counting the "more at" line:
    /// 1. items with the first [`MIN_TEXT_LINES`] lines of their text, taken from the
    ///    lists in turn (the first open incident, the first running maintenance, the first
    ///    notice, the first maintenance to come, then the second of each, ...), so that
    ///    many incidents do not push every notice off the sheet; a list whose next item
    ///    does not fit takes no more;
    /// 2. the same number of text lines for each item kept, as many as fit;
    /// 3. one more line for each item in turn, in the order of the sheet, while one fits.
    pub fn cut_to(&self, room: Len) -> Cut {
        let mut kept = vec![0; self.lists.len()];
        let mut taking: Vec<bool> = self.lists.iter().map(|l| !l.items.is_empty()).collect();
        while taking.contains(&true) {
            for (l, list) in self.lists.iter().enumerate() {
                if !taking[l] {
                    continue;
                }
                kept[l] += 1;
                if self.height(&self.capped(&kept, MIN_TEXT_LINES), true) > room {
                    kept[l] -= 1;
                    taking[l] = false;
                } else if kept[l] == list.items.len() {
                    taking[l] = false;
                }
            }
        }
        let full = self.capped(&kept, usize::MAX).text_lines;
        let most = full.iter().copied().max().unwrap_or(0);
        // Height grows with the cap, so the largest cap that fits is found by bisection.
        let (mut lo, mut hi) = (0, most);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if self.height(&self.capped(&kept, mid), true) <= room {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let mut cut = self.capped(&kept, lo);
        loop {
            let mut grew = false;
            for (i, &whole) in full.iter().enumerate() {
                if cut.text_lines[i] < whole {
                    cut.text_lines[i] += 1;
                    if self.height(&cut, true) <= room {
                        grew = true;
                    } else {
                        cut.text_lines[i] -= 1;
                    }
                }
            }
            if !grew {
                return cut;
            }
        }
    }
}

/// The paragraphs of a text kept to at most `cap` lines. A text that goes on ends in
/// " …" on its last kept line, which drops words (or, in a word longer than a line,
/// letters) to make room for it.
pub fn shorten(paragraphs: &[String], cap: usize) -> Vec<String> {
    let count = |p: &str| lines(p, style::TEXT, PAGE_WIDTH).len().max(1);
    if paragraphs.iter().map(|p| count(p)).sum::<usize>() <= cap {
        return paragraphs.to_vec();
    }
    let mut out = Vec::new();
    let mut left = cap;
    for p in paragraphs {
        if left == 0 {
            break;
        }
        let n = count(p);
        if n < left {
            out.push(p.clone());
            left -= n;
            continue;
        }
        // The last line kept is in this paragraph. Greedy breaking keeps a prefix's lines
        // as they were, so the text up to that line plus the mark takes at most `left`
        // lines when the mark fits on that line; each try drops a word (or a letter of a
        // paragraph that is one word).
        let ls = lines(p, style::TEXT, PAGE_WIDTH);
        let end = ls.get(left - 1).map_or(p.len(), |l| l.as_ptr() as usize - p.as_ptr() as usize + l.len());
        let mut kept = p[..end].trim_end();
        loop {
            let marked = if kept.is_empty() { "…".to_string() } else { format!("{kept} …") };
            if kept.is_empty() || count(&marked) <= left {
                out.push(marked);
                break;
            }
            kept = match kept.rfind(char::is_whitespace) {
                Some(at) => kept[..at].trim_end(),
                None => {
                    let mut chars = kept.char_indices();
                    let cut = chars.next_back().map_or(0, |(i, _)| i);
                    kept[..cut].trim_end()
                }
            };
        }
        break;
    }
    out
}

#[cfg(test)]
#[path = "print_fit_tests.rs"]
mod tests;
