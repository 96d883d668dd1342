//! Problems found in content: one [`Diagnostic`] per problem, collected for a whole run so
//! that authors see every mistake at once, printed as `path:line:col: severity: message`.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail the run, warnings fail it only with `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file, with a 1-based position (0 when the file as a whole is meant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let line = self.line.max(1);
        let col = self.col.max(1);
        write!(f, "{}:{line}:{col}: {kind}: {}", self.file.display(), self.message)
    }
}

/// Every problem of a run, in the order they were found until [`Diagnostics::sorted`].
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn error(&mut self, file: &Path, line: usize, col: usize, message: impl Into<String>) {
        self.push(Diagnostic {
            file: file.to_path_buf(),
            line,
            col,
            severity: Severity::Error,
            message: message.into(),
        });
    }

    pub fn warning(&mut self, file: &Path, line: usize, col: usize, message: impl Into<String>) {
        self.push(Diagnostic {
            file: file.to_path_buf(),
            line,
            col,
            severity: Severity::Warning,
            message: message.into(),
        });
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether the run must fail: any error, or any warning when warnings are errors.
    pub fn fails(&self, strict: bool) -> bool {
        self.error_count() > 0 || (strict && self.warning_count() > 0)
    }

    /// Sorted by file, then position, then message, so output is stable across runs.
    /// A file with more than [`MAX_SHOWN_PER_FILE`] problems shows that many and a note:
    /// the rest are almost always the same mistake again (or a file that is not content).
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.col, b.severity, &b.message))
        });
        self.items.dedup();
        let mut out: Vec<Diagnostic> = Vec::with_capacity(self.items.len().min(1000));
        let mut shown = 0;
        let mut hidden = 0;
        for d in self.items {
            if out.last().is_some_and(|last| last.file != d.file) {
                push_hidden_note(&mut out, hidden);
                (shown, hidden) = (0, 0);
            }
            if shown < MAX_SHOWN_PER_FILE {
                out.push(d);
                shown += 1;
            } else {
                hidden += 1;
            }
        }
        push_hidden_note(&mut out, hidden);
        out
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Diagnostics {
        Diagnostics { items: iter.into_iter().collect() }
    }
}

/// How many problems of one file are printed.
pub const MAX_SHOWN_PER_FILE: usize = 100;

fn push_hidden_note(out: &mut Vec<Diagnostic>, hidden: usize) {
    if let (Some(last), true) = (out.last(), hidden > 0) {
        let note = Diagnostic {
            message: format!("{hidden} more problem(s) in this file not shown; fix the ones above first"),
            ..last.clone()
        };
        out.push(note);
    }
}

/// The closest candidate to `word`, if it is near enough to be a likely typo.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let word_lower = word.to_lowercase();
    // One typo per three letters, at least one: a looser limit makes every short id a
    // "near miss" of every other (`fr` is two edits from both `de` and `en`).
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word_lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// `", did you mean `x`?"` or nothing, for appending to a message.
pub fn suggestion<'a, I>(word: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    match did_you_mean(word, candidates) {
        Some(c) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}

/// Optimal string alignment distance: a swap of two letters counts as one typo.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// A list of candidates as "`a`, `b` or `c`" for "expected ..." messages.
pub fn one_of<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.len() {
        0 => String::from("nothing"),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// An error and every cause under it, as one message: "a: b: c".
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let states = ["operational", "major_outage", "degraded"];
        assert_eq!(did_you_mean("major_outgae", states), Some("major_outage"));
        assert_eq!(did_you_mean("Operational", states), Some("operational"));
        assert_eq!(did_you_mean("banana", states), None);
        assert_eq!(did_you_mean("fr", ["de", "en"]), None);
        assert_eq!(did_you_mean("en_", ["de", "en"]), Some("en"));
        assert_eq!(did_you_mean("Europe/Berln", ["Europe/Bern", "Europe/Berlin"]), Some("Europe/Berlin"));
    }

    #[test]
    fn long_lists_are_cut_per_file() {
        let mut d = Diagnostics::default();
        for i in 0..MAX_SHOWN_PER_FILE + 5 {
            d.error(Path::new("a.yaml"), i + 1, 1, "x");
        }
        d.error(Path::new("b.yaml"), 1, 1, "y");
        let s = d.sorted();
        assert_eq!(s.len(), MAX_SHOWN_PER_FILE + 2);
        assert_eq!(
            s[MAX_SHOWN_PER_FILE].message,
            "5 more problem(s) in this file not shown; fix the ones above first"
        );
        assert_eq!(s[MAX_SHOWN_PER_FILE].file, Path::new("a.yaml"));
        assert_eq!(s[MAX_SHOWN_PER_FILE + 1].message, "y");
    }

    #[test]
    fn sorted_by_file_then_position() {
        let mut d = Diagnostics::default();
        d.error(Path::new("b.yaml"), 1, 1, "x");
        d.error(Path::new("a.yaml"), 9, 1, "y");
        d.warning(Path::new("a.yaml"), 2, 5, "z");
        let s = d.sorted();
        assert_eq!(s[0].message, "z");
        assert_eq!(s[1].message, "y");
        assert_eq!(s[2].to_string(), "b.yaml:1:1: error: x");
    }
}
