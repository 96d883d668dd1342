//! HTML escaping, shared by the templates (Tera's escape function), highlighted code and
//! the markup made in Rust; and its inverse, with which the tests read values back.

#[cfg(test)]
use std::borrow::Cow;

/// Escape text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    // Tera calls this for every value it prints, and most have nothing to escape: copy the
    // runs between special characters at once instead of pushing char by char. All five
    // are ASCII, so every index where one is found is a char boundary.
    let mut out = String::with_capacity(s.len() + 8);
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out
}

/// The text that HTML `s` stands for: the character references our escaping and
/// pulldown-cmark's write (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and numeric ones) are
/// undone in one pass, so `&amp;lt;` stays the text `&lt;`. Anything else is kept as written.
#[cfg(test)]
pub fn unescape_html(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match char_ref(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character a reference at the start of `s` (which starts with `&`) stands for, and
/// the reference's length.
#[cfg(test)]
fn char_ref(s: &str) -> Option<(char, usize)> {
    // The longest reference decoded is `&#x10FFFF;`: no need to look further for the `;`.
    let end = s.bytes().take(10).position(|b| b == b';')?;
    let c = match &s[1..end] {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        name => {
            let number = name.strip_prefix('#')?;
            let (digits, radix) = match number.strip_prefix(['x', 'X']) {
                Some(hex) => (hex, 16),
                None => (number, 10),
            };
            if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                return None;
            }
            char::from_u32(u32::from_str_radix(digits, radix).ok()?)?
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_undoes_escape() {
        for text in ["", "plain", "a & b", "<b>\"it's\"</b>", "&lt;", "&amp;lt;", "&&;;", "ü & é < ü"] {
            assert_eq!(unescape_html(&escape_html(text)), text);
        }
    }

    #[test]
    fn unescape_reads_each_reference_once() {
        assert_eq!(unescape_html("a&amp;lt;b"), "a&lt;b");
        assert_eq!(unescape_html("&#39;&#x27;&#X41;&apos;&#228;"), "''A'ä");
        // Not references: kept as written.
        for text in [
            "&",
            "a & b",
            "&nbsp;",
            "&#;",
            "&#x;",
            "&#xZ1;",
            "&#+41;",
            "&#1114112;",
            "&#xD800;",
            "&amp",
            "& amp;",
        ] {
            assert_eq!(unescape_html(text), text);
        }
    }
}
