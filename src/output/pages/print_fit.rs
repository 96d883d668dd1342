//! Whether the printable notice fits on one A4 page, and what to leave out when it does
//! not. The decision is made here, from the texts, and not in the browser: a deterministic
//! estimate of the height each piece takes at the sizes the theme's `print.css` declares
//! ([`PrintLayout`], read once per build), for the pieces `print.html` shows.
//!
//! Text width is measured with the advance widths of DejaVu Sans, the first font
//! `print.css` names and the widest of the common sans-serif fonts (Liberation Sans, Arial
//! and Helvetica are narrower), so a browser that falls back to another font needs no more
//! lines than estimated. Lines break at spaces, a word too long for a line breaks between
//! letters (`overflow-wrap: anywhere`), and every margin counts in full (CSS collapses
//! some): each step errs towards more height. Lengths are whole hundredths of a point.

use crate::render::print_layout::{Len, PrintLayout, Style};

/// A4, in hundredths of a point (595.28 × 841.89 pt): the sheet is A4 whatever the theme.
const A4_WIDTH: Len = 59_528;
const A4_HEIGHT: Len = 84_189;

/// The printable area's width: A4 less the `@page` margins left and right.
pub fn page_width(l: &PrintLayout) -> Len {
    A4_WIDTH.saturating_sub(l.margin_left + l.margin_right)
}

/// The printable area's height: A4 less the `@page` margins above and below, with 2 % in
/// reserve against rounding.
fn page_height(l: &PrintLayout) -> Len {
    A4_HEIGHT.saturating_sub(l.margin_top + l.margin_bottom) * 98 / 100
}

/// The lines of its text an item keeps at least when it is on a cut sheet, so that each
/// says what happened, not only its title.
pub const MIN_TEXT_LINES: usize = 2;

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
    /// The style of its text.
    text: Style,
}

impl Item {
    pub fn new(l: &PrintLayout, head: &[(Style, String)], paragraphs: &[String]) -> Item {
        let width = page_width(l);
        Item {
            head: head.iter().map(|(s, t)| block(t, *s, width)).sum(),
            paragraphs: paragraphs.iter().map(|p| lines(p, l.text, width).len().max(1)).collect(),
            text: l.text,
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
            h += self.text.above + n as Len * self.text.line;
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
    pub fn new(l: &PrintLayout, heading: &str, empty: Option<&str>, items: Vec<Item>) -> List {
        // The padding and rule below the heading count with the margin above it.
        let style = Style { above: l.heading.above + l.heading_padding_bottom + l.heading_rule, ..l.heading };
        let heading = block(heading, style, page_width(l));
        List { heading, empty: empty.map(|e| heading + block(e, l.text, page_width(l))), items }
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
    pub fn new(
        l: &PrintLayout,
        overall: &str,
        as_of: Option<&str>,
        lists: Vec<List>,
        more_at: &str,
    ) -> Block {
        let width = page_width(l);
        // The overall state's box: its padding and border on either side.
        let inset = 2 * (l.overall_padding_x + l.overall_border);
        let frame = 2 * (l.overall_padding_y + l.overall_border);
        let overall = block(overall, l.overall, width.saturating_sub(inset)) + frame;
        let as_of = as_of.map_or(0, |t| block(t, l.as_of, width));
        Block { top: overall + as_of, lists, more_at: block(more_at, l.more, width) }
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
    /// Its height: its text beside the QR code, or the code when that is higher, and the
    /// padding and rule below.
    pub fn height(&self, l: &PrintLayout) -> Len {
        let avail = page_width(l).saturating_sub(l.qr_side + l.head_gap);
        let mut text = 0;
        for (i, t) in self.titles.iter().enumerate() {
            text += block(t, if i == 0 { l.title } else { l.title_other }, avail);
        }
        text += block(&self.url, l.url, avail);
        text += self.scan.iter().map(|s| block(s, l.scan, avail)).sum::<Len>();
        text.max(l.qr_side) + l.head_padding_bottom + l.head_rule
    }
}

/// Whether the blocks of two languages fit whole, one above the other, under `header`.
pub fn both_fit(l: &PrintLayout, header: &Header, first: &Block, second: &Block) -> bool {
    let height = header.height(l)
        + first.height(&first.whole(), false)
        + l.lang_gap
        + l.lang_rule
        + l.lang_padding_top
        + second.height(&second.whole(), false);
    height <= page_height(l)
}

/// How to cut `block` to fit under `header`; none when it fits whole.
pub fn cut_for(l: &PrintLayout, header: &Header, block: &Block) -> Option<Cut> {
    let room = page_height(l).saturating_sub(header.height(l));
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
pub fn shorten(l: &PrintLayout, paragraphs: &[String], cap: usize) -> Vec<String> {
    let width = page_width(l);
    let count = |p: &str| lines(p, l.text, width).len().max(1);
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
        let ls = lines(p, l.text, width);
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
