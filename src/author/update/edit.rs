//! The text edit of `update`: one item added to the top-level `updates:` list of a YAML
//! file without touching any other byte, in the indentation, line breaks and blank-line
//! style the list already has, and proven by parsing both versions.

/// A new file text and the lines that were added to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    pub text: String,
    pub item: String,
}

/// Why an append could not be done safely by text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppendError {
    #[error(
        "`updates` is written as {0}; expected a block list (`updates:` followed by `  - at: ...` lines)"
    )]
    NotABlockList(String),
    #[error("`updates` appears more than once")]
    Duplicate,
    #[error(
        "the file's layout is unusual ({0}), so the update cannot be appended without touching other lines"
    )]
    Unverified(String),
}

struct Line<'a> {
    text: &'a str,
    /// Byte offset of the line's first character.
    start: usize,
    /// Byte offset just after this line's line break (or the end of the file).
    next: usize,
}

fn split_lines(src: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut pos = 0;
    for raw in src.split_inclusive('\n') {
        let start = pos;
        pos += raw.len();
        let text = raw.strip_suffix('\n').unwrap_or(raw);
        let text = text.strip_suffix('\r').unwrap_or(text);
        out.push(Line { text, start, next: pos });
    }
    out
}

/// One list item: `fields[0]` after the dash, the rest aligned under it. Fields carry
/// their own relative indentation (`"  de: ..."` under `"text:"`).
pub fn render_item(fields: &[String], indent: usize, eol: &str) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        out.push_str(&pad);
        out.push_str(if i == 0 { "- " } else { "  " });
        out.push_str(f);
        out.push_str(eol);
    }
    out
}

/// What follows `updates:` on its own line.
enum KeyValue {
    /// Nothing (or a comment): a block list follows, or the list is empty.
    Block,
    /// `[]`, `~` or `null`, at this byte range of the line: replaced by a block list.
    Empty(usize, usize),
}

/// `Some(value)` if `line` is the top-level key `updates`.
fn updates_key(line: &str) -> Option<Result<KeyValue, AppendError>> {
    let rest = line.strip_prefix("updates")?;
    let after_name = rest.trim_start_matches([' ', '\t']);
    let value = after_name.strip_prefix(':')?;
    if !(value.is_empty() || value.starts_with([' ', '\t'])) {
        return None;
    }
    let colon_end = line.len() - value.len();
    let v = value.trim_start_matches([' ', '\t']);
    let start = line.len() - v.len();
    if v.is_empty() || v.starts_with('#') {
        return Some(Ok(KeyValue::Block));
    }
    for token in ["[]", "~", "null", "Null", "NULL"] {
        if let Some(after) = v.strip_prefix(token) {
            let tail = after.trim_start_matches([' ', '\t']);
            if tail.is_empty() || (tail.starts_with('#') && after.len() > tail.len()) {
                // Replace from just after the colon, so `updates: []` becomes `updates:`
                // and a trailing comment keeps its place.
                return Some(Ok(KeyValue::Empty(colon_end, start + token.len())));
            }
        }
    }
    let shown: String = v.chars().take(30).collect();
    Some(Err(AppendError::NotABlockList(format!("`{shown}`"))))
}

/// Append one item (see [`render_item`]) to the top-level `updates:` list of `src`.
pub fn append_update(src: &str, fields: &[String]) -> Result<Appended, AppendError> {
    let eol = if src.contains("\r\n") { "\r\n" } else { "\n" };
    let lines = split_lines(src);
    let mut key: Option<(usize, KeyValue)> = None;
    for (i, l) in lines.iter().enumerate() {
        let text = if i == 0 { l.text.trim_start_matches('\u{feff}') } else { l.text };
        if let Some(v) = updates_key(text) {
            if key.is_some() {
                return Err(AppendError::Duplicate);
            }
            let v = v?;
            // Offsets were computed on the line without a BOM.
            let v = match v {
                KeyValue::Empty(a, b) => {
                    let bom = l.text.len() - text.len();
                    KeyValue::Empty(a + bom, b + bom)
                }
                other => other,
            };
            key = Some((i, v));
        }
    }
    let ends_with_break = src.is_empty() || src.ends_with('\n');
    let appended = match key {
        None => {
            let item = render_item(fields, 2, eol);
            let mut text = String::from(src);
            if !ends_with_break {
                text.push_str(eol);
            }
            let added = format!("updates:{eol}{item}");
            text.push_str(&added);
            Appended { text, item: added }
        }
        Some((k, KeyValue::Empty(a, b))) => {
            let line = &lines[k];
            let item = render_item(fields, 2, eol);
            let mut text = String::with_capacity(src.len() + item.len() + 2);
            text.push_str(&src[..line.start + a]);
            text.push_str(&line.text[b..]);
            // The line keeps its own break, which in a file of mixed line ends may not
            // be the one new lines get.
            let own_break = &src[line.start + line.text.len()..line.next];
            text.push_str(if own_break.is_empty() { eol } else { own_break });
            text.push_str(&item);
            text.push_str(&src[lines[k].next..]);
            Appended { text, item }
        }
        Some((k, KeyValue::Block)) => append_to_block(src, &lines, k, fields, eol)?,
    };
    verify(src, &appended.text, fields)?;
    Ok(appended)
}

