//! Reading a YAML value tree field by field: the problems of a file collected with their
//! paths, records with a fixed set of fields, lists read item by item, and the scalar
//! converters (text, time, whole number, boolean, localized text).

use crate::diagnostics::{one_of, suggestion};
use crate::model::locate::{Seg, YamlPath};
use crate::model::text::{OrderedMap, RawText, ScalarString};
use serde_yaml::Value;

/// Something wrong with the shape of a file (a wrong type, an unknown or missing field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: YamlPath,
    pub message: String,
    /// Point at the key rather than the value (unknown fields).
    pub at_key: bool,
}

/// Collects the problems of one file while its values are read.
#[derive(Debug, Default)]
pub struct Reader {
    pub problems: Vec<Problem>,
}

/// More problems than this in one file are not collected: only the first are shown, and
/// a file of 100000 unknown keys should not cost seconds.
const MAX_PROBLEMS: usize = 1000;

impl Reader {
    fn problem(&mut self, path: &[Seg], message: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem { path: path.to_vec(), message, at_key: false });
        }
    }

    fn key_problem(&mut self, path: &[Seg], message: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem { path: path.to_vec(), message, at_key: true });
        }
    }

    /// "found X; expected Y" for a value of the wrong kind.
    fn wrong(&mut self, path: &[Seg], v: &Value, expected: &str) {
        self.problem(path, format!("found {}; expected {expected}", describe(v)));
    }
}

/// What a value is, for "found ..." messages.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            let more = if short.len() < s.len() { "…" } else { "" };
            format!("the text `{short}{more}`")
        }
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a map".into(),
        Value::Tagged(t) => format!("a value tagged `{}`", t.tag),
    }
}

fn child(path: &[Seg], seg: Seg) -> YamlPath {
    let mut p = path.to_vec();
    p.push(seg);
    p
}

/// A key as the text an author wrote, when it is a scalar.
fn key_text(k: &Value) -> Option<String> {
    match k {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list as written: `None` where an item could not be read (its problem is reported),
/// so that positions still match the file for the problems found later.
pub type Items<T> = Vec<Option<T>>;

/// A converter from one value to a field's type; problems go to the reader.
pub(super) type Conv<T> = fn(&mut Reader, &Value, &[Seg]) -> Option<T>;

/// A mapping being read as a record with a fixed set of fields.
pub(super) struct Fields<'v, 'r> {
    r: &'r mut Reader,
    path: YamlPath,
    entries: Vec<(String, &'v Value)>,
}

impl<'v, 'r> Fields<'v, 'r> {
    /// Reports a value that is not a mapping and every unknown key at once.
    pub(super) fn new(
        r: &'r mut Reader,
        v: &'v Value,
        path: &[Seg],
        what: &str,
        known: &[&str],
    ) -> Option<Fields<'v, 'r>> {
        let Value::Mapping(m) = v else {
            let fields: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            let expected = format!("{what} (fields: {})", fields.join(", "));
            if v.is_null() && path.is_empty() {
                r.problem(path, format!("empty; expected {expected}"));
            } else {
                r.wrong(path, v, &expected);
            }
            return None;
        };
        let mut entries = Vec::new();
        for (k, val) in m {
            let Some(name) = key_text(k) else {
                r.problem(
                    path,
                    format!("found {} as a key; expected a field name such as `{}`", describe(k), known[0]),
                );
                continue;
            };
            if !known.contains(&name.as_str()) {
                r.key_problem(
                    &child(path, Seg::Key(name.clone())),
                    format!(
                        "unknown field `{name}`; expected {}{}",
                        one_of(known),
                        suggestion(&name, known.iter().copied())
                    ),
                );
                continue;
            }
            entries.push((name, val));
        }
        Some(Fields { r, path: path.to_vec(), entries })
    }

    /// The value of a field; an empty value (`key:` or `key: ~`) counts as absent.
    fn get(&self, name: &str) -> Option<&'v Value> {
        self.entries.iter().find(|(k, _)| k == name).map(|(_, v)| *v).filter(|v| !v.is_null())
    }

    pub(super) fn opt<T>(&mut self, name: &str, conv: Conv<T>) -> Option<T> {
        let v = self.get(name)?;
        conv(self.r, v, &child(&self.path, Seg::Key(name.into())))
    }

    pub(super) fn req<T>(&mut self, name: &str, expected: &str, conv: Conv<T>) -> Option<T> {
        if self.get(name).is_none() {
            self.r.problem(&self.path, format!("missing field `{name}`; expected {expected}"));
            return None;
        }
        self.opt(name, conv)
    }

    pub(super) fn list<T>(&mut self, name: &str, item: Conv<T>) -> Items<T> {
        let Some(v) = self.get(name) else { return Vec::new() };
        list_of(self.r, v, &child(&self.path, Seg::Key(name.into())), item).unwrap_or_default()
    }
}

/// Each item is read on its own, so one bad item does not hide the problems of others.
fn list_of<T>(r: &mut Reader, v: &Value, path: &[Seg], item: Conv<T>) -> Option<Items<T>> {
    let Value::Sequence(items) = v else {
        r.wrong(path, v, "a list (`- item` lines or `[a, b]`)");
        return None;
    };
    Some(items.iter().enumerate().map(|(i, x)| item(r, x, &child(path, Seg::Index(i)))).collect())
}

/// A scalar as text: YAML reads `2022` and `true` as numbers and booleans, authors mean text.
pub fn scalar(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => {
            r.wrong(path, v, "a text");
            None
        }
    }
}

pub(super) fn time(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<ScalarString> {
    match v {
        Value::String(_) | Value::Number(_) => scalar(r, v, path).map(ScalarString),
        _ => {
            r.wrong(path, v, "a time such as `2022-11-28T09:30:00+01:00`");
            None
        }
    }
}

pub(super) fn integer(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<i64> {
    match v {
        Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
        _ => {
            r.wrong(path, v, "a whole number");
            None
        }
    }
}

pub(super) fn boolean(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        _ => {
            r.wrong(path, v, "`true` or `false`");
            None
        }
    }
}

pub(super) fn strings(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<Items<String>> {
    list_of(r, v, path, scalar)
}

/// Localized text: a scalar, or a map from language code to scalar.
pub fn text(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<RawText> {
    match v {
        Value::Mapping(_) => Some(RawText::PerLanguage(string_map(r, v, path)?.0)),
        Value::String(_) | Value::Number(_) | Value::Bool(_) => scalar(r, v, path).map(RawText::Plain),
        _ => {
            r.wrong(path, v, "a text, or a map from language code to text such as { de: ..., en: ... }");
            None
        }
    }
}

/// A map from scalar keys to scalar values, in file order.
pub(super) fn string_map(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<OrderedMap<String>> {
    let Value::Mapping(m) = v else {
        r.wrong(path, v, "a map such as { key: value }");
        return None;
    };
    let mut out = Vec::new();
    for (k, val) in m {
        let Some(key) = key_text(k) else {
            r.problem(path, format!("found {} as a key; expected a name", describe(k)));
            continue;
        };
        if let Some(s) = scalar(r, val, &child(path, Seg::Key(key.clone()))) {
            out.push((key, s));
        }
    }
    Some(OrderedMap(out))
}
