//! Where a link points and where it is written: the file a relative link names
//! ([`resolve`]) and the line and column of a byte offset in a page ([`Positions`]).

/// Resolve `link` relative to the page at `page` (a file path like `en/services/x/index.html`);
/// a link starting with `/` from the site root. None: the link leaves the site root.
pub(super) fn resolve(page: &str, link: &str) -> Option<String> {
    let link = link.strip_prefix("./").unwrap_or(link);
    // The segments so far, joined by `/`, and how many there are.
    let mut path = String::with_capacity(page.len() + link.len() + 10);
    let mut segments = 0;
    if !link.starts_with('/') {
        if let Some(dir) = page.rfind('/').map(|i| &page[..i]) {
            path.push_str(dir);
            segments = dir.split('/').count();
        }
    }
    for seg in link.trim_start_matches('/').split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments = usize::checked_sub(segments, 1)?;
                path.truncate(if segments == 0 { 0 } else { path.rfind('/').unwrap_or(0) });
            }
            s => {
                if segments > 0 {
                    path.push('/');
                }
                path.push_str(s);
                segments += 1;
            }
        }
    }
    if link.ends_with('/') || link.is_empty() || link == "." {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// Line and column (in characters, both from 1) of byte offsets, for offsets given in
/// increasing order: one pass over the text however many offsets there are.
pub(super) struct Positions<'a> {
    text: &'a str,
    at: usize,
    line: usize,
    col: usize,
}

impl<'a> Positions<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Positions { text, at: 0, line: 1, col: 1 }
    }

    pub(super) fn of(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.at {
            *self = Positions::new(self.text);
        }
        let seg = &self.text[self.at..offset];
        // Bytes counted in `u8`s, in blocks that cannot overflow them: this vectorises.
        let newlines: usize = seg
            .as_bytes()
            .chunks(255)
            .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'))))
            .sum();
        if newlines > 0 {
            self.line += newlines;
            let last = seg.rfind('\n').map_or(0, |i| i + 1);
            self.col = 1 + seg[last..].chars().count();
        } else {
            self.col += seg.chars().count();
        }
        self.at = offset;
        (self.line, self.col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_lines_and_columns_in_characters() {
        let text = "ab\nçd é\n\nx";
        let mut p = Positions::new(text);
        assert_eq!(p.of(1), (1, 2));
        assert_eq!(p.of(3), (2, 1));
        assert_eq!(p.of(text.find('é').unwrap()), (2, 4));
        assert_eq!(p.of(text.len()), (4, 2));
        assert_eq!(p.of(0), (1, 1));
        // Inside a character: the character's position (an offset from elsewhere must
        // not panic).
        assert_eq!(p.of(text.find('ç').unwrap() + 1), (2, 1));
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("en/services/x/index.html", "../../").as_deref(), Some("en/index.html"));
        assert_eq!(resolve("en/services/x/index.html", "../../../style.css").as_deref(), Some("style.css"));
        assert_eq!(resolve("index.html", "../x"), None);
        assert_eq!(resolve("index.html", "./").as_deref(), Some("index.html"));
        assert_eq!(resolve("index.html", "a/../b/./c").as_deref(), Some("b/c"));
        assert_eq!(resolve("a//x.html", "../b").as_deref(), Some("a/b"));
        assert_eq!(resolve("a//x.html", "../../b").as_deref(), Some("b"));
        assert_eq!(resolve("a/x.html", "/b/").as_deref(), Some("b/index.html"));
        assert_eq!(resolve("a/x.html", "..").as_deref(), Some(""));
        assert_eq!(resolve("a/x.html", "").as_deref(), Some("a/index.html"));
    }
}