fn append_to_block(
    src: &str,
    lines: &[Line<'_>],
    key: usize,
    fields: &[String],
    eol: &str,
) -> Result<Appended, AppendError> {
    let mut dash_indent: Option<usize> = None;
    let mut last_content: Option<usize> = None;
    let mut terminator: Option<usize> = None;
    // Whether items are separated by blank lines, a style the new item should follow.
    let mut blank_before_item = false;
    let mut prev_blank = false;
    for (i, line) in lines.iter().enumerate().skip(key + 1) {
        let t = line.text;
        let body = t.trim_start_matches(' ');
        if body.trim().is_empty() {
            prev_blank = true;
            continue;
        }
        let indent = t.len() - body.len();
        let comment = body.starts_with('#');
        let dash = body == "-" || body.starts_with("- ") || body.starts_with("-\t");
        if indent == 0 && !comment && !(dash && dash_indent.unwrap_or(0) == 0) {
            // The next top-level key (or a document marker): the list ended before it.
            terminator = Some(i);
            break;
        }
        if indent == 0 && comment {
            // A comment in column 0 belongs to what follows it, not to the list.
            prev_blank = false;
            continue;
        }
        if !comment {
            match dash_indent {
                None if dash => dash_indent = Some(indent),
                None => return Err(AppendError::NotABlockList("a mapping or text".into())),
                Some(d) if dash && d == indent && prev_blank => blank_before_item = true,
                _ => {}
            }
        }
        last_content = Some(i);
        prev_blank = false;
    }
    let indent = dash_indent.unwrap_or(2);
    let mut item = String::new();
    if blank_before_item {
        item.push_str(eol);
    }
    item.push_str(&render_item(fields, indent, eol));
    let mut text = String::with_capacity(src.len() + item.len() + 2);
    match terminator {
        Some(_) => {
            let at = lines[last_content.unwrap_or(key)].next;
            text.push_str(&src[..at]);
            text.push_str(&item);
            text.push_str(&src[at..]);
        }
        None => {
            // The list runs to the end of the file: append, keeping the old file an exact
            // prefix of the new one.
            text.push_str(src);
            if !(src.is_empty() || src.ends_with('\n')) {
                text.push_str(eol);
            }
            if blank_before_item && (src.ends_with("\n\n") || src.ends_with("\r\n\r\n")) {
                item.drain(..eol.len());
            }
            text.push_str(&item);
        }
    }
    Ok(Appended { text, item })
}

/// Prove the textual edit: the new document must be the old one with exactly this item
/// appended to `updates`, and nothing else changed.
fn verify(old: &str, new: &str, fields: &[String]) -> Result<(), AppendError> {
    use serde_yaml::Value;
    let parse = |s: &str| serde_yaml::from_str::<Value>(s.trim_start_matches('\u{feff}'));
    let unverified = |why: &str| AppendError::Unverified(why.to_string());
    let item = match parse(&render_item(fields, 0, "\n")) {
        Ok(Value::Sequence(mut s)) if s.len() == 1 => s.remove(0),
        _ => return Err(unverified("the new item does not parse")),
    };
    let mut expected = parse(old).map_err(|_| unverified("the file does not parse as YAML"))?;
    let Value::Mapping(map) = &mut expected else {
        return Err(unverified("the file is not a YAML mapping"));
    };
    match map.get_mut("updates") {
        Some(Value::Sequence(list)) => list.push(item),
        Some(v @ Value::Null) => *v = Value::Sequence(vec![item]),
        Some(_) => return Err(AppendError::NotABlockList("something other than a list".into())),
        None => {
            map.insert(Value::String("updates".into()), Value::Sequence(vec![item]));
        }
    }
    let got = parse(new).map_err(|_| unverified("the edited text would not parse"))?;
    if got == expected {
        Ok(())
    } else {
        Err(unverified("the edit would change other values"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> Vec<String> {
        vec![
            "at: 2026-11-27T09:15:00+01:00".to_string(),
            "status: degraded".to_string(),
            "text:".to_string(),
            "  de: \"Langsam\"".to_string(),
            "  en: \"Slow\"".to_string(),
        ]
    }

    fn check(src: &str, expected: &str) {
        let a = append_update(src, &item()).unwrap();
        assert_eq!(a.text, expected);
    }

    #[test]
    fn appends_at_the_end_with_detected_indentation() {
        let src = "name: x # c\nupdates:\n  - at: 2022-01-01\n    status: operational\n";
        let a = append_update(src, &item()).unwrap();
        assert!(a.text.starts_with(src));
        assert_eq!(
            &a.text[src.len()..],
            "  - at: 2026-11-27T09:15:00+01:00\n    status: degraded\n    text:\n      de: \"Langsam\"\n      en: \"Slow\"\n"
        );
        let src0 = "name: x\nupdates:\n- at: 2022-01-01\n  status: operational\n";
        let a = append_update(src0, &item()).unwrap();
        assert!(a.text[src0.len()..].starts_with("- at: 2026"));
        assert!(a.text.contains("\n  text:\n    de: \"Langsam\"\n"));
    }

    #[test]
    fn file_without_final_newline_gets_one() {
        let src = "name: x\nupdates:\n  - at: 2022-01-01\n    status: operational";
        let a = append_update(src, &item()).unwrap();
        assert!(a.text.starts_with(src));
        assert!(a.text[src.len()..].starts_with("\n  - at: 2026"));
    }

    #[test]
    fn inserts_after_the_last_item_when_more_follows() {
        let src = "name: x\nupdates:\n  - at: 2022-01-01\n    status: operational\n    text: |\n      a\n\n      b\n\n# links below\nlinks: []\n";
        let a = append_update(src, &item()).unwrap();
        let (head, tail) = src.split_at(src.find("\n\n# links").unwrap() + 1);
        assert!(a.text.starts_with(head));
        assert!(a.text.ends_with(tail));
        assert_eq!(a.text.len(), src.len() + a.item.len());
    }

    #[test]
    fn empty_and_missing_lists() {
        check("name: x\nupdates: []\n", "name: x\nupdates:\n  - at: 2026-11-27T09:15:00+01:00\n    status: degraded\n    text:\n      de: \"Langsam\"\n      en: \"Slow\"\n");
        let a = append_update("name: x\nupdates: []   # none yet\norder: 3\n", &item()).unwrap();
        assert!(a.text.starts_with("name: x\nupdates:   # none yet\n  - at: 2026"));
        assert!(a.text.ends_with("      en: \"Slow\"\norder: 3\n"));
        let a = append_update("name: x\n", &item()).unwrap();
        assert!(a.text.starts_with("name: x\nupdates:\n  - at: 2026"));
        let a = append_update("name: x", &item()).unwrap();
        assert!(a.text.starts_with("name: x\nupdates:\n  - at:"));
        let a = append_update("name: x\nupdates:\norder: 1\n", &item()).unwrap();
        assert!(a.text.starts_with("name: x\nupdates:\n  - at: 2026"));
        assert!(a.text.ends_with("\norder: 1\n"));
    }

    #[test]
    fn keeps_blank_line_style_and_crlf() {
        let src = "updates:\n  - at: a\n    status: x\n\n  - at: b\n    status: y\nname: n\n";
        let a = append_update(src, &item()).unwrap();
        assert!(a.text.contains("status: y\n\n  - at: 2026"), "{}", a.text);
        let crlf = "name: x\r\nupdates:\r\n  - at: a\r\n    status: x\r\n";
        let a = append_update(crlf, &item()).unwrap();
        assert!(a.text.starts_with(crlf));
        assert!(!a.text[crlf.len()..].replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn refuses_what_it_cannot_do_safely() {
        assert!(matches!(
            append_update("updates: [ { at: a, status: x } ]\n", &item()),
            Err(AppendError::NotABlockList(_))
        ));
        assert!(matches!(append_update("updates:\n  a: b\n", &item()), Err(AppendError::NotABlockList(_))));
        assert!(matches!(append_update("updates:\nupdates:\n", &item()), Err(AppendError::Duplicate)));
        // A quoted scalar running over lines: `updates:` here is text, not a key.
        assert!(append_update("title: \"a\nupdates:\n  b\"\n", &item()).is_err());
    }
}
