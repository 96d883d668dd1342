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
        // A missing child falls back to its parent.
        let p = path().key("updates").idx(1).key("status").build();
        assert_eq!(loc.value(&p), (5, 7));
    }

    #[test]
    fn front_matter_offset() {
        let loc = Locator::new("title: x\nlevel: bad\n", 1);
        assert_eq!(loc.value(&path().key("level").build()), (3, 8));
    }
}
