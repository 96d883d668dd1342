//! Where a value stands in a YAML text: the typed loader knows *what* is wrong
//! (`updates[2].status`), this module finds *where*, so messages can say `path:line:col`.
//! The index is only built for a file that has a problem, keeping clean builds fast.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path into a YAML document, e.g. `updates[2].status`.
pub type YamlPath = Vec<Seg>;

/// Build a path from a compact form: `key("updates").idx(2).key("status")`.
pub fn path() -> PathBuilder {
    PathBuilder(Vec::new())
}

#[derive(Debug, Clone, Default)]
pub struct PathBuilder(pub YamlPath);

impl PathBuilder {
    pub fn key(mut self, k: &str) -> Self {
        self.0.push(Seg::Key(k.to_string()));
        self
    }
    pub fn idx(mut self, i: usize) -> Self {
        self.0.push(Seg::Index(i));
        self
    }
    pub fn build(self) -> YamlPath {
        self.0
    }
}

/// 1-based line and column of every node (value) and every mapping key in a document.
#[derive(Debug, Default)]
pub struct Locator {
    values: HashMap<YamlPath, (usize, usize)>,
    keys: HashMap<YamlPath, (usize, usize)>,
    line_offset: usize,
}

enum Frame {
    Map { path: YamlPath, next_is_key: bool, key: Option<String> },
    Seq { path: YamlPath, index: usize },
}

struct Collector {
    stack: Vec<Frame>,
    values: HashMap<YamlPath, (usize, usize)>,
    keys: HashMap<YamlPath, (usize, usize)>,
}

impl Collector {
    /// The path of the node that starts now, or None when it is a mapping key.
    fn next_path(&mut self, scalar_key: Option<&str>, mark: &Marker) -> Option<YamlPath> {
        let pos = (mark.line(), mark.col() + 1);
        match self.stack.last_mut() {
            None => Some(Vec::new()),
            Some(Frame::Seq { path, index }) => {
                let mut p = path.clone();
                p.push(Seg::Index(*index));
                *index += 1;
                Some(p)
            }
            Some(Frame::Map { path, next_is_key, key }) => {
                if *next_is_key {
                    *next_is_key = false;
                    // yaml-rust2 marks a block mapping where it learns that it is one: after
                    // its first key. Authors expect the mapping to start at that key.
                    if let Some(start) = self.values.get_mut(path.as_slice()) {
                        if pos < *start {
                            *start = pos;
                        }
                    }
                    let k = scalar_key.unwrap_or("").to_string();
                    let mut p = path.clone();
                    p.push(Seg::Key(k.clone()));
                    self.keys.entry(p).or_insert(pos);
                    *key = Some(k);
                    None
                } else {
                    *next_is_key = true;
                    let mut p = path.clone();
                    p.push(Seg::Key(key.take().unwrap_or_default()));
                    Some(p)
                }
            }
        }
    }
}

impl MarkedEventReceiver for Collector {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = (mark.line(), mark.col() + 1);
        match ev {
            Event::Scalar(ref value, ..) => {
                if let Some(p) = self.next_path(Some(value), &mark) {
                    self.values.entry(p).or_insert(pos);
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.next_path(None, &mark) {
                    self.values.entry(p).or_insert(pos);
                }
            }
            Event::MappingStart(..) => {
                let p = self.next_path(None, &mark).unwrap_or_default();
                self.values.entry(p.clone()).or_insert(pos);
                self.stack.push(Frame::Map { path: p, next_is_key: true, key: None });
            }
            Event::SequenceStart(..) => {
                let p = self.next_path(None, &mark).unwrap_or_default();
                self.values.entry(p.clone()).or_insert(pos);
                self.stack.push(Frame::Seq { path: p, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

impl Locator {
    /// Index `src`; `line_offset` is added to every line (front matter starts after `---`).
    pub fn new(src: &str, line_offset: usize) -> Locator {
        let mut c = Collector { stack: Vec::new(), values: HashMap::new(), keys: HashMap::new() };
        let mut parser = Parser::new_from_str(src);
        // A document that does not parse has already been reported by the typed loader;
        // whatever was indexed before the error is still useful.
        let _ = parser.load(&mut c, false);
        Locator { values: c.values, keys: c.keys, line_offset }
    }

    /// Position of the value at `path`, or of its nearest existing ancestor.
    pub fn value(&self, path: &[Seg]) -> (usize, usize) {
        self.find(&self.values, path)
    }

    /// Position of the key that names `path` (for "unknown key" problems).
    pub fn key(&self, path: &[Seg]) -> (usize, usize) {
        if let Some(&(l, c)) = self.keys.get(path) {
            return (l + self.line_offset, c);
        }
        self.value(path)
    }

    fn find(&self, map: &HashMap<YamlPath, (usize, usize)>, path: &[Seg]) -> (usize, usize) {
        for n in (0..=path.len()).rev() {
            if let Some(&(l, c)) = map.get(&path[..n]) {
                return (l + self.line_offset, c);
            }
        }
        (1 + self.line_offset, 1)
    }
}

/// Deeper nesting than this is refused: content is a few levels deep, and a parser fed
/// thousands of `[` spends seconds before its own limit stops it.
pub const MAX_DEPTH: usize = 64;

/// Values that aliases (`*name`) may add by repeating anchored ones. Without a limit a
/// few hundred bytes ("billion laughs") expand to more values than memory holds.
pub const MAX_ALIAS_VALUES: usize = 100_000;

/// Why a document is refused before it is parsed for real, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Cheap checks of the event stream that protect the real parse (depth, alias
/// expansion) or say more than it would (where a key is repeated, where a second document
/// starts). A syntax error is left to the real parser, whose messages authors see.
pub fn precheck(src: &str) -> Result<(), Refusal> {
    struct Open {
        anchor: usize,
        start: usize,
        /// For a mapping: whether the next node is a key, and the keys seen so far.
        keys: Option<(bool, HashMap<String, usize>)>,
    }
    let refuse = |mark: &Marker, message: String| Refusal { line: mark.line(), col: mark.col() + 1, message };
    let mut parser = Parser::new_from_str(src);
    let mut open: Vec<Open> = Vec::new();
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    // Values as they will be after aliases are replaced by what they name.
    let mut expanded = 0usize;
    let mut repeated = 0usize;
    let mut documents = 0;
    loop {
        let (ev, mark) = match parser.next_token() {
            Ok(x) => x,
            // The scanner looks ahead in flow collections (`[[[[...`) and stops at 256 levels
            // before we see the events; that is still too deep.
            Err(e) if e.info().contains("recursion limit") => {
                return Err(refuse(
                    e.marker(),
                    format!("nested more than {MAX_DEPTH} levels deep; expected a flatter document"),
                ))
            }
            Err(_) => return Ok(()),
        };
        // A node that is a mapping key: check it against the mapping's other keys.
        let is_node = matches!(
            ev,
            Event::Scalar(..) | Event::Alias(_) | Event::MappingStart(..) | Event::SequenceStart(..)
        );
        if is_node {
            if let Some(Open { keys: Some((next_is_key, seen)), .. }) = open.last_mut() {
                if *next_is_key {
                    if let Event::Scalar(ref k, ..) = ev {
                        if let Some(first) = seen.insert(k.clone(), mark.line()) {
                            return Err(refuse(
                                &mark,
                                format!("`{k}` is given twice in this map (first on line {first}); expected each key once"),
                            ));
                        }
                    }
                }
                *next_is_key = !*next_is_key;
            }
        }
        match ev {
            Event::StreamEnd => return Ok(()),
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(refuse(
                        &mark,
                        "a second YAML document starts here; expected one document per file (remove the `---` line)".into(),
                    ));
                }
            }
            Event::Scalar(_, _, anchor, _) => {
                expanded = expanded.saturating_add(1);
                if anchor > 0 {
                    sizes.insert(anchor, 1);
                }
            }
            Event::Alias(id) => {
                let n = sizes.get(&id).copied().unwrap_or(1);
                expanded = expanded.saturating_add(n);
                repeated = repeated.saturating_add(n);
                if repeated > MAX_ALIAS_VALUES {
                    return Err(refuse(
                        &mark,
                        format!(
                            "aliases (`*name`) repeat more than {MAX_ALIAS_VALUES} values by here; \
                             expected anchors and aliases only for small repeats"
                        ),
                    ));
                }
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if open.len() >= MAX_DEPTH {
                    return Err(refuse(
                        &mark,
                        format!("nested more than {MAX_DEPTH} levels deep; expected a flatter document"),
                    ));
                }
                let keys = matches!(ev, Event::MappingStart(..)).then(|| (true, HashMap::new()));
                open.push(Open { anchor, start: expanded, keys });
                expanded = expanded.saturating_add(1);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(o) = open.pop() {
                    if o.anchor > 0 {
                        sizes.insert(o.anchor, expanded - o.start);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether a parsed document might be refused by [`precheck`]: nested at least
/// [`MAX_DEPTH`] collections deep, or holding more than [`MAX_ALIAS_VALUES`] values once
/// aliases are expanded. Both are necessary for a refusal (a repeated key or a second
/// document already fail the parse), so a document below them needs no precheck.
pub fn near_precheck_limits(doc: &serde_yaml::Value) -> bool {
    use serde_yaml::Value;
    // Depth-first with an explicit stack: the document may be as deep as the parser allows.
    let mut stack: Vec<(&Value, usize)> = vec![(doc, 0)];
    let mut values = 0usize;
    while let Some((v, depth)) = stack.pop() {
        values += 1;
        if values > MAX_ALIAS_VALUES {
            return true;
        }
        let v = match v {
            Value::Tagged(t) => &t.value,
            v => v,
        };
        match v {
            Value::Sequence(items) => {
                if depth + 1 >= MAX_DEPTH {
                    return true;
                }
                stack.extend(items.iter().map(|i| (i, depth + 1)));
            }
            Value::Mapping(map) => {
                if depth + 1 >= MAX_DEPTH {
                    return true;
                }
                for (k, i) in map {
                    stack.push((k, depth + 1));
                    stack.push((i, depth + 1));
                }
            }
            _ => {}
        }
    }
    false
}

/// `updates[2].status` for messages.
pub fn display_path(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_keys_and_sequence_items() {
        let src = "name: x\nupdates:\n  - at: 2022-11-28\n    status: down\n  - at: 2022-11-29\n    text: { de: a, en_: b }\n";
        let loc = Locator::new(src, 0);
        let p = path().key("updates").idx(0).key("status").build();
        assert_eq!(loc.value(&p), (4, 13));
        let p = path().key("updates").idx(1).key("text").key("en_").build();
        assert_eq!(loc.key(&p), (6, 20));
        // A missing child falls back to its parent, a block mapping starting at its first key.
        let p = path().key("updates").idx(1).key("status").build();
        assert_eq!(loc.value(&p), (5, 5));
        assert_eq!(loc.value(&path().key("updates").build()), (3, 3));
        assert_eq!(loc.value(&[]), (1, 1));
        let p = path().key("updates").idx(1).key("text").build();
        assert_eq!(loc.value(&p), (6, 11));
    }

    #[test]
    fn refuses_alias_bombs_deep_nesting_duplicates_and_second_documents() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in
            ["a", "b", "c", "d", "e", "f", "g"].iter().zip(["b", "c", "d", "e", "f", "g", "h"])
        {
            let item = format!("*{prev}");
            bomb.push_str(&format!("{name}: &{name} [{}]\n", vec![item; 10].join(", ")));
        }
        let r = precheck(&bomb).unwrap_err();
        assert!(r.message.contains("aliases"), "{r:?}");
        // `e` (line 5) repeats `d` (11111 values) ten times and crosses the limit.
        assert_eq!(r.line, 5);

        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let r = precheck(&deep).unwrap_err();
        assert!(r.message.contains("nested more than"), "{r:?}");
        let deep = "- ".repeat(100_000);
        let r = precheck(&deep).unwrap_err();
        assert_eq!((r.line, r.col), (1, 2 * MAX_DEPTH + 1));

        let r = precheck("a: 1\nb: [1]\na: 2\n").unwrap_err();
        assert_eq!((r.line, r.col), (3, 1));
        assert!(r.message.contains("first on line 1"), "{r:?}");

        let r = precheck("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(r.line, 2);

        // Small repeats, nested keys with the same name and syntax errors pass.
        precheck("a: &t {de: x, en: y}\nb: *t\nc: {a: 1}\n").unwrap();
        precheck("a: [unclosed\n").unwrap();
    }

    #[test]
    fn near_limits_only_for_deep_or_huge_documents() {
        let parse = |s: &str| serde_yaml::from_str::<serde_yaml::Value>(s).unwrap();
        assert!(!near_precheck_limits(&parse("a: &t {de: x, en: y}\nb: *t\nc: [1, [2, {d: 3}]]\n")));
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(near_precheck_limits(&parse(&deep)));
        let shallow = format!("{}{}", "[".repeat(MAX_DEPTH - 2), "]".repeat(MAX_DEPTH - 2));
        assert!(!near_precheck_limits(&parse(&shallow)));
        let many = format!("[{}]", vec!["1"; MAX_ALIAS_VALUES + 1].join(","));
        assert!(near_precheck_limits(&parse(&many)));
    }

    #[test]
    fn front_matter_offset() {
        let loc = Locator::new("title: x\nlevel: bad\n", 1);
        assert_eq!(loc.value(&path().key("level").build()), (3, 8));
    }
}
